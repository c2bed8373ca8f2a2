"""The works a paper cites, kept beside its page in `content/references/<slug>.yaml`, not in its
front matter: a Crossref record lists hundreds (one review: 555), which as front matter made a
132 KB page nobody could edit. The page keeps their count (`references: 555`).

I/O edge. One reference per line, a flow mapping of what identifies the cited work, so a source
that corrects one reference changes one line:

    # The works papers/<slug>.md cites, as crossref.json lists them: 555 references.
    # Written by `litweave import`; your edits are kept (an import of a changed source then warns).
    # source: {"format": "csljson", "file": "crossref.json", "digest": "sha256:…"}
    - {"key": "ref-1", "doi": "10.1038/nature14539"}
    - {"author": "Baldi", "year": "2014", "title": "Searching for exotic particles …"}

The third line names the source the list came from and the digest of the list as written, so
that an import tells an unchanged source (same digest), a source that changed (the file is
replaced while nobody edited it) and a hand edit (the list no longer has the digest written).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import yaml

from litweave.atomic import write_text
from litweave.model import Reference

FOLDER = "references"
"""Folder under content/ holding the lists, one file per paper page that has one."""
_SOURCE = re.compile(r"^# source: (\{.*\})$", re.MULTILINE)
_KEYS = tuple(f.name for f in fields(Reference))


def references_path(content: Path, slug: str) -> Path:
    return content / FOLDER / f"{slug}.yaml"


def _body(references: list[Reference]) -> str:
    """One line per reference: a JSON object, which YAML reads as a flow mapping and which stays
    one line whatever a source puts in a field."""
    return "".join(
        "- " + json.dumps({k: v for k, v in asdict(r).items() if v}, ensure_ascii=False) + "\n" for r in references
    )


def _items(body: str) -> object:
    """The list as written: each line's JSON, or, for a list a person rewrote in YAML's own style,
    what YAML's safe loader reads."""
    lines = body.split("\n")
    try:
        return (
            [json.loads(line[2:]) for line in lines if line.strip()]
            if all(line.startswith("- {") for line in lines if line.strip())
            else _yaml(body)
        )
    except ValueError:
        return _yaml(body)


def _yaml(body: str) -> object:
    return yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []


def _digest(body: str) -> str:
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def references_digest(references: list[Reference]) -> str:
    """The digest a references file records for this list."""
    return _digest(_body(references))


def render_references(slug: str, fmt: str, file: str, references: list[Reference]) -> str:
    """The file's text: a header naming the page, the source and the list's digest, then the list."""
    body = _body(references)
    source = json.dumps({"format": fmt, "file": file, "digest": _digest(body)}, ensure_ascii=False) + "\n"
    count = f"{len(references):,} reference{'' if len(references) == 1 else 's'}"
    return (
        f"# The works papers/{slug}.md cites, as {file} lists them: {count}.\n"
        "# Written by `litweave import`; your edits are kept (an import of a changed source then warns).\n"
        f"# source: {source}" + body
    )


@dataclass(frozen=True, slots=True)
class LoadedReferences:
    """A references file as found: where its list came from, and whether it was edited since."""

    format: str
    file: str
    digest: str
    """The digest the import wrote: of the list as that source gave it."""
    edited: bool
    """The list is no longer what the import wrote."""
    references: list[Reference]
    problem: str = ""
    """Why the file could not be read ("" when it could)."""


def read_references(path: Path) -> LoadedReferences | None:
    """The references file of a page, or None when it has none. A file that cannot be read or
    parsed is returned with its problem, as edited (so that nothing is written over it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedReferences("", "", "", True, [], f"it cannot be read ({exc})")
    return read_references_text(text)


def read_references_text(text: str) -> LoadedReferences:
    """A references file's text read (`read_references`)."""
    header = _SOURCE.search(text)
    source: object = None
    if header is not None:
        try:
            source = json.loads(header.group(1))
        except ValueError:
            source = None
    if not isinstance(source, dict) or header is None:
        return LoadedReferences("", "", "", True, [], "its source line is missing or damaged")
    body = text[header.end() + 1 :]
    try:
        items = _items(body)
    except yaml.YAMLError as exc:
        return LoadedReferences("", "", "", True, [], f"it is not valid YAML ({getattr(exc, 'problem', None) or exc})")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return LoadedReferences("", "", "", True, [], "it is not a list of references")
    references = [Reference(**{k: str(v) for k, v in item.items() if k in _KEYS and v is not None}) for item in items]
    digest = str(source.get("digest", ""))
    return LoadedReferences(
        str(source.get("format", "")), str(source.get("file", "")), digest, _digest(body) != digest, references
    )


def save_references(path: Path, text: str) -> None:
    write_text(path, text)
