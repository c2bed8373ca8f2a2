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
from litweave.render import Output
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


def write_site(out: Path, outputs: Iterable[Output], clean: bool = False) -> WriteReport:
    """Write outputs under `out`, skipping unchanged files and pruning stale ones."""
    report = WriteReport()
    out.mkdir(parents=True, exist_ok=True)
    old = {} if clean else _read_manifest(out)
    new: dict[str, str] = {}
    for output in outputs:
        if output.path in new:
            raise ValueError(f"two outputs claim {output.path!r}")
        target = safe_join(out, output.path)
        digest = hashlib.sha256(output.data).hexdigest()
        new[output.path] = digest
        if old.get(output.path) == digest and target.is_file():
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
