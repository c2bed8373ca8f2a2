"""BibTeX / BibLaTeX importer: .bib text to Records.

bibtexparser splits the file into blocks and fields (values left raw); this module resolves
@string macros and `#` concatenation, inherits fields through `crossref`, converts LaTeX to
Unicode (`litweave.importers.latex`), splits `and`-separated names by BibTeX's rules, and maps the fields
to CSL terms. Blocks bibtexparser cannot read are reported by line and skipped.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import model as bibmodel

from litweave.importers.bibtex_delimiters import Unclosed, find_unclosed
from litweave.importers.fulltext import split_abstract
from litweave.importers.identity import normalize_doi
from litweave.importers.latex import latex_lines_to_unicode, latex_to_unicode
from litweave.importers.names import parse_bibtex_name, split_bibtex_names
from litweave.importers.normalize import (
    base_name,
    check_url,
    iso_date,
    month_number,
    normalize_pages,
    parse_date_text,
    unparsed_value,
)
from litweave.model import Diagnostic, ImportResult, Person, Record, Source

FORMAT = "bibtex"

TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "mvproceedings": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "unpublished": "manuscript",
    "misc": "document",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "patent": "patent",
    "periodical": "periodical",
    "dataset": "dataset",
    "software": "software",
    "artwork": "graphic",
    "audio": "song",
    "video": "motion_picture",
    "movie": "motion_picture",
    "music": "song",
    "image": "graphic",
    "letter": "personal_communication",
    "legislation": "legislation",
    "legal": "legal_case",
    "jurisdiction": "legal_case",
    "standard": "standard",
    "review": "review",
    "suppperiodical": "article-journal",
    "performance": "performance",
}
_TITLES = {
    "booktitle",
    "booksubtitle",
    "journaltitle",
    "journalsubtitle",
    "journal",
    "fjournal",
    "maintitle",
    "mainsubtitle",
}
_CONTAINED = {"chapter", "paper-conference", "entry-encyclopedia"}
_MONTH_MACROS = {
    m: str(i)
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}
_MAPPED = {
    "title",
    "author",
    "editor",
    "translator",
    "bookauthor",
    *_TITLES,
    "subtitle",
    "year",
    "date",
    "month",
    "day",
    "volume",
    "number",
    "issue",
    "pages",
    "publisher",
    "address",
    "location",
    "edition",
    "doi",
    "pmid",
    "isbn",
    "issn",
    "url",
    "abstract",
    "keywords",
    "language",
    "langid",
    "note",
    "crossref",
    "school",
    "institution",
    "organization",
    "eprint",
    "eprinttype",
    "type",
}


# BibLaTeX's data inheritance (biblatex.def): which parent type hands its title down under which
# name; any other pair copies fields under their own names (BibLaTeX's default, and BibTeX's).
def _renamed(prefix: str) -> dict[str, str]:
    return {"title": f"{prefix}title", "subtitle": f"{prefix}subtitle", "titleaddon": f"{prefix}titleaddon"}


_INHERITANCE: list[tuple[set[str], set[str], dict[str, str]]] = [
    ({"mvbook"}, {"book", "inbook", "bookinbook", "suppbook"}, _renamed("main")),
    ({"mvcollection", "mvreference"}, {"collection", "reference", "incollection", "inreference"}, _renamed("main")),
    ({"mvproceedings"}, {"proceedings", "inproceedings"}, _renamed("main")),
    ({"book"}, {"inbook", "bookinbook", "suppbook"}, _renamed("book")),
    ({"collection", "reference"}, {"incollection", "inreference", "suppcollection"}, _renamed("book")),
    ({"proceedings"}, {"inproceedings"}, _renamed("book")),
    ({"periodical"}, {"article", "suppperiodical"}, _renamed("journal")),
]
_NOT_INHERITED = {"crossref", "xref", "ids", "entryset", "entrysubtype", "label", "shorthand"}
_NOT_INHERITED |= {"shorttitle", "sorttitle", "indextitle", "indexsorttitle"}

logging.getLogger("bibtexparser").setLevel(logging.ERROR)


def parse(text: str, file: str) -> ImportResult:
    """Read every entry of a .bib file; unreadable blocks become diagnostics, the rest imports."""
    name = base_name(file)
    diagnostics: list[Diagnostic] = []
    text, mended = mend_missing_commas(text.lstrip("\ufeff"))
    for line in mended:
        diagnostics.append(Diagnostic("warning", "missing comma between two fields; read as if present", name, line))
    text = supply_missing_keys(text)
    library = bibtexparser.parse_string(text, parse_stack=[])
    macros, entries = _read_blocks(library.blocks, name, diagnostics, text)
    resolved, types = _resolve_entries(entries, macros, name, diagnostics)
    records = []
    for number, line, entry in entries:
        fields = _with_crossref(entry, resolved, types, name, line, number, diagnostics)
        records.append(to_record(entry.entry_type.casefold(), entry.key, fields, name, number, diagnostics))
    if not records and not diagnostics:
        diagnostics.append(Diagnostic("error", "no BibTeX entries found", name))
    return ImportResult(records, diagnostics)


_NOT_AN_ENTRY = re.compile(r"\s*@\s*(comment|preamble|string)\b", re.IGNORECASE)


def _read_blocks(
    blocks: list[bibmodel.Block], file: str, diagnostics: list[Diagnostic], text: str
) -> tuple[dict[str, str], list[tuple[int, int, bibmodel.Entry]]]:
    """The @string macros and the entries (number, line, entry), in file order.

    Entries are numbered as the file gives them, unreadable ones included, so a diagnostic's
    record number points at the entry the reader sees; comments and preambles are not counted.
    `text`: the text parsed, where an unreadable entry's end is looked at.
    """
    macros = dict(_MONTH_MACROS)
    entries: list[tuple[int, int, bibmodel.Entry]] = []
    number = 0
    for block in blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibmodel.String):
            macros[block.key.casefold()] = resolve_value(str(block.value), macros, file, line, None, diagnostics)
        elif isinstance(block, bibmodel.Entry):
            number += 1
            entries.append((number, line, block))
        elif isinstance(getattr(block, "ignore_error_block", None), bibmodel.Entry):
            number += 1
            entries.append((number, line, _duplicated_entry(block, file, line, number, diagnostics)))
        elif isinstance(block, bibmodel.ParsingFailedBlock) and not _NOT_AN_ENTRY.match(block.raw or ""):
            number += 1
            entry = _mended_entry(block, file, line, number, diagnostics, text)
            if entry is not None:
                entries.append((number, line, entry))
    return macros, entries


def _duplicated_entry(
    block: bibmodel.Block, file: str, line: int, number: int, diagnostics: list[Diagnostic]
) -> bibmodel.Entry:
    """The entry of a block with a duplicate key or field: it is readable, so keep it and say so."""
    inner: bibmodel.Entry = getattr(block, "ignore_error_block")  # noqa: B009
    problem = "duplicate citation key" if isinstance(block, bibmodel.DuplicateBlockKeyBlock) else "duplicate field in"
    diagnostics.append(
        Diagnostic("warning", f"{problem} {inner.key!r}; the first value of a field is kept", file, line, number)
    )
    return inner


def _mended_entry(
    block: bibmodel.ParsingFailedBlock, file: str, line: int, number: int, diagnostics: list[Diagnostic], text: str
) -> bibmodel.Entry | None:
    """A block bibtexparser could not read, read after all when only its delimiters were mixed.

    Otherwise None, with an error naming what is wrong, so the rest of the file still imports.
    """
    entry = mend_delimiters(block.raw or "")
    if entry is not None:
        diagnostics.append(
            Diagnostic(
                "warning", f"entry {entry.key!r} opens with '{{' and closes with ')'; read anyway", file, line, number
            )
        )
        return entry
    error = getattr(block, "error", None)
    stop = getattr(error, "end_index", None)
    at_end = stop is None or stop >= len(text)
    # only an entry read to the end of the file or to the next entry is whole in `raw`: any other
    # failure stops at the mark bibtexparser did not expect, and its reason says what is wrong
    whole = at_end or text[stop:].lstrip().startswith("@")
    unclosed = find_unclosed(block.raw or "", line) if whole else None
    message, where = unreadable_entry(block.raw or "", line, unclosed, at_end, getattr(error, "abort_reason", ""))
    diagnostics.append(Diagnostic("error", message, file, where, number))
    return None


_KEY = re.compile(r"@[ \t]*[A-Za-z][\w-]*[ \t]*[{(][ \t\n]*([^,\s{}()]*)")


def unreadable_entry(raw: str, line: int, unclosed: Unclosed | None, at_end: bool, reason: str) -> tuple[str, int]:
    """The error for an entry that cannot be read, and the line it points at: the line the open
    brace or quote opens on, when one is left open; else the entry's first line."""
    key = _KEY.match(raw)
    entry = f"entry {key.group(1)!r}" if key and key.group(1) else "entry"
    next_line = line + raw.rstrip().count("\n") + 1
    if unclosed is None:
        why = reason.strip().rstrip(".").replace("`", "'") or "a syntax error"
        return f"{entry} cannot be read ({why}); skipped", line
    what = unclosed.describe()
    if unclosed.closed_on is not None:
        return (
            f"{entry} cannot be read: {what} closes only on line {unclosed.closed_on}, taking in line "
            f"{unclosed.overrun}, which looks like the next field; a '{unclosed.closer}' is probably missing "
            "before it (the entry's own closing brace closed the value instead); skipped",
            unclosed.line,
        )
    hint = (
        f" (line {unclosed.overrun} inside it looks like the next field: a '{unclosed.closer}' is probably missing "
        "before it)"
        if unclosed.overrun is not None
        else ""
    )
    if at_end:
        message = f"{entry} is cut off by the end of the file: {what} is never closed{hint}; it may be truncated"
    else:
        message = f"{entry} cannot be read: {what} is not closed before the next entry on line {next_line}{hint}"
    return message + "; skipped", unclosed.line


