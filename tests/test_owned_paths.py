"""Nothing is written where it does not belong: every command but `init` works only in a knowledge
base, the output folder is a folder of its own, a missing content folder stops the build before
it prunes, and a file a person put into the site is never replaced nor removed."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from litweave.build.pipeline import build_site
from litweave.cli import main
from litweave.config import load_config

RECORD = "%0 Journal Article\n%T Trastuzumab resistance in breast cancer\n%A Smith, Jane\n%D 2020\n%J Oncogene\n"

COMMANDS = [
    ["build", "-q", "--no-search"],
    ["check"],
    ["export", "--format", "bibtex"],
    ["suggest"],
    ["serve", "--port", "0"],
    ["import", "-q", "REFS"],
]
"""Every command but init, as a reader types it (REFS: a Refer file outside the folder)."""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file, folder and link under `folder`: a file's bytes, a link's target (never followed)."""
    found: dict[str, bytes] = {}
    for top, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(top, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = b"-> " + os.readlink(path).encode()
            else:
                found[rel] = path.read_bytes() if path.is_file() else b"<folder>"
    return dict(sorted(found.items()))


def run(capsys: pytest.CaptureFixture[str], args: list[str], cwd: Path | None = None) -> tuple[int, str]:
    """`litweave ARGS` (in `cwd`): the exit code and what it printed on standard error. `serve` runs
    in a process of its own, stopped after a minute: one that wrongly starts serving never ends."""
    if args[args.index("--root") + 2 if "--root" in args else 0] == "serve":
        try:
            done = subprocess.run(
                [sys.executable, "-m", "litweave.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=60
            )
        except subprocess.TimeoutExpired:
            return -1, "serve started serving"
        return done.returncode, done.stderr
    here = Path.cwd()
    os.chdir(cwd or here)
    try:
        code = main(args)
    finally:
        os.chdir(here)
    return code, capsys.readouterr().err


def _args(command: list[str], refs: Path) -> list[str]:
    return [str(refs) if a == "REFS" else a for a in command]


@pytest.fixture
def refs(tmp_path: Path) -> Path:
    path = tmp_path / "refs.enw"
    path.write_text(RECORD, encoding="utf-8")
    return path


def _build(root: Path, *extra: str) -> int:
    return main(["--root", str(root), "build", "-q", "--no-search", "--jobs", "1", *extra])


def _settings(root: Path, text: str, name: str = "litweave.toml") -> None:
    (root / name).write_text(text, encoding="utf-8")


# --- a folder that is not a knowledge base -------------------------------------------------------


def test_build_in_a_folder_that_is_not_a_knowledge_base_writes_nothing(tmp_path: Path) -> None:
    """`cd /tmp && litweave build` made /tmp/site and exited 0."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "litweave.cli", "build"], cwd=folder, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "is not a litweave knowledge base" in done.stderr
    assert "litweave init" in done.stderr and "--root" in done.stderr
    assert tree(folder) == {"notes.txt": b"mine\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["downloads"]


def test_import_in_an_empty_folder_makes_no_content(tmp_path: Path, refs: Path, capsys) -> None:
    """`litweave import refs.json` in an empty folder made content/papers with no vocabulary."""
    folder = tmp_path / "empty"
    folder.mkdir()
    code, err = run(capsys, ["import", str(refs)], cwd=folder)
    assert code == 2 and "litweave init" in err
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("how", ["--root", "cwd"])
def test_every_command_but_init_refuses_a_folder_that_is_no_knowledge_base(
    tmp_path: Path, refs: Path, command: list[str], how: str, capsys
) -> None:
    folder = tmp_path / "not-a-kb"
    (folder / "content" / "papers").mkdir(parents=True)  # content alone does not make one
    (folder / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    before = tree(folder)
    if how == "cwd":
        code, err = run(capsys, _args(command, refs), cwd=folder)
    else:
        code, err = run(capsys, ["--root", str(folder), *_args(command, refs)])
    assert code == 2, err
    assert f"{folder.resolve()} is not a litweave knowledge base" in err and "litweave init" in err
    assert tree(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-kb", "refs.enw"]


def test_a_folder_inside_a_knowledge_base_is_pointed_to_it(kb: Path, capsys) -> None:
    code, err = run(capsys, ["build", "-q"], cwd=kb / "content" / "papers")
    assert code == 2
    assert f"inside the knowledge base {kb.resolve()}" in err and f"--root {kb.resolve()}" in err
    assert not (kb / "site").exists() and not (kb / "content" / "papers" / "site").exists()


def test_pyproject_tool_litweave_or_litweave_toml_make_a_knowledge_base(empty_kb: Path, tmp_path: Path) -> None:
    assert _build(empty_kb) == 0  # litweave.toml, as init writes it
    other = tmp_path / "project"
    (other / "content").mkdir(parents=True)
    (other / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.litweave]\ntitle = "X"\n', encoding="utf-8")
    assert _build(other) == 0
    assert (other / "site" / "index.html").is_file()


@pytest.mark.parametrize("name", ["litweave.toml", "notes.txt"])
def test_root_pointing_at_a_file_is_refused(empty_kb: Path, name: str, capsys) -> None:
    target = empty_kb / name
    target.write_text("" if name.endswith(".toml") else "x\n", encoding="utf-8")
    before = tree(empty_kb)
    assert main(["--root", str(target), "build"]) == 2
    err = capsys.readouterr().err
    assert f"--root {target}: a file, not a folder" in err
    assert (f"give the folder that holds it: --root {empty_kb}\n" in err) == name.endswith(".toml")
    assert tree(empty_kb) == before


# --- output_dir --------------------------------------------------------------------------------


def test_output_dir_content_is_refused_and_writes_no_html_among_the_pages(kb: Path, capsys) -> None:
    """`output_dir = "content"` wrote 243 HTML files among the .md pages, which stayed there once
    the setting was put back, and check reported nothing."""
    _settings(kb, 'output_dir = "content"\n')
    before = tree(kb / "content")
    assert _build(kb) == 2
    err = capsys.readouterr().err
    assert 'output_dir = "content" (set in litweave.toml)' in err and 'content_dir = "content"' in err
    assert tree(kb / "content") == before
    _settings(kb, "")
    assert _build(kb) == 0
    assert [p for p in (kb / "content").rglob("*") if p.suffix == ".html"] == []


def test_output_dir_dot_is_refused_and_the_root_is_left_alone(kb: Path, capsys) -> None:
    """`output_dir = "."` wrote the site into the knowledge base's root."""
    _settings(kb, "[tool.litweave]\noutput_dir = '.'\n", "pyproject.toml")
    before = tree(kb)
    assert _build(kb) == 2
    err = capsys.readouterr().err
    assert 'output_dir = "." (set in pyproject.toml [tool.litweave])' in err
    assert "the knowledge base's own folder" in err
    assert tree(kb) == before


@pytest.mark.parametrize(
    ("settings", "clash"),
    [
        ('output_dir = "site/../content"', "that is the folder of content_dir"),  # `..` resolved
        ('output_dir = "content/site"', "inside the folder of content_dir"),
        ('output_dir = "templates"', "that is the folder of templates_dir"),
        ('output_dir = "templates/static/site"', "inside the folder of templates_dir"),
        ('output_dir = "public"\ncontent_dir = "public/pages"', "that folder holds the folder of content_dir"),
        ('output_dir = ".."', "that folder holds the knowledge base's own folder"),
        ('output_dir = "./"', "that is the knowledge base's own folder"),
        ('output_dir = "link"', "that is the folder of content_dir"),  # a symbolic link to content/
        ('output_dir = "elsewhere"', "that is the knowledge base's own folder"),  # a link to the knowledge base
    ],
)
def test_output_dir_overlapping_another_folder_is_refused_by_every_command(
    kb: Path, refs: Path, settings: str, clash: str, capsys
) -> None:
    (kb / "link").symlink_to(kb / "content", target_is_directory=True)
    (kb / "public" / "pages" / "papers").mkdir(parents=True)
    (kb / "elsewhere").symlink_to(kb, target_is_directory=True)  # the knowledge base again, by a link
    _settings(kb, settings + "\n")
    before = tree(kb)
    for command in COMMANDS:
        code, err = run(capsys, ["--root", str(kb), *_args(command, refs)])
        assert code == 2, (command, err)
        assert "output_dir = " in err and "(set in litweave.toml)" in err and clash in err, (command, err)
    assert tree(kb) == before


def test_the_build_itself_refuses_an_output_folder_inside_the_content(kb: Path) -> None:
    report = build_site(replace(load_config(kb), output_dir="content/site"), jobs=1, search=False)
    assert not report.ok and report.write is None
    assert any("output_dir" in d.message and d.level == "error" for d in report.diagnostics)
    assert not (kb / "content" / "site").exists()


def test_an_existing_folder_of_other_files_is_refused_as_output(kb: Path, capsys) -> None:
    docs = kb / "docs"
    docs.mkdir()
    (docs / "index.html").write_text("<p>my own page</p>\n", encoding="utf-8")
    (docs / "notes.md").write_text("notes\n", encoding="utf-8")
    _settings(kb, 'output_dir = "docs"\n')
    assert _build(kb) == 2
    err = capsys.readouterr().err
    assert 'output_dir = "docs" (set in litweave.toml): docs/' in err
    assert "files litweave did not write (index.html, notes.md" in err
    assert tree(docs) == {"index.html": b"<p>my own page</p>\n", "notes.md": b"notes\n"}
    assert not list(kb.glob(".docs.litweave-staging"))


def test_the_default_site_folder_holding_other_files_is_refused(kb: Path, capsys) -> None:
    (kb / "site").mkdir()
    (kb / "site" / "README").write_text("mine\n", encoding="utf-8")
    assert main(["--root", str(kb), "check"]) == 2
    assert 'output_dir = "site" (the default): site/: it already holds files' in capsys.readouterr().err
    assert tree(kb / "site") == {"README": b"mine\n"}


def test_an_output_dir_that_is_a_file_is_refused(kb: Path, capsys) -> None:
    (kb / "public").write_text("not a folder\n", encoding="utf-8")
    _settings(kb, 'output_dir = "public"\n')
    assert _build(kb) == 2
    assert 'output_dir = "public" (set in litweave.toml): public: a file, not a folder' in capsys.readouterr().err
    assert (kb / "public").read_text(encoding="utf-8") == "not a folder\n"


def test_an_empty_folder_a_built_one_and_one_outside_the_knowledge_base_are_fine(kb: Path, tmp_path: Path) -> None:
    (kb / "public").mkdir()
    _settings(kb, 'output_dir = "public"\n')
    assert _build(kb) == 0 and (kb / "public" / "index.html").is_file()
    assert _build(kb) == 0  # built before: its manifest says so
    outside = tmp_path / "deploy" / "kb-site"
    _settings(kb, f'output_dir = "{outside}"\n')
    assert _build(kb) == 0 and (outside / "index.html").is_file()


# --- content_dir -------------------------------------------------------------------------------


def test_a_missing_content_dir_leaves_the_site_untouched(kb: Path, refs: Path, capsys) -> None:
    """`content_dir = "nonexistent"` built "from 0 pages", deleted every page of site/, exit 0."""
    assert _build(kb) == 0
    site = tree(kb / "site")
    assert len(site) > 50
    _settings(kb, 'content_dir = "nonexistent"\n')
    for command in COMMANDS:
        code, err = run(capsys, ["--root", str(kb), *_args(command, refs)])
        assert code == 2, (command, err)
        assert 'content_dir = "nonexistent" (set in litweave.toml): nonexistent/: no such folder' in err, command
    assert tree(kb / "site") == site
    assert not (kb / "nonexistent").exists()


def test_the_build_itself_stops_on_a_missing_content_folder(kb: Path) -> None:
    assert _build(kb) == 0
    site = tree(kb / "site")
    report = build_site(replace(load_config(kb), content_dir="gone"), jobs=1, search=False)
    assert not report.ok and report.write is None
    assert any("content_dir" in d.message for d in report.diagnostics)
    assert tree(kb / "site") == site


# --- files a person put into site/ -------------------------------------------------------------


def test_a_file_put_into_the_site_by_hand_survives_every_build(kb: Path) -> None:
    assert _build(kb) == 0
    site = kb / "site"
    (site / "notes.txt").write_text("kept\n", encoding="utf-8")
    (site / "papers" / "mine.html").write_text("<p>mine</p>\n", encoding="utf-8")
    (site / "extra" / "deep").mkdir(parents=True)
    (site / "extra" / "deep" / "data.json").write_text("{}\n", encoding="utf-8")
    removed = sorted((kb / "content" / "papers").glob("*.md"))[0]
    removed.unlink()  # its page is pruned: the prune must spare the rest
    assert _build(kb) == 0
    assert not (site / "papers" / removed.stem).exists()
    (kb / "content" / "papers" / "new.md").write_text("---\ntitle: A new paper\nyear: 2020\n---\n", encoding="utf-8")
    assert _build(kb) == 0
    assert _build(kb, "--clean") == 0
    assert (site / "notes.txt").read_text(encoding="utf-8") == "kept\n"
    assert (site / "papers" / "mine.html").read_text(encoding="utf-8") == "<p>mine</p>\n"
    assert (site / "extra" / "deep" / "data.json").read_text(encoding="utf-8") == "{}\n"


@pytest.mark.parametrize("clean", [False, True])
def test_a_file_put_where_a_new_page_goes_is_not_replaced(kb: Path, clean: bool, capsys) -> None:
    assert _build(kb) == 0
    mine = kb / "site" / "colophon" / "index.html"
    mine.parent.mkdir()
    mine.write_text("<p>my own colophon</p>\n", encoding="utf-8")
    before = tree(kb / "site")
    (kb / "content" / "pages").mkdir(exist_ok=True)
    (kb / "content" / "pages" / "colophon.md").write_text("---\ntitle: Colophon\n---\nA page.\n", encoding="utf-8")
    capsys.readouterr()
    assert _build(kb, *(["--clean"] if clean else [])) == 1
    err = capsys.readouterr().err
    assert "colophon/index.html would be replaced, but the build did not write it" in err
    assert tree(kb / "site") == before
    mine.unlink()
    assert _build(kb) == 0 and b"A page." in mine.read_bytes()


def test_init_still_makes_a_knowledge_base_where_there_is_none(tmp_path: Path, refs: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "mylist"]) == 0
    root = tmp_path / "mylist"
    assert main(["--root", str(root), "import", "-q", str(refs)]) == 0
    assert _build(root) == 0 and (root / "site" / "index.html").is_file()
