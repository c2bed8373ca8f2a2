"""Markdown to HTML for the reader's notes, page bodies and full-text excerpts.

Stage 1: a body renders without looking at any other page. Internal links written as
`[[Target]]` or `[[Target|label]]` become placeholders that stage 3 resolves against the whole
site (Pelican's late link replacement), so a renamed page never leaves a stale link in a cache.
Raw HTML is off and markdown-it's link validation refuses `javascript:`/`vbscript:`/`data:` URLs:
imported and hand-written text alike cannot inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from slugify import slugify

PLACEHOLDER = "\x00wikilink:"
"""Marks an unresolved internal link in rendered HTML: PLACEHOLDER + target + "\x00"."""

_PLACEHOLDER_RE = re.compile("\x00wikilink:([^\x00]*)\x00")

CITE_PLACEHOLDER = "\x00cite:"
"""Marks an unresolved citation in rendered HTML: CITE_PLACEHOLDER + mode ("p", "t" or "y") + ":" +
key + "\x00"; "p" is parenthetical (`[@key]`), "t" in-text (`@key`), "y" the year alone (`[-@key]`)."""

_CITE_RE = re.compile("\x00cite:([pty]):([^\x00]*)\x00")

CITE_KEY = r"\w(?:[\w:.#$%&+?<>~/-]*\w)?"
"""A Pandoc citation key: starts and ends with a letter, digit or underscore; inner punctuation
allowed, so "nahta2012" and "doi:10.1/x" are keys and the full stop ending a sentence is not."""

_CITE_ITEM_RE = re.compile(r"\s*(?P<prefix>[^@;]*?)\s*(?P<minus>-?)@(?P<key>" + CITE_KEY + r")(?P<locator>[^;]*)")
_KEY_AT_RE = re.compile(CITE_KEY)


class _Finder:
    """The first `needle` at or after a position, remembered for the last text searched: a text of
    many "[[" and no "]]" (or one far away) would otherwise be searched to its end once for each
    of them, which took seconds for a 40 KB paragraph and hours for 1 MB."""

    def __init__(self, needle: str) -> None:
        self.needle = needle
        self.last: tuple[str, int, int] = ("", 0, -1)
        """(text, start, found), replaced whole, so threads that render at once never mix two."""

    def __call__(self, text: str, start: int) -> int:
        last_text, last_start, found = self.last
        if text is last_text and last_start <= start and (found < 0 or start <= found):
            return found
        found = text.find(self.needle, start)
        self.last = (text, start, found)
        return found


_CLOSE, _NEWLINE = _Finder("]]"), _Finder("\n")


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = _CLOSE(src, pos + 2)
    if end < 0:
        return False
    newline = _NEWLINE(src, pos + 2)
    if 0 <= newline < end:
        return False
    inner = src[pos + 2 : end]
    if not inner.strip():
        return False
    if not silent:
        target, _, label = inner.partition("|")
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target.strip(), "label": (label or target).strip()}
    state.pos = end + 2
    return True


def _render_wikilink(self: object, tokens: list, idx: int, options: object, env: object) -> str:
    meta = tokens[idx].meta
    target = meta["target"].replace("\x00", "")
    return f'<a class="wikilink" href="{PLACEHOLDER}{escape(target)}\x00">{escape(meta["label"])}</a>'


def _cite_items(inner: str) -> list[tuple[str, str, str, bool]] | None:
    """(prefix, key, locator, author suppressed) of each part of `[see @a, p. 4; -@b]`, or None
    when a part is no citation."""
    items = []
    for part in inner.split(";"):
        m = _CITE_ITEM_RE.fullmatch(part)
        if m is None or "@" in m["locator"] or (m["prefix"] and not part[: m.start("minus")][-1:].isspace()):
            return None  # no key, two keys in one part, or an e-mail address ("[write to a@b.org]")
        items.append((m["prefix"], m["key"], m["locator"].strip(), bool(m["minus"])))
    return items


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """Pandoc citations: `[@key]`, `[see @a, p. 4; @b]` (parenthetical) and `@key` (in-text).
    An `@` after a letter or digit (an e-mail address) is no citation; code spans never reach
    inline rules, so `@decorator` in backticks stays code."""
    src, pos = state.src, state.pos
    if src.startswith("[", pos) and "@" in src[pos : pos + 200]:
        end = src.find("]", pos + 1)
        if end < 0 or src.startswith(("(", "["), end + 1) or "[" in src[pos + 1 : end]:
            return False
        items = _cite_items(src[pos + 1 : end])
        if not items:
            return False
        if not silent:
            token = state.push("citation", "", 0)
            token.meta = {"mode": "p", "items": items}
        state.pos = end + 1
        return True
    if state.linkLevel > 0:  # a citation inside a link's text would nest links
        return False
    if src.startswith("@", pos) and (pos == 0 or not (src[pos - 1].isalnum() or src[pos - 1] in "@_.-+")):
        m = _KEY_AT_RE.match(src, pos + 1)
        if m is None:
            return False
        if not silent:
            token = state.push("citation", "", 0)
            token.meta = {"mode": "t", "items": [("", m.group(), "", False)]}
        state.pos = m.end()
        return True
    return False


def _render_citation(self: object, tokens: list, idx: int, options: object, env: object) -> str:
    meta = tokens[idx].meta
    mode = meta["mode"]
    parts = []
    for prefix, key, locator, suppressed in meta["items"]:
        text = f"{escape(prefix)} " if prefix else ""
        text += f"{CITE_PLACEHOLDER}{'y' if suppressed else mode}:{escape(key.replace(chr(0), ''))}\x00"
        if locator:
            text += escape(locator if locator.startswith(",") else f", {locator}")
        parts.append(text)
    body = "; ".join(parts)
    return f'<span class="citation">({body})</span>' if mode == "p" else f'<span class="citation">{body}</span>'


def _heading_slug(text: str) -> str:
    return slugify(text) or "section"


def make_markdown() -> MarkdownIt:
    """The one Markdown configuration of the project: CommonMark + tables, footnotes, task lists."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=_heading_slug, permalink=False)
    md.use(footnote_plugin)
    md.use(tasklists_plugin)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.add_render_rule("wikilink", _render_wikilink)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)
    return md


