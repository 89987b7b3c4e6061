"""The page models: what each page of the site shows, read from the store's tables through
a read-only connection. Spans are ``[start, end)`` offsets into ``documents.text``, as in the
records.

A document page shows the start of a long text and the rows found in it, and document pages
are built one at a time from streams of each table in doc_id order, so that no table is
ever held whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pipeline.analysis import fetch_rows, relations
from pipeline.analysis.compare import Filter, compare, province_2025, summarise
from pipeline.analysis.echo import Echo, echoes
from pipeline.analysis.export import column_limit, cut_sql, stream_rows
from pipeline.analysis.graph import build_graph
from pipeline.records import KINDS
from pipeline.review import charts
from pipeline.review.cells import Row, bounded_columns, cell, cell_text, site_limits
from pipeline.review.highlights import (
    Piece,
    Table,
    header_table,
    mention_spans,
    pieces,
    span_table,
)
from pipeline.rules import load_model

DOCUMENTS_DIR = "documents"


def document_path(doc_id: str) -> str:
    return f"{DOCUMENTS_DIR}/{doc_id}.html"


# --------------------------------------------------------------------------- page models


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


# --------------------------------------------------------------------------- the index


def index_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """One row per record, with ``kept_id``, the doc_id that ``distinct_documents`` keeps
    for its document (the store's ``copies`` says which), ``kept_name``, that copy's file
    name, and ``copies``; ``status`` is "deleted" when no present file holds it, and such a
    record has no kept copy. ``province_2025`` is the 2025 successor of the province and
    ``search`` the words the index's free-text search looks in, cited document numbers
    included."""
    columns = bounded_columns(con, "documents", "d", skip=("text", "recipients", "status"))
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


# --------------------------------------------------------------------------- document pages


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
        mentions = mention_spans(tables[source.mentions], source.mention_key) if source.mentions else {}
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
            sql = f'SELECT {", ".join(bounded_columns(con, name))} FROM "{name}" ORDER BY ALL'
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


def document_pages(con: duckdb.DuckDBPyConnection, documents: list[Row]) -> Iterator[DocumentPage]:
    """Each record's page model, one at a time."""
    by_id = {d["doc_id"]: d for d in documents}
    copies = copies_of(documents)
    files: dict[str, list[Row]] = defaultdict(list)
    if "files" in relations(con):
        columns = bounded_columns(con, "files")
        for row in fetch_rows(con, f'SELECT {", ".join(columns)} FROM files ORDER BY path')[1]:
            files[row["doc_id"]].append(row)
    for doc_id, found in document_rows(con):
        doc = by_id[doc_id]
        yield document_page(doc, found, copies.get(doc["kept_id"], []), files.get(doc_id, []))


# --------------------------------------------------------------------------- analysis pages


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
    return [Link(cell(list(value) if _is_list(value) else None if _missing(value) else value))]


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
            [Link(cell_text(citing["title"], title_chars))],
            [Link(f"reference-{data['ordinal']}", edge_href.get((a, b)))],
            [Link(cell(data.get("relation")))],
            [_document_link(b, names, cited["label"]) if b in names else Link(cited["label"])],
            [Link(cell_text(cited["title"], title_chars))],
            [Link(cell(cited.get("kind")))],
            [Link(cell(data.get("matched_by")))],
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
