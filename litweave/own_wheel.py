"""The wheel of the running litweave: what `init` puts into a knowledge base and `upgrade` replaces.

A knowledge base carries the wheel of the litweave that made it, and its requirements.txt names
that file, so its publishing workflow installs that very litweave whether or not a package index
has it (as a Gradle or Maven wrapper pins its tool), and never another party's package that took
the name on an index.

Where the wheel's files come from depends on how litweave runs:

- From an installed wheel (a regular, non-editable install): the installed files as the RECORD
  lists them, each checked against the hash recorded there. A changed or missing file stops with
  an error naming it, since the wheel would carry it under a released version's name. The files
  the installer added (INSTALLER, REQUESTED, direct_url.json, the compiled `.pyc`, the console
  script outside the package) are left out: what remains is the wheel that was installed.
- From a source checkout (run in place, or an editable install, which imports the checkout):
  laid out from pyproject.toml, whose `[tool.setuptools]` tables say which folder each package
  comes from and which data files it carries, with the core metadata from its `[project]` table.
  The build backend is not run: an editable install builds in an isolated environment and leaves
  no setuptools of the version the project needs (77 or later) behind, and a build in a fresh
  isolated environment needs a package index and takes about 12 s, where this takes a few
  hundredths of a second. A pyproject key this module does not read stops it with an error
  saying so, rather than a wheel that lacks what it asks for, and tests/test_wheel.py holds it
  to the files and metadata that `pip wheel .` gives.

Either way the zip is written the same way: its entries in a fixed order (the dist-info last,
RECORD at the very end), every timestamp 1980-01-01, every mode 0644, stored uncompressed, the
RECORD made anew. So the same files give the same bytes on any machine, whatever its zlib, umask
or clock, and nothing of the machine (a path, a user, a time) gets in. Stored rather than
deflated, two versions' wheels, which share most of their files, also delta-compress well in the
knowledge base's git history (git compresses each object itself).
"""

from __future__ import annotations

import base64
import csv
import glob
import hashlib
import importlib
import io
import json
import re
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path
from typing import Any, Literal

from litweave import __version__
from litweave.packaged import PACKAGE

NAME = "litweave"
EPOCH = (1980, 1, 1, 0, 0, 0)
"""The zip timestamp of every entry: the earliest a zip can hold, the same everywhere."""

INSTALLER_FILES = frozenset({"RECORD", "INSTALLER", "REQUESTED", "direct_url.json", "RECORD.jws", "RECORD.p7s"})
"""dist-info files an installer writes or that sign the RECORD: not part of the wheel's content."""

PROJECT_KEYS = frozenset(
    {
        "name",
        "version",
        "dynamic",
        "description",
        "readme",
        "requires-python",
        "license",
        "dependencies",
        "optional-dependencies",
        "scripts",
        "urls",
    }
)
SETUPTOOLS_KEYS = frozenset({"packages", "package-dir", "package-data", "dynamic"})
"""What the checkout's layout is read from; any other key is refused (see the module's doc)."""


class WheelUnavailable(Exception):
    """The running litweave's wheel cannot be made (a changed install, one without a RECORD, a
    checkout whose pyproject.toml asks for what this module does not read)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the running litweave comes from."""

    kind: Literal["checkout", "installed"]
    where: Path
    """The checkout's folder, or the installed package's dist-info folder."""
    direct_url: str | None = None
    """For an install: the file, URL or repository it was installed from (PEP 610's
    direct_url.json), None when the installer recorded none, as for an install by name from an
    index or a find-links folder."""

    def describe(self) -> str:
        if self.kind == "checkout":
            return f"a source checkout ({self.where})"
        return f"installed from {self.direct_url}" if self.direct_url else f"installed at {self.where.parent}"


@dataclass(frozen=True, slots=True)
class Wheel:
    filename: str
    """litweave-<version>-py3-none-any.whl"""
    version: str
    data: bytes
    origin: Origin

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def origin() -> Origin:
    """Where the running litweave comes from: its checkout, or the dist-info of its install (the
    package's own folder when no single dist-info of this version is beside it)."""
    checkout = source_checkout()
    if checkout is not None:
        return Origin("checkout", checkout)
    dist_info = _installed_dist_info()
    if dist_info is None:
        return Origin("installed", PACKAGE)
    direct = dist_info / "direct_url.json"
    url = None
    if direct.is_file():
        try:
            url = str(json.loads(direct.read_text(encoding="utf-8")).get("url") or "") or None
        except (ValueError, OSError, AttributeError):
            url = None
        url = url or f"the place its {direct.name} names"
    return Origin("installed", dist_info, url)


def source_checkout() -> Path | None:
    """The checkout the running litweave is imported from (the folder holding the package and a
    pyproject.toml naming it), None for an installed litweave."""
    checkout = PACKAGE.parent
    try:
        project = _pyproject(checkout).get("project", {})
    except OSError:  # no pyproject.toml beside the package: an install (one that is not TOML is said)
        return None
    return checkout if isinstance(project, dict) and project.get("name") == NAME else None


