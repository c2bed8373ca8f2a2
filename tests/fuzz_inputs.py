"""Structured generators of near-valid input for the importers, the detector, the decoder and
the front-matter reader, and the properties every reader must keep on them.

Shared by the property tests (tests/test_fuzz_*.py, a moderate number of examples in CI) and
by the long-run fuzzer (bench/fuzz.py, hundreds of thousands). Random bytes alone almost never
get past the first check of a parser, so the generators build files the way the formats are
written (tags, record separators, braces, JSON objects) and then spoil them: unknown tags,
values of any unicode, control characters, markup, `javascript:` URLs, very long fields, and
files cut at any point.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from hypothesis import strategies as st

from litweave.model import Diagnostic, ImportResult, Record

# ---------------------------------------------------------------------------------------------
# Values

_CONTROL = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\u2028\u2029\u200b\u200e\u202e\ufeff\ufffd"
_SYNTAX = "%-{}[]\\@,=\"'#:~^$&|<>/\n\r\t "
_WORDS = [
    "HER2",
    "trastuzumab",
    "résistance",
    "Müller",
    "naïve",
    "IGF-IR",
    '{\\"o}',
    "\\'e",
    "$\\alpha$",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "!!python/object:os.system",
    "&amp;",
    "Ã©",
    "â€™",
    "10.1000/xyz",
    "doi:10.1/ABC",
    "PMID- 123",
    "TY  - JOUR",
    "ER  -",
    "%T",
    "@article{",
    "}",
    "---",
    "null",
    "~",
    "yes",
    "1e309",
    "-0",
    "٣",
    "𝔘𝔫𝔦",
    "日本語",
    "\u0301",
]


def text_value(max_size: int = 60) -> st.SearchStrategy[str]:
    """Field values: words from the domain and from the formats' own syntax, mixed with any
    unicode character and a good share of control characters."""
    pieces = st.one_of(
        st.sampled_from(_WORDS),
        st.text(alphabet=_SYNTAX + _CONTROL, min_size=1, max_size=4),
        st.text(min_size=1, max_size=12),
        st.text(alphabet="abcdefghij ABC.,;:()0123456789", min_size=1, max_size=20),
    )
    return st.lists(pieces, max_size=max(1, max_size // 6)).map(" ".join)


def huge_value() -> st.SearchStrategy[str]:
    """A long field (up to some ten thousand characters, repeated material as in a pasted PDF)."""
    return st.tuples(text_value(30), st.integers(50, 400)).map(lambda p: (p[0] + " ") * p[1])


def value(long_ok: bool = True) -> st.SearchStrategy[str]:
    """Mostly ordinary values; one in twenty long."""
    if not long_ok:
        return text_value()
    return st.integers(0, 19).flatmap(lambda n: huge_value() if n == 0 else text_value())


def truncate(text: str, where: int | None) -> str:
    """The file cut at a point (a download interrupted, a copy into a text box)."""
    return text if where is None else text[: where % (len(text) + 1)]


def _finish(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Optionally a BOM, CRLF line ends, and a cut at any point."""
    return st.tuples(parts, st.booleans(), st.booleans(), st.none() | st.integers(0, 10**6)).map(
        lambda p: ("\ufeff" if p[1] else "") + truncate(p[0].replace("\n", "\r\n") if p[2] else p[0], p[3])
    )


# ---------------------------------------------------------------------------------------------
# Formats

_RIS_TAGS = [
    "TY",
    "TI",
    "T1",
    "AU",
    "A1",
    "PY",
    "Y1",
    "DA",
    "JO",
    "JF",
    "T2",
    "VL",
    "IS",
    "SP",
    "EP",
    "DO",
    "UR",
    "AB",
    "N2",
    "KW",
    "SN",
    "PB",
    "CY",
    "LA",
    "N1",
    "ID",
    "L1",
    "ST",
    "BT",
    "ED",
    "M3",
    "XX",
    "ZZ",
]
_RIS_TYPES = ["JOUR", "BOOK", "CHAP", "CONF", "THES", "RPRT", "GEN", "ELEC", "???", ""]


