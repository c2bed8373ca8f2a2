"""The content rules of `litweave check`: what is wrong or unfinished in content/, each finding
with its file and line. Pure: the command reads the files and joins the graph, these read them.

Where a rule needs to know what the build makes of a page, it asks what the build asks: mechanism
names go through the matcher's own name table (`Matcher.names`, folded by `fold_name`, as
`mechanisms.vocabulary.apply_overrides` resolves them); dead wikilinks and citations are the
build's own list (`site.dead_links`), only given lines here; DOIs are compared as the importer
compares them (`importers.identity.normalize_doi`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from litweave.fields import BY_KEY, PAGE_ORDER, ROLES
from litweave.frontmatter import as_list
from litweave.importers.finish import is_placeholder
from litweave.importers.identity import normalize_doi
from litweave.lint.rules import Finding
from litweave.mechanisms.terms import fold_name
from litweave.model import Page, PageKind
from litweave.site.dead_links import DeadLink

KNOWN_KEYS: Mapping[PageKind, tuple[str, ...]] = {
    "paper": PAGE_ORDER,
    "mechanism": ("title", "aliases", "kind", "identifiers"),
    "author": ("name", "title", "aliases", "orcid"),
    "page": ("title",),
}
"""The front-matter keys the build reads, per kind of page: a paper's are `fields.PAGE_ORDER` (the
record's fields, the reading-list fields, `sources`); a mechanism page's are read by
`mechanisms.vocabulary.mechanism_from_page`, an author page's by `site.graph` and the author view,
a free-standing page's by its view."""

TYPO_CUTOFF = 0.75
"""How alike (difflib's ratio, case ignored) an unknown key must be to a known one to be called a
typo of it: `stauts`, `auhtors`, `yaer`, `tag`, `Title` are; `comment`, `project`, `pdf` are not."""


@dataclass(frozen=True, slots=True)
class ContentFile:
    """One content file as `check` reads it: its text, for lines, and its parsed page."""

    rel: str
    kind: PageKind
    text: str
    page: Page


_KEY_LINE = re.compile(r"^([^\s#:'\"\-?\[{][^:\n]*?|'[^'\n]*'|\"[^\"\n]*\")[ \t]*:(?=[ \t]|$)", re.MULTILINE)


def key_lines(text: str) -> dict[str, int]:
    """The 1-based line of each top-level front-matter key (a key starts its line, in block style,
    which is how pages are written and imported); keys it cannot place are left out."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return {}
    end = re.search(r"^---[ \t]*$", text[3:], re.MULTILINE)
    head = text[: 3 + end.start()] if end else text
    lines: dict[str, int] = {}
    for m in _KEY_LINE.finditer(head):
        key = m.group(1).strip().strip("'\"")
        lines.setdefault(key, head.count("\n", 0, m.start()) + 1)
    return lines


def _line(lines: Mapping[str, int], key: str) -> int | None:
    return lines.get(key)


def key_findings(file: ContentFile, lines: Mapping[str, int]) -> list[Finding]:
    """Keys the build does not read: a typo of one it does (warning), or the reader's own (info)."""
    known = KNOWN_KEYS.get(file.kind, ())
    folded = {k.casefold(): k for k in known}
    found = []
    for key in file.page.meta:
        name = str(key)
        if name in known:
            continue
        close = [folded[name.casefold()]] if name.casefold() in folded else []
        close = close or [folded[c] for c in difflib.get_close_matches(name.casefold(), folded, 1, TYPO_CUTOFF)]
        if close:
            message = f"front-matter key {name!r} is not one litweave reads: did you mean {close[0]!r}?"
            found.append(Finding("key-typo", message, file.rel, _line(lines, name)))
        else:
            message = f"front-matter key {name!r} is not one litweave reads (kept, shown nowhere)"
            found.append(Finding("unknown-key", message, file.rel, _line(lines, name)))
    return found


