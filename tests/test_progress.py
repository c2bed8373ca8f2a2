"""The progress line: shown on a terminal after a delay, throttled, silent elsewhere."""

from __future__ import annotations

import io

from litweave.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_quick_work_prints_nothing() -> None:
    stream, clock = _Terminal(), _Clock()
    progress = Progress("importing", 10, stream=stream, clock=clock)
    clock.now += 1.0
    progress.advance(10)
    progress.close()
    assert stream.getvalue() == ""


def test_long_work_shows_one_updating_line_throttled() -> None:
    stream, clock = _Terminal(), _Clock()
    progress = Progress("importing", 100_000, stream=stream, clock=clock)
    clock.now += 2.5
    progress.advance(12_000)
    for _ in range(100):  # many advances within one interval draw nothing more
        progress.advance(1)
    clock.now += 0.3
    progress.advance(1)
    progress.close()
    text = stream.getvalue()
    assert text.startswith("\rimporting: 12,000/100,000 records")
    assert text.count("\r") == 3 and text.endswith("\rimporting: 12,101/100,000 records\n")


def test_not_a_terminal_or_quiet_stays_silent() -> None:
    for stream, quiet in ((io.StringIO(), False), (_Terminal(), True)):
        clock = _Clock()
        progress = Progress("importing", stream=stream, quiet=quiet, clock=clock)
        clock.now += 10
        progress.advance(5)
        progress.close()
        assert stream.getvalue() == ""


def test_second_stage_keeps_the_first_stage_clock() -> None:
    stream, clock = _Terminal(), _Clock()
    first = Progress("importing", 3, stream=stream, clock=clock)
    clock.now += 3
    first.close()
    second = Progress("writing", 2, unit="pages", stream=stream, clock=clock, started=first.started)
    second.advance()
    second.close()
    assert stream.getvalue() == "\rwriting: 1/2 pages" * 2 + "\n"
