"""The site's charts: matplotlib figures written as inline SVG.

Matplotlib rather than plotly: the site must open from disk with no server and no network,
and inline SVG is static, needs no script, prints, and carries links (``set_url``) from a
graph node to its document page; plotly would add its 3.5 MB script to the site for
interactions the review does not need. Figures are made from ``Figure`` directly, not
pyplot, so that no global state or display backend is involved. Axis labels are the
tables' own column names; captions are in the templates.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from pipeline.analysis.graph import node_parts

# Text is kept as SVG text (searchable, small) in the site's font.
SVG_STYLE = {"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}
MAX_BARS = 20  # the agencies, or citations, with the largest counts
INCH_PER_BAR = 0.32
WIDTH = 9.0
KIND_COLORS = {"store": "#1f78b4", "national": "#e31a1c", "unresolved": "#bdbdbd", "ambiguous": "#fdbf6f"}
CALENDAR_MARKERS = {"deadline": "o", "duty": "s"}  # kinds drawn as points; periods are lines
NODE_LABEL_CHARS = 28
TICK_LABEL_CHARS = 48


def to_svg(figure: Figure, name: str) -> str:
    """The figure as an ``<svg>`` element; ``name`` salts its ids so that several charts can
    share one page without their clip paths colliding."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**SVG_STYLE, "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _figure(height: float) -> Figure:
    with matplotlib.rc_context(SVG_STYLE):
        return Figure(figsize=(WIDTH, height), layout="constrained")


def duties_chart(matrix: pd.DataFrame, index: str) -> Figure | None:
    """Stacked bars: duties of each agency (rows of ``matrix``), one colour per province."""
    if matrix.empty or len(matrix.columns) < 2:
        return None
    counts = matrix.set_index(index)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index[:MAX_BARS]].iloc[::-1]
    counts.index = [_short(name, TICK_LABEL_CHARS) for name in counts.index]
    figure = _figure(1.5 + INCH_PER_BAR * len(counts))
    axes = figure.add_subplot()
    counts.plot.barh(stacked=True, ax=axes, width=0.75, colormap="tab20")
    axes.set_xlabel("duties")
    axes.set_ylabel(index)
    axes.legend(title=counts.columns.name, fontsize=8)
    return figure


def citation_lag_chart(lags: pd.DataFrame) -> Figure | None:
    """One bar per basis citation whose two dates are known: days from directive to document."""
    known = lags[lags.lag_days.notna()]
    if known.empty:
        return None
    known = known.sort_values("lag_days").tail(MAX_BARS)
    labels = [_short(f"{p or '?'} · {d or '?'}", TICK_LABEL_CHARS) for p, d in zip(known.province.astype(object), known.directive.astype(object))]
    figure = _figure(1.2 + INCH_PER_BAR * len(known))
    axes = figure.add_subplot()
    colors = ["#e31a1c" if central else "#1f78b4" for central in known.central]
    axes.barh(labels, known.lag_days.astype(int), color=colors)
    axes.set_xlabel("lag_days")
    return figure


def calendar_chart(calendar: pd.DataFrame, unknown: str) -> Figure | None:
    """Deadlines and duty deadlines as points, periods as lines from start to end, one row per
    province. A partial date ("2025-06") is placed at the start of its month or year."""
    when = lambda column: pd.to_datetime(calendar[column], errors="coerce", format="ISO8601")
    rows = calendar.assign(on=when("date"), start_at=when("start"), end_at=when("end"), row=calendar.province.fillna(unknown))
    rows = rows[rows.on.notna() | rows.start_at.notna()]
    if rows.empty:
        return None
    provinces = sorted(rows.row.unique())
    figure = _figure(1.4 + 0.45 * len(provinces))
    axes = figure.add_subplot()
    y = rows.row.map(provinces.index)
    periods = rows.kind == "period"
    axes.hlines(y[periods], rows.start_at[periods], rows.end_at[periods].fillna(rows.start_at[periods]), lw=6, color="#33a02c", alpha=0.5, label="period")
    for kind, marker in CALENDAR_MARKERS.items():
        points = (rows.kind == kind) & rows.on.notna()
        if points.any():
            axes.scatter(rows.on[points], y[points], marker=marker, s=40, label=kind, zorder=3)
    axes.set_yticks(range(len(provinces)), provinces)
    axes.set_ylim(-0.7, len(provinces) - 0.3)
    axes.set_xlabel("date")
    axes.legend(fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    return figure


def node_label(data: dict) -> str:
    """Two short lines: what the node is ("Kế hoạch 120/KH-UBND", or by province and year when
    the document prints no number) over the start of its title, which tells apart the many
    plans of one type."""
    return "\n".join(_short(line, NODE_LABEL_CHARS) for line in node_parts(data, NODE_LABEL_CHARS * 4))


def _short(text: str, width: int) -> str:
    return textwrap.shorten(str(text), width=width, placeholder="…")


def graph_chart(graph: nx.DiGraph, href: dict[str, str], edge_href: dict[tuple[str, str], str]) -> Figure | None:
    """The reference graph drawn by networkx; a node with an entry in ``href`` links to it
    (a store document to its page), and an edge to the reference row that makes it."""
    if graph.number_of_nodes() == 0:
        return None
    nodes = list(graph.nodes)
    position = nx.spring_layout(graph, seed=0, k=1.6 / max(1, graph.number_of_nodes()) ** 0.5)
    figure = _figure(7.5)
    axes = figure.add_subplot()
    axes.set_axis_off()
    kinds = [graph.nodes[n].get("kind", "unresolved") for n in nodes]
    drawn = nx.draw_networkx_nodes(
        graph, position, nodelist=nodes, ax=axes, node_size=[260 if k == "store" else 160 for k in kinds],
        node_color=[KIND_COLORS.get(k, "#bdbdbd") for k in kinds],
    )
    drawn.set_urls([href.get(n) for n in nodes])
    edges = list(graph.edges(data=True))
    arrows = nx.draw_networkx_edges(
        graph, position, edgelist=[(a, b) for a, b, _ in edges], ax=axes, arrows=True, arrowsize=10, edge_color="#555",
        style=["solid" if d.get("relation") == "basis" else "dashed" for _, _, d in edges], width=0.8, node_size=220,
    )
    for arrow, (a, b, _) in zip(arrows, edges):
        arrow.set_url(edge_href.get((a, b)))
    labels = nx.draw_networkx_labels(graph, position, labels={n: node_label(graph.nodes[n]) for n in nodes}, ax=axes, font_size=7, verticalalignment="bottom")
    for node, text in labels.items():
        text.set_url(href.get(node))
    for kind, color in KIND_COLORS.items():
        axes.scatter([], [], color=color, label=kind)
    axes.legend(fontsize=8, loc="lower right")
    return figure
