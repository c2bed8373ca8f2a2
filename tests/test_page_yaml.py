"""The page writer's own YAML emitter and reader agree byte for byte with PyYAML (libyaml)."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from litweave.frontmatter import (
    _emit_document,
    _PageDumper,
    _Unusual,
    dump_yaml,
    read_rendered,
    render_page,
    split_front_matter,
)

# Characters that change how a scalar is styled, mixed with ordinary ones.
_ALPHABET = st.sampled_from(
    list("ab Z09 :#',\"[]{}-?.%@`|>!&*~=<+\n\t\r")
    + ["é", "\u00a0", "\u2028", "\ufeff", "\U0001f600", "\x85", "–", "每", "\u3000"]
)
# Mostly what the fast path takes, so that it is exercised as much as the fallback.
_USUAL = st.sampled_from(list("aaabbZ 0 9 :#',\"[]{}-?.%@`|>!&*~=<+\n") + ["é", "\u00a0", "–", "每", "\u3000"])
_WORDS = st.sampled_from(
    ["", "2012", "25", "0", "-3", "1e5", "1.5", "yes", "No", "null", "~", "2012-03-04", "---x", "...", "- a", "a: b"]
    + ["0x1f", "1_000", "012", "+1", ".5", "1:30", "<<", "="]
)
_TEXT = st.text(_ALPHABET, max_size=12) | st.text(_USUAL, max_size=10) | st.text(max_size=8) | _WORDS
_SCALAR = _TEXT | st.integers(-5, 3000)
_FLAT_DICT = st.dictionaries(_TEXT, _SCALAR, max_size=3)
_VALUE = _SCALAR | st.lists(_SCALAR, max_size=4) | _FLAT_DICT | st.lists(_FLAT_DICT | _SCALAR, max_size=3)
_META = st.dictionaries(_TEXT, _VALUE, max_size=6)


def _pyyaml(meta: dict[str, Any]) -> str:
    return yaml.dump(
        meta, Dumper=_PageDumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=None
    )


@settings(max_examples=1500, deadline=None)
@given(_META)
def test_emitter_writes_what_pyyaml_writes(meta: dict[str, Any]) -> None:
    try:
        fast = _emit_document(meta)
    except _Unusual:
        return
    assert fast == _pyyaml(meta)
    assert yaml.load(fast, Loader=yaml.CSafeLoader) == meta


@settings(max_examples=1500, deadline=None)
@given(_META, st.sampled_from(["", "Notes.\n", "\n\nMy [[HER2]] notes\n---\nmore\n"]))
def test_reader_agrees_with_the_yaml_loader(meta: dict[str, Any], body: str) -> None:
    text = render_page(meta, body)
    read = read_rendered(text)
    if read is not None:
        assert read == split_front_matter(text)


def test_usual_page_takes_the_fast_path() -> None:
    meta = {
        "title": "Deciphering the Role of IGF-IR: a review",
        "authors": ["Rita Nahta", "O'Brien, Jr., Pat"],
        "type": "article-journal",
        "year": 2012,
        "volume": "25",
        "pages": "11–18",
        "abstract": "One line: with a colon",
        "fulltext": "## 1. Introduction\n\nText.\n\n## 2. More",
        "extra": {"%Y": "kept", "%8": "2012"},
        "sources": [{"file": "refs.enw", "format": "refer", "record": 1}],
    }
    text = _emit_document(meta)
    assert text == _pyyaml(meta) == dump_yaml(meta)
    assert read_rendered(render_page(meta, "notes\n")) == (meta, "notes\n")


def test_odd_values_still_written_by_pyyaml() -> None:
    import datetime

    meta = {"title": "x", "added": datetime.date(2024, 1, 5), "tags": [["nested"]], "rating": 4.5, "ok": True}
    assert dump_yaml(meta) == _pyyaml(meta)
    assert read_rendered(render_page(meta, "")) is None
