"""The fixture site built into a temporary folder: every link resolves, relations are right,
hostile text stays text, a second build writes nothing, and bad content leaves site/ untouched."""

from __future__ import annotations

import json
from pathlib import Path

from litweave.build.pipeline import build_site
from litweave.cli import main
from litweave.commands.check_site import check_built_site
from litweave.config import load_config


def _build(root: Path, **overrides: str) -> None:
    report = build_site(load_config(root, **overrides))
    assert report.ok, [str(d) for d in report.diagnostics]


def test_every_internal_link_resolves(kb: Path) -> None:
    _build(kb)
    report = check_built_site(kb / "site", "/")
    assert report.pages >= 15
    assert report.links > 100
    assert report.findings == []


def test_the_sample_knowledge_base_builds_with_every_link_resolving(tmp_path: Path) -> None:
    """The repository's own sample, with its settings (site_url set: feeds and sitemap), as a
    newcomer builds it: mechanisms without papers must not link feeds that are not made."""
    import shutil

    from conftest import REPO

    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    _build(root)
    assert (root / "site" / "feed.xml").is_file() and (root / "site" / "sitemap.xml").is_file()
    report = check_built_site(root / "site", "/")
    assert report.pages > 200 and report.findings == [], [str(d) for d in report.findings[:5]]


