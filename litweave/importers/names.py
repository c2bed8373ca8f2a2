"""Name syntaxes of particular formats: BibTeX's "von Last, Jr, First" with its braces and "and"
separators, BibLaTeX's extended names, MEDLINE's AU/FAU pairs. Only the importers read these;
the general parser and the matching keys are in `litweave.authors`. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from litweave.authors import PARTICLES, format_initials, parse_name
from litweave.model import Person


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
            # "{\'e}cole" style: a special character decides by its letter, which may follow the
            # accent's mark ("{\a'A}", the tabbing environment's accent)
            if i + 1 < len(token) and token[i + 1] == "\\" and depth == 0:
                m = re.match(r"\{\\[^a-zA-Z]?([a-zA-Z]+)?[^\sa-zA-Z{}\\]*\s*\{?([a-zA-Z])?", token[i:])
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
            von_idx = [i for i, t in enumerate(body) if t.lower() in PARTICLES]
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


def parse_medline_name(au: str, fau: str = "") -> Person:
    """A MEDLINE author from FAU ("Nahta, Rita") when present, else AU ("Nahta R")."""
    fau = " ".join(fau.split())
    if fau and "," not in fau and " " in fau and any(_is_von(w) for w in fau.split(" ")[1:-1]):
        # PubMed writes FAU/FED "Family, Given"; a name without the comma is read by BibTeX's
        # order rule, lower-case words before the last being part of the family name
        # ("Some test data" -> family "test data"), as JabRef reads it
        return parse_bibtex_name(fau, strict=True)
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
