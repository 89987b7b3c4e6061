"""Markdown pages saved from legal portals: the document's lines with their layout, the
portal's furniture kept out, and the header read by the later stages."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from pipeline.evaluate.coverage import coverage, read_sources
from pipeline.ingest import SUPPORTED_SUFFIXES, read_document
from pipeline.ingest.markdown import is_markdown, mend_emphasis
from pipeline.process import process_file
from tests.conftest import SHARED

POOL = SHARED / "corpus/pool"

# A portal page as crawlers save it: banner, loading line, the info block, then the
# document, each table cell between lines holding a lone "|", lines hard-wrapped, emphasis
# markers broken off their words; after the signature the site's own text.
PORTAL_PAGE = """|
|
Bản quyền văn bản này thuộc quyền sở hữu của **
TRANG LUẬT MẪU**. Mọi hành vi sao chép là vi phạm pháp luật về Sở hữu trí tuệ.
X
Click vào phần bôi vàng để xem chi tiết.
|
|
Đang tải văn bản...
#
**Số hiệu:**
|
318/KH-UBND
|
|
**Loại văn bản:**
|
Kế hoạch
|
**Nơi ban hành:**
|
Tỉnh Hậu Giang
|
|
**Người ký:**
|
Trần Văn Bình
|
**Ngày ban hành:**
|
14/10/2025
|
|
**
Tình trạng:**
|
Đã biết
|
|
**ỦY BAN NHÂN
DÂN**
TỈNH HẬU GIANG
-------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
318/KH-UBND
|
*Hậu Giang, ngày
14 tháng 10 năm 2025 *
|
**KẾ HOẠCH**
TRIỂN KHAI CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI
NĂM 2026
Thực hiện Chỉ thị số 08/CT-TTg ngày 02 tháng 4 năm 2025 của Thủ tướng Chính phủ,
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
**I. MỤC
ĐÍCH, YÊU CẦU**
- Chủ động phòng ngừa, ứng phó kịp thời với thiên tai.
**II. TỔ CHỨC THỰC HIỆN**
1. Giao Sở Nông nghiệp và Môi trường chủ trì, theo dõi, tổng hợp
kết quả thực hiện, báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 năm 2026.
2. Ủy ban nhân dân các xã, phường xây dựng phương án ứng phó tại địa phương./.
|
*Nơi nhận:*
- Sở Nông nghiệp và Môi trường;
- UBND các xã, phường;
- Lưu: VT.
|
**TM. ỦY BAN NHÂN DÂN**
**KT. CHỦ TỊCH**
**PHÓ CHỦ TỊCH**
**Trần Văn Bình**
|
Kế hoạch 318/KH-UBND năm 2025 triển khai công tác phòng, chống thiên tai do tỉnh Hậu Giang ban hành
Văn bản này chưa cập nhật nội dung Tiếng Anh
## Văn bản liên quan
Ban hành:
07/10/2025
Cảm ơn đã dùng thuvienphapluat.vn
- Bạn vừa bị Đăng xuất khỏi Tài khoản .
"""

# A page written in ordinary Markdown: ATX headings, emphasis, lists, a GFM table.
PLAIN_MARKDOWN = """# Báo cáo kết quả

**Tình hình** thực hiện *quý III năm 2026* như sau:

- Đã tổ chức 12 lớp tập huấn;
- Đã kiểm tra 30 cơ sở.

1. Nội dung thứ nhất.

| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |
|---|---|---|---|
| **I** | **Công tác tuyên truyền** | | |
| 1 | Tổ chức hội nghị phổ biến | Sở Tư pháp | Quý IV/2026 |
"""

# A crawled task table: caption row, a group heading spanning it, task rows whose cells
# are wrapped over several lines.
TASK_TABLE = """**PHỤ LỤC**

