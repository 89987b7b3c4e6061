"""PDF ingest on the generated corpus and on hand-made broken files."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.ingest import pdf as pdf_module
from pipeline.ingest import read_document
from pipeline.ingest.pdf import layout_pages, split_columns
from pipeline.records import IngestError
from pipeline.text import normalise_unicode

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
AGENCY = ("UBND TỈNH HẢI DƯƠNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def lines_of(path: Path, page: int) -> list[str]:
    """The lines of one page as ingest returns them."""
    return read_document(path).pages[page].text.split("\n")


def test_header_of_pdf_comes_out_as_left_block_then_right_block(corpus_file, header_stem):
    lines = lines_of(corpus_file("pdf", header_stem), 0)
    motto_at = lines.index(MOTTO[0])
    assert lines.index(AGENCY[0]) < lines.index(AGENCY[1]) < motto_at
    assert lines[motto_at + 1] == MOTTO[1]
    number_at = next(i for i, line in enumerate(lines) if line.startswith("Số:"))
    assert number_at < motto_at
    assert lines[number_at] == "Số:.........../KH-SVHTTDL"
    assert lines[motto_at + 2] == "Hải Dương, ngày ..... tháng 3 năm 2023"
    assert lines[motto_at + 3] == "KẾ HOẠCH"


def test_no_pdf_header_line_mixes_agency_and_motto(corpus_file, header_stem):
    for line in lines_of(corpus_file("pdf", header_stem), 0):
        has_agency = any(agency in line for agency in AGENCY) or line.startswith("Số:")
        has_motto = any(motto in line for motto in MOTTO) or ", ngày" in line
        assert not (has_agency and has_motto), line


def test_signature_table_of_pdf_comes_out_as_recipients_then_signature(corpus_file, header_stem):
    lines = lines_of(corpus_file("pdf", header_stem), -1)
    start = lines.index("Nơi nhận:")
    assert lines[start + 1] == "- Ban Chỉ đạo 138 (Công an tỉnh);"
    assert lines[-3:] == ["KT.GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Trường Thắng"]
    assert lines.index("- Lưu: VT, QLVHGĐ.") == len(lines) - 4


def test_pdf_text_holds_every_word_of_its_seed_and_only_page_numbers_besides(seed_stem, corpus_file, seed_text):
    seed = normalise_unicode(seed_text(seed_stem)).split()
    document = read_document(corpus_file("pdf", seed_stem))
    words = normalise_unicode("\n".join(page.text for page in document.pages)).split()
    missing = Counter(seed) - Counter(words)
    extra = Counter(words) - Counter(seed)
    assert not missing
    assert all(word.isdigit() for word in extra), extra
    assert len(document.pages) > 1
    assert all(page.method == "text-layer" for page in document.pages)


def test_pdf_without_header_starts_with_its_document_type(corpus_file, plain_stem):
    assert lines_of(corpus_file("pdf", plain_stem), 0)[0] == "KẾ HOẠCH"


def test_pdf_record_has_format_and_sha256_of_the_bytes(corpus_file, header_stem):
    path = corpus_file("pdf", header_stem)
    document = read_document(path)
    assert document.format == "pdf"
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_named_txt_is_read_as_pdf(tmp_path, corpus_file, header_stem):
    disguised = tmp_path / "report.txt"
    shutil.copy(corpus_file("pdf", header_stem), disguised)
    document = read_document(disguised)
    assert document.format == "pdf"
    assert document.encoding is None
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document.pages[0].text


def test_page_without_text_layer_is_kept_empty_with_a_warning(tmp_path):
    path = tmp_path / "scan.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    drawing.setFont("Helvetica", 12)
    drawing.drawString(72, 700, "Page one has text")
    drawing.showPage()
    drawing.rect(72, 72, 300, 500, fill=1)
    drawing.showPage()
    drawing.save()
    document = read_document(path)
    assert [page.text.strip() for page in document.pages] == ["Page one has text", ""]
    assert [(w.code, w.page) for w in document.warnings] == [("no-text-layer", 2)]


def test_zero_byte_file_raises_ingest_error(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        read_document(path)


def test_corrupt_pdf_raises_ingest_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref\n")
    with pytest.raises(IngestError, match="corrupt or truncated PDF"):
        read_document(path)


def test_truncated_pdf_raises_ingest_error(tmp_path, corpus_file, header_stem):
    data = corpus_file("pdf", header_stem).read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="corrupt or truncated PDF"):
        read_document(path)


def test_encrypted_pdf_raises_ingest_error_saying_encrypted(tmp_path):
    path = tmp_path / "locked.pdf"
    drawing = canvas.Canvas(str(path), encrypt="secret")
    drawing.drawString(72, 700, "locked")
    drawing.save()
    with pytest.raises(IngestError, match="encrypted"):
        read_document(path)


def draw_rows(drawing: canvas.Canvas, rows: list[tuple[str, str]], top: float) -> None:
    """Draw each row's left and right cell on one baseline, row after row: the content
    order of producers that write tables line by line, which pdfium reads across."""
    for index, (left, right) in enumerate(rows):
        y = top - 16 * index
        if left:
            drawing.drawString(60, y, left)
        if right:
            drawing.drawCentredString(400, y, right)


ROW_WISE_HEADER = [
    "UBND TỈNH CAO BẰNG",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "Số: 15/KH-SVHTTDL",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Cao Bằng, ngày 05 tháng 7 năm 2025",
    "KẾ HOẠCH",
]
ROW_WISE_SIGNATURE = ["Nơi nhận:", "- Công An tỉnh;", "- Lưu: VT, TCPC.", "GIÁM ĐỐC", "Nguyễn Quốc Trung"]


@pytest.fixture
def row_wise_pdf(tmp_path) -> Path:
    """A one-page letter whose header and signature tables are drawn row by row."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU)))
    path = tmp_path / "rows.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    drawing.setFont("DejaVuSerif", 10)
    draw_rows(
        drawing,
        [
            ("UBND TỈNH CAO BẰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 15/KH-SVHTTDL", "Cao Bằng, ngày 05 tháng 7 năm 2025"),
        ],
        top=780,
    )
    drawing.drawCentredString(A4[0] / 2, 700, "KẾ HOẠCH")
    drawing.drawString(60, 670, "Thực hiện Kế hoạch số 1908/KH-UBND ngày 25/6/2025 của Ủy ban nhân dân tỉnh Cao Bằng.")
    draw_rows(
        drawing,
        [
            ("Nơi nhận:", "GIÁM ĐỐC"),
            ("- Công An tỉnh;", ""),
            ("- Lưu: VT, TCPC.", ""),
            ("", "Nguyễn Quốc Trung"),
        ],
        top=600,
    )
    drawing.save()
    return path


