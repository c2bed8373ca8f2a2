"""Reference-manager metadata: Highwire tags as Zotero reads them, JSON-LD that cannot break out
of its script element, and COinS spans on list pages only, all read back with real parsers."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl

from litweave.build.pipeline import build_site
from litweave.config import load_config
from litweave.model import Person, Record
from litweave.site.citation_meta import coins, highwire_tags, jsonld


class Head(HTMLParser):
    """Meta tags, JSON-LD scripts and COinS spans of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.jsonld: list[str] = []
        self.coins: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or "").startswith("citation_"):
            self.meta.append((a["name"] or "", a.get("content") or ""))
        self._script = tag == "script" and a.get("type") == "application/ld+json"
        if tag == "span" and a.get("class") == "Z3988":
            self.coins.append(a.get("title") or "")

    def handle_data(self, data: str) -> None:
        if self._script:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._script = False


def parse(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


ARTICLE = Record(
    title="HER2 </script><script>alert(1)</script> & IGF-IR",
    authors=[Person("van de Vijver", "Marc J."), Person("Nahta", "Rita"), Person(literal="EORTC Breast Group")],
    container_title="Journal of the National Cancer Institute",
    year=2001,
    date="2001-12-19",
    volume="93",
    issue="24",
    pages="1852–1857",
    doi="10.1093/jnci/93.24.1852",
    pmid="11752009",
    issn="0027-8874",
    publisher="Oxford University Press",
    abstract="Trastuzumab induces G1 arrest.",
    keywords=["Receptor, ErbB-2", "IGF-IR"],
)


def test_highwire_tags_of_a_journal_article() -> None:
    tags = highwire_tags(ARTICLE, "https://example.org/kb/papers/x/")
    values: dict[str, list[str]] = {}
    for name, value in tags:
        values.setdefault(name, []).append(value)
    assert values["citation_author"] == ["van de Vijver, Marc J.", "Nahta, Rita", "EORTC Breast Group"]
    assert values["citation_publication_date"] == ["2001-12-19"]
    assert values["citation_journal_title"] == ["Journal of the National Cancer Institute"]
    assert (values["citation_firstpage"], values["citation_lastpage"]) == (["1852"], ["1857"])
    assert values["citation_volume"] == ["93"] and values["citation_issue"] == ["24"]
    assert values["citation_doi"] == ["10.1093/jnci/93.24.1852"] and values["citation_pmid"] == ["11752009"]
    assert values["citation_issn"] == ["0027-8874"] and values["citation_publisher"] == ["Oxford University Press"]
    assert values["citation_keywords"] == ["Receptor, ErbB-2; IGF-IR"]
    assert values["citation_abstract_html_url"] == ["https://example.org/kb/papers/x/"]
    assert "citation_isbn" not in values and "citation_inbook_title" not in values


def test_books_chapters_theses_reports_get_their_own_fields() -> None:
    def names(record: Record) -> set[str]:
        return {n for n, _v in highwire_tags(record)}

    base = dict(title="T", authors=[Person("Doe", "Ann")], year=2000, publisher="P", isbn="978-0-19-1", issn="1")
    chapter = names(Record(type="chapter", container_title="Big Book", pages="1-9", **base))  # type: ignore[arg-type]
    assert {"citation_inbook_title", "citation_book_title", "citation_isbn", "citation_firstpage"} <= chapter
    thesis = names(Record(type="thesis", **base))  # type: ignore[arg-type]
    assert "citation_dissertation_institution" in thesis
    report = names(Record(type="report", **base))  # type: ignore[arg-type]
    assert "citation_technical_report_institution" in report
    conference = names(Record(type="paper-conference", container_title="Proc. X", **base))  # type: ignore[arg-type]
    assert "citation_conference_title" in conference
    for kinds in (chapter, thesis, report, conference):
        assert not kinds & {"citation_journal_title", "citation_issn", "citation_issue"}


def test_jsonld_is_escaped_and_parses() -> None:
    text = jsonld(ARTICLE, "https://example.org/p/")
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["@type"] == "ScholarlyArticle" and data["name"] == ARTICLE.title
    assert data["author"][0] == {
        "@type": "Person",
        "name": "Marc J. van de Vijver",
        "familyName": "van de Vijver",
        "givenName": "Marc J.",
    }
    assert data["pageStart"] == "1852" and data["datePublished"] == "2001-12-19"
    assert json.loads(jsonld(Record(title="B", type="book")))["@type"] == "Book"


def test_coins_decodes_to_the_record() -> None:
    pairs = parse_qsl(coins(ARTICLE))
    q = dict(pairs)
    assert q["ctx_ver"] == "Z39.88-2004" and q["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:journal"
    assert q["rft.atitle"] == ARTICLE.title and q["rft.jtitle"] == ARTICLE.container_title
    assert (q["rft.spage"], q["rft.epage"], q["rft.date"]) == ("1852", "1857", "2001-12-19")
    assert [v for k, v in pairs if k == "rft.au"] == ["van de Vijver, Marc J.", "Nahta, Rita"]
    assert [v for k, v in pairs if k == "rft_id"] == ["info:doi/10.1093/jnci/93.24.1852", "info:pmid/11752009"]
    book = dict(parse_qsl(coins(Record(title="A & B", type="book", isbn="1", publisher="P"))))
    assert book["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:book" and book["rft.btitle"] == "A & B"
    assert "rft.jtitle" not in book


def test_built_pages_carry_the_metadata(kb: Path) -> None:
    report = build_site(load_config(kb))
    assert report.ok
    site = kb / "site"
    paper = parse((site / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8"))
    meta = dict(paper.meta)
    authors = [v for n, v in paper.meta if n == "citation_author"]
    assert authors == ["Lu, Yuhong", "Nahta, Rita", "van de Vijver, Marc", "Dupont, René"]
    assert (meta["citation_firstpage"], meta["citation_lastpage"]) == ("1852", "1857")
    assert meta["citation_journal_title"] == "Journal of the National Cancer Institute"
    assert paper.coins == []  # COinS would override the meta tags
    assert json.loads("".join(paper.jsonld))["@type"] == "ScholarlyArticle"
    hostile = parse((site / "papers" / "hostile-2020-script" / "index.html").read_text(encoding="utf-8"))
    assert len(hostile.jsonld) == 1 and json.loads(hostile.jsonld[0])
    index = parse((site / "papers" / "index.html").read_text(encoding="utf-8"))
    assert len(index.coins) == len(list((kb / "content" / "papers").glob("*.md")))
    author = parse((site / "authors" / "rita-nahta" / "index.html").read_text(encoding="utf-8"))
    assert author.coins and all(dict(parse_qsl(c))["ctx_ver"] == "Z39.88-2004" for c in author.coins)
