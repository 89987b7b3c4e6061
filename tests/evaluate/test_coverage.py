"""Coverage of documents without answer keys, against what a SOURCES.md table says a reader sees."""

from __future__ import annotations

import pytest

from pipeline.evaluate.coverage import coverage, format_coverage, read_sources
from pipeline.evaluate.inputs import EvalInputError

SOURCES = """# Pool

| file | type | number | issuer | province | how the text was made |
|---|---|---|---|---|---|
| a.md | Quyết định (ban hành Kế hoạch) | 12/QĐ-UBND | Chủ tịch UBND tỉnh Hà Giang | Hà Giang | crawl, cells in "|" lines |
| b.txt | Công văn | (số để trống)/UBND-KT | UBND tỉnh Lai Châu | Lai Châu | text |
| c.md | Thông báo (kết luận) | 7/TB-VPCP | Văn phòng Chính phủ | (trung ương) | crawl |
| d.md | Kế hoạch | 3/KH-UBND | UBND tỉnh Sơn La | Sơn La | crawl |
"""


def record(name: str, text: str = "", duties: int = 0, **document) -> dict:
    return {"doc_id": name, "source": f"/pool/{name}", "text": text, "document": document, "duties": [{}] * duties}


@pytest.fixture
def sources(tmp_path):
    path = tmp_path / "SOURCES.md"
    path.write_text(SOURCES, encoding="utf-8")
    return read_sources(path)


def test_the_sources_table_gives_each_file_s_kind_number_and_issuer(sources):
    assert [(s.file, s.doc_type, s.number, s.issuer) for s in sources] == [
        ("a.md", "Quyết định", "12/QĐ-UBND", "Chủ tịch UBND tỉnh Hà Giang"),
        ("b.txt", "Công văn", None, "UBND tỉnh Lai Châu"),
        ("c.md", "Thông báo", "7/TB-VPCP", "Văn phòng Chính phủ"),
        ("d.md", "Kế hoạch", "3/KH-UBND", "UBND tỉnh Sơn La"),
    ]


def test_each_field_is_ok_wrong_or_missing_and_a_duty_counts_where_the_text_assigns_work(sources):
    records = [
        record("a.md", "Giao Sở Y tế chủ trì thực hiện.", 1, doc_type="Quyết định", number="12/QĐ-UBND",
               issuer="Ủy ban nhân dân tỉnh Hà Giang", issue_date="2026-01-05", signer_name="Lò Văn D"),
        record("b.txt", "Ủy ban nhân dân tỉnh báo cáo kết quả.", 0, doc_type="Công văn", number="/UBND-KT",
               issuer="Ủy ban nhân dân tỉnh Lai Châu"),
        record("c.md", "Đề nghị các Bộ khẩn trương báo cáo.", 0, doc_type="Thông báo", number="7/TB-VPCP", issuer="Văn phòng Quốc hội"),
        record("e.md", "", 0),
    ]
    report = coverage(sources, records)
    marks = {doc.file: doc.marks for doc in report.documents}
    assert marks["a.md"] == dict.fromkeys(("type", "number", "date", "issuer", "signer", "duty"), "ok")
    assert marks["b.txt"] == {"type": "ok", "number": "ok", "date": "missing", "issuer": "ok", "signer": "missing", "duty": "n/a"}
    assert marks["c.md"]["issuer"] == "wrong" and marks["c.md"]["duty"] == "missing"
    assert marks["d.md"] == dict.fromkeys(("type", "number", "date", "issuer", "signer", "duty"), "missing")
    assert report.no_record == ["d.md"] and report.unlisted == ["e.md"]
    assert report.share("type") == (3, 4) and report.share("duty") == (1, 3)
    shown = format_coverage(report)
    assert "type      0.750  3/4" in shown and "c.md: date missing; issuer wrong; signer missing; duty missing (found issuer='Văn phòng Quốc hội')" in shown


def test_a_scanned_copy_is_matched_to_its_listed_file_by_stem(sources):
    scanned = record("a.pdf", "Giao Sở Y tế chủ trì thực hiện.", 1, doc_type="Quyết định", number="12/QĐ-UBND")
    report = coverage(sources, [scanned, record("x.pdf")])
    marks = {doc.file: doc.marks for doc in report.documents}
    assert marks["a.md"]["type"] == "ok" and marks["a.md"]["number"] == "ok"
    assert report.no_record == ["b.txt", "c.md", "d.md"] and report.unlisted == ["x.pdf"]


def test_a_sources_file_without_the_columns_is_an_input_error(tmp_path):
    path = tmp_path / "SOURCES.md"
    path.write_text("| name | kind |\n|---|---|\n| a.md | Kế hoạch |\n", encoding="utf-8")
    with pytest.raises(EvalInputError, match="no column file"):
        read_sources(path)
