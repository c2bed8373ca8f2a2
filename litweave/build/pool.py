"""Both cores: a map over worker processes that inherit the build's state by fork.

Parsing pages and rendering outputs are independent per item, so a build with enough of them
maps them over a pool of forked workers. The function and its items are handed over through
fork, not pickled (the graph, the compiled templates and the views are already in memory);
only each item's result travels back. Results come back in the items' order, so a parallel
build is byte-identical to a serial one. Where fork is not available (or one core is all
there is) the map runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
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


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the build that forked it dies (kill -9 included), so
    that no orphan goes on writing into the staging folder of a build that will never commit
    (build/staging.py). Elsewhere workers finish their chunk and exit on the closed pipe."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


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
        with multiprocessing.get_context("fork").Pool(jobs, _die_with_parent, (os.getpid(),)) as pool:
            for part in pool.imap(_run_chunk, chunks, chunksize=1):
                parts.append(part)
                if advance is not None:
                    advance(len(part))
    finally:
        _TASK = None
    return [result for part in parts for result in part]
