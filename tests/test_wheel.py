"""The wheel is all a reader needs: built from a copy of this repository (`pip wheel . --no-deps`),
installed into a fresh virtual environment, it makes a knowledge base (`litweave init`), imports
a Refer file and builds the site from a folder outside the repository, with the templates and
the starter vocabulary it carries.

To keep this fast the environment sees the system's packages (the dependencies are usually
there already; pip fetches from the package index whatever is missing). The system may also
have this repository installed in development mode, so the test checks that the litweave that
runs is the one installed in the environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUILD_INPUTS = ["pyproject.toml", "README.md", "litweave", "templates", "content/mechanisms"]
"""What building the wheel reads (copied, so that the build leaves nothing in the checkout)."""

REFS = """%0 Journal Article
%T Insulin-like growth factor-I receptor signaling and trastuzumab resistance
%A Lu, Yuhong
%A Zi, Xiaolin
%J Journal of the National Cancer Institute
%D 2001
%R 10.1093/jnci/93.24.1852
%X Increased IGF-IR signaling interferes with the action of trastuzumab in HER2-overexpressing cells.
"""


def _run(command: list[str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV")}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        src, dst = REPO / name, source / name
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(dist)], cwd=source)
    [built] = dist.glob("litweave-*.whl")
    return built


def test_the_wheel_carries_every_module_the_templates_and_the_vocabulary(wheel: Path) -> None:
    names = {n for n in zipfile.ZipFile(wheel).namelist() if not n.startswith("litweave-")}
    package = REPO / "litweave"
    expected = {
        "litweave/" + p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    expected |= {
        "litweave/theme/" + p.relative_to(REPO / "templates").as_posix()
        for p in (REPO / "templates").rglob("*")
        if p.is_file()
    }
    expected |= {"litweave/vocabulary/" + p.name for p in (REPO / "content" / "mechanisms").glob("*.md")}
    assert names == expected
    assert {"litweave/theme/base.html", "litweave/theme/static/style.css", "litweave/vocabulary/her2.md"} <= names
    assert {"litweave/starter/pages.yml", "litweave/commands/init.py", "litweave/packaged.py"} <= names


def test_an_installed_wheel_makes_and_builds_a_knowledge_base(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    # the wheel itself, whatever else is installed; then its dependencies, from the index if missing
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", str(wheel)], cwd=tmp_path)
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(
        [str(python), "-c", "import litweave, litweave.packaged as p; print(litweave.__file__); print(p.templates())"],
        cwd=elsewhere,
    ).stdout.split()
    assert all(Path(p).resolve().is_relative_to(venv.resolve()) for p in where), where
    assert not any(Path(p).resolve().is_relative_to(REPO) for p in where), where

    litweave = str(venv / "bin" / "litweave")
    (elsewhere / "refs.enw").write_text(REFS, encoding="utf-8")
    _run([litweave, "init", "mylist", "--title", "Wheel test"], cwd=elsewhere)
    root = elsewhere / "mylist"
    assert len(list((root / "content" / "mechanisms").glob("*.md"))) == 215
    assert (root / ".github" / "workflows" / "pages.yml").is_file()
    _run([litweave, "--root", "mylist", "import", "-q", "refs.enw"], cwd=elsewhere)
    built = _run([litweave, "--root", "mylist", "build", "-q"], cwd=elsewhere)
    assert "built" in built.stdout
    site = root / "site"
    [paper] = (site / "papers").glob("lu-2001-*/index.html")
    html = paper.read_text(encoding="utf-8")
    assert "Insulin-like growth factor-I receptor signaling" in html and "Wheel test" in html
    assert (site / "mechanisms" / "igf-ir" / "index.html").is_file()  # detected through the vocabulary
    assert (site / "static" / "style.css").read_bytes() == (REPO / "templates" / "static" / "style.css").read_bytes()
    assert (site / "pagefind").is_dir()
    checked = _run([litweave, "--root", "mylist", "check"], cwd=elsewhere)
    assert checked.returncode == 0 and ": 0 errors," in checked.stdout, checked.stderr
