"""A build killed with SIGKILL at any moment leaves site/ exactly as the previous build left it or
exactly as the finished build would have: real `litweave build` processes on a generated corpus,
a template edit that changes every paper page, killed at several points of the writing (found by
watching the staged files appear) and in the commit itself. Before the next command recovers,
site/ is already byte for byte the old site unless the build had committed; after recovery (run
by build, serve and check first of all) it is the old or the new site; a normal build then
ends on the new one, and a build after that writes nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_knowledge_base

from litweave.build.staging import JOURNAL, recover, staging_dir

REPO = Path(__file__).resolve().parents[1]
PAPERS = 400
"""Enough that writing takes a while (every paper page changes), few enough for the suite."""


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "litweave.cli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def snapshot(site: Path) -> dict[str, bytes]:
    """Every file and folder under site/: bytes for files, None-like marker for folders."""
    found: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        found[rel] = path.read_bytes() if path.is_file() else b"<folder>"
    return found


def edit_template(root: Path) -> None:
    template = root / "templates" / "paper.html"
    text = template.read_text(encoding="utf-8")
    at = text.rfind("{% endblock")
    template.write_text(text[:at] + "<!-- edited -->\n" + text[at:], encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A built project with its template edited (not rebuilt yet), the site before, the site after."""
    work = tmp_path_factory.mktemp("killed")
    root = make_knowledge_base(work / "kb")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    corpus = work / "corpus.enw"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), "-n", str(PAPERS), "--format", "refer", str(corpus)],
        check=True,
        capture_output=True,
    )
    assert cli(root, "import", str(corpus)).returncode == 0
    assert cli(root, "build").returncode == 0
    before = snapshot(root / "site")
    edit_template(root)
    finished = work / "finished"
    shutil.copytree(root, finished)
    assert cli(finished, "build").returncode == 0
    after = snapshot(finished / "site")
    changed = [p for p in after if before.get(p) != after[p]]
    assert len(changed) > PAPERS  # every paper page, and the manifest
    return root, before, after


def staged_count(out: Path) -> int:
    files = staging_dir(out) / "files"
    return sum(len(names) for _dir, _dirs, names in os.walk(files))


def kill_build(root: Path, trigger: str, fraction: float, expected: int) -> None:
    """Start a build, SIGKILL it when `fraction` of the `expected` files are staged (trigger
    "staged") or as soon as the journal is written (trigger "journal")."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "litweave.cli", "--root", str(root), "build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    journal = staging_dir(root / "site") / JOURNAL
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if trigger == "journal" and journal.exists():
                break
            if trigger == "staged" and staged_count(root / "site") >= fraction * expected:
                break
            time.sleep(0.002 if trigger == "journal" else 0.02)
        assert proc.poll() is None, "the build finished before the kill point"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


@pytest.mark.parametrize(
    "trigger, fraction",
    [("staged", 0.1), ("staged", 0.5), ("staged", 0.8), ("staged", 0.99), ("journal", 1.0)],
)
def test_killed_build_leaves_the_old_site_or_the_new(
    sites: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, trigger: str, fraction: float
) -> None:
    source, before, after = sites
    root = tmp_path / "kb"
    shutil.copytree(source, root, symlinks=True)
    site = root / "site"
    expected = sum(1 for p in after if before.get(p) != after[p])
    kill_build(root, trigger, fraction, expected)

    committed = (staging_dir(site) / JOURNAL).exists()
    if not committed:  # no recovery needed: site/ was never touched
        assert snapshot(site) == before
    outcome = recover(site)
    assert outcome == ("completed" if committed else "rolled back")
    assert snapshot(site) == (after if committed else before)
    assert not staging_dir(site).exists()

    assert cli(root, "build").returncode == 0
    assert snapshot(site) == after and not staging_dir(site).exists()


def test_the_next_build_recovers_by_itself(
    sites: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    """No separate step: the build after a kill finishes or undoes the killed one first."""
    source, before, after = sites
    root = tmp_path / "kb"
    shutil.copytree(source, root, symlinks=True)
    expected = sum(1 for p in after if before.get(p) != after[p])
    kill_build(root, "staged", 0.5, expected)
    assert staging_dir(root / "site").is_dir()
    done = cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert "an earlier build was interrupted" in done.stderr
    assert snapshot(root / "site") == after
