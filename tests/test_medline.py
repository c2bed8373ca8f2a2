"""MEDLINE/.nbib importer: continuation lines, FAU/AU pairing, page ranges, AID ids, CRLF."""

from __future__ import annotations

from pathlib import Path

from litweave.importers import medline
from litweave.model import Person

DATA = Path(__file__).parent / "data" / "medline"


def load() -> medline.ImportResult:
    return medline.parse((DATA / "sample.nbib").read_bytes().decode("utf-8"), "sample.nbib")


def test_first_record_fields() -> None:
    rec = load().records[0]
    assert rec.title == "Trastuzumab resistance: a long title that continues here."
    assert rec.authors == [Person(family="Nahta", given="Rita"), Person(family="Esteva", given="F. J.")]
    assert (rec.container_title, rec.year, rec.date) == ("Cancer research", 2005, "2005-12-01")
    assert (rec.volume, rec.issue, rec.pages) == ("65", "23", "11118\u201311128")
    assert (rec.doi, rec.pmid, rec.extra["PII"]) == ("10.1158/0008-5472.can-05-1234", "12345678", "65/23/11118")
    assert rec.keywords == ["Receptor, ErbB-2"]


def test_records_split_and_month_year_dates() -> None:
    result = load()
    assert len(result.records) == 2
    assert (result.records[1].year, result.records[1].date) == (2019, "2019-04")


def test_stray_line_is_reported() -> None:
    result = medline.parse("PMID- 1\nTI  - T\nnot a tag\n", "x.txt")
    assert len(result.records) == 1
    assert result.diagnostics[0].line == 3 and result.diagnostics[0].file == "x.txt"


def test_article_number_from_pii_when_pubmed_cites_it_and_untitled_records() -> None:
    online = "PMID- 1\nTI  - Online only.\nLID - 1042 [pii]\nPST - ppublish\nSO  - Ann Psychiatry. 2021;4(1):1042.\n"
    ahead = "PMID- 2\nTI  - Ahead of print.\nLID - S1080-6032(22)00139-9 [pii]\nPST - aheadofprint\n"
    ahead += "SO  - Wilderness Environ Med. 2022 Oct 7:S1080-6032(22)00139-9.\n"
    untitled = "PMID- 3\nAU  - Nahta R\nDP  - 2012\n"
    result = medline.parse(f"{online}\n{ahead}\n{untitled}", "x.nbib")
    first, second, third = result.records
    assert first.pages == "1042" and first.extra["PII"] == "1042"
    assert second.pages == "" and second.extra["PII"] == "S1080-6032(22)00139-9"  # pages come later
    assert (third.title, third.year) == ("", 2012)
    assert not any("title" in d.message for d in result.diagnostics)


def test_editor_name_without_comma_follows_bibtex_order() -> None:
    rec = medline.parse("PMID- 1\nTI  - T\nFED - Some test data\nFED - Adam, Margaret P\n", "x.txt").records[0]
    assert rec.editors == [Person(family="test data", given="Some"), Person(family="Adam", given="Margaret P")]
