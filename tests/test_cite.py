"""The Cite box: APA and Vancouver references by the styles' rules, BibTeX and RIS per paper,
the paper's and the library's export files, PubMed/PMC links and keyword links."""

from __future__ import annotations

import json
import re
from pathlib import Path

from litweave.build.pipeline import build_site
from litweave.config import load_config
from litweave.importers.bibtex import parse as parse_bibtex
from litweave.importers.ris import parse as parse_ris
from litweave.model import Person, Record
from litweave.site.cite_box import pmcid
from litweave.site.cite_format import apa, in_text, vancouver

ARTICLE = Record(
    title="Insulin-like growth factor-I receptor signaling and resistance to trastuzumab",
    authors=[Person("Lu", "Yuhong"), Person("van de Vijver", "Marc J."), Person("Dupont", "René")],
    container_title="Journal of the National Cancer Institute",
    year=2001,
    volume="93",
    issue="24",
    pages="1852–1857",
    doi="10.1093/jnci/93.24.1852",
)


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&amp;", "&")


def test_apa_journal_article() -> None:
    assert text(apa(ARTICLE)) == (
        "Lu, Y., van de Vijver, M. J., & Dupont, R. (2001). Insulin-like growth factor-I receptor signaling"
        " and resistance to trastuzumab. Journal of the National Cancer Institute, 93(24), 1852–1857."
        " https://doi.org/10.1093/jnci/93.24.1852"
    )
    assert "<i>Journal of the National Cancer Institute</i>, <i>93</i>(24)" in apa(ARTICLE)


def test_vancouver_journal_article() -> None:
    assert vancouver(ARTICLE) == (
        "Lu Y, van de Vijver MJ, Dupont R. Insulin-like growth factor-I receptor signaling and resistance to"
        " trastuzumab. Journal of the National Cancer Institute. 2001;93(24):1852-7. doi:10.1093/jnci/93.24.1852"
    )


def test_styles_limits_books_and_escaping() -> None:
    many = Record(title="T", authors=[Person(f"F{i}", "A") for i in range(25)], year=2020)
    assert text(apa(many)).startswith("F0, A., F1, A.,") and ". . . F24, A. (2020)" in text(apa(many))
    assert vancouver(many).startswith("F0 A, F1 A, F2 A, F3 A, F4 A, F5 A, et al. T.")
    book = Record(title="Cell biology", type="book", authors=[Person("Doe", "Ann")], year=1999, publisher="OUP")
    assert text(apa(book)) == "Doe, A. (1999). Cell biology. OUP."
    assert "<i>Cell biology</i>" in apa(book)
    hostile = Record(title="<script>x</script>", authors=[Person("O'Neil", "<b>")], year=None)
    assert "<script>" not in apa(hostile) + vancouver(hostile) and "(n.d.)" in apa(hostile)
    assert in_text(ARTICLE) == ("Lu et al.", "2001")
    assert in_text(Record(title="T", authors=[Person("A", "B"), Person("C", "D")])) == ("A & C", "n.d.")


def test_pmcid_from_medline_or_front_matter() -> None:
    assert pmcid(Record(title="x", extra={"PMC": "PMC3456789"})) == "PMC3456789"
    assert pmcid(Record(title="x", extra={"pmcid": "3456789"})) == "PMC3456789"
    assert pmcid(Record(title="x")) == ""


