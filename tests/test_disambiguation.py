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