@st.composite
def ris_file(draw: st.DrawFn) -> str:
    records = []
    for _ in range(draw(st.integers(0, 4))):
        lines = [f"TY  - {draw(st.sampled_from(_RIS_TYPES))}"] if draw(st.integers(0, 9)) else []
        for _ in range(draw(st.integers(0, 10))):
            tag = draw(st.sampled_from(_RIS_TAGS) | st.text("ABCXYZ019 ", min_size=0, max_size=3))
            sep = draw(st.sampled_from(["  - ", " - ", "  -", "- ", "   - ", "\t- "]))
            lines.append(f"{tag}{sep}{draw(value())}")
            if draw(st.integers(0, 7)) == 0:
                lines.append(draw(text_value(20)))  # a continuation line
        if draw(st.integers(0, 9)):
            lines.append("ER  - ")
        records.append("\n".join(lines))
    return draw(_finish(st.just(draw(st.sampled_from(["\n\n", "\n", "\n\n\n"])).join(records))))


_MEDLINE_TAGS = [
    "PMID",
    "TI",
    "BTI",
    "AB",
    "FAU",
    "AU",
    "CN",
    "TA",
    "JT",
    "DP",
    "VI",
    "IP",
    "PG",
    "AID",
    "LID",
    "MH",
    "OT",
    "PT",
    "IS",
    "LA",
    "PB",
    "ISBN",
    "OWN",
    "STAT",
    "SO",
    "PMC",
    "XXXX",
    "Q",
]


@st.composite
def medline_file(draw: st.DrawFn) -> str:
    records = []
    for _ in range(draw(st.integers(0, 4))):
        lines = [f"PMID- {draw(st.integers(0, 10**9) | st.just(-1))}"] if draw(st.integers(0, 9)) else []
        for _ in range(draw(st.integers(0, 10))):
            tag = draw(st.sampled_from(_MEDLINE_TAGS))
            lines.append(f"{tag:<4}- {draw(value())}")
            for _ in range(draw(st.integers(0, 2))):
                lines.append("      " + draw(text_value(30)))
        records.append("\n".join(lines))
    return draw(_finish(st.just("\n\n".join(records))))


_REFER_TAGS = list("0TAEDJVNPRXKUBCIS@MLFZ7W8!+#$") + ["[", "]", "(", ")", "~", "^", "?"]


@st.composite
def refer_file(draw: st.DrawFn) -> str:
    records = []
    for _ in range(draw(st.integers(0, 4))):
        lines = []
        if draw(st.integers(0, 9)):
            lines.append(f"%0 {draw(st.sampled_from(['Journal Article', 'Book', 'Book Section', 'Thesis', 'Zzz']))}")
        for _ in range(draw(st.integers(0, 10))):
            sep = draw(st.sampled_from([" ", "\t", "", "  "]))
            lines.append(f"%{draw(st.sampled_from(_REFER_TAGS))}{sep}{draw(value())}")
            if draw(st.integers(0, 6)) == 0:
                lines.append(draw(text_value(20)))
        records.append("\n".join(lines))
    return draw(_finish(st.just(draw(st.sampled_from(["\n\n", "\n", "\n \n"])).join(records))))


_BIB_TYPES = [
    "article",
    "book",
    "inproceedings",
    "incollection",
    "misc",
    "phdthesis",
    "string",
    "preamble",
    "comment",
    "online",
    "ARTICLE",
    "zz",
]
_BIB_FIELDS = [
    "title",
    "author",
    "editor",
    "journal",
    "journaltitle",
    "year",
    "date",
    "month",
    "volume",
    "number",
    "pages",
    "doi",
    "url",
    "abstract",
    "keywords",
    "booktitle",
    "crossref",
    "publisher",
    "isbn",
    "issn",
    "pmid",
    "note",
    "subtitle",
    "eprint",
    "x-y",
    "ti tle",
]


