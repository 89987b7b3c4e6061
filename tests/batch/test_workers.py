"""Worker processes: a file that hangs, crashes or blows its memory becomes a message and the
pool goes on; workers start with the models loaded."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from pipeline.batch.workers import Limits, LocalExecutor, outcome_of, process_pool
from pipeline.rules import MODELS_DIR, load_model


def test_hangs_crashes_and_memory_blowups_become_messages_and_the_pool_goes_on():
    """The timeout, crash and memory paths through the pool the runs use, with stand-in tasks."""
    limits = Limits(timeout_s=1.0, max_memory_mb=1024)
    pool = process_pool(2, limits)
    try:
        hung = pool.schedule(time.sleep, (30,), timeout=limits.timeout_s)
        crashed = pool.schedule(os.abort, timeout=limits.timeout_s)
        greedy = pool.schedule(bytearray, (4 * 1024**3,), timeout=limits.timeout_s)
        fine = [pool.schedule(os.getpid, timeout=limits.timeout_s) for _ in range(4)]
        assert "timed out after 1 s" in outcome_of(hung, limits).error
        assert "worker process died (killed by SIGABRT)" in outcome_of(crashed, limits).error
        assert "out of memory" in outcome_of(greedy, limits).error
        assert all(outcome_of(f, limits).error is None for f in fine)
    finally:
        pool.stop()
        pool.join()


def test_a_fresh_worker_starts_with_every_model_loaded():
    """Loading the models is paid once, in the fork server, not inside each worker's first
    file and its time limit (--timeout)."""
    loaded = _in_a_fresh_worker(_models_loaded)
    assert {"document", "segment", "agencies", "references", "duties", "layout"} <= loaded


def test_a_fresh_worker_knows_where_tesseracts_models_are_without_asking_the_command():
    assert _in_a_fresh_worker(_tessdata_asked) == 1


def _in_a_fresh_worker(task):
    """What ``task`` returns in the first worker of a new pool."""
    limits = Limits(timeout_s=30.0, max_memory_mb=2048)
    pool = process_pool(1, limits)
    try:
        return outcome_of(pool.schedule(task, timeout=limits.timeout_s), limits).value
    finally:
        pool.stop()
        pool.join()


def _tessdata_asked() -> int:
    """How many answers of the `tesseract` command this process holds (ocr.tessdata's cache)."""
    from pipeline.ingest.ocr import tessdata

    return tessdata.cache_info().currsize


def _models_loaded() -> set[str]:
    """The models this process had loaded: those load_model answers from its cache."""
    loaded = set()
    for name in sorted(path.stem for path in MODELS_DIR.glob("*.yaml")):
        hits = load_model.cache_info().hits
        load_model(name)
        if load_model.cache_info().hits > hits:
            loaded.add(name)
    return loaded


def test_the_fork_server_the_workers_come_from_loads_neither_the_store_nor_the_command_line():
    """The server's preload is on the path of every run's first file: DuckDB, Arrow and the
    command line are the coordinator's, and a package's __init__ must not pull them in."""
    code = ("import sys, importlib; from pipeline.batch.server import READERS_PRELOAD, WORKER_PRELOAD; "
            "[importlib.import_module(m) for m in [*WORKER_PRELOAD, READERS_PRELOAD] if m != 'pipeline.batch.warm']; "
            "print(sorted(m for m in ('duckdb', 'pyarrow', 'typer', 'pipeline.cli', 'pipeline.emit.store') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_a_finished_local_executor_takes_no_more_tasks_and_still_closes():
    """finished() lets the pool wind down while the coordinator commits and exports."""
    executor = LocalExecutor(1, Limits())
    try:
        assert executor.outcome(executor.submit(abs, -3)).value == 3
        executor.finished()
        with pytest.raises(RuntimeError, match="not active"):
            executor.submit(abs, -4)
    finally:
        executor.close()
