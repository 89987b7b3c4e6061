"""The `vnplan` entry point: the workers' fork server started before the command line loads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.__main__ import fresh_local_run
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("args", "early"),
    [
        (["extract", "corpus", "--out", "out"], True),
        (["extract", "a.pdf", "-w", "4"], True),
        (["extract", "corpus", "--executor", "dask"], False),
        (["extract", "corpus", "--executor=local"], False),
        (["extract", "--help"], False),
        (["run", "corpus", "--store", "s"], False),
        (["query", "SELECT 1"], False),
        ([], False),
    ],
)
def test_the_server_is_started_early_only_for_an_extract_on_this_machine(args, early):
    assert fresh_local_run(args) is early


def test_the_entry_module_loads_nothing_a_worker_would_pay_for():
    """multiprocessing runs the main script again in every worker: it must not import the CLI."""
    code = "import sys, pipeline.__main__; print(sorted(m for m in ('typer', 'duckdb', 'pipeline.cli', 'pipeline.batch.workers') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_python_dash_m_pipeline_extracts_through_the_early_fork_server(tmp_path):
    source = sorted((CORPUS / "txt").glob("*.txt"))[0]
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(source), "--out", str(out), "--workers", "1"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["error"] for r in records] == [None]
    assert records[0]["document"]["doc_type"]


def test_the_command_s_processes_hold_one_blas_thread_each():
    """The pool already runs a process per core: a BLAS pool in each would oversubscribe them."""
    code = ("import sys\nsys.argv = ['vnplan', '--version']\nfrom pipeline.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nimport numpy\nfrom threadpoolctl import threadpool_info\n"
            "print([pool['num_threads'] for pool in threadpool_info() if pool['internal_api'] == 'openblas'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[1]"
