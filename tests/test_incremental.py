"""Incremental builds: only what changed is rendered, and an incremental build always leaves the
same bytes as a clean build of the same content, whatever was edited."""

from __future__ import annotations

import pickle
import random
import shutil
from pathlib import Path

import pytest

from litweave.build import pipeline, pool
from litweave.build.cache import CACHE_DIR
from litweave.build.pipeline import BuildReport, build_site
from litweave.build.writer import MANIFEST
from litweave.config import load_config

REPO = Path(__file__).resolve().parents[1]


def build(root: Path, **kwargs: object) -> BuildReport:
    report = build_site(load_config(root), **kwargs)  # type: ignore[arg-type]
    assert report.ok, [str(d) for d in report.diagnostics]
    return report


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_as_clean(root: Path, tmp_path: Path) -> None:
    """The incremental site equals a clean build of a copy of the same content, file for file."""
    fresh = tmp_path / f"fresh-{random.random()}"
    shutil.copytree(root / "content", fresh / "content")
    shutil.copytree(root / "templates", fresh / "templates")
    build(fresh, clean=True)
    ours, theirs = site_files(root), site_files(fresh)
    ours.pop(MANIFEST)
    theirs.pop(MANIFEST)
    assert sorted(ours) == sorted(theirs)
    assert [p for p in ours if ours[p] != theirs[p]] == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PAPERS = Path("content/papers")


def _links_to(kb: Path, page: str, slug: str) -> bool:
    return f'href="/papers/{slug}/"' in (kb / "site" / page).read_text(encoding="utf-8")


def test_second_build_renders_nothing(kb: Path) -> None:
    first = build(kb)
    assert first.write and first.write.rendered == len(first.write.written) > 10
    second = build(kb)
    assert second.write is not None
    assert second.write.rendered == 0 and second.write.written == [] and second.parsed == 0


def test_notes_edit_renders_only_that_paper(kb: Path, tmp_path: Path) -> None:
    build(kb)
    page = kb / PAPERS / "lu-2001-insulin-like.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nRead again in March.\n", encoding="utf-8")
    report = build(kb)
    assert report.write is not None
    assert report.write.rendered == 1
    assert report.write.written == ["papers/lu-2001-insulin-like/index.html"]
    assert report.parsed == 1
    assert_same_as_clean(kb, tmp_path)


def test_full_text_edit_renders_only_that_paper(kb: Path, tmp_path: Path) -> None:
    """No other page and no export shows the full-text excerpt: editing its words plans one page."""
    build(kb)
    page = kb / PAPERS / "nahta-2012-igf-ir-trastuzumab.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("is a humanized monoclonal", "is a humanised monoclonal"), encoding="utf-8")
    report = build(kb)
    assert report.write is not None
    assert report.write.written == ["papers/nahta-2012-igf-ir-trastuzumab/index.html"]
    assert report.parsed == 1
    assert_same_as_clean(kb, tmp_path)


def test_title_edit_rewrites_the_pages_that_show_it(kb: Path, tmp_path: Path) -> None:
    first = build(kb)
    assert first.graph is not None
    entry = first.graph.papers["lu-2001-insulin-like"]
    authors, mechanisms = entry.authors, entry.mechanisms
    edit(kb / PAPERS / "lu-2001-insulin-like.md", "title: ", "title: Revisited, ")
    report = build(kb)
    assert report.write is not None
    expected = {
        "papers/lu-2001-insulin-like/index.html",
        "papers/index.html",
        "papers/index.json",
        "tags/resistance/index.html",  # the paper's tag
        "index.html",
        "graph.json",
        *(f"authors/{a}/index.html" for a in authors),
        *(f"mechanisms/{m}/index.html" for m in mechanisms),
        "papers/lu-2001-insulin-like/lu-2001-insulin-like.bib",
        "papers/lu-2001-insulin-like/lu-2001-insulin-like.ris",
        *(f"exports/library.{ext}" for ext in ("bib", "ris", "json")),
    }
    written = set(report.write.written)
    # other papers' pages that list it (related papers, "Mentioned in") show the new title too
    showing = {p for p in written - expected if p.startswith("papers/") and _links_to(kb, p, "lu-2001-insulin-like")}
    assert written == expected | showing
    assert_same_as_clean(kb, tmp_path)


