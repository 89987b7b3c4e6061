"""Plain-text ingest: encodings, pages, and tables copied from web portals."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata

import pytest

from pipeline.ingest import SUPPORTED_SUFFIXES, read_document
from pipeline.ingest import text as text_module
from pipeline.records import IngestError, Layout
from tests.ingest.conftest import windows_1258

SAMPLE = "KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\nCộng hoà, Văn hoá\n"
HEADER_ROWS = [
    ("UBND TỈNH HẢI DƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 12/KH-SVHTTDL", "Hải Dương, ngày 05 tháng 3 năm 2023"),
]
HEADER_BLOCKS = [
    "UBND TỈNH HẢI DƯƠNG",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "Số: 12/KH-SVHTTDL",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Hải Dương, ngày 05 tháng 3 năm 2023",
]


def write(tmp_path, data: bytes, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_text_encodings_decode_to_the_same_text_and_are_recorded(tmp_path, data, encoding):
    document = read_document(write(tmp_path, data))
    assert document.encoding == encoding
    assert document.format == "txt"
    assert [(p.number, p.method) for p in document.pages] == [(1, "plain")]
    assert document.pages[0].text == "KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\nCộng hòa, Văn hóa\n"


def test_text_in_windows_1258_is_decoded_by_charset_detection(tmp_path):
    text = "Báo cáo kết quả tuyên truyền công tác phòng, chống mua bán người quý III năm 2023.\n" * 5
    document = read_document(write(tmp_path, windows_1258(text)))
    assert document.encoding == "cp1258"
    assert document.pages[0].text == text


def test_text_output_is_nfc_even_when_the_file_is_decomposed(tmp_path):
    document = read_document(write(tmp_path, unicodedata.normalize("NFD", SAMPLE).encode("utf-8")))
    assert document.pages[0].text.startswith("KẾ HOẠCH\n")
    assert unicodedata.is_normalized("NFC", document.pages[0].text)


def test_a_copy_cut_inside_its_last_character_is_read_and_said_to_be_cut(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes((SAMPLE + "Sở Nội vụ").encode("utf-8")[:-1])  # "ụ" is three bytes: two kept
    document = read_document(path)
    assert document.encoding == "utf-8" and document.pages[0].text.endswith("Sở Nội v")
    cut = [w for w in document.warnings if w.code == "text-cut"]
    assert len(cut) == 1 and "2 byte(s)" in cut[0].message


def test_a_whole_copy_is_not_said_to_be_cut(tmp_path):
    path = tmp_path / "whole.txt"
    path.write_bytes(SAMPLE.encode("utf-8"))
    assert not [w for w in read_document(path).warnings if w.code == "text-cut"]


def test_form_feeds_split_text_into_pages(tmp_path):
    document = read_document(write(tmp_path, "trang một\n\ftrang hai\n\ftrang ba".encode()))
    assert [(p.number, p.text.strip()) for p in document.pages] == [(1, "trang một"), (2, "trang hai"), (3, "trang ba")]


def test_crlf_line_ends_become_newlines(tmp_path):
    document = read_document(write(tmp_path, "dòng một\r\ndòng hai\r\n".encode()))
    assert document.pages[0].text == "dòng một\ndòng hai\n"


def test_portal_header_with_pipes_is_deinterleaved_into_blocks(tmp_path):
    rows = [f"{left} | {right}" for left, right in HEADER_ROWS]
    document = read_document(write(tmp_path, "\n".join(rows + ["", "KẾ HOẠCH"]).encode()))
    assert document.pages[0].text.split("\n") == HEADER_BLOCKS + ["", "KẾ HOẠCH"]


def test_portal_header_with_tabs_and_an_empty_cell_is_deinterleaved(tmp_path):
    rows = [f"{left}\t\t{right}" for left, right in HEADER_ROWS] + ["V/v triển khai kế hoạch\t"]
    rows[2] = f"{HEADER_ROWS[2][0]}\t{HEADER_ROWS[2][1]}"
    document = read_document(write(tmp_path, "\n".join(rows + ["Kính gửi: Sở Tư pháp"]).encode()))
    expected = HEADER_BLOCKS[:3] + ["V/v triển khai kế hoạch"] + HEADER_BLOCKS[3:] + ["Kính gửi: Sở Tư pháp"]
    assert document.pages[0].text.split("\n") == expected


def test_portal_signature_table_gives_recipients_then_signature(tmp_path):
    rows = [
        "Trên đây là Kế hoạch của Sở./.",
        "Nơi nhận: | KT. GIÁM ĐỐC",
        "- Như trên; | PHÓ GIÁM ĐỐC",
        "- Lưu: VT, TTBCXB. | ",
        " | Nguyễn Văn Nhật",
    ]
    document = read_document(write(tmp_path, "\n".join(rows).encode()))
    assert document.pages[0].text.split("\n") == [
        "Trên đây là Kế hoạch của Sở./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, TTBCXB.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Nhật",
    ]


def test_task_table_rows_stay_one_line_per_row_joined_by_pipes(tmp_path):
    rows = ["STT\tNội dung\tCơ quan chủ trì\tThời gian", "1\tTuyên truyền\tSở TTTT\tQuý III"]
    document = read_document(write(tmp_path, "\n".join(rows).encode()))
    assert document.pages[0].text.split("\n") == [
        "STT | Nội dung | Cơ quan chủ trì | Thời gian",
        "1 | Tuyên truyền | Sở TTTT | Quý III",
    ]


def test_zero_byte_text_file_raises_ingest_error(tmp_path):
    with pytest.raises(IngestError, match="empty"):
        read_document(write(tmp_path, b""))


def test_binary_bytes_named_txt_raise_ingest_error(tmp_path):
    data = bytes(range(256)) * 40
    with pytest.raises(IngestError, match="not a text file"):
        read_document(write(tmp_path, data))


def test_ole2_file_that_is_not_word_raises_ingest_error(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(IngestError, match="not a Word document"):
        read_document(write(tmp_path, data, "old.doc"))


def test_supported_suffixes_cover_the_text_formats():
    assert {".txt", ".pdf", ".docx", ".doc", ".html", ".htm"} <= SUPPORTED_SUFFIXES


def test_sha256_is_of_the_file_bytes(tmp_path):
    data = SAMPLE.encode("utf-16")
    assert read_document(write(tmp_path, data)).sha256 == hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- layout of the lines


def test_a_copied_header_table_says_each_line_s_cell_and_column(tmp_path):
    rows = [f"{left} | {right}" for left, right in HEADER_ROWS]
    lines = read_document(write(tmp_path, "\n".join(rows + ["", "KẾ HOẠCH"]).encode())).pages[0].lines
    assert [(line.layout.table, line.layout.cell, line.layout.column) for line in lines[:6]] == [
        (0, (0, 0), "left"), (0, (1, 0), "left"), (0, (2, 0), "left"),
        (0, (0, 1), "right"), (0, (1, 1), "right"), (0, (2, 1), "right"),
    ]
    assert lines[-1].layout == Layout()


def test_a_copied_closing_table_is_placed_in_its_cells_on_their_sides(tmp_path):
    rows = ["Nơi nhận: | KT. GIÁM ĐỐC", "- Như trên; | PHÓ GIÁM ĐỐC", " | Nguyễn Văn Nhật"]
    lines = read_document(write(tmp_path, "\n".join(rows).encode())).pages[0].lines
    assert [(line.text, line.layout.cell, line.layout.column) for line in lines] == [
        ("Nơi nhận:", (0, 0), "left"), ("- Như trên;", (1, 0), "left"),
        ("KT. GIÁM ĐỐC", (0, 1), "right"), ("PHÓ GIÁM ĐỐC", (1, 1), "right"), ("Nguyễn Văn Nhật", (2, 1), "right"),
    ]


def test_task_table_row_lines_say_their_table_and_row(tmp_path):
    rows = ["Các nhiệm vụ:", "STT\tNội dung\tCơ quan chủ trì", "1\tTuyên truyền\tSở TTTT", "", " |  | Quý III", "Hết."]
    lines = read_document(write(tmp_path, "\n".join(rows).encode())).pages[0].lines
    assert [(line.text, line.layout.table, line.layout.cell) for line in lines] == [
        ("Các nhiệm vụ:", None, None),
        ("STT | Nội dung | Cơ quan chủ trì", 0, (0, 0)),
        ("1 | Tuyên truyền | Sở TTTT", 0, (1, 0)),
        ("", None, None),
        ("Quý III", 0, (2, 2)),  # the row's one filled cell
        ("Hết.", None, None),
    ]


LAID_OUT = """\
      ỦY BAN NHÂN DÂN                       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        TỈNH LÀO CAI                              Độc lập - Tự do - Hạnh phúc

                                  KẾ HOẠCH
      Thực hiện Văn bản số 4250/BNNMT-ĐCKS ngày 29/4/2026 của Bộ Nông
