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
from pipeline.ingest.pdf import layout_pages, signed_pages, split_columns
from pipeline.records import IngestError, Layout
from pipeline.text import normalise_unicode
from tests.conftest import CORPUS, SHARED

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
    assert "nothing for OCR to read" in document.warnings[0].message  # OCR was not needed: it had nothing


def test_a_page_of_many_paths_and_no_text_is_read_by_ocr_and_a_drawing_is_not(tmp_path):
    """Text exported as curves leaves no text layer but hundreds of paths; a drawing has few."""
    path = tmp_path / "curves.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    for row in range(40):
        for column in range(10):
            drawing.line(72 + column * 40, 760 - row * 16, 100 + column * 40, 760 - row * 16)
    drawing.showPage()
    drawing.rect(72, 72, 300, 500, fill=1)
    drawing.showPage()
    drawing.save()
    pdf = pdf_module.open_pdf(path.read_bytes())
    try:
        assert [pdf_module.ocr_reason(pdf[i], "", "auto") for i in range(2)] == ["text drawn as outlines", None]
    finally:
        pdf.close()


@pytest.mark.skipif(not (SHARED / "corpus/originals/o005.pdf").exists(), reason="the originals are in the shared corpus")
def test_a_decision_whose_first_page_is_drawn_as_curves_is_read_with_its_header():
    document = read_document(SHARED / "corpus/originals/o005.pdf")
    assert document.pages[0].method == "ocr"
    assert "1629" in document.pages[0].text and "Lai Châu, ngày 27 tháng 6 năm 2025" in document.pages[0].text


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
    texts = [page.text for page in read_document(path).pages]
    assert layout_pages(texts, signed_pages(texts)) == {}
    lines = lines_of(path, 0)
    assert lines[lines.index(AGENCY[0]) : lines.index(AGENCY[0]) + 2] == list(AGENCY)


def test_row_wise_pdf_goes_through_the_column_split(monkeypatch, no_pdfplumber, row_wise_pdf):
    """Both tables are split on the one page, from pdfium's own boxes."""
    calls = []

    def recording(data, index, page, header, signature, *layer):
        calls.append((index, header, signature))
        return split_columns(data, index, page, header, signature, *layer)

    monkeypatch.setattr(pdf_module, "split_columns", recording)
    lines = read_document(row_wise_pdf).pages[0].text.split("\n")
    assert calls == [(0, True, True)]
    assert lines[:7] == ROW_WISE_HEADER
    assert lines[-5:] == ROW_WISE_SIGNATURE


def test_pdfplumber_splits_the_columns_when_pdfium_boxes_miss_characters(monkeypatch, row_wise_pdf):
    monkeypatch.setattr(pdf_module, "accounted", lambda *args: False)
    page = read_document(row_wise_pdf).pages[0]
    lines = page.text.split("\n")
    assert lines[:7] == ROW_WISE_HEADER
    assert lines[-5:] == ROW_WISE_SIGNATURE
    # pdfplumber's words carry no pdfium index: their font is found by position
    assert [(line.layout.size, line.layout.column) for line in page.lines[:6]] == [(10.0, "left")] * 3 + [(10.0, "right")] * 3


# --------------------------------------------------------------------------- layout of the lines

FONT_DIR = DEJAVU.parent


@pytest.fixture(scope="module")
def composed_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-page plan in the form's style, drawn cell by cell as Word's PDF export does:
    the two-column header table (agency left, centred; motto right, centred; place and
    date right-aligned in italics), the bold centred type and title, justified body
    paragraphs with a first-line indent, and the Nơi nhận / signature table."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    for name, file in (("Serif", "DejaVuSerif.ttf"), ("Serif-Bold", "DejaVuSerif-Bold.ttf"), ("Serif-Italic", "DejaVuSerif-Italic.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))

    def style(font: str = "Serif", size: float = 13, align: int = TA_JUSTIFY, indent: float = 0) -> ParagraphStyle:
        return ParagraphStyle(f"{font}{size}{align}{indent}", fontName=font, fontSize=size, leading=size * 1.3, alignment=align, firstLineIndent=indent)

    def cell(lines: list[tuple[str, ParagraphStyle]]) -> list[Paragraph]:
        return [Paragraph(text, kind) for text, kind in lines]

    centred, bold_centred = style(size=10.5, align=TA_CENTER), style("Serif-Bold", 10.5, TA_CENTER)
    header = Table(
        [
            [
                cell([("UBND TỈNH CAO BẰNG", centred), ("SỞ VĂN HÓA VÀ THỂ THAO", bold_centred), ("Số: 15/KH-SVHTTDL", centred)]),
                cell([
                    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_centred),
                    ("Độc lập - Tự do - Hạnh phúc", bold_centred),
                    ("Cao Bằng, ngày 05 tháng 7 năm 2025", style("Serif-Italic", 10.5, TA_RIGHT)),
                ]),
            ]
        ],
        colWidths=[190, 291],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
    )
    body = style(indent=28)
    sentence = "Thực hiện Kế hoạch số 1908/KH-UBND ngày 25/6/2025 của Ủy ban nhân dân tỉnh về công tác phòng, chống mua bán người, "
    closing = Table(
        [
            [
                cell([("Nơi nhận:", style("Serif-Bold", 11, TA_LEFT)), ("- Công an tỉnh;", style(size=11, align=TA_LEFT)), ("- Lưu: VT, TCPC.", style(size=11, align=TA_LEFT))]),
                cell([("GIÁM ĐỐC", style("Serif-Bold", 12, TA_CENTER)), ("Nguyễn Quốc Trung", style("Serif-Bold", 12, TA_CENTER))]),
            ]
        ],
        colWidths=[240, 240],
    )
    path = tmp_path_factory.mktemp("composed") / "plan.pdf"
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=57, rightMargin=57).build(
        [
            header,
            Paragraph("KẾ HOẠCH", style("Serif-Bold", 14, TA_CENTER)),
            Paragraph("Phòng, chống mua bán người năm 2025", style("Serif-Bold", 13, TA_CENTER)),
            Paragraph(sentence * 3, body),
            Paragraph("Các sở, ban, ngành triển khai " + sentence * 2, body),
            closing,
        ]
    )
    return path


