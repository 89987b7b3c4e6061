"""The researchers' side: questions asked of a store filled by ``vnplan run`` or ``vnplan extract``.

Every function here reads the store's DuckDB database through a read-only connection
that can reach nothing else: no files, no extensions, no network (see ``LOCKED``). So
analyses never change the records, and SQL typed into ``vnplan query`` cannot read or
overwrite files beside or outside the store.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from pipeline.emit.store import StoreError, unusable_database
from pipeline.emit.tables import DB_NAME

if TYPE_CHECKING:  # the store's tables load as DataFrames only when asked for
    import pandas as pd

# DuckDB settings of every analysis connection. External access off stops COPY, EXPORT,
# ATTACH, read_csv/read_text/glob and INSTALL/LOAD of extensions that are not built in;
# the locked configuration stops a query from SET-ting any of it back. DuckDB refuses two
# connections to one file with different settings, so all analyses share these.
LOCKED = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def connect(store: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A read-only, locked connection (``LOCKED``) to STORE/vnplan.duckdb, or StoreError saying what is missing."""
    path = Path(store) / DB_NAME
    if not path.is_file():
        raise StoreError(f"no vnplan store at {store}: {path} does not exist (make one with vnplan run or vnplan extract)")
    try:
        return duckdb.connect(str(path), read_only=True, config=LOCKED)
    except duckdb.Error as error:
        raise StoreError(unusable_database(path, error)) from error


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
