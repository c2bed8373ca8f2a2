"""Tests for vocabulary suggestions and draft mechanism pages."""

from __future__ import annotations

import yaml

from litweave.mechanisms.matcher import build_matcher
from litweave.mechanisms.suggest import Candidate, draft_page, draft_slug, suggest
from litweave.model import Mechanism

VOCAB = [
    Mechanism("igf-ir", "IGF-IR", ("insulin-like growth factor-I receptor",)),
    Mechanism("emt", "EMT"),
]

TEXTS = [
    (
        "p1",
        "Signalling of the insulin-like growth factor-I receptor (IGF-IR) rises. "
        "Heat shock protein 90 (HSP90) binds HER2.",
    ),
    ("p2", "We inhibited heat shock protein 90 (HSP90). Tumour-associated macrophages (TAMs) were counted."),
    (
        "p3",
        "Inhibitors of heat-shock protein 90 (HSP90) degrade client proteins. "
        "Cells underwent EMT (epithelial to mesenchymal transition).",
    ),
    ("p4", "Tumour-associated macrophages (TAMs) were depleted. Cancer-associated fibroblasts (CAFs) were isolated."),
    ("p4", "A second text of the same paper defines TAMs again: tumour-associated macrophages (TAMs)."),
]


def test_suggest_ranks_unknown_definitions_by_papers() -> None:
    candidates = suggest(TEXTS, build_matcher(VOCAB))
    assert [(c.short, c.papers) for c in candidates] == [
        ("HSP90", ("p1", "p2", "p3")),
        ("TAMs", ("p2", "p4")),
        ("CAFs", ("p4",)),
    ]
    hsp = candidates[0]
    assert hsp.long == "heat shock protein 90"
    assert "(HSP90)" in hsp.example and hsp.long in hsp.example


def test_suggest_skips_names_already_in_the_vocabulary() -> None:
    shorts = {c.short for c in suggest(TEXTS, build_matcher(VOCAB))}
    assert "IGF-IR" not in shorts and "EMT" not in shorts
    known_long = [Mechanism("hsp90", "heat shock protein 90")]
    assert "HSP90" not in {c.short for c in suggest(TEXTS, build_matcher(known_long))}


def test_draft_page_is_front_matter_and_a_body() -> None:
    slug, text = draft_page(Candidate("TGF-β", "transforming growth factor β", ("a", "b"), "An example: (TGF-β)."))
    assert slug == "tgf-beta"
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta == {"title": "TGF-β", "aliases": ["transforming growth factor β"], "kind": "draft"}
    assert "2 papers" in body and "An example: (TGF-β)." in body


def test_draft_slug_is_ascii() -> None:
    assert draft_slug("NF-κB") == "nf-kappab"
    assert draft_slug("p27Kip1") == "p27kip1"
    assert draft_slug("?!") == "draft"


def test_suggest_cuts_modifier_prefixes_and_leading_function_words() -> None:
    texts = [
        ("p1", "Antibodies against the anti-receptor binding domain (RBD) were raised."),
        ("p2", "We measured the receptor binding domain (RBD) titres and the heat shock protein 70 (HSP70)."),
        ("p3", "Cells lacking non-coding RNA (ncRNA) grew."),
    ]
    candidates = {c.short: c for c in suggest(texts, build_matcher(VOCAB))}
    assert candidates["RBD"].long == "receptor binding domain"
    assert candidates["RBD"].papers == ("p1", "p2")
    assert candidates["HSP70"].long == "heat shock protein 70"
    assert candidates["ncRNA"].long == "non-coding RNA"  # "non-" spells the "n" of ncRNA: kept


def test_suggest_leaves_out_diseases_outcomes_methods_and_units() -> None:
    text = (
        "In non-small cell lung cancer (NSCLC), progression-free survival (PFS) and overall survival (OS) "
        "rose; the hazard ratio (HR) was 0.7 (95% confidence interval (CI) 0.5-0.9). Partial response (PR) "
        "was seen by immunohistochemistry (IHC) and fluorescence in situ hybridization (FISH), following "
        "World Health Organization (WHO) criteria, at 5 milligrams per kilogram (mg/kg). "
        "Tumour-associated macrophages (TAMs) and the unfolded protein response (UPR) were studied."
    )
    assert [c.short for c in suggest([("p", text)], build_matcher(VOCAB))] == ["TAMs", "UPR"]
