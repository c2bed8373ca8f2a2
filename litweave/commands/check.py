"""Checking a built site: every internal link and anchor resolves to a file that was written;
and checking content: pages a reader still has to finish (a placeholder title from the import),
and paper pages that look like duplicates of each other, grouped.

Reads the output folder as a browser would see it served under the base URL (a GitHub Pages
sub-path included), so a link that only works at "/" is caught.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from litweave.commands.duplicates import page_duplicates
from litweave.config import Config
from litweave.importers.finish import is_placeholder
from litweave.model import Diagnostic, Page


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, int]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src") and not (tag == "link" and ("rel", "canonical") in attrs):
                self.links.append((value, self.getpos()[0]))
            elif name == "id":
                self.ids.add(value)


@dataclass(slots=True)
class LinkReport:
    pages: int = 0
    links: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _target(site: Path, base_url: str, page_rel: str, href: str) -> tuple[str, str] | None:
    """(site-relative file, fragment) for an internal link, None for an external one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
        return None
    path = unquote(parts.path)
    if not path:  # "#frag": the page itself
        return page_rel, parts.fragment
    if path.startswith("/"):
        if not path.startswith(base_url):
            return "\x00outside-base:" + path, ""
        rel = path[len(base_url) :]
    else:
        rel = str(Path(page_rel).parent / path)
    rel = Path(rel).as_posix()
    parts_: list[str] = []
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts_:
                parts_.pop()
            continue
        parts_.append(part)
    rel = "/".join(parts_)
    if path.endswith("/") or rel == "" or (site / rel).is_dir():
        rel = (rel + "/index.html").lstrip("/")
    return rel, parts.fragment


def check_site(site: Path, base_url: str = "/") -> LinkReport:
    """Every href/src in every HTML page must resolve inside `site` (anchors included)."""
    report = LinkReport()
    parsed: dict[str, _LinkParser] = {}
    for path in sorted(site.rglob("*.html")):
        parser = _LinkParser()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path.relative_to(site).as_posix()] = parser
    report.pages = len(parsed)
    for page_rel, parser in parsed.items():
        for href, line in parser.links:
            target = _target(site, base_url, page_rel, href)
            if target is None:
                continue
            report.links += 1
            rel, fragment = target
            if rel.startswith("\x00outside-base:"):
                report.diagnostics.append(
                    Diagnostic("error", f"link {href!r} is outside the base URL {base_url}", file=page_rel, line=line)
                )
            elif not (site / rel).is_file():
                report.diagnostics.append(Diagnostic("error", f"broken link {href!r}", file=page_rel, line=line))
            elif fragment and rel in parsed and fragment not in parsed[rel].ids:
                report.diagnostics.append(
                    Diagnostic("error", f"link {href!r}: no element with id {fragment!r}", file=page_rel, line=line)
                )
    return report


def content_findings(pages: list[Page]) -> list[Diagnostic]:
    """Paper pages whose title is still the placeholder an untitled record was imported with."""
    found = []
    for page in pages:
        title = page.meta.get("title")
        if page.kind == "paper" and isinstance(title, str) and is_placeholder(title):
            message = f"title is a placeholder ({title!r}): give the paper its title"
            found.append(Diagnostic("warning", message, file=page.path.as_posix()))
    return found


def check_duplicates(config: Config, pages: list[Page]) -> list[Diagnostic]:
    """Paper pages that are likely one work (`commands.duplicates`): a warning per group, at most
    a screenful, the full list written to the report file."""
    return page_duplicates(config, pages)
