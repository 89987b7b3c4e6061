"""Batch runs over archives: incremental, parallel, crash-safe, on this machine or on Dask.

A run (``vnplan run SOURCE... --store DIR``):

1. scans: finds the supported files under the sources and hashes them (``scan``);
2. plans: compares the hashes with the store's ``files`` table (``plan_run``, pure): new,
   changed, outdated (processed by an older pipeline version), unchanged, moved, deleted;
3. processes each content that has no current result in worker processes (a pebble
   pool here, or a Dask cluster), each file under a timeout and a memory limit;
4. commits the results in this process only, as they stream back, a small batch per
   DuckDB transaction, then exports the Parquet tables.

Work is keyed by content (sha256), so a renamed file or a second copy is never processed
again, and a rerun after a crash redoes only what was not committed.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TextIO

from pebble import ProcessExpired, ProcessPool
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from pipeline import __version__
from pipeline.emit.store import DELETED, FileRow, Store, lock_store
from pipeline.process import discover, process_file
from pipeline.records import RECORD_VERSION, error_record

DEFAULT_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MAX_MEMORY_MB = 4096
# Results are committed when this many have arrived or this long after the last commit,
# whichever comes first: one transaction per file would cost more than the file itself.
COMMIT_BATCH_FILES = 64
COMMIT_INTERVAL_S = 2.0
PLAIN_PROGRESS_INTERVAL_S = 10.0
HASH_THREADS = 8
LOG_DIR = "logs"
MB = 1024 * 1024
# Modules every worker needs, imported once in the fork server rather than in each worker.
WORKER_PRELOAD = ["pipeline.batch", "pipeline.process"]
PR_SET_PDEATHSIG = 1
DEFAULT_OCR = "auto"


def pipeline_version(ocr: str = DEFAULT_OCR) -> str:
    """A result is current only if made by this code, this record contract and this OCR mode."""
    return f"{__version__}+record{RECORD_VERSION}+ocr-{ocr}"


# --------------------------------------------------------------------------- scan


@dataclass(frozen=True)
class FoundFile:
    """A file found under the sources; sha256 is None when it could not be read."""

    path: str
    sha256: str | None
    size: int = 0
    mtime: float = 0.0
    error: str | None = None


def scan(sources: Iterable[str | os.PathLike[str]]) -> list[FoundFile]:
    """Every supported file under the sources, hashed; threads overlap the reads."""
    paths = list(dict.fromkeys(os.path.abspath(p) for p in discover(os.path.abspath(s) for s in sources)))
    with ThreadPoolExecutor(HASH_THREADS) as pool:
        return list(pool.map(_hash_file, paths))


def _hash_file(path: str) -> FoundFile:
    try:
        stat = os.stat(path)
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        return FoundFile(path, None, error=f"cannot read {Path(path).name}: {error.strerror}")
    return FoundFile(path, digest, stat.st_size, stat.st_mtime)


# --------------------------------------------------------------------------- plan


@dataclass
class Plan:
    """What a run has to do. Every found file is in exactly one of new, changed, outdated,
    unchanged, moved (as the second item) or unreadable; ``actions`` gives that word by path."""

    new: list[FoundFile] = field(default_factory=list)
    changed: list[FoundFile] = field(default_factory=list)
    outdated: list[FoundFile] = field(default_factory=list)  # older pipeline version, --force, --retry-failed
    unchanged: list[FoundFile] = field(default_factory=list)
    moved: list[tuple[str, FoundFile]] = field(default_factory=list)  # (old path, file now)
    unreadable: list[FoundFile] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed_earlier: list[FoundFile] = field(default_factory=list)  # unchanged, and an error last time
    work: dict[str, list[FoundFile]] = field(default_factory=dict)  # content to process -> its paths
    links: list[tuple[FoundFile, FileRow]] = field(default_factory=list)  # path -> current result of its content
    actions: dict[str, str] = field(default_factory=dict)

    def add(self, action: str, item: FoundFile) -> None:
        getattr(self, action).append(item)
        self.actions[item.path] = action


def in_scope(path: str, scope: Sequence[str]) -> bool:
    """A path under one of the run's sources: only those can be found deleted by this run."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in scope)


