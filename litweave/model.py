"""Pure data types shared by every stage: records from importers, pages from content,
mechanisms and their mentions, and diagnostics.

Nothing here does I/O or imports another litweave module, so every other module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning", "info"]


def reduce_by_slots(self: object) -> tuple[object, tuple[object, ...]]:
    """Pickle a slotted dataclass as its constructor call: the default state protocol looks the
    fields up on every object, which dominated loading the build cache."""
    cls = type(self)
    return cls, tuple(getattr(self, name) for name in cls.__slots__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the input, reported with the others rather than raised."""

    __reduce__ = reduce_by_slots

    level: Level
    """'error' stops the command (non-zero exit); 'warning' and 'info' are reported only."""
    message: str
    """What is wrong, in words a reader can act on."""
    file: str = ""
    """The file it concerns, as given on the command line or relative to the knowledge base."""
    line: int | None = None
    """1-based line in `file`, when known."""
    record: int | None = None
    """1-based record number in `file`, when the problem belongs to one record."""

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.record is not None:
            where += f" (record {self.record})"
        return f"{where}: {self.level}: {self.message}"


@dataclass(frozen=True, slots=True)
class Person:
    """A personal or corporate name as parsed; display keeps diacritics and particles."""

    __reduce__ = reduce_by_slots

    family: str = ""
    """Family name with its particles as written ("van de Vijver")."""
    given: str = ""
    """Given names or initials ("Rita", "R.")."""
    suffix: str = ""
    """Generational suffix ("Jr.", "III")."""
    literal: str = ""
    """A name not to be split: a corporate author ("World Health Organization")."""

    @property
    def display(self) -> str:
        """The name as a reader writes it: "Given Family, Suffix" or the literal."""
        if self.literal:
            return self.literal
        name = f"{self.given} {self.family}" if self.given and self.family else self.given or self.family
        return f"{name}, {self.suffix}" if self.suffix else name


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: kept in the page's front matter as provenance."""

    __reduce__ = reduce_by_slots

    file: str
    """File name as imported (base name, never an absolute path)."""
    format: str
    """Importer name: refer, ris, bibtex, medline, csljson."""
    record: int
    """1-based position of the record in the file."""


@dataclass(frozen=True, slots=True)
class Reference:
    """One work a record cites, as its source lists it (Crossref's `reference`): what identifies
    it, never interpreted here. Kept beside the page, not in its front matter (`references.py`)."""

    __reduce__ = reduce_by_slots

    key: str = ""
    """The source's own key for the reference ("…_15.141.20170387.3")."""
    doi: str = ""
    pmid: str = ""
    author: str = ""
    """The first author as the source writes it ("Baldi")."""
    year: str = ""
    title: str = ""
    """The cited work's title (Crossref `article-title`)."""
    container: str = ""
    """Its journal or book (Crossref `journal-title`, `volume-title`)."""
    volume: str = ""
    page: str = ""
    """Its first page."""
    unstructured: str = ""
    """The reference as one line of text, when the source gives it so."""


@dataclass(slots=True)
class Record:
    """One bibliographic work as an importer sees it, in CSL terms.

    Importers fill what their format carries and leave the rest empty; `content` turns a Record
    into front matter with the human-friendly keys of the content model.
    """

    __reduce__ = reduce_by_slots

    title: str
    """Display title; protective braces and markup already removed."""
    type: str = "article-journal"
    """CSL item type (article-journal, book, chapter, paper-conference, thesis, report…)."""
    authors: list[Person] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    translators: list[Person] = field(default_factory=list)
    container_authors: list[Person] = field(default_factory=list)
    """Authors of the book or work that contains this one (CSL container-author, RIS A3 of a chapter)."""
    collection_editors: list[Person] = field(default_factory=list)
    """Editors of the series (CSL collection-editor)."""
    directors: list[Person] = field(default_factory=list)
    interviewers: list[Person] = field(default_factory=list)
    recipients: list[Person] = field(default_factory=list)
    """Recipients of a letter or personal communication."""
    reviewed_authors: list[Person] = field(default_factory=list)
    """Authors of the work a review reviews (CSL reviewed-author)."""
    container_title: str = ""
    """Journal, book or proceedings title (front matter key `journal`)."""
    year: int | None = None
    date: str = ""
    """Issued date as ISO 8601 partial ("2012", "2012-03", "2012-03-15"); empty when unknown."""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    """Page range with an en dash between numbers ("11118–11128")."""
    publisher: str = ""
    place: str = ""
    """Publisher place (Refer %C, RIS CY)."""
    edition: str = ""
    doi: str = ""
    """Normalised DOI: lower case, no `doi:` or resolver prefix."""
    pmid: str = ""
    isbn: str = ""
    issn: str = ""
    url: str = ""
    abstract: str = ""
    """Plain text, not Markdown."""
    fulltext: str = ""
    """Full-text excerpt as Markdown ("## 1. Introduction" headings), when the source carried one."""
    keywords: list[str] = field(default_factory=list)
    language: str = ""
    note: str = ""
    """A note carried by the record itself (Refer %Z, RIS N1); not the reader's notes."""
    extra: dict[str, str] = field(default_factory=dict)
    """Fields the importer does not map, keyed by their tag in the source ("%Y", "M3"), kept verbatim."""
    unparsed: dict[str, str] = field(default_factory=dict)
    """Values a field could not hold (a date "abcd", a DOI "not a doi"), keyed by their tag in the
    source, kept verbatim and reported, so that the reader can correct them."""
    citekey: str = ""
    """The citation key the record came with (BibTeX key, a meaningful RIS ID or CSL id), kept so
    that existing `\\cite{}` commands still resolve; empty when it had none."""
    references: list[Reference] = field(default_factory=list)
    """The works it cites, as its source lists them (kept beside the page; the page holds their count)."""
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an importer gives for one file: the records it could read and what went wrong."""

    records: list[Record]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True, slots=True)
class Mechanism:
    """A biomedical entity (receptor, drug, pathway…) from `content/mechanisms/<slug>.md`."""

    __reduce__ = reduce_by_slots

    slug: str
    title: str
    """Label exactly as the field writes it; never re-cased."""
    aliases: tuple[str, ...] = ()
    kind: str = ""
    """receptor, kinase, drug, antibody, ligand, biomarker, pathway, process, gene…"""
    identifiers: tuple[tuple[str, str], ...] = ()
    """(scheme, id) pairs, e.g. ("HGNC", "ERBB2"), ("UniProt", "P04626"); sorted by scheme."""
    description: str = ""
    """Markdown body of the page."""
    file: str = ""
    """Path relative to the knowledge base, for diagnostics."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a mechanism in a text: character offsets into that text."""

    __reduce__ = reduce_by_slots

    mechanism: str
    """Slug of the mechanism."""
    start: int
    end: int
    text: str
    """The matched text as written (text[start:end])."""


PageKind = Literal["paper", "author", "mechanism", "page"]


@dataclass(slots=True)
class Page:
    """A content file after stage 1: its front matter and body, independent of every other page."""

    kind: PageKind
    slug: str
    meta: dict[str, object]
    """Front matter as parsed (YAML mapping)."""
    body: str
    """Markdown source below the front matter: the reader's own text."""
    path: Path
    """Path relative to the knowledge base root (content/papers/<slug>.md)."""

    __reduce__ = reduce_by_slots
