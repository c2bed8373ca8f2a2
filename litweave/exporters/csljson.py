"""Records to CSL-JSON, what Zotero, Pandoc and citeproc read and what `importers.csljson` reads
back: import → export → import gives the same Records. Pure."""

from __future__ import annotations

from litweave.exporters.keys import assign_keys, keyword_list
from litweave.fields import CSL_COPIES, ROLES
from litweave.model import Person, Record


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


def to_csl_item(record: Record, key: str = "") -> dict[str, object]:
    """One Record as a CSL-JSON item (empty values left out)."""
    item: dict[str, object] = {"id": key, "type": record.type or "article-journal", "title": record.title}
    if record.authors:
        item["author"] = [_csl_name(p) for p in record.authors]
    for role in ROLES:
        people = getattr(record, role.attr)
        if people:
            item[role.csl] = [_csl_name(p) for p in people]
    parts = _date_parts(record)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    simple = {csl: getattr(record, attr) for csl, attr in CSL_COPIES}
    item.update({k: v for k, v in simple.items() if v})
    if record.keywords:
        item["keyword"] = keyword_list(record.keywords)
    # What CSL has no variable for travels in CSL 1.0.2's `custom` object, which citeproc and
    # Zotero ignore and our CSL-JSON importer reads back, so an export round-trips without loss.
    custom = {
        "fulltext": record.fulltext,
        "extra": dict(sorted(record.extra.items())),
        "unparsed": dict(sorted(record.unparsed.items())),
    }
    custom = {k: v for k, v in custom.items() if v}
    if custom:
        item["custom"] = {"litweave": custom}
    return {k: item[k] for k in sorted(item) if item[k] != "" or k in ("id", "title")}


def to_csl_json(records: list[Record]) -> list[dict[str, object]]:
    """The whole list as CSL-JSON items, ids unique and stable."""
    return [to_csl_item(r, key) for r, key in zip(records, assign_keys(records), strict=True)]
