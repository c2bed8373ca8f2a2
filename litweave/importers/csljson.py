"""CSL-JSON importer: Zotero, Crossref, Pandoc and citation-js exports to Records.

Accepts an array of items, a single item, a Crossref API response (`{"message": {...}}`) or an
object with `items`. Reads every date form (`date-parts` as numbers or strings, ranges,
seasons, empty or null parts, `raw`, `literal`), `literal` names and HTML markup in titles.
Also the reader of our own CSL-JSON export (`from_csl_item`), so export and import round-trip.
"""

from __future__ import annotations

import json
import re

from litweave.fields import ROLES
from litweave.importers.fulltext import split_abstract
from litweave.importers.identity import normalize_doi
from litweave.importers.markup import markup_to_text
from litweave.importers.normalize import (
    base_name,
    check_url,
    iso_date,
    meaningful_citekey,
    month_number,
    normalize_pages,
    parse_date_text,
    unparsed_value,
)
from litweave.model import Diagnostic, ImportResult, Person, Record, Reference, Source

FORMAT = "csljson"

# CSL variables read into Record fields; everything else is kept in `extra` as JSON text.
_MAPPED = {
    "id",
    "type",
    "title",
    "author",
    *(role.csl for role in ROLES),
    "container-title",
    "issued",
    "volume",
    "issue",
    "page",
    "publisher",
    "publisher-place",
    "edition",
    "DOI",
    "PMID",
    "ISBN",
    "ISSN",
    "URL",
    "abstract",
    "keyword",
    "language",
    "note",
    "citation-key",
    "event-place",
    "collection-title",
    "reference",
}
_CROSSREF_TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "posted-content": "article",
    "monograph": "book",
    "edited-book": "book",
    "reference-entry": "entry",
    "dissertation": "thesis",
}


def parse(text: str, file: str) -> ImportResult:
    """Read a CSL-JSON document; an item that is not an object is skipped with a diagnostic."""
    name = base_name(file)
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as err:
        return ImportResult([], [Diagnostic("error", f"not valid JSON: {err.msg}", name, err.lineno)])
    except ValueError as err:  # a number of more than 4,300 digits
        return ImportResult([], [Diagnostic("error", f"not readable JSON: {err}", name)])
    except RecursionError:
        return ImportResult([], [Diagnostic("error", "not readable JSON: nested too deeply", name)])
    items = _items(data)
    if items is None:
        return ImportResult([], [Diagnostic("error", "not CSL-JSON: expected an array of items or one item", name)])
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            diagnostics.append(Diagnostic("error", "item is not a JSON object; skipped", name, record=number))
            continue
        # an untitled item too: `finish` gives it a placeholder title
        records.append(from_csl_item(item, name, number, diagnostics))
    return ImportResult(records, diagnostics)


def _items(data: object) -> list[object] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("message"), dict):
            message = data["message"]
            return message["items"] if isinstance(message.get("items"), list) else [message]
        if isinstance(data.get("items"), list):
            return data["items"]
        if any(k in data for k in ("title", "type", "author", "id")):
            return [data]
    return None


def strip_markup(text: object) -> str:
    """Plain text from a CSL rich-text value: HTML tags dropped, entities decoded, spaces folded."""
    if isinstance(text, list):  # Crossref gives titles as lists
        text = text[0] if text else ""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return " ".join(markup_to_text(text).split())


def _paragraphs(text: object) -> str:
    """A rich-text value that may hold paragraphs (an abstract): Markdown paragraphs, labels kept."""
    if isinstance(text, list):
        text = text[0] if text else ""
    return markup_to_text(text if isinstance(text, str) else "" if text is None else str(text))


