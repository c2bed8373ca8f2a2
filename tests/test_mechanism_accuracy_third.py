"""Detection accuracy on a third blind-labelled sentence set, written from the mechanism titles alone.

tests/data/mechanism_sentences_third.yaml was written by a curator who saw only each mechanism's
slug and title, not its aliases, the matcher or the other sets; its header states the labelling
rules (domains are not their namesake, coordinated members each count, lower-case symbols...).
The sentences and labels are kept as written; a label corrected because it broke the header's own
rules carries a YAML comment saying what changed and why.
"""

from __future__ import annotations

from pathlib import Path

from test_mechanism_accuracy_blind import check_accuracy, check_set_shape, load_cases, vocabulary

from litweave.model import Mechanism

SENTENCES = Path(__file__).resolve().parent / "data" / "mechanism_sentences_third.yaml"

__all__ = ["vocabulary"]  # the module fixture, shared


def test_third_set_is_large_and_uses_known_slugs(vocabulary: list[Mechanism]) -> None:
    check_set_shape(load_cases(SENTENCES), vocabulary, 150)


def test_third_precision_and_recall(vocabulary: list[Mechanism]) -> None:
    check_accuracy("third blind", load_cases(SENTENCES), vocabulary)
