"""Records to BibTeX: deterministic (records in the order given), special characters escaped. Pure."""

from __future__ import annotations

import re

from litweave.exporters.keys import assign_keys, keyword_list
from litweave.fields import ROLES
from litweave.model import Person, Record

_BIBTEX_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
    "pamphlet": "booklet",
    # BibLaTeX types, which our importer and biber read back as the same CSL type
    "patent": "patent",
    "webpage": "online",
    "dataset": "dataset",
    "software": "software",
    "entry-encyclopedia": "inreference",
    "standard": "standard",
    "legislation": "legislation",
    "periodical": "periodical",
    "graphic": "artwork",
}


_SPECIAL = re.compile(r"[\\{}&%$#_~^@]")
_ESCAPES = {
    "\\": r"\textbackslash{}",
    # not `\{`: BibTeX itself counts an escaped brace too, and an unmatched one ends the entry
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # an `@` braced never starts what a reader takes for an entry (`@misc(` in an abstract)
    "@": "{@}",
    **{c: "\\" + c for c in "&%$#_"},
}
_DASHES = re.compile("[-\u2013\u2014]{2,}|[\u2013\u2014]")
_DASH = {"-": "-", "\u2013": "--", "\u2014": "---"}
_QUOTES = re.compile(r"(?<=[`!?])(?=`)|(?<=')(?=')")
"""What LaTeX reads as one character: curly quotes from doubled quotes, ¡ and ¿ from !` and ?`."""


def _bib_escape(text: str) -> str:
    """Text as a BibTeX value that every reader, litweave's importer too, reads back as this
    text: LaTeX's special characters escaped, the en and em dashes written as LaTeX writes them
    (`--`, `---`), and hyphens, backquotes or quotes that meet kept apart by `{}`, so that they
    stay what they are and do not become a dash, a curly quote, ¡ or ¿."""
    text = _SPECIAL.sub(lambda m: _ESCAPES[m.group()], text)
    text = _DASHES.sub(lambda m: "{}".join(_DASH[c] for c in m.group()), text)
    return _QUOTES.sub("{}", text)


_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_PLAIN_FAMILY = re.compile(r"[^\W\d_][\w'.-]*")


def _name_part(text: str) -> str:
    """One part of a name, escaped; braced when it holds what would split it: a comma, or the
    word `and` that separates names."""
    escaped = _bib_escape(text)
    return "{" + escaped + "}" if "," in text or _AND.search(text) else escaped


def _bib_name(person: Person) -> str:
    """A name in BibTeX's "Family, Given" or "Family, Suffix, Given" form, which keeps every
    particle with the family and needs no guess at where it starts; a corporate name braced."""
    if person.literal:
        return "{" + _bib_escape(person.literal) + "}"
    family, given, suffix = (_name_part(part) for part in (person.family, person.given, person.suffix))
    if suffix:
        return f"{family}, {suffix}, {given}"
    if given:
        return f"{family}, {given}"
    if _PLAIN_FAMILY.fullmatch(person.family) and person.family.casefold() != "others":
        return family
    return family + ","  # "Van Dyke," is one family name; "Van Dyke" would be a given and a family


def _verbatim(value: str) -> str:
    """A URL or DOI, which readers take as written: the characters a BibTeX value cannot hold
    as they are percent-encoded, as a URI writes them anyway (RFC 3986)."""
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


_NOT_IN_KEY = re.compile(r"[\s,{}()\"#%'=\\~@]")


def _bib_key(key: str) -> str:
    """A citation key as BibTeX can read it: a kept key (a CSL id, a key typed on the page) may
    hold what ends or breaks an entry's key (`,`, `}`, a space), which is left out."""
    return _NOT_IN_KEY.sub("", key) or "item"


def to_bibtex(records: list[Record], keys: list[str] | None = None) -> str:
    """BibTeX entries, fields sorted; Unicode kept (biber and modern BibTeX read UTF-8). `keys`:
    the entries' keys when the caller knows them (one paper's entry, keyed as in the library)."""
    out = []
    for record, key in zip(records, assign_keys(records) if keys is None else keys, strict=True):
        kind = _BIBTEX_TYPES.get(record.type, "misc")
        fields: dict[str, str] = {"title": "{" + _bib_escape(record.title) + "}"}
        if record.authors:
            fields["author"] = " and ".join(_bib_name(p) for p in record.authors)
        for role in ROLES:
            people = getattr(record, role.attr)
            if people and role.bibtex:
                fields[role.bibtex] = " and ".join(_bib_name(p) for p in people)
        container_field = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}.get(kind)
        if record.container_title:
            fields[container_field or "howpublished"] = _bib_escape(record.container_title)
        if record.year is not None:
            fields["year"] = str(record.year)
        if record.date:
            fields["date"] = _bib_escape(record.date)
        for name, value in (
            ("volume", record.volume),
            ("number", record.issue),
            ("pages", record.pages),
            ("publisher", record.publisher),
            ("address", record.place),
            ("edition", record.edition),
            ("doi", record.doi),
            ("pmid", record.pmid),
            ("isbn", record.isbn),
            ("issn", record.issn),
            ("url", record.url),
            ("abstract", record.abstract),
            ("language", record.language),
            ("note", record.note),
            ("keywords", keyword_list(record.keywords)),
        ):
            if value:
                fields[name] = _verbatim(value) if name in ("url", "doi") else _bib_escape(value)
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in sorted(fields.items()))
        out.append(f"@{kind}{{{_bib_key(key)},\n{body}\n}}\n")
    return "\n".join(out)
