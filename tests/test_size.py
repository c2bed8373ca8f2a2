"""Size: a page with a 1 MB abstract, a 1 MB title and a 1 MB note body builds in bounded time
(matcher, sentence splitter, abbreviation finder, Markdown, SVG), and every importer reads a
record with a 1 MB abstract in bounded time. The bounds are CPU seconds of this process, so a
busy machine does not fail them; each was minutes or more before the quadratic paths were
fixed (a long form searched back to the start of a 1 MB sentence for every parenthesis; every
"[[" of a paragraph searched to its end for a "]]")."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from litweave.build.pipeline import build_site
from litweave.config import load_config
from litweave.importers import PARSERS
from litweave.markdown import render_markdown
from litweave.mechanisms.abbreviations import find_definitions
from litweave.sentences import split_sentences

MB = 1_000_000
_WORDS = (
    "trastuzumab resistance HER2 IGF-IR signaling in breast cancer cells was reduced by the inhibitor "
    "e.g. Fig. 3 (p < 0.05) et al. PI3K/Akt mTOR insulin-like growth factor (IGF) receptor"
).split()


def prose(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 25))) + ". "
        parts.append(sentence)
        total += len(sentence)
    return "".join(parts)[:size]


HOSTILE = {
    "prose": prose(MB),
    "one sentence of definitions": "resistance factor (RF) " * (MB // 23),
    # a quarter: still minutes for the quadratic wikilink search this guards against, and seconds now
    "open brackets": "[" * (MB // 4),
    "open wikilinks": "[[" * (MB // 8),
    "emphasis": "**a" * (MB // 12),
    "parentheses": "x (" * (MB // 3),
}


def cpu_seconds(fn, *args):  # type: ignore[no-untyped-def]
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_text_stages_take_bounded_time_on_a_megabyte(name: str) -> None:
    text = HOSTILE[name]
    assert cpu_seconds(split_sentences, text) < 10
    assert cpu_seconds(find_definitions, text) < 10
    assert cpu_seconds(render_markdown, text) < 15


def test_a_page_with_megabyte_fields_builds(kb: Path) -> None:
    page = kb / "content" / "papers" / "huge-2020-fields.md"
    page.write_text(
        "---\ntitle: " + json.dumps(prose(MB, 2).replace("\n", " ")) + '\nyear: 2020\nauthors: ["Doe, J"]\n'
        "abstract: " + json.dumps(prose(MB, 3)) + "\nmechanisms: [IGF-IR]\n---\n" + prose(MB, 4) + "\n",
        encoding="utf-8",
    )
    other = kb / "content" / "papers" / "huge-2021-markup.md"
    other.write_text(
        "---\ntitle: "
        + "A" * MB
        + "\nyear: 2021\nabstract: "
        + json.dumps("x (" * (MB // 3))
        + "\n---\n"
        + "[[" * (MB // 8)
        + "\n",
        encoding="utf-8",
    )
    start = time.process_time()
    report = build_site(load_config(kb), jobs=1)
    assert report.ok, [str(d) for d in report.diagnostics]
    assert time.process_time() - start < 90
    html = (kb / "site" / "papers" / "huge-2020-fields" / "index.html").read_text(encoding="utf-8")
    assert len(html) > 2 * MB


ONE_MB_ABSTRACT = {
    "ris": "TY  - JOUR\nTI  - A title\nAB  - {abstract}\nER  - \n",
    "medline": "PMID- 1\nTI  - A title\nAB  - {abstract}\n",
    "refer": "%0 Journal Article\n%T A title\n%X {abstract}\n",
    "bibtex": "@article{{k, title = {{A title}}, abstract = {{{abstract}}}}}\n",
    "csljson": '[{{"title": "A title", "abstract": "{abstract}"}}]',
}


@pytest.mark.parametrize("fmt", sorted(ONE_MB_ABSTRACT))
@pytest.mark.parametrize("kind", ["prose", "parentheses"])
def test_importers_read_a_megabyte_abstract(fmt: str, kind: str) -> None:
    abstract = HOSTILE[kind].replace("\n", " ")
    if fmt == "bibtex":
        abstract = abstract.replace("{", "").replace("}", "")
    text = ONE_MB_ABSTRACT[fmt].format(abstract=abstract)
    start = time.process_time()
    result = PARSERS[fmt](text, f"big.{fmt}")
    assert time.process_time() - start < 30
    assert len(result.records) == 1 and result.records[0].title == "A title"
    assert len(result.records[0].abstract) + len(result.records[0].fulltext) > MB // 2
