"""The form's two-column header, read row by row, put into its columns once, in ingest."""

from pipeline.ingest import prepare_pages
from pipeline.ingest.layout import header_anchor
from pipeline.ingest.text import text_page
from pipeline.text import normalise_unicode


def _prepared(text: str) -> list[tuple[str, str | None]]:
    page = text_page(1, text)
    prepare_pages([page])
    return [(line.text, line.layout.column) for line in page.lines if line.text]


def test_a_header_read_row_by_row_becomes_left_block_then_right_block():
    lines = _prepared(
        "UBND TỈNH QUẢNG BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ TƯ PHÁP      Độc lập - Tự do - Hạnh phúc\n"
        "Số: 41/KH-STP   Quảng Bình, ngày 03 tháng 5 năm 2024\n"
        "KẾ HOẠCH\n"
        "Tuyên truyền pháp luật về phòng, chống mua bán người năm 2024\n"
    )
    assert lines[:7] == [
        ("UBND TỈNH QUẢNG BÌNH", "left"),
        ("SỞ TƯ PHÁP", "left"),
        ("Số: 41/KH-STP", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"),
        ("Độc lập - Tự do - Hạnh phúc", "right"),
        ("Quảng Bình, ngày 03 tháng 5 năm 2024", "right"),
        ("KẾ HOẠCH", None),
    ]


def test_the_subject_under_the_rows_stays_left_and_the_addressees_end_the_header():
    lines = _prepared(
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 905/BYT-KCB Hà Nội, ngày 14 tháng 02 năm 2025\n"
        "V/v tăng cường phòng, chống dịch\n"
        "Kính gửi: Sở Y tế các tỉnh, thành phố\n"
    )
    assert ("V/v tăng cường phòng, chống dịch", "left") in lines
    assert lines.index(("V/v tăng cường phòng, chống dịch", "left")) < lines.index(("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"))
    assert lines[-1] == ("Kính gửi: Sở Y tế các tỉnh, thành phố", None)


def test_a_header_already_in_columns_is_left_alone():
    text = "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 12/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKẾ HOẠCH\n"
    assert _prepared(text) == [(line, None) for line in text.split("\n")[:-1]]  # no line holds both columns


def test_the_motto_is_found_in_its_spellings_once_normalised():
    for motto in ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc", "ĐẢNG CỘNG SẢN VIỆT NAM"):
        assert header_anchor().search(normalise_unicode(motto)), motto


def test_a_closing_table_laid_out_with_spaces_becomes_recipients_then_signature():
    lines = _prepared(
        "Đề nghị các đơn vị thực hiện nghiêm túc./.\n"
        "Nơi nhận:                                        KT. GIÁM ĐỐC\n"
        "- Như trên;\n"
        "- UBND tỉnh (b/c);                               PHÓ GIÁM ĐỐC\n"
        "- Lưu: VT, VP.\n"
        "\n"
        "                                                 Trần Văn Minh\n"
        "PHỤ LỤC\n"
    )
    assert lines == [
        ("Đề nghị các đơn vị thực hiện nghiêm túc./.", None),
        ("Nơi nhận:", "left"),
        ("- Như trên;", "left"),
        ("- UBND tỉnh (b/c);", "left"),
        ("- Lưu: VT, VP.", "left"),
        ("KT. GIÁM ĐỐC", "right"),
        ("PHÓ GIÁM ĐỐC", "right"),
        ("Trần Văn Minh", "right"),
        ("PHỤ LỤC", None),
    ]


def test_a_closing_without_a_gutter_is_left_alone():
    text = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn An\n"
    assert _prepared(text) == [(line, None) for line in text.split("\n")[:-1]]  # no line holds both columns


def test_a_short_letter_s_closing_table_does_not_stop_its_header_from_being_split():
    lines = _prepared(
        "BỘ XÂY DỰNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 310/BXD-QLN Hà Nội, ngày 05 tháng 6 năm 2024\n"
        "Kính gửi: Bộ Tài chính\n"
        "Bộ Xây dựng đề nghị Bộ Tài chính có ý kiến trước ngày 20/6/2024./.\n"
        "Nơi nhận: | BỘ TRƯỞNG\n"
        "- Như trên; | Nguyễn Văn Bình\n"
    )
    assert lines[:4] == [
        ("BỘ XÂY DỰNG", "left"),
        ("Số: 310/BXD-QLN", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"),
        ("Hà Nội, ngày 05 tháng 6 năm 2024", "right"),
    ]