_MARKUP = re.compile(
    r"\\[A-Za-z]+\s*\{?"  # a LaTeX command: \emph{, \textit{, \alpha
    r"|\{\\[^{}\s]{1,2}[^{}]*\}"  # an accent in braces: {\"o}, {\'e}, {\ss}
    r"|\\[\"'`^~=.][A-Za-z{]"  # a bare accent: \"o
    r"|\$[^$\n]{0,80}\$"  # inline math: $\alpha$
    r"|[\^_]\{"  # super- and subscripts: ^{2}, _{i}
    r"|\{[^{}\n]{1,80}\}"  # BibTeX case protection: {DNA}
    r"|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>"  # an HTML or JATS tag: <i>, </sup>, <mml:mi>
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"  # an entity: &amp;
)


def title_markup(title: str) -> str | None:
    """The first piece of LaTeX, math or HTML left in a title, or None."""
    m = _MARKUP.search(title)
    return m.group() if m else None


_LATEX_LEFT = re.compile(
    r"\\(?:[A-Za-z]+|[\'\"`^~=.uvHcdbrk](?=[\s{A-Za-z\\]))"  # a command, or an accent command, still there
    r"|\\[\u0300-\u036f]"  # a combining mark put on a backslash: what a half-decoded accent leaves
)
"""LaTeX an import did not decode: a control word (`\\Alpha`, `\\emph`), an accent command before
its letter (`\\'e`), or a combining accent sitting on a backslash (`X\\\u0301`)."""


def latex_left(text: str) -> str | None:
    """The first piece of undecoded LaTeX in a text, with a little around it, or None."""
    m = _LATEX_LEFT.search(text)
    return text[max(0, m.start() - 8) : m.end() + 8] if m else None


def _texts(meta: Mapping[str, object]) -> Iterable[tuple[str, str]]:
    """(key, text) for every text and name of a paper's front matter: abstract and full text
    aside (Markdown, where a backslash escapes), and `extra` and `unparsed`, which keep what a
    source wrote verbatim (a Windows path of an attachment)."""
    for key, value in meta.items():
        if key in ("abstract", "fulltext", "sources", "url", "doi", "extra", "unparsed"):
            continue
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, list):
            yield from ((key, v) for v in value if isinstance(v, str))
        elif isinstance(value, dict):
            yield from ((key, v) for v in value.values() if isinstance(v, str))


def _year_problem(meta: Mapping[str, object]) -> str | None:
    year = meta.get("year")
    if year is None or (isinstance(year, str) and not year.strip()):
        return "paper has no year"
    if isinstance(year, bool) or not str(year).strip().isdigit():
        return f"year {year!r} is not a number"
    return None


def paper_findings(file: ContentFile, lines: Mapping[str, int], mechanism_names: Mapping[str, str]) -> list[Finding]:
    """The rules that look at one paper page alone."""
    meta, rel = file.page.meta, file.rel
    found = []
    title = meta.get("title")
    title_text = str(title).strip() if isinstance(title, (str, int, float)) and not isinstance(title, bool) else ""
    if not title_text:
        found.append(Finding("missing-title", "paper has no title", rel, _line(lines, "title") or 1))
    elif is_placeholder(title_text):
        message = f"title is a placeholder ({title_text!r}): give the paper its title"
        found.append(Finding("placeholder-title", message, rel, _line(lines, "title")))
    else:
        markup = title_markup(title_text)
        if markup:
            message = f"title has markup left in it ({markup!r}): write it as plain text"
            found.append(Finding("markup-in-title", message, rel, _line(lines, "title")))
    for key, text in _texts(meta):
        if key == "title" and any(f.rule == "markup-in-title" for f in found):
            continue  # said already
        left = latex_left(text)
        if left:
            message = f"{key} holds LaTeX an import did not decode ({left!r}): write it as plain text"
            found.append(Finding("latex-left", message, rel, _line(lines, key)))
            break
    problem = _year_problem(meta)
    if problem:
        found.append(Finding("missing-year", problem, rel, _line(lines, "year") or 1))
    if not as_list(meta.get("authors")) and not any(as_list(meta.get(r.attr)) for r in ROLES):
        found.append(Finding("missing-authors", "paper has no authors", rel, _line(lines, "authors") or 1))
    for key in ("mechanisms", "not_mechanisms"):
        for name in as_list(meta.get(key)):
            if fold_name(name) not in mechanism_names:
                message = f"{key}: {name!r} is not a known mechanism (no mechanism page has it as slug, title or alias)"
                found.append(Finding("unknown-mechanism", message, rel, _entry_line(file.text, lines, key, name)))
    return found


