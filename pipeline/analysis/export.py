"""``vnplan export``: the store's tables and main views for spreadsheet users.

xlsx: one workbook, a notes sheet then one sheet per table and view, Vietnamese captions
(``models/captions.yaml``). csv: a folder with one ``<table>.csv`` per table and view, in
UTF-8 with a BOM, without which Excel reads the file as ANSI and garbles Vietnamese.

Dates are ISO text in the store and may be partial ("2023-03", "2025"). A full date becomes
a date cell in Excel; a partial one cannot, so it stays text in the same column: one column
per value keeps the sheet the same shape as the table it comes from. Coded values ("lead")
are shown with their Vietnamese caption and the code: "chủ trì (lead)".

Whatever one record holds, the outputs stay bounded (``models/output_limits.yaml``): DuckDB cuts
each long value before it reaches Python, and rows are streamed from DuckDB to the file a
batch at a time, never a whole table in memory. The cutting helpers here serve compare,
the graph and the review site too.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import regex
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pipeline.analysis import connect, relations
from pipeline.analysis.formats import ExportFormat
from pipeline.emit.store import ORDER_COLUMNS
from pipeline.rules import load_model

# Excel's limit on rows in a sheet (one is the header).
MAX_SHEET_ROWS = 1_048_575
CSV_ENCODING = "utf-8-sig"
BATCH_ROWS = 2048
DATE_FORMAT = "YYYY-MM-DD"
DATETIME_FORMAT = "YYYY-MM-DD HH:MM:SS"
_FULL_DATE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADER_FONT = Font(bold=True)

Convert = Callable[[Any], Any]


class ExportError(Exception):
    """The store cannot be written in the asked format (a table too long for a sheet)."""


def captions() -> dict[str, Any]:
    return load_model("captions")


def limits() -> dict[str, Any]:
    return load_model("output_limits")


def caption(sheet: str, column: str) -> str | None:
    """The Vietnamese caption of a column: the sheet's own, else the shared one."""
    model = captions()
    own = (model["sheets"][sheet].get("columns") or {}).get(column)
    return own or model["columns"].get(column)


# --------------------------------------------------------------------------- bounded values


def _kept_chars(limit: int, note: str) -> int:
    """How much of a value fits in LIMIT characters beside its note."""
    return max(0, limit - len(note.format(kept=limit)))


def cut(value: Any, limit: int | None, note: str | None = None) -> Any:
    """VALUE when it fits in LIMIT characters, else its start and a note saying it was cut."""
    if limit is None or not isinstance(value, str) or len(value) <= limit:
        return value
    note = limits()["note"] if note is None else note
    kept = _kept_chars(limit, note)
    return value[:kept] + note.format(kept=kept)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def cut_sql(expression: str, limit: int | None, note: str | None = None) -> str:
    """``cut`` in SQL: DuckDB cuts the value, so that a huge one never reaches Python.

    The byte length (``strlen``) is known without reading the value and ``left`` reads only
    what it keeps; ``length`` would count every character of a 40 MB title on each row."""
    if limit is None:
        return expression
    note = limits()["note"] if note is None else note
    kept = _kept_chars(limit, note)
    longer = f"strlen({expression}) > {limit} AND length(left({expression}, {limit + 1})) > {limit}"
    return f"CASE WHEN {longer} THEN left({expression}, {kept}) || {_literal(note.format(kept=kept))} ELSE {expression} END"


def column_limit(output: str, column: str, table: str | None = None) -> int | None:
    """The characters a value of COLUMN may have in OUTPUT (xlsx, csv, site); None: whole."""
    model = limits()
    if output == "csv" and f"{table}.{column}" in model["whole_in_csv"]:
        return None
    short = model["short_columns"]
    return min(model["cells"][output], short["chars"]) if column in short["columns"] else model["cells"][output]


def cut_frame(frame: pd.DataFrame, output: str) -> pd.DataFrame:
    """FRAME with every string cut to its column's limit in OUTPUT (lists are left as they are)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            limit = column_limit(output, str(column))
            out[column] = out[column].map(functools.partial(cut, limit=limit))
    return out


# --------------------------------------------------------------------------- coded values


def shown_value(code: Any, vocabulary: dict[str, str] | None) -> Any:
    """A coded value with its caption, "chủ trì (lead)", so that the code stays there to filter on;
    anything the vocabulary does not list, as it is."""
    if not vocabulary or not isinstance(code, str) or code not in vocabulary:
        return code
    return captions()["value_format"].format(caption=vocabulary[code], code=code)


def vocabulary(column: str) -> dict[str, str] | None:
    """The captions of COLUMN's codes (``values`` of captions.yaml), None for a free-text column."""
    return captions()["values"].get(column)


