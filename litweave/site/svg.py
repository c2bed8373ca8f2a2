"""Static SVG charts for mechanism pages: a papers-per-year timeline and a co-occurrence network.

Render stage, pure: counts and graph edges in, an SVG string out, ready to inline in a page. No
JavaScript; every chart has a `<title>` and a role for screen readers (`img`, or `group` for the
network whose nodes are links); text is escaped.
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


def timeline_svg(
    counts: Mapping[int, int],
    *,
    title: str,
    width: int = 640,
    height: int = 190,
    font: float = 13,
    css: str = "timeline",
) -> str:
    """Papers per year as bars, every year between the first and last shown (zeros included).

    `font` is the lettering's size in viewBox units: a page shows the chart no narrower than
    `width` × its smallest scale, so the caller picks both to keep the text legible (12 px+)."""
    head = _svg_head(width, height, title, css, "img")
    years = sorted(y for y, n in counts.items() if n > 0)
    if not years:
        return (
            head + f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" {_FONT} font-size="{_num(font)}">'
            "No dated papers</text></svg>"
        )
    first, last = years[0], years[-1]
    span = list(range(first, last + 1))
    peak = max(counts.get(y, 0) for y in span)
    # a year label is centred under its bar and four digits are up to 2.6 em wide, so the first
    # and last bar keep half a label's width of room beside them (plus a little): the last
    # year's label must not run past the picture's edge
    left, right, top, bottom = round(font * 3), round(font * 1.4), round(font * 0.8), round(font * 2.2)
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(span)
    bar_w = min(28.0, max(1.0, slot * 0.8))  # one or two years must not fill the chart
    parts = [head]
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#888" stroke-width="1"/>')
    size = _num(font)
    parts.append(
        f'<text x="{left - 4}" y="{_num(top + font * 0.7)}" text-anchor="end" {_FONT} font-size="{size}">{peak}</text>'
    )
    parts.append(f'<text x="{left - 4}" y="{base}" text-anchor="end" {_FONT} font-size="{size}">0</text>')
    # a year label is four digits wide: label only as many years as fit side by side
    step = max(1, math.ceil(font * 3.2 / slot))
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
                f'<text x="{_num(cx)}" y="{_num(base + font * 1.3)}" text-anchor="middle" {_FONT} '
                f'font-size="{_num(font)}">{year}</text>'
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
    sx, sy = max_x - min_x, max_y - min_y
    # a layout flat in one direction (two nodes) sits in the middle of it, not on its edge
    return {
        node: ((xs[i] - min_x) / sx if sx > 1e-9 else 0.5, (ys[i] - min_y) / sy if sy > 1e-9 else 0.5)
        for node, i in index.items()
    }


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
    font: float = 15,
    css: str = "network",
) -> str:
    """A co-occurrence network: nodes (id, label, weight) sized by weight, linked to `urls[id]`.

    Only the `max_edges` strongest edges are drawn, and only nodes on a drawn edge (or, when there
    are no edges, the 60 heaviest nodes), so the picture stays readable for 300 mechanisms.
    Labels never cover a node, an edge or another label: each is put beside its node where there
    is room, heaviest node first, and left out where there is none (the node keeps its tooltip
    and link). `font` is the label size in viewBox units.
    """
    by_id = {node_id: (label, weight) for node_id, label, weight in nodes}
    kept, shown = _drawn(by_id, edges, max_edges)
    positions = layout(shown, kept, seed=seed)
    # with links inside, the picture is a group of links, not one image: an image's children are
    # presentational, so a screen reader could not reach the links (and axe-core reports them)
    parts = [_svg_head(width, height, title, css, "group" if urls else "img")]
    if not shown:
        parts.append(
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" {_FONT} font-size="{_num(font)}">'
            "No mechanisms</text></svg>"
        )
        return "".join(parts)
    mx, my = font * 1.5, font * 2.5  # room for a label above or below a node on the edge
    points = {node: (mx + x * (width - 2 * mx), my + y * (height - 2 * my)) for node, (x, y) in positions.items()}
    top_node = max((by_id[i][1] for i in shown), default=1) or 1
    scale = font / 15
    radii = {node: scale * (3 + 9 * math.sqrt(max(by_id[node][1], 0) / top_node)) for node in shown}
    segments = [(points[a], points[b]) for a, b, _ in kept]
    labels = place_labels(shown, by_id, points, radii, segments, font, (width, height))
    parts.extend(_edge_lines(kept, by_id, points))
    parts.extend(_node_marks(shown, by_id, points, radii, labels, urls or {}, font))
    parts.append("</svg>")
    return "".join(parts)


Box = tuple[float, float, float, float]
"""x0, y0, x1, y1."""


def text_width(text: str, font: float) -> float:
    """A generous estimate of a label's width in a sans-serif face (no font metrics at build time)."""
    wide = sum(1 for c in text if c.isupper() or c in "mwMW@%")
    return font * (0.56 * (len(text) - wide) + 0.72 * wide)