@st.composite
def bib_value(draw: st.DrawFn) -> str:
    raw = draw(value())
    style = draw(st.integers(0, 5))
    if style == 0:
        return "{" + raw + "}"
    if style == 1:
        return '"' + raw + '"'
    if style == 2:
        return "{" + raw.replace("{", "").replace("}", "") + "}"
    if style == 3:
        return draw(st.sampled_from(["jan", "2012", "foo", "foo # { bar}", "{{nested {deep}}}"]))
    if style == 4:
        return "{" + "{" * draw(st.integers(0, 60)) + raw + "}" * draw(st.integers(0, 60)) + "}"
    return raw


@st.composite
def bibtex_file(draw: st.DrawFn) -> str:
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(_BIB_TYPES))
        key = draw(st.sampled_from(["key1", "Key:2012", "", "a b", "ü", "k,"]) | text_value(8))
        fields = []
        for _ in range(draw(st.integers(0, 8))):
            name = draw(st.sampled_from(_BIB_FIELDS))
            fields.append(f"  {name} = {draw(bib_value())}")
        sep = draw(st.sampled_from([",\n", "\n", ", "]))
        open_, close = draw(st.sampled_from([("{", "}"), ("(", ")"), ("{", ""), ("{", "}}")]))
        entries.append(f"@{kind}{open_}{key},\n" + sep.join(fields) + f"\n{close}")
        if draw(st.integers(0, 5)) == 0:
            entries.append(draw(text_value(30)))  # text between entries
    return draw(_finish(st.just("\n\n".join(entries))))


def _json_scalar() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False),
        value(),
        st.sampled_from(["2012", "2012-03-04", "spring 2012", "<i>x</i>", "javascript:alert(1)"]),
    )


def _json_any() -> st.SearchStrategy[Any]:
    return st.recursive(
        _json_scalar(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text_value(10), inner, max_size=3),
        max_leaves=8,
    )


_CSL_KEYS = [
    "title",
    "type",
    "author",
    "editor",
    "issued",
    "container-title",
    "volume",
    "issue",
    "page",
    "DOI",
    "URL",
    "PMID",
    "ISBN",
    "ISSN",
    "abstract",
    "keyword",
    "publisher",
    "language",
    "note",
    "id",
    "title-short",
    "event-date",
    "accessed",
]


@st.composite
def csl_item(draw: st.DrawFn) -> Any:
    item: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(_CSL_KEYS), max_size=10)):
        kind = draw(st.integers(0, 4))
        if key in ("author", "editor") and kind < 3:
            item[key] = draw(
                st.lists(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "family": _json_any(),
                            "given": _json_any(),
                            "literal": _json_any(),
                            "suffix": _json_any(),
                        },
                    ),
                    max_size=4,
                )
            )
        elif key in ("issued", "accessed", "event-date") and kind < 3:
            item[key] = draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "date-parts": st.lists(st.lists(_json_scalar(), max_size=4), max_size=3),
                        "raw": _json_scalar(),
                        "literal": _json_scalar(),
                    },
                )
            )
        else:
            item[key] = draw(_json_any() if kind == 4 else _json_scalar())
    return item


@st.composite
def csljson_file(draw: st.DrawFn) -> str:
    items = draw(st.lists(csl_item() | _json_any(), max_size=4))
    shape = draw(st.integers(0, 3))
    data: Any = items if shape < 2 else ({"items": items} if shape == 2 else (items[0] if items else {}))
    text = json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
    return draw(_finish(st.just(text)))


FILES: dict[str, st.SearchStrategy[str]] = {
    "ris": ris_file(),
    "medline": medline_file(),
    "refer": refer_file(),
    "bibtex": bibtex_file(),
    "csljson": csljson_file(),
}
"""A near-valid file of each importer's format."""


def any_format_file() -> st.SearchStrategy[str]:
    """A file of any format, or two formats glued together, or plain text."""
    one = st.one_of(*FILES.values())
    return st.one_of(one, st.tuples(one, one).map("\n".join), text_value(200))


