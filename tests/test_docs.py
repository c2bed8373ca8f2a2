"""The README is a guide a user starts from; the reference is in docs/, true to the code: every
command and option the CLI knows, every setting and every relative link is there."""

from __future__ import annotations

import argparse
import re
from dataclasses import fields

from conftest import REPO

from litweave.cli import make_parser
from litweave.config import Config

DOCS = REPO / "docs"


def _commands() -> dict[str, argparse.ArgumentParser]:
    for action in make_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_the_readme_starts_with_the_two_commands_and_stays_a_guide() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    head = "\n".join(lines[:12])
    assert "pip install -e . && python build.py" in head and "pip install -e '.[test]' && python -m pytest -q" in head
    assert len(lines) <= 250
    quick = "\n".join(lines[lines.index("## Quick start") : lines.index("## What you get")])
    for step in ("pip install", "litweave init", "litweave import", "litweave build", "litweave serve", "git push"):
        assert step in quick


def test_every_command_and_option_is_documented() -> None:
    page = (DOCS / "commands.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## `litweave (\w+)[^`]*`\n(.*?)(?=^## |\Z)", page, re.M | re.S))
    missing = []
    for name, parser in _commands().items():
        if name not in sections:
            missing.append(name)
            continue
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option not in ("--help", "--root", "--verbose"):
                    if f"`{option}" not in sections[name]:
                        missing.append(f"{name} {option}")
    assert "`--root DIR`" in page and "`-v`, `--verbose`" in page
    assert missing == []


def test_every_setting_is_documented() -> None:
    page = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert [f.name for f in fields(Config) if f.name != "root" and f"| `{f.name}` |" not in page] == []


def test_every_relative_link_of_the_readme_and_docs_reaches_a_file() -> None:
    broken = []
    for path in [REPO / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            if "://" not in target and not (path.parent / target).exists():
                broken.append(f"{path.relative_to(REPO)} → {target}")
    assert broken == []
