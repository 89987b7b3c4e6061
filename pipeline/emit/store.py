"""The store: a DuckDB database that runs update file by file, and its Parquet export.

The only writer of vnplan's output: ``vnplan run`` and ``vnplan extract`` through the batch
runner, and ``write_store`` for records made some other way. It holds the contract's
tables (``schemas()``, the registry's kinds included) plus ``files``: which path holds which content, processed by which
pipeline version, with what result; and ``copies``: which document each record is a copy
of (see ``pipeline.emit.copies``). Records are keyed by ``doc_id`` (derived from the
content hash), so a file moved to another path keeps its records, and two paths holding
one content share them.

Every change is one DuckDB transaction: a file's rows are replaced (deleted, then
inserted) together with its ``files`` row, so a run killed at any moment leaves either
the old or the new state of each file, never half of it. Only the process holding the
store's lock (see ``lock_store``) writes it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import duckdb
import filelock
import pyarrow as pa

from pipeline.emit import copies
from pipeline.emit.copies import COPIES_SCHEMA
from pipeline.emit.jsonl import RecordLike, as_dict, write_jsonl
from pipeline.emit.tables import DB_NAME, VIEWS, build_tables, schemas

LOCK_NAME = ".lock"
LOCK_OWNER_NAME = ".lock.owner"
TABLE_DIR = "tables"
RECORDS_NAME = "records.jsonl"
# Records committed per transaction by write_store, as a run commits them.
COMMIT_RECORDS = 64
# Writes are many small transactions, made while the workers use every core: one thread
# is enough for them; the export, once the workers are done, uses all cores.
STORE_THREADS = 1
DELETED = "deleted"
SKIPPED = "skipped"

FILES_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("doc_id", pa.string()),
        ("size", pa.int64()),
        ("mtime", pa.float64()),
        ("pipeline_version", pa.string()),
        ("status", pa.string()),  # ok | error | deleted | skipped
        ("error", pa.string()),
        ("pages", pa.int64()),
        ("ocr_pages", pa.int64()),
        ("seconds", pa.float64()),  # time the worker spent on the file
        ("processed_at", pa.timestamp("us")),
        ("deleted_at", pa.timestamp("us")),
        ("run_id", pa.string()),
        ("entry", pa.string()),  # file | folder | link | special
        ("reason", pa.string()),  # why a skipped entry was not read
        ("path_bytes", pa.binary()),  # the name's bytes, when they are not UTF-8 (path shows them as \xNN)
    ]
)


def tables() -> dict[str, pa.Schema]:
    """Every table of a store: the contract's (with the registry's kinds), ``files`` and ``copies``."""
    return {**schemas(), "files": FILES_SCHEMA, "copies": COPIES_SCHEMA}


def record_tables() -> tuple[str, ...]:
    """The tables that hold rows of a record, replaced and removed with it."""
    return (*schemas(), "copies")


# Tables the store computes from the others.
DERIVED = ("copies",)

# Documents whose content is still present under at least one path: what analysts usually
# want; and each of those documents once, as the copy that ``copies`` says stands for it.
STORE_VIEWS: dict[str, str] = {
    **VIEWS,
    "present_documents": f"""
        SELECT * FROM documents
        WHERE doc_id IN (SELECT doc_id FROM files WHERE status <> '{DELETED}')
    """,
    "distinct_documents": """
        SELECT d.*, g.copies, g.copy_ids
        FROM present_documents d JOIN (
            SELECT c.document, count(*) AS copies, list_sort(list(c.doc_id)) AS copy_ids
            FROM copies c JOIN present_documents p USING (doc_id)
            GROUP BY c.document
        ) g ON g.document = d.doc_id
    """,
}

# The columns, among those a table has, that give its rows a stable order in the export.
ORDER_COLUMNS = ("doc_id", "reference_ordinal", "agency_ordinal", "ordinal", "page", "field", "path")


class StoreError(Exception):
    """The store cannot be used: unreadable database, or another run holds it."""


@dataclass
class FileRow:
    """One row of ``files``: a path and the result of processing its content."""

    path: str
    sha256: str | None
    doc_id: str | None
    size: int
    mtime: float
    pipeline_version: str | None
    status: str
    error: str | None = None
    pages: int = 0
    ocr_pages: int = 0
    seconds: float | None = None
    processed_at: datetime | None = None
    deleted_at: datetime | None = None
    run_id: str | None = None
    entry: str = "file"
    reason: str | None = None
    path_bytes: bytes | None = None

    @property
    def passed_over(self) -> bool:
        """An entry that gives no record (skipped, or a folder or link that cannot be read):
        each run lists these afresh."""
        return self.status == SKIPPED or self.entry != "file"

    @property
    def os_path(self) -> str:
        """What the system opens: the name's own bytes where text could not hold them."""
        return os.fsdecode(self.path_bytes) if self.path_bytes else self.path


