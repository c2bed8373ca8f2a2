"""What reference managers read from a page: Highwire `citation_*` tags, schema.org JSON-LD and
COinS spans, from one Record.

Zotero's "Embedded Metadata" translator picks the item type from the tags present
(`citation_journal_title` → journal article, `citation_inbook_title` → book section,
`citation_dissertation_institution` → thesis, `citation_technical_report_institution` → report,
`citation_conference_title` → conference paper) and splits a `citation_author` at its comma, so
authors are written "Family, Given" (a name without a comma is split at its last word, which
turned "Marc J. van de Vijver" into family "Vijver"). COinS goes on list pages only: on a paper
page it would override the richer meta tags. Pure: values out, the templates write them.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from litweave.model import Person, Record
from litweave.urls import doi_url

BOOKISH = frozenset({"book", "chapter", "thesis", "report", "paper-conference"})
"""CSL types whose pages get book/thesis/report/conference fields instead of journal ones."""

_JSONLD_TYPES = {
    "book": "Book",
    "chapter": "Chapter",
    "thesis": "Thesis",
    "report": "Report",
}


def highwire_name(person: Person) -> str:
    """ "Family, Given" with particles kept in the family name; a corporate name as written."""
    if person.literal:
        return person.literal
    if not person.given:
        return person.family
    name = f"{person.family}, {person.given}" if person.family else person.given
    return f"{name}, {person.suffix}" if person.suffix else name


def split_pages(pages: str) -> tuple[str, str]:
    """First and last page of a range written with an en dash, hyphen or em dash ("", "" if none)."""
    parts = [p.strip() for p in re.split(r"\s*[\u2013\u2014-]+\s*", pages.strip(), maxsplit=1)]
    first = parts[0] if parts else ""
    last = parts[1] if len(parts) > 1 else ""
    return first, last


def iso_date(record: Record) -> str:
    """The issued date as ISO 8601 (partial dates stay partial), or the year."""
    if record.date and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", record.date):
        return record.date
    return str(record.year) if record.year is not None else ""


def highwire_tags(record: Record, abstract_url: str = "") -> list[tuple[str, str]]:
    """(name, content) pairs of `citation_*` meta tags, empty values left out, in a fixed order."""
    tags: list[tuple[str, str]] = [("citation_title", record.title)]
    tags += [("citation_author", highwire_name(p)) for p in record.authors]
    tags.append(("citation_publication_date", iso_date(record)))
    first, last = split_pages(record.pages)
    kind = record.type
    container = record.container_title
    if kind == "chapter":
        tags += [("citation_inbook_title", container), ("citation_book_title", container)]
    elif kind == "paper-conference":
        tags += [("citation_conference_title", container)]
    elif kind == "thesis":
        tags += [("citation_dissertation_institution", record.publisher)]
    elif kind == "report":
        tags += [("citation_technical_report_institution", record.publisher)]
        tags += [("citation_technical_report_number", record.issue or record.extra.get("number", ""))]
    elif kind not in BOOKISH:
        tags += [("citation_journal_title", container), ("citation_issue", record.issue)]
    if kind not in ("thesis", "report"):
        tags.append(("citation_volume", record.volume))
    tags += [("citation_firstpage", first), ("citation_lastpage", last)]
    tags += [("citation_doi", record.doi), ("citation_pmid", record.pmid)]
    if kind not in ("thesis", "report"):
        tags.append(("citation_publisher", record.publisher))
    tags.append(("citation_isbn", record.isbn) if kind in BOOKISH else ("citation_issn", record.issn))
    tags.append(("citation_language", record.language))
    tags.append(("citation_keywords", "; ".join(record.keywords)))
    tags.append(("citation_abstract", record.abstract))
    tags.append(("citation_abstract_html_url", abstract_url))
    return [(name, value) for name, value in tags if value]


def _jsonld_person(person: Person) -> dict[str, str]:
    if person.literal:
        return {"@type": "Organization", "name": person.literal}
    out = {"@type": "Person", "name": person.display, "familyName": person.family, "givenName": person.given}
    return {k: v for k, v in out.items() if v}


def jsonld(record: Record, url: str = "") -> str:
    """schema.org JSON-LD, safe inside <script>: `<`, `>` and `&` are written as \\u escapes, so
    no title can close the script element or open a comment."""
    kind = _JSONLD_TYPES.get(record.type, "ScholarlyArticle")
    data: dict[str, object] = {"@context": "https://schema.org", "@type": kind, "name": record.title}
    if kind != "Book":
        data["headline"] = record.title[:110]
    if record.authors:
        data["author"] = [_jsonld_person(p) for p in record.authors]
    date = iso_date(record)
    if date:
        data["datePublished"] = date
    if record.container_title:
        part = "Book" if kind == "Chapter" else "Periodical"
        data["isPartOf"] = {"@type": part, "name": record.container_title}
    first, last = split_pages(record.pages)
    optional: dict[str, object] = {
        "volumeNumber": record.volume if kind == "ScholarlyArticle" else "",
        "issueNumber": record.issue if kind == "ScholarlyArticle" else "",
        "pageStart": first,
        "pageEnd": last,
        "publisher": {"@type": "Organization", "name": record.publisher} if record.publisher else "",
        "isbn": record.isbn if kind in ("Book", "Chapter") else "",
        "abstract": record.abstract,
        "keywords": ", ".join(record.keywords),
        "inLanguage": record.language,
        "url": url,
        "sameAs": doi_url(record.doi) if record.doi else "",
    }
    data.update({k: v for k, v in optional.items() if v})
    ids = [("DOI", record.doi), ("PMID", record.pmid)]
    idents = [{"@type": "PropertyValue", "propertyID": k, "value": v} for k, v in ids if v]
    if idents:
        data["identifier"] = idents
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _coins_format(record: Record) -> tuple[str, list[tuple[str, str]]]:
    """The OpenURL format and its genre-specific title fields."""
    container = record.container_title
    if record.type == "chapter":
        return "book", [("rft.genre", "bookitem"), ("rft.atitle", record.title), ("rft.btitle", container)]
    if record.type == "paper-conference":
        return "book", [("rft.genre", "proceeding"), ("rft.atitle", record.title), ("rft.btitle", container)]
    if record.type == "book":
        return "book", [("rft.genre", "book"), ("rft.btitle", record.title)]
    if record.type == "report":
        return "book", [("rft.genre", "report"), ("rft.btitle", record.title)]
    if record.type == "thesis":
        return "dissertation", [("rft.title", record.title), ("rft.inst", record.publisher)]
    return "journal", [("rft.genre", "article"), ("rft.atitle", record.title), ("rft.jtitle", container)]


def coins(record: Record) -> str:
    """A COinS (OpenURL 1.0 KEV) context object, URL-encoded: the `title` of a `Z3988` span."""
    fmt, fields = _coins_format(record)
    pairs: list[tuple[str, str]] = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}"),
    ]
    if record.doi:
        pairs.append(("rft_id", f"info:doi/{record.doi}"))
    if record.pmid:
        pairs.append(("rft_id", f"info:pmid/{record.pmid}"))
    pairs += fields
    first_author = record.authors[0] if record.authors else None
    if first_author and not first_author.literal:
        pairs += [("rft.aulast", first_author.family), ("rft.aufirst", first_author.given)]
    for person in record.authors:
        pairs.append(("rft.aucorp", person.literal) if person.literal else ("rft.au", highwire_name(person)))
    first, last = split_pages(record.pages)
    pairs += [("rft.date", iso_date(record)), ("rft.volume", record.volume)]
    if fmt == "journal":
        pairs += [("rft.issue", record.issue), ("rft.issn", record.issn)]
    else:
        pairs += [("rft.pub", record.publisher if fmt == "book" else ""), ("rft.place", record.place)]
        pairs += [("rft.isbn", record.isbn)]
    pairs += [("rft.spage", first), ("rft.epage", last), ("rft.pages", record.pages)]
    return urlencode([(k, v) for k, v in pairs if v])
