"""The field table covers the Record and the page layout, and nothing is listed twice."""

from __future__ import annotations

import dataclasses

from litweave.fields import FIELDS, PAGE_ORDER, READER_KEYS
from litweave.frontmatter import PAPER_KEYS
from litweave.model import Record


def test_every_record_attribute_but_source_has_one_field() -> None:
    # references are kept beside the page (references.py); the page holds their count
    attrs = [f.name for f in dataclasses.fields(Record) if f.name not in ("source", "references")]
    assert [f.attr for f in FIELDS] == attrs


def test_page_order_holds_every_key_once() -> None:
    # + references (their count) and sources
    assert len(set(PAGE_ORDER)) == len(PAGE_ORDER) == len(FIELDS) + len(READER_KEYS) + 2
    assert {f.key for f in FIELDS} <= set(PAGE_ORDER)
    assert PAPER_KEYS == PAGE_ORDER
