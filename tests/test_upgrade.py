"""`litweave upgrade`: the knowledge base's workflow installs the litweave that runs it, the wheel
swapped and requirements.txt's litweave line changed, each change said; nothing else touched, a
second run a no-op, and refusals (outside a knowledge base, litweave's own checkout, an older
litweave, an ambiguous requirements.txt, the index for a checkout) before anything is written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from litweave import __version__, own_wheel
from litweave.cli import main
from litweave.pinning import EARLIER_HEADERS, HEADERS

REPO = Path(__file__).resolve().parents[1]
WHEEL_NAME = f"litweave-{__version__}-py3-none-any.whl"
LINE = f"./.litweave/{WHEEL_NAME}"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time: what 'nothing written' means."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    assert main(["init", str(root)]) == 0
    return root


def _upgrade(root: Path, *options: str) -> int:
    return main(["--root", str(root), "upgrade", *options])


def _requirements(root: Path) -> str:
    return (root / "requirements.txt").read_bytes().decode("utf-8")


def _as_made_by(root: Path, version: str, text: str | None = None) -> None:
    """Make the knowledge base look made by another litweave: its wheel and line for `version`."""
    old = root / ".litweave" / f"litweave-{version}-py3-none-any.whl"
    (root / ".litweave" / WHEEL_NAME).rename(old)
    old.write_bytes(b"the wheel of litweave " + version.encode())
    text = text if text is not None else _requirements(root).replace(LINE, f"./.litweave/{old.name}")
    (root / "requirements.txt").write_bytes(text.encode("utf-8"))


def test_a_fresh_knowledge_base_is_up_to_date_and_nothing_is_written(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(kb)
    capsys.readouterr()
    assert _upgrade(kb) == 0
    out, err = capsys.readouterr()
    assert f"litweave {__version__} already" in out and "nothing written" in out
    assert err == ""  # its workflow is the one this litweave writes: no note
    assert _state(kb) == before


def test_an_older_wheel_is_replaced_and_each_change_is_said(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _as_made_by(kb, "0.0.9")
    capsys.readouterr()
    assert _upgrade(kb) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"wrote .litweave/{WHEEL_NAME} (litweave {__version__}, sha256 ")
    assert out[1:] == [
        f"requirements.txt: ./.litweave/litweave-0.0.9-py3-none-any.whl → {LINE}",
        "removed .litweave/litweave-0.0.9-py3-none-any.whl",
        f"upgraded from litweave 0.0.9 to {__version__}",
    ]
    assert sorted(p.name for p in (kb / ".litweave").iterdir()) == [WHEEL_NAME]
    assert (kb / ".litweave" / WHEEL_NAME).read_bytes() == own_wheel.running_wheel().data
    assert _requirements(kb) == HEADERS["wheel"] + LINE + "\n"
    before = _state(kb)
    assert _upgrade(kb) == 0  # and again: nothing to do
    assert _state(kb) == before
    assert "already" in capsys.readouterr().out


def test_the_same_version_with_other_contents_is_replaced(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel = kb / ".litweave" / WHEEL_NAME
    wheel.write_bytes(b"an older build of the same version")
    old = hashlib.sha256(wheel.read_bytes()).hexdigest()
    requirements = _requirements(kb)
    capsys.readouterr()
    assert _upgrade(kb) == 0
    out = capsys.readouterr().out
    assert f"replaced .litweave/{WHEEL_NAME}: the same version, other contents (sha256 {old[:12]}… → " in out
    assert wheel.read_bytes() == own_wheel.running_wheel().data
    assert _requirements(kb) == requirements


def test_a_knowledge_base_from_the_former_init_moves_to_the_wheel(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What init wrote before it carried its wheel: a pin no index had (the first push failed)."""
    (kb / ".litweave" / WHEEL_NAME).unlink()
    (kb / ".litweave").rmdir()
    (kb / "requirements.txt").write_text(EARLIER_HEADERS[0] + f"litweave=={__version__}\n", encoding="utf-8")
    capsys.readouterr()
    assert _upgrade(kb) == 0
    out = capsys.readouterr().out
    assert f"requirements.txt: litweave=={__version__} → {LINE}" in out
    assert _requirements(kb) == HEADERS["wheel"] + LINE + "\n"  # the outdated advice went with it
    assert (kb / ".litweave" / WHEEL_NAME).is_file()


def test_every_other_line_of_requirements_is_kept(kb: Path) -> None:
    mine = (
        "# my own notes\n"
        "rich>=13  # for my scripts\n"
        "./.litweave/litweave-0.0.9-py3-none-any.whl   # pinned on purpose\r\n"
        "-r more.txt\n"
        "pyyaml\n"
    )
    _as_made_by(kb, "0.0.9", mine)
    assert _upgrade(kb) == 0
    assert _requirements(kb) == mine.replace("./.litweave/litweave-0.0.9-py3-none-any.whl", LINE)


