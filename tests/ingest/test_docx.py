"""DOCX ingest: body order, the form's tables cell-wise, other tables row-wise."""

from __future__ import annotations

import zipfile
from collections import Counter

import docx
import pytest

from pipeline.ingest import read_document
from pipeline.records import IngestError
from pipeline.text import normalise_unicode


def test_docx_header_table_is_read_left_cell_then_right_cell(corpus_file, header_stem):
    document = read_document(corpus_file("docx", header_stem))
    assert document.format == "docx"
    assert [(p.number, p.method) for p in document.pages] == [(1, "plain")]
    assert document.pages[0].text.split("\n")[:7] == [
        "UBND TỈNH HẢI DƯƠNG",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Số:.........../KH-SVHTTDL",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hải Dương, ngày .....  tháng 3 năm 2023",
        "KẾ HOẠCH",
    ]


def test_docx_signature_table_is_read_recipients_then_signature(corpus_file, header_stem):
    lines = read_document(corpus_file("docx", header_stem)).pages[0].text.split("\n")
    start = lines.index("Nơi nhận:")
    assert lines[start + 1] == "- Ban Chỉ đạo 138 (Công an tỉnh);"
    assert [line for line in lines[start:] if line][-4:] == [
        "- Lưu: VT, QLVHGĐ.",
        "KT.GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Trường Thắng",
    ]


def test_docx_text_holds_every_word_of_its_seed(seed_stem, corpus_file, seed_text):
    seed = Counter(normalise_unicode(seed_text(seed_stem)).split())
    words = Counter(read_document(corpus_file("docx", seed_stem)).pages[0].text.split())
    assert seed == words


def test_docx_tables_stay_where_they_are_and_task_tables_go_row_by_row(tmp_path):
    built = docx.Document()
    built.add_paragraph("Trước bảng")
    table = built.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("STT", "Nhiệm vụ", "Chủ trì"), ("1", "Tuyên truyền", "Sở TTTT")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    built.add_paragraph("Sau bảng")
    path = tmp_path / "tasks.docx"
    built.save(path)
    assert read_document(path).pages[0].text.split("\n") == [
        "Trước bảng",
        "STT | Nhiệm vụ | Chủ trì",
        "1 | Tuyên truyền | Sở TTTT",
        "Sau bảng",
    ]


def test_docx_named_pdf_is_read_as_docx(tmp_path, corpus_file, header_stem):
    disguised = tmp_path / "plan.pdf"
    disguised.write_bytes(corpus_file("docx", header_stem).read_bytes())
    assert read_document(disguised).format == "docx"


@pytest.mark.parametrize("broken_part", ["word/document.xml", "[Content_Types].xml"])
def test_docx_with_a_broken_part_raises_ingest_error(tmp_path, corpus_file, header_stem, broken_part):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(corpus_file("docx", header_stem)) as source, zipfile.ZipFile(path, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, "<w:document this is not xml" if name == broken_part else source.read(name))
    with pytest.raises(IngestError, match="unreadable Word document"):
        read_document(path)


def test_zip_that_is_not_a_word_document_raises_ingest_error(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(IngestError, match="not a Word document"):
        read_document(path)


def test_truncated_docx_raises_ingest_error(tmp_path, corpus_file, header_stem):
    data = corpus_file("docx", header_stem).read_bytes()
    path = tmp_path / "half.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="unreadable Word document"):
        read_document(path)
