"""The build, end to end: content → pages and paper facts (cached) → graph → plan → site/.

One readable function (MkDocs' "gather all data from all pages first"): every page is read and
the whole graph joined before anything is rendered, so every page sees consistent data. What
is expensive per file (YAML, mechanism matching, Markdown) is stage 1, cached on disk by content
hash; what relates pages (authors, mechanisms' papers, links) is joined anew on every build, so
cross-links are never stale; and only outputs whose fingerprint changed are rendered. A build
whose inputs all hash as last time renders nothing and returns at once.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from litweave.build import pool
from litweave.build.cache import (
    PageCache,
    Relations,
    code_version,
    load_items,
    load_relations,
    save_items,
    save_relations,
)
from litweave.build.pool import default_jobs, parallel_map
from litweave.build.render import Renderer, TemplateSet

if TYPE_CHECKING:
    from jinja2 import Environment
from litweave.build.writer import (
    Job,
    Manifest,
    OutputConflict,
    RunJobs,
    WriteReport,
    check_paths,
    run_overlapped,
    write_one,
    write_site,
)
from litweave.config import Config
from litweave.content import Known, SourceFile, parse_source, scan_content
from litweave.mechanisms.matcher import Matcher, build_matcher
from litweave.mechanisms.vocabulary import load_vocabulary
from litweave.model import Diagnostic, Mechanism, Page
from litweave.progress import Progress
from litweave.site.graph import SiteGraph, join_graph
from litweave.site.step import PaperFacts, read_paper, vocabulary_digest
from litweave.site.views import ITEM_TEMPLATE, Planned, Settings, SiteViews, View


@dataclass(slots=True)
class BuildReport:
    """What a build found and did; the CLI prints it, tests assert on it."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    write: WriteReport | None = None
    """None when the build stopped before writing."""
    pages: int = 0
    outputs: int = 0
    parsed: int = 0
    """Content files whose stage 1 ran (not found in the cache)."""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in order (printed by `build -v`, read by the benchmark)."""
    peaks: dict[str, int] = field(default_factory=dict)
    """This process's peak resident memory (MiB) at the end of each stage, where it can be read."""
    graph: SiteGraph | None = None
    """None when nothing had changed, or the build stopped early."""

    @property
    def ok(self) -> bool:
        return self.write is not None and not any(d.level == "error" for d in self.diagnostics)


@dataclass(slots=True)
class BuildState:
    """What a long-running process (`litweave serve`) keeps warm between builds."""

    cache: PageCache | None = None
    matcher: tuple[str, Matcher] | None = None
    relations: Relations | None = None
    known: Known | None = None
    """The last scan of content/, to skip re-reading unchanged files; None outside the dev server."""
    quiet: bool = False
    """No progress line, even on a terminal (`--quiet`, and the dev server)."""
    environment: tuple[str, Environment] | None = None
    """The compiled templates, for as long as the templates folder hashes the same."""


_RESERVED = frozenset({"papers", "authors", "mechanisms", "static", "graph.json", "index.html", "404.html"})
"""Top-level names the site itself uses: a free-standing page may not take them."""


def check_page_slugs(sources: Sequence[SourceFile]) -> list[Diagnostic]:
    """File names become URLs: they must be plain, and pages must not shadow a section."""
    import re

    plain = re.compile(r"[^\W_][\w.-]*")
    problems = []
    for source in sources:
        slug = Path(source.rel).stem
        if not plain.fullmatch(slug):
            problems.append(
                Diagnostic(
                    "error",
                    "file name must start with a letter or digit and hold only "
                    "letters, digits, '.', '_' and '-': it becomes the page's URL",
                    file=source.rel,
                )
            )
        elif source.kind == "page" and slug.casefold() in _RESERVED:
            problems.append(
                Diagnostic("error", f"a page may not be called {slug!r}: the site uses that name", file=source.rel)
            )
    return problems


def _static_files(templates: Path) -> list[tuple[str, bytes]]:
    static = templates / "static"
    if not static.is_dir():
        return []
    return [
        ("static/" + p.relative_to(static).as_posix(), p.read_bytes()) for p in sorted(static.rglob("*")) if p.is_file()
    ]


