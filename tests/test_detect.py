"""Format detection from content, extension only as a tie-breaker."""

from __future__ import annotations

from pathlib import Path

import pytest

from litweave.importers.detect import detect_format

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ris/sample.ris", "ris"),
        ("bibtex/sample.bib", "bibtex"),
        ("medline/sample.nbib", "medline"),
        ("csljson/sample.json", "csljson"),
    ],
)
def test_detects_each_sample_even_with_a_misleading_name(name: str, fmt: str) -> None:
    text = (DATA / name).read_bytes().decode("utf-8")
    assert detect_format(text, name) == fmt
    assert detect_format(text, "refs.txt") == fmt


def test_refer_and_unknown() -> None:
    assert detect_format("%0 Journal Article\n%A Nahta, Rita\n%T A title\n") == "refer"
    assert detect_format("JF  - no type line\nER  -\n") is None
    assert detect_format("") is None
