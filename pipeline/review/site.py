"""The static review site: store -> page models -> HTML files under one folder.

Every page is written by a Jinja2 template from a small page model built here; the models
are read once from the store's tables through a read-only connection. Spans are
``[start, end)`` offsets into ``documents.text``, as in the records.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline.analysis import connect, fetch_rows, relations
from pipeline.analysis.compare import Filter, compare, summarise
from pipeline.analysis.echo import Echo, echoes
from pipeline.analysis.graph import build_graph
from pipeline.review import charts
from pipeline.rules import load_model

Row = dict[str, Any]

DOCUMENTS_DIR = "documents"
# Columns that place a row rather than describe it: the row's anchor and its links back
# to the text stand for them.
PLACEMENT_COLUMNS = frozenset({"doc_id", "ordinal", "span_start", "span_end"})
# Longer cells are left out of a highlight's tooltip (a duty's whole text, say).
TOOLTIP_CELL_CHARS = 80


@dataclass(frozen=True)
class SpanSource:
    """A table whose rows are extractions with spans; ``prefix`` names its rows' anchors."""

    table: str
    prefix: str
    mentions: str | None = None  # a table with one span per mention of a row
    mention_key: str | None = None  # its column naming the row's ordinal


# In the order the record tables follow the text on a document page.
SPAN_SOURCES = (
    SpanSource("references", "reference", "reference_mentions", "reference_ordinal"),
    SpanSource("agencies", "agency", "agency_mentions", "agency_ordinal"),
    SpanSource("dates", "date"),
    SpanSource("periods", "period"),
    SpanSource("deadlines", "deadline"),
    SpanSource("recurring_reports", "report"),
    SpanSource("duties", "duty"),
    SpanSource("warnings", "warning"),
)
HEADER_GROUP = "document"


# --------------------------------------------------------------------------- page models


@dataclass(frozen=True)
class Highlight:
    """One highlighted span of the text, linked to the row ``row`` of its group's table."""

    start: int
    end: int
    group: str
    row: str  # the anchor of the record row: "reference-3"
    anchor: str  # this mention's own anchor, for the row's link back: "at-reference-3-0"
    label: str  # the row in brief, shown as the highlight's tooltip


@dataclass(frozen=True)
class Piece:
    """A stretch of text under one unchanging set of highlights, outermost first.

    The stretch links to its innermost highlight (``link``; of equal spans, the one given
    first); a highlight that is innermost nowhere (its span equals another's, or shorter
    ones cover it) gets a ``chip``, a small link at its start, so that every highlight
    opens its row.
    """

    text: str
    outer: tuple[Highlight, ...] = ()
    link: Highlight | None = None
    anchors: tuple[Highlight, ...] = ()
    chips: tuple[Highlight, ...] = ()

    @property
    def tooltip(self) -> str:
        """Every highlight over the piece, innermost first."""
        return "\n".join(h.label for h in (self.link, *reversed(self.outer)) if h)


@dataclass
class TableRow:
    id: str
    cells: list[str]
    anchors: list[str]  # the anchors of this row's mentions in the text
    misplaced: list[tuple[int, int]] = field(default_factory=list)  # spans outside the text


@dataclass
class Table:
    group: str
    columns: list[str]
    rows: list[TableRow]


@dataclass
class PageNote:
    """What the record says about one page of the source: OCR and other page warnings."""

    number: int
    warnings: list[Row]
    method: str | None = None  # text-layer | ocr | plain
    ocr_confidence: float | None = None


@dataclass
class DocumentPage:
    doc: Row  # the documents row, without its text
    pieces: list[Piece]
    tables: list[Table]
    pages: list[PageNote]
    copies: list[Row]  # index rows of every record of the same document, this one included
    files: list[Row]  # paths that hold this content, in a run store


@dataclass(frozen=True)
class Link:
    """A cell's text, and the page it opens when it names a document of the site."""

    text: str
    href: str | None = None


@dataclass
class FrameTable:
    """An analysis table (a DataFrame) as the site shows it: doc_id cells are links."""

    name: str
    columns: list[str]
    rows: list[list[list[Link]]]


@dataclass
class ComparePage:
    charts: dict[str, str | None]  # chart name -> inline SVG, None when there is nothing to draw
    tables: list[FrameTable]


@dataclass
class GraphPage:
    svg: str | None
    nodes: int
    edges: FrameTable


