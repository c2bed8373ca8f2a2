"""Author names: parse what records and readers write, format it back, and key it for matching.

Pure: no I/O. `parse_name` and `format_name` round-trip, so a name written into front matter
reads back as the same Person. `author_key` folds case and diacritics so that "Nahta, Rita",
"Rita Nahta" and "RITA NAHTA" meet, while display keeps the name as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from litweave.model import Person

_PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "di",
    "del",
    "della",
    "la",
    "le",
    "du",
    "dos",
    "ter",
    "ten",
    "bin",
    "al",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


_MEDLINE_INITIALS = re.compile(r"[A-Z]{1,3}")


def parse_name(text: str) -> Person:
    """Parse "Family, Given", "Family, Suffix, Given", "Given Family" (particles join the family)
    or PubMed's "Family GI"."""
    text = " ".join(text.split())
    if not text:
        return Person()
    if text.startswith("{") and text.endswith("}"):
        return Person(literal=text[1:-1].strip())
    if "," in text:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) >= 3:
            return Person(family=parts[0], suffix=parts[1], given=", ".join(parts[2:]))
        if parts[1].lower() in _SUFFIXES:  # "Given Family, Jr."
            inner = parse_name(parts[0])
            return Person(family=inner.family, given=inner.given, suffix=parts[1])
        return Person(family=parts[0], given=parts[1])
    words = text.split(" ")
    if len(words) == 1:
        return Person(family=words[0])
    if _MEDLINE_INITIALS.fullmatch(words[-1]) and not _MEDLINE_INITIALS.fullmatch(words[0]):
        # PubMed's "Nahta R" / "van de Vijver MJ": family name first, initials without dots
        return Person(family=" ".join(words[:-1]), given=format_initials(words[-1]))
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return Person(family=" ".join(words[cut:]), given=" ".join(words[:cut]))


def format_name(person: Person) -> str:
    """The front-matter form: "Given Family" when that reads back the same, else "Family, Given"."""
    if person.literal:
        return "{" + person.literal + "}"
    plain = person.display
    if parse_name(plain) == person:
        return plain
    parts = [person.family, person.suffix, person.given] if person.suffix else [person.family, person.given]
    return ", ".join(parts)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation: the form names are compared in.

    Cached: the graph folds the same few thousand names over and over when it sorts and merges.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in kept.casefold()).split())


def author_key(person: Person) -> str:
    """Identity of a person for merging variants: folded family name and given name."""
    if person.literal:
        return fold(person.literal)
    return f"{fold(person.family)}|{fold(person.given)}"


def split_bibtex_names(text: str) -> list[str]:
    """Split a BibTeX name list on `and` outside braces."""
    names: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and c.isspace():
            m = re.match(r"\s+and\s+", text[i:], re.IGNORECASE)
            if m:
                names.append(text[start:i])
                i += m.end()
                start = i
                continue
        i += 1
    names.append(text[start:])
    return [n.strip() for n in names if n.strip()]


def _split_depth0(text: str, sep: str) -> list[str]:
    """Split on `sep` (',' or whitespace) outside braces."""
    parts: list[str] = []
    depth = 0
    cur = ""
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        if depth == 0 and ((sep == " " and c.isspace()) or c == sep):
            parts.append(cur)
            cur = ""
            continue
        cur += c
    parts.append(cur)
    if sep == " ":
        return [p for p in parts if p]
    return [p.strip() for p in parts]


def _is_von(token: str) -> bool:
    """BibTeX's rule: a token is lower case when its first letter at brace depth 0 is lower case."""
    depth = 0
    i = 0
    while i < len(token):
        c = token[i]
        if c == "{":
            # "{\'e}cole" style: a special character decides by its letter
            if i + 1 < len(token) and token[i + 1] == "\\" and depth == 0:
                m = re.match(r"\{\\[^a-zA-Z]?([a-zA-Z]+)?\s*\{?([a-zA-Z])?", token[i:])
                if m:
                    letter = m.group(2) or (m.group(1) or "")[:1]
                    return letter.islower() if letter else False
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c.isalpha():
            return c.islower()
        i += 1
    return False


