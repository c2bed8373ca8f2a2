"""Records cut off by the end of their file are named (file, record, line), and complete files,
however they end, raise no such warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED

from litweave.importers import PARSERS
from litweave.importers.detect import detect_format
from litweave.importers.encoding import decode
from litweave.model import Diagnostic

FIXTURES = SHARED / "fixtures"


def _cut_warnings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if "truncated" in d.message]


# --- RIS: a record ends with ER, so one without it at the end of the file is cut (or malformed)


def test_a_last_ris_record_without_er_is_read_and_named() -> None:
    text = "TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - Second\nAB  - An abstract that stops mid-wo"
    result = PARSERS["ris"](text, "refs.ris")
    assert [r.title for r in result.records] == ["First", "Second"]
    assert result.records[1].abstract == "An abstract that stops mid-wo"  # kept as it stands, and named
    [warning] = _cut_warnings(result.diagnostics)
    assert (warning.level, warning.file, warning.record, warning.line) == ("warning", "refs.ris", 2, 7)
    assert warning.message.startswith("record 2 of refs.ris ends without ER")
    assert "AB, on line 7" in warning.message


def test_a_ris_record_whose_er_the_next_ty_replaces_is_not_a_cut() -> None:
    text = "TY  - JOUR\nTI  - First\nAU  - Doe, J\nTY  - JOUR\nTI  - Second\nER  - \n"
    result = PARSERS["ris"](text, "refs.ris")
    assert len(result.records) == 2 and _cut_warnings(result.diagnostics) == []


def test_an_er_line_cut_before_its_hyphen_ends_the_record_and_is_no_value() -> None:
    result = PARSERS["ris"]("TY  - JOUR\nTI  - Whole\nAB  - Done.\nER", "refs.ris")
    assert result.records[0].abstract == "Done." and _cut_warnings(result.diagnostics) == []


def test_the_first_1100_bytes_of_a_zotero_export_are_named_as_cut() -> None:
    path = FIXTURES / "ris" / "zotero-RIS-01.ris"
    if not path.is_file():
        pytest.skip(f"peer fixture absent: {path.name} (expected in ../shared/fixtures/ris)")
    text, _ = decode(path.read_bytes()[:1100], path.name)
    result = PARSERS["ris"](text, path.name)
    [warning] = _cut_warnings(result.diagnostics)
    assert warning.record == 1 and warning.line == text.count("\n") + 1
    assert result.records[0].abstract.endswith("5 minutes after c")


# --- Refer: no end marker; a tag cut in two, or a record stopping short of its writer's last field


REFER_TWO = "%0 Journal Article\n%T First\n%X Whole.\n%U https://a.example/1\n\n%0 Journal Article\n%T Second\n"


def test_a_refer_record_stopping_short_of_the_field_every_other_record_ends_with() -> None:
    result = PARSERS["refer"](REFER_TWO + "%X An abstract that stops mid-wo", "refs.enw")
    [warning] = _cut_warnings(result.diagnostics)
    assert (warning.file, warning.record, warning.line) == ("refs.enw", 2, 8)
    assert "before the %U every other record ends with" in warning.message and "%X, on line 8" in warning.message


def test_a_lone_percent_at_the_end_is_a_cut_tag_not_text() -> None:
    result = PARSERS["refer"]("%0 Journal Article\n%T Only\n%X Whole abstract.\n%", "refs.enw")
    assert result.records[0].abstract == "Whole abstract."
    [warning] = _cut_warnings(result.diagnostics)
    assert (warning.record, warning.line) == (1, 4) and "a lone '%'" in warning.message


def test_an_empty_refer_tag_at_the_end_is_a_cut() -> None:
    [warning] = _cut_warnings(PARSERS["refer"]("%0 Book\n%T Only\n%A", "refs.enw").diagnostics)
    assert (warning.record, warning.line) == (1, 3) and "empty %A" in warning.message


def test_a_refer_file_ending_without_a_line_break_is_not_a_cut_by_itself() -> None:
    for text in ("%0 Book\n%T Only\n%X Lorem ipsum dolor sit amet", REFER_TWO + "%U https://a.example/2"):
        assert _cut_warnings(PARSERS["refer"](text, "refs.enw").diagnostics) == [], text


def test_a_refer_record_that_is_only_its_cut_first_line_is_skipped_not_a_placeholder() -> None:
    for tail, start in (("%0 Jour", "%0 Jour"), ("%", "%")):
        result = PARSERS["refer"](REFER_TWO + "%U https://a.example/2\n\n" + tail, "refs.enw")
        assert [r.title for r in result.records] == ["First", "Second"], tail
        assert result.records[1].url == "https://a.example/2"
        [warning] = _cut_warnings(result.diagnostics)
        assert (warning.record, warning.line) == (3, 10) and f"is only {start!r}" in warning.message
        assert "skipped" in warning.message


def test_every_cut_of_a_refer_export_before_its_last_field_is_named() -> None:
    """JabRef's bibIX sample: four records, each ending with %D; every mid-line cut of the last
    record before its %D line is reported, with the record and line."""
    path = FIXTURES / "refer" / "jabref-refer.bibIX.ref"
    if not path.is_file():
        pytest.skip(f"peer fixture absent: {path.name} (expected in ../shared/fixtures/refer)")
    text, _ = decode(path.read_bytes(), path.name)
    last = text.rindex("\n%0 ") + 1
    before_d = text.rindex("\n%D ") + 1
    cuts = [at for at in range(last + 1, before_d) if text[at - 1] != "\n"]
    assert len(cuts) > 50
    for at in cuts:
        result = PARSERS["refer"](text[:at], path.name)
        [warning] = _cut_warnings(result.diagnostics)
        assert warning.record == 4 and warning.line == text.count("\n", 0, at) + 1, at
        assert len(result.records) == (3 if "\n" not in text[last:at] else 4), at


# --- MEDLINE: the same two signs (PubMed ends every record with SO)


NBIB_TWO = "PMID- 1\nTI  - First.\nSO  - J. 2001;1:1.\n\nPMID- 2\nTI  - Second.\n"


def test_a_medline_record_stopping_short_of_so() -> None:
    result = PARSERS["medline"](NBIB_TWO + "AB  - An abstract that\n      stops mid-wo", "refs.nbib")
    [warning] = _cut_warnings(result.diagnostics)
    assert (warning.file, warning.record, warning.line) == ("refs.nbib", 2, 8)
    assert "before the SO every other record ends with" in warning.message and "AB, on line 8" in warning.message
    assert result.records[1].abstract == "An abstract that stops mid-wo"


def test_a_medline_tag_cut_in_two_at_the_end() -> None:
    result = PARSERS["medline"]("PMID- 1\nTI  - Only.\nFA", "refs.nbib")
    [warning] = _cut_warnings(result.diagnostics)
    assert (warning.record, warning.line) == (1, 3) and "'FA'" in warning.message
    assert not any("not a MEDLINE tag" in d.message for d in result.diagnostics)  # one warning, the true one


def test_a_medline_record_that_is_only_its_cut_first_line_is_skipped() -> None:
    result = PARSERS["medline"](NBIB_TWO + "SO  - J. 2002;2:2.\n\nPMID- 123", "refs.nbib")
    assert [r.title for r in result.records] == ["First.", "Second."]
    [warning] = _cut_warnings(result.diagnostics)
    assert (warning.record, warning.line) == (3, 9) and "is only 'PMID- 123'" in warning.message


def test_a_medline_file_ending_inside_a_continuation_is_not_a_cut_by_itself() -> None:
    text = "PMID- 1\nTI  - Only.\nSO  - Public Health. 2015;129(5):1-2. doi: 10.1/x. Epub 2015\n      Mar 3."
    assert _cut_warnings(PARSERS["medline"](text, "refs.nbib").diagnostics) == []
    assert _cut_warnings(PARSERS["medline"](NBIB_TWO + "SO  - J. 2002;2:2.", "refs.nbib").diagnostics) == []


def test_every_cut_of_a_pubmed_export_before_its_last_so_is_named() -> None:
    """biopython's PubMed result: four records, each ending with SO. A cut at any offset of the
    last record that falls mid-line before its SO line is reported; none is missed."""
    path = FIXTURES / "medline" / "biopython-pubmed_result2.txt"
    if not path.is_file():
        pytest.skip(f"peer fixture absent: {path.name} (expected in ../shared/fixtures/medline)")
    text, _ = decode(path.read_bytes(), path.name)
    last = text.rindex("\nPMID- ") + 1
    before_so = text.rindex("\nSO  - ") + 1
    cuts = [at for at in range(last + 1, before_so) if text[at - 1] != "\n"]
    assert len(cuts) > 1000
    for at in cuts:
        [warning] = _cut_warnings(PARSERS["medline"](text[:at], path.name).diagnostics)
        assert warning.record == 4 and warning.line == text.count("\n", 0, at) + 1, at


# --- BibTeX: an open brace or quote, named with the line it opens on


def _bib_error(text: str) -> Diagnostic:
    result = PARSERS["bibtex"](text, "refs.bib")
    [error] = [d for d in result.diagnostics if d.level == "error"]
    return error


def test_a_bibtex_entry_cut_inside_a_braced_value() -> None:
    error = _bib_error("@article{a,\n  title = {T},\n  abstract = {An abstract that stops mid-wo")
    assert (error.file, error.record, error.line) == ("refs.bib", 1, 3)
    assert "entry 'a' is cut off by the end of the file" in error.message
    assert "the brace '{' opened on line 3 for abstract is never closed" in error.message
    assert "truncated" in error.message and "skipped" in error.message


def test_a_bibtex_entry_cut_inside_a_quoted_value() -> None:
    error = _bib_error('@book{b,\n  title = "A title that stops')
    assert (error.record, error.line) == (1, 2)
    assert "the quote '\"' opened on line 2 for title is never closed" in error.message


def test_an_unclosed_brace_names_the_value_that_took_in_the_next_field() -> None:
    text = "@article{key,\n  title = {Unclosed,\n  year = 2001\n}\n\n@book{b, title = {Fine}}\n"
    result = PARSERS["bibtex"](text, "unclosed.bib")
    assert [r.title for r in result.records] == ["Fine"]
    [error] = [d for d in result.diagnostics if d.level == "error"]
    assert (error.record, error.line) == (1, 2)
    assert "the brace '{' opened on line 2 for title closes only on line 4" in error.message
    assert "taking in line 3, which looks like the next field" in error.message


def test_an_unclosed_quote_before_the_next_entry() -> None:
    error = _bib_error('@article{a,\n  title = "Open,\n  year = 2001\n}\n@book{b, title = {Fine}}\n')
    assert error.line == 2 and "is not closed before the next entry on line 5" in error.message
    assert "line 3 inside it looks like the next field" in error.message


def test_an_entry_whose_own_brace_is_left_open() -> None:
    error = _bib_error("@article{a,\n  title = {T},\n  year = 2001\n")
    assert error.line == 1 and "the entry's brace '{' on line 1 is never closed" in error.message


def test_another_syntax_error_gives_the_parsers_reason() -> None:
    error = _bib_error("@article{a\n  title = {T},\n}\n")
    assert error.line == 1 and "Expected comma after entry key" in error.message


# --- Every format: a file cut inside a UTF-8 character is UTF-8 cut short, not cp1252


def test_a_file_cut_inside_a_utf8_character_stays_utf8() -> None:
    data = "%0 Book\n%T Müller – naïve\n%X Résumé –".encode()[:-1]
    text, diagnostics = decode(data, "refs.enw")
    assert text == "%0 Book\n%T Müller – naïve\n%X Résumé "
    [warning] = diagnostics
    assert (warning.level, warning.file, warning.line) == ("warning", "refs.enw", 3)
    assert "ends inside a character" in warning.message and "2 bytes" in warning.message


# --- Complete files: no warning, however they end


def _peer_files() -> list[Path]:
    found = []
    for fmt, patterns in {
        "ris": ["*.ris"],
        "refer": ["*.ref", "*.enw"],
        "medline": ["*.txt", "*.nbib"],
        "bibtex": ["*.bib"],
    }.items():
        for pattern in patterns:
            found += [p for p in sorted((FIXTURES / fmt).glob(pattern)) if ".expected." not in p.name]
    return found


# These two peer inputs have no ER at all: a reader of them is told, as of any file cut there.
WITHOUT_ER = {"citationjs-ris-issues-214.ris", "citationjs-ris-issues-215.ris"}


def test_complete_peer_fixtures_raise_no_truncation_warning() -> None:
    files = _peer_files()
    if not files:
        pytest.skip("peer fixtures absent (expected in ../shared/fixtures)")
    named = set()
    for path in files:
        text, decoding = decode(path.read_bytes(), path.name)
        fmt = detect_format(text, path.name)
        if fmt is None:
            continue
        result = PARSERS[fmt](text, path.name)
        if _cut_warnings(decoding + result.diagnostics):
            named.add(path.name)
    assert len(files) > 200
    assert named == WITHOUT_ER
