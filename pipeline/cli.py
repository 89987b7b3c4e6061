"""The ``vnplan`` command: a thin layer that parses arguments and calls the pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pipeline.emit import emit_all
from pipeline.evaluate import evaluate, format_report
from pipeline.process import discover, process_file

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Structured records from Vietnamese plans and reports.")
console = Console(stderr=True)


@app.command("extract")
def extract_command(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
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
            record = process_file(path)
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
