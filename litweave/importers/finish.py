"""What every importer's records go through last: markup cleaned and no record dropped.

- LaTeX (`\\'e`, `{\\TeX}book`, `\\emph{…}`) is decoded in every text field of every format: the
  BibTeX importer does it while reading; RIS, Refer, MEDLINE and CSL-JSON records exported from a
  BibTeX library carry it too.
- HTML and JATS in abstracts and titles become clean text (`markup.markup_to_text`).
- A record without a title gets a placeholder built from what it has, so that it is imported as
  a page like any other, with a warning naming the file and record:
  "[Untitled] Nature, 2012, Smith" (container, year, first author's family name; whichever are
  known, in that order), or "[Untitled] record 3 of refs.ris" when it has none of them.
  `check` lists such pages until the reader gives them a title.

Pure: records in, records and diagnostics out.
"""

from __future__ import annotations

import re

from litweave.importers import clean
from litweave.importers.latex import latex_to_unicode
from litweave.importers.markup import has_markup, markup_to_text
from litweave.model import Diagnostic, ImportResult, Person, Record

PLACEHOLDER = "[Untitled]"
"""How a placeholder title begins; identity, `check` and the reader recognise it by this."""

# Fields holding prose or names of things, where markup may hide; identifiers are left alone.
_TEXT_ATTRS = ("title", "container_title", "publisher", "place", "edition", "note", "volume", "issue")
_LATEX = re.compile(r"\\(?:[A-Za-z]+|['\"`^~=.uvHcdbrk])|\{\\")


def is_placeholder(title: str) -> bool:
    """True for a title `placeholder_title` made."""
    return title.startswith(PLACEHOLDER)


def placeholder_title(record: Record) -> str:
    """ "[Untitled] container, year, first author" from what the record has."""
    parts = [record.container_title.strip()]
    parts.append(str(record.year) if record.year is not None else "")
    first = (
        record.authors[0]
        if record.authors
        else next((p for role in (record.editors, record.translators) for p in role), None)
    )
    parts.append(_family(first) if first else "")
    known = [p for p in parts if p]
    if not known:
        where = f"record {record.source.record} of {record.source.file}" if record.source else "record"
        known = [where]
    return f"{PLACEHOLDER} {', '.join(known)}"


def _family(person: Person) -> str:
    return person.literal or person.family or person.given


def _may_hold_markup(value: str) -> bool:
    """A quick test that lets nearly every field of a plain record skip the regular expressions."""
    return "\\" in value or "<" in value or "&" in value


def clean_text(value: str, latex: bool, one_line: bool = False) -> str:
    """One text field: LaTeX decoded (when `latex`), markup removed; a one-line field (a title)
    has its paragraphs joined by a space."""
    if latex and _LATEX.search(value):
        value = latex_to_unicode(value)
    if has_markup(value):
        value = markup_to_text(value)
        if one_line:
            value = " ".join(value.split())
    return value


def finish(result: ImportResult, file: str, fmt: str) -> ImportResult:
    """The records of one file cleaned and titled; a warning for each placeholder title."""
    latex = fmt != "bibtex"  # the BibTeX reader decodes LaTeX itself, with the file's @string macros
    diagnostics = list(result.diagnostics)
    for record in result.records:
        for attr in _TEXT_ATTRS:
            value = getattr(record, attr)
            if _may_hold_markup(value):
                setattr(record, attr, clean_text(value, latex, one_line=attr != "note"))
        if _may_hold_markup(record.abstract):
            record.abstract = clean_text(record.abstract, latex)
        if not clean.one_line(record.title).strip():  # as it will be once control characters go
            record.title = placeholder_title(record)
            diagnostics.append(
                Diagnostic(
                    "warning",
                    f"record has no title; imported as {record.title!r} (give it its title on the page)",
                    file=record.source.file if record.source else file,
                    record=record.source.record if record.source else None,
                )
            )
    return ImportResult(result.records, diagnostics)
