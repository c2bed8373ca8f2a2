"""Detection accuracy on hand-labelled sentences, with the real vocabulary in content/mechanisms/.

Precision and recall are micro-averaged over sentences (true positives, false positives and false
negatives summed over (sentence, mechanism) pairs) and printed, so `pytest -s` shows them.
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
SENTENCES = Path(__file__).resolve().parent / "data" / "mechanism_sentences.yaml"


def load_vocabulary() -> list[Mechanism]:
    mechs: list[Mechanism] = []
    for path in sorted((ROOT / "content" / "mechanisms").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        page = Page("mechanism", path.stem, yaml.load(front, Loader=yaml.CSafeLoader), body, path.relative_to(ROOT))
        mech, diags = mechanism_from_page(page)
        assert mech is not None, diags
        assert not [d for d in diags if d.level == "error"], diags
        mechs.append(mech)
    checked, diags = check_vocabulary(mechs)
    assert diags == [], [str(d) for d in diags]
    return checked


@pytest.fixture(scope="module")
def vocabulary() -> list[Mechanism]:
    return load_vocabulary()


def test_vocabulary_is_large_and_clean(vocabulary: list[Mechanism]) -> None:
    assert len(vocabulary) >= 150
    slugs = {m.slug for m in vocabulary}
    assert {"her2", "igf-ir", "trastuzumab", "rtk", "g1-arrest"} <= slugs


def test_labelled_slugs_exist(vocabulary: list[Mechanism]) -> None:
    slugs = {m.slug for m in vocabulary}
    cases = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    assert len(cases) >= 80
    unknown = {s for case in cases for s in case["mechanisms"]} - slugs
    assert not unknown


def test_precision_and_recall(vocabulary: list[Mechanism]) -> None:
    matcher = build_matcher(vocabulary)
    by_slug = {m.slug: m for m in vocabulary}
    cases = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    tp = fp = fn = 0
    misses: list[str] = []
    for case in cases:
        found = {m.mechanism for m in detect(case["text"], matcher, by_slug)}
        expected = set(case["mechanisms"])
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if found != expected:
            misses.append(f"{case['text']!r}: extra {sorted(found - expected)}, missing {sorted(expected - found)}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"\nmechanism detection on {len(cases)} sentences: precision {precision:.3f}, recall {recall:.3f}")
    for line in misses:
        print("  " + line)
    assert precision >= 1.0, misses
    assert recall >= 0.97, misses
