"""Benchmark: what a killed build leaves in site/, what a reader sees while a build runs, and what
the build's commit costs.

A knowledge base of N papers is imported and built; then `templates/base.html` is edited (every
page changes) and, with --delete K, K papers are deleted too. The same build is run to its end in
a copy, which gives the finished site, and logs the points it passes (build/checkpoints.py).
Then, for --points points evenly spaced over that build's duration (the first point at or after
0.05, 0.15, … 0.95 of it for 10) and the points on either side of the swap, a fresh copy of the
knowledge base is built, told to stop itself at that point, read (what a reader sees mid-build),
and SIGKILLed there, with its child processes (--children kill) or without them (--children
leave). Before anything else runs, site/ is compared, file by file, with the site before and the
finished one:

  old     byte for byte the site before the build
  new     byte for byte the finished site
  mixed   neither (the changed files that are new, old and missing are counted)

and the child processes still running a second after the kill, and what the build left in its
temporary folder ($TMPDIR, set to a folder of its own), are reported. A litweave without those
points (an older one) is killed by a timer instead, at the same fractions of the duration of the
same build run just before (other work on the machine changes how long it takes).

--reader runs the build once more to its end while another process reads a sample of the
changed files over and over, each pass through one handle on site/ (as a web server that has
opened the folder reads it): a pass that holds both old and new files saw a mixed site.

--timings R times the builds that matter for the commit's cost, R times each, from the same
starting point: nothing changed, one note edited, templates/base.html edited.

    python bench/killed_build.py -n 3000 [--corpus FILE.enw] [--points 10] [--delete 300]
        [--children kill|leave] [--reader] [--timings 3] [--litweave CHECKOUT] [--keep DIR]

--litweave runs another checkout's litweave (to measure before and after a change).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
EDIT = "<!-- edited by bench/killed_build.py -->"


def env_for(checkout: Path, tmpdir: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITWEAVE_")}
    env["PYTHONPATH"] = str(checkout)
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return env


def litweave(checkout: Path, root: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "litweave.cli", "--root", str(root), *args],
        env={**env_for(checkout), **extra},
        cwd=root,  # not this checkout: `-m` puts the working folder first on the path
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"litweave {' '.join(args)} failed in {root}:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done


Snapshot = dict[str, str]


def snapshot(site: Path) -> Snapshot:
    """Every entry under site/: a digest of each file's bytes, a symlink's target, "<folder>"."""
    found: Snapshot = {}
    if not site.is_dir():
        return found
    for folder, dirs, files in os.walk(site):
        for name in dirs:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, site)] = (
                "<link " + os.readlink(path) + ">" if os.path.islink(path) else "<folder>"
            )
        for name in files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, site)
            if os.path.islink(path):
                found[rel] = "<link " + os.readlink(path) + ">"
                continue
            try:
                with open(path, "rb") as handle:
                    found[rel] = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
            except OSError:
                found[rel] = "<unreadable>"
    return found


def classify(site: Snapshot, before: Snapshot, after: Snapshot) -> str:
    if site == before:
        return "old"
    if site == after:
        return "new"
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    new = sum(1 for p in changed if p in after and site.get(p) == after[p])
    old = sum(1 for p in changed if p in before and site.get(p) == before[p])
    missing = sum(1 for p in changed if p not in site)
    extra = sum(1 for p in set(site) - set(before) - set(after))
    return f"mixed ({new:,} of {len(changed):,} changed entries new, {old:,} old, {missing:,} missing, {extra:,} extra)"


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def copy_kb(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True)


@dataclass
class Prepared:
    root: Path
    """Built, then edited: the build to kill is the next one."""
    before: Snapshot
    after: Snapshot
    seconds: float
    """How long the build to kill took, run to its end."""
    points: list[tuple[int, str, float]]
    """The points it passed (count, name, seconds); empty for a litweave without them."""


def prepare(args: argparse.Namespace, work: Path, checkout: Path) -> Prepared:
    corpus = Path(args.corpus) if args.corpus else work / "corpus.enw"
    if not args.corpus:
        subprocess.run(
            [sys.executable, str(BENCH / "corpus.py"), "-n", str(args.n), "--format", "refer", str(corpus)], check=True
        )
    root = work / "kb"
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    (root / "litweave.toml").write_text('title = "killed builds"\n', encoding="utf-8")  # a knowledge base
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    litweave(checkout, root, "import", "-q", str(corpus))
    litweave(checkout, root, "build", "-q")
    before = snapshot(root / "site")
    copy_kb(root, work / "built")
    base = root / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("</body>", EDIT + "</body>", 1), encoding="utf-8")
    if args.delete:
        for page in sorted((root / "content" / "papers").glob("*.md"))[: args.delete]:
            page.unlink()
    finished = work / "finished"
    copy_kb(root, finished)
    log = work / "checkpoints.log"
    log.unlink(missing_ok=True)
    start = time.perf_counter()
    litweave(checkout, finished, "build", "-q", LITWEAVE_CHECKPOINTS=str(log))
    seconds = time.perf_counter() - start
    after = snapshot(finished / "site")
    shutil.rmtree(finished)
    points = []
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            count, name, at = line.split(" ")
            points.append((int(count), name, float(at)))
    return Prepared(root, before, after, seconds, points)


def choose(points: list[tuple[int, str, float]], how_many: int) -> list[tuple[int, str, float]]:
    """The first point at or after each of `how_many` evenly spaced moments of the build, and
    the points on either side of the swap (as tests/test_killed_build.py chooses them)."""
    total = points[-1][2]
    chosen = {}
    for i in range(how_many):
        point = next(p for p in points if p[2] >= total * (i + 0.5) / how_many)
        chosen[point[0]] = point
    for point in points:
        if point[1] in ("swap", "swapped"):
            chosen[point[0]] = point
    return [chosen[count] for count in sorted(chosen)]


@dataclass
class Killed:
    finished: bool
    """The build ended before the kill."""
    children: int
    """Processes below the build when it was killed."""
    left: list[int]
    """Of those, the ones still running a second after the kill."""
    temporary: list[str]
    """What is left in the build's temporary folder."""
    state: Snapshot
    """site/ after the kill, before anything else ran."""
    stopped: Snapshot | None = None
    """site/ while the build was stopped at the point, just before the kill."""


