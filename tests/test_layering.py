"""Imports point one way: pure modules never import the I/O edge, and nothing imports the CLI.

Read from the source with `ast`, so the rule holds without running anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "litweave"

PURE_ALLOWED_STDLIB_IO = {"os", "shutil", "tempfile", "subprocess", "urllib.request", "http", "socket"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}

# The I/O edge: reading and writing files, the build and the commands.
EDGE = {
    "litweave.atomic",
    "litweave.mergebase",
    "litweave.references",
    "litweave.content",
    "litweave.config",
    "litweave.places",
    "litweave.cli",
    *{m for m in MODULES if m.startswith(("litweave.build.", "litweave.commands."))},
}


def _internal(imports: set[str]) -> set[str]:
    return {i for i in imports if i.startswith("litweave.") and i in MODULES}


def test_model_imports_nothing_of_the_package() -> None:
    assert not {i for i in MODULES["litweave.model"] if i.startswith("litweave")}


def test_pure_modules_do_not_import_the_io_edge() -> None:
    pure = [m for m in MODULES if m not in EDGE and m != "litweave"]
    assert "litweave.site.graph" in pure and "litweave.mechanisms" in pure and "litweave.importers.refer" in pure
    offenders = {m: sorted(_internal(MODULES[m]) & EDGE) for m in pure if _internal(MODULES[m]) & EDGE}
    assert offenders == {}


def test_pure_modules_do_no_file_or_process_io() -> None:
    pure = [m for m in MODULES if m not in EDGE and m != "litweave"]
    offenders = {m: sorted(MODULES[m] & PURE_ALLOWED_STDLIB_IO) for m in pure if MODULES[m] & PURE_ALLOWED_STDLIB_IO}
    assert offenders == {}


def test_nothing_imports_the_cli() -> None:
    assert [m for m, imports in MODULES.items() if "litweave.cli" in imports and m != "litweave.cli"] == []


def test_no_import_cycles_between_modules() -> None:
    graph = {m: _internal(i) - {m} for m, i in MODULES.items()}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue  # a package and its own submodules
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack, node, nxt]))
            if nxt not in state:
                visit(nxt, [*stack, node])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