def _inputs_digest(
    version: str,
    settings: Settings,
    sources: Sequence[SourceFile],
    templates: TemplateSet,
    static: Sequence[tuple[str, bytes]],
) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((version, settings)).encode("utf-8"))
    for s in sources:
        h.update(f"{s.rel}\x00{s.digest}\x00".encode())
    h.update(templates.digest_all().encode("utf-8"))
    for path, data in static:
        h.update(path.encode("utf-8") + b"\x00" + hashlib.blake2b(data, digest_size=16).digest())
    return h.hexdigest()


def _read_pages(sources: Sequence[SourceFile], cache: PageCache) -> tuple[list[Page], list[Diagnostic], int]:
    """Every non-paper page, parsed or from the cache; and how many were parsed."""
    pages: list[Page] = []
    diagnostics: list[Diagnostic] = []
    parsed = 0
    for source in sources:
        page = cache.get(source.rel, source.digest)
        if not isinstance(page, Page):
            parsed += 1
            page, found = parse_source(source)
            diagnostics.extend(found)
            if page is None:
                continue
            cache.put(source.rel, source.digest, page)
        pages.append(page)
    return pages, diagnostics, parsed


def facts_key(source: SourceFile, vocab: str) -> str:
    """A paper's stage-1 cache key: its bytes and the vocabulary's names."""
    return hashlib.blake2b(f"{source.digest}\x00{vocab}".encode(), digest_size=16).hexdigest()


@dataclass(slots=True)
class _Stage1:
    """Stage 1 of the papers a build needs."""

    facts: list[PaperFacts]
    keys: dict[str, str]
    """Cache key of each paper file's facts."""
    diagnostics: list[Diagnostic]
    parsed: int


def _paper_facts(
    sources: Sequence[SourceFile], mechanisms: Sequence[Mechanism], cache: PageCache, state: BuildState, jobs: int
) -> _Stage1:
    """Stage 1 of these papers: from the cache where the file and the vocabulary are unchanged,
    else parsed and matched (over both cores when there are many)."""
    vocabulary = {m.slug: m for m in mechanisms}
    vocab = vocabulary_digest(vocabulary)
    facts: dict[str, PaperFacts] = {}
    keys = {s.rel: facts_key(s, vocab) for s in sources}
    todo: list[SourceFile] = []
    for source in sources:
        hit = cache.get(source.rel, keys[source.rel])
        if isinstance(hit, PaperFacts):
            facts[source.rel] = hit
        else:
            todo.append(source)
    diagnostics: list[Diagnostic] = []
    if todo:
        if state.matcher is None or state.matcher[0] != vocab:
            state.matcher = (vocab, build_matcher(mechanisms))
        matcher = state.matcher[1]

        def stage1(source: SourceFile) -> tuple[PaperFacts | None, list[Diagnostic]]:
            page, found = parse_source(source)
            if page is None:
                return None, found
            return read_paper(page, matcher, vocabulary, keys[source.rel]), found

        counter = Progress("reading", len(todo), unit="pages", quiet=state.quiet)
        results = parallel_map(stage1, todo, jobs, counter.advance)
        counter.close()
        for source, (result, found) in zip(todo, results, strict=True):
            diagnostics.extend(found)
            if result is not None:
                facts[source.rel] = result
                cache.put(source.rel, keys[source.rel], result)
    ordered = [facts[s.rel] for s in sources if s.rel in facts]
    diagnostics.extend(d for f in ordered for d in f.diagnostics)
    return _Stage1(ordered, keys, diagnostics, len(todo))


def _template_errors(exc: Exception, templates_dir: str) -> Diagnostic:
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return Diagnostic("error", f"template error: {exc.message}", file=f"templates/{exc.name}", line=exc.lineno)
    if isinstance(exc, TemplateNotFound):
        return Diagnostic("error", f"template {exc.name!r} not found", file=f"{templates_dir}/")
    return Diagnostic("error", f"template error: {exc}", file=f"{templates_dir}/")


def _job(planned: Planned, renderer: Renderer, templates: TemplateSet, salt: str) -> Job:
    """An output with its fingerprint: the salt (litweave, settings) + its templates + its key."""
    h = hashlib.blake2b(digest_size=16)
    h.update(salt.encode("utf-8"))
    h.update(templates.digest(planned.template).encode("utf-8") if planned.template else b"-")
    h.update(repr(planned.key).encode("utf-8"))
    return Job(planned.path, h.hexdigest(), _producer(renderer, planned.template, planned.view), planned.template)