nghiệp và Môi trường về việc tăng cường thanh tra, kiểm tra hoạt động khoáng
sản trên địa bàn, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị
thực hiện tốt các nhiệm vụ sau:
        1. Trách nhiệm chung của các cơ quan, đơn vị
"""


def test_a_laid_out_copy_gives_each_line_its_indent_from_its_spaces(tmp_path):
    lines = read_document(write(tmp_path, LAID_OUT.encode())).pages[0].lines
    indents = {line.text.strip(): line.layout.indent for line in lines if line.text.strip()}
    assert indents["KẾ HOẠCH"] == pytest.approx(34 / 79, abs=0.01)
    assert indents["thực hiện tốt các nhiệm vụ sau:"] == 0.0
    assert 0 < indents["Thực hiện Văn bản số 4250/BNNMT-ĐCKS ngày 29/4/2026 của Bộ Nông"] < 0.1
    assert indents["1. Trách nhiệm chung của các cơ quan, đơn vị"] == pytest.approx(8 / 79, abs=0.01)
    assert all(line.layout.align is None and line.layout.bold is None for line in lines)  # a text file says neither


def test_lines_that_are_whole_paragraphs_get_no_indent(tmp_path):
    paragraph = "Thực hiện Kế hoạch số 1908/KH-UBND ngày 25/6/2025 của Ủy ban nhân dân tỉnh về công tác phòng, chống mua bán người. " * 3
    text = "\n".join(["KẾ HOẠCH", *(["  " + paragraph] * 6)])
    assert {line.layout for line in read_document(write(tmp_path, text.encode())).pages[0].lines} == {Layout()}


def test_every_line_of_the_text_corpus_is_indented_or_placed_in_a_table(seed_stem, corpus_file):
    for page in read_document(corpus_file("txt", seed_stem)).pages:
        assert page.text == "\n".join(line.text for line in page.lines)
        for line in page.lines:
            assert (line.layout.indent is not None) == bool(line.text.strip()) or line.layout.table is not None, line.text


# Web copies whose header table cells are broken over several lines between "|" rows, in
# the three shapes portals and crawlers leave (compose: a province's plan of 2026).
BROKEN_ROWS = """| ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN
------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc |
|---|---|
| Số: 45/KH-UBND | Bắc Kạn, ngày 09 tháng 01 năm 2026 |

