"""Front matter: the YAML head of a content file, read and written, and records turned into it.

Pure (text in, text out): the build's stage 1 and the import's page writer share it. Pages are
dumped with keys in a fixed order and values in one style, so the same record always gives the
same bytes and a re-import of an unchanged file changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify
from yaml.resolver import Resolver

from litweave.authors import format_name, parse_name
from litweave.fields import FIELDS, PAGE_ORDER, TEXT_FIELDS, TEXT_KEYS
from litweave.model import Diagnostic, Page, PageKind, Person, Record, Source

try:  # the C loader and dumper are an order of magnitude faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

PAPER_KEYS = PAGE_ORDER
"""Front-matter key order of a paper page (kept under this name for its readers)."""

_SLUG_STOPWORDS = ["a", "an", "the", "of", "in", "on", "and", "for", "to", "with", "by", "at", "from"]


class FrontMatterError(Exception):
    """Front matter that does not parse; carries the 1-based line in the file."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split "---\\nYAML\\n---\\nbody" into (mapping, body). No front matter gives ({}, text)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return {}, text
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return {}, text
    end = text.find("\n---", first_nl)
    while end >= 0:
        after = text.find("\n", end + 1)
        line = text[end + 1 : after if after >= 0 else len(text)]
        if line.strip() == "---":
            break
        end = text.find("\n---", end + 1)
    if end < 0:
        raise FrontMatterError("front matter opened with '---' is never closed", 1)
    source = text[first_nl + 1 : end + 1]
    body_start = text.find("\n", end + 1)
    body = "" if body_start < 0 else text[body_start + 1 :]
    try:
        data = yaml.load(source, Loader=_Loader) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for the "---" line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(f"front matter is not valid YAML: {problem}", at) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values", 2)
    return data, body.lstrip("\n")


def parse_page(text: str, path: Path, kind: PageKind) -> tuple[Page | None, list[Diagnostic]]:
    """Stage 1 for one file: front matter and body, or a diagnostic naming the file and line."""
    try:
        meta, body = split_front_matter(text)
    except FrontMatterError as exc:
        return None, [Diagnostic("error", str(exc), file=path.as_posix(), line=exc.line)]
    return Page(kind=kind, slug=path.stem, meta=meta, body=body, path=path), []


# ---------------------------------------------------------------------------------------------
# Writing


class _PageDumper(_Dumper):  # type: ignore[misc, valid-type]
    """Multi-line strings as literal blocks, so abstracts and notes stay readable when edited."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _OTHER_BREAKS.search(value):
        # written raw, YAML would break the line there and no other reader would: escaped, the
        # file's lines are YAML's lines, which `patch_front_matter` relies on
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")
"""What YAML 1.1 takes for a line break besides LF."""


_PageDumper.add_representer(str, _represent_str)


def _pyyaml(data: object, *, flow: bool | None) -> str:
    """`data` as PyYAML writes it in page style: keys in the given order, Unicode kept, no line
    folding. Every YAML this module writes that it does not emit itself comes from here.

    Without the `...` PyYAML puts after a document whose last value keeps its final line breaks
    (`|+`, `|2+`): in a page the closing `---` ends that value as well, and in a file of fields
    written one after the other (`dump_fields`, a merge base) a `...` ends the document, so that
    the next field would start a second one and the file could not be read.
    """
    text: str = yaml.dump(
        data, Dumper=_PageDumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=flow
    )
    return text[: -len("...\n")] if text.endswith("\n...\n") else text


def dump_yaml(meta: dict[str, Any]) -> str:
    """YAML in a stable style: keys in the given order, Unicode kept, no line folding.

    The usual page shapes are written directly, in the very bytes PyYAML would give; anything
    else goes through PyYAML.
    """
    try:
        return _emit_document(meta)
    except _Unusual:
        pass
    return _pyyaml(meta, flow=None)


class _Unusual(Exception):
    """A value outside the shapes `_emit_document` writes itself; PyYAML writes the page instead."""


# What libyaml writes as is: LF, printable ASCII, and the printable BMP outside surrogates and the
# BOM. Anything else (tab, CR, NEL, U+2028/9, astral characters) makes it double-quote, with escapes.
_NOT_AS_IS = re.compile("[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
# Starts where libyaml's choice between plain and quoted depends on what follows: left to PyYAML.
_UNSURE_START = re.compile(r"[-?:]|---|\.\.\.")
# Indicators that forbid a plain scalar in block context (a key or a value of the page mapping).
_NOT_PLAIN_BLOCK = re.compile(r"^[ ,\[\]{}#&*!|>'\"%@`]|: |:$| #| $")
# Inside [..] or {..} any flow indicator or colon forbids a plain scalar as well.
_NOT_PLAIN_FLOW = re.compile(r"^[ #&*!|>'\"%@`]|[,?\[\]{}:]| #| $")
_RESOLVERS = Resolver.yaml_implicit_resolvers
_STR_TAG = "tag:yaml.org,2002:str"
_MAX_FAST = 900_000
"""Longer documents could reach the emitter's line width: PyYAML folds them itself."""