def plan_run(
    found: Sequence[FoundFile],
    known: Sequence[FileRow],
    version: str,
    scope: Sequence[str],
    force: bool = False,
    retry_failed: bool = False,
    exists: Callable[[str], bool] = os.path.exists,
) -> Plan:
    """Compare the files found with the store's rows.

    A content (sha256) whose result is current is never processed again, whatever path
    it now has. A path missing from the scan is a move when a new path has its content,
    else deleted; a missing path outside the sources only counts when it is gone from disk.
    """

    def is_current(row: FileRow) -> bool:
        failed_to_retry = retry_failed and row.status != DELETED and row.error is not None
        return not force and row.pipeline_version == version and not failed_to_retry

    by_path = {row.path: row for row in known}
    found_paths = {f.path for f in found}
    current: dict[str, FileRow] = {}
    for row in known:
        if row.sha256 and is_current(row) and (row.sha256 not in current or current[row.sha256].status == DELETED):
            current[row.sha256] = row
    gone_by_sha: dict[str, list[FileRow]] = {}
    for row in known:
        if row.path not in found_paths and row.status != DELETED and row.sha256:
            gone_by_sha.setdefault(row.sha256, []).append(row)

    plan = Plan()
    moved_from: set[str] = set()
    to_do: list[FoundFile] = []
    for item in found:
        row = by_path.get(item.path)
        if item.sha256 is None:
            failed_before = row is not None and row.sha256 is None and row.status == "error"
            plan.add("unchanged" if failed_before and not retry_failed else "unreadable", item)
            if failed_before and not retry_failed:
                plan.failed_earlier.append(item)
        elif row is not None and row.status != DELETED:
            action = "changed" if row.sha256 != item.sha256 else "unchanged" if is_current(row) else "outdated"
            plan.add(action, item)
            if action == "unchanged" and row.error is not None:
                plan.failed_earlier.append(item)
            if action != "unchanged":
                to_do.append(item)
        elif (source := _move_source(gone_by_sha.get(item.sha256, []), moved_from, scope, exists)) is not None:
            moved_from.add(source.path)
            plan.moved.append((source.path, item))
            plan.actions[item.path] = "moved"
            if not is_current(source):
                to_do.append(item)
        else:
            plan.add("new", item)
            to_do.append(item)

    plan.deleted = [
        row.path for row in known
        if row.path not in found_paths and row.path not in moved_from and row.status != DELETED and in_scope(row.path, scope)
    ]
    for item in to_do:
        if item.sha256 in current:
            plan.links.append((item, current[item.sha256]))
        else:
            plan.work.setdefault(item.sha256, []).append(item)
    return plan


def _move_source(
    candidates: list[FileRow], taken: set[str], scope: Sequence[str], exists: Callable[[str], bool]
) -> FileRow | None:
    for row in candidates:
        if row.path not in taken and (in_scope(row.path, scope) or not exists(row.path)):
            return row
    return None


# --------------------------------------------------------------------------- workers


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


def init_worker(max_memory_mb: int) -> None:
    """Runs in every worker process as it starts: cap its address space, die with the coordinator."""
    limit = max_memory_mb * MB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    os.environ.setdefault("VNPLAN_OCR_WORKERS", "1")  # the pool already runs one file per core
    if sys.platform.startswith("linux"):
        # A hung worker of a coordinator killed with -9 would otherwise run on as an orphan.
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def process_task(path: str, ocr: str = DEFAULT_OCR) -> dict[str, Any]:
    """One file in a worker: its record as a dict, with the cost of making it."""
    started = time.perf_counter()
    record = process_file(path, ocr=ocr)
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


