"""Notes that link: Pandoc citations render as linked in-text citations with a References list,
count as backlinks, and every target page lists "Mentioned in" with the sentence; related
papers are ranked deterministically and say why."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from litweave.build.pipeline import build_site
from litweave.config import load_config
from litweave.markdown import cite_keys, render_markdown
from litweave.site.notes_links import Piece, link_contexts
from litweave.site.related import related_papers

PAPERS = Path("content/papers")


def test_citation_syntax() -> None:
    html = render_markdown("As shown [see @nahta2012, p. 4; @lu2001] and by @smith-2010. Mail a@b.org.")
    assert cite_keys(html) == ["nahta2012", "lu2001", "smith-2010"]
    assert cite_keys(render_markdown("code `[@nope] @nope` and\n\n    @block [@block]\n")) == []
    assert cite_keys(render_markdown("[@key](https://example.org)")) == []  # a link, no nested citation
    assert cite_keys(render_markdown("[not a citation] and [@ok]")) == ["ok"]
    assert cite_keys(render_markdown("[write to me@example.org] or [see -@x; e.g. @y, ch. 2]")) == ["x", "y"]


def test_link_contexts_are_sentences_outside_code() -> None:
    body = "First. Trastuzumab binds [[HER2|the receptor]] well. See [@lu2001, p. 3].\n\n`[[Code]]` here."
    assert link_contexts(body) == (
        ("[[HER2]]", (Piece("Trastuzumab binds "), Piece("the receptor", "[[HER2]]"), Piece(" well."))),
        ("@lu2001", (Piece("See ("), Piece("", "@lu2001", "p"), Piece(", p. 3)."))),
    )


def test_related_ranking_is_weighted_and_deterministic() -> None:
    mech = {"rare": ("a", "b"), "common": ("a", "b", "c", "d")}
    authors = {"x": ("a", "c")}
    years = {"a": 2000, "b": 2001, "c": 2002, "d": 2002}
    found = related_papers("a", ["rare", "common"], ["x"], [], mech, authors, years)
    assert [r.slug for r in found] == ["c", "b", "d"]
    assert found[0].authors == ("x",) and found[1].mechanisms == ("rare", "common")
    linked = related_papers("a", ["common"], [], ["d"], mech, authors, years)
    assert linked[0].slug == "d" and linked[0].linked
    assert [r.slug for r in linked[1:]] == ["c", "b"]  # ties: newer first


def test_related_ranking_moves_only_when_a_count_reaches_a_power_of_two() -> None:
    """A paper added to an author's list changes that author's weight only at 2, 4, 8… papers, so
    the related papers of the author's other papers keep their order otherwise (with a smooth
    1 / log2(1 + n), "b" fell behind "c" here when the author went from 5 to 7 papers)."""
    mech = {"m1": ("a", "c", "y"), "m2": ("a", "c", *(f"z{i}" for i in range(13)))}
    years = {"a": 2000, "b": 2001, "c": 2001}

    def ranked(author_papers: int) -> list[str]:
        authors = {"x": ("a", "b", *(f"w{i}" for i in range(author_papers - 2)))}
        return [r.slug for r in related_papers("a", ["m1", "m2"], ["x"], [], mech, authors, years)]

    assert ranked(5) == ranked(6) == ranked(7)
    assert ranked(3) != ranked(4)  # a step: 1/2 → 1/3 for the shared author


def test_citations_backlinks_and_references_in_the_site(kb: Path, tmp_path: Path) -> None:
    page = kb / PAPERS / "nahta-2006-mechanisms.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("---\n", "---\ncitekey: nahta2006\n", 1)
        + "\nIGF-IR matters here [@lu-2001-insulin-like, p. 4]. Compare [[Rita Nahta]] and [@nokey].\n"
        + "\nLu said so [-@lu-2001-insulin-like].\n",
        encoding="utf-8",
    )
    lu = kb / PAPERS / "lu-2001-insulin-like.md"
    lu.write_text(lu.read_text(encoding="utf-8") + "\nAs @nahta2006 argued, resistance is common.\n", encoding="utf-8")
    report = build_site(load_config(kb))
    assert report.ok
    graph = report.graph
    assert graph is not None
    assert "nahta-2006-mechanisms" in graph.backlinks[("paper", "lu-2001-insulin-like")]
    assert graph.backlinks[("paper", "nahta-2006-mechanisms")] == ("lu-2001-insulin-like",)
    broken = [str(d) for d in report.diagnostics if "[@nokey]" in d.message]
    assert broken and "nahta-2006-mechanisms.md" in broken[0]
    site = kb / "site"
    nahta = (site / "papers" / "nahta-2006-mechanisms" / "index.html").read_text(encoding="utf-8")
    assert '(<a href="/papers/lu-2001-insulin-like/">Lu et al., 2001</a>, p. 4)' in nahta
    assert '<span class="missing" title="unknown citation key">@nokey</span>' in nahta
    assert 'Lu said so <span class="citation">(<a href="/papers/lu-2001-insulin-like/">2001</a>)</span>' in nahta
    assert nahta.count("<li>Lu, Y., Nahta, R.") == 1  # one reference however often it is cited
    assert "<h3>References</h3>" in nahta and "Journal of the National Cancer Institute</i>" in nahta
    lu_html = (site / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8")
    assert 'href="/papers/nahta-2006-mechanisms/">Nahta' in lu_html and "(2006)</a>" in lu_html
    assert "Mentioned in" in lu_html
    assert 'IGF-IR matters here (<a href="/papers/lu-2001-insulin-like/">Lu et al., 2001</a>, p. 4).' in lu_html
    author = (site / "authors" / "rita-nahta" / "index.html").read_text(encoding="utf-8")
    assert "Mentioned in" in author
    missing = '<span class="missing" title="unknown citation key">@nokey</span>'
    assert f'Compare <a class="wikilink" href="/authors/rita-nahta/">Rita Nahta</a> and ({missing}).' in author
    assert "Related papers" in lu_html
    # the same site from a clean build of the same content
    fresh = tmp_path / "fresh"
    shutil.copytree(kb / "content", fresh / "content")
    shutil.copytree(kb / "templates", fresh / "templates")
    assert build_site(load_config(fresh), clean=True).ok
    assert (fresh / "site" / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8") == lu_html


def test_notes_edit_keeps_citations_on_the_fast_path(kb: Path) -> None:
    lu = kb / PAPERS / "lu-2001-insulin-like.md"
    lu.write_text(lu.read_text(encoding="utf-8") + "\nSee [@nahta-2006-mechanisms].\n", encoding="utf-8")
    assert build_site(load_config(kb)).ok
    lu.write_text(lu.read_text(encoding="utf-8") + "\nAn unrelated remark.\n", encoding="utf-8")
    report = build_site(load_config(kb))
    assert report.write is not None and report.write.written == ["papers/lu-2001-insulin-like/index.html"]
    html = (kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/papers/nahta-2006-mechanisms/">Nahta' in html and "An unrelated remark." in html


def test_keys_of_the_library_export_and_kept_citekeys_resolve(kb: Path) -> None:
    assert build_site(load_config(kb)).ok
    bib = (kb / "site" / "exports" / "library.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),", bib, flags=re.MULTILINE)
    lu = kb / PAPERS / "lu-2001-insulin-like.md"
    lu.write_text(lu.read_text(encoding="utf-8").replace("---\n", "---\ncitekey: Lu2001\n", 1), encoding="utf-8")
    nahta = kb / PAPERS / "nahta-2006-mechanisms.md"
    cited = next(k for k in keys if k.lower().startswith("nahta2012"))
    nahta.write_text(nahta.read_text(encoding="utf-8") + f"\nBoth [@Lu2001; @{cited}].\n", encoding="utf-8")
    report = build_site(load_config(kb))
    assert report.ok and report.graph is not None
    assert report.graph.citations["nahta-2006-mechanisms"] == (
        ("Lu2001", "lu-2001-insulin-like"),
        (cited, "nahta-2012-igf-ir-trastuzumab"),
    )
    assert "{Lu2001," in (kb / "site" / "exports" / "library.bib").read_text(encoding="utf-8")


_ANCHOR = re.compile(r'<a (?:class="wikilink" )?href="([^"]*)">([^<]*)</a>')
_TAG = re.compile(r"<[^>]+>")


def _shown(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The text a reader sees of some HTML, and its links as (URL, link text)."""
    return " ".join(_TAG.sub("", html).split()), _ANCHOR.findall(html)


