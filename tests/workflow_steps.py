"""GitHub Actions workflows read as data, and their `run:` steps run here as a runner runs them.

A test runs a workflow's own commands, read from the workflow file, so that what it checks is what
GitHub will run: a step's script goes to bash as the runner calls it (`bash --noprofile --norc -eo
pipefail`), with the step's `env:` and every `${{ … }}` expression replaced by the value the test
gives for it (an expression the test did not give stops the test: each input is a decision).
Steps that use an action are the test's to stand in for.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
CLEARED = ("PYTHONPATH", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV", "VIRTUAL_ENV")
"""Taken out of the environment a step runs in: nothing of this checkout's Python may leak in."""


def parse(text: str) -> dict:
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(data: dict, job: str | None = None) -> list[dict]:
    """The steps of one job, or of every job in order."""
    jobs = [data["jobs"][job]] if job else list(data["jobs"].values())
    return [step for each in jobs for step in each["steps"]]


def substitute(text: str, contexts: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        assert expression in contexts, f"the test gives no value for ${{{{ {expression} }}}}"
        return contexts[expression]

    return _EXPRESSION.sub(value, text)


@dataclass(frozen=True)
class StepRun:
    name: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_step(
    step: dict,
    cwd: Path,
    *,
    path: Sequence[Path] = (),
    contexts: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> StepRun:
    """Run one `run:` step in `cwd`, the folders of `path` first on the PATH."""
    contexts = contexts or {}
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment["PATH"] = os.pathsep.join([*(str(p) for p in path), environment.get("PATH", "")])
    environment.update(env or {})
    environment.update({k: substitute(str(v), contexts) for k, v in (step.get("env") or {}).items()})
    script = substitute(step["run"], contexts)
    start = time.perf_counter()
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    name = step.get("name") or step["run"].splitlines()[0]
    return StepRun(name, done.returncode, done.stdout, done.stderr, time.perf_counter() - start)
