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
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from litweave import places
from litweave.build import checkpoints, pool
from litweave.build.cache import (
    PageCache,
    load_items,
    load_relations,
    load_search_regions,
    save_items,
    save_relations,
    save_search_regions,
)
from litweave.build.planning import fast_plan, full_plan
from litweave.build.pool import default_jobs, parallel_map
from litweave.build.render import Renderer
from litweave.build.search import SearchReport, index_site, present, split_search
from litweave.build.staging import RECOVERED, Staging, StagingError, open_staging, overlay, staged_path, staging_dir
from litweave.build.state import BuildState, Inputs, scan
from litweave.build.writer import (
    MANIFEST,
    Job,
    Manifest,
    OutputConflict,
    RunJobs,
    WriteReport,
    run_overlapped,
    write_one,
    write_site,
)
from litweave.config import Config
from litweave.model import Diagnostic
from litweave.progress import Progress
from litweave.site.graph import SiteGraph
from litweave.site.views import ITEM_TEMPLATE

__all__ = ["BuildReport", "BuildState", "build_site"]


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
    search: SearchReport | None = None
    """The search step's report; None when the build stopped before it."""
    repeated: list[Diagnostic] = field(default_factory=list)
    """The warnings of `diagnostics` the last build gave too, about a file that has not changed
    since: the CLI shows them once, not on every build (`check` and `build -v` list them all)."""

    @property
    def ok(self) -> bool:
        return self.write is not None and not any(d.level == "error" for d in self.diagnostics)

    def shown(self, verbose: bool = False) -> tuple[list[Diagnostic], int]:
        """The diagnostics to print, and how many repeated warnings were left out (none with
        `verbose`)."""
        if verbose or not self.repeated:
            return self.diagnostics, 0
        left = {id(d) for d in self.repeated}
        return [d for d in self.diagnostics if id(d) not in left], len(left)


def build_site(
    config: Config,
    clean: bool = False,
    *,
    jobs: int | None = None,
    state: BuildState | None = None,
    search: bool = True,
    carried: Sequence[str] | None = None,
) -> BuildReport:
    """Build `config.root`'s content into `config.output`; never writes when an error was found.
    `search`: run the search step (Pagefind) when the pages changed; without it an existing
    search bundle is left as it is. `carried`: the files of the output folder that are not the
    build's and go into each new one; None (the default) finds them all by walking it.

    The cyclic garbage collector is paused meanwhile: a build makes hundreds of thousands of
    long-lived objects and almost no cycles, and full collections over them were a tenth of a
    rebuild's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        misplaced = places.problems(config, foreign=False)  # before the site is read, recovered or pruned
        if misplaced:
            return BuildReport(diagnostics=[p.diagnostic(config) for p in misplaced])
        with open_staging(config.output) as (stage, found):
            return _build(config, clean, jobs, state, search, carried, stage, found)
    finally:
        if enabled:
            gc.enable()


class _Laps:
    """Stage timings and memory peaks into the report, as the build goes."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.mark = self.start = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = self.report.timings.get(stage, 0.0) + now - self.mark
        self.report.peaks[stage] = _peak_mib()
        self.mark = now


