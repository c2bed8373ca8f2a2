"""The wheel is all a reader needs: built from a copy of this repository (`pip wheel . --no-deps`),
installed into a fresh virtual environment, it makes a knowledge base (`litweave init`), imports
a Refer file and builds the site from a folder outside the repository, with the templates and
the starter vocabulary it carries.

The wheel `init` puts into a knowledge base (own_wheel.py) is held to this one: made from this
checkout, it lays out the same files with the same metadata; made by the installed wheel, it is
that wheel again, file for file, and an installed file changed since refuses to be carried.

To keep this fast the environment sees the system's packages (the dependencies are usually
there already; pip fetches from the package index whatever is missing). The system may also
have this repository installed in development mode, so the test checks that the litweave that
runs is the one installed in the environment.
"""

from __future__ import annotations

import configparser
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

from litweave import __version__, own_wheel

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


def _run(command: list[str], cwd: Path, timeout: float = 180, expect: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV")}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == expect, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
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


def expected_files() -> set[str]:
    """What a wheel of this checkout must carry besides its dist-info: every file of the package,
    every template and every vocabulary page."""
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
    return expected


def test_the_wheel_carries_every_module_the_templates_and_the_vocabulary(wheel: Path) -> None:
    names = {n for n in zipfile.ZipFile(wheel).namelist() if not n.startswith("litweave-")}
    expected = expected_files()
    assert names == expected
    assert {"litweave/theme/base.html", "litweave/theme/static/style.css", "litweave/vocabulary/her2.md"} <= names
    assert {"litweave/starter/pages.yml", "litweave/commands/init.py", "litweave/packaged.py"} <= names


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel installed (and, to be quick, the system's packages)."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], cwd=venv)
    python = venv / "bin" / "python"
    # the wheel itself, whatever else is installed; then its dependencies, from the index if missing
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", str(wheel)], cwd=venv)
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], cwd=venv)
    return venv


def test_an_installed_wheel_makes_and_builds_a_knowledge_base(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
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


# -- the wheel init carries ------------------------------------------------------------------------

DIST_INFO = f"litweave-{__version__}.dist-info"


def _entries(wheel: Path | bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel if isinstance(wheel, Path) else io.BytesIO(wheel)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _requirement(line: str) -> tuple[str, tuple[str, ...], str]:
    """A Requires-Dist value with its specifiers in any order (setuptools sorts them)."""
    spec, _, marker = (part.strip() for part in line.partition(";"))
    match = re.match(r"([A-Za-z0-9._-]+(?:\[[^\]]*\])?)\s*(.*)", spec)
    assert match, line
    return match.group(1).lower(), tuple(sorted(s.strip() for s in match.group(2).split(",") if s.strip())), marker


def _metadata(data: bytes) -> tuple[dict[str, list[str]], str]:
    message = HeaderParser().parsestr(data.decode("utf-8"))
    headers = {key: sorted(message.get_all(key) or []) for key in set(message.keys()) if key != "Requires-Dist"}
    headers["Requires-Dist"] = sorted(map(str, map(_requirement, message.get_all("Requires-Dist") or [])))
    return headers, str(message.get_payload())


def _entry_points(data: bytes) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser()
    parser.read_string(data.decode("utf-8"))
    return {section: dict(parser[section]) for section in parser.sections()}


def test_a_checkout_lays_out_the_wheel_pip_wheel_builds(wheel: Path) -> None:
    made = own_wheel.running_wheel()
    assert made.origin.kind == "checkout" and made.origin.where == REPO
    assert made.filename == wheel.name
    ours, built = _entries(made.data), _entries(wheel)
    assert sorted(ours) == sorted(built)
    assert [name for name in built if not name.startswith(DIST_INFO) and ours[name] != built[name]] == []
    assert _metadata(ours[f"{DIST_INFO}/METADATA"]) == _metadata(built[f"{DIST_INFO}/METADATA"])
    assert _entry_points(ours[f"{DIST_INFO}/entry_points.txt"]) == _entry_points(built[f"{DIST_INFO}/entry_points.txt"])
    assert ours[f"{DIST_INFO}/top_level.txt"] == built[f"{DIST_INFO}/top_level.txt"]
    ours_wheel, built_wheel = (HeaderParser().parsestr(w[f"{DIST_INFO}/WHEEL"].decode("utf-8")) for w in (ours, built))
    for key in ("Wheel-Version", "Root-Is-Purelib", "Tag"):
        assert ours_wheel.get_all(key) == built_wheel.get_all(key), key


def test_an_installed_litweave_carries_the_very_wheel_it_was_installed_from(
    wheel: Path, venv: Path, tmp_path: Path
) -> None:
    litweave = str(venv / "bin" / "litweave")
    start = time.perf_counter()
    _run([litweave, "init", "kb"], cwd=tmp_path)
    print(f"init with an installed litweave: {time.perf_counter() - start:.2f} s")
    carried = (tmp_path / "kb" / ".litweave" / wheel.name).read_bytes()
    original = _entries(wheel)
    record = f"{DIST_INFO}/RECORD"
    assert {k: v for k, v in _entries(carried).items() if k != record} == {
        k: v for k, v in original.items() if k != record
    }
    assert carried == own_wheel.zip_wheel({k: v for k, v in original.items() if k != record}, DIST_INFO)

    # installed from a file: litweave==VERSION would not name it
    refused = _run([litweave, "init", "indexed", "--from-index"], cwd=tmp_path, expect=2)
    assert "installed from file:" in refused.stderr and "nothing written" in refused.stderr
    assert not (tmp_path / "indexed").exists()

    # a file changed since the install: not the wheel of any release, so not carried
    [installed] = venv.glob("lib/python*/site-packages/litweave/wording.py")
    kept = installed.read_bytes()
    try:
        installed.write_bytes(kept + b"\n# changed by hand\n")
        changed = _run([litweave, "init", "changed"], cwd=tmp_path, expect=2)
    finally:
        installed.write_bytes(kept)
    assert "litweave/wording.py (changed since it was installed)" in changed.stderr, changed.stderr
    assert "--from-index" in changed.stderr and not (tmp_path / "changed").exists()
