"""The import command end to end: pages written, idempotent, merge-safe, atomic on bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from litweave.cli import main
from litweave.commands.import_ import import_files
from litweave.config import load_config

REFER = """%0 Journal Article
%T Insulin-like growth factor-I receptor signaling and resistance to trastuzumab
%A Lu, Yuhong
%A Zi, Xiaolin
%J Journal of the National Cancer Institute
%D 2001
%V 93
%P 1852-1857
%R doi:10.1093/jnci/93.24.1852

%0 Journal Article
%A Nobody, Without Title
%D 1999

%0 Book
%T Breast Cancer Biology
%A van de Vijver, Marc
%I Example Press
%D 2010
"""


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_seed_becomes_one_page_with_abstract_and_fulltext(empty_kb: Path, seed: Path) -> None:
    report = import_files(load_config(empty_kb), [seed])
    assert report.ok and len(report.created) == 1
    page = empty_kb / report.created[0]
    meta = yaml.safe_load(page.read_text().split("---\n")[1])
    assert meta["authors"] == ["Rita Nahta"]
    assert meta["doi"] == "10.1155/2012/648965"
    assert meta["abstract"].endswith("progressed on trastuzumab treatment.")
    assert "## 1. Introduction" in meta["fulltext"]
    assert "## 2. Preclinical Studies Examining IGF-IR and Trastuzumab Resistance" in meta["fulltext"]
    assert "20–30%" in meta["fulltext"] and "每" not in page.read_text()
    assert meta["sources"] == [{"file": seed.name, "format": "refer", "record": 1}]
    repairs = [d for d in report.diagnostics if "mojibake" in d.message]
    assert len(repairs) >= 5 and all(d.record == 1 and d.file == seed.name for d in repairs)


def test_sample_knowledge_base_is_the_imported_seed(tmp_path: Path, seed: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    before = _tree(root / "content")
    report = import_files(load_config(root), [seed])
    assert report.ok
    assert report.created == [] and report.updated == []
    assert _tree(root / "content") == before


def test_reimport_changes_no_byte(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "refs.enw"
    refs.write_text(REFER)
    config = load_config(empty_kb)
    first = import_files(config, [refs])
    assert len(first.created) == 3  # the untitled record too, matched again by its source
    snapshot = _tree(empty_kb / "content")
    second = import_files(config, [refs])
    assert second.created == [] and second.updated == []
    assert _tree(empty_kb / "content") == snapshot


def test_reimport_keeps_notes_and_fields_the_reader_added_or_edited(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "refs.enw"
    refs.write_text(REFER)
    config = load_config(empty_kb)
    created = import_files(config, [refs]).created
    page = empty_kb / next(p for p in created if "lu-2001" in p)
    text = page.read_text()
    text = text.replace("title: Insulin-like", "title: Corrected Insulin-like")
    text = text.replace("---\n", "---\nstatus: read\nrating: 5\n", 1) + "\nMy notes: **important**.\n"
    page.write_text(text)
    # the file gets richer and is imported again
    refs.write_text(REFER.replace("%P 1852-1857", "%P 1852-1857\n%N 24\n%X An abstract arrived later."))
    report = import_files(config, [refs])
    assert report.updated == [page.relative_to(empty_kb).as_posix()]
    after = page.read_text()
    assert after.endswith("\nMy notes: **important**.\n")
    meta = yaml.safe_load(after.split("---\n")[1])
    assert meta["title"].startswith("Corrected")
    assert meta["status"] == "read" and meta["rating"] == 5
    assert meta["issue"] == "24" and meta["abstract"] == "An abstract arrived later."


def test_record_without_title_is_imported_with_a_placeholder(empty_kb: Path, tmp_path: Path, capsys) -> None:
    refs = tmp_path / "refs.enw"
    refs.write_text(REFER)
    assert main(["--root", str(empty_kb), "import", str(refs)]) == 0
    err = capsys.readouterr().err
    assert "refs.enw (record 2)" in err and "no title" in err and "[Untitled] 1999, Nobody" in err
    pages = sorted((empty_kb / "content" / "papers").glob("*.md"))
    assert len(pages) == 3
    untitled = next(p for p in pages if "untitled" in p.name)
    meta = yaml.safe_load(untitled.read_text().split("---\n")[1])
    assert meta["title"] == "[Untitled] 1999, Nobody" and meta["authors"] == ["Without Title Nobody"]


def test_the_summary_counts_pages_written_not_records_read(empty_kb: Path, tmp_path: Path, capsys) -> None:
    refs = tmp_path / "refs.enw"
    refs.write_text(REFER)
    assert main(["--root", str(empty_kb), "import", str(refs)]) == 0
    first = capsys.readouterr().out
    assert first.startswith("wrote 3 pages (3 new, 0 updated) from 3 records read; 0 pages unchanged;")
    # every record is on its page already: nothing is written, and the summary says so
    assert main(["--root", str(empty_kb), "import", str(refs)]) == 0
    assert capsys.readouterr().out.startswith("wrote no page from 3 records read; 3 pages unchanged;")
    # a record whose page cannot be read is refused: read, and not written
    page = next((empty_kb / "content" / "papers").glob("lu-2001-*.md"))
    page.write_text("---\ntitle: [unclosed\n---\n")
    assert main(["--root", str(empty_kb), "import", str(refs)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("wrote no page from 3 records read; 2 pages unchanged;")
    assert "refused: refs.enw record 1" in out


def test_a_cut_file_and_an_unclosed_brace_are_named_and_counted(empty_kb: Path, tmp_path: Path, capsys) -> None:
    cut = tmp_path / "cut.ris"
    cut.write_text("TY  - JOUR\nTI  - Whole\nER  - \n\nTY  - JOUR\nTI  - Cut\nAB  - Five minutes after c")
    unclosed = tmp_path / "unclosed.bib"
    unclosed.write_text("@article{key,\n  title = {Unclosed,\n  year = 2001\n}\n")
    assert main(["--root", str(empty_kb), "import", str(cut), str(unclosed)]) == 1
    captured = capsys.readouterr()
    assert (
        "cut.ris:7 (record 2): warning: record 2 of cut.ris ends without ER at the end of the file: it may be "
        "truncated (check its last field, AB, on line 7)"
    ) in captured.err
    assert (
        "unclosed.bib:2 (record 1): error: entry 'key' cannot be read: the brace '{' opened on line 2 for title "
        "closes only on line 4"
    ) in captured.err
    assert captured.out.startswith("wrote 2 pages (2 new, 0 updated) from 2 records read;")
    assert "1 skipped" in captured.out and "1 warning, 1 error" in captured.out


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("refs.ris", "TY  - JOUR\nTI  - \x01\x02\nAU  - Smith, John\nPY  - 2012\nJO  - Nature\nER  - \n"),
        ("refs.bib", "@article{smith2012, title={\x01}, author={Smith, John}, journal={Nature}, year={2012}}\n"),
    ],
)
def test_a_title_of_control_characters_only_gets_the_placeholder(
    empty_kb: Path, tmp_path: Path, name: str, text: str
) -> None:
    """The title is judged as it will be once control characters are removed: empty."""
    refs = tmp_path / name
    refs.write_text(text, encoding="utf-8")
    assert main(["--root", str(empty_kb), "import", str(refs)]) == 0
    [page] = (empty_kb / "content" / "papers").glob("*.md")
    assert yaml.safe_load(page.read_text().split("---\n")[1])["title"] == "[Untitled] Nature, 2012, Smith"


def test_file_that_is_not_bibliographic_is_refused_and_the_others_imported(
    empty_kb: Path, tmp_path: Path, capsys
) -> None:
    good = tmp_path / "refs.enw"
    good.write_text(REFER)
    bad = tmp_path / "notes.txt"
    bad.write_text("Just some notes.\nNothing to import here, 30% of it at least.\n")
    code = main(["--root", str(empty_kb), "import", str(good), str(bad)])
    captured = capsys.readouterr()
    assert code == 1
    assert "notes.txt: error: not a recognised bibliographic file" in captured.err
    assert "refused: notes.txt" in captured.out
    # REFER holds two titled records and one without a title, kept with a placeholder.
    assert len(list((empty_kb / "content" / "papers").glob("*.md"))) == 3


def test_only_unusable_files_exit_2_and_write_nothing(empty_kb: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("Just some notes.\n")
    assert main(["--root", str(empty_kb), "import", str(bad), str(tmp_path / "absent.ris")]) == 2
    captured = capsys.readouterr()
    assert "notes.txt" in captured.err and "absent.ris" in captured.err and "nothing written" in captured.out
    assert list((empty_kb / "content").iterdir()) == []


def test_forced_refer_format_on_a_non_refer_file_is_an_error(empty_kb: Path, tmp_path: Path) -> None:
    bad = tmp_path / "x.enw"
    bad.write_text("no tags at all\n")
    report = import_files(load_config(empty_kb), [bad], fmt="refer")
    assert not report.ok
    assert any(d.file == "x.enw" and d.level == "error" for d in report.diagnostics)
    assert list((empty_kb / "content").iterdir()) == []


def test_same_work_in_two_files_is_one_page_with_both_sources(empty_kb: Path, tmp_path: Path) -> None:
    a = tmp_path / "a.enw"
    a.write_text(REFER)
    b = tmp_path / "b.enw"
    b.write_text(
        "%0 Journal Article\n%T Insulin-like growth factor-I receptor signaling and resistance to "
        "trastuzumab\n%A Lu, Y.\n%D 2001\n%R https://doi.org/10.1093/JNCI/93.24.1852\n%X Abstract B.\n"
    )
    report = import_files(load_config(empty_kb), [a, b])
    assert report.ok and len(report.created) == 3 and report.merged == 1
    page = next((empty_kb / "content" / "papers").glob("lu-2001*.md"))
    meta = yaml.safe_load(page.read_text().split("---\n")[1])
    assert [s["file"] for s in meta["sources"]] == ["a.enw", "b.enw"]
    assert meta["abstract"] == "Abstract B." and meta["authors"][0] == "Yuhong Lu"
    assert meta["doi"] == "10.1093/jnci/93.24.1852"


def test_hostile_record_cannot_escape_or_inject(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "hostile.enw"
    refs.write_text(
        "%0 Journal Article\n%T ../../../etc/passwd <script>alert(1)</script>\n%A ../../evil, <b>Bold</b>\n"
        "%D 2020\n%U javascript:alert(1)\n%X <img src=x onerror=alert(1)> HER2\n"
    )
    report = import_files(load_config(empty_kb), [refs])
    assert report.ok and len(report.created) == 1
    created = empty_kb / report.created[0]
    assert created.parent == empty_kb / "content" / "papers"
    assert "javascript:" not in created.read_text()
    assert main(["--root", str(empty_kb), "build"]) == 0
    written = [p for p in empty_kb.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(empty_kb) for p in written)
    html = "".join(p.read_text() for p in (empty_kb / "site").rglob("*.html"))
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Bold" not in html
    assert main(["--root", str(empty_kb), "check"]) == 0


def test_undated_record_reimported_is_not_duplicated(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "noyear.ris"
    refs.write_text("TY  - JOUR\nTI  - A paper without a year\nAU  - Doe, Jane\nER  - \n")
    config = load_config(empty_kb)
    for _ in range(3):
        assert import_files(config, [refs]).ok
    assert len(list((empty_kb / "content" / "papers").glob("*.md"))) == 1


def test_different_dois_are_never_one_page(empty_kb: Path, tmp_path: Path) -> None:
    a = tmp_path / "a.enw"
    a.write_text(REFER)
    b = tmp_path / "b.enw"
    b.write_text(REFER.replace("doi:10.1093/jnci/93.24.1852", "10.9999/other"))
    config = load_config(empty_kb)
    import_files(config, [a])
    report = import_files(config, [b])
    dois = sorted(
        yaml.safe_load(p.read_text().split("---\n")[1]).get("doi", "")
        for p in (empty_kb / "content" / "papers").glob("lu-2001*.md")
    )
    assert dois == ["10.1093/jnci/93.24.1852", "10.9999/other"]
    assert report.created and all("lu-2001" not in p for p in report.updated)


def test_corrected_title_still_receives_its_record_and_emptied_fields_stay_empty(
    empty_kb: Path, tmp_path: Path
) -> None:
    refs = tmp_path / "refs.enw"
    refs.write_text(REFER.replace("%R doi:10.1093/jnci/93.24.1852\n", "%X Original abstract.\n"))
    config = load_config(empty_kb)
    page = empty_kb / next(p for p in import_files(config, [refs]).created if "lu-2001" in p)
    text = page.read_text().replace("signaling and resistance", "signalling and resistance")
    page.write_text(text.replace("abstract: Original abstract.", "abstract: ''"))
    report = import_files(config, [refs])
    assert report.created == [] and report.updated == []
    meta = yaml.safe_load(page.read_text().split("---\n")[1])
    assert "signalling" in meta["title"] and meta["abstract"] == ""


def test_new_pages_record_the_day_they_were_added_and_keep_it(empty_kb: Path, tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "refs.enw"
    source.write_text(REFER)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert main(["--root", str(empty_kb), "import", str(source)]) == 0
    page = empty_kb / "content" / "papers" / "lu-2001-insulin-like-growth-factor-i-receptor-signaling.md"
    meta = yaml.safe_load(page.read_text().split("---\n")[1])
    assert meta["added"] == "2023-11-14"
    # the base holds what the source wrote; `added` is the reader's, so no later import changes it
    base = (empty_kb / "content" / ".base" / "papers" / page.name.replace(".md", ".yaml")).read_text()
    assert "added" not in base
    page.write_text(page.read_text().replace("added: '2023-11-14'", "added: '2023-01-02'"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    source.write_text(REFER.replace("%V 93", "%V 94"))
    assert main(["--root", str(empty_kb), "import", str(source)]) == 0
    meta = yaml.safe_load(page.read_text().split("---\n")[1])
    assert meta["added"] == "2023-01-02" and meta["volume"] == "94"
