"""`vnplan run` end to end: real files, real worker processes, a real DuckDB store and Dask cluster."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.batch.progress import RunLog
from pipeline.batch.run import RunOptions, run
from pipeline.cli import app
from pipeline.emit.store import ORDER_COLUMNS, lock_store
from pipeline.emit.tables import schemas
from tests.conftest import CORPUS

runner = CliRunner()
HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pipeline.emit.store import ORDER_COLUMNS, lock_store
    with lock_store(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(60)
    """
)
VNPLAN = Path(sys.executable).parent / "vnplan"
# Tables whose rows are identified by (doc_id, ordinal); any duplicate is a bug.
KEYED = [name for name, schema in schemas().items() if "ordinal" in schema.names and name not in ("reference_mentions", "agency_mentions")]


def _copies(folder: Path, count: int, formats: tuple[str, ...] = ("txt",)) -> list[Path]:
    """Copies of the sample documents, each with a line of its own so that no two hashes are equal."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(p for fmt in formats for p in (CORPUS / fmt).glob(f"*.{fmt}"))
    made = []
    for number, seed in zip(range(count), itertools.cycle(seeds)):
        target = folder / f"{number:04d}_{seed.name}"
        text = seed.read_text(encoding="utf-8")
        target.write_text(f"{text}\nBản sao số {number}.\n", encoding="utf-8")
        made.append(target)
    return made


def _query(store: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(store / "vnplan.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _assert_no_duplicates(store: Path) -> None:
    assert _query(store, "SELECT count(*) - count(DISTINCT doc_id) FROM documents") == [(0,)]
    assert _query(store, "SELECT count(*) - count(DISTINCT path) FROM files") == [(0,)]
    for name in KEYED:
        assert _query(store, f'SELECT count(*) - count(DISTINCT (doc_id, ordinal)) FROM "{name}"') == [(0,)], name


def _invoke(*args: str):
    return runner.invoke(app, ["run", *args])


def _summary(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_reruns_process_only_what_changed_moved_or_was_added(tmp_path):
    source, store = tmp_path / "in", tmp_path / "store"
    a, b, c, d = _copies(source, 4)
    first = _invoke(str(source), "--store", str(store), "--workers", "2")
    assert first.exit_code == 0, first.output
    assert _summary(first).startswith("4 new, 0 changed")
    old_a = _query(store, f"SELECT doc_id FROM files WHERE path = '{a}'")[0][0]

    a.write_text(a.read_text(encoding="utf-8") + "Sửa đổi.\n", encoding="utf-8")
    b.rename(source / "renamed.txt")
    c.unlink()
    shutil.copy(d, source / "copy-of-d.txt")
    (source / "empty.txt").write_bytes(b"")
    (source / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    second = _invoke(str(source), "--store", str(store))
    assert second.exit_code == 1, second.output  # two files failed
    assert _summary(second).startswith("3 new, 1 changed, 0 outdated, 1 unchanged, 1 moved, 1 deleted; 3 processed, 2 failed")

    files = {Path(p).name: (s, e, doc) for p, s, e, doc in _query(store, "SELECT path, status, error, doc_id FROM files")}
    assert files[c.name][0] == "deleted" and _query(store, f"SELECT deleted_at IS NOT NULL FROM files WHERE path = '{c}'") == [(True,)]
    assert files["renamed.txt"][0] == "ok" and b.name not in files
    assert files["copy-of-d.txt"][2] == files[d.name][2]
    assert files["empty.txt"][0] == "error" and "empty" in files["empty.txt"][1]
    assert files["broken.pdf"][0] == "error" and files["broken.pdf"][1]
    assert _query(store, f"SELECT count(*) FROM documents WHERE doc_id = '{old_a}'") == [(0,)]
    assert _query(store, "SELECT count(*) FROM present_documents WHERE status = 'ok'") == [(3,)]
    _assert_no_duplicates(store)

    third = _invoke(str(source), "--store", str(store))
    assert third.exit_code == 0, third.output
    assert "0 processed, 0 failed (2 failed in earlier runs, not retried)" in _summary(third)
    parquet = _query(store, f"SELECT count(*) FROM '{store}/tables/files.parquet'")
    assert parquet == [(7,)]
    logs = sorted((store / "logs").glob("run-*.jsonl"))
    events = [json.loads(line) for line in logs[1].read_text(encoding="utf-8").splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "end"
    assert sorted(e["action"] for e in events if e["event"] == "file") == [
        "changed", "deleted", "moved", "new", "new", "new"]


def test_one_worker_processes_the_largest_files_first(tmp_path):
    source, store = tmp_path / "in", tmp_path / "store"
    files = _copies(source, 5)
    by_size = sorted(files, key=lambda p: p.stat().st_size, reverse=True)
    assert [p.stat().st_size for p in by_size] != [p.stat().st_size for p in sorted(files)]
    summary = run(RunOptions(sources=(str(source),), store=store, workers=1))
    events = [json.loads(line) for line in Path(summary.log).read_text(encoding="utf-8").splitlines()]
    assert [e["path"] for e in events if e["event"] == "file"] == [str(p) for p in by_size]


def test_logs_of_runs_started_within_one_second_sort_in_start_order(tmp_path):
    logs = [RunLog(tmp_path, run_id) for run_id in ("f" * 32, "0" * 32, "8" * 32)]
    for log in logs:
        log.close()
    assert sorted(log.path for log in logs) == [log.path for log in logs]


def test_usage_and_store_errors_exit_2(tmp_path):
    source = tmp_path / "in"
    _copies(source, 1)
    assert _invoke(str(source)).exit_code == 2  # no --store
    assert _invoke(str(tmp_path / "missing"), "--store", str(tmp_path / "s")).exit_code == 2
    assert _invoke(str(source), "--store", str(tmp_path / "s"), "--scheduler", "tcp://127.0.0.1:1").exit_code == 2
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "vnplan.duckdb").write_bytes(b"not a database")
    broken = _invoke(str(source), "--store", str(tmp_path / "bad"))
    message = " ".join(broken.output.split())
    assert broken.exit_code == 2 and "looks damaged" in message and "vnplan rebuild --store" in message


def test_a_second_run_on_a_held_store_exits_2_with_a_clear_message(tmp_path):
    source, store = tmp_path / "in", tmp_path / "store"
    _copies(source, 1)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = _invoke(str(source), "--store", str(store))
        assert result.exit_code == 2 and "another vnplan run is using the store" in result.output
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with lock_store(store):  # the killed holder's lock is gone with it
        pass


def _file_events(store: Path) -> list[list[dict]]:
    """Per run log, the file events of the files a worker processed (committed, as the log follows commits)."""
    if not (store / "logs").is_dir():
        return []
    return [
        [e for e in map(json.loads, log.read_text(encoding="utf-8").splitlines()) if e["event"] == "file" and e["processed"]]
        for log in sorted((store / "logs").glob("run-*.jsonl"))
    ]


def test_a_run_killed_with_sigkill_resumes_and_processes_every_file_exactly_once(tmp_path):
    source, store = tmp_path / "in", tmp_path / "store"
    files = _copies(source, 240)  # several commits' worth, so that the kill lands between two
    process = subprocess.Popen([str(VNPLAN), "run", str(source), "--store", str(store), "--workers", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(_file_events(store)):
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = {path for (path,) in _query(store, "SELECT path FROM files")}
    assert 0 < len(done_before) < len(files), "the kill came too late to test a resume"

    summary = run(RunOptions(sources=(str(source),), store=store, workers=2))
    assert summary.processed == len(files) - len(done_before) and summary.failed == 0
    # The store is the record of what was done: the killed run's log follows its commits but
    # may lack the last one's lines, when the kill falls between a commit and its log lines.
    first, second = ({e["path"] for e in run_events} for run_events in _file_events(store))
    assert first <= done_before and second == set(map(str, files)) - done_before
    assert _query(store, "SELECT count(*), count(DISTINCT doc_id) FROM files") == [(len(files), len(files))]
    _assert_no_duplicates(store)


def test_the_dask_executor_on_a_local_cluster_writes_the_same_records_as_the_local_one(tmp_path):
    pytest.importorskip("distributed")
    source = tmp_path / "in"
    source.mkdir()
    for fmt in ("txt", "pdf", "docx"):
        for path in (CORPUS / fmt).glob(f"*.{fmt}"):
            shutil.copy(path, source)
    local = run(RunOptions(sources=(str(source),), store=tmp_path / "local", workers=2))
    dask = run(RunOptions(sources=(str(source),), store=tmp_path / "dask", workers=2, executor="dask"))
    assert local.processed == dask.processed == 15 and local.failed == dask.failed == 0
    for name, schema in schemas().items():
        order = ", ".join(f'"{c}"' for c in ORDER_COLUMNS if c in schema.names)
        sql = f'SELECT * FROM "{name}" ORDER BY {order}'
        assert _query(tmp_path / "local", sql) == _query(tmp_path / "dask", sql), name

