"""Named points a build passes, so that a test or the benchmark can stop or kill it exactly there.

A build that does the same work passes the same points in the same order (the pages it writes,
each Pagefind run, the swap of the site and what follows it), so "the 1,200th point" is one
moment of that build, whatever the load on the machine: no timer races the build.

- `LITWEAVE_CHECKPOINTS=FILE`: each point reached is appended to FILE as
  `<count> <name> <seconds since the first point>` (count from 1).
- `LITWEAVE_STOP_AT=N[,N…]`: at those counts the build stops itself (SIGSTOP) and waits to be
  continued (SIGCONT) or killed; the parent that started it learns that it stopped from
  `waitpid(…, WUNTRACED)`, and may then read site/ and kill the build there.

With neither set, as in every normal run, a point costs one function call and one test. Points
are passed in the build's own process only (its threads included), never in a forked worker.
"""

from __future__ import annotations

import os
import signal
import threading
import time

_LOG = os.environ.get("LITWEAVE_CHECKPOINTS") or None
_STOP = frozenset(int(n) for n in os.environ.get("LITWEAVE_STOP_AT", "").split(",") if n.strip().isdigit())
_ARMED = _LOG is not None or bool(_STOP)
_lock = threading.Lock()
_count = 0
_start = 0.0


def reached(name: str) -> None:
    """The build is at the point `name` (a word: the log is split on spaces)."""
    if not _ARMED:
        return
    global _count, _start
    with _lock:
        _count += 1
        count = _count
        now = time.monotonic()
        if count == 1:
            _start = now
        if _LOG is not None:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{count} {name} {now - _start:.6f}\n")
    if count in _STOP:
        os.kill(os.getpid(), signal.SIGSTOP)
