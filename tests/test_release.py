"""The release workflow: on a version tag it builds the sdist and the wheel, checks them and
publishes them through trusted publishing (no token anywhere). Checked as data, and by running its
build job's own commands, read from the file, in a new virtual environment on a copy of the
repository's tracked files (build.py at its root among them, which would shadow PyPA's `build`):
the wheel, built from the sdist, carries every module, template and vocabulary page; installed,
it makes and builds a knowledge base; and the tag step refuses a tag that is not the version and
a Source address that is not the repository's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from test_wheel import expected_files
from workflow_steps import StepRun, parse, run_step, steps

from litweave import __version__

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / ".github" / "workflows" / "release.yml"
TEXT = RELEASE.read_text(encoding="utf-8")
DATA = parse(TEXT)
TAG_STEP = "Check the tag and the project's address"


def test_it_publishes_on_a_version_tag_through_trusted_publishing_only() -> None:
    assert DATA["on"] == {"push": {"tags": ["v*"]}, "workflow_dispatch": None}
    assert DATA["permissions"] == {"contents": "read"}
    build, publish = DATA["jobs"]["build"], DATA["jobs"]["publish"]
    assert "permissions" not in build  # the build can read the repository, nothing more
    assert publish["needs"] == "build"
    assert publish["if"] == "startsWith(github.ref, 'refs/tags/')"
    assert publish["environment"] == "release"
    assert publish["permissions"] == {"id-token": "write"}  # what trusted publishing needs, alone
    assert [s["uses"] for s in publish["steps"]] == [
        "actions/download-artifact@v4",
        "pypa/gh-action-pypi-publish@release/v1",
    ]
    assert "with" not in publish["steps"][-1]  # no password, no token, no other index
    assert "secrets." not in TEXT and "password" not in TEXT


def test_the_build_job_builds_checks_and_uploads_in_order() -> None:
    names = [s.get("name") or s.get("uses") for s in steps(DATA, "build")]
    assert names == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "Install the build tools",
        "Build the sdist and the wheel",
        "Check them",
        "Install the wheel, make a knowledge base with it and build it",
        TAG_STEP,
        "actions/upload-artifact@v4",
    ]
    runs = {s.get("name"): s.get("run", "") for s in steps(DATA, "build")}
    assert runs["Build the sdist and the wheel"].strip() == "pyproject-build --outdir dist/"
    assert not any("-m build" in run for run in runs.values())  # the root's build.py would be imported instead
    assert runs["Check them"].strip() == "twine check --strict dist/*"
    [tag_step] = [s for s in steps(DATA, "build") if s.get("name") == TAG_STEP]
    assert tag_step["if"] == "startsWith(github.ref, 'refs/tags/')"
    upload = steps(DATA, "build")[-1]
    assert upload["with"]["path"] == "dist/" and upload["with"]["if-no-files-found"] == "error"


def _copy_of_the_repository(where: Path) -> Path:
    """The files of this checkout as they are now, those git tracks or would add (not the ignored
    ones): what actions/checkout gives the runner once they are committed."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, where / name)
    return where


@pytest.mark.slow
def test_the_build_job_runs_from_a_checkout_in_a_new_environment(tmp_path: Path) -> None:
    checkout = _copy_of_the_repository(tmp_path / "work" / "litweave")
    venv = tmp_path / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    env = {"RUNNER_TEMP": str(runner_temp), "CI": "true"}
    repository = "https://github.example/reader/litweave"
    contexts = {
        "github.ref_name": f"v{__version__}",
        "github.server_url": "https://github.example",
        "github.repository": "reader/litweave",
    }
    runs: list[StepRun] = []
    for step in steps(DATA, "build"):
        if "run" not in step or step.get("name") == TAG_STEP:
            continue  # checkout, setup-python (the venv), upload-artifact; the tag step below
        run = run_step(step, checkout, path=[venv / "bin"], contexts=contexts, env=env, timeout=900)
        runs.append(run)
        assert run.returncode == 0, f"step {run.name!r} failed:\n{run.output[-4000:]}"
    print("\n".join(f"{run.name}: {run.seconds:.1f} s" for run in runs))
    assert f"litweave {__version__}" in runs[-1].stdout  # the smoke test's --version
    assert ": 0 errors," in runs[-1].stdout

    dist = checkout / "dist"
    assert sorted(p.name for p in dist.iterdir()) == [
        f"litweave-{__version__}-py3-none-any.whl",
        f"litweave-{__version__}.tar.gz",
    ]
    with zipfile.ZipFile(dist / f"litweave-{__version__}-py3-none-any.whl") as wheel:  # built from the sdist
        names = {n for n in wheel.namelist() if not n.startswith("litweave-")}
    assert names == expected_files()
    with tarfile.open(dist / f"litweave-{__version__}.tar.gz") as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert {"pyproject.toml", "README.md", "templates/base.html", "content/mechanisms/her2.md"} <= members
    # the smoke test's knowledge base carries the wheel the smoke test installed, file for file
    with zipfile.ZipFile(runner_temp / "smoke-kb" / ".litweave" / f"litweave-{__version__}-py3-none-any.whl") as kept:
        assert {n for n in kept.namelist() if not n.startswith("litweave-")} == names

    [tag_step] = [s for s in steps(DATA, "build") if s.get("name") == TAG_STEP]
    placeholder = run_step(tag_step, checkout, path=[venv / "bin"], contexts=contexts, env=env)
    assert placeholder.returncode == 1
    assert (
        f"[project.urls] Source is https://example.invalid/litweave, not this repository ({repository})"
        in placeholder.stdout
    )
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            'Source = "https://example.invalid/litweave"', f'Source = "{repository}"'
        ),
        encoding="utf-8",
    )
    assert run_step(tag_step, checkout, path=[venv / "bin"], contexts=contexts, env=env).returncode == 0
    wrong_tag = run_step(
        tag_step, checkout, path=[venv / "bin"], contexts={**contexts, "github.ref_name": "v9.9.9"}, env=env
    )
    assert wrong_tag.returncode == 1 and f"the tag v9.9.9 is not v{__version__}" in wrong_tag.stdout
