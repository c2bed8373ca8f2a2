"""The exports read back: litweave's own importers give the records exported, field for field, for
every field the format carries (`litweave export`, litweave/exporters/).

Records are drawn as pages hold them once imported: text without control characters, one-line
fields single-spaced, the hostile pieces of `plain_values` inside words and names. What a format
has no place for is named in CARRIED; what it cannot tell apart is named where it is left out.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from plain_values import TEXTS

from litweave.commands.export import export_text
from litweave.importers import PARSERS
from litweave.importers.finish import clean_text
from litweave.importers.identity import normalize_doi
from litweave.importers.normalize import meaningful_citekey
from litweave.model import Person, Record

PROPERTY = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _one_line(text: str) -> str:
    """A one-line field as an import leaves it: no control character, its white space (a
    no-break space too) folded to single spaces, trimmed."""
    return " ".join(_NOT_TEXT.sub(" ", text).split())


ONE_LINE = TEXTS.map(_one_line)
WORDS = st.lists(ONE_LINE, min_size=1, max_size=4).map(" ".join).map(_one_line).filter(bool)
PARAGRAPHS = st.lists(WORDS, max_size=3).map("\n\n".join)
NAMES = st.builds(lambda f, g: Person(family=f, given=g), WORDS, ONE_LINE) | st.builds(
    lambda literal: Person(literal=literal), WORDS
)
KEYWORDS = st.lists(WORDS.filter(lambda k: ";" not in k), max_size=3, unique_by=str.casefold)
"""Keywords, each once; never holding a ';', which separates keywords wherever several share a line."""
TYPES = st.sampled_from(
    ["article-journal", "book", "chapter", "paper-conference", "thesis", "report", "webpage", "manuscript"]
)
DOIS = (
    st.from_regex(r"10\.[0-9]{4,6}/[!-\[\]-z|~]{1,12}", fullmatch=True)
    .map(normalize_doi)
    .filter(lambda d: d != "" and normalize_doi(d) == d)
)
URLS = st.from_regex(r"https://example\.org/[!-\[\]-z|~]{0,12}", fullmatch=True).filter(
    lambda url: not re.search(r";\s*[A-Za-z][A-Za-z0-9+.-]*://", url)
)
"""DOIs and URLs of any printable ASCII but braces and backslashes, which a BibTeX export writes
percent-encoded (as a URI should have them); no URL holds "; scheme://", where a RIS reader
splits a UR line of several URLs."""
PAGES = st.one_of(
    st.just(""),
    st.integers(1, 999).map(str),
    st.tuples(st.integers(1, 99), st.integers(100, 999)).map(lambda p: f"{p[0]}\u2013{p[1]}"),
)
DATES = st.tuples(st.integers(1000, 2100), st.integers(0, 12), st.integers(0, 28)).map(
    lambda d: (d[0], f"{d[0]}" + (f"-{d[1]:02d}" if d[1] else "") + (f"-{d[2]:02d}" if d[1] and d[2] else ""))
)
"""(year, ISO date): the year alone, with its month, or with its month and day."""


def _dated(record: Record, date: tuple[int, str] | None) -> Record:
    return record if date is None else replace(record, year=date[0], date=date[1])


RECORDS_UNDATED = st.builds(
    Record,
    title=WORDS,
    type=TYPES,
    authors=st.lists(NAMES, max_size=3),
    editors=st.lists(NAMES, max_size=2),
    container_title=ONE_LINE,
    volume=ONE_LINE,
    issue=ONE_LINE,
    pages=PAGES,
    publisher=ONE_LINE,
    place=ONE_LINE,
    doi=st.just("") | DOIS,
    url=st.just("") | URLS,
    abstract=PARAGRAPHS,
    keywords=KEYWORDS,
    language=ONE_LINE,
    note=PARAGRAPHS,
    citekey=st.just("")
    | st.from_regex(r"[A-Za-z][A-Za-z0-9:_.+-]{0,15}", fullmatch=True).filter(
        lambda key: meaningful_citekey(key) == key
    ),
)
RECORDS = st.builds(_dated, RECORDS_UNDATED, st.none() | DATES)

CARRIED = {
    "csl-json": [f.name for f in fields(Record) if f.name not in ("source", "citekey")],
    "bibtex": ["title", "type", "authors", "editors", "container_title", "year", "volume", "issue", "pages"]
    + ["publisher", "place", "doi", "url", "abstract", "keywords", "language", "note"],
    "ris": ["title", "type", "authors", "editors", "container_title", "year", "volume", "issue", "pages"]
    + ["publisher", "place", "doi", "url", "abstract", "keywords", "language", "note"],
}
"""Fields each export format has a place for. BibTeX and RIS values are one line each, so an
abstract's or a note's paragraph breaks become spaces there (they are compared so)."""


def _texts(record: Record) -> list[str]:
    people = [getattr(record, f.name) for f in fields(Record) if f.name in ("authors", "editors")]
    parts = [part for persons in people for p in persons for part in (p.family, p.given, p.literal)]
    strings = [getattr(record, f.name) for f in fields(Record) if isinstance(getattr(record, f.name), str)]
    return strings + parts + record.keywords


def _as_imported(record: Record, fmt: str) -> None:
    """Only text that an import's cleaning leaves as it is: every importer takes HTML tags and
    entities out (`<i>`, `&amp;`), and all but the BibTeX one decode LaTeX (`\\'e`), since
    CSL-JSON and RIS files exported from a BibTeX library carry it; the BibTeX export escapes what
    its importer would read as LaTeX."""
    latex = fmt != "bibtex"
    assume(all(clean_text(text, latex) == text for text in _texts(record)))


def _read_back(record: Record, fmt: str) -> Record:
    importer = {"csl-json": "csljson", "bibtex": "bibtex", "ris": "ris"}[fmt]
    result = PARSERS[importer](export_text([record], fmt), f"export.{fmt}")
    assert [d for d in result.diagnostics if d.level == "error"] == []
    [back] = result.records
    return back


_BIBTEX_CONTAINED = {"article-journal", "chapter", "paper-conference"}
"""Types whose BibTeX entry has a container field (journal, booktitle); any other type's
container is exported as `howpublished`, which BibTeX shows and litweave's importer keeps, as
written, among the extra fields: not carried as a container."""


def _carried(record: Record, fmt: str) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in CARRIED[fmt]}
    if fmt != "csl-json":
        values["abstract"] = " ".join(values["abstract"].split("\n\n"))
        values["note"] = " ".join(values["note"].split("\n\n"))
    if fmt == "bibtex" and record.type not in _BIBTEX_CONTAINED:
        del values["container_title"]
    if fmt == "ris":
        # RIS writes a name as "Family, Given" or, corporate, as it is: one word is a family name
        # to its readers, several without a comma a corporate one; the name reads the same
        for role in ("authors", "editors"):
            values[role] = [p.display for p in values[role]]
    return values


def _ris_names(record: Record) -> None:
    """Names RIS can write: no comma or semicolon in them, which its readers take to separate the
    parts of a name ("Family, Given, Suffix") or several names on one line."""
    assume(not any(c in part for c in ",;" for p in record.authors + record.editors for part in vars_of(p)))


def vars_of(person: Person) -> tuple[str, ...]:
    return (person.family, person.given, person.suffix, person.literal)


def _as_read(record: Record) -> Record:
    """The record as an import writes it: a container equal to the title is no container (some
    exporters repeat the title there), and a record with a year has a date, the year at least."""
    container = "" if record.container_title == record.title else record.container_title
    date = record.date or (str(record.year) if record.year is not None else "")
    return replace(record, container_title=container, date=date)


@pytest.mark.slow  # about 2 minutes for the three formats
@pytest.mark.parametrize("fmt", ["csl-json", "bibtex", "ris"])
@PROPERTY
@given(record=RECORDS)
@example(record=Record(title="{Unbalanced", container_title="50% ~1 x^2 a--b ``q''", note="@misc(x = 1,"))
@example(record=Record(title="T", url="https://example.org/~user/a;b?c=1&d=2#e_f", doi="10.1000/a--b~c"))
@example(record=Record(title="T", authors=[Person(family="Van Dyke"), Person(family="others")]))
@example(record=Record(title="T", keywords=["--- \u27e9", "!``"], language="#!`", place="-\u2013-"))
@example(record=Record(title="\ufeff", type="webpage", editors=[Person(family="Ed")]))
def test_an_export_reads_back(fmt: str, record: Record) -> None:
    record = _as_read(record)
    _as_imported(record, fmt)
    if fmt == "ris":
        _ris_names(record)
    back = _read_back(record, fmt)
    assert _carried(back, fmt) == _carried(record, fmt)
    if record.citekey:
        assert back.citekey == record.citekey


def test_no_ris_value_reads_as_a_tag_of_its_own() -> None:
    """A value with line breaks (a title typed over two lines on the page) is one line of RIS: a
    line of it could otherwise end the record (`ER  - `) or start another (`TY  - `)."""
    record = Record(
        title="A\nER  - \nTY  - JOUR\nTI  - Injected",
        abstract="x\nTY  - BOOK",
        authors=[Person(family="Doe\nER  -")],
        keywords=["k\nER  -"],
        citekey="key\nER",
    )
    back = _read_back(record, "ris")
    assert back.title == "A ER  - TY  - JOUR TI  - Injected" and back.abstract == "x TY  - BOOK"
    assert back.keywords == ["k ER  -"] and back.authors == [Person(literal="Doe ER -")]


def test_no_bibtex_value_ends_its_entry() -> None:
    """Unbalanced braces, an `@` starting a line of the abstract, a key with a comma: the entry
    stays whole (each of these lost it, or every field after it)."""
    record = Record(
        title="{Unbalanced", abstract="First.\n@misc(x = 1,\n}", note="a}b{c", citekey="a,b}c", date="2012}"
    )
    text = export_text([record], "bibtex")
    result = PARSERS["bibtex"](text, "export.bib")
    assert result.diagnostics == []
    [back] = result.records
    assert (back.title, back.abstract, back.note, back.citekey) == (
        "{Unbalanced",
        "First. @misc(x = 1, }",
        "a}b{c",
        "abc",
    )
