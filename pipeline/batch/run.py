"""The coordinator of a run: scan, plan, process in isolation, commit, export.

``vnplan run`` brings a store up to date; ``vnplan extract`` is the same run into a fresh
store that also writes records.jsonl. The coordinating process is the only writer of the
store: results are committed as they stream back, a small batch per DuckDB transaction.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.batch.plan import Plan, in_scope, plan_run
from pipeline.batch.progress import FileResult, Reporter, RunLog, SilentReporter
from pipeline.batch.scan import UNREADABLE, FoundFile, PassedOver, display_path, scan
from pipeline.batch.server import start_fork_server
from pipeline.batch.workers import (
    DEFAULT_OCR,
    DEFAULT_WORKERS,
    Executor,
    Limits,
    Outcome,
    open_executor,
    process_task,
    run_all,
)
from pipeline.emit.jsonl import JsonlSink
from pipeline.emit.store import (
    RECORDS_NAME,
    FileRow,
    Store,
    clear_store,
    lock_store,
    prepare_arrow,
)
from pipeline.records import RECORD_VERSION, error_record
from pipeline.wording import counted

# Results are committed when this many have arrived or this long after the last commit,
# whichever comes first: one transaction per file would cost more than the file itself.
COMMIT_BATCH_FILES = 64
COMMIT_INTERVAL_S = 2.0


def pipeline_version(ocr: str = DEFAULT_OCR) -> str:
    """A result is current only if made by this code, this record contract and this OCR mode."""
    return f"{__version__}+record{RECORD_VERSION}+ocr-{ocr}"


@dataclass(frozen=True)
class RunOptions:
    """``fresh``: start from an empty store (``vnplan extract``), which also writes
    records.jsonl; ``searchable_dir``: write each scanned input there as a searchable PDF."""

    sources: tuple[str, ...]
    store: Path
    workers: int = DEFAULT_WORKERS
    limits: Limits = Limits()
    force: bool = False
    retry_failed: bool = False
    executor: str = "local"
    scheduler: str | None = None
    ocr: str = DEFAULT_OCR
    fresh: bool = False
    searchable_dir: Path | None = None


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
    skipped: dict[str, int] = field(default_factory=dict)  # why (a suffix, "hidden", ...) -> entries
    unreadable: dict[str, int] = field(default_factory=dict)  # file | folder | link -> entries
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # worker pid -> its peak RSS
    log: str = ""
    records: str | None = None  # records.jsonl, for a fresh run

    @property
    def exit_code(self) -> int:
        """1 when a file failed or an entry could not be read; 0 otherwise."""
        return 1 if self.failed or self.unreadable else 0

    def text(self) -> str:
        worst = max(self.peak_rss_mb.values(), default=0.0)
        return (
            f"{self.new} new, {self.changed} changed, {self.outdated} outdated, {self.unchanged} unchanged, "
            f"{self.moved} moved, {self.deleted} deleted; {self.processed} processed, {self.failed} failed"
            + (f" ({self.failed_earlier} failed in earlier runs, not retried)" if self.failed_earlier else "")
            + (f"; skipped {sum(self.skipped.values())}: {_breakdown(self.skipped)}" if self.skipped else "")
            + (f"; unreadable {_breakdown(self.unreadable, nouns=True)}" if self.unreadable else "")
            + f"; {counted(self.pages, 'page')} ({self.ocr_pages} OCRed); {self.seconds:.1f} s"
            + (f"; peak worker memory {worst:.0f} MB" if worst else "")
        )


def _breakdown(counts: dict[str, int], nouns: bool = False) -> str:
    """".md 30, .zip 4" or, for kinds of entry, "1 folder, 2 links"; the largest first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(counted(n, what) if nouns else f"{what} {n}" for what, n in ordered)


