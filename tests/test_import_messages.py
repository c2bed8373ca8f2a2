"""What `litweave import` tells a person: messages grouped by file and kind, with counts, at most a
screenful, every one of them in `.litweave-cache/import.txt`; merges counted only when records of
another source join a page, and listed page by page there."""

from __future__ import annotations

from pathlib import Path

from litweave.cli import main
from litweave.commands.import_ import MESSAGES
from litweave.message_groups import SCREEN_LINES, grouped_lines, kind_of
from litweave.model import Diagnostic


def _odd_export(path: Path, records: int) -> None:
    """An export that carries the same oddities in every record, as some Zotero RIS files do."""
    path.write_text(
        "".join(
            f"TY  - JOUR\nTI  - Paper {n} on HER2 signalling\nAU  - Doe, Jane\nPY  - Year\nDA  - Date\n"
            f"DO  - DOI\nER  - \n\n"
            for n in range(1, records + 1)
        ),
        encoding="utf-8",
    )


def test_one_files_repeated_oddities_are_a_few_lines_and_the_full_list_a_file(
    empty_kb: Path, tmp_path: Path, capsys
) -> None:
    odd, good = tmp_path / "zotero.ris", tmp_path / "other.ris"
    _odd_export(odd, 47)
    good.write_text("TY  - JOUR\nTI  - A useful warning follows\nPY  - abcd\nER  - \n", encoding="utf-8")
    assert main(["--root", str(empty_kb), "import", "-q", str(odd), str(good)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) <= SCREEN_LINES + 1
    kinds = [line for line in err if line.startswith("zotero.ris (records 1, 2, 3")]
    assert len(kinds) == 3 and all(line.endswith("— 47 messages like this") for line in kinds)
    assert any(line.startswith("other.ris (record 1): warning: PY: 'abcd' is not a date") for line in err)
    assert err[-1] == f"(every message, one by one, is in {MESSAGES})"
    listed = (empty_kb / MESSAGES).read_text(encoding="utf-8").splitlines()
    assert sum(1 for line in listed if line.startswith("zotero.ris (record ")) == 3 * 47


def test_many_kinds_are_cut_at_a_screenful_saying_how_many_were_left() -> None:
    messages = [
        Diagnostic("warning", f"problem number {n} of kind {chr(65 + n % 26)}{n}x", f"f{n}.ris") for n in range(60)
    ]
    lines = grouped_lines(messages, full="list.txt")
    assert len(lines) == SCREEN_LINES + 1
    assert lines[-1] == "… and 40 more messages of 40 more kinds or files; every message is in list.txt"


def test_kinds_differ_in_words_not_in_what_they_quote() -> None:
    assert kind_of("PY: 'Year' is not a date") == kind_of("PY: 'Date of Code' is not a date")
    assert kind_of("record 3 has 12 fields") == kind_of("record 14 has 1,200 fields")
    assert kind_of("PY: 'Year' is not a date") != kind_of("DO: 'DOI' is not a DOI")


def test_a_reimport_merges_nothing_and_a_second_source_is_named(empty_kb: Path, tmp_path: Path, capsys) -> None:
    first, second = tmp_path / "pubmed.ris", tmp_path / "zotero.bib"
    first.write_text("TY  - JOUR\nTI  - HER2 and IGF-IR\nAU  - Nahta, Rita\nPY  - 2012\nDO  - 10.1/x\nER  - \n")
    second.write_text("@article{nahta2012, title={HER2 and IGF-IR}, author={Nahta, Rita}, year={2012}, doi={10.1/x}}\n")
    root = ["--root", str(empty_kb), "import", "-q"]
    assert main([*root, str(first)]) == 0
    assert main([*root, str(first)]) == 0
    assert "; 0 merged as duplicates;" in capsys.readouterr().out.splitlines()[-1]
    assert main([*root, str(second)]) == 0
    assert "; 1 merged as duplicates (which into which:" in capsys.readouterr().out
    listed = (empty_kb / MESSAGES).read_text(encoding="utf-8")
    assert "content/papers/nahta-2012-her2-igf-ir.md: zotero.bib record 1\n" in listed
    assert main([*root, str(first), str(second)]) == 0  # both again: nothing joins anything
    assert "; 0 merged as duplicates;" in capsys.readouterr().out
