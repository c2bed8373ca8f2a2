"""Where the files that ship with litweave are: the templates (with their static assets), the
starter mechanism vocabulary and the starter files `litweave init` writes.

The repository keeps one copy of each. The templates are its top-level `templates/` and the
vocabulary its `content/mechanisms/`, where the sample knowledge base uses them in place; the
wheel carries them as the data folders `litweave/theme/` and `litweave/vocabulary/`
(pyproject.toml maps those two package names onto the two folders with setuptools'
`package-dir`, and lists their files as package data). The starter files live inside the
package, in `litweave/starter/`, so they need no mapping.

So an installed litweave finds its templates beside its own code, and a source checkout (run in
place, or installed editable, which imports the code from the checkout) finds them at the top
of the repository, one folder above the package. Nothing here depends on the current folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The folder of the `litweave` package itself."""


class MissingPackageData(Exception):
    """litweave is installed without its data files (a broken install)."""


def _shipped(installed: str, source: str) -> Path:
    """`litweave/<installed>` in a wheel install, else `<checkout>/<source>` in a source checkout."""
    if (PACKAGE / installed).is_dir():
        return PACKAGE / installed
    checkout = PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / source).is_dir():  # not some other site-packages folder
        return checkout / source
    raise MissingPackageData(
        f"litweave's {installed} files are missing: looked in {PACKAGE / installed} and {PACKAGE.parent / source}"
    )


def templates() -> Path:
    """The packaged templates (and their `static/` assets); a knowledge base's own `templates/`
    overrides them file by file."""
    return _shipped("theme", "templates")


def vocabulary() -> Path:
    """The starter mechanism vocabulary: one `<slug>.md` page per mechanism."""
    return _shipped("vocabulary", "content/mechanisms")


def starter() -> Path:
    """The files `litweave init` writes as they are (the GitHub Pages workflow, the README, the
    .gitignore)."""
    return PACKAGE / "starter"