def _producer(renderer: Renderer, template: str, view: Callable[[], View]) -> Callable[[], bytes]:
    """The job's work, holding the view's builder but not the planned key (kept keys of a
    100,000-paper plan would be a tenth of the build's memory)."""
    return lambda: renderer.render(template, view)


def _constant(data: bytes):  # type: ignore[no-untyped-def]
    return lambda: data


@dataclass(slots=True)
class _Inputs:
    """What one build reads before it joins anything."""

    version: str
    settings: Settings
    sources: list[SourceFile]
    templates: TemplateSet
    static: list[tuple[str, bytes]]
    manifest: Manifest
    digest: str


def _scan(config: Config, state: BuildState) -> _Inputs:
    version = code_version()
    sources = scan_content(config.content, config.root, state.known)
    templates = TemplateSet(config.templates)
    static = _static_files(config.templates)
    settings = Settings(config.title, config.description, config.base_url)
    digest = _inputs_digest(version, settings, sources, templates, static)
    return _Inputs(version, settings, sources, templates, static, Manifest.read(config.output), digest)


def _salt(inputs: _Inputs) -> str:
    """What every output's fingerprint starts from: litweave, settings, templates, static files."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((inputs.version, inputs.settings)).encode("utf-8"))
    h.update(inputs.templates.digest_all().encode("utf-8"))
    for path, data in inputs.static:
        h.update(path.encode("utf-8") + hashlib.blake2b(data, digest_size=16).digest())
    return h.hexdigest()


def _relations_digest(inputs: _Inputs, facts: Sequence[PaperFacts], vocab: str) -> str:
    """Everything that relates pages to each other or appears on pages other than a paper's own."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_salt(inputs)}\x00{vocab}\x00".encode())
    for s in inputs.sources:
        if s.kind != "paper":
            h.update(f"{s.rel}\x00{s.digest}\x00".encode())
    for f in facts:
        h.update(f"{f.file}\x00{f.signature}\x00".encode())
    return h.hexdigest()


@dataclass(slots=True)
class _Planned:
    """The graph and the jobs of one build, and the diagnostics found on the way."""

    graph: SiteGraph
    jobs: list[Job]
    diagnostics: list[Diagnostic]
    parsed: int
    present: bool = False
    """Every file of the last manifest was found in place while planning."""


def _fast_plan(config: Config, inputs: _Inputs, state: BuildState, renderer: Renderer, jobs: int) -> _Planned | None:
    """Only papers' own texts changed, and what other pages show of them did not: plan just their
    pages, from the last join. None when the build must join and plan everything."""
    previous, cache = state.relations, state.cache
    if previous is None or cache is None or previous.salt != _salt(inputs) or not inputs.manifest.files:
        return None
    current = {s.rel: s.digest for s in inputs.sources}
    if current.keys() != previous.sources.keys():
        return None  # a page added or removed: relations change
    changed = [s for s in inputs.sources if previous.sources[s.rel] != s.digest]
    if any(s.kind != "paper" for s in changed) or not inputs.manifest.all_present(config.output):
        return None
    stage1 = _paper_facts(changed, previous.mechanisms, cache, state, jobs)
    if len(stage1.facts) != len(changed) or any(f.signature != previous.signatures.get(f.file) for f in stage1.facts):
        return None
    graph = previous.graph(stage1.facts)
    views = SiteViews(graph, inputs.settings, renderer.render_item)
    renderer.site = views.site_view()
    work = [Job(path, fp, _never) for path, (fp, _sha) in inputs.manifest.files.items()]
    index = {job.path: i for i, job in enumerate(work)}
    salt = repr((inputs.version, inputs.settings))
    for planned in views.plan_papers(f.slug for f in stage1.facts):
        job = _job(planned, renderer, inputs.templates, salt)
        work[index[planned.path]] = job
    previous.sources = current
    for f in stage1.facts:
        previous.facts_keys[f.file] = stage1.keys[f.file]
        previous.stage1[f.file] = f.diagnostics
    found = [d for ds in previous.stage1.values() for d in ds]
    return _Planned(graph, work, [*found, *previous.diagnostics], stage1.parsed, present=True)


