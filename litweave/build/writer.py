"""Writing the built site: render only what changed, stage it, prune stale files.

A manifest (`site/.litweave-manifest.json`) records, for every file the last build produced,
its fingerprint (a hash of everything the page shows, its templates, the settings and the
litweave version) and the hash of its bytes; it also records the base URL and the digest of the
build's inputs. An output whose fingerprint is unchanged and whose file is still there is not
rendered at all; one that renders to the bytes already on disk is not rewritten; a path the
manifest lists but this build no longer produces is deleted (Lektor's prune), so removing a
paper removes its page. Files the manifest does not list (a CNAME, a .nojekyll the user put
there) are left alone, never replaced (each new site carries them over). Rendering streams into
the files, so the site is never held in memory, and runs in worker processes when there is enough
of it. Changed files are written into the next site, made beside the output folder and swapped in
whole when the build commits
(build/staging.py): a build killed midway leaves the site as it was, or as it would have been.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from litweave.build.staging import stage_chunks
from litweave.urls import safe_join
from litweave.wording import plural

MANIFEST = ".litweave-manifest.json"


@dataclass(slots=True)
class WriteReport:
    """What a build did to the output folder."""

    written: list[str] = field(default_factory=list)
    rendered: int = 0
    """Outputs rendered (a rendered output whose bytes did not change is not written)."""
    unchanged: int = 0
    pruned: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Manifest:
    """What the last build left in the output folder."""

    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Site path → (fingerprint, sha256 of the bytes)."""
    base_url: str = ""
    inputs: str = ""
    """Digest of every input of the build; equal inputs and every file present: nothing to do."""
    diagnostics: list[list[object]] = field(default_factory=list)
    """The warnings of that build, printed again by a build that finds nothing to do."""

    @classmethod
    def read(cls, out: Path) -> Manifest:
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            return cls()
        files: dict[str, tuple[str, str]] = {}
        for path, value in data["files"].items():
            if isinstance(value, list) and len(value) == 2:
                files[str(path)] = (str(value[0]), str(value[1]))
            else:  # an older manifest: bytes hash only, so every page is rendered once more
                files[str(path)] = ("", str(value))
        diagnostics = data.get("diagnostics")
        return cls(
            files,
            str(data.get("base_url") or ""),
            str(data.get("inputs") or ""),
            diagnostics if isinstance(diagnostics, list) else [],
        )

    def stage(self, out: Path) -> None:
        """Write the manifest into the next site (build/staging.py), with the build's other files."""
        data = {
            "base_url": self.base_url,
            "inputs": self.inputs,
            "diagnostics": self.diagnostics,
            "files": self.files,
        }
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        stage_chunks(out, MANIFEST, ((text + "\n").encode("utf-8"),))

    def all_present(self, out: Path) -> bool:
        """Whether every file the manifest lists is still there (one stat each, no Path objects:
        this runs over every output on every build)."""
        isfile, prefix = os.path.isfile, str(out) + os.sep
        return all(isfile(prefix + path) for path in self.files)


class OutputConflict(ValueError):
    """Two outputs that would land on the same file, or a file where a folder must be."""


def check_paths(paths: Iterable[str]) -> None:
    """Refuse, before anything is written, paths that are not plain, repeated paths, and a file
    that would stand where another output needs a folder ("graph.json" vs "graph.json/index.html")."""
    files: set[str] = set()
    folders: set[str] = set()
    for path in paths:
        parts = path.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise OutputConflict(f"output path {path!r} is not a plain relative path")
        if path in files:
            raise OutputConflict(f"two outputs claim {path!r}")
        if path in folders:
            raise OutputConflict(f"{path!r} is needed both as a file and as a folder")
        files.add(path)
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in files:
                raise OutputConflict(f"{folder!r} is needed both as a file and as a folder")
            folders.add(folder)


@dataclass(frozen=True, slots=True)
class Job:
    """One output to bring up to date."""

    path: str
    fingerprint: str
    produce: Callable[[], bytes | Iterator[bytes]]
    group: str = ""
    """The template it renders through: the first job of each group is rendered before any file
    is written, so that a template which fails to render fails the build with site/ untouched."""


def write_one(out: Path, job: Job, old_sha: str | None) -> tuple[str, bool]:
    """Render one output and write it unless the file already holds those bytes: (sha, written)."""
    return store(out, job.path, job.produce(), old_sha)


def store(out: Path, path: str, data: bytes | Iterator[bytes], old_sha: str | None) -> tuple[str, bool]:
    """Stage rendered bytes unless the file already holds them: (sha, written). Chunks (a large
    data file) are streamed to disk, and written whenever their output was re-planned. Nothing
    is written into `out` itself: the next site is made beside it (build/staging.py)."""
    target = safe_join(out, path)
    if not isinstance(data, bytes):
        return stage_chunks(out, path, data), True
    sha = hashlib.sha256(data).hexdigest()
    if old_sha is None:  # nothing recorded (a clean build): what is on disk decides
        try:
            if target.read_bytes() == data:
                return sha, False
        except OSError:
            pass
    elif sha == old_sha and target.is_file():
        return sha, False
    stage_chunks(out, path, (data,))
    return sha, True


