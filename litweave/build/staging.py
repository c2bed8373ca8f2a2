"""Putting a build's output in place whole: the new site is made as a complete folder beside the
old one and swapped with it in one step, so that at every moment `site/` is exactly the last
build's or exactly the new one's, for a build killed at any point and for whoever reads it.

Beside the output folder, on the same file system and never published, is the staging folder
(`.site.litweave-staging/` next to `site/`):

  tree/       the next site. Between builds it is a copy of site/ made of hard links (every file
              in it is the same file as in site/), so a build writes into it only what changed:
              a changed output is written as a new file, never through a link into one of
              site/'s files, and an output no longer produced is unlinked.
  tree.json   there only while tree/ is known to be such a copy, with the files of site/ that
              the build does not own which it holds. It is deleted before a build touches tree/
              and written again once tree/ matches the new site; a build that finds none (the
              last one was killed) makes tree/ match site/ by walking both, file by file, and
              comparing inodes.
  run-<pid>/  one build's scratch: the views of the site Pagefind reads and the bundles it
              writes. The build removes it; the next build removes any a killed one left.
  lock        held (flock) by the build that runs, so that two builds never share tree/.

The commit is one system call: on Linux `renameat2(RENAME_EXCHANGE)` swaps tree/ and site/, so
site/ stays a real folder (GitHub Pages' upload step, `python -m http.server -d site` and any
server that serves the folder by its path see the old tree or the new one, request by
request). The old site is then tree/, and the paths the build changed are linked into it again
from the new one, so the next build starts from a copy of site/ and pays only for its own
changes. Where the exchange is not available (another system, a file system without it) the
swap is two renames, site/ → old/ and tree/ → site/, with a marker that the next command reads
to finish a swap cut between them; site/ is then missing for that moment, never mixed.

What it costs: a build writes its changed files and links them once more after the swap (one
link each), walks site/ once to find the files it does not own (a CNAME, a .nojekyll put there
by hand: each is carried into the new site), and swaps. The first build into an existing site/
(or after tree/ was deleted) links every file once to make tree/; a build that changes nothing
touches nothing. Staging a fresh copy of the site for every build would cost a link and a folder
per file of the site instead, even for a one-note rebuild (see the README, "How it works").
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from litweave.atomic import write_bytes
from litweave.build import checkpoints
from litweave.urls import safe_join

TREE = "tree"
KNOWN = "tree.json"
SCRATCH_PREFIX = "run-"
LOCK = "lock"
OLD = "old"
SWAPPING = "swapping"
"""The two-rename swap is under way (only where folders cannot be exchanged in one step)."""
_OURS = {TREE, KNOWN, LOCK}
RECOVERED = {
    "completed": "the new site it had made was put in place as {site}/",
    "cleared": "{site}/ was left whole; what that build left beside it is cleared",
}
"""What `recover` found, said to the reader (`{site}` is the output folder's name)."""
_UMASK = os.umask(0)
os.umask(_UMASK)
_NEW_MODE = 0o666 & ~_UMASK
_AS_IS = {"follow_symlinks": False} if os.link in os.supports_follow_symlinks else {}
"""A symbolic link in site/ is linked as itself, not as what it points to (where the system can)."""
_LINKED_EVERY = 500
"""A checkpoint every this many files linked (build/checkpoints.py)."""


def staging_dir(out: Path) -> Path:
    """The staging folder of an output folder: a hidden sibling, so on the same file system."""
    return out.parent / f".{out.name}.litweave-staging"


def tree_dir(out: Path) -> Path:
    return staging_dir(out) / TREE


def staged_path(out: Path, path: str) -> Path:
    """Where the output `path` (site-relative) of the build under way is, or is written."""
    return safe_join(tree_dir(out), path)


def stage_chunks(out: Path, path: str, chunks: Iterable[bytes]) -> str:
    """Write one output into the next site (tree/); the sha256 of what was written. The file is
    created anew, never written through a link into site/; it gets the mode of the file it
    replaces (0666 less the umask for a new one), so a committed file keeps the mode the reader
    gave the old one."""
    import hashlib

    target = staged_path(out, path)
    try:
        mode = stat.S_IMODE(os.stat(os.path.join(out, path)).st_mode)
    except OSError:
        mode = _NEW_MODE
    fd = _create(tree_dir(out), target)
    with os.fdopen(fd, "wb") as handle:
        if mode != _NEW_MODE:
            os.fchmod(handle.fileno(), mode)
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


def _create(tree: Path, target: Path) -> int:
    """A new file at `target` in tree/, opened for writing: what stood there is unlinked first
    (most often a link to site/'s own file, which must keep its bytes), a folder of the old tree
    where the file must be is removed, and missing folders are made (two system calls when the
    folder is there)."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except NotADirectoryError:  # a file of the old tree where a folder must now be
        _make_folders(tree, target.parent)
    except (IsADirectoryError, PermissionError):
        if not target.is_dir() or target.is_symlink():
            raise
        shutil.rmtree(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        return os.open(target, flags, 0o666)
    except (FileNotFoundError, NotADirectoryError):
        _make_folders(tree, target.parent)
        return os.open(target, flags, 0o666)


def _make_folders(tree: Path, folder: Path) -> None:
    """`folder` (inside `tree`) and the folders above it made; a file of tree/ standing where one
    of them must be is removed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    above = tree
    for part in folder.relative_to(tree).parts:
        above = above / part
        if os.path.islink(above) or (os.path.lexists(above) and not os.path.isdir(above)):
            os.unlink(above)
            break
    folder.mkdir(parents=True, exist_ok=True)


def overlay(out: Path, scratch: Path, paths: Iterable[str], name: str, suffix: str = ".html") -> Path:
    """A folder holding some of the next site's pages, for a tool that must read only those (the
    search indexer, one view per shard): a hard link to each, in the build's scratch folder."""
    tree = tree_dir(out)
    view = scratch / f"view-{name}"
    shutil.rmtree(view, ignore_errors=True)
    for path in paths:
        if not path.endswith(suffix):
            continue
        target = safe_join(view, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = safe_join(tree, path)
        try:
            os.link(source, target)
        except OSError:  # no hard links here: a copy
            shutil.copyfile(source, target)
    view.mkdir(parents=True, exist_ok=True)
    return view


@dataclass(slots=True)
class Known:
    """tree/ as the last build left it: a copy of site/, holding these files of site/ that the
    build does not own (the ones it carried over)."""

    unlisted: list[str] = field(default_factory=list)
    plain: bool = True
    """No symbolic link among them: no folder of tree/ can lead out of it."""

    @classmethod
    def read(cls, path: Path) -> Known | None:
        try:
            data = json.loads(path.read_bytes())
            return cls([str(p) for p in data["unlisted"]], data["plain"] is True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, path: Path) -> None:
        data = {"unlisted": sorted(self.unlisted), "plain": self.plain}
        write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


class StagingError(ValueError):
    """The output folder cannot be replaced as a whole where it is."""


Unlisted = dict[str, int]
"""A file of site/ the build does not own → its inode (0 for an empty folder)."""


class Staging:
    """One build's use of the staging folder, under its lock (`open_staging`)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.folder = staging_dir(out)
        self.tree = self.folder / TREE
        self.scratch = self.folder / f"{SCRATCH_PREFIX}{os.getpid()}"
        self.known: Known | None = None
        self.begun = False
        self.unlisted: Unlisted = {}
        self.walk: Future[Unlisted] | None = None
        self.written: set[str] = set()
        self.plain = True
        """No symbolic link was carried into tree/ (the usual case): its paths need no checking."""

    def begin(self) -> None:
        """Before anything is written into tree/: what is known of it is read, and forgotten on
        disk, since from now on tree/ is no longer a copy of site/ until the commit."""
        if self.begun:
            return
        if os.path.isdir(self.out) and os.stat(self.out).st_dev != os.stat(self.folder).st_dev:
            raise StagingError(
                f"{self.out.name}/ is a mount point (or on another file system than the folder it is in): "
                "a build replaces it as a whole by renaming a folder beside it; mount the folder above it instead"
            )
        self.begun = True
        known = self.folder / KNOWN
        self.known = Known.read(known) if self.tree.is_dir() else None
        known.unlink(missing_ok=True)
        self.tree.mkdir(parents=True, exist_ok=True)
        _copy_mode(self.out, self.tree)

    def fill(self, listed: set[str], written: set[str], pruned: Iterable[str], carried: Iterable[str] | None) -> None:
        """Make tree/ the new site but for what is still to be written into it: every output of
        site/ this build did not write is there, and the outputs no longer produced go.
        `listed`: the outputs of the last build (the manifest's files); a file of site/ not among
        them is someone else's and is carried over by `carry`: all of them, found by walking
        site/ (`carried` None; the walk runs in a thread meanwhile, during the search step), or
        the ones named (the dev server's own folder holds no others)."""
        self.begin()
        self.written = written
        if self.known is None:
            self.unlisted = _mirror(self.out, self.tree, listed, written)
            self.plain = not any(os.path.islink(self.out / p) for p in self.unlisted)
        elif not os.path.isdir(self.out):
            self.unlisted = {}
        elif carried is None:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(1, thread_name_prefix="litweave-walk")
            self.walk = pool.submit(_unlisted, self.out, listed)
            pool.shutdown(wait=False)  # the walk goes on; `carry` waits for it
        else:
            self.unlisted = {p: _inode(self.out / p) for p in carried if os.path.lexists(self.out / p)}
        if self.known is not None:
            self.plain = self.known.plain  # what tree/ holds until `carry`
        self.remove(pruned)
        checkpoints.reached("filled")

    def carry(self) -> None:
        """The files of site/ that are not the build's, linked into tree/ (and the ones taken out
        of site/ since the last build, out of it)."""
        if self.known is None or not os.path.isdir(self.out):
            return  # `_mirror` made tree/ match site/ whole, or there is no site/ yet
        if self.walk is not None:
            self.unlisted = self.walk.result()
        plain = self.known.plain and not any(os.path.islink(self.out / p) for p in self.unlisted)
        for path in self.known.unlisted:  # taken out of site/ since: out of tree/ too
            if path not in self.unlisted and path not in self.written:
                _match(self.out, self.tree, path, plain)
        for path, inode in self.unlisted.items():
            if path in self.written or not (plain or _inside(self.tree, path)):
                continue
            target = self.tree / path
            if inode == 0:
                target.mkdir(parents=True, exist_ok=True)
            elif not os.path.lexists(target) or _inode(target) != inode:
                _link(str(self.out / path), self.tree, path)
        self.plain = not any(os.path.islink(self.out / p) for p in self.unlisted)
        checkpoints.reached("carried")

    def remove(self, paths: Iterable[str]) -> None:
        """Outputs no longer produced, out of tree/ (and the folders they leave empty)."""
        for path in paths:
            if self.plain or _inside(self.tree, path):
                _remove(self.tree, path)

    def commit(self, changed: Iterable[str]) -> None:
        """Put tree/ in place of site/ in one step, then bring the old site (now tree/) up to
        date with the new one at the paths the build `changed`, for the next build."""
        changed = sorted(set(changed))
        self.begin()
        self.carry()
        checkpoints.reached("swap")
        if not os.path.lexists(self.out):
            os.rename(self.tree, self.out)  # the first build: nothing to swap with
            checkpoints.reached("swapped")
            self.known = None
            self.tree.mkdir()
            _mirror(self.out, self.tree, set(), set())  # the copy the next build starts from
            unlisted = self.unlisted
        else:
            _swap(self.tree, self.out)
            checkpoints.reached("swapped")
            for i, path in enumerate(changed, 1):
                _match(self.out, self.tree, path, self.plain)
                if i % _LINKED_EVERY == 0:
                    checkpoints.reached("caught-up")
            unlisted = self.unlisted
        Known(sorted(unlisted), self.plain).write(self.folder / KNOWN)
        checkpoints.reached("committed")


@contextmanager
def open_staging(out: Path) -> Iterator[tuple[Staging, str]]:
    """The staging folder of `out`, locked for one build, with what `recover` found."""
    folder = staging_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder, wait=False) as held:
        if not held:
            print(f"litweave: waiting for another build of {out.name}/ to end", file=sys.stderr, flush=True)
    with _locked(folder, wait=True):
        stage = Staging(out)
        found = _recover(out)
        try:
            yield stage, found
        finally:
            shutil.rmtree(stage.scratch, ignore_errors=True)


def recover(out: Path) -> str:
    """What a command that reads site/ (check) does first: finish a two-rename swap a killed
    build left half done, and clear what a killed build left in the staging folder. "" when
    there was nothing to do, "completed" when site/ had to be put in place, "cleared" when only
    leftovers were removed. Nothing is done while a build holds the lock: its folders are its own."""
    folder = staging_dir(out)
    if not folder.is_dir():
        return ""
    with _locked(folder, wait=False) as held:
        return _recover(out) if held else ""


def _recover(out: Path) -> str:
    folder = staging_dir(out)
    tree, old = folder / TREE, folder / OLD
    done = ""
    if (folder / SWAPPING).exists():
        if not os.path.lexists(out) and tree.is_dir():
            os.rename(tree, out)
        if old.is_dir() and not tree.exists():
            os.rename(old, tree)
        (folder / SWAPPING).unlink()
        done = "completed"
    for entry in os.scandir(folder):
        if entry.name in _OURS:
            continue
        # a killed build's scratch, a stale old/, or the layout of an older litweave
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
        done = done or "cleared"
    # a tree/ without tree.json (a build killed after it began writing) is kept: the next build
    # that writes matches it to site/, which costs less than making it again
    return done


@contextmanager
def _locked(folder: Path, wait: bool) -> Iterator[bool]:
    """An exclusive lock on the staging folder (released by the system if the holder dies,
    kill -9 included); yields whether it is held. Where there is no flock, no lock."""
    try:
        import fcntl
    except ImportError:
        yield True
        return
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _swap(tree: Path, out: Path) -> None:
    """tree/ becomes site/ and site/ tree/: in one step where the system can, else in two renames
    that `_recover` finishes if the build is killed between them."""
    if exchange(tree, out):
        return
    folder = tree.parent
    (folder / SWAPPING).touch()
    os.rename(out, folder / OLD)
    checkpoints.reached("halfway")
    os.rename(tree, out)
    os.rename(folder / OLD, tree)
    (folder / SWAPPING).unlink()


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276}
"""For a C library without the renameat2 wrapper (glibc before 2.28)."""


def exchange(a: Path, b: Path, *, through_syscall: bool = False) -> bool:
    """Swap two paths in one step (Linux 3.15+, `renameat2(RENAME_EXCHANGE)`), through the C
    library's wrapper or, where it has none (or `through_syscall`), the system call itself;
    False where neither the system nor the file system can."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import platform

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    wrapper = None if through_syscall else getattr(libc, "renameat2", None)
    if wrapper is not None:
        wrapper.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        wrapper.restype = ctypes.c_int
        result = wrapper(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    else:
        number = _SYS_RENAMEAT2.get(platform.machine())
        if number is None:
            return False
        libc.syscall.restype = ctypes.c_long
        result = libc.syscall(
            ctypes.c_long(number),
            ctypes.c_int(_AT_FDCWD),
            ctypes.c_char_p(os.fsencode(a)),
            ctypes.c_int(_AT_FDCWD),
            ctypes.c_char_p(os.fsencode(b)),
            ctypes.c_uint(_RENAME_EXCHANGE),
        )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _inode(path: Path | str) -> int:
    return os.lstat(path).st_ino


def _copy_mode(source: Path, target: Path) -> None:
    """The new site's folder gets the old one's mode (a reader may have opened it to a server)."""
    try:
        mode = stat.S_IMODE(os.stat(source).st_mode)
        if stat.S_IMODE(os.stat(target).st_mode) != mode:
            os.chmod(target, mode)
    except OSError:
        pass


def _link(source: str, tree: Path, path: str, fresh: bool = False) -> bool:
    """tree/`path` becomes the same file as `source` (a copy where hard links are not possible):
    a link made beside it and renamed over it, so that the folder never lacks the file (two
    system calls); `fresh`: nothing is there yet (one). False when `source` is no file."""
    target = os.path.join(tree, path)
    folder, name = os.path.split(target)
    made = os.path.join(folder, f".{name}.litweave-link") if not fresh else target
    for attempt in range(3):
        try:
            os.link(source, made, **_AS_IS)
            break
        except FileExistsError:
            if made == target:  # not so fresh: the two-step way after all
                made = os.path.join(folder, f".{name}.litweave-link")
            else:  # left by a build that was killed
                os.unlink(made)
        except FileNotFoundError:
            if not os.path.lexists(source):
                return False
            _make_folders(tree, Path(folder))
        except OSError as exc:
            if os.path.isdir(source) and not os.path.islink(source):
                return False
            if attempt == 2 or exc.errno not in (
                errno.EPERM,
                errno.EMLINK,
                errno.EXDEV,
                errno.ENOTSUP,
                errno.EOPNOTSUPP,
            ):
                raise
            _copy(source, made)
            break
    if made != target:
        try:
            os.replace(made, target)
        except IsADirectoryError:  # a folder of the old tree where the file must now be
            shutil.rmtree(target)
            os.replace(made, target)
    return True


def _copy(source: str, target: str) -> None:
    if os.path.islink(source):
        os.symlink(os.readlink(source), target)
    else:
        shutil.copy2(source, target)


def _inside(tree: Path, path: str) -> bool:
    """Whether tree/`path` is reached without following a symbolic link out of tree/ (checked
    only when one was carried into it)."""
    try:
        safe_join(tree, path)
    except ValueError:
        return False
    return True


def _match(out: Path, tree: Path, path: str, plain: bool = True) -> None:
    """tree/`path` made what site/`path` is: the same file, or nothing. Where tree/ may hold a
    symbolic link (`plain` False), a path through one is left alone."""
    if not plain and not _inside(tree, path):
        return
    if not _link(os.path.join(out, path), tree, path):
        _remove(tree, path)


def _remove(tree: Path, path: str) -> None:
    """Delete tree/`path`, and the folders it leaves empty."""
    target = tree / path
    try:
        target.unlink()
    except (FileNotFoundError, NotADirectoryError):
        pass
    except (IsADirectoryError, PermissionError):
        if not target.is_dir():
            raise
        try:
            target.rmdir()  # an empty folder; one that still holds something stays
        except OSError:
            return
    parent = target.parent
    while parent != tree:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def _unlisted(out: Path, listed: set[str]) -> Unlisted:
    """The files of site/ the build does not own, and its empty folders, by walking it: one
    listing per folder, no stat (the inode comes with the listing)."""
    found: Unlisted = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            empty = True
            for entry in entries:
                empty = False
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, rel + "/")
                elif rel not in listed:
                    found[rel] = entry.inode()
            if empty and prefix:
                found[prefix[:-1]] = 0

    walk(str(out), "")
    return found


def _mirror(out: Path, tree: Path, listed: set[str], written: set[str]) -> Unlisted:
    """Make tree/ hold exactly what site/ holds, but for the `written` paths, which stay as they
    are: both walked side by side, a file linked again wherever its inode differs, whatever
    site/ lacks removed. The files of site/ not in `listed`, as `_unlisted` gives them."""
    found: Unlisted = {}
    linked = 0

    def walk(source: str | None, target: str, prefix: str) -> None:
        nonlocal linked
        have = {e.name: e for e in os.scandir(source)} if source is not None else {}
        there = {e.name: e for e in os.scandir(target)} if os.path.isdir(target) else {}
        for name, entry in there.items():
            rel = prefix + name
            if name in have or rel in written:
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(None, entry.path, rel + "/")  # empties it but for the written files
                try:
                    os.rmdir(entry.path)
                except OSError:
                    pass
            else:
                os.unlink(entry.path)
        if source is not None and prefix and not have:
            found[prefix[:-1]] = 0
        for name, entry in have.items():
            rel = prefix + name
            if rel in written:
                continue
            old = there.get(name)
            path = os.path.join(target, name)
            if entry.is_dir(follow_symlinks=False):
                if old is not None and not old.is_dir(follow_symlinks=False):
                    os.unlink(path)
                    old = None
                if old is None:
                    os.mkdir(path)
                walk(entry.path, path, rel + "/")
                continue
            if rel not in listed:
                found[rel] = entry.inode()
            if old is not None and not old.is_dir(follow_symlinks=False) and old.inode() == entry.inode():
                continue
            _link(entry.path, tree, rel, fresh=old is None)
            linked += 1
            if linked % _LINKED_EVERY == 0:
                checkpoints.reached("mirrored")

    tree.mkdir(parents=True, exist_ok=True)
    walk(str(out) if os.path.isdir(out) else None, str(tree), "")
    return found