def test_status_edit_reaches_every_list_that_shows_the_paper(kb: Path, tmp_path: Path) -> None:
    build(kb)
    edit(kb / PAPERS / "lu-2001-insulin-like.md", "status: read", "status: to-read")
    report = build(kb)
    assert report.write is not None
    written = set(report.write.written)
    assert {"papers/index.html", "papers/index.json", "index.html", "tags/resistance/index.html"} <= written
    assert "authors/rita-nahta/index.html" in written and "papers/nahta-2006-mechanisms/index.html" not in written
    assert_same_as_clean(kb, tmp_path)


def test_keywords_edit_reaches_the_papers_index_data(kb: Path, tmp_path: Path) -> None:
    build(kb)
    edit(kb / PAPERS / "lu-2001-insulin-like.md", "status: read", "status: read\nkeywords: [growth factors]")
    report = build(kb)
    assert report.write is not None
    written = set(report.write.written)
    exports = {f"papers/lu-2001-insulin-like/lu-2001-insulin-like.{e}" for e in ("bib", "ris")}
    exports |= {f"exports/library.{e}" for e in ("bib", "ris", "json")}  # they carry keywords
    assert written == {"papers/lu-2001-insulin-like/index.html", "papers/index.json", *exports}
    assert "growth factors" in (kb / "site" / "papers" / "index.json").read_text(encoding="utf-8")
    assert_same_as_clean(kb, tmp_path)


def test_added_paper_rewrites_its_authors_mechanisms_and_lists_only(kb: Path, tmp_path: Path) -> None:
    build(kb)
    (kb / PAPERS / "new-2024-paper.md").write_text(
        "---\ntitle: HER2 signalling revisited\nauthors: [Rita Nahta, Ada Newcomer]\nyear: 2024\n"
        "abstract: Trastuzumab binds HER2.\n---\n",
        encoding="utf-8",
    )
    report = build(kb)
    assert report.write is not None
    written = set(report.write.written)
    assert {
        "papers/new-2024-paper/index.html",
        "authors/rita-nahta/index.html",
        "authors/ada-newcomer/index.html",
        "mechanisms/her2/index.html",
        "mechanisms/trastuzumab/index.html",
        "papers/index.html",
        "index.html",
        "graph.json",
    } <= written
    untouched = {"mechanisms/igf-i/index.html", "about/index.html"}
    assert not written & untouched
    others = written - {"authors/index.html", "mechanisms/index.html"}
    others -= {f"exports/library.{ext}" for ext in ("bib", "ris", "json")}
    # a paper page is rewritten only when it now shows the new paper (among its related papers)
    others -= {p for p in others if p.startswith("papers/") and _links_to(kb, p, "new-2024-paper")}
    assert all(
        p.startswith(("papers/new-2024", "authors/", "mechanisms/", "papers/index", "index", "graph")) for p in others
    )
    assert_same_as_clean(kb, tmp_path)


def test_deleted_paper_leaves_no_page_and_no_link(kb: Path, tmp_path: Path) -> None:
    build(kb)
    (kb / PAPERS / "lu-2001-insulin-like.md").unlink()
    report = build(kb)
    assert report.write is not None
    assert "papers/lu-2001-insulin-like/index.html" in report.write.pruned
    assert not (kb / "site" / "papers" / "lu-2001-insulin-like").exists()
    for path, data in site_files(kb).items():
        assert b'href="/papers/lu-2001-insulin-like' not in data, path
    assert_same_as_clean(kb, tmp_path)


def test_template_edit_renders_the_pages_that_use_it(kb: Path, tmp_path: Path) -> None:
    first = build(kb)
    assert first.graph is not None
    (kb / "templates" / "author.html").write_text(
        (kb / "templates" / "author.html").read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8"
    )
    report = build(kb)
    assert report.write is not None
    assert report.write.rendered == len(first.graph.authors)
    assert report.parsed == 0
    edit(kb / "templates" / "base.html", "Built with litweave", "Made with litweave")
    report = build(kb)
    assert report.write is not None
    assert report.write.rendered == sum(1 for p in site_files(kb) if p.endswith(".html"))
    assert_same_as_clean(kb, tmp_path)