def _reads_as_text(value: str) -> bool:
    """True when a plain `value` loads back as a string, not a number, date, boolean or null."""
    for _tag, pattern in _RESOLVERS.get(value[0], ()):
        if pattern.match(value):
            return False
    return True


def _scalar_text(value: object, flow: bool) -> str:
    """One scalar on one line, styled as libyaml styles it: plain where it may, else single-quoted."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is not str:
        raise _Unusual
    text: str = value  # type: ignore[assignment]
    if not text:
        return "''"
    if "\n" in text or _NOT_AS_IS.search(text) or _UNSURE_START.match(text):
        raise _Unusual
    blocked = (_NOT_PLAIN_FLOW if flow else _NOT_PLAIN_BLOCK).search(text)
    if blocked is None and _reads_as_text(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _key_text(key: object, flow: bool) -> str:
    """A mapping key: a scalar that must also be short enough for libyaml's simple-key form."""
    if type(key) is not str or len(key.encode("utf-8")) > 120:  # type: ignore[union-attr]
        raise _Unusual
    return _scalar_text(key, flow)


def _literal(text: str) -> str:
    """A multi-line value as a `|` block, indented two spaces, as libyaml writes it."""
    if _NOT_AS_IS.search(text) or text.endswith(" ") or " \n" in text or text[0] in " \n" or text.endswith("\n\n"):
        raise _Unusual  # double-quoted, indentation or keep-chomping hints: PyYAML's business
    head = "|"
    if text.endswith("\n"):
        text = text[:-1]
    else:
        head = "|-"
    lines = ["  " + line if line else "" for line in text.split("\n")]
    return head + "\n" + "\n".join(lines) + "\n"


def _flow_items(value: object) -> bool:
    """True when PyYAML writes this list or mapping in flow style: only one-line scalars inside."""
    items: Iterable[object] = value if isinstance(value, list) else value.values() if isinstance(value, dict) else ()
    return all(type(v) is int or (type(v) is str and "\n" not in v) for v in items)  # type: ignore[operator]


def _flow(value: object, seen: set[int]) -> str:
    """A list or mapping of one-line scalars as `[a, b]` or `{k: v}`."""
    if id(value) in seen:
        raise _Unusual  # the same object twice: PyYAML writes an anchor and an alias
    seen.add(id(value))
    if type(value) is list:
        return "[" + ", ".join(_scalar_text(v, True) for v in value) + "]"
    if type(value) is dict:
        return "{" + ", ".join(f"{_key_text(k, True)}: {_scalar_text(v, True)}" for k, v in value.items()) + "}"
    raise _Unusual


def _block_item(value: object, seen: set[int]) -> str:
    """One `- item` line of a block sequence."""
    if type(value) is dict and _flow_items(value):
        return "- " + _flow(value, seen) + "\n"
    if type(value) in (str, int) and not (type(value) is str and "\n" in value):  # type: ignore[operator]
        return "- " + _scalar_text(value, False) + "\n"
    raise _Unusual


def _value(value: object, seen: set[int]) -> str:
    """What follows `key:` for one value of the page mapping, line break included."""
    kind = type(value)
    if kind is str and "\n" in value:  # type: ignore[operator]
        return " " + _literal(value)  # type: ignore[arg-type]
    if kind is str or kind is int:
        return " " + _scalar_text(value, False) + "\n"
    if kind is not list and kind is not dict:
        raise _Unusual
    if _flow_items(value):
        return " " + _flow(value, seen) + "\n"
    if kind is dict:
        raise _Unusual
    if id(value) in seen:
        raise _Unusual
    seen.add(id(value))
    assert isinstance(value, list)
    return "\n" + "".join(_block_item(item, seen) for item in value)