@dataclass
class EchoPage:
    pairs: list[Echo]
    documents: dict[str, Row]  # index rows by doc_id, to name both plans of a pair


@dataclass
class Site:
    documents: list[Row]  # index rows
    pages: list[DocumentPage]
    compare: ComparePage
    graph: GraphPage
    echoes: EchoPage


# --------------------------------------------------------------------------- reading the store


def _by_doc(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["doc_id"]].append(row)
    return grouped


def index_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """One row per record, with ``kept_id``, the doc_id that ``distinct_documents`` keeps
    for its document, and ``copies``; ``status`` is "deleted" when no present file holds it."""
    present = (
        "d.doc_id IN (SELECT doc_id FROM present_documents)" if "present_documents" in relations(con) else "true"
    )
    _, rows = fetch_rows(
        con,
        f"""
        SELECT d.* EXCLUDE (text, recipients),
               CASE WHEN d.status <> 'ok' THEN d.status WHEN {present} THEN 'ok' ELSE 'deleted' END AS status,
               k.doc_id AS kept_id, k.copies
        FROM documents d LEFT JOIN distinct_documents k ON list_contains(k.copy_ids, d.doc_id)
        ORDER BY d.province NULLS LAST, d.year, d.title, k.doc_id, d.doc_id
        """,
    )
    return rows


def copies_of(documents: Iterable[Row]) -> dict[str, list[Row]]:
    """Index rows grouped by the doc_id that distinct_documents keeps for their document."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in documents:
        if row["kept_id"]:
            groups[row["kept_id"]].append(row)
    return groups


def _mention_spans(rows: Iterable[Row], key: str) -> dict[int, list[tuple[int, int]]]:
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r[key], r["ordinal"])):
        spans[row[key]].append((row["span_start"], row["span_end"]))
    return spans


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _label(row_id: str, cells: Iterable[str]) -> str:
    return " · ".join([row_id, *(c for c in cells if c and len(c) <= TOOLTIP_CELL_CHARS)])


def _fits(span: tuple[int | None, int | None], length: int) -> bool:
    start, end = span
    return start is not None and end is not None and 0 <= start < end <= length


def span_table(
    group: str, prefix: str, columns: Sequence[str], rows: Iterable[Row], spans_of: Mapping[int, list[tuple[int, int]]], length: int
) -> tuple[Table, list[Highlight]]:
    """A group's record table and its highlights; a row's spans are its mentions, or its own span.

    A span that does not fit the text is kept on the row as misplaced rather than dropped:
    review must show what it cannot place."""
    shown = [c for c in columns if c not in PLACEMENT_COLUMNS]
    table, highlights = Table(group, shown, []), []
    for row in rows:
        row_id = f"{prefix}-{row['ordinal']}"
        cells = [_cell(row[c]) for c in shown]
        own = [(row["span_start"], row["span_end"])] if row.get("span_start") is not None else []
        spans = spans_of.get(row["ordinal"]) or own
        placed = [s for s in spans if _fits(s, length)]
        marks = [
            Highlight(start, end, group, row_id, f"at-{row_id}-{k}", _label(row_id, cells)) for k, (start, end) in enumerate(placed)
        ]
        table.rows.append(TableRow(row_id, cells, [m.anchor for m in marks], [s for s in spans if s not in placed]))
        highlights.extend(marks)
    return table, highlights


def header_table(doc: Row, spans: Iterable[Row], text: str) -> tuple[Table, list[Highlight]]:
    """Header fields with spans (document_spans), valued from the documents row."""
    rows = [
        {
            "ordinal": span["field"],
            "field": span["field"],
            "value": _or(doc.get(span["field"]), text[span["span_start"] : span["span_end"]]),
            "span_start": span["span_start"],
            "span_end": span["span_end"],
        }
        for span in spans
    ]
    return span_table(HEADER_GROUP, "field", ["field", "value"], rows, {}, len(text))


def pieces(text: str, highlights: Sequence[Highlight]) -> list[Piece]:
    """The text cut at every highlight boundary, each piece with the highlights covering it.

    Written by hand because the highlight must be a link to its record row and the row a
    link back: displaCy's span view (``pipeline.extract.nlp.render_html``) links only the
    label of a span to a knowledge-base URL, gives the highlight no anchor to link back to,
    and lays out every token as a block, which does not keep the text's lines.
    """
    order = {h: i for i, h in enumerate(highlights)}
    starts: dict[int, list[Highlight]] = defaultdict(list)
    for h in highlights:
        starts[h.start].append(h)
    cuts = sorted({0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)})
    active: set[Highlight] = set()
    result = []
    for a, b in zip(cuts, cuts[1:]):
        active = {h for h in active if h.end > a} | set(starts.get(a, ()))
        covering = sorted(active, key=lambda h: (h.start - h.end, -order[h]))
        result.append(
            Piece(text[a:b], tuple(covering[:-1]), covering[-1] if covering else None, tuple(sorted(starts.get(a, ()), key=order.get)))
        )
    linked = {p.link for p in result}
    return [
        Piece(p.text, p.outer, p.link, p.anchors, tuple(h for h in p.anchors if h not in linked)) for p in result
    ]


def page_notes(pages: int | None, read: Iterable[Row], warnings: Iterable[Row]) -> list[PageNote]:
    """One note per page of the source: how it was read (the pages table), its OCR
    confidence, and the warnings that name it."""
    by_page: dict[int, list[Row]] = defaultdict(list)
    for warning in warnings:
        if warning["page"] is not None:
            by_page[warning["page"]].append(warning)
    how = {row["page"]: row for row in read}
    return [
        PageNote(n, by_page.get(n, []), how.get(n, {}).get("method"), how.get(n, {}).get("ocr_confidence"))
        for n in range(1, max([pages or 0, *by_page, *how]) + 1)
    ]


def document_page(
    doc: Row, text: str, tables: Mapping[str, Mapping[str, list[Row]]], columns: Mapping[str, list[str]], copies: list[Row], files: list[Row]
) -> DocumentPage:
    """One record's page model: its text cut into highlighted pieces and one table per group."""
    doc_id = doc["doc_id"]
    header, header_marks = header_table(doc, tables["document_spans"].get(doc_id, []), text)
    page_tables, highlights = [header], []
    for source in SPAN_SOURCES:
        mentions = _mention_spans(tables[source.mentions].get(doc_id, []), source.mention_key) if source.mentions else {}
        table, marks = span_table(source.table, source.prefix, columns[source.table], tables[source.table].get(doc_id, []), mentions, len(text))
        page_tables.append(table)
        highlights.extend(marks)
    # Header fields come last: where a field's span is also a reference or a date, the
    # extraction is the link and the field gets the chip.
    highlights.extend(header_marks)
    notes = page_notes(doc["pages"], tables["pages"].get(doc_id, []), tables["warnings"].get(doc_id, []))
    return DocumentPage(doc, pieces(text, highlights), page_tables, notes, copies, files)


