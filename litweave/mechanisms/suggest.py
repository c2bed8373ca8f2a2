"""Vocabulary discovery: abbreviations defined across the knowledge base that it does not know yet.

Discovery stage, pure: (paper slug, text) pairs and the current `Matcher` in, ranked `Candidate`s
out; `draft_page` turns one into the text of a draft mechanism page, which the CLI writes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from litweave.mechanisms.abbreviations import Definition, find_definitions
from litweave.mechanisms.matcher import Matcher

_GREEK_ASCII = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """An abbreviation defined in the knowledge base whose names are not in the vocabulary."""

    short: str
    long: str
    """The most frequent long form written for `short`; ties go to a lower-case start, then alphabetical."""
    papers: tuple[str, ...]
    """Slugs of the papers that define it, sorted."""
    example: str
    """A sentence that defines it with `long`."""


def suggest(texts: Sequence[tuple[str, str]], matcher: Matcher) -> list[Candidate]:
    """Candidates for new mechanisms, most widely defined first, then by short form.

    A definition is left out when its short form or its long form is already a name in the
    vocabulary, as the matcher would find it (the whole form is one mention).
    """
    by_short: dict[str, list[tuple[str, Definition]]] = {}
    for paper, text in texts:
        for d in find_definitions(text):
            if _known(d.short, matcher) or _known(d.long, matcher):
                continue
            by_short.setdefault(d.short, []).append((paper, d))
    candidates: list[Candidate] = []
    for short, uses in by_short.items():
        forms = Counter(_long_key(d.long) for _, d in uses)
        best_key = min(forms, key=lambda k: (-forms[k], k))
        spellings = Counter(d.long for _, d in uses if _long_key(d.long) == best_key)
        # a capital that only starts the sentence is not how the name is written
        long = min(spellings, key=lambda s: (-spellings[s], s[:1].isupper(), s))
        example = next(d for _, d in uses if d.long == long)
        papers = tuple(sorted({p for p, _ in uses}))
        candidates.append(Candidate(short, example.long, papers, example.sentence))
    return sorted(candidates, key=lambda c: (-len(c.papers), c.short.casefold(), c.short))


def _known(name: str, matcher: Matcher) -> bool:
    mentions = matcher.find(name)
    return len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(name)


def _long_key(long: str) -> str:
    return " ".join(long.casefold().replace("-", " ").split())


def draft_slug(short: str) -> str:
    """A lower-case ASCII slug for a short form: "TGF-β" → "tgf-beta", "HSP90" → "hsp90"."""
    text = "".join(_GREEK_ASCII.get(c, c) for c in short)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "draft"


def draft_page(candidate: Candidate) -> tuple[str, str]:
    """(slug, file text) of a draft mechanism page for `candidate`, with `kind: draft`."""
    meta = {"title": candidate.short, "aliases": [candidate.long], "kind": "draft"}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    n = len(candidate.papers)
    body = (
        f"Draft found by `litweave suggest`: {candidate.short} is defined as \u201c{candidate.long}\u201d "
        f"in {n} {'paper' if n == 1 else 'papers'}. Check the name, add aliases, choose a kind and "
        "replace this text with a description.\n\n"
        f"> {candidate.example}\n"
    )
    return draft_slug(candidate.short), f"---\n{front}---\n{body}"
