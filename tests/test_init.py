"""`litweave init`: the knowledge base it makes, what it refuses, the settings file generated from
Config, and building with the packaged templates, a local file overriding its twin."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tomllib
import zipfile
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import pytest

from litweave import __version__, own_wheel, packaged
from litweave.cli import main
from litweave.commands.init import field_docs, settings_file, workflow
from litweave.config import Config, load_config

REPO = Path(__file__).resolve().parents[1]
REFS = REPO / "tests" / "data" / "refer" / "multi.enw"
SETTINGS = [f.name for f in fields(Config) if f.name != "root"]
WHEEL = f".litweave/litweave-{__version__}-py3-none-any.whl"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder: a temporary one, far from this repository."""
    where = tmp_path / "elsewhere"
    where.mkdir()
    monkeypatch.chdir(where)
    return where


def test_init_makes_a_knowledge_base_ready_to_push(outside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "mylist", "--title", "HER2 reading"]) == 0
    root = outside / "mylist"
    assert sorted(p.name for p in root.iterdir()) == [
        ".github",
        ".gitignore",
        ".litweave",
        "README.md",
        "content",
        "litweave.toml",
        "requirements.txt",
    ]
    assert _files(root / "content" / "papers") == {".gitkeep": b""}
    mechanisms = _files(root / "content" / "mechanisms")
    assert mechanisms == _files(REPO / "content" / "mechanisms")
    assert len(mechanisms) == 215
    assert (root / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8") == workflow()
    ignored = (root / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/site/", "/.site.litweave-staging/", ".litweave-cache/"} <= set(ignored)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# HER2 reading\n")
    for step in ("litweave import", "litweave build", "litweave serve", "git push", "Settings → Pages", "GitHub"):
        assert step in readme
    assert load_config(root).title == "HER2 reading"
    assert not (root / "templates").exists()
    mode = 0o666 & ~_umask()
    assert {oct(p.stat().st_mode & 0o777) for p in root.rglob("*") if p.is_file()} == {oct(mode)}
    assert "215 mechanisms" in capsys.readouterr().out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_title_defaults_to_the_folder_name(outside: Path) -> None:
    assert main(["init", "trastuzumab"]) == 0
    assert load_config(outside / "trastuzumab").title == "trastuzumab"
    assert main(["--root", "second", "init"]) == 0  # DIR defaults to --root
    assert load_config(outside / "second").title == "second"


def test_init_refuses_an_existing_knowledge_base(outside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "kb"]) == 0
    (outside / "kb" / "README.md").write_text("my own notes\n", encoding="utf-8")
    before = _files(outside / "kb")
    capsys.readouterr()
    assert main(["init", "kb", "--templates"]) == 2
    err = capsys.readouterr().err
    assert "already holds" in err and "content/" in err and "litweave.toml" in err and "README.md" in err
    assert _files(outside / "kb") == before  # nothing written, nothing overwritten


