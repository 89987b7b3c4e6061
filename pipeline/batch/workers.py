"""Running files in isolation: worker processes with a time and memory limit each, here
(a pebble pool) or on a Dask cluster. A file that hangs, crashes its worker or runs out of
memory becomes an Outcome with its message; the worker is replaced and the others go on.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import resource
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pebble import ProcessExpired, ProcessPool

from pipeline.batch.scan import FoundFile
from pipeline.batch.server import fork_server

DEFAULT_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MAX_MEMORY_MB = 4096
MB = 1024 * 1024
PR_SET_PDEATHSIG = 1
DEFAULT_OCR = "auto"


@dataclass(frozen=True)
class Limits:
    """What one file may cost a worker before it becomes an error row."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB


@dataclass(frozen=True)
class Outcome:
    """A task's value, or the message of why it has none; never an exception, so Dask never retries."""

    value: Any = None
    error: str | None = None


def init_worker(max_memory_mb: int, ocr_slots: str | None = None, workers: int = 1) -> None:
    """Runs in every worker process as it starts: cap its address space, die with the coordinator.

    With ``ocr_slots`` (a folder of one lock file per core, see ocr.ocr_slot), each file's
    pages are read by as many threads as the pool has workers, and the workers share the
    slots: Tesseract never runs more than one per core, and when fewer documents than
    cores are left (the end of a run, or one long scan) their pages take the idle cores.
    Without, the pool already runs one file per core, each with one Tesseract."""
    limit = max_memory_mb * MB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if ocr_slots:
        os.environ["VNPLAN_OCR_SLOTS"] = ocr_slots
        os.environ.setdefault("VNPLAN_OCR_WORKERS", str(workers))
    else:
        os.environ.setdefault("VNPLAN_OCR_WORKERS", "1")
    if sys.platform.startswith("linux"):
        # A hung worker of a coordinator killed with -9 would otherwise run on as an orphan.
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def process_task(item: FoundFile, ocr: str = DEFAULT_OCR, searchable_dir: str | None = None) -> dict[str, Any]:
    """One file in a worker: its record as a dict, with the cost of making it."""
    # Imported here, not at the top: the coordinator never reads a file itself and should not
    # load every stage to hand files out; the fork server has it loaded (server.WORKER_PRELOAD).
    from pipeline.process import process_file

    started = time.perf_counter()
    searchable = Path(searchable_dir) if searchable_dir else None
    record = process_file(item.open_path, ocr=ocr, searchable_dir=searchable, source=item.path)
    if record.error and record.error.startswith("MemoryError"):
        limit = resource.getrlimit(resource.RLIMIT_AS)[0] // MB
        record.error = f"out of memory: the file needs more than the worker's {limit} MB (--max-memory)"
    return {
        "record": record.to_dict(),
        "seconds": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pid": os.getpid(),
    }


def outcome_of(future: Any, limits: Limits) -> Outcome:
    """A finished pebble future as an Outcome; every way a worker can fail has its message."""
    try:
        return Outcome(value=future.result())
    except TimeoutError:
        return Outcome(error=f"timed out after {limits.timeout_s:g} s (--timeout); the worker was replaced")
    except ProcessExpired as error:
        return Outcome(error=f"the worker process died ({_exit_text(error.exitcode)}); it was replaced")
    except MemoryError:
        return Outcome(error=f"out of memory: the worker's limit is {limits.max_memory_mb} MB (--max-memory)")
    except Exception as error:  # noqa: BLE001 - the task's own exception, e.g. a result that cannot be pickled
        return Outcome(error=f"{type(error).__name__}: {error}")


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def process_pool(workers: int, limits: Limits, ocr_slots: str | None = None) -> ProcessPool:
    """A pebble pool: per-task timeouts that kill the hung worker, and dead workers replaced.

    Workers come from a fork server, not a fork of this process, so that they hold neither
    the store's lock nor its database, and so that forking a process with threads is avoided.
    """
    return ProcessPool(max_workers=workers, initializer=init_worker,
                       initargs=(limits.max_memory_mb, ocr_slots, workers), context=fork_server())


class ExecutorError(Exception):
    """The executor cannot run: no cluster at the address, or workers that cannot start processes."""


class LocalExecutor:
    """Worker processes on this machine."""

    def __init__(self, workers: int, limits: Limits) -> None:
        self.limits = limits
        self.slots = ocr_slots(workers)
        self.pool = process_pool(workers, limits, self.slots.name)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        return self.pool.schedule(fn, (arg,), timeout=self.limits.timeout_s)

    def outcome(self, future: Any) -> Outcome:
        return outcome_of(future, self.limits)

    def finished(self) -> None:
        """Every task has its outcome: the pool's threads, which look at its state every
        0.1 s, start winding down while the coordinator commits and exports, and close()
        then finds them done instead of waiting for them at the end of the run."""
        self.pool.stop()

    def close(self) -> None:
        self.pool.stop()
        self.pool.join()
        self.slots.cleanup()


