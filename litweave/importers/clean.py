"""Control characters out of imported records, whatever the format and the importer.

A record's text comes from files of any origin: an escape character or a NUL in a title would
reach every page that names the paper, the YAML and the HTML. One pass over every record, after
its importer, keeps each importer simple: one-line fields (title, journal, names, keywords, …)
lose their control characters (a tab or line break becomes a space), multi-line ones (abstract,
full text, note, the kept extra fields) keep only their line breaks and tabs. A lone surrogate,
which no file can hold, becomes U+FFFD.
"""

from __future__ import annotations

import re

from litweave.fields import FIELDS, TEXT_FIELDS
from litweave.model import ImportResult, Person, Record

_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r" {2,}")
_MULTI_LINE = ("abstract", "fulltext", "note")
_ONE_LINE = tuple(f.attr for f in TEXT_FIELDS if f.attr not in _MULTI_LINE)
_PEOPLE = tuple(f.attr for f in FIELDS if f.kind == "people")


def one_line(text: str) -> str:
    """No control character left: breaks and tabs become spaces (one space where several meet),
    the rest goes."""
    if not _has_control(text):
        return text
    return _SPACES.sub(" ", _no_surrogates(_CONTROL.sub("", _LINE_BREAKS.sub(" ", text)))).strip()


def multi_line(text: str) -> str:
    """Line breaks and tabs kept (a carriage return becomes a line break), other control characters
    dropped; what they leave at either end is trimmed, as the importers trim every value."""
    if not _has_control(text):
        return text
    return _no_surrogates(_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))).strip()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """A lone surrogate (CSL-JSON may escape one, "\\ud800") is half a character, which no UTF-8
    file can hold: it becomes U+FFFD, the replacement character, as undecodable bytes do."""
    return _SURROGATE.sub("\ufffd", text)


def _has_control(text: str) -> bool:
    return not text.isprintable()


_NOBODY = Person()


def _person(person: Person) -> Person:
    parts = (person.family, person.given, person.suffix, person.literal)
    if all(p.isprintable() for p in parts):
        return person
    return Person(*(one_line(p) for p in parts))


def clean_record(record: Record) -> None:
    """Clean one record in place."""
    for name in _ONE_LINE:
        setattr(record, name, one_line(getattr(record, name)))
    for name in _MULTI_LINE:
        setattr(record, name, multi_line(getattr(record, name)))
    for name in _PEOPLE:
        # a name of control characters only is no name: left out, not kept as an empty one
        setattr(record, name, [q for q in (_person(p) for p in getattr(record, name)) if q != _NOBODY])
    record.keywords = [k for k in (one_line(k) for k in record.keywords) if k]
    record.extra = {one_line(k): multi_line(v) for k, v in record.extra.items()}
    record.unparsed = {one_line(k): multi_line(v) for k, v in record.unparsed.items()}


def clean_result(result: ImportResult) -> ImportResult:
    for record in result.records:
        clean_record(record)
    return result


__all__ = ["clean_record", "clean_result", "multi_line", "one_line"]
