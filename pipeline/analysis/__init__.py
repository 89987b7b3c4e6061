"""The researchers' side: questions asked of a store filled by ``vnplan run`` or ``vnplan extract``.

Every function here reads the store's DuckDB database through a read-only connection,
so analyses never change the records and can run while nobody writes the store.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.emit.store import StoreError
from pipeline.emit.tables import DB_NAME


def connect(store: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A read-only connection to STORE/vnplan.duckdb, or StoreError saying what is missing."""
    path = Path(store) / DB_NAME
    if not path.is_file():
        raise StoreError(f"no vnplan store at {store}: {path} does not exist (make one with vnplan run or vnplan extract)")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise StoreError(f"cannot open the store database {path}: {error}") from error


def load(store: str | os.PathLike[str], table: str) -> pd.DataFrame:
    """One table or view of the store as a DataFrame: ``load("store", "duties")``."""
    with connect(store) as con:
        return con.execute(f'SELECT * FROM "{table}"').df()


def fetch_rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[dict[str, Any]]]:
    """Column names (an empty result has them too) and rows as dicts; nulls stay None,
    where a DataFrame would make them NaN."""
    cursor = con.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return columns, [dict(zip(columns, values)) for values in cursor.fetchall()]


def relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables and views of the store: ``files`` and ``present_documents`` exist only in run stores."""
    return {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
