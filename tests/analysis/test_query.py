"""``vnplan query`` and the joined views, on a real run store and a real extract output."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.analysis import connect, load
from pipeline.analysis.query import (
    BATCH_ROWS,
    OutputFormat,
    QueryError,
    as_table,
    run_query,
    write_query,
)
from pipeline.cli import app
from pipeline.emit.store import STORE_VIEWS

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
READERS = {
    OutputFormat.csv: pd.read_csv,
    OutputFormat.tsv: lambda path: pd.read_csv(path, sep="\t"),
    OutputFormat.parquet: pd.read_parquet,
    OutputFormat.json: lambda path: pd.DataFrame(json.loads(Path(path).read_text(encoding="utf-8"))),
}


def scalar(store: Path, sql: str):
    return run_query(store, sql).rows[0][0]


def query(store: Path, sql: str, *options: str):
    return runner.invoke(app, ["query", sql, "--store", str(store), *options])


def said(result) -> str:
    """The command's output with typer's error box and line wrapping taken out."""
    return " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize("view,table", DETAILED.items())
def test_each_joined_view_has_one_row_per_row_of_its_table_in_both_kinds_of_output(store, extract_out, view, table):
    for folder in (store, extract_out):
        assert scalar(folder, f'SELECT count(*) FROM {view}') == scalar(folder, f'SELECT count(*) FROM "{table}"') > 0


def test_every_view_can_be_queried_in_an_extract_output(extract_out):
    for view in STORE_VIEWS:
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


def test_load_and_the_parquet_export_give_the_same_table(store):
    loaded = load(store, "duties")
    exported = pd.read_parquet(store / "tables" / "duties.parquet")
    assert list(loaded.columns) == list(exported.columns)
    key = ["doc_id", "ordinal"]
    assert loaded.sort_values(key)[key].values.tolist() == exported.sort_values(key)[key].values.tolist()


# --------------------------------------------------------------------------- where the result goes


def test_a_pipe_or_a_file_gets_every_row_as_csv_and_nothing_else(store):
    result = query(store, "SELECT doc_id, province FROM documents ORDER BY doc_id", "--max-rows", "2")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["doc_id", "province"]
    assert len(rows) == 1 + scalar(store, "SELECT count(*) FROM documents")
    assert "Hải Dương" in {province for _, province in rows[1:]}


def test_a_terminal_gets_a_table_of_the_first_rows(store, monkeypatch):
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    result = query(store, "SELECT DISTINCT province FROM documents ORDER BY 1", "--max-rows", "1")
    assert result.exit_code == 0, result.output
    assert "VARCHAR" in result.stdout and "first 1 shown" in said(result)


def test_the_table_caption_counts_every_row_and_says_how_many_are_shown(store):
    result = run_query(store, "SELECT doc_id FROM documents", max_rows=2)
    table = as_table(result)
    assert (table.row_count, result.count) == (2, 9)
    assert table.caption == "9 rows, first 2 shown (use --format or --out for all)"
    assert as_table(run_query(store, "SELECT 1")).caption == "1 row"


@pytest.mark.parametrize("fmt", [OutputFormat.csv, OutputFormat.tsv, OutputFormat.json])
def test_format_without_out_writes_that_format_to_stdout(store, fmt):
    result = query(store, "SELECT doc_id, year FROM documents", "--format", fmt.value)
    assert result.exit_code == 0, result.output
    if fmt is OutputFormat.json:
        rows = json.loads(result.stdout)
        assert len(rows) == 9 and set(rows[0]) == {"doc_id", "year"}
    else:
        delimiter = "\t" if fmt is OutputFormat.tsv else ","
        assert result.stdout.splitlines()[0] == delimiter.join(["doc_id", "year"])


def test_out_dash_is_stdout_not_a_file_named_dash(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = query(store, "SELECT 1 AS one", "--out", "-", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"one": 1}]
    assert not (tmp_path / "-").exists()


def test_parquet_goes_to_a_pipe_but_not_to_a_terminal(store, monkeypatch):
    piped = query(store, "SELECT doc_id FROM documents", "--format", "parquet")
    assert piped.exit_code == 0, piped.output
    assert pq.read_table(io.BytesIO(piped.stdout_bytes)).num_rows == 9
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    refused = query(store, "SELECT doc_id FROM documents", "--format", "parquet")
    assert refused.exit_code == 2
    assert "Invalid value for '--format': parquet is binary" in said(refused)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_out_alone_takes_the_format_from_its_suffix_and_writes_every_row(store, tmp_path, fmt):
    out = tmp_path / f"duties.{fmt.value}"
    result = query(store, "SELECT * FROM duty_details", "--out", str(out))
    assert result.exit_code == 0, result.output
    frame = READERS[fmt](out)
    assert len(frame) == scalar(store, "SELECT count(*) FROM duties")
    assert "Sở Khoa học và Công nghệ" in set(frame["agency_2025"])
    assert f"{len(frame)} rows -> {out}" in said(result)


def test_an_unknown_suffix_is_refused_naming_out_and_writes_nothing(store, tmp_path):
    out = tmp_path / "result.xlsx"
    result = query(store, "SELECT 1", "--out", str(out))
    assert result.exit_code == 2
    assert "Invalid value for '--out': cannot tell the format of" in said(result)
    assert not out.exists()


def test_format_wins_over_the_suffix(store, tmp_path):
    out = tmp_path / "result.txt"
    result = query(store, "SELECT 1 AS one", "--out", str(out), "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "one\n1\n"
    assert "1 row -> " in said(result)


# --------------------------------------------------------------------------- how values are written


def test_csv_writes_lists_as_json_nulls_as_empty_cells_and_quotes_only_what_needs_it(store):
    result = query(store, "SELECT ['a', 'b, c'] AS list, NULL AS nothing, 'plain' AS word, DATE '2024-08-07' AS day, true AS yes")
    assert result.stdout == 'list,nothing,word,day,yes\n"[""a"",""b, c""]",,plain,2024-08-07,true\n'


def test_tsv_quotes_a_value_that_holds_a_tab_or_a_line_break(store, tmp_path):
    out = tmp_path / "t.tsv"
    query(store, "SELECT 'a\tb' AS tab, 'line\nbreak' AS nl, 'x' AS x", "--out", str(out))
    assert pd.read_csv(out, sep="\t").iloc[0].tolist() == ["a\tb", "line\nbreak", "x"]


def test_json_keeps_dates_as_iso_dates_and_an_empty_result_is_an_empty_array(store, tmp_path):
    write_query(store, "SELECT due_date FROM deadline_calendar ORDER BY due LIMIT 1", OutputFormat.json, tmp_path / "d.json")
    first_due = scalar(store, "SELECT min(due) FROM deadlines")
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8")) == [{"due_date": first_due}]
    assert write_query(store, "SELECT * FROM duties WHERE false", OutputFormat.json, tmp_path / "e.json") == 0
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_result_of_many_batches_is_written_whole_and_in_order(store, tmp_path, fmt):
    rows = 2 * BATCH_ROWS + 7
    out = tmp_path / f"many.{fmt.value}"
    assert write_query(store, f"SELECT range AS n FROM range({rows})", fmt, out) == rows
    assert READERS[fmt](out)["n"].tolist() == list(range(rows))


def test_a_written_file_gets_the_usual_permissions(store, tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    write_query(store, "SELECT 1", OutputFormat.csv, tmp_path / "one.csv")
    assert (tmp_path / "one.csv").stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_error_found_while_writing_leaves_the_file_as_it_was(store, tmp_path):
    out = tmp_path / "bad.csv"
    with pytest.raises(QueryError, match="Could not convert"):
        write_query(store, "SELECT CAST(doc_id AS INTEGER) FROM documents", OutputFormat.csv, out)
    assert not out.exists()
    out.write_text("kept\n", encoding="utf-8")
    result = query(store, "SELECT CAST(doc_id AS INTEGER) FROM documents", "--out", str(out))
    assert result.exit_code == 2 and "SQL error" in said(result)
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_a_sql_error_exits_with_2_and_duckdbs_message(store):
    result = query(store, "SELECT * FROM no_such_table")
    assert result.exit_code == 2
    assert "SQL error" in said(result) and "no_such_table" in said(result)
    assert result.stdout == ""


def test_a_missing_store_exits_with_2(tmp_path):
    result = query(tmp_path / "nowhere", "SELECT 1")
    assert result.exit_code == 2
    assert "no vnplan store" in said(result)


# --------------------------------------------------------------------------- a query reaches nothing but the store


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under FOLDER with a hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def own_store(store, tmp_path) -> Path:
    """A copy of the shared store, so that an attack that got through could not spoil other tests."""
    return Path(shutil.copytree(store, tmp_path / "store"))


@pytest.fixture
def outside(tmp_path) -> Path:
    """A file beside the store that a query must not read."""
    path = tmp_path / "secret.csv"
    path.write_text("secret\nthe-secret-value\n", encoding="utf-8")
    return path


def refused(store: Path, sql: str, *reasons: str) -> None:
    """The query exits with 2, says why and leaves the store's files as they were."""
    before = fingerprint(store)
    result = query(store, sql)
    assert result.exit_code == 2, result.output
    assert "SQL error" in said(result) and any(reason in said(result) for reason in reasons), said(result)
    assert fingerprint(store) == before


