"""The GitHub Pages workflow: the one `litweave init` writes and this repository's own, which is
generated from it (one line differs: how litweave is installed). Checked as data (triggers,
permissions, environment, concurrency, the actions in order), against the README (the build
command it documents is the one the workflow runs), by running its build step under both
base paths GitHub can report, and by a first push played through: a knowledge base fresh from
`init`, committed and cloned, its workflow's steps run in a new virtual environment that sees
nothing of this checkout.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from check_helpers import clean
from workflow_steps import StepRun, parse, run_step, steps

from litweave import __version__
from litweave.commands.init import REPOSITORY_INSTALL_STEP, repository_workflow, workflow

REPO = Path(__file__).resolve().parents[1]
REPO_WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"

ACTIONS = [
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
]


_parse = parse
_steps = steps


def _build_step(data: dict) -> dict:
    [step] = [s for s in _steps(data) if "litweave build" in s.get("run", "")]
    return step


WORKFLOWS = {"init": workflow(), "repository": REPO_WORKFLOW.read_text(encoding="utf-8")}


def test_this_repository_runs_the_packaged_workflow_with_its_own_install_line() -> None:
    assert REPO_WORKFLOW.read_text(encoding="utf-8") == repository_workflow(), (
        ".github/workflows/pages.yml is generated from litweave/starter/pages.yml: write "
        "litweave.commands.init.repository_workflow() to it"
    )
    differing = [
        (a, b) for a, b in zip(workflow().splitlines(), repository_workflow().splitlines(), strict=True) if a != b
    ]
    assert differing == [("        run: pip install -r requirements.txt", REPOSITORY_INSTALL_STEP.rstrip("\n"))]


@pytest.mark.parametrize("which", sorted(WORKFLOWS))
def test_triggers_permissions_environment_and_concurrency(which: str) -> None:
    data = _parse(WORKFLOWS[which])
    assert data["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert [s.get("id") for s in deploy["steps"] if s.get("uses") == "actions/deploy-pages@v4"] == ["deployment"]


@pytest.mark.parametrize("which", sorted(WORKFLOWS))
def test_the_steps_in_order(which: str) -> None:
    data = _parse(WORKFLOWS[which])
    steps = _steps(data)
    assert [s["uses"] for s in steps if "uses" in s] == ACTIONS
    order = [s.get("uses") or s["run"].split()[0:3] for s in steps]
    install = order.index(["pip", "install", "-r" if which == "init" else "-e"])
    build = next(i for i, s in enumerate(steps) if "litweave build" in s.get("run", ""))
    assert order.index("actions/setup-python@v5") < install < order.index("actions/configure-pages@v5") < build
    assert build < order.index("actions/upload-pages-artifact@v3")
    setup = steps[order.index("actions/setup-python@v5")]["with"]
    assert setup["cache"] == "pip"
    # the pip cache is keyed on whichever of the two exists (setup-python fails if neither does)
    assert setup["cache-dependency-path"].split() == ["requirements.txt", "pyproject.toml"]
    configure = steps[order.index("actions/configure-pages@v5")]
    assert configure["id"] == "pages"
    assert steps[build]["env"] == {
        "BASE_PATH": "${{ steps.pages.outputs.base_path }}",
        "SITE_URL": "${{ steps.pages.outputs.base_url }}",
    }
    upload = steps[order.index("actions/upload-pages-artifact@v3")]
    assert upload["with"] == {"path": "site/"}


def test_init_installs_the_litweave_its_requirements_name(tmp_path: Path) -> None:
    install = [s["run"] for s in _steps(_parse(workflow())) if s.get("run", "").startswith("pip install")]
    assert install == ["pip install -r requirements.txt"]
    root = tmp_path / "kb"
    _init(root)
    lines = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    wheel = f".litweave/litweave-{__version__}-py3-none-any.whl"
    assert [line for line in lines if line and not line.startswith("#")] == [f"./{wheel}"]
    assert (root / wheel).is_file()


def _init(root: Path, *options: str) -> None:
    """`litweave init` of this checkout, in another process, as a person runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "litweave.cli", "init", str(root), *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _readme_section(title: str) -> str:
    """The publishing page (docs/publishing.md), up to its section `title` ends."""
    text = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
    match = re.search(rf"^# {re.escape(title)}\n(.*?)(?=^## )", text, re.M | re.S)
    assert match, f"docs/publishing.md has no section {title!r}"
    return match.group(1)


def _litweave_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith(("litweave build", "litweave check"))]


@pytest.mark.parametrize("which", sorted(WORKFLOWS))
def test_the_build_command_is_the_one_the_readme_documents(which: str) -> None:
    section = _readme_section("Publishing to GitHub Pages")
    documented = _litweave_lines(section)
    assert documented == ['litweave build --base-url "$BASE_PATH/" --site-url "$SITE_URL/"', "litweave check"]
    run = _build_step(_parse(WORKFLOWS[which]))["run"]
    assert _litweave_lines(run) == documented
    assert [line for line in run.splitlines() if line.strip()] == documented


