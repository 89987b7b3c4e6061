"""Command-line conventions of the analysis commands: options named in their errors, ``-`` for
stdout, messages on stderr, exit code 2 for a missing store."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.emit.store import write_store
from pipeline.process import process_file

runner = CliRunner()
CASCADE = Path(__file__).parent / "documents" / "cascade"


def said(result) -> str:
    """The command's output with typer's error box and line wrapping taken out."""
    return " ".join(result.output.replace("│", " ").split())


@pytest.fixture(scope="module")
def cascade(tmp_path_factory) -> Path:
    """A store whose department plans implement a province plan, so that echo has pairs."""
    store = tmp_path_factory.mktemp("cascade") / "store"
    write_store([process_file(path) for path in sorted(CASCADE.glob("*.txt"))], store)
    return store


@pytest.mark.parametrize("option,value,message", [
    ("--as-of", "2025-13-45", "Invalid value for '--as-of': 2025-13-45 is not a date (YYYY-MM-DD): month must be in 1..12"),
    ("--as-of", "yesterday", "Invalid value for '--as-of': yesterday is not a date (YYYY-MM-DD)"),
    ("--years", "2022-2025-2028", "Invalid value for '--years': years must read YYYY or YYYY-YYYY"),
    ("--years", "twenty", "Invalid value for '--years': years must read YYYY or YYYY-YYYY, not 'twenty'"),
    ("--province", "Atlantis", "Invalid value for '--province': not a province: Atlantis"),
])
def test_compare_names_the_option_that_does_not_parse(store, tmp_path, option, value, message):
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", "--store", str(store), "--out", str(out), option, value])
    assert result.exit_code == 2
    assert message in said(result)
    assert not out.exists()


def test_compare_takes_a_date_and_a_year_range(store, tmp_path):
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", "--store", str(store), "--out", str(out), "--as-of", "2026-01-01", "--years", "2025-2022"])
    assert result.exit_code == 0, result.output
    years = pd.read_parquet(out / "documents.parquet").year
    assert len(years) and years.between(2022, 2025).all()


@pytest.mark.parametrize("fmt,read", [
    ("graphml", lambda data: nx.read_graphml(io.BytesIO(data))),
    ("json", lambda data: nx.node_link_graph(json.loads(data), edges="edges")),
])
def test_graph_writes_to_stdout_for_a_dash_and_its_message_to_stderr(store, tmp_path, monkeypatch, fmt, read):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["graph", "--store", str(store), "--format", fmt, "--out", "-"])
    assert result.exit_code == 0, result.output
    graph = read(result.stdout_bytes)
    assert graph.number_of_nodes() > 0
    assert f"{graph.number_of_nodes()} nodes" in result.stderr and "-> stdout" in " ".join(result.stderr.split())
    assert not (tmp_path / "-").exists()


def test_echo_writes_only_its_csv_to_stdout_for_a_dash(cascade, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["echo", "--store", str(cascade), "--out", "-"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table.status) == {"passed", "dropped", "added"}
    pairs = table[["parent_doc_id", "child_doc_id"]].drop_duplicates()
    assert f"{len(pairs)} pairs -> stdout" in said(result)
    assert not (tmp_path / "-").exists()


def test_echo_still_prints_its_tables_when_it_writes_a_file(cascade, tmp_path):
    out = tmp_path / "sub" / "echo.csv"
    result = runner.invoke(app, ["echo", "--store", str(cascade), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "(added)" in result.stdout
    assert pd.read_csv(out, encoding="utf-8-sig").status.isin(["passed", "dropped", "added"]).all()


def test_messages_count_in_the_singular_and_the_plural(store, tmp_path):
    result = runner.invoke(app, ["export", "--store", str(store), "--format", "csv", "--out", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert " tables, " in said(result) and " rows -> " in said(result)
    one = runner.invoke(app, ["query", "SELECT 1", "--store", str(store), "--out", str(tmp_path / "one.csv")])
    assert "1 row -> " in said(one)


@pytest.mark.parametrize("command", [
    ["query", "SELECT 1"],
    ["export", "--out", "{tmp}/x.xlsx"],
    ["compare", "--out", "{tmp}/cmp"],
    ["graph", "--out", "{tmp}/g.graphml"],
    ["echo"],
    ["report", "--html", "{tmp}/site"],
])
def test_every_analysis_command_exits_2_on_a_missing_store(tmp_path, command):
    args = [part.format(tmp=tmp_path) for part in command]
    result = runner.invoke(app, [*args, "--store", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert f"no vnplan store at {tmp_path / 'nowhere'}" in said(result)
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_cannot_be_written_exits_2_with_a_message(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = runner.invoke(app, ["graph", "--store", str(store), "--out", str(blocker / "g.graphml")])
    assert result.exit_code == 2
    assert str(blocker) in said(result)
