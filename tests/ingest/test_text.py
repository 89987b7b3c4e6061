"""Plain-text ingest: encodings, pages, and tables copied from web portals."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata

import pytest

from pipeline.ingest import SUPPORTED_SUFFIXES, read_document
from pipeline.records import IngestError
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
