"""A build killed with SIGKILL at any moment leaves site/ byte for byte the previous build's or the
finished build's, before anything else runs; and while a build runs, whoever reads site/ sees
one of the two, never a mix.

Real `litweave build` processes on a generated corpus, a template edit that changes every page.
The kill points are not found by racing a timer: a reference build logs the points it passes
(build/checkpoints.py), points evenly spaced over its duration are chosen from that log, and
each test build is told to stop itself at one of them (SIGSTOP). While it is stopped, site/ is
read (what a reader sees mid-build); then the build is killed, alone (its children must die
with it) or with its whole process group, and site/ is read again before any other command
runs. The points before the swap must give the old site, those from the swap on the new one.
Then no child process may be left, nor anything in the build's temporary folder, and the next
build must end on the finished site.

The default run uses a small corpus; `-m slow` runs the same at 3,000 papers with 10 points.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_knowledge_base

from litweave.build.staging import KNOWN, LOCK, TREE, staging_dir

REPO = Path(__file__).resolve().parents[1]

Snapshot = dict[str, str]


def env(**extra: str) -> dict[str, str]:
    found = {k: v for k, v in os.environ.items() if not k.startswith("LITWEAVE_")}
    return {**found, "PYTHONPATH": str(REPO), **extra}


def cli(root: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "litweave.cli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
        cwd=root,
        env=env(**extra),
    )


def snapshot(site: Path) -> Snapshot:
    """Every entry under site/: a digest of each file's bytes, "<folder>" for a folder."""
    found: Snapshot = {}
    for folder, dirs, files in os.walk(site):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), site)] = "<folder>"
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                digest = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
            found[os.path.relpath(os.path.join(folder, name), site)] = digest
    return found


def describe(seen: Snapshot, before: Snapshot, after: Snapshot) -> str:
    if seen == before:
        return "old"
    if seen == after:
        return "new"
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    new = sum(1 for p in changed if p in after and seen.get(p) == after[p])
    return f"mixed ({new} of {len(changed)} changed entries new)"


@dataclass
class Project:
    root: Path
    """Built once, then `templates/base.html` edited: the build under test is the next one."""
    before: Snapshot
    after: Snapshot
    """site/ as the build leaves it when it is not interrupted."""
    points: list[tuple[int, str, float]]
    """The reference build's checkpoints: (count, name, seconds)."""


def make_project(work: Path, papers: int, indexed: bool = False, **extra: str) -> Project:
    """`indexed`: the edit is in the part of the paper pages that search indexes (so Pagefind
    runs again), not in `base.html`."""
    root = make_knowledge_base(work / "kb")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    corpus = work / "corpus.enw"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), "-n", str(papers), "--format", "refer", str(corpus)],
        check=True,
        capture_output=True,
    )
    assert cli(root, "import", "-q", str(corpus), **extra).returncode == 0
    done = cli(root, "build", "-q", **extra)
    assert done.returncode == 0, done.stderr
    before = snapshot(root / "site")
    if indexed:
        edited, mark, text = root / "templates" / "paper.html", "</div><!--/search-->", "<p>edited</p>"
    else:
        edited, mark, text = root / "templates" / "base.html", "</body>", "<!-- edited -->"
    edited.write_text(edited.read_text(encoding="utf-8").replace(mark, text + mark, 1), "utf-8")
    reference = work / "reference"
    shutil.copytree(root, reference, symlinks=True)
    log = work / "checkpoints.log"
    done = cli(reference, "build", "-q", LITWEAVE_CHECKPOINTS=str(log), **extra)
    assert done.returncode == 0, done.stderr
    after = snapshot(reference / "site")
    changed = [p for p in after if before.get(p) != after[p]]
    assert len(changed) > papers  # every paper page, and more
    points = []
    for line in log.read_text(encoding="utf-8").splitlines():
        count, name, seconds = line.split(" ")
        points.append((int(count), name, float(seconds)))
    shutil.rmtree(reference)
    return Project(root, before, after, points)


def choose(points: list[tuple[int, str, float]], how_many: int) -> list[tuple[int, str]]:
    """`how_many` points evenly spaced over the reference build's duration (the first point at or
    after each mark), and the points on either side of the swap."""
    total = points[-1][2]
    chosen: dict[int, str] = {}
    for i in range(how_many):
        mark = total * (i + 0.5) / how_many
        count, name, _seconds = next(p for p in points if p[2] >= mark)
        chosen[count] = name
    for count, name, _seconds in points:
        if name in ("swap", "swapped"):
            chosen[count] = name
    return sorted(chosen.items())


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@dataclass
class Killed:
    while_stopped: str
    after_kill: str
    children: int
    """Processes below the build when it stopped."""


