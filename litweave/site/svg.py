"""Static SVG charts for mechanism pages: a papers-per-year timeline and a co-occurrence network.

Render stage, pure: counts and graph edges in, an SVG string out, ready to inline in a page. No
JavaScript; every chart has a `<title>` and `role="img"` for screen readers; text is escaped.
The network layout is computed here, at build time, by a seeded Fruchterman–Reingold simulation
with a capped amount of work, so identical input gives byte-identical output.
"""

from __future__ import annotations

import html
import math
import random
from collections.abc import Mapping, Sequence

_FONT = 'font-family="system-ui, sans-serif" fill="currentColor"'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _num(x: float) -> str:
    """A coordinate with one decimal, without "-0.0", so output does not depend on float noise."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def timeline_svg(counts: Mapping[int, int], *, title: str, width: int = 640, height: int = 180) -> str:
    """Papers per year as bars, every year between the first and last shown (zeros included)."""
    head = _svg_head(width, height, title, "timeline")
    years = sorted(y for y, n in counts.items() if n > 0)
    if not years:
        return (
            head + f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" {_FONT} font-size="12">'
            "No dated papers</text></svg>"
        )
    first, last = years[0], years[-1]
    span = list(range(first, last + 1))
    peak = max(counts.get(y, 0) for y in span)
    left, right, top, bottom = 36, 8, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(span)
    bar_w = min(28.0, max(1.0, slot * 0.8))  # one or two years must not fill the chart
    parts = [head]
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#888" stroke-width="1"/>')
    parts.append(f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" {_FONT} font-size="10">{peak}</text>')
    parts.append(f'<text x="{left - 4}" y="{base}" text-anchor="end" {_FONT} font-size="10">0</text>')
    step = max(1, math.ceil(len(span) / 10))
    for i, year in enumerate(span):
        n = counts.get(year, 0)
        x = left + i * slot + (slot - bar_w) / 2
        if n:
            h = plot_h * n / peak
            noun = "paper" if n == 1 else "papers"
            parts.append(
                f'<rect x="{_num(x)}" y="{_num(base - h)}" width="{_num(bar_w)}" height="{_num(h)}" fill="#4a6fa5">'
                f"<title>{year}: {n} {noun}</title></rect>"
            )
        if (year - first) % step == 0:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{_num(cx)}" y="{base + 16}" text-anchor="middle" {_FONT} font-size="10">{year}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def strongest_edges(edges: Sequence[tuple[str, str, int]], max_edges: int) -> list[tuple[str, str, int]]:
    """The `max_edges` heaviest edges, ties broken by the node ids so the choice is stable."""
    normal = [(min(a, b), max(a, b), w) for a, b, w in edges if a != b and w > 0]
    return sorted(normal, key=lambda e: (-e[2], e[0], e[1]))[:max_edges]


def layout(
    ids: Sequence[str],
    edges: Sequence[tuple[str, str, int]],
    *,
    seed: int = 1,
    budget: int = 3_000_000,
    gravity: float = 8.0,
) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold positions in the unit square, deterministic for a given input.

    `budget` caps node-pair evaluations (iterations × n²), so 300 nodes take about a second.
    """
    order = sorted(ids)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.5, 0.5)}
    index = {node: i for i, node in enumerate(order)}
    xs, ys = _start_positions(n, seed)
    links = [(index[a], index[b], math.log1p(w)) for a, b, w in edges if a in index and b in index]
    k = math.sqrt(1.0 / n)
    iterations = max(20, min(200, budget // (n * n)))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx, dy = _repulsion(xs, ys, k * k)
        _attract(xs, ys, links, k, dx, dy)
        _move(xs, ys, dx, dy, gravity, temperature)
        temperature -= cooling
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    sx = (max_x - min_x) or 1.0
    sy = (max_y - min_y) or 1.0
    return {node: ((xs[i] - min_x) / sx, (ys[i] - min_y) / sy) for node, i in index.items()}


def _start_positions(n: int, seed: int) -> tuple[list[float], list[float]]:
    """Nodes on a circle, jittered a little so no two start in symmetric balance; the seeded
    generator makes the layout the same on every build."""
    rng = random.Random(seed)
    xs = [0.5 + 0.4 * math.cos(2 * math.pi * i / n) + rng.uniform(-0.01, 0.01) for i in range(n)]
    ys = [0.5 + 0.4 * math.sin(2 * math.pi * i / n) + rng.uniform(-0.01, 0.01) for i in range(n)]
    return xs, ys


def _repulsion(xs: list[float], ys: list[float], k2: float) -> tuple[list[float], list[float]]:
    """Every pair of nodes pushes apart (k²/d); each pair is visited once and applied to both,
    which halves the work of the n² loop that dominates the layout's time."""
    n = len(xs)
    dx = [0.0] * n
    dy = [0.0] * n
    for i in range(n):
        xi, yi = xs[i], ys[i]
        fx = fy = 0.0
        for j in range(i + 1, n):
            ddx = xi - xs[j]
            ddy = yi - ys[j]
            d2 = ddx * ddx + ddy * ddy or 1e-9
            f = k2 / d2  # repulsion k²/d, applied along the unit vector: k²/d² × delta
            fx += ddx * f
            fy += ddy * f
            dx[j] -= ddx * f
            dy[j] -= ddy * f
        dx[i] += fx
        dy[i] += fy
    return dx, dy


def _attract(
    xs: list[float], ys: list[float], links: list[tuple[int, int, float]], k: float, dx: list[float], dy: list[float]
) -> None:
    """Linked nodes pull together (d²/k, weighted by the link's strength); adds to `dx`, `dy`."""
    for a, b, w in links:
        ddx = xs[a] - xs[b]
        ddy = ys[a] - ys[b]
        d = math.sqrt(ddx * ddx + ddy * ddy) or 1e-9
        f = d * w / k
        dx[a] -= ddx * f
        dy[a] -= ddy * f
        dx[b] += ddx * f
        dy[b] += ddy * f


def _move(
    xs: list[float], ys: list[float], dx: list[float], dy: list[float], gravity: float, temperature: float
) -> None:
    """Move every node along its force, by at most `temperature`, so the layout cools and settles.

    Gravity towards the centre keeps disconnected parts from drifting apart and squeezing the rest.
    """
    for i in range(len(xs)):
        dx[i] += gravity * (0.5 - xs[i])
        dy[i] += gravity * (0.5 - ys[i])
        length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) or 1e-9
        step = min(length, temperature) / length
        xs[i] += dx[i] * step
        ys[i] += dy[i] * step


def network_svg(
    nodes: Sequence[tuple[str, str, int]],
    edges: Sequence[tuple[str, str, int]],
    *,
    urls: Mapping[str, str] | None = None,
    max_edges: int = 150,
    title: str = "Mechanisms mentioned together",
    width: int = 960,
    height: int = 640,
    seed: int = 1,
) -> str:
    """A co-occurrence network: nodes (id, label, weight) sized by weight, linked to `urls[id]`.

    Only the `max_edges` strongest edges are drawn, and only nodes on a drawn edge (or, when there
    are no edges, the 60 heaviest nodes), so the picture stays readable for 300 mechanisms.
    """
    by_id = {node_id: (label, weight) for node_id, label, weight in nodes}
    kept, shown = _drawn(by_id, edges, max_edges)
    positions = layout(shown, kept, seed=seed)
    parts = [_svg_head(width, height, title, "network")]
    if not shown:
        parts.append(
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" {_FONT} font-size="12">'
            "No mechanisms</text></svg>"
        )
        return "".join(parts)
    margin = 40
    points = {
        node: (margin + x * (width - 2 * margin), margin + y * (height - 2 * margin))
        for node, (x, y) in positions.items()
    }
    parts.extend(_edge_lines(kept, by_id, points))
    parts.extend(_node_marks(shown, by_id, points, urls or {}, width))
    parts.append("</svg>")
    return "".join(parts)


def _svg_head(width: int, height: int, title: str, css_class: str) -> str:
    """The opening tag with its accessible name (`role="img"`, `aria-label`, `<title>`)."""
    label = _esc(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{label}" class="{css_class}"><title>{label}</title>'
    )


def _drawn(
    by_id: Mapping[str, tuple[str, int]], edges: Sequence[tuple[str, str, int]], max_edges: int
) -> tuple[list[tuple[str, str, int]], list[str]]:
    """The edges to draw and the nodes to show, sorted: the strongest edges between known nodes
    and their ends, or with no edges the 60 heaviest nodes, so the picture stays readable."""
    kept = [e for e in strongest_edges(edges, max_edges) if e[0] in by_id and e[1] in by_id]
    if kept:
        return kept, sorted({e[0] for e in kept} | {e[1] for e in kept})
    return kept, sorted(sorted(by_id, key=lambda i: (-by_id[i][1], i))[:60])


def _edge_lines(
    kept: Sequence[tuple[str, str, int]],
    by_id: Mapping[str, tuple[str, int]],
    points: Mapping[str, tuple[float, float]],
) -> list[str]:
    """One line per edge, its width growing with the square root of its weight (relative to the
    strongest) so that weak edges stay visible."""
    top_edge = max((w for _, _, w in kept), default=1)
    parts = ['<g stroke="#9aa5b1" stroke-linecap="round">']
    for a, b, w in kept:
        (x1, y1), (x2, y2) = points[a], points[b]
        stroke = 0.5 + 3.5 * math.sqrt(w / top_edge)
        parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" stroke-width="{_num(stroke)}">'
            f"<title>{_esc(by_id[a][0])} and {_esc(by_id[b][0])}: {w}</title></line>"
        )
    parts.append("</g>")
    return parts


def _node_marks(
    shown: Sequence[str],
    by_id: Mapping[str, tuple[str, int]],
    points: Mapping[str, tuple[float, float]],
    urls: Mapping[str, str],
    width: int,
) -> list[str]:
    """One labelled circle per node, sized by the node's weight, linked to its page when it has one."""
    top_node = max((by_id[i][1] for i in shown), default=1) or 1
    parts = [f'<g {_FONT} font-size="15">']
    for node in shown:
        name, weight = by_id[node]
        x, y = points[node]
        r = 3 + 9 * math.sqrt(max(weight, 0) / top_node)
        shape = (
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="#4a6fa5">'
            f"<title>{_esc(name)}: {weight}</title></circle>"
            # labels point into the picture, so none is cut at the right edge; currentColor
            # follows the page's text colour in light and dark mode
            + (
                f'<text x="{_num(x + r + 3)}" y="{_num(y + 5)}">{_esc(name)}</text>'
                if x < width / 2
                else f'<text x="{_num(x - r - 3)}" y="{_num(y + 5)}" text-anchor="end">{_esc(name)}</text>'
            )
        )
        href = urls.get(node)
        parts.append(f'<a href="{_esc(href)}">{shape}</a>' if href else shape)
    parts.append("</g>")
    return parts
