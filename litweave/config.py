"""Site settings: typed, with defaults, read from `[tool.litweave]` in the knowledge base's
pyproject.toml (or a `litweave.toml` beside it). Unknown keys are an error, so a typo is caught
rather than silently ignored. Which folders the settings may name is `places.py`'s to say.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from litweave.lint.rules import RULE_IDS, settings_problems


class ConfigError(Exception):
    """Settings that cannot be used: the command stops with this message."""


@dataclass(frozen=True, slots=True)
class Config:
    """Where things are and how the site presents itself."""

    root: Path
    """The knowledge base folder (holds content/, templates/, site/)."""
    title: str = "litweave"
    """Site title, shown in the header and the page titles."""
    description: str = ""
    """One line about the site, shown on the home page."""
    base_url: str = "/"
    """URL path the site is served under: "/" locally, "/repo/" on GitHub Pages (`build --base-url`
    overrides it; the GitHub Pages workflow passes the path GitHub reports)."""
    site_url: str = ""
    """Where the site is published, in full ("https://example.org/repo/"): feeds, the sitemap and
    robots.txt need absolute URLs and are made only when it is set."""
    content_dir: str = "content"
    """The folder of the pages (papers/, authors/, mechanisms/, pages/), relative to the knowledge base;
    it must exist (a build from a folder that is not there stops, leaving the site as it was)."""
    templates_dir: str = "templates"
    """The folder of your own templates and static/ assets; each file here replaces the one litweave
    ships, and every file it lacks comes from litweave."""
    output_dir: str = "site"
    """The folder the site is built into; litweave owns it and removes pages no longer produced, so it
    must be a folder of its own: not the knowledge base's folder, content_dir or templates_dir (nor
    inside or around them), and new, empty or built by litweave before."""
    check: Mapping[str, str] = field(default_factory=dict, hash=False)
    """The severity of `litweave check`'s rules, by rule id: error, warning, info or off, e.g.
    duplicate-doi = "warning" (a table: [check] here, [tool.litweave.check] in pyproject.toml).
    Rules not named keep their defaults; an unknown rule id is an error (the rules: README, Check)."""

    @property
    def content(self) -> Path:
        return self.root / self.content_dir

    @property
    def templates(self) -> Path:
        return self.root / self.templates_dir

    @property
    def output(self) -> Path:
        return self.root / self.output_dir


def normalize_base_url(value: str) -> str:
    """Base URLs always start and end with "/" so that joining never doubles or drops one."""
    value = value.strip()
    if "://" in value:  # a full URL: keep only its path, links stay root-relative
        value = "/" + value.split("://", 1)[1].partition("/")[2]
    return "/" + value.strip("/") + "/" if value.strip("/") else "/"


SETTINGS_FILES = (("pyproject.toml", ("tool", "litweave")), ("litweave.toml", ()))
"""Where settings are read, in order (a later file's keys win), with the table they are in."""


@dataclass(frozen=True, slots=True)
class SettingsFile:
    """One settings file of a knowledge base, read."""

    name: str
    section: tuple[str, ...]
    table: dict[str, object] | None
    """Its litweave table; None when the file has none (a pyproject.toml of another project)."""
    text: str = ""
    """The file as read, for the line of a key in a message."""

    @property
    def where(self) -> str:
        """How messages name it: "litweave.toml", "pyproject.toml [tool.litweave]"."""
        return f"{self.name} [{'.'.join(self.section)}]" if self.section else self.name

    def at(self, table: tuple[str, ...], key: str | None = None) -> str:
        """How a message names a key of a table (a sub-table of the litweave table): the file,
        the key's line and the table, e.g. "litweave.toml:14: [check]"."""
        full = (*self.section, *table)
        line = key_line(self.text, full, key) if key is not None else None
        place = f"{self.name}:{line}" if line is not None else self.name
        return f"{place}: [{'.'.join(full)}]" if full else place


_TABLE_LINE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def _key_name(raw: str) -> str:
    raw = raw.strip()
    return raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" else raw


def key_line(text: str, table: tuple[str, ...], key: str | None) -> int | None:
    """The 1-based line where `key` is set in `table` of a TOML text (dotted keys and inline
    tables aside: enough to point a person at the line). tomllib keeps no positions."""
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE_LINE.match(line)
        if header and not line.lstrip().startswith("[["):
            current = tuple(_key_name(part) for part in header.group(1).split("."))
            continue
        name, sep, _value = line.partition("=")
        if sep and current == table and _key_name(name) == key and not line.lstrip().startswith("#"):
            return number
    return None


def settings_files(root: Path) -> list[SettingsFile]:
    """The settings files present at `root`, parsed; a file that is not TOML is a ConfigError."""
    found: list[SettingsFile] = []
    for name, section in SETTINGS_FILES:
        path = root / name
        try:
            if not path.is_file():
                continue
            data: object = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}: not valid TOML: {exc}") from exc
        except OSError as exc:
            raise ConfigError(f"{name}: cannot be read: {exc.strerror or exc}") from exc
        for key in section:
            data = data.get(key) if isinstance(data, dict) else None
        found.append(SettingsFile(name, section, data if isinstance(data, dict) else None, path.read_text("utf-8")))
    return found