# --------------------------------------------------------------------------- reading the store


def _present(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The captioned tables and views this store has (``files`` exists only in run stores)."""
    names = relations(con)
    return [name for name in captions()["sheets"] if name in names]


def _column_sql(name: str, column: str, type_name: str, fmt: ExportFormat) -> str:
    """One column as the output shows it: lists joined with "; ", Unix times as timestamps,
    bytes as text with \\xNN escapes, text cut."""
    expression = f'"{column}"'
    if column in captions()["epoch_columns"]:
        return f'make_timestamp(CAST(round({expression} * 1e6) AS BIGINT)) AS "{column}"'
    if type_name.endswith("[]"):
        expression = f"array_to_string({expression}, '; ')"
    elif type_name == "BLOB":
        expression = f"CAST({expression} AS VARCHAR)"
    elif type_name != "VARCHAR":
        return f'{expression} AS "{column}"'
    return f'{cut_sql(expression, column_limit(fmt.value, column, name))} AS "{column}"'


def _select(con: duckdb.DuckDBPyConnection, name: str, fmt: ExportFormat) -> tuple[list[str], str]:
    """The columns written of table NAME, and the SQL that gives its rows in a stable order."""
    relation = con.table(f'"{name}"')
    omitted = set(captions()["sheets"][name].get("omit") or []) if fmt is ExportFormat.xlsx else set()
    kept = [(c, str(t)) for c, t in zip(relation.columns, relation.types) if c not in omitted]
    order = ", ".join(f'"{c}"' for c in ORDER_COLUMNS if c in relation.columns) or "ALL"
    select = ", ".join(_column_sql(name, c, t, fmt) for c, t in kept)
    return [c for c, _ in kept], f'SELECT {select} FROM "{name}" ORDER BY {order}'


def stream_rows(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[tuple]:
    """The rows of SQL, a batch at a time: DuckDB streams them rather than building the result.
    CON runs nothing else until the stream is read (a ``con.cursor()`` can, beside it)."""
    for batch in con.sql(sql).to_arrow_reader(BATCH_ROWS):
        yield from zip(*(column.to_pylist() for column in batch.columns))


def cut_sources(con: duckdb.DuckDBPyConnection, output: str) -> None:
    """Puts before each table of the store a temporary view of the same name that cuts its
    text for OUTPUT, so that the joined views read cut values. A view repeats a document's
    title on each of the document's rows, and DuckDB copies the value into its joins' hash
    tables once per row, before any cut in the final SELECT: 40 MB titles on 20 rows took
    1.1 GB. Temporary objects come first in DuckDB's search path and live only as long as CON."""
    ((database,),) = con.execute("SELECT current_database()").fetchall()
    tables = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'main' "
        "AND table_type = 'BASE TABLE'", [database]
    ).fetchall()
    for (name,) in tables:
        relation = con.table(f'"{database}".main."{name}"')
        columns = [
            f"{cut_sql(_quoted(c), column_limit(output, c, name))} AS {_quoted(c)}" if str(t) == "VARCHAR" else _quoted(c)
            for c, t in zip(relation.columns, relation.types)
        ]
        con.execute(f'CREATE TEMP VIEW "{name}" AS SELECT {", ".join(columns)} FROM "{database}".main."{name}"')


# --------------------------------------------------------------------------- cells


def excel_date(value: Any) -> Any:
    """A full ISO date as a date; anything else (a partial date, a range, a word) as it was."""
    if isinstance(value, str) and _FULL_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def excel_text(value: Any) -> Any:
    """A string Excel accepts: no control characters, at most its cell limit with a note."""
    if not isinstance(value, str):
        return value
    return cut(ILLEGAL_CHARACTERS_RE.sub("", value), limits()["cells"]["xlsx"])


def csv_text(value: Any) -> Any:
    """A timestamp to the second, as Excel reads it in a CSV file; anything else as it is."""
    return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, dt.datetime) else value


