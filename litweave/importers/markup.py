"""HTML and JATS markup in imported text to clean text: Markdown paragraphs, labels kept.

Crossref, CSL-JSON exports and PubMed give abstracts as HTML or JATS XML
(`<jats:sec><jats:title>Background</jats:title><jats:p>…</jats:p></jats:sec>`). Removing the
tags alone glues words ("AbstractHigh COVID-19"); here a block element (paragraph, section,
list item, line break) becomes a paragraph break, a section title becomes a "Background: " label
in front of its first paragraph, a lone leading "Abstract" heading is dropped (it says what the
field already says), inline formatting (`<i>`, `<sup>`) vanishes without a space so that "CO<sub>2</sub>"
stays "CO2", and any other tag a paragraph break. Entities are decoded and whitespace folded.

Idempotent: cleaning the result again changes nothing (double-encoded entities such as
"&amp;lt;i&amp;gt;" are decoded, and tags removed, until nothing changes). Pure.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?([A-Za-z][\w.-]*(?::[\w.-]+)?)(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
_INLINE = frozenset(
    "i b em strong u s sup sub span a font small big tt code italic bold underline sc "
    "inline-formula monospace named-content abbr mml:math mml:mi mml:mo mml:mn mml:msup mml:msub mml:mrow".split()
)
_TITLE_THEN_TEXT = re.compile(r"<(?:[\w.-]+:)?(title|h[1-6])\b[^<>]*>(.*?)</(?:[\w.-]+:)?\1>", re.I | re.S)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].casefold() if not name.casefold().startswith("mml:") else name.casefold()


def _label(match: re.Match[str]) -> str:
    """A section title as a label paragraph marker; the paragraph that follows joins it."""
    label = " ".join(re.sub(r"<[^<>]*>", "", match.group(2)).split()).rstrip(":.")
    return f"\n\n\x01{label}\x02" if label else "\n\n"


def _tag(match: re.Match[str]) -> str:
    return "" if _local(match.group(1)) in _INLINE else "\n\n"


# Content that is no text of the work: a script or a style sheet goes whole.
_NOT_TEXT = re.compile(r"<(script|style)\b[^<>]*>.*?</\1\s*>", re.I | re.S)


def _strip(text: str) -> str:
    text = _NOT_TEXT.sub(" ", text)
    text = _TITLE_THEN_TEXT.sub(_label, text)
    return _TAG.sub(_tag, text)


_BLANK_LINE = re.compile(r"\n\s*\n")
_LABELLED = re.compile("\x01(.*?)\x02(.*)", re.S)


def _paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    for block in _BLANK_LINE.split(text):
        folded = " ".join(block.split())
        if folded:
            paragraphs.append(folded)
    return paragraphs


def _join_labels(paragraphs: list[str]) -> list[str]:
    """ "\x01Background\x02" then a paragraph → "Background: paragraph"; a first "Abstract" goes."""
    out: list[str] = []
    pending = ""
    for para in paragraphs:
        m = _LABELLED.fullmatch(para)
        if m is None:
            out.append(f"{pending}: {para}" if pending else para)
            pending = ""
            continue
        if pending:
            out.append(pending)
        label, rest = m.group(1).strip(), m.group(2).strip()
        if not out and not pending and label.casefold() in ("abstract", "summary"):
            label = ""
        if rest:
            out.append(f"{label}: {rest}" if label else rest)
            pending = ""
        else:
            pending = label
    if pending:
        out.append(pending)
    return [p.replace("\x01", "").replace("\x02", "") for p in out]


def has_markup(text: str) -> bool:
    """True when `text` holds a tag or an entity, or whitespace that folding would change."""
    return bool(_TAG.search(text) or _ENTITY.search(text))


def markup_to_text(text: str) -> str:
    """Clean text: paragraphs separated by one blank line, single spaces within them."""
    text = text.replace("\x01", "").replace("\x02", "")
    if not has_markup(text):  # plain text (most names and titles): only whitespace to fold
        return "\n\n".join(_paragraphs(text))
    while has_markup(text):  # each round shortens the text, so this ends
        cleaned = html.unescape(_strip(text))
        if cleaned == text:  # an entity html does not know ("&foo;") stays as written
            break
        text = cleaned
    return "\n\n".join(_join_labels(_paragraphs(text)))
