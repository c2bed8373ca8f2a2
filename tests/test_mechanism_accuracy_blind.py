"""Detection accuracy on an independently written, blind-labelled sentence set.

tests/data/mechanism_sentences_blind.yaml was labelled from the vocabulary's slugs, titles and
aliases alone, before the matcher was read, so it measures the matcher rather than confirming it.
Precision and recall are micro-averaged over (sentence, mechanism) pairs and printed together with
every false positive and false negative, so `pytest -s` shows them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from litweave.mechanisms.disambiguation import detect
from litweave.mechanisms.matcher import build_matcher
from litweave.mechanisms.vocabulary import check_vocabulary, mechanism_from_page
from litweave.model import Mechanism, Page

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = Path(__file__).resolve().parent / "data" / "mechanism_sentences_blind.yaml"

MIN_PRECISION = 1.0
MIN_RECALL = 0.97


def load_vocabulary() -> list[Mechanism]:
    mechs: list[Mechanism] = []
    for path in sorted((ROOT / "content" / "mechanisms").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        page = Page("mechanism", path.stem, yaml.safe_load(front), body, path.relative_to(ROOT))
        mech, diags = mechanism_from_page(page)
        assert mech is not None, [str(d) for d in diags]
        assert not [d for d in diags if d.level == "error"], [str(d) for d in diags]
        mechs.append(mech)
    checked, diags = check_vocabulary(mechs)
    assert diags == [], [str(d) for d in diags]
    return checked


def load_cases(path: Path = SENTENCES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vocabulary() -> list[Mechanism]:
    return load_vocabulary()


def check_set_shape(cases: list[dict], vocabulary: list[Mechanism], minimum: int) -> None:
    """The set is big enough, well formed, without repeated sentences, and labelled with known slugs."""
    assert len(cases) >= minimum
    assert all(set(case) == {"text", "mechanisms"} for case in cases)
    texts = [case["text"] for case in cases]
    assert len(texts) == len(set(texts)), "duplicate sentences"
    slugs = {m.slug for m in vocabulary}
    unknown = {s for case in cases for s in case["mechanisms"]} - slugs
    assert not unknown, sorted(unknown)


def check_accuracy(name: str, cases: list[dict], vocabulary: list[Mechanism]) -> None:
    """Detect every sentence as the build does; print and assert precision and recall."""
    matcher = build_matcher(vocabulary)
    by_slug = {m.slug: m for m in vocabulary}
    tp = fp = fn = 0
    false_positives: list[str] = []
    false_negatives: list[str] = []
    for case in cases:
        text = case["text"]
        mentions = detect(text, matcher, by_slug)
        found = {m.mechanism for m in mentions}
        expected = set(case["mechanisms"])
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        for slug in sorted(found - expected):
            spans = [m.text for m in mentions if m.mechanism == slug]
            false_positives.append(f"{slug} (matched {spans}) in {text!r}")
        for slug in sorted(expected - found):
            false_negatives.append(f"{slug} in {text!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"\n{name} mechanism detection on {len(cases)} sentences: "
        f"precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})"
    )
    print(f"false positives ({len(false_positives)}):")
    for line in false_positives:
        print("  " + line)
    print(f"false negatives ({len(false_negatives)}):")
    for line in false_negatives:
        print("  " + line)
    report = {"false positives": false_positives, "false negatives": false_negatives}
    assert precision >= MIN_PRECISION, report
    assert recall >= MIN_RECALL, report


def test_blind_set_is_large_and_uses_known_slugs(vocabulary: list[Mechanism]) -> None:
    check_set_shape(load_cases(), vocabulary, 80)


def test_blind_precision_and_recall(vocabulary: list[Mechanism]) -> None:
    check_accuracy("blind", load_cases(), vocabulary)