def _converters(columns: list[str], fmt: ExportFormat) -> list[Convert]:
    """For each column, value in the store -> cell: coded values captioned, dates as dates in Excel."""
    dates = set(captions()["date_columns"])

    def converter(column: str) -> Convert:
        codes = vocabulary(column)
        if fmt is ExportFormat.csv:
            return lambda value: csv_text(shown_value(value, codes))
        if column in dates:
            return lambda value: excel_text(excel_date(value))
        return lambda value: excel_text(shown_value(value, codes))

    return [converter(column) for column in columns]


def _converted(rows: Iterable[tuple], converters: list[Convert]) -> Iterator[list[Any]]:
    for row in rows:
        yield [convert(value) for convert, value in zip(converters, row)]


# --------------------------------------------------------------------------- writers


def _width(values: Iterable[Any]) -> float:
    """A column's width in characters: its longest sample value, within the bounds of captions.yaml."""
    bounds = captions()["widths"]
    longest = max((len(_display(v)) for v in values), default=0)
    return float(min(bounds["max"], max(bounds["min"], longest + 2)))


def _display(value: Any) -> str:
    """A cell as Excel shows it, for its width."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return "" if value is None else str(value)


def _cell(sheet: Any, value: Any) -> Any:
    """Dates and timestamps as cells with an explicit ISO number format; other values as they are."""
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
        return cell
    return value


def _write_sheet(sheet: Any, header: list[str], rows: Iterable[list[Any]]) -> int:
    """Header bold and frozen, columns as wide as their first rows, a filter over all; returns the rows."""
    rows = iter(rows)
    sample = list(itertools.islice(rows, captions()["widths"]["sample_rows"]))
    for index, name in enumerate(header):
        sheet.column_dimensions[get_column_letter(index + 1)].width = _width([name, *(row[index] for row in sample)])
    sheet.freeze_panes = "A2"
    bold = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _HEADER_FONT
        bold.append(cell)
    sheet.append(bold)
    count = 0
    for row in itertools.chain(sample, rows):
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{count + 1}"
    return count


def _thousands(number: int) -> str:
    """1000 -> "1.000", as Vietnamese writes it."""
    return f"{number:,}".replace(",", ".")


def _write_xlsx(con: duckdb.DuckDBPyConnection, names: list[str], out: Path) -> dict[str, int]:
    model = captions()
    for name in names:
        ((rows,),) = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()
        if rows > MAX_SHEET_ROWS:
            raise ExportError(f"{name} has {rows:,} rows, more than an Excel sheet holds; use --format csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    bounds = {"short": _thousands(limits()["short_columns"]["chars"]), "cell": _thousands(limits()["cells"]["xlsx"])}
    notes = ([note.format(**bounds)] for note in model["notes"])
    _write_sheet(workbook.create_sheet(model["notes_sheet"]), [model["notes_sheet"]], notes)
    counts = {}
    for name in names:
        columns, sql = _select(con, name, ExportFormat.xlsx)
        header = [caption(name, c) or c for c in columns]
        rows = _converted(stream_rows(con, sql), _converters(columns, ExportFormat.xlsx))
        counts[name] = _write_sheet(workbook.create_sheet(model["sheets"][name]["name"]), header, rows)
    workbook.save(out)
    return counts


def _write_csv(con: duckdb.DuckDBPyConnection, names: list[str], out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in names:
        columns, sql = _select(con, name, ExportFormat.csv)
        with open(out / f"{name}.csv", "w", encoding=CSV_ENCODING, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([caption(name, c) or c for c in columns])
            counts[name] = 0
            for row in _converted(stream_rows(con, sql), _converters(columns, ExportFormat.csv)):
                writer.writerow(row)
                counts[name] += 1
    return counts


WRITERS = {ExportFormat.xlsx: _write_xlsx, ExportFormat.csv: _write_csv}


def export(store: str | os.PathLike[str], fmt: ExportFormat, out: str | os.PathLike[str]) -> dict[str, int]:
    """Writes the store's tables and main views to OUT (a workbook or a folder); returns rows per table."""
    with connect(store) as con:
        cut_sources(con, fmt.value)
        return WRITERS[fmt](con, _present(con), Path(out))
