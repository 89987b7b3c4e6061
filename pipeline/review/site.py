"""The static review site: store -> page models -> HTML files under one folder.

Every page is written by a Jinja2 template from a small page model built here; the models
are read from the store's tables through a read-only connection. Spans are ``[start, end)``
offsets into ``documents.text``, as in the records.

Whatever one record holds, the site stays bounded (``models/output_limits.yaml``): DuckDB
cuts each long value before it reaches Python, a document page shows the start of a long
text and the rows found in it, and document pages are built and written one at a time
from streams of each table in doc_id order, so that no table is ever held whole.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline.analysis import connect, fetch_rows, relations
from pipeline.analysis.compare import Filter, compare, province_2025, summarise
from pipeline.analysis.echo import Echo, echoes
from pipeline.analysis.export import (
    column_limit,
    cut,
    cut_sources,
    cut_sql,
    limits,
    stream_rows,
)
from pipeline.analysis.graph import build_graph
from pipeline.records import KINDS
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


def span_sources() -> tuple[SpanSource, ...]:
    """The tables whose rows a document page highlights: every kind of the registry with a
    highlight (its mention table where it has one), then the warnings."""
    kinds = [kind for kind in KINDS.values() if kind.highlight is not None]
    return (
        *(
            SpanSource(kind.name, kind.highlight.anchor, *((f"{kind.singular}_mentions", f"{kind.singular}_ordinal") if kind.mentions else ()))
            for kind in kinds
        ),
        SpanSource("warnings", "warning"),
    )


HEADER_GROUP = "document"


def site_limits() -> dict[str, Any]:
    return limits()["site"]


def _cell_text(value: str, limit: int | None = None) -> str:
    """A string cut for the site, with the site's note."""
    return cut(value, limits()["cells"]["site"] if limit is None else limit, site_limits()["note"])


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
    hidden: int = 0  # rows left off the page: found beyond the text shown, or past the row limit
    hidden_mentions: int = 0  # mentions of its rows beyond the text shown


@dataclass
class PageNote:
    """What the record says about one page of the source: OCR and other page warnings."""

    number: int
    warnings: list[Row]
    method: str | None = None  # text-layer | ocr | plain
    ocr_confidence: float | None = None


@dataclass
class DocumentPage:
    doc: Row  # the index row of the record
    pieces: list[Piece]
    tables: list[Table]
    pages: list[PageNote]
    copies: list[Row]  # index rows of every record of the same document, this one included
    files: list[Row]  # paths that hold this content, in a run store
    length: int = 0  # characters of the record's text
    shown: int = 0  # of which the page shows the first


@dataclass(frozen=True)
class Link:
    """A cell's text, and the page it opens when it names a document of the site."""

    text: str
    href: str | None = None
    title: str | None = None  # the doc_id behind a document named by its file


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
    compare: ComparePage
    graph: GraphPage
    echoes: EchoPage


# --------------------------------------------------------------------------- reading the store


def _bounded_columns(con: duckdb.DuckDBPyConnection, name: str, alias: str = "", skip: Iterable[str] = ()) -> list[str]:
    """The SELECT list of a table with every text cut for the site (lists joined first)."""
    relation = con.table(f'"{name}"')
    prefix = f"{alias}." if alias else ""
    chosen = []
    for column, type_name in zip(relation.columns, map(str, relation.types)):
        if column in skip:
            continue
        expression = f'{prefix}"{column}"'
        if type_name.endswith("[]"):
            expression = f"array_to_string({expression}, ', ')"
        if type_name == "VARCHAR" or type_name.endswith("[]"):
            expression = cut_sql(expression, _limit(column), site_limits()["note"])
        chosen.append(f'{expression} AS "{column}"')
    return chosen


def _limit(column: str) -> int:
    """A title or file path in the index and page headings is cut shorter than other cells."""
    return site_limits()["title_chars"] if column in ("title", "source") else column_limit("site", column)


