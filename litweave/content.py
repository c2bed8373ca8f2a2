"""Reading the knowledge base: every content file under content/, as pages.

The I/O half of stage 1; parsing one file is `frontmatter.parse_page`, pure given its text.
"""

from __future__ import annotations

from pathlib import Path

from litweave.frontmatter import parse_page
from litweave.model import Diagnostic, Page, PageKind

KIND_DIRS: dict[str, PageKind] = {
    "papers": "paper",
    "authors": "author",
    "mechanisms": "mechanism",
    "pages": "page",
}


def load_content(content_dir: Path, root: Path) -> tuple[list[Page], list[Diagnostic]]:
    """Read every page under content/, sorted by path so that output order never depends on the disk."""
    pages: list[Page] = []
    diagnostics: list[Diagnostic] = []
    for folder, kind in KIND_DIRS.items():
        base = content_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.glob("*.md")):
            rel = path.relative_to(root)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                diagnostics.append(Diagnostic("error", f"not UTF-8 text: {exc.reason}", file=rel.as_posix()))
                continue
            page, found = parse_page(text, rel, kind)
            diagnostics.extend(found)
            if page is not None:
                pages.append(page)
    return pages, diagnostics