def encoded_file() -> st.SearchStrategy[bytes]:
    """The bytes of a file as it may come: UTF-8 (with or without BOM), UTF-16, Latin-1, cp1252,
    GB18030, double-encoded UTF-8 (mojibake), or cut in the middle of a character."""
    codecs = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "gb18030", "mojibake"]

    def encode(parts: tuple[str, str, int | None]) -> bytes:
        text, codec, cut = parts
        if codec == "mojibake":
            data = text.encode("utf-8").decode("latin-1").encode("utf-8")
        else:
            data = text.encode(codec, errors="replace")
        return data if cut is None else data[: cut % (len(data) + 1)]

    return st.one_of(
        st.tuples(any_format_file(), st.sampled_from(codecs), st.none() | st.integers(0, 10**6)).map(encode),
        st.binary(max_size=300),
    )


# ---------------------------------------------------------------------------------------------
# Front matter


def _yaml_scalar_text() -> st.SearchStrategy[str]:
    return st.one_of(
        text_value(30),
        st.sampled_from(
            [
                "'quoted'",
                '"dq \\u00e9"',
                "!!python/object/apply:os.system ['ls']",
                "&a x",
                "*a",
                "|",
                ">-",
                "[a, b",
                "{a: 1}",
                "2012-01-01",
                "0x1F",
                ".nan",
                "- x",
                "? k",
                "%YAML 1.2",
                "@x",
                "`x`",
                "!tag x",
                "<<: *a",
            ]
        ),
    )


