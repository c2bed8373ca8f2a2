"""RIS importer: `TY  - … ER  -` tagged text to Records.

A pre-pass finds record boundaries and line numbers and mends what strict readers reject: a BOM
or stray text before the first record, tags written without the two spaces (`TY - JOUR`,
`TY-JOUR`), and a record with no `ER` (the last one is reported: the file may be cut short
there). rispy then reads each record's fields (continuation
lines, repeated tags); this module maps the tags to CSL terms.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import rispy

from litweave.authors import parse_name
from litweave.importers.fulltext import split_abstract
from litweave.importers.identity import normalize_doi
from litweave.importers.normalize import (
    base_name,
    check_url,
    join_pages,
    looks_like_isbn,
    meaningful_citekey,
    normalize_pages,
    parse_date_text,
)
from litweave.importers.truncation import cut_off
from litweave.model import Diagnostic, ImportResult, Person, Record, Source

FORMAT = "ris"

_TAG_LINE = re.compile(r"^\s*([A-Z][A-Z0-9])(\s{0,4})-(?:\s|$)?(.*)$")
# Tags accepted with irregular spacing ("TY - JOUR", "TY-JOUR"); any tag with the standard
# two spaces is accepted, so prose in a continuation line is not mistaken for a tag.
_KNOWN_TAGS = set(rispy.TAG_KEY_MAPPING) | {"BT", "CT", "ED", "J1", "L3", "ST", "DI", "AV", "CP", "RI"}

TYPES = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "EJOUR": "article-journal",
    "ABST": "article-journal",
    "INPR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "WHOLE": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "THES": "thesis",
    "RPRT": "report",
    "GOVDOC": "report",
    "STAND": "standard",
    "PAT": "patent",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "CASE": "legal_case",
    "STAT": "legislation",
    "BILL": "bill",
    "HEAR": "hearing",
    "COMP": "software",
    "DATA": "dataset",
    "DBASE": "dataset",
    "MAP": "map",
    "ART": "graphic",
    "FIGURE": "figure",
    "SLIDE": "speech",
    "SOUND": "song",
    "MUSIC": "musical_score",
    "VIDEO": "motion_picture",
    "MPCT": "motion_picture",
    "ADVS": "motion_picture",
    "ICOMM": "personal_communication",
    "PCOMM": "personal_communication",
    "UNPB": "manuscript",
    "MANSCPT": "manuscript",
    "GEN": "document",
    "CTLG": "document",
    "PAMP": "pamphlet",
    "SER": "book",
    "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary",
    "AGGR": "dataset",
    "CLSWK": "classic",
    "LEGAL": "legislation",
    "CHART": "graphic",
    "EQUA": "document",
    "GRANT": "document",
    "INTV": "interview",
}

# Tags rispy should keep as lists whenever they repeat.
_LIST_TAGS = [
    "AU",
    "A1",
    "A2",
    "A3",
    "A4",
    "ED",
    "KW",
    "UR",
    "L1",
    "L2",
    "L3",
    "L4",
    "N1",
    "AD",
    "SN",
    "DO",
    "M3",
    "ID",
]
_MAPPED = {
    "TY",
    "AU",
    "A1",
    "A4",
    "ED",
    "TI",
    "T1",
    "CT",
    "BT",
    "T2",
    "JO",
    "JF",
    "JA",
    "J2",
    "J1",
    "PY",
    "Y1",
    "DA",
    "DO",
    "UR",
    "L1",
    "L2",
    "L3",
    "L4",
    "AB",
    "N2",
    "KW",
    "SN",
    "VL",
    "IS",
    "SP",
    "EP",
    "PB",
    "CY",
    "ET",
    "LA",
    "N1",
    "ER",
    "_AUTHORS",
}


def parse(text: str, file: str) -> ImportResult:
    """Read every record of a RIS file, untitled ones included; a bare TY is skipped with a diagnostic."""
    name = base_name(file)
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    for number, (line, block, unended) in enumerate(split_records(text), start=1):
        fields = read_fields(block)
        record, problems = to_record(fields, name, number)
        diagnostics.extend(problems)
        if record is None:
            diagnostics.append(Diagnostic("warning", "record has no fields besides TY; skipped", name, line, number))
            continue
        if unended is not None:
            diagnostics.append(cut_off(name, number, unended[1], "ends without ER at the end of the file", unended[0]))
        records.append(record)  # an untitled record too: `finish` gives it a placeholder title
    if not records and not diagnostics:
        diagnostics.append(Diagnostic("error", "no RIS records found (no line starts with 'TY  - ')", name))
    return ImportResult(records, diagnostics)


class Block(NamedTuple):
    """One record's lines, normalised to `XX  - value`, as rispy reads them."""

    line: int
    """The line of its TY."""
    text: str
    unended: tuple[str, int] | None
    """(tag, line) of its last field when the file ends before the record's ER; else None."""


