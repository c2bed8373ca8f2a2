"""Vocabulary discovery: abbreviations defined across the knowledge base that it does not know yet.

Discovery stage, pure: (paper slug, text) pairs and the current `Matcher` in, ranked `Candidate`s
out; `draft_page` turns one into the text of a draft mechanism page, which the CLI writes.

Not every abbreviation a paper defines could be a mechanism. Left out:
- long forms that name a disease, an outcome or statistic, a method, a study or an institution,
  told by their last word ("non-small cell lung cancer (NSCLC)", "progression-free survival (PFS)",
  "hazard ratio (HR)", "immunohistochemistry (IHC)", "World Health Organization (WHO)") or by
  their last two ("partial response (PR)");
- short forms without a capital or a digit ("mg/kg", "ns"), that is units and words;
- proper names: a long form of two or more capitalised words in a sentence that is otherwise
  written in lower case ("The Chemistry Development Kit (CDK): an open-source library",
  "Journal of Open Source Software (JOSS)"), which names software, a journal or a project;
- a modifier prefix before the name is cut off, and the candidate kept if the rest still spells
  the abbreviation: "anti-receptor binding domain (RBD)" becomes "receptor binding domain";
  a long form starting with a function word ("the", "and", "of") loses it the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from litweave.frontmatter import render_page
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
        for found in find_definitions(text):
            d = _cleaned(found)
            if d is None or _known(d.short, matcher) or _known(d.long, matcher):
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


# Last words of long forms that are no mechanism: diseases, outcomes and statistics, methods,
# studies, institutions.
_NOT_MECHANISM_HEADS = frozenset(
    """cancer cancers carcinoma carcinomas tumor tumors tumour tumours lymphoma leukemia leukaemia
    melanoma sarcoma myeloma glioma glioblastoma neoplasm neoplasms disease diseases syndrome
    survival ratio ratios interval intervals rate rates index indices event events score scores
    deviation error mean median range curve characteristic value values probability
    trial trials study studies cohort analysis analyses assay assays test tests scale criteria
    imaging tomography sequencing hybridization hybridisation reaction immunohistochemistry
    cytometry chromatography spectrometry microscopy blot blotting ultrasound radiotherapy
    organization organisation administration network institute society group consortium centre center
    guideline guidelines status population patients trauma injury injuries stroke infection infections
    disorder disorders failure treatment treatments surgery catheter catheters device devices home
    hospital unit residents software library journal project mission regression""".split()
)
_NOT_MECHANISM_TAILS = frozenset(
    {"complete response", "partial response", "objective response", "pathological response", "overall response"}
)
_LEAD_WORDS = frozenset("the a an and or of in on with by for to from as at".split())
_PREFIX = re.compile(r"^(?:anti|pro|non|pan|pre|post|co|de|re|un|over|under|self|semi|multi)-", re.IGNORECASE)


def _cleaned(d: Definition) -> Definition | None:
    """The definition with a modifier prefix or a leading function word cut off its long form, or
    None when it cannot name a mechanism."""
    if not any(c.isupper() or c.isdigit() for c in d.short):
        return None
    long = d.long
    while True:
        first, _, rest = long.partition(" ")
        if first.casefold() in _LEAD_WORDS and rest:
            long = rest
        elif _PREFIX.match(long) and _spells(d.short, _PREFIX.sub("", long, count=1)):
            long = _PREFIX.sub("", long, count=1)
        else:
            break
    if not _spells(d.short, long) or _proper_name(long, d.sentence):
        return None
    words = long.casefold().replace("-", " ").split()
    if words[-1] in _NOT_MECHANISM_HEADS or " ".join(words[-2:]) in _NOT_MECHANISM_TAILS:
        return None
    return d if long == d.long else Definition(d.short, long, d.sentence)


def _proper_name(long: str, sentence: str) -> bool:
    """Whether `long` is written as a proper name, capitalised where the sentence is not."""
    capitalised = [w for w in long.split() if len(w) > 3]
    if len(capitalised) < 2 or not all(w[0].isupper() for w in capitalised):
        return False
    rest = [w for w in sentence.replace(long, " ").split() if len(w) > 3 and w[0].isalpha()]
    return bool(rest) and sum(w[0].islower() for w in rest) * 2 > len(rest)


def _spells(short: str, long: str) -> bool:
    """Whether the letters and digits of `short` appear in order in `long`, the first one starting it."""
    chars = [c.casefold() for c in short if c.isalnum()]
    if not chars or not long or long[0].casefold() != chars[0]:
        return False
    at = 0
    text = long.casefold()
    for c in chars:
        at = text.find(c, at)
        if at < 0:
            return False
        at += 1
    return True


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
    n = len(candidate.papers)
    body = (
        f"Draft found by `litweave suggest`: {candidate.short} is defined as \u201c{candidate.long}\u201d "
        f"in {n} {'paper' if n == 1 else 'papers'}. Check the name, add aliases, choose a kind and "
        "replace this text with a description.\n\n"
        f"> {candidate.example}\n"
    )
    return draft_slug(candidate.short), render_page(meta, body)
