"""BibTeX importer: macros, concatenation, crossref, LaTeX, names, broken entries."""

from __future__ import annotations

from pathlib import Path

from litweave.importers import bibtex
from litweave.importers.latex import latex_to_unicode
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
    assert rec.extra["mynote"] == "kept" and rec.citekey == "nahta2012"


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


def parse_text(text: str) -> bibtex.ImportResult:
    return bibtex.parse(text, "inline.bib")


def test_crossref_follows_biblatex_inheritance() -> None:
    result = parse_text(
        "@book{b, title = {Bar}, subtitle = {Sub}, author = {Last, First}, year = 2021}\n"
        "@inbook{c, title = {Baz}, crossref = {b}}\n"
        "@article{d, crossref = {b}}\n"
        "@periodical{p, title = {Foo}, titleaddon = {Extra}}\n"
        "@article{f, title = {In Foo}, crossref = {p}}\n"
    )
    book, chapter, article, _, in_periodical = result.records
    assert (chapter.title, chapter.container_title) == ("Baz", "Bar: Sub")
    assert chapter.authors == book.authors and chapter.year == 2021
    assert (article.title, article.container_title) == ("Bar: Sub", "")  # no rule for book → article
    assert in_periodical.container_title == "Foo" and in_periodical.extra["journaltitleaddon"] == "Extra"


def test_container_subtitles_main_titles_and_full_journal_names() -> None:
    chapter, volume, math, entry = parse_text(
        "@inbook{a, title = {Ch}, booktitle = {Edward Hopper}, booksubtitle = {Transformaties}}\n"
        "@book{b, title = {Dragonfly in Amber}, maintitle = {The Outlander Series}}\n"
        "@article{c, title = {T}, journal = {Adv. Math.}, fjournal = {Advances in Mathematics}}\n"
        "@inreference{d, title = {Encyclopedia Iranica}, lista = {Besmallah}}\n"
    ).records
    assert chapter.container_title == "Edward Hopper: Transformaties" and "booksubtitle" not in chapter.extra
    assert volume.container_title == "The Outlander Series"
    assert math.container_title == "Advances in Mathematics" and math.extra["journal"] == "Adv. Math."
    assert (entry.title, entry.container_title) == ("Besmallah", "Encyclopedia Iranica")


def test_proceedings_booktitle_is_kept_not_dropped() -> None:
    rec = parse_text("@proceedings{p, title = {Proc. X}, booktitle = {Proc. X (Book)}}").records[0]
    assert rec.container_title == "" and rec.extra["booktitle"] == "Proc. X (Book)"


def test_missing_comma_between_fields_is_supplied_with_a_warning() -> None:
    result = parse_text("@article{m,\ntitle = {Escaped characters}\nfile = {:C:/a.pdf:pdf},\nyear = 2001\n}\n")
    rec = result.records[0]
    assert rec.title == "Escaped characters" and rec.extra["file"] == ":C:/a.pdf:pdf" and rec.year == 2001
    assert [(d.level, d.line) for d in result.diagnostics] == [("warning", 2)]
    # a field value that runs over lines is left alone
    wrapped = parse_text("@article{w,\ntitle = {A {B}\nc = d},\n}\n")
    assert wrapped.records[0].title == "A B c = d" and wrapped.diagnostics == []


def test_entry_closed_with_the_wrong_delimiter_is_read_with_a_warning() -> None:
    result = parse_text('@book{a, title = "One", year = 2021}\n\n@book{b,\n  title = "Two",\n  year = 2021\n)\n')
    assert [r.title for r in result.records] == ["One", "Two"]
    assert [d.level for d in result.diagnostics] == ["warning"] and "'b'" in result.diagnostics[0].message


def test_latex_ascii_commands_glyphs_and_marks() -> None:
    assert latex_to_unicode(r"e\_f\textasciitilde{}\textasciicircum{}\textbackslash{}") == "e_f~^\\"
    assert latex_to_unicode(r"a \~{} b \^{} c") == "a ~ b ^ c"
    assert latex_to_unicode(r"\~{n} \^o") == "ñ ô"
    assert latex_to_unicode(r"ElsevierGlyph: \ElsevierGlyph{2014}") == "ElsevierGlyph: \u2014"
    assert latex_to_unicode(r"$\langle{}00\overline{1}\rangle$") == "\u27e8001\u0305\u27e9"
    assert latex_to_unicode(r"Franc{\ocirc{u}}") == "Franc\u016f"


def test_all_lower_case_names_split_as_given_family() -> None:
    rec = parse_text("@misc{n, title = {T}, author = {sudhin jacob and ludwig van beethoven}}").records[0]
    assert rec.authors == [Person(family="jacob", given="sudhin"), Person(family="van beethoven", given="ludwig")]
