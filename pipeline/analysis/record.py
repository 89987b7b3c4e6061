"""One document's record read back from the store's tables, in the shape of records.jsonl.

A `vnplan run` store keeps no JSONL: the tables are the record, flattened. Reading them
back gives notebooks and review tools the same dict ``Record.to_dict()`` gives, so
``pipeline.extract.nlp.to_doc`` and ``render_html`` work on a store's documents too.
Fields the tables do not keep (a duty's ``page``, a mention's ``page``) are absent.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from pipeline.analysis import fetch_rows
from pipeline.records import KINDS, DocumentMeta, Kind

Row = dict[str, Any]

KEY_COLUMNS = {"doc_id", "ordinal", "span_start", "span_end", "title_start", "title_end", "n_mentions"}
DOCUMENT_FIELDS = tuple(DocumentMeta.__dataclass_fields__)
INGEST_FIELDS = {"ingest_format": "format", "pages": "pages", "ocr": "ocr", "ocr_confidence": "ocr_confidence", "encoding": "encoding"}


class RecordNotFound(KeyError):
    """No document with that doc_id in the store."""


def _rows(con: duckdb.DuckDBPyConnection, table: str, doc_id: str, order: str = "ordinal") -> list[Row]:
    return fetch_rows(con, f'SELECT * FROM "{table}" WHERE doc_id = ? ORDER BY {order}', [doc_id])[1]


def _span(row: Row, prefix: str = "span") -> list[int] | None:
    start, end = row.get(f"{prefix}_start"), row.get(f"{prefix}_end")
    return None if start is None else [start, end]


def _item(row: Row) -> Row:
    item = {key: value for key, value in row.items() if key not in KEY_COLUMNS}
    item["span"] = _span(row)
    if "title_start" in row:
        item["title_span"] = _span(row, "title")
    return item


def _mentions(con: duckdb.DuckDBPyConnection, table: str, owner: str, doc_id: str) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in _rows(con, table, doc_id, f"{owner}, ordinal"):
        grouped.setdefault(row[owner], []).append(row)
    return grouped


def _document(row: Row, spans: list[Row]) -> Row:
    document = {name: row.get(name) for name in DOCUMENT_FIELDS if name != "spans"}
    document["recipients"] = list(row.get("recipients") or [])
    document["signatures"] = json.loads(row.get("signatures") or "[]")
    document["spans"] = {span["field"]: _span(span) for span in spans}
    return document


def _kind_items(con: duckdb.DuckDBPyConnection, kind: Kind, doc_id: str) -> list[Row]:
    """A kind's items with their mentions: spans (references), or items with a text and a span
    (agencies, whose own rows have no span)."""
    items = [_item(r) for r in _rows(con, kind.name, doc_id)]
    if not kind.mentions:
        return items
    table, owner = f"{kind.singular}_mentions", f"{kind.singular}_ordinal"
    mentions = _mentions(con, table, owner, doc_id)
    for ordinal, item in enumerate(items):
        rows = mentions.get(ordinal, [])
        item[kind.mentions] = [{"text": m["text"], "span": _span(m)} if "text" in m else _span(m) for m in rows]
        if item.get("span") is None:
            item.pop("span", None)
    return items


def read_record(con: duckdb.DuckDBPyConnection, doc_id: str) -> Row:
    """The record of ``doc_id`` as a dict; RecordNotFound when the store has no such document."""
    found = _rows(con, "documents", doc_id, "doc_id")
    if not found:
        raise RecordNotFound(doc_id)
    row = found[0]
    record: Row = {
        **{key: row[key] for key in ("doc_id", "source", "sha256", "status", "error", "text", "version")},
        "ingest": {
            **{name: row[column] for column, name in INGEST_FIELDS.items()},
            "pages_read": [{**_item(page), "ocr_confidence": page["ocr_confidence"]} for page in _rows(con, "pages", doc_id, "page")],
        },
        "document": _document(row, _rows(con, "document_spans", doc_id, "field")),
        **{kind.name: _kind_items(con, kind, doc_id) for kind in KINDS.values()},
        "warnings": [_item(r) for r in _rows(con, "warnings", doc_id)],
    }
    return record
