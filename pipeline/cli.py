"""The ``vnplan`` command: a thin layer that parses arguments and calls the pipeline."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import click
import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from pipeline import __version__
from pipeline.analysis import connect
from pipeline.analysis.formats import ExportFormat, OutputFormat
from pipeline.analysis.query import (
    QueryError,
    as_table,
    format_of,
    run_query,
    write_query,
)
from pipeline.batch.progress import reporter_for
from pipeline.batch.run import RunOptions, run
from pipeline.batch.scan import display_path
from pipeline.batch.workers import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WORKERS,
    ExecutorError,
    Limits,
)
from pipeline.emit.store import StoreError, rebuild
from pipeline.evaluate import (
    EvalInputError,
    evaluate_records,
    format_report,
    load_gold,
    load_records,
    read_records,
)
from pipeline.wording import counted


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


STORE_HELP = "A folder made by vnplan run --store or vnplan extract --out."

# The export, comparison, graph, echo and review commands import their modules when they
# run: those pull in pandas, openpyxl, scikit-learn, networkx and matplotlib, which `vnplan run`, its worker
# processes and a no-op nightly rerun should not pay for at start-up.
console = Console(stderr=True)


class _Commands(TyperGroup):
    """Every command: an error of the system that reaches this far (a folder that cannot be
    written, a full disk) is a message and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as error:
            where = f" {escape(display_path(str(error.filename)))}" if error.filename else ""
            console.print(f"[red]cannot use{where}: {escape(error.strerror or str(error))}[/red]")
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Structured records from Vietnamese plans and reports.",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"vnplan {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", "-V", callback=_show_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Structured records from Vietnamese plans and reports."""


class ExecutorKind(str, Enum):
    local = "local"
    dask = "dask"


# The options of a run, shared by extract and run: both are runs into a store.
WORKERS = typer.Option(DEFAULT_WORKERS, "--workers", "-w", min=1, help="Worker processes (default: one per core).")
TIMEOUT = typer.Option(DEFAULT_TIMEOUT_S, "--timeout", min=0.1, help="Seconds one file may take before it fails.")
MAX_MEMORY = typer.Option(DEFAULT_MAX_MEMORY_MB, "--max-memory", min=64, help="Address space limit of each worker, in MB.")
EXECUTOR = typer.Option(ExecutorKind.local, "--executor", help="local: a process pool here; dask: a Dask cluster.")
SCHEDULER = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a LocalCluster.")
OCR = typer.Option(OcrMode.auto, "--ocr", help="auto: OCR images and PDF pages without a usable text layer; always: every page; never: none.")


@app.command("extract")
def extract_command(
    paths: list[str] = typer.Argument(..., help="Files or folders (searched recursively); - reads one document from standard input."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder, made afresh: records.jsonl, tables/, vnplan.duckdb, logs/."),
    ocr: OcrMode = OCR,
    searchable_pdf: Path | None = typer.Option(None, "--searchable-pdf", help="Also write each scanned input to this folder as a PDF with an invisible text layer."),
    workers: int = WORKERS,
    timeout: float = TIMEOUT,
    max_memory: int = MAX_MEMORY,
    executor: ExecutorKind = EXECUTOR,
    scheduler: str | None = SCHEDULER,
) -> None:
    """Read every document under PATHS into a fresh store OUT: records.jsonl, tables/*.parquet,
    vnplan.duckdb. The same run as `vnplan run` into an empty store: each file in a worker
    process with a time and memory limit.

    Exit code 0: every file read; 1: some files failed or entries could not be read; 2: usage or store error.
    """
    with _sources(paths, stdin=True) as sources:
        _run(RunOptions(
            sources=sources, store=out, workers=workers, limits=Limits(timeout_s=timeout, max_memory_mb=max_memory),
            executor=executor.value, scheduler=scheduler, ocr=ocr.value, fresh=True, searchable_dir=searchable_pdf,
        ))


@app.command("run")
def run_command(
    sources: list[str] = typer.Argument(..., help="Files or folders (searched recursively)."),
    store: Path = typer.Option(..., "--store", "-s", help="The store folder: vnplan.duckdb, tables/, logs/."),
    workers: int = WORKERS,
    timeout: float = TIMEOUT,
    max_memory: int = MAX_MEMORY,
    force: bool = typer.Option(False, "--force", help="Process every file again, changed or not."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Process again the files that failed in earlier runs."),
    executor: ExecutorKind = EXECUTOR,
    scheduler: str | None = SCHEDULER,
    ocr: OcrMode = OCR,
) -> None:
    """Bring the store DIR up to date with SOURCES: process only new and changed files, in parallel.

    Exit code 0: every file succeeded; 1: some files failed or entries could not be read (see
    the log); 2: usage or store error.
    """
    with _sources(sources, stdin=False) as found:
        _run(RunOptions(
            sources=found, store=store, workers=workers, limits=Limits(timeout_s=timeout, max_memory_mb=max_memory),
            force=force, retry_failed=retry_failed, executor=executor.value, scheduler=scheduler, ocr=ocr.value,
        ))


@app.command("rebuild")
def rebuild_command(
    store: Path = typer.Option(..., "--store", "-s", help="The store whose database is damaged."),
) -> None:
    """Make a damaged store database again from the store's Parquet export (tables/), the
    state after the last completed run; the damaged file is kept beside it. Then `vnplan run`
    goes on from there.

    Exit code 0: rebuilt; 2: no complete export to rebuild from, or the store is in use.
    """
    with _exit_2_on(StoreError):
        counts = rebuild(store)
    console.print(f"rebuilt {store / 'vnplan.duckdb'}: {counted(counts['documents'], 'document')} and {counted(counts['files'], 'file')}")


def _run(options: RunOptions) -> None:
    if options.scheduler and options.executor != ExecutorKind.dask.value:
        raise typer.BadParameter("needs --executor dask", param_hint="'--scheduler'")
    with _exit_2_on(StoreError, ExecutorError):
        summary = run(options, reporter_for(console))
    typer.echo(summary.text())
    if summary.records:
        console.print(f"records: {summary.records}")
    console.print(f"log: {summary.log}")
    raise typer.Exit(summary.exit_code)


@contextmanager
def _sources(paths: list[str], stdin: bool) -> Iterator[tuple[str, ...]]:
    """The paths named, each of which must exist (exit 2 otherwise, as in every command);
    with ``stdin``, "-" is one document read from standard input into a temporary file."""
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise typer.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="'PATHS...'")
    if "-" in paths and not stdin:
        raise typer.BadParameter("- (standard input) is read by vnplan extract, not by a run into a store", param_hint="'SOURCES...'")
    if "-" not in paths:
        yield tuple(paths)
        return
    with tempfile.TemporaryDirectory(prefix="vnplan-stdin-") as folder:
        received = Path(folder) / "stdin"
        with open(received, "wb") as handle:
            shutil.copyfileobj(sys.stdin.buffer, handle)
        yield tuple(str(received) if p == "-" else p for p in paths)


@app.command("eval")
def eval_command(
    gold_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of gold JSON files."),
    # path_type=str: typer checks for "-" only before it turns the value into a Path.
    records: Path = typer.Argument(..., exists=True, dir_okay=False, allow_dash=True, path_type=str, help="A records.jsonl written by extract, or - to read it from stdin."),
    per_doc: bool = typer.Option(False, "--per-doc", help="List each document's mismatches."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score records against gold annotations: accuracy per header field, P/R/F1 per list.

    Exit code 0: scored; 2: no gold files, or a gold or records file that cannot be read (the message names the file and line).
    """
    with _exit_2_on(EvalInputError):
        golds = load_gold(gold_dir)
        found = read_records(typer.get_binary_stream("stdin"), "stdin") if _is_dash(records) else load_records(records)
    report = evaluate_records(golds, found)
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
    sql: str = typer.Argument(..., help="SQL (DuckDB) over the store's tables and views: see docs/tables.md."),
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    fmt: OutputFormat | None = typer.Option(None, "--format", "-f", help="csv, tsv, json (an array of objects) or parquet; default: the suffix of --out, else a table on a terminal and CSV elsewhere."),
    out: Path | None = typer.Option(None, "--out", "-o", help="The file to write (.csv, .tsv, .json or .parquet); default or -: stdout."),
    max_rows: int = typer.Option(50, "--max-rows", min=1, help="Rows shown in the table printed on a terminal."),
) -> None:
    """Run SQL over a store, which it can read but not change, and no other file: print the
    result (a table on a terminal, CSV in a pipe) or write it to a file.

    Exit code 0: done; 2: SQL error, no store, an --out suffix that names no format, or parquet to a terminal.
    """
    to_stdout = out is None or _is_dash(out)
    fmt = fmt or (None if to_stdout else _format_of_out(out))
    terminal = to_stdout and _on_terminal()
    if terminal and fmt is OutputFormat.parquet:
        raise typer.BadParameter("parquet is binary: write it to a file with --out, or redirect stdout", param_hint="'--format'")
    with _exit_2_on(StoreError, QueryError), _reader_may_stop():
        if terminal and fmt is None:
            Console().print(as_table(run_query(store, sql, max_rows)))
        elif to_stdout:
            write_query(store, sql, fmt or OutputFormat.csv, typer.get_binary_stream("stdout"))
        else:
            console.print(f"{counted(write_query(store, sql, fmt, out), 'row')} -> {out}")


def _format_of_out(out: Path) -> OutputFormat:
    """--out without --format: the file's suffix names the format."""
    fmt = format_of(out)
    if fmt is None:
        *first, last = [f".{f.value}" for f in OutputFormat]
        raise typer.BadParameter(f"cannot tell the format of {out} from its suffix: name it {', '.join(first)} or {last}, or give --format", param_hint="'--out'")
    return fmt


def _on_terminal() -> bool:
    """Whether a person reads stdout (a table) rather than a program or a file (CSV)."""
    return sys.stdout.isatty()


def _is_dash(path: Path) -> bool:
    """"-" stands for stdin or stdout."""
    return str(path) == "-"


@contextmanager
def _reader_may_stop() -> Iterator[None]:
    """``vnplan query ... | head``: a reader that stops early ends the command quietly, as
    SIGPIPE ends other tools (exit code 141), not with an error or a traceback at exit."""
    try:
        yield
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None


@app.command("export")
def export_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    fmt: ExportFormat = typer.Option(ExportFormat.xlsx, "--format", "-f", help="xlsx: one workbook, a sheet per table; csv: a folder, a file per table."),
    out: Path = typer.Option(..., "--out", "-o", help="The workbook (xlsx) or the folder (csv) to write."),
) -> None:
    """Write the store's tables and main views for Excel, with Vietnamese column captions.

    Exit code 0: written; 2: no store, a table too long for an Excel sheet, or an --out that cannot be written.
    """
    from pipeline.analysis.export import ExportError, export

    with _exit_2_on(StoreError, ExportError):
        counts = export(store, fmt, out)
    console.print(f"{counted(len(counts), 'table')}, {counted(sum(counts.values()), 'row')} -> {out}")


class Grouping(str, Enum):
    original = "original"
    successor = "2025"


def _day(text: str) -> dt.date:
    """BadParameter, which typer reports naming the option: "Invalid value for '--as-of': ..."."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(f"{text} is not a date (YYYY-MM-DD): {error}") from None


def _years(text: str) -> tuple[int, int]:
    """"2022-2025" -> (2022, 2025), or BadParameter naming --years."""
    from pipeline.analysis.compare import parse_years

    try:
        return parse_years(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _known_provinces(names: list[str]) -> list[str]:
    """A misspelt province fails here, named as the option's value, before any query."""
    from pipeline.analysis.compare import province_names

    try:
        province_names(tuple(names))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    return names


@app.command("compare")
def compare_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the tables (CSV with BOM and Parquet)."),
    topic: str | None = typer.Option(None, "--topic", help="Words matched in title and text, ignoring accents and case; commas separate alternatives."),
    # A bare tuple: typer would read tuple[int, int] as an option taking two values.
    years: tuple | None = typer.Option(None, "--years", parser=_years, metavar="YEARS", help="Issue years, e.g. 2022-2025 or 2023."),
    doc_types: list[str] = typer.Option([], "--type", help="Document type, e.g. \"Kế hoạch\" (repeatable)."),
    provinces: list[str] = typer.Option([], "--province", callback=_known_provinces, help="Province by its name at the time or its 2025 successor (repeatable)."),
    by: Grouping = typer.Option(Grouping.original, "--by", help="Group the summary matrices by names at the time or by 2025 successors."),
    as_of: dt.date | None = typer.Option(None, "--as-of", parser=_day, metavar="YYYY-MM-DD", help="Day against which a report is missing; default today."),
) -> None:
    """Compare provinces: duties by agency, central directives cited, citation lags, one calendar, report follow-through.

    Exit code 0: written; 2: no store, an option that does not parse, or an --out that cannot be written.
    """
    from pipeline.analysis.compare import (
        Filter,
        compare,
        summarise,
        summary_lines,
        write_tables,
    )

    chosen = Filter(topic, years, tuple(doc_types), tuple(provinces))
    with _exit_2_on(StoreError), connect(store) as con:
        tables = compare(con, chosen, as_of=as_of)
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
    out: Path = typer.Option(..., "--out", "-o", help="The file to write, or - for stdout."),
) -> None:
    """Write the reference graph: documents, the national documents they cite, unresolved references.

    Exit code 0: written; 2: no store, or an --out that cannot be written.
    """
    from pipeline.analysis.graph import build_graph, write_graph

    with _exit_2_on(StoreError), connect(store) as con:
        graph = build_graph(con)
    with _reader_may_stop():
        if _is_dash(out):
            _to_stdout_through_file(lambda path: write_graph(graph, path, fmt.value))
        else:
            write_graph(graph, out, fmt.value)
    kinds = [kind for _, kind in graph.nodes(data="kind")]
    console.print(
        f"{counted(graph.number_of_nodes(), 'node')} ({counted(kinds.count('store'), 'document')}, "
        f"{kinds.count('national')} national, {kinds.count('unresolved')} unresolved, {kinds.count('ambiguous')} ambiguous), "
        f"{counted(graph.number_of_edges(), 'edge')} -> {_where(out)}"
    )


def _to_stdout_through_file(write: Callable[[Path], object]) -> None:
    """write_graph writes only to a path: stdout gets the bytes of a temporary file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out"
        write(path)
        typer.get_binary_stream("stdout").write(path.read_bytes())


def _where(out: Path) -> str:
    return "stdout" if _is_dash(out) else str(out)


@app.command("echo")
def echo_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    doc: str | None = typer.Option(None, "--doc", help="The child plan's doc_id; default: every child/parent pair of plans."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Also write the comparison to this CSV file; - writes only the CSV, to stdout."),
) -> None:
    """Side by side: the duties a plan passes on from the plan it implements, drops and adds.

    Exit code 0: done; 2: no store, --doc has no parent plan in the store, or an --out that cannot be written.
    """
    from pipeline.analysis.echo import as_rich_table, echo, echo_table, echoes

    to_stdout = out is not None and _is_dash(out)
    with _exit_2_on(StoreError, LookupError), connect(store) as con:
        found = [echo(con, doc)] if doc else echoes(con)
        if not to_stdout:
            for item in found:
                Console().print(as_rich_table(con, item))
    if not found:
        console.print("No plan of the store implements another plan of the store.")
    if out is None:
        return
    with _reader_may_stop():
        if to_stdout:
            typer.get_binary_stream("stdout").write(echo_table(found).to_csv(index=False).encode("utf-8"))
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            echo_table(found).to_csv(out, index=False, encoding="utf-8-sig")
    console.print(f"{counted(len(found), 'pair')} -> {_where(out)}")


@app.command("report")
def report_command(
    store: Path = typer.Option(..., "--store", "-s", help=STORE_HELP),
    html: Path = typer.Option(..., "--html", help="The folder to write the static review site to (open SITE/index.html)."),
) -> None:
    """Write a static review site of the store: documents with filters, each record's text with its
    extractions highlighted and linked, comparisons, the reference graph and echoes.

    Exit code 0: written; 2: no store, or a --html folder that cannot be written.
    """
    from pipeline.review.site import write_site

    with _exit_2_on(StoreError):
        counts = write_site(store, html)
    console.print(f"{counted(counts['documents'], 'document page')}, {counted(counts['pages'], 'page')} -> {html / 'index.html'}")


@contextmanager
def _exit_2_on(*errors: type[Exception]) -> Iterator[None]:
    """A usage or store error: its message in red, exit code 2."""
    try:
        yield
    except errors as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(2) from None
