"""Property tests of every reader of untrusted input: the five importers, the format detector,
the decoder and mojibake repair, the front-matter reader, and a record written as a page and
read back. The generators (tests/fuzz_inputs.py) build near-valid files of each format and
spoil them; the properties are no exception but Diagnostics, the same output every time, titles
and names without control characters, and every problem naming its file (and its record or
line among records). A moderate number of examples here keeps the suite quick; bench/fuzz.py
runs the same targets for hundreds of thousands of inputs.
"""

from __future__ import annotations

import pytest
from fuzz_inputs import TARGETS, check_decode, check_front_matter, check_importer, check_record_page
from hypothesis import HealthCheck, given, settings

FUZZ = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _fuzz(name: str) -> None:
    strategy, check = TARGETS[name]

    def holds(value: object) -> None:
        check(value)

    FUZZ(given(strategy)(holds))()


@pytest.mark.parametrize("name", ["ris", "medline", "refer", "bibtex", "csljson"])
def test_importer_survives_near_valid_files(name: str) -> None:
    _fuzz(name)


@pytest.mark.parametrize("name", ["detect", "decode", "mojibake", "frontmatter", "page"])
def test_reader_survives_near_valid_input(name: str) -> None:
    _fuzz(name)


# Inputs the fuzzing found, each once a crash or a broken promise, kept as plain examples.


def test_ris_text_under_no_tag_is_kept_under_a_string_key() -> None:
    """rispy keyed a bare line after an empty `TY  - ` with None, and writing the page failed."""
    check_importer("ris", "TY  - \nHER2\nTI  - A title\nER  - \n")
    check_record_page("TY  - 0\r0\n")
    from litweave.importers import PARSERS

    (record,) = PARSERS["ris"]("TY  - \nHER2\nTI  - A title\nER  - \n", "a.ris").records
    assert record.extra == {"untagged": "HER2"}


def test_ris_repeated_empty_tag_then_odd_line() -> None:
    """A repeated single-value tag, then a line that looks like a tag but is not one: rispy raised."""
    text = "\n\nTY  - \n\nT1  -    \n\nT1  - \nA0   -     \n"
    check_importer("ris", text)


@pytest.mark.parametrize("name", ["ris", "medline", "refer", "bibtex", "csljson"])
def test_control_characters_leave_titles_and_names(name: str) -> None:
    texts = {
        "ris": "TY  - JOUR\nTI  - A\x1b[31m title\x00\nAU  - Smi\x07th, J\nER  - \n",
        "medline": "PMID- 1\nTI  - A\x1b[31m title\x00\nFAU - Smi\x07th, J\n",
        "refer": "%0 Journal Article\n%T A\x1b[31m title\x00\n%A Smi\x07th, J\n",
        "bibtex": "@article{k, title = {A\x1b[31m title\x00}, author = {Smi\x07th, J}}\n",
        "csljson": '[{"title": "A\\u001b[31m title\\u0000", "author": [{"family": "Smi\\u0007th"}]}]',
    }
    from litweave.importers import PARSERS

    check_importer(name, texts[name])
    (record,) = PARSERS[name](texts[name], f"a.{name}").records
    assert record.title == "A[31m title"
    assert record.authors[0].family == "Smith"


def test_csljson_with_a_huge_number_or_deep_nesting_is_a_diagnostic() -> None:
    """json.loads raised ValueError (over 4,300 digits) and RecursionError: both reached the user."""
    from fuzz_inputs import check_detect

    for text in (
        "[\n -" + "9" * 5000 + "]",
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
        '[{"title": "x", "issued": ' + "[" * 50_000,
    ):
        check_importer("csljson", text)
        check_detect(text)
    from litweave.importers import PARSERS

    result = PARSERS["csljson"]("[" * 100_000, "deep.json")
    assert result.records == [] and result.diagnostics[0].level == "error" and result.diagnostics[0].file == "deep.json"


def test_odd_bytes_decode() -> None:
    for data in (b"\xff\xfe\x00", b"\xef\xbb\xbf\xc3", b"\x00" * 9, "Ã©".encode() * 3, b"\x1b\x80\x81"):
        check_decode(data)


def test_front_matter_edge_cases() -> None:
    for text in (
        "---\n",
        "---\n---",
        "---\n: x\n---\n",
        "---\n!!python/object:os.system x\n---\n",
        "\ufeff---\na: 1\n---\n",
    ):
        check_front_matter(text)
