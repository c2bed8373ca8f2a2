"""Hypothesis strategies for what litweave writes to files: texts that break writers, and the plain
values (text, integers, lists and mappings of them) that pages, merge bases and caches hold.

One place, so that a writer's property starts from the same hostile texts as every other one and
a new writer (or a new field of the merge base) extends them here: YAML's `...` and `---`
markers, leading and trailing whitespace, lone line breaks and the other characters YAML reads as
line breaks (U+2028, U+2029, U+0085, CR), tabs, `#`, `: `, quotes, words YAML reads as other
types, control characters, very long lines and the empty string.
"""

from __future__ import annotations

from hypothesis import strategies as st

from litweave.mergebase import PageBase, SourceBase, SourceRef

HOSTILE = [
    "",
    "...",
    "---",
    "--- x",
    "... x",
    "\n...\n",
    "\n---\n",
    " ",
    " lead",
    "trail ",
    "\n",
    "\n\n",
    " \n",
    "\n ",
    "\u2028",
    "\u2029",
    "\x85",
    "\r",
    "\r\n",
    "\t",
    "#",
    " #x",
    "# c",
    ": ",
    "a: b",
    "'",
    '"',
    "''",
    "\\",
    "- ",
    "? ",
    "!",
    "&a",
    "*a",
    "|",
    ">",
    "%",
    "@",
    "`",
    "{",
    "}",
    "[",
    "]",
    ",",
    "~",
    "^",
    "$",
    "&",
    "_",
    "--",
    "``",
    "null",
    "yes",
    "1e3",
    "0x1f",
    "012",
    "2012-01-01",
    "\ufeff",
    "\x00",
    "\x1b",
    "é",
    "每",
    "\U0001f600",
    "x",
    "word",
]
"""Pieces of text that writers have to quote, escape or keep apart."""

_PRINTABLE = st.characters(exclude_categories=("Cs",))
"""Any character a UTF-8 file can hold (lone surrogates cannot be encoded at all)."""

TEXTS = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=8).map("".join),
    st.text(_PRINTABLE, max_size=24),
    st.lists(st.sampled_from(HOSTILE) | st.text(_PRINTABLE, max_size=4), max_size=6).map("".join),
)
"""Texts of every kind, the hostile pieces mixed in often."""

LONG_LINES = ["x" * 5_000, "word " * 2_000, "a: b " * 1_000]
"""Very long lines, for explicit examples (generating them is slow)."""

SCALARS = TEXTS | st.integers(-5, 10_000)
PLAIN_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=8,
)
"""Text, integers, and lists and mappings of them (nested): what a merge base may hold."""

PAGE_KEYS = st.sampled_from(["title", "authors", "abstract", "note", "extra", "year", "tags", "sources"]) | TEXTS
FLAT_VALUES = SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(TEXTS, SCALARS, max_size=3)
"""What a page's field holds: a scalar, a list of them, or a mapping of them (`extra`)."""
PAGE_META = st.dictionaries(PAGE_KEYS, FLAT_VALUES, max_size=6)
MERGE_VALUES = st.dictionaries(PAGE_KEYS, PLAIN_VALUES, max_size=6)
"""The values one source gave a page, or what the imports wrote to it."""
SOURCE_REFS = st.builds(
    SourceRef,
    st.sampled_from(["medline", "bibtex", "ris", "refer", "csljson"]),
    TEXTS,
    st.one_of(st.just("sha:0123456789abcdef"), TEXTS.map(lambda t: "key:" + t)),
    st.integers(0, 10**6),
)
MERGE_BASES = st.builds(
    PageBase,
    MERGE_VALUES,
    st.lists(st.builds(SourceBase, SOURCE_REFS, MERGE_VALUES), min_size=1, max_size=3),
)
"""A page's merge state as `mergebase.render_base` writes it: sources with hostile names and ids."""