def parse_bibtex_name(text: str, decode: Callable[[str], str] = lambda s: s, *, strict: bool = False) -> Person:
    """One BibTeX name: "First von Last", "von Last, First" or "von Last, Jr, First".

    `decode` turns LaTeX into Unicode once the parts are found (braces guide the split first).
    A name wholly in braces is a literal (corporate) name. A name typed wholly in lower case
    ("sudhin jacob") is read as "given family" unless `strict`, which keeps BibTeX's own rule
    (every word but the last is a "von" particle), as JabRef and BibTeX itself read it.
    """
    text = " ".join(text.split())
    if not text:
        return Person()
    extended = _biblatex_extended_name(text, decode)
    if extended is not None:
        return extended
    if text.startswith("{") and text.endswith("}") and _balanced_inner(text[1:-1]):
        return Person(literal=decode(text[1:-1]).strip())
    parts = _split_depth0(text, ",")
    first = von_last = jr = ""
    if len(parts) == 1:
        tokens = _split_depth0(parts[0], " ")
        if len(tokens) == 1:
            return Person(family=decode(tokens[0]).strip())
        body = tokens[:-1]
        von_idx = [i for i, t in enumerate(body) if _is_von(t)]
        if not strict and all(_is_von(t) for t in tokens):
            # a name typed wholly in lower case ("sudhin jacob") says nothing by its case: only
            # a known particle ("ludwig van beethoven") starts the family name
            von_idx = [i for i, t in enumerate(body) if t.lower() in _PARTICLES]
        if von_idx:
            first = " ".join(tokens[: von_idx[0]])
            von_last = " ".join(tokens[von_idx[0] :])
        else:
            first = " ".join(body)
            von_last = tokens[-1]
    else:
        von_last = parts[0]
        if len(parts) == 2:
            first = parts[1]
        else:
            jr, first = parts[1], ", ".join(parts[2:])
    family = decode(von_last).strip()
    given = decode(first).strip()
    suffix = decode(jr).strip()
    if not family and given:
        family, given = given, ""
    return Person(family=family, given=given, suffix=suffix)


_EXTENDED_PART = re.compile(r"^\s*(family|given|prefix|suffix)\s*=\s*(.*)$", re.IGNORECASE | re.DOTALL)


def _biblatex_extended_name(text: str, decode: Callable[[str], str]) -> Person | None:
    """BibLaTeX's "family=Smith, given=John, prefix=van" form; None when `text` is not in it."""
    parts = _split_depth0(text, ",")
    found: dict[str, str] = {}
    for part in parts:
        m = _EXTENDED_PART.match(part)
        if not m:
            return None
        value = m.group(2).strip()
        if len(value) >= 2 and value[0] == "{" and value[-1] == "}" and _balanced_inner(value[1:-1]):
            value = value[1:-1]
        found.setdefault(m.group(1).casefold(), decode(value).strip())
    family = " ".join(p for p in (found.get("prefix", ""), found.get("family", "")) if p)
    return Person(family=family, given=found.get("given", ""), suffix=found.get("suffix", ""))


def _balanced_inner(text: str) -> bool:
    """True when braces in `text` never close below depth 0, so {..} wraps the whole name."""
    depth = 0
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def format_initials(initials: str) -> str:
    """ "RJ" -> "R. J."; MEDLINE writes initials run together."""
    return " ".join(f"{c}." for c in initials if c.isalpha())


def parse_medline_name(au: str, fau: str = "") -> Person:
    """A MEDLINE author from FAU ("Nahta, Rita") when present, else AU ("Nahta R")."""
    fau = " ".join(fau.split())
    if fau:
        person = parse_name(fau)
        if person.family or person.literal:
            return person
    au = " ".join(au.split())
    if not au:
        return Person()
    if "," in au:  # ERIC and some exports write AU as "Family, Given"
        return parse_name(au)
    words = au.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].rstrip(".").lower() in {"jr", "sr", "ii", "iii", "iv"}:
        suffix = words.pop()
        if suffix.lower() in {"jr", "sr"}:
            suffix += "."
    if len(words) > 1 and re.fullmatch(r"[A-Z\u00c0-\u00de]{1,4}", words[-1]):
        return Person(family=" ".join(words[:-1]), given=format_initials(words[-1]), suffix=suffix)
    return Person(family=au)


