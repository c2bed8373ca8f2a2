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


def parse_text(text: str) -> ris.ImportResult:
    return ris.parse(text, "inline.ris")


def test_m1_is_the_issue_of_an_article_when_is_is_absent() -> None:
    article = parse_text("TY  - JOUR\nTI  - A\nM1  - 9\nER  - \n").records[0]
    assert article.issue == "9" and "M1" not in article.extra
    with_is = parse_text("TY  - JOUR\nTI  - A\nIS  - 2\nM1  - 9\nER  - \n").records[0]
    assert with_is.issue == "2" and with_is.extra["M1"] == "9"
    # a note in M1 is no issue, nor is a chapter's M1 (EndNote: number of volumes)
    note = parse_text("TY  - JOUR\nTI  - A\nM1  - Copyright (C) 2016 Some Society. All Rights Reserved.\nER  - \n")
    assert note.records[0].issue == "" and note.records[0].extra["M1"].startswith("Copyright")
    chapter = parse_text("TY  - CHAP\nTI  - A\nM1  - 3\nER  - \n").records[0]
    assert chapter.issue == "" and chapter.extra["M1"] == "3"


def test_a_ty_without_er_splits_only_when_a_record_follows() -> None:
    missing_er = parse_text("TY  - JOUR\nTI  - First\nAU  - A, B\nTY  - JOUR\nTI  - Second\nER  - \n")
    assert [r.title for r in missing_er.records] == ["First", "Second"]
    stray = parse_text("TY  - JOUR\nTI  - Only\nTY  - THES\nPB  - University\nER  - \n")
    assert [(r.title, r.type, r.publisher) for r in stray.records] == [("Only", "thesis", "University")]


def test_untitled_record_is_returned_without_a_diagnostic() -> None:
    result = parse_text("TY  - JOUR\nAU  - Nahta, Rita\nPY  - 2012\nER  - \n")
    assert [(r.title, r.year) for r in result.records] == [("", 2012)]
    assert result.diagnostics == []


def test_conference_paper_container_is_the_proceedings_title() -> None:
    rec = parse_text("TY  - CONF\nTI  - Paper\nT2  - Meeting 2012\nC3  - Proceedings of the Meeting\nER  - \n")
    assert rec.records[0].container_title == "Proceedings of the Meeting"
    assert rec.records[0].extra["T2"] == "Meeting 2012" and "C3" not in rec.records[0].extra


def test_bill_sponsor_is_its_author_and_other_creators_are_kept() -> None:
    bill = parse_text("TY  - BILL\nTI  - An Act\nA2  - Sponsor, Sam\nER  - \n").records[0]
    assert bill.authors == [Person(family="Sponsor", given="Sam")] and "A2" not in bill.extra
    article = parse_text("TY  - JOUR\nTI  - A\nAU  - Nahta, R\nA3  - Series, Ed\nA4  - Trans, Lator\nER  - \n")
    assert [p.family for p in article.records[0].collection_editors] == ["Series"]
    assert [p.family for p in article.records[0].translators] == ["Trans"]


def test_a_books_series_editor_is_a2_and_its_editor_a3_as_the_spec_and_endnote_write_them() -> None:
    def roles(text: str) -> tuple[list[str], list[str], list[str]]:
        rec = parse_text(text).records[0]
        people = (rec.authors, rec.editors, rec.collection_editors)
        authors, editors, series = ([p.family for p in group] for group in people)
        return authors, editors, series

    book = "TY  - BOOK\nTI  - B\nAU  - Au, A\nA2  - Series, S\nA3  - Ed, E\nER  - \n"
    assert roles(book) == (["Au"], ["Ed"], ["Series"])
    chapter = "TY  - CHAP\nTI  - C\nAU  - Au, A\nA2  - Ed, E\nA3  - Series, S\nER  - \n"
    assert roles(chapter) == (["Au"], ["Ed"], ["Series"])
    report = "TY  - RPRT\nTI  - R\nAU  - Au, A\nA2  - Series, S\nED  - Ed, E\nER  - \n"
    assert roles(report) == (["Au"], ["Ed"], ["Series"])
    # an edited book's AU are its editors
    assert roles("TY  - EDBOOK\nTI  - E\nAU  - Ed, E\nA2  - Series, S\nER  - \n") == ([], ["Ed"], ["Series"])
    # a government document's A2 is its department, no editor: kept in extra
    govdoc = parse_text("TY  - GOVDOC\nTI  - G\nA2  - Department of Energy\nER  - \n").records[0]
    assert govdoc.editors == [] and govdoc.extra["A2"] == "Department of Energy"
    # a thesis's A3 is its advisor (EndNote's and ProCite's label): no series editor, kept in extra
    thesis = parse_text("TY  - THES\nTI  - T\nAU  - Au, A\nA3  - Advisor, A\nER  - \n").records[0]
    assert thesis.collection_editors == [] and thesis.extra["A3"] == "Advisor, A"
    # ProCite files every type's series editor under A3 and its editor or compiler under A2
    procite = "TY  - BOOK\nN1  - Record ID: 9\nT1  - P\nA1  - Au, A\nA2  - Ed, E\nA3  - Series, S\nER  - \n"
    assert roles(procite) == (["Au"], ["Ed"], ["Series"])


