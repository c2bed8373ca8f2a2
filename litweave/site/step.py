"""Stage 1 for one paper: its page in, everything the site needs from that page alone out.

`read_paper` is a function of the page (so of the file's bytes) and of the vocabulary's names,
nothing else: that is what lets the build cache its result on disk by content hash and run it in
worker processes. It parses the record, finds the mechanism mentions (redefined acronyms and the
reader's `not_mechanisms` dropped), picks the sentence that shows each mechanism in context,
and renders the Markdown bodies with wikilinks left as placeholders, so no other page is read.
Relations between pages (authors, backlinks, co-occurrence) are joined later, in `site.graph`.
Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import hashlib
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from litweave.exporters.keys import kept_key
from litweave.frontmatter import as_list, paper_meta_problems, record_from_meta
from litweave.markdown import cite_keys, link_targets, render_markdown
from litweave.mechanisms.disambiguation import drop_redefined, redefined_short_forms
from litweave.mechanisms.matcher import Matcher
from litweave.mechanisms.vocabulary import apply_overrides
from litweave.model import Diagnostic, Mechanism, Mention, Page, Record, reduce_by_slots
from litweave.sentences import split_sentences
from litweave.site.citation_meta import coins
from litweave.site.notes_links import Piece, link_contexts
from litweave.site.reading import Reading, read_reading

FIELDS = ("title", "abstract", "fulltext", "keywords", "notes")
"""The texts of a paper that mechanisms are found in."""

CONTEXT_ORDER = ("abstract", "title", "fulltext", "keywords", "notes")
"""Where a mechanism's context sentence is looked for first: the abstract says most."""

HIGHLIGHTED = ("title", "abstract")
"""The fields whose mentions a paper page links in place (the rest is Markdown, rendered as is)."""


@dataclass(frozen=True, slots=True)
class Context:
    """The sentence in which a paper first mentions a mechanism, with the mention's offsets in it."""

    __reduce__ = reduce_by_slots

    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PaperFacts:
    """What one paper page gives the site, independent of every other page."""

    __reduce__ = reduce_by_slots

    slug: str
    file: str
    """Path relative to the knowledge base, for diagnostics."""
    digest: str
    """Hash of this value's inputs (page text and vocabulary names): outputs showing the paper
    use it in their fingerprints instead of hashing the fields again."""
    record: Record
    reading: Reading
    """The reader's status, rating, tags and `added` date, checked."""
    sources: tuple[dict[str, object], ...]
    mechanisms: tuple[str, ...]
    """Mechanism slugs: detected, plus front-matter `mechanisms`, less `not_mechanisms`; sorted."""
    mentions: Mapping[str, tuple[Mention, ...]]
    """Kept mentions of the fields a page highlights ("title", "abstract"), offsets into that text;
    the other fields' mentions count for `mechanisms` and `contexts` only."""
    contexts: Mapping[str, Context]
    """For each mechanism mentioned in the text, where it is first shown."""
    notes_html: str
    """The reader's notes as HTML, wikilinks still placeholders."""
    fulltext_html: str
    links: tuple[str, ...]
    """Wikilink targets as written in notes and full text, in order, each once."""
    diagnostics: tuple[Diagnostic, ...]
    signature: str = ""
    """Hash of what other pages show of this paper (title, year, journal, DOI, authors as written,
    mechanisms, links, context sentences, reading fields, keywords): while every paper's signature
    stays the same, the relations between pages do too, and only the edited papers' own pages need
    rendering."""
    citekey: str = ""
    """The citation key the record came with (front matter `citekey`, or a kept BibTeX ID), or "";
    its slug and the key the library's BibTeX export gives it are keys too."""
    cites: tuple[str, ...] = ()
    """Citation keys (`[@key]`, `@key`) in notes and full text, in order, each once."""
    link_contexts: tuple[tuple[str, tuple[Piece, ...]], ...] = ()
    """("[[Target]]" or "@key", the sentence of the notes around it, in pieces): what its
    target's "Mentioned in" list shows."""
    coins: str = ""
    """The COinS context object (URL-encoded) lists show for this paper."""
    record_digest: str = ""
    """Hash of the bibliographic record alone: what the library's export files depend on."""


def vocabulary_digest(mechanisms: Mapping[str, Mechanism]) -> str:
    """What matching depends on: each mechanism's slug and names (not its description)."""
    names = [(slug, m.title, m.aliases) for slug, m in sorted(mechanisms.items())]
    return hashlib.blake2b(repr(names).encode("utf-8"), digest_size=16).hexdigest()


