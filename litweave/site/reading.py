"""The reader's own fields of a paper page: reading `status`, `rating`, `tags` and the `added` date.

These are written by hand (or `added` on import), so every value is checked and a bad one is
reported with what would have been accepted, then left out: the page still builds. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from slugify import slugify

from litweave.model import reduce_by_slots

STATUSES = ("to-read", "reading", "read")
"""Reading statuses in the order a reader moves through them."""

STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}

_ALIASES = {"toread": "to-read", "to read": "to-read", "to_read": "to-read", "unread": "to-read", "done": "read"}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


@dataclass(frozen=True, slots=True)
class Reading:
    """A paper's reading fields after checking; empty values where the page had none or a bad one."""

    __reduce__ = reduce_by_slots

    status: str = ""
    """One of STATUSES, or ""."""
    rating: int | None = None
    """1 to 5."""
    tags: tuple[str, ...] = ()
    """As written, each once, in the page's order."""
    added: str = ""
    """ISO date ("2024-03-01") the paper was added to the knowledge base."""


def read_reading(meta: Mapping[str, object]) -> tuple[Reading, list[str]]:
    """The reading fields of a page's front matter and a message for every value not used."""
    problems: list[str] = []
    status = _status(meta.get("status"), problems)
    rating = _rating(meta.get("rating"), problems)
    tags = _tags(meta.get("tags"), problems)
    added = _added(meta.get("added"), problems)
    return Reading(status, rating, tags, added), problems


def _status(value: object, problems: list[str]) -> str:
    if value is None or value == "":
        return ""
    text = str(value).strip().lower()
    text = _ALIASES.get(text, text)
    if text in STATUSES:
        return text
    problems.append(f"status: {str(value)[:60]!r} is not one of {', '.join(STATUSES)}; left out")
    return ""


def _rating(value: object, problems: list[str]) -> int | None:
    if value is None or value == "":
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    elif isinstance(value, str) and value.strip() and set(value.strip()) <= {"★", "*"}:
        number = len(value.strip())
    if number is None or not 1 <= number <= 5:
        problems.append(f"rating: {str(value)[:60]!r} is not a whole number from 1 to 5; left out")
        return None
    return number


def _tags(value: object, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value] if isinstance(value, (str, int, float)) else None
    if items is None:
        return ()  # reported with the page's other shape problems
    tags: dict[str, None] = {}
    for item in items:
        text = " ".join(str(item).split()) if isinstance(item, (str, int, float)) and not isinstance(item, bool) else ""
        if not text or not tag_slug(text):
            problems.append(f"tags: {str(item)[:60]!r} is not a usable tag; left out")
            continue
        tags.setdefault(text, None)
    return tuple(tags)


def _added(value: object, problems: list[str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    match = _DATE.match(str(value).strip())
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            pass
    problems.append(f"added: {str(value)[:60]!r} is not a date like 2024-03-01; left out")
    return ""


def tag_slug(tag: str) -> str:
    """The URL part of a tag's page ("Drug resistance" → "drug-resistance")."""
    return str(slugify(tag, max_length=80, word_boundary=True))


def stars(rating: int | None) -> str:
    """A rating drawn as stars ("★★★☆☆"); the text alternative is `rating_label`."""
    return "" if rating is None else "★" * rating + "☆" * (5 - rating)


def rating_label(rating: int | None) -> str:
    return "" if rating is None else f"Rated {rating} out of 5"