def test_a_requirements_file_without_litweave_gets_it_added(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kb / "requirements.txt").write_text("pyyaml", encoding="utf-8")
    capsys.readouterr()
    assert _upgrade(kb) == 0
    assert _requirements(kb) == f"pyyaml\n{LINE}\n"
    assert f"requirements.txt: added {LINE} (it named no litweave)" in capsys.readouterr().out


def test_a_missing_requirements_file_is_written(kb: Path) -> None:
    (kb / "requirements.txt").unlink()
    assert _upgrade(kb) == 0
    assert _requirements(kb) == HEADERS["wheel"] + LINE + "\n"


@pytest.mark.parametrize(
    "requirement",
    [
        "litweave==0.0.9",
        "LitWeave[extra] >= 0.0.1",
        "litweave @ git+https://example.org/litweave@main",
        "git+https://example.org/x.git#egg=litweave",
        "downloads/litweave-0.0.9.tar.gz",
    ],
)
def test_two_lines_naming_litweave_are_refused(kb: Path, requirement: str, capsys: pytest.CaptureFixture[str]) -> None:
    (kb / "requirements.txt").write_text(
        f"{LINE}\n# a comment: litweave==9\nlitweave-tools\n{requirement}\n", encoding="utf-8"
    )
    before = _state(kb)
    capsys.readouterr()
    assert _upgrade(kb) == 2
    err = capsys.readouterr().err
    assert f"line 1: {LINE}; line 4: {requirement}" in err and "nothing written" in err
    assert _state(kb) == before


def test_an_older_litweave_does_not_downgrade_unless_asked(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _as_made_by(kb, "99.0.0")
    before = _state(kb)
    capsys.readouterr()
    assert _upgrade(kb) == 2
    err = capsys.readouterr().err
    assert f"names litweave 99.0.0, newer than the litweave {__version__} you run" in err
    assert "--allow-downgrade" in err and "nothing written" in err
    assert _state(kb) == before
    assert _upgrade(kb, "--allow-downgrade") == 0
    assert sorted(p.name for p in (kb / ".litweave").iterdir()) == [WHEEL_NAME]


def test_a_chosen_index_pin_stays_an_index_pin_or_moves_to_the_wheel_when_asked(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _as_made_by(kb, "0.0.9", HEADERS["index"] + "litweave==0.0.9\n")
    before = _state(kb)
    capsys.readouterr()
    # this checkout's litweave is on no index: pinning its version there is refused
    assert _upgrade(kb) == 2
    err = capsys.readouterr().err
    assert "requirements.txt pins litweave on the package index (litweave==0.0.9)" in err
    assert "runs from a source checkout" in err and "pass --wheel" in err and "nothing written" in err
    assert _state(kb) == before
    assert _upgrade(kb, "--wheel") == 0
    assert _requirements(kb) == HEADERS["wheel"] + LINE + "\n"
    assert sorted(p.name for p in (kb / ".litweave").iterdir()) == [WHEEL_NAME]


def test_an_index_pin_for_a_litweave_that_may_be_on_an_index(
    kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Installed by name, with no record of where from: --from-index is taken at its word."""
    monkeypatch.setattr(own_wheel, "origin", lambda: own_wheel.Origin("installed", Path("site/litweave.dist-info")))
    capsys.readouterr()
    assert _upgrade(kb, "--from-index") == 0
    out = capsys.readouterr().out
    assert f"requirements.txt: {LINE} → litweave=={__version__}" in out
    assert f"removed .litweave/{WHEEL_NAME}" in out
    assert _requirements(kb) == HEADERS["index"] + f"litweave=={__version__}\n"
    assert list((kb / ".litweave").iterdir()) == []
    before = _state(kb)
    assert _upgrade(kb) == 0  # an index pin stays one
    assert _state(kb) == before


def test_a_changed_workflow_is_noted_and_left_as_it_is(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workflow = kb / ".github" / "workflows" / "pages.yml"
    workflow.write_text(workflow.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    before = _state(kb)
    capsys.readouterr()
    assert _upgrade(kb) == 0
    assert ".github/workflows/pages.yml differs from the workflow" in capsys.readouterr().err
    assert _state(kb) == before


def test_outside_a_knowledge_base_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "requirements.txt").write_text("litweave==0.0.9\n", encoding="utf-8")
    before = _state(tmp_path)
    assert main(["--root", str(tmp_path), "upgrade"]) == 2
    assert "is not a litweave knowledge base" in capsys.readouterr().err
    assert _state(tmp_path) == before


def test_litweave_s_own_checkout_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in REPO.iterdir())
    assert main(["--root", str(REPO), "upgrade"]) == 2
    assert "litweave's own source" in capsys.readouterr().err
    assert sorted(p.name for p in REPO.iterdir()) == before