def _emit_document(meta: dict[str, Any]) -> str:
    """The page mapping as libyaml writes it with the page dumper's settings, for the usual shapes.

    Raises _Unusual for anything else. Why not PyYAML every time: its representer is pure Python
    and costs most of an import; these few shapes cover every page an import writes.
    """
    if type(meta) is not dict or _flow_items(meta):
        raise _Unusual  # an all-scalar page would be one flow mapping: rare, left to PyYAML
    seen: set[int] = set()
    text = "".join(_key_text(key, False) + ":" + _value(value, seen) for key, value in meta.items())
    if len(text) > _MAX_FAST:
        raise _Unusual
    return text


def render_page(meta: dict[str, Any], body: str) -> str:
    """A page file: front matter between '---' lines, a blank line, then the body."""
    text = "---\n" + dump_yaml(meta) + "---\n"
    if body.strip():
        text += "\n" + body.rstrip("\n") + "\n"
    return text


def _field_value(value: object) -> str:
    """What follows `key:` for one field, line break included, in the style pages are written in."""
    try:
        return _value(value, set())
    except _Unusual:
        pass
    text = _pyyaml({"k": value}, flow=None if isinstance(value, (list, dict)) else False)
    if not text.startswith("k:"):  # pragma: no cover - a top-level flow mapping
        raise _Unusual
    return text[2:]


def dump_fields(meta: dict[str, Any]) -> str:
    """The mapping as block YAML, one field after the other in page style, even when every value
    is a scalar (where `dump_yaml` would write one `{...}` line, as PyYAML does)."""
    try:
        return "".join(_key_text(key, False) + ":" + _field_value(value) for key, value in meta.items())
    except _Unusual:
        return _pyyaml(meta, flow=False)


def _front_matter_span(text: str) -> tuple[int, int] | None:
    """(start, end) offsets of the YAML between the '---' lines, or None when there is none."""
    start = 1 if text.startswith("\ufeff") else 0
    if not text.startswith("---\n", start):
        return None
    end = text.find("\n---", start + 3)
    while end >= 0:
        after = text.find("\n", end + 1)
        if text[end + 1 : after if after >= 0 else len(text)].strip() == "---":
            return start + 4, end + 1
        end = text.find("\n---", end + 1)
    return None


def _field_spans(head: str) -> dict[str, tuple[int, int, int, int, int]] | None:
    """Per top-level key: (first line, last line, key end column, value start column if the value
    is on the key's line and ends there else -1, value end column). Trailing blank and comment
    lines are not part of a field: they stay where the reader put them."""
    if _OTHER_BREAKS.search(head):
        return None  # YAML counts lines the LF split below does not see: its marks would not match
    try:
        root = yaml.compose(head, Loader=_Loader) if head.strip() else None
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    lines = head.split("\n")
    spans: dict[str, tuple[int, int, int, int, int]] = {}
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode) or key.value in spans:
            return None  # a complex or repeated key: render the page whole
        first, end = key.start_mark.line, value.end_mark
        last = end.line if end.column > 0 else end.line - 1
        while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
            last -= 1
        inline = value.start_mark.line == first == last and end.line == first and end.column > value.start_mark.column
        spans[key.value] = (first, last, key.end_mark.column, value.start_mark.column if inline else -1, end.column)
    return spans


