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

from litweave.mechanisms.coordination import Families, build_families
from litweave.mechanisms.terms import (
    CAPITALS_WORD,
    EVERYDAY_WORDS,
    NAMED_AFTER,
    ORGANISM_AFTER,
    SEP_CLASS,
    SEP_RUN,
    SHIELDS,
    abbreviated_splits,
    case_variants,
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
    families: Families
    """Families ("MMP", "caspase", "VEGF") for coordinated members ("MMP-2 and -9", "VEGF-A and -C")."""
    abbreviated: Mapping[str, tuple[tuple[str, str, str], ...]]
    """First words of a long name, folded → (their abbreviation, the rest folded, slug), for a name
    written with the abbreviation inside it: "endoplasmic reticulum (ER) stress"."""

    def find(self, text: str) -> list[Mention]:
        """Every mention in `text`, sorted by start, longest first; mentions never overlap, except
        the members a range names ("FGFR1–4"), which share the span of its last number."""
        mentions: list[Mention] = []
        search = self.pattern.search
        pos = 0
        n = len(text)
        while pos < n:
            m = search(text, pos)
            if m is None:
                break
            start, end = m.span()
            slug = None
            if text.startswith(" (", end):
                slug, end = self._abbreviated(text, start, end)
            if slug is None:
                slug = self._resolve(text[start:end])
            while slug is None and end > start:
                listed = self._listed(text, start, end)
                if listed:
                    mentions.extend(listed)
                    end = listed[-1].end
                    break
                end = self._shorter(text, start, end)
                slug = self._resolve(text[start:end]) if end > start else None
            if end == start:
                pos = start + 1
                continue
            if slug and not _namesake(text, start, end) and not self._everyday_word(text, start, end):
                name = text[start:end]
                if name[-1] == "s" and _RECEPTORS.search(name):
                    self._share_receptors(text, mentions, start)
                elif "-" in name and text.endswith(("and ", "or "), 0, start):
                    mentions.extend(self._suspended(text, name, start, mentions[-1].end if mentions else 0))
                mentions.append(Mention(slug, start, end, name))
                mentions.extend(self._coordinated(text, name, end))
                end = mentions[-1].end
            pos = end
        return mentions

    def slugs(self, text: str) -> list[str]:
        """The distinct mechanisms mentioned in `text`, in order of first mention."""
        return list(dict.fromkeys(m.mechanism for m in self.find(text)))

    def _resolve(self, span: str) -> str | None:
        slug = self.exact.get(span)
        if slug is None:
            slug = self.folded.get(insensitive_key(span))
            if slug is None and _ODD_HYPHENS.search(span):
                slug = self.exact.get(_ODD_HYPHENS.sub("-", span))
        return slug

    def _abbreviated(self, text: str, start: int, end: int) -> tuple[str | None, int]:
        """(slug, end) of a long name with an abbreviation inside at `start` ("endoplasmic
        reticulum (ER) stress"), or (None, `end`)."""
        for abbreviation, rest, slug in self.abbreviated.get(insensitive_key(text[start:end]), ()):
            at = end + 2 + len(abbreviation) + 2
            if text.startswith(abbreviation + ") ", end + 2) and insensitive_key(text[at : at + len(rest)]) == rest:
                if not _is_word_char(text[at + len(rest) : at + len(rest) + 1] or " "):
                    return slug, at + len(rest)
        return None, end

    def _everyday_word(self, text: str, start: int, end: int) -> bool:
        """Whether the name at text[start:end] is the everyday word ("MET", "KIT") in capitals text."""
        if text[start:end] not in EVERYDAY_WORDS or text[start - 1 : start] != " ":
            return False
        before = text[max(0, start - 40) : start - 1].rsplit(" ", 1)[-1]
        if not CAPITALS_WORD.fullmatch(before) or self._resolve(before):
            return False
        after = text[end + 1 : end + 41].split(" ", 1)[0] if text[end : end + 1] == " " else ""
        return any(c.isdigit() for c in before) or (CAPITALS_WORD.fullmatch(after) is not None)

    def _suspended(self, text: str, name: str, start: int, after: int) -> list[Mention]:
        """Prefixes left hanging before the name, each with the name's stem: "K-, N- and H-Ras"."""
        m = _SUSPENDED.search(text, max(after, start - 60), start)
        if m is None:
            return []
        stem = name.partition("-")[2]
        found = []
        for prefix in _HANGING.finditer(text, m.start(), m.end()):
            slug = self._resolve(prefix.group(1) + "-" + stem)
            if slug:
                found.append(Mention(slug, prefix.start(1), prefix.end(1), prefix.group(1)))
        return found

    def _share_receptors(self, text: str, mentions: list[Mention], start: int) -> None:
        """The word before "and" names a receptor too, when "<word> receptor" is a name: "the insulin
        and IGF-I receptors", "estrogen and progesterone receptors". A mention of the word alone
        ("insulin") is replaced by the receptor."""
        m = _BEFORE_AND.search(text, max(0, start - 60), start)
        if m is None:
            return
        slug = self._resolve(m.group(1) + " receptor")
        if not slug:
            return
        if mentions and mentions[-1].start == m.start(1) and mentions[-1].end == m.end(1):
            mentions.pop()
        mentions.append(Mention(slug, m.start(1), m.end(1), m.group(1)))

    def _listed(self, text: str, start: int, end: int) -> list[Mention]:
        """Members listed after a family head at text[start:end] ("caspases 3 and 7"), if it is one."""
        head = self.families.head(text[start:end])
        return self.families.listed(head, text, start, end) if head is not None else []

    def _coordinated(self, text: str, name: str, end: int) -> list[Mention]:
        """The other members of `name`'s family listed right after it ("CDK4/6", "MMP-2 and -9")."""
        after = text[end : end + 2]
        if after[:1] not in _LIST_START or (after[:1] == " " and after[1:] not in _LIST_AFTER_SPACE):
            return []
        name = _ODD_HYPHENS.sub("-", name)
        found = self.families.of_name(name, name in self.exact)
        if found is None:
            return []
        family, own = found
        return self.families.following(family, text, end, own, plural=False)

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


# Quick gates before a regex: NAMED_AFTER's first words start so, and a list of
# members starts with one of these characters ("/6", " and -9", ", -8", "–4", "-3").
_NAMED_AFTER_START = frozenset({"hom", "bin", "int", "ass", "rec", "tag"})
_LIST_START = frozenset(" ,/-\u2010\u2011\u2013")
_LIST_AFTER_SPACE = frozenset("ao&,/\u2013")
_RECEPTORS = re.compile(r"[ \-]receptors\Z", re.IGNORECASE)


_SUSPENDED = re.compile(r"(?<![^\W_])(?:[^\W_]{1,6}-(?:,\s?|\s)){1,5}(?:and|or)\s\Z")
"""Hanging prefixes before "and"/"or" that end where the text is cut: "K-, N- and "."""
_HANGING = re.compile(r"(?<![^\W_])([^\W_]{1,6})-")
_BEFORE_AND = re.compile(r"(?<![^\W_])([^\W_][\w\-\u2010\u2011]*)(?:,\s|\s(?:and|or|&)\s|/)\Z")
"""The word before "and", "or", "," or "/" that ends where the text is cut."""
_ODD_HYPHENS = re.compile("[\u2010\u2011]")
"""Unicode hyphens, read as "-" in names matched as written ("HIF\u20111α", "NF\u2010κB")."""


def _namesake(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] only names another thing: a domain or protein named
    after it ("Src homology 2", "Ras-binding domain"), or an organism ("hedgehog (Erinaceus
    europaeus)")."""
    if text[end + 1 : end + 4].lower() in _NAMED_AFTER_START and NAMED_AFTER.match(text, end):
        return True
    if text.find("(", end, end + 40) < 0:
        return False
    name = text[start:end]
    return name.isalpha() and not name.isupper() and ORGANISM_AFTER.match(text, end) is not None


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
    forms: list[tuple[str, str]] = []

    def add(term: str, slug: str, variants: bool = True) -> None:
        term = unicodedata.normalize("NFC", term.strip())
        if not term:
            return
        insensitive = is_case_insensitive(term)
        for variant in greek_variants(term) if variants else [term]:
            for form in [variant, variant + "s"] if takes_plural(variant, insensitive) else [variant]:
                if insensitive:
                    folded.setdefault(insensitive_key(form), slug)
                else:
                    exact.setdefault(form, slug)
                trie_keys.add(SEP_RUN.sub(" ", form.casefold()))
                if slug and variants:
                    forms.append((form, slug))

    mechs = sorted(mechs, key=lambda m: m.slug)
    for mech in mechs:
        titles[mech.slug] = mech.title
        names.setdefault(fold_name(mech.slug), mech.slug)
        for term in _terms(mech):
            names.setdefault(fold_name(term), mech.slug)
            add(term, mech.slug)
    for shield in SHIELDS:
        add(shield, "")
    # after every name as written, so that a written name always wins over a generated form
    abbreviated: dict[str, list[tuple[str, str, str]]] = {}
    for form, slug in list(forms):
        for variant in case_variants(form):
            add(variant, slug, variants=False)
        for first, abbreviation, rest in abbreviated_splits(form):
            abbreviated.setdefault(insensitive_key(first), []).append((abbreviation, insensitive_key(rest), slug))
            trie_keys.add(insensitive_key(first))
    families = build_families(forms)
    trie_keys.update(families.trie_keys())

    body = _trie_regex(sorted(trie_keys)) if trie_keys else "(?!)"
    pattern = re.compile(r"(?<![^\W_])(?:" + body + r")" + _AFTER_NAME, re.IGNORECASE)
    return Matcher(pattern, exact, folded, names, titles, families, {k: tuple(v) for k, v in abbreviated.items()})


# A name ends at a non-word character, or before the marker levels of flow cytometry
# ("CD44high/CD24low", "CD8hi"); a name followed by "-like" is a different thing ("insulin-like").
_AFTER_NAME = (
    r"(?!(?!(?:high|low|hi|lo|dim|bright)(?![^\W_]))[^\W_])"
    r"(?![\-\u2010\u2011]like(?![^\W_]))"
)


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
