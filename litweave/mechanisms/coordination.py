"""Coordinated members of a family, each counted: "CDK4/6", "MMP-2 and -9", "HER2 and -3",
"caspase-3, -8 and -9", "VEGFR-1/2/3", "FGFR1–4", "IGF-I and -II", "TGF-α and -β", "VEGF-A and -C",
"cyclin D1/E", "matrix metalloproteinases 2 and 9", "matrix metalloproteinase (MMP)-2 and -9".

Stage 2, pure. A family is every vocabulary name that ends in a member token, grouped by what comes
before it: a number ("MMP-2", "MMP9", "matrix metalloproteinase-2": family "MMP" and "matrix
metalloproteinase", members 2 and 9), or, after a hyphen or space, a capital letter with an
optional digit, a Roman numeral up to IV or a Greek letter ("VEGF-A", "cyclin D1", "IGF-II",
"TGF-β"). Only members with a page count: in "caspase-3, -7 and -9" caspase-7 is skipped when the
vocabulary has no page for it.

Which continuations name a member, chosen so that a count is never read as a gene:
- after a singular name ("MMP-2", "CDK4"), a member after "/" ("CDK4/6", "MMP-2/-9", "cyclin
  D1/E"), a member written with its hyphen after a comma, "and" or "or" ("MMP-2 and -9",
  "caspase-3, -8 and -9", "IGF-I and -II"), or the end of a number range after an en dash or
  hyphen ("FGFR1–4", "FGFR1-3": every member between); a bare number after "and" is not a member
  ("HER2 and 3 patients", "CDK4 and 6 of 10 tumours");
- after a plural family name ("matrix metalloproteinases", "caspases", "MMPs", "CDKs"), which only
  a list can follow, any of those and also bare numbers after a comma, "and" or "or"
  ("caspases 3 and 7", "MMPs 2, 9");
- a long family name with its abbreviation in parentheses before the number
  ("matrix metalloproteinase (MMP)-2 and -9"), when the abbreviation is a family name too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from litweave.mechanisms.terms import insensitive_key, is_case_insensitive
from litweave.model import Mention

_SEP = "[ \\-\u00a0\u2010\u2011\u2013]"
_TOKEN = r"(\d+|[A-Z]\d?|I{1,3}|IV|[αβγδκ])"
FAMILY_TERM = re.compile(r"^(.*?[^\W\d_])" + _SEP + r"?(\d+)$")
"""A name ending in a number after a letter: group 1 the family name, group 2 the number."""
FAMILY_LETTER = re.compile(r"^(.*?[^\W_])" + _SEP + r"([A-Z]\d?|I{1,3}|IV|[αβγδκ])$")
"""A name ending in a letter member after a separator: "VEGF-A", "cyclin D1", "IGF-II", "TGF-β"."""
_END = r"(?![^\W_]|\+|%|[.,]\d)"
_SLASH = re.compile(r"\s?/\s?-?" + _TOKEN + _END)
_RANGE = re.compile(r"(?:\s?\u2013\s?|-)(\d+)" + _END)
_HYPHENED = re.compile(r"(?:\s?,\s?(?:and\s|or\s)?|\s(?:and|or|&)\s)\s?[-\u2010\u2011\u2013]" + _TOKEN + _END)
_BARE = re.compile(r"(?:\s?,\s?(?:and\s|or\s)?|\s(?:and|or|&)\s)\s?(\d+)" + _END)
_FIRST = re.compile(_SEP + r"?(\d+)" + _END)
_ABBREVIATED = re.compile(r"\s?\(([^()\s]{2,12})\)" + _SEP + r"?(\d+)" + _END)
_MAX_RANGE = 8
_MAX_MEMBER = 99


@dataclass(frozen=True, slots=True)
class Families:
    """Families of the vocabulary and the heads that introduce a list of their members."""

    exact: Mapping[str, Mapping[str, str]]
    """Family name of case-sensitive members as written ("MMP", "CDK", "VEGF") → member token
    ("2", "A", "II", "β") → slug."""
    folded: Mapping[str, Mapping[str, str]]
    """Family name of case-insensitive members, folded ("matrix metalloproteinase", "cyclin") →
    member token, case-folded → slug."""
    heads: Mapping[str, tuple[str, bool]]
    """A head that can introduce a list → (family key, plural). Keyed "=" + the head as written for
    case-sensitive families ("=MMPs", "=CDKs") and "~" + the folded head for the others
    ("~caspases", "~matrix metalloproteinases", "~matrix metalloproteinase")."""

    def head(self, span: str) -> str | None:
        """The key of `heads` that `span` is, if it is a head."""
        for key in ("=" + span, "~" + insensitive_key(span)):
            if key in self.heads:
                return key
        return None

    def trie_keys(self) -> list[str]:
        """The heads as the matcher's trie spells them (case and separators folded)."""
        return [insensitive_key(key[1:]) for key in self.heads]

    def of_name(self, name: str, exact: bool) -> tuple[dict[str, str], str] | None:
        """The members of the families of a matched name ("MMP-2" → the MMP family; "cyclin D1" →
        the "cyclin D" and "cyclin" families), and the name's own member token."""
        members: dict[str, str] = {}
        own = ""
        for pattern in (FAMILY_TERM, FAMILY_LETTER):
            m = pattern.match(name)
            if m is None:
                continue
            base = m.group(1)
            family = self.exact.get(base) if exact else self.folded.get(insensitive_key(base))
            if family:
                members.update(family)
                own = own or m.group(2)
        return (members, own) if members else None

    def following(self, family: Mapping[str, str], text: str, pos: int, own: str, plural: bool) -> list[Mention]:
        """Members of `family` listed after the member `own` that ends at `pos`."""
        found: list[Mention] = []
        while True:
            m = _SLASH.match(text, pos) or _HYPHENED.match(text, pos) or (plural and _BARE.match(text, pos)) or None
            if m is not None:
                members = [m.group(1)]
            else:
                m = _RANGE.match(text, pos)
                if m is None or not own.isdigit() or not 0 < int(m.group(1)) - int(own) <= _MAX_RANGE:
                    return found
                members = [str(n) for n in range(int(own) + 1, int(m.group(1)) + 1)]
            for token in members:
                slug = family.get(token) or family.get(token.casefold())
                if slug:
                    found.append(Mention(slug, m.start(1), m.end(1), m.group(1)))
            pos, own = m.end(), m.group(1)

    def listed(self, head: str, text: str, start: int, end: int) -> list[Mention]:
        """Members listed after a family head at text[start:end], or [] when no list follows."""
        key, plural = self.heads[head]
        family = self.exact.get(key[1:]) if key[0] == "=" else self.folded.get(key[1:])
        if not family:
            return []
        m = _ABBREVIATED.match(text, end)
        if m is not None:
            abbreviation = m.group(1)[:-1] if plural and m.group(1).endswith("s") else m.group(1)
            if self.exact.get(abbreviation) is None and self.folded.get(insensitive_key(abbreviation)) is None:
                return []
        elif plural:
            m = _FIRST.match(text, end)
        if m is None:
            return []
        own = str(int(m.group(m.lastindex or 1)))
        first = [Mention(family[own], start, m.end(), text[start : m.end()])] if own in family else []
        return first + self.following(family, text, m.end(), own, plural)


