"""How vocabulary names are written and compared: separators, case, plurals, Greek letters and
the shield phrases. Shared by the vocabulary checks and the matcher, so both fold names alike. Pure.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
SEPARATORS = " -\u00a0\u2010\u2011\u2013"
SEP_CLASS = "[ \\-\u00a0\u2010\u2011\u2013]"
SEP_RUN = re.compile(SEP_CLASS + "+")
LOWER_RUN = re.compile(r"[a-z]{5}")

# Phrases that contain a vocabulary acronym but name something else; matched, then discarded.
SHIELDS = (
    "PR interval",
    "PR intervals",
    "PR segment",
    "partial response (PR)",
    "partial responses (PR)",
    "ER lumen",
    "ER membrane",
    "ER membranes",
    "ER-Golgi",
    "ER to Golgi",
    "ER-associated degradation",
    "ER-phagy",
    "rough ER",
    "smooth ER",
    # MET as metabolic equivalent of task (physical activity) or mesenchymal-epithelial transition
    "MET-hours",
    "MET-hour",
    "MET-h",
    "MET-minutes",
    "MET-min",
    "mesenchymal-epithelial transition (MET)",
    "mesenchymal-to-epithelial transition (MET)",
    # paralogues and other proteins named after a vocabulary entry
    "N-Myc",
    "N-MYC",
    "L-Myc",
    "L-MYC",
    "p21-activated kinase",
    "TNF-related apoptosis-inducing ligand",
    "pyruvate dehydrogenase kinase 1 (PDK1)",
)
SERIES = re.compile(r"/(\d+)(?![^\W_])")
TRAILING_NUMBER = re.compile(r"\d+$")


def is_case_insensitive(term: str) -> bool:
    return LOWER_RUN.search(term) is not None


def takes_plural(term: str, insensitive: bool) -> bool:
    if insensitive:
        return term[-1:].isalpha() and not term.endswith("s")
    return len(term) >= 3 and term[-1] in "RK"


def greek_variants(term: str) -> list[str]:
    """Spell each Greek letter out and vary the separator before it; the term itself first."""
    pieces = re.split("([" + "".join(GREEK) + "])", term)
    if len(pieces) == 1:
        return [term]
    options: list[list[str]] = [[pieces[0]]]
    for i in range(1, len(pieces), 2):
        letter, tail = pieces[i], pieces[i + 1]
        before = options[-1]
        seps: tuple[str, ...] = ("",)
        if before[0][-1:] in ("-", " ") or before[0][-1:].isalnum():
            options[-1] = [before[0].rstrip("- ")]
            seps = ("-", "", " ") if before[0][-1:] == "-" else ("", "-", " ")
        options.append([sep + spelled for sep in seps for spelled in (letter, GREEK[letter])])
        options.append([tail])
    return list(dict.fromkeys("".join(combo) for combo in itertools.product(*options)))


def insensitive_key(text: str) -> str:
    return SEP_RUN.sub(" ", text.casefold())


def fold_name(text: str) -> str:
    """Key for looking a name up by hand (front-matter overrides): case and separators folded."""
    return insensitive_key(unicodedata.normalize("NFC", text).strip())


def name_key(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    return insensitive_key(name) if is_case_insensitive(name) else name