def test_a_cases_reporter_in_a2_is_its_container() -> None:
    case = parse_text("TY  - CASE\nTI  - Roe v. Wade\nA2  - U.S.\nJ2  - 93 S. Ct. 705\nVL  - 410\nER  - \n").records[0]
    assert (case.container_title, case.volume) == ("U.S.", "410")
    assert case.extra.get("J2") == "93 S. Ct. 705" and "A2" not in case.extra and case.editors == []


def test_abbreviated_journal_title_is_kept_in_extra() -> None:
    rec = parse_text("TY  - JOUR\nTI  - A\nT2  - The Journal of Chemical Physics\nJO  - J. Chem. Phys.\nER  - \n")
    assert rec.records[0].container_title == "The Journal of Chemical Physics"
    assert rec.records[0].extra["JO"] == "J. Chem. Phys."


def test_continuation_after_a_repeated_single_value_tag() -> None:
    text = "TY  - JOUR\nTI  - T\nAB  - one\nAB  - two\nmore text\nER  - \n\nTY  - JOUR\nTI  - Second\nER  - \n"
    result = ris.parse(text, "bad.ris")
    assert [r.title for r in result.records] == ["T", "Second"]


def test_procite_labelled_notes_give_volume_issue_and_proceedings() -> None:
    text = (
        "TY  - CHAP\nN1  - Record ID: 40\nT1  - Chapter\nT2  - Book\nVL  - 2nd\n"
        "N1  - Volume ID: 7\nN1  - Issue ID: 3\nER  - \n\n"
        "TY  - CONF\nN1  - Record Number: 230\nT1  - Paper\nN1  - Proceedings Title: Proc. X\n"
        "N1  - Author, Monographic: Doe, Jane\nER  - \n\n"
        "TY  - JOUR\nT1  - Not ProCite\nVL  - 5\nN1  - Volume ID: 9\nER  - \n"
    )
    chapter, paper, article = parse_text(text).records
    assert (chapter.volume, chapter.edition, chapter.issue) == ("7", "2nd", "3")
    assert "Volume ID: 7" in chapter.note  # the notes themselves are kept
    assert paper.container_title == "Proc. X" and paper.editors == [Person(family="Doe", given="Jane")]
    # without ProCite's "Record ID" note a labelled note is only a note
    assert (article.volume, article.issue) == ("5", "")


def test_a_procite_books_volume_is_its_is_and_its_edition_vl() -> None:
    # ProCite's own labels (zotero-RIS-05, a record per field name): a book's "VL - Edition",
    # "IS - Volume ID"; elsewhere IS stays the issue and VL the volume
    text = (
        "TY  - BOOK\nN1  - Record ID: 200\nT1  - Book\nVL  - 2nd\nIS  - 4\nER  - \n\n"
        "TY  - BOOK\nT1  - Not ProCite\nVL  - 3\nIS  - 1\nER  - \n\n"
        "TY  - JOUR\nN1  - Record ID: 201\nT1  - Article\nVL  - 12\nIS  - 5\nER  - \n"
    )
    book, other, article = parse_text(text).records
    assert (book.volume, book.edition, book.issue) == ("4", "2nd", "")
    assert (other.volume, other.edition, other.issue) == ("3", "", "1")
    assert (article.volume, article.issue) == ("12", "5")


def test_sound_performer_is_a_creator_and_a_procite_bills_code_its_container() -> None:
    text = (
        "TY  - SOUND\nT1  - Song\nA1  - Composer, Carl\nA2  - Performer, Pat\nER  - \n\n"
        "TY  - BILL\nN1  - Record ID: 10\nTI  - Act Name\nCY  - U.S.C.\nER  - \n\n"
        "TY  - MUSIC\nTI  - Score\nAU  - Composer, Carl\nA2  - Editor, Ed\nER  - \n"
    )
    song, bill, score = parse_text(text).records
    assert [p.family for p in song.authors] == ["Composer", "Performer"] and "A2" not in song.extra
    assert (bill.container_title, bill.place) == ("U.S.C.", "")
    assert [p.family for p in score.editors] == ["Editor"]  # EndNote's label for a score's A2
