"""The merge bases: for every imported page, what each source last gave it and what the imports
wrote to it, kept in `content/.base/papers/<slug>.yaml` so that a re-import can merge each field
against the base of the very source it comes from (`merge.py`).

I/O edge. The folder lives with the content so that it is committed with it and survives a
fresh clone; it is a dot-folder of `.yaml` files, which the build's content scan never reads.

A file is a header, then one section per source, then (only when it differs from the first
source's values) what the imports wrote to the page:

    # litweave merge base 2 for papers/<slug>.md: ...
    --- source: {"format": "medline", "file": "pubmed.nbib", "record": 1, "id": "pmid:20301770"}
    title: Feingold Syndrome 1.
    --- source: {"format": "bibtex", "file": "zotero.bib", "record": 4, "id": "key:marcelis_feingold_1993"}
    title: Feingold Syndrome 1
    --- written, where it differs from the first source
    citekey: marcelis_feingold_1993

Each section is page-style YAML, one line per field in page order, so a source that corrects
one field changes one line. Version 1 files (one set of values: what the last import wrote) are
read as the page's `written` values with no source of their own; the import gives them to the
source that matches them (`import_.py`). A base that is missing, from an unknown version, for
another page or unreadable is reported and ignored: the import then counts everything on the
page as written by imports and lets sources only fill empty fields, which can miss a correction
but never loses an edit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from litweave.atomic import write_text
from litweave.frontmatter import dump_fields, order_meta, read_rendered

BASE_DIR = ".base"
"""Folder under content/ that holds the bases, one sub-folder per kind of page."""
_VERSION = 2
_SOURCE = "--- source: "
_WRITTEN = "--- written\n"
_WRITTEN_DIFF = "--- written, where it differs from the first source\n"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Which source a base section belongs to: a file of one format, and the record in it."""

    format: str
    """Importer name: refer, ris, bibtex, medline, csljson."""
    file: str
    """File name as imported (its base name)."""
    id: str
    """The record's own identity in that file: `key:<citekey>`, `pmid:…`, `doi:…`, or for a
    record with none of them `sha:<digest of its fields>` (`identity.source_id`)."""
    record: int = 0
    """Its position in the file when last imported (for a record whose fields and so whose
    digest changed); 0 when unknown."""

    def as_meta(self) -> dict[str, Any]:
        return {"format": self.format, "file": self.file, "record": self.record, "id": self.id}


@dataclass(slots=True)
class SourceBase:
    """What one source last gave a page."""

    ref: SourceRef
    values: dict[str, Any]


@dataclass(slots=True)
class PageBase:
    """A page's merge state: what each source gave, and what the imports wrote."""

    written: dict[str, Any] = field(default_factory=dict)
    """The imported fields as the imports last left them on the page; a page value that differs
    is the reader's edit."""
    sources: list[SourceBase] = field(default_factory=list)
    legacy: bool = False
    """Read from a version 1 file: `written` is known, but not which source gave it."""


@dataclass(frozen=True, slots=True)
class LoadedBase:
    """A base as read: its values, or why it cannot be used."""

    base: PageBase | None
    """None when there is no usable base."""
    problem: str = ""
    """Why the base was set aside ("" when it is missing or fine)."""
    text: str | None = None
    """The file's text as read (None when missing): a base is rewritten only when it changes."""


def base_path(content: Path, slug: str) -> Path:
    return content / BASE_DIR / "papers" / f"{slug}.yaml"


def _header(slug: str, version: int = _VERSION) -> str:
    if version == 1:
        return (
            f"# litweave merge base 1 for papers/{slug}.md: the values the last import wrote.\n"
            "# Written by `litweave import`; commit it with the page, do not edit it.\n"
        )
    return (
        f"# litweave merge base {version} for papers/{slug}.md: what each source last gave the page,\n"
        "# then what the imports wrote to it when that differs. Written by `litweave import`;\n"
        "# commit it with the page, do not edit it.\n"
    )


def _values_text(values: dict[str, Any]) -> str:
    return dump_fields(order_meta(values)) if values else "{}\n"


def render_base(slug: str, base: PageBase) -> str:
    """The file's text: the header naming the page, each source's section, then `written`."""
    parts = [_header(slug)]
    for entry in base.sources:
        # JSON, which YAML reads too, keeps it one line whatever a file name holds
        parts.append(_SOURCE + json.dumps(entry.ref.as_meta(), ensure_ascii=False) + "\n")
        parts.append(_values_text(entry.values))
    if not base.sources:
        parts += [_WRITTEN, _values_text(base.written)]
    else:
        first = base.sources[0].values
        differs: dict[str, Any] = {k: v for k, v in base.written.items() if not _same(first.get(k, _NONE), v)}
        differs.update((k, None) for k in first if k not in base.written)  # null: not written there
        if differs:
            parts += [_WRITTEN_DIFF, _values_text(differs)]
    return "".join(parts)


