"""Records to BibTeX: deterministic (records in the order given), special characters escaped. Pure."""

from __future__ import annotations

import re

from litweave.exporters.keys import assign_keys, keyword_list
from litweave.fields import ROLES
from litweave.model import Person, Record

_BIBTEX_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
    "pamphlet": "booklet",
    # BibLaTeX types, which our importer and biber read back as the same CSL type
    "patent": "patent",
    "webpage": "online",
    "dataset": "dataset",
    "software": "software",
    "entry-encyclopedia": "inreference",
    "standard": "standard",
    "legislation": "legislation",
    "periodical": "periodical",
    "graphic": "artwork",
}


def _bib_escape(text: str) -> str:
    text = text.replace("\\", "\\textbackslash{}")
    text = re.sub(r"([&%$#_])", r"\\\1", text)
    return text.replace("\u2013", "--").replace("\u2014", "---")


def _bib_name(person: Person) -> str:
    if person.literal:
        return "{" + _bib_escape(person.literal) + "}"
    if person.suffix:
        return f"{person.family}, {person.suffix}, {person.given}"
    return f"{person.family}, {person.given}" if person.given else person.family


def to_bibtex(records: list[Record], keys: list[str] | None = None) -> str:
    """BibTeX entries, fields sorted; Unicode kept (biber and modern BibTeX read UTF-8). `keys`:
    the entries' keys when the caller knows them (one paper's entry, keyed as in the library)."""
    out = []
    for record, key in zip(records, assign_keys(records) if keys is None else keys, strict=True):
        kind = _BIBTEX_TYPES.get(record.type, "misc")
        fields: dict[str, str] = {"title": "{" + _bib_escape(record.title) + "}"}
        if record.authors:
            fields["author"] = " and ".join(
                _bib_escape(_bib_name(p)) if p.literal else _bib_name(p) for p in record.authors
            )
        for role in ROLES:
            people = getattr(record, role.attr)
            if people and role.bibtex:
                fields[role.bibtex] = " and ".join(_bib_name(p) for p in people)
        container_field = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}.get(kind)
        if record.container_title and container_field:
            fields[container_field] = record.container_title
        elif record.container_title:
            fields["howpublished"] = record.container_title
        if record.year is not None:
            fields["year"] = str(record.year)
        if record.date:
            fields["date"] = record.date
        for name, value in (
            ("volume", record.volume),
            ("number", record.issue),
            ("pages", record.pages),
            ("publisher", record.publisher),
            ("address", record.place),
            ("edition", record.edition),
            ("doi", record.doi),
            ("pmid", record.pmid),
            ("isbn", record.isbn),
            ("issn", record.issn),
            ("url", record.url),
            ("abstract", record.abstract),
            ("language", record.language),
            ("note", record.note),
            ("keywords", keyword_list(record.keywords)),
        ):
            if value:
                fields[name] = value if name in ("url", "doi") else _bib_escape(value)
        body = ",\n".join(
            f"  {k} = {{{v}}}" if not v.startswith("{") or k != "title" else f"  {k} = {{{v}}}"
            for k, v in sorted(fields.items())
        )
        out.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(out)
