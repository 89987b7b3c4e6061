"""A store's tables read back into records: the same extractions as the records written."""

from __future__ import annotations

import pytest

from pipeline.analysis import connect
from pipeline.analysis.record import RecordNotFound, read_record
from pipeline.emit.store import write_store
from pipeline.extract.nlp import record_marks, render_html
from pipeline.process import process_file
from tests.conftest import CORPUS


def _marks(record):
    """Header spans are a dict; the store keeps their fields, not their order."""
    return {group: sorted(marks, key=lambda m: (m.start, m.end, m.label)) for group, marks in record_marks(record).items()}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("record-store")
    records = [process_file(path).to_dict() for path in sorted((CORPUS / "txt").glob("*.txt"))]
    records.append(process_file(CORPUS / "pdf" / "003_6dc52149b2614e07.pdf").to_dict())
    write_store(records, folder)
    return folder, records


def test_every_extraction_reads_back_with_its_span(written):
    folder, records = written
    with connect(folder) as con:
        for original in records:
            back = read_record(con, original["doc_id"])
            assert _marks(back) == _marks(original), original["source"]
            assert back["text"] == original["text"] and back["document"] == original["document"]
            assert [d["text"] for d in back["duties"]] == [d["text"] for d in original["duties"]]
            assert back["ingest"]["pages_read"] == original["ingest"]["pages_read"]
            assert [w["code"] for w in back["warnings"]] == [w["code"] for w in original["warnings"]]


def test_a_read_back_record_renders_for_review(written):
    folder, records = written
    with connect(folder) as con:
        page = render_html(read_record(con, records[0]["doc_id"]))
    assert "675/KH-BCĐ" in page and "references: " in page


def test_an_unknown_doc_id_is_a_clear_error(written):
    folder, _ = written
    with connect(folder) as con, pytest.raises(RecordNotFound):
        read_record(con, "no-such-document")
