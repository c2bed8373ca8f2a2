"""Reading the knowledge base: every content file under content/, as bytes with a digest, or as
parsed pages.

The I/O half of stage 1; parsing one file is `frontmatter.parse_page`, pure given its text. The
build hashes each file's bytes to look its stage-1 result up in the cache, so a file is read
once and parsed only when it changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from litweave.frontmatter import parse_page
from litweave.model import Diagnostic, Page, PageKind

KIND_DIRS: dict[str, PageKind] = {
    "papers": "paper",
    "authors": "author",
    "mechanisms": "mechanism",
    "pages": "page",
}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file as read from disk."""

    rel: str
    """Path relative to the knowledge base root, with "/" separators."""
    kind: PageKind
    data: bytes
    digest: str
    """blake2b of `data`."""


def scan_content(content_dir: Path, root: Path) -> list[SourceFile]:
    """Every page file under content/, sorted by path so that output order never depends on the disk."""
    files: list[SourceFile] = []
    prefix = content_dir.relative_to(root).as_posix() if content_dir.is_relative_to(root) else content_dir.as_posix()
    for folder, kind in KIND_DIRS.items():
        base = content_dir / folder
        try:
            names = sorted(e.name for e in os.scandir(base) if e.name.endswith(".md") and e.is_file())
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in names:
            data = (base / name).read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            files.append(SourceFile(f"{prefix}/{folder}/{name}", kind, data, digest))
    return files


def parse_source(source: SourceFile) -> tuple[Page | None, list[Diagnostic]]:
    """A content file's page, or a diagnostic naming the file (and line) when it cannot be read."""
    try:
        text = source.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic("error", f"not UTF-8 text: {exc.reason}", file=source.rel)]
    return parse_page(text, Path(PurePosixPath(source.rel)), source.kind)


def load_content(content_dir: Path, root: Path) -> tuple[list[Page], list[Diagnostic]]:
    """Every page under content/, parsed (for the commands that read the whole knowledge base once)."""
    pages: list[Page] = []
    diagnostics: list[Diagnostic] = []
    for source in scan_content(content_dir, root):
        page, found = parse_source(source)
        diagnostics.extend(found)
        if page is not None:
            pages.append(page)
    return pages, diagnostics