KẾ HOẠCH
Triển khai công tác cải cách hành chính năm 2026
"""
LONE_PIPES = """|
ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN
|
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
|
|
Số: 45/KH-UBND
|
Bắc Kạn, ngày 09
tháng 01 năm 2026
|

KẾ HOẠCH
Triển khai công tác cải cách hành chính năm 2026
"""
OPEN_FRAME = """| ỦY BAN NHÂN DÂN TỈNH BẮC KẠN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc
|---|---
| Số: 45/KH-UBND | Bắc Kạn, ngày 09 tháng 01 năm 2026

| Kính gửi: | - Sở Nội vụ; - Sở Tư pháp
|---|---

KẾ HOẠCH
"""


@pytest.mark.parametrize("copy", [BROKEN_ROWS, LONE_PIPES], ids=["cells-broken-between-rows", "cells-between-lone-pipes"])
def test_header_cells_broken_over_several_lines_are_read_left_block_then_right(tmp_path, copy):
    lines = read_document(write(tmp_path, copy.encode("utf-8"))).pages[0].lines
    header = [(line.text, line.layout.column) for line in lines if line.layout.column]
    assert header == [
        ("ỦY BAN NHÂN DÂN", "left"), ("TỈNH BẮC KẠN", "left"), ("Số: 45/KH-UBND", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"), ("Độc lập - Tự do - Hạnh phúc", "right"),
        ("Bắc Kạn, ngày 09 tháng 01 năm 2026", "right"),
    ]
    assert [line.text for line in lines if line.text.strip()][-2:] == ["KẾ HOẠCH", "Triển khai công tác cải cách hành chính năm 2026"]


def test_pipe_table_rows_without_their_closing_pipe_are_still_the_form_s_tables(tmp_path):
    lines = read_document(write(tmp_path, OPEN_FRAME.encode("utf-8"))).pages[0].lines
    texts = [line.text for line in lines if line.text.strip()]
    assert texts[:4] == ["ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "Số: 45/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
                         "Bắc Kạn, ngày 09 tháng 01 năm 2026"]
    assert texts[4:] == ["Kính gửi:", "- Sở Nội vụ; - Sở Tư pháp", "KẾ HOẠCH"]


def test_a_portal_copy_in_plain_text_loses_its_furniture(tmp_path):
    copy = ("Đang tải văn bản...\nSố hiệu:\n|\n45/KH-UBND\n|\nLoại văn bản:\n|\nKế hoạch\n|\nNgười ký:\n|\nLê Văn C\n|\n"
            + BROKEN_ROWS + "Văn bản này chưa cập nhật nội dung Tiếng Anh\nVăn bản liên quan\n")
    document = read_document(write(tmp_path, copy.encode("utf-8")))
    text = document.pages[0].text
    assert text.startswith("ỦY BAN NHÂN DÂN") and "Đang tải" not in text and "Tiếng Anh" not in text and "Lê Văn C" not in text
    assert [w.code for w in document.warnings] == ["portal-info"] and "Người ký: Lê Văn C" in document.warnings[0].message


def test_a_text_file_of_white_space_only_is_an_error_not_an_empty_record(tmp_path):
    with pytest.raises(IngestError, match="only white space"):
        read_document(write(tmp_path, "  \n\n\t \n".encode()))


def test_a_table_row_on_a_laid_out_page_leaves_the_other_lines_indents_as_they_were(tmp_path):
    """A page with a tab or pipe goes through the table readers, one without does not: the
    laid-out lines are indented alike either way."""
    plain = read_document(write(tmp_path, LAID_OUT.encode(), "plain.txt")).pages[0].lines
    for row in ("STT\tNội dung\tThời gian", "| STT | Nội dung | Thời gian |"):
        lines = read_document(write(tmp_path, (LAID_OUT + row + "\n").encode(), "row.txt")).pages[0].lines
        assert [line.text for line in lines if line.layout.table is not None] == ["STT | Nội dung | Thời gian"]
        assert [(line.text, line.layout.indent) for line in lines if line.layout.table is None] == [
            (line.text, line.layout.indent) for line in plain
        ]


def test_only_data_ending_in_a_multibyte_sequence_is_decoded_again_for_a_cut():
    """_cut_bytes passes over data whose last byte is ASCII: its count is the decoder's at
    every cut of a text of one-, two-, three- and four-byte characters."""
    data = "Số 12 — ngày 5: Hải Dương 𝐀\n".encode()

    def decoded(data: bytes) -> int:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            return len(data) - error.start if error.reason == "unexpected end of data" else 0
        return 0

    for end in range(len(data) + 1):
        for start in range(0, end, 3):
            assert text_module._cut_bytes(data[start:end]) == decoded(data[start:end])


def test_control_characters_are_counted_alike_in_the_utf8_bytes_and_in_the_text():
    """_looks_binary given the UTF-8 bytes says what it says of the text alone, at every count
    of control characters around its threshold, every one of them, beside 1- to 4-byte
    characters and with a character cut short at the end."""
    controls = "".join(map(chr, [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)]))
    assert text_module._CONTROLS.findall(controls + "\t\n\x0c\r\x7f") == list(controls)
    body = "Số 12 — ngày 5: Hải Dương 𝐀\n" * 40
    for count in range(0, 3 * len(controls)):
        text = body + (controls * 3)[:count]
        for data in (text.encode(), text.encode() + "ộ".encode()[:-1]):
            assert text_module._looks_binary(text, data) == text_module._looks_binary(text)