@st.composite
def front_matter_page(draw: st.DrawFn) -> str:
    """A content page: '---', YAML-ish lines (keys, lists, nesting, YAML tags and anchors), '---',
    a Markdown body; any of it spoilt."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        key = draw(
            st.sampled_from(["title", "authors", "year", "doi", "tags", "status", "abstract", "x"]) | text_value(8)
        )
        style = draw(st.integers(0, 4))
        if style == 0:
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(0, 3))):
                lines.append(f"  - {draw(_yaml_scalar_text())}")
        elif style == 1:
            lines.append(f"{key}: [{', '.join(draw(st.lists(_yaml_scalar_text(), max_size=3)))}]")
        elif style == 2:
            lines.append(f"{key}: |")
            lines.extend("  " + v for v in draw(st.lists(text_value(20), max_size=3)))
        else:
            lines.append(f"{key}: {draw(_yaml_scalar_text())}")
    opener = draw(st.sampled_from(["---\n", "---\r\n", "--- \n", "\ufeff---\n", "", "----\n"]))
    closer = draw(st.sampled_from(["---\n", "--- \n", "...\n", "", "---"]))
    body = draw(text_value(80))
    return draw(_finish(st.just(opener + "\n".join(lines) + "\n" + closer + body)))


# ---------------------------------------------------------------------------------------------
# Properties

_BAD_IN_TITLE = {"Cc", "Cs"}


def control_characters(text: str) -> list[str]:
    """Control characters and lone surrogates in a one-line field (a title, a name)."""
    return [repr(c) for c in text if unicodedata.category(c) in _BAD_IN_TITLE]


def check_import(result: ImportResult, file: str) -> None:
    """What every importer promises for any input: records and diagnostics of the right types,
    one-line fields without control characters, and every problem naming the file."""
    assert isinstance(result, ImportResult)
    for record in result.records:
        assert isinstance(record, Record)
        assert isinstance(record.title, str)
        assert not control_characters(record.title), ("control characters in a title", record.title)
        for person in record.authors + record.editors:
            for part in (person.family, person.given, person.suffix, person.literal):
                assert isinstance(part, str) and not control_characters(part), ("control characters in a name", part)
        assert record.year is None or isinstance(record.year, int)
        assert not record.url.strip().casefold().startswith(("javascript:", "data:", "vbscript:")), record.url
        for keyword in record.keywords:
            assert isinstance(keyword, str)
        for key, extra in record.extra.items():
            assert isinstance(key, str) and isinstance(extra, str)
    for diagnostic in result.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.level in ("error", "warning", "info")
        assert diagnostic.file == file, ("a diagnostic that does not name the file", diagnostic)
        assert isinstance(diagnostic.message, str) and diagnostic.message
        if diagnostic.level == "error" and result.records:
            assert diagnostic.line is not None or diagnostic.record is not None, (
                "an error among records that names neither a line nor a record",
                diagnostic,
            )


def check_importer(name: str, text: str) -> None:
    """Parse `text` twice with the named importer: no exception, the same result, the promises kept."""
    from litweave.importers import PARSERS

    file = f"fuzz.{name}"
    first = PARSERS[name](text, file)
    check_import(first, file)
    again = PARSERS[name](text, file)
    assert again.records == first.records and again.diagnostics == first.diagnostics, "not deterministic"


def check_detect(text: str) -> None:
    """The detector names a known format or none, always the same; the importer it names reads
    the file without an exception."""
    from litweave.importers import PARSERS
    from litweave.importers.detect import detect_format

    for filename in ("", "x.ris", "x.bib", "x.nbib", "x.json", "x.enw", "x.txt"):
        found = detect_format(text, filename)
        assert found is None or found in PARSERS, found
        assert detect_format(text, filename) == found, "not deterministic"
    found = detect_format(text)
    if found is not None:
        check_import(PARSERS[found](text, "fuzz.any"), "fuzz.any")


def check_decode(data: bytes) -> None:
    """Any bytes decode to text that can be written as UTF-8, the same way every time, and the
    mojibake repair gives text too."""
    from litweave.importers.encoding import decode

    text, diagnostics = decode(data, "fuzz.bin")
    assert isinstance(text, str)
    text.encode("utf-8")  # no lone surrogates
    assert "\r" not in text or "\r\n" not in text, "line ends not normalised"
    assert decode(data, "fuzz.bin") == (text, diagnostics), "not deterministic"
    for diagnostic in diagnostics:
        assert diagnostic.file == "fuzz.bin", diagnostic
    check_mojibake(text)


def check_mojibake(text: str) -> None:
    from litweave.importers import mojibake

    repaired, repairs = mojibake.repair(text)
    assert isinstance(repaired, str) and isinstance(repairs, list)
    assert mojibake.repair(text) == (repaired, repairs), "not deterministic"
    if text.isascii():
        assert repaired == text and not repairs, "ASCII text changed by the mojibake repair"


def check_front_matter(text: str) -> None:
    """The page reader raises nothing but FrontMatterError, parse_page nothing at all, and the
    fast reader, when it accepts a page, reads it exactly as the YAML reader does."""
    from pathlib import Path

    from litweave.frontmatter import FrontMatterError, parse_page, read_rendered, split_front_matter

    try:
        full: tuple[dict[str, Any], str] | None = split_front_matter(text)
    except FrontMatterError as exc:
        assert exc.line is None or exc.line >= 1
        full = None
    page, diagnostics = parse_page(text, Path("content/papers/fuzz.md"), "paper")
    assert (page is None) == (full is None) and (page is None) == bool(diagnostics)
    for diagnostic in diagnostics:
        assert diagnostic.file == "content/papers/fuzz.md" and diagnostic.level == "error"
    fast = read_rendered(text)
    if fast is not None:
        assert full is not None and fast == full, ("read_rendered disagrees with the YAML reader", fast, full)


def check_record_page(text: str) -> None:
    """A record imported from anything, written as a page and read back, gives its front matter
    back unchanged, by both readers."""
    from litweave.frontmatter import read_rendered, record_to_meta, render_page, split_front_matter
    from litweave.importers import ris

    for record in ris.parse(text, "fuzz.ris").records:
        meta = record_to_meta(record)
        page = render_page(meta, "Notes.\n")
        assert split_front_matter(page)[0] == meta, "a written page reads back differently"
        fast = read_rendered(page)
        assert fast is None or fast[0] == meta


TARGETS: dict[str, tuple[st.SearchStrategy[Any], Any]] = {
    **{name: (strategy, lambda text, name=name: check_importer(name, text)) for name, strategy in FILES.items()},
    "detect": (any_format_file(), check_detect),
    "decode": (encoded_file(), check_decode),
    "mojibake": (any_format_file(), check_mojibake),
    "frontmatter": (front_matter_page(), check_front_matter),
    "page": (ris_file(), check_record_page),
}
"""Fuzz target name → (input generator, the check that must pass on every input)."""
