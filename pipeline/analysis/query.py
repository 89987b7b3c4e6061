"""``vnplan query``: SQL over a store, shown as a table or written as CSV, TSV, JSON or Parquet.

The store is opened through the locked connection of ``pipeline.analysis``: a query can
change no record and reach no file, extension or network, so DuckDB cannot write the
result either. It is written here, from Python, one batch of rows at a time, so a large
result never sits in memory whole.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from rich.table import Table

from pipeline.analysis import connect
from pipeline.analysis.formats import OutputFormat
from pipeline.wording import counted

BATCH_ROWS = 10_000
# DuckDB types whose text form is not data: a CSV cell holds them as JSON.
NESTED_TYPES = {"list", "array", "struct", "map", "union"}


class QueryError(Exception):
    """The query could not run, or its result could not be written; the message says why."""


def format_of(path: str | os.PathLike[str]) -> OutputFormat | None:
    """The format a file's suffix names (.csv, .tsv, .json, .parquet), if any."""
    try:
        return OutputFormat(Path(path).suffix.lower().removeprefix("."))
    except ValueError:
        return None


@dataclass(frozen=True)
class QueryResult:
    """A query's first rows with their column names and DuckDB types, and how many rows it has."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    count: int


@contextmanager
def _sql_errors() -> Iterator[None]:
    """Errors found only when the rows are computed (a failed cast, say) are SQL errors too."""
    try:
        yield
    except duckdb.Error as error:
        raise QueryError(f"SQL error: {error}") from error


def _relation(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation:
    with _sql_errors():
        relation = con.sql(sql)
    if relation is None:
        raise QueryError("SQL error: the statement returns no rows: vnplan query runs one SELECT (or WITH, DESCRIBE, SHOW ...)")
    return relation


def _batches(relation: duckdb.DuckDBPyRelation) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The result's Arrow schema and its rows, BATCH_ROWS at a time."""
    with _sql_errors():
        reader = relation.to_arrow_reader(BATCH_ROWS)

    def each() -> Iterator[pa.RecordBatch]:
        with _sql_errors():
            yield from reader

    return reader.schema, each()


def _rows(batch: pa.RecordBatch) -> Iterator[tuple[Any, ...]]:
    return zip(*(column.to_pylist() for column in batch.columns))


def run_query(store: str | os.PathLike[str], sql: str, max_rows: int | None = None) -> QueryResult:
    """The query's rows (the first MAX_ROWS of them, if given) and their count."""
    with connect(store) as con:
        relation = _relation(con, sql)
        rows: list[tuple[Any, ...]] = []
        count = 0
        _, batches = _batches(relation)
        for batch in batches:
            room = batch.num_rows if max_rows is None else max(0, max_rows - len(rows))
            rows += _rows(batch.slice(0, room))
            count += batch.num_rows
        return QueryResult(relation.columns, [str(t) for t in relation.types], rows, count)


def _as_text(relation: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Every value as DuckDB prints it ("2024-08-07", "true"); lists and structs as JSON."""
    cells = [
        f"to_json(#{i})" if kind.id in NESTED_TYPES else f"CAST(#{i} AS VARCHAR)"
        for i, kind in enumerate(relation.types, start=1)
    ]
    with _sql_errors():
        return relation.project(", ".join(cells))


def _write_delimited(relation: duckdb.DuckDBPyRelation, stream: BinaryIO, delimiter: str) -> int:
    """A header line, then one line per row; a value is quoted only when it holds the
    delimiter, a quote or a line break. A null is an empty cell."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\n")

    def flush() -> None:
        stream.write(text.getvalue().encode("utf-8"))
        text.seek(0)
        text.truncate()

    _, batches = _batches(_as_text(relation))
    writer.writerow(relation.columns)
    flush()
    count = 0
    for batch in batches:
        writer.writerows(_rows(batch))
        flush()
        count += batch.num_rows
    return count


def _write_json(relation: duckdb.DuckDBPyRelation, stream: BinaryIO) -> int:
    """One JSON array, an object per row on a line of its own; DuckDB serialises each row,
    so dates stay "2024-08-07" and lists stay lists."""
    with _sql_errors():
        rows = relation.set_alias("vnplan_row").project("to_json(vnplan_row)")
    _, batches = _batches(rows)
    count = 0
    stream.write(b"[")
    for batch in batches:
        for line in batch.column(0).to_pylist():
            stream.write((",\n" if count else "\n").encode() + line.encode("utf-8"))
            count += 1
    stream.write(b"\n]\n" if count else b"]\n")
    return count


def _write_parquet(relation: duckdb.DuckDBPyRelation, stream: BinaryIO) -> int:
    schema, batches = _batches(relation)
    count = 0
    with pq.ParquetWriter(stream, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


WRITERS: dict[OutputFormat, Callable[[duckdb.DuckDBPyRelation, BinaryIO], int]] = {
    OutputFormat.csv: lambda relation, stream: _write_delimited(relation, stream, ","),
    OutputFormat.tsv: lambda relation, stream: _write_delimited(relation, stream, "\t"),
    OutputFormat.json: _write_json,
    OutputFormat.parquet: _write_parquet,
}


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A file written beside PATH and renamed over it once complete, so that a query that
    fails halfway leaves PATH as it was. Opened as usual (not by tempfile), so the file
    gets the permissions the user's umask gives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(partial, "xb") as handle:
            yield handle
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_query(store: str | os.PathLike[str], sql: str, fmt: OutputFormat, out: str | os.PathLike[str] | BinaryIO) -> int:
    """The query's result written in FMT to OUT, a file (whole or not at all) or a binary
    stream such as stdout; returns the number of rows."""
    with connect(store) as con:
        relation = _relation(con, sql)
        try:
            if isinstance(out, (str, os.PathLike)):
                with _replacing(Path(out)) as stream:
                    return WRITERS[fmt](relation, stream)
            return WRITERS[fmt](relation, out)
        except pa.ArrowException as error:
            raise QueryError(f"cannot write the result as {fmt.value}: {error}") from error


def _cell(value: Any) -> str:
    return "NULL" if value is None else str(value)


def as_table(result: QueryResult) -> Table:
    """A rich table of the result's rows; the caption says how many are left out."""
    caption = counted(result.count, "row")
    if result.count > len(result.rows):
        caption += f", first {len(result.rows)} shown (use --format or --out for all)"
    table = Table(caption=caption)
    for name, kind in zip(result.columns, result.types):
        table.add_column(f"{name}\n[dim]{kind}[/dim]", overflow="fold")
    for row in result.rows:
        table.add_row(*(_cell(v) for v in row))
    return table
