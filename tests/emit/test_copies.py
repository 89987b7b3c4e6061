"""The store's ``copies`` table: which document each record is a copy of, kept up to date
run by run, reading texts only for what is new."""

from __future__ import annotations

import pytest

from pipeline.emit import copies
from pipeline.emit.store import FileRow, Store
from tests.conftest import CORPUS

PLAN = (CORPUS / "txt" / "000_afbfebe6c017741a.txt").read_text(encoding="utf-8")
OTHER = (CORPUS / "txt" / "001_4a6584aad4736af0.txt").read_text(encoding="utf-8")
PAGE = PLAN[len(PLAN) // 3 : 2 * len(PLAN) // 3]  # a page of the plan, as a scan of it reads


def record(doc_id: str, text: str, ocr: bool = False, title: str | None = "Tuyên truyền") -> dict:
    return {
        "doc_id": doc_id, "source": f"/{doc_id}", "sha256": doc_id * 4, "status": "ok", "text": text,
        "ingest": {"format": "image" if ocr else "txt", "pages": 1, "ocr": ocr},
        "document": {"doc_type": "Kế hoạch", "title": title, "issuer": "Sở Thông tin và Truyền thông"},
    }


def row(rec: dict, path: str | None = None) -> FileRow:
    return FileRow(path=path or rec["source"], sha256=rec["sha256"], doc_id=rec["doc_id"], size=1, mtime=0.0,
                   pipeline_version="v", status="ok")


def commit(store: Store, *records: dict) -> None:
    store.commit(records, [row(r) for r in records])
    store.export()


def table(store: Store) -> dict[str, tuple]:
    rows = store.con.execute("SELECT doc_id, document, matched_by, scan_of FROM copies").fetchall()
    return {doc_id: rest for doc_id, *rest in rows}


@pytest.fixture
def read(monkeypatch) -> list[str]:
    """The doc_ids whose text the copies update reads."""
    seen: list[str] = []
    texts = copies._texts

    def counted(con, doc_ids=None):
        for doc_id, text in texts(con, doc_ids):
            seen.append(doc_id)
            yield doc_id, text

    monkeypatch.setattr(copies, "_texts", counted)
    return seen


TEXT, SCAN, ELSE = "a" * 16, "b" * 16, "c" * 16


def test_records_with_one_header_are_one_document_kept_as_the_text_layer_copy(tmp_path):
    with Store(tmp_path) as store:
        commit(store, record(SCAN, PLAN, ocr=True), record(TEXT, PLAN), record(ELSE, OTHER, title="Khác"))
        assert table(store) == {TEXT: [TEXT, None, None], SCAN: [TEXT, "header", TEXT], ELSE: [ELSE, None, None]}
        kept = store.con.execute("SELECT doc_id, copies, copy_ids FROM distinct_documents ORDER BY doc_id").fetchall()
    assert kept == [(TEXT, 2, [TEXT, SCAN]), (ELSE, 1, [ELSE])]


def test_a_scan_that_lost_its_header_is_one_document_with_the_one_it_was_scanned_from(tmp_path):
    with Store(tmp_path) as store:
        commit(store, record(TEXT, PLAN), record(SCAN, PAGE, ocr=True, title=None), record(ELSE, OTHER, title="Khác"))
        assert table(store)[SCAN] == [TEXT, "scan", TEXT]
        ((containment,),) = store.con.execute("SELECT containment FROM copies WHERE doc_id = ?", [SCAN]).fetchall()
        assert containment >= copies.rules()["scan"]["containment"]
        assert store.count("distinct_documents") == 2


def test_a_scan_of_nothing_in_the_store_stands_alone(tmp_path):
    with Store(tmp_path) as store:
        commit(store, record(SCAN, PAGE, ocr=True, title=None), record(ELSE, OTHER, title="Khác"))
        assert table(store)[SCAN] == [SCAN, None, None]


def test_a_scan_is_matched_when_its_original_arrives_later_and_only_new_texts_are_read(tmp_path, read):
    with Store(tmp_path) as store:
        commit(store, record(SCAN, PAGE, ocr=True, title=None), record(ELSE, OTHER, title="Khác"))
        assert sorted(read) == [SCAN, SCAN, ELSE]  # the scan indexed, then tested against every text
        read.clear()
        commit(store, record(TEXT, PLAN))
        assert table(store)[SCAN] == [TEXT, "scan", TEXT]
        assert sorted(read) == [TEXT, SCAN]  # the scan's text, and the new one: not ELSE
        read.clear()
        store.commit(moves=[(f"/{ELSE}", "/moved")])
        store.export()
        assert read == [] and table(store)[SCAN] == [TEXT, "scan", TEXT]


def test_a_run_that_changes_nothing_leaves_copies_alone(tmp_path, read):
    with Store(tmp_path) as store:
        commit(store, record(TEXT, PLAN), record(SCAN, PAGE, ocr=True, title=None))
        read.clear()
        assert not store.export_needed()
        store.update_copies()
        assert read == []


def test_when_the_original_is_gone_the_scan_is_tested_again_and_stands_alone(tmp_path):
    with Store(tmp_path) as store:
        commit(store, record(TEXT, PLAN), record(SCAN, PAGE, ocr=True, title=None))
        changed = record(ELSE, OTHER, title="Khác")
        store.commit([changed], [row(changed, f"/{TEXT}")])  # the original's file now holds another content
        store.export()
        assert TEXT not in table(store)
        assert table(store)[SCAN] == [SCAN, None, None]


def test_a_deleted_original_leaves_its_present_scan_standing_for_the_document(tmp_path):
    with Store(tmp_path) as store:
        commit(store, record(TEXT, PLAN), record(SCAN, PAGE, ocr=True, title=None))
        store.commit(deleted=[f"/{TEXT}"])
        store.export()
        assert table(store) == {TEXT: [SCAN, "scan", None], SCAN: [SCAN, None, TEXT]}
        kept = store.con.execute("SELECT doc_id, copies, copy_ids FROM distinct_documents").fetchall()
    assert kept == [(SCAN, 1, [SCAN])]


def test_a_scan_is_matched_to_a_longer_scan_but_never_to_a_shorter_one(tmp_path):
    whole, part = "d" * 16, "e" * 16
    with Store(tmp_path) as store:
        commit(store, record(whole, PLAN, ocr=True, title="Bản quét"), record(part, PAGE, ocr=True, title=None))
        assert table(store) == {whole: [whole, None, None], part: [whole, "scan", whole]}
