"""The command line end to end on the real sample corpus: files in, records and tables out."""

import json
import shutil

import duckdb
import pandas as pd
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
        return
    out = tmp_path / "out"
    runner.invoke(app, ["extract", str(CORPUS / "txt"), "--out", str(out)])
    result = runner.invoke(app, ["eval", str(GOLD), str(out / "records.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    header = {k: v["accuracy"] for k, v in scores["accuracy"].items() if k.startswith("document.")}
    assert len(header) == 13 and all(value >= 0.95 for value in header.values()), header
    assert scores["lists"]["references"]["f1"] >= 0.95
    assert scores["accuracy"]["references.date"]["accuracy"] >= 0.95
