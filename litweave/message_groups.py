"""Diagnostics grouped for a person: one line per file and kind of message, with a count, at most
a screenful, the full list left to a file.

One export can carry the same oddity in every record (a RIS file whose `PY` holds the word
"Year" in 47 records): printed one by one, such lines bury the few that matter. Two messages are
of one kind when they differ only in what they quote and in their numbers ("PY: 'Year' is not a
date" and "PY: 'Date' is not a date"). Pure: diagnostics in, lines out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from litweave.model import Diagnostic
from litweave.wording import plural

SCREEN_LINES = 20
"""Lines of messages a command prints at most before pointing to the full list."""

_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_LEVELS = {"error": 0, "warning": 1, "info": 2}


def kind_of(message: str) -> str:
    """The message with what it quotes and its numbers left out: what messages of one kind share."""
    return _NUMBER.sub("N", _QUOTED.sub("…", message))


@dataclass(slots=True)
class Group:
    """Messages of one level and kind about one file."""

    first: Diagnostic
    records: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    count: int = 0

    def line(self) -> str:
        if self.count == 1:
            return str(self.first)
        where = ""
        if self.records:
            where = f" (records {_numbers(self.records)})"
        elif self.lines:
            where = f" (lines {_numbers(self.lines)})"
        return (
            f"{self.first.file or '<input>'}{where}: {self.first.level}: {self.first.message} "
            f"— {self.count:,} messages like this"
        )


def _numbers(values: list[int], shown: int = 6) -> str:
    unique = sorted(set(values))
    text = ", ".join(str(v) for v in unique[:shown])
    return text + (f" … {unique[-1]}" if len(unique) > shown else "")


FILES_APART = 3
"""A kind of message met in more files than this is one line for all of them."""


def grouped_lines(diagnostics: Sequence[Diagnostic], limit: int = SCREEN_LINES, full: str = "") -> list[str]:
    """One line per (file, level, kind) — or per (level, kind) for a kind met in more than
    FILES_APART files — errors first, then warnings, then notices, each in the order first met;
    past `limit` lines, one more line says what was left out and where `full` (a file's path, when
    given) lists every message."""
    groups: dict[tuple[str, str, str], Group] = {}
    files: dict[tuple[str, str], list[str]] = {}
    for d in diagnostics:
        kind = kind_of(d.message)
        key = (d.file, d.level, kind)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(d)
            files.setdefault((d.level, kind), []).append(d.file)
        group.count += 1
        if d.record is not None:
            group.records.append(d.record)
        elif d.line is not None:
            group.lines.append(d.line)
    entries: list[tuple[int, str, int]] = []  # (level order, line, messages)
    done: set[tuple[str, str]] = set()
    for (_file, level, kind), group in groups.items():
        spread = files[(level, kind)]
        if len(spread) <= FILES_APART:
            entries.append((_LEVELS.get(level, 3), group.line(), group.count))
        elif (level, kind) not in done:
            done.add((level, kind))
            count = sum(groups[(f, level, kind)].count for f in spread)
            named = ", ".join(f or "<input>" for f in spread[:FILES_APART]) + f" and {len(spread) - FILES_APART:,} more"
            entries.append(
                (
                    _LEVELS.get(level, 3),
                    f"{plural(len(spread), 'file')} ({named}): {level}: {group.first.message} "
                    f"— {count:,} messages like this",
                    count,
                )
            )
    entries.sort(key=lambda e: e[0])
    lines = [line for _order, line, _count in entries[:limit]]
    if len(entries) > limit:
        left = len(diagnostics) - sum(count for _order, _line, count in entries[:limit])
        where = f"; every message is in {full}" if full else ""
        lines.append(f"… and {plural(left, 'more message')} of {len(entries) - limit:,} more kinds or files{where}")
    elif full and len(lines) < len(diagnostics):
        lines.append(f"(every message, one by one, is in {full})")
    return lines
