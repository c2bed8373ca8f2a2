"""Sentence boundaries in abstracts and notes: where a mention's context starts and ends, and the
unit the abbreviation finder reads. Pure.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "al",
    "e.g",
    "i.e",
    "fig",
    "figs",
    "vs",
    "cf",
    "approx",
    "ca",
    "dr",
    "no",
    "nos",
    "ref",
    "refs",
    "eq",
    "eqs",
    "etc",
    "resp",
    "vol",
    "pp",
    "p",
    "st",
    "mr",
    "ms",
    "prof",
    "inc",
    "ltd",
    "co",
    "sp",
    "spp",
    "var",
    "subsp",
    "jr",
    "sr",
    "tab",
    "suppl",
    "u.s",
    "min",
    "max",
    "mol",
    "wt",
    "b.i.d",
}
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u0391-\u03a9])|\n\s*\n")


def _sentence_breaks(text: str) -> list[int]:
    """Offsets where a new sentence starts (after the break's whitespace)."""
    breaks: list[int] = []
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            word = re.search(r"([\w.]+)\.$", text[max(0, m.start() - 12) : m.start() + 1])
            if word and word.group(1).casefold() in _ABBREVIATIONS:
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue  # an initial: "R. Nahta"
        end = m.end()
        while end < len(text) and text[end].isspace():
            end += 1
        breaks.append(end)
    return breaks


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, by the rules of `sentence_around`; blanks skipped."""
    spans: list[tuple[int, int]] = []
    s = 0
    for b in [*_sentence_breaks(text), len(text)]:
        chunk = text[s:b]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((s + lead, s + len(chunk.rstrip())))
        s = b
    return spans


def sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence holding text[start:end], and that span's offsets inside the sentence.

    Sentences end at . ! ? followed by space and a capital or digit, or at a blank line; not after
    "et al.", "e.g.", "Fig." and similar, nor inside decimals ("2.5").
    """
    s, e = 0, len(text)
    for b in _sentence_breaks(text):
        if b <= start:
            s = b
        elif b >= end:
            e = b
            break
    sentence = text[s:e].rstrip()
    lead = len(sentence) - len(sentence.lstrip())
    sentence = sentence.lstrip()
    offset = s + lead
    return sentence, start - offset, end - offset