@pytest.fixture(scope="module")
def composed_lines(composed_plan: Path) -> dict[str, Layout]:
    return {line.text: line.layout for line in read_document(composed_plan).pages[0].lines if line.text.strip()}


def test_the_document_type_is_a_bold_centred_14_pt_line(composed_lines):
    assert composed_lines["KẾ HOẠCH"] == Layout(bold=True, italic=False, align="center", indent=composed_lines["KẾ HOẠCH"].indent, size=14.0)
    assert 0.3 < composed_lines["KẾ HOẠCH"].indent < 0.5
    assert composed_lines["KẾ HOẠCH"].column is None  # under the header's right column, but not in it
    title = composed_lines["Phòng, chống mua bán người năm 2025"]
    assert (title.bold, title.align, title.size, title.column) == (True, "center", 13.0, None)


def test_header_lines_say_their_column_and_are_aligned_in_it(composed_lines):
    for agency in ("UBND TỈNH CAO BẰNG", "SỞ VĂN HÓA VÀ THỂ THAO", "Số: 15/KH-SVHTTDL"):
        assert (composed_lines[agency].column, composed_lines[agency].align) == ("left", "center"), agency
    assert composed_lines["SỞ VĂN HÓA VÀ THỂ THAO"].bold and not composed_lines["UBND TỈNH CAO BẰNG"].bold
    for motto in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        assert (composed_lines[motto].column, composed_lines[motto].align, composed_lines[motto].bold) == ("right", "center", True)
    place_date = composed_lines["Cao Bằng, ngày 05 tháng 7 năm 2025"]
    assert (place_date.column, place_date.align, place_date.italic, place_date.bold, place_date.size) == ("right", "right", True, False, 10.5)


def test_body_lines_are_justified_and_a_paragraph_starts_indented(composed_lines):
    body = [(text, layout) for text, layout in composed_lines.items() if layout.size == 13.0 and not layout.bold]
    assert len(body) >= 5
    firsts = [layout for text, layout in body if text.startswith(("Thực hiện", "Các sở"))]
    assert [layout.indent for layout in firsts] == [pytest.approx(0.06, abs=0.01)] * 2
    assert all(layout.align == "justify" for _, layout in body[:2])
    assert {layout.indent for text, layout in body if not text.startswith(("Thực hiện", "Các sở"))} == {0.0}
    assert body[-1][1].align == "left"  # a paragraph's last line stops short of the right edge
    assert all(layout.column is None and layout.table is None for _, layout in body)


def test_the_signature_column_is_centred_and_the_recipients_left(composed_lines):
    assert composed_lines["GIÁM ĐỐC"].align == composed_lines["Nguyễn Quốc Trung"].align == "center"
    assert composed_lines["GIÁM ĐỐC"].column == "right"  # the closing table's signature side
    assert composed_lines["GIÁM ĐỐC"].indent > 0.5
    assert [composed_lines[line].align for line in ("Nơi nhận:", "- Công an tỉnh;", "- Lưu: VT, TCPC.")] == ["left"] * 3


def test_row_wise_drawn_header_lines_say_their_column(row_wise_pdf):
    lines = read_document(row_wise_pdf).pages[0].lines
    sides = {line.text: line.layout.column for line in lines}
    assert [sides[text] for text in ROW_WISE_HEADER[:3]] == ["left"] * 3
    assert [sides[text] for text in ROW_WISE_HEADER[3:6]] == ["right"] * 3
    assert all(line.layout.size == 10.0 and line.layout.bold is False for line in lines)


def test_a_bold_font_is_told_by_its_weight_or_name_and_italic_by_its_flags_or_name():
    from pipeline.ingest.pdf import FontBook

    book = FontBook()
    assert book.bold_name.search("BCDFEE+TimesNewRomanPS-BoldMT") and book.bold_name.search("Times New Roman,Bold")
    assert book.italic_name.search("DejaVuSerif-BoldItalic") and not book.italic_name.search("TimesNewRomanPSMT")