DISABLED = "Permission Error"
LOCKED = "the configuration has been locked"
READ_ONLY = "read-only mode"


def test_copy_cannot_overwrite_a_file_of_the_store(own_store):
    refused(own_store, "COPY (SELECT 1 AS doc_id) TO 'tables/documents.parquet'", DISABLED)
    refused(own_store, f"COPY (SELECT 1 AS doc_id) TO '{own_store / 'tables' / 'documents.parquet'}' (FORMAT parquet)", DISABLED)


def test_copy_cannot_write_a_file_outside_the_store(own_store, tmp_path):
    refused(own_store, f"COPY (SELECT * FROM documents) TO '{tmp_path / 'leak.csv'}'", DISABLED)
    assert not (tmp_path / "leak.csv").exists()


def test_export_database_cannot_write_a_folder(own_store, tmp_path):
    refused(own_store, f"EXPORT DATABASE '{tmp_path / 'dump'}'", DISABLED)
    assert not any((tmp_path / "dump").rglob("*.csv"))


@pytest.mark.parametrize("reader", ["read_csv", "read_text", "read_blob", "sniff_csv"])
def test_a_file_outside_the_store_cannot_be_read(own_store, outside, reader):
    refused(own_store, f"SELECT * FROM {reader}('{outside}')", DISABLED)


