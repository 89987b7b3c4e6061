"""``vnplan export``: the workbook and CSV folder opened with openpyxl and pandas, checked against the store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.analysis import connect, load
from pipeline.analysis.export import CSV_ENCODING, MAX_CELL_CHARS, caption, captions, excel_dates, excel_text
from pipeline.cli import app
from pipeline.emit import emit_all
from pipeline.emit.store import TABLES
from pipeline.process import process_file
from tests.conftest import CORPUS

runner = CliRunner()
SHEETS = captions()["sheets"]
BOM = b"\xef\xbb\xbf"


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
    assert set(TABLES) <= set(SHEETS)
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


def test_an_extract_output_exports_without_a_files_sheet(tmp_path):
    out = tmp_path / "out"
    emit_all([process_file(CORPUS / "txt" / "004_78fe855a69093798.txt")], out)
    result = runner.invoke(app, ["export", "--store", str(out), "--out", str(tmp_path / "one.xlsx")])
    assert result.exit_code == 0, result.output
    names = openpyxl.load_workbook(tmp_path / "one.xlsx", read_only=True).sheetnames
    assert SHEETS["files"]["name"] not in names and SHEETS["duties"]["name"] in names


def test_a_missing_store_exits_with_2(tmp_path):
    result = runner.invoke(app, ["export", "--store", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "no vnplan store" in result.output


def test_a_cell_longer_than_excel_allows_is_cut_with_a_note_and_still_opens(tmp_path):
    long = "Tăng cường tuyên truyền phòng, chống mua bán người. " * 1000
    cut = excel_text(long + "\x0c")
    assert len(cut) == MAX_CELL_CHARS and cut.endswith(captions()["truncated"])
    path = tmp_path / "long.xlsx"
    pd.DataFrame({"text": [cut]}).to_excel(path, index=False)
    assert openpyxl.load_workbook(path).active["A2"].value == cut


def test_control_characters_excel_refuses_are_removed():
    assert excel_text("Trang 1\x0cTrang 2") == "Trang 1Trang 2"


def test_only_full_dates_become_dates():
    values = pd.Series(["2024-08-07", "2023-03", "2025", "2023-Q3", "2024-07-01/2024-09-30", None])
    assert excel_dates(values).tolist()[:5] == [dt.date(2024, 8, 7), "2023-03", "2025", "2023-Q3", "2024-07-01/2024-09-30"]