def patch_front_matter(text: str, old: dict[str, Any], new: dict[str, Any], imported: Iterable[str] = ()) -> str | None:
    """`text` with its front matter turned from `old` into `new` by rewriting only the lines of
    the fields that differ: the reader's comments, key order, quoting and styles stay byte for
    byte, and so does the body. A changed one-line value is replaced in place (a comment after it
    stays); new keys go after the last of the `imported` keys on the page, before whatever the
    reader wrote after them. None when the page's layout is one this cannot follow safely (the
    result is checked by parsing it again).
    """
    span = _front_matter_span(text)
    if span is None:
        return None
    head = text[span[0] : span[1]]
    spans = _field_spans(head)
    if spans is None or set(spans) != set(old):
        return None
    lines = head.split("\n")
    out: dict[int, list[str]] = {}  # first line of a field -> its new lines (the rest dropped)
    dropped: set[int] = set()
    try:
        for key, (first, last, key_end, value_start, value_end) in spans.items():
            if key not in new:
                out[first] = []
            elif type(new[key]) is not type(old[key]) or new[key] != old[key]:
                rendered = _field_value(new[key])
                line = lines[first]
                if value_start >= 0 and rendered.startswith(" ") and rendered.count("\n") == 1 and rendered[1] != "|":
                    out[first] = [line[:value_start] + rendered[1:-1] + line[value_end:]]
                else:
                    out[first] = (line[:key_end] + ":" + rendered).split("\n")[:-1]
            else:
                continue
            dropped.update(range(first + 1, last + 1))
        added = [_key_text(k, False) + ":" + _field_value(v) for k, v in new.items() if k not in old]
    except _Unusual:
        return None
    anchors = [spans[k][1] for k in imported if k in spans]
    insert_after = max(anchors) if anchors else max((s[1] for s in spans.values()), default=-1)
    result: list[str] = []
    for number, line in enumerate(lines[:-1]):  # the head ends with a line break: last item is ""
        if number in out:
            result.extend(out[number])
        elif number not in dropped:
            result.append(line)
        if number == insert_after:
            result.extend("".join(added).split("\n")[:-1])
    if insert_after < 0:
        result.extend("".join(added).split("\n")[:-1])
    patched = text[: span[0]] + "".join(line + "\n" for line in result) + text[span[1] :]
    try:
        meta, _body = split_front_matter(patched)
    except FrontMatterError:
        return None
    return patched if meta == new else None


