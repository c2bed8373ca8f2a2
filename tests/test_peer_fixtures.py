"""Our importers checked against peer projects' expected results on the shared fixtures.

Reads `../shared/fixtures` in place (see its README for the expected-file kinds). Every input
must import or fail with a diagnostic naming the file; where a peer's expectation exists, our
CSL-JSON export is compared with it on record count, title, author family names in order, year,
container title, DOI, volume, issue and pages, editors' family names, and (where the peer pairs
records by citation key) that the key the record came with is kept as our `citekey`. `pytest -s`
prints an agreement table per format and per peer; the run fails below 97 % overall. `NOTES` (end
of the module) explains every kind of disagreement that remains and the last table.

Normalisations applied to both sides, because they are presentation rather than content:
- whitespace runs are one space, and text is NFC;
- titles and container titles compare without case: Better BibTeX and Zotero recase titles to
  sentence case on import, a styling choice CSL processors also make at output;
- LaTeX in a peer's raw BibTeX values (JabRef, bibtexparser 1.x keep `{\\"o}`) is decoded, and
  HTML markup in a CSL title is dropped, since our records hold display text;
- CSL name particles ("non-dropping-particle") are joined to the family name, as our Person does;
- page ranges compare with `-`, `--` and `–` as one dash; MEDLINE's "11118-28" is expanded
  (Biopython's raw PG and JabRef's BibTeX from a MEDLINE file alike);
- names in a peer's BibTeX are split by BibTeX's own rules (`strict=True`), as the peer does;
- DOIs compare case-insensitively without `doi:`/resolver prefixes;
- a year is the first four-digit number of the peer's date ("0000", Zotero's mark for a date it
  could not read, counts as no year).

A transcribed expectation with `"count": null` does not assert the record count (unless its
record list is `exact`, the whole parse), so no count is checked for it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from litweave.authors import parse_name
from litweave.exporters.csljson import to_csl_json
from litweave.importers import PARSERS
from litweave.importers.detect import detect_format
from litweave.importers.encoding import decode
from litweave.importers.identity import normalize_doi
from litweave.importers.latex import latex_to_unicode
from litweave.importers.names import parse_bibtex_name, parse_medline_name, split_bibtex_names
from litweave.importers.normalize import expand_short_range

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
FIELDS = ("title", "authors", "editors", "year", "container", "doi", "volume", "issue", "pages")
THRESHOLD = 0.97

pytestmark = pytest.mark.skipif(
    not (FIXTURES / "manifest.json").is_file(),
    reason=f"peer fixtures not found at {FIXTURES} (expected ../shared/fixtures beside the repository)",
)

Comparable = dict[str, Any]


@dataclass
class Expectation:
    """A peer's expected result reduced to the fields we compare."""

    peer: str
    match: str
    """index (records pair by position), key (by citation key), first, each, count, none."""
    count: int | None
    records: list[Comparable] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


# ---- normalisers -------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def _strip_html(value: object) -> str:
    return _text(re.sub(r"<[^>]+>", "", _text(value)))


def _pages(value: object) -> str:
    text = _text(value)
    return re.sub(r"\s*(?:--|-|\u2013|\u2014)\s*", "\u2013", text)


def _year(value: object) -> str:
    m = re.search(r"(?<!\d)(\d{4})(?!\d)", _text(value))
    # Zotero writes "0000" for a date string it could not read: no year
    return m.group(1) if m and m.group(1) != "0000" else ""


def _bib_families(value: str) -> list[str]:
    # the peer's own reading: BibTeX's rules exactly, without our guess for all-lower-case names
    people = [
        parse_bibtex_name(n, latex_to_unicode, strict=True)
        for n in split_bibtex_names(value)
        if n.strip().casefold() != "others"
    ]
    return [_text(p.family or p.literal) for p in people]


def _csl_family(name: dict[str, object]) -> str:
    if name.get("literal"):
        return _strip_html(name["literal"])
    family = _strip_html(name.get("family", ""))
    particle = _text(name.get("non-dropping-particle", "")) or _text(name.get("dropping-particle", ""))
    family = f"{particle} {family}".strip() if particle else family
    return family or _text(name.get("given", ""))