_LINE_BOM = re.compile("^\ufeff+", re.MULTILINE)
_CUT_ER = re.compile(r"\s*ER\s*")
"""An ER line cut before its hyphen: the end of the record all the same, never a value."""


def split_records(text: str) -> list[Block]:
    """The records' blocks in file order; a last record the file ends before its ER is marked."""
    # a byte-order mark starting a line (files joined one after the other) is not text; one
    # inside a value is the reader's zero-width no-break space and stays
    text = _LINE_BOM.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[Block] = []
    current: list[str] | None = None
    start = 0
    last_tag = ("TY", 0)  # the current record's last tag and its line
    lines = text.split("\n")
    tags = [_tag_of(raw) for raw in lines]
    last_line = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), 0)
    for lineno, raw in enumerate(lines, start=1):
        m = _TAG_LINE.match(raw)
        tag = tags[lineno - 1]
        if tag is None:
            m = None
        if m and tag == "TY":
            if current and len(current) > 1 and _starts_a_record(tags[lineno:]):
                # no ER before this TY, but a title or author follows: the ER was left out
                blocks.append(Block(start, "\n".join(current + ["ER  - "]), None))
            elif current:
                # a TY with nothing after it, or with only stray fields before the next TY or ER:
                # it names the same record's type (the last one wins) rather than a record
                current[0] = f"TY  - {m.group(3).strip()}"
                continue
            current, start, last_tag = [f"TY  - {m.group(3).strip()}"], lineno, ("TY", lineno)
            continue
        if current is None:
            continue
        if tag == "ER" or (lineno == last_line and _CUT_ER.fullmatch(raw)):
            blocks.append(Block(start, "\n".join(current + ["ER  - "]), None))
            current = None
        elif m:
            current.append(f"{tag}  - {m.group(3).strip()}")
            last_tag = (str(tag), lineno)
        elif raw.strip():
            current.append(raw.strip())  # a continuation line: rispy appends it to the previous tag
            last_tag = (last_tag[0], lineno)
    if current:
        blocks.append(Block(start, "\n".join(current + ["ER  - "]), last_tag))
    return blocks


def _tag_of(line: str) -> str | None:
    m = _TAG_LINE.match(line)
    if m and (m.group(2) == "  " or m.group(1) in _KNOWN_TAGS):
        return m.group(1)
    return None


def _starts_a_record(following: list[str | None]) -> bool:
    """True when the lines after a TY, up to the next TY or ER, carry a title or an author."""
    for tag in following:
        if tag in ("TY", "ER"):
            return False
        if tag in ("TI", "T1", "CT", "BT", "AU", "A1"):
            return True
    return False


def read_fields(block: str) -> dict[str, list[str]]:
    """Tag -> values, in order, via rispy with tags kept as their own names."""
    mapping = {tag: tag for tag in rispy.TAG_KEY_MAPPING}
    mapping["UK"] = "UK"
    # no delimiters: rispy would split every UR at ";", also inside a URL; `_links` splits them
    options = {"mapping": mapping, "list_tags": _LIST_TAGS, "enforce_list_tags": False, "delimiter_tags_mapping": {}}
    try:
        entries = rispy.loads(block, **options)
    except TypeError:
        # rispy cannot add a continuation line to a repeated single-value tag ("AB" twice, then
        # a bare line): join continuation lines to their tag line ourselves and read again
        entries = rispy.loads(_join_continuations(block), **options)
    fields: dict[str, list[str]] = {}
    if not entries:
        return fields
    for tag, value in entries[0].items():
        if tag == "UK" and isinstance(value, dict):
            for utag, uvalue in value.items():
                utag = utag if isinstance(utag, str) else "untagged"  # rispy's key for text under no tag
                fields[utag] = [str(v) for v in (uvalue if isinstance(uvalue, list) else [uvalue])]
            continue
        values = value if isinstance(value, list) else [value]
        fields[tag] = [str(v).strip() for v in values if str(v).strip()]
    # AU and A1 are both primary authors; keep them in the order the file gives them
    fields["_AUTHORS"] = [
        line[6:].strip() for line in block.split("\n") if line[:2] in ("AU", "A1") and line[6:].strip()
    ]
    return fields


