"""Tests for Schwartz–Hearst abbreviation definitions."""

from __future__ import annotations

import pytest

from litweave.mechanisms.abbreviations import Definition, find_definitions


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        (
            "Signalling of the insulin-like growth factor-I receptor (IGF-IR) rises.",
            [("IGF-IR", "insulin-like growth factor-I receptor")],
        ),
        (
            "We measured HER2 (human epidermal growth factor receptor 2) in tumours.",
            [("HER2", "human epidermal growth factor receptor 2")],
        ),
        (
            "Cells underwent epithelial-mesenchymal transition (EMT), and heat shock protein 90 (HSP90) rose.",
            [("EMT", "epithelial-mesenchymal transition"), ("HSP90", "heat shock protein 90")],
        ),
        (
            "Loss of phosphatase and tensin homolog (PTEN; also MMAC1) was common.",
            [("PTEN", "phosphatase and tensin homolog")],
        ),
        ("Patients with metastatic breast cancer (MBC) were enrolled.", [("MBC", "metastatic breast cancer")]),
        ("The cells were treated with 5-fluorouracil (5-FU) for two days.", [("5-FU", "5-fluorouracil")]),
    ],
)
def test_definitions(text: str, pairs: list[tuple[str, str]]) -> None:
    assert [(d.short, d.long) for d in find_definitions(text)] == pairs


@pytest.mark.parametrize(
    "text",
    [
        "Results (see Table 1) were significant (p < 0.05).",
        "Trastuzumab (Herceptin; Genentech, San Francisco, CA) is an antibody.",
        "Two groups (n = 12) were compared.",
        "The drug was given weekly (X).",
        "A review of the literature (Smith 2004) found no effect.",
    ],
)
def test_non_definitions(text: str) -> None:
    assert find_definitions(text) == []


def test_long_form_starts_at_a_word_holding_the_first_letter() -> None:
    [d] = find_definitions("We studied a new protein kinase B (PKB) inhibitor.")
    assert d.long == "protein kinase B"


def test_definitions_carry_their_sentence_across_a_longer_text() -> None:
    text = "First sentence here. Lu et al. used the type I receptor tyrosine kinase (RTK) assay. Last one."
    assert find_definitions(text) == [
        Definition("RTK", "receptor tyrosine kinase", "Lu et al. used the type I receptor tyrosine kinase (RTK) assay.")
    ]


def test_too_long_a_long_form_is_rejected() -> None:
    assert find_definitions("We saw a very large and quite unusual amount of xylose in the medium (AX).") == []
