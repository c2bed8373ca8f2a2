"""What a build reads first, and what a long-running process keeps between builds.

`scan` reads the knowledge base (every content file hashed, the templates, the static files,
the settings, the last manifest) into `Inputs`; `BuildState` is what `litweave serve` keeps warm:
the stage-1 cache, the compiled matcher, the last join, the last scan, the compiled templates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from litweave.build.cache import PageCache, Relations, code_version
from litweave.build.render import TemplateSet, template_folders
from litweave.build.writer import Manifest
from litweave.config import Config
from litweave.content import Known, SourceFile, scan_content
from litweave.mechanisms.matcher import Matcher
from litweave.site.views import Settings

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(slots=True)
class BuildState:
    """What a long-running process (`litweave serve`) keeps warm between builds."""

    cache: PageCache | None = None
    matcher: tuple[str, Matcher] | None = None
    relations: Relations | None = None
    known: Known | None = None
    """The last scan of content/, to skip re-reading unchanged files; None outside the dev server."""
    quiet: bool = False
    """No progress line, even on a terminal (`--quiet`, and the dev server)."""
    environment: tuple[str, Environment] | None = None
    """The compiled templates, for as long as the templates folder hashes the same."""


@dataclass(slots=True)
class Inputs:
    """What one build reads before it joins anything."""

    version: str
    settings: Settings
    sources: list[SourceFile]
    templates: TemplateSet
    static: list[tuple[str, bytes]]
    """Files copied into the site as they are: the static assets and the CNAME file."""
    manifest: Manifest
    salt: str
    """Digest of litweave's version, the settings, the templates and the static files: while it is
    unchanged the last join may be reused (the fast path)."""
    digest: str
    """`salt` and every content file's digest: while it is unchanged there is nothing to build."""


def scan(config: Config, state: BuildState) -> Inputs:
    version = code_version()
    sources = scan_content(config.content, config.root, state.known)
    folders = template_folders(config)
    templates = TemplateSet(folders)
    static = static_files(folders) + custom_domain(config)
    settings = Settings(config.title, config.description, config.base_url, config.site_url)
    salt = salt_of(version, settings, templates, static)
    digest = inputs_digest(salt, sources)
    return Inputs(version, settings, sources, templates, static, Manifest.read(config.output), salt, digest)


def static_files(folders: Sequence[Path]) -> list[tuple[str, bytes]]:
    """The `static/` assets of the template folders, merged file by file: the first folder that
    holds a file gives it (a local `templates/static/style.css` overrides the packaged one, and
    every other asset still comes from the package)."""
    found: dict[str, bytes] = {}
    for folder in reversed(folders):
        static = folder / "static"
        if static.is_dir():
            for p in static.rglob("*"):
                if p.is_file():
                    found["static/" + p.relative_to(static).as_posix()] = p.read_bytes()
    return sorted(found.items())


CNAME = "CNAME"


def custom_domain(config: Config) -> list[tuple[str, bytes]]:
    """A custom domain's `CNAME` file (GitHub Pages and other hosts read it from the site's root):
    `content/CNAME`, else `CNAME` at the knowledge base's root, copied to the site by every build.
    It is an output like the static assets, so pruning never removes it while its source exists."""
    for path in (config.content / CNAME, config.root / CNAME):
        if path.is_file():
            return [(CNAME, path.read_bytes())]
    return []


def salt_of(version: str, settings: Settings, templates: TemplateSet, static: Sequence[tuple[str, bytes]]) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((version, settings)).encode("utf-8"))
    h.update(templates.digest_all().encode("utf-8"))
    for path, data in static:
        h.update(path.encode("utf-8") + b"\x00" + hashlib.blake2b(data, digest_size=16).digest())
    return h.hexdigest()


def inputs_digest(salt: str, sources: Sequence[SourceFile]) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(salt.encode("utf-8"))
    for s in sources:
        h.update(f"{s.rel}\x00{s.digest}\x00".encode())
    return h.hexdigest()
