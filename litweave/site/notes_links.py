"""The sentence around each link in a reader's notes, for the "Mentioned in" list of its target.

Runs in stage 1 (the per-paper step) on the Markdown source: a `[[Target|label]]`, a `[@key]`
cluster or an in-text `@key` is found outside code, and the sentence holding it is cut out and
read by the notes' own Markdown rules into pieces: text, and the wikilinks and citations it holds,
which the site resolves as it resolves the note's (`paper_relations.mentioned_in`), so that the
excerpt shows "(Lu et al., 2001, p. 4)" where the note does, not `[@lu2001, p. 4]`. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litweave.markdown import CITE_KEY, inline_tokens
from litweave.model import reduce_by_slots
from litweave.sentences import sentence_around

MAX_CONTEXT = 280
"""Longest context shown; a longer sentence is cut at a word and ends with an ellipsis."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of a sentence of the notes: text, a wikilink, or one citation of a cluster."""

    __reduce__ = reduce_by_slots

    text: str
    """The text; a wikilink's label; "" for a citation, whose words are its paper's."""
    ref: str = ""
    """ "[[Target]]" for a wikilink, "@key" for a citation, "" for text."""
    mode: str = ""
    """A citation's form (`markdown.CITE_PLACEHOLDER`): "p", "t" or "y"."""


_CODE_RE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`+[^`\n]*`+", re.DOTALL | re.MULTILINE)
_WIKI_RE = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]*))?\]\]")
_CITE_BRACKET_RE = re.compile(r"\[[^\[\]\n]*@" + CITE_KEY + r"[^\[\]\n]*\](?![(\[])")
_KEY_IN_BRACKETS = re.compile(r"(?<![\w.+-])-?@(" + CITE_KEY + ")")
_CITE_AT_RE = re.compile(r"(?<![\w@.+-])-?@(" + CITE_KEY + ")")
_BLOCK_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+>]\s+|\d+[.)]\s+)+")
"""What starts a heading, a list item or a quotation: the sentence of one begins after it."""
_LONE_EMPHASIS = re.compile(r"(?<=\S)[*_]{1,3}(?=[\s.,;:!?)]|$)|(?:^|(?<=\s))[*_]{1,3}(?=\S)")
"""An emphasis mark left without its pair where the sentence was cut out of an emphasised span."""


def _mask_code(text: str) -> str:
    """The text with code blocks and spans blanked (same length), so offsets stay true."""
    return _CODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def pieces(sentence: str) -> tuple[Piece, ...]:
    """A sentence of Markdown as the note renders it: emphasis, code and links to their text, and
    wikilinks and citations as pieces of their own, a citation cluster's prefixes, locators and
    parentheses as text around its citations."""
    out: list[Piece] = []
    for token in inline_tokens(_BLOCK_MARKS.sub("", sentence)):
        if token.type in ("text", "code_inline", "image"):
            out.append(Piece(token.content))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(Piece(" "))
        elif token.type == "wikilink":
            out.append(Piece(token.meta["label"], f"[[{token.meta['target']}]]"))
        elif token.type == "citation":
            mode = token.meta["mode"]
            out.append(Piece("(" if mode == "p" else ""))
            for n, (prefix, key, locator, suppressed) in enumerate(token.meta["items"]):
                out.append(Piece(("; " if n else "") + (f"{prefix} " if prefix else "")))
                out.append(Piece("", f"@{key}", "y" if suppressed else mode))
                if locator:
                    out.append(Piece(locator if locator.startswith(",") else f", {locator}"))
            out.append(Piece(")" if mode == "p" else ""))
    return _joined(out)


def _joined(found: list[Piece]) -> tuple[Piece, ...]:
    """Neighbouring texts as one, white space folded, the sentence's ends trimmed, empty texts
    dropped."""
    merged: list[Piece] = []
    for piece in found:
        if not piece.ref and merged and not merged[-1].ref:
            merged[-1] = Piece(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    out = [
        Piece(" ".join(p.text.split()), p.ref, p.mode)
        if p.ref
        else Piece(_LONE_EMPHASIS.sub("", re.sub(r"\s+", " ", p.text)))
        for p in merged
    ]
    if out and not out[0].ref:
        out[0] = Piece(out[0].text.lstrip())
    if out and not out[-1].ref:
        out[-1] = Piece(out[-1].text.rstrip())
    return tuple(p for p in out if p.ref or p.text)


def link_contexts(body: str) -> tuple[tuple[str, tuple[Piece, ...]], ...]:
    """(reference, sentence) for the first place each target is named: reference is "[[Target]]"
    for a wikilink and "@key" for a citation, as written; the sentence in `pieces`."""
    if "[[" not in body and "@" not in body:
        return ()
    masked = _mask_code(body)
    found: list[tuple[int, int, str]] = []
    for m in _WIKI_RE.finditer(masked):
        found.append((m.start(), m.end(), f"[[{m.group(1).strip()}]]"))
    for m in _CITE_BRACKET_RE.finditer(masked):
        found += [(m.start(), m.end(), f"@{k}") for k in _KEY_IN_BRACKETS.findall(m.group())]
    taken = [(s, e) for s, e, _r in found]
    for m in _CITE_AT_RE.finditer(masked):
        if not any(s <= m.start() < e for s, e in taken):
            found.append((m.start(), m.end(), f"@{m.group(1)}"))
    contexts: dict[str, tuple[Piece, ...]] = {}
    for start, end, ref in sorted(found):
        if ref not in contexts:
            # a paragraph is the widest a sentence may reach: blank lines end it
            para_start = body.rfind("\n\n", 0, start) + 1
            para_end = body.find("\n\n", end)
            para = body[para_start : para_end if para_end >= 0 else len(body)]
            sentence, _a, _b = sentence_around(para, start - para_start, end - para_start)
            contexts[ref] = pieces(sentence)
    return tuple(contexts.items())