def index_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """One row per record, with ``kept_id``, the doc_id that ``distinct_documents`` keeps
    for its document (the store's ``copies`` says which), ``kept_name``, that copy's file
    name, and ``copies``; ``status`` is "deleted" when no present file holds it, and such a
    record has no kept copy. ``province_2025`` is the 2025 successor of the province and
    ``search`` the words the index's free-text search looks in, cited document numbers
    included."""
    columns = _bounded_columns(con, "documents", "d", skip=("text", "recipients", "status"))
    number = cut_sql("number", column_limit("site", "number"), "")
    _, rows = fetch_rows(
        con,
        f"""
        SELECT {", ".join(columns)},
               CASE WHEN d.status <> 'ok' OR p.doc_id IS NOT NULL THEN d.status ELSE 'deleted' END AS status,
               k.doc_id AS kept_id, k.copies, c.cited
        FROM documents d LEFT JOIN present_documents p ON p.doc_id = d.doc_id
        LEFT JOIN copies o ON o.doc_id = p.doc_id
        LEFT JOIN distinct_documents k ON k.doc_id = o.document
        LEFT JOIN (SELECT doc_id, string_agg(DISTINCT {number}, ' ') AS cited FROM "references" GROUP BY doc_id) c
               ON c.doc_id = d.doc_id
        ORDER BY d.province NULLS LAST, d.year, d.title, k.doc_id, d.doc_id
        """,
    )
    names = {row["doc_id"]: PurePath(row["source"] or row["doc_id"]).name for row in rows}
    for row in rows:
        row["kept_name"] = names.get(row["kept_id"], row["kept_id"])
        row["province_2025"] = province_2025(row["province"])
        row["search"] = search_text(row)
    return rows


def search_text(row: Row) -> str:
    """What the free-text search of the index looks in: the header fields, the file name,
    the record's own number as printed ("675/KH-BCĐ") and the numbers it cites."""
    own = "/".join(p for p in (row["number"], row["symbol"]) if p)
    parts = [row["title"], row["doc_type"], own, row["issuer"], row["province"], row["province_2025"],
             PurePath(row["source"] or "").name, row["cited"]]
    return " ".join(str(p) for p in parts if p)[: site_limits()["search_chars"]]


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
    """A value as a table cell shows it, cut to the site's cell limit."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return _cell_text(", ".join(_cell(v) for v in value))
    if isinstance(value, float):
        return f"{value:.1f}"
    return _cell_text(str(value))


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _label(row_id: str, cells: Iterable[str]) -> str:
    return " · ".join([row_id, *(c for c in cells if c and len(c) <= TOOLTIP_CELL_CHARS)])


def _fits(span: tuple[int | None, int | None], length: int) -> bool:
    start, end = span
    return start is not None and end is not None and 0 <= start < end <= length


def span_table(
    group: str, prefix: str, columns: Sequence[str], rows: Iterable[Row], spans_of: Mapping[int, list[tuple[int, int]]],
    length: int, shown: int | None = None,
) -> tuple[Table, list[Highlight]]:
    """A group's record table and its highlights; a row's spans are its mentions, or its own span.

    A span that does not fit the text is kept on the row as misplaced rather than dropped:
    review must show what it cannot place. Of a text shown only in part (its first
    ``shown`` characters), a span starting beyond is not drawn, and one running past the
    end is drawn up to it."""
    shown = length if shown is None else shown
    visible = [c for c in columns if c not in PLACEMENT_COLUMNS]
    table, highlights = Table(group, visible, []), []
    for row in rows:
        row_id = f"{prefix}-{row['ordinal']}"
        cells = [_cell(row[c]) for c in visible]
        own = [(row["span_start"], row["span_end"])] if row.get("span_start") is not None else []
        spans = spans_of.get(row["ordinal"]) or own
        placed = [s for s in spans if _fits(s, length)]
        drawn = [(start, min(end, shown)) for start, end in placed if start < shown]
        marks = [
            Highlight(start, end, group, row_id, f"at-{row_id}-{k}", _label(row_id, cells)) for k, (start, end) in enumerate(drawn)
        ]
        table.rows.append(TableRow(row_id, cells, [m.anchor for m in marks], [s for s in spans if s not in placed]))
        highlights.extend(marks)
    return table, highlights


def header_table(doc: Row, spans: Iterable[Row], text: str, length: int | None = None) -> tuple[Table, list[Highlight]]:
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
    return span_table(HEADER_GROUP, "field", ["field", "value"], rows, {}, _or(length, len(text)), len(text))


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
    for a, b in itertools.pairwise(cuts):
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


@dataclass
class DocumentRows:
    """One record's rows of each table, as the page shows them, and how many it leaves off."""

    text: str  # the start of the text the page shows
    length: int  # characters of the whole text
    rows: dict[str, list[Row]]
    hidden: dict[str, int]
    columns: Mapping[str, list[str]]