def _clean(record: dict[str, Any]) -> Comparable:
    """Drop fields the peer does not assert; normalise the rest."""
    out: Comparable = {}
    for key, value in record.items():
        if value in (None, "", []):
            continue
        if key == "doi":
            value = normalize_doi(str(value)) or _text(value).casefold()
        elif key == "pages":
            value = _pages(value)
        elif key in ("title", "container"):
            value = _strip_html(value).casefold()
        elif key in ("authors", "editors"):
            value = [_text(v) for v in value]  # type: ignore[union-attr]
        else:
            value = _text(value)
        out[key] = value
    return out


# ---- our side ----------------------------------------------------------------------------


def from_csl(item: dict[str, Any]) -> Comparable:
    """The compared fields of one CSL-JSON item (ours or a peer's)."""
    issued = item.get("issued")
    year = ""
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0] and parts[0][0] is not None:
            year = _year(parts[0][0])
        else:
            year = _year(issued.get("raw") or issued.get("literal") or "")
    names = item.get("author") if isinstance(item.get("author"), list) else []
    editors = item.get("editor") if isinstance(item.get("editor"), list) else []
    return _clean(
        {
            "title": _strip_html(item.get("title")),
            "authors": [_csl_family(n) for n in names if isinstance(n, dict)],  # type: ignore[union-attr]
            "editors": [_csl_family(n) for n in editors if isinstance(n, dict)],  # type: ignore[union-attr]
            "year": year,
            "container": _strip_html(item.get("container-title")),
            "doi": item.get("DOI"),
            "volume": item.get("volume"),
            "issue": item.get("issue"),
            "pages": item.get("page"),
        }
    )


def our_records(path: Path, fmt: str) -> tuple[list[Comparable], list[str], list[str]]:
    """Our comparable records, their citation keys, and the diagnostics as text."""
    text, problems = decode(path.read_bytes(), path.name)
    result = PARSERS[fmt](text, path.name)
    items = to_csl_json(result.records)
    keys = [r.citekey for r in result.records]
    return [from_csl(i) for i in items], keys, [str(d) for d in problems + result.diagnostics]


# ---- peers' sides ------------------------------------------------------------------------


def from_bibtex_fields(fields: dict[str, str], persons: dict[str, list[str]] | None = None) -> Comparable:
    """Compared fields of a BibTeX-named record (JabRef, bibtexparser 1.x, pybtexnbib)."""
    f = {k.casefold(): v for k, v in fields.items()}
    if persons and persons.get("author"):
        authors = [_text(parse_name(p).family or parse_name(p).literal) for p in persons["author"]]
    else:
        authors = _bib_families(f.get("author", ""))
    return _clean(
        {
            "title": latex_to_unicode(f.get("title", "")),
            "authors": authors,
            "editors": _bib_families(f.get("editor", "")),
            "year": _year(f.get("year") or f.get("date") or ""),
            "container": latex_to_unicode(f.get("journal") or f.get("journaltitle") or f.get("booktitle") or ""),
            "doi": f.get("doi"),
            "volume": latex_to_unicode(f.get("volume", "")),
            "issue": latex_to_unicode(f.get("number") or f.get("issue") or ""),
            "pages": latex_to_unicode(f.get("pages", "")),
        }
    )


_ZOTERO_SECONDARY = {
    "editor",
    "seriesEditor",
    "translator",
    "bookAuthor",
    "reviewedAuthor",
    "contributor",
    "recipient",
    "cosponsor",
    "counsel",
    "commenter",
    "wordsBy",
    "castMember",
    "guest",
    "attorneyAgent",
    "interviewer",
    "producer",
    "scriptwriter",
}
_ZOTERO_CONTAINERS = (
    "publicationTitle",
    "bookTitle",
    "proceedingsTitle",
    "encyclopediaTitle",
    "dictionaryTitle",
    "websiteTitle",
    "blogTitle",
    "forumTitle",
    "programTitle",
    "reporter",
    "code",
)


