"""Formatted references for the Cite box and the notes' reference lists: APA (7th edition) and
Vancouver (ICMJE/NLM), written directly from a Record.

citeproc-py with the CSL styles was measured first: about 48 ms per APA reference, so four
minutes for the two styles of a 5,000-paper library, far too slow for a build. These two styles
are small enough to write out, and the output is checked against the styles' rules in the tests.
The HTML is built here with every record value escaped. Pure.
"""

from __future__ import annotations

from html import escape

from litweave.model import Person, Record
from litweave.site.citation_meta import split_pages
from litweave.urls import doi_url

APA_MAX_AUTHORS = 20
"""APA 7 lists up to 20 authors; beyond, the first 19, an ellipsis and the last."""
VANCOUVER_MAX_AUTHORS = 6
"""Vancouver lists up to 6 authors, then "et al."."""


def _initial_words(given: str) -> list[str]:
    """Given names as initials, one string per name: "Marc J." → ["M.", "J."], "Jean-Pierre" →
    ["J.-P."], "MJ" (MEDLINE's run-together initials) → ["M.", "J."]."""
    words = given.replace(".", ". ").split()
    out: list[str] = []
    for word in words:
        core = word.strip(".")
        if not core:
            continue
        if core.isupper() and len(core) <= 3 and "-" not in core:
            out.extend(f"{c}." for c in core if c.isalpha())
        else:
            out.append("-".join(f"{p[0]}." for p in core.split("-") if p))
    return out


def apa_name(person: Person) -> str:
    """ "van de Vijver, M. J." (APA keeps particles and writes initials with full stops)."""
    if person.literal:
        return person.literal
    initials = " ".join(_initial_words(person.given))
    name = f"{person.family}, {initials}" if initials and person.family else person.family or initials
    return f"{name}, {person.suffix}" if person.suffix else name


def vancouver_name(person: Person) -> str:
    """ "van de Vijver MJ": initials run together, no full stops."""
    if person.literal:
        return person.literal
    initials = "".join(w.replace(".", "").replace("-", "") for w in _initial_words(person.given))
    name = f"{person.family} {initials}".strip()
    return f"{name} {person.suffix.replace('.', '')}" if person.suffix else name


def _apa_authors(people: list[Person]) -> str:
    names = [apa_name(p) for p in people]
    if not names:
        return ""
    if len(names) > APA_MAX_AUTHORS:
        return ", ".join(names[: APA_MAX_AUTHORS - 1]) + ", . . . " + names[-1]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]}, & {names[1]}"
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _end(text: str, mark: str = ".") -> str:
    """Text ending with `mark` unless it already ends with a stop (a title ending "?")."""
    text = text.rstrip()
    return text if not text or text[-1] in ".?!" else text + mark


def _doi_tail(record: Record) -> str:
    if record.doi:  # the link quoted (a DOI may hold "#" or "?"), the text as APA writes it
        return f' <a href="{escape(doi_url(record.doi))}">{escape("https://doi.org/" + record.doi)}</a>'
    return ""


def in_text(record: Record) -> tuple[str, str]:
    """(authors, year) of an APA in-text citation: "Nahta", "Nahta & Esteva", "Nahta et al."."""
    families = [p.family or p.literal or p.given for p in record.authors]
    if not families:
        who = record.title if len(record.title) <= 40 else record.title[:40].rsplit(" ", 1)[0] + "…"
    elif len(families) == 1:
        who = families[0]
    elif len(families) == 2:
        who = f"{families[0]} & {families[1]}"
    else:
        who = f"{families[0]} et al."
    return who, str(record.year) if record.year is not None else "n.d."


def in_text_label(who: str, year: str, mode: str) -> str:
    """An in-text citation's words by Pandoc's forms: "p" parenthetical (`[@key]`, the
    parentheses around the cluster), "t" in-text (`@key`: "Nahta (2012)"), "y" the year alone
    (`[-@key]`)."""
    if mode == "t":
        return f"{who} ({year})"
    return year if mode == "y" else f"{who}, {year}"