def timed_build(work: Path, checkout: Path, source: Path) -> float:
    root = work / "timed"
    copy_kb(source, root)
    start = time.perf_counter()
    litweave(checkout, root, "build", "-q")
    seconds = time.perf_counter() - start
    shutil.rmtree(root)
    return seconds


def kill_at(args: argparse.Namespace, work: Path, checkout: Path, source: Path, point: int, delay: float) -> Killed:
    """Build a copy of `source` and kill it at checkpoint `point` (when it is not 0), else
    `delay` seconds after it started."""
    root = work / "killed"
    copy_kb(source, root)
    tmpdir = work / "tmp"
    shutil.rmtree(tmpdir, ignore_errors=True)
    tmpdir.mkdir()
    env = env_for(checkout, tmpdir)
    if point:
        env["LITWEAVE_STOP_AT"] = str(point)
    proc = subprocess.Popen(
        [sys.executable, "-m", "litweave.cli", "--root", str(root), "build", "-q"],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stopped = None
    if point:
        _pid, status = os.waitpid(proc.pid, os.WUNTRACED)
        finished = not os.WIFSTOPPED(status)
        below = descendants(proc.pid)
        stopped = snapshot(root / "site")
    else:
        time.sleep(delay)
        finished = proc.poll() is not None
        below = descendants(proc.pid)
    if args.children == "kill":
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)
    left = sorted(pid for pid in below if alive(pid))
    state = snapshot(root / "site")
    temporary = sorted(p.name for p in tmpdir.iterdir())
    for pid in left:  # the measurement is done: do not leave them running
        os.kill(pid, signal.SIGKILL)
    return Killed(finished, len(below), left, temporary, state, stopped)


_READER = r"""
import os, sys, time, hashlib
site, stop = sys.argv[1], sys.argv[2]
paths = sys.stdin.read().split("\n")
passes = []
while not os.path.exists(stop):
    fd = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
    seen = []
    for rel in paths:
        try:
            f = os.open(rel, os.O_RDONLY, dir_fd=fd)
            with os.fdopen(f, "rb") as h:
                seen.append(hashlib.blake2b(h.read(), digest_size=16).hexdigest())
        except OSError:
            seen.append("")
    os.close(fd)
    passes.append((time.monotonic(), seen))
for t, seen in passes:
    print(t, " ".join(s or "-" for s in seen))
"""


