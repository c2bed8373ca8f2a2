"""LaTeX in BibTeX values decoded as a careful reader of the .bib file reads it: every case of the
rbibutils test files (which write one letter many ways), the blank after a command's name, and
the commands of biblatex and ADS files that were left as written.

Each expected value is what the file's writer meant, argued where TeX itself reads otherwise.
"""

from __future__ import annotations

import pytest
from conftest import SHARED

from litweave.importers import PARSERS
from litweave.importers.encoding import decode
from litweave.importers.latex import latex_to_unicode
from litweave.model import Person, Record

BIBTEX = SHARED / "fixtures" / "bibtex"


def _records(name: str) -> list[Record]:
    path = BIBTEX / name
    if not path.is_file():
        pytest.skip(f"peer fixture {name} not found at {BIBTEX} (../shared/fixtures)")
    text, _ = decode(path.read_bytes(), name)
    result = PARSERS["bibtex"](text, name)
    assert [d for d in result.diagnostics if d.level != "info"] == []
    return result.records


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # rbibutils-texChars.bib writes í five ways; each is the letter í
        (r"X\'ixx", "Xíxx"),
        (r"X{\'i}xx", "Xíxx"),
        # TeX reads an unknown `\ixx` here; the writer meant the dotless i (`\i`), accented, then "xx"
        (r"X\'\ixx", "Xíxx"),
        (r"Y\'\iyy", "Yíyy"),
        (r"\'\i", "í"),
        # a blank ends `\i`'s name, so the two forms stay two words
        (r"Latin-1 accents \'\i \'i", "Latin-1 accents í í"),
        # the caron: its argument after a blank, in braces around the accent, or braced
        (r"\v z {\v z} \v{z}", "ž ž ž"),
        (r"K\`ar\`e \"u\"a L\^e\'a\'e", "Kàrè üä Lêáé"),
        # rbibutils-latin1accents_utf8.bib: a command's name is ASCII letters, so `\l` ends at "ê"
        (r"K\`ar\`e \"u\"a \L\lêáé", "Kàrè üä Łłêáé"),
        # rbibutils-accents_tabbing.bib: the tabbing environment's accents \a', \a`
        (r"{\a'A} {\a`A} A{\a'o}{\a`o}", "Á À Aóò"),
        (r"B{\a'e}{\a`e} {\a=o}", "Béè ō"),
        # a known command beginning with i keeps its name
        (r"\'\imath", "í"),
    ],
)
def test_accents_of_the_rbibutils_files(source: str, expected: str) -> None:
    assert latex_to_unicode(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # rbibutils-texChars.bib: TeX would join "Α" to "and"; the writer meant two words
        ("\\Alpha\n              and X", "Α and X"),
        (r"\Alpha and", "Α and"),
        (r"an \alpha particle, \alpha-helix", "an α particle, α-helix"),
        # where the blank is TeX's end of a name before a letter, it goes, as in TeX
        (r"Mart\'\i nez", "Martínez"),
        (r"\AA ngstr\"om", "Ångström"),
        (r"Stra\ss e", "Straße"),
        (r"The \TeX book", "The TeXbook"),
        (r"D\textquotesingle aspremont", "D'aspremont"),
        (r"{\sc CONNIVER} a\it b{\bf c}", "CONNIVER abc"),
    ],
)
def test_the_blank_after_a_command(source: str, expected: str) -> None:
    assert latex_to_unicode(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the formulas of the rbibutils NOTE fields: an operator is parted from its operand as TeX
        # typesets it, a relation keeps the blanks written around it
        (r"$\tan{\alpha}$", "tan α"),
        (r"$\sin{\delta}/\delta \to 1$", "sin δ/δ → 1"),
        (r"$\tan(\alpha)$", "tan(α)"),
        (r"$\sin(\delta)/\delta \to 1$", "sin(δ)/δ → 1"),
        (r"$\sqrt{x}$", "√(x)"),
        (r"$\log_2 n$, $\sin x$", "log₂ n, sin x"),
        # TeX sets letters side by side in math, whatever the blanks; a symbol keeps those written
        (r"$\mu m$, $\alpha \beta$, $\alpha = 1$, $x \times y$", "μm, αβ, α = 1, x × y"),
    ],
)
def test_math_of_the_rbibutils_notes(source: str, expected: str) -> None:
    assert latex_to_unicode(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # biber's examples (bibtexparser-biber-examples.bib): "and following pages", hyphens, slashes
        (r"579\psqq", "579 ff."),
        (r"12\psq", "12 f."),
        (r"methodology\hyphen independent", "methodology-independent"),
        (r"baez\slash online", "baez/online"),
        # NASA ADS's journal macros (bbt-unknown_command_handler_1733.bib)
        (r"\aap", "A&A"),
        (r"\apj, \mnras", "ApJ, MNRAS"),
        # a URL set for line breaks (bbt-Allow_spaces_between_href_arguments_for_import_2504.bib)
        (
            r"\href {https://x.org/~a/} {\texttt{https://x.org/}\discretionary {}{}{}"
            r"\texttt{\texttt{\symbol{126}}a/}}",
            "https://x.org/~a/",
        ),
        # octal and hexadecimal codes; one outside printable ASCII names no character for sure
        ("\\symbol{'176}\\symbol{\"7E}\\symbol{300}", "~~\\symbol{300}"),
    ],
)
def test_commands_left_as_written_before(source: str, expected: str) -> None:
    assert latex_to_unicode(source) == expected