def from_zotero(item: dict[str, Any]) -> Comparable:
    """Compared fields of a Zotero item (translators' tests, Better BibTeX)."""
    creators = item.get("creators") or []
    families = [
        _text(c.get("lastName") or c.get("name") or "")  # type: ignore[union-attr]
        for c in creators  # type: ignore[union-attr]
        if isinstance(c, dict) and c.get("creatorType", "author") not in _ZOTERO_SECONDARY
    ]
    editors = [
        _text(c.get("lastName") or c.get("name") or "")
        for c in creators  # type: ignore[union-attr]
        if isinstance(c, dict) and c.get("creatorType") == "editor"
    ]
    doi = item.get("DOI") or ""
    if not doi:
        m = re.search(r"^DOI:\s*(\S+)", str(item.get("extra") or ""), re.MULTILINE | re.IGNORECASE)
        doi = m.group(1) if m else ""
    title = item.get("title") or item.get("caseName") or item.get("nameOfAct") or item.get("subject") or ""
    return _clean(
        {
            "title": title,
            "authors": families,
            "editors": editors,
            "year": _year(
                item.get("date") or item.get("dateDecided") or item.get("dateEnacted") or item.get("issueDate") or ""
            ),
            "container": next((item[k] for k in _ZOTERO_CONTAINERS if item.get(k)), ""),
            "doi": doi,
            "volume": item.get("volume") or item.get("codeVolume") or item.get("reporterVolume"),
            "issue": item.get("issue"),
            "pages": item.get("pages") or item.get("firstPage") or item.get("codePages"),
        }
    )


_RISPY_CONTAINERS = ("secondary_title", "alternate_title3", "journal_name", "alternate_title2", "alternate_title1")


def from_rispy(rec: dict[str, Any]) -> Comparable:
    """Compared fields of a rispy record (RIS tags under rispy's names)."""
    authors = list(rec.get("authors") or []) + list(rec.get("first_authors") or [])  # type: ignore[arg-type]
    pages = "-".join(p for p in (_text(rec.get("start_page")), _text(rec.get("end_page"))) if p)
    return _clean(
        {
            "title": rec.get("title") or rec.get("primary_title"),
            "authors": [parse_name(str(a)).family or parse_name(str(a)).literal for a in authors],
            "year": _year(rec.get("year") or rec.get("publication_year") or rec.get("date") or ""),
            "container": next((rec[k] for k in _RISPY_CONTAINERS if rec.get(k)), ""),
            "doi": rec.get("doi"),
            "volume": rec.get("volume"),
            "issue": rec.get("number"),
            "pages": pages,
        }
    )


def from_medline_tags(rec: dict[str, Any]) -> Comparable:
    """Compared fields of a Biopython Medline record (raw tags)."""

    def as_list(v: object) -> list[str]:
        return [str(x) for x in v] if isinstance(v, list) else ([str(v)] if v else [])

    fau, au = as_list(rec.get("FAU")), as_list(rec.get("AU"))
    if fau:
        families = [parse_medline_name("", f).family for f in fau]
    else:
        families = [parse_medline_name(a).family or parse_medline_name(a).literal for a in au]
    doi = next(
        (a[: -len("[doi]")] for a in as_list(rec.get("AID")) + as_list(rec.get("LID")) if a.endswith("[doi]")), ""
    )
    return _clean(
        {
            "title": rec.get("TI") or rec.get("BTI"),
            "authors": families,
            "year": _year(rec.get("DP") or ""),
            "container": rec.get("JT") or rec.get("TA") or "",
            "doi": doi,
            "volume": rec.get("VI"),
            "issue": rec.get("IP"),
            "pages": expand_short_range(_text(rec.get("PG"))) if rec.get("PG") else "",
        }
    )


def _asserted(record: Comparable, raw: dict[str, Any], names: dict[str, tuple[str, ...]]) -> Comparable:
    """In `subset` mode keep only the compared fields whose source keys the peer listed."""
    return {k: v for k, v in record.items() if any(n in raw for n in names.get(k, ()))}


