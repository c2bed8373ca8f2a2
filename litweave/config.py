"""Site settings: typed, with defaults, read from `[tool.litweave]` in the knowledge base's
pyproject.toml (or a `litweave.toml` beside it). Unknown keys are an error, so a typo is caught
rather than silently ignored. Which folders the settings may name is `places.py`'s to say.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from litweave.lint.rules import settings_problems


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

    @property
    def where(self) -> str:
        """How messages name it: "litweave.toml", "pyproject.toml [tool.litweave]"."""
        return f"{self.name} [{'.'.join(self.section)}]" if self.section else self.name


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
        found.append(SettingsFile(name, section, data if isinstance(data, dict) else None))
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
    for file in settings_files(root):
        data = dict(file.table or {})
        check = data.pop("check", None)
        if check is not None:
            severities.update(_check_table(check, file.name, file.section))
        _validate(data, file.where)
        settings.update(data)
    config = Config(root=root, check=severities, **settings)  # type: ignore[arg-type]
    given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    config = replace(config, **given)
    return replace(config, base_url=normalize_base_url(config.base_url), site_url=normalize_site_url(config.site_url))


def _validate(data: dict[str, object], where: str) -> None:
    """Unknown names and non-string values, reported with the file (and table) they are in."""
    known = {f.name for f in fields(Config)} - {"root", "check"}
    unknown = sorted(set(data) - known)
    if unknown:
        near = {key: difflib.get_close_matches(key, sorted(known), n=1) for key in unknown}
        named = ", ".join(f"{key} (did you mean {near[key][0]}?)" if near[key] else key for key in unknown)
        raise ConfigError(f"{where}: unknown setting(s): {named}")
    for key, value in data.items():
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be a string, not {type(value).__name__}")


def normalize_site_url(value: str) -> str:
    """ "" or an http(s) URL ending in "/", so that a site-relative path is simply appended."""
    value = value.strip()
    if not value:
        return ""
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
        raise ConfigError(
            f"[tool.litweave] site_url must be a full http(s) URL like https://example.org/, not {value!r}"
        )
    return value.rstrip("/") + "/"


def _check_table(value: object, name: str, section: tuple[str, ...]) -> dict[str, str]:
    """The `[check]` table of one settings file: rule id → severity, each checked."""
    table = "[" + ".".join((*section, "check")) + "]"
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: {table} must be a table of rule = severity, not {type(value).__name__}")
    problems = settings_problems(value)
    if problems:
        raise ConfigError(f"{name}: {table}: {'; '.join(problems)}")
    return {str(k): str(v) for k, v in value.items()}