RunJobs = Callable[[Path, Sequence[Job], dict[str, tuple[str, str]] | None], list[tuple[str, bool]]]
"""Runs jobs (in this process or a pool) given the last build's files, or None to compare with the disk."""


def run_serially(out: Path, jobs: Sequence[Job], old: dict[str, tuple[str, str]] | None) -> list[tuple[str, bool]]:
    return [write_one(out, job, None if old is None else old.get(job.path, ("", ""))[1]) for job in jobs]


WRITERS = 2
"""Threads that write while this one renders: creating files is system calls, which let go of
the interpreter, so rendering and writing overlap in one process."""
_PENDING = 64
"""Rendered pages waiting for a writer at most: memory stays bounded."""


def run_overlapped(
    out: Path,
    jobs: Sequence[Job],
    old: dict[str, tuple[str, str]] | None,
    advance: Callable[[int], None] | None = None,
) -> list[tuple[str, bool]]:
    """Render in this thread, write in WRITERS threads: for a large site, as fast as worker
    processes on a disk that creates files one at a time, without copying the build's memory
    into each of them."""
    from concurrent.futures import Future, ThreadPoolExecutor
    from threading import BoundedSemaphore

    slots = BoundedSemaphore(_PENDING)
    futures: list[Future[tuple[str, bool]]] = []

    def write(path: str, data: bytes | Iterator[bytes], old_sha: str | None) -> tuple[str, bool]:
        try:
            return store(out, path, data, old_sha)
        finally:
            slots.release()
            if advance is not None:
                advance(1)

    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="litweave-write") as pool:
        for job in jobs:
            data = job.produce()
            slots.acquire()
            old_sha = None if old is None else old.get(job.path, ("", ""))[1]
            futures.append(pool.submit(write, job.path, data, old_sha))
    return [f.result() for f in futures]


def write_site(
    out: Path,
    jobs: Sequence[Job],
    manifest: Manifest,
    *,
    clean: bool = False,
    run: RunJobs = run_serially,
    present: bool = False,
) -> tuple[WriteReport, dict[str, tuple[str, str]]]:
    """Bring `out` up to date with `jobs` (already path-checked); the new manifest's files.
    `present`: the caller has just checked that every file of the manifest is there."""
    report = WriteReport()
    old = manifest.files  # read even when clean: stale files must still be pruned
    new: dict[str, tuple[str, str]] = {}
    todo: list[Job] = []
    isfile, prefix = os.path.isfile, str(out) + os.sep
    for job in jobs:
        before = old.get(job.path)
        if not clean and before is not None and before[0] == job.fingerprint and (present or isfile(prefix + job.path)):
            new[job.path] = before
            report.unchanged += 1
        else:
            todo.append(job)
    refuse_foreign(out, (job.path for job in todo if job.path not in old))
    todo = _probe(todo)
    results = run(out, todo, None if clean else old)
    for job, (sha, written) in zip(todo, results, strict=True):
        new[job.path] = (job.fingerprint, sha)
        report.rendered += 1
        if written:
            report.written.append(job.path)
        else:
            report.unchanged += 1
    report.pruned = stale(out, set(old) - set(new))
    return report, new


def refuse_foreign(out: Path, paths: Iterable[str]) -> None:
    """Refuse, before anything is rendered, to replace a file the manifest does not list: litweave
    did not write it (a person put it there), so it is not the build's to overwrite."""
    if not os.path.isdir(out):
        return
    prefix = str(out) + os.sep
    found = [path for path in paths if os.path.lexists(prefix + path)]
    if found:
        more = f" and {plural(len(found) - 1, 'other file')}" if len(found) > 1 else ""
        them = "them" if more else "it"
        raise OutputConflict(
            f"{found[0]}{more} would be replaced, but the build did not write {them} (its manifest, {MANIFEST}, "
            f"does not list {them}): move {them} out of the output folder (or empty the folder, if litweave "
            "built all of it) and build again"
        )


def _probe(todo: Sequence[Job]) -> list[Job]:
    """Render the first job of each template now (kept for the write) so template errors come first."""
    probed = list(todo)
    seen: set[str] = set()
    for i, job in enumerate(todo):
        if job.group and job.group not in seen:
            seen.add(job.group)
            data = job.produce()
            probed[i] = Job(job.path, job.fingerprint, lambda data=data: data, job.group)  # type: ignore[misc]
    return probed


def stale(out: Path, paths: set[str]) -> list[str]:
    """Outputs no longer produced that are still there, to delete when the build commits."""
    found: list[str] = []
    for path in sorted(paths):
        try:
            target = safe_join(out, path)
        except ValueError:
            continue
        if target.is_file():
            found.append(path)
    return found
