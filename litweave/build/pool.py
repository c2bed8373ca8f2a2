"""Both cores: a map over worker processes that inherit the build's state by fork; and the
build's other child processes (Pagefind), which die with it.

Parsing pages and rendering outputs are independent per item, so a build with enough of them
maps them over a pool of forked workers. The function and its items are handed over through
fork, not pickled (the graph, the compiled templates and the views are already in memory);
only each item's result travels back. Results come back in the items' order, so a parallel
build is byte-identical to a serial one. Where fork is not available (or one core is all
there is) the map runs in this process.

Every process a build starts dies with it, kill -9 included: on Linux each asks the kernel for
SIGKILL when its parent dies (`die_with_parent`), the workers as they start and a program run by
`run_child` before it is executed, so nothing goes on running, or writing into the build's
scratch folder, after the build is gone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

MIN_ITEMS = 400
"""Below this many items a pool costs more than it saves."""

_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def default_jobs() -> int:
    """Worker processes to use: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the build that started it dies (kill -9 included), so
    that no orphan goes on writing into the staging folder of a build that will never commit
    (build/staging.py). Elsewhere workers finish their chunk and exit on the closed pipe.

    The kernel sends the signal when the *thread* that forked this process ends: workers are
    forked by the thread that maps, and `run_child` waits in the thread that started the child."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


_EXEC_DYING = """\
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("litweave_pool", sys.argv[1])
pool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pool)
pool.die_with_parent(int(sys.argv[2]))
os.execv(sys.argv[3], sys.argv[3:])
"""
"""Run by a bare interpreter (no site packages, so it starts in milliseconds): this file's
`die_with_parent`, loaded by path (litweave itself need not be importable there), then the
program, which keeps the request across exec."""


def run_child(
    command: Sequence[str], timeout: float, started: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `command` (its first item a path to the program) to its end, its output captured,
    as a process that dies with this one (on Linux; elsewhere a plain child process). `started`
    is called once it runs. On a timeout it is killed and `subprocess.TimeoutExpired` raised."""
    argv = list(command)
    if sys.platform.startswith("linux"):
        argv = [sys.executable, "-I", "-S", "-c", _EXEC_DYING, __file__, str(os.getpid()), *argv]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        if started is not None:
            started()
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise
    return subprocess.CompletedProcess(argv, child.returncode, out, err)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    fn, items = _TASK
    return [fn(items[i]) for i in range(*bounds)]


def parallel_map(
    fn: Callable[[Any], Any], items: Sequence[Any], jobs: int, advance: Callable[[int], None] | None = None
) -> list[Any]:
    """[fn(item) for item in items], over `jobs` forked processes when that pays; `advance(n)` is
    told as items are done (for a progress line)."""
    global _TASK
    import multiprocessing  # here, not at the top: `run_child` loads this file in a bare interpreter

    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for item in items:
            results.append(fn(item))
            if advance is not None:
                advance(1)
        return results
    size = max(16, len(items) // (jobs * 8))
    chunks = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _TASK = (fn, items)
    parts: list[list[Any]] = []
    try:
        with multiprocessing.get_context("fork").Pool(jobs, die_with_parent, (os.getpid(),)) as pool:
            for part in pool.imap(_run_chunk, chunks, chunksize=1):
                parts.append(part)
                if advance is not None:
                    advance(len(part))
    finally:
        _TASK = None
    return [result for part in parts for result in part]
