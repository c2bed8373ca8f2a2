"""The rules `litweave check` applies, each with an id, a default severity and what it means.

The ids are what the settings name to change a severity (`[tool.litweave.check]` in pyproject.toml,
`[check]` in litweave.toml: `duplicate-doi = "warning"`, `"off"` to silence a rule), what the JSON
output carries, and what each printed line ends with, so a reader can find the rule to change.
Errors make `check` exit 1; warnings and infos are only reported. Pure: no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info", "off")
"""What a setting may give a rule; "off" drops its findings."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    """Default severity."""
    about: str
    """What it finds, in one line (the README's table says the same)."""


RULES: tuple[Rule, ...] = (
    # content/ (no build needed)
    Rule(
        "unreadable-page", "error", "a content file that cannot be read: not UTF-8, or front matter that does not parse"
    ),
    Rule("missing-title", "error", "a paper page without a title (the build refuses it)"),
    Rule("missing-year", "warning", "a paper page without a year, or with one that is not a number"),
    Rule("missing-authors", "warning", "a paper page without authors"),
    Rule("placeholder-title", "warning", "a title still the placeholder an untitled record was imported with"),
    Rule("markup-in-title", "warning", 'LaTeX, math or HTML left in a title (`\\emph{`, `{\\"o}`, `$^{`, `<i>`)'),
    Rule(
        "latex-left",
        "warning",
        "a LaTeX command (`\\emph`, `\\'`) or an accent on a backslash left in any text or name of a paper",
    ),
    Rule("duplicate-doi", "error", "two paper pages with one DOI (compared case-insensitively, prefixes removed)"),
    Rule(
        "unknown-mechanism", "error", "`mechanisms:` or `not_mechanisms:` naming no mechanism page (slug, title, alias)"
    ),
    Rule("broken-wikilink", "error", "a `[[wikilink]]` in notes, full text or a page body that reaches no page"),
    Rule("broken-citation", "error", "a `[@key]` citation that matches no paper's citekey or slug"),
    Rule("key-typo", "warning", "a front-matter key that is not one litweave reads but is close to one (`stauts`)"),
    Rule("unknown-key", "info", "a front-matter key litweave does not read (your own fields are fine)"),
    Rule("possible-duplicate", "warning", "paper pages whose titles look like one work"),
    Rule("duplicate-page", "warning", "paper pages whose imported fields are all the same: one record imported twice"),
    # site/ (the built site, served and fetched)
    Rule("no-site", "error", "the output folder does not exist: nothing to check until `litweave build`"),
    Rule("base-url-mismatch", "info", "the settings' base_url differs from the one the site was built for"),
    Rule("site-url-mismatch", "warning", "site_url's path is not the base URL: feeds and sitemap point elsewhere"),
    Rule("broken-link", "error", "an internal link (href, a feed's link, robots.txt's Sitemap) that answers 404"),
    Rule("broken-asset", "error", "a stylesheet, script, image or icon (src, srcset, link href) that answers 404"),
    Rule("broken-anchor", "error", "a link to `#id` where the target page has no element with that id"),
    Rule("duplicate-id", "error", "two elements of one page with the same id"),
    Rule("sitemap-url", "error", "a sitemap.xml URL outside the site's URL, or one that answers 404"),
    Rule("search-bundle", "error", "a missing file of the search bundle (pagefind/) a page or its loader fetches"),
    Rule("unsafe-url", "error", "a javascript: or vbscript: URL in a built page"),
)
BY_ID: Mapping[str, Rule] = {r.id: r for r in RULES}
RULE_IDS: frozenset[str] = frozenset(BY_ID)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by `check`, with the rule that found it."""

    rule: str
    message: str
    file: str = ""
    """Relative to the knowledge base ("content/papers/x.md", "site/papers/x/index.html")."""
    line: int | None = None
    severity: Severity = "error"
    """Filled from the rule and the settings by `apply_severities`."""

    def __str__(self) -> str:
        where = self.file or "<knowledge base>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{self.severity}: {where}: {self.message} [{self.rule}]"

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


def settings_problems(severities: Mapping[str, object]) -> list[tuple[str, str]]:
    """What is wrong with a `[check]` table: (rule id, problem) for unknown rule ids and severities."""
    problems = []
    for rule, value in severities.items():
        if rule not in RULE_IDS:
            near = difflib.get_close_matches(rule, sorted(RULE_IDS), n=1)
            hint = f"did you mean {near[0]}?" if near else f"rules: {', '.join(sorted(RULE_IDS))}"
            problems.append((rule, f"unknown rule {rule!r} ({hint})"))
        elif value not in SEVERITIES:
            problems.append((rule, f"{rule} = {value!r}: a severity is one of {', '.join(SEVERITIES)}"))
    return problems


def apply_severities(findings: Iterable[Finding], settings: Mapping[str, str]) -> list[Finding]:
    """Each finding with its rule's severity (the settings' over the default); "off" drops it."""
    out = []
    for f in findings:
        severity = settings.get(f.rule, BY_ID[f.rule].severity)
        if severity != "off":
            out.append(Finding(f.rule, f.message, f.file, f.line, severity))  # type: ignore[arg-type]
    return out


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    found = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        found[f.severity] += 1
    return found


SAME_FINDING_SHOWN = 5
"""How many places of one finding the terminal shows before summing up the rest."""


def terminal_lines(findings: Iterable[Finding], limit: int = SAME_FINDING_SHOWN) -> list[str]:
    """The findings as lines for a person: one missing stylesheet is the same finding on every
    page of the site, so past `limit` places a finding (same severity, rule and message) is summed
    up in one line instead of filling the terminal with thousands. `--format json` and `-v` give
    every place."""
    findings = list(findings)
    places: dict[tuple[str, str, str], int] = {}
    for f in findings:
        key = (f.severity, f.rule, f.message)
        places[key] = places.get(key, 0) + 1
    shown: dict[tuple[str, str, str], int] = {}
    lines: list[str] = []
    for f in findings:
        key = (f.severity, f.rule, f.message)
        seen = shown[key] = shown.get(key, 0) + 1
        if seen <= limit:
            lines.append(str(f))
        if seen == limit and places[key] > limit:
            more = places[key] - limit
            lines.append(
                f"{f.severity}: … and {more:,} more {'place' if more == 1 else 'places'} with the same finding "
                f"({f.message}) [{f.rule}]; -v or --format json lists them all"
            )
    return lines
