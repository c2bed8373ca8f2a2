"""Mechanism pages to a checked vocabulary: validation, clashes between pages, and a paper's
front-matter overrides (`mechanisms:` / `not_mechanisms:`). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from litweave.mechanisms.matcher import Matcher
from litweave.mechanisms.terms import fold_name, name_key
from litweave.model import Diagnostic, Mechanism, Page


def mechanism_from_page(page: Page) -> tuple[Mechanism | None, list[Diagnostic]]:
    """Validate one mechanism page; an empty title makes it unusable (None and an error)."""
    file = str(page.path)
    diags: list[Diagnostic] = []
    title = page.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        diags.append(Diagnostic("warning", "mechanism page has no title; it is left out of the vocabulary", file))
        return None, diags
    raw_aliases = page.meta.get("aliases") or []
    if isinstance(raw_aliases, str):
        raw_aliases = [raw_aliases]
    aliases: list[str] = []
    if not isinstance(raw_aliases, list):
        diags.append(Diagnostic("warning", "'aliases' should be a list of names; ignored", file))
        raw_aliases = []
    for alias in raw_aliases:
        if isinstance(alias, str) and alias.strip():
            aliases.append(alias.strip())
        else:
            diags.append(Diagnostic("warning", f"alias {alias!r} is not a name (a string); ignored", file))
    kind = page.meta.get("kind") or ""
    if not isinstance(kind, str):
        diags.append(Diagnostic("warning", "'kind' should be a word such as receptor or drug; ignored", file))
        kind = ""
    raw_ids = page.meta.get("identifiers") or {}
    identifiers: list[tuple[str, str]] = []
    if isinstance(raw_ids, Mapping):
        for scheme, ident in raw_ids.items():
            if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
                identifiers.append((str(scheme), str(ident).strip()))
            else:
                diags.append(Diagnostic("warning", f"identifier {scheme}: {ident!r} is not a single id; ignored", file))
    else:
        diags.append(Diagnostic("warning", "'identifiers' should be a mapping such as {HGNC: ERBB2}; ignored", file))
    mech = Mechanism(
        slug=page.slug,
        title=title.strip(),
        aliases=tuple(aliases),
        kind=kind.strip(),
        identifiers=tuple(sorted(identifiers)),
        description=page.body,
        file=file,
    )
    return mech, diags


def check_vocabulary(mechs: Sequence[Mechanism]) -> tuple[list[Mechanism], list[Diagnostic]]:
    """Drop duplicate and shared names so that every term belongs to exactly one mechanism.

    A name repeated within one page is kept once (warning). A name claimed by two mechanisms stays
    with the one whose title it is; when it is the title of both, or of neither, it stays with the
    alphabetically first slug. The loser keeps its other names (warning naming both files). Names
    are compared as the matcher compares them, so "HER2" and "her2" are different names but
    "Apoptosis" and "apoptosis" are the same one.
    """
    diags: list[Diagnostic] = []
    unique = _unique_slugs(mechs, diags)
    lost = _lost_names(_claims(unique, diags), diags)
    return [_without_names(m, lost.get(m.slug, set())) for m in unique], diags


def _unique_slugs(mechs: Sequence[Mechanism], diags: list[Diagnostic]) -> list[Mechanism]:
    """The mechanisms by slug, each slug once: the page a slug is first seen on keeps it (warning).

    Sorted by slug so that which page wins, and every later choice, does not depend on file order.
    """
    seen_slugs: dict[str, Mechanism] = {}
    unique: list[Mechanism] = []
    for m in sorted(mechs, key=lambda m: m.slug):
        if m.slug in seen_slugs:
            diags.append(
                Diagnostic(
                    "warning",
                    f"mechanism slug {m.slug!r} is also used by {seen_slugs[m.slug].file}; this page is left out",
                    m.file,
                )
            )
            continue
        seen_slugs[m.slug] = m
        unique.append(m)
    return unique


def _claims(unique: Sequence[Mechanism], diags: list[Diagnostic]) -> dict[str, list[Mechanism]]:
    """Each name key with the mechanisms that claim it; a name repeated within one page is a warning."""
    claims: dict[str, list[Mechanism]] = {}
    for m in unique:
        own: set[str] = set()
        for name in (m.title, *m.aliases):
            key = name_key(name)
            if key in own:
                diags.append(Diagnostic("warning", f"alias {name!r} repeats another name of this mechanism", m.file))
                continue
            own.add(key)
            claims.setdefault(key, []).append(m)
    return claims


def _lost_names(claims: Mapping[str, list[Mechanism]], diags: list[Diagnostic]) -> dict[str, set[str]]:
    """Slug -> the name keys it loses to another mechanism, with a warning per loss naming both files.

    A shared name goes to the mechanism whose title it is, else (a tie) to the first slug.
    """
    lost: dict[str, set[str]] = {}
    for key, owners in claims.items():
        if len(owners) < 2:
            continue
        titled = [m for m in owners if name_key(m.title) == key]
        winner = min(titled or owners, key=lambda m: m.slug)
        for m in owners:
            if m is winner:
                continue
            lost.setdefault(m.slug, set()).add(key)
            diags.append(
                Diagnostic(
                    "warning",
                    f"name {key!r} is claimed by both {winner.file} and {m.file}; it stays with "
                    f"{winner.slug!r} ({'its title' if titled else 'first slug'})",
                    m.file,
                )
            )
    return lost


def _without_names(m: Mechanism, dropped: set[str]) -> Mechanism:
    """The mechanism without the aliases it lost and those repeating its title or an earlier alias.

    The title is left as it is, even when another mechanism won that name: a page always keeps
    its own title.
    """
    kept: list[str] = []
    keys: set[str] = {name_key(m.title)}
    for alias in m.aliases:
        key = name_key(alias)
        if key in keys or key in dropped:
            continue
        keys.add(key)
        kept.append(alias)
    return _replace_aliases(m, tuple(kept))


def _replace_aliases(m: Mechanism, aliases: tuple[str, ...]) -> Mechanism:
    if aliases == m.aliases:
        return m
    return Mechanism(m.slug, m.title, aliases, m.kind, m.identifiers, m.description, m.file)


def apply_overrides(
    detected: Sequence[str],
    added: Sequence[str],
    removed: Sequence[str],
    matcher: Matcher,
    *,
    file: str = "",
) -> tuple[list[str], list[Diagnostic]]:
    """Slugs of a paper after its front matter's `mechanisms:` (added) and `not_mechanisms:` (removed).

    Names are resolved by slug, title or alias, ignoring case and hyphens; removal wins over
    addition. Unknown names are reported (warning) and otherwise ignored. Order: detected first,
    then added, each once.
    """
    diags: list[Diagnostic] = []

    def resolve(names: Sequence[str], key: str) -> list[str]:
        slugs: list[str] = []
        for name in names:
            slug = matcher.names.get(fold_name(str(name)))
            if slug is None:
                diags.append(
                    Diagnostic(
                        "warning", f"{key}: {name!r} is not a known mechanism (no title, alias or slug matches)", file
                    )
                )
            else:
                slugs.append(slug)
        return slugs

    plus = resolve(added, "mechanisms")
    minus = set(resolve(removed, "not_mechanisms"))
    result = [s for s in dict.fromkeys([*detected, *plus]) if s not in minus]
    return result, diags


def load_vocabulary(pages: Sequence[Page]) -> tuple[list[Mechanism], list[Diagnostic]]:
    """Mechanisms from the mechanism pages, validated, with clashes between pages resolved."""
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
