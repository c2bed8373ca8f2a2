"""The graph on its own (pure): author variants, initials, co-authors and co-occurrence."""

from __future__ import annotations

from pathlib import Path

from litweave.mechanisms.matcher import build_matcher
from litweave.model import Mechanism, Page
from litweave.site.graph import build_graph


def paper(slug: str, authors: list[str], year: int, abstract: str = "") -> Page:
    meta = {"title": f"Paper {slug}", "authors": authors, "year": year, "abstract": abstract}
    return Page("paper", slug, meta, "", Path(f"content/papers/{slug}.md"))


MECHS = [Mechanism("her2", "HER2", ("ERBB2",)), Mechanism("egfr", "EGFR"), Mechanism("akt", "AKT", ("Akt",))]


def test_initials_join_a_full_name_only_when_unambiguous() -> None:
    pages = [
        paper("a", ["Nahta, Rita", "Lu, Yuhong"], 2001),
        paper("b", ["Nahta R", "Lu, Yang"], 2002),
        paper("c", ["R. Nahta", "Lu, Y."], 2003),
    ]
    graph, diagnostics = build_graph(pages, MECHS, build_matcher(MECHS))
    assert graph.authors["rita-nahta"].papers == ("c", "b", "a")
    # "Lu, Y." could be Yuhong or Yang: it stays apart, and the build says so
    assert {a for a in graph.authors if a.startswith("y")} == {"y-lu", "yang-lu", "yuhong-lu"}
    assert any("'Y. Lu'" in d.message and d.level == "warning" for d in diagnostics)


def test_coauthors_and_cooccurrence_are_counted() -> None:
    pages = [
        paper("a", ["Rita Nahta", "Dihua Yu"], 2001, "HER2 and EGFR signal through Akt."),
        paper("b", ["Rita Nahta", "Dihua Yu"], 2005, "HER2 drives AKT."),
        paper("c", ["Rita Nahta"], 2010, "EGFR alone."),
    ]
    graph, _ = build_graph(pages, MECHS, build_matcher(MECHS))
    assert graph.coauthors("rita-nahta") == (("dihua-yu", 2),)
    assert graph.mechanism_papers["egfr"] == ("c", "a")  # newest first
    assert graph.co_mentions("her2") == (("akt", 2), ("egfr", 1))
    assert graph.papers["a"].mechanisms == ("akt", "egfr", "her2")