def initials_of(given: str) -> str:
    """Folded initials of a given name: "Rita" -> "r", "R. J." -> "rj", "Jean-Paul" -> "jp"."""
    return "".join(w[0] for w in fold(given.replace("-", " ")).split() if w)


def is_initials_only(given: str) -> bool:
    """True for "R.", "R. J.", "RJ": a given name that carries only initials."""
    g = given.replace(".", " ").replace("-", " ").split()
    return bool(g) and all(len(w) == 1 or (w.isupper() and len(w) <= 3) for w in g)


_CORPORATE = frozenset(
    """organization organisation group consortium society institute institut university
    universität college committee association council collaboration collaborative network
    agency foundation stichting center centre trial trials investigators study team working
    program programme department ministry federation alliance inc ltd llc gmbh company corporation
    board office service services commission authority hospital clinic laboratory laboratories
    project initiative panel union league academy registry""".split()
)


def looks_corporate(text: str) -> bool:
    """A name of an organisation rather than a person: "World Health Organization",
    "De Vlinderstichting", "EORTC Breast Cancer Group"."""
    words = text.split()
    if len(words) > 4 or "&" in text or any(c.isdigit() for c in text):
        return True
    return any(fold(w) in _CORPORATE or any(fold(w).endswith(c) for c in ("stichting", "gesellschaft")) for w in words)


def reads_as_person(text: str) -> bool:
    """A comma-less name that is a person's "Given Family": two to four capitalised words, not corporate."""
    words = text.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() or fold(w) in _PARTICLES for w in words)
        and not (looks_corporate(text))
    )


def person_from_literal(person: Person) -> Person:
    """A literal that reads as a personal name ("Rita Nahta") parsed for matching; others as is."""
    if person.literal and reads_as_person(person.literal):
        return parse_name(person.literal)
    return person


def unify_authors(people: list[Person]) -> tuple[dict[Person, Person], list[tuple[Person, list[Person]]]]:
    """Decide which name variants are one person.

    Returns a map from every variant to the form to display (the fullest given name, diacritics
    kept) and the initials-only forms left apart because more than one full name fits them.
    "Nahta, Rita", "Rita Nahta" and "Nahta R" meet when "Rita" is the only R-Nahta known.
    """
    canonical: dict[Person, Person] = {}
    by_family: dict[str, list[Person]] = {}
    for person in dict.fromkeys(people):
        as_name = person_from_literal(person)
        if as_name.literal:
            canonical[person] = person
            continue
        by_family.setdefault(fold(as_name.family), []).append(person)
    ambiguous: list[tuple[Person, list[Person]]] = []
    for variants in by_family.values():
        parsed = {v: person_from_literal(v) for v in variants}
        full = [v for v in variants if parsed[v].given and not is_initials_only(parsed[v].given)]
        # full names that fold to the same given name are one person; the display keeps diacritics
        full_groups: dict[str, list[Person]] = {}
        for v in full:
            full_groups.setdefault(fold(parsed[v].given), []).append(v)
        best_of = {
            k: max(
                g,
                key=lambda p: (
                    sum(not c.isascii() for c in parsed[p].given + parsed[p].family),
                    not p.literal,
                    len(parsed[p].given),
                ),
            )
            for k, g in full_groups.items()
        }
        for key, group in full_groups.items():
            for v in group:
                canonical[v] = parsed[best_of[key]]
        for v in variants:
            if v in canonical:
                continue
            initials = initials_of(parsed[v].given)
            fits = [k for k in full_groups if initials and initials_of(k).startswith(initials)]
            if len(fits) == 1:
                canonical[v] = parsed[best_of[fits[0]]]
            else:
                canonical[v] = parsed[v]
                if len(fits) > 1:
                    ambiguous.append((v, sorted((parsed[best_of[k]] for k in fits), key=format_name)))
    return canonical, ambiguous