def build_families(terms: Iterable[tuple[str, str]]) -> Families:
    """Families from (term form, slug) pairs: every form the matcher knows, Greek and plural ones included."""
    exact: dict[str, dict[str, str]] = {}
    folded: dict[str, dict[str, str]] = {}
    numbered: set[str] = set()
    for term, slug in terms:
        insensitive = is_case_insensitive(term)
        for pattern in (FAMILY_TERM, FAMILY_LETTER):
            m = pattern.match(term)
            if m is None:
                continue
            base, token = m.group(1), m.group(2)
            if token.isdigit():
                if sum(c.isalpha() for c in base) < 2 or int(token) > _MAX_MEMBER:
                    continue  # "p21", "G1": one letter is no family name; "LY2835219" is a compound code
                token = str(int(token))
                numbered.add(("~" + insensitive_key(base)) if insensitive else ("=" + base))
            if insensitive:
                folded.setdefault(insensitive_key(base), {}).setdefault(token.casefold(), slug)
            else:
                exact.setdefault(base, {}).setdefault(token, slug)
    return Families(exact, folded, _heads(exact, folded, numbered))


def _heads(
    exact: Mapping[str, Mapping[str, str]], folded: Mapping[str, Mapping[str, str]], numbered: set[str]
) -> dict[str, tuple[str, bool]]:
    """Heads of numbered families with two members with pages: "MMPs", "CDKs", "caspases", and the
    singular "matrix metalloproteinase" for "(MMP)-2"; not "hers" from the alias "her2"."""
    heads: dict[str, tuple[str, bool]] = {}
    for base, members in exact.items():
        if "=" + base in numbered and len(set(members.values())) > 1 and any(c.isupper() for c in base):
            heads["=" + base + "s"] = ("=" + base, True)
    for key, members in folded.items():
        if "~" + key in numbered and len(set(members.values())) > 1:
            if not key.endswith(("s", "x")):
                heads["~" + key + "s"] = ("~" + key, True)
            heads["~" + key] = ("~" + key, False)
    return heads
