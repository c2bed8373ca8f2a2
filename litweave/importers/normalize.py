"""Field normalisers shared by the importers: pages, dates, URLs, ISSN/ISBN and abstracts.

Pure helpers that every format needs in the same form, so a page range, a date or a URL
reads the same whichever file it came from.
"""

from __future__ import annotations

import re
from functools import lru_cache

from litweave.model import Diagnostic

EN_DASH = "\u2013"

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january", "janvier", "januar"),
            ("feb", "february", "fev", "février", "februar"),
            ("mar", "march", "mars", "märz", "maerz"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juillet", "juli"),
            ("aug", "august", "août", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "oktober", "okt"),
            ("nov", "november", "novembre"),
            ("dec", "december", "décembre", "dezember", "dez"),
        ),
        start=1,
    )
    for name in names
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}

_SAFE_SCHEMES = ("http://", "https://", "ftp://")
_UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


def base_name(file: str) -> str:
    """The file name a record's provenance keeps: never a folder of the machine that imported it."""
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def normalize_pages(text: str) -> str:
    """A page range with an en dash; "11118-28" (MEDLINE's short form) is not expanded here."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = re.sub(r"\s*(?:--|-|\u2010|\u2011|\u2012|\u2013|\u2014|\u2212)+\s*", EN_DASH, text)
    return text


def join_pages(start: str, end: str) -> str:
    """SP/EP-style start and end pages as one range."""
    start, end = start.strip(), end.strip()
    if start and end and end != start:
        return normalize_pages(f"{start}-{end}")
    return normalize_pages(start or end)


def expand_short_range(pages: str) -> str:
    """MEDLINE writes "11118-28" for 11118–11128: restore the dropped leading digits."""
    m = re.fullmatch(r"([A-Za-z]*)(\d+)\s*[-\u2013]\s*([A-Za-z]*)(\d+)", pages.strip())
    if not m:
        return normalize_pages(pages)
    prefix, start, prefix2, end = m.groups()
    if len(end) < len(start) and (not prefix2 or prefix2 == prefix):
        end = start[: len(start) - len(end)] + end
        return f"{prefix}{start}{EN_DASH}{prefix}{end}"
    return f"{prefix}{start}{EN_DASH}{prefix2}{end}"


def iso_date(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """ISO 8601 partial date from whatever parts are known and valid."""
    if year is None:
        return ""
    out = f"{year:04d}"
    if month and 1 <= month <= 12:
        out += f"-{month:02d}"
        if day and 1 <= day <= 31:
            out += f"-{day:02d}"
    return out


def month_number(text: str) -> int | None:
    """A month from a name, abbreviation, season or number ("Dec", "12", "Summer")."""
    word = text.strip().strip(".").casefold()
    if word.isdigit():
        n = int(word)
        return n if 1 <= n <= 12 else None
    if word in MONTHS:
        return MONTHS[word]
    if word[:3] in MONTHS and len(word) >= 3:
        return MONTHS[word[:3]]
    return _SEASONS.get(word)


@lru_cache(maxsize=1 << 14)
def parse_date_text(text: str) -> tuple[int | None, str]:
    """Year and ISO partial date from free text: "2005 Dec 1", "Apr 2019", "1948/07//", "2013-02-15".

    Returns (None, "") when no four-digit year is found.
    """
    text = text.strip()
    if not text:
        return None, ""
    m = re.match(r"^(\d{4})(?:[/\-.](\d{1,2})?(?:[/\-.](\d{1,2})?)?)?", text)
    if m and m.group(1):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if month is None:
            rest = text[4:].strip(" /,.-")
            words = re.findall(r"[A-Za-zÀ-ÿ]+|\d+", rest)
            if words:
                month = month_number(words[0]) if not words[0].isdigit() or len(words) == 1 else None
                if month and len(words) > 1 and words[1].isdigit():
                    day = int(words[1])
        return year, iso_date(year, month, day)
    m = re.search(r"(?<!\d)(\d{4})(?!\d)", text)
    if not m:
        return None, ""
    year = int(m.group(1))
    before = text[: m.start()]
    words = re.findall(r"[A-Za-zÀ-ÿ]+|\d+", before)
    month = day = None
    for i, w in enumerate(words):
        n = month_number(w) if not w.isdigit() else None
        if n:
            month = n
            if i + 1 < len(words) and words[i + 1].isdigit():
                day = int(words[i + 1])
            elif i > 0 and words[i - 1].isdigit():
                day = int(words[i - 1])
            break
    if month is None and len(words) >= 2 and words[-1].isdigit() and words[-2].isdigit():
        # "15/02/2013": day first, as most non-US exports write it
        day, month = int(words[-2]), int(words[-1])
        if month > 12 and day <= 12:
            day, month = month, day
    return year, iso_date(year, month, day)


def check_url(url: str, file: str, record: int) -> tuple[str, Diagnostic | None]:
    """Keep http, https and ftp URLs; drop script and data URLs with a warning; '' for the rest."""
    url = url.strip()
    low = url.casefold()
    if low.startswith(_SAFE_SCHEMES):
        return url, None
    if low.startswith(_UNSAFE_SCHEMES):
        return "", Diagnostic("warning", f"dropped unsafe URL {url[:40]!r}", file, record=record)
    if low.startswith("www."):
        return "http://" + url, None
    return "", None


def looks_like_isbn(text: str) -> bool:
    """ISBN-10 or ISBN-13 digits (hyphens and spaces allowed), not an 8-character ISSN."""
    digits = re.sub(r"[\s\-]", "", text.split()[0] if text.split() else "")
    return bool(re.fullmatch(r"(?:97[89])?\d{9}[\dXx]", digits))


def strip_or_empty(value: object) -> str:
    """A field value as a stripped string ('' for None)."""
    if value is None:
        return ""
    return " ".join(str(value).split())


# Ids a program made up rather than a person chose: numbers, "ITEM-1", UUIDs, long hexadecimal.
_MACHINE_ID = re.compile(
    r"\d+|(?:item|ref|record|temp_id)[-_]?\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|[0-9a-f]{16,}",
    re.IGNORECASE,
)
# Zotero's item keys: eight capitals and digits mixed ("X7NQ2ZPB"), unlike "ABCD2012".
_ITEM_KEY = re.compile(r"(?=[A-Z0-9]{8}$)(?=.*\d)(?![A-Z]+\d+$)[A-Z0-9]{8}")


def meaningful_citekey(key: str) -> str:
    """`key` when a person would cite it (`knuth:ct:a`, `Nahta2012`), else "".

    Kept: a key without whitespace or "/" that is not what software generates as an internal id:
    a number ("12"), "ITEM-1" (citeproc-js, Mendeley), a UUID, a long hexadecimal string, or an
    eight-character mix of capitals and digits (a Zotero item key, "X7NQ2ZPB").
    """
    key = key.strip()
    if not key or any(c.isspace() for c in key) or "/" in key or len(key) > 100:
        return ""
    return "" if _MACHINE_ID.fullmatch(key) or _ITEM_KEY.match(key) else key


def unparsed_value(
    tag: str, value: str, what: str, file: str, record: int, unparsed: dict[str, str], diagnostics: list[Diagnostic]
) -> None:
    """Keep a value its field cannot hold under `unparsed` (by its tag in the source) and say so."""
    unparsed.setdefault(tag, value)
    message = f"{tag}: {value!r} is not {what}; kept under `unparsed` on the page"
    diagnostics.append(Diagnostic("warning", message, file=file, record=record))
