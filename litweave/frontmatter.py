"""Front matter: the YAML head of a content file, read and written, and records turned into it.

Pure (text in, text out): the build's stage 1 and the import's page writer share it. Pages are
dumped with keys in a fixed order and values in one style, so the same record always gives the
same bytes and a re-import of an unchanged file changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from litweave.authors import format_name, parse_name
from litweave.model import Diagnostic, Page, PageKind, Person, Record, Source

try:  # the C loader and dumper are an order of magnitude faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

# Front-matter key order of a paper page: what a reader looks at first comes first.
PAPER_KEYS = (
    "title",
    "authors",
    "editors",
    "type",
    "journal",
    "year",
    "date",
    "volume",
    "issue",
    "pages",
    "edition",
    "publisher",
    "place",
    "doi",
    "pmid",
    "isbn",
    "issn",
    "url",
    "language",
    "keywords",
    "mechanisms",
    "not_mechanisms",
    "status",
    "rating",
    "tags",
    "added",
    "note",
    "abstract",
    "fulltext",
    "extra",
    "sources",
)

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
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_PageDumper.add_representer(str, _represent_str)


def dump_yaml(meta: dict[str, Any]) -> str:
    """YAML in a stable style: keys in the given order, Unicode kept, no line folding."""
    return yaml.dump(
        meta,
        Dumper=_PageDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=None,
    )


def render_page(meta: dict[str, Any], body: str) -> str:
    """A page file: front matter between '---' lines, a blank line, then the body."""
    text = "---\n" + dump_yaml(meta) + "---\n"
    if body.strip():
        text += "\n" + body.rstrip("\n") + "\n"
    return text


def order_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Known keys in PAPER_KEYS order, then any keys the reader added, in their own order."""
    ordered = {k: meta[k] for k in PAPER_KEYS if k in meta}
    ordered.update((k, v) for k, v in meta.items() if k not in ordered)
    return ordered


# ---------------------------------------------------------------------------------------------
# Records ⇄ front matter


def _source_meta(source: Source) -> dict[str, Any]:
    return {"file": source.file, "format": source.format, "record": source.record}


def record_to_meta(record: Record) -> dict[str, Any]:
    """Front matter for a record: human-friendly keys, empty values left out."""
    meta: dict[str, Any] = {
        "title": record.title,
        "authors": [format_name(p) for p in record.authors],
        "editors": [format_name(p) for p in record.editors],
        "type": record.type,
        "journal": record.container_title,
        "year": record.year,
        "date": record.date if record.date and record.date != str(record.year) else "",
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "edition": record.edition,
        "publisher": record.publisher,
        "place": record.place,
        "doi": record.doi,
        "pmid": record.pmid,
        "isbn": record.isbn,
        "issn": record.issn,
        "url": record.url,
        "language": record.language,
        "keywords": list(record.keywords),
        "note": record.note,
        "abstract": record.abstract,
        "fulltext": record.fulltext,
        "extra": dict(sorted(record.extra.items())),
        "sources": [_source_meta(record.source)] if record.source else [],
    }
    return {k: v for k, v in meta.items() if v not in ("", None, [], {})}


# Keys whose value is one piece of text (a number is accepted and read as text).
_TEXT_KEYS = (
    "title",
    "type",
    "journal",
    "date",
    "volume",
    "issue",
    "pages",
    "publisher",
    "place",
    "edition",
    "doi",
    "pmid",
    "isbn",
    "issn",
    "url",
    "abstract",
    "fulltext",
    "language",
    "note",
)


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


def _names(meta: dict[str, Any], key: str) -> list[Person]:
    value = meta.get(key)
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [p for p in (_person(v) for v in items) if p is not None]


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
    for key in ("authors", "editors"):
        value = meta.get(key)
        items = value if isinstance(value, list) else [value] if value is not None else []
        if value is not None and not isinstance(value, (list, str)) or any(_person(v) is None for v in items):
            problems.append(f'{key}: expected a list of names like "Given Family" or "Family, Given"')
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
    return Record(
        title=_text(meta, "title"),
        type=_text(meta, "type") or "article-journal",
        authors=_names(meta, "authors"),
        editors=_names(meta, "editors"),
        container_title=_text(meta, "journal"),
        year=year,
        date=_text(meta, "date") or (str(year) if year is not None else ""),
        volume=_text(meta, "volume"),
        issue=_text(meta, "issue"),
        pages=_text(meta, "pages"),
        publisher=_text(meta, "publisher"),
        place=_text(meta, "place"),
        edition=_text(meta, "edition"),
        doi=_text(meta, "doi"),
        pmid=_text(meta, "pmid"),
        isbn=_text(meta, "isbn"),
        issn=_text(meta, "issn"),
        url=_text(meta, "url"),
        abstract=_text(meta, "abstract"),
        fulltext=_text(meta, "fulltext"),
        keywords=[t for t in (_scalar(k) for k in keywords) if t]
        if isinstance(keywords, list)
        else [k.strip() for k in keywords.split(";") if k.strip()]
        if isinstance(keywords, str)
        else [],
        language=_text(meta, "language"),
        note=_text(meta, "note"),
        extra={str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {},
        source=_source(meta),
    )


def paper_slug(record: Record, taken: Iterable[str] = ()) -> str:
    """Readable, stable and unique: first author's family name, year, first title words."""
    first = record.authors[0] if record.authors else None
    who = (first.literal or first.family) if first else ""
    base = (
        slugify(
            f"{who} {record.year or ''} {record.title}",
            max_length=60,
            word_boundary=True,
            stopwords=_SLUG_STOPWORDS,
        )
        or "untitled"
    )
    used = set(taken)
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug
