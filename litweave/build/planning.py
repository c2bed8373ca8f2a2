"""Planning a build: every output with its fingerprint, either all of them (after a full join) or,
on the fast path, only the pages of papers whose own text changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from litweave.build.cache import Relations
from litweave.build.render import Renderer, TemplateSet
from litweave.build.stage1 import check_page_slugs, paper_facts, read_pages
from litweave.build.state import BuildState, Inputs
from litweave.build.writer import Job, check_paths
from litweave.config import Config
from litweave.mechanisms.vocabulary import load_vocabulary
from litweave.model import Diagnostic
from litweave.site.graph import SiteGraph, join_graph
from litweave.site.step import PaperFacts, vocabulary_digest
from litweave.site.views import Planned, SiteViews, View

NO_SITE_URL = Diagnostic(
    "info",
    "site_url is not set: no Atom feeds and no sitemap.xml (both need absolute URLs); "
    'set site_url = "https://…/" in [tool.litweave] to make them',
    file="pyproject.toml",
)


def relations_digest(inputs: Inputs, facts: Sequence[PaperFacts], vocab: str) -> str:
    """Everything that relates pages to each other or appears on pages other than a paper's own."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{inputs.salt}\x00{vocab}\x00".encode())
    for s in inputs.sources:
        if s.kind != "paper":
            h.update(f"{s.rel}\x00{s.digest}\x00".encode())
    for f in facts:
        h.update(f"{f.file}\x00{f.signature}\x00".encode())
    return h.hexdigest()


@dataclass(slots=True)
class Plan:
    """The graph and the jobs of one build, and the diagnostics found on the way."""

    graph: SiteGraph
    jobs: list[Job]
    diagnostics: list[Diagnostic]
    parsed: int
    present: bool = False
    """Every file of the last manifest was found in place while planning."""


def fast_plan(config: Config, inputs: Inputs, state: BuildState, renderer: Renderer, jobs: int) -> Plan | None:
    """Only papers' own texts changed, and what other pages show of them did not: plan just their
    pages, from the last join. None when the build must join and plan everything."""
    previous, cache = state.relations, state.cache
    if previous is None or cache is None or previous.salt != inputs.salt or not inputs.manifest.files:
        return None
    current = {s.rel: s.digest for s in inputs.sources}
    if current.keys() != previous.sources.keys():
        return None  # a page added or removed: relations change
    changed = [s for s in inputs.sources if previous.sources[s.rel] != s.digest]
    if any(s.kind != "paper" for s in changed) or not inputs.manifest.all_present(config.output):
        return None
    stage1 = paper_facts(changed, previous.mechanisms, cache, state, jobs)
    if len(stage1.facts) != len(changed) or any(f.signature != previous.signatures.get(f.file) for f in stage1.facts):
        return None
    graph = previous.graph(stage1.facts)
    views = SiteViews(graph, inputs.settings, renderer.render_item)
    renderer.site = views.site_view()
    work = [Job(path, fp, never) for path, (fp, _sha) in inputs.manifest.files.items()]
    index = {job.path: i for i, job in enumerate(work)}
    salt = repr((inputs.version, inputs.settings))
    for planned in views.plan_papers(f.slug for f in stage1.facts):
        job = job_of(planned, renderer, inputs.templates, salt)
        work[index[planned.path]] = job
    previous.sources = current
    for f in stage1.facts:
        previous.facts_keys[f.file] = stage1.keys[f.file]
        previous.stage1[f.file] = f.diagnostics
    found = [d for ds in previous.stage1.values() for d in ds]
    return Plan(graph, work, [*found, *previous.diagnostics], stage1.parsed, present=True)


def full_plan(config: Config, inputs: Inputs, state: BuildState, renderer: Renderer, jobs: int) -> Plan | None:
    """Read every page (from the cache where unchanged), join the graph, plan every output.
    None, with the errors in the state's notices, when the content has errors."""
    cache = state.cache
    assert cache is not None
    diagnostics = check_page_slugs(inputs.sources)
    pages, found, parsed = read_pages([s for s in inputs.sources if s.kind != "paper"], cache)
    diagnostics.extend(found)
    mechanisms, found = load_vocabulary(pages)
    diagnostics.extend(found)
    papers = [s for s in inputs.sources if s.kind == "paper"]
    stage1 = paper_facts(papers, mechanisms, cache, state, jobs)
    if any(d.level == "error" for d in [*diagnostics, *stage1.diagnostics]):
        return Plan(SiteGraph(), [], [*diagnostics, *stage1.diagnostics], stage1.parsed + parsed)
    graph, found = join_graph(stage1.facts, pages, mechanisms)
    diagnostics.extend(found)
    views = SiteViews(graph, inputs.settings, renderer.render_item)
    renderer.site = views.site_view()
    diagnostics.extend(views.broken_links())
    if not inputs.settings.site_url:
        diagnostics.append(NO_SITE_URL)
    planned = list(views.plan())
    renderer.load(sorted({p.template for p in planned if p.template}))
    salt = repr((inputs.version, inputs.settings))
    work = [job_of(p, renderer, inputs.templates, salt) for p in planned]
    work += [Job(path, hashlib.sha256(data).hexdigest(), constant(data)) for path, data in inputs.static]
    check_paths(job.path for job in work)
    del planned
    views.release_keys()
    vocab = vocabulary_digest({m.slug: m for m in mechanisms})
    state.relations = Relations.of(
        relations_digest(inputs, stage1.facts, vocab),
        inputs.salt,
        {s.rel: s.digest for s in inputs.sources},
        stage1.facts,
        stage1.keys,
        graph,
        diagnostics,
    )
    return Plan(graph, work, [*diagnostics, *stage1.diagnostics], stage1.parsed + parsed)


def job_of(planned: Planned, renderer: Renderer, templates: TemplateSet, salt: str) -> Job:
    """An output with its fingerprint: the salt (litweave, settings) + its templates + its key."""
    h = hashlib.blake2b(digest_size=16)
    h.update(salt.encode("utf-8"))
    h.update(templates.digest(planned.template).encode("utf-8") if planned.template else b"-")
    h.update(repr(planned.key).encode("utf-8"))
    return Job(planned.path, h.hexdigest(), producer(renderer, planned.template, planned.view), planned.template)


def producer(renderer: Renderer, template: str, view: Callable[[], View]) -> Callable[[], bytes | Iterator[bytes]]:
    """The job's work, holding the view's builder but not the planned key (kept keys of a
    100,000-paper plan would be a tenth of the build's memory)."""
    return lambda: renderer.render(template, view)


def constant(data: bytes):  # type: ignore[no-untyped-def]
    return lambda: data


def never() -> bytes:
    raise AssertionError("an unchanged output was asked to render")
