"""Atomic file writes: a temporary file in the target folder, then a rename.

Whoever reads the file (a browser, a second build, the reader's editor) sees the old bytes or
the new, never half of them, and a build or import killed midway leaves every file whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """UTF-8 with LF line endings whatever the platform, so output is byte-identical everywhere."""
    write_bytes(path, text.encode("utf-8"))