@pytest.fixture
def no_pdfplumber(monkeypatch) -> None:
    """Any use of pdfplumber fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("pdfplumber was opened")

    monkeypatch.setattr(pdfplumber, "open", refuse)


def test_row_wise_drawn_header_and_signature_are_split_into_columns(row_wise_pdf):
    lines = read_document(row_wise_pdf).pages[0].text.split("\n")
    assert lines[:7] == ROW_WISE_HEADER
    assert lines[-5:] == ROW_WISE_SIGNATURE


def test_pdf_already_in_block_order_is_read_without_pdfplumber(no_pdfplumber, corpus_file, header_stem):
    path = corpus_file("pdf", header_stem)
    assert layout_pages([page.text for page in read_document(path).pages]) == {}
    lines = lines_of(path, 0)
    assert lines[lines.index(AGENCY[0]) : lines.index(AGENCY[0]) + 2] == list(AGENCY)


def test_row_wise_pdf_goes_through_the_column_split(monkeypatch, no_pdfplumber, row_wise_pdf):
    """Both tables are split on the one page, from pdfium's own boxes."""
    calls = []

    def recording(data, index, page, header, signature):
        calls.append((index, header, signature))
        return split_columns(data, index, page, header, signature)

    monkeypatch.setattr(pdf_module, "split_columns", recording)
    lines = read_document(row_wise_pdf).pages[0].text.split("\n")
    assert calls == [(0, True, True)]
    assert lines[:7] == ROW_WISE_HEADER
    assert lines[-5:] == ROW_WISE_SIGNATURE


def test_pdfplumber_splits_the_columns_when_pdfium_boxes_miss_characters(monkeypatch, row_wise_pdf):
    monkeypatch.setattr(pdf_module, "accounted", lambda *args: False)
    lines = read_document(row_wise_pdf).pages[0].text.split("\n")
    assert lines[:7] == ROW_WISE_HEADER
    assert lines[-5:] == ROW_WISE_SIGNATURE
