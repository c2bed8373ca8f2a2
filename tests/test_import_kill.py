"""A real import process killed with SIGKILL while it writes: every page is whole (old or new),
and the next import converges to what an uninterrupted import gives, bases included: no edit of
the reader lost, no conflict that the uninterrupted import would not report."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, make_knowledge_base

from litweave.commands.import_ import import_files
from litweave.config import load_config
from litweave.frontmatter import split_front_matter

RECORDS = 1500


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    """The corpus as refer text, and a second version in which every record was corrected."""
    first = tmp_path / "corpus.enw"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), "-n", str(RECORDS), "--format", "refer", str(first)],
        check=True,
        capture_output=True,
    )
    second = tmp_path / "corpus-v2.enw"
    text = first.read_text(encoding="utf-8")
    second.write_text(re.sub(r"^%J (.*)$", r"%J \1 (corrected)", text, flags=re.M), encoding="utf-8")
    second_name = tmp_path / "v2" / "corpus.enw"  # the same file name: the same source, corrected
    second_name.parent.mkdir()
    second.replace(second_name)
    return first, second_name


def _edit_like_a_reader(papers: Path) -> None:
    """Every 25th page: a comment, a reading status, and the abstract deleted."""
    for path in sorted(papers.glob("*.md"))[::25]:
        lines = path.read_text(encoding="utf-8").split("\n")
        lines = [line for line in lines if not line.startswith("abstract: ")]
        text = "\n".join(lines).replace("\nyear: ", "\n# checked\nyear: ", 1)
        path.write_text(text.replace("\n---\n", "\nstatus: read\n---\n", 1), encoding="utf-8")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _import_process(root: Path, source: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "litweave.cli", "--root", str(root), "import", "-q", str(source)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_after(process: subprocess.Popen[bytes], watch: Path, since: int) -> None:
    """SIGKILL once `watch` is newer than `since` (pages are written in name order, so the
    page at a given place in that order marks how far the import got)."""
    while process.poll() is None:
        try:
            if watch.stat().st_mtime_ns > since:
                process.send_signal(signal.SIGKILL)
                break
        except FileNotFoundError:
            pass
        time.sleep(0.01)
    process.wait()


def _newer(folder: Path, since: int) -> int:
    return sum(1 for p in folder.glob("*.md") if p.stat().st_mtime_ns > since)


def _assert_whole(papers: Path) -> None:
    for path in papers.glob("*.md"):
        meta, _body = split_front_matter(path.read_text(encoding="utf-8"))
        assert meta.get("title") and meta.get("sources"), path.name


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_imports_leave_whole_pages_and_converge(tmp_path: Path) -> None:
    first, second = _corpus(tmp_path)
    start = make_knowledge_base(tmp_path / "start")
    assert import_files(load_config(start), [first], progress=False).created
    clean = _tree(start / "content")
    _edit_like_a_reader(start / "content" / "papers")
    reference = tmp_path / "reference"
    shutil.copytree(start, reference)
    expected = import_files(load_config(reference), [second], progress=False)
    assert len(expected.updated) == RECORDS and not expected.conflicts
    want = _tree(reference / "content")
    edited = [p for p in (reference / "content" / "papers").glob("*.md") if b"status: read" in p.read_bytes()]
    assert len(edited) == RECORDS // 25 and all(b"\nabstract: " not in p.read_bytes() for p in edited)

    for moment in (0.3, 0.8):
        root = tmp_path / f"killed-{moment}"
        shutil.copytree(start, root)
        papers = root / "content" / "papers"
        names = sorted(p.name for p in papers.glob("*.md"))
        before = max(p.stat().st_mtime_ns for p in papers.glob("*.md"))
        _kill_after(_import_process(root, second), papers / names[int(RECORDS * moment)], before)
        written = _newer(papers, before)
        assert 0 < written < RECORDS, f"killed at {written} pages"  # really killed midway
        _assert_whole(papers)
        report = import_files(load_config(root), [second], progress=False)
        assert not report.conflicts and report.ok
        assert not any("merge base" in d.message for d in report.diagnostics)
        assert _tree(root / "content") == want, moment

    # a fresh import killed midway: whole pages, and the next import completes it
    fresh = make_knowledge_base(tmp_path / "fresh")
    papers = fresh / "content" / "papers"
    papers.mkdir(parents=True)
    _kill_after(
        _import_process(fresh, first), papers / sorted(k for k in clean if k.startswith("papers/"))[RECORDS // 2][7:], 0
    )
    assert 0 < _newer(papers, 0) < RECORDS
    _assert_whole(papers)
    assert import_files(load_config(fresh), [first], progress=False).ok
    assert _tree(fresh / "content") == clean