def where_set(root: Path, key: str) -> str | None:
    """The settings file a setting's value comes from (the last that sets it), None for a default."""
    where = None
    for file in settings_files(root):
        if file.table is not None and key in file.table:
            where = file.where
    return where


def load_config(root: Path, **overrides: str | None) -> Config:
    """Read the settings of the knowledge base at `root`; command-line overrides win."""
    settings: dict[str, object] = {}
    severities: dict[str, str] = {}
    files = settings_files(root)
    for file in files:
        data = dict(file.table or {})
        check = data.pop("check", None)
        if check is not None:
            severities.update(_check_table(check, file))
        _validate(data, file)
        settings.update(data)
    config = Config(root=root, check=severities, **settings)  # type: ignore[arg-type]
    given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    config = replace(config, **given)
    try:
        site_url = normalize_site_url(config.site_url)
    except ConfigError as exc:
        where = (
            "--site-url"
            if "site_url" in given
            else next(
                (f.at((), "site_url") for f in reversed(files) if f.table is not None and "site_url" in f.table), ""
            )
        )
        raise ConfigError(f"{where}: {exc}" if where else str(exc)) from exc
    return replace(config, base_url=normalize_base_url(config.base_url), site_url=site_url)


SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Config) if f.name not in ("root", "check"))
"""The settings a litweave table holds (`check` is a table of its own)."""


def _validate(data: dict[str, object], file: SettingsFile) -> None:
    """Unknown names and non-string values, reported with the file, line and table they are in."""
    for key in sorted(set(data) - set(SETTING_NAMES)):
        near = difflib.get_close_matches(key, sorted(SETTING_NAMES), n=1)
        value = data[key]
        if isinstance(value, dict) and (inside := sorted(set(value) & set(SETTING_NAMES))):
            raise ConfigError(
                f"{file.at((key,), inside[0])}: {inside[0]} is a setting, and this table is [{key}], which "
                f"litweave does not read; in TOML every key after a [table] line belongs to that table, "
                "so move the setting above it"
            )
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise ConfigError(f"{file.at((), key)}: unknown setting {key}{hint}")
    for key, value in data.items():
        if not isinstance(value, str):
            raise ConfigError(f"{file.at((), key)}: {key} must be a string, not {type(value).__name__}")


def normalize_site_url(value: str) -> str:
    """ "" or an http(s) URL ending in "/", so that a site-relative path is simply appended."""
    value = value.strip()
    if not value:
        return ""
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
        raise ConfigError(f"site_url must be a full http(s) URL like https://example.org/, not {value!r}")
    return value.rstrip("/") + "/"


def _check_table(value: object, file: SettingsFile) -> dict[str, str]:
    """The `[check]` table of one settings file: rule id → severity, each checked."""
    if not isinstance(value, dict):
        raise ConfigError(f"{file.at(())}: check must be a table of rule = severity, not {type(value).__name__}")
    for key in value:
        if key in SETTING_NAMES:  # a setting added at the end of the file, after the [check] line
            raise ConfigError(
                f"{file.at(('check',), key)}: {key} is a setting, not one of check's rules; in TOML every "
                "key after the [check] line belongs to that table, so move it above the [check] line"
            )
    for key, problem in settings_problems(value):
        near = difflib.get_close_matches(str(key), SETTING_NAMES, n=1)
        if near and not difflib.get_close_matches(str(key), RULE_IDS, n=1):
            problem = f"unknown rule {key!r}; if it is the setting {near[0]}, move it above the [check] line"
        raise ConfigError(f"{file.at(('check',), key)}: {problem}")
    return {str(k): str(v) for k, v in value.items()}
