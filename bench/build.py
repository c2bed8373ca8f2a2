"""Benchmark: import and build a synthetic knowledge base of N papers.

Makes a corpus with ../shared/bench/make_corpus.py (Refer format), imports it into a fresh
knowledge base that has this repository's templates and mechanism vocabulary, then times a cold
build, a no-change rebuild and a rebuild after one paper's notes changed, each as its own
`litweave` process (what a user runs). Prints a Markdown table row per step with wall time and
the process's peak memory.

    python bench/build.py -n 1000 [-n 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"


# Runs the CLI and reports the child's own peak RSS on its last stderr line.
_CHILD = (
    "import resource, runpy, sys\n"
    "sys.argv = ['litweave', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('litweave.cli', run_name='__main__')\n"
    "finally:\n    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one litweave command in its own process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"litweave {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    rss_kib = int(proc.stderr.strip().splitlines()[-1].split()[1])
    return seconds, rss_kib / 1024


def bench(n: int, work: Path) -> list[tuple[str, float, float]]:
    root = work / f"kb{n}"
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    corpus = work / f"corpus{n}.enw"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "-n", str(n), "--seed", "1", "--format", "refer", str(corpus)], check=True
    )
    rows = [("import", *run(["import", str(corpus)], root))]
    rows.append(("build (cold)", *run(["build"], root)))
    rows.append(("build (no change)", *run(["build"], root)))
    page = sorted((root / "content" / "papers").glob("*.md"))[n // 2]
    page.write_text(page.read_text(encoding="utf-8") + "\nA note added by hand.\n", encoding="utf-8")
    rows.append(("build (one paper edited)", *run(["build"], root)))
    pages = sum(1 for _ in (root / "site").rglob("*.html"))
    rows.append((f"pages written: {pages}", 0.0, 0.0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append", help="papers (repeatable); default 1000")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if not MAKE_CORPUS.is_file():
        sys.exit("../shared/bench/make_corpus.py not found")
    work = args.keep or Path(tempfile.mkdtemp(prefix="litweave-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print("| papers | step | seconds | peak RSS (MiB) |\n|---:|---|---:|---:|")
    try:
        for n in args.n or [1000]:
            for step, seconds, rss in bench(n, work):
                print(f"| {n} | {step} | {seconds:.2f} | {rss:.0f} |", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
