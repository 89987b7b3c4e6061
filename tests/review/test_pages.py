"""The page models read from a store."""

from __future__ import annotations

from pipeline.analysis import connect
from pipeline.analysis.compare import Filter, compare
from pipeline.analysis.export import cut_sources
from pipeline.emit.store import write_store
from pipeline.process import process_file
from pipeline.review.pages import index_rows
from tests.conftest import CORPUS


def test_a_scan_that_lost_its_header_is_a_copy_of_its_plan_in_the_index_as_in_the_comparison(tmp_path):
    """One definition of a document: the index keeps the copy that vnplan compare counts."""
    plan = process_file(CORPUS / "txt" / "000_afbfebe6c017741a.txt")
    scan = process_file(CORPUS / "scans" / "000_afbfebe6c017741a-p6.jpg")
    other = process_file(CORPUS / "txt" / "001_4a6584aad4736af0.txt")
    write_store([scan, plan, other], tmp_path / "store")
    with connect(tmp_path / "store") as con:
        documents = compare(con, Filter())["documents"]
        cut_sources(con, "csv")
        rows = {row["doc_id"]: row for row in index_rows(con)}
    assert (rows[scan.doc_id]["kept_id"], rows[scan.doc_id]["copies"]) == (plan.doc_id, 2)
    counted_under = {copy: doc_id for doc_id, ids in zip(documents.doc_id, documents.copy_ids) for copy in ids}
    assert {doc_id: row["kept_id"] for doc_id, row in rows.items()} == counted_under
