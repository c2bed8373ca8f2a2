"""Stage 3b: templates. The Jinja environment, what each template depends on, and rendering one
planned output to bytes.

Jinja is imported only when something must be rendered, so a build that finds nothing changed
never pays for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from litweave import packaged
from litweave.config import Config
from litweave.site.views import ITEM_TEMPLATE, LIST_TEMPLATES, View

if TYPE_CHECKING:
    from jinja2 import Environment, Template

_REFERENCE = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def template_folders(config: Config) -> list[Path]:
    """Where templates are looked for, first match wins: the knowledge base's own `templates/`,
    then the templates packaged with litweave. A knowledge base without `templates/` builds with
    the packaged ones; one holding a single edited file overrides just that file (static assets
    included), and a litweave upgrade brings its new templates to every file it did not edit."""
    local, shipped = config.templates, packaged.templates()
    if local.is_dir() and local.resolve() == shipped.resolve():  # litweave's own repository
        return [local]
    return [local, shipped]


def make_environment(templates: Sequence[Path]) -> Environment:
    """Jinja with autoescape everywhere and undefined names as errors (a typo fails the build)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader([str(folder) for folder in templates]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


class TemplateSet:
    """The templates as the plan sees them: a digest per template that covers every template it
    extends, imports or includes, so that editing base.html re-renders every page and editing
    author.html only the author pages. The templates are the ones Jinja will load: of the
    folders (`template_folders`), the first that holds a name gives its source."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)
        self._sources: dict[str, bytes] = {}
        for folder in reversed(self.folders):  # earlier folders override later ones
            if folder.is_dir():
                for path in sorted(folder.rglob("*.html")):
                    self._sources[path.relative_to(folder).as_posix()] = path.read_bytes()

    def _references(self, name: str) -> list[str]:
        source = self._sources.get(name, b"").decode("utf-8", "replace")
        return _REFERENCE.findall(source)

    def closure(self, name: str) -> list[str]:
        """`name` and every template it reaches, sorted."""
        seen: set[str] = set()
        todo = [name, *([ITEM_TEMPLATE] if name in LIST_TEMPLATES else [])]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(self._references(current))
        return sorted(seen)

    @cache  # noqa: B019 - one TemplateSet per build
    def digest_all(self) -> str:
        """Every template at once: what the build's inputs digest covers."""
        h = hashlib.blake2b(digest_size=16)
        for name, source in sorted(self._sources.items()):
            h.update(name.encode("utf-8") + b"\x00" + source + b"\x00")
        return h.hexdigest()

    @cache  # noqa: B019 - one TemplateSet per build
    def digest(self, name: str) -> str:
        h = hashlib.blake2b(digest_size=16)
        for dep in self.closure(name):
            h.update(dep.encode("utf-8") + b"\x00" + self._sources.get(dep, b"<missing>") + b"\x00")
        return h.hexdigest()


class Renderer:
    """Renders planned outputs; made before any worker process starts, so workers share its
    compiled templates.

    List items (templates/_paper_item.html) are kept by their digest: the papers index shows
    every paper, and re-rendering 5,000 items because one title changed is most of the cost of
    such an edit. `items` comes from the last build (for the same item template, settings and
    litweave); items rendered now are noted in `new_items` so that worker processes can hand
    them back.
    """

    def __init__(
        self,
        templates: Sequence[Path],
        site: View,
        items: dict[str, str] | None = None,
        environment: Environment | None = None,
    ) -> None:
        self.env = environment or make_environment(templates)
        self.site = site
        self.items: dict[str, str] = dict(items or {})
        self.used: set[str] = set()
        self.new_items: list[tuple[str, str]] = []
        self._item: Template | None = None

    def render_item(self, digest: str, summary: Callable[[], View]) -> Markup:
        """One paper as a list entry, from the kept items or rendered now; kept once, as the
        Markup every list uses (a second copy per paper was a tenth of a large build's memory)."""
        self.used.add(digest)
        html = self.items.get(digest)
        if html is None:
            if self._item is None:
                self._item = self.env.get_template(ITEM_TEMPLATE)
            html = self.items[digest] = Markup(self._item.render(p=summary()).strip())
            self.new_items.append((digest, html))
        elif not isinstance(html, Markup):
            html = self.items[digest] = Markup(html)
        return html

    def take_new_items(self) -> list[tuple[str, str]]:
        taken, self.new_items = self.new_items, []
        return taken

    def kept_items(self) -> dict[str, str]:
        """The items this build used: what the next build may reuse."""
        return {d: self.items[d] for d in sorted(self.used) if d in self.items}

    def load(self, names: list[str]) -> None:
        """Compile these templates now: errors surface before anything is written."""
        for name in names:
            self.env.get_template(name)

    def render(self, template: str, view_of: Callable[[], View]) -> bytes | Iterator[bytes]:
        """One output: its view built now, rendered through `template`; for "" (a data file such as
        graph.json) the chunks the view gives, to be written as they come."""
        view = view_of()
        if not template:
            chunks = view["chunks"]
            assert isinstance(chunks, Iterator)
            return chunks
        return self.env.get_template(template).render(site=self.site, **view).encode("utf-8")
