"""The workers' fork server: started first, before the command line's own imports."""

from __future__ import annotations

import subprocess
import sys


def test_what_starts_the_fork_server_loads_neither_pebble_nor_a_stage_nor_the_store():
    """Whatever the command line imports before the server starts delays every run's first file."""
    code = ("import sys; from pipeline.batch.server import start_fork_server; "
            "print(sorted(m for m in ('pebble', 'pipeline.batch.workers', 'pipeline.process', 'duckdb', 'typer') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
