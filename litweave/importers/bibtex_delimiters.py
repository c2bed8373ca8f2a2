"""Which brace or quote an unreadable BibTeX entry leaves open, and on which line it opens.

bibtexparser gives up on such an entry saying only that it reached the end of the file, or the
next entry, while still looking for a closing delimiter. The reader needs to know which one: this
reads the entry's raw text the way BibTeX does (a value in braces nests braces; a value in quotes
ends at a quote outside braces; a delimiter after a backslash is text, as bibtexparser takes it)
and names the outermost delimiter still open. When only the entry's own brace is open, a value
that took in a line looking like the next field (`year = …`) is named instead: its closing brace
is the one missing, and the entry's closing brace closed the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPENING = re.compile(r"@[ \t]*[A-Za-z][\w-]*[ \t]*([{(])")
_FIELD_START = re.compile(r"[ \t]*[A-Za-z][\w:.+-]*[ \t]*=")
_CLOSERS = {"{": "}", "(": ")", '"': '"'}


@dataclass(frozen=True, slots=True)
class Unclosed:
    """A delimiter left open, or closed too late, in one entry."""

    char: str
    """'{', '"', or the entry's own '{' or '('."""
    line: int
    """The line it opens on."""
    field: str
    """The field whose value it opens; "" for the entry's own delimiter."""
    overrun: int | None = None
    """The first line inside it that looks like the start of another field."""
    closed_on: int | None = None
    """The line it closes on, when it closes too late (taking the entry's closing brace)."""

    @property
    def closer(self) -> str:
        return _CLOSERS[self.char]

    def describe(self) -> str:
        """ "the brace '{' opened on line 2 for title", "the entry's brace '{' on line 1" """
        name = {"{": "brace", "(": "parenthesis", '"': "quote"}[self.char]
        if self.field:
            return f"the {name} '{self.char}' opened on line {self.line} for {self.field}"
        return f"the entry's {name} '{self.char}' on line {self.line}"


@dataclass(slots=True)
class _Open:
    char: str
    line: int
    field: str
    overrun: int | None = None


def find_unclosed(raw: str, first_line: int) -> Unclosed | None:
    """The delimiter `raw` (an entry from its `@`, the text of the line `first_line` on) leaves
    open, or the value that closed too late; None when the entry closes."""
    opening = _OPENING.match(raw)
    if opening is None:
        return None
    line = first_line + raw.count("\n", 0, opening.start(1))
    entry = _Open(opening.group(1), line, "")
    end_of_entry = _CLOSERS[entry.char]
    value: _Open | None = None  # the outermost open delimiter of the current value
    depth = 0  # braces open inside the value (a quoted value's own braces included)
    late: Unclosed | None = None  # the first value that took in another field's line
    field_start = opening.end()
    field = ""
    at = opening.end()
    while at < len(raw):
        char = raw[at]
        if char == "\n":
            line += 1
            if value is not None and value.overrun is None and _FIELD_START.match(raw, at + 1):
                value.overrun = line
        elif char == "\\":
            at += 1  # the next character is text, not a delimiter
            if raw.startswith("\n", at):
                line += 1
        elif value is None:
            if char in '{"':
                value, depth = _Open(char, line, field), 1 if char == "{" else 0
            elif char == end_of_entry:
                return None  # the entry closes: what bibtexparser rejected is something else
            elif char == ",":
                field_start = at + 1
            elif char == "=":
                field = raw[field_start:at].strip().casefold()
        elif char == "{":
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0 and value.char == "{":
                if value.overrun is not None and late is None:
                    late = Unclosed(value.char, value.line, value.field, value.overrun, line)
                value = None
        elif char == '"' and depth == 0 and value.char == '"':
            if value.overrun is not None and late is None:
                late = Unclosed(value.char, value.line, value.field, value.overrun, line)
            value = None
        at += 1
    if value is not None:
        return Unclosed(value.char, value.line, value.field, value.overrun)
    return late or Unclosed(entry.char, entry.line, "")
