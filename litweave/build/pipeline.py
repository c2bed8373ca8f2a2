"""The build, end to end: content → pages → graph → views → site/.

One readable function (MkDocs' "gather all data from all pages first"): every page is read and
the whole graph built before anything is rendered, so every page sees consistent data, and
everything is rendered in memory before anything is written, so a content or template error
leaves the existing site exactly as it was.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from litweave.build.writer import OutputConflict, WriteReport, write_site
from litweave.config import Config
from litweave.content import load_content
from litweave.mechanisms.matcher import build_matcher
from litweave.mechanisms.vocabulary import check_vocabulary, mechanism_from_page
from litweave.model import Diagnostic, Mechanism, Page
from litweave.site.graph import SiteGraph, build_graph
from litweave.site.views import Output, SiteRenderer


@dataclass(slots=True)
class BuildReport:
    """What a build found and did; the CLI prints it, tests assert on it."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    write: WriteReport | None = None
    """None when the build stopped before writing."""
    pages: int = 0
    outputs: int = 0
    seconds: float = 0.0
    graph: SiteGraph | None = None

    @property
    def ok(self) -> bool:
        return self.write is not None and not any(d.level == "error" for d in self.diagnostics)


def load_vocabulary(pages: list[Page]) -> tuple[list[Mechanism], list[Diagnostic]]:
    """Mechanisms from content/mechanisms, validated, with clashes between pages resolved."""
    mechanisms: list[Mechanism] = []
    diagnostics: list[Diagnostic] = []
    for page in pages:
        if page.kind != "mechanism":
            continue
        mech, found = mechanism_from_page(page)
        diagnostics.extend(found)
        if mech is not None:
            mechanisms.append(mech)
    mechanisms, found = check_vocabulary(mechanisms)
    diagnostics.extend(found)
    return mechanisms, diagnostics


# Top-level names the site itself uses: a free-standing page may not take them.
RESERVED = frozenset({"papers", "authors", "mechanisms", "static", "graph.json", "index.html", "404.html"})
_SLUG = re.compile(r"[^\W_][\w.-]*")


def check_page_slugs(pages: list[Page]) -> list[Diagnostic]:
    """File names become URLs: they must be plain, and pages must not shadow a section."""
    problems = []
    for page in pages:
        if not _SLUG.fullmatch(page.slug):
            problems.append(
                Diagnostic(
                    "error",
                    "file name must start with a letter or digit and hold only "
                    "letters, digits, '.', '_' and '-': it becomes the page's URL",
                    file=page.path.as_posix(),
                )
            )
        elif page.kind == "page" and page.slug.casefold() in RESERVED:
            problems.append(
                Diagnostic(
                    "error",
                    f"a page may not be called {page.slug!r}: the site uses that name",
                    file=page.path.as_posix(),
                )
            )
    return problems


def build_site(config: Config, clean: bool = False) -> BuildReport:
    """Build `config.root`'s content into `config.output`; never writes when an error was found."""
    start = time.perf_counter()
    report = BuildReport()
    pages, found = load_content(config.content, config.root)
    report.diagnostics.extend(found)
    report.pages = len(pages)
    if any(d.level == "error" for d in found):
        return report
    report.diagnostics.extend(check_page_slugs(pages))
    if any(d.level == "error" for d in report.diagnostics):
        return report
    mechanisms, found = load_vocabulary(pages)
    report.diagnostics.extend(found)
    graph, found = build_graph(pages, mechanisms, build_matcher(mechanisms))
    report.diagnostics.extend(found)
    report.graph = graph
    if any(d.level == "error" for d in report.diagnostics):
        return report
    try:
        renderer = SiteRenderer(config, graph)
        outputs: list[Output] = list(renderer.outputs())
    except TemplateSyntaxError as exc:
        report.diagnostics.append(
            Diagnostic("error", f"template error: {exc.message}", file=f"templates/{exc.name}", line=exc.lineno)
        )
        return report
    except TemplateNotFound as exc:
        report.diagnostics.append(
            Diagnostic("error", f"template {exc.name!r} not found", file=f"{config.templates_dir}/")
        )
        return report
    except TemplateError as exc:
        report.diagnostics.append(Diagnostic("error", f"template error: {exc}", file="templates/"))
        return report
    report.diagnostics.extend(renderer.diagnostics)
    report.outputs = len(outputs)
    try:  # write_site checks every path before it writes the first byte
        report.write = write_site(config.output, outputs, clean=clean)
    except OutputConflict as exc:
        report.diagnostics.append(Diagnostic("error", f"cannot write the site: {exc}", file=f"{config.output_dir}/"))
        return report
    report.seconds = time.perf_counter() - start
    return report