_RISPY_KEYS = {
    "title": ("title", "primary_title"),
    "authors": ("authors", "first_authors"),
    "year": ("year", "publication_year", "date"),
    "container": _RISPY_CONTAINERS,
    "doi": ("doi",),
    "volume": ("volume",),
    "issue": ("number",),
    "pages": ("start_page", "end_page"),
}
_MEDLINE_KEYS = {
    "title": ("TI", "BTI"),
    "authors": ("AU", "FAU"),
    "year": ("DP",),
    "container": ("JT", "TA"),
    "doi": ("AID", "LID"),
    "volume": ("VI",),
    "issue": ("IP",),
    "pages": ("PG",),
}


def load_expectation(path: Path) -> Expectation | None:
    """The expectation in one expected-result file, reduced to compared fields."""
    peer = path.name.split("-", 1)[0]
    name = path.name
    if name.endswith(".expected.bib"):
        lib = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
        # JabRef leaves every key empty, so later entries come back as duplicate-key blocks
        blocks = [getattr(b, "ignore_error_block", b) for b in lib.blocks]
        entries = [e for e in blocks if isinstance(e, bibtexparser.model.Entry)]
        recs = [from_bibtex_fields({f.key: str(f.value) for f in e.fields}) for e in entries]
        if path.parent.name == "medline":
            # JabRef keeps MEDLINE's short page form ("454-81"): the same range, expanded as ours
            for rec in recs:
                if rec.get("pages"):
                    rec["pages"] = _pages(expand_short_range(rec["pages"].replace("\u2013", "-")))
        return Expectation(peer, "index", len(recs), recs)
    data = json.loads(path.read_text(encoding="utf-8"))
    if name.endswith(".expected.csl.json"):
        items = data if isinstance(data, list) else data.get("records", [])
        count = len(items) if isinstance(data, list) else data.get("count", len(items))
        return Expectation(peer, "index", count, [from_csl(i) for i in items])
    if name.endswith(".expected.zotero.json"):
        items = [i for i in data.get("items", []) if i.get("itemType") not in ("note", "attachment")]
        recs = [from_zotero(i) for i in items]
        if all(i.get("citationKey") for i in items) and items:
            # Better BibTeX lists items in its own order: pair them by citation key
            return Expectation(peer, "key", len(items), recs, [i["citationKey"] for i in items])
        return Expectation(peer, "index", len(items), recs)
    if "tests" in data:  # bibtexparser 1.x unittest values
        return _bibtexparser_expectation(path, data)
    if path.parent.name == "csljson":  # manubot: the pruned item(s)
        items = data if isinstance(data, list) else [data]
        return Expectation(peer, "index", len(items), [from_csl(i) for i in items])
    return _transcribed_expectation(peer, data)


def _bibtexparser_expectation(path: Path, data: dict[str, Any]) -> Expectation | None:
    source = path.name.split("-", 1)[1].replace(".expected.json", ".bib")
    for test in data["tests"]:  # type: ignore[union-attr]
        if test["options"] or test["involves_writer"] or test["data_files"] != [source]:
            continue
        for value in test["expected"].values():
            if isinstance(value, list) and all(isinstance(v, dict) and "ENTRYTYPE" in v for v in value):
                recs = [from_bibtex_fields({k: str(v) for k, v in e.items()}) for e in value]
                return Expectation("bibtexparser", "key", len(value), recs, [e["ID"] for e in value])
    return None


