"""vnplan eval and its input: gold folders and records files, and the errors that name the file and line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import evaluate
from pipeline.evaluate.inputs import EvalInputError, read_records
from tests.evaluate.conftest import DOC, gold_doc, record, ref

runner = CliRunner()


def said(result) -> str:
    """The command's output with typer's error box and line wrapping taken out."""
    return " ".join(result.output.replace("│", " ").split())


@pytest.fixture
def gold_dir(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "000_aaaaaaaaaaaaaaaa.json").write_text(json.dumps(gold_doc(references=[ref("1/KH")]), ensure_ascii=False), encoding="utf-8")
    return folder


def records_file(tmp_path, *lines: str):
    path = tmp_path / "records.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = json.dumps(record(DOC, references=[ref("1/KH")]), ensure_ascii=False)


def test_eval_scores_a_records_file(gold_dir, tmp_path):
    result = runner.invoke(app, ["eval", str(gold_dir), str(records_file(tmp_path, GOOD)), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lists"]["references"]["f1"] == 1.0


def test_eval_reads_the_records_from_stdin_for_a_dash(gold_dir):
    result = runner.invoke(app, ["eval", str(gold_dir), "-", "--json"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["missing"] == [] and scores["lists"]["references"]["tp"] == 1


@pytest.mark.parametrize("lines,message", [
    ([GOOD, "{not json"], "records.jsonl:2: not a JSON record"),
    (["[1, 2]"], "records.jsonl:1: a record is a JSON object, not an array"),
    (["", '"text"'], "records.jsonl:2: a record is a JSON object, not a string"),
    ([json.dumps({"source": DOC})], "records.jsonl:1: the record has no doc_id"),
    ([GOOD, json.dumps({"doc_id": "x", "source": ""})], "records.jsonl:2: the record has no source"),
    ([json.dumps({"status": "ok"})], "records.jsonl:1: the record has no doc_id and no source"),
])
def test_a_malformed_records_file_exits_2_naming_the_file_and_line(gold_dir, tmp_path, lines, message):
    result = runner.invoke(app, ["eval", str(gold_dir), str(records_file(tmp_path, *lines))])
    assert result.exit_code == 2
    assert message in said(result)
    assert result.stdout == ""


def test_records_on_stdin_are_named_stdin_in_an_error(gold_dir):
    result = runner.invoke(app, ["eval", str(gold_dir), "-"], input=GOOD + "\nnull\n")
    assert result.exit_code == 2
    assert "stdin:2: a record is a JSON object, not null" in said(result)


def test_records_that_are_not_utf8_exit_2_naming_the_line(gold_dir, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_bytes(GOOD.encode() + b'\n{"source": "H\xe1i"}\n')  # "Hái" in Latin-1
    result = runner.invoke(app, ["eval", str(gold_dir), str(path)])
    assert result.exit_code == 2
    assert "records.jsonl:2: not UTF-8 text" in said(result)


def test_a_byte_order_mark_and_blank_lines_are_not_errors():
    assert read_records([b"\xef\xbb\xbf" + GOOD.encode() + b"\n", b"\n", b"  \n"], "r.jsonl")[0]["source"] == DOC


def test_a_folder_without_gold_files_exits_2(tmp_path):
    empty = tmp_path / "gold"
    empty.mkdir()
    (empty / "notes.txt").write_text("no gold here", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(empty), str(records_file(tmp_path, GOOD))])
    assert result.exit_code == 2
    assert f"{empty}: no gold files (*.json)" in said(result)


def test_a_gold_file_that_is_not_json_exits_2_naming_it(gold_dir, tmp_path):
    (gold_dir / "bad.json").write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold_dir), str(records_file(tmp_path, GOOD))])
    assert result.exit_code == 2
    assert f"{gold_dir / 'bad.json'}: not a gold JSON file" in said(result)
    with pytest.raises(EvalInputError, match="bad.json"):
        evaluate(gold_dir, tmp_path / "records.jsonl")


def test_a_missing_gold_folder_or_records_file_exits_2(gold_dir, tmp_path):
    no_records = runner.invoke(app, ["eval", str(gold_dir), str(tmp_path / "none.jsonl")])
    no_gold = runner.invoke(app, ["eval", str(tmp_path / "none"), str(records_file(tmp_path, GOOD))])
    assert (no_records.exit_code, no_gold.exit_code) == (2, 2)
    assert "none.jsonl" in said(no_records) and "does not exist" in said(no_gold)
