"""Emit: records to records.jsonl, Parquet tables and a DuckDB database."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pipeline.emit.jsonl import RecordLike, read_jsonl, write_jsonl
from pipeline.emit.tables import DB_NAME, SCHEMAS, build_tables, write_tables

__all__ = [
    "DB_NAME",
    "SCHEMAS",
    "build_tables",
    "emit_all",
    "read_jsonl",
    "write_jsonl",
    "write_tables",
]


def emit_all(records: Iterable[RecordLike], out_dir: str | os.PathLike[str]) -> dict[str, int]:
    """The full output of a run: out_dir/records.jsonl plus the tables built from the same records."""
    materialised = list(records)
    write_jsonl(materialised, Path(out_dir) / "records.jsonl")
    return write_tables(materialised, out_dir)