def document_page(doc: Row, found: DocumentRows, copies: list[Row], files: list[Row]) -> DocumentPage:
    """One record's page model: its text cut into highlighted pieces and one table per group."""
    text, tables = found.text, found.rows
    header, header_marks = header_table(doc, tables["document_spans"], text, found.length)
    page_tables, highlights = [header], []
    for source in span_sources():
        mentions = _mention_spans(tables[source.mentions], source.mention_key) if source.mentions else {}
        table, marks = span_table(
            source.table, source.prefix, found.columns[source.table], tables[source.table], mentions, found.length, len(text)
        )
        table.hidden = found.hidden[source.table]
        table.hidden_mentions = found.hidden[source.mentions] if source.mentions else 0
        page_tables.append(table)
        highlights.extend(marks)
    # Header fields come last: where a field's span is also a reference or a date, the
    # extraction is the link and the field gets the chip.
    highlights.extend(header_marks)
    notes = page_notes(doc["pages"], tables["pages"], tables["warnings"])
    return DocumentPage(doc, pieces(text, highlights), page_tables, notes, copies, files, found.length, len(text))


class _ByDocument:
    """The rows of one table in doc_id order, handed out a document at a time."""

    def __init__(self, rows: Iterator[Row]) -> None:
        self.rows = rows
        self.next = next(rows, None)

    def take(self, doc_id: str, keep: Callable[[Row], bool], limit: int | None) -> tuple[list[Row], int]:
        """DOC_ID's rows that KEEP accepts, at most LIMIT, and the number of the others."""
        while self.next is not None and self.next["doc_id"] < doc_id:
            self.next = next(self.rows, None)
        kept, left = [], 0
        while self.next is not None and self.next["doc_id"] == doc_id:
            if keep(self.next) and (limit is None or len(kept) < limit):
                kept.append(self.next)
            else:
                left += 1
            self.next = next(self.rows, None)
        return kept, left


def _starts_before(end: int) -> Callable[[Row], bool]:
    """A row without a span, or one whose span starts before END: in the text shown."""
    return lambda row: row.get("span_start") is None or row["span_start"] < end


def _any_row(row: Row) -> bool:
    """The pages of a source: each is listed, however much of its text is shown."""
    return True