def read_name(value: object) -> Person:
    """A CSL name object (family/given/particles/suffix or literal)."""
    if isinstance(value, str):
        return Person(literal=value.strip())
    if not isinstance(value, dict):
        return Person()
    if value.get("literal"):
        return Person(literal=strip_markup(value["literal"]))
    family = strip_markup(value.get("family", ""))
    for particle in ("non-dropping-particle", "dropping-particle"):
        if value.get(particle):
            family = f"{strip_markup(value[particle])} {family}".strip()
    given = strip_markup(value.get("given", ""))
    if not family and given:
        return Person(literal=given) if " " not in given else Person(family=given)
    if not family and value.get("name"):  # Crossref organisations
        return Person(literal=strip_markup(value["name"]))
    return Person(family=family, given=given, suffix=strip_markup(value.get("suffix", "")))


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        if re.fullmatch(r"-?\d+", value):
            return int(value)
        return month_number(value)
    return None


def read_date(value: object) -> tuple[int | None, str]:
    """Year and ISO partial date from a CSL date (the start of a range; seasons become months)."""
    if isinstance(value, str):
        return parse_date_text(value)
    if isinstance(value, list):  # an array of date objects (old citeproc-js form)
        return read_date(value[0]) if value else (None, "")
    if not isinstance(value, dict):
        return None, ""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts:
        first = parts[0] if isinstance(parts[0], list) else parts
        nums = [_as_int(p) for p in first[:3]] if isinstance(first, list) else []
        if nums and nums[0] is not None:
            year = nums[0]
            month = nums[1] if len(nums) > 1 else None
            day = nums[2] if len(nums) > 2 else None
            if month is not None and 13 <= month <= 24:  # season pseudo-months 13–16 / 21–24
                month = {1: 3, 2: 6, 3: 9, 0: 12}[(month - 12) % 4]
                day = None
            return year, iso_date(year, month, day)
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str):
            return parse_date_text(value[key])
    if value.get("year"):
        old_year = _as_int(value["year"])
        return old_year, iso_date(old_year, _as_int(value.get("month")), _as_int(value.get("day")))
    return None, ""


def _names(value: object) -> list[Person]:
    if not isinstance(value, list):
        return []
    return [p for p in map(read_name, value) if p != Person()]


def _text(item: dict[str, object], key: str) -> str:
    value = item.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None:
        return ""
    return " ".join(str(value).split())


def from_csl_item(
    item: dict[str, object], file: str = "", number: int = 1, diagnostics: list[Diagnostic] | None = None
) -> Record:
    """One CSL-JSON item as a Record (the inverse of `outputs.export.to_csl_item`)."""
    problems = diagnostics if diagnostics is not None else []
    csl_type = _text(item, "type") or "article-journal"
    csl_type = _CROSSREF_TYPES.get(csl_type, csl_type)
    year, date = _issued(item)
    url = ""
    if item.get("URL"):
        url, warning = check_url(_text(item, "URL"), file, number)
        if warning:
            problems.append(warning)
    abstract, fulltext = split_abstract(_paragraphs(item.get("abstract"))) if item.get("abstract") else ("", "")
    fulltext, extra, unparsed = _fulltext_and_extra(item, fulltext)
    doi = normalize_doi(_text(item, "DOI"))
    if _text(item, "DOI") and not doi:
        unparsed_value("DOI", _text(item, "DOI"), "a DOI", file, number, unparsed, problems)
    if year is None and _has_value(item.get("issued")):
        raw = item["issued"]
        text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, sort_keys=True)
        unparsed_value("issued", text, "a date", file, number, unparsed, problems)
    for variable in ("author", *(role.csl for role in ROLES)):
        value = item.get(variable)
        if isinstance(value, str) and value.strip():  # a name list written as one string
            unparsed[variable] = value
            problems.append(
                Diagnostic(
                    "warning",
                    f"{variable}: expected a list of names, found the text {value!r}; kept under `unparsed`",
                    file=file,
                    record=number,
                )
            )
    return Record(
        title=strip_markup(item.get("title", "")),
        type=csl_type,
        authors=_names(item.get("author")),
        **{role.attr: _names(item.get(role.csl)) for role in ROLES},
        container_title=strip_markup(item.get("container-title", "")),
        year=year,
        date=date,
        volume=_text(item, "volume"),
        issue=_text(item, "issue"),
        pages=normalize_pages(_text(item, "page")),
        publisher=strip_markup(item.get("publisher", "")),
        place=_text(item, "publisher-place"),
        edition=_text(item, "edition"),
        doi=doi,
        pmid=_text(item, "PMID"),
        isbn=_text(item, "ISBN"),
        issn=_text(item, "ISSN"),
        url=url,
        abstract=abstract,
        fulltext=fulltext,
        keywords=_keywords(item.get("keyword")),
        language=_text(item, "language"),
        note=str(item.get("note") or "").strip(),
        extra=extra,
        unparsed=unparsed,
        citekey=meaningful_citekey(_text(item, "id")),
        references=read_references(item.get("reference")),
        source=Source(file=file, format=FORMAT, record=number),
    )