# --------------------------------------------------------------------------- analysis pages


def document_path(doc_id: str) -> str:
    return f"{DOCUMENTS_DIR}/{doc_id}.html"


def _is_list(value: Any) -> bool:
    """Lists come back as lists from pandas code and as arrays from DuckDB."""
    return isinstance(value, (list, tuple, np.ndarray))


def _missing(value: Any) -> bool:
    return not _is_list(value) and bool(pd.isna(value))


def _links(column: str, value: Any, pages: set[str]) -> list[Link]:
    """A cell; in a column of doc_ids (doc_id, plan_doc_id, doc_ids, copy_ids), each one
    the site has a page for is a link to it."""
    if column.endswith("doc_id") or column.endswith("_ids"):
        items = list(value) if _is_list(value) else [value]
        return [Link(str(v), document_path(v) if v in pages else None) for v in items if not _missing(v)]
    return [Link(_cell(list(value) if _is_list(value) else None if _missing(value) else value))]


def frame_table(name: str, frame: pd.DataFrame, pages: set[str]) -> FrameTable:
    rows = [[_links(c, v, pages) for c, v in zip(frame.columns, values)] for values in frame.itertuples(index=False)]
    return FrameTable(name, [str(c) for c in frame.columns], rows)


def compare_page(con: duckdb.DuckDBPyConnection, pages: set[str]) -> ComparePage:
    """The comparison tables of every distinct document, and their charts."""
    tables = compare(con, Filter())
    matrices = summarise(tables)
    unknown = load_model("compare")["labels"]["unknown"]
    figures = {
        "duties": charts.duties_chart(matrices["duties_matrix"], "agency"),
        "citation_lags": charts.citation_lag_chart(tables["citation_lags"]),
        "calendar": charts.calendar_chart(tables["calendar"], unknown),
    }
    svgs = {name: charts.to_svg(figure, name) if figure else None for name, figure in figures.items()}
    shown = {**tables, **matrices}
    return ComparePage(svgs, [frame_table(name, frame, pages) for name, frame in shown.items()])


