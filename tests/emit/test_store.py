"""The batch store and the run plan: real DuckDB files, real lock holders in other processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.batch.plan import plan_run
from pipeline.batch.scan import FoundFile
from pipeline.cli import app
from pipeline.emit.store import (
    DELETED,
    FILES_SCHEMA,
    FileRow,
    Store,
    StoreError,
    lock_store,
)
from pipeline.emit.tables import schemas
from pipeline.process import process_file
from tests.conftest import CORPUS, VNPLAN, unprivileged

runner = CliRunner()

V = "1+record1"


def _txt(prefix: str) -> str:
    return str(next((CORPUS / "txt").glob(f"{prefix}_*.txt")))


def _row(path: str, record, version: str = V, **fields) -> FileRow:
    return FileRow(path=path, sha256=record.sha256, doc_id=record.doc_id, size=1, mtime=0.0,
                   pipeline_version=version, status=record.status, error=record.error, **fields)


def _counts(store: Store, doc_id: str) -> dict[str, int]:
    return {
        name: store.con.execute(f'SELECT count(*) FROM "{name}" WHERE doc_id = ?', [doc_id]).fetchone()[0]
        for name in schemas()
    }


@pytest.fixture(scope="module")
def records():
    return [process_file(_txt(p)) for p in ("000", "001")]


def test_committing_a_record_twice_replaces_its_rows_instead_of_adding_to_them(tmp_path, records):
    first = records[0]
    with Store(tmp_path) as store:
        store.commit([first], [_row("/a.txt", first)])
        once = _counts(store, first.doc_id)
        store.commit([first], [_row("/a.txt", first)])
        assert _counts(store, first.doc_id) == once
        assert once["documents"] == 1 and once["references"] == len(first.references) > 0
        assert store.count("files") == 1


def test_a_path_whose_content_changed_drops_the_old_contents_rows(tmp_path, records):
    old, new = records
    with Store(tmp_path) as store:
        store.commit([old], [_row("/a.txt", old)])
        store.commit([new], [_row("/a.txt", new)])
        assert sum(_counts(store, old.doc_id).values()) == 0
        assert _counts(store, new.doc_id)["documents"] == 1


def test_a_content_still_held_by_another_path_keeps_its_rows(tmp_path, records):
    old, new = records
    with Store(tmp_path) as store:
        store.commit([old], [_row("/a.txt", old), _row("/copy.txt", old)])
        store.commit([new], [_row("/a.txt", new)])
        assert _counts(store, old.doc_id)["documents"] == 1


def test_deleted_and_moved_files_are_marked_in_files_and_keep_their_records(tmp_path, records):
    first, second = records
    with Store(tmp_path) as store:
        store.commit([first, second], [_row("/a.txt", first), _row("/b.txt", second)])
        store.commit(moves=[("/a.txt", "/moved/a.txt")], deleted=["/b.txt"])
        rows = {row.path: row for row in store.files()}
        assert set(rows) == {"/moved/a.txt", "/b.txt"}
        assert rows["/b.txt"].status == DELETED and rows["/b.txt"].deleted_at is not None
        assert _counts(store, second.doc_id)["documents"] == 1
        present = store.con.execute("SELECT doc_id FROM present_documents").fetchall()
        assert present == [(first.doc_id,)]


def test_the_export_has_every_table_with_the_contract_columns_and_is_skipped_when_nothing_changed(tmp_path, records):
    with Store(tmp_path) as store:
        store.commit(records, [_row(f"/{r.doc_id}.txt", r) for r in records])
        assert store.export_needed()
        counts = store.export()
        assert not store.export_needed()
        store.commit(moves=[("/nothing.txt", "/else.txt")])
        assert store.export_needed()
    for name, schema in {**schemas(), "files": FILES_SCHEMA}.items():
        table = pq.read_table(tmp_path / "tables" / f"{name}.parquet")
        assert table.schema.names == schema.names and table.num_rows == counts[name]


def test_the_database_survives_reopening_and_a_changed_contract_table_is_rebuilt(tmp_path, records):
    with Store(tmp_path) as store:
        store.commit(records[:1], [_row("/a.txt", records[0])])
    con = duckdb.connect(str(tmp_path / "vnplan.duckdb"))
    con.execute("ALTER TABLE dates ADD COLUMN obsolete VARCHAR")
    con.close()
    with Store(tmp_path) as store:
        assert store.count("documents") == 1 and store.count("dates") == 0
        assert [row.pipeline_version for row in store.files()] == [None]  # so the next run redoes it


_HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pipeline.emit.store import lock_store
    with lock_store(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(60)
    """
)