def _full_plan(config: Config, inputs: _Inputs, state: BuildState, renderer: Renderer, jobs: int) -> _Planned | None:
    """Read every page (from the cache where unchanged), join the graph, plan every output.
    None, with the errors in the state's notices, when the content has errors."""
    cache = state.cache
    assert cache is not None
    diagnostics = check_page_slugs(inputs.sources)
    pages, found, parsed = _read_pages([s for s in inputs.sources if s.kind != "paper"], cache)
    diagnostics.extend(found)
    mechanisms, found = load_vocabulary(pages)
    diagnostics.extend(found)
    papers = [s for s in inputs.sources if s.kind == "paper"]
    stage1 = _paper_facts(papers, mechanisms, cache, state, jobs)
    if any(d.level == "error" for d in [*diagnostics, *stage1.diagnostics]):
        return _Planned(SiteGraph(), [], [*diagnostics, *stage1.diagnostics], stage1.parsed + parsed)
    graph, found = join_graph(stage1.facts, pages, mechanisms)
    diagnostics.extend(found)
    views = SiteViews(graph, inputs.settings, renderer.render_item)
    renderer.site = views.site_view()
    diagnostics.extend(views.broken_links())
    planned = list(views.plan())
    renderer.load(sorted({p.template for p in planned if p.template}))
    salt = repr((inputs.version, inputs.settings))
    work = [_job(p, renderer, inputs.templates, salt) for p in planned]
    work += [Job(path, hashlib.sha256(data).hexdigest(), _constant(data)) for path, data in inputs.static]
    check_paths(job.path for job in work)
    del planned
    views.release_keys()
    vocab = vocabulary_digest({m.slug: m for m in mechanisms})
    state.relations = Relations.of(
        _relations_digest(inputs, stage1.facts, vocab),
        _salt(inputs),
        {s.rel: s.digest for s in inputs.sources},
        stage1.facts,
        stage1.keys,
        graph,
        diagnostics,
    )
    return _Planned(graph, work, [*diagnostics, *stage1.diagnostics], stage1.parsed + parsed)


