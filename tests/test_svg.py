"""Tests for the static SVG charts: well-formed XML, escaping, links, caps and determinism."""

from __future__ import annotations

import math
import random
import xml.etree.ElementTree as ET

from litweave.site.svg import layout, network_svg, strongest_edges, timeline_svg

NS = "{http://www.w3.org/2000/svg}"


def test_timeline_is_valid_svg_with_title_and_one_bar_per_year_with_papers() -> None:
    svg = timeline_svg({2001: 2, 2004: 5, 2003: 0}, title="HER2 <papers> & years")
    root = ET.fromstring(svg)
    assert root.find(f"{NS}title").text == "HER2 <papers> & years"
    assert root.get("viewBox") == "0 0 640 190"
    bars = root.findall(f"{NS}rect")
    assert [b.find(f"{NS}title").text for b in bars] == ["2001: 2 papers", "2004: 5 papers"]
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] > heights[0] and math.isclose(heights[0] / heights[1], 2 / 5, rel_tol=0.02)
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert {"2001", "2002", "2003", "2004"} <= set(labels)
    assert "<script" not in svg


def test_timeline_thins_year_labels_and_handles_no_data() -> None:
    counts = {y: 1 for y in range(1960, 2026)}
    root = ET.fromstring(timeline_svg(counts, title="t"))
    years = [t for t in root.iter(f"{NS}text") if t.text and len(t.text) == 4]
    assert 5 <= len(years) <= 16
    xs = [float(t.get("x")) for t in years]
    font = float(years[0].get("font-size"))
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 2.4 * font  # four digits side by side never touch
    empty = ET.fromstring(timeline_svg({}, title="none"))
    assert empty.find(f"{NS}rect") is None


def test_strongest_edges_caps_and_orders() -> None:
    edges = [("b", "a", 3), ("c", "d", 5), ("a", "c", 3), ("x", "x", 9), ("e", "f", 1)]
    assert strongest_edges(edges, 3) == [("c", "d", 5), ("a", "b", 3), ("a", "c", 3)]


def graph(n_nodes: int, n_edges: int, seed: int = 7):
    rng = random.Random(seed)
    nodes = [(f"m{i}", f"Mech {i}", rng.randint(1, 40)) for i in range(n_nodes)]
    edges = [(f"m{rng.randrange(n_nodes)}", f"m{rng.randrange(n_nodes)}", rng.randint(1, 30)) for _ in range(n_edges)]
    return nodes, edges


def test_network_links_nodes_escapes_labels_and_caps_edges() -> None:
    nodes = [("a", "HER2 & <b>", 5), ("b", "IGF-IR", 3), ("c", "lonely", 1)]
    edges = [("a", "b", 4)]
    svg = network_svg(nodes, edges, urls={"a": "/mechanisms/her2/?x=1&y=2", "b": "/mechanisms/igf-ir/"})
    root = ET.fromstring(svg)
    links = root.findall(f".//{NS}a")
    assert [a.get("href") for a in links] == ["/mechanisms/her2/?x=1&y=2", "/mechanisms/igf-ir/"]
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert labels == ["HER2 & <b>", "IGF-IR"]  # "lonely" has no drawn edge
    assert len(root.findall(f".//{NS}line")) == 1

    nodes, edges = graph(300, 2000)
    root = ET.fromstring(network_svg(nodes, edges, max_edges=150))
    assert len(root.findall(f".//{NS}line")) == 150
    assert all(a.get("href") is None for a in root.iter(f"{NS}a"))


def test_network_is_byte_identical_for_identical_input() -> None:
    nodes, edges = graph(120, 600)
    urls = {n[0]: f"/m/{n[0]}/" for n in nodes}
    assert network_svg(nodes, edges, urls=urls) == network_svg(list(reversed(nodes)), edges, urls=urls)


def test_layout_spreads_nodes_and_keeps_linked_nodes_close() -> None:
    nodes, edges = graph(300, 2000, seed=3)
    kept = strongest_edges(edges, 150)
    ids = sorted({a for a, _, _ in kept} | {b for _, b, _ in kept})
    pos = layout(ids, kept)
    assert set(pos) == set(ids)
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in pos.values())
    pts = list(pos.values())
    nearest = [min(math.dist(p, q) for q in pts if q is not p) for p in pts]
    assert min(nearest) > 0.005
    linked = sorted(math.dist(pos[a], pos[b]) for a, b, _ in kept)
    pairs = sorted(math.dist(pts[i], pts[j]) for i in range(0, len(pts), 2) for j in range(1, len(pts), 2))
    assert linked[len(linked) // 2] < pairs[len(pairs) // 2] / 2


def test_network_with_no_edges_shows_heaviest_nodes() -> None:
    nodes = [(f"n{i}", f"N{i}", i) for i in range(100)]
    root = ET.fromstring(network_svg(nodes, []))
    assert len(root.findall(f".//{NS}circle")) == 60
    assert ET.fromstring(network_svg([], [])).find(f"{NS}circle") is None


def test_every_year_label_fits_inside_the_timeline() -> None:
    """A label is centred under its bar: the last year's must not run past the right edge (it did
    at phone width for spans whose last year gets a label). Four digits are at most 0.65 em each
    in the sans-serif faces a browser picks for system-ui."""
    for width, height in ((640, 190), (360, 200)):
        for first in range(1990, 2000):
            for last in range(first, 2027):
                counts = {first: 1, last: 2}
                root = ET.fromstring(timeline_svg(counts, title="t", width=width, height=height, font=13))
                for t in root.iter(f"{NS}text"):
                    if t.text and len(t.text) == 4:
                        x, half = float(t.get("x")), 2 * 0.65 * 13
                        assert 0 <= x - half and x + half <= width, (width, first, last, t.text, x)


def test_a_network_with_links_is_a_group_and_one_without_an_image() -> None:
    """An element of role img hides its children from screen readers, links too (axe-core's
    nested-interactive): a linked network is a group, named by its title."""
    nodes, edges = [("a", "A", 2), ("b", "B", 1)], [("a", "b", 1)]
    linked = ET.fromstring(network_svg(nodes, edges, urls={"a": "/a/", "b": "/b/"}, title="Together"))
    assert linked.get("role") == "group" and linked.get("aria-label") == "Together"
    assert ET.fromstring(network_svg(nodes, edges)).get("role") == "img"
    assert ET.fromstring(timeline_svg({2001: 1}, title="t")).get("role") == "img"
