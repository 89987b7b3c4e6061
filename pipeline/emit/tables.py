"""Flat tables over records, one table per list of the contract, and the views that join
them; ``pipeline.emit.store`` writes them.

Every table carries ``doc_id`` so it joins to ``documents``; list tables carry
``ordinal``, the item's position in the record's list, so a row can be traced back
to the JSONL record. Spans become ``span_start``/``span_end`` columns.

The schemas are explicit so that an empty table still has typed columns, and a
query written against a run with no deadlines still works. Column names follow the
contract, so ``periods."end"``, ``recurring_reports."to"`` and the ``"references"``
table need double quotes in SQL, as those words are reserved.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any

import pyarrow as pa

from pipeline.emit.jsonl import RecordLike, as_dict
from pipeline.records import KINDS, Kind, Span

DB_NAME = "vnplan.duckdb"

_STR = pa.string()
_INT = pa.int64()
_SPAN = [("span_start", _INT), ("span_end", _INT)]
_KEY = [("doc_id", _STR), ("ordinal", _INT)]

_RECORD_TABLES: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", _STR),
            ("source", _STR),
            ("sha256", _STR),
            ("status", _STR),
            ("error", _STR),
            ("version", _INT),
            ("ingest_format", _STR),
            ("pages", _INT),
            ("ocr", pa.bool_()),
            ("ocr_confidence", pa.float64()),
            ("encoding", _STR),
            ("doc_type", _STR),
            ("number", _STR),
            ("symbol", _STR),
            ("title", _STR),
            ("issuer", _STR),
            ("parent_issuer", _STR),
            ("province", _STR),
            ("province_evidence", _STR),
            ("issue_place", _STR),
            ("issue_date", _STR),
            ("year", _INT),
            ("signer_name", _STR),
            ("signer_title", _STR),
            ("signer_authority", _STR),
            ("recipients", pa.list_(_STR)),
            ("signatures", _STR),  # the digital signatures as JSON text (records.Signature each)
            ("n_warnings", _INT),
            ("text", _STR),
        ]
    ),
    "document_spans": pa.schema([("doc_id", _STR), ("field", _STR), *_SPAN]),
    "pages": pa.schema(
        [("doc_id", _STR), ("page", _INT), ("method", _STR), ("ocr_confidence", pa.float64()), *_SPAN]
    ),
}
_WARNINGS = pa.schema([*_KEY, ("code", _STR), ("message", _STR), *_SPAN, ("page", _INT)])

# Python types of the record's fields and the Arrow types of their columns.
_ARROW = {str: _STR, int: _INT, float: pa.float64(), bool: pa.bool_()}


def _is_span(hint: Any) -> bool:
    return hint == Span


def _plain_type(hint: Any) -> Any:
    """``str | None`` -> ``str``."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1 else hint


def _span_columns(field: str) -> list[tuple[str, pa.DataType]]:
    """``span`` -> span_start, span_end; ``title_span`` -> title_start, title_end."""
    prefix = field.removesuffix("_span") if field != "span" else "span"
    return [(f"{prefix}_start", _INT), (f"{prefix}_end", _INT)]


def _item_columns(item: type, mentions: str | None) -> list[tuple[str, pa.DataType]]:
    """A record type's fields as columns: spans as start/end pairs, the mentions as their count."""
    columns: list[tuple[str, pa.DataType]] = []
    for name, hint in typing.get_type_hints(item).items():
        hint = _plain_type(hint)
        if _is_span(hint):
            columns += _span_columns(name)
        elif name == mentions:
            columns.append((f"n_{name}", _INT))
        elif typing.get_origin(hint) is list:
            columns.append((name, pa.list_(_ARROW[typing.get_args(hint)[0]])))
        else:
            columns.append((name, _ARROW[hint]))
    return columns


def _mention_type(kind: Kind) -> Any:
    return typing.get_args(typing.get_type_hints(kind.item)[kind.mentions])[0]


def _owner_named(kind: Kind) -> bool:
    """A mention table repeats its owner's name ("agency") where the owner has one, so that
    mentions can be queried without a join."""
    return "name" in typing.get_type_hints(kind.item)


def kind_schema(kind: Kind) -> pa.Schema:
    return pa.schema([*_KEY, *_item_columns(kind.item, kind.mentions)])


def mention_schema(kind: Kind) -> pa.Schema:
    mention = _mention_type(kind)
    columns = _span_columns("span") if _is_span(mention) else _item_columns(mention, None)
    owner = [(kind.singular, _STR)] if _owner_named(kind) else []
    return pa.schema([("doc_id", _STR), (f"{kind.singular}_ordinal", _INT), ("ordinal", _INT), *owner, *columns])


def schemas() -> dict[str, pa.Schema]:
    """Every table of the contract, in order: the record's own, then each kind's of the
    registry (and its mention table), then the warnings."""
    tables = dict(_RECORD_TABLES)
    for kind in KINDS.values():
        tables[kind.name] = kind_schema(kind)
        if kind.mentions:
            tables[f"{kind.singular}_mentions"] = mention_schema(kind)
    tables["warnings"] = _WARNINGS
    return tables


