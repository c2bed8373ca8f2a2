"""Related papers: the few papers that share most with one paper, and why.

A shared mechanism or author counts more the rarer it is (1 / the number of binary digits of the
count of papers it has, which follows 1 / log2(1 + count) in steps): two papers both on a niche
receptor say more than two papers that both mention "apoptosis". The steps keep a new paper from
rewriting pages that do not show it: a weight changes only when a count reaches a power of two, so
adding a paper reorders the related papers of its authors' and mechanisms' other papers only then
(a smooth weight reordered them on every addition, for nothing a reader could use). A link
between the two (a wikilink or citation either way) counts 3. Mechanisms and authors with more
than COMMON papers are too common to tell anything and are skipped, which also keeps this linear
in the size of the library. Ties go to the newer paper, then the slug: output is deterministic.
Pure: reads the joined graph only.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from litweave.model import reduce_by_slots

LIMIT = 5
"""Related papers shown on a paper page."""
COMMON = 150
"""A mechanism or author with more papers than this says nothing about relatedness."""
LINK_WEIGHT = 3.0
AUTHOR_WEIGHT = 2.0


@dataclass(frozen=True, slots=True)
class Related:
    """One related paper and what it shares with the paper whose page shows it."""

    slug: str
    score: float
    mechanisms: tuple[str, ...]
    """Shared mechanism slugs, in the paper's order."""
    authors: tuple[str, ...]
    """Shared author slugs, in byline order."""
    linked: bool
    """One of the two links to the other from its notes."""


def _weight(n: int) -> float:
    """1 for one paper, 1/2 for 2–3, 1/3 for 4–7, 1/4 for 8–15…"""
    return 1.0 / max(n, 1).bit_length()


def related_papers(
    slug: str,
    mechanisms: Sequence[str],
    authors: Sequence[str],
    links: Sequence[str],
    mechanism_papers: Mapping[str, Sequence[str]],
    author_papers: Mapping[str, Sequence[str]],
    year_of: Mapping[str, int | None],
    limit: int = LIMIT,
) -> list[Related]:
    """The `limit` papers sharing most with `slug`. `links` are the papers linked either way."""
    score: dict[str, float] = defaultdict(float)
    used: list[tuple[str, Sequence[str], bool]] = []
    for group, index, is_author in ((mechanisms, mechanism_papers, False), (authors, author_papers, True)):
        for key in group:
            papers = index.get(key, ())
            if len(papers) > COMMON:
                continue
            used.append((key, papers, is_author))
            w = (AUTHOR_WEIGHT if is_author else 1.0) * _weight(len(papers))
            for other in papers:
                score[other] += w
    score.pop(slug, None)
    linked = {p for p in links if p != slug and p in year_of}
    for other in linked:
        score[other] += LINK_WEIGHT
    if not score:
        return []
    # only the candidates at or above the limit-th best score are sorted (ties kept whole)
    floor = heapq.nlargest(limit, score.values())[-1] - 1e-9
    best = [p for p, v in score.items() if v >= floor]
    ranked = sorted(best, key=lambda p: (-round(score[p], 9), -(year_of.get(p) or 0), p))[:limit]
    # what each of the few shown shares, found once they are known (cheaper than for every candidate)
    return [
        Related(
            p,
            round(score[p], 6),
            tuple(k for k, papers, is_author in used if not is_author and p in papers),
            tuple(k for k, papers, is_author in used if is_author and p in papers),
            p in linked,
        )
        for p in ranked
    ]


@dataclass(frozen=True, slots=True)
class Shown:
    """A piece of a "Mentioned in" excerpt as the page shows it: text, or a wikilink or citation
    with the page it reaches (`kind`, `slug`), or none when it reaches no page."""

    __reduce__ = reduce_by_slots

    text: str
    via: str = ""
    """ "wikilink", "citation", or "" for text."""
    kind: str = ""
    slug: str = ""


@dataclass(frozen=True, slots=True)
class Mentioned:
    """A paper whose notes link to a page, with the sentence around the link."""

    __reduce__ = reduce_by_slots

    slug: str
    title: str
    excerpt: tuple[Shown, ...]
    """The sentence, its wikilinks and citations resolved as the note resolves them."""


@dataclass(frozen=True, slots=True)
class RelatedView:
    """A related paper as its page lists it."""

    __reduce__ = reduce_by_slots

    slug: str
    title: str
    year: int | None
    why: str
    """"2 mechanisms (HER2, EGFR) · 1 author (Rita Nahta) · linked"."""


@dataclass(frozen=True, slots=True)
class Cited:
    """A paper cited in notes: what the citation and the reference list show of it."""

    __reduce__ = reduce_by_slots

    slug: str
    who: str
    year: str
    reference_html: str
    """APA reference, HTML (escaped values)."""


@dataclass(frozen=True, slots=True)
class PaperRelations:
    """Everything a paper page shows of other papers."""

    __reduce__ = reduce_by_slots

    mentioned_in: tuple[Mentioned, ...] = ()
    related: tuple[RelatedView, ...] = ()
    cited: tuple[tuple[str, Cited | None], ...] = ()
    """(key as written, the cited paper or None), in order of first citation."""
