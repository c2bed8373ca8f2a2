"""The staged commit of a build (build/staging.py) step by step: recovery after a kill in each
phase, file and folder modes through staging, and a build that changes nothing writing nothing."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from litweave.build.pipeline import build_site
from litweave.build.staging import JOURNAL, commit, recover, stage_chunks, staging_dir
from litweave.config import load_config


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def make_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_bytes(b"old a")
    (site / "stale" / "deep").mkdir(parents=True)
    (site / "stale" / "deep" / "index.html").write_bytes(b"stale")
    (site / "CNAME").write_bytes(b"example.org")  # not ours: never touched
    return site


def test_nothing_to_recover(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert recover(site) == ""
    assert recover(tmp_path / "absent") == ""


def test_a_build_killed_before_its_commit_is_rolled_back(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = tree(site)
    stage_chunks(site, "a/index.html", (b"new a",))
    stage_chunks(site, "b/index.html", (b"new ", b"b"))
    assert tree(site) == before  # staging never writes into the site
    assert recover(site) == "rolled back"
    assert tree(site) == before and not staging_dir(site).exists()


def test_a_build_killed_during_its_commit_is_completed(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    stage_chunks(site, "a/index.html", (b"new a",))
    stage_chunks(site, "b/c/index.html", (b"new b",))
    moves, stale = ["a/index.html", "b/c/index.html"], ["stale/deep/index.html"]
    journal = staging_dir(site) / JOURNAL
    journal.write_text(json.dumps({"move": moves, "delete": stale}), encoding="utf-8")
    # the killed commit had deleted the stale file and moved the first file in
    (site / "stale" / "deep" / "index.html").unlink()
    os.replace(staging_dir(site) / "files" / "a" / "index.html", site / "a" / "index.html")
    assert recover(site) == "completed"
    assert tree(site) == {"CNAME": b"example.org", "a/index.html": b"new a", "b/c/index.html": b"new b"}
    assert not (site / "stale").exists() and not staging_dir(site).exists()


def test_a_broken_journal_is_not_acted_on(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = tree(site)
    stage_chunks(site, "a/index.html", (b"new a",))
    (staging_dir(site) / JOURNAL).write_text('{"move": ["a/index.h', encoding="utf-8")
    assert recover(site) == "rolled back"
    assert tree(site) == before


def test_commit_refuses_paths_outside_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    with pytest.raises(ValueError):
        stage_chunks(site, "../escape.html", (b"x",))
    with pytest.raises(ValueError):
        commit(site, ["../../escape.html"], [])
    assert not (tmp_path / "escape.html").exists()
    assert recover(site) in ("", "rolled back")  # no journal was written for it


def test_check_recovers_first(kb: Path) -> None:
    assert build_site(load_config(kb)).ok
    site = kb / "site"
    stage_chunks(site, "half-written.html", (b"<html>",))
    done = subprocess.run(
        [sys.executable, "-m", "litweave.cli", "--root", str(kb), "check"], capture_output=True, text=True, check=False
    )
    assert "rolled back" in done.stderr
    assert not staging_dir(site).exists() and not (site / "half-written.html").exists()


def _modes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*")}


@pytest.mark.parametrize("umask, file_mode, folder_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_built_files_and_folders_honour_the_umask(kb: Path, umask: int, file_mode: int, folder_mode: int) -> None:
    """Through staging and the commit, including the output folder itself; an atomic replacement
    keeps a mode the reader set."""
    import litweave.build.staging as staging

    old = os.umask(umask)
    saved = staging._NEW_MODE
    staging._NEW_MODE = 0o666 & ~umask  # the module read the umask when imported
    try:
        assert build_site(load_config(kb)).ok
        site = kb / "site"
        assert stat.S_IMODE(site.stat().st_mode) == folder_mode
        modes = _modes(site)
        assert {m for p, m in modes.items() if (site / p).is_file()} == {file_mode}
        assert {m for p, m in modes.items() if (site / p).is_dir()} == {folder_mode}
        page = site / "papers" / "lu-2001-insulin-like" / "index.html"
        page.chmod(0o600)
        source = kb / "content" / "papers" / "lu-2001-insulin-like.md"
        source.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Re ", 1), encoding="utf-8")
        report = build_site(load_config(kb))
        assert report.ok and report.write is not None
        assert "papers/lu-2001-insulin-like/index.html" in report.write.written
        assert "Re " in page.read_text(encoding="utf-8")
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
        assert not staging_dir(site).exists()
    finally:
        staging._NEW_MODE = saved
        os.umask(old)


def test_a_build_that_changes_nothing_writes_nothing(kb: Path) -> None:
    assert build_site(load_config(kb)).ok
    site = kb / "site"
    seen = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in [site, *site.rglob("*")]}
    report = build_site(load_config(kb))
    assert report.ok and report.write is not None and report.write.written == []
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in [site, *site.rglob("*")]} == seen
    assert not staging_dir(site).exists()
    assert [p.name for p in kb.iterdir() if "staging" in p.name] == []
