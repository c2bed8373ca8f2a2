"""Records to RIS, one tagged block per record. Pure."""

from __future__ import annotations

from litweave.exporters.keys import assign_keys
from litweave.fields import ROLES
from litweave.importers.ris import A2_NOT_EDITOR
from litweave.model import Person, Record

_RIS_TYPES = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "thesis": "THES",
    "report": "RPRT",
    "patent": "PAT",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "software": "COMP",
    "manuscript": "UNPB",
    "map": "MAP",
    "legal_case": "CASE",
    "legislation": "STAT",
    "bill": "BILL",
    "graphic": "ART",
    "motion_picture": "MPCT",
    "song": "SOUND",
    "personal_communication": "PCOMM",
    "pamphlet": "PAMP",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "standard": "STAND",
}


_ROLE_TAGS_BY_TYPE = {
    "BOOK": {"editors": "A3", "collection_editors": "A2"},
    "RPRT": {"editors": "ED", "collection_editors": "A2"},
    "UNPB": {"editors": "ED", "collection_editors": "A2"},
}
"""Role tags that differ by type: the RIS spec's rows for these types (and EndNote's and Zotero's
exports) file the series editor under A2, a book's editor under A3; a report or an unpublished
work has no editor row, so its editors go under ED, which readers take as the editor."""


def _line(value: str) -> str:
    """A value on the one line RIS gives it: its line breaks (and whatever else a reader takes
    for one) become spaces, so that no line of a value can read as a tag of its own (`ER  - `
    ending the record, `TY  - ` starting one)."""
    return " ".join(part.strip() for part in value.splitlines() if part.strip())


def to_ris(records: list[Record]) -> str:
    """RIS records in the standard tag order, ending each with ER."""
    out = []
    for record, key in zip(records, assign_keys(records), strict=True):
        ris_type = _RIS_TYPES.get(record.type, "GEN")
        lines = [f"TY  - {ris_type}", f"ID  - {_line(key)}", f"TI  - {_line(record.title)}"]
        lines += [f"AU  - {_ris_name(p)}" for p in record.authors]
        tags = _ROLE_TAGS_BY_TYPE.get(ris_type, {})
        if ris_type in A2_NOT_EDITOR:  # A2 means another role there (a case's reporter): ED is the editor
            tags = {"editors": "ED", **tags}
        for role in ROLES:
            tag = tags.get(role.attr, role.ris)
            lines += [f"{tag}  - {_ris_name(p)}" for p in getattr(record, role.attr) if tag]
        if record.container_title:
            lines.append(f"{'T2' if record.type != 'article-journal' else 'JO'}  - {_line(record.container_title)}")
        if record.year is not None:
            lines.append(f"PY  - {record.year}")
        if record.date:
            parts = record.date.split("-") + ["", ""]
            lines.append(f"DA  - {parts[0]}/{parts[1]}/{parts[2]}/")
        pages = record.pages.split("\u2013", 1)
        for tag, value in (
            ("VL", record.volume),
            ("IS", record.issue),
            ("SP", pages[0]),
            ("EP", pages[1] if len(pages) > 1 else ""),
            ("PB", record.publisher),
            ("CY", record.place),
            ("ET", record.edition),
            ("DO", record.doi),
            ("SN", record.issn or record.isbn),
            ("UR", record.url),
            ("AB", record.abstract),
            ("LA", record.language),
            ("N1", record.note),
        ):
            if _line(value):
                lines.append(f"{tag}  - {_line(value)}")
        if record.pmid:
            lines.append(f"AN  - {_line(record.pmid)}")
        lines += [f"KW  - {_line(kw)}" for kw in record.keywords]
        lines.append("ER  - ")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _ris_name(person: Person) -> str:
    if person.literal:
        return _line(person.literal)
    parts = [_line(p) for p in (person.family, person.given, person.suffix)]
    if person.given or person.suffix:
        return ", ".join(p for p in parts if p)
    return parts[0]
