"""Atomic file writes: a temporary file in the target folder, then a rename.

Whoever reads the file (a browser, a second build, the reader's editor) sees the old bytes or
the new, never half of them, and a build or import killed midway leaves every file whole.

Files get the mode any editor would give them: a new file is created with 0666 less the umask
(0644 under the usual umask 022, so a web server running as another user can read the site),
and a replaced file keeps the mode it had. The temporary name is made from the process id and a
counter rather than by `tempfile.mkstemp`, which creates its files 0600.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

_COUNTER = itertools.count()
_UMASK = os.umask(0)
os.umask(_UMASK)
_NEW_MODE = 0o666 & ~_UMASK


def write_bytes(path: Path, data: bytes) -> None:
    write_chunks(path, (data,))


def write_chunks(path: Path, chunks: Iterable[bytes]) -> str:
    """Write the chunks as one file, atomically; the sha256 of what was written. A large output
    (graph.json) is produced and written piece by piece, never held whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_COUNTER)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileExistsError:  # left by a killed process that had this pid: it is ours to replace
        tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
            except FileNotFoundError:
                mode = _NEW_MODE
            if mode != _NEW_MODE:
                os.chmod(tmp, mode)
            digest = hashlib.sha256()
            for chunk in chunks:
                digest.update(chunk)
                handle.write(chunk)
        os.replace(tmp, path)
        return digest.hexdigest()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files a killed process left in `folder` (named as `write_chunks`
    names them, by a process that no longer runs); the files removed."""
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(".") and e.name.endswith(".tmp")]
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or _running(int(match.group(1))):
            continue
        Path(entry.path).unlink(missing_ok=True)
        removed.append(Path(entry.path))
    return removed


_TEMP_NAME = re.compile(r"\..+\.(\d+)-\d+\.tmp\Z")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or unknowable: leave its file alone
    return True


def write_text(path: Path, text: str) -> None:
    """UTF-8 with LF line endings whatever the platform, so output is byte-identical everywhere."""
    write_bytes(path, text.encode("utf-8"))
