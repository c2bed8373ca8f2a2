"""Refer/EndNote importer: both shapes, field mapping, diagnostics, and the peer fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litweave.importers import refer
from litweave.importers.encoding import decode
from litweave.model import Person

DATA = Path(__file__).parent / "data" / "refer"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_d070f9268976f470.txt"
FIXTURES = SHARED / "fixtures" / "refer"


def parse_file(path: Path):
    text, _ = decode(path.read_bytes(), path.name)
    return refer.parse(text, str(path))


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip(f"seed file not present: {SEED.name} (expected in ../shared/seeds)")
    return parse_file(SEED)


def test_seed_flattened_record_fields(seed):
    assert len(seed.records) == 1
    rec = seed.records[0]
    assert rec.title == "Deciphering the Role of Insulin-Like Growth Factor-I Receptor in Trastuzumab Resistance"
    assert rec.type == "article-journal"
    assert rec.authors == [Person(family="Nahta", given="Rita")]
    assert rec.container_title == "Chemotherapy Research and Practice"
    assert rec.year == 2012
    assert rec.publisher == "Hindawi Publishing Corporation"
    assert rec.doi == "10.1155/2012/648965"
    assert rec.url == "http://www.hindawi.com/journals/cherp/2012/648965/"
    assert rec.source is not None and rec.source.file == SEED.name and rec.source.record == 1
    assert rec.source.format == "refer"
    assert rec.extra == {}


def test_seed_abstract_and_fulltext(seed):
    rec = seed.records[0]
    assert rec.abstract.startswith("Resistance to the HER2-targeted antibody trastuzumab")
    assert rec.abstract.endswith("progressed on trastuzumab treatment.")
    headings = [line for line in rec.fulltext.split("\n") if line.startswith("#")]
    assert headings == ["## 1. Introduction", "## 2. Preclinical Studies Examining IGF-IR and Trastuzumab Resistance"]
    assert "\n\nTrastuzumab (Herceptin; Genentech" in rec.fulltext
    assert rec.fulltext.rstrip().endswith("HER2-over-expressing")
    assert "%U" not in rec.fulltext


def test_seed_mojibake_repaired_and_reported(seed):
    rec = seed.records[0]
    assert "每" not in rec.abstract + rec.fulltext
    assert "20–30% of human" in rec.fulltext
    assert "[5–7]" in rec.fulltext and "[8–12]" in rec.fulltext and "[3–7]" in rec.fulltext
    assert "trastuzumab-naïve" in rec.abstract
    repairs = [d for d in seed.diagnostics if "mojibake" in d.message]
    assert len(repairs) == 6  # naïve, 20–30, 5–7, 3–7 twice, 8–12
    assert all(d.level == "info" and d.record == 1 and d.file == SEED.name for d in repairs)
    assert any("20每30%" in d.message and "20–30%" in d.message for d in repairs)


def test_multi_record_line_shape():
    result = parse_file(DATA / "multi.enw")
    titles = [r.title for r in result.records]
    assert titles == [
        "Insulin-like growth factor-I receptor signaling and trastuzumab resistance",
        "",
        "Targeting HER2 in the clinic",
        "A second type line starts a new record",
    ]
    assert [r.source.record for r in result.records if r.source] == [1, 2, 3, 4]
    first, _, chapter, patent = result.records
    assert [p.family for p in first.authors] == ["Lu", "Zi", "van de Vijver"]
    assert first.pages == "1852–1857"
    assert first.doi == "10.1093/jnci/93.24.1852"
    assert first.keywords == ["IGF-IR", "trastuzumab", "breast cancer"]
    assert first.abstract == "About 30% of tumours respond. Resistance is common."
    assert first.fulltext == ""
    assert first.extra == {"%$": "12.50", "%Y": "Reviewed by the lab; Second pass"}
    assert (first.volume, first.issue, first.year) == ("93", "24", 2001)
    assert chapter.type == "chapter"
    assert chapter.container_title == "Diseases of the Breast"
    assert chapter.editors == [Person(family="Harris", given="Jay R.")]
    assert (chapter.publisher, chapter.place) == ("Lippincott", "Philadelphia")
    assert chapter.isbn == "978-1-4511-8627-1" and chapter.issn == ""
    assert chapter.doi == "10.5555/chapter.7"
    assert (chapter.year, chapter.date) == (2014, "2014-03-03")
    assert patent.type == "patent" and patent.date == "2010-05-04"


def test_record_without_title_is_returned_with_an_empty_title():
    """The parser stays faithful; `importers.finish` gives untitled records their placeholder."""
    result = parse_file(DATA / "multi.enw")
    untitled = result.records[1]
    assert untitled.title == ""
    assert untitled.source is not None and untitled.source.record == 2 and untitled.source.file == "multi.enw"
    assert untitled.type == "book" and untitled.year == 1999
    assert [p.family for p in untitled.authors] == ["Nobody"]
    assert not any("title" in d.message for d in result.diagnostics)


def test_javascript_url_refused():
    result = parse_file(DATA / "multi.enw")
    first = result.records[0]
    assert first.url == ""
    assert not any("javascript" in v for v in first.extra.values())
    refused = [d for d in result.diagnostics if "unsafe URL" in d.message]
    assert len(refused) == 1 and refused[0].level == "warning" and refused[0].record == 1


def test_flattened_shape_two_records_and_percent_is_not_a_tag():
    result = parse_file(DATA / "flattened.txt")
    assert [r.title for r in result.records] == ["First Flat Record", "Second Flat Record"]
    first, second = result.records
    assert first.abstract == "In 30% of cases (about 5 %) of samples were lost."
    assert first.url == "https://example.org/a"
    assert first.authors == [Person(family="Doe", given="Jane")]
    assert second.type == "paper-conference"
    assert second.container_title == "Proceedings of Tests"
    assert second.authors == [Person(family="Roe", given="Richard"), Person(literal="Test Consortium")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("doi:10.1000/ABC", "10.1000/abc"),
        ("DOI 10.1000/x.y", "10.1000/x.y"),
        ("https://doi.org/10.1111/apm.12778", "10.1111/apm.12778"),
        ("http://dx.doi.org/10.1155/2012/648965", "10.1155/2012/648965"),
        ("10.1155/2012/648965", "10.1155/2012/648965"),
    ],
)
def test_doi_prefixes_stripped(value, expected):
    rec = refer.parse(f"%0 Journal Article\n%T T\n%R {value}\n", "x.enw").records[0]
    assert rec.doi == expected
    assert "%R" not in rec.extra


def test_non_doi_report_number_kept_in_extra():
    rec = refer.parse("%0 Report\n%T T\n%R USGOV 214\n", "x.ref").records[0]
    assert rec.doi == "" and rec.extra["%R"] == "USGOV 214"


def test_unmapped_type_kept_and_last_consecutive_type_wins():
    result = refer.parse("%0 Serial\n%0 Audio\n%T Podcast\n", "x.ref")
    assert len(result.records) == 1
    rec = result.records[0]
    assert rec.type == "document" and rec.extra == {"%0": "Audio"}


def test_crlf_and_continuation_lines():
    text = "%0 Book\r\n%T A long title\r\n  continued here\r\n%A Roe, R.\r\n\r\n%0 Book\r\n%T Second\r\n"
    result = refer.parse(text, "crlf.enw")
    assert [r.title for r in result.records] == ["A long title continued here", "Second"]
    assert result.records[0].authors == [Person(family="Roe", given="R.")]


def test_editors_marked_in_author_tags():
    rec = refer.parse("%A Julius Caesar\n%A Homerus, (eds)\n%T Sample\n%I Self\n", "x.ref").records[0]
    assert rec.authors == []
    assert [p.family for p in rec.editors] == ["Caesar", "Homerus"]
    assert rec.type == "book"  # no %0: a publisher and no journal reads as a book


def test_issn_and_isbn_decided_by_shape():
    result = refer.parse("%0 Map\n%T A\n%@ 9781234567890\n\n%0 Map\n%T B\n%@ 1234-567X\n", "x.enw")
    a, b = result.records
    assert (a.isbn, a.issn) == ("9781234567890", "")
    assert (b.isbn, b.issn) == ("", "1234-567X")


def test_not_refer_gives_one_error():
    result = parse_file(DATA / "not-refer.txt")
    assert result.records == []
    assert len(result.diagnostics) == 1
    error = result.diagnostics[0]
    assert error.level == "error" and "not a Refer/EndNote file" in error.message and error.file == "not-refer.txt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%0 Book\n%T X\n", True),
        ("\n\n%D unknown\n", True),
        ("%0 Journal Article %T Flat %A A B\n", True),
        ("TY  - JOUR\nER  -\n", False),
        ("@article{x, title={%T no}}\n", False),
        ("30% of tumours\n", False),
        ("%% a comment\n", False),
        ("", False),
    ],
)
def test_looks_like(text, expected):
    assert refer.looks_like(text) is expected


def peer_inputs() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return sorted(p for p in FIXTURES.iterdir() if p.suffix in {".enw", ".ref", ".txt"} and ".expected." not in p.name)


@pytest.mark.parametrize("path", peer_inputs() or [None], ids=lambda p: p.name if p else "absent")
def test_peer_fixture_parses(path):
    if path is None:
        pytest.skip("peer fixtures not present in ../shared/fixtures/refer")
    result = parse_file(path)
    assert result.records or any(d.level in ("warning", "error") for d in result.diagnostics)
    for rec in result.records:
        assert rec.source is not None and rec.source.file == path.name
    numbers = [r.source.record for r in result.records if r.source]
    assert numbers == list(range(1, len(result.records) + 1))


def test_peer_fixture_record_counts():
    """Records read, untitled ones included, match the peers' record counts."""
    if not FIXTURES.is_dir():
        pytest.skip("peer fixtures not present in ../shared/fixtures/refer")

    checked = 0
    for path in peer_inputs():
        expected = next(FIXTURES.glob(f"{path.stem}.expected.*"), None)
        if expected is None:
            continue
        data = json.loads(expected.read_text(encoding="utf-8"))
        count = data.get("count") if isinstance(data, dict) else len(data)
        if count is None:
            continue
        result = parse_file(path)
        assert len(result.records) == count, path.name
        checked += 1
    assert checked > 0


def test_journal_wins_over_secondary_title_for_other_types():
    text = "%0 Generic\n%T A work\n%J The Journal\n%B A Series\n\n%0 Book Section\n%T Ch\n%J Journal\n%B The Book\n"
    generic, chapter = refer.parse(text, "x.enw").records
    assert generic.container_title == "The Journal" and generic.extra["%B"] == "A Series"
    assert chapter.container_title == "The Book" and chapter.extra["%J"] == "Journal"