def order_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Known keys in PAPER_KEYS order, then any keys the reader added, in their own order."""
    ordered = {k: meta[k] for k in PAPER_KEYS if k in meta}
    ordered.update((k, v) for k, v in meta.items() if k not in ordered)
    return ordered


# ---------------------------------------------------------------------------------------------
# Reading back what render_page wrote, without PyYAML


_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")


def _token(line: str, start: int, stop: str) -> tuple[str, int]:
    """The scalar at `start`: a single-quoted one whole, a plain one up to `stop` or the end."""
    if line.startswith("'", start):
        end = start + 1
        while True:
            end = line.find("'", end)
            if end < 0:
                raise _Unusual
            if line.startswith("''", end):
                end += 2
                continue
            return line[start : end + 1], end + 1
    end = line.find(stop, start)
    end = len(line) if end < 0 else end
    return line[start:end], end


def _read_scalar(token: str) -> object:
    """A scalar token as the safe loader reads it, for the styles `_scalar_text` writes."""
    if len(token) >= 2 and token[0] == "'" and token[-1] == "'":
        return token[1:-1].replace("''", "'")
    if not token or token[0] == "'":
        raise _Unusual
    if _reads_as_text(token):
        return token
    if _PLAIN_INT.match(token):
        return int(token)
    raise _Unusual  # a float, date, boolean or null: the loader knows best


def _read_flow(text: str) -> object:
    """`[a, b]` or `{k: v, …}` of scalars."""
    inner, pairs = text[1:-1], text[0] == "{"
    if text[-1] != ("}" if pairs else "]"):
        raise _Unusual
    items: list[object] = []
    mapping: dict[str, object] = {}
    at = 0
    while at < len(inner):
        if pairs:
            key, at = _token(inner, at, ": ")
            if not inner.startswith(": ", at):
                raise _Unusual
            value, at = _token(inner, at + 2, ", ")
            mapping[str(_read_scalar(key))] = _read_scalar(value)
        else:
            value, at = _token(inner, at, ", ")
            items.append(_read_scalar(value))
        if at < len(inner):
            if not inner.startswith(", ", at):
                raise _Unusual
            at += 2
    return mapping if pairs else items


def _read_value(text: str) -> object:
    """A one-line value: a flow collection or a scalar."""
    if text[:1] in ("[", "{"):
        return _read_flow(text)
    return _read_scalar(text)


def _read_mapping(lines: list[str]) -> dict[str, Any]:
    """The page mapping from the lines `_emit_document` writes."""
    meta: dict[str, Any] = {}
    at = 0
    while at < len(lines):
        line = lines[at]
        key, end = _token(line, 0, ": ")
        if end == len(line) and key.endswith(":"):  # the value is the block below
            key, rest = key[:-1], ""
        elif line.startswith(": ", end):
            rest = line[end + 2 :]
        else:
            raise _Unusual
        at += 1
        if rest in ("|", "|-"):
            block: list[str] = []
            while at < len(lines) and (not lines[at] or lines[at].startswith("  ")):
                block.append(lines[at][2:])
                at += 1
            value: object = "\n".join(block) + ("\n" if rest == "|" else "")
        elif rest:
            value = _read_value(rest)
        else:
            items = []
            while at < len(lines) and lines[at].startswith("- "):
                items.append(_read_value(lines[at][2:]))
                at += 1
            if not items:
                raise _Unusual
            value = items
        meta[str(_read_scalar(key))] = value
    return meta


def read_rendered(text: str) -> tuple[dict[str, Any], str] | None:
    """(front matter, body) of a page exactly as `render_page` writes it, else None.

    The same result as `split_front_matter` (the caller falls back to it on None) at a fraction
    of the cost, which is what a re-import of a large knowledge base spends its time on. Sound
    because the mapping read is accepted only when writing it again gives the very same text,
    and what `_emit_document` writes, the YAML loader reads back as the same mapping.
    """
    if not text.startswith("---\n"):
        return None
    close = text.find("\n---", 3)
    if close < 4:
        return None
    after = text.find("\n", close + 1)
    if text[close + 1 : after if after >= 0 else len(text)] != "---":
        return None
    head = text[4 : close + 1]
    try:
        meta = _read_mapping(head[:-1].split("\n"))
        if _emit_document(meta) != head:
            return None
    except _Unusual:
        return None
    body = "" if after < 0 else text[after + 1 :]
    return meta, body.lstrip("\n")


# ---------------------------------------------------------------------------------------------
# Records ⇄ front matter


def source_meta(source: Source) -> dict[str, Any]:
    """Provenance of one record as written under `sources`."""
    return {"file": source.file, "format": source.format, "record": source.record}


def record_to_meta(record: Record) -> dict[str, Any]:
    """Front matter for a record: human-friendly keys, empty values left out."""
    meta: dict[str, Any] = {}
    for f in FIELDS:
        value = getattr(record, f.attr)
        if f.kind == "people":
            value = [format_name(p) for p in value]
        elif f.kind == "list":
            value = list(value)
        elif f.kind == "map":
            value = dict(sorted(value.items()))
        elif f.attr == "date" and value == str(record.year):
            value = ""  # a date that is only the year says nothing `year` does not
        if value not in ("", None, [], {}):
            meta[f.key] = value
    if record.references:  # the list itself is kept beside the page (references.py)
        meta["references"] = len(record.references)
    if record.source:
        meta["sources"] = [source_meta(record.source)]
    return meta


_TEXT_KEYS = TEXT_KEYS
_PEOPLE_KEYS = tuple(f.key for f in FIELDS if f.kind == "people")


def _scalar(value: object) -> str | None:
    """Text of a scalar; None for what is not one (a mapping, a boolean)."""
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, dict):
        return None
    if isinstance(value, list):
        parts = [_scalar(v) for v in value]
        return None if any(p is None for p in parts) else "; ".join(p for p in parts if p)
    return str(value).strip()


def _text(meta: dict[str, Any], key: str) -> str:
    return _scalar(meta.get(key)) or ""


def _person(value: object) -> Person | None:
    if isinstance(value, dict):  # CSL-style {family, given} or {literal}
        known = {k: str(value.get(k) or "").strip() for k in ("family", "given", "suffix", "literal")}
        person = Person(**known)
        return person if any(known.values()) else None
    text = _scalar(value)
    return parse_name(text) if text else None


# Between names in one hand-written string: " and " (BibTeX's way) or ";" (a list typed on a line).
_NAME_SEPARATOR = re.compile(r"\s+and\s+|\s*;\s*")


def _name_items(value: object) -> list[object]:
    """The names of a people key; one string holding several ("I Gout and R Dhand") is split."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and _NAME_SEPARATOR.search(value):
        return [part for part in _NAME_SEPARATOR.split(value) if part.strip()]
    return [value] if value is not None else []