def _resolve_entries(
    entries: list[tuple[int, int, bibmodel.Entry]], macros: dict[str, str], file: str, diagnostics: list[Diagnostic]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Every entry's resolved fields and its type, by case-folded key.

    All entries are resolved before any is mapped, since a crossref may point forward.
    """
    resolved: dict[str, dict[str, str]] = {}
    types: dict[str, str] = {}
    for number, line, entry in entries:
        fields = {
            f.key.casefold(): resolve_value(str(f.value), macros, file, line, number, diagnostics) for f in entry.fields
        }
        resolved[entry.key.casefold()] = fields
        types[entry.key.casefold()] = entry.entry_type.casefold()
    return resolved, types


def _with_crossref(
    entry: bibmodel.Entry,
    resolved: dict[str, dict[str, str]],
    types: dict[str, str],
    file: str,
    line: int,
    number: int,
    diagnostics: list[Diagnostic],
) -> dict[str, str]:
    """A copy of the entry's fields, filled from its crossref parent; a missing parent is a warning."""
    fields = dict(resolved[entry.key.casefold()])
    parent_key = fields.get("crossref", "").strip().casefold()
    if parent_key:
        parent = resolved.get(parent_key)
        if parent is None:
            diagnostics.append(Diagnostic("warning", f"crossref {parent_key!r} not found", file, line, number))
        else:
            inherit(fields, parent, entry.entry_type.casefold(), types[parent_key])
    return fields


_FIELD_START = re.compile(r"[ \t]*[A-Za-z][\w:.+-]*[ \t]*=")


def mend_missing_commas(text: str) -> tuple[str, list[int]]:
    """Supply the comma left out between two fields on separate lines; give the lines mended.

    `title = {…}` ending a line and `file = {…}` starting the next, with no comma between, are
    two fields to Zotero and citation-js but one run-on value to a strict parser.
    """
    out: list[str] = []
    mended: list[int] = []
    depth = 0
    quoted = False
    last = ""  # the last character that is not whitespace, at the level of an entry's fields
    line = 1
    for index, char in enumerate(text):
        if char == "\n":
            if depth == 1 and not quoted and last in ("}", '"') and _FIELD_START.match(text, index + 1):
                out.append(",")
                mended.append(line)
                last = ","
            line += 1
        out.append(char)
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 1:
            quoted = not quoted
        if depth <= 1 and not char.isspace():
            last = char
    return "".join(out), mended


def mend_delimiters(raw: str) -> bibmodel.Entry | None:
    """An entry bibtexparser rejected for opening with `{` and closing with `)`, read after all."""
    stripped = raw.strip()
    if not re.match(r"@\s*[A-Za-z]+\s*\{", stripped) or not stripped.endswith(")"):
        return None
    library = bibtexparser.parse_string(stripped[:-1] + "}", parse_stack=[])
    entries = [b for b in library.blocks if isinstance(b, bibmodel.Entry)]
    return entries[0] if len(entries) == 1 and len(library.blocks) == 1 else None


_KEYLESS = re.compile(r"(@\s*(?!string|preamble|comment)[A-Za-z]+\s*[{(])(\s*)(?=[A-Za-z][\w-]*\s*=)", re.IGNORECASE)


def supply_missing_keys(text: str) -> str:
    """Give a key to entries written without one (EndNote's BibTeX export) so they can be read."""
    counter = iter(range(1, 1_000_000))
    return _KEYLESS.sub(lambda m: f"{m.group(1)}nokey{next(counter)},{m.group(2)}", text)


def inherit(child: dict[str, str], parent: dict[str, str], child_type: str = "", parent_type: str = "") -> None:
    """Fill a child entry's missing fields from its crossref parent by BibLaTeX's inheritance rules.

    A book's title becomes its chapter's booktitle, a periodical's title an article's journaltitle,
    a multi-volume work's title its volume's maintitle; other fields keep their names.
    """
    renamed = next(
        (names for parents, children, names in _INHERITANCE if parent_type in parents and child_type in children),
        {},
    )
    for key, value in parent.items():
        if key in _NOT_INHERITED:
            continue
        if key in renamed:
            child.setdefault(renamed[key], value)
        elif not (renamed and key in renamed.values()):  # the renamed title wins over a parent's own
            child.setdefault(key, value)


def _split_concat(raw: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    in_quote = False
    cur = ""
    for i, c in enumerate(raw):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0 and (i == 0 or raw[i - 1] != "\\"):
            in_quote = not in_quote
        elif c == "#" and depth == 0 and not in_quote:
            parts.append(cur)
            cur = ""
            continue
        cur += c
    parts.append(cur)
    return [p.strip() for p in parts]


def resolve_value(
    raw: str, macros: dict[str, str], file: str, line: int, record: int | None, diagnostics: list[Diagnostic]
) -> str:
    """A field's value with braces/quotes unwrapped, macros expanded and `#` parts joined (LaTeX kept)."""
    out = []
    for part in _split_concat(raw.strip()):
        if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
            out.append(part[1:-1])
        elif part.isdigit() or not part:
            out.append(part)
        elif part.casefold() in macros:
            out.append(macros[part.casefold()])
        else:
            # BibTeX would use an empty string; the macro's name tells the reader more (so do
            # Better BibTeX and JabRef)
            diagnostics.append(Diagnostic("warning", f"undefined @string macro {part!r}", file, line, record))
            out.append(part)
    return "".join(out)


def _people(value: str) -> list[Person]:
    people = []
    for name in split_bibtex_names(value):
        if name.casefold() == "others":
            continue
        person = parse_bibtex_name(name, latex_to_unicode)
        if person != Person():
            people.append(person)
    return people


def _date(fields: dict[str, str]) -> tuple[int | None, str]:
    if fields.get("date"):
        start = latex_to_unicode(fields["date"]).split("/")[0]
        year, date = parse_date_text(start)
        if year is not None:
            return year, date
    year_text = latex_to_unicode(fields.get("year", ""))
    m = re.search(r"\d{4}", year_text)
    if not m:
        return None, ""
    year = int(m.group(0))
    month = (
        month_number(re.split(r"[\s/\-–]", latex_to_unicode(fields.get("month", "")).strip() or " ")[0])
        if fields.get("month")
        else None
    )
    day_text = fields.get("day", "").strip()
    day = int(day_text) if day_text.isdigit() else None
    return year, iso_date(year, month, day)


def to_record(
    entry_type: str, key: str, fields: dict[str, str], file: str, number: int, diagnostics: list[Diagnostic]
) -> Record:
    """Map one entry's fields to a Record."""
    csl_type = TYPES.get(entry_type, "document")
    title, container, used = _titles(entry_type, csl_type, fields)
    year, date = _date(fields)
    doi, url = _doi_and_url(fields, file, number, diagnostics)
    abstract, fulltext = split_abstract(_text(fields, "abstract")) if fields.get("abstract") else ("", "")
    return Record(
        title=title,
        type=csl_type,
        authors=_people(fields.get("author", "")),
        editors=_people(fields.get("editor", "")),
        translators=_people(fields.get("translator", "")),
        container_authors=_people(fields.get("bookauthor", "")),
        container_title=container,
        year=year,
        date=date,
        volume=_text(fields, "volume"),
        issue=_text(fields, "number", "issue"),
        pages=normalize_pages(_text(fields, "pages")),
        publisher=_publisher(fields, csl_type),
        place=_text(fields, "address", "location"),
        edition=_text(fields, "edition"),
        doi=doi,
        pmid=_pmid(fields),
        isbn=_text(fields, "isbn"),
        issn=_text(fields, "issn"),
        url=url,
        abstract=abstract,
        fulltext=fulltext,
        keywords=_keywords(fields),
        language=_text(fields, "language", "langid"),
        note=_text(fields, "note"),
        extra=_extra(entry_type, fields, used),
        unparsed=_unparsed(fields, year, doi, file, number, diagnostics),
        citekey=key.strip(),
        source=Source(file=file, format=FORMAT, record=number),
    )


def _text(fields: dict[str, str], *names: str) -> str:
    """The first of the named fields that is not blank, LaTeX converted to Unicode."""
    for n in names:
        if fields.get(n, "").strip():
            return latex_to_unicode(fields[n])
    return ""


def _titled(fields: dict[str, str], main: str, sub: str) -> str:
    """A title with its BibLaTeX subtitle ("Edward Hopper: Transformaties van het werkelijke")."""
    head, tail = _text(fields, main), _text(fields, sub)
    return f"{head}: {tail}" if head and tail else head or tail


_BOOK_TITLE = frozenset({"booktitle", "booksubtitle"})


def _titles(entry_type: str, csl_type: str, fields: dict[str, str]) -> tuple[str, str, set[str]]:
    """The title, the container title, and the title fields the container took.

    Which field names the container depends on the type: a chapter's is its booktitle, an
    article's its journal, one volume's the multi-volume work. The title fields not taken are
    kept in `extra`, so they must be known.
    """
    used: set[str] = set()
    title = _titled(fields, "title", "subtitle")
    book_title = _titled(fields, "booktitle", "booksubtitle")
    journal, journal_fields = _journal(fields)
    main_title = _titled(fields, "maintitle", "mainsubtitle")
    if entry_type == "inreference" and fields.get("lista") and title:
        # biblatex-chicago: the title names the reference work, `lista` the entry in it
        title, book_title = _text(fields, "lista"), title
    if csl_type in _CONTAINED or entry_type == "inbook":
        container = book_title or journal
        used |= _BOOK_TITLE if book_title else journal_fields
        if entry_type == "inbook" and not title:
            title, container = container, ""
    else:
        container = journal
        used |= journal_fields
        if not container and csl_type != "book":
            container = book_title
            used |= _BOOK_TITLE
    if not title and csl_type == "book":
        title = book_title
        used |= _BOOK_TITLE
    if not container and csl_type == "book" and main_title:
        container = main_title  # one volume of a multi-volume work: the whole is its container
        used |= {"maintitle", "mainsubtitle"}
    return title, container, used


def _journal(fields: dict[str, str]) -> tuple[str, set[str]]:
    """The journal's title and the fields it came from, the full title preferred.

    MathSciNet writes the abbreviation in `journal` and the full title in `fjournal`.
    """
    journal_fields = next(
        (
            f
            for f in ({"journaltitle", "journalsubtitle"}, {"fjournal"}, {"journal"})
            if any(_text(fields, n) for n in f)
        ),
        set(),
    )
    if "journaltitle" in journal_fields:
        return _titled(fields, "journaltitle", "journalsubtitle"), journal_fields
    return _text(fields, *journal_fields), journal_fields


def _unparsed(
    fields: dict[str, str], year: int | None, doi: str, file: str, number: int, diagnostics: list[Diagnostic]
) -> dict[str, str]:
    """A year or date without a year in it, a `doi` that is no DOI: kept, by field name, and reported."""
    bad: dict[str, str] = {}
    if year is None:
        for name in ("date", "year"):
            if fields.get(name, "").strip():
                unparsed_value(name, fields[name], "a date", file, number, bad, diagnostics)
    if fields.get("doi", "").strip() and not doi:
        unparsed_value("doi", fields["doi"], "a DOI", file, number, bad, diagnostics)
    return bad


def _doi_and_url(fields: dict[str, str], file: str, number: int, diagnostics: list[Diagnostic]) -> tuple[str, str]:
    """The DOI, and the first URL of `url` (an unsafe one dropped with a warning); a doi.org URL
    gives the DOI when no `doi` field does."""
    doi = normalize_doi(_link_text(fields["doi"])) if fields.get("doi") else ""
    url = ""
    if fields.get("url"):
        raw = _link_text(fields["url"])
        url, warning = check_url(raw.split()[0] if raw else "", file, number)
        if warning:
            diagnostics.append(warning)
        if not doi and "doi.org/" in url.lower():
            doi = normalize_doi(url)
    return doi, url


_LINK_LITERAL = re.compile(r"(?<!\\)([~$&#_])")
_LINK_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=[`!?])(?=`)|(?<=')(?=')")


def _link_text(value: str) -> str:
    """A url or doi value: LaTeX decoded as biber decodes it (`\\'{e}`, `\\%`), but `~`, `$`,
    `&`, `#` and `_` are the characters themselves, as in any URL (`~user`, `?a=1&b=2`), not a
    no-break space, math or a table's column, and `--` stays two hyphens."""
    value = _LINK_LITERAL.sub(lambda m: r"\textasciitilde{}" if m.group(1) == "~" else "\\" + m.group(1), value)
    return latex_to_unicode(_LINK_LIGATURE.sub("{}", value))


def _pmid(fields: dict[str, str]) -> str:
    """`pmid`, or a PubMed `eprint` as BibLaTeX writes it."""
    pmid = _text(fields, "pmid")
    if not pmid and fields.get("eprinttype", "").casefold() == "pubmed":
        pmid = _text(fields, "eprint")
    return pmid


def _keywords(fields: dict[str, str]) -> list[str]:
    """`keywords` split on ";" when present, so MeSH-style keywords holding commas
    ("Receptor, ErbB-2") survive; on "," otherwise."""
    raw_keywords = _text(fields, "keywords")
    return [k.strip() for k in raw_keywords.split(";" if ";" in raw_keywords else ",") if k.strip()]


def _publisher(fields: dict[str, str], csl_type: str) -> str:
    """`publisher`; for a thesis or report, the school or institution that issued it."""
    publisher = _text(fields, "publisher")
    if not publisher and csl_type in ("thesis", "report"):
        publisher = _text(fields, "school", "institution", "organization")
    return publisher


# BibLaTeX's verbatim fields (paths, keys), which every reader takes as written: a Windows path
# (`C:\\some\\file.pdf`) or a key is no LaTeX. BibDesk's `bdsk-file-N` is base64.
_VERBATIM = frozenset(
    {"file", "files", "filename", "pdf", "verba", "verbb", "verbc", "xref", "ids", "entryset", "related"}
)
_LINK_FIELD = re.compile(r"(?:bdsk-)?urls?-?\d*")


def _extra_value(name: str, value: str) -> str:
    """A field no Record field took, as the page keeps it: decoded like the others (its lines
    kept: a comment's list stays a list), a link like `url`, a verbatim field as written."""
    if name in _VERBATIM or name.startswith("bdsk-file-"):
        return value
    if _LINK_FIELD.fullmatch(name):
        return _link_text(value)
    return latex_lines_to_unicode(value)


def _extra(entry_type: str, fields: dict[str, str], used: set[str]) -> dict[str, str]:
    """What no Record field took, so an import loses nothing: a title field the container did not
    use, for one, and an unknown entry type (the citation key is the record's `citekey`)."""
    extra = {
        k: _extra_value(k, v) for k, v in fields.items() if (k not in _MAPPED or k in _TITLES - used) and v.strip()
    }
    if fields.get("type"):
        extra["type"] = latex_to_unicode(fields["type"])
    if entry_type not in TYPES:
        extra["ENTRYTYPE"] = entry_type
    return extra
