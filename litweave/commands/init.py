"""`litweave init DIR`: a new knowledge base that a reader can push to GitHub as it is.

It holds `content/papers/` (empty until the first import), `content/mechanisms/` (the starter
vocabulary that ships with litweave), `litweave.toml` (every setting, documented, with its
default), `.gitignore`, the wheel of the running litweave in `.litweave/` and `requirements.txt`,
which names it (what the publishing workflow installs: that very litweave, from the knowledge base
itself, so that the first push builds whether or not a package index has it; pinning.py), the
GitHub Pages workflow `.github/workflows/pages.yml` and a README with the next steps. No `templates/`:
the build uses the templates packaged with litweave, so a later litweave brings its new
templates along; `--templates` copies them out for editing (any one file can also be copied out
alone: a local file overrides its packaged twin, the rest still come from the package).

Everything is read from litweave's own files (`packaged.py`) and the settings file is generated
from `Config`'s field docs, so neither depends on the current folder nor drifts from the code.
An existing knowledge base is never overwritten: if any file init would write is already there,
nothing is written.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, fields, is_dataclass
from pathlib import Path

from litweave import packaged
from litweave.atomic import write_bytes
from litweave.config import Config
from litweave.own_wheel import WheelUnavailable
from litweave.pinning import REQUIREMENTS, WHEEL_DIR, Pin, PinRefused, make_pin, pin_files

WORKFLOW = ".github/workflows/pages.yml"
SETTINGS = "litweave.toml"

INSTALL_STEP = "        run: pip install -r requirements.txt\n"
"""The one line in which the workflow init writes and litweave's own repository's workflow
differ: a knowledge base installs the litweave its requirements.txt names; litweave's
repository installs itself, from the checkout."""
REPOSITORY_INSTALL_STEP = "        run: pip install -e .\n"

TOP_LEVEL = ("content", "templates", SETTINGS, ".gitignore", "README.md", REQUIREMENTS, WHEEL_DIR, WORKFLOW)
"""What init writes (templates/ only with --templates, but an existing one means a site is
already here): any of these already present and init refuses."""


class InitRefused(Exception):
    """The folder already holds a knowledge base, or files init would overwrite."""


@dataclass(frozen=True, slots=True)
class InitReport:
    root: Path
    written: list[str]
    """Every file written, relative to the knowledge base, in the order written."""
    mechanisms: int
    templates: int
    pin: Pin
    """How requirements.txt names litweave (its wheel in .litweave/, or a version on the index)."""


def workflow() -> str:
    """The GitHub Pages workflow as `init` writes it."""
    text = (packaged.starter() / "pages.yml").read_text(encoding="utf-8")
    assert text.count(INSTALL_STEP) == 1, "the packaged workflow must install from requirements.txt, once"
    return text


def repository_workflow() -> str:
    """litweave's own repository's workflow: the same, installing litweave from the checkout."""
    return workflow().replace(INSTALL_STEP, REPOSITORY_INSTALL_STEP)


def readme(title: str) -> str:
    body = (packaged.starter() / "README.md").read_text(encoding="utf-8")
    return f"# {title}\n\n{body}"


def field_docs(cls: type) -> dict[str, str]:
    """The docstring written under each field of a dataclass, by field name: the one place a
    setting is documented (Python keeps no such docstring at run time, so it is read from the
    source)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, after in zip(body, body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _default(f: object) -> object:
    default = getattr(f, "default", MISSING)
    if default is MISSING:
        factory = getattr(f, "default_factory", MISSING)
        default = factory() if factory is not MISSING else MISSING
    return default


def _toml_value(value: object) -> str:
    """A TOML value: JSON's string escapes are TOML's, so strings go through json.dumps, which
    leaves DEL as it is, a control character TOML does not allow unescaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for a setting of type {type(value).__name__}")


def _comment(doc: str) -> Iterator[str]:
    for line in doc.splitlines() or [""]:
        yield f"# {line}".rstrip()


def settings_file(title: str | None = None, settings: type = Config) -> str:
    """litweave.toml: every field of `Config` with its documentation and its default (a table
    setting, a dict or a dataclass, as a [section] at the end), loadable by `load_config` as it
    is. `title` replaces the default title."""
    docs = field_docs(settings)
    lines = [
        "# The settings of this knowledge base, read by every litweave command. Each one is set",
        "# here to its default: change what you need, delete a line to go back to the default.",
        "# An unknown name is an error, so a typo is caught rather than ignored. (The same",
        "# settings can also go under [tool.litweave] in a pyproject.toml; this file wins.)",
    ]
    tables: list[str] = []
    for f in fields(settings):
        if f.name == "root":
            continue
        value = title if f.name == "title" and title is not None else _default(f)
        doc = docs.get(f.name, "")
        if is_dataclass(value) or isinstance(value, dict):
            items = (
                {g.name: getattr(value, g.name) for g in fields(value)} if is_dataclass(value) else dict(value)  # type: ignore[arg-type]
            )
            inner = field_docs(type(value)) if is_dataclass(value) else {}
            tables += ["", *_comment(doc), f"[{f.name}]"]
            for key, item in items.items():
                tables += [*_comment(inner[key])] if key in inner else []
                tables.append(f"{key} = {_toml_value(item)}")
            continue
        lines += ["", *_comment(doc), f"{f.name} = {_toml_value(value)}"]
    return "\n".join(lines + tables) + "\n"


def _tree(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]


def planned_files(title: str, with_templates: bool, pin: Pin) -> list[tuple[str, bytes]]:
    """Every file init writes, relative to the knowledge base; the settings file last, so an
    init that fails midway leaves no litweave.toml."""
    files: list[tuple[str, bytes]] = [("content/papers/.gitkeep", b"")]
    vocabulary = packaged.vocabulary()
    files += [(f"content/mechanisms/{p.name}", p.read_bytes()) for p in sorted(vocabulary.glob("*.md"))]
    if with_templates:
        files += [(f"templates/{rel}", data) for rel, data in _tree(packaged.templates())]
    files += [
        (".gitignore", (packaged.starter() / "gitignore").read_bytes()),
        *pin_files(pin),
        (WORKFLOW, workflow().encode("utf-8")),
        ("README.md", readme(title).encode("utf-8")),
        (SETTINGS, settings_file(title).encode("utf-8")),
    ]
    return files


def existing(root: Path) -> list[str]:
    """What init would overwrite, or that says a site is already here."""
    found = [name for name in TOP_LEVEL if (root / name).exists() or (root / name).is_symlink()]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "[tool.litweave]" in pyproject.read_text(encoding="utf-8", errors="replace"):
        found.append("pyproject.toml ([tool.litweave])")
    return [f"{name}/" if (root / name).is_dir() else name for name in found]


def init_knowledge_base(
    root: Path, title: str | None = None, with_templates: bool = False, from_index: bool = False
) -> InitReport:
    """Make the knowledge base at `root` (created if missing), titled `title` (else after its
    folder), its requirements.txt naming the running litweave's wheel or (`from_index`) its
    version on the package index; InitRefused, before anything is written, if it exists already,
    anything init writes is in the way, or the running litweave cannot be named so."""
    if root.exists() and not root.is_dir():
        raise InitRefused(f"{root}: exists and is not a folder")
    if root.is_dir():
        found = existing(root)
        if found:
            raise InitRefused(
                f"{root}: already holds {', '.join(found)}; nothing written "
                "(init makes a new knowledge base, in a new or empty folder)"
            )
    try:
        pin = make_pin("index" if from_index else "wheel")
    except (WheelUnavailable, PinRefused) as exc:
        hint = "" if from_index else "; --from-index names litweave's version on the package index instead"
        raise InitRefused(f"{exc}; nothing written{hint}") from exc
    files = planned_files(title if title is not None else root.resolve().name or "litweave", with_templates, pin)
    for rel, data in files:
        write_bytes(root / rel, data)
    return InitReport(
        root=root,
        written=[rel for rel, _ in files],
        mechanisms=sum(1 for rel, _ in files if rel.startswith("content/mechanisms/")),
        templates=sum(1 for rel, _ in files if rel.startswith("templates/")),
        pin=pin,
    )