def test_the_readme_lists_every_workflow_setting_it_names() -> None:
    section = _readme_section("Publishing to GitHub Pages")
    for words in ("Settings → Pages", "**Source** to **GitHub Actions**", "`base_url`", "`site_url`", "`CNAME`"):
        assert words in section


@pytest.mark.parametrize(("base_path", "prefix"), [("", "/"), ("/repo", "/repo/")])
def test_the_build_step_builds_for_the_path_github_reports(
    kb: Path, tmp_path: Path, base_path: str, prefix: str
) -> None:
    """The step's script as the runner runs it (bash, BASE_PATH from configure-pages), with the
    `litweave` of this checkout first on the PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "litweave"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m litweave.cli "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
        "BASE_PATH": base_path,
        "SITE_URL": "https://user.github.io" + base_path,
    }
    run = _build_step(_parse(workflow()))["run"]
    clean(kb)  # the fixture's planted dead wikilink would fail the check step, as it should
    done = subprocess.run(
        ["bash", "-e", "-c", run], cwd=kb, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert ": 0 errors," in done.stdout
    home = (kb / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="{prefix}static/style.css"' in home
    assert 'href="//' not in home
    sitemap = (kb / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>https://user.github.io{prefix}papers/" in sitemap


# -- the first push --------------------------------------------------------------------------------


def _git(*args: str, cwd: Path) -> None:
    identity = ["-c", "user.name=Reader", "-c", "user.email=reader@example.org", "-c", "init.defaultBranch=main"]
    done = subprocess.run(["git", *identity, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_a_new_knowledge_base_builds_and_publishes_on_its_first_push(tmp_path: Path) -> None:
    """`litweave init`, git init, commit; then, in a clone (what actions/checkout gives the runner)
    and a new virtual environment without this system's packages, the Pages workflow's build job,
    read from the clone's own workflow file: every `run:` step run as the runner runs it, the
    actions stood in for. No edit anywhere, and nothing of this checkout is reachable: no
    PYTHONPATH, no system site-packages, the source folder left behind. The litweave so installed
    then carries, in a knowledge base of its own, the very bytes of the wheel it came from."""
    made = tmp_path / "made" / "mylist"
    _init(made)
    _git("init", "-q", cwd=made)
    _git("add", ".", cwd=made)
    _git("commit", "-q", "-m", "Start a reading list", cwd=made)
    checkout = tmp_path / "runner" / "work" / "mylist"
    checkout.parent.mkdir(parents=True)
    _git("clone", "-q", "--no-local", str(made), str(checkout), cwd=tmp_path)

    venv = tmp_path / "runner" / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    contexts = {  # what actions/configure-pages reports for https://reader.github.io/mylist/
        "steps.pages.outputs.base_path": "/mylist",
        "steps.pages.outputs.base_url": "https://reader.github.io/mylist",
    }
    data = parse((checkout / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    runs: list[StepRun] = []
    for step in steps(data, "build"):
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            continue  # the clone
        if uses.startswith("actions/setup-python@"):
            continue  # the virtual environment, first on the PATH
        if uses.startswith("actions/configure-pages@"):
            assert step["id"] == "pages"
            continue  # its outputs are the contexts above
        if uses.startswith("actions/upload-pages-artifact@"):
            assert (checkout / step["with"]["path"] / "index.html").is_file()
            continue
        assert "run" in step, f"no stand-in for {uses}"
        run = run_step(step, checkout, path=[venv / "bin"], contexts=contexts, env={"CI": "true"}, timeout=900)
        runs.append(run)
        assert run.returncode == 0, f"step {run.name!r} failed:\n{run.output[-4000:]}"
    print("\n".join(f"{run.name}: {run.seconds:.1f} s" for run in runs))
    assert [run.name for run in runs] == ["Install litweave", "Build and check the site"]
    assert ": 0 errors," in runs[-1].stdout

    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import litweave; print(litweave.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=clean_env,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    # the litweave installed from the carried wheel carries that wheel again, to the byte
    again = tmp_path / "again"
    subprocess.run([str(venv / "bin" / "litweave"), "init", str(again)], check=True, capture_output=True, env=clean_env)
    wheel = f".litweave/litweave-{__version__}-py3-none-any.whl"
    assert (again / wheel).read_bytes() == (checkout / wheel).read_bytes()
    site = checkout / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="/mylist/static/style.css"' in home
    assert (site / "mechanisms" / "her2" / "index.html").is_file()
    assert "<loc>https://reader.github.io/mylist/mechanisms/" in (site / "sitemap.xml").read_text(encoding="utf-8")