def build_site(
    config: Config, clean: bool = False, *, jobs: int | None = None, state: BuildState | None = None
) -> BuildReport:
    """Build `config.root`'s content into `config.output`; never writes when an error was found.

    The cyclic garbage collector is paused meanwhile: a build makes hundreds of thousands of
    long-lived objects and almost no cycles, and full collections over them were a tenth of a
    rebuild's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(config, clean, jobs, state)
    finally:
        if enabled:
            gc.enable()


def _build(config: Config, clean: bool, jobs: int | None, state: BuildState | None) -> BuildReport:
    start = time.perf_counter()
    state = state or BuildState()
    jobs = default_jobs() if jobs is None else jobs
    report = BuildReport()
    mark = [start]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        report.timings[stage] = report.timings.get(stage, 0.0) + now - mark[0]
        report.peaks[stage] = _peak_mib()
        mark[0] = now

    inputs = _scan(config, state)
    report.pages = len(inputs.sources)
    lap("scan")
    out, manifest = config.output, inputs.manifest
    if not clean and manifest.inputs == inputs.digest and manifest.all_present(out):
        report.diagnostics = [_diagnostic(d) for d in manifest.diagnostics]
        report.write = WriteReport(unchanged=len(manifest.files))
        report.outputs = len(manifest.files)
        report.seconds = time.perf_counter() - start
        return report
    if state.cache is None or clean:
        state.cache = PageCache.open(config.root, inputs.version, report.diagnostics, ignore=clean)
        state.relations = None if clean else load_relations(config.root, config.output_dir, inputs.version)
    state.cache.notices = report.diagnostics
    state.cache.seen.clear()
    lap("load")
    try:
        renderer = _renderer(config, inputs, state)
        plan = None if clean else _fast_plan(config, inputs, state, renderer, jobs)
        fast = plan is not None
        items_salt = f"{inputs.version}\x00{inputs.settings!r}\x00{inputs.templates.digest(ITEM_TEMPLATE)}"
        if not fast:
            renderer.items = {} if clean else load_items(config.root, config.output_dir, items_salt)
        plan = plan or _full_plan(config, inputs, state, renderer, jobs)
        assert plan is not None
        inputs.sources = []  # every file's bytes: no longer needed once stage 1 is done
        report.diagnostics.extend(plan.diagnostics)
        report.parsed = plan.parsed
        lap("plan")
        if any(d.level == "error" for d in report.diagnostics):
            state.cache.save(forget_unseen=False)
            return report
        report.graph = plan.graph
        report.write, files = write_site(
            out, plan.jobs, manifest, clean=clean, run=_runner(jobs, renderer, state.quiet), present=plan.present
        )
    except OutputConflict as exc:
        report.diagnostics.append(Diagnostic("error", f"cannot write the site: {exc}", file=f"{config.output_dir}/"))
        return report
    except Exception as exc:
        if type(exc).__module__.startswith("jinja2"):
            report.diagnostics.append(_template_errors(exc, config.templates_dir))
            return report
        raise
    report.outputs = len(plan.jobs)
    lap("render and write")
    kept = [d for d in report.diagnostics if d.level == "warning"]
    Manifest(files, inputs.settings.base_url, inputs.digest, [_row(d) for d in kept]).write(out)
    state.cache.save(forget_unseen=not fast)
    if state.relations is not None:
        save_relations(config.root, config.output_dir, inputs.version, state.relations, joined=not fast)
    if not fast:
        save_items(config.root, config.output_dir, items_salt, renderer.kept_items())
    lap("save")
    report.seconds = time.perf_counter() - start
    return report


def _peak_mib() -> int:
    try:
        import resource
    except ImportError:  # not on a Unix
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _renderer(config: Config, inputs: _Inputs, state: BuildState) -> Renderer:
    """A renderer for this build, reusing the last one's compiled templates if they are unchanged."""
    digest = inputs.templates.digest_all()
    if state.environment is not None and state.environment[0] == digest:
        return Renderer(config.templates, {}, environment=state.environment[1])
    renderer = Renderer(config.templates, {})
    state.environment = (digest, renderer.env)
    return renderer


IN_PROCESS_MIB = 500
"""Above this much memory, render in this process (writes overlapped by threads) rather than in
forked workers: every worker touches the whole graph while rendering and so copies it, which
at 100,000 papers took the build from 1.8 to 4.2 GB in all."""


def _in_process(jobs: int, count: int) -> bool:
    return jobs <= 1 or count < pool.MIN_ITEMS or _peak_mib() > IN_PROCESS_MIB


def _runner(jobs: int, renderer: Renderer, quiet: bool) -> RunJobs:
    """Render and write jobs over the pool; list items rendered in workers come back to the
    renderer here, so the next build can reuse them."""

    def run(out_dir: Path, todo: Sequence[Job], old: dict[str, tuple[str, str]] | None) -> list[tuple[str, bool]]:
        def one(job: Job) -> tuple[str, bool, list[tuple[str, str]]]:
            sha, written = write_one(out_dir, job, None if old is None else old.get(job.path, ("", ""))[1])
            return sha, written, renderer.take_new_items()

        counter = Progress("rendering", len(todo), unit="pages", quiet=quiet)
        if _in_process(jobs, len(todo)):  # list items rendered here are the renderer's already
            done = run_overlapped(out_dir, todo, old, counter.advance)
        else:
            results: list[tuple[str, bool, list[tuple[str, str]]]] = parallel_map(one, todo, jobs, counter.advance)
            for _sha, _written, items in results:
                renderer.items.update(items)
            done = [(sha, written) for sha, written, _items in results]
        counter.close()
        return done

    return run


def _never() -> bytes:
    raise AssertionError("an unchanged output was asked to render")


def _row(d: Diagnostic) -> list[object]:
    return [d.level, d.message, d.file, d.line, d.record]


def _diagnostic(row: list[object]) -> Diagnostic:
    level, message, file, line, record = (row + [None] * 5)[:5]
    return Diagnostic(
        level if level in ("error", "warning", "info") else "warning",  # type: ignore[arg-type]
        str(message),
        str(file or ""),
        line if isinstance(line, int) else None,
        record if isinstance(record, int) else None,
    )
