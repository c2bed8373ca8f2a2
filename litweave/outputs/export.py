"""Export: Records to CSL-JSON, BibTeX and RIS, the standard forms other tools read.

Pure: takes Records, gives JSON-ready dicts or text. Output is deterministic (records in the
order given, keys sorted where order is free) so an unchanged knowledge base exports the same
bytes. CSL-JSON is what Zotero, Pandoc and citeproc read, and what `importers.csljson` reads
back: import → export → import gives the same Records.
"""

from __future__ import annotations

import re
import unicodedata

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


def _csl_name(person: Person) -> dict[str, str]:
    if person.literal:
        return {"literal": person.literal}
    name = {"family": person.family, "given": person.given, "suffix": person.suffix}
    return {k: v for k, v in name.items() if v}


def _date_parts(record: Record) -> list[int]:
    if record.date:
        parts = [int(p) for p in record.date.split("-") if p.isdigit()]
        if parts and (record.year is None or parts[0] == record.year):
            return parts
    return [record.year] if record.year is not None else []


def cite_key(record: Record, taken: set[str]) -> str:
    """A stable citation key: first author's family name + year + first title word, made unique."""
    first = record.authors[0] if record.authors else None
    name = (first.family or first.literal) if first else "anon"
    word = next((w for w in re.findall(r"\w+", record.title) if len(w) > 3), "")
    base = "".join(
        c for c in unicodedata.normalize("NFKD", f"{name}{record.year or ''}{word}") if c.isalnum() and c.isascii()
    )
    base = base[:1].lower() + base[1:] if base else "item"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2)}" if n < 28 else f"{base}{n}"
    taken.add(key)
    return key


def to_csl_item(record: Record, key: str = "") -> dict[str, object]:
    """One Record as a CSL-JSON item (empty values left out)."""
    item: dict[str, object] = {"id": key, "type": record.type or "article-journal", "title": record.title}
    if record.authors:
        item["author"] = [_csl_name(p) for p in record.authors]
    if record.editors:
        item["editor"] = [_csl_name(p) for p in record.editors]
    parts = _date_parts(record)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    simple = {
        "container-title": record.container_title,
        "volume": record.volume,
        "issue": record.issue,
        "page": record.pages,
        "publisher": record.publisher,
        "publisher-place": record.place,
        "edition": record.edition,
        "DOI": record.doi,
        "PMID": record.pmid,
        "ISBN": record.isbn,
        "ISSN": record.issn,
        "URL": record.url,
        "abstract": record.abstract,
        "language": record.language,
        "note": record.note,
    }
    item.update({k: v for k, v in simple.items() if v})
    if record.keywords:
        item["keyword"] = _keyword_list(record.keywords)
    # What CSL has no variable for travels in CSL 1.0.2's `custom` object, which citeproc and
    # Zotero ignore and our CSL-JSON importer reads back, so an export round-trips without loss.
    custom = {"fulltext": record.fulltext, "extra": dict(sorted(record.extra.items()))}
    custom = {k: v for k, v in custom.items() if v}
    if custom:
        item["custom"] = {"litweave": custom}
    return {k: item[k] for k in sorted(item) if item[k] != "" or k in ("id", "title")}


def _keyword_list(keywords: list[str]) -> str:
    """Keywords joined by ", ", or by "; " when one holds a comma ("Receptor, ErbB-2"); a lone
    keyword with a comma gets a trailing ";" so that readers split it on ";" too."""
    if any("," in k for k in keywords):
        return "; ".join(keywords) + (";" if len(keywords) == 1 else "")
    return ", ".join(keywords)


def to_csl_json(records: list[Record]) -> list[dict[str, object]]:
    """The whole list as CSL-JSON items, ids unique and stable."""
    taken: set[str] = set()
    return [to_csl_item(r, cite_key(r, taken)) for r in records]


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


def to_bibtex(records: list[Record]) -> str:
    """BibTeX entries, fields sorted; Unicode kept (biber and modern BibTeX read UTF-8)."""
    taken: set[str] = set()
    out = []
    for record in records:
        key = cite_key(record, taken)
        kind = _BIBTEX_TYPES.get(record.type, "misc")
        fields: dict[str, str] = {"title": "{" + _bib_escape(record.title) + "}"}
        if record.authors:
            fields["author"] = " and ".join(
                _bib_escape(_bib_name(p)) if p.literal else _bib_name(p) for p in record.authors
            )
        if record.editors:
            fields["editor"] = " and ".join(_bib_name(p) for p in record.editors)
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
            ("keywords", _keyword_list(record.keywords)),
        ):
            if value:
                fields[name] = value if name in ("url", "doi") else _bib_escape(value)
        body = ",\n".join(
            f"  {k} = {{{v}}}" if not v.startswith("{") or k != "title" else f"  {k} = {{{v}}}"
            for k, v in sorted(fields.items())
        )
        out.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(out)


def to_ris(records: list[Record]) -> str:
    """RIS records in the standard tag order, ending each with ER."""
    out = []
    for record in records:
        lines = [f"TY  - {_RIS_TYPES.get(record.type, 'GEN')}", f"TI  - {record.title}"]
        lines += [f"AU  - {_ris_name(p)}" for p in record.authors]
        lines += [f"A2  - {_ris_name(p)}" for p in record.editors]
        if record.container_title:
            lines.append(f"{'T2' if record.type != 'article-journal' else 'JO'}  - {record.container_title}")
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
            if value:
                lines.append(f"{tag}  - {' '.join(value.split())}")
        if record.pmid:
            lines.append(f"AN  - {record.pmid}")
        lines += [f"KW  - {kw}" for kw in record.keywords]
        lines.append("ER  - ")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _ris_name(person: Person) -> str:
    if person.literal:
        return person.literal
    parts = [person.family, person.given] + ([person.suffix] if person.suffix else [])
    return ", ".join(p for p in parts if p) if person.given or person.suffix else person.family
