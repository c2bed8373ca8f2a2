"""`litweave suggest`: abbreviations the knowledge base defines that the vocabulary lacks.

The I/O edge of `suggest`: reads every paper (title, abstract, full-text excerpt, notes), lists
candidates, and with `--write` creates draft mechanism pages for the chosen short forms. A page
that already exists is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litweave.atomic import write_text
from litweave.config import Config
from litweave.content import load_content
from litweave.mechanisms.matcher import build_matcher
from litweave.mechanisms.suggest import Candidate, draft_page, suggest
from litweave.mechanisms.vocabulary import load_vocabulary
from litweave.model import Diagnostic


@dataclass(slots=True)
class SuggestReport:
    candidates: list[Candidate] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def run_suggest(config: Config, write: list[str]) -> SuggestReport:
    report = SuggestReport()
    pages, report.diagnostics = load_content(config.content, config.root)
    mechanisms, found = load_vocabulary(pages)
    report.diagnostics.extend(d for d in found if d.level == "error")
    texts = []
    for page in pages:
        if page.kind != "paper":
            continue
        parts = [page.meta.get(k) for k in ("title", "abstract", "fulltext")] + [page.body]
        texts.append((page.slug, "\n\n".join(str(p) for p in parts if p)))
    report.candidates = suggest(texts, build_matcher(mechanisms))
    wanted = {w.casefold(): w for w in write}
    for candidate in report.candidates:
        if candidate.short.casefold() not in wanted:
            continue
        del wanted[candidate.short.casefold()]
        slug, text = draft_page(candidate)
        path = config.content / "mechanisms" / f"{slug}.md"
        rel = path.relative_to(config.root).as_posix()
        if path.exists():
            report.diagnostics.append(Diagnostic("warning", "exists already; not overwritten", file=rel))
            continue
        write_text(path, text)
        report.written.append(rel)
    for name in wanted.values():
        report.diagnostics.append(Diagnostic("error", f"{name!r} is not among the suggestions"))
    return report