def test_mentioned_in_excerpts_show_citations_and_wikilinks_as_the_note_does(kb: Path) -> None:
    """A "Mentioned in" excerpt showed `[@key]` and `[see @key, p. 4]` as written, while the note
    renders them as "(Lu et al., 2001)" links; a wikilink was its label without the link."""
    nahta = kb / PAPERS / "nahta-2006-mechanisms.md"
    text = nahta.read_text(encoding="utf-8")
    nahta.write_text(text + "\n\nResistance is common [@lu-2001-insulin-like].\n", encoding="utf-8")
    later = kb / PAPERS / "nahta-2012-igf-ir-trastuzumab.md"
    sentence = "As before [see @lu-2001-insulin-like, p. 4; @nahta-2006-mechanisms], and [[Rita Nahta]] *agrees*."
    text = later.read_text(encoding="utf-8")
    later.write_text(text + f"\n\nFirst.\n{sentence} Last.\n", encoding="utf-8")
    assert build_site(load_config(kb)).ok
    site = kb / "site"

    def page(*parts: str) -> str:
        return (site.joinpath(*parts) / "index.html").read_text(encoding="utf-8")

    def note_sentence(slug: str, start: str, end: str) -> tuple[str, list[tuple[str, str]]]:
        """The sentence of the note from `start` to `end`, alone in its paragraph but for text."""
        paragraph = next(p for p in re.findall(r"<p>(.*?)</p>", page("papers", slug), flags=re.DOTALL) if start in p)
        text, links = _shown(paragraph)
        return text[text.index(start) : text.index(end) + len(end)], links

    def excerpts(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
        section = html.split('id="mentioned-in"', 1)[1].split("</section>", 1)[0]
        return [_shown(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", section, flags=re.DOTALL)]

    first = note_sentence("nahta-2006-mechanisms", "Resistance", "2001).")
    second = note_sentence("nahta-2012-igf-ir-trastuzumab", "As before", "agrees.")
    assert first == ("Resistance is common (Lu et al., 2001).", [("/papers/lu-2001-insulin-like/", "Lu et al., 2001")])
    assert second == (
        "As before (see Lu et al., 2001, p. 4; Nahta et al., 2006), and Rita Nahta agrees.",
        [
            ("/papers/lu-2001-insulin-like/", "Lu et al., 2001"),
            ("/papers/nahta-2006-mechanisms/", "Nahta et al., 2006"),
            ("/authors/rita-nahta/", "Rita Nahta"),
        ],
    )
    # the fixture's note names the paper first in a sentence of wikilinks, one to no page
    wikilinks = note_sentence("nahta-2012-igf-ir-trastuzumab", "My notes", "Vijver.")
    assert wikilinks[1][0] == ("/papers/lu-2001-insulin-like/", "the first report") and len(wikilinks[1]) == 3
    assert sorted(excerpts(page("papers", "lu-2001-insulin-like"))) == sorted([first, wikilinks])
    assert excerpts(page("authors", "rita-nahta")) == [second]
    assert excerpts(page("papers", "nahta-2006-mechanisms")) == [second]


def test_a_long_excerpt_is_cut_at_a_word_and_never_inside_a_link(kb: Path) -> None:
    nahta = kb / PAPERS / "nahta-2006-mechanisms.md"
    words = " ".join(f"word{i}" for i in range(60))  # 409 characters
    body = f"\n\nSee [@lu-2001-insulin-like] and {words} then [[Rita Nahta]] agreed.\n"
    nahta.write_text(nahta.read_text(encoding="utf-8") + body, encoding="utf-8")
    assert build_site(load_config(kb)).ok
    lu = (kb / "site" / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8")
    [quote] = re.findall(r"<blockquote>(See .*?)</blockquote>", lu)
    text, links = _shown(quote)
    assert links == [("/papers/lu-2001-insulin-like/", "Lu et al., 2001")]
    assert text.endswith(" …") and len(text) <= 282 and re.search(r"word\d+ …$", text)
    author = (kb / "site" / "authors" / "rita-nahta" / "index.html").read_text(encoding="utf-8")
    [quote] = re.findall(r"<blockquote>(See .*?)</blockquote>", author)
    assert _shown(quote)[1][0] == ("/papers/lu-2001-insulin-like/", "Lu et al., 2001")
    assert "Rita Nahta" not in _shown(quote)[0]  # past the cut: not a link broken in two
