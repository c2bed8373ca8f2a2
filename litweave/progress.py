"""Progress of a long command on a terminal: one line, rewritten in place.

Takes counts as work advances and gives, on a terminal only, a line such as
"importing: 12,000/100,000 records" updated a few times a second, once the work has run longer
than about two seconds. Silent when the stream is not a terminal (a pipe, a log file, a test),
when asked to be quiet, and for work that ends quickly, so short commands print exactly what they
always did. It writes only to the stream it is given (standard error by default).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

DELAY = 2.0
"""Seconds of work before the line appears: quick commands stay quiet."""
INTERVAL = 0.25
"""Seconds between updates: the terminal is not flooded."""


class Progress:
    """A counter shown as one updating line; `advance` as work is done, `close` at the end."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        unit: str = "records",
        stream: TextIO | None = None,
        quiet: bool = False,
        started: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self._started = clock() if started is None else started
        """When the work began: a second stage of one command starts its clock with the first."""
        self._active = not quiet and _is_terminal(self._stream)
        self._next = self._started + DELAY
        self._shown = False

    @property
    def started(self) -> float:
        """When the work began, for a following stage of the same command."""
        return self._started

    def advance(self, n: int = 1) -> None:
        """Count `n` more units done; redraw the line when it is due."""
        self.done += n
        if not self._active:
            return
        now = self._clock()
        if now >= self._next:
            self._next = now + INTERVAL
            self._draw()

    def close(self) -> None:
        """Show the final count and end the line, if the line was ever shown."""
        if self._shown:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()
            self._shown = False
        self._active = False

    def _draw(self) -> None:
        count = f"{self.done:,}" if self.total is None else f"{self.done:,}/{self.total:,}"
        self._stream.write(f"\r{self.label}: {count} {self.unit}")
        self._stream.flush()
        self._shown = True


def _is_terminal(stream: TextIO) -> bool:
    """True for an interactive terminal; a closed or odd stream counts as not one."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