|
**STT**
|
**Nội dung nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian hoàn thành**
|
|
**I. CÔNG TÁC TUYÊN TRUYỀN**
|
|
1
|
Tổ chức tuyên truyền về phòng, chống
thiên tai trên các phương tiện thông tin
|
Sở Văn hóa, Thể thao và Du lịch
|
Các sở, ngành; UBND các xã
|
Thường xuyên
|
|
2
|
Rà soát các điểm có nguy cơ sạt lở
|
Sở Nông nghiệp và Môi trường
|
UBND các xã
|
Quý I/2026
|
"""


def write(tmp_path, text: str, name: str = "page.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def lines_of(path: Path) -> list:
    document = read_document(path)
    return [line for page in document.pages for line in page.lines]


def test_markdown_files_are_read_and_scanned():
    assert {".md", ".markdown"} <= SUPPORTED_SUFFIXES


def test_the_portal_furniture_is_kept_out_and_its_info_block_is_a_note(tmp_path):
    document = read_document(write(tmp_path, PORTAL_PAGE))
    text = "\n".join(page.text for page in document.pages)
    assert document.format == "markdown"
    for furniture in ("Bản quyền", "Đang tải", "Số hiệu", "Loại văn bản", "Đã biết", "Click vào",
                      "Văn bản liên quan", "Cảm ơn đã dùng", "Đăng xuất", "năm 2025 triển khai công tác"):
        assert furniture not in text, furniture
    assert text.startswith("ỦY BAN NHÂN DÂN\n")
    assert text.rstrip().endswith("Trần Văn Bình")
    (note,) = [w for w in document.warnings if w.code == "portal-info"]
    assert "Số hiệu: 318/KH-UBND" in note.message and "Người ký: Trần Văn Bình" in note.message
    assert "Tình trạng: Đã biết" in note.message


def test_the_header_table_is_read_left_column_then_right_with_its_cells(tmp_path):
    lines = lines_of(write(tmp_path, PORTAL_PAGE))
    header = [(line.text, line.layout.column, line.layout.cell) for line in lines[:6]]
    assert header == [
        ("ỦY BAN NHÂN DÂN", "left", (0, 0)),
        ("TỈNH HẬU GIANG", "left", (0, 0)),
        ("Số: 318/KH-UBND", "left", (1, 0)),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right", (0, 1)),
        ("Độc lập - Tự do - Hạnh phúc", "right", (0, 1)),
        ("Hậu Giang, ngày 14 tháng 10 năm 2025", "right", (1, 1)),
    ]
    assert lines[0].layout.bold and not lines[1].layout.bold
    assert lines[5].layout.italic and not lines[5].layout.bold
    assert {line.layout.table for line in lines[:6]} == {0}


def test_emphasis_headings_and_list_markers_give_the_lines_their_layout(tmp_path):
    lines = {line.text: line.layout for line in lines_of(write(tmp_path, PORTAL_PAGE))}
    assert lines["KẾ HOẠCH"].bold
    assert lines["I. MỤC ĐÍCH, YÊU CẦU"].bold  # one bold span, wrapped by the crawler
    assert lines["- Chủ động phòng ngừa, ứng phó kịp thời với thiên tai."].bold is False
    assert "1. Giao Sở Nông nghiệp và Môi trường chủ trì, theo dõi, tổng hợp" in lines
    assert lines["Nơi nhận:"].italic
    assert [text for text in lines if text.endswith("CHỦ TỊCH")] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    plain = {line.text: line.layout for line in lines_of(write(tmp_path, PLAIN_MARKDOWN, "plain.md"))}
    assert plain["Báo cáo kết quả"].bold
    assert plain["Tình hình thực hiện quý III năm 2026 như sau:"].bold is False  # mostly plain
    assert "- Đã tổ chức 12 lớp tập huấn;" in plain and "1. Nội dung thứ nhất." in plain
    assert not any("*" in text or text.startswith("#") for text in plain)


def test_a_pipe_table_is_read_as_rows_of_cells(tmp_path):
    lines = lines_of(write(tmp_path, PLAIN_MARKDOWN))
    rows = [(line.text, line.layout.cell) for line in lines if line.layout.table is not None]
    assert rows == [
        ("STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành", (0, 0)),
        ("I | Công tác tuyên truyền | |", (1, 0)),
        ("1 | Tổ chức hội nghị phổ biến | Sở Tư pháp | Quý IV/2026", (2, 0)),
    ]


def test_a_crawled_table_keeps_its_rows_its_wrapped_cells_and_its_group_heading(tmp_path):
    lines = lines_of(write(tmp_path, TASK_TABLE))
    rows = [line.text for line in lines if line.layout.table is not None]
    assert rows == [
        "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành",
        "I. CÔNG TÁC TUYÊN TRUYỀN | | | |",
        ("1 | Tổ chức tuyên truyền về phòng, chống thiên tai trên các phương tiện thông tin"
        " | Sở Văn hóa, Thể thao và Du lịch | Các sở, ngành; UBND các xã | Thường xuyên"),
        "2 | Rà soát các điểm có nguy cơ sạt lở | Sở Nông nghiệp và Môi trường | UBND các xã | Quý I/2026",
    ]
    assert [line.layout.cell for line in lines if line.layout.table is not None] == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert lines[0].text == "PHỤ LỤC" and lines[0].layout.table is None


def test_a_one_row_table_ends_before_the_body_that_follows_it(tmp_path):
    page = PORTAL_PAGE.replace("|\n**KẾ HOẠCH**", "|\n|\n**Kính gửi:**\n|\n- Sở Tài chính;\n- Sở Nội vụ.\n|\n**KẾ HOẠCH**")
    texts = [line.text for line in lines_of(write(tmp_path, page))]
    start = texts.index("Kính gửi:")
    assert texts[start : start + 4] == ["Kính gửi:", "- Sở Tài chính;", "- Sở Nội vụ.", "KẾ HOẠCH"]


def test_text_that_is_markdown_is_read_as_markdown_whatever_its_name(tmp_path):
    assert is_markdown(PLAIN_MARKDOWN) and not is_markdown("Số: 12/KH-UBND\nKẾ HOẠCH\nTriển khai năm 2026 * 2")
    assert read_document(write(tmp_path, PLAIN_MARKDOWN, "copy.txt")).format == "markdown"
    assert read_document(write(tmp_path, "KẾ HOẠCH\nTriển khai công tác năm 2026.\n", "plain.txt")).format == "txt"


def test_emphasis_markers_broken_off_their_words_are_put_back():
    assert mend_emphasis(["**ỦY BAN NHÂN DÂN", "**", "TỈNH X"]) == ["**ỦY BAN NHÂN DÂN**", "TỈNH X"]
    assert mend_emphasis(["**", "Tình trạng:**"]) == ["**Tình trạng:**"]
    assert mend_emphasis(["*Hà Nội, ngày 05 tháng 3 năm 2026 *"]) == ["*Hà Nội, ngày 05 tháng 3 năm 2026*"]


def test_a_page_of_furniture_only_is_an_error_record(tmp_path):
    record = process_file(write(tmp_path, "|\n|\nĐang tải văn bản...\n|\n** **\n"))
    assert record.status == "error" and "no document text" in record.error


def test_the_header_of_a_portal_page_is_read_from_the_document_not_from_the_info_block(tmp_path):
    # The info block states another number and signer: the document's own header wins.
    page = PORTAL_PAGE.replace("|\n318/KH-UBND\n|", "|\n999/KH-UBND\n|").replace("|\nTrần Văn Bình\n|", "|\nNguyễn Văn A\n|")
    document = process_file(write(tmp_path, page)).document
    assert (document.doc_type, document.number, document.issue_date) == ("Kế hoạch", "318/KH-UBND", "2025-10-14")
    assert document.signer_name == "Trần Văn Bình"
    assert re.search(r"(?i)ủy ban nhân dân tỉnh hậu giang", document.issuer or "")


@pytest.mark.skipif(not (POOL / "SOURCES.md").exists(), reason="the shared pool of real documents is not here")
def test_every_markdown_page_of_the_real_pool_gives_its_printed_type_and_number():
    expected = [item for item in read_sources(POOL / "SOURCES.md") if item.file.endswith(".md")]
    records = [process_file(POOL / item.file).to_dict() for item in expected]
    report = coverage(expected, records)
    misses = {doc.file: (doc.marks["type"], doc.marks["number"]) for doc in report.documents if (doc.marks["type"], doc.marks["number"]) != ("ok", "ok")}
    assert misses == {}
    assert report.share("issuer")[0] >= report.share("issuer")[1] - 1


def test_markdown_text_in_utf16_is_told_from_its_words(tmp_path):
    path = tmp_path / "copy.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + PLAIN_MARKDOWN.encode("utf-16-le"))
    document = read_document(path)
    assert document.format == "markdown" and document.encoding == "utf-16"
    assert "Báo cáo kết quả" in document.pages[0].text.split("\n")
