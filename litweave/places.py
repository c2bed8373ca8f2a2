"""Where litweave may read and write: the rules every command checks before it does anything.

A command works on a knowledge base, a folder with a `litweave.toml` or a `pyproject.toml` with a
`[tool.litweave]` table; anywhere else (a home folder, /tmp, a project of another kind) it would
scatter a `site/`, a cache or a `content/papers/` among files that are not its own, so it refuses
and names `litweave init` and `--root` instead. Only `init` makes a knowledge base.

Within one, the build owns its output folder: it replaces the files it wrote and removes the ones
it no longer produces. So the output folder must be a place of its own, never the knowledge
base's folder, the content or the templates (nor inside or around them), and never a folder that
already holds files litweave did not write: it is new, empty, or it holds the manifest of an
earlier build (a build swaps its output folder in whole, manifest included: build/staging.py).
The content folder must exist: a build from a folder that is not there would read no pages and
prune every page of the site. Paths are compared once resolved, so `..` and symbolic links do not
hide that two settings name one folder.

These rules are checked by the command line for every command (`require`); the build checks
them again (`problems`) so that a build started another way cannot break them either.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from litweave.build.writer import MANIFEST
from litweave.config import Config, ConfigError, settings_files, where_set
from litweave.model import Diagnostic

MARKERS = "no litweave.toml, no [tool.litweave] in a pyproject.toml"


class NotAKnowledgeBase(ConfigError):
    """The folder a command was given holds no knowledge base."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A setting that names a place litweave may not use."""

    setting: str
    message: str
    """The whole sentence, naming the setting, its value and the file it is set in."""

    def diagnostic(self, config: Config) -> Diagnostic:
        """As the build reports it: an error of the settings file that sets it."""
        return Diagnostic("error", self.message, file=_where(config, self.setting) or "settings")


def require_knowledge_base(root: Path) -> None:
    """Raise NotAKnowledgeBase unless `root` is a knowledge base's folder, saying what to run."""
    if not root.exists():
        raise NotAKnowledgeBase(f"--root {root}: no such folder")
    if not root.is_dir():
        hint = f"; give the folder that holds it: --root {root.parent}" if root.name.endswith(".toml") else ""
        raise NotAKnowledgeBase(f"--root {root}: a file, not a folder{hint}")
    if is_knowledge_base(root):
        return
    here = root.resolve()
    above = next((p for p in here.parents if _readable(p) and is_knowledge_base(p)), None)
    if above is not None:  # inside one (content/papers/, say): a knowledge base in it is not meant
        what = f"it is inside the knowledge base {above}: run litweave there, or pass --root {above}"
    else:
        what = "run `litweave init` to make one here, or name the knowledge base's folder with --root DIR"
    raise NotAKnowledgeBase(f"{here} is not a litweave knowledge base ({MARKERS}); nothing was written; {what}")


def is_knowledge_base(root: Path) -> bool:
    """Whether `root` holds a litweave.toml or a pyproject.toml with [tool.litweave]. A settings file
    that does not parse counts: loading the settings then says what is wrong with it."""
    try:
        return any(file.table is not None for file in settings_files(root))
    except ConfigError:
        return True


def _readable(folder: Path) -> bool:
    return os.access(folder, os.R_OK | os.X_OK)


def require(config: Config) -> None:
    """Raise ConfigError with every problem of `problems`, one a line."""
    found = problems(config, foreign=True)
    if found:
        raise ConfigError("\n".join(p.message for p in found))


def problems(config: Config, *, foreign: bool) -> list[Problem]:
    """What is wrong with the places the settings name: a missing content folder, an output folder
    that is, holds or lies inside the knowledge base's folder, its content or its templates, and
    (`foreign`) one that holds files litweave did not write. The build itself leaves that last rule
    to the command line: the dev server's own folder holds its status file before a first build
    has written a manifest, and the build never replaces nor removes a file its manifest lacks."""
    found: list[Problem] = []
    root = config.root.resolve()
    content = config.content.resolve()
    if not content.is_dir():
        what = "a file, not a folder" if content.exists() else "no such folder"
        found.append(
            Problem(
                "content_dir",
                f"{_setting(config, 'content_dir')}: {_shown(content, root)}: {what}; the pages are read from "
                "there, so nothing was read or written (correct content_dir, or create the folder)",
            )
        )
    output = config.output.resolve()
    clash = _overlap(output, root, f"the knowledge base's own folder ({root})", inside_allowed=True)
    for setting, folder in (("content_dir", content), ("templates_dir", config.templates.resolve())):
        clash = clash or _overlap(output, folder, f"the folder of {_setting(config, setting)}")
    if clash:
        found.append(
            Problem(
                "output_dir",
                f"{_setting(config, 'output_dir')}: {clash}; the build writes and removes files in its output "
                "folder, so that must be a folder of its own, apart from the knowledge base's own files, its "
                'content and its templates (the default is "site")',
            )
        )
    elif output.exists():
        unusable = "" if output.is_dir() else "a file, not a folder"
        if foreign and not unusable and not owned(output):
            unusable = _foreign_files(output)
        if unusable:
            found.append(
                Problem(
                    "output_dir",
                    f"{_setting(config, 'output_dir')}: {_shown(output, root)}: {unusable}; the build writes and "
                    "removes files there, so it builds only into a new or empty folder or one it built before: "
                    "set output_dir to another folder, or move those files away",
                )
            )
    return found


def owned(folder: Path) -> bool:
    """Whether a build made `folder`: its manifest is there, as in every site a build put in place."""
    return (folder / MANIFEST).is_file()


def _foreign_files(folder: Path) -> str:
    """What a folder without a build's manifest holds, as a message; "" when it is empty."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not names:
        return ""
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3:,} more" if len(names) > 3 else "")
    return f"it already holds files litweave did not write ({listed}; no {MANIFEST} from a build)"


def _overlap(output: Path, folder: Path, what: str, *, inside_allowed: bool = False) -> str:
    """How `output` clashes with `folder`, or "" when it does not: the same folder, one inside the
    other (inside the knowledge base's own folder is where the site belongs)."""
    if output == folder:
        return f"that is {what}"
    if folder.is_relative_to(output):
        return f"that folder holds {what}"
    if output.is_relative_to(folder) and not inside_allowed:
        return f"that folder is inside {what}"
    return ""


def _shown(path: Path, root: Path) -> str:
    """A folder as messages show it: relative to the knowledge base when it is inside it."""
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return shown if path.is_file() else shown + "/"


def _where(config: Config, key: str) -> str | None:
    try:
        return where_set(config.root, key)
    except ConfigError:  # settings that do not parse were refused before a Config was made
        return None


def _setting(config: Config, key: str) -> str:
    """`output_dir = "content" (set in litweave.toml)`, or `(the default)` when no file sets it."""
    where = _where(config, key)
    value = getattr(config, key)
    return f"{key} = {json.dumps(value, ensure_ascii=False)} ({f'set in {where}' if where else 'the default'})"
