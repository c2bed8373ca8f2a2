"""Byte decoding of reference files and the GBK→Big5 mojibake repair."""

from __future__ import annotations

import codecs

import pytest

from litweave.importers import mojibake
from litweave.importers.encoding import decode, looks_like_gb
from litweave.importers.refer import parse

SAMPLE = "%0 Journal Article\r\n%T Résumé of Müller’s “naïve” study – part 2\r\n%A Renée, Zoë\r\n"
EXPECTED = SAMPLE.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (SAMPLE.encode("utf-8"), None),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), None),
        (b" " + codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), None),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), None),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), None),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "space-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_decode_round_trips(data, note):
    text, diagnostics = decode(data, "refs.enw")
    assert text == EXPECTED
    if note is None:
        assert diagnostics == []
    else:
        assert len(diagnostics) == 1 and diagnostics[0].level == "info"
        assert note in diagnostics[0].message and diagnostics[0].file == "refs.enw"


def test_cp1252_name():
    text, diagnostics = decode(b"%A Ren\xe9 Dupont\n%T Caf\xe9 \x93society\x94 \x96 1900\n")
    assert text == "%A René Dupont\n%T Café “society” – 1900\n"
    assert "cp1252" in diagnostics[0].message


def test_cp1252_undefined_bytes_do_not_fail():
    text, _ = decode(b"A\x81B\x9dC\xe9")
    assert text == "A\x81B\x9dCé"


def test_lone_cr_line_endings():
    assert decode(b"%0 Book\r%T X\r")[0] == "%0 Book\n%T X\n"


def test_gb18030_chinese():
    source = "%0 Journal Article\n%T 参考文献管理工具研究\n%A 余敏\n%J 现代情报\n"
    text, diagnostics = decode(source.encode("gb18030"), "cn.ref")
    assert text == source
    assert "GB18030" in diagnostics[0].message
    assert parse(text, "cn.ref").records[0].title == "参考文献管理工具研究"


@pytest.mark.parametrize(
    "latin",
    ["Größe und Maß", "ações não são", "Citroën naïve café", "“quoted” – dash — Œuvre", "Ångström øre"],
)
def test_latin_text_is_not_taken_for_gb(latin):
    data = latin.encode("cp1252")
    assert not looks_like_gb(data)
    assert decode(data)[0] == latin


def test_utf8_wins_over_guessing():
    text, diagnostics = decode("每天 20–30%".encode())
    assert text == "每天 20–30%" and diagnostics == []


# --- mojibake -----------------------------------------------------------------------------


def test_forms_come_from_the_codecs():
    assert mojibake.EN_DASH == "–".encode("gbk").decode("big5") == "每"
    assert mojibake.LOST == "ˋ"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("in 20每30% of cancers", "in 20–30% of cancers"),
        ("with chemotherapy [5每7].", "with chemotherapy [5–7]."),
        ("reviews [8每12] and [3, 3每7]", "reviews [8–12] and [3, 3–7]"),
        ("trastuzumab-naˋve models", "trastuzumab-naïve models"),
        ("the drug〞and its target", "the drug—and its target"),
        ("patients don＊t respond", "patients don’t respond"),
        ("so-called ※primary§ resistance", "so-called “primary” resistance"),
    ],
)
def test_repairs_in_unambiguous_contexts(before, after):
    fixed, repairs = mojibake.repair(before)
    assert fixed == after
    assert repairs and all(r.before in before and r.after in after for r in repairs)


@pytest.mark.parametrize(
    "text",
    [
        "每天服用一次",
        "每个患者 20 每 30",
        "每 step",
        "see § 4 of the act",
        "〝引用〞 and a〞b",
        "ㄅㄆˋ",
        "Fig. 3 ＊ marks p < 0.05",
    ],
)
def test_real_text_left_alone(text):
    assert mojibake.repair(text) == (text, [])


def test_lost_letter_reported_not_guessed():
    fixed, repairs = mojibake.repair("the Zaˋre river")
    assert fixed == "the Zaˋre river" and repairs == []
    assert mojibake.find_lost(fixed) == [6]


def test_repair_reports_position_and_context():
    text = "approximately 20每30% of human"
    _, repairs = mojibake.repair(text)
    assert len(repairs) == 1
    assert repairs[0].position == text.index("每")
    assert "20每30%" in repairs[0].before and "20–30%" in repairs[0].after


def test_lost_letter_warning_from_importer():
    result = parse("%0 Book\n%T The Zaˋre basin\n", "x.enw")
    warnings = [d for d in result.diagnostics if d.level == "warning"]
    assert len(warnings) == 1 and "Zaˋre" in warnings[0].message and warnings[0].record == 1