def test_links_resolve_under_a_sub_path(kb: Path) -> None:
    _build(kb, base_url="/repo/")
    html = (kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html").read_text()
    assert 'href="/repo/authors/rita-nahta/"' in html
    assert check_built_site(kb / "site", "/repo/").findings == []
    # the same site served at "/" would break: the checker must notice
    assert check_built_site(kb / "site", "/").findings


def test_author_variants_are_one_person(kb: Path) -> None:
    _build(kb)
    graph = json.loads((kb / "site" / "graph.json").read_text())
    authors = {a["id"]: a for a in graph["authors"]}
    # "Nahta, R." joins Rita Nahta: the only full name with those initials
    assert sorted(authors["rita-nahta"]["papers"]) == [
        "lu-2001-insulin-like",
        "nahta-2006-mechanisms",
        "nahta-2012-igf-ir-trastuzumab",
    ]
    assert authors["marc-van-de-vijver"]["name"] == "Marc van de Vijver"
    assert authors["rene-dupont"]["name"] == "René Dupont"
    assert "world-health-organization" in authors


def test_graph_json_shape_and_relations(kb: Path) -> None:
    _build(kb)
    graph = json.loads((kb / "site" / "graph.json").read_text())
    assert set(graph) == {"papers", "authors", "mechanisms", "tags"}
    paper = next(p for p in graph["papers"] if p["id"] == "nahta-2012-igf-ir-trastuzumab")
    assert set(paper) == {
        "id",
        "title",
        "url",
        "year",
        "doi",
        "authors",
        "mechanisms",
        "status",
        "rating",
        "tags",
        "added",
    }
    assert paper["url"] == "papers/nahta-2012-igf-ir-trastuzumab/"
    assert paper["doi"] == "10.1155/2012/648965"
    assert {"her2", "igf-ir", "trastuzumab"} <= set(paper["mechanisms"])
    mechs = {m["id"]: m for m in graph["mechanisms"]}
    assert set(mechs["her2"]) == {"id", "title", "url", "aliases", "papers"}
    assert "nahta-2012-igf-ir-trastuzumab" in mechs["igf-ir"]["papers"]
    for kind in ("papers", "authors", "mechanisms", "tags"):
        for item in graph[kind]:
            assert (kb / "site" / item["url"] / "index.html").is_file()


def test_front_matter_overrides_add_mechanisms(kb: Path) -> None:
    _build(kb)
    graph = json.loads((kb / "site" / "graph.json").read_text())
    lu = next(p for p in graph["papers"] if p["id"] == "lu-2001-insulin-like")
    # IGF-I is named only in front matter ("her data" must not be HER2 either way, HER2 comes from the text)
    assert "igf-i" in lu["mechanisms"]
    assert "cell-cycle-arrest" in lu["mechanisms"]


def test_mentions_are_linked_and_hostile_text_escaped(kb: Path) -> None:
    _build(kb)
    page = (kb / "site" / "papers" / "nahta-2012-igf-ir-trastuzumab" / "index.html").read_text()
    assert '<a class="mention" href="/mechanisms/igf-ir/"' in page
    assert "20–30%" in page
    assert '<h2 id="1-introduction">1. Introduction</h2>' in page
    assert 'href="https://doi.org/10.1155/2012/648965"' in page
    hostile = (kb / "site" / "papers" / "hostile-2020-script" / "index.html").read_text()
    assert "<script>alert" not in hostile
    assert "&lt;script&gt;" in hostile
    assert "<img src=x" not in hostile
    assert 'href="javascript:' not in hostile.lower()
    assert "<b>raw html</b>" not in hostile


def test_second_build_writes_nothing_and_output_is_deterministic(kb: Path) -> None:
    config = load_config(kb)
    first = build_site(config)
    assert first.write and first.write.written
    snapshot = {p: p.read_bytes() for p in (kb / "site").rglob("*") if p.is_file()}
    second = build_site(config)
    assert second.write is not None
    assert second.write.written == [] and second.write.pruned == []
    third = build_site(config, clean=True)
    assert third.write is not None
    assert {p: p.read_bytes() for p in (kb / "site").rglob("*") if p.is_file()} == snapshot


def test_removed_paper_is_pruned_and_hand_files_kept(kb: Path) -> None:
    _build(kb)
    (kb / "site" / "CNAME").write_text("example.org\n")
    (kb / "content" / "papers" / "hostile-2020-script.md").unlink()
    report = build_site(load_config(kb))
    assert report.write is not None
    assert "papers/hostile-2020-script/index.html" in report.write.pruned
    assert not (kb / "site" / "papers" / "hostile-2020-script").exists()
    assert (kb / "site" / "CNAME").read_text() == "example.org\n"


def test_bad_front_matter_fails_without_touching_site(kb: Path, capsys) -> None:
    _build(kb)
    before = {p: p.read_bytes() for p in (kb / "site").rglob("*") if p.is_file()}
    bad = kb / "content" / "papers" / "broken.md"
    bad.write_text("---\ntitle: ok\nauthors: [unclosed\nyear: 2001\n---\nbody\n")
    (kb / "content" / "papers" / "lu-2001-insulin-like.md").unlink()
    code = main(["--root", str(kb), "build"])
    out = capsys.readouterr()
    assert code == 1
    assert "content/papers/broken.md:" in out.err
    assert "build failed" in out.out
    assert {p: p.read_bytes() for p in (kb / "site").rglob("*") if p.is_file()} == before


def test_missing_wikilink_is_reported_not_linked(kb: Path) -> None:
    report = build_site(load_config(kb))
    assert any("[[No Such Page]]" in d.message for d in report.diagnostics)
    page = (kb / "site" / "papers" / "nahta-2012-igf-ir-trastuzumab" / "index.html").read_text()
    assert '<span class="wikilink missing">No Such Page</span>' in page
    assert 'href="/papers/lu-2001-insulin-like/">the first report</a>' in page


def test_build_py_and_console_script_share_the_cli(kb: Path, capsys) -> None:
    assert main(["build", "--root", str(kb)]) == 0
    assert "built" in capsys.readouterr().out
    # the fixture's notes hold a dead wikilink on purpose: check names it and fails
    assert main(["--root", str(kb), "check"]) == 1
    assert "wikilink [[No Such Page]] matches no page" in capsys.readouterr().err


def test_output_paths_never_leave_the_site(tmp_path: Path) -> None:
    import pytest

    from litweave.urls import UnsafePathError, safe_join

    site = tmp_path / "site"
    site.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / "linked").symlink_to(outside)
    for rel in ("../x.html", "/etc/passwd", "a/../../x", "linked/index.html", ""):
        with pytest.raises(UnsafePathError):
            safe_join(site, rel)
    assert safe_join(site, "papers/new/index.html") == site / "papers" / "new" / "index.html"