def ocr_slots(workers: int) -> tempfile.TemporaryDirectory:
    """A folder of one lock file per worker: the Tesseract slots the workers share."""
    folder = tempfile.TemporaryDirectory(prefix="vnplan-ocr-slots-")
    for number in range(workers):
        (Path(folder.name) / f"slot-{number}").touch()
    return folder


# One pool per Dask worker (and per limits), made by its first task; keyed by the worker's
# address, as the workers of a LocalCluster share this process.
_WORKER_POOLS: dict[tuple[str, Limits], ProcessPool] = {}
_WORKER_POOLS_LOCK = threading.Lock()


def run_isolated(fn: Callable[[Any], Any], arg: Any, limits: Limits) -> Outcome:
    """A Dask task: run fn(arg) in this Dask worker's own pebble pool, so that a hang, a crash
    or a memory blow-up costs one pool process, handled exactly as by the local executor."""
    from distributed import get_worker

    worker = get_worker()
    with _WORKER_POOLS_LOCK:
        pool = _WORKER_POOLS.get((worker.address, limits))
        if pool is None:
            pool = _WORKER_POOLS[worker.address, limits] = process_pool(worker.state.nthreads, limits)
    return outcome_of(pool.schedule(fn, (arg,), timeout=limits.timeout_s), limits)


def close_worker_pools() -> None:
    """Run on every Dask worker at the end: a worker with live pool processes cannot exit cleanly."""
    with _WORKER_POOLS_LOCK:
        for pool in _WORKER_POOLS.values():
            pool.stop()
            pool.join()
        _WORKER_POOLS.clear()


def can_start_processes() -> bool:
    """Dask's nanny makes workers daemonic by default, and daemonic processes cannot have children."""
    return not multiprocessing.current_process().daemon


class DaskExecutor:
    """The same tasks on a Dask cluster: at ADDRESS, or a LocalCluster of `workers` workers."""

    def __init__(self, scheduler: str | None, workers: int, limits: Limits) -> None:
        from distributed import Client, LocalCluster

        self.limits = limits
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=30)
            else:
                # Workers as threads of this process: each runs its files in a pebble pool of
                # its own processes anyway, and threads spare the spawn of a nanny and a
                # worker process each (bench/batch.py's scans: start 1.7 s -> 0.4 s, close
                # 0.4 s -> 0.05 s, per run).
                self.cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=False, dashboard_address=":0"
                )
                self.client = Client(self.cluster)
        except OSError as error:
            raise ExecutorError(f"cannot reach the Dask scheduler {scheduler}: {error}") from error
        if not all(self.client.run(can_start_processes).values()):
            self.close()
            raise ExecutorError(
                "the Dask workers are daemonic and cannot start worker processes: start them with "
                "DASK_DISTRIBUTED__WORKER__DAEMON=False (see README)"
            )

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        return self.client.submit(run_isolated, fn, arg, self.limits, pure=False)

    def outcome(self, future: Any) -> Outcome:
        try:
            return future.result()
        except Exception as error:  # noqa: BLE001 - the cluster lost the task, e.g. KilledWorker
            return Outcome(error=f"dask: {type(error).__name__}: {error}")

    def finished(self) -> None:
        """Nothing to wind down early: the cluster and its workers' pools go in close()."""

    def close(self) -> None:
        self.client.run(close_worker_pools)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class Executor(Protocol):
    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any: ...
    def outcome(self, future: Any) -> Outcome: ...
    def finished(self) -> None: ...
    def close(self) -> None: ...


@contextmanager
def open_executor(kind: str, workers: int, limits: Limits, scheduler: str | None = None) -> Iterator[Executor]:
    executor: Executor = LocalExecutor(workers, limits) if kind == "local" else DaskExecutor(scheduler, workers, limits)
    try:
        yield executor
    finally:
        executor.close()


def run_all(executor: Executor, fn: Callable[[Any], Any], args: Iterable[Any], wait_s: float) -> Iterator[list[tuple[Any, Outcome]]]:
    """Submit every task, then yield the outcomes as they finish, at least every wait_s seconds (maybe none)."""
    finished: queue.Queue = queue.Queue()
    submitted = 0
    for arg in args:
        executor.submit(fn, arg).add_done_callback(lambda future, arg=arg: finished.put((arg, future)))
        submitted += 1
    while submitted:
        batch = []
        try:
            batch.append(finished.get(timeout=wait_s))
            while True:
                batch.append(finished.get_nowait())
        except queue.Empty:
            pass
        submitted -= len(batch)
        yield [(arg, executor.outcome(future)) for arg, future in batch]