def running_wheel() -> Wheel:
    """The wheel of the running litweave (WheelUnavailable when it cannot be made)."""
    where = origin()
    if where.kind == "checkout":
        files, dist_info = _checkout_files(where.where)
    elif where.where.name.endswith(".dist-info"):
        files, dist_info = _installed_files(where.where)
    else:
        raise WheelUnavailable(
            f"litweave {__version__} at {PACKAGE} has no dist-info of its version beside it in {PACKAGE.parent}: "
            "it was not installed from a wheel, or the install is broken; install litweave with pip"
        )
    metadata = HeaderParser().parsestr(files[f"{dist_info}/METADATA"].decode("utf-8"))
    version = metadata["Version"] or ""
    if version != __version__:
        raise WheelUnavailable(f"{where.describe()}: its metadata says version {version}, the code {__version__}")
    tags = HeaderParser().parsestr(files[f"{dist_info}/WHEEL"].decode("utf-8")).get_all("Tag") or []
    if not tags:
        raise WheelUnavailable(f"{where.describe()}: {dist_info}/WHEEL names no tag")
    filename = f"{_normalized(NAME)}-{version}-{_compressed(tags)}.whl"
    return Wheel(filename, version, zip_wheel(files, dist_info), where)


def zip_wheel(files: Mapping[str, bytes], dist_info: str) -> bytes:
    """The wheel of these files (by path inside the wheel), with a RECORD made for them, as bytes
    that depend on nothing but the files (see the module's doc)."""
    record_name = f"{dist_info}/RECORD"
    names = sorted((n for n in files if n != record_name), key=lambda n: (n.startswith(f"{dist_info}/"), n))
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name in names:
        writer.writerow([name, record_hash(files[name]), len(files[name])])
    writer.writerow([record_name, "", ""])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in [*((n, files[n]) for n in names), (record_name, record.getvalue().encode("utf-8"))]:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.create_system = 3  # Unix, whatever the platform, so that the mode below is read
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return out.getvalue()


def record_hash(data: bytes) -> str:
    """A file's hash as a RECORD writes it."""
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


# -- from an install ----------------------------------------------------------------------------


def _installed_dist_info() -> Path | None:
    """The one dist-info of this litweave's name and version beside the package, if there is one."""
    found = []
    for candidate in sorted(PACKAGE.parent.glob("*.dist-info")):
        if _normalized(candidate.name.split("-", 1)[0]) != _normalized(NAME):
            continue
        try:
            version = HeaderParser().parsestr((candidate / "METADATA").read_text(encoding="utf-8"))["Version"]
        except OSError:
            continue
        if version == __version__:
            found.append(candidate)
    return found[0] if len(found) == 1 else None


def _installed_files(dist_info: Path) -> tuple[dict[str, bytes], str]:
    site = dist_info.parent
    record = dist_info / "RECORD"
    try:
        rows = list(csv.reader(record.read_text(encoding="utf-8").splitlines()))
    except OSError as exc:
        raise WheelUnavailable(f"{record}: cannot be read ({exc.strerror or exc}): the install lists no files") from exc
    files: dict[str, bytes] = {}
    changed: list[str] = []
    for row in rows:
        if not row:
            continue
        name, digest = row[0], row[1] if len(row) > 1 else ""
        inside = name.split("/")
        if name.startswith(("/", "../")) or "__pycache__" in inside or name.endswith((".pyc", ".pyo")):
            continue
        if inside[0] == dist_info.name and inside[-1] in INSTALLER_FILES:
            continue
        try:
            data = (site / name).read_bytes()
        except OSError:
            changed.append(f"{name} (missing)")
            continue
        if not digest.startswith("sha256=") or record_hash(data) != digest:
            changed.append(f"{name} ({'changed since it was installed' if digest else 'no hash in RECORD'})")
        files[name] = data
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        raise WheelUnavailable(
            f"the installed litweave {__version__} is not the one its wheel held: {shown} (listed in {record}); "
            "reinstall litweave"
        )
    for needed in ("METADATA", "WHEEL"):
        if f"{dist_info.name}/{needed}" not in files:
            raise WheelUnavailable(f"{record}: lists no {needed}: the install is broken; reinstall litweave")
    return files, dist_info.name


# -- from a checkout ----------------------------------------------------------------------------


def _pyproject(checkout: Path) -> dict[str, Any]:
    path = checkout / "pyproject.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise WheelUnavailable(f"{path}: not valid TOML: {exc}") from exc