def test_vocabulary_edit_relinks_the_papers(kb: Path, tmp_path: Path) -> None:
    edit(kb / PAPERS / "lu-2001-insulin-like.md", "abstract: ", "abstract: NRG1 signalling matters. ")
    build(kb)
    paper = kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html"
    mechanism = kb / "content" / "mechanisms" / "neuregulin.md"
    mechanism.write_text("---\ntitle: neuregulin-1\naliases: []\nkind: ligand\n---\nA ligand.\n", encoding="utf-8")
    build(kb)
    assert "mechanisms/neuregulin/" not in paper.read_text(encoding="utf-8")
    edit(mechanism, "aliases: []", "aliases: [NRG1]")
    report = build(kb)
    assert report.write is not None and report.parsed >= 5  # every paper matched again
    assert 'href="/mechanisms/neuregulin/"' in paper.read_text(encoding="utf-8")
    assert "lu-2001-insulin-like" in (kb / "site" / "mechanisms" / "neuregulin" / "index.html").read_text()
    assert_same_as_clean(kb, tmp_path)


def test_wikilinks_become_relations_and_stay_in_step(kb: Path, tmp_path: Path) -> None:
    build(kb)
    page = kb / PAPERS / "lu-2001-insulin-like.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [[Rita Nahta]] and [[Nobody Known]].\n")
    report = build(kb)
    assert report.graph is not None
    assert report.graph.backlinks[("author", "rita-nahta")] == ("lu-2001-insulin-like",)
    assert any("[[Nobody Known]]" in d.message for d in report.diagnostics)
    again = build(kb)  # nothing changed: the warning is still reported
    assert any("[[Nobody Known]]" in d.message for d in again.diagnostics)
    assert_same_as_clean(kb, tmp_path)


@pytest.mark.parametrize("damage", ["garbage", "foreign", "truncated"])
def test_corrupt_or_foreign_cache_is_rebuilt(kb: Path, damage: str) -> None:
    build(kb)
    before = site_files(kb)
    shards = sorted((kb / CACHE_DIR).glob("pages-*.pickle"))
    assert shards
    for shard in shards:
        if damage == "garbage":
            shard.write_bytes(b"not a pickle")
        elif damage == "truncated":
            shard.write_bytes(shard.read_bytes()[:20])
        else:
            data = pickle.loads(shard.read_bytes())
            data["version"] = "0.0.0+elsewhere"
            shard.write_bytes(pickle.dumps(data))
    for graph in (kb / CACHE_DIR).glob("[gf]*-*.pickle"):
        graph.write_bytes(b"\x80\x05broken")
    page = kb / PAPERS / "lu-2001-insulin-like.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    report = build(kb)
    notices = [d for d in report.diagnostics if d.file == CACHE_DIR]
    assert len(notices) == 1 and "rebuilding" in notices[0].message
    after = site_files(kb)
    # the search index holds the paper's text too: its files change with it
    changed = [p for p in after if after[p] != before.get(p) and not p.startswith("pagefind/")]
    assert sorted(changed) == [MANIFEST, "papers/lu-2001-insulin-like/index.html"]
    assert not [d for d in build(kb).diagnostics if d.file == CACHE_DIR]


def test_clean_build_ignores_the_cache(kb: Path) -> None:
    build(kb)
    for shard in (kb / CACHE_DIR).glob("pages-*.pickle"):
        shard.write_bytes(b"junk")
    report = build(kb, clean=True)
    assert not [d for d in report.diagnostics if d.file == CACHE_DIR]
    assert report.parsed == len(list((kb / "content").rglob("*.md")))


