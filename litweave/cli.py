"""Command line: `litweave init|import|build|serve|check|export|suggest|upgrade`. Wiring only: each command
parses its arguments, calls one function of the package, prints diagnostics and a one-line
summary, and returns the exit code (0 ok, 1 content errors, 2 unusable invocation or settings).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from litweave import __version__, places
from litweave.config import Config, ConfigError, load_config
from litweave.model import Diagnostic
from litweave.wording import REPEATED_NOTE, plural

if TYPE_CHECKING:
    from litweave.build.pipeline import BuildReport

_ALWAYS_SHOWN = (".litweave-cache",)
"""Informational messages about these are printed without -v: a cache set aside and rebuilt
explains why a build takes longer than the last one."""


_STAGING = ".litweave-staging/"
"""Nor is the notice that an interrupted build was finished or undone (build/staging.py)."""


def _print_diagnostics(diagnostics: Sequence[Diagnostic], quiet: bool = False) -> None:
    for d in diagnostics:
        if quiet and d.level == "info" and d.file not in _ALWAYS_SHOWN and not d.file.endswith(_STAGING):
            continue
        print(str(d), file=sys.stderr)


def _print_build_diagnostics(report: BuildReport, verbose: bool = False) -> None:
    """A build's messages: every new one, and one line for the repeated ones (all with -v)."""
    shown, repeated = report.shown(verbose)
    _print_diagnostics(shown, quiet=not verbose)
    if repeated:
        print(REPEATED_NOTE.format(count=plural(repeated, "warning")), file=sys.stderr)