def test_etc_passwd_cannot_be_read(own_store):
    refused(own_store, "SELECT * FROM read_csv('/etc/passwd')", DISABLED)
    refused(own_store, "SELECT * FROM read_text('/etc/passwd')", DISABLED)


def test_a_file_named_in_from_cannot_be_read(own_store, outside):
    refused(own_store, f"SELECT * FROM '{outside}'", DISABLED, "does not exist")


def test_parquet_files_cannot_be_read_not_even_the_stores_own(own_store):
    refused(own_store, f"SELECT * FROM read_parquet('{own_store / 'tables' / 'documents.parquet'}')", DISABLED)


def test_glob_cannot_list_files(own_store, outside):
    refused(own_store, f"SELECT * FROM glob('{outside.parent}/*')", DISABLED)
    refused(own_store, "SELECT * FROM glob('/etc/*')", DISABLED)


@pytest.mark.parametrize("sql", ["INSTALL httpfs", "LOAD httpfs", "INSTALL fts", "FORCE INSTALL json"])
def test_extensions_cannot_be_installed_or_loaded(own_store, sql):
    refused(own_store, sql, DISABLED)


def test_an_extension_is_not_loaded_on_demand(own_store):
    refused(own_store, "PRAGMA create_fts_index('documents', 'doc_id', 'text')", "fts extension")


def test_another_database_cannot_be_attached(own_store, tmp_path):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE secret AS SELECT 42 AS answer")
    refused(own_store, f"ATTACH '{other}' AS other", DISABLED)
    refused(own_store, f"ATTACH '{tmp_path / 'new.duckdb'}' AS new", DISABLED)
    assert not (tmp_path / "new.duckdb").exists()


@pytest.mark.parametrize("sql", [
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "RESET lock_configuration",
    "SET autoload_known_extensions = true",
    "SET allowed_directories = ['/']",
    "SET lock_configuration = false; COPY (SELECT 1) TO 'x.csv'",
])
def test_the_settings_cannot_be_changed_back(own_store, sql, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(own_store, sql, LOCKED)
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("sql,written", [
    ("SET profiling_output = '{tmp}/profile.json'; PRAGMA enable_profiling = 'json'; SELECT 1", "profile.json"),
    ("PRAGMA enable_profiling = 'json'", None),
    ("CALL enable_logging()", None),
    ("SET log_query_path = '{tmp}/queries.log'", "queries.log"),
])
def test_pragmas_and_calls_that_would_write_are_refused(own_store, tmp_path, sql, written):
    refused(own_store, sql.format(tmp=tmp_path), LOCKED)
    assert written is None or not (tmp_path / written).exists()


@pytest.mark.parametrize("sql", [
    "CREATE TABLE extra (a INTEGER)",
    "INSERT INTO documents (doc_id) VALUES ('x')",
    "UPDATE documents SET province = NULL",
    "DELETE FROM duties",
    "DROP TABLE duties",
])
def test_the_store_cannot_be_changed(own_store, sql):
    refused(own_store, sql, READ_ONLY)
    with connect(own_store) as con:
        assert con.execute("SELECT count(*) FROM duties").fetchone()[0] > 0