class Store:
    """The store under one folder: DIR/vnplan.duckdb and DIR/tables/*.parquet."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = store_folder(root)
        self.path = self.root / DB_NAME
        try:
            self.con = duckdb.connect(str(self.path), config={"threads": STORE_THREADS})
        except duckdb.Error as error:
            raise StoreError(unusable_database(self.path, error)) from error
        try:
            self._create()
        except duckdb.Error as error:
            self.con.close()
            raise StoreError(unusable_database(self.path, error)) from error

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema

    def _create(self) -> None:
        """Tables are created from the contract; a table whose columns changed is rebuilt.

        A contract change comes with a new RECORD_VERSION, hence a new pipeline version,
        so every file is processed again anyway: dropping the old rows loses nothing.
        """
        with self._transaction():
            self.con.execute("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR, value BIGINT)")
            self.con.execute("CREATE TABLE IF NOT EXISTS store_exports (name VARCHAR, size BIGINT, mtime_ns BIGINT)")
            existing = self._columns()
            self._add_file_columns(existing.get("files"))
            existing = self._columns()
            for name, schema in tables().items():
                if existing.get(name) not in (None, schema.names):
                    self.con.execute(f'DROP TABLE "{name}"')
                    if name in schemas() and "files" in existing:
                        self.con.execute("UPDATE files SET pipeline_version = NULL")
                if existing.get(name) != schema.names:
                    # An empty stream rather than schema.empty_table(): building any Arrow array
                    # makes pyarrow import pandas (about 0.5 s), which a run's coordinator would
                    # pay before the first file is handed out instead of beside the workers.
                    empty = pa.RecordBatchReader.from_batches(schema, [])
                    self._insert_arrow(f'CREATE TABLE "{name}" AS SELECT * FROM {{}}', empty)
            for name, sql in STORE_VIEWS.items():
                self.con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
            # copies_generation: the generation ``copies`` agrees with; -1 while it was never made.
            for key, value in (("generation", 0), ("exported_generation", 0), ("copies_generation", -1)):
                if not self.con.execute("SELECT 1 FROM store_meta WHERE key = ?", [key]).fetchone():
                    self.con.execute("INSERT INTO store_meta VALUES (?, ?)", [key, value])
            if existing.get("copies") != COPIES_SCHEMA.names:
                self.con.execute("UPDATE store_meta SET value = -1 WHERE key = 'copies_generation'")

    def _add_file_columns(self, columns: list[str] | None) -> None:
        """``files`` is the memory of what was processed: columns added to it later are added
        in place, so that a store made by an earlier version is not processed again."""
        if columns is None or columns != FILES_SCHEMA.names[: len(columns)]:
            return
        for column in FILES_SCHEMA.names[len(columns):]:
            kind = "BLOB" if FILES_SCHEMA.field(column).type == pa.binary() else "VARCHAR"
            self.con.execute(f'ALTER TABLE files ADD COLUMN "{column}" {kind}')
        self.con.execute("UPDATE files SET entry = 'file' WHERE entry IS NULL")

    def _columns(self) -> dict[str, list[str]]:
        rows = self.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE') ORDER BY table_name, ordinal_position"
        ).fetchall()
        columns: dict[str, list[str]] = {}
        for table, column in rows:
            columns.setdefault(table, []).append(column)
        return columns

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _insert_arrow(self, sql: str, table: pa.Table | pa.RecordBatchReader) -> None:
        """``sql`` names the Arrow table as ``{}``."""
        self.con.register("arrow_rows", table)
        try:
            self.con.execute(sql.format("arrow_rows"))
        finally:
            self.con.unregister("arrow_rows")

    # ------------------------------------------------------------------ reading

    def files(self) -> list[FileRow]:
        names = FILES_SCHEMA.names
        quoted = ", ".join(f'"{n}"' for n in names)
        rows = self.con.execute(f"SELECT {quoted} FROM files").fetchall()
        return [FileRow(**dict(zip(names, row))) for row in rows]

    def count(self, table: str) -> int:
        return self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    # ------------------------------------------------------------------ writing

    def commit(
        self,
        records: Iterable[RecordLike] = (),
        files: Sequence[FileRow] = (),
        moves: Sequence[tuple[str, str]] = (),
        deleted: Sequence[str] = (),
        deleted_at: datetime | None = None,
        forget: Sequence[str] = (),
    ) -> None:
        """One transaction: moves, deletions, then each record's rows and the given files rows replaced.

        ``forget``: paths whose files rows go (entries passed over by an earlier run, which
        each run lists afresh).

        Records of a content that no path refers to any more (a changed file's old version)
        are removed in the same transaction; a deleted file's records stay, marked through
        its ``files`` row.
        """
        dicts = [as_dict(r) for r in records]
        with self._transaction():
            for old, new in moves:
                self.con.execute("DELETE FROM files WHERE path = ?", [new])
                self.con.execute("UPDATE files SET path = ? WHERE path = ?", [new, old])
            if deleted:
                self.con.execute(
                    "UPDATE files SET status = ?, deleted_at = ? WHERE path IN (SELECT unnest(?))",
                    [DELETED, deleted_at or datetime.now(UTC).replace(tzinfo=None), list(deleted)],
                )
            if forget:
                self.con.execute("DELETE FROM files WHERE path IN (SELECT unnest(?))", [list(forget)])
            paths = [row.path for row in files]
            replaced = self._doc_ids_of(paths)
            if dicts:
                self._replace_records(dicts)
            if files:
                self.con.execute("DELETE FROM files WHERE path IN (SELECT unnest(?))", [paths])
                rows = pa.Table.from_pylist([dataclasses.asdict(r) for r in files], schema=FILES_SCHEMA)
                self._insert_arrow("INSERT INTO files BY NAME SELECT * FROM {}", rows)
            self._drop_orphans(replaced - {r.get("doc_id") for r in dicts})
            self.con.execute("UPDATE store_meta SET value = value + 1 WHERE key = 'generation'")

    def _doc_ids_of(self, paths: list[str]) -> set[str]:
        if not paths:
            return set()
        rows = self.con.execute(
            "SELECT DISTINCT doc_id FROM files WHERE path IN (SELECT unnest(?)) AND doc_id IS NOT NULL", [paths]
        ).fetchall()
        return {doc_id for (doc_id,) in rows}

    def _replace_records(self, records: list[dict[str, Any]]) -> None:
        doc_ids = sorted({r.get("doc_id") for r in records})
        tables = build_tables(records)
        # A record has rows in the other tables only beside its one ``documents`` row (they
        # are written and removed together): records new to the store, as every one of an
        # extract is, have none to delete, and a statement a table was a third of a commit.
        stored = self.con.execute(
            "SELECT 1 FROM documents WHERE doc_id IN (SELECT unnest(?)) LIMIT 1", [doc_ids]
        ).fetchone()
        for name in record_tables():
            if stored:
                self.con.execute(f'DELETE FROM "{name}" WHERE doc_id IN (SELECT unnest(?))', [doc_ids])
            if name in tables and tables[name].num_rows:
                self._insert_arrow(f'INSERT INTO "{name}" BY NAME SELECT * FROM {{}}', tables[name])

    def _drop_orphans(self, doc_ids: set[str]) -> None:
        """Rows of contents that no files row refers to any more."""
        if not doc_ids:
            return
        referenced = self.con.execute(
            "SELECT DISTINCT doc_id FROM files WHERE doc_id IN (SELECT unnest(?))", [sorted(doc_ids)]
        ).fetchall()
        orphans = sorted(doc_ids - {doc_id for (doc_id,) in referenced})
        for name in record_tables() if orphans else ():
            self.con.execute(f'DELETE FROM "{name}" WHERE doc_id IN (SELECT unnest(?))', [orphans])

    # ------------------------------------------------------------------ export

    def _meta(self, key: str) -> int:
        return self.con.execute("SELECT value FROM store_meta WHERE key = ?", [key]).fetchone()[0]

    def export_needed(self) -> bool:
        """True when the database changed since the last export (or ``copies`` since it was
        made), or an exported file is missing or no longer the one written (replaced or
        edited by hand)."""
        generation = self._meta("generation")
        if generation != self._meta("exported_generation") or generation != self._meta("copies_generation"):
            return True
        written = {name: (size, mtime_ns) for name, size, mtime_ns in self.con.execute("SELECT * FROM store_exports").fetchall()}
        return any(_fingerprint(self.root / TABLE_DIR / f"{name}.parquet") != written.get(name) for name in tables())

    def update_copies(self) -> None:
        """``copies`` made to agree with the records, once the records of a run are committed:
        a run's many small commits would each regroup the whole store."""
        generation = self._meta("generation")
        if self._meta("copies_generation") == generation:
            return
        with self._transaction():
            copies.update(self.con)
            self.con.execute("UPDATE store_meta SET value = ? WHERE key = 'copies_generation'", [generation])

    def export(self) -> dict[str, int]:
        """``copies`` brought up to date, then DIR/tables/<name>.parquet for every table, each
        renamed into place; returns row counts."""
        table_dir = self.root / TABLE_DIR
        table_dir.mkdir(parents=True, exist_ok=True)
        generation = self._meta("generation")
        columns = self._columns()
        self.con.execute(f"SET threads = {os.cpu_count() or 1}")
        self.update_copies()
        counts, written = {}, []
        for name in tables():
            order = ", ".join(f'"{c}"' for c in ORDER_COLUMNS if c in columns[name])
            target = table_dir / f"{name}.parquet"
            tmp = table_dir / f".{name}.parquet.tmp"
            quoted_tmp = str(tmp).replace("'", "''")
            self.con.execute(f'COPY (SELECT * FROM "{name}" ORDER BY {order}) TO \'{quoted_tmp}\' (FORMAT parquet)')
            os.replace(tmp, target)
            counts[name] = self.count(name)
            written.append((name, *_fingerprint(target)))
        with self._transaction():
            self.con.execute("DELETE FROM store_exports")
            self.con.executemany("INSERT INTO store_exports VALUES (?, ?, ?)", written)
            self.con.execute("UPDATE store_meta SET value = ? WHERE key = 'exported_generation'", [generation])
        self.con.execute(f"SET threads = {STORE_THREADS}")
        return counts

    def rebuild_from(self, table_dir: Path) -> dict[str, int]:
        """Every table filled again from a Parquet export (this store is new and empty);
        ``copies``, missing from the export of an earlier version, is made again by the export."""
        with self._transaction():
            for name in tables():
                path = table_dir / f"{name}.parquet"
                if name in DERIVED and not path.is_file():
                    continue
                self.con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM read_parquet(?)', [str(path)])
            self.con.execute("UPDATE store_meta SET value = value + 1 WHERE key = 'generation'")
        return {name: self.count(name) for name in tables()}


def prepare_arrow() -> None:
    """Rows become Arrow tables through pyarrow, which imports pandas (about 0.4 s) on its
    first conversion. A run calls this in a thread while the first files are handed out (the
    first waits for the workers' fork server), so that the first commit does not pay for it
    while the workers need the cores."""
    pa.array([], type=pa.int64())


def _fingerprint(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def store_folder(root: str | os.PathLike[str]) -> Path:
    """The store's folder, made if missing; StoreError when it cannot be written."""
    folder = Path(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the folder {folder}: {error.strerror}") from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"cannot write to the folder {folder}: permission denied (choose another folder, or ask for write access)")
    return folder


def unusable_database(path: Path, error: Exception) -> str:
    """What went wrong with a store's database, and how to recover when it is damaged."""
    message = str(error)
    if "Permission denied" in message or "Read-only file system" in message:
        return f"cannot write the store database {path}: permission denied (choose another folder, or ask for write access)"
    if "lock" in message.lower() and "conflicting" in message.lower():
        return f"the store database {path} is in use by another program: {message}"
    root = path.parent
    return (
        f"the store database {path} cannot be read: it looks damaged ({message}). To recover: "
        f"`vnplan rebuild --store {root}` makes it again from the Parquet export in {root / TABLE_DIR} "
        f"(the state after the last completed run; the damaged file is kept beside it), or move it aside "
        f"and process the sources again with `vnplan run SOURCES --store {root}`."
    )


def rebuild(root: str | os.PathLike[str]) -> dict[str, int]:
    """``vnplan rebuild``: a damaged database made again from the store's Parquet export;
    the damaged file is renamed, never deleted. Returns row counts."""
    folder = store_folder(root)
    table_dir = folder / TABLE_DIR
    missing = [name for name in tables() if name not in DERIVED and not (table_dir / f"{name}.parquet").is_file()]
    if missing:
        raise StoreError(
            f"cannot rebuild {folder}: the Parquet export lacks {', '.join(missing)}; "
            f"process the sources again instead: `vnplan run SOURCES --store {folder} --force`"
        )
    with lock_store(folder):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        for name in (DB_NAME, f"{DB_NAME}.wal"):
            if (folder / name).exists():
                os.replace(folder / name, folder / f"{name}.damaged-{stamp}")
        with Store(folder) as store:
            counts = store.rebuild_from(table_dir)
            store.export()
    return counts


def clear_store(root: Path) -> None:
    """A fresh store: the database, its tables and records.jsonl go; the run logs stay."""
    for name in (DB_NAME, f"{DB_NAME}.wal", RECORDS_NAME):
        try:
            (root / name).unlink(missing_ok=True)
        except OSError as error:
            raise StoreError(f"cannot replace {root / name}: {error.strerror}") from error
    shutil.rmtree(root / TABLE_DIR, ignore_errors=True)


def write_store(records: Iterable[RecordLike], root: str | os.PathLike[str]) -> dict[str, int]:
    """A fresh store in ROOT holding RECORDS, as ``vnplan extract`` writes one for the same
    records: ROOT/records.jsonl in their order, each content's rows once (its first record's),
    a ``files`` row for each record's source, ``copies`` and the Parquet export. For records
    made by ``process_file`` or read back from a records.jsonl; returns row counts. A record
    without a doc_id (a file that could not be read) has only its files row, as in a run.

    The ``files`` rows have no pipeline version, so a later ``vnplan run`` into ROOT
    processes their files again rather than trust records it did not make.
    """
    folder = store_folder(root)
    dicts = [as_dict(r) for r in records]
    with lock_store(folder):
        clear_store(folder)
        with Store(folder) as store:
            contents: set[str] = set()
            paths: set[str] = set()
            for start in range(0, len(dicts), COMMIT_RECORDS):
                rows, new = [], []
                for record in dicts[start : start + COMMIT_RECORDS]:
                    if _source(record) in paths:
                        continue
                    paths.add(_source(record))
                    rows.append(_file_row(record))
                    if record.get("doc_id") and record["doc_id"] not in contents:
                        contents.add(record["doc_id"])
                        new.append(record)
                store.commit(new, rows)
            counts = store.export()
        write_jsonl(dicts, folder / RECORDS_NAME)
    return counts


def _source(record: dict[str, Any]) -> str:
    return record.get("source") or record.get("doc_id") or ""


def _file_row(record: dict[str, Any]) -> FileRow:
    """The files row of a record's source, with the file's size and time when it exists."""
    path = _source(record)
    try:
        info = os.stat(path)
        size, mtime = info.st_size, info.st_mtime
    except (OSError, ValueError):
        size, mtime = 0, 0.0
    ingest = record.get("ingest") or {}
    pages = ingest.get("pages") or 0
    return FileRow(
        path=path, sha256=record.get("sha256") or None, doc_id=record.get("doc_id") or None, size=size, mtime=mtime,
        pipeline_version=None, status=record.get("status") or "error", error=record.get("error"), pages=pages,
        ocr_pages=pages if ingest.get("ocr") else 0, processed_at=datetime.now(UTC).replace(tzinfo=None),
    )


@contextmanager
def lock_store(root: str | os.PathLike[str]) -> Iterator[None]:
    """Hold DIR/.lock for the duration of a run, or raise StoreError at once if another run holds it.

    The lock is an flock, which the kernel releases when its process dies, so the lock of
    a killed run never blocks the next one. DIR/.lock.owner says who holds it, for the message.
    """
    folder = store_folder(root)
    lock = filelock.FileLock(str(folder / LOCK_NAME), timeout=0)
    owner = folder / LOCK_OWNER_NAME
    try:
        lock.acquire()
    except filelock.Timeout:
        raise StoreError(f"another vnplan run is using the store {folder} ({_owner_text(owner)}); "
                         "wait for it to finish or stop it") from None
    except OSError as error:
        raise StoreError(f"cannot lock the store {folder}: {error.strerror}") from error
    try:
        try:
            owner.write_text(
                json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now().isoformat()}),
                encoding="utf-8",
            )
        except OSError as error:
            raise StoreError(f"cannot write to the store {folder}: {error.strerror}") from error
        yield
    finally:
        lock.release()


def _owner_text(owner: Path) -> str:
    try:
        info = json.loads(owner.read_text(encoding="utf-8"))
        return f"pid {info['pid']} on {info['host']}, started {info['started']}"
    except (OSError, ValueError, KeyError):
        return "owner unknown"
