"""Settings errors name the file (and table) they are in, and suggest the setting meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from litweave.config import ConfigError, load_config


def test_a_typo_in_litweave_toml_is_named_with_its_file_and_the_setting_meant(tmp_path: Path) -> None:
    (tmp_path / "litweave.toml").write_text('titel = "My list"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == "litweave.toml: unknown setting(s): titel (did you mean title?)"


def test_a_bad_value_in_pyproject_is_named_with_its_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.litweave]\nbase_url = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == "pyproject.toml [tool.litweave]: base_url must be a string, not int"


def test_an_unknown_name_far_from_any_setting_gets_no_suggestion(tmp_path: Path) -> None:
    (tmp_path / "litweave.toml").write_text('colour_scheme = "dark"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^litweave.toml: unknown setting\(s\): colour_scheme$"):
        load_config(tmp_path)