@pytest.mark.parametrize(
    "present",
    [
        "content/mechanisms/her2.md",
        "litweave.toml",
        ".gitignore",
        "templates/base.html",
        ".github/workflows/pages.yml",
        ".litweave/litweave-0.0.1-py3-none-any.whl",
    ],
)
def test_any_one_file_in_the_way_is_refused_and_named(
    outside: Path, present: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = outside / "kb" / present
    path.parent.mkdir(parents=True)
    path.write_text("mine\n", encoding="utf-8")
    assert main(["init", "kb"]) == 2
    assert present.split("/")[0] in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert not (outside / "kb" / "litweave.toml").exists() or present == "litweave.toml"


def test_a_pyproject_with_litweave_settings_is_a_knowledge_base(
    outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (outside / "kb").mkdir()
    (outside / "kb" / "pyproject.toml").write_text('[tool.litweave]\ntitle = "x"\n', encoding="utf-8")
    assert main(["init", "kb"]) == 2
    assert "pyproject.toml ([tool.litweave])" in capsys.readouterr().err


def test_an_empty_folder_a_fresh_clone_and_unrelated_files_are_fine(outside: Path) -> None:
    (outside / "empty").mkdir()
    assert main(["init", "empty"]) == 0
    clone = outside / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / "refs.enw").write_bytes(REFS.read_bytes())
    assert main(["init", str(clone)]) == 0
    assert (clone / "refs.enw").read_bytes() == REFS.read_bytes()
    assert (clone / "litweave.toml").is_file()


def test_a_file_where_the_folder_should_be_is_refused(outside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (outside / "kb").write_text("", encoding="utf-8")
    assert main(["init", "kb"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_init_templates_copies_every_packaged_template(outside: Path) -> None:
    assert main(["init", "kb", "--templates"]) == 0
    copied = _files(outside / "kb" / "templates")
    assert copied == _files(packaged.templates())
    assert "base.html" in copied and "static/style.css" in copied


# -- the settings file ------------------------------------------------------------------------


def test_every_setting_is_documented_in_config() -> None:
    docs = field_docs(Config)
    assert [name for name in SETTINGS if not docs.get(name)] == []


def test_the_settings_file_holds_every_setting_with_its_doc_and_default(tmp_path: Path) -> None:
    text = settings_file()
    data = tomllib.loads(text)
    assert sorted(data) == sorted(SETTINGS)
    defaults = Config(root=tmp_path)
    scalars = [name for name in SETTINGS if isinstance(getattr(defaults, name), str | int | float | bool | list)]
    assert {name: data[name] for name in scalars} == {name: getattr(defaults, name) for name in scalars}
    lines = text.splitlines()
    docs = field_docs(Config)
    for name in SETTINGS:
        [at] = [i for i, line in enumerate(lines) if line.startswith(f"{name} = ") or line == f"[{name}]"]
        doc = docs[name].splitlines()
        above = lines[at - len(doc) : at]
        assert above == [f"# {line}".rstrip() for line in doc], name


@dataclass(frozen=True)
class _Severity:
    untitled: str = "warning"
    """How an untitled page is reported."""


@dataclass(frozen=True)
class _Settings:
    root: Path
    title: str = "t"
    """The title."""
    jobs: int = 2
    """Worker processes,
    over two lines."""
    check: _Severity = field(default_factory=_Severity)
    """Severities, as a table."""
    aliases: dict[str, str] = field(default_factory=lambda: {"a": "b"})
    """A free table."""


def test_table_settings_become_sections_after_the_plain_ones() -> None:
    text = settings_file("T", settings=_Settings)
    assert tomllib.loads(text) == {
        "title": "T",
        "jobs": 2,
        "check": {"untitled": "warning"},
        "aliases": {"a": "b"},
    }
    assert "# Worker processes,\n# over two lines.\njobs = 2\n" in text
    assert '# Severities, as a table.\n[check]\n# How an untitled page is reported.\nuntitled = "warning"\n' in text


def test_the_settings_file_loads_as_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "litweave.toml").write_text(settings_file(), encoding="utf-8")
    assert load_config(tmp_path) == replace(load_config(tmp_path / "nowhere"), root=tmp_path)


@pytest.mark.parametrize("title", ['A "quoted" title', "back\\slash", "Ünïcödé — dash", "line\nbreak", "tab\there"])
def test_any_title_survives_the_settings_file(tmp_path: Path, title: str) -> None:
    (tmp_path / "litweave.toml").write_text(settings_file(title), encoding="utf-8")
    assert load_config(tmp_path).title == title


def test_the_settings_page_lists_every_setting() -> None:
    section = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    assert [name for name in SETTINGS if f"| `{name}` |" not in section] == []


# -- building with the packaged templates -------------------------------------------------------


def _build(root: Path, *extra: str) -> None:
    assert main(["--root", str(root), "build", "--no-search", "--jobs", "1", "-q", *extra]) == 0


def _init_with_papers(where: Path, name: str, *options: str) -> Path:
    assert main(["init", name, *options]) == 0
    root = where / name
    assert main(["--root", str(root), "import", "-q", str(REFS)]) == 0
    return root


def test_an_init_knowledge_base_builds_from_any_folder(outside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _init_with_papers(outside, "kb")
    _build(root)
    site = root / "site"
    pages = sorted(p.parent.name for p in (site / "papers").glob("*/index.html"))
    assert "lu-2001-insulin-like-growth-factor-i-receptor-signaling" in pages
    assert (site / "mechanisms" / "igf-ir" / "index.html").is_file()
    assert (site / "static" / "style.css").read_bytes() == (packaged.templates() / "static" / "style.css").read_bytes()
    capsys.readouterr()
    _build(root)
    assert "0 written" in capsys.readouterr().out  # incremental without a templates/ folder


def test_packaged_templates_build_the_same_site_as_copied_ones(outside: Path) -> None:
    plain = _init_with_papers(outside, "plain", "--title", "same")
    copied = _init_with_papers(outside, "copied", "--title", "same", "--templates")
    _build(plain)
    _build(copied)
    assert _files(plain / "site") == _files(copied / "site")


def test_one_local_file_overrides_its_twin_and_the_rest_come_from_the_package(
    outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _init_with_papers(outside, "kb")
    _build(root)
    before = _files(root / "site")
    shipped = packaged.templates()
    templates = root / "templates"
    (templates / "static").mkdir(parents=True)
    paper = (shipped / "paper.html").read_text(encoding="utf-8")
    assert paper.count('<article class="paper">') == 1
    (templates / "paper.html").write_text(
        paper.replace('<article class="paper">', '<article class="paper"><p>LOCAL PAPER TEMPLATE</p>'), encoding="utf-8"
    )
    (templates / "static" / "style.css").write_text("/* LOCAL STYLE */\n", encoding="utf-8")
    capsys.readouterr()
    _build(root)
    out = capsys.readouterr().out
    after = _files(root / "site")
    changed = sorted(path for path in after if after[path] != before.get(path))
    papers = sorted(p for p in after if p.startswith("papers/") and p.count("/") == 2 and p.endswith("/index.html"))
    # the paper pages and the stylesheet, nothing else (and the manifest, which lists them)
    assert changed == sorted([*papers, "static/style.css", ".litweave-manifest.json"]), out
    assert all(b"LOCAL PAPER TEMPLATE" in after[p] for p in papers)
    assert after["static/style.css"] == b"/* LOCAL STYLE */\n"
    assert after["static/filter.js"] == (shipped / "static" / "filter.js").read_bytes()
    # the override removed: the packaged twin is back, byte for byte
    shutil.rmtree(templates)
    _build(root)
    assert _files(root / "site") == before


def test_the_build_finds_the_packaged_files_whatever_the_current_folder(outside: Path) -> None:
    assert packaged.templates().is_absolute() and (packaged.templates() / "base.html").is_file()
    assert packaged.vocabulary().is_absolute() and (packaged.vocabulary() / "her2.md").is_file()
    assert (packaged.starter() / "pages.yml").is_file()


# -- the wheel it carries ---------------------------------------------------------------------


def test_init_carries_the_running_litweave_and_requirements_name_it(
    outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "kb"]) == 0
    root = outside / "kb"
    requirements = (root / "requirements.txt").read_text(encoding="utf-8")
    assert [line for line in requirements.splitlines() if not line.startswith("#")] == [f"./{WHEEL}"]
    assert "OWNER" not in requirements  # no address that exists nowhere
    assert sorted(p.name for p in (root / ".litweave").iterdir()) == [WHEEL.split("/")[1]]
    assert f"installs litweave {__version__} (its wheel, {WHEEL})" in capsys.readouterr().out
    with zipfile.ZipFile(root / WHEEL) as wheel:
        names = wheel.namelist()
        assert {"litweave/cli.py", "litweave/theme/base.html", "litweave/vocabulary/her2.md"} <= set(names)
        assert "litweave/starter/pages.yml" in names
        # what pip checks on install: every file listed in RECORD with its hash and size
        record = f"litweave-{__version__}.dist-info/RECORD"
        assert names[-1] == record
        rows = list(csv.reader(io.StringIO(wheel.read(record).decode("utf-8"))))
        assert sorted(row[0] for row in rows) == sorted(names)
        for name, digest, size in rows:
            if name != record:
                data = wheel.read(name)
                assert (digest, int(size)) == (own_wheel.record_hash(data), len(data)), name


def test_the_wheel_is_the_same_bytes_whenever_and_wherever_it_is_made(
    outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["init", "first"]) == 0
    old = os.umask(0o077)  # another umask, another folder, a later time
    try:
        assert main(["init", str(outside / "deeper" / "second")]) == 0
    finally:
        os.umask(old)
    first = (outside / "first" / WHEEL).read_bytes()
    assert (outside / "deeper" / "second" / WHEEL).read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as wheel:
        infos = wheel.infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {(i.external_attr >> 16, i.create_system, i.compress_type) for i in infos} == {(0o100644, 3, 0)}
    # nothing of this machine: no path of the checkout, the home folder or the current folder
    for machine in [p for p in {str(REPO), str(Path.home()), str(outside)} if len(p) > 4]:
        assert machine.encode("utf-8") not in first, machine


def test_a_global_ignore_of_wheels_does_not_leave_the_wheel_out_of_the_commit(outside: Path) -> None:
    assert main(["init", "kb"]) == 0
    root = outside / "kb"
    excludes = outside / "global-ignore"
    excludes.write_text("*.whl\n.litweave/\n", encoding="utf-8")
    git = ["git", "-c", f"core.excludesFile={excludes}"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    staged = subprocess.run([*git, "diff", "--cached", "--name-only"], cwd=root, check=True, capture_output=True)
    assert WHEEL in staged.stdout.decode("utf-8").splitlines()


def test_from_index_is_refused_for_a_litweave_run_from_its_checkout(
    outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert own_wheel.origin().kind == "checkout"  # the tests run this checkout's code
    assert main(["init", "kb", "--from-index"]) == 2
    err = capsys.readouterr().err
    assert "source checkout" in err and f"litweave=={__version__}" in err and "nothing written" in err
    assert not (outside / "kb").exists()


def test_a_wheel_that_cannot_be_made_stops_init_before_anything_is_written(
    outside: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unavailable() -> own_wheel.Wheel:
        raise own_wheel.WheelUnavailable("the installed litweave 0.1.0 is not the one its wheel held: litweave/cli.py")

    monkeypatch.setattr(own_wheel, "running_wheel", unavailable)
    assert main(["init", "kb"]) == 2
    err = capsys.readouterr().err
    assert "litweave/cli.py" in err and "nothing written" in err and "--from-index" in err
    assert not (outside / "kb").exists()
