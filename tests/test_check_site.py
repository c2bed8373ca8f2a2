"""`litweave check` on a built site: served under its base path, every URL fetched, every anchor
and id checked, under the base URL the build recorded."""

from __future__ import annotations

import http.client
import json
import shutil
from pathlib import Path

import pytest
from check_helpers import clean, line_of, of_rule, run_json
from conftest import REPO

from litweave.cli import main
from litweave.commands.check_site import check_built_site
from litweave.commands.local_host import Fetcher, origin, serve

BROKEN = ("broken-link", "broken-asset", "broken-anchor", "duplicate-id", "sitemap-url", "search-bundle")


def _build(root: Path, *args: str) -> None:
    assert main(["--root", str(root), "build", "-q", *args]) == 0


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The repository's own sample knowledge base, with its settings (site_url set, base_url "/")."""
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_sample_built_under_a_sub_path_passes_check_without_being_told(sample: Path, capsys) -> None:
    _build(sample, "--base-url", "/repo/")
    code, doc = run_json(sample, capsys)
    assert [f for f in doc["findings"] if f["rule"] in BROKEN] == []
    assert code == 0, [f for f in doc["findings"] if f["severity"] == "error"]
    summary = doc["summary"]
    assert (summary["base_url"], summary["base_url_from"]) == ("/repo/", "manifest")
    assert summary["pages"] > 200 and summary["links"] > 2_000 and summary["urls"] > summary["pages"]
    # the settings still say "/": told as info, not an error
    assert [f["severity"] for f in of_rule(doc, "base-url-mismatch")] == ["info"]
    # the sample's site_url has no /repo/ in it: its sitemap would send crawlers elsewhere
    assert [f["severity"] for f in of_rule(doc, "site-url-mismatch")] == ["warning"]


def test_the_same_site_checked_under_the_wrong_base_fails(sample: Path, capsys) -> None:
    """What a check that assumed "/" reported for a site built under /repo/: every link broken."""
    _build(sample, "--base-url", "/repo/")
    report = check_built_site(sample / "site", "/")
    assert report.pages > 200  # served at "/", every page links under /repo/, which answers 404
    assert len([f for f in report.findings if f.rule in ("broken-link", "broken-asset")]) > 1_000
    code, doc = run_json(sample, capsys, "--base-url", "/")
    assert code == 1 and of_rule(doc, "broken-link")
    assert doc["summary"]["base_url_from"] == "--base-url"
    assert "was built for /repo/" in of_rule(doc, "base-url-mismatch")[0]["message"]


def test_host_serves_under_the_prefix_only(kb: Path) -> None:
    _build(kb, "--base-url", "/repo/")
    with serve(kb / "site", "/repo/") as server:
        fetcher = Fetcher(origin(server))
        assert fetcher.head("/repo/").status == 200
        assert fetcher.head("/repo/papers/lu-2001-insulin-like/").status == 200
        assert fetcher.head("/papers/lu-2001-insulin-like/").status == 404  # outside the base path
        assert fetcher.head("/repo/../pyproject.toml").status == 404
        assert fetcher.head("/repo/%2e%2e/content/papers/lu-2001-insulin-like.md").status == 404
        answer = fetcher.head("/repo/papers")
        assert (answer.status, answer.location) == (301, "/repo/papers/")
        answer, body = fetcher.fetch("GET", "/repo/static/style.css")
        assert answer.status == 200 and body == (kb / "site" / "static" / "style.css").read_bytes()
        fetcher.close()
        assert server.requests == 7
    with pytest.raises(OSError):  # stopped with the context: nothing left listening
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=2)
        conn.request("HEAD", "/repo/")


def test_deleted_stylesheet_is_named_on_every_page_that_loads_it(kb: Path, capsys) -> None:
    clean(kb)
    _build(kb, "--base-url", "/repo/")
    (kb / "site" / "static" / "style.css").unlink()
    code, doc = run_json(kb, capsys)
    assert code == 1
    found = of_rule(doc, "broken-asset")
    pages = {f["file"] for f in found}
    assert "site/index.html" in pages and "site/papers/lu-2001-insulin-like/index.html" in pages
    assert len(pages) == doc["summary"]["pages"]
    home = next(f for f in found if f["file"] == "site/index.html")
    assert home["line"] == line_of(kb / "site" / "index.html", "static/style.css")
    assert home["message"] == "'/repo/static/style.css' answers 404"


def test_image_added_to_a_template_names_the_page_and_line(kb: Path, capsys) -> None:
    clean(kb)
    template = kb / "templates" / "paper.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace("{% block main %}", '{% block main %}\n<img src="{{ site.static_url }}figure.png" alt="">', 1),
        encoding="utf-8",
    )
    _build(kb)
    code, doc = run_json(kb, capsys)
    assert code == 1
    page = kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html"
    found = [f for f in of_rule(doc, "broken-asset") if f["file"] == "site/papers/lu-2001-insulin-like/index.html"]
    assert [(f["line"], f["message"]) for f in found] == [
        (line_of(page, "figure.png"), "'/static/figure.png' answers 404")
    ]
    assert all(f["file"].startswith("site/papers/") for f in of_rule(doc, "broken-asset"))