def _build(
    config: Config,
    clean: bool,
    jobs: int | None,
    state: BuildState | None,
    search: bool,
    carried: Sequence[str] | None,
    stage: Staging,
    found: str,
) -> BuildReport:
    state = state or BuildState()
    jobs = default_jobs() if jobs is None else jobs
    report = BuildReport()
    lap = _Laps(report)
    _recovered(config, report, found)
    inputs = scan(config, state)
    report.pages = len(inputs.sources)
    lap("scan")
    checkpoints.reached("scanned")
    if not clean and _unchanged(config, inputs, report):
        report.seconds = time.perf_counter() - lap.start
        return report
    if state.cache is None or clean:
        state.cache = PageCache.open(config.root, inputs.version, report.diagnostics, ignore=clean)
        state.relations = None if clean else load_relations(config.root, config.output_dir, inputs.version)
    state.cache.notices = report.diagnostics
    state.cache.seen.clear()
    listed = {*inputs.manifest.files, MANIFEST}  # what the last build wrote: the rest of site/ is not the build's
    # the search bundle is the search step's: the page writer neither plans nor prunes it
    inputs.manifest.files, search_before = split_search(inputs.manifest.files)
    lap("load")
    items_salt = f"{inputs.version}\x00{inputs.settings!r}\x00{inputs.templates.digest(ITEM_TEMPLATE)}"
    try:
        renderer = _renderer(config, inputs, state)
        plan = None if clean else fast_plan(config, inputs, state, renderer, jobs)
        fast = plan is not None
        if not fast:
            renderer.items = {} if clean else load_items(config.root, config.output_dir, items_salt)
        plan = plan or full_plan(config, inputs, state, renderer, jobs)
        assert plan is not None
        digests = {source.rel: source.digest for source in inputs.sources}
        inputs.sources = []  # every file's bytes: no longer needed once stage 1 is done
        report.diagnostics.extend(plan.diagnostics)
        report.parsed = plan.parsed
        lap("plan")
        if any(d.level == "error" for d in report.diagnostics):
            state.cache.save(forget_unseen=False)
            return report
        report.graph = plan.graph
        checkpoints.reached("planned")
        run = _runner(jobs, renderer, state.quiet, stage)
        report.write, files = write_site(
            config.output, plan.jobs, inputs.manifest, clean=clean, run=run, present=plan.present
        )
    except (OutputConflict, StagingError) as exc:  # site/ untouched; what was staged is the next build's to match
        report.diagnostics.append(Diagnostic("error", f"cannot write the site: {exc}", file=f"{config.output_dir}/"))
        return report
    except Exception as exc:
        if type(exc).__module__.startswith("jinja2"):
            report.diagnostics.append(_template_errors(exc, config.templates_dir))
            return report
        raise
    report.outputs = len(plan.jobs)
    lap("render and write")
    stage.fill(listed, set(report.write.written), report.write.pruned, carried)
    lap("fill")
    if search:
        regions = {} if clean else load_search_regions(config.root, config.output_dir, inputs.version)
        bundle, report.search = index_site(
            config.output,
            files,
            search_before,
            report.diagnostics,
            scratch=stage.scratch,
            force=clean,
            site_view=lambda paths, name: overlay(config.output, stage.scratch, paths, name),
            read_page=lambda path: staged_path(config.output, path).read_bytes(),
            regions=regions,
        )
        stage.remove(report.search.stale)
        save_search_regions(config.root, config.output_dir, inputs.version, regions)
        files.update(bundle)
        lap("search")
    else:
        files.update(present(config.output, search_before))
    _save(config, inputs, state, report, files, fast, digests, stage)
    if not fast:
        save_items(config.root, config.output_dir, items_salt, renderer.kept_items())
    lap("save")
    checkpoints.reached("saved")
    report.seconds = time.perf_counter() - lap.start
    return report


def _recovered(config: Config, report: BuildReport, found: str) -> None:
    """Tell what was found of a build that was killed (staging.py)."""
    if found:
        where = f"{staging_dir(config.output).name}/"
        message = f"an earlier build was interrupted: {RECOVERED[found].format(site=config.output_dir)}"
        report.diagnostics.append(Diagnostic("info", message, file=where))


def _unchanged(config: Config, inputs: Inputs, report: BuildReport) -> bool:
    """Every input hashes as in the last build and every output is in place: report that build's
    warnings again and do nothing else."""
    manifest = inputs.manifest
    if manifest.inputs != inputs.digest or not manifest.all_present(config.output):
        return False
    report.diagnostics += [_diagnostic(d) for d in manifest.diagnostics]
    report.repeated = [d for d in report.diagnostics if d.level == "warning"]
    report.write = WriteReport(unchanged=len(manifest.files))
    report.outputs = len(manifest.files)
    return True