def _transcribed_expectation(peer: str, data: dict[str, Any]) -> Expectation | None:
    """rispy, Biopython, JabRef and pybtexnbib values transcribed from their tests."""
    match = str(data.get("match", ""))
    raw_records = data.get("records") or []
    producer = str(data.get("producer", "")).casefold()
    recs: list[Comparable] = []
    keys: list[str] = []
    for raw in raw_records:  # type: ignore[union-attr]
        if "rispy" in producer:
            rec = from_rispy(raw)
            if not match.startswith("exact"):
                rec = _asserted(rec, raw, _RISPY_KEYS)
        elif "bio.medline" in producer:
            rec = _asserted(from_medline_tags(raw), raw, _MEDLINE_KEYS)
        elif "persons" in raw or "fields" in raw:
            rec = from_bibtex_fields(raw.get("fields", {}), raw.get("persons"))
        else:
            rec = from_bibtex_fields(
                {k: str(v) for k, v in raw.items() if not k.startswith("_") and v not in (None, "<present>")}
            )
        recs.append(rec)
        keys.append(str(raw.get("_key", "")))
    count = data.get("count")
    if match.startswith(("count", "decode")):
        return Expectation(peer, "count", count)  # type: ignore[arg-type]
    if match.startswith("recognition"):
        return Expectation(peer, "recognition", count)  # type: ignore[arg-type]
    if match.startswith("first"):
        return Expectation(peer, "first", count, recs[:1])  # type: ignore[arg-type]
    if match.startswith("each"):
        return Expectation(peer, "each", count, recs[:1])  # type: ignore[arg-type]
    if match.startswith("subset-by-key"):
        return Expectation(peer, "key", count, recs, keys)  # type: ignore[arg-type]
    if count is None and match.startswith("exact"):
        count = len(recs)  # an exact record list is the whole parse; otherwise null = not asserted
    return Expectation(peer, "index", count, recs)  # type: ignore[arg-type]


# ---- comparison --------------------------------------------------------------------------


@dataclass
class Tally:
    agree: int = 0
    total: int = 0
    disagreements: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.agree += ok
        if not ok:
            self.disagreements.append(what)


def compare(
    file: str,
    fmt: str,
    ours: list[Comparable],
    our_keys: list[str],
    detected: str | None,
    exp: Expectation,
    tally: Tally,
) -> None:
    """Add one file's field checks to `tally`."""
    if exp.match == "recognition":
        tally.add((detected == fmt) == bool(exp.count), f"{file}: recognised as {detected}")
        return
    if exp.count is not None and exp.match != "first":
        tally.add(len(ours) == exp.count, f"{file}: count {len(ours)} != {exp.count}")
    if exp.match == "count":
        return
    pairs: list[tuple[int, Comparable, Comparable | None]] = []
    if exp.match == "key":
        index = {k: i for i, k in enumerate(our_keys)}
        for k in exp.keys:  # the citation key the record came with is kept (our `citekey`)
            if k:
                tally.add(k in index, f"{file}: citation key {k!r} not kept")
        # an entry written without a key gets one from each tool: pair those by position
        pairs = [
            (i, e, ours[index[k]] if k in index else (ours[i] if i < len(ours) else None))
            for i, (k, e) in enumerate(zip(exp.keys, exp.records, strict=False))
        ]
    elif exp.match == "each":
        pairs = [(i, exp.records[0], o) for i, o in enumerate(ours)]
    else:
        pairs = [(i, e, ours[i] if i < len(ours) else None) for i, e in enumerate(exp.records)]
    for i, expected, got in pairs:
        for key in FIELDS:
            if key not in expected:
                continue
            value = got.get(key) if got is not None else None
            tally.add(value == expected[key], f"{file} #{i + 1} {key}: ours {value!r} != peer {expected[key]!r}")


def run_comparison() -> tuple[dict[tuple[str, str], Tally], list[str]]:
    """Tallies per (format, peer) and the list of files that failed to import at all."""
    manifest = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    unusable: list[str] = []
    for entry in manifest["inputs"]:
        path = FIXTURES / entry["file"]
        fmt = entry["format"]
        ours, keys, problems = our_records(path, fmt)
        text, _ = decode(path.read_bytes(), path.name)
        detected = detect_format(text, path.name)
        if not ours and not any(path.name in p for p in problems):
            unusable.append(f"{entry['file']}: no records and no diagnostic naming the file")
        if not entry.get("expected"):
            continue
        exp = load_expectation(FIXTURES / entry["expected"])
        if exp is None:
            continue
        compare(entry["file"], fmt, ours, keys, detected, exp, tallies[(fmt, exp.peer)])
    return tallies, unusable


