"""CSL-JSON importer: date forms, names, markup, bad items."""

from __future__ import annotations

from pathlib import Path

from litweave.importers import csljson
from litweave.model import Person

DATA = Path(__file__).parent / "data" / "csljson"


def load() -> csljson.ImportResult:
    return csljson.parse((DATA / "sample.json").read_text(encoding="utf-8"), "sample.json")


def test_names_markup_and_string_date_parts() -> None:
    rec = load().records[0]
    assert rec.title == "HER2 & IGF-IR"
    assert rec.authors == [Person(family="van Beethoven", given="Ludwig"), Person(literal="WHO")]
    assert (rec.year, rec.date, rec.pages, rec.doi) == (2012, "2012-03", "11\u201319", "10.1000/abc")


def test_date_forms() -> None:
    dates = {r.title: (r.year, r.date) for r in load().records}
    assert dates["Seasonal"] == (2001, "2001-06")
    assert dates["Range"] == (2001, "2001-05")
    assert dates["Empty"] == (None, "")
    assert dates["Raw"] == (2005, "2005-12-01")


def test_non_object_item_is_skipped_with_its_number() -> None:
    result = load()
    assert len(result.records) == 5
    assert [(d.level, d.record) for d in result.diagnostics] == [("error", 6)]


def test_invalid_json_is_an_error() -> None:
    result = csljson.parse("[{", "bad.json")
    assert result.records == [] and result.diagnostics[0].file == "bad.json"


def test_untitled_item_is_returned_without_a_diagnostic() -> None:
    result = csljson.parse(
        '[{"type": "book", "author": [{"family": "Nahta"}], "issued": {"date-parts": [[2012]]}}]', "u.json"
    )
    assert [(r.title, r.year) for r in result.records] == [("", 2012)]
    assert result.diagnostics == []