def test_anchor_to_nowhere_and_duplicate_id_are_named_with_their_lines(kb: Path, capsys) -> None:
    clean(kb)
    _build(kb)
    page = kb / "site" / "about" / "index.html"
    text = page.read_text(encoding="utf-8")
    extra = (
        '<p><a href="#nowhere">a</a> <a href="/papers/lu-2001-insulin-like/#main">b</a> '
        '<a href="/papers/lu-2001-insulin-like/#gone">c</a></p>\n<p id="main">twice</p>\n'
    )
    page.write_text(text.replace("</main>", extra + "</main>", 1), encoding="utf-8")
    code, doc = run_json(kb, capsys)
    assert code == 1
    anchors = [(f["file"], f["line"], f["message"]) for f in of_rule(doc, "broken-anchor")]
    line = line_of(page, "#nowhere")
    assert anchors == [
        ("site/about/index.html", line, "'#nowhere': the page has no element with id 'nowhere'"),
        ("site/about/index.html", line, "'/papers/lu-2001-insulin-like/#gone': the page has no element with id 'gone'"),
    ]
    assert [(f["file"], f["line"]) for f in of_rule(doc, "duplicate-id")] == [
        ("site/about/index.html", line_of(page, '<p id="main">'))
    ]


def test_feeds_sitemap_and_robots_are_followed(kb: Path, capsys) -> None:
    clean(kb)
    (kb / "pyproject.toml").write_text(
        '[tool.litweave]\nsite_url = "https://example.org/repo/"\nbase_url = "/repo/"\n', encoding="utf-8"
    )
    _build(kb)
    code, doc = run_json(kb, capsys)
    assert code == 0, [f for f in doc["findings"] if f["severity"] == "error"]
    assert of_rule(doc, "site-url-mismatch") == [] and of_rule(doc, "base-url-mismatch") == []
    shutil.rmtree(kb / "site" / "papers" / "lu-2001-insulin-like")
    code, doc = run_json(kb, capsys)
    assert code == 1
    sitemap = of_rule(doc, "sitemap-url")
    assert [(f["file"], f["line"]) for f in sitemap] == [
        ("site/sitemap.xml", line_of(kb / "site" / "sitemap.xml", "/papers/lu-2001-insulin-like/"))
    ]
    from_feeds = [f for f in of_rule(doc, "broken-link") if f["file"].endswith("feed.xml")]
    assert from_feeds and all(
        "https://example.org/repo/papers/lu-2001-insulin-like/" in f["message"] for f in from_feeds
    )
    (kb / "site" / "sitemap.xml").unlink()
    code, doc = run_json(kb, capsys)
    robots = [f for f in of_rule(doc, "broken-link") if f["file"] == "site/robots.txt"]
    assert [f["line"] for f in robots] == [line_of(kb / "site" / "robots.txt", "Sitemap:")]


def test_search_bundle_is_followed_to_its_fragments(kb: Path, capsys) -> None:
    pytest.importorskip("pagefind")
    clean(kb)
    _build(kb)
    bundle = kb / "site" / "pagefind"
    fragment = sorted((bundle / "fragment").iterdir())[0]
    fragment.unlink()
    code, doc = run_json(kb, capsys)
    assert code == 1
    found = of_rule(doc, "search-bundle")
    assert len(found) == 1 and f"/pagefind/fragment/{fragment.name} answers 404" in found[0]["message"]
    assert found[0]["file"].startswith("site/pagefind/pagefind.") and found[0]["file"].endswith(".pf_meta")
    (bundle / "pagefind-entry.json").unlink()
    code, doc = run_json(kb, capsys)
    found = of_rule(doc, "search-bundle")
    assert [(f["file"], f["line"]) for f in found] == [
        ("site/search/index.html", line_of(kb / "site" / "search" / "index.html", "pagefind-ui.js"))
    ]


def test_site_built_without_search_is_told_under_its_own_rule(kb: Path, capsys) -> None:
    clean(kb)
    _build(kb, "--no-search")
    code, doc = run_json(kb, capsys)
    assert code == 1
    found = of_rule(doc, "search-bundle")
    page = kb / "site" / "search" / "index.html"
    assert {(f["file"], f["line"]) for f in found} == {
        ("site/search/index.html", line_of(page, "pagefind-ui.css")),
        ("site/search/index.html", line_of(page, "pagefind-ui.js")),
    }
    assert of_rule(doc, "broken-asset") == []
    (kb / "pyproject.toml").write_text('[tool.litweave.check]\nsearch-bundle = "warning"\n', encoding="utf-8")
    code, doc = run_json(kb, capsys)
    assert code == 0


def test_every_search_shard_is_followed(kb: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pagefind")
    monkeypatch.setenv("LITWEAVE_SEARCH_SHARD_PAGES", "2")  # a small site in several shards
    clean(kb)
    _build(kb)
    bundle = kb / "site" / "pagefind"
    shards = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))
    assert len(shards) >= 1
    code, doc = run_json(kb, capsys)
    assert code == 0, of_rule(doc, "search-bundle")
    last = bundle / shards[-1]
    fragment = sorted((last / "fragment").iterdir())[0]
    fragment.unlink()
    code, doc = run_json(kb, capsys)
    found = of_rule(doc, "search-bundle")
    assert code == 1 and len(found) == 1
    assert f"/pagefind/{shards[-1]}fragment/{fragment.name} answers 404" in found[0]["message"]
    assert found[0]["file"].startswith(f"site/pagefind/{shards[-1]}pagefind.")
    (last / "pagefind-entry.json").unlink()
    code, doc = run_json(kb, capsys)
    assert [f["file"] for f in of_rule(doc, "search-bundle")] == ["site/pagefind/shards.json"]


def test_a_scheme_relative_link_is_another_site_even_at_the_root(kb: Path, capsys) -> None:
    """`//example.org/a` (what Markdown makes of `[x](//example.org/a)`) starts with the base "/"
    but names another host: it is not fetched from this site."""
    clean(kb)
    _build(kb)
    page = kb / "site" / "about" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</main>", '<p><a href="//example.org/a">x</a></p>\n</main>', 1), encoding="utf-8")
    report = check_built_site(kb / "site", "/")
    assert not [f for f in report.findings if "example.org" in f.message], [str(f) for f in report.findings]