def _contexts(texts: Mapping[str, str], mentions: Mapping[str, tuple[Mention, ...]]) -> dict[str, Context]:
    contexts: dict[str, Context] = {}
    for name in CONTEXT_ORDER:
        found = [m for m in mentions[name] if m.mechanism not in contexts]
        if not found:
            continue
        text = texts[name]
        spans = split_sentences(text)
        for hit in found:
            if hit.mechanism in contexts:
                continue
            i = bisect_right(spans, (hit.start, len(text) + 1)) - 1
            s0, s1 = spans[i] if i >= 0 else (0, len(text))
            contexts[hit.mechanism] = Context(text[s0:s1], hit.start - s0, hit.end - s0)
    return contexts


def read_paper(page: Page, matcher: Matcher, vocabulary: Mapping[str, Mechanism], digest: str) -> PaperFacts:
    """Stage 1 of a paper page. `digest` identifies (page text, vocabulary) for the caller's cache."""
    file = page.path.as_posix()
    meta = page.meta
    diagnostics = [Diagnostic("warning", problem, file=file) for problem in paper_meta_problems(meta)]
    record = record_from_meta(meta)
    reading, problems = read_reading(meta)
    diagnostics.extend(Diagnostic("warning", problem, file=file) for problem in problems)
    if not record.title:
        diagnostics.append(Diagnostic("error", "paper has no title", file=file))
    texts = {
        "title": record.title,
        "abstract": record.abstract,
        "fulltext": record.fulltext,
        "keywords": "; ".join(record.keywords),
        "notes": page.body,
    }
    found = {name: matcher.find(text) for name, text in texts.items()}
    # an acronym the paper defines as something else ("endoplasmic reticulum (ER)") is no mention
    rejected = redefined_short_forms(texts.values(), (m for ms in found.values() for m in ms), matcher, vocabulary)
    mentions = {name: drop_redefined(ms, rejected) for name, ms in found.items()}
    detected = sorted({m.mechanism for ms in mentions.values() for m in ms})
    kept, override_problems = apply_overrides(
        detected, as_list(meta.get("mechanisms")), as_list(meta.get("not_mechanisms")), matcher, file=file
    )
    diagnostics.extend(override_problems)
    keep = set(kept)
    # a mention the reader rejected (`not_mechanisms`) is not linked anywhere either
    mentions = {name: tuple(m for m in ms if m.mechanism in keep) for name, ms in mentions.items()}
    notes_html = render_markdown(page.body, "notes")
    fulltext_html = render_markdown(record.fulltext, "fulltext")
    sources = meta.get("sources")
    contexts = _contexts(texts, mentions)
    links = tuple(dict.fromkeys([*link_targets(fulltext_html), *link_targets(notes_html)]))
    cites = tuple(dict.fromkeys([*cite_keys(fulltext_html), *cite_keys(notes_html)]))
    contexts_of_links = link_contexts(page.body)
    citekey = kept_key(record) or str(meta.get("citekey") or "").strip()
    # no other page and no per-paper or library export shows the full-text excerpt (its links and
    # citations count through `links` and `cites`): an edit to it plans this paper's page only
    shown_record = dataclasses.replace(record, fulltext="") if record.fulltext else record
    record_digest = hashlib.blake2b(repr(shown_record).encode("utf-8"), digest_size=16).hexdigest()
    shown = (
        page.slug,
        record.title,
        record.year,
        record.container_title,
        record.doi,
        record.authors,
        sorted(keep),
        links,
        reading,
        cites,
        contexts_of_links,
        citekey,
        record_digest,
        record.keywords,  # searched by the papers index (papers/index.json)
    )
    signature = hashlib.blake2b(repr((shown, sorted(contexts.items()))).encode("utf-8"), digest_size=16).hexdigest()
    return PaperFacts(
        slug=page.slug,
        file=file,
        digest=digest,
        record=record,
        reading=reading,
        sources=tuple(s for s in sources if isinstance(s, dict)) if isinstance(sources, list) else (),
        mechanisms=tuple(sorted(keep)),
        mentions={name: mentions[name] for name in HIGHLIGHTED},
        contexts=contexts,
        notes_html=notes_html,
        fulltext_html=fulltext_html,
        links=links,
        diagnostics=tuple(diagnostics),
        signature=signature,
        citekey=citekey,
        cites=cites,
        link_contexts=contexts_of_links,
        coins=coins(record),
        record_digest=record_digest,
    )
