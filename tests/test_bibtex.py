"""BibTeX importer: macros, concatenation, crossref, LaTeX, names, broken entries."""

from __future__ import annotations

from pathlib import Path

from litweave.importers import bibtex
from litweave.latex import latex_to_unicode
from litweave.model import Person

DATA = Path(__file__).parent / "data" / "bibtex"


def load() -> bibtex.ImportResult:
    return bibtex.parse((DATA / "sample.bib").read_text(encoding="utf-8"), "sample.bib")


def test_string_macros_concatenation_latex_and_names() -> None:
    rec = load().records[0]
    assert rec.title == "The HER2 receptor in Österreich: in vivo study"
    assert rec.container_title == "Journal of Oncology"
    assert rec.authors == [
        Person(family="Nahta", given="Rita"),
        Person(family="de la Fontaine", given="Jean", suffix="Jr"),
        Person(literal="World Health Organization"),
    ]
    assert (rec.year, rec.date, rec.pages, rec.doi) == (2012, "2012-03", "11\u201319", "10.1000/abc")
    assert rec.extra["mynote"] == "kept" and rec.extra["ID"] == "nahta2012"


def test_data_url_is_dropped_with_warning() -> None:
    result = load()
    assert result.records[0].url == ""
    assert any("unsafe URL" in d.message and d.record == 1 for d in result.diagnostics)


def test_crossref_inherits_parent_fields() -> None:
    child = load().records[1]
    assert child.type == "paper-conference"
    assert child.container_title == "Proceedings of Things"
    assert (child.year, child.publisher) == (1999, "ACM")
    assert child.authors == [Person(family="van Beethoven", given="Ludwig")]


def test_broken_entry_is_reported_and_the_rest_imports() -> None:
    result = load()
    assert "After the broken one" in [r.title for r in result.records]
    errors = [d for d in result.diagnostics if d.level == "error"]
    assert len(errors) == 1 and errors[0].file == "sample.bib" and errors[0].line is not None


def test_latex_to_unicode() -> None:
    assert latex_to_unicode(r"M{\"u}ller \'{e}t\'e --- {DNA} \textit{x} Cu$_2$O") == "Müller été — DNA x Cu₂O"