def format_table(tallies: dict[tuple[str, str], Tally]) -> str:
    rows = ["| format | peer | agree | checked | % |", "|---|---|---|---|---|"]
    by_format: dict[str, Tally] = defaultdict(Tally)
    for (fmt, peer), t in sorted(tallies.items()):
        rows.append(f"| {fmt} | {peer} | {t.agree} | {t.total} | {100 * t.agree / max(t.total, 1):.1f} |")
        by_format[fmt].agree += t.agree
        by_format[fmt].total += t.total
    for fmt, t in sorted(by_format.items()):
        rows.append(f"| {fmt} | all | {t.agree} | {t.total} | {100 * t.agree / max(t.total, 1):.1f} |")
    agree = sum(t.agree for t in tallies.values())
    total = sum(t.total for t in tallies.values())
    rows.append(f"| all | all | {agree} | {total} | {100 * agree / max(total, 1):.1f} |")
    return "\n".join(rows)


def test_every_input_imports_or_names_the_problem() -> None:
    _, unusable = run_comparison()
    assert unusable == []


def test_agreement_with_peers() -> None:
    tallies, _ = run_comparison()
    print("\n" + format_table(tallies))
    for (fmt, peer), t in sorted(tallies.items()):
        for d in t.disagreements:
            print(f"  [{fmt}/{peer}] {d}")
    agree = sum(t.agree for t in tallies.values())
    total = sum(t.total for t in tallies.values())
    assert total > 1000, "too few checks: expected-result files were not read"
    assert agree / total >= THRESHOLD, format_table(tallies)


