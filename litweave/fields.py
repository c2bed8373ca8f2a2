"""The fields of a bibliographic record, once: what each is called in a Record, in a page's front
matter and in CSL, what kind of value it holds, and how two records of one work merge it.

Pure data, no I/O. The front matter writer and reader, the duplicate merger and the CSL-JSON
exporter derive their lists from `FIELDS`, so a new field is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "int", "people", "list", "map"]
Merge = Literal["richer", "own"]


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a Record."""

    attr: str
    """Attribute of `model.Record`."""
    key: str
    """Front-matter key of a paper page."""
    kind: Kind
    """text (one string), int, people (names), list (of strings) or map (string to string)."""
    csl: str = ""
    """CSL-JSON variable written from it as is; empty when the exporter needs more than a copy."""
    merge: Merge = "own"
    """richer: merging two records keeps the longer text; own: the merger has its own rule."""


# In Record order, which is also the order of the readers' checks and of the merger.
FIELDS: tuple[Field, ...] = (
    Field("title", "title", "text", merge="richer"),
    Field("type", "type", "text"),
    Field("authors", "authors", "people"),
    Field("editors", "editors", "people"),
    Field("container_title", "journal", "text", "container-title", "richer"),
    Field("year", "year", "int"),
    Field("date", "date", "text"),
    Field("volume", "volume", "text", "volume", "richer"),
    Field("issue", "issue", "text", "issue", "richer"),
    Field("pages", "pages", "text", "page", "richer"),
    Field("publisher", "publisher", "text", "publisher", "richer"),
    Field("place", "place", "text", "publisher-place", "richer"),
    Field("edition", "edition", "text", "edition", "richer"),
    Field("doi", "doi", "text", "DOI", "richer"),
    Field("pmid", "pmid", "text", "PMID", "richer"),
    Field("isbn", "isbn", "text", "ISBN", "richer"),
    Field("issn", "issn", "text", "ISSN", "richer"),
    Field("url", "url", "text", "URL", "richer"),
    Field("abstract", "abstract", "text", "abstract", "richer"),
    Field("fulltext", "fulltext", "text", merge="richer"),
    Field("keywords", "keywords", "list"),
    Field("language", "language", "text", "language", "richer"),
    Field("note", "note", "text", "note", "richer"),
    Field("extra", "extra", "map"),
)

BY_KEY = {f.key: f for f in FIELDS}
TEXT_FIELDS = tuple(f for f in FIELDS if f.kind == "text")
TEXT_KEYS = tuple(f.key for f in TEXT_FIELDS)
"""Keys whose value is one piece of text (a number is accepted and read as text)."""
RICHER_ATTRS = tuple(f.attr for f in FIELDS if f.merge == "richer")
"""Record attributes a merge of two records fills with the longer value."""
CSL_COPIES = tuple((f.csl, f.attr) for f in FIELDS if f.csl)
"""(CSL variable, Record attribute) pairs exported as a plain copy of the text."""

READER_KEYS = ("mechanisms", "not_mechanisms", "status", "rating", "tags", "added")
"""Keys only a reader writes on a page; no importer fills them."""

# Front-matter key order of a paper page: what a reader looks at first comes first.
PAGE_ORDER = (
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
    *READER_KEYS,
    "note",
    "abstract",
    "fulltext",
    "extra",
    "sources",
)
