"""Round trips: records -> JSONL, records -> a store (Parquet -> pandas, DuckDB), and a store
written by ``write_store`` against one written by ``vnplan extract``."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.emit.jsonl import read_jsonl, write_jsonl
from pipeline.emit.store import write_store
from pipeline.emit.tables import build_tables, row_builders, schemas
from pipeline.records import (
    Agency,
    DateMention,
    Deadline,
    DocumentMeta,
    Duty,
    Mention,
    OutlineItem,
    Period,
    Record,
    RecordWarning,
    RecurringReport,
    Reference,
    error_record,
)


def sample_record() -> Record:
    return Record(
        doc_id="afbfebe6c017741a",
        source="corpus/txt/000_afbfebe6c017741a.txt",
        sha256="afbfebe6c017741a" + "0" * 48,
        status="ok",
        text="KẾ HOẠCH Thực hiện Kế hoạch số 675/KH-BCĐ ...",
        ingest={"format": "txt", "pages": 1, "ocr": False, "ocr_confidence": None, "encoding": "utf-8"},
        document=DocumentMeta(
            doc_type="Kế hoạch",
            title="Tuyên truyền phòng, chống mua bán người năm 2025",
            issuer="Sở Thông tin và Truyền thông",
            year=2025,
            recipients=["Ban Chỉ đạo 138 tỉnh", "Lưu: VT"],
            spans={"doc_type": (0, 8)},
        ),
        lists=dict(
            references=[
                Reference("Kế hoạch", "675/KH-BCĐ", "2025-02-19", "Ban Chỉ đạo 138 tỉnh", "basis", (19, 41), 1,
                          mentions=[(19, 41), (100, 122)]),
                Reference("Luật", None, None, None, "cited", (200, 230), 2, title="Luật phòng, chống mua bán người"),
            ],
            dates=[DateMention("19/02/2025", "date", "2025-02-19", (30, 40))],
            periods=[Period("đợt cao điểm", "2024-07-01", "2024-09-30", (300, 340))],
            deadlines=[Deadline("Các sở, ngành", "báo cáo", "2024-08-07", (400, 450))],
            recurring_reports=[RecurringReport("Các cơ quan báo chí", "quarterly", "16/3, 16/9", "Sở", (500, 560))],
            duties=[
                Duty("Công an tỉnh", "II.1", "lead", "Tiếp tục triển khai", (600, 650),
                     co_agencies=["Sở Tư pháp", "Sở Ngoại vụ"]),
            ],
            agencies=[
                Agency("Công an tỉnh", "Công an tỉnh", None, "province",
                       mentions=[Mention("Công an tỉnh", (600, 612)), Mention("CA tỉnh", (700, 707))]),
            ],
            sections=[OutlineItem("II.1", "1.", "arabic", 2, None, "Công an tỉnh", (590, 660), (593, 605), 1)],
        ),
        warnings=[RecordWarning("no-number", "the number is blank", (10, 12), 1)],
    )


def empty_record(doc_id: str = "1111111111111111") -> Record:
    return Record(doc_id=doc_id, source=f"{doc_id}.txt", sha256=doc_id * 4, status="ok")


def failed_record() -> Record:
    return error_record("broken.pdf", "b" * 64, "cannot read: encrypted PDF", fmt="pdf")


def test_schemas_and_row_builders_cover_the_same_tables():
    assert list(schemas()) == list(row_builders())
    assert {"documents", "references", "dates", "periods", "deadlines", "recurring_reports", "duties",
            "agencies", "agency_mentions", "sections", "warnings"} <= set(schemas())


def test_jsonl_round_trip_is_exactly_to_dict(tmp_path):
    path = tmp_path / "out" / "records.jsonl"
    records = [sample_record(), failed_record()]
    write_jsonl(records, path)
    assert read_jsonl(path) == [r.to_dict() for r in records]
    assert "Kế hoạch" in path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["records.jsonl"]


def test_jsonl_replaces_existing_file(tmp_path):
    path = tmp_path / "records.jsonl"
    write_jsonl([sample_record(), empty_record()], path)
    write_jsonl([empty_record()], path)
    assert len(read_jsonl(path)) == 1


def test_read_jsonl_names_the_broken_line(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"doc_id": "x"}) + "\n\n{broken\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"records.jsonl:3"):
        read_jsonl(path)


def test_parquet_round_trip_to_pandas(tmp_path):
    counts = write_store([sample_record(), failed_record()], tmp_path)
    assert counts["documents"] == 2 and counts["references"] == 2 and counts["agency_mentions"] == 2

    docs = pd.read_parquet(tmp_path / "tables" / "documents.parquet").set_index("doc_id")
    ok = docs.loc["afbfebe6c017741a"]
    assert ok["issuer"] == "Sở Thông tin và Truyền thông"
    assert ok["year"] == 2025
    assert list(ok["recipients"]) == ["Ban Chỉ đạo 138 tỉnh", "Lưu: VT"]
    assert ok["ingest_format"] == "txt" and ok["encoding"] == "utf-8" and ok["n_warnings"] == 1

    refs = pd.read_parquet(tmp_path / "tables" / "references.parquet")
    first = refs[refs["ordinal"] == 0].iloc[0]
    assert (first["number"], first["span_start"], first["span_end"], first["page"]) == ("675/KH-BCĐ", 19, 41, 1)
    assert first["n_mentions"] == 2
    assert refs[refs["ordinal"] == 1].iloc[0]["title"] == "Luật phòng, chống mua bán người"

    duties = pd.read_parquet(tmp_path / "tables" / "duties.parquet")
    assert list(duties.iloc[0]["co_agencies"]) == ["Sở Tư pháp", "Sở Ngoại vụ"]

    sections = pd.read_parquet(tmp_path / "tables" / "sections.parquet").iloc[0]
    assert (sections["span_start"], sections["title_start"], sections["title_end"]) == (590, 593, 605)

    warnings = pd.read_parquet(tmp_path / "tables" / "warnings.parquet").iloc[0]
    assert (warnings["code"], warnings["span_start"], warnings["page"]) == ("no-number", 10, 1)


def test_duckdb_counts_spans_and_joins(tmp_path):
    write_store([sample_record(), failed_record(), empty_record()], tmp_path)
    with duckdb.connect(str(tmp_path / "vnplan.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
        assert con.execute('SELECT count(*) FROM "references"').fetchone() == (2,)
        assert con.execute(
            "SELECT span_start, span_end FROM agency_mentions WHERE text = 'CA tỉnh'"
        ).fetchone() == (700, 707)
        joined = con.execute(
            'SELECT d.source, r.number FROM "references" r JOIN documents d USING (doc_id) '
            "WHERE r.number IS NOT NULL"
        ).fetchall()
        assert joined == [("corpus/txt/000_afbfebe6c017741a.txt", "675/KH-BCĐ")]
        assert con.execute("SELECT count(*) FROM document_duties WHERE province IS NULL").fetchone() == (1,)
        assert con.execute(
            'SELECT field, span_start, span_end FROM document_spans'
        ).fetchall() == [("doc_type", 0, 8)]


def test_error_record_is_a_document_row_with_its_message(tmp_path):
    write_store([failed_record()], tmp_path)
    with duckdb.connect(str(tmp_path / "vnplan.duckdb"), read_only=True) as con:
        row = con.execute("SELECT status, error, ingest_format, pages FROM documents").fetchone()
    assert row == ("error", "cannot read: encrypted PDF", "pdf", 0)


def test_empty_lists_give_typed_empty_tables(tmp_path):
    tables = build_tables([empty_record()])
    assert tables["documents"].num_rows == 1
    for name, schema in schemas().items():
        if name != "documents":
            assert tables[name].num_rows == 0, name
        assert tables[name].schema == schema, name

    write_store([empty_record()], tmp_path)
    periods = pq.read_table(tmp_path / "tables" / "periods.parquet")
    typed = [(field.name, field.type) for field in schemas()["periods"]]
    assert periods.num_rows == 0 and [(field.name, field.type) for field in periods.schema] == typed
    with duckdb.connect(str(tmp_path / "vnplan.duckdb"), read_only=True) as con:
        types = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'duties'"
        ).fetchall())
    assert types["span_start"] == "BIGINT" and types["co_agencies"] == "VARCHAR[]"


def test_rewriting_replaces_the_database(tmp_path):
    write_store([sample_record(), empty_record()], tmp_path)
    write_store([empty_record("2222222222222222")], tmp_path)
    with duckdb.connect(str(tmp_path / "vnplan.duckdb"), read_only=True) as con:
        assert con.execute("SELECT doc_id FROM documents").fetchall() == [("2222222222222222",)]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["records.jsonl", "tables", "vnplan.duckdb"]
    assert [r["doc_id"] for r in read_jsonl(tmp_path / "records.jsonl")] == ["2222222222222222"]


def test_tables_accept_dicts_read_back_from_jsonl(tmp_path):
    counts = write_store([sample_record()], tmp_path)
    again = build_tables(read_jsonl(tmp_path / "records.jsonl"))
    assert {name: t.num_rows for name, t in again.items()} == {name: counts[name] for name in schemas()}
    assert again["references"].equals(build_tables([sample_record()])["references"])


def test_the_pages_table_says_how_each_page_was_read_and_where_its_text_lies(tmp_path):
    from pipeline.process import process_file
    from tests.conftest import CORPUS

    pdf = process_file(CORPUS / "pdf" / "003_6dc52149b2614e07.pdf")
    scan = process_file(CORPUS / "scans" / "004_78fe855a69093798-p1.png")
    write_store([pdf, scan], tmp_path)
    with duckdb.connect(str(tmp_path / "vnplan.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT page, method, ocr_confidence, span_start, span_end FROM pages WHERE doc_id = ? ORDER BY page", [pdf.doc_id]
        ).fetchall()
        assert [r[0] for r in rows] == list(range(1, pdf.ingest["pages"] + 1)) and len(rows) > 1
        assert {r[1] for r in rows} == {"text-layer"} and {r[2] for r in rows} == {None}
        assert rows[0][3] == 0 and rows[-1][4] == len(pdf.text)
        assert all(a[4] == b[3] for a, b in zip(rows, rows[1:]))
        ((method, confidence),) = con.execute("SELECT method, ocr_confidence FROM pages WHERE doc_id = ?", [scan.doc_id]).fetchall()
        assert method == "ocr" and confidence == scan.ingest["ocr_confidence"] > 50


def test_a_store_written_from_records_is_the_store_vnplan_extract_writes_for_them(tmp_path):
    """The same tables, copies, views and records.jsonl; the files rows differ only in what
    the run measured (time, run, pipeline version)."""
    from pipeline.batch.run import RunOptions, run
    from pipeline.emit.store import STORE_VIEWS
    from tests.conftest import CORPUS

    source = tmp_path / "in"
    source.mkdir()
    for path in (CORPUS / "txt" / "000_afbfebe6c017741a.txt", CORPUS / "txt" / "001_4a6584aad4736af0.txt",
                 CORPUS / "pdf" / "000_afbfebe6c017741a.pdf", CORPUS / "scans" / "000_afbfebe6c017741a-p6.jpg"):
        (source / path.name).write_bytes(path.read_bytes())
    (source / "001_copy.txt").write_bytes((source / "001_4a6584aad4736af0.txt").read_bytes())
    (source / "empty.txt").write_bytes(b"")
    (source / "notes.pptx").write_text("not read", encoding="utf-8")
    extracted, written = tmp_path / "extract", tmp_path / "written"
    run(RunOptions(sources=(str(source),), store=extracted, workers=1, fresh=True))
    write_store(read_jsonl(extracted / "records.jsonl"), written)

    assert (written / "records.jsonl").read_bytes() == (extracted / "records.jsonl").read_bytes()
    files = "SELECT path, sha256, doc_id, size, mtime, status, error, pages, ocr_pages FROM files WHERE status IN ('ok', 'error')"
    with duckdb.connect(str(extracted / "vnplan.duckdb"), read_only=True) as a, \
         duckdb.connect(str(written / "vnplan.duckdb"), read_only=True) as b:
        for name in [*schemas(), "copies", *STORE_VIEWS]:
            sql = f'SELECT * FROM "{name}" ORDER BY ALL'
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), name
        assert a.execute(f"{files} ORDER BY path").fetchall() == b.execute(f"{files} ORDER BY path").fetchall()
        assert len(a.execute(files).fetchall()) == 6
        by_name = dict(b.execute(
            "SELECT regexp_extract(d.source, '[^/]+$'), c.matched_by FROM copies c JOIN documents d USING (doc_id)"
        ).fetchall())
    assert by_name == {"000_afbfebe6c017741a.txt": None, "000_afbfebe6c017741a.pdf": "header",
                       "000_afbfebe6c017741a-p6.jpg": "scan", "001_4a6584aad4736af0.txt": None}
    for folder in (extracted, written):
        assert pq.read_table(folder / "tables" / "copies.parquet").num_rows == 4
