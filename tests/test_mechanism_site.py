"""Mechanisms in the built site: vocabulary problems reported with both files, the build going on;
context sentences, timeline and network; `suggest` listing and writing drafts."""

from __future__ import annotations

from pathlib import Path

from litweave.build.pipeline import build_site
from litweave.cli import main
from litweave.config import load_config


def test_shared_alias_names_both_files_and_build_continues(kb: Path) -> None:
    (kb / "content" / "mechanisms" / "erbb2-gene.md").write_text(
        "---\ntitle: ERBB2 gene\naliases: [HER2/neu, neu]\nkind: gene\n---\nThe gene.\n"
    )
    (kb / "content" / "mechanisms" / "empty.md").write_text("---\ntitle: ''\n---\n")
    report = build_site(load_config(kb))
    assert report.ok
    clash = [str(d) for d in report.diagnostics if "erbb2-gene.md" in str(d) and "her2.md" in str(d)]
    assert clash, [str(d) for d in report.diagnostics]
    assert any("empty.md" in str(d) for d in report.diagnostics)
    # the defined winner keeps a shared alias: the alphabetically first slug ("erbb2-gene" < "her2")
    assert report.graph is not None
    assert "neu" in report.graph.mechanisms["erbb2-gene"].aliases
    assert "neu" not in report.graph.mechanisms["her2"].aliases


def test_mechanism_page_has_context_timeline_and_cooccurrence(kb: Path) -> None:
    assert build_site(load_config(kb)).ok
    page = (kb / "site" / "mechanisms" / "igf-ir" / "index.html").read_text()
    assert '<blockquote class="context">' in page and "<mark>IGF-IR</mark>" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "<title>Papers mentioning IGF-IR" in page
    # newest first
    assert page.index("nahta-2012-igf-ir-trastuzumab") < page.index("lu-2001-insulin-like")
    assert 'href="/mechanisms/trastuzumab/">trastuzumab</a> <span class="count">2</span>' in page
    index = (kb / "site" / "mechanisms" / "index.html").read_text()
    assert '<figure class="network">' in index and 'href="/mechanisms/her2/"' in index


def test_suggest_lists_and_writes_drafts_without_clobbering(kb: Path, capsys) -> None:
    paper = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    paper.write_text(
        paper.read_text() + "\nThe insulin receptor substrate 1 (IRS-1) links the receptor to PI3K, and "
        "heat shock protein 90 (HSP90) keeps it folded.\n"
    )
    assert main(["--root", str(kb), "suggest"]) == 0
    listed = capsys.readouterr().out
    assert "IRS-1\tinsulin receptor substrate 1\t1 paper\t" in listed
    assert main(["--root", str(kb), "suggest", "--write", "IRS-1"]) == 0
    draft = kb / "content" / "mechanisms" / "irs-1.md"
    text = draft.read_text()
    assert "title: IRS-1" in text and "kind: draft" in text and "insulin receptor substrate 1" in text
    draft.write_text(text + "\nEdited by hand.\n")
    main(["--root", str(kb), "suggest", "--write", "IRS-1"])
    assert draft.read_text().endswith("Edited by hand.\n")  # no longer suggested, and never overwritten
    assert build_site(load_config(kb)).ok