_REFERENCE_KEYS = {
    "key": "key",
    "DOI": "doi",
    "PMID": "pmid",
    "author": "author",
    "year": "year",
    "article-title": "title",
    "journal-title": "container",
    "volume-title": "container",
    "series-title": "container",
    "volume": "volume",
    "first-page": "page",
    "unstructured": "unstructured",
}
"""Crossref's reference fields (the ones CSL-JSON from Crossref carries) and where they go."""


def read_references(value: object) -> list[Reference]:
    """Crossref's `reference` list: each entry's identifying fields as text; entries that say
    nothing are left out."""
    if not isinstance(value, list):
        return []
    found = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        fields: dict[str, str] = {}
        for key, attr in _REFERENCE_KEYS.items():
            text = entry.get(key)
            if isinstance(text, (str, int)) and not isinstance(text, bool) and str(text).strip() and attr not in fields:
                fields[attr] = " ".join(str(text).split())
        if "doi" in fields:
            fields["doi"] = normalize_doi(fields["doi"]) or fields["doi"]
        if fields:
            found.append(Reference(**fields))
    return found


def _has_value(value: object) -> bool:
    """True for a date that says something: not null, "", [] or {"date-parts": [[]]}."""
    if isinstance(value, dict):
        return any(_has_value(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_value(v) for v in value)
    return value not in (None, "")


def _issued(item: dict[str, object]) -> tuple[int | None, str]:
    """Year and date of `issued`; failing that, of the dates Crossref gives instead."""
    year, date = read_date(item.get("issued"))
    if year is None:
        for key in ("published-print", "published-online", "published", "created"):
            year, date = read_date(item.get(key))
            if year is not None:
                break
    return year, date


def _keywords(value: object) -> list[str]:
    """`keyword` as a list: CSL writes one string, some exporters an array.

    A string is split on ";" when present, so keywords holding commas ("Receptor, ErbB-2")
    survive, on "," otherwise.
    """
    if isinstance(value, str):
        return [k.strip() for k in value.split(";" if ";" in value else ",") if k.strip()]
    if isinstance(value, list):
        return [str(k).strip() for k in value if str(k).strip()]
    return []


def _fulltext_and_extra(item: dict[str, object], fulltext: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The full text, and what no Record field took (as JSON text unless a string).

    What our own export carried in CSL's `custom` object is read back: the full text, if the
    abstract did not hold one, and the extra fields, so export and import round-trip.
    """
    extra: dict[str, str] = {}
    unparsed: dict[str, str] = {}
    custom = item.get("custom")
    ours = custom.get("litweave") if isinstance(custom, dict) else None
    if isinstance(ours, dict):
        if isinstance(ours.get("fulltext"), str) and not fulltext:
            fulltext = ours["fulltext"]
        if isinstance(ours.get("extra"), dict):
            extra.update((str(k), str(v)) for k, v in ours["extra"].items())
        if isinstance(ours.get("unparsed"), dict):
            unparsed.update((str(k), str(v)) for k, v in ours["unparsed"].items())
    for key, value in item.items():
        if key in _MAPPED or value in (None, "", [], {}) or (key == "custom" and isinstance(ours, dict)):
            continue
        extra[key] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return fulltext, extra, unparsed
