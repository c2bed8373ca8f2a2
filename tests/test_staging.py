"""The next site made beside site/ and swapped in whole (build/staging.py), step by step: what a
reader of site/ sees at every point of a build, that nothing is written through a hard link into
site/'s files, the swap itself (and its two-rename fallback, finished after a kill), files put
into site/ by hand, a tree/ left by a killed build, modes, and a build that changes nothing
touching nothing."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import litweave.build.checkpoints as checkpoints
import litweave.build.staging as staging
from litweave.build.pipeline import build_site
from litweave.build.staging import KNOWN, LOCK, OLD, SWAPPING, TREE, exchange, recover, staging_dir, tree_dir
from litweave.config import load_config

PAPER = "content/papers/lu-2001-insulin-like.md"


def tree(site: Path) -> dict[str, bytes]:
    """Every file under `site` with its bytes, and every folder (b"<folder>")."""
    found = {}
    for path in sorted(site.rglob("*")):
        found[path.relative_to(site).as_posix()] = b"<folder>" if path.is_dir() else path.read_bytes()
    return found


def edit(kb: Path, old: str = "title: ", new: str = "title: Re ") -> None:
    page = kb / PAPER
    page.write_text(page.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def build(kb: Path) -> None:
    report = build_site(load_config(kb), jobs=1)
    assert report.ok, [str(d) for d in report.diagnostics]


@pytest.mark.parametrize("through_syscall", [False, True])
def test_two_folders_are_exchanged_in_one_step(tmp_path: Path, through_syscall: bool) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_bytes(b"in a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "y").write_bytes(b"in b")
    assert exchange(tmp_path / "a", tmp_path / "b", through_syscall=through_syscall)
    assert tree(tmp_path / "a") == {"y": b"in b"} and tree(tmp_path / "b") == {"x": b"in a"}
    with pytest.raises(FileNotFoundError):
        exchange(tmp_path / "a", tmp_path / "missing", through_syscall=through_syscall)


def test_a_reader_sees_the_old_site_or_the_new_at_every_point(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """site/ read at every checkpoint of a build that changes a page and deletes one: the old
    site up to the swap, the new one from it on, nothing in between."""
    build(kb)
    before = tree(kb / "site")
    edit(kb)
    (kb / "content" / "papers" / "nahta-2006-mechanisms.md").unlink()
    seen: list[tuple[str, str]] = []
    states: dict[str, dict[str, bytes]] = {}

    def reached(name: str) -> None:
        now = tree(kb / "site")
        key = "old" if now == before else f"state {len(states)}"
        for label, state in states.items():
            if state == now:
                key = label
        states.setdefault(key, now)
        seen.append((name, key))

    monkeypatch.setattr(checkpoints, "reached", reached)
    build(kb)
    after = tree(kb / "site")
    assert after != before
    swapped = [name for name, _key in seen].index("swapped")
    assert {key for _name, key in seen[:swapped]} == {"old"}, seen
    assert {key for _name, key in seen[swapped:]} == {seen[swapped][1]} and states[seen[swapped][1]] == after, seen


def test_nothing_is_written_through_a_link_into_site(kb: Path) -> None:
    """Every file of the old site keeps its bytes: the next site is written as new files, though
    its unchanged ones are the old site's own (hard links)."""
    build(kb)
    edit(kb)
    build(kb)  # the next site now starts from a copy made of links
    site = kb / "site"
    witness = kb / "witness"
    kept = {}
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            (witness / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, witness / rel)
            kept[rel] = path.read_bytes()
    assert any(os.stat(tree_dir(site) / rel).st_ino == os.stat(site / rel).st_ino for rel in kept)
    edit(kb, "title: Re ", "title: Again ")
    build(kb)
    assert {rel: (witness / rel).read_bytes() for rel in kept} == kept
    assert "Again " in (site / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8")


def test_the_copy_of_site_the_next_build_starts_from(kb: Path) -> None:
    """After every build tree/ holds what site/ holds, file for file the same files."""
    for step in range(3):
        if step:
            edit(kb, "title: " if step == 1 else "title: Re ", f"title: {step} ")
        build(kb)
        site, copy = kb / "site", tree_dir(kb / "site")
        assert tree(copy) == tree(site)
        assert all(os.stat(copy / p).st_ino == os.stat(site / p).st_ino for p in tree(site) if (site / p).is_file())
        assert json.loads((staging_dir(site) / KNOWN).read_text(encoding="utf-8")) == {"unlisted": [], "plain": True}


def test_files_put_in_site_by_hand_are_carried_over(kb: Path) -> None:
    """Files the build did not write are carried into each new site, wherever they are, and one
    removed by hand does not come back from the old tree."""
    build(kb)
    site = kb / "site"
    (site / "CNAME").write_bytes(b"example.org")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_bytes(b"Contact: x")
    (site / "papers" / "lu-2001-insulin-like" / "supplement.txt").write_bytes(b"by hand")
    (site / "empty").mkdir()
    mine = {"CNAME", ".well-known", ".well-known/security.txt", "papers/lu-2001-insulin-like/supplement.txt", "empty"}
    edit(kb)
    build(kb)
    assert mine <= set(tree(site))
    assert (site / "papers" / "lu-2001-insulin-like" / "supplement.txt").read_bytes() == b"by hand"
    (site / "papers" / "lu-2001-insulin-like" / "supplement.txt").unlink()
    (site / "CNAME").write_bytes(b"example.net")
    for step in ("title: 1 ", "title: 2 "):  # twice: the tree of the build before still held them
        edit(kb, "title: Re " if step == "title: 1 " else "title: 1 ", step)
        build(kb)
        assert "papers/lu-2001-insulin-like/supplement.txt" not in tree(site)
        assert (site / "CNAME").read_bytes() == b"example.net"


def test_a_symbolic_link_put_in_site_is_carried_as_a_link_and_never_followed(kb: Path, tmp_path: Path) -> None:
    """A link to a folder elsewhere stays a link in every new site; nothing is written into,
    or deleted from, the folder it points to."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(b"mine")
    build(kb)
    site = kb / "site"
    (site / "big").symlink_to(outside, target_is_directory=True)
    for step in ("title: Re ", "title: Again "):
        edit(kb, "title: " if step == "title: Re " else "title: Re ", step)
        build(kb)
        assert (site / "big").is_symlink() and os.readlink(site / "big") == str(outside)
        assert (tree_dir(site) / "big").is_symlink()
        assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
        assert (outside / "keep.txt").read_bytes() == b"mine"
    assert json.loads((staging_dir(site) / KNOWN).read_text(encoding="utf-8"))["plain"] is False


def test_a_tree_left_by_a_killed_build_is_matched_to_site_again(kb: Path, tmp_path: Path) -> None:
    """A killed build leaves tree/ half made and no tree.json: the next build walks both folders
    and ends exactly where a build from a clean tree/ ends."""
    build(kb)
    edit(kb)
    clean = tmp_path / "clean"
    shutil.copytree(kb, clean, symlinks=True)
    build(clean)
    copy = tree_dir(kb / "site")
    (staging_dir(kb / "site") / KNOWN).unlink()
    (copy / "half-written.html").write_bytes(b"<html>")
    page = copy / "papers" / "lu-2001-insulin-like" / "index.html"
    page.unlink()
    page.write_bytes(b"written by the killed build")
    shutil.rmtree(copy / "authors")
    (copy / "papers" / "stale").mkdir()
    (copy / "papers" / "stale" / "index.html").write_bytes(b"stale")
    (staging_dir(kb / "site") / "run-1").mkdir()
    report = build_site(load_config(kb), jobs=1)
    assert report.ok
    assert any("an earlier build was interrupted" in d.message for d in report.diagnostics)
    assert tree(kb / "site") == tree(clean / "site")
    assert tree(copy) == tree(kb / "site")
    assert sorted(p.name for p in staging_dir(kb / "site").iterdir()) == [LOCK, TREE, KNOWN]


def test_where_folders_cannot_be_exchanged_two_renames_do(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    build(kb)
    edit(kb)
    build(kb)
    assert "Re " in (kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8")
    assert tree(tree_dir(kb / "site")) == tree(kb / "site")
    assert sorted(p.name for p in staging_dir(kb / "site").iterdir()) == [LOCK, TREE, KNOWN]


@pytest.mark.parametrize("cut", ["site moved aside", "new site in place"])
def test_a_two_rename_swap_cut_short_is_finished_by_the_next_command(kb: Path, cut: str) -> None:
    build(kb)
    edit(kb)
    site, folder = kb / "site", staging_dir(kb / "site")
    old = tree(site)
    shutil.rmtree(folder / TREE)
    shutil.copytree(site, folder / TREE)
    (folder / TREE / "new.html").write_bytes(b"the new site")
    new = tree(folder / TREE)
    (folder / SWAPPING).touch()
    (folder / KNOWN).unlink()
    os.rename(site, folder / OLD)
    if cut == "new site in place":
        os.rename(folder / TREE, site)
    assert recover(site) == "completed"
    assert tree(site) == new and tree(folder / TREE) == old
    assert not (folder / SWAPPING).exists() and not (folder / OLD).exists()


def test_check_clears_what_a_killed_build_left(kb: Path) -> None:
    build(kb)
    site = kb / "site"
    scratch = staging_dir(site) / "run-99999"
    (scratch / "pagefind").mkdir(parents=True)
    (scratch / "pagefind" / "pagefind.js").write_bytes(b"half")
    before = tree(site)
    done = subprocess.run(
        [sys.executable, "-m", "litweave.cli", "--root", str(kb), "check"], capture_output=True, text=True, check=False
    )
    assert "an earlier build was interrupted: site/ was left whole" in done.stderr
    assert not scratch.exists() and tree(site) == before


def test_nothing_is_cleared_while_a_build_holds_the_lock(kb: Path) -> None:
    build(kb)
    site = kb / "site"
    scratch = staging_dir(site) / "run-1"
    scratch.mkdir()
    with staging._locked(staging_dir(site), wait=True):
        assert recover(site) == ""
        assert scratch.exists()
    assert recover(site) == "cleared" and not scratch.exists()


def test_a_second_build_waits_for_the_first(kb: Path) -> None:
    """Two builds never share tree/: the second waits for the lock, saying so."""
    build(kb)
    edit(kb)
    site = kb / "site"
    before = tree(site)
    with staging._locked(staging_dir(site), wait=True):
        second = subprocess.Popen(
            [sys.executable, "-m", "litweave.cli", "--root", str(kb), "build", "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            second.wait(timeout=3)
        assert tree(site) == before
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "waiting for another build of site/" in err
    assert tree(site) != before


def _modes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*")}


@pytest.mark.parametrize("umask, file_mode, folder_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_built_files_and_folders_honour_the_umask(kb: Path, umask: int, file_mode: int, folder_mode: int) -> None:
    """Through the next site and the swap, including the output folder itself; a rewritten file
    keeps a mode the reader set, and so does site/ itself."""
    old = os.umask(umask)
    saved = staging._NEW_MODE
    staging._NEW_MODE = 0o666 & ~umask  # the module read the umask when imported
    try:
        build(kb)
        site = kb / "site"
        assert stat.S_IMODE(site.stat().st_mode) == folder_mode
        modes = _modes(site)
        assert {m for p, m in modes.items() if (site / p).is_file()} == {file_mode}
        assert {m for p, m in modes.items() if (site / p).is_dir()} == {folder_mode}
        page = site / "papers" / "lu-2001-insulin-like" / "index.html"
        page.chmod(0o600)
        site.chmod(0o711)
        edit(kb)
        report = build_site(load_config(kb), jobs=1)
        assert report.ok and report.write is not None
        assert "papers/lu-2001-insulin-like/index.html" in report.write.written
        assert "Re " in page.read_text(encoding="utf-8")
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
        assert stat.S_IMODE(site.stat().st_mode) == 0o711
    finally:
        staging._NEW_MODE = saved
        os.umask(old)


def test_a_build_that_changes_nothing_writes_nothing(kb: Path) -> None:
    build(kb)
    edit(kb)
    build(kb)
    site = kb / "site"
    everything = [site, *site.rglob("*"), *staging_dir(site).rglob("*")]
    seen = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in everything}
    report = build_site(load_config(kb))
    assert report.ok and report.write is not None and report.write.written == []
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in everything} == seen
    assert sorted(p.name for p in staging_dir(site).iterdir()) == [LOCK, TREE, KNOWN]