NOTES = """
Last run (fields agreeing / fields checked; a record-count check counts as one field):

| format | peer | agree | checked | % |
|---|---|---|---|---|
| bibtex | bbt | 350 | 358 | 97.8 |
| bibtex | bibtexparser | 166 | 167 | 99.4 |
| bibtex | citationjs | 365 | 369 | 98.9 |
| bibtex | jabref | 29 | 30 | 96.7 |
| bibtex | zotero | 139 | 146 | 95.2 |
| csljson | manubot | 58 | 58 | 100.0 |
| csljson | zotero | 5 | 5 | 100.0 |
| medline | biopython | 40 | 40 | 100.0 |
| medline | jabref | 31 | 33 | 93.9 |
| medline | pybtexnbib | 5 | 5 | 100.0 |
| medline | zotero | 89 | 90 | 98.9 |
| refer | citationjs | 62 | 62 | 100.0 |
| refer | jabref | 41 | 43 | 95.3 |
| refer | zotero | 19 | 20 | 95.0 |
| ris | citationjs | 59 | 59 | 100.0 |
| ris | jabref | 126 | 140 | 90.0 |
| ris | rispy | 70 | 70 | 100.0 |
| ris | zotero | 346 | 366 | 94.5 |
| bibtex | all | 1049 | 1070 | 98.0 |
| csljson | all | 63 | 63 | 100.0 |
| medline | all | 165 | 168 | 98.2 |
| refer | all | 122 | 125 | 97.6 |
| ris | all | 601 | 635 | 94.6 |
| all | all | 2000 | 2061 | 97.0 |

Disagreements kept, by cause (run with -s to list each one):

- Unknown LaTeX commands: one with an argument (`\\unknown{word}`) gives its argument; a bare one
  (`\\aap`, a journal macro) is kept as written, as BBT and citation-js keep it.
- Editors (RIS A2 is an editor for every type but those where EndNote gives it another meaning:
  a bill's sponsor, a case's, a map's…): Zotero RIS-05 #8 counts a book's A3 (series editor, our
  `collection_editors`) as an editor, and #21 an A2 of a journal article we read as an editor
  too; JabRef MEDLINE reads FED "Some test data" with BibTeX's von rule ("test data").
- BBT Endnote_should_parse: the entry has no key; "Huang2012" is the one BBT made up (we make ours at export).

- Zotero RIS-03 / RIS-05 (20 checks): the README's placeholder "AGGR/BILL" cases, every value
  the name of an EndNote or ProCite field. Zotero maps tags per item type beyond what the RIS
  spec or EndNote's own tables say (J2 "Abbreviation" or "Periodical Title" as the container of a
  chapter, dictionary, blog or web page; ST as a case's or statute's title; a grant's M1 "Status"
  as its issue; A2 of music as a primary creator) and reads ProCite's "N1 - Volume ID: …" notes
  back into fields. We adopted the two that are EndNote's documented meaning: C3 is a conference
  paper's proceedings title, A2 a bill's sponsor (its author).
- RIS M1: read as the issue when IS is absent, for the types whose M1 EndNote fills with the issue
  or number (JOUR, EJOUR, MGZN, NEWS, GEN, UNPB…) and when it reads as one ("3", "Suppl 2"), as
  JabRef and Zotero do. Not taken: a chapter's M1 (EndNote: number of volumes; JabRef
  RisImporterTest3 wants "0"), a copyright line (RisImporterTest5a). JabRef RisImporterTestDOI and
  Test6 read AN (the accession number: a PMID, a PMC id) as the issue; we keep AN in `extra`.
- JabRef RIS journal title (4 checks): JabRef prefers JO ("J. Chem. Phys.") where T2 and JF give
  the full title; JO holds the abbreviation in these exports (and for Zotero and RefDB), so we take
  T2, JF, then JO and keep the abbreviation in `extra`.
- JabRef RisImporterTest1, a torture record: a TY with only stray fields before the next TY now
  stays in the record (so 1 record, as JabRef), while a TY followed by a title or author still
  starts a record when an ER was left out. Kept: JabRef joins five T1/TI lines into one title (we
  take TI), counts A2 of a thesis as authors, and prefers JO for the container.
- JabRef RisImporterTest7 (A2 of a book: editors, JabRef adds them to the authors) and Test3 /
  TestDoiAndJournalTitle (JabRef splits a comma-less RIS name as "Given Family"): the RIS spec
  writes names "Family, Given", so a comma-less name is kept whole, as Zotero and citation-js do
  ("De Vlinderstichting", "Monographic Author"). Test6: the file's em dash, where JabRef's
  expected BibTeX has "--".
- MEDLINE: JabRef drops the collective author (CN); we keep it as a literal author, as PubMed
  cites it. Zotero MEDLINE-09 puts the pii of an article ahead of print in pages; we take a pii as
  the article number only when PubMed's citation (SO) shows it and the article is published
  (MEDLINE-06, "2021;4(1):1042"), since an article ahead of print gets real pages later.
- Refer: JabRef maps a thesis %R to doi (README quirk) and takes "%R doi:testR" as a DOI; a DOI
  must look like one. zotero-ReferBibIX-01 has two %J lines (Chinese, then English): Zotero keeps
  the last, JabRef (Endnote.entries #2) the first, as we do; the other goes to `extra`.
- BibTeX journal abbreviations (BBT, Zotero: "Nano Lett." vs "Nano Letters"): the peers expand
  abbreviations from their own journal lists; we keep the title as written (we do take
  MathSciNet's `fjournal`, the full title the file itself gives).
- BibTeX names: Zotero puts BibTeX's "von" part in the given name ("American Rights at | Work");
  BibTeX's rules, which we follow, make it part of the family name. BBT keeps "and others" as an
  author called "others"; we read it as "et al." and drop it. Zotero-22 keeps the space that ends
  `\\textquotesingle`; LaTeX drops it. citation-js keeps an empty name from "A and ," and
  treats `\\begin{center} and \\end{center}` as a group; BibTeX splits at that "and".
- BibTeX LaTeX: BBT renders {\\'\\i} as dotless i + combining accent ("Krejčı́", we give
  "Krejčí") and $\\mu$ as math italic 𝜇; Zotero-BibTeX-10 has literal TABs where \\t was meant
  (README); Zotero-BibTeX-06 reads a bare \\~ as "∼" (we give "~"); Zotero-BibTeX-19 turns
  "TEL" into "℡" and leaves `\\\\` escapes raw; citation-js renders \\href{url}{text} as the url.
- BibTeX undefined @string macro: we keep its name with a warning, as Better BibTeX (and JabRef,
  as "#name#") do; citation-js and BibTeX itself make it empty (citationjs-string-and-preamble).
- bibtexparser-wrong.bib: bibtexparser 1.x drops an entry of unknown type @wrong; BibTeX itself
  formats it with its default type, and we import it as a generic document.
- BBT Better_BibTeX.003 #2: BBT makes a @proceedings with a booktitle a book section; we keep
  the proceedings a book and its booktitle in `extra`.
"""
