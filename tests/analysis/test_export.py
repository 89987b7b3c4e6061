"""``vnplan export``: the workbook and CSV folder opened with openpyxl and pandas, checked against the store."""

from __future__ import annotations

import csv
import datetime as dt
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.analysis import connect, load
from pipeline.analysis.export import (
    CSV_ENCODING,
    ExportFormat,
    caption,
    captions,
    column_limit,
    cut,
    excel_date,
    excel_text,
    export,
    limits,
    vocabulary,
)
from pipeline.cli import app
from pipeline.emit.store import tables, write_store
from pipeline.process import process_file
from tests.conftest import CORPUS
from tests.review.huge_store import TITLE_CHARS, huge_record_store

runner = CliRunner()
SHEETS = captions()["sheets"]
BOM = b"\xef\xbb\xbf"
EXCEL_CELL = 32_767


@pytest.fixture(scope="module")
def workbook(store, tmp_path_factory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("export") / "vnplan.xlsx"
    result = runner.invoke(app, ["export", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def csv_dir(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "csv"
    result = runner.invoke(app, ["export", "--store", str(store), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def columns(store: Path, name: str) -> list[str]:
    with connect(store) as con:
        return con.table(f'"{name}"').columns


def count(store: Path, name: str) -> int:
    with connect(store) as con:
        return con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def rows_of(sheet, name: str, column: str, value: str) -> list[dict]:
    """The sheet's rows, as caption → cell, where COLUMN (by table name) equals VALUE."""
    names = headers(sheet)
    rows = [dict(zip(names, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    return [row for row in rows if row[caption(name, column)] == value]


def test_every_table_of_the_contract_has_a_sheet_name_excel_accepts():
    assert set(tables()) <= set(SHEETS)
    names = [spec["name"] for spec in SHEETS.values()] + [captions()["notes_sheet"]]
    assert len(set(names)) == len(names)
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)


def test_the_workbook_has_the_notes_then_a_sheet_per_table_and_main_view(store, workbook):
    assert workbook.sheetnames == [captions()["notes_sheet"], *(spec["name"] for spec in SHEETS.values())]


def test_every_exported_column_has_its_own_vietnamese_caption(store, workbook):
    for name, spec in SHEETS.items():
        expected = [caption(name, c) for c in columns(store, name) if c not in (spec.get("omit") or [])]
        assert None not in expected, name
        assert len(set(expected)) == len(expected), name
        assert headers(workbook[spec["name"]]) == expected


def test_every_sheet_has_as_many_rows_as_its_table_in_the_store(store, workbook):
    for name, spec in SHEETS.items():
        assert workbook[spec["name"]].max_row - 1 == count(store, name) > 0, name


def test_a_full_iso_date_is_a_date_cell(workbook):
    sheet = workbook[SHEETS["references"]["name"]]
    cited = rows_of(sheet, "references", "number", "675/KH-BCĐ")[0]
    assert cited[caption("references", "date")] == dt.datetime(2025, 2, 19)
    date_column = headers(sheet).index(caption("references", "date")) + 1
    assert sheet.cell(row=2, column=date_column).number_format == "YYYY-MM-DD"


def test_a_partial_date_stays_text_in_the_same_column(workbook):
    sheet = workbook[SHEETS["documents"]["name"]]
    issued = {row[caption("documents", "issue_date")] for row in rows_of(sheet, "documents", "symbol", "KH-SVHTTDL")}
    assert issued == {"2023-03"}


def test_the_workbook_leaves_out_the_full_text_and_the_csv_keeps_it(store, workbook, csv_dir):
    assert caption("documents", "text") not in headers(workbook[SHEETS["documents"]["name"]])
    documents = pd.read_csv(csv_dir / "documents.csv", encoding=CSV_ENCODING)
    texts = load(store, "documents").sort_values("doc_id").text.tolist()
    assert documents[caption("documents", "text")].tolist() == texts


def test_lists_are_joined_into_one_cell(workbook):
    sheet = workbook[SHEETS["documents"]["name"]]
    recipients = rows_of(sheet, "documents", "symbol", "KH-SVHTTDL")[0][caption("documents", "recipients")]
    assert recipients.startswith("Ban Chỉ đạo 138 (Công an tỉnh); Giám đốc Sở")


def test_csv_files_are_utf8_with_a_bom_with_captions_and_the_stores_row_counts(store, csv_dir):
    for name in SHEETS:
        path = csv_dir / f"{name}.csv"
        assert path.read_bytes().startswith(BOM), name
        frame = pd.read_csv(path, encoding=CSV_ENCODING)
        assert len(frame) == count(store, name), name
        assert list(frame.columns) == [caption(name, c) for c in columns(store, name)]


def test_a_store_written_from_records_exports_every_sheet(tmp_path):
    out = tmp_path / "out"
    write_store([process_file(CORPUS / "txt" / "004_78fe855a69093798.txt")], out)
    result = runner.invoke(app, ["export", "--store", str(out), "--out", str(tmp_path / "one.xlsx")])
    assert result.exit_code == 0, result.output
    names = openpyxl.load_workbook(tmp_path / "one.xlsx", read_only=True).sheetnames
    assert {SHEETS[name]["name"] for name in ("files", "copies", "duties")} <= set(names)


def test_a_missing_store_exits_with_2(tmp_path):
    result = runner.invoke(app, ["export", "--store", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "no vnplan store" in result.output


def test_a_cell_longer_than_excel_allows_is_cut_with_a_note_and_still_opens(tmp_path):
    long = "Tăng cường tuyên truyền phòng, chống mua bán người. " * 1000
    shortened = excel_text(long + "\x0c")
    assert len(shortened) <= EXCEL_CELL and long.startswith(shortened[:30_000])
    assert "đã cắt bớt" in shortened[-200:] and "vnplan.duckdb" in shortened[-200:]
    path = tmp_path / "long.xlsx"
    pd.DataFrame({"text": [shortened]}).to_excel(path, index=False)
    assert openpyxl.load_workbook(path).active["A2"].value == shortened


def test_a_value_within_its_limit_is_left_whole():
    assert cut("Sở Tư pháp", 1000) == "Sở Tư pháp"
    assert cut("x" * 1000, 1000) == "x" * 1000 and len(cut("x" * 1001, 1000)) <= 1000


def test_control_characters_excel_refuses_are_removed():
    assert excel_text("Trang 1\x0cTrang 2") == "Trang 1Trang 2"


def test_only_full_dates_become_dates():
    values = ["2024-08-07", "2023-03", "2025", "2023-Q3", "2024-07-01/2024-09-30", "2024-02-30", None]
    assert [excel_date(v) for v in values] == [dt.date(2024, 8, 7), *values[1:]]


# --------------------------------------------------------------------------- coded values, times, widths


def _string_columns(store: Path, name: str) -> list[str]:
    with connect(store) as con:
        relation = con.table(f'"{name}"')
        return [c for c, t in zip(relation.columns, relation.types) if str(t) == "VARCHAR"]


def test_every_coded_value_in_the_stores_exported_columns_has_a_vietnamese_caption(store):
    """A new code (a role, a frequency, a status...) fails here until captions.yaml gives it Vietnamese."""
    checked = 0
    with connect(store) as con:
        for name in SHEETS:
            for column in _string_columns(store, name):
                codes = vocabulary(column)
                if codes is None:
                    continue
                found = {v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{name}" WHERE "{column}" IS NOT NULL').fetchall()}
                assert found <= set(codes), f"{name}.{column}: no caption for {sorted(found - set(codes))}"
                checked += len(found)
    assert checked >= 20


def test_coded_columns_the_brief_names_all_have_vocabularies():
    for column in ("relation", "role", "frequency", "level", "agency_level", "issuer_level", "status", "method"):
        assert vocabulary(column), column
    assert vocabulary("role")["lead"] == "chủ trì" and vocabulary("frequency")["quarterly"] == "hằng quý"


def test_coded_values_show_the_vietnamese_and_keep_the_code_in_workbook_and_csv_alike(workbook, csv_dir):
    sheet = workbook[SHEETS["duties"]["name"]]
    roles = {row[caption("duties", "role")] for row in rows_of(sheet, "duties", "section", "II.1")}
    assert "chủ trì (lead)" in roles
    relations = {row[caption("references", "relation")] for row in rows_of(workbook[SHEETS["references"]["name"]], "references", "number", "675/KH-BCĐ")}
    assert relations == {"căn cứ (basis)"}
    frame = pd.read_csv(csv_dir / "duties.csv", encoding=CSV_ENCODING)
    assert set(frame[caption("duties", "role")]) <= {"chủ trì (lead)", "phối hợp (coordinate)", "được đề nghị (requested)"}
    schedule = pd.read_csv(csv_dir / "recurring_reports.csv", encoding=CSV_ENCODING)
    assert "hằng quý (quarterly)" in set(schedule[caption("recurring_reports", "frequency")])


def test_the_file_modification_time_is_a_utc_date_time(store, workbook, csv_dir):
    path, mtime = load(store, "files").sort_values("path")[["path", "mtime"]].iloc[0]
    expected = dt.datetime.fromtimestamp(mtime, dt.UTC).replace(tzinfo=None)
    sheet = workbook[SHEETS["files"]["name"]]
    row = rows_of(sheet, "files", "path", path)[0]
    assert abs(row[caption("files", "mtime")] - expected) < dt.timedelta(seconds=1)
    column = headers(sheet).index(caption("files", "mtime")) + 1
    assert sheet.cell(row=2, column=column).number_format == "YYYY-MM-DD HH:MM:SS"
    frame = pd.read_csv(csv_dir / "files.csv", encoding=CSV_ENCODING)
    written = frame.loc[frame[caption("files", "path")] == path, caption("files", "mtime")].iloc[0]
    assert written == expected.isoformat(sep=" ", timespec="seconds")


def test_columns_are_as_wide_as_their_content_within_bounds_and_the_header_is_bold_and_frozen(workbook):
    bounds = captions()["widths"]
    sheet = workbook[SHEETS["duties"]["name"]]
    width = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert width[caption("duties", "text")] == bounds["max"]  # a duty is a paragraph
    assert width[caption("duties", "section")] < 20  # "III.1"
    assert all(bounds["min"] <= w <= bounds["max"] for w in width.values())
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions


# --------------------------------------------------------------------------- a record as an attack left it


@pytest.fixture(scope="module")
def huge(tmp_path_factory) -> Path:
    return huge_record_store(tmp_path_factory.mktemp("huge"))


def test_a_multi_megabyte_title_gives_a_small_workbook_whose_cells_excel_can_hold(huge, tmp_path):
    started = time.monotonic()
    counts = export(huge, ExportFormat.xlsx, tmp_path / "huge.xlsx")
    assert time.monotonic() - started < 30
    assert (tmp_path / "huge.xlsx").stat().st_size < 2_000_000
    book = openpyxl.load_workbook(tmp_path / "huge.xlsx", read_only=True)
    longest = max(len(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str))
    assert longest <= EXCEL_CELL
    assert counts["duty_details"] == sum(1 for _ in book[SHEETS["duty_details"]["name"]].iter_rows(min_row=2)) > 20
    sheet = book[SHEETS["documents"]["name"]]
    names = next(sheet.iter_rows(max_row=1, values_only=True))
    cut_title = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if len(row[names.index(caption("documents", "title"))] or "") > 900)
    title = cut_title[names.index(caption("documents", "title"))]
    assert len(title) <= column_limit("xlsx", "title") and title.startswith("Thực hiện công tác") and "đã cắt bớt" in title


def test_a_multi_megabyte_title_gives_csv_cells_within_their_limit_and_keeps_the_full_text(huge, tmp_path):
    export(huge, ExportFormat.csv, tmp_path / "csv")
    csv.field_size_limit(sys.maxsize)
    total = 0
    for path in (tmp_path / "csv").glob("*.csv"):
        with open(path, encoding=CSV_ENCODING, newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows)
            for row in rows:
                for column, value in zip(header, row):
                    if (path.stem, column) != ("documents", caption("documents", "text")):
                        assert len(value) <= limits()["cells"]["csv"], (path.stem, column, len(value))
                total += 1
    assert total > 500
    repeated = pd.read_csv(tmp_path / "csv" / "duty_details.csv", encoding=CSV_ENCODING)[caption("duty_details", "document_title")]
    assert TITLE_CHARS > repeated.str.len().max() > 900 and repeated.str.len().max() <= limits()["short_columns"]["chars"]
    texts = pd.read_csv(tmp_path / "csv" / "documents.csv", encoding=CSV_ENCODING)[caption("documents", "text")]
    assert sorted(texts.str.len()) == sorted(load(huge, "documents").text.str.len())
    assert sum(p.stat().st_size for p in (tmp_path / "csv").glob("*.csv")) < 3_000_000
