"""Acronyms a paper defines as something else are dropped everywhere in that paper."""

from __future__ import annotations

from litweave.mechanisms.disambiguation import detect
from litweave.mechanisms.matcher import build_matcher
from litweave.model import Mechanism

VOCAB = {
    m.slug: m
    for m in [
        Mechanism("estrogen-receptor", "estrogen receptor", ("ER", "ERα")),
        Mechanism("progesterone-receptor", "progesterone receptor", ("PR",)),
        Mechanism("met", "MET", ("c-Met", "hepatocyte growth factor receptor")),
        Mechanism("igf-ir", "IGF-IR", ("insulin-like growth factor-I receptor",)),
        Mechanism("pdk1", "PDK1", ("3-phosphoinositide-dependent protein kinase 1",)),
        Mechanism("src", "SRC", ("Src", "c-Src")),
        Mechanism("ret", "RET"),
        Mechanism("alk", "ALK", ("anaplastic lymphoma kinase",)),
        Mechanism("erk", "ERK", ("extracellular signal-regulated kinase",)),
    ]
}
MATCHER = build_matcher(list(VOCAB.values()))


def slugs(text: str) -> list[str]:
    return [m.mechanism for m in detect(text, MATCHER, VOCAB)]


def test_a_different_long_form_drops_every_mention_of_the_short_form() -> None:
    assert slugs("Swelling of the endoplasmic reticulum (ER) was seen; ER chaperones rose.") == []
    assert slugs("Pyruvate dehydrogenase kinase 1 (PDK1) shifts metabolism; PDK1 knockdown slowed growth.") == []


def test_the_mechanisms_own_long_form_keeps_it() -> None:
    assert slugs("The estrogen receptor (ER) is expressed in ER-positive tumours.") == ["estrogen-receptor"] * 3
    assert slugs("The insulin-like growth factor-I receptor (IGF-IR) drives growth.") == ["igf-ir", "igf-ir"]
    assert slugs("The hepatocyte growth factor receptor (MET) is amplified.") == ["met", "met"]


def test_undefined_acronyms_are_left_alone() -> None:
    assert slugs("ER and PR status were recorded.") == ["estrogen-receptor", "progesterone-receptor"]


def test_a_short_form_that_starts_with_a_name_defines_that_name_too() -> None:
    text = "Steroid receptor coactivator-1 (SRC-1) binds ER, and SRC-1 levels rose."
    assert slugs(text) == ["estrogen-receptor"]  # both "SRC" of "SRC-1" dropped
    assert slugs("Reticulocyte haemoglobin content (RET-He) was low.") == []
    assert slugs("Serum alkaline phosphatase (ALK PHOS) was elevated.") == []


def test_a_longer_short_form_of_the_same_mechanism_keeps_it() -> None:
    text = "Extracellular signal-regulated kinase-1 (ERK-1) was phosphorylated; ERK-1 and ALK rose."
    assert slugs(text) == ["erk", "erk", "erk", "alk"]
