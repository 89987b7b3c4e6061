"""`vnplan` (and `python -m pipeline`): the command line, with the workers' fork server
started before anything else.

A fresh run on this machine (`vnplan extract`) hands every file to workers forked from a
server that imports the stages and warms them up, about 1.5 s. Started here, before the
command line's own imports (DuckDB, Arrow, Typer) and the store, that work runs beside
them instead of after them. multiprocessing runs the main script again in every worker, so
this module imports nothing at the top: a worker does not load the command line.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # Each process of a run (the command, the fork server, a worker per core) is one of many
    # on the cores: a BLAS thread pool of its own in each would oversubscribe them, and
    # OpenBLAS's pool spins at every numpy import (0.06 s of CPU a process). Set before
    # numpy loads, and inherited by the server and its workers.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = sys.argv[1:]
    if fresh_local_run(args):
        from pipeline.batch.server import start_fork_server

        # Every word that is no option is taken for a source: an option's value that names a
        # folder with images (--out) costs the server 0.2 s at worst.
        start_fork_server(arg for arg in args[1:] if not arg.startswith("-"))
    from pipeline.cli import app

    try:
        app()
    finally:
        # The interpreter's last collection, on the way out, would walk every object of
        # pandas, Arrow and DuckDB (about 0.2 s after a run): none of them is garbage, and
        # what is left the process's end frees.
        gc.freeze()


def fresh_local_run(args: list[str]) -> bool:
    """Whether the command line asks for `extract` in worker processes here: read before Typer
    parses it, because Typer comes with the imports the server is to overlap. A wrong guess
    costs an idle server at worst, and the run starts the server itself when it needs one."""
    if not args or args[0] != "extract":
        return False
    return not any(arg.startswith("--executor") or arg in ("-h", "--help") for arg in args[1:])


if __name__ == "__main__":
    main()
