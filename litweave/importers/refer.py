"""Importer for Refer and EndNote tagged text (`%0 Journal Article`, `%T …`, `%A …`).

Takes decoded text and the file's name; gives an ImportResult of Records and Diagnostics. Pure:
no I/O. Two shapes are read:

- the usual one: one tag per line, records separated by blank lines (or by a `%0` after other
  fields); a line without a tag continues the field above it;
- the flattened one some web exports produce, a whole record on one line
  ("%0 Journal Article %T Deciphering … %A Rita Nahta %J …"), where a tag is `%`, an upper-case
  letter, digit or `@`, and a space, standing at the start or after whitespace. "30% of" and
  "(5 %) of" are therefore prose, not tags.

Every value goes through mojibake repair; the abstract is split from any full text that follows
it. Tags with no Record field are kept in `extra` under their tag, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from litweave.authors import parse_name
from litweave.importers import mojibake
from litweave.importers.fulltext import split_abstract
from litweave.importers.identity import normalize_doi
from litweave.importers.normalize import normalize_pages, parse_date_text
from litweave.importers.truncation import cut_at_start, cut_off, ends_mid_line, stops_short
from litweave.model import Diagnostic, ImportResult, Person, Record, Source

FORMAT = "refer"

# Any tag at a line start: EndNote also uses punctuation tags (%@ %+ %? %[ %= %~ %( %) …).
_LINE_TAG = re.compile(r"^%([0-9A-Z@!#$&()*+?\[\]=~^<>.,|;:'\"/\\{}-])(?:[ \t]|$)")
# Inside a flattened line only letters, digits and %@ count, so "(5 %) of" stays prose.
# The "%" comes first so that the scan jumps from one "%" to the next.
_INLINE_TAG = re.compile(r"%(?<!\S%)([0-9A-Z@])(?= )")

_TYPES = {
    "journal article": "article-journal",
    "book": "book",
    "edited book": "book",
    "book section": "chapter",
    "conference paper": "paper-conference",
    "conference proceedings": "paper-conference",
    "thesis": "thesis",
    "report": "report",
    "electronic article": "article",
    "web page": "webpage",
    "newspaper article": "article-newspaper",
    "magazine article": "article-magazine",
    "map": "map",
    "patent": "patent",
    "generic": "document",
}

_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")
_ISBN = re.compile(r"^(?:\d[- ]?){9}[\dXx]$|^(?:\d[- ]?){12}\d$")
_EDITOR_MARK = re.compile(r",?\s*\((?:eds?|hrsg)\.?\)\s*$", re.IGNORECASE)
_SAFE_URL = re.compile(r"^(?:https?|ftp)://\S+$", re.IGNORECASE)
_UNSAFE_URL = re.compile(r"^\s*(?:javascript|data|vbscript|file):", re.IGNORECASE)

# Fields read as one line: newlines from continuation lines and runs of spaces collapse.
_MULTILINE = {"X", "K", "Z"}


@dataclass(slots=True)
class _RawRecord:
    number: int
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    """(tag, value) in file order; a value keeps the newlines of its continuation lines."""


def looks_like(text: str) -> bool:
    """True when text reads as Refer/EndNote: it opens with a tag line, one-per-line or flattened."""
    for line in text.lstrip("\ufeff \t").split("\n"):
        if not line.strip():
            continue
        if re.match(r"^\s*@\w+\s*[{(]", line):
            return False
        return _LINE_TAG.match(line.strip()) is not None and not line.startswith("%%")
    return False


def parse(text: str, file: str) -> ImportResult:
    """Read every record of a Refer/EndNote file, untitled ones included (the caller decides)."""
    name = PurePath(file).name if file else ""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not looks_like(text):
        return ImportResult([], [Diagnostic("error", "not a Refer/EndNote file (no %0, %T … tags)", name)])
    diagnostics: list[Diagnostic] = []
    raws = _split_records(text, name, diagnostics)
    cut = _cut_off(text, raws, name)
    if cut is not None:
        diagnostics.append(cut)
    records: list[Record] = []
    for raw in raws:
        records.append(_build_record(raw, name, diagnostics))
    return ImportResult(records, diagnostics)


def _split_records(text: str, file: str, diagnostics: list[Diagnostic]) -> list[_RawRecord]:
    records: list[_RawRecord] = []
    current: _RawRecord | None = None
    blank_before = True

    def start(line_number: int) -> _RawRecord:
        record = _RawRecord(number=len(records) + 1, line=line_number)
        records.append(record)
        return record

    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            blank_before = True
            continue
        stripped = line.strip()
        tag_match = _LINE_TAG.match(stripped)
        if tag_match is None:
            if current is None or not current.fields:
                diagnostics.append(
                    Diagnostic("warning", f"text outside any field ignored: {stripped[:40]!r}", file, line_number)
                )
                continue
            tag, value = current.fields[-1]
            current.fields[-1] = (tag, f"{value}\n{stripped}" if value else stripped)
            blank_before = False
            continue
        for tag, value in _split_line(stripped):
            is_type = tag == "0"
            if current is None or (blank_before and current.fields) or (is_type and _has_content(current)):
                current = start(line_number)
            current.fields.append((tag, value))
            blank_before = False
    return [r for r in records if r.fields]


def _cut_off(text: str, raws: list[_RawRecord], file: str) -> Diagnostic | None:
    """The warning for a last record the end of the file cuts into, when the file shows it
    (importers/truncation.py says what counts). A lone `%` the cut left is taken out of the value
    it was read into, and a last record that is only the cut line is taken out of `raws`: it is
    the start of a tag or of a record, not text."""
    if not raws or not ends_mid_line(text):
        return None
    tail = text[text.rfind("\n") + 1 :]
    last = tail.strip()
    line = text.count("\n") + 1
    record = raws[-1]
    tag, value = record.fields[-1]
    after_blank = text[: len(text) - len(tail)].endswith("\n\n")
    if last == "%" and value.endswith("\n%"):
        record.fields[-1] = (tag, value[:-2])
        if after_blank:
            return cut_at_start(file, record.number + 1, line, last)
        return cut_off(file, record.number, line, "ends inside a tag, a lone '%' at the end of the file")
    only_start = record.line == line and len(record.fields) == 1
    empty_tag = _LINE_TAG.match(last) is not None and len(last) == 2
    usual = stops_short([r.fields[-1][0] for r in raws])
    if only_start and (empty_tag or usual is not None):
        raws.pop()
        return cut_at_start(file, record.number, line, last)
    if empty_tag:
        return cut_off(file, record.number, line, f"ends with an empty {last} at the end of the file")
    if usual is not None:
        how = f"is cut off mid-line by the end of the file, before the %{usual} every other record ends with"
        return cut_off(file, record.number, line, how, f"%{tag}")
    return None


def _split_line(line: str) -> list[tuple[str, str]]:
    """One tag line as (tag, value) pairs: one pair, or several when the record is flattened."""
    tag = line[1]
    rest = line[2:].strip()
    if "%" not in rest:  # most lines: no second tag can stand in them
        return [(tag, rest)]
    inline = list(_INLINE_TAG.finditer(rest))
    flattened = inline and (tag == "0" or len(inline) >= 2)
    if not flattened:
        return [(tag, rest)]
    pairs = [(tag, rest[: inline[0].start()].strip())]
    for index, match in enumerate(inline):
        end = inline[index + 1].start() if index + 1 < len(inline) else len(rest)
        pairs.append((match.group(1), rest[match.end() : end].strip()))
    return pairs


def _has_content(record: _RawRecord) -> bool:
    """A record with fields beyond %0: a following %0 starts a new record, not a new type."""
    return any(tag != "0" for tag, _ in record.fields)


def _build_record(raw: _RawRecord, file: str, diagnostics: list[Diagnostic]) -> Record:
    values: list[tuple[str, str]] = []
    for tag, value in raw.fields:
        fixed, repairs = mojibake.repair(value)
        for repair in repairs:
            diagnostics.append(
                Diagnostic(
                    "info",
                    f"repaired mojibake in %{tag}: {repair.before!r} → {repair.after!r}",
                    file,
                    raw.line,
                    raw.number,
                )
            )
        for spot in mojibake.find_lost(fixed):
            word = _word_at(fixed, spot)
            diagnostics.append(
                Diagnostic(
                    "warning", f"a character was lost in conversion in %{tag}: {word!r}", file, raw.line, raw.number
                )
            )
        values.append((tag, fixed if tag in _MULTILINE else " ".join(fixed.split())))

    # Several %T lines are one title split by the exporter; none gives an empty title, which
    # `importers.finish` replaces with a placeholder (a parser stays faithful to the file).
    title = " ".join(v for t, v in values if t == "T" and v)
    record = Record(title=title, source=Source(file=file, format=FORMAT, record=raw.number))
    builder = _Builder(record, raw, file, diagnostics)
    for tag, value in values:
        if value:
            builder.add(tag, value)
    builder.finish()
    return record


def _word_at(text: str, spot: int) -> str:
    start = spot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = spot
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


# What a date field may say instead of a date: a status, not a bad value.
_DATE_STATUS = re.compile(r"(?i)in press|forthcoming|submitted|accepted|n\.?\s?d\.?|undated|no date|unknown")


class _Builder:
    """Fills one Record from its tagged values; knows what each tag means."""

    def __init__(self, record: Record, raw: _RawRecord, file: str, diagnostics: list[Diagnostic]) -> None:
        self.record = record
        self.raw = raw
        self.file = file
        self.diagnostics = diagnostics
        self.type_name = ""
        self.authors: list[str] = []
        self.editors: list[str] = []
        self.corporate: list[str] = []
        self.journal = ""
        self.secondary = ""
        self.abstract_parts: list[str] = []
        self.extra: dict[str, list[str]] = {}

    def add(self, tag: str, value: str) -> None:
        record = self.record
        if tag == "0":
            self.type_name = value  # consecutive %0 lines: the last one wins
        elif tag == "T":
            pass  # joined before building
        elif tag == "A":
            self.authors.append(value)
        elif tag == "E":
            self.editors.append(value)
        elif tag == "Q":
            self.corporate.append(value)
        elif tag == "J":
            self._first("journal", value, tag)
        elif tag == "B":
            self._first("secondary", value, tag)
        elif tag == "D":
            self._read_year(value)
        elif tag == "8":
            self._read_date(value)
        elif tag == "V":
            self._set("volume", value, tag)
        elif tag == "N":
            self._set("issue", value, tag)
        elif tag == "P":
            self._set("pages", normalize_pages(value), tag)
        elif tag == "I":
            self._set("publisher", value, tag)
        elif tag == "C":
            self._set("place", value, tag)
        elif tag == "7":
            self._set("edition", value, tag)
        elif tag == "G":
            self._set("language", value, tag)
        elif tag == "@":
            self._read_standard_number(value)
        elif tag == "R":
            doi = normalize_doi(value)
            if doi and not record.doi:
                record.doi = doi
            else:
                self._keep(tag, value)
        elif tag == "U":
            self._read_url(value)
        elif tag == "X":
            self.abstract_parts.append(value)
        elif tag == "K":
            for keyword in re.split(r"[\n;]", value):
                keyword = " ".join(keyword.split())
                if keyword and keyword not in record.keywords:
                    record.keywords.append(keyword)
        elif tag == "Z":
            record.note = f"{record.note}\n\n{value}" if record.note else value
        else:
            self._keep(tag, value)

    def finish(self) -> None:
        record = self.record
        self._set_type()
        authors = self.authors
        # Refer marks editors in %A with "(ed)"/"(eds)" on a name; then every %A is an editor.
        if any(_EDITOR_MARK.search(a) for a in authors):
            self.editors = [_EDITOR_MARK.sub("", a) for a in authors] + self.editors
            authors = []
        record.authors = [p for p in (parse_name(a) for a in authors) if p != Person()]
        record.authors += [Person(literal=c) for c in self.corporate]
        record.editors = [p for p in (parse_name(_EDITOR_MARK.sub("", e)) for e in self.editors) if p != Person()]
        # %B is the book or proceedings a chapter or paper sits in; for any other type a %J names
        # the periodical the work appeared in, so it wins over %B (which is then a series).
        if record.type not in ("chapter", "paper-conference", "book", "report", "thesis"):
            record.container_title = self.journal or self.secondary
            if self.journal and self.secondary and self.secondary != self.journal:
                self._keep("B", self.secondary)
        else:
            record.container_title = self.secondary or self.journal
            if self.journal and self.secondary and self.secondary != self.journal:
                self._keep("J", self.journal)
        if self.abstract_parts:
            text = "\n\n".join(_paragraphs(part) for part in self.abstract_parts)
            record.abstract, record.fulltext = split_abstract(text)
        record.extra = {f"%{tag}": "; ".join(values) for tag, values in sorted(self.extra.items())}

    def _set_type(self) -> None:
        name = " ".join(self.type_name.split())
        if not name:
            self.record.type = self._guess_type()
            return
        mapped = _TYPES.get(name.lower())
        if mapped is None:
            self.record.type = "document"
            if name:
                self._keep("0", name)
        else:
            self.record.type = mapped

    def _guess_type(self) -> str:
        """Classic Refer has no %0: the fields present tell the kind of work, as refer(1) does."""
        tags = {tag for tag, _ in self.raw.fields}
        if "J" in tags:
            return "article-journal"
        if "B" in tags:
            return "chapter"
        if "R" in tags and not self.record.doi:
            return "report"
        if "I" in tags:
            return "book"
        return "document"

    def _first(self, attribute: str, value: str, tag: str) -> None:
        if getattr(self, attribute):
            self._keep(tag, value)
        else:
            setattr(self, attribute, value)

    def _set(self, attribute: str, value: str, tag: str) -> None:
        if getattr(self.record, attribute):
            self._keep(tag, value)
        else:
            setattr(self.record, attribute, value)

    def _unparsed(self, tag: str, value: str, what: str) -> None:
        """A value its field cannot hold: kept on the page under `unparsed`, and reported."""
        self.record.unparsed.setdefault(tag, value)
        message = f"{tag}: {value!r} is not {what}; kept under `unparsed` on the page"
        self.diagnostics.append(Diagnostic("warning", message, self.file, self.raw.line, self.raw.number))

    def _keep(self, tag: str, value: str) -> None:
        kept = self.extra.setdefault(tag, [])
        if value not in kept:
            kept.append(" ".join(value.split()))

    def _read_year(self, value: str) -> None:
        record = self.record
        year, date = parse_date_text(value)
        if year is not None and record.year == year and not date:
            return  # the same year as %8 already gave
        if year is None and not _DATE_STATUS.fullmatch(value.strip()):
            self._unparsed("%D", value, "a date")
            return
        if year is None or record.year is not None:
            self._keep("D", value)
            return
        record.year = year
        if date and not record.date:
            record.date = date

    def _read_date(self, value: str) -> None:
        record = self.record
        year, date = parse_date_text(value)
        if year is None or (record.year is not None and year != record.year):
            self._keep("8", value)
            return
        if record.year is None:
            record.year = year
        if date and date != str(year):
            record.date = date
        elif not date:
            self._keep("8", value)

    def _read_standard_number(self, value: str) -> None:
        record = self.record
        # "1234-5678 (Print) 1234-5679 (Electronic)": the qualifiers carry nothing to keep.
        for part in re.split(r"[;,]\s*|\s+(?=\d)", re.sub(r"\([^)]*\)", " ", value)):
            part = part.strip()
            compact = part.replace("-", "").replace(" ", "")
            if _ISSN.match(part) and not record.issn:
                record.issn = part if "-" in part else f"{compact[:4]}-{compact[4:]}"
            elif _ISBN.match(part) and not record.isbn:
                record.isbn = part
            elif part:
                self._keep("@", part)

    def _read_url(self, value: str) -> None:
        url = value.strip()
        if _UNSAFE_URL.match(url):
            self.diagnostics.append(
                Diagnostic(
                    "warning", f"unsafe URL refused in %U: {url[:40]!r}", self.file, self.raw.line, self.raw.number
                )
            )
        elif _SAFE_URL.match(url) and not self.record.url:
            self.record.url = url
        else:
            self._keep("U", url)


def _paragraphs(value: str) -> str:
    """Continuation lines of %X: a line ending a sentence ends a paragraph, others are wrapping."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in value.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        current.append(line)
        if line.endswith((".", "?", "!", ":")) or _is_short_heading(line):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _is_short_heading(line: str) -> bool:
    """A numbered heading on its own line ("1. Introduction") stays its own paragraph."""
    return re.match(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z]", line) is not None and len(line.split()) <= 12
