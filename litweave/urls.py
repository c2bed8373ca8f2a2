"""Every internal URL and output path of the site, from one place.

Sites are served from a sub-path on GitHub Pages (`/repo/`), so a URL is the base URL plus a
site-relative path, and nothing else in the code builds one by hand. Output paths are checked to
stay inside the output folder whatever a slug says.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

SECTIONS = {"paper": "papers", "author": "authors", "mechanism": "mechanisms"}

SAFE_SCHEMES = ("http://", "https://", "ftp://")


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


def output_path(rel: str) -> str:
    """The file a site-relative URL is served from: directories get index.html."""
    if rel == "" or rel.endswith("/"):
        return rel + "index.html"
    return rel


def safe_join(root: Path, rel: str) -> Path:
    """root / rel, refusing absolute paths, '..' and anything that resolves outside root."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in rel or not pure.parts:
        raise UnsafePathError(f"refusing to write {rel!r}: outside the output folder")
    target = root.joinpath(*pure.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise UnsafePathError(f"refusing to write {rel!r}: outside the output folder")
    return target


def safe_external(url: str) -> str | None:
    """An external link only when its scheme is a web one: never javascript:, data: or vbscript:."""
    url = url.strip()
    return url if url.lower().startswith(SAFE_SCHEMES) else None


def doi_url(doi: str) -> str:
    return "https://doi.org/" + doi
