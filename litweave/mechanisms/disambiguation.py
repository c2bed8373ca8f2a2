"""Acronyms a paper defines as something else: "endoplasmic reticulum (ER)" is not the estrogen
receptor, "partial response (PR)" not the progesterone receptor, "pyruvate dehydrogenase
kinase 1 (PDK1)" not the PI3K-pathway kinase.

Stage 2, pure. The matcher sees a short form and proposes the mechanism whose name it is; when
the paper's own text defines that short form (Schwartz–Hearst) with a long form that names a
different mechanism, or that shares no distinctive word with any name of the proposed one, every
mention of that short form in the paper is dropped, not only the one at the definition.

A short form that starts with a matched name and goes on after a hyphen or a space ("steroid
receptor coactivator-1 (SRC-1)", "reticulocyte haemoglobin content (RET-He)", "alkaline
phosphatase (ALK PHOS)") defines that name's use in the paper the same way: the matcher found "SRC"
in "SRC-1", and the paper says it means something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from litweave.mechanisms.abbreviations import find_definitions
from litweave.mechanisms.matcher import Matcher
from litweave.model import Mechanism, Mention

# Words too common in biomedical names to show that two names mean the same thing.
_GENERIC = frozenset(
    """a an and the of in to for with by on or type family member protein proteins gene genes
    receptor receptors kinase kinases factor factors growth ligand domain subunit pathway
    signaling signalling human like related associated dependent inhibitor inhibitors alpha beta
    gamma delta kappa i ii iii iv cell cells""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _GENERIC and not w.isdigit()}


def redefined_short_forms(
    texts: Iterable[str], mentions: Iterable[Mention], matcher: Matcher, vocabulary: Mapping[str, Mechanism]
) -> set[str]:
    """Short forms (as written) that the texts define as something other than their mechanism."""
    spans = {m.text: m.mechanism for m in mentions}
    texts = list(texts)
    # cheap guard: only texts that put a mentioned form next to a parenthesis can define it
    if not any(f"({s}" in t or f"{s} (" in t for s in spans for t in texts):
        return set()
    rejected: set[str] = set()
    for text in texts:
        for d in find_definitions(text):
            short = d.short if d.short in spans else _leading_name(d.short, spans)
            slug = spans.get(short)
            if slug is None:
                continue
            long_slugs = {m.mechanism for m in matcher.find(d.long)}
            if slug in long_slugs:
                continue
            mech = vocabulary.get(slug)
            names = (mech.title, *mech.aliases) if mech else ()
            shared = set().union(*(_content_words(n) for n in names)) & _content_words(d.long) if names else set()
            if long_slugs or not shared:
                rejected.add(short)
    return rejected


def _leading_name(short: str, spans: Mapping[str, str]) -> str:
    """The matched name a short form starts with before a hyphen or space ("SRC" of "SRC-1"), or ""."""
    for sep in ("-", " "):
        head, found, _ = short.partition(sep)
        if found and head in spans:
            return head
    return ""


def drop_redefined(mentions: Sequence[Mention], rejected: set[str]) -> tuple[Mention, ...]:
    return tuple(m for m in mentions if m.text not in rejected)


def detect(text: str, matcher: Matcher, vocabulary: dict[str, Mechanism]) -> tuple[Mention, ...]:
    """The mentions of one text as the build keeps them: matched, then redefinitions dropped."""
    found = matcher.find(text)
    return drop_redefined(found, redefined_short_forms([text], found, matcher, vocabulary))
