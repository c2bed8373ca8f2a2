"""Splitting an abstract field into the abstract and the full-text sections run into it."""

from __future__ import annotations

import pytest

from litweave.importers.fulltext import split_abstract

INLINE = (
    "Resistance is a concern. We discuss IGF-IR. "
    "1. Introduction Trastuzumab (Herceptin; Genentech) is an antibody [1]. It works [3, 4]. Further, it helps. "
    "2. Preclinical Studies Examining IGF-IR and Trastuzumab Resistance Multiple molecular mechanisms exist. "
    "2.1. Cell Line Models Cells were grown. "
    "3. Clinical Data HER2 is amplified."
)


def test_inline_sections():
    abstract, fulltext = split_abstract(INLINE)
    assert abstract == "Resistance is a concern. We discuss IGF-IR."
    assert fulltext == (
        "## 1. Introduction\n\n"
        "Trastuzumab (Herceptin; Genentech) is an antibody [1]. It works [3, 4]. Further, it helps."
        "\n\n## 2. Preclinical Studies Examining IGF-IR and Trastuzumab Resistance\n\n"
        "Multiple molecular mechanisms exist."
        "\n\n### 2.1. Cell Line Models\n\nCells were grown."
        "\n\n## 3. Clinical Data\n\nHER2 is amplified."
    )


def test_headings_on_their_own_lines():
    text = "Short abstract.\n\n1. Introduction\nFirst line\nwraps here.\n\nSecond paragraph.\n2. Methods\nWe did it."
    abstract, fulltext = split_abstract(text)
    assert abstract == "Short abstract."
    assert fulltext == (
        "## 1. Introduction\n\nFirst line wraps here.\n\nSecond paragraph.\n\n## 2. Methods\n\nWe did it."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Responses were seen [3, 4]. Further studies are needed.",
        "This was seen in 2. cases only.",
        "As in Fig. 1. Shows the growth curve.",
        "No numbered sections at all here.",
        "Patients improved. 2. Methods Were skipped because there is no first section.",
        "Three groups were formed. 1. patients with disease progressed.",
        "Counted 1 Introduction Trastuzumab without a period.",
    ],
)
def test_no_false_sections(text):
    assert split_abstract(text) == (text, "")


def test_numbering_must_ascend():
    text = "Abstract. 1. Introduction Body text here. 3. Skipped Number Goes on. 2. Methods We did."
    _, fulltext = split_abstract(text)
    headings = [line for line in fulltext.split("\n") if line.startswith("#")]
    assert headings == ["## 1. Introduction", "## 2. Methods"]
    assert "3. Skipped Number Goes on." in fulltext


def test_markdown_in_imported_prose_is_neutralised():
    text = (
        "Abstract.\n\n1. Introduction\nBody with <script>x</script> and *stars* and `code`.\n\n"
        "# Not a heading\n\n> not a quote\n\n- not a list\n\n12. not a list either\n\n"
        "[click](javascript:alert(1)) and [[Wiki Link]] but [1] stays."
    )
    _, fulltext = split_abstract(text)
    assert "<script>" not in fulltext and "&lt;script>" in fulltext
    assert "\\*stars\\*" in fulltext and "\\`code\\`" in fulltext
    paragraphs = fulltext.split("\n\n")
    assert "\\# Not a heading" in paragraphs and "\\> not a quote" in paragraphs
    assert "\\- not a list" in paragraphs and "12\\. not a list either" in paragraphs
    assert "](javascript" not in fulltext and "[[" not in fulltext
    assert "[1] stays." in fulltext
    assert sum(1 for p in paragraphs if p.startswith("#")) == 1


def test_heading_only_at_start():
    abstract, fulltext = split_abstract("1. Introduction The field moved fast.")
    assert abstract == ""
    assert fulltext == "## 1. Introduction\n\nThe field moved fast."