def _join_continuations(block: str) -> str:
    lines: list[str] = []
    for line in block.split("\n"):
        if lines and line.strip() and _tag_of(line) is None:  # a continuation, as split_records saw it
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
        else:
            lines.append(line)
    return "\n".join(lines)


def _first(fields: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        for value in fields.get(tag, []):
            if value.strip():
                return value.strip()
    return ""


def read_ris_name(text: str) -> Person:
    """A RIS name: "Family, Given[, Suffix]" per the spec; without a comma, the name as a whole.

    A comma-less name is kept as a literal ("World Health Organization", "De Vlinderstichting"):
    the spec has no "Given Family" order to split by.
    """
    text = " ".join(text.split()).strip(" ,")
    if not text:
        return Person()
    if "," not in text:
        return Person(literal=text) if " " in text else Person(family=text)
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 3 and parts[2]:
        return Person(family=parts[0], given=parts[1], suffix=", ".join(parts[2:]))
    return parse_name(f"{parts[0]}, {parts[1]}") if parts[1] else Person(family=parts[0])


def _people(values: list[str]) -> list[Person]:
    people = []
    for value in values:
        # some exporters put several authors on one line, separated by semicolons
        for part in value.split(";") if ";" in value else [value]:
            person = read_ris_name(part)
            if person != Person():
                people.append(person)
    return people


# Types whose M1 EndNote fills with the issue or number: periodical articles and generic works.
_M1_IS_ISSUE = {"JOUR", "JFULL", "EJOUR", "ABST", "INPR", "MGZN", "NEWS", "GEN", "UNPB"}


def _looks_like_issue(value: str) -> bool:
    """A short label ("3", "Suppl 2", "Spring"), not the notes some exporters put in M1."""
    return 0 < len(value) <= 16 and len(value.split()) <= 3 and not value.endswith(".")


def to_record(fields: dict[str, list[str]], file: str, number: int) -> tuple[Record | None, list[Diagnostic]]:
    """Map one record's tags to a Record; None when it has no fields besides TY."""
    problems: list[Diagnostic] = []
    ris_type = _first(fields, "TY").upper()
    csl_type = TYPES.get(ris_type, "article-journal" if not ris_type else "document")
    title, container_tags = _title_and_container_tags(fields, csl_type)
    if not any(values for tag, values in fields.items() if tag != "TY"):
        return None, problems
    authors, editors, series_editors, people_tags = _contributors(fields, ris_type)
    year, date = _year_and_date(fields)
    url, extra = _links(fields, file, number, problems)
    doi = _doi(fields)
    abstract_text = _first(fields, "AB", "N2")
    abstract, fulltext = split_abstract(abstract_text) if abstract_text else ("", "")
    isbn, issn = _isbn_and_issn(fields, csl_type)
    issue = _issue(fields, ris_type)
    _keep_unmapped(fields, extra, issue, people_tags)
    container = _container(fields, container_tags, title, extra)
    procite = procite_notes(fields)
    volume, edition = _first(fields, "VL"), _first(fields, "ET")
    if is_procite(fields) and ris_type in _PROCITE_IS_IS_VOLUME and _first(fields, "IS"):
        # ProCite writes a book's, score's or film's edition to VL and its volume to IS
        edition = edition or volume
        volume, issue = _first(fields, "IS"), ""
    elif procite.get("Volume ID"):
        # ProCite writes a chapter's or book's edition to VL and the volume to a note
        if volume and volume != procite["Volume ID"]:
            edition = edition or volume
        volume = procite["Volume ID"]
    issue = issue or procite.get("Issue ID", "")
    container = container or procite.get("Proceedings Title", "")
    if not editors and procite.get("Author, Monographic"):
        editors = [read_ris_name(procite["Author, Monographic"])]
    place = _first(fields, "CY")
    if ris_type == "BILL" and not container and place:
        container, place = place, ""  # ProCite writes a bill's code to CY; a bill has no place
    record = Record(
        title=title,
        type=csl_type,
        authors=authors,
        editors=editors,
        translators=_people(fields.get("A4", [])),
        collection_editors=series_editors,
        container_title=container,
        year=year,
        date=date,
        volume=volume,
        issue=issue,
        pages=join_pages(_first(fields, "SP"), _first(fields, "EP"))
        if "EP" in fields
        else normalize_pages(_first(fields, "SP")),
        publisher=_first(fields, "PB"),
        place=place,
        edition=edition,
        doi=doi,
        isbn=isbn,
        issn=issn,
        url=url,
        abstract=abstract,
        fulltext=fulltext,
        keywords=_keywords(fields),
        language=_first(fields, "LA"),
        note="\n".join(fields.get("N1", [])),
        extra=extra,
        unparsed=_unparsed(fields, file, number, problems),
        citekey=meaningful_citekey(_first(fields, "ID")),
        source=Source(file=file, format=FORMAT, record=number),
    )
    if record.citekey:
        record.extra.pop("ID", None)
    if ris_type and ris_type not in TYPES:
        record.extra.setdefault("TY", ris_type)
    return record, problems


_PROCITE_IS_IS_VOLUME = frozenset({"BOOK", "MUSIC", "ADVS"})
"""Types whose IS a ProCite export fills with the volume ("Volume ID"), and VL with the edition."""
_PROCITE_NOTE = re.compile(r"^(Volume ID|Issue ID|Proceedings Title|Author, Monographic):\s*(\S.*)$")
_PROCITE_RECORD = re.compile(r"^Record (?:ID|Number):\s*\d+\s*$")


def procite_notes(fields: dict[str, list[str]]) -> dict[str, str]:
    """Fields a ProCite export wrote as `N1  - Label: value` notes, by label.

    ProCite has more fields than RIS has tags and writes the rest as labelled notes, starting
    with "Record ID: n" (or "Record Number: n"); the volume, issue, proceedings title and
    monographic author (an editor) are read back from them, as Zotero does. Only in a record
    with that first note, so an ordinary note that happens to start "Volume ID:" stays a note.
    The notes themselves stay in `note`, so nothing is lost.
    """
    if not is_procite(fields):
        return {}
    found: dict[str, str] = {}
    for note in fields.get("N1", []):
        m = _PROCITE_NOTE.match(note.strip())
        if m:
            found.setdefault(m.group(1), m.group(2).strip())
    return found


def is_procite(fields: dict[str, list[str]]) -> bool:
    """True for a record ProCite exported: one of its notes is "Record ID: n" ("Record Number: n")."""
    return any(_PROCITE_RECORD.match(n.strip()) for n in fields.get("N1", []))


def _title_and_container_tags(fields: dict[str, list[str]], csl_type: str) -> tuple[str, tuple[str, ...]]:
    """The title, and the tags to look for the container in: they differ by type, since EndNote
    files a conference paper's and a chapter's container under other tags than a journal's."""
    title = _first(fields, "TI", "T1", "CT")
    container_tags: tuple[str, ...] = ("T2", "JF", "JO", "JA", "J2", "J1")
    if csl_type == "paper-conference":
        # EndNote writes a conference paper's proceedings title to C3 and the conference's name to T2
        container_tags = ("C3", "BT", "T2", "JF", "JO", "JA", "J2")
    elif csl_type == "chapter":
        container_tags = ("BT", "T2", "JF", "JO", "JA", "J2")
    elif csl_type == "legal_case":
        # EndNote writes a case's reporter ("U.S.", the series its decisions are printed in) to A2
        # and a parallel citation to J2; the reporter is the case's container, as Zotero reads it
        container_tags = ("A2", "T2", "JF", "JO", "JA", "J2", "J1")
    elif csl_type == "book" and not title:
        title = _first(fields, "BT")
    return title, container_tags


A2_NOT_EDITOR = frozenset(
    {
        "BILL",
        "CASE",
        "HEAR",
        "STAT",
        "PAT",
        "MAP",
        "SOUND",
        "VIDEO",
        "MPCT",
        "ADVS",
        "ART",
        "COMP",
        "DATA",
        "ELEC",
        "ICOMM",
        "PCOMM",
        "BLOG",
        "WEB",
        # the spec's labels: a government document's "Department", a catalog's or pamphlet's
        # "Institution", a regulation's "Organization, Issuing", an equation's, figure's or
        # chart's "Name of File" (zotero-RIS-03)
        "GOVDOC",
        "CTLG",
        "PAMP",
        "LEGAL",
        "EQUA",
        "FIGURE",
        "CHART",
    }
)
"""Types whose A2 is not an editor (the spec's and EndNote's other meanings of it); the RIS export
writes the editors of these types under ED."""


_A2_SERIES_EDITOR = frozenset({"BOOK", "EDBOOK", "CLSWK", "RPRT", "UNPB"})
"""Types whose A2 is the series editor in the RIS spec's table of tags per type, which EndNote's
and Zotero's exports follow (zotero-RIS-03 labels each value with its field: a book's "A2 - Editor,
Series", "A3 - Editor"); for a chapter or a conference paper A2 is the editor and A3 the series's."""
_A3_EDITOR = frozenset({"BOOK"})
"""Types whose A3 is the editor of the work itself."""


_A3_NOT_SERIES_EDITOR = frozenset({"THES", "RPRT", "CASE", "PAT", "MPCT", "BLOG"})
"""Types whose A3 the spec (and EndNote, and ProCite for a thesis) gives another meaning than the
series editor: a thesis's advisor, a report's publisher, a case's higher court, a patent's
international author, a film's producer, a blog's illustrator. It is kept in `extra` as written."""


def _contributors(
    fields: dict[str, list[str]], ris_type: str
) -> tuple[list[Person], list[Person], list[Person], frozenset[str]]:
    """Authors, editors, series editors, and which of A2 and A3 were read as one of them.

    A2 and A3 mean different people by type (a book's series editor and editor, a chapter's
    editor and series editor, a bill's sponsor, a thesis's advisor); a tag used so is not kept
    again in `extra`. ProCite, which writes "Record ID" notes, files every type's series editor
    under A3 and its editor or compiler under A2 (zotero-RIS-05), so the spec's book rows do not
    apply to it.
    """
    authors = _people(fields.get("_AUTHORS", []))
    a2, a3, ed = (_people(fields.get(tag, [])) for tag in ("A2", "A3", "ED"))
    a3_is_series = ris_type not in _A3_NOT_SERIES_EDITOR
    series = a3 if a3_is_series else []
    a3_used = frozenset({"A3"} if a3_is_series else ())
    if ris_type == "SOUND" and a2:
        # a sound recording's A2 is its performer (ProCite's label), a creator of the recording
        # as much as the composer: CSL has no performer role that citations show, and Zotero's
        # CSL export makes a recording's performer its author too
        return authors + a2, ed, series, a3_used | {"A2"}
    if not authors and ris_type == "BILL" and a2:
        return a2, ed, series, a3_used | {"A2"}  # EndNote's A2 of a bill is its sponsor, the bill's author
    if ris_type == "EDBOOK":
        authors, ed = [], authors + ed  # an edited book's AU ("Editor" in the spec) are its editors
    if ris_type in _A2_SERIES_EDITOR and not is_procite(fields):
        if ris_type in _A3_EDITOR:
            return authors, a3 + ed, a2, frozenset({"A2", "A3"})
        return authors, ed, a2 + series, a3_used | {"A2"}
    # A2, the "secondary author", is an editor for every other type but those where EndNote gives
    # it another meaning (a case's reporter, a map's series editor…)
    if ris_type in A2_NOT_EDITOR:
        return authors, ed, series, a3_used
    return authors, a2 + ed, series, a3_used | {"A2"}


def _unparsed(fields: dict[str, list[str]], file: str, number: int, problems: list[Diagnostic]) -> dict[str, str]:
    """Values their field cannot hold, by tag, each reported: a date without a year in it, a DO
    that is no DOI. They are kept on the page to be fixed. (A volume is text in every format, so
    "Suppl" or "Volume ID" is a volume as written, not a bad value.)"""
    bad: dict[str, str] = {}
    for tag in ("PY", "DA", "Y1"):
        for value in fields.get(tag, []):
            if value.strip(" /") and parse_date_text(value)[0] is None:
                bad.setdefault(tag, value)
    for value in fields.get("DO", []):
        if value.strip() and not normalize_doi(value):
            bad.setdefault("DO", value)
    what = {"PY": "a date", "DA": "a date", "Y1": "a date", "DO": "a DOI"}
    for tag, value in bad.items():
        message = f"{tag}: {value!r} is not {what[tag]}; kept under `unparsed` on the page"
        problems.append(Diagnostic("warning", message, file=file, record=number))
    return bad


def _year_and_date(fields: dict[str, list[str]]) -> tuple[int | None, str]:
    """The first year any date tag gives, with the fullest date of that year.

    PY is the year field of the spec, DA the full date, Y1 the legacy primary date; exporters
    fill them inconsistently, so a later tag may add the month and day to the year PY gave.
    """
    year: int | None = None
    date = ""
    for tag in ("PY", "DA", "Y1"):
        for value in fields.get(tag, []):
            y, d = parse_date_text(value)
            if y is None:
                continue
            if year is None:
                year, date = y, d
            elif y == year and len(d) > len(date):
                date = d
    return year, date


def _links(
    fields: dict[str, list[str]], file: str, number: int, problems: list[Diagnostic]
) -> tuple[str, dict[str, str]]:
    """The record's URL (the first safe UR or L2), and the other links kept in `extra` by tag.

    Unsafe URLs are dropped with a warning appended to `problems`, so no script URL reaches a page.
    """
    url = ""
    extra: dict[str, str] = {}
    for tag in ("UR", "L1", "L2", "L3", "L4"):
        kept: list[str] = []
        for value in fields.get(tag, []):
            for piece in _URLS_APART.split(value) if tag == "UR" else [value]:
                piece = piece.strip()
                if not piece:
                    continue
                safe, warning = check_url(piece, file, number)
                if warning:
                    problems.append(warning)
                    continue
                if safe and not url and tag in ("UR", "L2"):
                    url = safe
                else:
                    kept.append(piece)
        if kept:
            extra[tag] = "\n".join(kept)
    return url, extra


_URLS_APART = re.compile(r";\s*(?=[A-Za-z][A-Za-z0-9+.-]*://)")
"""Where a UR line that holds several URLs ("a; b", as some exporters write) is split: at a
semicolon before the next URL's scheme, not at one inside a URL (`;jsessionid=`, `a=1;b=2`)."""


def _doi(fields: dict[str, list[str]]) -> str:
    """The first valid DO; failing that, a doi.org link in UR, where many exporters put the DOI."""
    for value in fields.get("DO", []):
        doi = normalize_doi(value)
        if doi:
            return doi
    return next((normalize_doi(u) for u in fields.get("UR", []) if "doi.org/" in u.lower()), "")


def _isbn_and_issn(fields: dict[str, list[str]], csl_type: str) -> tuple[str, str]:
    """SN holds either an ISBN or an ISSN: tell them apart by their digits, and by the type."""
    isbn = issn = ""
    for value in fields.get("SN", []):
        if looks_like_isbn(value) or (
            csl_type in ("book", "chapter") and not re.fullmatch(r"\d{4}-?\d{3}[\dXx]", value)
        ):
            isbn = isbn or value
        else:
            issn = issn or value
    return isbn, issn


def _keywords(fields: dict[str, list[str]]) -> list[str]:
    """KW values, each once; some exporters put several on one line separated by semicolons."""
    keywords: list[str] = []
    for value in fields.get("KW", []):
        for kw in value.split(";") if ";" in value else [value]:
            kw = kw.strip()
            if kw and kw not in keywords:
                keywords.append(kw)
    return keywords


def _issue(fields: dict[str, list[str]], ris_type: str) -> str:
    """IS; failing that, M1 where EndNote writes the issue ("Number") of periodical types."""
    issue = _first(fields, "IS")
    if not issue and ris_type in _M1_IS_ISSUE and _looks_like_issue(_first(fields, "M1")):
        # JabRef and Zotero read M1 as the issue of these types too
        issue = _first(fields, "M1")
    return issue


def _keep_unmapped(
    fields: dict[str, list[str]], extra: dict[str, str], issue: str, people_tags: frozenset[str]
) -> None:
    """Put every tag no Record field took into `extra`, so an import loses nothing.

    M1 is left out when it became the issue, A2 and A3 when they became authors or editors.
    """
    m1_is_issue = bool(issue) and not _first(fields, "IS")
    for tag, values in fields.items():
        if not values or tag in _MAPPED or (tag == "M1" and m1_is_issue):
            continue
        if tag in people_tags:
            continue
        extra[tag] = "\n".join(values)


def _container(fields: dict[str, list[str]], container_tags: tuple[str, ...], title: str, extra: dict[str, str]) -> str:
    """The container title, and the title tags it did not take kept in `extra`.

    The other title tags are not lost: an abbreviation, a conference name, a series title. A C3
    that became the container (or repeats the title) is taken out of `extra` again.
    """
    container = _first(fields, *container_tags)
    if container == title:
        container = ""
    if container and container == _first(fields, "A2"):
        extra.pop("A2", None)  # a case's reporter, now its container
    for tag in ("C3", "BT", "T2", "JF", "JO", "JA", "J2", "J1"):
        value = _first(fields, tag)
        if value and value not in (container, title):
            extra.setdefault(tag, value)
        elif tag == "C3" and value:
            extra.pop(tag, None)
    return container
