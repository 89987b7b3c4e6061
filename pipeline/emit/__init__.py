"""Emit: records into a store (records.jsonl, a DuckDB database and its Parquet export).

``Store`` is the only writer: ``vnplan run`` and ``vnplan extract`` commit through it as
files are processed, ``write_store`` for records made some other way.
"""

from __future__ import annotations

from pipeline.emit.jsonl import read_jsonl, write_jsonl
from pipeline.emit.store import RECORDS_NAME, Store, tables, write_store
from pipeline.emit.tables import DB_NAME, build_tables, schemas

__all__ = [
    "DB_NAME",
    "RECORDS_NAME",
    "Store",
    "build_tables",
    "read_jsonl",
    "schemas",
    "tables",
    "write_jsonl",
    "write_store",
]
