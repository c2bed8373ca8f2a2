"""Writing the built site: only what changed, atomically, and stale files pruned.

A manifest (`site/.litweave-manifest.json`) records the hash of every file the last build wrote.
An output whose bytes hash the same as last time and whose file is still there is not rewritten,
so a second build writes nothing; a path the manifest lists but this build no longer produces is
deleted (Lektor's prune), so removing a paper removes its page. Files the manifest does not list
(a CNAME, a .nojekyll the user put there) are left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from litweave.atomic import write_bytes, write_text
from litweave.site.views import Output
from litweave.urls import safe_join

MANIFEST = ".litweave-manifest.json"


@dataclass(slots=True)
class WriteReport:
    """What a build did to the output folder."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    pruned: list[str] = field(default_factory=list)


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


class OutputConflict(ValueError):
    """Two outputs that would land on the same file, or a file where a folder must be."""


def check_outputs(outputs: Iterable[Output]) -> None:
    """Refuse, before anything is written, paths that are not plain, repeated paths, and a file
    that would stand where another output needs a folder ("graph.json" vs "graph.json/index.html")."""
    files: set[str] = set()
    folders: set[str] = set()
    for output in outputs:
        parts = output.path.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise OutputConflict(f"output path {output.path!r} is not a plain relative path")
        if output.path in files:
            raise OutputConflict(f"two outputs claim {output.path!r}")
        if output.path in folders:
            raise OutputConflict(f"{output.path!r} is needed both as a file and as a folder")
        files.add(output.path)
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in files:
                raise OutputConflict(f"{folder!r} is needed both as a file and as a folder")
            folders.add(folder)


def write_site(out: Path, outputs: Iterable[Output], clean: bool = False) -> WriteReport:
    """Write outputs under `out`, skipping unchanged files and pruning stale ones."""
    report = WriteReport()
    outputs = list(outputs)
    check_outputs(outputs)
    out.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(out)  # read even when clean: stale files must still be pruned
    new: dict[str, str] = {}
    for output in outputs:
        target = safe_join(out, output.path)
        digest = hashlib.sha256(output.data).hexdigest()
        new[output.path] = digest
        if not clean and old.get(output.path) == digest and target.is_file():
            report.unchanged += 1
            continue
        write_bytes(target, output.data)
        report.written.append(output.path)
    for stale in sorted(set(old) - set(new)):
        try:
            target = safe_join(out, stale)
        except ValueError:
            continue
        if target.is_file():
            target.unlink()
            report.pruned.append(stale)
            parent = target.parent
            while parent != out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    manifest = json.dumps({"files": dict(sorted(new.items()))}, indent=0, sort_keys=True) + "\n"
    write_text(out / MANIFEST, manifest)
    return report