def test_rejected_mention_is_not_linked_anywhere(kb: Path) -> None:
    page = kb / "content" / "papers" / "nahta-2012-igf-ir-trastuzumab.md"
    page.write_text(page.read_text().replace("url: http", "not_mechanisms: [HER2]\nurl: http", 1))
    _build(kb)
    html = (kb / "site" / "papers" / "nahta-2012-igf-ir-trastuzumab" / "index.html").read_text()
    assert 'href="/mechanisms/her2/" title' not in html
    assert '<a class="mention" href="/mechanisms/igf-ir/"' in html


def test_wikilinks_to_names_with_quotes_and_footnotes_in_two_bodies(kb: Path) -> None:
    page = kb / "content" / "papers" / "nahta-2012-igf-ir-trastuzumab.md"
    text = page.read_text().replace("Trastuzumab (Herceptin)", "Trastuzumab[^1] (Herceptin)")
    text = text.replace(
        "  Trastuzumab[^1] (Herceptin) is a humanized monoclonal antibody against HER2 [1].",
        "  Trastuzumab[^1] (Herceptin) is a humanized monoclonal antibody against HER2 [1].\n\n  [^1]: Genentech.",
    )
    page.write_text(text + "\nAsk [[Seán O'Brien]] about it.[^1]\n\n[^1]: In person.\n")
    report = build_site(load_config(kb))
    assert not any("O'Brien" in d.message for d in report.diagnostics)
    html = (kb / "site" / "papers" / "nahta-2012-igf-ir-trastuzumab" / "index.html").read_text()
    assert 'href="/authors/sean-o-brien/"' in html
    import re

    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert check_built_site(kb / "site", "/").findings == []


def test_clean_build_still_prunes_stale_pages(kb: Path) -> None:
    _build(kb)
    (kb / "content" / "papers" / "lu-2001-insulin-like.md").unlink()
    report = build_site(load_config(kb), clean=True)
    assert report.write is not None and "papers/lu-2001-insulin-like/index.html" in report.write.pruned
    assert not (kb / "site" / "papers" / "lu-2001-insulin-like").exists()


def test_page_shadowing_a_section_is_refused_before_writing(kb: Path) -> None:
    _build(kb)
    before = {p: p.read_bytes() for p in (kb / "site").rglob("*") if p.is_file()}
    for name in ("papers.md", "graph.json.md", "..md"):
        bad = kb / "content" / "pages" / name
        bad.write_text("---\ntitle: x\n---\n")
        report = build_site(load_config(kb))
        assert not report.ok and any(d.file.endswith(name) for d in report.diagnostics), name
        bad.unlink()
    assert {p: p.read_bytes() for p in (kb / "site").rglob("*") if p.is_file()} == before


def test_odd_front_matter_is_named_not_a_crash(kb: Path) -> None:
    odd = {
        "a": "authors: 42",
        "b": "sources: {file: a}",
        "c": "title: [a, b]",
        "d": "year: true",
        "e": "authors: [{family: Nahta, given: Rita}]",
        "f": "abstract: {a: 1}",
        "g": "doi: 10.1000/a#b?c",
    }
    for slug, line in odd.items():
        title = "" if line.startswith("title") else f"title: Odd {slug}\n"
        (kb / "content" / "papers" / f"odd-{slug}.md").write_text(f"---\n{title}{line}\n---\n")
    report = build_site(load_config(kb))
    assert report.ok
    named = {d.file for d in report.diagnostics if d.level == "warning"}
    for slug in "abcdf":
        assert f"content/papers/odd-{slug}.md" in named
    assert report.graph is not None
    assert "odd-e" in report.graph.authors["rita-nahta"].papers
    html = (kb / "site" / "papers" / "odd-g" / "index.html").read_text()
    assert 'href="https://doi.org/10.1000/a%23b%3Fc"' in html
