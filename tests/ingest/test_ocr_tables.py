"""Task tables on scanned pages: rebuilt as rows of cells from Tesseract's word boxes, as a
PDF or DOCX table reaches segment. A composed page (ruled table, genre wording), real Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from pipeline.ingest import read_document
from pipeline.ingest.layout import Row, Word
from pipeline.ingest.ocr_tables import task_table_rows

FONTS = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300
MM = DPI / 25.4

CAPTIONS = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
DUTIES = [
    ["1", "Tuyên truyền, phổ biến pháp luật về phòng cháy, chữa cháy cho người dân trên địa bàn tỉnh",
     "Sở Tư pháp", "Công an tỉnh; Ủy ban nhân dân các xã", "Quý III/2026"],
    ["2", "Rà soát, kiểm tra các cơ sở kinh doanh không bảo đảm an toàn", "Công an tỉnh", "Sở Xây dựng", "Thường xuyên"],
    ["3", "Tổng hợp, báo cáo kết quả thực hiện Kế hoạch", "Sở Nội vụ", "Các sở, ban, ngành", "Trước ngày 15/12/2026"],
]
WIDTHS_MM = [12, 68, 34, 34, 30]


def wrapped(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line]


def table_page(path: Path, ruled: bool = True) -> Path:
    """An A4 page at 300 dpi: a heading, a task table (ruled, or with cells set apart by
    space only), a closing paragraph."""
    page = Image.new("L", (round(210 * MM), round(297 * MM)), 255)
    draw = ImageDraw.Draw(page)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), round(12 / 72 * DPI))
    bold = ImageFont.truetype(str(FONTS / "DejaVuSerif-Bold.ttf"), round(12 / 72 * DPI))
    leading = round(12 / 72 * DPI * 1.35)
    left, y = round(20 * MM), round(30 * MM)
    draw.text((left, y), "III. TỔ CHỨC THỰC HIỆN", font=bold, fill=0)
    y += 2 * leading
    edges = [left]
    for width in WIDTHS_MM:
        edges.append(edges[-1] + round(width * MM))
    top = y
    for cells, font in [(CAPTIONS, bold)] + [(row, regular) for row in DUTIES]:
        cell_lines = [wrapped(draw, cell, font, edges[i + 1] - edges[i] - 3 * MM) for i, cell in enumerate(cells)]
        height = max(len(lines) for lines in cell_lines) * leading + round(3 * MM)
        for i, lines in enumerate(cell_lines):
            for n, line in enumerate(lines):
                draw.text((edges[i] + round(1.5 * MM), y + round(1.5 * MM) + n * leading), line, font=font, fill=0)
        if ruled:
            draw.line((edges[0], y, edges[-1], y), fill=0, width=3)
        y += height
    if ruled:
        draw.line((edges[0], y, edges[-1], y), fill=0, width=3)
        for x in edges:
            draw.line((x, top, x, y), fill=0, width=3)
    y += leading
    closing = "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị báo cáo Ủy ban nhân dân tỉnh để chỉ đạo."
    for line in wrapped(draw, closing, regular, edges[-1] - left):
        draw.text((left, y), line, font=regular, fill=0)
        y += leading
    page.save(path, dpi=(DPI, DPI))
    return path


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_scanned_task_table_reaches_segment_as_rows_of_cells(tmp_path, ruled):
    text = read_document(table_page(tmp_path / "page.png", ruled)).pages[0].text
    lines = [line for line in text.splitlines() if " | " in line]
    assert lines[0].split(" | ") == CAPTIONS
    rows = [line.split(" | ") for line in lines[1:]]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    # each lead agency in its duty's row (a letter or two may be misread: OCR, not structure)
    assert [Levenshtein.distance(row[2], lead) <= 2 for row, lead in zip(rows, ["Sở Tư pháp", "Công an tỉnh", "Sở Nội vụ"])] == [True] * 3
    assert rows[0][1].startswith("Tuyên truyền, phổ biến pháp luật") and rows[0][1].endswith("trên địa bàn tỉnh")
    assert rows[2][4] == "Trước ngày 15/12/2026"
    heading = text.splitlines()[0]  # before the table, not a row of it
    assert Levenshtein.distance(heading, "III. TỔ CHỨC THỰC HIỆN") <= 2 and "Trong quá trình thực hiện" in text
    assert not any(" | " in line for line in text.split("Trong quá trình thực hiện")[1].splitlines())


def _row(y: float, *cells: tuple[float, str]) -> Row:
    """A line of words 10 pt high: each cell's words from its x on, a word space (3 pt) apart."""
    words = []
    for x, text in cells:
        for word in text.split():
            words.append(Word(word, x, x + 5.0 * len(word), y, y + 10.0))
            x += 5.0 * len(word) + 3.0
    return Row(words, y, y + 10.0)


def test_a_page_without_task_captions_is_left_as_read():
    rows = [_row(100, (60, "Sở Tư pháp")), _row(120, (60, "Thời gian"))]
    assert task_table_rows(rows) is rows


def test_rows_begin_at_each_number_and_a_line_across_the_columns_ends_the_table():
    rows = [
        _row(100, (40, "TT"), (100, "Nhiệm vụ"), (300, "Cơ quan chủ trì"), (450, "Thời gian")),
        _row(120, (42, "1"), (100, "Kiểm tra"), (300, "Sở Xây dựng"), (450, "Quý II")),
        _row(132, (100, "các cơ sở")),
        _row(150, (42, "2"), (100, "Báo cáo"), (300, "Sở Nội vụ"), (450, "Năm 2026")),
        _row(180, (40, "Các cơ quan báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh và Sở Nội vụ.")),
    ]
    texts = [row.text for row in task_table_rows(rows)]
    assert texts == [
        "TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian",
        "1 | Kiểm tra các cơ sở | Sở Xây dựng | Quý II",
        "2 | Báo cáo | Sở Nội vụ | Năm 2026",
        rows[-1].text,
    ]
