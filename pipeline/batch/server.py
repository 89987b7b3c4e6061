"""The server the worker processes fork from (multiprocessing's forkserver): it imports the
stages and warms them up once, and every worker starts from that state.

Apart from ``workers`` (pebble, the executors), so that the command line can start it before
anything else: whatever is imported before it starts is on the path of a run's first file.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver

# Modules every worker needs, imported once in the fork server rather than in each worker;
# pipeline.batch.warm loads every model there too.
WORKER_PRELOAD = ["pipeline.batch.workers", "pipeline.process", "pipeline.batch.warm"]


def fork_server() -> multiprocessing.context.ForkServerContext:
    """The context of the server the workers fork from, which imports WORKER_PRELOAD first."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    return context


def start_fork_server() -> None:
    """Start the server the workers fork from now, so that it imports the stages and warms
    them up beside the coordinator's own work (imports, scanning, hashing, planning) instead
    of after it, when the first file is handed out. A later pool finds it running."""
    fork_server()
    multiprocessing.forkserver.ensure_running()