def kill_at(project: Project, work: Path, count: int, group: bool, **extra: str) -> Killed:
    """A copy of the project built until point `count`, read, and killed there."""
    root = work / f"killed-{count}"
    shutil.copytree(project.root, root, symlinks=True)
    tmp = work / f"tmp-{count}"
    tmp.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-m", "litweave.cli", "--root", str(root), "build", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=root,
        env=env(LITWEAVE_STOP_AT=str(count), TMPDIR=str(tmp), **extra),
        start_new_session=True,
    )
    try:
        _pid, status = os.waitpid(build.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status), f"the build ended before point {count} (status {status})"
        below = descendants(build.pid)
        while_stopped = describe(snapshot(root / "site"), project.before, project.after)
    finally:
        if group:
            os.killpg(build.pid, signal.SIGKILL)
        else:
            build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in below if running(pid)]
    for pid in left:  # fail below, but leave nothing running
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"child processes outlived the build killed at point {count}"
    after_kill = describe(snapshot(root / "site"), project.before, project.after)
    assert sorted(p.name for p in tmp.iterdir()) == [], "the build left files in the temporary folder"
    return Killed(while_stopped, after_kill, len(below))


def check_kills(project: Project, work: Path, how_many: int, **extra: str) -> list[str]:
    """Every chosen point: old before the swap, new from it on, while stopped and after the
    kill; then the next build finishes on the new site and leaves only the staging folder's own
    files beside it."""
    chosen = choose(project.points, how_many)
    swapped = next(count for count, name, _s in project.points if name == "swapped")
    outcomes = []
    for i, (count, name) in enumerate(chosen):
        killed = kill_at(project, work, count, group=i % 2 == 1, **extra)
        expected = "new" if count >= swapped else "old"
        outcomes.append(f"{count} {name}: {killed.while_stopped} / {killed.after_kill}")
        assert (killed.while_stopped, killed.after_kill) == (expected, expected), outcomes[-1]
        root = work / f"killed-{count}"
        done = cli(root, "build", "-q", **extra)
        assert done.returncode == 0, done.stderr
        assert snapshot(root / "site") == project.after, f"the build after the kill at {count} {name}"
        # tree.json is missing when that build found nothing to do (killed after the swap): the
        # next build that writes matches tree/ to site/ first
        assert {p.name for p in staging_dir(root / "site").iterdir()} <= {KNOWN, LOCK, TREE}
        shutil.rmtree(root)
    return outcomes


SHARDS = {"LITWEAVE_SEARCH_SHARD_PAGES": "20"}
"""A small site in several search shards: Pagefind runs more than once."""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """60 papers, the paper template edited where search reads it: every paper page changes and
    every shard is indexed again."""
    return make_project(tmp_path_factory.mktemp("small"), 60, indexed=True, **SHARDS)


def test_killed_build_leaves_the_old_site_or_the_new(small: Project, tmp_path: Path) -> None:
    names = [name for _c, name, _s in small.points]
    assert names.count("pagefind") >= 2 and "written" in names
    outcomes = check_kills(small, tmp_path, 4, **SHARDS)
    assert len(outcomes) >= 5


@pytest.mark.slow
def test_killed_build_at_3000_papers(tmp_path: Path) -> None:
    """The case as it was found: 3,000 papers, templates/base.html edited, 10 points."""
    project = make_project(tmp_path, 3000)
    outcomes = check_kills(project, tmp_path, 10)
    print("\n".join(outcomes))


def test_killed_during_search_leaves_no_pagefind_behind(small: Project, tmp_path: Path) -> None:
    """Stopped just as a Pagefind run starts, the build is killed alone: Pagefind dies with it,
    and its bundle, written beside the site, is not in the system's temporary folder."""
    first = next(count for count, name, _s in small.points if name == "pagefind")
    killed = kill_at(small, tmp_path, first, group=False, **SHARDS)
    assert killed.children >= 1
    assert (killed.while_stopped, killed.after_kill) == ("old", "old")


_PARENT = """
import sys
from litweave.build.pool import run_child
run_child([sys.executable, "-c", "import time; time.sleep(120)"], 300)
"""


def test_a_child_dies_with_the_build(tmp_path: Path) -> None:
    """What Pagefind is run through: its process is killed by the kernel when the build is."""
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], env=env(), cwd=tmp_path)
    try:
        deadline = time.monotonic() + 30
        children: set[int] = set()
        while time.monotonic() < deadline:
            children = {pid for pid in descendants(parent.pid) if running(pid)}
            commands = [_command(pid) for pid in children]
            # the program itself is running (not the interpreter that hands over to it)
            if commands and all(c.endswith("time.sleep(120)") and "die_with_parent" not in c for c in commands):
                break
            time.sleep(0.05)
        assert children, "the child did not start"
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in children if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""
