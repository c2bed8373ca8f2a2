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


Known = dict[str, tuple[tuple[int, int], SourceFile]]
"""A long-running process's last scan: path → ((mtime, size), file), to skip re-reading."""


def scan_content(content_dir: Path, root: Path, known: Known | None = None) -> list[SourceFile]:
    """Every page file under content/, sorted by path so that output order never depends on the disk.

    With `known` (the dev server's last scan), a file whose modification time and size are
    unchanged is not read again; every other caller reads every file, so nothing rests on
    timestamps.
    """
    files: list[SourceFile] = []
    prefix = content_dir.relative_to(root).as_posix() if content_dir.is_relative_to(root) else content_dir.as_posix()
    for folder, kind in KIND_DIRS.items():
        base = content_dir / folder
        try:
            entries = sorted(
                (e for e in os.scandir(base) if e.name.endswith(".md") and e.is_file()), key=lambda e: e.name
            )
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            rel = f"{prefix}/{folder}/{entry.name}"
            if known is not None:
                st = entry.stat()
                stamp = (st.st_mtime_ns, st.st_size)
                hit = known.get(rel)
                if hit is not None and hit[0] == stamp:
                    files.append(hit[1])
                    continue
            data = (base / entry.name).read_bytes()
            source = SourceFile(rel, kind, data, hashlib.blake2b(data, digest_size=16).hexdigest())
            if known is not None:
                known[rel] = (stamp, source)
            files.append(source)
    if known is not None:
        for rel in set(known) - {f.rel for f in files}:
            del known[rel]
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
