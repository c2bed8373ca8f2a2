"""Counts in words, for pages and command-line messages alike: "1 paper", "2 papers", never
"1 papers" or "paper(s)". Pure."""

from __future__ import annotations


def plural(n: int, singular: str, plural_form: str = "") -> str:
    """ "1 paper", "2 papers", "0 papers", "1,200 papers"; `plural_form` for irregular words."""
    return f"{n:,} {singular if n == 1 else plural_form or singular + 's'}"


REPEATED_NOTE = (
    "({count} about pages unchanged since an earlier build showed them not repeated: "
    "`litweave check` lists every one, `build -v` too)"
)
"""What a build or `serve` says instead of repeating the warnings of pages that did not change."""
