"""`litweave upgrade`: the knowledge base's publishing workflow installs the litweave you run.

A knowledge base names the litweave its GitHub Pages workflow installs in requirements.txt: by
default the wheel of the litweave that made it, kept in `.litweave/`, or, for a knowledge base
made with `init --from-index`, a version on the package index (pinning.py). `upgrade` puts the
running litweave in that place: its wheel in `.litweave/` and the line naming it in
requirements.txt (`litweave==VERSION` where the knowledge base pins the index), and removes the
wheels of other versions from `.litweave/`.

What a person running it can count on:
- it says what it changed, one line each; when nothing needs to change it writes nothing and says
  so, so running it twice changes nothing the second time;
- it works only in a knowledge base (the rule every command follows, places.py), and not in
  litweave's own checkout, whose workflow installs litweave from the checkout itself;
- of requirements.txt it changes the litweave line alone (an inline comment on it stays) and the
  comment init wrote at the top, if it is still there: every other line is kept as it is;
- it does not go back to an older litweave without `--allow-downgrade`, and it does not pin the
  index for a litweave that evidently did not come from one;
- the new wheel is written before requirements.txt names it and the old ones are removed last, so
  an upgrade interrupted at any point leaves requirements.txt naming a wheel that is there.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from litweave import own_wheel
from litweave.atomic import write_bytes
from litweave.commands.init import WORKFLOW, workflow
from litweave.pinning import (
    EARLIER_HEADERS,
    HEADERS,
    REQUIREMENTS,
    WHEEL_DIR,
    Line,
    Mode,
    Pin,
    PinRefused,
    index_refusal,
    litweave_lines,
    make_pin,
    mode_of,
    named_version,
    requirements_text,
)


class UpgradeRefused(PinRefused):
    """Nothing was written: the knowledge base does not allow an upgrade as asked."""


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    version: str
    previous: str | None
    """The litweave version requirements.txt named before, when it named one."""
    changes: list[str]
    """What was done, one sentence each, in the order done; empty when nothing needed doing."""
    notes: list[str]


def _release(version: str) -> tuple[int, ...] | None:
    """A version's release numbers (0.10.1 → (0, 10, 1)), None when it does not start with them."""
    match = re.match(r"v?(\d+(?:\.\d+)*)", version)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def _is_older(new: str, old: str) -> bool:
    a, b = _release(new), _release(old)
    if a is None or b is None:
        return False
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)) < b + (0,) * (width - len(b))


# -- the command --------------------------------------------------------------------------------


def upgrade(root: Path, mode: Mode | None = None, allow_downgrade: bool = False) -> UpgradeReport:
    """Make the knowledge base at `root` install the running litweave (see the module's doc);
    `mode` None keeps how it names litweave now. UpgradeRefused, or own_wheel.WheelUnavailable,
    before anything is written."""
    checkout = own_wheel.source_checkout()
    if checkout is not None and checkout.resolve() == root.resolve():
        raise UpgradeRefused(
            f"{root.resolve()} is litweave's own source: its workflow installs litweave from the checkout "
            "(pip install -e .)"
        )
    requirements = root / REQUIREMENTS
    try:
        # as bytes, so that its line endings (a file saved on Windows) stay as they are
        text = requirements.read_bytes().decode("utf-8") if requirements.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise UpgradeRefused(f"{REQUIREMENTS}: cannot be read ({exc})") from exc
    lines = litweave_lines(text) if text is not None else []
    if len(lines) > 1:
        listed = "; ".join(f"line {line.index + 1}: {line.requirement}" for line in lines)
        raise UpgradeRefused(
            f"{REQUIREMENTS} names litweave {len(lines)} times ({listed}): keep the one the workflow should "
            "install, then run upgrade again"
        )
    current = lines[0] if lines else None
    previous = named_version(current.requirement) if current else None
    wanted: Mode = mode or (mode_of(current.requirement, text or "") if current else "wheel")
    refusal = index_refusal(own_wheel.origin()) if wanted == "index" and mode is None and current else None
    if refusal and current:  # the index pin is the file's, not asked for here
        raise UpgradeRefused(
            f"{REQUIREMENTS} pins litweave on the package index ({current.requirement}), but {refusal}: "
            "pass --wheel to carry this litweave's wheel in .litweave/ instead, or run upgrade with a litweave "
            "installed from that index"
        )
    pin = make_pin(wanted)
    if previous and _is_older(pin.version, previous) and not allow_downgrade:
        raise UpgradeRefused(
            f"{REQUIREMENTS} names litweave {previous}, newer than the litweave {pin.version} you run: "
            "run a newer litweave, or pass --allow-downgrade to go back"
        )
    changes: list[str] = []

    if pin.wheel and pin.wheel_path:
        target = root / pin.wheel_path
        before = target.read_bytes() if target.is_file() else None
        if before != pin.wheel.data:
            write_bytes(target, pin.wheel.data)
            if before is None:
                changes.append(f"wrote {pin.wheel_path} (litweave {pin.version}, sha256 {pin.wheel.sha256[:12]}…)")
            else:
                old = hashlib.sha256(before).hexdigest()
                changes.append(
                    f"replaced {pin.wheel_path}: the same version, other contents "
                    f"(sha256 {old[:12]}… → {pin.wheel.sha256[:12]}…)"
                )

    new_text = _new_requirements(text, current, pin)
    if new_text != text:
        write_bytes(requirements, new_text.encode("utf-8"))
        if text is None:
            changes.append(f"wrote {REQUIREMENTS}, which names {pin.line}")
        elif current is None:
            changes.append(f"{REQUIREMENTS}: added {pin.line} (it named no litweave)")
        elif current.requirement != pin.line:
            changes.append(f"{REQUIREMENTS}: {current.requirement} → {pin.line}")
        else:
            changes.append(f"{REQUIREMENTS}: brought the comment at its top up to date")

    for old_wheel in sorted((root / WHEEL_DIR).glob("litweave-*.whl")):
        if old_wheel.name != (pin.wheel.filename if pin.wheel else None) and old_wheel.is_file():
            old_wheel.unlink()
            changes.append(f"removed {WHEEL_DIR}/{old_wheel.name}")
    return UpgradeReport(pin.version, previous, changes, _notes(root))


def _new_requirements(text: str | None, current: Line | None, pin: Pin) -> str:
    if text is None or not text.strip():
        return requirements_text(pin)
    lines = text.splitlines(keepends=True)
    if current is None:
        ending = "" if text.endswith("\n") else "\n"
        return text + ending + pin.line + "\n"
    old = lines[current.index]
    newline = old[len(old.rstrip("\r\n")) :]
    lines[current.index] = pin.line + current.comment + newline
    joined = "".join(lines)
    for header in (*EARLIER_HEADERS, *HEADERS.values()):
        if joined.startswith(header):
            return HEADERS[pin.mode] + joined[len(header) :]
    return joined


def _notes(root: Path) -> list[str]:
    """What upgrade leaves to the person: a workflow other than the one this litweave writes."""
    path = root / WORKFLOW
    if not path.is_file():
        return [f"{WORKFLOW} is missing: nothing publishes this knowledge base (`litweave init` writes one)"]
    if path.read_text(encoding="utf-8", errors="replace") != workflow():
        return [
            f"{WORKFLOW} differs from the workflow this litweave's init writes; left as it is "
            "(compare it with a knowledge base made by `litweave init`)"
        ]
    return []
