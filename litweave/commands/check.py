"""`litweave check`: the content lint (content/, no build needed) and the built-site check (site/,
served and fetched), every finding under a rule id whose severity the settings may change.

Rule ids and defaults: `lint/rules.py` (and the README's check section). The content rules are
`lint/content.py`; they see the knowledge base as the build does, through the build's own stage 1
(from its cache where the files are unchanged, so after a build this costs little), its join and
its list of dead wikilinks and citations. The site check is `commands/check_site.py`; it checks
the site under the base URL the build recorded in its manifest, so a site built with
`--base-url /repo/` is checked under /repo/ without being told.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from litweave.build.cache import PageCache, code_version
from litweave.build.pool import default_jobs
from litweave.build.stage1 import paper_facts
from litweave.build.state import BuildState
from litweave.build.writer import Manifest
from litweave.commands.check_site import SiteReport, check_built_site
from litweave.commands.duplicates import page_duplicates
from litweave.config import Config, normalize_base_url
from litweave.content import parse_source, scan_content
from litweave.lint.content import ContentFile, content_findings
from litweave.lint.rules import Finding, apply_severities
from litweave.markdown import render_markdown
from litweave.mechanisms.matcher import build_matcher
from litweave.mechanisms.vocabulary import load_vocabulary
from litweave.model import Diagnostic, Page
from litweave.site.dead_links import dead_links
from litweave.site.graph import join_graph
from litweave.site.step import vocabulary_digest

BaseSource = Literal["--base-url", "manifest", "settings"]


@dataclass(slots=True)
class CheckReport:
    """What `check` found (severities applied) and what it looked at."""

    findings: list[Finding] = field(default_factory=list)
    content_files: int = 0
    base_url: str = "/"
    """The base URL the site was checked under."""
    base_source: BaseSource = "settings"
    site: SiteReport | None = None
    """None when there was no site to check."""
    seconds: float = 0.0
    content_seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


def run_check(config: Config, base_override: str | None = None) -> CheckReport:
    """Check `config.root`: content first, then the built site if there is one.

    `base_override`: `--base-url`, which wins over everything; `config.base_url` is the
    settings' (for `check`, `--base-url` is where to check, not a setting)."""
    start = time.perf_counter()
    report = CheckReport()
    settings_base = config.base_url
    severity = config.check
    found = content_check(config, report, duplicates=severity.get("possible-duplicate") != "off")
    report.content_seconds = time.perf_counter() - start
    found += _site_check(config, report, base_override, settings_base)
    report.findings = apply_severities(found, severity)
    report.seconds = time.perf_counter() - start
    return report


def content_check(config: Config, report: CheckReport, *, duplicates: bool = True) -> list[Finding]:
    """The content rules over every file under content/, as the build reads them."""
    sources = scan_content(config.content, config.root)
    report.content_files = len(sources)
    found: list[Finding] = []
    files: list[ContentFile] = []
    parsed: list[Page] = []
    for source in sources:
        page, problems = parse_source(source)
        found.extend(_unreadable(problems))
        if page is not None:
            parsed.append(page)
            files.append(ContentFile(source.rel, source.kind, source.data.decode("utf-8"), page))
    cache = PageCache.open(config.root, code_version(), [])  # read, never written: the build owns it
    others = [page for page in parsed if page.kind != "paper"]
    mechanisms, _problems = load_vocabulary(others)
    vocab = vocabulary_digest({m.slug: m for m in mechanisms})
    state = BuildState(quiet=True, matcher=(vocab, build_matcher(mechanisms)))
    readable = {f.rel for f in files}
    papers = [s for s in sources if s.kind == "paper" and s.rel in readable]
    stage1 = paper_facts(papers, mechanisms, cache, state, default_jobs())
    graph, _problems = join_graph(stage1.facts, others, mechanisms)
    assert state.matcher is not None
    found += content_findings(files, state.matcher[1].names, dead_links(graph, render_markdown))
    if duplicates:
        found += [Finding("possible-duplicate", d.message, d.file, d.line) for d in page_duplicates(config, parsed)]
    return found


def _unreadable(problems: list[Diagnostic]) -> list[Finding]:
    return [Finding("unreadable-page", d.message, d.file, d.line) for d in problems if d.level == "error"]


def _site_check(config: Config, report: CheckReport, base_override: str | None, settings_base: str) -> list[Finding]:
    """The site under the base URL it was built for (`--base-url` wins), each disagreement told."""
    found: list[Finding] = []
    site = config.output_dir
    if not config.output.is_dir():
        message = f"{site}/ does not exist: run `litweave build` first (the content was checked)"
        return [Finding("no-site", message, f"{site}/")]
    built = Manifest.read(config.output).base_url
    built = normalize_base_url(built) if built else ""
    if base_override:
        report.base_url, report.base_source = normalize_base_url(base_override), "--base-url"
        if built and built != report.base_url:
            message = f"{site}/ was built for {built} (its manifest says); checking under {report.base_url} as asked"
            found.append(Finding("base-url-mismatch", message, f"{site}/"))
    elif built:
        report.base_url, report.base_source = built, "manifest"
        if settings_base != built:
            message = (
                f"the settings say base_url = {settings_base!r}, but {site}/ was built for {built} "
                f"(its manifest says): checking under {built}"
            )
            found.append(Finding("base-url-mismatch", message, f"{site}/"))
    else:
        report.base_url, report.base_source = settings_base, "settings"
    report.site = check_built_site(config.output, report.base_url, config.site_url, shown_as=site)
    return found + report.site.findings
