"""The merge bases: for every imported page, the values the last import wrote to it, kept in
`content/.base/papers/<slug>.yaml` so that a re-import can merge three ways (`merge.py`).

I/O edge. The folder lives with the content so that it is committed with it and survives a
fresh clone; it is a dot-folder of `.yaml` files, which the build's content scan never reads.
Each file is small, its keys in page order, so a re-import that corrects one field changes one
line of it. A base that is missing, from another version, for another page, or unreadable is
reported and ignored: the import then merges two ways as it did before bases were kept (the
page's values win), which can miss a correction but never loses an edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from litweave.atomic import write_text
from litweave.frontmatter import dump_fields, order_meta, read_rendered

BASE_DIR = ".base"
"""Folder under content/ that holds the bases, one sub-folder per kind of page."""
_VERSION = 1


@dataclass(frozen=True, slots=True)
class LoadedBase:
    """A base as read: its values, or why it cannot be used."""

    values: dict[str, Any] | None
    """None when there is no usable base."""
    problem: str = ""
    """Why the base was set aside ("" when it is missing or fine)."""
    text: str | None = None
    """The file's text as read (None when missing): a base is rewritten only when it changes."""


def base_path(content: Path, slug: str) -> Path:
    return content / BASE_DIR / "papers" / f"{slug}.yaml"


def _header(slug: str) -> str:
    return (
        f"# litweave merge base {_VERSION} for papers/{slug}.md: the values the last import wrote.\n"
        "# Written by `litweave import`; commit it with the page, do not edit it.\n"
    )


def render_base(slug: str, values: dict[str, Any]) -> str:
    """The file's text: a header naming the page, then the values in page style."""
    return _header(slug) + (dump_fields(order_meta(values)) if values else "{}\n")


def _plain(value: object) -> bool:
    """Only what an import writes: text, integers, and lists and mappings of them."""
    kind = type(value)
    if kind is str or kind is int:
        return True
    if kind is list:
        return all(_plain(v) for v in value)  # type: ignore[attr-defined]
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())  # type: ignore[attr-defined]
    return False


def parse_base(slug: str, text: str) -> LoadedBase:
    """A base file's values, checked: the header must name this page and this version, and the
    values must be plain text, numbers, lists and mappings (safe loading: no tag is honoured)."""
    header = _header(slug)
    if not text.startswith(header):
        return LoadedBase(None, "its header names another page or another version of the format", text)
    body = text[len(header) :]
    quick = read_rendered("---\n" + body + "---\n") if body != "{}\n" else ({}, "")
    if quick is not None:
        values: object = quick[0]
    else:
        try:
            values = yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            return LoadedBase(None, f"it is not valid YAML ({getattr(exc, 'problem', None) or exc})", text)
    if type(values) is not dict or not _plain(values):
        return LoadedBase(None, "it does not hold a mapping of plain values", text)
    return LoadedBase(values, "", text)


def load_base(content: Path, slug: str) -> LoadedBase:
    """The base of one page as found on disk."""
    try:
        data = base_path(content, slug).read_bytes()
    except FileNotFoundError:
        return LoadedBase(None)
    except OSError as exc:
        return LoadedBase(None, f"it cannot be read ({exc.strerror})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return LoadedBase(None, "it is not UTF-8 text")
    return parse_base(slug, text)


def save_base(content: Path, slug: str, values: dict[str, Any], old_text: str | None) -> bool:
    """Write a page's base atomically when its text changes; True when written."""
    text = render_base(slug, values)
    if text == old_text:
        return False
    write_text(base_path(content, slug), text)
    return True