def graph_page(con: duckdb.DuckDBPyConnection, pages: set[str]) -> GraphPage:
    """The reference graph drawn with links: a store document's node opens its page, an edge
    opens the reference row of the citing document that makes it."""
    graph = build_graph(con)
    href = {node: document_path(node) for node in graph.nodes if node in pages}
    edge_href = {
        (a, b): f"{document_path(a)}#reference-{data['ordinal']}" for a, b, data in graph.edges(data=True) if a in pages
    }
    figure = charts.graph_chart(graph, href, edge_href)
    rows = [
        [
            [Link(a, href.get(a))],
            [Link(f"reference-{data['ordinal']}", edge_href.get((a, b)))],
            [Link(_cell(data.get("relation")))],
            [Link(charts.node_label(b, graph.nodes[b]), href.get(b))],
            [Link(_cell(graph.nodes[b].get("kind")))],
            [Link(_cell(data.get("matched_by")))],
        ]
        for a, b, data in graph.edges(data=True)
    ]
    edges = FrameTable("edges", ["doc_id", "reference", "relation", "cited", "cited_kind", "matched_by"], rows)
    return GraphPage(charts.to_svg(figure, "graph") if figure else None, graph.number_of_nodes(), edges)


def read_site(con: duckdb.DuckDBPyConnection) -> Site:
    """Every page model of the site, from one pass over each table."""
    documents = index_rows(con)
    names = ["document_spans", "pages", *(s.table for s in SPAN_SOURCES), *(s.mentions for s in SPAN_SOURCES if s.mentions)]
    columns, tables = {}, {}
    for name in names:
        # ORDER BY ALL: doc_id, then the ordinals, which come first in every table.
        columns[name], rows = fetch_rows(con, f'SELECT * FROM "{name}" ORDER BY ALL')
        tables[name] = _by_doc(rows)
    texts = dict(con.execute("SELECT doc_id, coalesce(text, '') FROM documents").fetchall())
    files = _by_doc(fetch_rows(con, "SELECT * FROM files ORDER BY path")[1]) if "files" in relations(con) else {}
    copies = copies_of(documents)
    pages = [
        document_page(d, texts[d["doc_id"]], tables, columns, copies.get(d["kept_id"], []), files.get(d["doc_id"], []))
        for d in documents
    ]
    ids = {d["doc_id"] for d in documents}
    return Site(documents, pages, compare_page(con, ids), graph_page(con, ids), EchoPage(echoes(con), {d["doc_id"]: d for d in documents}))


# --------------------------------------------------------------------------- writing the site


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.review"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["basename"] = lambda path: PurePath(path or "").name
    return env


def render_site(site: Site, env: Environment) -> dict[str, str]:
    """Relative path -> HTML of every page."""
    pages = {
        "index.html": env.get_template("index.html").render(documents=site.documents, root=""),
        "compare.html": env.get_template("compare.html").render(page=site.compare, root=""),
        "graph.html": env.get_template("graph.html").render(page=site.graph, root=""),
        "echoes.html": env.get_template("echoes.html").render(page=site.echoes, root=""),
    }
    document = env.get_template("document.html")
    for page in site.pages:
        pages[document_path(page.doc["doc_id"])] = document.render(page=page, root="../")
    return pages


def write_pages(pages: Mapping[str, str], out: Path) -> None:
    """The documents folder is written anew, so a record gone from the store loses its page."""
    shutil.rmtree(out / DOCUMENTS_DIR, ignore_errors=True)
    for relative, html in pages.items():
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


def write_site(store: str | os.PathLike[str], out: str | os.PathLike[str]) -> dict[str, int]:
    """Writes the site for STORE into OUT; returns the number of pages of each kind."""
    with connect(store) as con:
        site = read_site(con)
    pages = render_site(site, environment())
    write_pages(pages, Path(out))
    return {"documents": len(site.pages), "pages": len(pages)}
