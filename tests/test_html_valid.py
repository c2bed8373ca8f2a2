"""Every built page of the fixture site passes the Nu HTML checker (vnu.jar) with zero errors.

The checker comes from npm's `vnu-jar` (.ci/run installs it into .tools/, git-ignored) and runs
on the machine's Java. Found as $VNU_JAR, under .tools/ or in npm's global folder; without it
(or without Java) the test skips, naming what is missing, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO

from litweave.build.pipeline import build_site
from litweave.config import load_config

IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
JAR_IN_PACKAGE = Path("node_modules") / "vnu-jar" / "build" / "dist" / "vnu.jar"


def find_vnu() -> Path | None:
    candidates = [Path(os.environ["VNU_JAR"])] if os.environ.get("VNU_JAR") else []
    candidates.append(REPO / ".tools" / JAR_IN_PACKAGE)
    npm = shutil.which("npm")
    if npm:
        done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()).parent / JAR_IN_PACKAGE)
    return next((c for c in candidates if c.is_file()), None)


def _checker() -> tuple[list[str], str]:
    java = shutil.which("java")
    jar = find_vnu()
    if java is None:
        return [], "Java is not installed"
    if jar is None:
        return [], "vnu.jar not found (npm install --prefix .tools vnu-jar, or set VNU_JAR)"
    return [java, "-jar", str(jar)], ""


def test_every_built_page_passes_the_nu_html_checker(tmp_path: Path) -> None:
    command, missing = _checker()
    if missing:
        if IN_CI:
            pytest.fail(f"the Nu HTML checker is needed in CI: {missing}")
        pytest.skip(f"the Nu HTML checker is not available: {missing}")
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE_SITE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    paper = root / "content" / "papers" / "nahta-2006-mechanisms.md"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("---\n", "---\ntags: [review, <i>odd</i>]\nstatus: to-read\n", 1), encoding="utf-8")
    report = build_site(load_config(root, base_url="/repo/"))
    assert report.ok, [str(d) for d in report.diagnostics]
    site = root / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 20
    done = subprocess.run(
        [*command, "--errors-only", "--skip-non-html", "--format", "json", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '?').split('/site/')[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
    assert done.returncode == 0, done.stderr[-2000:]
