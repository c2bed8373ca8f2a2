"""Shared by the check tests: the CLI run with its JSON output read back, and a knowledge base
whose content is clean (the fixture's one planted dead wikilink taken out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litweave.cli import main

PLANTED = "[[No Such Page]]"
NAHTA = "content/papers/nahta-2012-igf-ir-trastuzumab.md"


def run_json(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    """`litweave --root ROOT check --format json ARGS`: the exit code and the parsed document;
    standard output must hold that document and nothing else."""
    capsys.readouterr()
    code = main(["--root", str(root), "check", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def of_rule(document: dict, rule: str) -> list[dict]:
    return [f for f in document["findings"] if f["rule"] == rule]


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of `path` holding `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def clean(kb: Path) -> Path:
    """The fixture knowledge base without its planted dead wikilink."""
    page = kb / NAHTA
    page.write_text(page.read_text(encoding="utf-8").replace(f", {PLANTED}", ""), encoding="utf-8")
    return kb