def reader(work: Path, checkout: Path, source: Path, before: Snapshot, after: Snapshot) -> str:
    root = work / "read"
    copy_kb(source, root)
    changed = sorted(p for p in set(before) & set(after) if before[p] != after[p] and not before[p].startswith("<"))
    step = max(1, len(changed) // 200)
    sample = changed[::step]
    stop = work / "reader.stop"
    stop.unlink(missing_ok=True)
    probe = subprocess.Popen(
        [sys.executable, "-c", _READER, str(root / "site"), str(stop)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert probe.stdin is not None
    probe.stdin.write("\n".join(sample))
    probe.stdin.close()
    start = time.monotonic()
    try:
        litweave(checkout, root, "build", "-q")
    finally:
        stop.touch()  # the reader stops even when the build failed
        assert probe.stdout is not None
        out = probe.stdout.read()
        probe.wait()
    counts = {"old": 0, "new": 0, "mixed": 0}
    window: list[float] = []
    for line in out.splitlines():
        stamp, *digests = line.split(" ")
        olds = sum(1 for p, d in zip(sample, digests, strict=True) if d == before[p])
        news = sum(1 for p, d in zip(sample, digests, strict=True) if d == after[p])
        kind = "old" if olds == len(sample) else "new" if news == len(sample) else "mixed"
        counts[kind] += 1
        if kind == "mixed":
            window.append(float(stamp) - start)
    seen = f"{counts['old']} old, {counts['new']} new, {counts['mixed']} mixed passes of {len(sample)} files"
    if window:
        seen += f"; mixed from {min(window):.2f} s to {max(window):.2f} s after the build started"
    return seen


_TIMINGS = re.compile(r"timings: (.*)")


def timings(args: argparse.Namespace, work: Path, checkout: Path) -> list[str]:
    """Nothing changed, one note edited, the template edited: each from the site as it was built
    before the measured edit."""
    rows = []
    for step in ("nothing changed", "one note edited", "templates/base.html edited"):
        walls: list[float] = []
        saves: list[float] = []
        for _ in range(args.timings):
            root = work / "timed"
            copy_kb(work / "built", root)
            base = root / "templates" / "base.html"
            if step == "one note edited":
                page = sorted((root / "content" / "papers").glob("*.md"))[-1]
                page.write_text(page.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
            elif step.startswith("templates"):
                base.write_text(
                    base.read_text(encoding="utf-8").replace("</body>", EDIT + "</body>", 1), encoding="utf-8"
                )
            start = time.perf_counter()
            done = litweave(checkout, root, "build", "-q", "-v")
            walls.append(time.perf_counter() - start)
            found = _TIMINGS.search(done.stderr)
            stages = dict(re.findall(r"([a-z ]+?) ([\d.]+) s", found.group(1))) if found else {}
            stages = {name.strip(", "): value for name, value in stages.items()}
            # the commit's share: the save stage (the commit, then the caches), and the fill stage
            # of a litweave that makes the next site beside site/
            saves.append(sum(float(stages.get(name, 0)) for name in ("fill", "save")) if stages else float("nan"))
        cells = [
            f"{min(walls):.2f}",
            f"{statistics.median(walls):.2f}",
            f"{min(saves):.3f}",
            f"{statistics.median(saves):.3f}",
        ]
        rows.append(f"| {step} | " + " | ".join(cells) + " |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=3000, help="papers (with bench/corpus.py; ignored with --corpus)")
    parser.add_argument("--corpus", help="a Refer file to import instead")
    parser.add_argument("--points", type=int, default=10, help="kill points (0: none)")
    parser.add_argument("--delete", type=int, default=0, help="also delete this many papers before the build")
    parser.add_argument("--children", choices=["kill", "leave"], default="kill")
    parser.add_argument("--reader", action="store_true")
    parser.add_argument("--timings", type=int, default=0, metavar="R")
    parser.add_argument("--litweave", default=str(REPO), help="the checkout whose litweave runs")
    parser.add_argument("--keep", help="work here (kept) instead of a temporary folder")
    args = parser.parse_args()
    checkout = Path(args.litweave).resolve()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="litweave-killed-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        ready = prepare(args, work, checkout)
        source, before, after = ready.root, ready.before, ready.after
        changed = sum(1 for p in set(before) | set(after) if before.get(p) != after.get(p))
        children = "killed too" if args.children == "kill" else "left running"
        print(f"{len(before):,} entries in site/ before, {len(after):,} after, {changed:,} changed;")
        print(f"the build to kill took {ready.seconds:.2f} s; its children are {children}")
        if not args.points:
            pass
        elif ready.points:
            print(f"killed at points of its own progress (of {len(ready.points):,} it passes)")
            print("| point | at | site/ while stopped there | site/ after the kill | children left | tmp |")
            print("|---|---:|---|---|---:|---|")
            for count, name, at in choose(ready.points, args.points):
                seen = kill_at(args, work, checkout, source, count, 0.0)
                assert seen.stopped is not None
                stopped = "ended before it" if seen.finished else classify(seen.stopped, before, after)
                state = classify(seen.state, before, after)
                left = f"{len(seen.left)} of {seen.children}"
                fraction = at / ready.points[-1][2]
                cells = [f"{count} {name}", f"{fraction:.2f}", stopped, state, left, ", ".join(seen.temporary) or "–"]
                print("| " + " | ".join(cells) + " |", flush=True)
        else:
            print("killed by a timer (this litweave passes no checkpoints)")
            print("| kill at | seconds (of the same build just before) | site/ after the kill | children left | tmp |")
            print("|---:|---:|---|---:|---|")
            for i in range(args.points):
                fraction = (i + 0.5) / args.points
                seconds = timed_build(work, checkout, source)
                seen = kill_at(args, work, checkout, source, 0, fraction * seconds)
                state = "finished before the kill" if seen.finished else classify(seen.state, before, after)
                left = f"{len(seen.left)} of {seen.children}"
                cells = [f"{fraction:.2f}", f"{fraction * seconds:.2f}", state, left, ", ".join(seen.temporary) or "–"]
                print("| " + " | ".join(cells) + " |", flush=True)
        if args.reader:
            print("reader during a normal build: " + reader(work, checkout, source, before, after), flush=True)
        if args.timings:
            print("| build | seconds (min) | seconds (median) | fill + save stages (min) | (median) |")
            print("|---|---:|---:|---:|---:|")
            for row in timings(args, work, checkout):
                print(row, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
