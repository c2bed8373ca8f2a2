"""MEDLINE / PubMed .nbib importer: `PMID- …` tagged text to Records.

Each line is a tag padded to four characters, a hyphen and a value; lines indented by spaces
continue the previous value; a blank line (or a second PMID) ends a record. Also reads ERIC
exports in the same layout, which have no PMID.
"""

from __future__ import annotations

import re

from litweave.importers.fulltext import split_abstract
from litweave.importers.identity import normalize_doi
from litweave.importers.names import parse_medline_name
from litweave.importers.normalize import (
    base_name,
    check_url,
    expand_short_range,
    looks_like_isbn,
    parse_date_text,
)
from litweave.importers.truncation import cut_at_start, cut_off, ends_mid_line, stops_short
from litweave.model import Diagnostic, ImportResult, Person, Record, Source

FORMAT = "medline"

_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3})\s*-\s?(.*)$")
_MAPPED = {
    "PMID",
    "TI",
    "BTI",
    "AB",
    "FAU",
    "AU",
    "CN",
    "FED",
    "ED",
    "TA",
    "JT",
    "DP",
    "VI",
    "IP",
    "PG",
    "AID",
    "LID",
    "MH",
    "OT",
    "PT",
    "IS",
    "LA",
    "PB",
    "PL",
    "ISBN",
    "CTI",
    "OWN",
}


def parse(text: str, file: str) -> ImportResult:
    """Read every record of a MEDLINE file; lines outside any tag are reported and skipped."""
    name = base_name(file)
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    split = split_records(text, name, diagnostics)
    cut = _cut_off(text, split, name)
    if cut is not None:
        diagnostics.append(cut)
    for number, (_line, fields) in enumerate(split, start=1):
        # an untitled record too: `finish` gives it a placeholder title
        records.append(to_record(fields, name, number, diagnostics))
    if not records:
        diagnostics.append(Diagnostic("error", "no MEDLINE records found (no 'PMID- ' or tagged lines)", name))
    return ImportResult(records, diagnostics)


