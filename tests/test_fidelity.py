"""Nothing dropped or garbled on import: placeholder titles, markup cleaned, bad values kept,
creator roles and citation keys carried from import to every export."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from litweave.build.pipeline import build_site
from litweave.cli import main
from litweave.config import load_config
from litweave.exporters.bibtex import to_bibtex
from litweave.exporters.csljson import to_csl_json
from litweave.exporters.keys import assign_keys
from litweave.exporters.ris import to_ris
from litweave.frontmatter import paper_meta_problems, record_from_meta, record_to_meta
from litweave.importers import PARSERS
from litweave.importers.finish import clean_text, placeholder_title
from litweave.importers.identity import merge_records
from litweave.importers.markup import markup_to_text
from litweave.importers.normalize import meaningful_citekey
from litweave.model import Person, Record, Source

# ---- 1. nothing dropped ---------------------------------------------------------------------


def test_untitled_record_gets_a_placeholder_from_what_it_has_and_a_warning() -> None:
    text = "TY  - JOUR\nAU  - Smith, Jane\nAU  - Doe, J\nJO  - Nature\nPY  - 2012\nER  - \n"
    result = PARSERS["ris"](text, "refs.ris")
    assert [r.title for r in result.records] == ["[Untitled] Nature, 2012, Smith"]
    warning = next(d for d in result.diagnostics if "no title" in d.message)
    assert warning.file == "refs.ris" and warning.record == 1 and warning.level == "warning"


def test_placeholder_of_a_record_with_nothing_names_its_place() -> None:
    record = Record(title="", source=Source("a.bib", "bibtex", 3))
    assert placeholder_title(record) == "[Untitled] record 3 of a.bib"
    editor_only = Record(title="", editors=[Person(family="Caesar", given="Gaius")])
    assert placeholder_title(editor_only) == "[Untitled] Caesar"


def test_untitled_records_of_one_journal_and_year_stay_separate_pages(empty_kb: Path, tmp_path: Path, capsys) -> None:
    refs = tmp_path / "refs.ris"
    one = "TY  - JOUR\nAU  - Smith, Jane\nJO  - Nature\nPY  - 2012\nVL  - {}\nER  - \n"
    refs.write_text(one.format(1) + one.format(2))
    assert main(["--root", str(empty_kb), "import", str(refs)]) == 0
    assert len(list((empty_kb / "content" / "papers").glob("*.md"))) == 2
    capsys.readouterr()
    main(["--root", str(empty_kb), "check"])
    err = capsys.readouterr().err
    assert err.count("title is a placeholder") == 2 and "content/papers/" in err


# ---- 2. text cleaned, not mangled -----------------------------------------------------------


def test_jats_abstract_keeps_labels_and_never_glues_words() -> None:
    jats = (
        "<jats:title>Abstract</jats:title><jats:p>High COVID-19 rates.</jats:p>"
        "<jats:sec><jats:title>Background</jats:title><jats:p>CO<jats:sub>2</jats:sub> &amp; O<sub>2</sub>"
        "</jats:p></jats:sec><jats:sec><jats:title>Methods:</jats:title><jats:p>We   measured.</jats:p></jats:sec>"
    )
    assert markup_to_text(jats) == "High COVID-19 rates.\n\nBackground: CO2 & O2\n\nMethods: We measured."
    assert markup_to_text("<p>First</p><p>Second<br/>line</p>") == "First\n\nSecond\n\nline"


def test_csl_json_abstract_becomes_paragraphs() -> None:
    item = '[{"id": "x", "title": "T", "abstract": "<jats:title>Abstract</jats:title><jats:p>High COVID-19</jats:p>"}]'
    record = PARSERS["csljson"](item, "x.json").records[0]
    assert record.abstract == "High COVID-19"


def test_latex_is_decoded_in_every_format() -> None:
    bib = PARSERS["bibtex"](r"@book{k, title = {The {\TeX}book \emph{now} \href{https://x.org}{here}}}", "a.bib")
    assert bib.records[0].title == "The TeXbook now here"
    ris = PARSERS["ris"]("TY  - JOUR\nTI  - Caf\\'e \\emph{au} lait\nT2  - J. Phys\\`a\nER  - \n", "a.ris")
    assert ris.records[0].title == "Café au lait" and ris.records[0].container_title == "J. Physà"


def test_unknown_latex_command_keeps_its_argument_not_its_name() -> None:
    record = PARSERS["bibtex"](r"@article{k, title = {A \unknown{word} and \alsounknown here}}", "a.bib").records[0]
    # alone, it stays as written: most such commands in .bib files are journal macros (\aap, \apj)
    assert record.title == "A word and \\alsounknown here"


# A clean-text alphabet: letters, punctuation, the characters markup uses, newlines.
_TEXT = st.lists(st.sampled_from(list("ab é<>/&;#x1p \n\t:") + ["<p>", "</p>", "&amp;", "<i>", "&lt;"])).map("".join)


@given(_TEXT)
def test_cleaning_is_idempotent(text: str) -> None:
    once = markup_to_text(text)
    assert markup_to_text(once) == once
    assert clean_text(once, latex=False) == once


_LATEX_TOKENS = st.lists(
    st.sampled_from(
        ["a", "B", " ", r"\'e", r"{\TeX}", r"\emph{x}", "--", "{DNA}", r"\"o", "$x^2$", r"\unknown{y}", "\\aap "]
    )
)


@given(_LATEX_TOKENS)
def test_latex_decoding_of_decoded_text_changes_nothing(tokens: list[str]) -> None:
    once = clean_text("".join(tokens), latex=True)
    assert clean_text(once, latex=True) == once


def test_control_characters_leave_no_empty_name_no_edge_blanks_and_no_double_space() -> None:
    """Found by the export properties: cleaning ran after the importer, so a name of control
    characters only stayed as an empty name, and a note kept the line break before one."""
    item = {"id": "a", "title": "T", "author": [{"literal": "\u001b"}, {"family": "Doe"}], "note": "0\n\u001b"}
    item["container-title"] = "0\u0085\u001b\n..."
    [record] = PARSERS["csljson"](json.dumps([item]), "x.json").records
    assert record.authors == [Person(family="Doe")]
    assert (record.note, record.container_title) == ("0", "0 ...")


def test_a_lone_surrogate_is_a_replacement_character_not_a_crash(empty_kb: Path, tmp_path: Path) -> None:
    """CSL-JSON may escape half a character (`\\ud800`); no UTF-8 file can hold it, and writing
    the page raised UnicodeEncodeError, ending the import."""
    refs = tmp_path / "refs.json"
    refs.write_text('[{"id": "a", "title": "Bad \\ud800 title", "author": [{"family": "X\\udc00"}]}]')
    assert main(["--root", str(empty_kb), "import", str(refs)]) == 0
    [page] = (empty_kb / "content" / "papers").glob("*.md")
    assert "title: Bad \ufffd title\n" in page.read_text(encoding="utf-8")


# ---- 3. bad values kept and reported ---------------------------------------------------------


def test_unreadable_ris_date_and_doi_are_kept_under_unparsed_with_warnings() -> None:
    result = PARSERS["ris"]("TY  - JOUR\nTI  - T\nPY  - abcd\nDO  - not a doi\nER  - \n", "bad.ris")
    record = result.records[0]
    assert record.unparsed == {"PY": "abcd", "DO": "not a doi"} and record.year is None and record.doi == ""
    warned = {d.message.split(":")[0] for d in result.diagnostics if d.file == "bad.ris" and d.record == 1}
    assert {"PY", "DO"} <= warned
    assert record_to_meta(record)["unparsed"] == {"DO": "not a doi", "PY": "abcd"}


def test_unreadable_refer_and_medline_dates_are_kept_under_unparsed() -> None:
    refer = PARSERS["refer"]("%0 Journal Article\n%T T\n%D abcd\n", "x.enw")
    assert refer.records[0].unparsed == {"%D": "abcd"}
    assert any(d.message.startswith("%D:") and d.record == 1 for d in refer.diagnostics)
    status = PARSERS["refer"]("%0 Journal Article\n%T T\n%D in press\n", "x.enw")
    assert status.records[0].unparsed == {} and status.records[0].extra == {"%D": "in press"}
    medline = PARSERS["medline"]("PMID- 1\nTI  - T\nDP  - sometime\n", "x.nbib")
    assert medline.records[0].unparsed == {"DP": "sometime"}
    assert any(d.message.startswith("DP:") and d.file == "x.nbib" for d in medline.diagnostics)


def test_unreadable_bibtex_and_csl_values_are_kept_under_unparsed() -> None:
    bib = PARSERS["bibtex"]("@article{k, title={T}, year={abcd}, doi={not a doi}}", "x.bib")
    assert bib.records[0].unparsed == {"year": "abcd", "doi": "not a doi"}
    assert {d.message.split(":")[0] for d in bib.diagnostics if d.record == 1} >= {"year", "doi"}
    csl = PARSERS["csljson"]('[{"id": "a", "title": "T", "DOI": "nope", "issued": {"raw": "someday"}}]', "x.json")
    assert csl.records[0].unparsed == {"DOI": "nope", "issued": '{"raw": "someday"}'}
    empty = PARSERS["csljson"]('[{"id": "a", "title": "T", "issued": {"date-parts": [[null]]}}]', "x.json")
    assert empty.records[0].unparsed == {}  # an empty date is no value, not a bad one


def test_csl_author_given_as_one_string_is_kept_and_reported() -> None:
    result = PARSERS["csljson"]('[{"id": "a", "title": "T", "author": "Doe, John"}]', "x.json")
    assert result.records[0].unparsed == {"author": "Doe, John"} and result.records[0].authors == []
    assert any("author" in d.message and d.record == 1 and d.file == "x.json" for d in result.diagnostics)


def test_hand_written_authors_in_one_string_are_split_with_a_notice() -> None:
    meta = {"title": "T", "authors": "I Gout and R Dhand"}
    assert [p.family for p in record_from_meta(meta).authors] == ["Gout", "Dhand"]
    assert [p.family for p in record_from_meta({"title": "T", "authors": "Gout, I; Dhand, R"}).authors] == [
        "Gout",
        "Dhand",
    ]
    assert any("authors: one line holding 2 names" in p for p in paper_meta_problems(meta))
    assert not paper_meta_problems({"title": "T", "authors": ["I Gout", "R Dhand"]})


# ---- 4. roles kept ---------------------------------------------------------------------------


def test_editors_and_translators_survive_import_page_and_every_export() -> None:
    bib = "@book{knuth:ct:a, title = {T}, author = {Knuth, Donald}, editor = {Ed, Ann}, translator = {Tra, Bo}}"
    record = PARSERS["bibtex"](bib, "a.bib").records[0]
    back = record_from_meta(record_to_meta(record))
    assert [p.family for p in back.editors] == ["Ed"] and [p.family for p in back.translators] == ["Tra"]
    csl = to_csl_json([back])[0]
    assert csl["editor"] == [{"family": "Ed", "given": "Ann"}]
    assert csl["translator"] == [{"family": "Tra", "given": "Bo"}]
    assert "editor = {Ed, Ann}" in to_bibtex([back]) and "translator = {Tra, Bo}" in to_bibtex([back])
    ris = to_ris([back])
    assert "A3  - Ed, Ann" in ris and "A4  - Tra, Bo" in ris  # a book's editor is its A3 (RIS spec)
    again = PARSERS["ris"](ris, "b.ris").records[0]
    assert [p.family for p in again.translators] == ["Tra"] and [p.family for p in again.editors] == ["Ed"]


def test_series_editors_and_editors_keep_their_roles_through_ris_for_every_type() -> None:
    for csl_type in ("book", "chapter", "report", "manuscript", "paper-conference"):
        record = Record(
            title="T",
            type=csl_type,
            authors=[Person(family="Au")],
            editors=[Person(family="Ed", given="E")],
            collection_editors=[Person(family="Series", given="S")],
        )
        again = PARSERS["ris"](to_ris([record]), "r.ris").records[0]
        assert [p.family for p in again.editors] == ["Ed"], csl_type
        assert [p.family for p in again.collection_editors] == ["Series"], csl_type


# ---- 5. citation keys kept -------------------------------------------------------------------


def test_imported_keys_are_kept_and_generated_ones_unique_and_stable() -> None:
    bib = "@book{knuth:ct:a, title = {The {\\TeX}book}, author = {Knuth, Donald}, year = 1984}"
    kept = PARSERS["bibtex"](bib, "a.bib").records[0]
    assert kept.citekey == "knuth:ct:a" and record_to_meta(kept)["citekey"] == "knuth:ct:a"
    twins = [Record(title="Same words", authors=[Person(family="Lu")], year=2001) for _ in range(2)]
    clash = Record(title="Other", citekey="lu2001Same")
    keys = assign_keys([*twins, clash])
    assert keys == ["lu2001Samea", "lu2001Sameb", "lu2001Same"]  # a kept key is never taken
    assert assign_keys([*twins, clash]) == keys
    assert to_bibtex([kept]).startswith("@book{knuth:ct:a,")
    assert to_csl_json([kept])[0]["id"] == "knuth:ct:a" and "ID  - knuth:ct:a" in to_ris([kept])


def test_machine_ids_are_not_citation_keys() -> None:
    for machine in ("ITEM-1", "12", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "X7NQ2ZPB", "http://x.org/1"):
        assert meaningful_citekey(machine) == "", machine
    for person in ("knuth:ct:a", "Nahta2012", "smith2012a"):
        assert meaningful_citekey(person) == person
    item = PARSERS["csljson"]('[{"id": "ITEM-1", "title": "T"}, {"id": "doe2020", "title": "U"}]', "x.json")
    assert [r.citekey for r in item.records] == ["", "doe2020"]


def test_export_command_keeps_the_bibtex_key(empty_kb: Path, tmp_path: Path, capsys) -> None:
    bib = tmp_path / "k.bib"
    bib.write_text("@book{knuth:ct:a, title = {The {\\TeX}book}, author = {Knuth, Donald}, year = 1984}\n")
    assert main(["--root", str(empty_kb), "import", str(bib)]) == 0
    capsys.readouterr()
    assert main(["--root", str(empty_kb), "export", "--format", "bibtex"]) == 0
    out = capsys.readouterr().out
    assert "@book{knuth:ct:a," in out and "The TeXbook" in out


def test_paper_page_names_editors_and_translators_and_splits_a_one_line_author_list(kb: Path) -> None:
    page = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    text = page.read_text()
    text = text.replace(
        'authors: ["Lu, Yuhong", "Nahta, Rita", "van de Vijver, Marc", "Dupont, René"]',
        'authors: I Gout and R Dhand\neditors: ["Ed, Ann"]\ntranslators: ["Tra, <b>Bo</b>"]',
    )
    page.write_text(text)
    report = build_site(load_config(kb))
    assert report.ok
    notice = [d for d in report.diagnostics if "authors: one line holding 2 names" in d.message]
    assert notice and notice[0].file == "content/papers/lu-2001-insulin-like.md"
    html = (kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html").read_text()
    assert "Edited by Ann Ed" in html and "Translated by &lt;b&gt;Bo&lt;/b&gt; Tra" in html
    assert "/authors/i-gout/" in html and "/authors/r-dhand/" in html


def test_merging_two_records_of_one_work_keeps_roles_key_and_unparsed() -> None:
    a = Record(title="T", doi="10.1/x", citekey="knuth:ct:a", translators=[Person(family="Tra")])
    b = Record(title="T", doi="10.1/x", editors=[Person(family="Ed")], unparsed={"PY": "abcd"})
    merged = merge_records(a, b)
    assert merged.citekey == "knuth:ct:a" and merged.unparsed == {"PY": "abcd"}
    assert [p.family for p in merged.translators] == ["Tra"] and [p.family for p in merged.editors] == ["Ed"]


def test_csl_json_export_carries_unparsed_values_and_every_role_back() -> None:
    record = Record(
        title="T",
        unparsed={"PY": "abcd"},
        container_authors=[Person(family="Book")],
        reviewed_authors=[Person(family="Rev")],
        citekey="doe2020",
    )
    item = to_csl_json([record])[0]
    assert item["container-author"] == [{"family": "Book"}] and item["reviewed-author"] == [{"family": "Rev"}]
    back = PARSERS["csljson"](json.dumps([item]), "x.json").records[0]
    assert back.unparsed == {"PY": "abcd"} and back.citekey == "doe2020"
    assert [p.family for p in back.container_authors] == ["Book"]
    assert [p.family for p in back.reviewed_authors] == ["Rev"]