def test_the_texchars_file_field_by_field() -> None:
    [record] = _records("rbibutils-texChars.bib")
    assert record.title == "Kàrè üä Lêáé, Kàrè Lêáé ž ž ž Α and Xíxx Xíxx and Xx Xíxx and Yíyy Yíyy and Yy Yíyy"
    assert record.authors == [
        Person(family="Lêáé", given="Kàrè"),
        Person(family="Lêáé", given="Kàrè"),
        Person(family="Xíxx", given="Xíxx"),
        Person(family="Xíxx", given="Xx"),
        Person(family="Xíxx", given="Xíxx"),
        Person(family="Xíxx", given="Xx"),
        Person(family="Yíyy", given="Yíyy"),
        Person(family="Yíyy", given="Yy"),
    ]
    assert record.container_title == "Latin-1 accents í í"
    assert record.note == (
        "Having the similar title and author is helpful for debugging since authors are processed "
        "differently from other fields. Here are some formulas: tan α, sin δ/δ → 1, √(x)."
    )
    assert (record.year, record.citekey) == (2020, "test1")


def test_the_other_rbibutils_files_field_by_field() -> None:
    [latin1] = _records("rbibutils-latin1accents_utf8.bib")
    assert (latin1.title, latin1.authors) == ("Kàrè üä Łłêáé", [Person(family="Lêáé", given="Kàrè")])
    assert latin1.note.endswith("Here is a formula: tan(α), sin(δ)/δ → 1, √(x).")
    [tabbing] = _records("rbibutils-accents_tabbing.bib")
    assert tabbing.authors == [Person(family="Aóò", given="Á À"), Person(family="Béè", given="Ó Ò")]
    assert (tabbing.title, tabbing.pages) == ("Alternative accents", "1\u201310")
    cyrillic = _records("rbibutils-cyr_utf8.bib")
    assert [r.title for r in cyrillic] == ["Лмноп рстуфх цчшщ ъьюя", "Върху един интересен проблем"]
    assert cyrillic[0].authors == [Person(family="Абвг", given="Д."), Person(family="Ежзий", given="К.")]
    assert [r.container_title for r in cyrillic] == ["Известия на АБВ", "Лятна школа, Варна"]
    utf8, gb18030 = _records("rbibutils-xeCJK_utf8.bib"), _records("rbibutils-xeCJK_gb18030.bib")
    assert utf8[0].title == "基于电无级变速器的内燃机最优控制策略及整车能量管理"
    assert [r.authors for r in utf8] == [[Person(family=n) for n in ("陈骁", "黄声华", "万山明", "庞珽")]]
    assert [(r.title, r.authors, r.container_title) for r in gb18030] == [
        (r.title, r.authors, r.container_title) for r in utf8
    ]


def test_fields_kept_in_extra_are_decoded_but_paths_stay_as_written() -> None:
    """A field no Record field takes (an annotation, a short title, biblatex's indextitle) is
    decoded like the rest, its lines kept; a verbatim field (a file's path) is kept as written."""
    [record] = PARSERS["bibtex"](
        "@book{k, title = {T},\n"
        '  shorttitle = {S{\\"a}mtliche \\emph{Werke}},\n'
        "  annotation = {A \\texttt{book}\n  entry\n\n  - with a list},\n"
        "  file = {Test:E:\\some\\random\\folder\\test2.pdf:application/pdf},\n"
        "  urls = {http://x.org/q=\\'{e}~a},\n"
        "  comment = {plain\n  lines},\n"
        "}",
        "k.bib",
    ).records
    assert record.extra["shorttitle"] == "Sämtliche Werke"
    assert record.extra["annotation"] == "A book\nentry\n\n- with a list"
    assert record.extra["file"] == "Test:E:\\some\\random\\folder\\test2.pdf:application/pdf"
    assert record.extra["urls"] == "http://x.org/q=é~a"
    assert record.extra["comment"] == "plain\n  lines"  # no LaTeX: as written
