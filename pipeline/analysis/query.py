"""``vnplan query``: one SQL statement over a store, shown as a table or written to a file.

The store is opened read-only, so a query can never change the records; a statement that
tries to (CREATE, INSERT, ...) fails with DuckDB's own message like any other SQL error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb
from rich.table import Table

from pipeline.analysis import connect


class QueryError(Exception):
    """The SQL could not run: DuckDB's message, kept whole because it points at the fault."""

    def __str__(self) -> str:
        return f"SQL error: {super().__str__()}"


class OutputFormat(str, Enum):
    csv = "csv"
    json = "json"
    parquet = "parquet"


@dataclass(frozen=True)
class QueryResult:
    """A query's rows with their column names and DuckDB types, for display."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def _relation(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation:
    try:
        relation = con.sql(sql)
    except duckdb.Error as error:
        raise QueryError(str(error)) from error
    if relation is None:
        raise QueryError("the statement returns no rows: vnplan query runs one SELECT (or WITH, DESCRIBE, SHOW ...)")
    return relation


def _run(relation: duckdb.DuckDBPyRelation, action: Callable[[duckdb.DuckDBPyRelation], Any]) -> Any:
    """Errors found only when the rows are computed (a failed cast, say) are SQL errors too."""
    try:
        return action(relation)
    except duckdb.Error as error:
        raise QueryError(str(error)) from error


def run_query(store: str | os.PathLike[str], sql: str) -> QueryResult:
    """Every row of the query's result."""
    with connect(store) as con:
        relation = _relation(con, sql)
        rows = _run(relation, lambda r: r.fetchall())
        return QueryResult(relation.columns, [str(t) for t in relation.types], rows)


def _write_json(relation: duckdb.DuckDBPyRelation, out: Path) -> None:
    """One JSON array of objects, serialised by DuckDB (dates stay "2024-08-07"): a read-only
    connection cannot COPY a relation to a file, but it can turn the rows into one JSON text."""
    array = relation.set_alias("vnplan_row").aggregate("coalesce(json_group_array(to_json(vnplan_row)), '[]')")
    out.write_text(array.fetchall()[0][0], encoding="utf-8")


WRITERS: dict[OutputFormat, Callable[[duckdb.DuckDBPyRelation, Path], None]] = {
    OutputFormat.csv: lambda relation, out: relation.write_csv(str(out), header=True),
    OutputFormat.parquet: lambda relation, out: relation.write_parquet(str(out)),
    OutputFormat.json: _write_json,
}


def write_query(store: str | os.PathLike[str], sql: str, fmt: OutputFormat, out: str | os.PathLike[str]) -> int:
    """The query's result written to OUT in FMT; returns the number of rows."""
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    with connect(store) as con:
        relation = _relation(con, sql)
        _run(relation, lambda r: WRITERS[fmt](r, target))
        return _run(relation, lambda r: r.shape[0])


def _cell(value: Any) -> str:
    return "NULL" if value is None else str(value)


def rows_text(count: int) -> str:
    return f"{count} row" + ("" if count == 1 else "s")


def as_table(result: QueryResult, max_rows: int) -> Table:
    """A rich table of the first MAX_ROWS rows; the caption says how many are left out."""
    count = len(result.rows)
    caption = rows_text(count)
    if count > max_rows:
        caption += f", first {max_rows} shown (use --format and --out for all)"
    table = Table(caption=caption)
    for name, kind in zip(result.columns, result.types):
        table.add_column(f"{name}\n[dim]{kind}[/dim]", overflow="fold")
    for row in result.rows[:max_rows]:
        table.add_row(*(_cell(v) for v in row))
    return table