def _entry_line(text: str, lines: Mapping[str, int], key: str, entry: str) -> int | None:
    """The line of `entry` in the list under `key` (on the key's line, or on one of its items)."""
    start = lines.get(key)
    if start is None:
        return None
    rows = text.split("\n")
    for number in range(start, min(len(rows), start + 200) + 1):
        row = rows[number - 1]
        if number > start and row[:1] not in (" ", "\t", "-", "]", ""):
            break  # the next key
        if entry in row:
            return number
    return start


def duplicate_dois(files: Sequence[ContentFile], lines: Mapping[str, Mapping[str, int]]) -> list[Finding]:
    """Paper pages that share a DOI: each after the first (by path) names the first."""
    first: dict[str, str] = {}
    found = []
    for file in sorted(files, key=lambda f: f.rel):
        raw = file.page.meta.get("doi")
        doi = normalize_doi(str(raw)) if isinstance(raw, (str, int, float)) and not isinstance(raw, bool) else ""
        if not doi:
            continue
        if doi in first:
            other = first[doi]
            at = f"{other}:{lines[other]['doi']}" if "doi" in lines.get(other, {}) else other
            message = f"DOI {doi} is also the DOI of {at}: one work on two pages"
            found.append(Finding("duplicate-doi", message, file.rel, lines.get(file.rel, {}).get("doi")))
        else:
            first[doi] = file.rel
    return found


def duplicate_pages(files: Sequence[ContentFile]) -> list[Finding]:
    """Paper pages that hold the same imported fields, value for value (what the reader adds,
    `sources` and the body aside): each after the first (by path) names the first. Whatever DOI,
    title or author they lack, such pages are one record imported twice."""
    first: dict[str, str] = {}
    found = []
    for file in sorted(files, key=lambda f: f.rel):
        fields = {k: v for k, v in file.page.meta.items() if k in BY_KEY}
        if not fields:
            continue
        key = repr(sorted(fields.items()))
        if key in first:
            message = f"its imported fields are those of {first[key]}, value for value: one record on two pages"
            found.append(Finding("duplicate-page", message, file.rel, 1))
        else:
            first[key] = file.rel
    return found


def _occurrences(text: str, dead: DeadLink) -> list[int]:
    """The lines where a dead wikilink or citation is written (every one of them)."""
    target = re.escape(dead.target)
    if dead.kind == "wikilink":
        pattern = r"\[\[[ \t]*" + target + r"[ \t]*(?:\||\]\])"
    else:
        pattern = r"(?<![\w@.+-])-?@" + target + r"(?![\w])"
    return [text.count("\n", 0, m.start()) + 1 for m in re.finditer(pattern, text)]


def dead_link_findings(dead: Iterable[DeadLink], texts: Mapping[str, str]) -> list[Finding]:
    """The build's dead wikilinks and citations, one finding per place each is written."""
    found: list[Finding] = []
    for d in dead:
        rule = "broken-wikilink" if d.kind == "wikilink" else "broken-citation"
        lines: list[int | None] = [*_occurrences(texts.get(d.file, ""), d)] or [None]
        found.extend(Finding(rule, d.message, d.file, line) for line in lines)
    return found


def content_findings(
    files: Sequence[ContentFile], mechanism_names: Mapping[str, str], dead: Iterable[DeadLink]
) -> list[Finding]:
    """Every content rule but the look-alike titles (those need the duplicates report file)."""
    lines = {f.rel: key_lines(f.text) for f in files}
    found: list[Finding] = []
    papers = [f for f in files if f.kind == "paper"]
    for f in files:
        found.extend(key_findings(f, lines[f.rel]))
        if f.kind == "paper":
            found.extend(paper_findings(f, lines[f.rel], mechanism_names))
    found.extend(duplicate_dois(papers, lines))
    found.extend(duplicate_pages(papers))
    found.extend(dead_link_findings(dead, {f.rel: f.text for f in files}))
    return found