def split_records(text: str, file: str, diagnostics: list[Diagnostic]) -> list[tuple[int, list[tuple[str, str]]]]:
    """Records as (first line, [(tag, value)…]) with continuation lines joined by a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    records: list[tuple[int, list[tuple[str, str]]]] = []
    current: list[tuple[str, str]] = []
    start = 0
    lines = text.split("\n")
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            if current:
                records.append((start, current))
                current = []
            continue
        m = _LINE.match(raw) if not raw[:1].isspace() else None
        if m:
            tag, value = m.group(1), m.group(2).strip()
            if tag == "PMID" and any(t == "PMID" for t, _ in current):
                records.append((start, current))
                current = []
            if not current:
                start = lineno
            current.append((tag, value))
        elif current and raw[:1].isspace():
            tag, value = current[-1]
            current[-1] = (tag, f"{value} {raw.strip()}".strip())
        elif not (lineno == len(lines) and _TAG_START.fullmatch(raw)):  # a cut tag: `_cut_off` tells
            diagnostics.append(Diagnostic("warning", f"line is not a MEDLINE tag: {raw.strip()[:40]!r}", file, lineno))
    if current:
        records.append((start, current))
    return records


_TAG_START = re.compile(r"[A-Z][A-Z0-9]{0,3} *-? *")
"""A line that is only a tag, or the start of one: where a cut falls inside a tag."""


def _cut_off(text: str, records: list[tuple[int, list[tuple[str, str]]]], file: str) -> Diagnostic | None:
    """The warning for a last record the end of the file cuts into, when the file shows it
    (importers/truncation.py says what counts): a last line that is a tag without its value, or
    a record that stops without the field every other record of the file ends with. A last record
    that is only the cut line is taken out of `records`: it is the start of one, not a record."""
    if not records or not ends_mid_line(text):
        return None
    tail = text[text.rfind("\n") + 1 :]
    line = text.count("\n") + 1
    start, fields = records[-1]
    number = len(records)
    cut_tag = _TAG_START.fullmatch(tail) is not None
    usual = stops_short([f[-1][0] for _, f in records])
    if start == line and len(fields) == 1 and (cut_tag or usual is not None):
        records.pop()
        return cut_at_start(file, number, line, tail)
    if cut_tag:
        if _LINE.match(tail) is None and text[: len(text) - len(tail)].endswith("\n\n"):
            return cut_at_start(file, number + 1, line, tail)  # the first tag of a record to come
        return cut_off(file, number, line, f"ends inside a tag, {tail.strip()!r} at the end of the file")
    if usual is not None:
        how = f"is cut off mid-line by the end of the file, before the {usual} every other record ends with"
        return cut_off(file, number, line, how, fields[-1][0])
    return None


def _people(fields: list[tuple[str, str]], full_tag: str, short_tag: str) -> list[Person]:
    """Pair each FAU with the AU that follows it (or FED with ED); either may be missing."""
    pairs: list[list[str]] = []
    for tag, value in fields:
        if tag == full_tag:
            pairs.append([value, ""])
        elif tag == short_tag:
            if pairs and pairs[-1][0] and not pairs[-1][1]:
                pairs[-1][1] = value
            else:
                pairs.append(["", value])
    people = []
    for fau, au in pairs:
        if re.fullmatch(r"et\.? al\.?", (fau or au).strip(), re.IGNORECASE):
            continue  # PubMed marks a truncated author list this way; it is no one
        person = parse_medline_name(au, fau)
        if person != Person():
            people.append(person)
    return people


def join_titles(parts: list[str]) -> str:
    """Repeated TI lines continue one title; a part not ending in punctuation starts a subtitle."""
    title = ""
    for part in (p.strip() for p in parts if p.strip()):
        if not title:
            title = part
        elif title[-1] in ".:;?!":
            title = f"{title} {part}"
        else:
            title = f"{title}: {part}"
    return title


def to_record(fields: list[tuple[str, str]], file: str, number: int, diagnostics: list[Diagnostic]) -> Record:
    """Map one record's tags to a Record."""
    values: dict[str, list[str]] = {}
    for tag, value in fields:
        values.setdefault(tag, []).append(value)

    def first(*tags: str) -> str:
        return _first(values, *tags)

    authors = _people(fields, "FAU", "AU") + [Person(literal=c) for c in values.get("CN", []) if c]
    doi, pii, url = _identifiers(values, file, number, diagnostics)
    year, date = parse_date_text(first("DP"))
    unparsed = {"DP": first("DP")} if year is None and first("DP").strip() else {}
    for tag, value in unparsed.items():
        message = f"{tag}: {value!r} is not a date; kept under `unparsed` on the page"
        diagnostics.append(Diagnostic("warning", message, file=file, record=number))
    csl_type, title, container = _type_title_and_container(values)
    isbn, issn = _isbn_and_issn(values)
    abstract, fulltext = split_abstract(first("AB")) if first("AB") else ("", "")
    return Record(
        title=title.rstrip() if title else "",
        type=csl_type,
        authors=authors,
        editors=_people(fields, "FED", "ED"),
        container_title=container,
        year=year,
        date=date,
        volume=first("VI"),
        issue=first("IP"),
        pages=expand_short_range(first("PG")) if first("PG") else _article_number(pii, first("SO"), first("PST")),
        publisher=first("PB"),
        place=first("PL") if values.get("PB") else "",
        doi=doi,
        pmid=first("PMID"),
        isbn=isbn,
        issn=issn,
        url=url,
        abstract=abstract,
        fulltext=fulltext,
        keywords=_keywords(values),
        language=first("LA"),
        extra=_extra(values, pii),
        unparsed=unparsed,
        source=Source(file=file, format=FORMAT, record=number),
    )