def test_a_store_held_by_a_live_run_is_refused_and_the_lock_of_a_killed_one_is_not(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match=f"another vnplan run .*pid {holder.pid}"), lock_store(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with lock_store(tmp_path):
        pass


def _found(path: str, sha: str | None) -> FoundFile:
    return FoundFile(path, sha, 1, 0.0, None if sha else "cannot read")


def _known(path: str, sha: str | None, version: str = V, status: str = "ok", error: str | None = None) -> FileRow:
    return FileRow(path=path, sha256=sha, doc_id=sha and sha[:16], size=1, mtime=0.0,
                   pipeline_version=version, status=status, error=error)


def test_the_plan_sorts_every_file_and_processes_each_content_once():
    known = [
        _known("/s/same.txt", "A"),
        _known("/s/edited.txt", "B"),
        _known("/s/old.txt", "C", version="0+record0"),
        _known("/s/before.txt", "D"),
        _known("/s/gone.txt", "E"),
        _known("/elsewhere/kept.txt", "F"),
        _known("/s/failed.txt", "G", status="error", error="broken"),
    ]
    found = [
        _found("/s/same.txt", "A"), _found("/s/edited.txt", "B2"), _found("/s/old.txt", "C"),
        _found("/s/after.txt", "D"), _found("/s/new.txt", "N"), _found("/s/new-copy.txt", "N"),
        _found("/s/copy-of-same.txt", "A"), _found("/s/failed.txt", "G"), _found("/s/unreadable.txt", None),
    ]
    plan = plan_run(found, known, V, ["/s"], exists=lambda path: True)
    assert [f.path for f in plan.unchanged] == ["/s/same.txt", "/s/failed.txt"]
    assert [f.path for f in plan.failed_earlier] == ["/s/failed.txt"]
    assert [f.path for f in plan.changed] == ["/s/edited.txt"]
    assert [f.path for f in plan.outdated] == ["/s/old.txt"]
    assert [(old, f.path) for old, f in plan.moved] == [("/s/before.txt", "/s/after.txt")]
    assert [f.path for f in plan.new] == ["/s/new.txt", "/s/new-copy.txt", "/s/copy-of-same.txt"]
    assert plan.deleted == ["/s/gone.txt"]  # /elsewhere is outside the sources
    assert [f.path for f in plan.unreadable] == ["/s/unreadable.txt"]
    assert {sha: [f.path for f in files] for sha, files in plan.work.items()} == {
        "B2": ["/s/edited.txt"], "C": ["/s/old.txt"], "N": ["/s/new.txt", "/s/new-copy.txt"],
    }
    assert [(f.path, row.path) for f, row in plan.links] == [("/s/copy-of-same.txt", "/s/same.txt")]


def test_force_and_retry_failed_and_moves_from_outside_the_sources():
    known = [_known("/s/a.txt", "A"), _known("/s/bad.txt", "B", status="error", error="x"), _known("/other/c.txt", "C")]
    found = [_found("/s/a.txt", "A"), _found("/s/bad.txt", "B"), _found("/s/c.txt", "C")]
    forced = plan_run(found, known, V, ["/s"], force=True, exists=lambda path: False)
    assert sorted(forced.work) == ["A", "B", "C"] and not forced.unchanged
    assert [(old, f.path) for old, f in forced.moved] == [("/other/c.txt", "/s/c.txt")]
    retried = plan_run(found, known, V, ["/s"], retry_failed=True, exists=lambda path: True)
    assert list(retried.work) == ["B"] and [f.path for f in retried.new] == ["/s/c.txt"]
    assert [row.path for _, row in retried.links] == ["/other/c.txt"]  # /other/c.txt still exists: a copy


def test_a_deleted_file_that_comes_back_is_linked_to_its_records_again():
    known = [_known("/s/a.txt", "A", status=DELETED)]
    plan = plan_run([_found("/s/a.txt", "A")], known, V, ["/s"])
    assert [f.path for f in plan.new] == ["/s/a.txt"] and not plan.work and len(plan.links) == 1


def test_paths_only_under_the_sources_count_as_in_scope():
    plan = plan_run([], [_known("/s-other/a.txt", "A"), _known("/s/b.txt", "B")], V, [os.sep + "s"])
    assert plan.deleted == ["/s/b.txt"]


def test_an_export_replaced_by_hand_is_written_again_by_the_next_run(tmp_path, records):
    with Store(tmp_path) as store:
        store.commit([records[0]], [_row("/a.txt", records[0])])
        store.export()
        assert not store.export_needed()
    documents = tmp_path / "tables" / "documents.parquet"
    pq.write_table(pq.read_table(documents).slice(0, 0), documents)
    with Store(tmp_path) as store:
        assert store.export_needed()
        store.export()
    assert pq.read_table(documents).num_rows == 1


def test_a_files_table_of_an_earlier_version_gains_the_new_columns_and_keeps_its_rows(tmp_path, records):
    old_columns = FILES_SCHEMA.names[: FILES_SCHEMA.names.index("run_id") + 1]
    with duckdb.connect(str(tmp_path / "vnplan.duckdb")) as con:
        rows = pa.Table.from_pylist([{"path": "/a.txt", "sha256": "ab", "status": "ok", "pipeline_version": V}],
                                    schema=pa.schema([FILES_SCHEMA.field(n) for n in old_columns]))
        con.register("old_rows", rows)
        con.execute("CREATE TABLE files AS SELECT * FROM old_rows")
    with Store(tmp_path) as store:
        (row,) = store.files()
    assert (row.path, row.sha256, row.pipeline_version, row.entry) == ("/a.txt", "ab", V, "file")


def test_a_damaged_database_is_rebuilt_from_the_export_and_the_next_run_goes_on_from_there(tmp_path):
    source, store = tmp_path / "in", tmp_path / "store"
    source.mkdir()
    for prefix in ("000", "001"):
        (source / f"{prefix}.txt").write_text(Path(_txt(prefix)).read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["run", str(source), "--store", str(store), "--workers", "1"]).exit_code == 0
    (store / "vnplan.duckdb").write_bytes(os.urandom(50_000))
    broken = runner.invoke(app, ["run", str(source), "--store", str(store)])
    assert broken.exit_code == 2 and "vnplan rebuild" in " ".join(broken.output.split())
    rebuilt = runner.invoke(app, ["rebuild", "--store", str(store)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "2 documents and 2 files" in rebuilt.output
    assert len(list(store.glob("vnplan.duckdb.damaged-*"))) == 1
    again = runner.invoke(app, ["run", str(source), "--store", str(store), "--workers", "1"])
    assert again.exit_code == 0 and again.stdout.strip().splitlines()[-1].startswith("0 new, 0 changed, 0 outdated, 2 unchanged")


def test_rebuild_without_a_complete_export_says_to_reprocess(tmp_path):
    tmp_path.joinpath("vnplan.duckdb").write_bytes(b"garbage")
    result = runner.invoke(app, ["rebuild", "--store", str(tmp_path)])
    assert result.exit_code == 2 and "--force" in " ".join(result.output.split())


@pytest.mark.parametrize("command", ["run", "extract"])
def test_a_read_only_store_folder_is_a_message_and_exit_code_2(shared_tmp, command):
    source, store = shared_tmp / "in", shared_tmp / "store"
    source.mkdir(mode=0o777)
    (source / "notes.pptx").write_text("x", encoding="utf-8")
    store.mkdir()
    store.chmod(0o555)
    option = "--store" if command == "run" else "--out"
    done = subprocess.run(unprivileged([str(VNPLAN), command, str(source), option, str(store)]), capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "cannot write to the folder" in done.stderr and "Traceback" not in done.stderr
    assert list(store.iterdir()) == []


def test_a_new_store_is_made_without_loading_pandas(tmp_path):
    """A run's coordinator makes its store before it hands out the first file: pyarrow imports
    pandas (half a second) as soon as an Arrow array is built, so the empty tables are made
    from empty streams, and pandas loads in a thread while the first files are handed out."""
    code = f"import sys; from pipeline.emit.store import Store; Store({str(tmp_path / 'store')!r}).close(); print('pandas' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
    assert duckdb.connect(str(tmp_path / "store" / "vnplan.duckdb")).execute("SELECT count(*) FROM files").fetchone() == (0,)


def test_preparing_arrow_loads_what_a_first_commit_would_load_beside_the_workers():
    """prepare_arrow has a job only while pyarrow loads pandas on its first conversion."""
    code = "import sys; from pipeline.emit.store import prepare_arrow; prepare_arrow(); print('pandas' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "True"