def _checkout_files(checkout: Path) -> tuple[dict[str, bytes], str]:
    """The wheel's files, laid out as pyproject.toml says (see the module's doc)."""
    data = _pyproject(checkout)
    project: dict[str, Any] = data.get("project", {})
    setuptools: dict[str, Any] = data.get("tool", {}).get("setuptools", {})
    where = checkout / "pyproject.toml"
    tables = (("[project]", project, PROJECT_KEYS), ("[tool.setuptools]", setuptools, SETUPTOOLS_KEYS))
    for table, keys, known in tables:
        unread = sorted(set(keys) - known)
        if unread:
            raise WheelUnavailable(
                f"{where}: {table} sets {', '.join(unread)}, which litweave's own wheel maker does not read "
                "(litweave/own_wheel.py): teach it, or build the wheel with `pip wheel .`"
            )
    version = _version(project, setuptools, where)
    dist_info = f"{_normalized(project['name'])}-{version}.dist-info"
    files: dict[str, bytes] = {}
    mapping: dict[str, str] = setuptools.get("package-dir", {})
    data_globs: dict[str, list[str]] = setuptools.get("package-data", {})
    for package in setuptools.get("packages", []):
        folder = checkout / _package_folder(package, mapping)
        if not folder.is_dir():
            raise WheelUnavailable(f"{where}: package {package}'s folder {folder} does not exist")
        inside = package.replace(".", "/")
        names = set(glob.glob("*.py", root_dir=folder))
        for pattern in [*data_globs.get("*", []), *data_globs.get(package, [])]:
            names |= set(glob.glob(pattern, root_dir=folder))
        for name in sorted(names):
            if (folder / name).is_file():
                files[f"{inside}/{Path(name).as_posix()}"] = (folder / name).read_bytes()
    files[f"{dist_info}/METADATA"] = _metadata(project, version, checkout).encode("utf-8")
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: litweave\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    top_level = sorted({package.split(".")[0] for package in setuptools.get("packages", [])})
    files[f"{dist_info}/top_level.txt"] = "".join(f"{name}\n" for name in top_level).encode("utf-8")
    scripts: dict[str, str] = project.get("scripts", {})
    if scripts:
        lines = ["[console_scripts]", *(f"{name} = {target}" for name, target in sorted(scripts.items()))]
        files[f"{dist_info}/entry_points.txt"] = ("\n".join(lines) + "\n").encode("utf-8")
    return files, dist_info


def _version(project: Mapping[str, Any], setuptools: Mapping[str, Any], where: Path) -> str:
    if "version" in project:
        return str(project["version"])
    dynamic = project.get("dynamic", [])
    attr = setuptools.get("dynamic", {}).get("version", {}).get("attr")
    if dynamic != ["version"] or not isinstance(attr, str) or "." not in attr:
        raise WheelUnavailable(
            f"{where}: the version must be set in [project] or by [tool.setuptools.dynamic] version = "
            "{ attr = ... } (the only dynamic field litweave's own wheel maker reads)"
        )
    module, _, name = attr.rpartition(".")
    return str(getattr(importlib.import_module(module), name))


def _package_folder(package: str, mapping: Mapping[str, str]) -> str:
    """The folder a package's files are in, as setuptools' package-dir maps it: the longest mapped
    prefix of its name, then the rest of the name as folders."""
    parts = package.split(".")
    cut = next(cut for cut in range(len(parts), -1, -1) if cut == 0 or ".".join(parts[:cut]) in mapping)
    return "/".join(p for p in [mapping.get(".".join(parts[:cut]), ""), *parts[cut:]] if p)


CONTENT_TYPES = {".md": "text/markdown", ".rst": "text/x-rst"}


def _metadata(project: Mapping[str, Any], version: str, checkout: Path) -> str:
    """Core metadata 2.4 from the [project] table."""
    lines = ["Metadata-Version: 2.4", f"Name: {project['name']}", f"Version: {version}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    for label, url in project.get("urls", {}).items():
        lines.append(f"Project-URL: {label}, {url}")
    if "license" in project:
        if not isinstance(project["license"], str):
            raise WheelUnavailable(f"{checkout / 'pyproject.toml'}: [project] license must be an SPDX expression")
        lines.append(f"License-Expression: {project['license']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    body = ""
    if "readme" in project:
        readme = project["readme"]
        if not isinstance(readme, str):
            raise WheelUnavailable(f"{checkout / 'pyproject.toml'}: [project] readme must name a file")
        body = (checkout / readme).read_text(encoding="utf-8")
        lines.append(f"Description-Content-Type: {CONTENT_TYPES.get(Path(readme).suffix.lower(), 'text/plain')}")
    lines += [f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        for requirement in requirements:
            spec, _, marker = (part.strip() for part in requirement.partition(";"))
            condition = f'({marker}) and extra == "{extra}"' if marker else f'extra == "{extra}"'
            lines.append(f"Requires-Dist: {spec}; {condition}")
    return "\n".join(lines) + "\n\n" + body


def _normalized(name: str) -> str:
    """A project name as wheel file names spell it."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _compressed(tags: list[str]) -> str:
    """The wheel file name's tag part for a wheel's `Tag:` lines (py3-none-any for one tag)."""
    parts = [t.split("-") for t in tags]
    return "-".join(".".join(sorted({p[i] for p in parts})) for i in range(3))
