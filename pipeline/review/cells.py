"""What the site shows of a value: cut to the site's limits (``models/output_limits.yaml``),
in SQL before it reaches Python (``bounded_columns``) or in Python (``cell``), so that
whatever one record holds, no page grows without bound.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

from pipeline.analysis.export import column_limit, cut, cut_sql, limits

Row = dict[str, Any]


def site_limits() -> dict[str, Any]:
    return limits()["site"]


def cell_text(value: str, limit: int | None = None) -> str:
    """A string cut for the site, with the site's note."""
    return cut(value, limits()["cells"]["site"] if limit is None else limit, site_limits()["note"])


def cell(value: Any) -> str:
    """A value as a table cell shows it, cut to the site's cell limit."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return cell_text(", ".join(cell(v) for v in value))
    if isinstance(value, float):
        return f"{value:.1f}"
    return cell_text(str(value))


def bounded_columns(con: duckdb.DuckDBPyConnection, name: str, alias: str = "", skip: Iterable[str] = ()) -> list[str]:
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
