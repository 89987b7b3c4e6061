"""What a run tells while it goes: a progress bar on a terminal, plain lines elsewhere,
and the run log (one JSON event a line) in the store."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from pipeline.batch.scan import FoundFile
from pipeline.wording import counted

PLAIN_PROGRESS_INTERVAL_S = 10.0
LOG_DIR = "logs"


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
        self._line(f"processing {counted(total, 'file')}")

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
            self._line(
                f"{self.done}/{counted(self.total, 'file')}, {counted(self.pages, 'page')}, "
                f"{counted(self.errors, 'error')}, about {left:.0f} s left"
            )

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
