"""`litweave check` on content/: each rule reports the file and the line, no build needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import NAHTA, PLANTED, clean, line_of, of_rule, run_json

from litweave.lint.content import key_lines, title_markup

PAPER = """---
title: {title}
authors: [Jane Smith]
journal: Nature
year: 2012
doi: {doi}
{extra}---

Notes.
"""


def _paper(kb: Path, slug: str, title: str = "A plain title", doi: str = "10.1000/x1", extra: str = "") -> Path:
    path = kb / "content" / "papers" / f"{slug}.md"
    path.write_text(PAPER.format(title=title, doi=doi, extra=extra), encoding="utf-8")
    return path


def test_planted_dead_wikilink_is_an_error_with_its_file_and_line(kb: Path, capsys) -> None:
    code, doc = run_json(kb, capsys)
    assert code == 1
    found = of_rule(doc, "broken-wikilink")
    assert found == [
        {
            "rule": "broken-wikilink",
            "severity": "error",
            "file": NAHTA,
            "line": line_of(kb / NAHTA, PLANTED),
            "message": "wikilink [[No Such Page]] matches no page",
        }
    ]
    # the wikilinks that do resolve (a slug with a label, a mechanism alias, an author) are not reported
    assert len(of_rule(doc, "broken-wikilink")) == 1


def test_clean_content_has_no_error_even_without_a_site_when_no_site_is_off(kb: Path, capsys) -> None:
    clean(kb)
    (kb / "pyproject.toml").write_text('[tool.litweave.check]\nno-site = "off"\n', encoding="utf-8")
    code, doc = run_json(kb, capsys)
    assert code == 0, [f for f in doc["findings"] if f["severity"] == "error"]
    assert doc["summary"]["error"] == 0 and doc["summary"]["content_files"] == 11


def test_duplicate_doi_is_found_however_it_is_written(kb: Path, capsys) -> None:
    first = _paper(kb, "smith-2012-a", "First title", doi="10.1000/ABC.1")
    second = _paper(kb, "smith-2012-b", "Second title", doi="https://doi.org/10.1000/abc.1")
    _paper(kb, "smith-2012-c", "Third title", doi="10.1000/abc.2")
    code, doc = run_json(kb, capsys)
    assert code == 1
    found = of_rule(doc, "duplicate-doi")
    assert [(f["file"], f["line"]) for f in found] == [("content/papers/smith-2012-b.md", line_of(second, "doi:"))]
    assert f"content/papers/smith-2012-a.md:{line_of(first, 'doi:')}" in found[0]["message"]


def test_unknown_mechanism_named_by_line_known_ones_by_slug_title_or_alias_pass(kb: Path, capsys) -> None:
    extra = "mechanisms:\n- erbb2\n- IGF-IR\n- Nonexistium\nnot_mechanisms: [trastuzumab, Fakeomab]\n"
    path = _paper(kb, "smith-2012-mech", "Mechanisms named by hand", extra=extra)
    _code, doc = run_json(kb, capsys)
    found = [(f["file"], f["line"], f["message"].split(":")[0]) for f in of_rule(doc, "unknown-mechanism")]
    assert found == [
        ("content/papers/smith-2012-mech.md", line_of(path, "Nonexistium"), "mechanisms"),
        ("content/papers/smith-2012-mech.md", line_of(path, "not_mechanisms"), "not_mechanisms"),
    ]
    assert "'Fakeomab'" in of_rule(doc, "unknown-mechanism")[1]["message"]


def test_typo_key_is_a_warning_with_a_suggestion_and_own_keys_are_info(kb: Path, capsys) -> None:
    path = _paper(kb, "smith-2012-typo", "Typo in a key", extra="stauts: read\nproject: grant-42\n")
    code, doc = run_json(kb, capsys)
    typo = of_rule(doc, "key-typo")
    assert [(f["file"], f["line"], f["severity"]) for f in typo] == [
        ("content/papers/smith-2012-typo.md", line_of(path, "stauts:"), "warning")
    ]
    assert "did you mean 'status'" in typo[0]["message"]
    own = of_rule(doc, "unknown-key")
    assert [(f["line"], f["severity"]) for f in own] == [(line_of(path, "project:"), "info")]


def test_latex_and_markup_in_titles_are_reported_on_the_title_line(kb: Path, capsys) -> None:
    titles = {
        "t-latex": r"The role of \emph{HER2} in resistance",
        "t-accent": r"Schr{\"o}dinger and the cell",
        "t-math": "Ca$^{2+}$ signalling in tumours",
        "t-html": "<i>E. coli</i> and trastuzumab",
        "t-clean": "HER2 & HER3: IGF-IR (2nd report)",
    }
    for slug, title in titles.items():
        _paper(kb, slug, title.join("''"), doi=f"10.1000/{slug}")  # single-quoted YAML: backslashes as written
    _code, doc = run_json(kb, capsys)
    found = {f["file"].rsplit("/", 1)[1][:-3]: f for f in of_rule(doc, "markup-in-title")}
    found = {slug: f for slug, f in found.items() if slug.startswith("t-")}  # the fixture has a hostile one too
    assert sorted(found) == ["t-accent", "t-html", "t-latex", "t-math"]
    assert all(f["line"] == 2 and f["severity"] == "warning" for f in found.values())
    assert repr(r"\emph{") in found["t-latex"]["message"]


def test_missing_title_year_and_authors(kb: Path, capsys) -> None:
    path = kb / "content" / "papers" / "bare.md"
    path.write_text("---\ntitle: ''\nyear: circa 2001\njournal: Nature\n---\n", encoding="utf-8")
    code, doc = run_json(kb, capsys)
    assert code == 1
    rules = {f["rule"]: f for f in doc["findings"] if f["file"] == "content/papers/bare.md"}
    assert rules["missing-title"]["line"] == 2 and rules["missing-title"]["severity"] == "error"
    assert rules["missing-year"]["line"] == 3 and "'circa 2001' is not a number" in rules["missing-year"]["message"]
    assert rules["missing-authors"]["line"] == 1


@pytest.mark.parametrize(
    "title, found",
    [
        (r"The \textit{in vivo} case", r"\textit{"),
        ("A {DNA} repair pathway", "{DNA}"),
        ("x &amp; y", "&amp;"),
        ("H<sub>2</sub>O", "<sub>"),
        ("IL-1β and TNF-α in HER2+ tumours (2nd ed.)", None),
        ("Costs under $5 and over 10%", None),
        ("a <-> b", None),
    ],
)
def test_title_markup(title: str, found: str | None) -> None:
    assert title_markup(title) == found


def test_key_lines_place_top_level_keys_only() -> None:
    text = "---\ntitle: x\nabstract: |\n  not: a key\n'quoted key': 1\nstauts: read  # c\n---\nbody: no\n"
    assert key_lines(text) == {"title": 2, "abstract": 3, "quoted key": 5, "stauts": 6}


def test_pages_with_the_same_imported_fields_are_one_record_imported_twice(kb: Path, capsys) -> None:
    titleless = "---\ntitle: '[Untitled] testJ'\ntype: document\njournal: testJ\nplace: testC\n{extra}---\n"
    (kb / "content" / "papers" / "untitled-testj.md").write_text(titleless.format(extra="status: read\n"))
    (kb / "content" / "papers" / "untitled-testj-2.md").write_text(titleless.format(extra="tags: [x]\n") + "\nMine.\n")
    other = titleless.replace("testC", "testD").format(extra="")
    (kb / "content" / "papers" / "untitled-testj-3.md").write_text(other)
    _code, doc = run_json(kb, capsys)
    found = of_rule(doc, "duplicate-page")
    # the later by path names the first ("-2.md" sorts before ".md")
    assert [(f["file"], f["severity"]) for f in found] == [("content/papers/untitled-testj.md", "warning")]
    assert "content/papers/untitled-testj-2.md" in found[0]["message"]


def test_latex_an_import_left_undecoded_is_named_in_any_field(kb: Path, capsys) -> None:
    half = "X\\\u0301\u00edx\u0301x\u0301"  # what `X\'\ixx` became: an accent on a backslash
    _paper(kb, "smith-2012-latex", "Plain title", doi="10.1000/l1", extra=f"authors: [Kare Lea, '{half}']\n")
    _paper(kb, "smith-2012-note", "Plain title two", doi="10.1000/l2", extra="note: see \\emph{this}\n")
    _paper(kb, "smith-2012-clean", "Plain title three", doi="10.1000/l3", extra="note: 50% and a & b\n")
    _code, doc = run_json(kb, capsys)
    found = {(f["file"], f["message"].split(" ")[0]) for f in of_rule(doc, "latex-left")}
    assert found == {("content/papers/smith-2012-latex.md", "authors"), ("content/papers/smith-2012-note.md", "note")}
