"""Every internal URL and output path of the site, from one place.

Sites are served from a sub-path on GitHub Pages (`/repo/`), so a URL is the base URL plus a
site-relative path, and nothing else in the code or the templates builds one by hand: pages,
assets, feeds, the search bundle, data files and downloads are all named here, site-relative
("papers/x/"), and turned into what a browser follows by `absolute` (root-relative, with the base
URL: "/repo/papers/x/") or, for feeds, the sitemap and citation metadata, by `full` (with the
site's published URL). Root-relative rather than page-relative links keep every page's bytes
independent of its depth, so the 404 page works at any address. Output paths are checked to stay
inside the output folder whatever a slug says.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

SECTIONS = {"paper": "papers", "author": "authors", "mechanism": "mechanisms", "tag": "tags"}

SAFE_SCHEMES = ("http://", "https://", "ftp://")

STATIC = "static/"
"""Assets copied from templates/static/ (stylesheet, scripts, favicon)."""
SEARCH_PAGE = "search/"
"""The search page (Pagefind's UI over the bundle)."""
SEARCH_BUNDLE = "pagefind/"
"""The search bundle the build's search step writes; the search page loads it from here."""
FEED = "feed.xml"
"""An Atom feed's file name, at the site root and in each author's and mechanism's folder."""
PAPER_INDEX = "papers/index.json"
"""The data the papers index filters in the browser."""
GRAPH = "graph.json"
EXPORTS = "exports/"
"""The whole library's downloads."""
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


class UnsafePathError(ValueError):
    """A site path that would land outside the output folder."""


def rel_url(kind: str, slug: str = "") -> str:
    """Site-relative URL of a page ("papers/x/"), or of a section index when slug is empty."""
    if kind == "home":
        return ""
    if kind == "page":
        return f"{slug}/"
    section = SECTIONS[kind]
    return f"{section}/{slug}/" if slug else f"{section}/"


def absolute(base_url: str, rel: str) -> str:
    """The URL a browser follows: base URL ("/" or "/repo/") + site-relative path."""
    return base_url + rel.lstrip("/")


def full(site_url: str, rel: str) -> str:
    """The absolute URL of a site-relative path where the site is published ("https://…/repo/"),
    for feeds, the sitemap and citation metadata; "" when the site's URL is not known."""
    return site_url + rel.lstrip("/") if site_url else ""


def asset_rel(name: str) -> str:
    """A file of templates/static/ ("style.css" → "static/style.css")."""
    return STATIC + name


def feed_rel(kind: str = "home", slug: str = "") -> str:
    """The Atom feed of the site (kind "home") or of an author's or mechanism's page."""
    return rel_url(kind, slug) + FEED


def download_rel(slug: str, extension: str) -> str:
    """A paper's own .bib or .ris file, next to its page."""
    return f"{rel_url('paper', slug)}{slug}.{extension}"


def library_rel(name: str) -> str:
    """One of the whole library's downloads ("library.bib")."""
    return EXPORTS + name


def output_path(rel: str) -> str:
    """The file a site-relative URL is served from: directories get index.html."""
    if rel == "" or rel.endswith("/"):
        return rel + "index.html"
    return rel


def safe_join(root: Path, rel: str) -> Path:
    """root / rel, refusing absolute paths, '..' and anything that resolves outside root
    (a symlinked folder inside the output included)."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in rel or not pure.parts:
        raise UnsafePathError(f"refusing to write {rel!r}: outside the output folder")
    target = root.joinpath(*pure.parts)
    existing = target.parent
    while existing != root and not existing.exists():  # folders still to be made are made real
        existing = existing.parent
    if not _resolved(existing).is_relative_to(_resolved(root)) or target.is_symlink():
        raise UnsafePathError(f"refusing to write {rel!r}: outside the output folder")
    return target


_RESOLVED: dict[Path, Path] = {}


def _resolved(folder: Path) -> Path:
    """Existing folders resolved once per process: a build writes thousands of files into them."""
    cached = _RESOLVED.get(folder)
    if cached is None:
        cached = _RESOLVED[folder] = folder.resolve()
    return cached


def safe_external(url: str) -> str | None:
    """An external link only when its scheme is a web one: never javascript:, data: or vbscript:."""
    url = url.strip()
    return url if url.lower().startswith(SAFE_SCHEMES) else None


def doi_url(doi: str) -> str:
    """The resolver link; a DOI may hold "#", "?" or "<", which must not end the path."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-~")
