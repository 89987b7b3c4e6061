"""The command line end to end on the real sample corpus: files in, records and tables out."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import CORPUS, GOLD

runner = CliRunner()


def test_extract_writes_one_record_per_file_and_the_same_data_as_tables(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(CORPUS / "txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5 and all(r["status"] == "ok" for r in records)
    first = records[0]
    for key in ("doc_id", "source", "sha256", "text", "ingest", "document", "references", "dates", "periods",
                "deadlines", "recurring_reports", "duties", "agencies", "sections", "warnings"):
        assert key in first
    for ref in first["references"]:
        start, end = ref["span"]
        assert first["text"][start:end]
    refs = pd.read_parquet(out / "tables" / "references.parquet")
    assert len(refs) == sum(len(r["references"]) for r in records)
    con = duckdb.connect(str(out / "vnplan.duckdb"), read_only=True)
    count = con.execute('select count(*) from "references" join documents using (doc_id)').fetchone()[0]
    assert count == len(refs)


def test_a_bad_file_among_good_ones_becomes_an_error_record_and_exit_code_1(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next((CORPUS / "txt").glob("002_*.txt")), folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    result = runner.invoke(app, ["extract", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    records = {r["source"].rsplit("/", 1)[-1]: r for r in map(json.loads, (tmp_path / "out" / "records.jsonl").read_text().splitlines())}
    assert records["002_a3d1a6fb4c0bc353.txt"]["status"] == "ok"
    assert records["empty.txt"]["status"] == "error" and "empty" in records["empty.txt"]["error"]
    assert records["broken.pdf"]["status"] == "error" and records["broken.pdf"]["error"]


def test_the_development_set_meets_the_foundation_quality_bar(tmp_path):
    """Header fields >= 0.95 accuracy each; references F1 >= 0.95 with dates right >= 0.95."""
    if not GOLD.is_dir():
        pytest.skip("the development gold set (../shared/corpus/gold) is not beside this checkout")
    out = tmp_path / "out"
    runner.invoke(app, ["extract", str(CORPUS / "txt"), "--out", str(out)])
    result = runner.invoke(app, ["eval", str(GOLD), str(out / "records.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    header = {k: v["accuracy"] for k, v in scores["accuracy"].items() if k.startswith("document.")}
    assert len(header) == 13 and all(value >= 0.95 for value in header.values()), header
    assert scores["lists"]["references"]["f1"] >= 0.95
    assert scores["accuracy"]["references.date"]["accuracy"] >= 0.95


def test_version_and_short_help():
    from pipeline import __version__

    assert runner.invoke(app, ["--version"]).stdout.strip() == f"vnplan {__version__}"
    short = runner.invoke(app, ["run", "-h"])
    assert short.exit_code == 0 and "--store" in short.stdout


@pytest.mark.parametrize("command", ["extract", "run"])
def test_a_missing_path_is_a_usage_error_in_both_commands(tmp_path, command):
    option = "--out" if command == "extract" else "--store"
    result = runner.invoke(app, [command, str(tmp_path / "nowhere"), option, str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no such file or folder" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()


def test_extract_reads_a_document_from_standard_input(tmp_path):
    data = next((CORPUS / "pdf").glob("003_*.pdf")).read_bytes()
    result = runner.invoke(app, ["extract", "-", "--out", str(tmp_path / "out")], input=data)
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["status"] == "ok" and record["ingest"]["format"] == "pdf" and record["document"]["doc_type"]


def test_records_jsonl_gets_the_same_permissions_as_the_other_outputs(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(CORPUS / "txt"), "--out", str(out)]).exit_code == 0
    mode = (out / "records.jsonl").stat().st_mode & 0o777
    assert mode == (out / "tables" / "documents.parquet").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_extract_without_a_terminal_prints_progress_lines_and_counts_in_words(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next((CORPUS / "txt").glob("000_*.txt")), folder)
    result = runner.invoke(app, ["extract", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "vnplan: processing 1 file\n" in result.output
    assert "1 processed, 0 failed" in result.stdout and "1 page " in result.stdout


def test_extract_gives_each_file_the_same_time_limit_as_a_run(tmp_path):
    """A file that takes too long becomes an error record; the others are read."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next((CORPUS / "txt").glob("001_*.txt")), folder)
    words = next((CORPUS / "txt").glob("000_*.txt")).read_text(encoding="utf-8").split()
    (folder / "endless.txt").write_text(" ".join(words * (8_000_000 // len(" ".join(words)))), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(folder), "--out", str(tmp_path / "out"), "--timeout", "2", "--workers", "1"])
    assert result.exit_code == 1
    records = {Path(r["source"]).name: r for r in map(json.loads, (tmp_path / "out" / "records.jsonl").read_text().splitlines())}
    assert records["endless.txt"]["status"] == "error" and "timed out after 2 s" in records["endless.txt"]["error"]
    assert next(r for name, r in records.items() if name.startswith("001_"))["status"] == "ok"


def test_an_output_that_cannot_be_written_is_a_message_and_exit_code_2(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(CORPUS / "txt"), "--out", str(out)]).exit_code == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["report", "--store", str(out), "--html", str(blocker / "site")])
    assert result.exit_code == 2
    assert "cannot use" in result.output and "Traceback" not in result.output


def test_the_command_starts_without_loading_the_readers_or_pandas():
    """Every `vnplan` start, a no-op nightly rerun included, pays for what the command line
    imports; the readers load in the workers' fork server and pandas in the commands that use it."""
    code = "import sys, pipeline.cli; print(sorted(m for m in ('pandas', 'openpyxl', 'pipeline.ingest', 'pipeline.process', 'docx', 'pypdfium2') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