_MD = make_markdown()


def render_markdown(text: str, doc_id: str = "") -> str:
    """HTML for a Markdown body, with wikilinks left as placeholders. `doc_id` prefixes footnote
    ids, so two bodies on one page (full text and notes) never share an id."""
    if not text.strip():
        return ""
    return _MD.render(text, {"docId": doc_id} if doc_id else {})


def inline_tokens(text: str) -> list[Token]:
    """The inline tokens of a piece of a paragraph, as its body's rendering reads them: wikilinks
    ("wikilink", `meta` target and label) and citations ("citation", `meta` mode and items) are
    tokens of their own."""
    tokens = _MD.parseInline(text)
    return list(tokens[0].children or []) if tokens else []


def resolve_links(html: str, resolve: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """Replace wikilink placeholders with URLs; unknown targets become plain text and are returned."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        target = unescape(match.group(1))  # the placeholder holds it HTML-escaped
        url = resolve(target)
        if url is None:
            missing.append(target)
            return "#missing"
        return escape(url)

    out = _PLACEHOLDER_RE.sub(replace, html)
    if missing:  # a dead link is shown as text, not as a link to nowhere
        out = re.sub(r'<a class="wikilink" href="#missing">(.*?)</a>', r'<span class="wikilink missing">\1</span>', out)
    return out, missing


def link_targets(html: str) -> list[str]:
    """The wikilink targets left as placeholders in rendered HTML, as written, in order."""
    return [unescape(t) for t in _PLACEHOLDER_RE.findall(html)]


def cite_keys(html: str) -> list[str]:
    """The citation keys left as placeholders in rendered HTML, as written, in order."""
    return [unescape(k) for _m, k in _CITE_RE.findall(html)]


def resolve_citations(html: str, label: Callable[[str, str], tuple[str, str] | None]) -> tuple[str, list[str]]:
    """Replace citation placeholders: `label(key, mode)` gives (url, text) or None for an unknown
    key, which is shown as written, marked broken, and returned."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        mode, key = match.group(1), unescape(match.group(2))
        hit = label(key, mode)
        if hit is None:
            missing.append(key)
            return f'<span class="missing" title="unknown citation key">@{escape(key)}</span>'
        return f'<a href="{escape(hit[0])}">{escape(hit[1])}</a>'

    return _CITE_RE.sub(replace, html), missing
