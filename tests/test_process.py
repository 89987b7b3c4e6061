"""One file through every stage: the same records from every format, pages that point right."""

import re

import pytest

from pipeline.batch.scan import scan
from pipeline.ingest import read_document
from pipeline.process import process_file
from tests.conftest import CORPUS


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("stem", ["001", "004"])
def test_txt_pdf_and_docx_of_one_document_give_the_same_metadata_and_references(stem):
    records = [process_file(next((CORPUS / fmt).glob(f"{stem}_*"))) for fmt in ("txt", "pdf", "docx")]
    assert all(r.status == "ok" for r in records)
    metas = [{k: v for k, v in vars(r.document).items() if k not in ("spans", "province_evidence")} for r in records]
    assert metas[0] == metas[1] == metas[2]
    refs = [sorted((x.number or x.title, x.date, x.issuer, x.relation) for x in r.references) for r in records]
    assert refs[0] == refs[1] == refs[2]


def test_a_reference_on_a_later_pdf_page_carries_that_page():
    path = next((CORPUS / "pdf").glob("004_*.pdf"))
    raw = read_document(path)
    record = process_file(path)
    later = [r for r in record.references if r.page > 1]
    assert later
    for reference in later:
        assert _compact(reference.number or reference.title) in _compact(raw.pages[reference.page - 1].text)


def test_every_span_of_a_record_points_into_its_text():
    for found in scan([CORPUS / fmt for fmt in ("txt", "pdf", "docx", "legacy")]).files:
        path = found.path
        record = process_file(path)
        size = len(record.text)
        spans = [tuple(s) for s in record.document.spans.values()]
        spans += [r.span for r in record.references] + [d.span for d in record.dates] + [d.span for d in record.duties]
        spans += [m.span for a in record.agencies for m in a.mentions]
        assert all(0 <= a < b <= size for a, b in spans), path


def test_an_unreadable_file_becomes_an_error_record_not_an_exception(tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.7\n%%EOF")
    record = process_file(bad)
    assert record.status == "error" and record.error and record.source == str(bad)