_NONE = object()


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


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


class _Unreadable(Exception):
    """A section that is not what `render_base` writes."""


def _parse_values(body: str, nulls: bool = False) -> dict[str, Any]:
    """One section's mapping: the fast page reader first, PyYAML's safe loader (no tag is
    honoured) when the fast reader does not recognise the text. `nulls`: top-level nulls allowed
    (the written section's "not written here")."""
    if body == "{}\n":
        return {}
    quick = read_rendered("---\n" + body + "---\n")
    if quick is not None:
        values: object = quick[0]
    else:
        try:
            values = yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise _Unreadable(f"it is not valid YAML ({getattr(exc, 'problem', None) or exc})") from exc
    if type(values) is not dict or not all(
        type(k) is str and (_plain(v) or (nulls and v is None))
        for k, v in values.items()  # type: ignore[attr-defined]
    ):
        raise _Unreadable("it does not hold a mapping of plain values")
    return values  # type: ignore[return-value]


def _parse_ref(line: str) -> SourceRef:
    try:
        ref = json.loads(line[len(_SOURCE) :])
    except ValueError as exc:
        raise _Unreadable("a source line is not what litweave writes") from exc
    if (
        type(ref) is not dict
        or not all(type(ref.get(k)) is str for k in ("format", "file", "id"))
        or type(ref.get("record", 0)) is not int
    ):
        raise _Unreadable("a source line does not name a format, file and id")
    return SourceRef(ref["format"], ref["file"], ref["id"], ref.get("record", 0))


def _sections(body: str) -> list[tuple[str, str]]:
    """(marker line, text below it) for every section, in file order."""
    sections: list[tuple[str, list[str]]] = []
    # lines are split at "\n" only: str.splitlines also breaks at U+2028, U+0085 and others,
    # which a value or a file name may hold
    for line in body.split("\n")[:-1] if body.endswith("\n") else body.split("\n"):
        line += "\n"
        if line.startswith(_SOURCE) or line in (_WRITTEN, _WRITTEN_DIFF):
            sections.append((line, []))
        elif not sections:
            raise _Unreadable("it holds values outside any section")
        else:
            sections[-1][1].append(line)
    return [(marker, "".join(lines)) for marker, lines in sections]


def parse_base(slug: str, text: str) -> LoadedBase:
    """A base file's contents, checked: the header must name this page and a known version, and
    the values must be plain text, numbers, lists and mappings."""
    if text.startswith(_header(slug, 1)):
        try:
            return LoadedBase(PageBase(_parse_values(text[len(_header(slug, 1)) :]), [], legacy=True), "", text)
        except _Unreadable as exc:
            return LoadedBase(None, str(exc), text)
    header = _header(slug)
    if not text.startswith(header):
        return LoadedBase(None, "its header names another page or another version of the format", text)
    base = PageBase()
    written: dict[str, Any] | None = None
    differs: dict[str, Any] = {}
    try:
        for marker, body in _sections(text[len(header) :]):
            if marker == _WRITTEN:
                written = _parse_values(body)
            elif marker == _WRITTEN_DIFF:
                differs = _parse_values(body, nulls=True)
            else:
                base.sources.append(SourceBase(_parse_ref(marker.rstrip("\n")), _parse_values(body)))
    except _Unreadable as exc:
        return LoadedBase(None, str(exc), text)
    if written is None:
        if not base.sources:
            return LoadedBase(None, "it names no source", text)
        written = {**base.sources[0].values, **differs}
        written = {k: v for k, v in written.items() if v is not None}
    base.written = written
    return LoadedBase(base, "", text)


def load_base(content: Path, slug: str, likely: tuple[PageBase, str] | None = None) -> LoadedBase:
    """The base of one page as found on disk. `likely`: a base and its text (`render_base`) the
    file probably holds; when the file is that very text it is not parsed at all, which is what
    a re-import of an unchanged source meets on every page."""
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
    if likely is not None and text == likely[1]:
        return LoadedBase(likely[0], "", text)
    return parse_base(slug, text)


def save_base(content: Path, slug: str, text: str, old_text: str | None) -> bool:
    """Write a page's base (`render_base`) atomically when its text changes; True when written."""
    if text == old_text:
        return False
    write_text(base_path(content, slug), text)
    return True