def document_rows(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, DocumentRows]]:
    """Each record's doc_id and rows, in doc_id order, read from one stream per table, each on
    a cursor of its own: a document at a time is in memory, its text cut to ``text_chars``
    and its rows to those that start within it (``table_rows`` of each table at most)."""
    text_chars = site_limits()["text_chars"]
    names = ["document_spans", "pages", *(s.table for s in span_sources()), *(s.mentions for s in span_sources() if s.mentions)]
    mention_tables = {s.mentions for s in span_sources() if s.mentions}
    with ExitStack() as cursors:
        streams, columns = {}, {}
        for name in names:
            columns[name] = con.table(f'"{name}"').columns
            # ORDER BY ALL: doc_id, then the ordinals, which come first in every table.
            sql = f'SELECT {", ".join(_bounded_columns(con, name))} FROM "{name}" ORDER BY ALL'
            rows = stream_rows(cursors.enter_context(con.cursor()), sql)
            streams[name] = _ByDocument(dict(zip(columns[name], values)) for values in rows)
        sql = f"SELECT doc_id, left(coalesce(text, ''), {text_chars}), length(coalesce(text, '')) FROM documents ORDER BY doc_id"
        for doc_id, text, length in stream_rows(cursors.enter_context(con.cursor()), sql):
            rows, hidden = {}, {}
            for name, stream in streams.items():
                limit = None if name in mention_tables or name == "document_spans" else site_limits()["table_rows"]
                keep = _any_row if name == "pages" else _starts_before(len(text))
                rows[name], hidden[name] = stream.take(doc_id, keep, limit)
            yield doc_id, DocumentRows(text, length, rows, hidden, columns)


# --------------------------------------------------------------------------- analysis pages


def document_path(doc_id: str) -> str:
    return f"{DOCUMENTS_DIR}/{doc_id}.html"


def _is_list(value: Any) -> bool:
    """Lists come back as lists from pandas code and as arrays from DuckDB."""
    return isinstance(value, (list, tuple, np.ndarray))


def _missing(value: Any) -> bool:
    return not _is_list(value) and bool(pd.isna(value))


def _links(column: str, value: Any, names: Mapping[str, str]) -> list[Link]:
    """A cell; in a column of doc_ids (doc_id, plan_doc_id, doc_ids, copy_ids), each one the
    site has a page for is a link to it, named by its file (the doc_id is its tooltip)."""
    if column.endswith(("doc_id", "_ids")):
        items = list(value) if _is_list(value) else [value]
        return [_document_link(str(v), names) for v in items if not _missing(v)]
    return [Link(_cell(list(value) if _is_list(value) else None if _missing(value) else value))]


def _document_link(doc_id: str, names: Mapping[str, str], text: str | None = None) -> Link:
    if doc_id not in names:
        return Link(text or doc_id)
    return Link(text or names[doc_id], document_path(doc_id), doc_id)


def frame_table(name: str, frame: pd.DataFrame, names: Mapping[str, str]) -> FrameTable:
    rows = [[_links(c, v, names) for c, v in zip(frame.columns, values)] for values in frame.itertuples(index=False)]
    return FrameTable(name, [str(c) for c in frame.columns], rows)


def compare_page(con: duckdb.DuckDBPyConnection, names: Mapping[str, str]) -> ComparePage:
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
    return ComparePage(svgs, [frame_table(name, frame, names) for name, frame in shown.items()])


def graph_page(con: duckdb.DuckDBPyConnection, names: Mapping[str, str]) -> GraphPage:
    """The reference graph drawn with links: a store document's node opens its page, an edge
    opens the reference row of the citing document that makes it. The edges table names
    both ends by type, number and title."""
    graph = build_graph(con)
    href = {node: document_path(node) for node in graph.nodes if node in names}
    edge_href = {
        (a, b): f"{document_path(a)}#reference-{data['ordinal']}" for a, b, data in graph.edges(data=True) if a in names
    }
    figure = charts.graph_chart(graph, href, edge_href)
    title_chars = site_limits()["title_chars"]
    rows = []
    for a, b, data in graph.edges(data=True):
        citing, cited = graph.nodes[a], graph.nodes[b]
        rows.append([
            [_document_link(a, names, citing["label"]) if a in names else Link(citing["label"])],
            [Link(_cell_text(citing["title"], title_chars))],
            [Link(f"reference-{data['ordinal']}", edge_href.get((a, b)))],
            [Link(_cell(data.get("relation")))],
            [_document_link(b, names, cited["label"]) if b in names else Link(cited["label"])],
            [Link(_cell_text(cited["title"], title_chars))],
            [Link(_cell(cited.get("kind")))],
            [Link(_cell(data.get("matched_by")))],
        ])
    columns = ["citing", "citing_title", "reference", "relation", "cited", "cited_title", "cited_kind", "matched_by"]
    return GraphPage(charts.to_svg(figure, "graph") if figure else None, graph.number_of_nodes(), FrameTable("edges", columns, rows))


