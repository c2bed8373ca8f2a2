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
from litweave.build.render import TemplateSet
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
    manifest: Manifest
    salt: str
    """Digest of litweave's version, the settings, the templates and the static files: while it is
    unchanged the last join may be reused (the fast path)."""
    digest: str
    """`salt` and every content file's digest: while it is unchanged there is nothing to build."""


def scan(config: Config, state: BuildState) -> Inputs:
    version = code_version()
    sources = scan_content(config.content, config.root, state.known)
    templates = TemplateSet(config.templates)
    static = static_files(config.templates)
    settings = Settings(config.title, config.description, config.base_url, config.site_url)
    salt = salt_of(version, settings, templates, static)
    digest = inputs_digest(salt, sources)
    return Inputs(version, settings, sources, templates, static, Manifest.read(config.output), salt, digest)


def static_files(templates: Path) -> list[tuple[str, bytes]]:
    static = templates / "static"
    if not static.is_dir():
        return []
    return [
        ("static/" + p.relative_to(static).as_posix(), p.read_bytes()) for p in sorted(static.rglob("*")) if p.is_file()
    ]


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