def process_pool(workers: int, limits: Limits) -> ProcessPool:
    """A pebble pool: per-task timeouts that kill the hung worker, and dead workers replaced.

    Workers come from a fork server, not a fork of this process, so that they hold neither
    the store's lock nor its database, and so that forking a process with threads is avoided.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    return ProcessPool(max_workers=workers, initializer=init_worker, initargs=(limits.max_memory_mb,), context=context)


class ExecutorError(Exception):
    """The executor cannot run: no cluster at the address, or workers that cannot start processes."""


class LocalExecutor:
    """Worker processes on this machine."""

    def __init__(self, workers: int, limits: Limits) -> None:
        self.limits = limits
        self.pool = process_pool(workers, limits)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        return self.pool.schedule(fn, (arg,), timeout=self.limits.timeout_s)

    def outcome(self, future: Any) -> Outcome:
        return outcome_of(future, self.limits)

    def close(self) -> None:
        self.pool.stop()
        self.pool.join()


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

    def close(self) -> None:
        self.client.run(close_worker_pools)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class Executor(Protocol):
    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any: ...
    def outcome(self, future: Any) -> Outcome: ...
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


# --------------------------------------------------------------------------- reporting


@dataclass
class FileResult:
    """A processed content and the paths holding it, as committed to the store."""

    files: list[FoundFile]
    record: dict[str, Any]
    seconds: float | None = None
    peak_rss_mb: float | None = None
    pid: int | None = None

    @property
    def pages(self) -> int:
        return (self.record.get("ingest") or {}).get("pages") or 0

    @property
    def ocr_pages(self) -> int:
        ingest = self.record.get("ingest") or {}
        return self.pages if ingest.get("ocr") else 0

    @property
    def failed(self) -> bool:
        return self.record.get("status") == "error"


class Reporter(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, result: FileResult) -> None: ...
    def stop(self) -> None: ...


class SilentReporter:
    def start(self, total: int) -> None: ...
    def advance(self, result: FileResult) -> None: ...
    def stop(self) -> None: ...


class RichReporter:
    """A progress bar for a terminal: files, pages, errors and the time left."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files  {task.fields[pages]} pages  {task.fields[errors]} errors"),
            TimeRemainingColumn(),
            console=console,
        )
        self.task = None

    def start(self, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("processing", total=total, pages=0, errors=0)

    def advance(self, result: FileResult) -> None:
        fields = self.progress.tasks[0].fields
        if result.failed:
            self.progress.console.print(f"[yellow]error[/yellow] {result.files[0].path}: {result.record.get('error')}")
        self.progress.update(
            self.task, advance=1, pages=fields["pages"] + result.pages, errors=fields["errors"] + result.failed
        )

    def stop(self) -> None:
        self.progress.stop()


class PlainReporter:
    """Log lines for a log file or CI: every failure, and the progress every few seconds."""

    def __init__(self, stream: TextIO, interval_s: float = PLAIN_PROGRESS_INTERVAL_S) -> None:
        self.stream = stream
        self.interval_s = interval_s
        self.total = self.done = self.pages = self.errors = 0
        self.started = self.last = 0.0

    def start(self, total: int) -> None:
        self.total = total
        self.started = self.last = time.monotonic()
        self._line(f"processing {total} files")

    def advance(self, result: FileResult) -> None:
        self.done += 1
        self.pages += result.pages
        self.errors += result.failed
        if result.failed:
            self._line(f"error {result.files[0].path}: {result.record.get('error')}")
        now = time.monotonic()
        if now - self.last >= self.interval_s or self.done == self.total:
            self.last = now
            left = (now - self.started) / self.done * (self.total - self.done)
            self._line(f"{self.done}/{self.total} files, {self.pages} pages, {self.errors} errors, about {left:.0f} s left")

    def stop(self) -> None: ...

    def _line(self, text: str) -> None:
        print(f"vnplan: {text}", file=self.stream, flush=True)


def reporter_for(console: Console) -> Reporter:
    return RichReporter(console) if console.is_terminal else PlainReporter(console.file)


class RunLog:
    """DIR/logs/run-<timestamp>-<run id>.jsonl: one JSON event a line, flushed as it happens.
    The timestamp has microseconds, so that the names sort in the order the runs started
    even when two runs start within one second (a rerun that has nothing to do)."""

    def __init__(self, store: Path, run_id: str) -> None:
        self.run_id = run_id
        folder = store / LOG_DIR
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.path = folder / f"run-{stamp}-{run_id[:8]}.jsonl"
        self.handle = self.path.open("a", encoding="utf-8")

    def event(self, kind: str, **fields: Any) -> None:
        line = {"event": kind, "time": datetime.now(UTC).isoformat(), **fields}
        self.handle.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


# --------------------------------------------------------------------------- run


@dataclass(frozen=True)
class RunOptions:
    sources: tuple[str, ...]
    store: Path
    workers: int = DEFAULT_WORKERS
    limits: Limits = Limits()
    force: bool = False
    retry_failed: bool = False
    executor: str = "local"
    scheduler: str | None = None
    ocr: str = DEFAULT_OCR


@dataclass
class Summary:
    new: int = 0
    changed: int = 0
    outdated: int = 0
    unchanged: int = 0
    moved: int = 0
    deleted: int = 0
    processed: int = 0
    failed: int = 0
    failed_earlier: int = 0  # unchanged files whose earlier result is an error (see --retry-failed)
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # worker pid -> its peak RSS
    log: str = ""

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def text(self) -> str:
        worst = max(self.peak_rss_mb.values(), default=0.0)
        return (
            f"{self.new} new, {self.changed} changed, {self.outdated} outdated, {self.unchanged} unchanged, "
            f"{self.moved} moved, {self.deleted} deleted; {self.processed} processed, {self.failed} failed"
            + (f" ({self.failed_earlier} failed in earlier runs, not retried)" if self.failed_earlier else "")
            + f"; {self.pages} pages ({self.ocr_pages} OCRed); {self.seconds:.1f} s"
            + (f"; peak worker memory {worst:.0f} MB" if worst else "")
        )


def run(options: RunOptions, reporter: Reporter | None = None) -> Summary:
    """One batch run. StoreError (store locked or unreadable) and ExecutorError (no cluster)
    are raised before the store is changed."""
    started = time.monotonic()
    with lock_store(options.store), Store(options.store) as store:
        found = scan(options.sources)
        scope = [os.path.abspath(s) for s in options.sources]
        version = pipeline_version(options.ocr)
        plan = plan_run(found, store.files(), version, scope, options.force, options.retry_failed)
        with _executor_for(plan, options) as executor:
            batch = _Batch(store, plan, version, RunLog(options.store, uuid.uuid4().hex), reporter or SilentReporter())
            try:
                batch.log.event("start", run_id=batch.run_id, version=batch.version, sources=scope,
                                store=str(options.store), executor=options.executor, workers=options.workers,
                                limits=asdict(options.limits), files=len(found), to_process=len(plan.work))
                batch.commit_plan()
                if executor is not None:
                    batch.process(executor, partial(process_task, ocr=options.ocr))
                if store.export_needed():
                    store.export()
                batch.summary.seconds = time.monotonic() - started
                batch.log.event("end", **{k: v for k, v in asdict(batch.summary).items() if k != "log"})
            finally:
                batch.log.close()
    return batch.summary


@contextmanager
def _executor_for(plan: Plan, options: RunOptions) -> Iterator[Executor | None]:
    """No pool and no cluster for a run with nothing to process: a no-op rerun stays fast."""
    if not plan.work:
        yield None
        return
    with open_executor(options.executor, options.workers, options.limits, options.scheduler) as executor:
        yield executor


def _now() -> datetime:
    """Naive UTC, as DuckDB's TIMESTAMP stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


class _Batch:
    """The coordinator's side of one run: the only writer of the store."""

    def __init__(self, store: Store, plan: Plan, version: str, log: RunLog, reporter: Reporter) -> None:
        self.store = store
        self.plan = plan
        self.log = log
        self.reporter = reporter
        self.run_id = log.run_id
        self.version = version
        self.summary = Summary(
            new=len(plan.new), changed=len(plan.changed), outdated=len(plan.outdated),
            unchanged=len(plan.unchanged), moved=len(plan.moved), deleted=len(plan.deleted),
            failed=len(plan.unreadable), failed_earlier=len(plan.failed_earlier), log=str(log.path),
        )

    def commit_plan(self) -> None:
        """Everything that needs no worker, in one transaction: moves, deletions, links, unreadable files."""
        plan, now = self.plan, _now()
        rows = [
            FileRow(**{**asdict(result), "path": item.path, "size": item.size, "mtime": item.mtime,
                       "status": "error" if result.error else "ok", "deleted_at": None, "run_id": self.run_id})
            for item, result in plan.links
        ]
        rows += [
            FileRow(path=f.path, sha256=None, doc_id=None, size=0, mtime=0.0, pipeline_version=self.version,
                    status="error", error=f.error, processed_at=now, run_id=self.run_id)
            for f in plan.unreadable
        ]
        if not (rows or plan.moved or plan.deleted):
            return
        moves = [(old, f.path) for old, f in plan.moved]
        self.store.commit(files=rows, moves=moves, deleted=plan.deleted, deleted_at=now)
        for old, item in plan.moved:
            self.log.event("file", action="moved", path=item.path, moved_from=old, sha256=item.sha256)
        for path in plan.deleted:
            self.log.event("file", action="deleted", path=path)
        for row in rows:
            self.log.event("file", action=plan.actions[row.path], path=row.path, sha256=row.sha256,
                           status=row.status, error=row.error, processed=False)

    def process(self, executor: Executor, task: Callable[[str], dict[str, Any]]) -> None:
        """Stream the workers' results into the store, a small batch per transaction."""
        by_path = {files[0].path: files for files in self.plan.work.values()}
        # Largest first (longest-processing-time-first): a many-page scan started last
        # would keep one worker busy while the others wait at the end of the run.
        order = sorted(by_path, key=lambda path: by_path[path][0].size, reverse=True)
        pending: list[FileResult] = []
        last_commit = time.monotonic()
        self.reporter.start(len(by_path))
        try:
            for outcomes in run_all(executor, task, order, COMMIT_INTERVAL_S):
                pending += [_result_of(by_path[path], outcome) for path, outcome in outcomes]
                due = len(pending) >= COMMIT_BATCH_FILES or time.monotonic() - last_commit >= COMMIT_INTERVAL_S
                if pending and due:
                    self.commit_results(pending)
                    pending, last_commit = [], time.monotonic()
            if pending:
                self.commit_results(pending)
        finally:
            self.reporter.stop()

    def commit_results(self, results: list[FileResult]) -> None:
        """One transaction for the batch; the log and the progress follow only what is committed."""
        now = _now()
        rows = [
            FileRow(
                path=item.path, sha256=item.sha256, doc_id=result.record.get("doc_id"), size=item.size,
                mtime=item.mtime, pipeline_version=self.version, status=result.record.get("status", "error"),
                error=result.record.get("error"), pages=result.pages, ocr_pages=result.ocr_pages,
                seconds=result.seconds, processed_at=now, run_id=self.run_id,
            )
            for result in results
            for item in result.files
        ]
        self.store.commit(records=[r.record for r in results], files=rows)
        summary = self.summary
        for result in results:
            summary.processed += 1
            summary.failed += result.failed
            summary.pages += result.pages
            summary.ocr_pages += result.ocr_pages
            if result.pid is not None:
                summary.peak_rss_mb[result.pid] = max(summary.peak_rss_mb.get(result.pid, 0.0), result.peak_rss_mb or 0.0)
            for item in result.files:
                self.log.event("file", action=self.plan.actions[item.path], path=item.path, sha256=item.sha256,
                               status=result.record.get("status"), error=result.record.get("error"),
                               pages=result.pages, seconds=result.seconds, processed=item is result.files[0])
            self.reporter.advance(result)


def _result_of(files: list[FoundFile], outcome: Outcome) -> FileResult:
    """A worker's failure becomes an error record like any other, so the file is visible in queries."""
    if outcome.error is not None:
        return FileResult(files, error_record(files[0].path, files[0].sha256 or "", outcome.error).to_dict())
    return FileResult(files, **outcome.value)
