"""Settings errors name the file, line and table they are in, suggest the setting meant, and
say so when a setting sits under a table that takes no settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from litweave.config import ConfigError, load_config


def test_a_typo_in_litweave_toml_is_named_with_its_file_and_the_setting_meant(tmp_path: Path) -> None:
    (tmp_path / "litweave.toml").write_text('titel = "My list"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == "litweave.toml:1: unknown setting titel (did you mean title?)"


def test_a_bad_value_in_pyproject_is_named_with_its_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.litweave]\nbase_url = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == "pyproject.toml:2: [tool.litweave]: base_url must be a string, not int"


def test_an_unknown_name_far_from_any_setting_gets_no_suggestion(tmp_path: Path) -> None:
    (tmp_path / "litweave.toml").write_text('colour_scheme = "dark"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^litweave.toml:1: unknown setting colour_scheme$"):
        load_config(tmp_path)


def test_a_setting_appended_after_the_check_table_is_named_with_its_line(tmp_path: Path) -> None:
    # what a person does: add a line at the end of the file init wrote, which ends in [check]
    (tmp_path / "litweave.toml").write_text(
        'title = "My list"\n\n# severities\n[check]\nduplicate-doi = "warning"\nsite_url = "https://x.org/"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith("litweave.toml:6: [check]: site_url is a setting, not one of check's rules")
    assert "move it above the [check] line" in str(caught.value)
    (tmp_path / "litweave.toml").write_text('[check]\ntitel = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^litweave.toml:2: \[check\]: unknown rule 'titel'; if it is the setting"):
        load_config(tmp_path)


def test_a_setting_under_a_table_litweave_does_not_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.litweave]\ntitle = "T"\n\n[tool.litweave.site]\nbase_url = "/repo/"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(
        "pyproject.toml:5: [tool.litweave.site]: base_url is a setting, and this table is [site]"
    )


def test_a_site_url_that_is_no_url_is_named_where_it_is_set(tmp_path: Path) -> None:
    (tmp_path / "litweave.toml").write_text('title = "T"\nsite_url = "ftp:x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^litweave.toml:2: site_url must be a full http"):
        load_config(tmp_path)
    (tmp_path / "litweave.toml").write_text('title = "T"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^--site-url: site_url must be a full http"):
        load_config(tmp_path, site_url="nope")
