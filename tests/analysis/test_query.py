"""``vnplan query`` and the joined views, on a real run store and a real extract output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.analysis import connect, load
from pipeline.analysis.query import OutputFormat, QueryError, as_table, run_query, write_query
from pipeline.cli import app
from pipeline.emit.tables import VIEWS

runner = CliRunner()
# Each joined view has one row per row of the table it details: a join that doubled rows would show here.
DETAILED = {
    "document_summary": "documents",
    "duty_details": "duties",
    "citations": "references",
    "deadline_calendar": "deadlines",
    "reporting_schedule": "recurring_reports",
    "agency_details": "agencies",
}


def scalar(store: Path, sql: str):
    return run_query(store, sql).rows[0][0]


@pytest.mark.parametrize("view,table", DETAILED.items())
def test_each_joined_view_has_one_row_per_row_of_its_table_in_both_kinds_of_output(store, extract_out, view, table):
    for folder in (store, extract_out):
        assert scalar(folder, f'SELECT count(*) FROM {view}') == scalar(folder, f'SELECT count(*) FROM "{table}"') > 0


def test_every_view_can_be_queried_in_an_extract_output(extract_out):
    for view in VIEWS:
        run_query(extract_out, f"SELECT * FROM {view}")


def test_duty_details_gives_the_2025_successor_of_a_merged_department_and_keeps_a_kept_one(store):
    rows = run_query(store, "SELECT DISTINCT agency, successor_2025, agency_2025, agency_level FROM duty_details "
                            "WHERE agency IN ('Sở Thông tin và Truyền thông', 'Sở Tư pháp')").rows
    assert ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ", "province") in rows
    assert ("Sở Tư pháp", None, "Sở Tư pháp", "province") in rows


def test_duty_details_names_the_outline_item_a_duty_stands_under(store):
    titles = {r[0] for r in run_query(store, "SELECT section_title FROM duty_details WHERE agency = 'Sở Tư pháp'").rows}
    assert "Sở Tư pháp" in titles


def test_citations_tell_central_directives_from_local_plans(store):
    levels = dict(run_query(store, "SELECT DISTINCT number, issuer_level FROM citations "
                                   "WHERE number IN ('48-CT/TW', '675/KH-BCĐ')").rows)
    assert levels == {"48-CT/TW": "central", "675/KH-BCĐ": "province"}
    assert scalar(store, "SELECT DISTINCT cited_year FROM citations WHERE number = '675/KH-BCĐ'") == 2025


def test_the_deadline_calendar_has_real_dates_and_their_month(store):
    result = run_query(store, "SELECT due, due_date, due_month FROM deadline_calendar ORDER BY due LIMIT 1")
    due, due_date, month = result.rows[0]
    assert result.types[1] == "DATE"
    assert due_date.isoformat() == due and month == int(due[5:7])


def test_the_reporting_schedule_sends_reports_to_the_successor_of_a_merged_department(store):
    rows = run_query(store, "SELECT DISTINCT \"to\", to_2025 FROM reporting_schedule").rows
    assert ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ") in rows
    assert ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch") in rows


def test_distinct_documents_count_legacy_copies_once(store):
    assert scalar(store, "SELECT count(*) FROM documents") == 9
    assert scalar(store, "SELECT max(copies) FROM distinct_documents") == 3


def test_the_command_prints_the_result_as_a_table(store):
    result = runner.invoke(app, ["query", "SELECT DISTINCT province FROM documents ORDER BY 1", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "Hải Dương" in result.stdout and "Cao Bằng" in result.stdout and "VARCHAR" in result.stdout


def test_the_printed_table_stops_at_max_rows_and_says_how_many_there_are(store):
    table = as_table(run_query(store, "SELECT doc_id FROM documents"), max_rows=2)
    assert table.row_count == 2
    assert table.caption == "9 rows, first 2 shown (use --format and --out for all)"


@pytest.mark.parametrize("fmt,read", [
    (OutputFormat.csv, pd.read_csv),
    (OutputFormat.parquet, pd.read_parquet),
    (OutputFormat.json, lambda path: pd.DataFrame(json.loads(Path(path).read_text(encoding="utf-8")))),
])
def test_each_format_writes_every_row_of_the_result(store, tmp_path, fmt, read):
    out = tmp_path / f"duties.{fmt.value}"
    result = runner.invoke(app, ["query", "SELECT * FROM duty_details", "--store", str(store), "--format", fmt.value, "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = read(out)
    assert len(frame) == scalar(store, "SELECT count(*) FROM duties")
    assert "Sở Khoa học và Công nghệ" in set(frame["agency_2025"])


def test_json_keeps_dates_as_iso_dates_and_an_empty_result_is_an_empty_array(store, tmp_path):
    write_query(store, "SELECT due_date FROM deadline_calendar ORDER BY due LIMIT 1", OutputFormat.json, tmp_path / "d.json")
    first_due = scalar(store, "SELECT min(due) FROM deadlines")
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8")) == [{"due_date": first_due}]
    assert write_query(store, "SELECT * FROM duties WHERE false", OutputFormat.json, tmp_path / "e.json") == 0
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8")) == []


def test_a_sql_error_exits_with_2_and_duckdbs_message(store):
    result = runner.invoke(app, ["query", "SELECT * FROM no_such_table", "--store", str(store)])
    assert result.exit_code == 2
    assert "SQL error" in result.output and "no_such_table" in result.output


def test_an_error_found_while_writing_leaves_no_file(store, tmp_path):
    with pytest.raises(QueryError, match="Could not convert"):
        write_query(store, "SELECT CAST(doc_id AS INTEGER) FROM documents", OutputFormat.csv, tmp_path / "bad.csv")
    assert not (tmp_path / "bad.csv").exists()


def test_a_missing_store_exits_with_2(tmp_path):
    result = runner.invoke(app, ["query", "SELECT 1", "--store", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no vnplan store" in result.output


def test_format_and_out_go_together(store, tmp_path):
    assert runner.invoke(app, ["query", "SELECT 1", "--store", str(store), "--format", "csv"]).exit_code == 2
    assert runner.invoke(app, ["query", "SELECT 1", "--store", str(store), "--out", str(tmp_path / "x.csv")]).exit_code == 2


def test_a_query_cannot_change_the_store(store):
    result = runner.invoke(app, ["query", "DROP TABLE duties", "--store", str(store)])
    assert result.exit_code == 2
    assert "read-only" in result.output
    with connect(store) as con:
        assert con.execute("SELECT count(*) FROM duties").fetchone()[0] > 0


def test_load_and_the_parquet_export_give_the_same_table(store):
    loaded = load(store, "duties")
    exported = pd.read_parquet(store / "tables" / "duties.parquet")
    assert list(loaded.columns) == list(exported.columns)
    key = ["doc_id", "ordinal"]
    assert loaded.sort_values(key)[key].values.tolist() == exported.sort_values(key)[key].values.tolist()
