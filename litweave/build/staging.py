"""Putting a build's changed outputs in place all together, or not at all.

A build does not write into the output folder while it renders: every changed output (the
manifest last) is written into a staging folder beside it (`.site.litweave-staging/` next to
`site/`, on the same file system so that moving a file is a rename). Only when every output is
rendered and written does the build commit: it writes a journal that lists the files to move in
and the stale files to delete, then moves and deletes, then removes the staging folder.

A build killed at any moment (kill -9, a power cut aside) therefore leaves either
- no journal: the output folder was not touched, it is exactly the previous build's; the staging
  folder is thrown away by the next command that reads or writes the site (a rollback), or
- a journal: the build had finished; the next command completes the moves and deletions from
  the journal (a roll forward), and the output folder is exactly what the build would have left.

`build`, `serve` and `check` recover first, before doing anything else (`recover` below). The
cost over writing in place is one journal per build that changed something, and a rename per
changed file, so a one-note rebuild stays as cheap as it was; a build that changes nothing
writes nothing, not even a staging folder. (Staging a full copy of the site of hard links and
swapping it with an atomic exchange of folders would need no recovery step, but costs a link and
a folder per file of the site on every build: some 200,000 system calls at 100,000 papers, for
a rebuild that changes one page.)

The manifest and the build caches stay consistent with the site: the manifest is one of the
moved files, and the caches are saved only after the commit. A kill between the two leaves
caches older than the site, which the next build reads as "these pages changed since" and
renders again (never the reverse, which could skip a change).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from litweave.urls import safe_join

JOURNAL = "journal.json"
"""In the staging folder, beside `files/`: its presence means the build committed."""
_UMASK = os.umask(0)
os.umask(_UMASK)
_NEW_MODE = 0o666 & ~_UMASK


def staging_dir(out: Path) -> Path:
    """The staging folder of an output folder: a hidden sibling, so on the same file system."""
    return out.parent / f".{out.name}.litweave-staging"


def staged_path(out: Path, path: str) -> Path:
    """Where the output `path` (site-relative, already checked) is written before the commit."""
    return safe_join(staging_dir(out) / "files", path)


def stage_chunks(out: Path, path: str, chunks: Iterable[bytes]) -> str:
    """Write one output into the staging folder; the sha256 of what was written. It gets the mode
    of the file it will replace (or 0666 less the umask for a new one), so a committed file keeps
    the mode the reader gave the old one."""
    import hashlib

    target = staged_path(out, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(safe_join(out, path)).st_mode)
    except OSError:
        mode = _NEW_MODE
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as handle:
        if mode != _NEW_MODE:
            os.fchmod(handle.fileno(), mode)
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


def overlay(out: Path, paths: Iterable[str], staged: set[str], name: str = "view", suffix: str = ".html") -> Path:
    """A folder showing (some of) the site as the build will leave it, for a tool that reads the
    built pages before the commit (the search indexer, one view per shard): a hard link to each
    page, the staged one if it changed, else the one in the site. Inside the staging folder, so
    it goes with it."""
    view = staging_dir(out) / ("view" if name == "view" else f"view-{name}")
    shutil.rmtree(view, ignore_errors=True)
    for path in paths:
        if not path.endswith(suffix):
            continue
        source = staged_path(out, path) if path in staged else safe_join(out, path)
        target = safe_join(view, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # no hard links here: a copy
            shutil.copyfile(source, target)
    view.mkdir(parents=True, exist_ok=True)
    return view


def commit(out: Path, moved: Iterable[str], deleted: Iterable[str]) -> None:
    """Write the journal, then put the staged files in place and delete the stale ones. `moved`
    are site paths staged by `stage_chunks`, in the order they go in (the manifest last)."""
    staging = staging_dir(out)
    moves, stale = list(moved), sorted(deleted)
    if not moves and not stale:
        shutil.rmtree(staging, ignore_errors=True)
        return
    for path in [*moves, *stale]:
        safe_join(out, path)  # a path that is not plain fails here, before anything is committed
    staging.mkdir(parents=True, exist_ok=True)
    journal = staging / JOURNAL
    temporary = staging / f"{JOURNAL}.tmp"
    temporary.write_bytes(json.dumps({"move": moves, "delete": stale}, ensure_ascii=False).encode("utf-8"))
    os.replace(temporary, journal)  # the commit point
    _apply(out, moves, stale)
    shutil.rmtree(staging)


def recover(out: Path) -> str:
    """Finish or undo a build that was killed: "" when there was nothing to do, else "completed"
    (the journal was there: its moves and deletions are done now) or "rolled back" (the staging
    folder of a build that never committed is removed; the output folder was never touched)."""
    staging = staging_dir(out)
    if not staging.is_dir():
        return ""
    try:
        data = json.loads((staging / JOURNAL).read_bytes())
        moves, stale = [str(p) for p in data["move"]], [str(p) for p in data["delete"]]
    except FileNotFoundError:
        shutil.rmtree(staging)
        return "rolled back"
    except (OSError, ValueError, KeyError, TypeError):
        # a journal is written whole and renamed into place, so a broken one is not ours to act on
        shutil.rmtree(staging)
        return "rolled back"
    _apply(out, moves, stale)
    shutil.rmtree(staging)
    return "completed"


def _apply(out: Path, moves: list[str], stale: list[str]) -> None:
    """Move staged files in and delete stale ones; each step may already be done (a second run
    after a kill during the first does what is left)."""
    for path in stale:  # first, so that a folder may take the place of a stale file
        _delete(out, path)
    made: set[Path] = set()
    for path in moves:
        try:
            source, target = staged_path(out, path), safe_join(out, path)
        except ValueError:  # not a plain path (commit refuses those): not moved, whatever the journal says
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.replace(source, target)
        except FileNotFoundError:  # moved in by the run that was killed
            pass


def _delete(out: Path, path: str) -> None:
    """Delete a stale output and the folders it leaves empty."""
    try:
        target = safe_join(out, path)
    except ValueError:
        return
    try:
        target.unlink()
    except FileNotFoundError:  # deleted by the run that was killed: its folders may be left
        pass
    except (IsADirectoryError, PermissionError):
        return
    parent = target.parent
    while parent != out:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
