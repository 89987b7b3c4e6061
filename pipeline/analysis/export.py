"""``vnplan export``: the store's tables and main views for spreadsheet users.

xlsx: one workbook, a notes sheet then one sheet per table and view, Vietnamese captions
(``models/captions.yaml``). csv: a folder with one ``<table>.csv`` per table and view, in
UTF-8 with a BOM, without which Excel reads the file as ANSI and garbles Vietnamese.

Dates are ISO text in the store and may be partial ("2023-03", "2025"). A full date becomes
a date cell in Excel; a partial one cannot, so it stays text in the same column: one column
per value keeps the sheet the same shape as the table it comes from.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pipeline.analysis import connect, relations
from pipeline.emit.store import ORDER_COLUMNS
from pipeline.rules import load_model

# Excel's own limits: characters in a cell, rows in a sheet (one is the header).
MAX_CELL_CHARS = 32_767
MAX_SHEET_ROWS = 1_048_575
CSV_ENCODING = "utf-8-sig"


class ExportFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


class ExportError(Exception):
    """The store cannot be written in the asked format (a table too long for a sheet)."""


def captions() -> dict[str, Any]:
    return load_model("captions")


def caption(sheet: str, column: str) -> str | None:
    """The Vietnamese caption of a column: the sheet's own, else the shared one."""
    model = captions()
    own = (model["sheets"][sheet].get("columns") or {}).get(column)
    return own or model["columns"].get(column)


def _present(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The captioned tables and views this store has (``files`` exists only in run stores)."""
    names = relations(con)
    return [name for name in captions()["sheets"] if name in names]


def _frame(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """The rows in a stable order, lists joined with "; " since a cell holds one value."""
    relation = con.table(f'"{name}"')
    columns = [
        f"array_to_string(\"{c}\", '; ') AS \"{c}\"" if str(t).endswith("[]") else f'"{c}"'
        for c, t in zip(relation.columns, relation.types)
    ]
    order = ", ".join(f'"{c}"' for c in ORDER_COLUMNS if c in relation.columns) or "ALL"
    return con.sql(f'SELECT {", ".join(columns)} FROM "{name}" ORDER BY {order}').df()


def _captioned(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    return frame.rename(columns={c: caption(sheet, c) or c for c in frame.columns})


def excel_dates(values: pd.Series) -> pd.Series:
    """Full ISO dates as dates; anything else (a partial date, a range, a word) as it was."""
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    return parsed.dt.date.astype(object).where(parsed.notna(), values)


def excel_text(value: Any) -> Any:
    """A string Excel accepts: no control characters, at most MAX_CELL_CHARS with a note."""
    if not isinstance(value, str):
        return value
    clean = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(clean) <= MAX_CELL_CHARS:
        return clean
    note = captions()["truncated"]
    return clean[: MAX_CELL_CHARS - len(note)] + note


def for_excel(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """The sheet's columns, minus those it omits, with dates as dates and strings Excel can hold."""
    if len(frame) > MAX_SHEET_ROWS:
        raise ExportError(f"{sheet} has {len(frame):,} rows, more than an Excel sheet holds; use --format csv")
    spec = captions()["sheets"][sheet]
    kept = frame.drop(columns=[c for c in spec.get("omit") or [] if c in frame.columns])
    date_columns = set(captions()["date_columns"])
    converted = {
        column: excel_dates(values) if column in date_columns else values.map(excel_text)
        for column, values in kept.items()
    }
    return _captioned(pd.DataFrame(converted, index=kept.index), sheet)


def _write_xlsx(frames: dict[str, pd.DataFrame], out: Path) -> None:
    model = captions()
    notes = pd.DataFrame({model["notes_sheet"]: model["notes"]})
    with pd.ExcelWriter(out, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD HH:MM:SS") as writer:
        notes.to_excel(writer, sheet_name=model["notes_sheet"], index=False)
        for name, frame in frames.items():
            sheet_name = model["sheets"][name]["name"]
            for_excel(frame, name).to_excel(writer, sheet_name=sheet_name, index=False)
            worksheet = writer.sheets[sheet_name]
            worksheet.freeze_panes = "A2"
            worksheet.auto_filter.ref = worksheet.dimensions


def _write_csv(frames: dict[str, pd.DataFrame], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        _captioned(frame, name).to_csv(out / f"{name}.csv", index=False, encoding=CSV_ENCODING)


WRITERS = {ExportFormat.xlsx: _write_xlsx, ExportFormat.csv: _write_csv}


def export(store: str | os.PathLike[str], fmt: ExportFormat, out: str | os.PathLike[str]) -> dict[str, int]:
    """Writes the store's tables and main views to OUT (a workbook or a folder); returns rows per table."""
    target = Path(out)
    with connect(store) as con:
        frames = {name: _frame(con, name) for name in _present(con)}
    if fmt is ExportFormat.xlsx:
        target.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](frames, target)
    return {name: len(frame) for name, frame in frames.items()}
