"""The sentence around each link in a reader's notes, for the "Mentioned in" list of its target.

Runs in stage 1 (the per-paper step) on the Markdown source: a `[[Target|label]]`, a `[@key]`
cluster or an in-text `@key` is found outside code, the sentence holding it is cut out and its
Markdown reduced to plain text (wikilinks to their labels), so the target's page shows what the
reader wrote without rendering anything again. Pure.
"""

from __future__ import annotations

import re

from litweave.markdown import CITE_KEY
from litweave.sentences import sentence_around

MAX_CONTEXT = 280
"""Longest context shown; a longer sentence is cut at a word and ends with an ellipsis."""

_CODE_RE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`+[^`\n]*`+", re.DOTALL | re.MULTILINE)
_WIKI_RE = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]*))?\]\]")
_CITE_BRACKET_RE = re.compile(r"\[[^\[\]\n]*@" + CITE_KEY + r"[^\[\]\n]*\](?![(\[])")
_CITE_AT_RE = re.compile(r"(?<![\w@.+-])-?@(" + CITE_KEY + ")")
_MARKUP_RE = re.compile(r"^\s*(?:#{1,6}\s+|[-*+>]\s+|\d+[.)]\s+)+|[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}")


def _mask_code(text: str) -> str:
    """The text with code blocks and spans blanked (same length), so offsets stay true."""
    return _CODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _plain(sentence: str) -> str:
    text = _WIKI_RE.sub(lambda m: (m.group(2) or m.group(1)).strip(), sentence)
    text = _MARKUP_RE.sub("", text)
    text = " ".join(text.split())
    if len(text) > MAX_CONTEXT:
        text = text[:MAX_CONTEXT].rsplit(" ", 1)[0] + " …"
    return text


def link_contexts(body: str) -> tuple[tuple[str, str], ...]:
    """(reference, sentence) for the first place each target is named: reference is "[[Target]]"
    for a wikilink and "@key" for a citation, as written."""
    if "[[" not in body and "@" not in body:
        return ()
    masked = _mask_code(body)
    found: list[tuple[int, int, str]] = []
    for m in _WIKI_RE.finditer(masked):
        found.append((m.start(), m.end(), f"[[{m.group(1).strip()}]]"))
    for m in _CITE_BRACKET_RE.finditer(masked):
        found += [(m.start(), m.end(), f"@{k}") for k in re.findall(r"@(" + CITE_KEY + ")", m.group())]
    taken = [(s, e) for s, e, _r in found]
    for m in _CITE_AT_RE.finditer(masked):
        if not any(s <= m.start() < e for s, e in taken):
            found.append((m.start(), m.end(), f"@{m.group(1)}"))
    contexts: dict[str, str] = {}
    for start, end, ref in sorted(found):
        if ref not in contexts:
            # a paragraph is the widest a sentence may reach: blank lines end it
            para_start = body.rfind("\n\n", 0, start) + 1
            para_end = body.find("\n\n", end)
            para = body[para_start : para_end if para_end >= 0 else len(body)]
            sentence, _a, _b = sentence_around(para, start - para_start, end - para_start)
            contexts[ref] = _plain(sentence)
    return tuple(contexts.items())
