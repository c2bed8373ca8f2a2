"""A custom domain's CNAME file is copied into the site by every build and never pruned while its
source is there; one put into the site by hand is never removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from litweave.cli import main


def _build(root: Path, *extra: str) -> None:
    assert main(["--root", str(root), "build", "--no-search", "--jobs", "1", "-q", *extra]) == 0


@pytest.mark.parametrize("where", ["content/CNAME", "CNAME"])
def test_a_cname_file_is_copied_to_the_site_root(kb: Path, where: str) -> None:
    (kb / where).write_text("papers.example.org\n", encoding="utf-8")
    _build(kb)
    assert (kb / "site" / "CNAME").read_text(encoding="utf-8") == "papers.example.org\n"


def test_content_cname_wins_over_the_root_one(kb: Path) -> None:
    (kb / "CNAME").write_text("root.example.org\n", encoding="utf-8")
    (kb / "content" / "CNAME").write_text("content.example.org\n", encoding="utf-8")
    _build(kb)
    assert (kb / "site" / "CNAME").read_text(encoding="utf-8") == "content.example.org\n"


def test_the_cname_survives_every_kind_of_rebuild(kb: Path) -> None:
    (kb / "content" / "CNAME").write_text("papers.example.org\n", encoding="utf-8")
    _build(kb)
    _build(kb)  # nothing changed
    paper = next((kb / "content" / "papers").glob("*.md"))
    paper.write_text(paper.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    _build(kb)  # one paper's notes: the fast path
    (kb / "content" / "papers" / "new.md").write_text("---\ntitle: A new paper\nyear: 2020\n---\n", encoding="utf-8")
    _build(kb)  # a page added: a full plan, and pruning
    _build(kb, "--clean")
    assert (kb / "site" / "CNAME").read_text(encoding="utf-8") == "papers.example.org\n"


def test_an_edited_cname_is_rewritten_and_a_removed_one_removed(kb: Path) -> None:
    (kb / "CNAME").write_text("old.example.org\n", encoding="utf-8")
    _build(kb)
    (kb / "CNAME").write_text("new.example.org\n", encoding="utf-8")
    _build(kb)
    assert (kb / "site" / "CNAME").read_text(encoding="utf-8") == "new.example.org\n"
    (kb / "CNAME").unlink()
    _build(kb)
    assert not (kb / "site" / "CNAME").exists()


def test_a_cname_put_into_the_site_by_hand_is_never_pruned(kb: Path) -> None:
    _build(kb)
    (kb / "site" / "CNAME").write_text("by-hand.example.org\n", encoding="utf-8")
    (kb / "content" / "papers" / "new.md").write_text("---\ntitle: A new paper\nyear: 2020\n---\n", encoding="utf-8")
    _build(kb)
    _build(kb, "--clean")
    assert (kb / "site" / "CNAME").read_text(encoding="utf-8") == "by-hand.example.org\n"


def test_a_page_may_not_be_called_cname(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kb / "content" / "pages").mkdir(exist_ok=True)
    (kb / "content" / "pages" / "CNAME.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert main(["--root", str(kb), "build", "--no-search", "-q"]) == 1
    assert "may not be called 'CNAME'" in capsys.readouterr().err
