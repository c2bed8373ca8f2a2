"""Mechanism vocabulary and detection: pages in, a checked vocabulary and a one-pass matcher out.

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

import itertools
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from litweave.model import Diagnostic, Mechanism, Mention, Page

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
_SEPARATORS = " -\u00a0\u2010\u2011\u2013"
_SEP_CLASS = "[ \\-\u00a0\u2010\u2011\u2013]"
_SEP_RUN = re.compile(_SEP_CLASS + "+")
_LOWER_RUN = re.compile(r"[a-z]{5}")

# Phrases that contain a vocabulary acronym but name something else; matched, then discarded.
_SHIELDS = (
    "PR interval",
    "PR intervals",
    "PR segment",
    "partial response (PR)",
    "partial responses (PR)",
    "ER lumen",
    "ER membrane",
    "ER membranes",
    "ER-Golgi",
    "ER to Golgi",
    "ER-associated degradation",
    "ER-phagy",
    "rough ER",
    "smooth ER",
    # MET as metabolic equivalent of task (physical activity) or mesenchymal-epithelial transition
    "MET-hours",
    "MET-hour",
    "MET-h",
    "MET-minutes",
    "MET-min",
    "mesenchymal-epithelial transition (MET)",
    "mesenchymal-to-epithelial transition (MET)",
    # paralogues and other proteins named after a vocabulary entry
    "N-Myc",
    "N-MYC",
    "L-Myc",
    "L-MYC",
    "p21-activated kinase",
    "TNF-related apoptosis-inducing ligand",
    "pyruvate dehydrogenase kinase 1 (PDK1)",
)
_SERIES = re.compile(r"/(\d+)(?![^\W_])")
_TRAILING_NUMBER = re.compile(r"\d+$")


def _is_case_insensitive(term: str) -> bool:
    return _LOWER_RUN.search(term) is not None


def _takes_plural(term: str, insensitive: bool) -> bool:
    if insensitive:
        return term[-1:].isalpha() and not term.endswith("s")
    return len(term) >= 3 and term[-1] in "RK"


def _greek_variants(term: str) -> list[str]:
    """Spell each Greek letter out and vary the separator before it; the term itself first."""
    pieces = re.split("([" + "".join(_GREEK) + "])", term)
    if len(pieces) == 1:
        return [term]
    options: list[list[str]] = [[pieces[0]]]
    for i in range(1, len(pieces), 2):
        letter, tail = pieces[i], pieces[i + 1]
        before = options[-1]
        seps: tuple[str, ...] = ("",)
        if before[0][-1:] in ("-", " ") or before[0][-1:].isalnum():
            options[-1] = [before[0].rstrip("- ")]
            seps = ("-", "", " ") if before[0][-1:] == "-" else ("", "-", " ")
        options.append([sep + spelled for sep in seps for spelled in (letter, _GREEK[letter])])
        options.append([tail])
    return list(dict.fromkeys("".join(combo) for combo in itertools.product(*options)))


def _insensitive_key(text: str) -> str:
    return _SEP_RUN.sub(" ", text.casefold())


def _fold(text: str) -> str:
    """Key for looking a name up by hand (front-matter overrides): case and separators folded."""
    return _insensitive_key(unicodedata.normalize("NFC", text).strip())


# --- pages to mechanisms -------------------------------------------------------------------------


def mechanism_from_page(page: Page) -> tuple[Mechanism | None, list[Diagnostic]]:
    """Validate one mechanism page; an empty title makes it unusable (None and an error)."""
    file = str(page.path)
    diags: list[Diagnostic] = []
    title = page.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        diags.append(Diagnostic("warning", "mechanism page has no title; it is left out of the vocabulary", file))
        return None, diags
    raw_aliases = page.meta.get("aliases") or []
    if isinstance(raw_aliases, str):
        raw_aliases = [raw_aliases]
    aliases: list[str] = []
    if not isinstance(raw_aliases, list):
        diags.append(Diagnostic("warning", "'aliases' should be a list of names; ignored", file))
        raw_aliases = []
    for alias in raw_aliases:
        if isinstance(alias, str) and alias.strip():
            aliases.append(alias.strip())
        else:
            diags.append(Diagnostic("warning", f"alias {alias!r} is not a name (a string); ignored", file))
    kind = page.meta.get("kind") or ""
    if not isinstance(kind, str):
        diags.append(Diagnostic("warning", "'kind' should be a word such as receptor or drug; ignored", file))
        kind = ""
    raw_ids = page.meta.get("identifiers") or {}
    identifiers: list[tuple[str, str]] = []
    if isinstance(raw_ids, Mapping):
        for scheme, ident in raw_ids.items():
            if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
                identifiers.append((str(scheme), str(ident).strip()))
            else:
                diags.append(Diagnostic("warning", f"identifier {scheme}: {ident!r} is not a single id; ignored", file))
    else:
        diags.append(Diagnostic("warning", "'identifiers' should be a mapping such as {HGNC: ERBB2}; ignored", file))
    mech = Mechanism(
        slug=page.slug,
        title=title.strip(),
        aliases=tuple(aliases),
        kind=kind.strip(),
        identifiers=tuple(sorted(identifiers)),
        description=page.body,
        file=file,
    )
    return mech, diags


def check_vocabulary(mechs: Sequence[Mechanism]) -> tuple[list[Mechanism], list[Diagnostic]]:
    """Drop duplicate and shared names so that every term belongs to exactly one mechanism.

    A name repeated within one page is kept once (warning). A name claimed by two mechanisms stays
    with the one whose title it is; when it is the title of both, or of neither, it stays with the
    alphabetically first slug. The loser keeps its other names (warning naming both files). Names
    are compared as the matcher compares them, so "HER2" and "her2" are different names but
    "Apoptosis" and "apoptosis" are the same one.
    """
    diags: list[Diagnostic] = []
    ordered = sorted(mechs, key=lambda m: m.slug)
    seen_slugs: dict[str, Mechanism] = {}
    unique: list[Mechanism] = []
    for m in ordered:
        if m.slug in seen_slugs:
            diags.append(
                Diagnostic(
                    "warning",
                    f"mechanism slug {m.slug!r} is also used by {seen_slugs[m.slug].file}; this page is left out",
                    m.file,
                )
            )
            continue
        seen_slugs[m.slug] = m
        unique.append(m)

    claims: dict[str, list[Mechanism]] = {}
    for m in unique:
        own: set[str] = set()
        for name in (m.title, *m.aliases):
            key = _name_key(name)
            if key in own:
                diags.append(Diagnostic("warning", f"alias {name!r} repeats another name of this mechanism", m.file))
                continue
            own.add(key)
            claims.setdefault(key, []).append(m)

    lost: dict[str, set[str]] = {}
    for key, owners in claims.items():
        if len(owners) < 2:
            continue
        titled = [m for m in owners if _name_key(m.title) == key]
        winner = min(titled or owners, key=lambda m: m.slug)
        for m in owners:
            if m is winner:
                continue
            lost.setdefault(m.slug, set()).add(key)
            diags.append(
                Diagnostic(
                    "warning",
                    f"name {key!r} is claimed by both {winner.file} and {m.file}; it stays with "
                    f"{winner.slug!r} ({'its title' if titled else 'first slug'})",
                    m.file,
                )
            )

    result: list[Mechanism] = []
    for m in unique:
        dropped = lost.get(m.slug, set())
        kept: list[str] = []
        keys: set[str] = {_name_key(m.title)}
        for alias in m.aliases:
            key = _name_key(alias)
            if key in keys or key in dropped:
                continue
            keys.add(key)
            kept.append(alias)
        result.append(_replace_aliases(m, tuple(kept)))
    return result, diags


def _name_key(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    return _insensitive_key(name) if _is_case_insensitive(name) else name


def _replace_aliases(m: Mechanism, aliases: tuple[str, ...]) -> Mechanism:
    if aliases == m.aliases:
        return m
    return Mechanism(m.slug, m.title, aliases, m.kind, m.identifiers, m.description, m.file)


# --- the matcher ---------------------------------------------------------------------------------


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
    """Case-insensitive term, folded by `_insensitive_key` → slug ("" for a shield phrase)."""
    names: Mapping[str, str]
    """Every title, alias and slug folded by `_fold` → slug, for front-matter overrides."""
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
            slug = self.folded.get(_insensitive_key(span))
        return slug

    def _series(self, text: str, name: str, pos: int) -> Mention | None:
        """The sibling of `name` (a case-sensitive name ending in a number) named by "/<number>" at `pos`."""
        stem = _TRAILING_NUMBER.sub("", name)
        if stem == name or name not in self.exact:
            return None
        m = _SERIES.match(text, pos)
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
        insensitive = _is_case_insensitive(term)
        for variant in _greek_variants(term):
            forms = [variant]
            if _takes_plural(variant, insensitive):
                forms.append(variant + "s")
            for form in forms:
                if insensitive:
                    folded.setdefault(_insensitive_key(form), slug)
                else:
                    exact.setdefault(form, slug)
                trie_keys.add(_SEP_RUN.sub(" ", form.casefold()))

    for mech in sorted(mechs, key=lambda m: m.slug):
        titles[mech.slug] = mech.title
        names.setdefault(_fold(mech.slug), mech.slug)
        for term in _terms(mech):
            names.setdefault(_fold(term), mech.slug)
            add(term, mech.slug)
    for shield in _SHIELDS:
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
        atom = _SEP_CLASS if ch == " " else re.escape(ch)
        parts.append(atom + _node_regex(child))
    inner = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if ends_here:
        return "(?:" + inner + ")?" if len(parts) == 1 else inner + "?"
    return inner


# --- overrides, context, identifiers -------------------------------------------------------------


def apply_overrides(
    detected: Sequence[str],
    added: Sequence[str],
    removed: Sequence[str],
    matcher: Matcher,
    *,
    file: str = "",
) -> tuple[list[str], list[Diagnostic]]:
    """Slugs of a paper after its front matter's `mechanisms:` (added) and `not_mechanisms:` (removed).

    Names are resolved by slug, title or alias, ignoring case and hyphens; removal wins over
    addition. Unknown names are reported (warning) and otherwise ignored. Order: detected first,
    then added, each once.
    """
    diags: list[Diagnostic] = []

    def resolve(names: Sequence[str], key: str) -> list[str]:
        slugs: list[str] = []
        for name in names:
            slug = matcher.names.get(_fold(str(name)))
            if slug is None:
                diags.append(
                    Diagnostic(
                        "warning", f"{key}: {name!r} is not a known mechanism (no title, alias or slug matches)", file
                    )
                )
            else:
                slugs.append(slug)
        return slugs

    plus = resolve(added, "mechanisms")
    minus = set(resolve(removed, "not_mechanisms"))
    result = [s for s in dict.fromkeys([*detected, *plus]) if s not in minus]
    return result, diags


_ABBREVIATIONS = {
    "al",
    "e.g",
    "i.e",
    "fig",
    "figs",
    "vs",
    "cf",
    "approx",
    "ca",
    "dr",
    "no",
    "nos",
    "ref",
    "refs",
    "eq",
    "eqs",
    "etc",
    "resp",
    "vol",
    "pp",
    "p",
    "st",
    "mr",
    "ms",
    "prof",
    "inc",
    "ltd",
    "co",
    "sp",
    "spp",
    "var",
    "subsp",
    "jr",
    "sr",
    "tab",
    "suppl",
    "u.s",
    "min",
    "max",
    "mol",
    "wt",
    "b.i.d",
}
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u0391-\u03a9])|\n\s*\n")


def _sentence_breaks(text: str) -> list[int]:
    """Offsets where a new sentence starts (after the break's whitespace)."""
    breaks: list[int] = []
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            word = re.search(r"([\w.]+)\.$", text[max(0, m.start() - 12) : m.start() + 1])
            if word and word.group(1).casefold() in _ABBREVIATIONS:
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue  # an initial: "R. Nahta"
        end = m.end()
        while end < len(text) and text[end].isspace():
            end += 1
        breaks.append(end)
    return breaks


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, by the rules of `sentence_around`; blanks skipped."""
    spans: list[tuple[int, int]] = []
    s = 0
    for b in [*_sentence_breaks(text), len(text)]:
        chunk = text[s:b]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((s + lead, s + len(chunk.rstrip())))
        s = b
    return spans


def sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence holding text[start:end], and that span's offsets inside the sentence.

    Sentences end at . ! ? followed by space and a capital or digit, or at a blank line; not after
    "et al.", "e.g.", "Fig." and similar, nor inside decimals ("2.5").
    """
    s, e = 0, len(text)
    for b in _sentence_breaks(text):
        if b <= start:
            s = b
        elif b >= end:
            e = b
            break
    sentence = text[s:e].rstrip()
    lead = len(sentence) - len(sentence.lstrip())
    sentence = sentence.lstrip()
    offset = s + lead
    return sentence, start - offset, end - offset


_ID_URLS: dict[str, tuple[re.Pattern[str], str]] = {
    "hgnc": (re.compile(r"(HGNC:)?\d+"), "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{id}"),
    "hgnc-symbol": (
        re.compile(r"[A-Z0-9][A-Za-z0-9\-@._]*"),
        "https://www.genenames.org/data/gene-symbol-report/#!/symbol/{id}",
    ),
    "uniprot": (
        re.compile(r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2}"),
        "https://www.uniprot.org/uniprotkb/{id}/entry",
    ),
    "chebi": (re.compile(r"(CHEBI:)?\d+", re.IGNORECASE), "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{id}"),
    "drugbank": (re.compile(r"DB\d{5}"), "https://go.drugbank.com/drugs/{id}"),
    "mesh": (re.compile(r"[DC]\d{6,9}"), "https://meshb.nlm.nih.gov/record/ui?ui={id}"),
    "ncbi gene": (re.compile(r"\d+"), "https://www.ncbi.nlm.nih.gov/gene/{id}"),
    "chembl": (re.compile(r"CHEMBL\d+"), "https://www.ebi.ac.uk/chembl/explore/compound/{id}"),
}
_SCHEME_ALIASES = {"ncbigene": "ncbi gene", "entrez": "ncbi gene", "entrez gene": "ncbi gene", "gene": "ncbi gene"}


def identifier_url(scheme: str, ident: str) -> str | None:
    """The resolver URL for an identifier, or None for an unknown scheme or a malformed id.

    Schemes (any case): HGNC (symbol or numeric id), UniProt, ChEBI, DrugBank, MeSH, NCBI Gene,
    ChEMBL.
    """
    key = " ".join(scheme.casefold().replace("_", " ").split())
    key = _SCHEME_ALIASES.get(key, key)
    ident = ident.strip()
    if key == "hgnc" and not _ID_URLS["hgnc"][0].fullmatch(ident):
        key = "hgnc-symbol"
    entry = _ID_URLS.get(key)
    if entry is None or not entry[0].fullmatch(ident):
        return None
    if key in ("hgnc", "chebi"):
        ident = ident.split(":")[-1]
    return entry[1].format(id=urllib.parse.quote(ident, safe=""))