def apa(record: Record) -> str:
    """An APA 7 reference as HTML (titles of whole works in italics)."""
    e = escape
    authors = _apa_authors(record.authors)
    year = f"({record.year})" if record.year is not None else "(n.d.)"
    head = f"{e(_end(authors))} {year}." if authors else ""
    title = _end(record.title)
    container = record.container_title
    pages = record.pages.replace("-", "\u2013")
    kind = record.type
    if kind in ("book", "report", "thesis"):
        extra = []
        if record.edition:
            extra.append(f"{record.edition} ed.")
        if kind == "report" and record.issue:
            extra.append(f"Report No. {record.issue}")
        bracket = f" ({e(', '.join(extra))})" if extra else ""
        if kind == "thesis":
            bracket += f" [Doctoral dissertation{', ' + e(record.publisher) if record.publisher else ''}]"
        body = f"<i>{e(record.title.rstrip('.'))}</i>{bracket}."
        if record.publisher and kind != "thesis":
            body += f" {e(_end(record.publisher))}"
    elif kind in ("chapter", "paper-conference"):
        editors = ", ".join(_given_first(p) for p in record.editors)
        ed = f"{e(editors)} ({'Eds.' if len(record.editors) > 1 else 'Ed.'}), " if editors else ""
        pp = f" (pp. {e(pages)})" if pages else ""
        body = f"{e(title)} In {ed}<i>{e(container)}</i>{pp}." if container else e(title)
        if record.publisher:
            body += f" {e(_end(record.publisher))}"
    else:
        body = e(title)
        if container:
            body += f" <i>{e(container)}</i>"
            if record.volume:
                body += f", <i>{e(record.volume)}</i>"
            if record.issue:
                body += f"({e(record.issue)})"
            if pages:
                body += f", {e(pages)}"
            body += "."
    if not head:  # no author: the title moves to the author's place
        return f"{body} {year}.{_doi_tail(record)}"
    return f"{head} {body}{_doi_tail(record)}"


def _given_first(person: Person) -> str:
    if person.literal:
        return person.literal
    initials = " ".join(_initial_words(person.given))
    return f"{initials} {person.family}".strip()


def _vancouver_pages(pages: str) -> str:
    """NLM shortens the last page: 1118–1128 → 1118-28."""
    first, last = split_pages(pages)
    if not last:
        return first
    if first.isdigit() and last.isdigit() and len(first) == len(last):
        i = 0
        while i < len(first) - 1 and first[i] == last[i]:
            i += 1
        last = last[i:]
    return f"{first}-{last}"


def vancouver(record: Record) -> str:
    """A Vancouver (NLM) reference as HTML."""
    e = escape
    names = [vancouver_name(p) for p in record.authors]
    if len(names) > VANCOUVER_MAX_AUTHORS:
        names = [*names[:VANCOUVER_MAX_AUTHORS], "et al"]
    parts = [e(_end(", ".join(names)))] if names else []
    parts.append(e(_end(record.title)))
    year = str(record.year) if record.year is not None else ""
    pages = _vancouver_pages(record.pages)
    kind = record.type
    if kind in ("book", "report", "thesis"):
        if record.edition:
            edition = record.edition if "ed" in record.edition.lower() else f"{record.edition} ed"
            parts.append(e(_end(edition)))
        where = ": ".join(x for x in (record.place, record.publisher) if x)
        parts.append(e(f"{where}; {year}." if where and year else _end(where or year)))
    elif kind in ("chapter", "paper-conference"):
        editors = ", ".join(vancouver_name(p) for p in record.editors)
        lead = f"In: {editors}, editor{'s' if len(record.editors) > 1 else ''}. " if editors else "In: "
        parts.append(e(lead + _end(record.container_title)) if record.container_title else "")
        where = ": ".join(x for x in (record.place, record.publisher) if x)
        parts.append(e(f"{where}; {year}." if where and year else _end(where or year)))
        if pages:
            parts.append(e(f"p. {pages}."))
    else:
        issue = f"({record.issue})" if record.issue else ""
        vol = f";{record.volume}{issue}" if record.volume else (f";{issue}" if issue else "")
        tail = f":{pages}" if pages else ""
        if record.container_title:
            parts.append(e(_end(record.container_title)))
        if year or vol or tail:
            parts.append(e(f"{year}{vol}{tail}."))
    text = " ".join(p for p in parts if p)
    if record.doi:
        text += f" doi:{e(record.doi)}"
    return text
