"""Related papers: the few papers that share most with one paper, and why.

A shared mechanism or author counts more the rarer it is (1 / log2(1 + papers it has)): two
papers both on a niche receptor say more than two papers that both mention "apoptosis". A link
between the two (a wikilink or citation either way) counts 3. Mechanisms and authors with more
than COMMON papers are too common to tell anything and are skipped, which also keeps this linear
in the size of the library. Ties go to the newer paper, then the slug: output is deterministic.
Pure: reads the joined graph only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from litweave.model import reduce_by_slots

LIMIT = 5
"""Related papers shown on a paper page."""
COMMON = 400
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
    return 1.0 / math.log2(1 + n)


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
    shared_m: dict[str, list[str]] = defaultdict(list)
    shared_a: dict[str, list[str]] = defaultdict(list)
    for group, index, shared, factor in (
        (mechanisms, mechanism_papers, shared_m, 1.0),
        (authors, author_papers, shared_a, AUTHOR_WEIGHT),
    ):
        for key in group:
            papers = index.get(key, ())
            if len(papers) > COMMON:
                continue
            w = factor * _weight(len(papers))
            for other in papers:
                if other != slug:
                    score[other] += w
                    shared[other].append(key)
    linked = {p for p in links if p != slug and p in year_of}
    for other in linked:
        score[other] += LINK_WEIGHT
    ranked = sorted(score, key=lambda p: (-round(score[p], 9), -(year_of.get(p) or 0), p))[:limit]
    return [
        Related(p, round(score[p], 6), tuple(shared_m.get(p, ())), tuple(shared_a.get(p, ())), p in linked)
        for p in ranked
    ]


@dataclass(frozen=True, slots=True)
class Mentioned:
    """A paper whose notes link to a page, with the sentence around the link."""

    __reduce__ = reduce_by_slots

    slug: str
    title: str
    sentence: str


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