def _first(values: dict[str, list[str]], *tags: str) -> str:
    """The first non-empty value of the first of `tags` that has one."""
    for tag in tags:
        for value in values.get(tag, []):
            if value:
                return value
    return ""


def _identifiers(
    values: dict[str, list[str]], file: str, number: int, diagnostics: list[Diagnostic]
) -> tuple[str, str, str]:
    """DOI, publisher item identifier (pii) and URL, all of which PubMed files under AID and LID.

    Each is told by its suffix ("[doi]", "[pii]") or its form; an unsafe URL is dropped with a
    warning.
    """
    doi = pii = url = ""
    for value in values.get("AID", []) + values.get("LID", []):
        if value.endswith("[doi]") and not doi:
            doi = normalize_doi(value[: -len("[doi]")])
        elif value.casefold().startswith(("doi:", "10.")) and not doi:
            doi = normalize_doi(value)
        elif value.endswith("[pii]") and not pii:
            pii = value[: -len("[pii]")].strip()
        elif value.lower().startswith(("http://", "https://", "javascript:", "data:")):
            if "doi.org/" in value.lower() and not doi:
                doi = normalize_doi(value)
            elif not url:
                safe, warning = check_url(value, file, number)
                if warning:
                    diagnostics.append(warning)
                url = safe
    return doi, pii, url


def _type_title_and_container(values: dict[str, list[str]]) -> tuple[str, str, str]:
    """CSL type, title and container: a book title (BTI) makes a chapter of a titled record and a
    book of an untitled one; otherwise the publication types decide between book and article."""
    pubtypes = [p.casefold() for p in values.get("PT", [])]
    title = join_titles(values.get("TI", []))
    container = _first(values, "JT", "TA")
    if values.get("BTI") and title:
        csl_type, container = "chapter", _first(values, "BTI")
    elif values.get("BTI"):
        csl_type, title = "book", _first(values, "BTI")
    elif any("book" in p for p in pubtypes):
        csl_type = "book"
    else:
        csl_type = "article-journal"
    return csl_type, title, container


def _isbn_and_issn(values: dict[str, list[str]]) -> tuple[str, str]:
    """IS and ISBN values without their "(Linking)"-style notes and ISSN prefixes, told apart by
    their digits, since a book's ISBN may come under IS too."""
    issn = isbn = ""
    for value in values.get("IS", []) + values.get("ISBN", []):
        code = re.sub(r"\s*\(.*\)$", "", value).replace("EISSN-", "").replace("ISSN-", "").strip()
        if looks_like_isbn(code):
            isbn = isbn or code
        else:
            issn = issn or code
    return isbn, issn


def _keywords(values: dict[str, list[str]]) -> list[str]:
    """MeSH headings (MH) and other terms (OT), each once, in file order."""
    keywords = []
    for value in values.get("MH", []) + values.get("OT", []):
        if value and value not in keywords:
            keywords.append(value)
    return keywords


def _extra(values: dict[str, list[str]], pii: str) -> dict[str, str]:
    """What no Record field took, so an import loses nothing; of the mapped tags, what adds to the
    Record: the pii, a non-NLM owner, the journal abbreviation when the full title was used."""
    extra = {tag: "\n".join(v) for tag, v in values.items() if tag not in _MAPPED and any(v)}
    if pii:
        extra["PII"] = pii
    if values.get("OWN") and values["OWN"][0] != "NLM":
        extra["OWN"] = values["OWN"][0]
    if values.get("TA") and values.get("JT"):
        extra["TA"] = values["TA"][0]
    return extra


def _article_number(pii: str, source: str, status: str) -> str:
    """The pii as the location of a published article without pages, as PubMed's citation (SO) gives it.

    An online-only article is cited by its article number ("2021;4(1):1042."); an article ahead
    of print also shows its pii there, but only until it gets pages, so it is not taken then.
    """
    if not pii or status.casefold() == "aheadofprint" or f":{pii}" not in source:
        return ""
    return pii