def test_paper_page_cite_box_and_downloads(kb: Path) -> None:
    page = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "status: read", "status: read\npmid: '11752009'\nkeywords: [IGF-IR, Receptor, ErbB-2]\nextra: {PMC: PMC123}"
        ),
        encoding="utf-8",
    )
    report = build_site(load_config(kb))
    assert report.ok, [str(d) for d in report.diagnostics]
    folder = kb / "site" / "papers" / "lu-2001-insulin-like"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert 'id="cite-apa"' in html and 'id="cite-vancouver"' in html and '<pre id="cite-bibtex">@article{' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/11752009/"' in html
    assert 'href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/"' in html
    assert 'href="/papers/?q=IGF-IR"' in html
    assert 'href="/papers/lu-2001-insulin-like/lu-2001-insulin-like.bib"' in html
    assert (kb / "site" / "static" / "cite.js").is_file()
    bib = parse_bibtex((folder / "lu-2001-insulin-like.bib").read_text(encoding="utf-8"), "x.bib")
    assert [r.title for r in bib.records] == [report.graph.papers["lu-2001-insulin-like"].record.title]  # type: ignore[union-attr]
    ris = parse_ris((folder / "lu-2001-insulin-like.ris").read_text(encoding="utf-8"), "x.ris")
    assert [r.volume for r in ris.records] == ["93"]
    library = json.loads((kb / "site" / "exports" / "library.json").read_text(encoding="utf-8"))
    assert len(library) == len(report.graph.papers)  # type: ignore[union-attr]
    lib_bib = parse_bibtex((kb / "site" / "exports" / "library.bib").read_text(encoding="utf-8"), "l.bib")
    assert len(lib_bib.records) == len(library)
    assert (kb / "site" / "exports" / "library.ris").read_text(encoding="utf-8").count("ER  -") == len(library)


def test_a_doi_holding_hash_or_question_mark_links_whole() -> None:
    from litweave.site.citation_meta import jsonld
    from litweave.site.cite_format import apa

    doi = "10.1002/(SICI)1097-4636(199903)44:3<259::AID-JBM3>3.0.CO;2-#"
    record = Record(title="A SICI DOI", authors=[Person(family="Smith", given="J")], year=1999, doi=doi)
    html = apa(record)
    assert 'href="https://doi.org/10.1002/(SICI)1097-4636(199903)44:3%3C259::AID-JBM3%3E3.0.CO;2-%23"' in html
    assert ">https://doi.org/10.1002/(SICI)1097-4636(199903)44:3&lt;259::AID-JBM3&gt;3.0.CO;2-#<" in html
    assert json.loads(jsonld(record, ""))["sameAs"].endswith("2-%23")


def test_a_papers_own_bibtex_key_is_its_key_in_the_library(empty_kb: Path) -> None:
    """Two papers whose generated keys collide: library.bib makes them unique, and each paper's
    .bib and Cite box carry the same key as the library, also after a build of notes only."""
    papers = empty_kb / "content" / "papers"
    papers.mkdir(parents=True)
    for slug, title in (("smith-biology", "Cancer biology today"), ("smith-therapy", "Cancer therapy today")):
        (papers / f"{slug}.md").write_text(
            f'---\ntitle: {title}\nauthors: ["Smith, John"]\nyear: 2020\n---\n', encoding="utf-8"
        )

    def keys() -> dict[str, tuple[str, str, str]]:
        site = empty_kb / "site"
        library = (site / "exports" / "library.bib").read_text(encoding="utf-8")
        in_library = dict(re.findall(r"@article\{([^,]+),[^@]*?title = \{\{([^}]+)\}\}", library))
        out = {}
        for slug in ("smith-biology", "smith-therapy"):
            own = re.search(r"@article\{([^,]+),", (site / "papers" / slug / f"{slug}.bib").read_text()).group(1)
            box = re.search(r"@article\{([^,]+),", (site / "papers" / slug / "index.html").read_text()).group(1)
            out[slug] = (own, box, in_library[own])
        return out

    assert build_site(load_config(empty_kb)).ok
    first = keys()
    assert first["smith-biology"][0] != first["smith-therapy"][0]
    assert all(own == box for own, box, _title in first.values())
    assert first["smith-biology"][2] == "Cancer biology today" and first["smith-therapy"][2] == "Cancer therapy today"
    note = papers / "smith-therapy.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    assert build_site(load_config(empty_kb)).ok  # the fast path: only this paper planned
    assert keys() == first