def read_site(con: duckdb.DuckDBPyConnection) -> Site:
    """The index and analysis page models; document pages come from ``document_pages``."""
    documents = index_rows(con)
    names = {d["doc_id"]: PurePath(d["source"] or d["doc_id"]).name for d in documents}
    return Site(
        documents, compare_page(con, names), graph_page(con, names),
        EchoPage(echoes(con), {d["doc_id"]: d for d in documents}),
    )


def document_pages(con: duckdb.DuckDBPyConnection, documents: list[Row]) -> Iterator[DocumentPage]:
    """Each record's page model, one at a time."""
    by_id = {d["doc_id"]: d for d in documents}
    copies = copies_of(documents)
    files: dict[str, list[Row]] = defaultdict(list)
    if "files" in relations(con):
        columns = _bounded_columns(con, "files")
        for row in fetch_rows(con, f'SELECT {", ".join(columns)} FROM files ORDER BY path')[1]:
            files[row["doc_id"]].append(row)
    for doc_id, found in document_rows(con):
        doc = by_id[doc_id]
        yield document_page(doc, found, copies.get(doc["kept_id"], []), files.get(doc_id, []))


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
    env.filters["cell"] = lambda value: _cell(value)
    env.globals["group_captions"] = group_captions()
    env.globals["group_colours"] = {kind.name: kind.highlight.colour for kind in KINDS.values() if kind.highlight}
    return env


def group_captions() -> dict[str, str]:
    """The title of each table of a document page, in Vietnamese and English: the header's
    fields, every kind of the registry (its workbook sheet's name) and the warnings."""
    sheets = load_model("captions")["sheets"]
    titles = {"document": "Trường đầu văn bản · Header fields"}
    for name in [*(kind.name for kind in KINDS.values()), "warnings"]:
        english = name.replace("_", " ").capitalize()
        vietnamese = (sheets.get(name) or {}).get("name")
        titles[name] = f"{vietnamese} · {english}" if vietnamese else english
    return titles


def render_site(site: Site, env: Environment) -> dict[str, str]:
    """Relative path -> HTML of the index and analysis pages."""
    return {
        "index.html": env.get_template("index.html").render(documents=site.documents, root=""),
        "compare.html": env.get_template("compare.html").render(page=site.compare, root=""),
        "graph.html": env.get_template("graph.html").render(page=site.graph, root=""),
        "echoes.html": env.get_template("echoes.html").render(page=site.echoes, root=""),
    }


def render_documents(pages: Iterable[DocumentPage], env: Environment) -> Iterator[tuple[str, str]]:
    """Relative path and HTML of each document page, as the pages come."""
    template = env.get_template("document.html")
    for page in pages:
        yield document_path(page.doc["doc_id"]), template.render(page=page, root="../")


def write_pages(pages: Iterable[tuple[str, str]], out: Path) -> int:
    """Writes each page as it comes; returns how many."""
    count = 0
    for relative, html in pages:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        count += 1
    return count


def write_site(store: str | os.PathLike[str], out: str | os.PathLike[str]) -> dict[str, int]:
    """Writes the site for STORE into OUT; returns the number of pages of each kind.
    The documents folder is written anew, so a record gone from the store loses its page."""
    target, env = Path(out), environment()
    with connect(store) as con:
        cut_sources(con, "csv")
        site = read_site(con)
        shutil.rmtree(target / DOCUMENTS_DIR, ignore_errors=True)
        documents = write_pages(render_documents(document_pages(con, site.documents), env), target)
    analysis = write_pages(render_site(site, env).items(), target)
    return {"documents": documents, "pages": documents + analysis}
