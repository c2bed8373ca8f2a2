"""RIS importer: spec mapping, BOM, irregular spacing, missing ER, unsafe URLs."""

from __future__ import annotations

from pathlib import Path

from litweave.importers import ris
from litweave.importers.encoding import decode
from litweave.model import Person

DATA = Path(__file__).parent / "data" / "ris"


def load() -> ris.ImportResult:
    text, _ = decode((DATA / "sample.ris").read_bytes(), "sample.ris")
    return ris.parse(text, "some/dir/sample.ris")


def test_bom_first_record_and_missing_er_record_are_both_read() -> None:
    result = load()
    assert [r.title for r in result.records] == [
        "Deciphering the role of IGF-IR in trastuzumab resistance",
        "A book without ER",
    ]


def test_fields_map_to_csl_terms() -> None:
    first = load().records[0]
    assert first.authors == [Person(family="Nahta", given="Rita"), Person(family="van der Vijver", given="Marc J.")]
    assert first.container_title == "Chemotherapy Research and Practice"
    assert (first.year, first.date) == (2012, "2012-02-15")
    assert first.doi == "10.1155/2012/648965"
    assert first.pages == "11\u201319"
    assert first.url.startswith("http://www.hindawi.com/")
    assert first.extra["M3"] == "Review"
    assert first.source is not None and (first.source.file, first.source.format, first.source.record) == (
        "sample.ris",
        "ris",
        1,
    )


def test_book_with_corporate_author_and_isbn() -> None:
    book = load().records[1]
    assert book.type == "book"
    assert book.authors == [Person(literal="World Health Organization")]
    assert (book.year, book.date) == (1948, "1948-07")
    assert book.isbn == "978-3-16-148410-0"


def test_javascript_url_is_dropped_with_a_warning() -> None:
    result = load()
    warnings = [d for d in result.diagnostics if "unsafe URL" in d.message]
    assert len(warnings) == 1 and warnings[0].record == 1 and warnings[0].file == "sample.ris"


def test_no_records_is_an_error_naming_the_file() -> None:
    result = ris.parse("JF  - Journal only\nER  -\n", "x.ris")
    assert result.records == []
    assert result.diagnostics[0].level == "error" and result.diagnostics[0].file == "x.ris"


def test_authors_keep_file_order_across_au_and_a1() -> None:
    text = "TY  - JOUR\nA1  - First, A\nAU  - Second, B\nA1  - Third, C\nTI  - T\nER  - \n"
    assert [p.family for p in ris.parse(text, "x.ris").records[0].authors] == ["First", "Second", "Third"]
