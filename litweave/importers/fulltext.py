"""Import stage: separate an abstract from the full text that some exports append to it.

Takes the plain text of an abstract field and gives `(abstract, fulltext_markdown)`. Exports
built from publisher pages (the Hindawi sample among them) put the abstract and then the paper's
opening sections into one field, with the numbered headings run into the prose:
"… on trastuzumab treatment. 1. Introduction Trastuzumab (Herceptin; …) …". The full text starts
at a "1." section heading; later headings must continue the numbering (2, 3 … and 2.1, 2.2 …
as `###`), so stray numbers in prose ("in 2. cases", "Fig. 1. Shows") are not taken for sections.
Without a "1." section the whole text is the abstract and the full text is empty.

The full text is Markdown for the renderer, but it is imported prose, not the reader's own
Markdown, so it must not gain structure it did not have. Each paragraph is collapsed onto one
line and then: a paragraph start that Markdown reads as a block (`#`, `>`, `-`, `+`, `*`, `=`,
`|`, `[`, "1." or "1)") is backslash-escaped; `*`, backticks and word-edge `_` are escaped so
that prose cannot turn into emphasis or code; `<` becomes `&lt;` so no raw HTML passes; and
"](" and "[[" are broken so "[text](url)" and "[[wikilink]]" stay text (citations "[1]" are
left as written). Nothing else is
escaped; the renderer does the HTML escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MINOR = frozenset("a an and as at by for from in into of on or over the to under versus via vs with without".split())
_ABBREVIATIONS = frozenset(
    "fig figs figure table tab eq eqs no nos ref refs vol sect sec ch chap"
    " pp p al vs e.g i.e approx suppl ca cf".split()
)
_MAX_HEADING_WORDS = 15

# A section number at a line start or after a sentence end: "1. ", "2.1. ", "2.1 ".
_CANDIDATE = re.compile(
    r"(?:(?<=\n)|(?<=^)|(?<=[.!?:)\]]\s)|(?<=[.!?:)\]]\s\s))[ \t]*(\d{1,2})(?:\.(\d{1,2}))?(\.)?[ \t]+(?=\S)"
)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class _Heading:
    start: int
    """Offset where the heading's number begins."""
    body_start: int
    """Offset where the section's text begins."""
    number: tuple[int, ...]
    title: str


def split_abstract(text: str) -> tuple[str, str]:
    """Split an abstract field into (abstract, full text as Markdown) at its "1." section."""
    headings = _find_headings(text)
    if not headings:
        return text.strip(), ""
    abstract = text[: headings[0].start].strip()
    sections: list[str] = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start if index + 1 < len(headings) else len(text)
        marks = "##" if len(heading.number) == 1 else "###"
        label = ".".join(str(n) for n in heading.number) + "."
        sections.append(f"{marks} {label} {_neutralise_inline(heading.title)}")
        sections.extend(_neutralise_paragraph(p) for p in _paragraphs(text[heading.body_start : end]))
    return abstract, "\n\n".join(sections)


# Every run of headings opens with "1." (any script's digit one) after whitespace: without a digit
# and a period there, the slow scan below cannot find a heading.
_FIRST_HEADING = re.compile(r"(?:^|\s)\d\.[ \t]")


def _find_headings(text: str) -> list[_Heading]:
    found: list[_Heading] = []
    if _FIRST_HEADING.search(text) is None:
        return found
    top, sub = 0, 0
    for match in _CANDIDATE.finditer(text):
        major = int(match.group(1))
        minor = int(match.group(2)) if match.group(2) else None
        if minor is None and not match.group(3):
            continue  # "1 Introduction" without the period is too often a count in prose
        if minor is None:
            expected = major == top + 1
        else:
            expected = top > 0 and major == top and minor == sub + 1
        if not expected or _after_abbreviation(text, match.start()):
            continue
        heading = _read_heading(text, match.end())
        if heading is None:
            continue
        title, body_start = heading
        number = (major,) if minor is None else (major, minor)
        found.append(_Heading(match.start(), body_start, number, title))
        if minor is None:
            top, sub = major, 0
        else:
            sub = minor
    return found


def _after_abbreviation(text: str, start: int) -> bool:
    """True for "Fig. 1.", "et al. 2." and initials ("J. 1."): the period before is not a sentence end."""
    before = text[:start].rstrip()
    if not before.endswith("."):
        return False
    word = before[:-1].rsplit(None, 1)[-1] if before[:-1].split() else ""
    word = word.lstrip("([")
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _read_heading(text: str, start: int) -> tuple[str, int] | None:
    """The heading's words and where the body begins, or None when no heading stands here."""
    line_end = text.find("\n", start)
    line = text[start:] if line_end == -1 else text[start:line_end]
    if _starts_line(text, start) and line_end != -1 and _is_heading_line(line):
        return " ".join(line.split()), line_end + 1
    words = list(_WORD.finditer(text, start, len(text) if line_end == -1 else line_end))
    kinds = [_kind(w.group()) for w in words]
    # The body's first sentence begins with the last capitalised word before the first word that
    # cannot be in a heading ("Resistance Multiple molecular": "Multiple" starts the body).
    first_plain = next((i for i, k in enumerate(kinds) if k == "plain"), None)
    if first_plain is None:
        return None
    body_index = next((i for i in range(first_plain - 1, -1, -1) if kinds[i] == "capital"), None)
    if body_index is None or body_index == 0 or body_index > _MAX_HEADING_WORDS:
        return None
    title_words = [w.group() for w in words[:body_index]]
    while title_words and title_words[-1].lower() in _MINOR:
        title_words.pop()
    if not title_words or kinds[0] != "capital":
        return None
    return " ".join(title_words), words[body_index].start()


def _starts_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return re.fullmatch(r"[ \t]*\d{1,2}(?:\.\d{1,2})?\.?[ \t]+", text[line_start:start]) is not None


def _is_heading_line(line: str) -> bool:
    words = line.split()
    if not words or len(words) > _MAX_HEADING_WORDS or line.rstrip().endswith((".", ",", ";")):
        return False
    return all(_kind(w) != "plain" for w in words) and _kind(words[0]) == "capital"


def _kind(word: str) -> str:
    """capital (can start or sit in a heading), minor (and/of/the…), or plain (ends a heading)."""
    if word.lower() in _MINOR and word[0].islower():
        return "minor"
    head = word[0]
    if head.isupper() or head.isdigit():
        return "capital"
    return "plain"


def _paragraphs(body: str) -> list[str]:
    return [" ".join(block.split()) for block in re.split(r"\n[ \t]*\n", body) if block.strip()]


_BLOCK_START = re.compile(r"^(?:[#>+=|\[-]|\d{1,9}[.)](?=\s|$))")


def _neutralise_paragraph(paragraph: str) -> str:
    paragraph = _neutralise_inline(paragraph)
    match = _BLOCK_START.match(paragraph)
    if match:
        token = match.group()
        if token[0].isdigit():
            paragraph = token[:-1] + "\\" + paragraph[len(token) - 1 :]
        elif not paragraph.startswith("\\"):
            paragraph = "\\" + paragraph
    return paragraph


def _neutralise_inline(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "*`":
        text = text.replace(char, "\\" + char)
    # "_" is emphasis only at a word edge; "her2_gene" stays readable.
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    # Links need "](" and wikilinks "[["; citations like "[1]" are left as written.
    text = text.replace("](", "]\\(").replace("[[", "\\[\\[")
    return text.replace("<", "&lt;")