def run(options: RunOptions, reporter: Reporter | None = None) -> Summary:
    """One batch run. StoreError (store locked or unreadable) and ExecutorError (no cluster)
    are raised before the store is changed."""
    started = time.monotonic()
    root = Path(options.store)
    with lock_store(root):
        if options.fresh:
            clear_store(root)
            if options.executor == "local":  # a fresh store has every file to process
                start_fork_server(options.sources)
        with Store(root) as store:
            found = scan(options.sources, exclude=[root])
            scope = [display_path(os.path.abspath(s)) for s in options.sources]
            version = pipeline_version(options.ocr)
            known = store.files()
            plan = plan_run(found.files, known, version, scope, options.force, options.retry_failed)
            forget = [row.path for row in known if row.passed_over and in_scope(row.path, scope)]
            sink = JsonlSink(root / RECORDS_NAME) if options.fresh else None
            order = {item.path: index for index, item in enumerate(found.files)}
            with _executor_for(plan, options) as executor:
                batch = _Batch(store, plan, found.passed_over, version, RunLog(root, uuid.uuid4().hex),
                               reporter or SilentReporter(), sink, order)
                try:
                    batch.log.event("start", run_id=batch.run_id, version=batch.version, sources=scope,
                                    store=str(root), executor=options.executor, workers=options.workers,
                                    limits=asdict(options.limits), files=len(found.files),
                                    passed_over=len(found.passed_over), to_process=len(plan.work))
                    batch.commit_plan(forget)
                    if executor is not None:
                        searchable = str(options.searchable_dir) if options.searchable_dir else None
                        batch.process(executor, partial(process_task, ocr=options.ocr, searchable_dir=searchable))
                    if store.export_needed():
                        store.export()
                    if sink is not None:
                        sink.close()
                        batch.summary.records = str(sink.path)
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

    def __init__(
        self,
        store: Store,
        plan: Plan,
        passed_over: list[PassedOver],
        version: str,
        log: RunLog,
        reporter: Reporter,
        sink: JsonlSink | None,
        order: dict[str, int],
    ) -> None:
        self.store = store
        self.plan = plan
        self.passed_over = passed_over
        self.log = log
        self.reporter = reporter
        self.sink = sink
        self.order = order
        self.run_id = log.run_id
        self.version = version
        unreadable = Counter(p.entry for p in passed_over if p.status == UNREADABLE)
        unreadable.update({"file": len(plan.unreadable)} if plan.unreadable else {})
        self.summary = Summary(
            new=len(plan.new), changed=len(plan.changed), outdated=len(plan.outdated),
            unchanged=len(plan.unchanged), moved=len(plan.moved), deleted=len(plan.deleted),
            failed_earlier=len(plan.failed_earlier), log=str(log.path),
            skipped=dict(Counter(p.category for p in passed_over if p.status != UNREADABLE)),
            unreadable=dict(unreadable),
        )

    def commit_plan(self, forget: list[str]) -> None:
        """Everything that needs no worker, in one transaction: moves, deletions, links,
        unreadable files and the entries passed over (those of earlier runs forgotten)."""
        plan, now = self.plan, _now()
        rows = [
            FileRow(**{**asdict(result), "path": item.path, "path_bytes": item.path_bytes, "size": item.size,
                       "mtime": item.mtime, "status": "error" if result.error else "ok", "deleted_at": None,
                       "run_id": self.run_id})
            for item, result in plan.links
        ]
        rows += [
            FileRow(path=f.path, sha256=None, doc_id=None, size=0, mtime=0.0, pipeline_version=self.version,
                    status="error", error=f.error, processed_at=now, run_id=self.run_id, path_bytes=f.path_bytes)
            for f in plan.unreadable
        ]
        passed = [
            FileRow(path=p.path, sha256=None, doc_id=None, size=0, mtime=0.0, pipeline_version=self.version,
                    status=p.status, error=p.reason if p.status == UNREADABLE else None,
                    reason=None if p.status == UNREADABLE else p.reason, entry=p.entry,
                    path_bytes=p.path_bytes, processed_at=now, run_id=self.run_id)
            for p in self.passed_over
        ]
        if not (rows or passed or forget or plan.moved or plan.deleted):
            return
        moves = [(old, f.path) for old, f in plan.moved]
        self.store.commit(files=rows + passed, moves=moves, deleted=plan.deleted, deleted_at=now, forget=forget)
        for old, item in plan.moved:
            self.log.event("file", action="moved", path=item.path, moved_from=old, sha256=item.sha256)
        for path in plan.deleted:
            self.log.event("file", action="deleted", path=path)
        for row in rows:
            self.log.event("file", action=plan.actions[row.path], path=row.path, sha256=row.sha256,
                           status=row.status, error=row.error, processed=False)
        for p in self.passed_over:
            self.log.event("file", action="unreadable" if p.status == UNREADABLE else "skipped", path=p.path,
                           entry=p.entry, status=p.status, reason=p.reason, processed=False)
        if self.sink is not None:
            for f in plan.unreadable:
                self.sink.add(self.order[f.path], error_record(f.path, "", f.error or "cannot read the file"))

    def process(self, executor: Executor, task: Callable[[FoundFile], dict[str, Any]]) -> None:
        """Stream the workers' results into the store, a small batch per transaction."""
        by_first = {files[0]: files for files in self.plan.work.values()}
        # Largest first (longest-processing-time-first): a many-page scan started last
        # would keep one worker busy while the others wait at the end of the run.
        order = sorted(by_first, key=lambda item: item.size, reverse=True)
        pending: list[FileResult] = []
        last_commit = time.monotonic()
        self.reporter.start(len(by_first))
        threading.Thread(target=prepare_arrow, daemon=True).start()
        try:
            for outcomes in run_all(executor, task, order, COMMIT_INTERVAL_S):
                pending += [_result_of(by_first[item], outcome) for item, outcome in outcomes]
                due = len(pending) >= COMMIT_BATCH_FILES or time.monotonic() - last_commit >= COMMIT_INTERVAL_S
                if pending and due:
                    self.commit_results(pending)
                    pending, last_commit = [], time.monotonic()
            executor.finished()
            if pending:
                self.commit_results(pending)
        finally:
            self.reporter.stop()

    def commit_results(self, results: list[FileResult]) -> None:
        """One transaction for the batch; the log, records.jsonl and the progress follow only
        what is committed."""
        now = _now()
        rows = [
            FileRow(
                path=item.path, sha256=item.sha256, doc_id=result.record.get("doc_id"), size=item.size,
                mtime=item.mtime, pipeline_version=self.version, status=result.record.get("status", "error"),
                error=result.record.get("error"), pages=result.pages, ocr_pages=result.ocr_pages,
                seconds=result.seconds, processed_at=now, run_id=self.run_id, path_bytes=item.path_bytes,
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
                if self.sink is not None:
                    self.sink.add(self.order[item.path], {**result.record, "source": item.path})
            self.reporter.advance(result)


def _result_of(files: list[FoundFile], outcome: Outcome) -> FileResult:
    """A worker's failure becomes an error record like any other, so the file is visible in queries."""
    if outcome.error is not None:
        return FileResult(files, error_record(files[0].path, files[0].sha256 or "", outcome.error).to_dict())
    return FileResult(files, **outcome.value)