def test_pdfium_called_unconverted_gives_what_its_declared_binding_gives():
    """_placed_lines' pdfium calls without ctypes' argument conversion read the same boxes,
    font names, flags and sizes as pypdfium2's bindings, on every character of the sample
    PDFs and the originals (one past the end too, where pdfium finds none)."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from pipeline.ingest.pdf import _FONT_INFO, _FONT_SIZE, _LOOSE_CHAR_BOX, _NAME_SIZE

    paths = sorted((CORPUS / "pdf").glob("*.pdf")) + sorted((SHARED / "corpus/originals").glob("*.pdf"))
    rect, declared_rect = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
    name, declared_name = ctypes.create_string_buffer(128), ctypes.create_string_buffer(128)
    flags, declared_flags = ctypes.c_int(), ctypes.c_int()
    checked = 0
    for path in paths:
        document = pypdfium2.PdfDocument(path.read_bytes())
        for page in document:
            textpage = page.get_textpage()
            handle = textpage.raw
            for char in range(textpage.count_chars() + 1):
                box = _LOOSE_CHAR_BOX(handle, char, ctypes.byref(rect))
                assert box == pdfium_c.FPDFText_GetLooseCharBox(handle, char, declared_rect)
                assert not box or (rect.left, rect.top, rect.right, rect.bottom) == (
                    declared_rect.left, declared_rect.top, declared_rect.right, declared_rect.bottom)
                needed = _FONT_INFO(handle, char, name, _NAME_SIZE, ctypes.byref(flags))
                assert needed == pdfium_c.FPDFText_GetFontInfo(handle, char, declared_name, 128, declared_flags)
                assert not needed or (name.value, flags.value) == (declared_name.value, declared_flags.value)
                assert _FONT_SIZE(handle, char) == pdfium_c.FPDFText_GetFontSize(handle, char)
                checked += 1
            textpage.close()
        document.close()
    assert checked > 10_000


def test_every_text_layer_line_of_the_corpus_has_its_font_and_place(seed_stem, corpus_file):
    """Every line with ink has a size, bold and italic, an indent and an alignment; the text
    of the page is its lines joined."""
    for page in read_document(corpus_file("pdf", seed_stem)).pages:
        assert page.text == "\n".join(line.text for line in page.lines)
        for line in page.lines:
            assert "\n" not in line.text
            if line.text.strip():
                layout = line.layout
                assert layout.size and layout.bold is not None and layout.italic is not None, line.text
                assert layout.indent is not None and layout.align in ("left", "center", "right", "justify"), line.text


def test_the_corpus_header_and_closing_say_what_the_printed_form_shows(corpus_file, header_stem):
    pages = read_document(corpus_file("pdf", header_stem)).pages
    first = {line.text: line.layout for line in pages[0].lines}
    assert [first[text].column for text in AGENCY] == ["left", "left"]
    assert [first[text].column for text in MOTTO] == ["right", "right"]
    assert first["KẾ HOẠCH"].align == "center" and first["KẾ HOẠCH"].bold and first["KẾ HOẠCH"].column is None
    assert first["Hải Dương, ngày ..... tháng 3 năm 2023"].italic
    last = {line.text: line.layout for line in pages[-1].lines}
    assert last["Nơi nhận:"].bold and last["Nơi nhận:"].align == "left"
    assert [last[text].align for text in ("KT.GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Trường Thắng")] == ["center"] * 3


def test_task_table_row_lines_say_their_table_and_row(tmp_path):
    """A ruled task table, read cell by cell into one " | " line per row: each row line is
    in its table (counted among the page's ruled tables) and row; the lines around it keep
    their own layout."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU)))
    style = ParagraphStyle("body", fontName="DejaVuSerif", fontSize=10, leading=13)
    cells = [
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        ["1", "Tuyên truyền Luật Phòng, chống mua bán người năm 2024 tại các xã biên giới", "Sở Tư pháp", "Quý III/2025"],
        ["2", "Hỗ trợ nạn nhân bị mua bán trở về", "Sở Y tế", "Trước 30/6"],
    ]
    table = Table([[Paragraph(cell, style) for cell in row] for row in cells], colWidths=[30, 220, 110, 100])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    path = tmp_path / "tasks.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph("1. Phân công nhiệm vụ cụ thể như sau:", style), table, Paragraph("2. Chế độ báo cáo hằng quý.", style)]
    )
    lines = read_document(path).pages[0].lines
    rows = [(line.text.split(" | ")[0], line.layout.table, line.layout.cell) for line in lines if line.layout.table is not None]
    assert rows == [("TT", 0, (0, 0)), ("1", 0, (1, 0)), ("2", 0, (2, 0))]
    assert lines[0].layout.size == lines[-1].layout.size == 10.0 and lines[0].layout.table is None


@pytest.mark.parametrize(("ocr", "reason"), [("auto", "the PDF is blank"), ("never", "OCR is off")])
def test_a_pdf_of_blank_pages_is_an_error_that_says_why(tmp_path, ocr, reason):
    path = tmp_path / "blank.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(3):
        drawing.showPage()
    drawing.save()
    with pytest.raises(IngestError, match=reason):
        read_document(path, ocr=ocr)