def _names(meta: dict[str, Any], key: str) -> list[Person]:
    return [p for p in (_person(v) for v in _name_items(meta.get(key))) if p is not None]


def _year(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() else None


def paper_meta_problems(meta: dict[str, Any]) -> list[str]:
    """What in a paper's front matter has the wrong shape; the page is still read as well as it can be."""
    problems = []
    for key in _TEXT_KEYS:
        value = meta.get(key)
        if value is not None and (_scalar(value) is None or isinstance(value, list)):
            problems.append(f"{key}: expected text, found {type(value).__name__}")
    for key in _PEOPLE_KEYS:
        value = meta.get(key)
        items = _name_items(value)
        if value is not None and not isinstance(value, (list, str)) or any(_person(v) is None for v in items):
            problems.append(f'{key}: expected a list of names like "Given Family" or "Family, Given"')
        elif isinstance(value, str) and len(items) > 1:
            problems.append(
                f"{key}: one line holding {len(items)} names, read as {'; '.join(map(str, items))}"
                " (write them as a list, one name per line, to silence this notice)"
            )
    unparsed = meta.get("unparsed")
    if isinstance(unparsed, dict) and unparsed:
        tags = ", ".join(sorted(map(str, unparsed)))
        problems.append(f"unparsed: values kept as imported for {tags}; correct them in their fields")
    if meta.get("year") is not None and _year(meta.get("year")) is None:
        problems.append(f"year: expected a number, found {meta.get('year')!r}")
    sources = meta.get("sources")
    if sources is not None and not (isinstance(sources, list) and all(isinstance(s, dict) for s in sources)):
        problems.append("sources: expected a list of {file, format, record}")
    for key in ("keywords", "tags", "mechanisms", "not_mechanisms"):
        value = meta.get(key)
        if value is not None and not isinstance(value, (list, str)):
            problems.append(f"{key}: expected a list")
    return problems


def _source(meta: dict[str, Any]) -> Source | None:
    sources = meta.get("sources")
    first = sources[0] if isinstance(sources, list) and sources and isinstance(sources[0], dict) else None
    if first is None:
        return None
    record = str(first.get("record", "")).strip()
    return Source(str(first.get("file", "")), str(first.get("format", "")), int(record) if record.isdigit() else 0)


def record_from_meta(meta: dict[str, Any]) -> Record:
    """The record a paper page describes (what export and identity work from); values of the
    wrong shape are read as well as they can be (`paper_meta_problems` names them)."""
    year = _year(meta.get("year"))
    keywords = meta.get("keywords")
    extra = meta.get("extra")
    texts = {f.attr: _text(meta, f.key) for f in TEXT_FIELDS}
    texts["type"] = texts["type"] or "article-journal"
    texts["date"] = texts["date"] or (str(year) if year is not None else "")
    unparsed = meta.get("unparsed")
    people: dict[str, Any] = {f.attr: _names(meta, f.key) for f in FIELDS if f.kind == "people"}
    return Record(
        **texts,  # type: ignore[arg-type]  # every text field of Record, by name
        **people,
        year=year,
        keywords=[t for t in (_scalar(k) for k in keywords) if t]
        if isinstance(keywords, list)
        else [k.strip() for k in keywords.split(";") if k.strip()]
        if isinstance(keywords, str)
        else [],
        extra={str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {},
        unparsed={str(k): str(v) for k, v in unparsed.items()} if isinstance(unparsed, dict) else {},
        source=_source(meta),
    )


def paper_slug(record: Record, taken: Iterable[str] = ()) -> str:
    """Readable, stable and unique: first author's family name, year, first title words."""
    first = record.authors[0] if record.authors else None
    who = (first.literal or first.family) if first else ""
    # a placeholder title ("[Untitled] Nature, 2012, Smith") already names the year and author
    words = record.title if record.title.startswith("[Untitled]") else f"{who} {record.year or ''} {record.title}"
    base = (
        slugify(
            words,
            max_length=60,
            word_boundary=True,
            stopwords=_SLUG_STOPWORDS,
        )
        or "untitled"
    )
    # A set is used as it is: the import passes one that grows with every page it names.
    used = taken if isinstance(taken, (set, frozenset)) else set(taken)
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug


def as_list(value: object) -> list[str]:
    """A reader's list field ("tags: [a, b]", "tags: a", absent) as strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]
