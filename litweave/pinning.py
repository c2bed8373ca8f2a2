"""How a knowledge base's requirements.txt names the litweave its publishing workflow installs.

By default, the wheel of the litweave that made it (or last upgraded it), kept in `.litweave/`
(own_wheel.py says why and how it is made): `./.litweave/litweave-<version>-py3-none-any.whl`.
Or, made with `init --from-index`, `litweave==VERSION` from the package index the workflow uses.

Whether a litweave installed by name came from the index the workflow uses cannot be told: an
install from an index leaves no record of which index (or find-links folder) it was, and the
same name on another index may be another party's package. So the wheel is the default, and
`--from-index` is the person's word that the index has this version; it is refused only where
something shows the running litweave did not come from an index (a checkout, an install from a
file or an address).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from litweave import __version__, own_wheel

Mode = Literal["wheel", "index"]

WHEEL_DIR = ".litweave"
REQUIREMENTS = "requirements.txt"

_TOP = "# What the GitHub Pages workflow (.github/workflows/pages.yml) installs to build this site.\n"
HEADERS: dict[Mode, str] = {
    "wheel": _TOP + "# litweave: the wheel of the litweave that made this knowledge base, kept in .litweave/, so\n"
    "# the workflow installs that very litweave and needs no package index for it. `litweave\n"
    "# upgrade` puts the wheel of the litweave you run in its place.\n",
    "index": _TOP + "# litweave: the version that made this knowledge base, from the package index the workflow\n"
    "# uses. `litweave upgrade` pins the litweave you run; `litweave upgrade --wheel` keeps its\n"
    "# wheel in .litweave/ instead, so that the workflow needs no index for it.\n",
}
"""The comment init writes at the top of requirements.txt, by how the file names litweave."""

EARLIER_HEADERS = (
    _TOP + "# The litweave that made this knowledge base; change the version to upgrade. If litweave is\n"
    "# not on your package index, name its source instead, for example:\n"
    "#   litweave @ git+https://github.com/OWNER/litweave@main\n",
)
"""What init wrote before it carried its wheel; a file that starts with one was given its
`litweave==VERSION` line by init, not chosen by a person, so upgrade moves it to the wheel."""

_NAMED = re.compile(r"litweave\s*(\[[^\]]*\])?\s*($|[<>=!~;@\s])", re.I)
_PINNED = re.compile(r"litweave\s*={2,3}\s*([^\s;,]+)\s*$", re.I)
_ARCHIVE = re.compile(r"(?:^|[/\\=])litweave-([^-/\\]+)(?:-[^/\\]*)?\.(?:whl|tar\.gz|zip)$", re.I)
_COMMENT = re.compile(r"(^|\s+)#.*$")


class PinRefused(Exception):
    """The running litweave cannot be named as asked; nothing was written."""


@dataclass(frozen=True, slots=True)
class Pin:
    """How requirements.txt names the running litweave."""

    mode: Mode
    version: str
    line: str
    wheel: own_wheel.Wheel | None
    """The wheel to keep in .litweave/ (None when pinning the index)."""

    @property
    def wheel_path(self) -> str | None:
        return f"{WHEEL_DIR}/{self.wheel.filename}" if self.wheel else None


def index_refusal(origin: own_wheel.Origin) -> str | None:
    """Why `litweave==VERSION` would not name the running litweave, when something shows it did
    not come from a package index; None when nothing shows that (which proves nothing either)."""
    if origin.kind == "checkout":
        return f"litweave {__version__} runs from {origin.describe()}, not from a package index"
    if origin.direct_url:
        return f"litweave {__version__} was {origin.describe()}, not from a package index"
    return None


def make_pin(mode: Mode) -> Pin:
    """The running litweave, named for requirements.txt (own_wheel.WheelUnavailable or PinRefused
    when it cannot be)."""
    version = __version__
    if mode == "index":
        refusal = index_refusal(own_wheel.origin())
        if refusal:
            raise PinRefused(
                f"{refusal}: litweave=={version} may name another package or none; leave out --from-index to "
                "carry this litweave's wheel, or install litweave from the index the workflow uses"
            )
        return Pin("index", version, f"litweave=={version}", None)
    wheel = own_wheel.running_wheel()
    return Pin("wheel", wheel.version, f"./{WHEEL_DIR}/{wheel.filename}", wheel)


def requirements_text(pin: Pin) -> str:
    """requirements.txt as init writes it."""
    return HEADERS[pin.mode] + pin.line + "\n"


def pin_files(pin: Pin) -> list[tuple[str, bytes]]:
    """The files init writes for a pin: the wheel first, then requirements.txt, which names it."""
    wheel = [(pin.wheel_path, pin.wheel.data)] if pin.wheel and pin.wheel_path else []
    return [*wheel, (REQUIREMENTS, requirements_text(pin).encode("utf-8"))]


# -- reading requirements.txt -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    requirement: str
    comment: str
    """The inline comment and the spaces before it, kept when the requirement is replaced."""


def litweave_lines(text: str) -> list[Line]:
    """The lines of a requirements file that name litweave: by name (`litweave==0.1.0`,
    `litweave @ git+…`), by the file name of a wheel or an sdist, or by `#egg=litweave`."""
    found = []
    for index, raw in enumerate(text.splitlines()):
        match = _COMMENT.search(raw)
        requirement = raw[: match.start()] if match else raw
        comment = raw[match.start() :] if match else ""
        stripped = requirement.strip()
        location = re.split(r"[#?]", stripped.split()[-1], maxsplit=1)[0] if stripped else ""
        if _NAMED.match(stripped) or _ARCHIVE.search(location) or re.search(r"#egg=litweave\b", stripped, re.I):
            found.append(Line(index, stripped, comment))
    return found


def named_version(requirement: str) -> str | None:
    pinned = _PINNED.match(requirement)
    if pinned:
        return pinned.group(1)
    archive = _ARCHIVE.search(re.split(r"[#?]", requirement.split()[-1], maxsplit=1)[0])
    return archive.group(1) if archive else None


def mode_of(requirement: str, text: str) -> Mode:
    """How the knowledge base names litweave now: `litweave==VERSION` chosen by a person pins the
    index; anything else (a wheel, a source, init's former default) moves to the wheel."""
    pinned = _PINNED.match(requirement) is not None
    return "index" if pinned and not text.startswith(EARLIER_HEADERS) else "wheel"
