"""The ``vnplan`` command: a thin layer that parses arguments and calls the pipeline."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from pipeline.batch import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WORKERS,
    ExecutorError,
    Limits,
    RunOptions,
    reporter_for,
    run,
)
from pipeline.emit import emit_all
from pipeline.emit.store import StoreError
from pipeline.evaluate import evaluate, format_report
from pipeline.process import discover, process_file


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


app = typer.Typer(add_completion=False, no_args_is_help=True, help="Structured records from Vietnamese plans and reports.")
console = Console(stderr=True)


@app.command("extract")
def extract_command(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="auto: OCR images and PDF pages without a usable text layer; always: every page; never: none."),
    searchable_pdf: Path | None = typer.Option(None, "--searchable-pdf", help="Also write each scanned input to this folder as a PDF with an invisible text layer."),
) -> None:
    """Read every document under PATHS and write records.jsonl, tables/*.parquet and vnplan.duckdb to OUT."""
    files = list(discover(paths))
    if not files:
        console.print("[red]No supported files found.[/red]")
        raise typer.Exit(2)
    records = []
    with _progress() as progress:
        task = progress.add_task("extracting", total=len(files), errors=0)
        errors = 0
        for path in files:
            record = process_file(path, ocr=ocr.value, searchable_dir=searchable_pdf)
            records.append(record)
            if record.status == "error":
                errors += 1
                progress.console.print(f"[yellow]error[/yellow] {path}: {record.error}")
            progress.update(task, advance=1, errors=errors)
    counts = emit_all(records, out)
    failed = sum(r.status == "error" for r in records)
    console.print(
        f"{len(records)} files: {len(records) - failed} ok, {failed} failed; "
        f"{counts.get('references', 0)} references, {counts.get('agencies', 0)} agencies -> {out}"
    )
    raise typer.Exit(1 if failed else 0)


class ExecutorKind(str, Enum):
    local = "local"
    dask = "dask"


@app.command("run")
def run_command(
    sources: list[Path] = typer.Argument(..., exists=True, help="Files or folders (searched recursively)."),
    store: Path = typer.Option(..., "--store", "-s", help="The store folder: vnplan.duckdb, tables/, logs/."),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", "-w", min=1, help="Worker processes (default: one per core)."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT_S, "--timeout", min=0.1, help="Seconds one file may take before it fails."),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY_MB, "--max-memory", min=64, help="Address space limit of each worker, in MB."),
    force: bool = typer.Option(False, "--force", help="Process every file again, changed or not."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Process again the files that failed in earlier runs."),
    executor: ExecutorKind = typer.Option(ExecutorKind.local, "--executor", help="local: a process pool here; dask: a Dask cluster."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="When to OCR: auto, always or never."),
) -> None:
    """Bring the store DIR up to date with SOURCES: process only new and changed files, in parallel.

    Exit code 0: every file succeeded; 1: some files failed (see the log); 2: usage or store error.
    """
    if scheduler and executor is not ExecutorKind.dask:
        console.print("[red]--scheduler needs --executor dask.[/red]")
        raise typer.Exit(2)
    options = RunOptions(
        sources=tuple(str(s) for s in sources), store=store, workers=workers,
        limits=Limits(timeout_s=timeout, max_memory_mb=max_memory), force=force, retry_failed=retry_failed,
        executor=executor.value, scheduler=scheduler, ocr=ocr.value,
    )
    try:
        summary = run(options, reporter_for(console))
    except (StoreError, ExecutorError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    typer.echo(summary.text())
    console.print(f"log: {summary.log}")
    raise typer.Exit(summary.exit_code)


@app.command("eval")
def eval_command(
    gold_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of gold JSON files."),
    records: Path = typer.Argument(..., exists=True, dir_okay=False, help="A records.jsonl written by extract."),
    per_doc: bool = typer.Option(False, "--per-doc", help="List each document's mismatches."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score records against gold annotations: accuracy per header field, P/R/F1 per list."""
    report = evaluate(gold_dir, records)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(report, per_doc=per_doc))


@app.command("schema")
def schema_command() -> None:
    """Print the JSON field list of one record (the contract between stages)."""
    from pipeline.records import Record

    typer.echo(json.dumps(Record(doc_id="", source="", sha256="", status="ok").to_dict(), ensure_ascii=False, indent=2))


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("errors: {task.fields[errors]}"),
        TimeRemainingColumn(),
        console=console,
        disable=not sys.stderr.isatty(),
    )


def main(argv: list[str] | None = None) -> None:
    app(argv)
