"""`litweave check`'s interface: severities from the settings, the JSON document, the exit codes,
and the printed lines."""

from __future__ import annotations

import json
from pathlib import Path

from check_helpers import NAHTA, PLANTED, line_of, of_rule, run_json

from litweave.cli import main
from litweave.lint.rules import RULES


def _settings(kb: Path, text: str, name: str = "pyproject.toml") -> None:
    (kb / name).write_text(text, encoding="utf-8")


def test_json_document_has_every_field_and_nothing_else_is_on_stdout(kb: Path, capsys) -> None:
    code, doc = run_json(kb, capsys)  # json.loads would fail on anything else
    assert code == 1
    assert set(doc) == {"findings", "summary"}
    assert doc["findings"] and all(set(f) == {"rule", "severity", "file", "line", "message"} for f in doc["findings"])
    summary = doc["summary"]
    for level in ("error", "warning", "info"):
        assert summary[level] == sum(1 for f in doc["findings"] if f["severity"] == level)
    assert {"content_files", "base_url", "base_url_from", "pages", "links", "urls"} <= set(summary)
    assert of_rule(doc, "no-site")[0]["file"] == "site/"  # nothing built yet: said, as an error


def test_severities_from_pyproject_warning_and_off_make_the_exit_zero(kb: Path, capsys) -> None:
    assert main(["--root", str(kb), "check"]) == 1
    _settings(kb, '[tool.litweave.check]\nbroken-wikilink = "warning"\nno-site = "off"\n')
    code, doc = run_json(kb, capsys)
    assert code == 0
    assert [f["severity"] for f in of_rule(doc, "broken-wikilink")] == ["warning"]
    assert of_rule(doc, "no-site") == []
    _settings(kb, '[tool.litweave.check]\nbroken-wikilink = "off"\nno-site = "off"\n')
    code, doc = run_json(kb, capsys)
    assert code == 0 and of_rule(doc, "broken-wikilink") == []
    _settings(kb, '[tool.litweave.check]\nmarkup-in-title = "error"\nno-site = "off"\nbroken-wikilink = "off"\n')
    code, doc = run_json(kb, capsys)
    assert code == 1 and [f["severity"] for f in of_rule(doc, "markup-in-title")] == ["error"]


def test_severities_from_litweave_toml(kb: Path, capsys) -> None:
    _settings(kb, '[check]\nbroken-wikilink = "info"\nno-site = "off"\n', "litweave.toml")
    code, doc = run_json(kb, capsys)
    assert code == 0 and [f["severity"] for f in of_rule(doc, "broken-wikilink")] == ["info"]
    # an info is printed only with -v
    assert main(["--root", str(kb), "check"]) == 0
    assert PLANTED not in capsys.readouterr().err
    assert main(["--root", str(kb), "check", "-v"]) == 0
    assert PLANTED in capsys.readouterr().err


def test_unknown_rule_or_severity_is_a_settings_error_naming_it(kb: Path, capsys) -> None:
    _settings(kb, '[tool.litweave.check]\nduplicate-dois = "warning"\n')
    assert main(["--root", str(kb), "check"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml:" in err and ": [tool.litweave.check]: unknown rule 'duplicate-dois'" in err
    _settings(kb, '[tool.litweave.check]\nduplicate-doi = "fatal"\n')
    assert main(["--root", str(kb), "check"]) == 2
    assert "duplicate-doi = 'fatal': a severity is one of error, warning, info, off" in capsys.readouterr().err
    _settings(kb, '[tool.litweave]\ncheck = "strict"\n')
    assert main(["--root", str(kb), "build"]) == 2
    assert "must be a table of rule = severity" in capsys.readouterr().err


def test_printed_lines_read_severity_file_line_message_rule(kb: Path, capsys) -> None:
    assert main(["--root", str(kb), "check"]) == 1
    captured = capsys.readouterr()
    line = line_of(kb / NAHTA, PLANTED)
    expected = f"error: {NAHTA}:{line}: wikilink [[No Such Page]] matches no page [broken-wikilink]"
    assert expected in captured.err.splitlines()
    errors = sum(1 for printed in captured.err.splitlines() if printed.startswith("error: "))
    assert errors == 2  # the wikilink, and no site built yet
    assert captured.out.startswith("checked 11 content files") and f": {errors} errors, " in captured.out


def test_every_rule_is_documented() -> None:
    from conftest import REPO

    page = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    missing = [r.id for r in RULES if f"`{r.id}`" not in page]
    assert missing == []


def test_json_is_the_same_for_the_same_knowledge_base(kb: Path, capsys) -> None:
    _c, first = run_json(kb, capsys)
    _c, second = run_json(kb, capsys)
    assert json.dumps(first) == json.dumps(second)


def test_the_terminal_sums_up_one_finding_repeated_on_many_pages() -> None:
    from litweave.lint.rules import Finding, terminal_lines

    message = "'/static/style.css' answers 404"
    missing = [Finding("broken-asset", message, f"site/p{i}/index.html", 7) for i in range(40)]
    other = Finding("broken-wikilink", "wikilink [[x]] matches no page", "content/papers/a.md", 3)
    lines = terminal_lines([*missing[:20], other, *missing[20:]])
    assert lines[:5] == [str(f) for f in missing[:5]]
    assert lines[5] == (
        "error: … and 35 more places with the same finding ('/static/style.css' answers 404) [broken-asset]; "
        "-v or --format json lists them all"
    )
    assert str(other) in lines and len(lines) == 7
    assert terminal_lines(missing[:5]) == [str(f) for f in missing[:5]]  # no summary line when all are shown