def _save(
    config: Config,
    inputs: Inputs,
    state: BuildState,
    report: BuildReport,
    files: dict[str, tuple[str, str]],
    fast: bool,
    digests: dict[str, str],
    stage: Staging,
) -> None:
    """The manifest, written into the next site with the changed outputs, then the next site
    swapped in whole; then the caches, which are never newer than the site (staging.py)."""
    kept = [d for d in report.diagnostics if d.level == "warning"]
    report.repeated = _repeated(kept, inputs.manifest.diagnostics, digests)
    rows = [[*_row(d), digests.get(d.file)] for d in kept]
    Manifest(files, inputs.settings.base_url, inputs.digest, rows).stage(config.output)
    checkpoints.reached("manifest")
    assert report.write is not None
    search = report.search or SearchReport()
    stage.commit([*report.write.written, *search.staged, *report.write.pruned, *search.stale, MANIFEST])
    assert state.cache is not None
    state.cache.save(forget_unseen=not fast)
    if state.relations is not None:
        save_relations(config.root, config.output_dir, inputs.version, state.relations, joined=not fast)


def _peak_mib() -> int:
    try:
        import resource
    except ImportError:  # not on a Unix
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _renderer(config: Config, inputs: Inputs, state: BuildState) -> Renderer:
    """A renderer for this build, reusing the last one's compiled templates if they are unchanged."""
    digest = inputs.templates.digest_all()
    if state.environment is not None and state.environment[0] == digest:
        return Renderer(inputs.templates.folders, {}, environment=state.environment[1])
    renderer = Renderer(inputs.templates.folders, {})
    state.environment = (digest, renderer.env)
    return renderer


IN_PROCESS_MIB = 500
"""Above this much memory, render in this process (writes overlapped by threads) rather than in
forked workers: every worker touches the whole graph while rendering and so copies it, which
at 100,000 papers took the build from 1.8 to 4.2 GB in all."""


def _in_process(jobs: int, count: int) -> bool:
    return jobs <= 1 or count < pool.MIN_ITEMS or _peak_mib() > IN_PROCESS_MIB


def _runner(jobs: int, renderer: Renderer, quiet: bool, stage: Staging) -> RunJobs:
    """Render and write jobs over the pool; list items rendered in workers come back to the
    renderer here, so the next build can reuse them. The next site is begun just before the
    first file is written (after the first page of each template rendered: a template that fails
    leaves it as it was)."""

    def run(out_dir: Path, todo: Sequence[Job], old: dict[str, tuple[str, str]] | None) -> list[tuple[str, bool]]:
        def one(job: Job) -> tuple[str, bool, list[tuple[str, str]]]:
            sha, written = write_one(out_dir, job, None if old is None else old.get(job.path, ("", ""))[1])
            return sha, written, renderer.take_new_items()

        def advance(n: int) -> None:
            counter.advance(n)
            checkpoints.reached("written")

        stage.begin()
        counter = Progress("rendering", len(todo), unit="pages", quiet=quiet)
        if _in_process(jobs, len(todo)):  # list items rendered here are the renderer's already
            done = run_overlapped(out_dir, todo, old, advance)
        else:
            results: list[tuple[str, bool, list[tuple[str, str]]]] = parallel_map(one, todo, jobs, advance)
            for _sha, _written, items in results:
                renderer.items.update(items)
            done = [(sha, written) for sha, written, _items in results]
        counter.close()
        return done

    return run


def _template_errors(exc: Exception, templates_dir: str) -> Diagnostic:
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return Diagnostic("error", f"template error: {exc.message}", file=f"templates/{exc.name}", line=exc.lineno)
    if isinstance(exc, TemplateNotFound):
        return Diagnostic("error", f"template {exc.name!r} not found", file=f"{templates_dir}/")
    return Diagnostic("error", f"template error: {exc}", file=f"{templates_dir}/")


def _repeated(warnings: list[Diagnostic], last: list[list[object]], digests: dict[str, str]) -> list[Diagnostic]:
    """The warnings the last build gave too, about a file whose bytes have not changed since (its
    digest is kept with the warning in the manifest; a warning about no file, or kept by an
    older litweave without the digest, is never a repeat)."""
    before = {(*row[:5], row[5]) for row in last if len(row) >= 6 and row[5] is not None}
    return [d for d in warnings if d.file in digests and (*_row(d), digests[d.file]) in before]


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
