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
    Field("translators", "translators", "people"),
    Field("container_authors", "container_authors", "people"),
    Field("collection_editors", "collection_editors", "people"),
    Field("directors", "directors", "people"),
    Field("interviewers", "interviewers", "people"),
    Field("recipients", "recipients", "people"),
    Field("reviewed_authors", "reviewed_authors", "people"),
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
    Field("unparsed", "unparsed", "map"),
    Field("citekey", "citekey", "text"),
)

BY_KEY = {f.key: f for f in FIELDS}
TEXT_FIELDS = tuple(f for f in FIELDS if f.kind == "text")
TEXT_KEYS = tuple(f.key for f in TEXT_FIELDS)
"""Keys whose value is one piece of text (a number is accepted and read as text)."""
RICHER_ATTRS = tuple(f.attr for f in FIELDS if f.merge == "richer")
"""Record attributes a merge of two records fills with the longer value."""
CSL_COPIES = tuple((f.csl, f.attr) for f in FIELDS if f.csl)
"""(CSL variable, Record attribute) pairs exported as a plain copy of the text."""


@dataclass(frozen=True, slots=True)
class Role:
    """A creator role other than author: where a record keeps it and how each format names it."""

    attr: str
    """Attribute of `model.Record` (a list of Person), also the front-matter key."""
    csl: str
    """CSL name variable."""
    label: str
    """How the paper page introduces the names ("Edited by")."""
    bibtex: str = ""
    """BibTeX/BibLaTeX field, when the format has one."""
    ris: str = ""
    """RIS tag the exporter writes it under; empty when RIS has none for it."""


ROLES: tuple[Role, ...] = (
    Role("editors", "editor", "Edited by", "editor", "A2"),
    Role("translators", "translator", "Translated by", "translator", "A4"),
    Role("container_authors", "container-author", "Book by", "bookauthor", ""),
    Role("collection_editors", "collection-editor", "Series edited by", "", "A3"),
    Role("directors", "director", "Directed by", "", ""),
    Role("interviewers", "interviewer", "Interviewed by", "", ""),
    Role("recipients", "recipient", "Addressed to", "", ""),
    Role("reviewed_authors", "reviewed-author", "Review of work by", "", ""),
)
"""Creator roles kept beside the authors, in the order a paper page shows them."""

READER_KEYS = ("mechanisms", "not_mechanisms", "status", "rating", "tags", "added")
"""Keys only a reader writes on a page; no importer fills them."""

# Front-matter key order of a paper page: what a reader looks at first comes first.
PAGE_ORDER = (
    "title",
    "authors",
    "editors",
    "translators",
    "container_authors",
    "collection_editors",
    "directors",
    "interviewers",
    "recipients",
    "reviewed_authors",
    "citekey",
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
    "unparsed",
    "references",
    "sources",
)
