"""The ``vnplan`` command: a thin layer that parses arguments and calls the pipeline."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from pipeline.analysis import connect
from pipeline.analysis.export import ExportError, ExportFormat, export
from pipeline.analysis.query import OutputFormat, QueryError, as_table, rows_text, run_query, write_query
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


STORE_HELP = "A folder made by vnplan run --store or vnplan extract --out."

# The comparison, graph, echo and review commands import their modules when they run:
# those pull in scikit-learn, networkx and matplotlib, which `vnplan run`, its worker
# processes and a no-op nightly rerun should not pay for at start-up.
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
    with _exit_2_on(StoreError, ExecutorError):
        summary = run(options, reporter_for(console))
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


@app.command("query")
def query_command(
    sql: str = typer.Argument(..., help="One SQL statement (DuckDB) over the store's tables and views: see docs/tables.md."),
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    fmt: OutputFormat | None = typer.Option(None, "--format", "-f", help="Write the result to --out as csv, json (an array of objects) or parquet."),
    out: Path | None = typer.Option(None, "--out", "-o", help="The file to write; needs --format."),
    max_rows: int = typer.Option(50, "--max-rows", min=1, help="Rows shown in the printed table."),
) -> None:
    """Run SQL over a store, read-only: print the result as a table, or write it to a file.

    Exit code 0: done; 2: SQL error, no store, or --format without --out (or the reverse).
    """
    if (fmt is None) != (out is None):
        console.print("[red]--format and --out go together.[/red]")
        raise typer.Exit(2)
    with _exit_2_on(StoreError, QueryError):
        if fmt is None:
            Console().print(as_table(run_query(store, sql), max_rows))
        else:
            console.print(f"{rows_text(write_query(store, sql, fmt, out))} -> {out}")


@app.command("export")
def export_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    fmt: ExportFormat = typer.Option(ExportFormat.xlsx, "--format", "-f", help="xlsx: one workbook, a sheet per table; csv: a folder, a file per table."),
    out: Path = typer.Option(..., "--out", "-o", help="The workbook (xlsx) or the folder (csv) to write."),
) -> None:
    """Write the store's tables and main views for Excel, with Vietnamese column captions.

    Exit code 0: written; 2: no store, or a table too long for an Excel sheet.
    """
    with _exit_2_on(StoreError, ExportError):
        counts = export(store, fmt, out)
    console.print(f"{len(counts)} tables, {sum(counts.values())} rows -> {out}")


class Grouping(str, Enum):
    original = "original"
    successor = "2025"


@app.command("compare")
def compare_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the tables (CSV with BOM and Parquet)."),
    topic: str | None = typer.Option(None, "--topic", help="Words matched in title and text, ignoring accents and case; commas separate alternatives."),
    years: str | None = typer.Option(None, "--years", help="Issue years, e.g. 2022-2025 or 2023."),
    doc_types: list[str] = typer.Option([], "--type", help="Document type, e.g. \"Kế hoạch\" (repeatable)."),
    provinces: list[str] = typer.Option([], "--province", help="Province by its name at the time or its 2025 successor (repeatable)."),
    by: Grouping = typer.Option(Grouping.original, "--by", help="Group the summary matrices by names at the time or by 2025 successors."),
    as_of: str | None = typer.Option(None, "--as-of", help="Day (YYYY-MM-DD) against which a report is missing; default today."),
) -> None:
    """Compare provinces: duties by agency, central directives cited, citation lags, one calendar, report follow-through."""
    from pipeline.analysis.compare import Filter, compare, parse_years, summarise, summary_lines, write_tables

    with _exit_2_on(ValueError):
        chosen = Filter(topic, parse_years(years) if years else None, tuple(doc_types), tuple(provinces))
        day = dt.date.fromisoformat(as_of) if as_of else None
    with _exit_2_on(StoreError), connect(store) as con:
        tables = compare(con, chosen, as_of=day)
    write_tables({**tables, **summarise(tables, by.value)}, out)
    typer.echo("\n".join(summary_lines(tables, by.value)))
    console.print(f"tables -> {out}")


class GraphFormat(str, Enum):
    graphml = "graphml"
    json = "json"


@app.command("graph")
def graph_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    fmt: GraphFormat = typer.Option(GraphFormat.graphml, "--format", "-f", help="GraphML (Gephi, yEd) or networkx node-link JSON."),
    out: Path = typer.Option(..., "--out", "-o", help="The file to write."),
) -> None:
    """Write the reference graph: documents, the national documents they cite, unresolved references.

    Exit code 0: written; 2: no store.
    """
    from pipeline.analysis.graph import build_graph, write_graph

    with _exit_2_on(StoreError), connect(store) as con:
        graph = build_graph(con)
    write_graph(graph, out, fmt.value)
    kinds = [kind for _, kind in graph.nodes(data="kind")]
    console.print(
        f"{graph.number_of_nodes()} nodes ({kinds.count('store')} documents, {kinds.count('national')} national, "
        f"{kinds.count('unresolved')} unresolved, {kinds.count('ambiguous')} ambiguous), {graph.number_of_edges()} edges -> {out}"
    )


@app.command("echo")
def echo_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    doc: str | None = typer.Option(None, "--doc", help="The child plan's doc_id; default: every child/parent pair of plans."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Also write the comparison to this CSV file."),
) -> None:
    """Side by side: the duties a plan passes on from the plan it implements, drops and adds.

    Exit code 0: done; 2: no store, or --doc has no parent plan in the store.
    """
    from pipeline.analysis.echo import as_rich_table, echo, echo_table, echoes

    with _exit_2_on(StoreError, LookupError), connect(store) as con:
        found = [echo(con, doc)] if doc else echoes(con)
        for item in found:
            Console().print(as_rich_table(con, item))
    if not found:
        console.print("No plan of the store implements another plan of the store.")
    if out:
        echo_table(found).to_csv(out, index=False, encoding="utf-8-sig")
        console.print(f"{len(found)} pairs -> {out}")


@app.command("report")
def report_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    html: Path = typer.Option(..., "--html", help="The folder to write the static review site to (open SITE/index.html)."),
) -> None:
    """Write a static review site of the store: documents with filters, each record's text with its
    extractions highlighted and linked, comparisons, the reference graph and echoes.

    Exit code 0: written; 2: no store.
    """
    from pipeline.review.site import write_site

    with _exit_2_on(StoreError):
        counts = write_site(store, html)
    console.print(f"{counts['documents']} document pages, {counts['pages']} pages -> {html / 'index.html'}")


@contextmanager
def _exit_2_on(*errors: type[Exception]) -> Iterator[None]:
    """A usage or store error: its message in red, exit code 2."""
    try:
        yield
    except errors as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(2) from None


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
