"""Author names: parse what records and readers write, format it back, and key it for matching.

Pure: no I/O. `parse_name` and `format_name` round-trip, so a name written into front matter
reads back as the same Person. `author_key` folds case and diacritics so that "Nahta, Rita",
"Rita Nahta" and "RITA NAHTA" meet, while display keeps the name as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from litweave.model import Person

PARTICLES = {
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
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


_MEDLINE_INITIALS = re.compile(r"[A-Z]{1,3}")


@lru_cache(maxsize=1 << 16)
def parse_name(text: str) -> Person:
    """Parse "Family, Given", "Family, Suffix, Given", "Given Family" (particles join the family)
    or PubMed's "Family GI".

    Cached (a Person is immutable): the same names recur across records, pages and formatting."""
    text = " ".join(text.split())
    if not text:
        return Person()
    if text.startswith("{") and text.endswith("}"):
        return Person(literal=text[1:-1].strip())
    if "," in text:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) >= 3:
            return Person(family=parts[0], suffix=parts[1], given=", ".join(parts[2:]))
        if parts[1].lower() in SUFFIXES:  # "Given Family, Jr."
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
    while cut > 1 and words[cut - 1].lower() in PARTICLES:
        cut -= 1
    return Person(family=" ".join(words[cut:]), given=" ".join(words[:cut]))


@lru_cache(maxsize=1 << 16)
def format_name(person: Person) -> str:
    """The front-matter form: "Given Family" when that reads back the same, else "Family, Given"."""
    if person.literal:
        return "{" + person.literal + "}"
    plain = person.display
    if parse_name(plain) == person:
        return plain
    parts = [person.family, person.suffix, person.given] if person.suffix else [person.family, person.given]
    return ", ".join(parts)


_NOT_ALNUM = re.compile(r"[\W_]+")
"""What `str.isalnum` refuses: the regex engine's word class less the underscore."""


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation: the form names are compared in.

    Cached: the graph folds the same few thousand names over and over when it sorts and merges.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_ALNUM.sub(" ", decomposed.casefold()).split())


def author_key(person: Person) -> str:
    """Identity of a person for merging variants: folded family name and given name."""
    if person.literal:
        return fold(person.literal)
    return f"{fold(person.family)}|{fold(person.given)}"


def format_initials(initials: str) -> str:
    """ "RJ" -> "R. J."; MEDLINE writes initials run together."""
    return " ".join(f"{c}." for c in initials if c.isalpha())


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
        and all(w[:1].isupper() or fold(w) in PARTICLES for w in words)
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