def _synthetic_kb(root: Path, n: int) -> None:
    """n papers by a pool of authors, mentioning the fixture vocabulary."""
    shutil.copytree(REPO / "tests" / "fixtures" / "site" / "content" / "mechanisms", root / "content" / "mechanisms")
    shutil.copytree(REPO / "templates", root / "templates")
    rng = random.Random(7)
    people = [f"{g} {f}" for g in ("Ann", "Bo", "Cy", "Di", "Ed") for f in ("Ito", "Jha", "Kim", "Lee", "Moe", "Ng")]
    words = ["HER2", "trastuzumab", "IGF-IR", "resistance", "signalling", "cells", "G1 arrest", "tumours"]
    papers = root / "content" / "papers"
    papers.mkdir(parents=True)
    for i in range(n):
        authors = ", ".join(rng.sample(people, rng.randint(1, 4)))
        abstract = " ".join(rng.choice(words) for _ in range(30)) + "."
        (papers / f"p{i:04d}.md").write_text(
            f"---\ntitle: Paper {i} on {rng.choice(words)}\nauthors: [{authors}]\nyear: {1990 + i % 30}\n"
            f"abstract: {abstract}\n---\nNotes on [[p{(i + 1) % n:04d}]].\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("fork_limit", [10_000, 0], ids=["workers", "threads"])
def test_parallel_build_is_byte_identical_to_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork_limit: int
) -> None:
    """Rendering in forked workers, or in this process with writer threads (what a large site
    gets), gives the bytes of a plain serial build."""
    monkeypatch.setattr(pool, "MIN_ITEMS", 10)
    monkeypatch.setattr(pipeline, "IN_PROCESS_MIB", fork_limit)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    _synthetic_kb(serial, 120)
    _synthetic_kb(parallel, 120)
    one = build(serial, jobs=1)
    two = build(parallel, jobs=2)
    assert one.parsed == two.parsed == 120 + 5
    assert site_files(serial) == site_files(parallel)
    edit(parallel / PAPERS / "p0007.md", "title: ", "title: Renamed ")
    edit(serial / PAPERS / "p0007.md", "title: ", "title: Renamed ")
    build(serial, jobs=1)
    build(parallel, jobs=2)
    assert site_files(serial) == site_files(parallel)


def test_written_files_honour_the_umask_and_keep_their_mode(kb: Path) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        build(kb)
        page = kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html"
        assert stat.S_IMODE(page.stat().st_mode) == 0o644
        assert stat.S_IMODE((kb / "site" / MANIFEST).stat().st_mode) == 0o644
        page.chmod(0o640)
        edit(kb / PAPERS / "lu-2001-insulin-like.md", "title: ", "title: Re ")
        build(kb)
        assert "Re Insulin" in page.read_text(encoding="utf-8")
        assert stat.S_IMODE(page.stat().st_mode) == 0o640
        assert not list((kb / "site").rglob("*.tmp"))
    finally:
        os.umask(old)


def test_a_foreign_cache_is_noticed_on_the_command_line(kb: Path) -> None:
    import subprocess
    import sys

    build(kb)
    for shard in (kb / CACHE_DIR).glob("pages-*.pickle"):
        shard.write_bytes(b"junk")
    page = kb / PAPERS / "lu-2001-insulin-like.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "litweave.cli", "--root", str(kb), "build"], capture_output=True, text=True, check=True
    )
    notices = [line for line in run.stderr.splitlines() if CACHE_DIR in line]
    assert len(notices) == 1 and "rebuilding" in notices[0]


def test_a_pages_warning_is_shown_again_only_when_the_page_changed(kb: Path, capsys) -> None:
    from litweave.cli import main

    papers = kb / "content" / "papers"
    for name in ("warned-a", "warned-b"):
        (papers / f"{name}.md").write_text(f"---\ntitle: {name}\nauthors: [Jane Roe]\nyear: soon\n---\n")
    root = ["--root", str(kb), "build", "--no-search"]
    assert main(root) == 0
    first = capsys.readouterr().err
    assert "warned-a.md" in first and "warned-b.md" in first
    assert main(root) == 0  # nothing changed
    again = capsys.readouterr().err
    assert "warned-a.md" not in again and "warned-b.md" not in again and "not repeated" in again
    (papers / "warned-b.md").write_text((papers / "warned-b.md").read_text() + "\nA note.\n")
    assert main(root) == 0  # one of the two changed: its warning is shown, the other's is not
    edited = capsys.readouterr().err
    assert "warned-b.md" in edited and "warned-a.md" not in edited
    assert main([*root, "-v"]) == 0
    verbose = capsys.readouterr().err
    assert "warned-a.md" in verbose and "warned-b.md" in verbose