def place_labels(
    shown: Sequence[str],
    by_id: Mapping[str, tuple[str, int]],
    points: Mapping[str, tuple[float, float]],
    radii: Mapping[str, float],
    segments: Sequence[tuple[tuple[float, float], tuple[float, float]]],
    font: float,
    size: tuple[int, int],
) -> dict[str, tuple[float, float, str]]:
    """For each node that gets a label: (x, y, text-anchor). Heaviest nodes are labelled first;
    a label goes to the first spot beside its node (right, left, above, below, then above and below
    reaching one way)
    whose box stays in the picture and touches no node, edge or label already placed."""
    pad = font * 0.15
    placed: list[Box] = []
    found: dict[str, tuple[float, float, str]] = {}
    for node in sorted(shown, key=lambda i: (-by_id[i][1], i)):
        x, y = points[node]
        r = radii[node]
        w, h = text_width(by_id[node][0], font), font
        gap = r + font * 0.25
        for lx, ly, anchor in (
            (x + gap, y + h * 0.35, "start"),
            (x - gap, y + h * 0.35, "end"),
            (x, y - gap - h * 0.25, "middle"),
            (x, y + gap + h * 0.8, "middle"),
            (x - r, y - gap - h * 0.25, "start"),
            (x - r, y + gap + h * 0.8, "start"),
            (x + r, y - gap - h * 0.25, "end"),
            (x + r, y + gap + h * 0.8, "end"),
        ):
            x0 = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
            box = (x0 - pad, ly - h * 0.8 - pad, x0 + w + pad, ly + h * 0.25 + pad)
            if _free(box, size, placed, points, radii, segments):
                placed.append(box)
                found[node] = (lx, ly, anchor)
                break
    return found


def _free(
    box: Box,
    size: tuple[int, int],
    placed: Sequence[Box],
    points: Mapping[str, tuple[float, float]],
    radii: Mapping[str, float],
    segments: Sequence[tuple[tuple[float, float], tuple[float, float]]],
) -> bool:
    x0, y0, x1, y1 = box
    if x0 < 0 or y0 < 0 or x1 > size[0] or y1 > size[1]:
        return False
    if any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in placed):
        return False
    for node, (cx, cy) in points.items():
        dx = cx - min(max(cx, x0), x1)
        dy = cy - min(max(cy, y0), y1)
        if dx * dx + dy * dy < radii[node] * radii[node]:
            return False
    return not any(_crosses(box, a, b) for a, b in segments)


def _crosses(box: Box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether segment a–b passes through the box (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = box
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _svg_head(width: int, height: int, title: str, css_class: str, role: str) -> str:
    """The opening tag with its role ("img", or "group" when it holds links) and its accessible
    name (`aria-label`, `<title>`)."""
    label = _esc(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="{role}" aria-label="{label}" class="{css_class}"><title>{label}</title>'
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
    parts = ['<g stroke="#8795a5" stroke-linecap="round">']
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
    radii: Mapping[str, float],
    labels: Mapping[str, tuple[float, float, str]],
    urls: Mapping[str, str],
    font: float,
) -> list[str]:
    """One circle per node, sized by the node's weight, labelled where `place_labels` found room,
    linked to its page when it has one. currentColor follows the page's text colour in light and
    dark mode."""
    parts = [f'<g {_FONT} font-size="{_num(font)}">']
    for node in shown:
        name, weight = by_id[node]
        x, y = points[node]
        shape = (
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radii[node])}" fill="#4a6fa5">'
            f"<title>{_esc(name)}: {weight}</title></circle>"
        )
        if node in labels:
            lx, ly, anchor = labels[node]
            end = "" if anchor == "start" else f' text-anchor="{anchor}"'
            shape += f'<text x="{_num(lx)}" y="{_num(ly)}"{end}>{_esc(name)}</text>'
        href = urls.get(node)
        parts.append(f'<a href="{_esc(href)}">{shape}</a>' if href else shape)
    parts.append("</g>")
    return parts
