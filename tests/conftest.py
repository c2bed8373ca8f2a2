"""Shared test helpers: the fixture site copied into a temporary knowledge base, and the paths of
peer data that lives outside this repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Generated tests judge what the code does, not how fast the machine is: on a loaded machine the
# speed health check and per-example deadlines fail tests that are right.
settings.register_profile("litweave", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("litweave")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
SEED = SHARED / "seeds" / "000_d070f9268976f470.txt"
SETTINGS = "# a knowledge base for the tests: every setting at its default\n"


def make_knowledge_base(root: Path) -> Path:
    """Make `root` a knowledge base as litweave recognises one (a litweave.toml) with a content
    folder, as `init` would, without init's starter vocabulary."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    if not (root / "litweave.toml").exists():
        (root / "litweave.toml").write_text(SETTINGS, encoding="utf-8")
    return root


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A knowledge base in a temporary folder: the fixture site's content and the real templates."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE_SITE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    return make_knowledge_base(root)


@pytest.fixture
def empty_kb(tmp_path: Path) -> Path:
    """A knowledge base with templates and no content yet."""
    root = tmp_path / "empty"
    root.mkdir()
    shutil.copytree(REPO / "templates", root / "templates")
    return make_knowledge_base(root)


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed record not found at ../shared/seeds ({SEED.name}); peer data is absent")
    return SEED