# The document columns a joined view repeats on each row, so that a row answers
# "where and when" without a second join.
_DOCUMENT_CONTEXT = """
    d.doc_type AS document_type, d.title AS document_title, d.issuer AS document_issuer,
    d.province, d.year, d.issue_date
"""

# An agency named in a list (duties, recurring reports, references) is looked up among
# the same document's agencies by canonical name, which is unique within a document.
VIEWS: dict[str, str] = {
    "document_references": """
        SELECT d.doc_id, d.doc_type AS document_type, d.title AS document_title,
               d.issuer AS document_issuer, d.province, d.year, r.*
        EXCLUDE (doc_id)
        FROM "references" r JOIN documents d USING (doc_id)
    """,
    "document_duties": """
        SELECT d.doc_id, d.doc_type AS document_type, d.title AS document_title,
               d.issuer AS document_issuer, d.province, d.year, u.*
        EXCLUDE (doc_id)
        FROM duties u JOIN documents d USING (doc_id)
    """,
    # The documents sheet without the full text, with the size of each extracted list.
    "document_summary": """
        SELECT d.* EXCLUDE (text),
               coalesce(r.n, 0) AS n_references, coalesce(u.n, 0) AS n_duties,
               coalesce(a.n, 0) AS n_agencies, coalesce(l.n, 0) AS n_deadlines,
               coalesce(p.n, 0) AS n_recurring_reports
        FROM documents d
        LEFT JOIN (SELECT doc_id, count(*) AS n FROM "references" GROUP BY doc_id) r USING (doc_id)
        LEFT JOIN (SELECT doc_id, count(*) AS n FROM duties GROUP BY doc_id) u USING (doc_id)
        LEFT JOIN (SELECT doc_id, count(*) AS n FROM agencies GROUP BY doc_id) a USING (doc_id)
        LEFT JOIN (SELECT doc_id, count(*) AS n FROM deadlines GROUP BY doc_id) l USING (doc_id)
        LEFT JOIN (SELECT doc_id, count(*) AS n FROM recurring_reports GROUP BY doc_id) p USING (doc_id)
    """,
    # A duty stands under the numbered item that has its path and holds its span: bullets share
    # the path but sit one level deeper, and a document numbered twice "2." has two such paths.
    "duty_details": f"""
        SELECT u.doc_id, u.ordinal, {_DOCUMENT_CONTEXT},
               u.agency, a.level AS agency_level, a.acronym AS agency_acronym, a.successor_2025,
               coalesce(a.successor_2025, u.agency) AS agency_2025,
               u.role, u.section, s.section_title, u.text, u.deadline, u.co_agencies,
               u.span_start, u.span_end
        FROM duties u JOIN documents d USING (doc_id)
        LEFT JOIN agencies a ON a.doc_id = u.doc_id AND a.name = u.agency
        LEFT JOIN (SELECT doc_id, path, title AS section_title, span_start, span_end FROM sections
                   WHERE level = len(string_split(path, '.'))) s
               ON s.doc_id = u.doc_id AND s.path = u.section
              AND u.span_start >= s.span_start AND u.span_start < s.span_end
    """,
    "citations": f"""
        SELECT r.doc_id, r.ordinal, {_DOCUMENT_CONTEXT},
               r.type, r.number, r.date, try_cast(left(r.date, 4) AS BIGINT) AS cited_year,
               r.issuer, a.level AS issuer_level, a.successor_2025 AS issuer_successor_2025,
               r.relation, r.title, r.n_mentions, r.page, r.span_start, r.span_end
        FROM "references" r JOIN documents d USING (doc_id)
        LEFT JOIN agencies a ON a.doc_id = r.doc_id AND a.name = r.issuer
    """,
    # A partial due date ("2024-08") keeps its year and month; only a full one becomes a DATE.
    "deadline_calendar": f"""
        SELECT l.doc_id, l.ordinal, {_DOCUMENT_CONTEXT},
               l.agency, l.task, l.due, try_cast(l.due AS DATE) AS due_date,
               try_cast(left(l.due, 4) AS BIGINT) AS due_year,
               try_cast(substr(l.due, 6, 2) AS BIGINT) AS due_month,
               l.span_start, l.span_end
        FROM deadlines l JOIN documents d USING (doc_id)
    """,
    "reporting_schedule": f"""
        SELECT p.doc_id, p.ordinal, {_DOCUMENT_CONTEXT},
               p.agency, coalesce(a.successor_2025, p.agency) AS agency_2025,
               p.frequency, p.due_day, p."to", coalesce(t.successor_2025, p."to") AS to_2025,
               p.span_start, p.span_end
        FROM recurring_reports p JOIN documents d USING (doc_id)
        LEFT JOIN agencies a ON a.doc_id = p.doc_id AND a.name = p.agency
        LEFT JOIN agencies t ON t.doc_id = p.doc_id AND t.name = p."to"
    """,
    "agency_details": f"""
        SELECT a.doc_id, a.ordinal, {_DOCUMENT_CONTEXT},
               a.name, a.raw, a.acronym, a.level, a.successor_2025,
               coalesce(a.successor_2025, a.name) AS name_2025, a.n_mentions,
               coalesce(u.n_duties, 0) AS n_duties, coalesce(u.n_lead, 0) AS n_lead
        FROM agencies a JOIN documents d USING (doc_id)
        LEFT JOIN (SELECT doc_id, agency, count(*) AS n_duties,
                          count(*) FILTER (WHERE role = 'lead') AS n_lead
                   FROM duties GROUP BY doc_id, agency) u
               ON u.doc_id = a.doc_id AND u.agency = a.name
    """,
}

