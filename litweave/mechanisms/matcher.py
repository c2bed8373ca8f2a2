"""The one-pass matcher: a checked vocabulary compiled once, mentions found in one regex scan.

Stage 1 turns a mechanism `Page` into a `Mechanism` (`mechanism_from_page`); stage 2 checks the
whole vocabulary for clashes (`check_vocabulary`), compiles it once (`build_matcher`) and finds
`Mention`s in each text with a single regex scan (`Matcher.find`). Pure: no I/O.

Matching rules, chosen for how the field writes these names:
- Case. A term is matched case-insensitively when it contains a run of five or more lower-case
  letters ("trastuzumab", "insulin-like growth factor-I receptor", "apoptosis"): such words are
  capitalised at the start of a sentence or in a title. Every other term (acronyms and short
  names: "HER2", "ER", "MET", "neu", "Akt", "mTOR", "p21") is matched exactly as written, so
  "her" is never HER2 and "met the criteria" is never MET; a variant spelling such as "Akt" is
  listed as an alias of its own.
- Boundaries. A mention may not touch a letter or digit on either side, but hyphens, slashes and
  punctuation separate: "HER2-overexpressing", "anti-HER2" and "PI3K/Akt" (PI3K and AKT) match,
  "neu" inside "neuron" does not. A name followed by "-like" is a different thing ("insulin-like").
- Separators. In case-insensitive names a space, a hyphen and an en dash are interchangeable
  ("insulin-like growth factor I receptor" = "insulin-like growth factor-I receptor",
  "epithelial–mesenchymal transition" = "epithelial-mesenchymal transition").
- Longest match wins, so "insulin-like growth factor-I receptor" is IGF-IR only and "IGF-IR" is
  never IGF-I; mentions never overlap.
- Greek letters. A term written with α β γ δ κ also matches the letter spelled out, with or
  without a hyphen or space before it: "PI3Kα", "PI3K-alpha", "PI3Kalpha"; "TGF-β", "TGF-beta",
  "TGFβ", "TGF beta".
- Plurals. Case-insensitive names take a plural "s" ("receptors"); acronyms take one only when
  they end in "R" or "K" after at least two other characters ("EGFRs", "RTKs", "CDKs"), which
  keeps "METs" and "ERs" out.
- Number series. A case-sensitive name ending in a number and followed by "/" and another number
  also names the sibling when that is in the vocabulary: "CDK4/6" is CDK4 and CDK6 ("6" is the
  second mention), "BRCA1/2" is BRCA1 and BRCA2, "FGFR1/2/3" is three. Names that are themselves written with a slash
  ("ERK1/2", "MEK1/2") match whole first.
- Shields. A few fixed phrases that contain a vocabulary name but mean something else
  ("PR interval", "ER lumen", "partial response (PR)", "MET-hours", "N-Myc", "p21-activated
  kinase") are matched first and then dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from litweave.mechanisms.terms import (
    SEP_CLASS,
    SEP_RUN,
    SERIES,
    SHIELDS,
    TRAILING_NUMBER,
    fold_name,
    greek_variants,
    insensitive_key,
    is_case_insensitive,
    takes_plural,
)
from litweave.model import Mechanism, Mention


@dataclass(frozen=True, slots=True)
class Matcher:
    """A compiled vocabulary: one regex proposes candidates, two dictionaries decide them.

    The regex is a case-folded trie of every term, so one scan of the text finds the longest
    candidate at each word start; the candidate is then looked up exactly (case-sensitive terms)
    or folded (case-insensitive terms). A candidate that fails the lookup because of its case is
    retried shorter at the same place.
    """

    pattern: re.Pattern[str]
    exact: Mapping[str, str]
    """Case-sensitive term as written → slug ("" for a shield phrase)."""
    folded: Mapping[str, str]
    """Case-insensitive term, folded by `insensitive_key` → slug ("" for a shield phrase)."""
    names: Mapping[str, str]
    """Every title, alias and slug folded by `fold_name` → slug, for front-matter overrides."""
    titles: Mapping[str, str]
    """Slug → title."""

    def find(self, text: str) -> list[Mention]:
        """Every mention in `text`, sorted by start, non-overlapping, longest first."""
        mentions: list[Mention] = []
        search = self.pattern.search
        pos = 0
        n = len(text)
        while pos < n:
            m = search(text, pos)
            if m is None:
                break
            start, end = m.span()
            slug = self._resolve(text[start:end])
            while slug is None and end > start:
                end = self._shorter(text, start, end)
                slug = self._resolve(text[start:end]) if end > start else None
            if slug is None:
                pos = start + 1
                continue
            if slug:
                mentions.append(Mention(slug, start, end, text[start:end]))
                name = text[start:end]
                while (sibling := self._series(text, name, end)) is not None:
                    mentions.append(sibling)
                    end = sibling.end
            pos = end
        return mentions

    def slugs(self, text: str) -> list[str]:
        """The distinct mechanisms mentioned in `text`, in order of first mention."""
        return list(dict.fromkeys(m.mechanism for m in self.find(text)))

    def _resolve(self, span: str) -> str | None:
        slug = self.exact.get(span)
        if slug is None:
            slug = self.folded.get(insensitive_key(span))
        return slug

    def _series(self, text: str, name: str, pos: int) -> Mention | None:
        """The sibling of `name` (a case-sensitive name ending in a number) named by "/<number>" at `pos`."""
        stem = TRAILING_NUMBER.sub("", name)
        if stem == name or name not in self.exact:
            return None
        m = SERIES.match(text, pos)
        if m is None:
            return None
        slug = self.exact.get(stem + m.group(1))
        if not slug:
            return None
        return Mention(slug, m.start(1), m.end(1), m.group(1))

    def _shorter(self, text: str, start: int, end: int) -> int:
        """End of the next shorter candidate at `start` that ends at a word boundary, or `start`."""
        while end - 1 > start:
            m = self.pattern.match(text, start, end - 1)
            if m is None:
                return start
            end = m.end()
            if end >= len(text) or not _is_word_char(text[end]):
                return end
        return start


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _terms(mech: Mechanism) -> Iterable[str]:
    yield mech.title
    yield from mech.aliases


def build_matcher(mechs: Sequence[Mechanism]) -> Matcher:
    """Compile the vocabulary (already checked by `check_vocabulary`) into a `Matcher`."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    names: dict[str, str] = {}
    titles: dict[str, str] = {}
    trie_keys: set[str] = set()

    def add(term: str, slug: str) -> None:
        term = unicodedata.normalize("NFC", term.strip())
        if not term:
            return
        insensitive = is_case_insensitive(term)
        for variant in greek_variants(term):
            forms = [variant]
            if takes_plural(variant, insensitive):
                forms.append(variant + "s")
            for form in forms:
                if insensitive:
                    folded.setdefault(insensitive_key(form), slug)
                else:
                    exact.setdefault(form, slug)
                trie_keys.add(SEP_RUN.sub(" ", form.casefold()))

    for mech in sorted(mechs, key=lambda m: m.slug):
        titles[mech.slug] = mech.title
        names.setdefault(fold_name(mech.slug), mech.slug)
        for term in _terms(mech):
            names.setdefault(fold_name(term), mech.slug)
            add(term, mech.slug)
    for shield in SHIELDS:
        add(shield, "")

    body = _trie_regex(sorted(trie_keys)) if trie_keys else "(?!)"
    pattern = re.compile(r"(?<![^\W_])(?:" + body + r")(?![^\W_])(?![\-\u2010\u2011]like(?![^\W_]))", re.IGNORECASE)
    return Matcher(pattern=pattern, exact=exact, folded=folded, names=names, titles=titles)


def _trie_regex(keys: Sequence[str]) -> str:
    """A regex matching exactly `keys`, factored as a trie so the scan does not try each in turn.

    Siblings start with different characters, so at most one can match; a key that ends inside
    another is an optional (greedy) tail, so at one start the longest key that ends at a word
    boundary wins. A space in a key matches any one separator (space, hyphen, no-break space).
    """
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: dict[str, dict]) -> str:
    ends_here = "" in node
    children = [(ch, child) for ch, child in node.items() if ch]
    if not children:
        return ""
    parts = []
    for ch, child in sorted(children, key=lambda c: c[0]):
        atom = SEP_CLASS if ch == " " else re.escape(ch)
        parts.append(atom + _node_regex(child))
    inner = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if ends_here:
        return "(?:" + inner + ")?" if len(parts) == 1 else inner + "?"
    return inner