def _port(text: str) -> int:
    """A TCP port number, or the one-line error argparse prints."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= port <= 65535:  # 0: any free port
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1-65535")
    return port


def _count(diagnostics: Sequence[Diagnostic], level: str) -> int:
    return sum(1 for d in diagnostics if d.level == level)


def cmd_build(config: Config, args: argparse.Namespace) -> int:
    from litweave.build.pipeline import BuildState, build_site

    state = BuildState(quiet=args.quiet)
    report = build_site(config, clean=args.clean, jobs=args.jobs, state=state, search=not args.no_search)
    _print_build_diagnostics(report, verbose=args.verbose)
    if args.verbose:
        stages = (f"{k} {v:.3f} s (peak {report.peaks.get(k, 0)} MiB)" for k, v in report.timings.items())
        print("timings: " + ", ".join(stages), file=sys.stderr)
    errors, warnings = _count(report.diagnostics, "error"), _count(report.diagnostics, "warning")
    if not report.ok:
        problems = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
        print(f"build failed: {problems}; {config.output_dir}/ left as it was")
        return 1
    assert report.write is not None
    w = report.write
    print(
        f"built {plural(report.outputs, 'file')} from {plural(report.pages, 'page')} in {report.seconds:.2f} s: "
        f"{len(w.written):,} written, {w.unchanged:,} unchanged, {len(w.pruned):,} removed; "
        f"{plural(warnings, 'warning')}"
    )
    if report.search is not None and report.search.ran:
        s = report.search
        redone = f"{s.reindexed} of {plural(s.shards, 'shard')} indexed again" if s.shards else "not built"
        print(f"search index: {redone}; {s.files} files, {s.written} written, {s.pruned} removed")
    return 0


def cmd_import(config: Config, args: argparse.Namespace) -> int:
    from litweave.commands.import_ import import_files, write_messages
    from litweave.message_groups import grouped_lines

    report = import_files(
        config,
        [Path(f) for f in args.files],
        fmt=args.format,
        progress=False if args.quiet else None,
        prefer=args.prefer,
    )
    full = write_messages(config, report)
    for line in grouped_lines(report.diagnostics, full=full):  # repairs and guessed encodings matter here
        print(line, file=sys.stderr)
    errors = _count(report.diagnostics, "error")
    if report.nothing_usable:
        print(f"import failed: no usable file among {len(args.files)} given; nothing written")
        return 2
    refused = ""
    if report.refused:
        named = ", ".join(report.refused[:5]) + (
            f" and {len(report.refused) - 5:,} more" if len(report.refused) > 5 else ""
        )
        refused = f"; refused: {named}"
    # what was written, not what was read: records refused or already on their pages write nothing
    wrote = (
        f"wrote {plural(report.written, 'page')} ({len(report.created):,} new, {len(report.updated):,} updated)"
        if report.written
        else "wrote no page"
    )
    print(
        f"{wrote} from {plural(report.records, 'record')} read; {plural(len(report.unchanged), 'page')} unchanged; "
        f"{report.merged:,} merged as duplicates"
        f"{f' (which into which: {full})' if report.merged else ''}; "
        f"{report.skipped:,} skipped; {plural(len(report.conflicts), 'conflict')}; "
        f"{plural(_count(report.diagnostics, 'warning'), 'warning')}, {plural(errors, 'error')}{refused}"
    )
    return 0 if report.ok else 1


def cmd_check(config: Config, args: argparse.Namespace) -> int:
    import json

    from litweave.build.staging import RECOVERED, recover
    from litweave.commands.check import run_check
    from litweave.lint.rules import counts, terminal_lines

    outcome = recover(config.output)  # a swap an interrupted build left half done is finished first
    if outcome:
        what = RECOVERED[outcome].format(site=config.output_dir)
        print(f"check: an earlier build was interrupted: {what}", file=sys.stderr)
    report = run_check(config, args.base_url)
    found = counts(report.findings)
    if args.format == "json":
        site = report.site
        document = {
            "findings": [f.as_json() for f in report.findings],
            "summary": {
                **found,
                "content_files": report.content_files,
                "base_url": report.base_url,
                "base_url_from": report.base_source,
                "pages": site.pages if site else 0,
                "links": site.links if site else 0,
                "urls": site.urls if site else 0,
            },
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 1 if report.errors else 0
    shown = [f for f in report.findings if f.severity != "info" or args.verbose]
    for line in [str(f) for f in shown] if args.verbose else terminal_lines(shown):
        print(line, file=sys.stderr)
    if args.verbose:
        stages = [("content", report.content_seconds), *(report.site.timings.items() if report.site else ())]
        print("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages), file=sys.stderr)
    where = {"--base-url": "as --base-url asks", "manifest": "as built", "settings": "from the settings"}
    checked = f"checked {plural(report.content_files, 'content file')}"
    if report.site is not None:
        s = report.site
        checked += (
            f" and {plural(s.pages, 'page')} under {report.base_url} ({where[report.base_source]}): "
            f"{s.links:,} internal links, {plural(s.urls, 'URL')} fetched"
        )
    print(
        f"{checked} in {report.seconds:.1f} s: {plural(found['error'], 'error')}, "
        f"{plural(found['warning'], 'warning')}, {found['info']:,} info"
    )
    return 1 if report.errors else 0


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    from litweave.commands.serve import serve

    return serve(config, host=args.host, port=args.port)


def cmd_export(config: Config, args: argparse.Namespace) -> int:
    from litweave.commands.export import export

    out = Path(args.output) if args.output else None
    text, count, diagnostics = export(config, args.format, out)
    _print_diagnostics(diagnostics, quiet=not args.verbose)
    if out is None:
        sys.stdout.write(text)
    else:
        print(f"exported {plural(count, 'paper')} as {args.format} to {out}", file=sys.stderr)
    return 1 if any(d.level == "error" for d in diagnostics) else 0


def cmd_suggest(config: Config, args: argparse.Namespace) -> int:
    from litweave.commands.suggest import run_suggest

    report = run_suggest(config, args.write or [])
    _print_diagnostics(report.diagnostics, quiet=not args.verbose)
    if not args.write:
        for c in report.candidates[: args.limit]:
            print(f"{c.short}\t{c.long}\t{plural(len(c.papers), 'paper')}\t{c.example}")
        print(f"{plural(len(report.candidates), 'candidate')} not in the vocabulary", file=sys.stderr)
    for path in report.written:
        print(f"wrote draft {path}")
    return 1 if any(d.level == "error" for d in report.diagnostics) else 0


def cmd_init(args: argparse.Namespace) -> int:
    """Not given a Config: the knowledge base does not exist yet."""
    from litweave.commands.init import InitRefused, init_knowledge_base

    root = Path(args.folder if args.folder is not None else args.root)
    try:
        report = init_knowledge_base(root, title=args.title, with_templates=args.templates, from_index=args.from_index)
    except InitRefused as exc:
        print(f"litweave init: {exc}", file=sys.stderr)
        return 2
    templates = f", {plural(report.templates, 'template file')} in templates/" if report.templates else ""
    pin = report.pin
    installs = f"its wheel, {pin.wheel_path}" if pin.wheel_path else f"{pin.line}, from the package index"
    print(
        f"made a knowledge base in {root}: {plural(len(report.written), 'file')}, "
        f"{plural(report.mechanisms, 'mechanism')} in content/mechanisms/{templates}; "
        f"its publishing workflow installs litweave {pin.version} ({installs}); "
        f"next: cd {root}, litweave import FILE…, litweave build or serve; its README.md says how to publish it"
    )
    return 0


def cmd_upgrade(config: Config, args: argparse.Namespace) -> int:
    from litweave.commands.upgrade import upgrade
    from litweave.own_wheel import WheelUnavailable
    from litweave.pinning import PinRefused

    try:
        report = upgrade(config.root, mode=args.mode, allow_downgrade=args.allow_downgrade)
    except (PinRefused, WheelUnavailable) as exc:
        print(f"litweave upgrade: {exc}; nothing written", file=sys.stderr)
        return 2
    for change in report.changes:
        print(change)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if not report.changes:
        print(f"litweave {report.version} already: requirements.txt names the litweave you run; nothing written")
    elif report.previous and report.previous != report.version:
        print(f"upgraded from litweave {report.previous} to {report.version}")
    else:
        print(f"requirements.txt names litweave {report.version}, the litweave you run")
    return 0


def make_parser() -> argparse.ArgumentParser:
    # --root and -v are accepted before or after the command; SUPPRESS keeps a sub-command's
    # absent option from overwriting the value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help="the knowledge base folder (default: .)")
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="also print informational messages"
    )
    parser = argparse.ArgumentParser(
        prog="litweave", description="A static knowledge base of the literature.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"litweave {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", parents=[common], help="make a new knowledge base, ready to publish on GitHub Pages")
    p.add_argument("folder", nargs="?", metavar="DIR", help="where (created if missing; default: --root, else .)")
    p.add_argument("--title", help="the site's title (default: the folder's name)")
    p.add_argument(
        "--templates", action="store_true", help="also copy litweave's templates into templates/, for editing"
    )
    p.add_argument(
        "--from-index",
        action="store_true",
        help="requirements.txt names litweave==VERSION from the package index, instead of this litweave's wheel "
        "kept in .litweave/ (only if that index has this version)",
    )
    p.set_defaults(run=None)

    p = sub.add_parser("build", parents=[common], help="render content/ through templates/ into site/")
    p.add_argument("--base-url", help="URL path the site is served under, e.g. /repo/ on GitHub Pages")
    p.add_argument(
        "--site-url", help="where the site is published, in full, for feeds and the sitemap (default: the settings')"
    )
    p.add_argument(
        "--clean", action="store_true", help="ignore the cache and the manifest: read, render and compare everything"
    )
    p.add_argument("--jobs", type=int, help="worker processes (default: one per core; 1 builds in this process)")
    p.add_argument(
        "--no-search", action="store_true", help="leave the search index (Pagefind, site/pagefind/) as it is"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line on the terminal")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("import", parents=[common], help="import bibliographic files into content/papers/")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["refer", "ris", "bibtex", "medline", "csljson"], help="skip detection")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line on the terminal")
    settle = p.add_mutually_exclusive_group()
    settle.add_argument(
        "--theirs",
        dest="prefer",
        action="store_const",
        const="theirs",
        help="settle conflicts (fields both you and the source changed) with the source's value",
    )
    settle.add_argument(
        "--ours", dest="prefer", action="store_const", const="ours", help="settle conflicts with your value, quietly"
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("serve", parents=[common], help="build, serve on localhost and rebuild on change")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port to listen on, 1-65535 (default: 8000)")
    p.add_argument("--base-url", help="URL path to serve the site under (default: the settings' base_url)")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("export", parents=[common], help="write the knowledge base as CSL-JSON, BibTeX or RIS")
    p.add_argument("--format", required=True, choices=["csl-json", "bibtex", "ris"])
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("suggest", parents=[common], help="abbreviations defined in papers but not in the vocabulary")
    p.add_argument("--write", nargs="+", metavar="SHORT", help="create draft mechanism pages for these short forms")
    p.add_argument("--limit", type=int, default=50, help="list at most this many (default 50)")
    p.set_defaults(run=cmd_suggest)

    p = sub.add_parser(
        "check", parents=[common], help="lint content/; serve site/ and check every link, anchor and asset"
    )
    p.add_argument(
        "--base-url", help="check the site under this base URL (default: the one it was built for, from its manifest)"
    )
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="json: one JSON document on standard output"
    )
    p.set_defaults(run=cmd_check)

    p = sub.add_parser(
        "upgrade", parents=[common], help="make the publishing workflow install this litweave (requirements.txt)"
    )
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--wheel",
        dest="mode",
        action="store_const",
        const="wheel",
        help="keep this litweave's wheel in .litweave/ (the default, unless requirements.txt pins the index)",
    )
    how.add_argument(
        "--from-index",
        dest="mode",
        action="store_const",
        const="index",
        help="pin litweave==VERSION from the package index (only if that index has this version)",
    )
    p.add_argument("--allow-downgrade", action="store_true", help="go back to this litweave if it is older")
    p.set_defaults(run=cmd_upgrade, mode=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    args.root = getattr(args, "root", ".")
    args.verbose = getattr(args, "verbose", False)
    if args.command == "init":
        return cmd_init(args)
    root = Path(args.root)
    try:
        places.require_knowledge_base(root)
        # check's --base-url says where to check the built site, not what to build for
        base_url = None if args.command == "check" else getattr(args, "base_url", None)
        config = load_config(root, base_url=base_url, site_url=getattr(args, "site_url", None))
        places.require(config)  # before anything is read or written, whatever the command
    except ConfigError as exc:
        for line in str(exc).splitlines():
            print(f"litweave: {line}", file=sys.stderr)
        return 2
    return int(args.run(config, args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
