"""`vnplan extract` and `vnplan run` over bad sources: every entry gets a record or a row with its
reason, nothing crashes the batch, and the summary and exit code tell what was not read."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import CORPUS, VNPLAN, unprivileged

runner = CliRunner()
PLAN = next((CORPUS / "txt").glob("000_*.txt")).read_text(encoding="utf-8")
OTHER_PLAN = next((CORPUS / "txt").glob("001_*.txt")).read_text(encoding="utf-8")
COMMANDS = ["extract", "run"]


def _args(command: str, source: Path, out: Path) -> list[str]:
    return [command, str(source), "--out" if command == "extract" else "--store", str(out), "--workers", "1"]


def _rows(out: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(out / "vnplan.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _log_events(out: Path) -> list[dict]:
    (log,) = sorted((out / "logs").glob("run-*.jsonl"))[-1:]
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_name_that_is_not_utf8_is_processed_with_its_name_kept(tmp_path, command):
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "good.txt").write_text(PLAN, encoding="utf-8")
    bad = os.path.join(str(source), os.fsdecode(b"bad\xff.txt"))
    with open(bad, "w", encoding="utf-8") as handle:
        handle.write(OTHER_PLAN)
    result = runner.invoke(app, _args(command, source, out))
    assert result.exit_code == 0, result.output
    (row,) = _rows(out, "SELECT f.path, f.path_bytes, f.status, d.source FROM files f JOIN documents d USING (doc_id) WHERE f.path LIKE '%bad%'")
    path, path_bytes, status, shown = row
    assert path.endswith("bad\\xff.txt") and shown == path and status == "ok"
    assert path_bytes == os.fsencode(bad)
    warnings = _rows(out, "SELECT code FROM warnings JOIN documents USING (doc_id) WHERE source LIKE '%bad%'")
    assert ("file-name-not-utf8",) in warnings
    again = runner.invoke(app, _args(command, source, out))
    assert again.exit_code == 0, again.output
    if command == "run":
        assert again.stdout.strip().splitlines()[-1].startswith("0 new, 0 changed, 0 outdated, 2 unchanged")


@pytest.mark.parametrize("command", COMMANDS)
def test_entries_not_read_are_counted_logged_and_kept_with_their_reason(tmp_path, command):
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "plan.txt").write_text(PLAN, encoding="utf-8")
    for name in ("a.pptx", "b.pptx", "c.pptx", "bundle.zip"):
        (source / name).write_text("x", encoding="utf-8")
    (source / "old.txt").symlink_to(source / "deleted-long-ago.txt")
    result = runner.invoke(app, _args(command, source, out))
    assert result.exit_code == 1, result.output
    summary = result.stdout.strip().splitlines()[-1]
    assert "skipped 4: .pptx 3, .zip 1; unreadable 1 link" in summary
    rows = dict((Path(p).name, (status, entry, reason, error)) for p, status, entry, reason, error in
                _rows(out, "SELECT path, status, entry, reason, error FROM files WHERE doc_id IS NULL"))
    assert rows["a.pptx"][:2] == ("skipped", "file") and "(.pptx)" in rows["a.pptx"][2]
    assert rows["old.txt"][:2] == ("error", "link") and "does not exist" in rows["old.txt"][3]
    logged = {Path(e["path"]).name: e["action"] for e in _log_events(out) if e["event"] == "file"}
    assert logged["bundle.zip"] == "skipped" and logged["old.txt"] == "unreadable" and logged["plan.txt"] == "new"
    if command == "run":
        (source / "a.pptx").unlink()
        (source / "old.txt").unlink()
        again = runner.invoke(app, _args(command, source, out))
        assert again.exit_code == 0, again.output
        assert "skipped 3: .pptx 2, .zip 1" in again.stdout and "unreadable" not in again.stdout
        names = {Path(p).name for (p,) in _rows(out, "SELECT path FROM files")}
        assert names == {"plan.txt", "b.pptx", "c.pptx", "bundle.zip"}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_that_cannot_be_read_is_counted_and_makes_the_exit_code_1(shared_tmp, command):
    """Run as an unprivileged user, for whom chmod 000 means something. Nothing else under the
    source needs a worker: this machine's Python cannot start worker processes for that user."""
    source, out = shared_tmp / "in", shared_tmp / "out"
    (source / "locked").mkdir(parents=True)
    (source / "locked" / "plan.txt").write_text(PLAN, encoding="utf-8")
    (source / "notes.pptx").write_text("x", encoding="utf-8")
    source.chmod(0o777)
    (source / "locked").chmod(0o000)
    done = subprocess.run(unprivileged([str(VNPLAN), *_args(command, source, out)]), capture_output=True, text=True)
    (source / "locked").chmod(0o777)
    assert done.returncode == 1, done.stderr
    assert "skipped 1: .pptx 1; unreadable 1 folder" in done.stdout
    rows = _rows(out, "SELECT path, status, entry, error FROM files ORDER BY path")
    assert [(Path(p).name, s, e) for p, s, e, _ in rows] == [("locked", "error", "folder"), ("notes.pptx", "skipped", "file")]
    assert "Permission denied" in rows[0][3]