Row = dict[str, Any]


def _span(item: Row, key: str = "span", prefix: str = "span") -> Row:
    """A missing span stays null rather than failing the whole table."""
    span = item.get(key)
    if not span:
        return {}
    return {f"{prefix}_start": span[0], f"{prefix}_end": span[1]}


def _list_rows(record: Row, key: str) -> list[Row]:
    """Item fields pass through by name; the schema later keeps only its own columns."""
    return [
        {**item, **_span(item), "doc_id": record.get("doc_id"), "ordinal": ordinal}
        for ordinal, item in enumerate(record.get(key) or [])
    ]


def _document_rows(record: Row) -> list[Row]:
    """One row per record, errors included, so a failed file is visible in queries."""
    ingest = record.get("ingest") or {}
    return [
        {
            **(record.get("document") or {}),
            **{k: record.get(k) for k in ("doc_id", "source", "sha256", "status", "error")},
            "version": record.get("version"),
            "text": record.get("text"),
            "ingest_format": ingest.get("format"),
            "pages": ingest.get("pages"),
            "ocr": ingest.get("ocr"),
            "ocr_confidence": ingest.get("ocr_confidence"),
            "encoding": ingest.get("encoding"),
            "signatures": json.dumps((record.get("document") or {}).get("signatures") or [], ensure_ascii=False),
            "n_warnings": len(record.get("warnings") or []),
        }
    ]


def _document_span_rows(record: Row) -> list[Row]:
    """Header spans are a dict keyed by field name; long form keeps the table schema fixed."""
    spans = (record.get("document") or {}).get("spans") or {}
    return [
        {"doc_id": record.get("doc_id"), "field": name, **_span({"span": span})}
        for name, span in spans.items()
    ]


def _page_rows(record: Row) -> list[Row]:
    pages = (record.get("ingest") or {}).get("pages_read") or []
    return [{**page, **_span(page), "doc_id": record.get("doc_id")} for page in pages]


def _kind_rows(kind: Kind) -> Callable[[Row], list[Row]]:
    spans = [name for name, hint in typing.get_type_hints(kind.item).items() if _is_span(_plain_type(hint)) and name != "span"]

    def rows(record: Row) -> list[Row]:
        found = _list_rows(record, kind.name)
        for row in found:
            for name in spans:
                row.update(_span(row, name, name.removesuffix("_span")))
            if kind.mentions:
                row[f"n_{kind.mentions}"] = len(row.get(kind.mentions) or [])
        return found

    return rows


def _mention_rows(kind: Kind) -> Callable[[Row], list[Row]]:
    named = _owner_named(kind)
    bare_spans = _is_span(_mention_type(kind))

    def rows(record: Row) -> list[Row]:
        return [
            {
                **({"span": mention} if bare_spans else mention),
                **_span({"span": mention} if bare_spans else mention),
                "doc_id": record.get("doc_id"),
                f"{kind.singular}_ordinal": owner_ordinal,
                "ordinal": ordinal,
                **({kind.singular: owner.get("name")} if named else {}),
            }
            for owner_ordinal, owner in enumerate(record.get(kind.name) or [])
            for ordinal, mention in enumerate(owner.get(kind.mentions) or [])
        ]

    return rows


def row_builders() -> dict[str, Callable[[Row], list[Row]]]:
    """How each table of ``schemas()`` gets its rows from one record (as records.jsonl holds it)."""
    builders: dict[str, Callable[[Row], list[Row]]] = {
        "documents": _document_rows,
        "document_spans": _document_span_rows,
        "pages": _page_rows,
    }
    for kind in KINDS.values():
        builders[kind.name] = _kind_rows(kind)
        if kind.mentions:
            builders[f"{kind.singular}_mentions"] = _mention_rows(kind)
    builders["warnings"] = lambda record: _list_rows(record, "warnings")
    return builders


def build_tables(records: Iterable[RecordLike]) -> dict[str, pa.Table]:
    """Arrow tables in ``schemas()`` order: the rows the store inserts for these records."""
    dicts = [as_dict(r) for r in records]
    builders = row_builders()
    return {
        name: pa.Table.from_pylist(
            [row for record in dicts for row in builders[name](record)], schema=schema
        )
        for name, schema in schemas().items()
    }

