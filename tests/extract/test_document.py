import pytest

from pipeline.extract.document import _bare, _canonical, extract_document
from pipeline.gazetteer.agencies import canonical_name
from pipeline.rules import load_model
from pipeline.segment import segment
from pipeline.text import strip_diacritics
from tests.conftest import raw_text


def test_header_fields_of_an_official_header(seeds):
    meta = extract_document(seeds["004"])
    assert meta.doc_type == "Kế hoạch"
    assert (meta.number, meta.symbol) == (None, "KH-SVHTTDL")
    assert meta.issuer == "Sở Văn hóa, Thể thao và Du lịch"
    assert meta.parent_issuer == "Ủy ban nhân dân tỉnh Hải Dương"
    assert (meta.issue_place, meta.issue_date, meta.year) == ("Hải Dương", "2023-03", 2023)
    assert meta.province == "Hải Dương"
    assert (meta.signer_authority, meta.signer_title, meta.signer_name) == ("KT. Giám đốc", "Phó Giám đốc", "Nguyễn Trường Thắng")


def test_every_extracted_field_points_to_its_words(seeds):
    doc = seeds["004"]
    meta = extract_document(doc)
    for field, (start, end) in meta.spans.items():
        assert 0 <= start < end <= len(doc.text), field
    assert doc.text[slice(*meta.spans["signer_name"])] == "Nguyễn Trường Thắng"
    assert doc.text[slice(*meta.spans["issuer"])] == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"


def test_without_a_header_the_issuer_comes_from_the_opening(seeds):
    assert extract_document(seeds["000"]).issuer == "Sở Thông tin và Truyền thông"
    assert extract_document(seeds["001"]).issuer.startswith("Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội")


def test_a_report_without_a_type_line_takes_its_type_from_the_closing(seeds):
    meta = extract_document(seeds["003"])
    assert (meta.doc_type, meta.year) == ("Báo cáo", 2023)


def test_the_province_is_null_when_the_text_never_names_one(seeds):
    assert extract_document(seeds["001"]).province is None
    assert extract_document(seeds["002"]).province == "Cao Bằng"


def test_a_typing_slip_in_the_signer_title_is_repaired(seeds):
    meta = extract_document(seeds["000"])
    assert (meta.signer_title, meta.signer_authority) == ("Phó Giám đốc", "KT. Giám đốc")


def test_a_composed_decision_from_another_province():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 1520/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nAn Giang, ngày 05 tháng 8 năm 2024\nQUYẾT ĐỊNH\n"
        "Về việc thành lập Đoàn kiểm tra công tác phòng, chống mua bán người năm 2024\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Thành lập Đoàn kiểm tra.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT, NC.\n"
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Bình\n"
    )
    meta = extract_document(segment(raw_text(text)))
    assert (meta.doc_type, meta.number) == ("Quyết định", "1520/QĐ-UBND")
    assert (meta.issue_place, meta.issue_date, meta.year) == ("An Giang", "2024-08-05", 2024)
    assert meta.province == "An Giang"
    assert meta.signer_name == "Trần Văn Bình"
    assert meta.signer_title == "Phó Chủ tịch"
    assert meta.signer_authority == "KT. Chủ tịch"
    assert meta.recipients == ["Như Điều 3"]


NO_BASIS_OPENING = (
    "UBND TỈNH ĐỒNG THÁP\nSỞ Y TẾ\nSố: 312/KH-SYT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Đồng Tháp, ngày ..... tháng ..... năm 2024\nKẾ HOẠCH\nTruyền thông phòng, chống mua bán người\ntại các cơ sở y tế năm 2024\n"
    "Nhằm nâng cao nhận thức của cán bộ y tế về nhận diện và hỗ trợ nạn nhân bị mua bán, Sở Y tế xây dựng\n"
    "Kế hoạch như sau:\nI. MỤC ĐÍCH\n1. Nâng cao nhận thức.\n"
    "Trên đây là Kế hoạch số 312/KH-SYT của Sở Y tế./.\nNơi nhận:\n- Lưu: VT.\nGIÁM ĐỐC\nPhạm Văn Lợi\n"
)


def test_a_body_that_opens_without_a_basis_verb_ends_the_title():
    meta = extract_document(segment(raw_text(NO_BASIS_OPENING)))
    assert meta.title == "Truyền thông phòng, chống mua bán người tại các cơ sở y tế năm 2024"
    assert meta.issue_date == "2024"  # day and month left blank


def test_the_documents_own_number_in_its_closing_is_not_a_reference():
    from pipeline.extract.references import extract_references

    assert extract_references(segment(raw_text(NO_BASIS_OPENING))) == []


def test_without_a_header_the_province_named_most_often_wins():
    text = (
        "KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\n"
        "Thực hiện Kế hoạch số 20/KH-UBND của UBND tỉnh Hà Tĩnh, Công an tỉnh xây dựng Kế hoạch như sau:\n"
        "I. NHIỆM VỤ\n1. Phối hợp với Công an tỉnh Quảng Trị và Bộ đội Biên phòng tỉnh Quảng Trị.\n"
        "2. Tuyên truyền trên Báo Quảng Trị và Đài Phát thanh - Truyền hình Quảng Trị.\n"
    )
    assert extract_document(segment(raw_text(text))).province == "Quảng Trị"


DECISION_COPIED_FROM_A_PORTAL = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 77/QĐ-UBND
Hà Giang, ngày 12 tháng 01 năm 2024

QUYẾT ĐỊNH
Về việc ban hành Kế hoạch phòng, chống thiên tai năm 2024 thực hiện Đề án giai đoạn 2021-2025

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2024.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Đức Quý
"""

LETTER_WITHOUT_A_YEAR = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 95/UBND-KT
V/v rà soát các điểm mỏ
Hà Giang, ngày 12 tháng 3 năm 2024
Kính gửi: Các sở, ban, ngành tỉnh.
Đề nghị các đơn vị rà soát và báo cáo trước ngày 30/3/2024.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lò Văn Sính
"""


def test_a_signature_block_copied_onto_one_line_is_read_part_by_part():
    meta = extract_document(segment(raw_text(DECISION_COPIED_FROM_A_PORTAL)))
    assert (meta.signer_authority, meta.signer_title, meta.signer_name) == ("KT. Chủ tịch", "Phó Chủ tịch", "Trần Đức Quý")


def test_the_year_is_the_single_year_a_title_states_even_beside_a_span_of_years():
    assert extract_document(segment(raw_text(DECISION_COPIED_FROM_A_PORTAL))).year == 2024


def test_a_letter_whose_subject_states_no_year_has_none():
    meta = extract_document(segment(raw_text(LETTER_WITHOUT_A_YEAR)))
    assert (meta.issue_date, meta.year) == ("2024-03-12", None)
    assert (meta.signer_authority, meta.signer_title, meta.signer_name) == ("KT. Chủ tịch", "Phó Chủ tịch", "Lò Văn Sính")


MINISTRY_REPLY = """BỘ TÀI CHÍNH
TỔNG CỤC THUẾ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 2210/TCT-CS
V/v chính sách miễn tiền thuê đất
Hà Nội, ngày 08 tháng 6 năm 2021
Kính gửi: Cục Thuế tỉnh Quảng Trị.
Trả lời Công văn số 301/CT-QLĐ ngày 12/5/2021 của Cục Thuế tỉnh Quảng Trị, Tổng cục Thuế có ý kiến như sau.
Nơi nhận:
- Như trên;
- Lưu: VT, CS.
KT. TỔNG CỤC TRƯỞNG
PHÓ TỔNG CỤC TRƯỞNG
Đặng Ngọc Minh
"""


def test_a_ministry_reply_to_one_province_is_about_that_province_not_about_hanoi():
    meta = extract_document(segment(raw_text(MINISTRY_REPLY)))
    assert (meta.issue_place, meta.province) == ("Hà Nội", "Quảng Trị")


def test_a_ministry_letter_to_every_province_concerns_none():
    text = MINISTRY_REPLY.replace("Kính gửi: Cục Thuế tỉnh Quảng Trị.", "Kính gửi: Cục Thuế các tỉnh, thành phố trực thuộc Trung ương.")
    assert extract_document(segment(raw_text(text))).province is None


def test_a_year_inside_a_cited_law_s_name_is_not_the_document_s_year():
    text = LETTER_WITHOUT_A_YEAR.replace("V/v rà soát các điểm mỏ", "V/v thực hiện Điều 41 Luật Khoáng sản năm 2010")
    assert extract_document(segment(raw_text(text))).year is None


def test_a_national_steering_committee_is_central_and_an_authority_alone_on_its_line_is_read():
    text = (
        "BAN CHỈ ĐẠO QUỐC GIA VỀ PHÒNG, CHỐNG THIÊN TAI\nSố: 15/KH-BCĐQG\nHà Nội, ngày 10 tháng 4 năm 2022\n"
        "KẾ HOẠCH\nỨng phó với bão năm 2022\nI. MỤC ĐÍCH, YÊU CẦU\n1. Chủ động phòng ngừa, ứng phó kịp thời.\n"
        "II. TỔ CHỨC THỰC HIỆN\nCác bộ, ngành thực hiện nghiêm túc Kế hoạch này./.\n"
        "Nơi nhận:\n- Các bộ, ngành;\n- Lưu: VT.\nKT.\nTRƯỞNG BAN PHÓ TRƯỞNG BAN Trần Quang Hoài\n"
    )
    meta = extract_document(segment(raw_text(text)))
    assert (meta.issue_place, meta.province) == ("Hà Nội", None)
    assert (meta.signer_authority, meta.signer_title, meta.signer_name) == ("KT. Trưởng ban", "Phó Trưởng ban", "Trần Quang Hoài")


def _letter(number_line: str, top: str = "BỘ CÔNG AN\nCỤC CẢNH SÁT ĐIỀU TRA\nTỘI PHẠM VỀ MA TÚY\n", motto: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n", tail: str = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\nTrần Văn Hải\n") -> str:
    return (
        f"{top}{number_line}\nV/v triển khai công tác phòng, chống ma túy\n{motto}"
        "Hà Nội, ngày 20 tháng 4 năm 2026\nKính gửi: Công an các tỉnh, thành phố trực thuộc Trung ương\n"
        "Cục đề nghị Công an các tỉnh, thành phố triển khai thực hiện./.\n" + tail
    )


def _codes(doc) -> list[str]:
    return [w.code for w in doc.warnings]


def test_a_misread_number_is_left_empty_with_a_warning_naming_page_and_line_and_its_symbol_kept():
    doc = segment(raw_text(_letter("Số: 25§ÿ /C04-P6")))
    meta = extract_document(doc)
    assert (meta.number, meta.symbol) == (None, "C04-P6")
    warning = next(w for w in doc.warnings if w.code == "number-invalid")
    assert warning.page == 1 and "25§ÿ" in warning.message and doc.text[slice(*warning.span)].startswith("25§ÿ")


def test_a_number_with_a_letter_for_a_digit_is_not_accepted_and_a_well_formed_one_is():
    assert extract_document(segment(raw_text(_letter("Số: Á3/KH-CT")))).number is None
    doc = segment(raw_text(_letter("Số: 2388/C04-P6")))
    assert extract_document(doc).number == "2388/C04-P6" and "number-invalid" not in _codes(doc)


def test_a_speck_read_as_a_comma_or_stop_after_the_symbol_does_not_void_the_number():
    for printed in ("Số: 778/TCHQ-GSQL,", "Số: 778/TCHQ-GSQL."):
        doc = segment(raw_text(_letter(printed)))
        assert extract_document(doc).number == "778/TCHQ-GSQL" and "number-invalid" not in _codes(doc)


def test_the_header_warns_once_though_finders_read_the_metadata_again():
    doc = segment(raw_text(_letter("Số: 25§ÿ /C04-P6")))
    extract_document(doc)
    extract_document(doc)
    assert _codes(doc).count("number-invalid") == 1


def test_a_party_letter_takes_its_number_and_type_from_the_party_form():
    text = _letter(
        "Số 210-CV/BTGDVTU",
        top="TỈNH ỦY LÂM ĐỒNG\nBAN TUYÊN GIÁO VÀ DÂN VẬN\n*\n",
        motto="ĐẢNG CỘNG SẢN VIỆT NAM\n",
        tail="Nơi nhận:\n- Như trên;\n- Lưu BTGDVTU.\nK/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nChâu Văn Tâm\n",
    ).replace("V/v triển khai công tác phòng, chống ma túy\n", "")
    meta = extract_document(segment(raw_text(text)))
    assert (meta.number, meta.doc_type) == ("210-CV/BTGDVTU", "Công văn")
    assert (meta.issuer, meta.province) == ("Ban Tuyên giáo và Dân vận", "Lâm Đồng")


def test_a_misread_party_number_still_gives_its_type():
    text = _letter("Số Z0 -TB/BTGDVTU", top="TỈNH ỦY LÂM ĐỒNG\nBAN TUYÊN GIÁO VÀ DÂN VẬN\n", motto="ĐẢNG CỘNG SẢN VIỆT NAM\n")
    meta = extract_document(segment(raw_text(text.replace("V/v triển khai công tác phòng, chống ma túy\n", ""))))
    assert (meta.number, meta.symbol, meta.doc_type) == (None, "BTGDVTU", "Thông báo")


def test_a_ministry_department_is_central_and_has_no_province():
    meta = extract_document(segment(raw_text(_letter("Số: 2388/C04-P6"))))
    assert (meta.issuer, meta.parent_issuer, meta.province) == ("Cục Cảnh sát điều tra tội phạm về ma túy", "Bộ Công an", None)


def test_capitals_under_the_number_line_are_not_the_issuer():
    """A scan's received stamp ("UBND TỈNH LÂM ĐỒNG / ĐẾN") is read below the issuer's number."""
    text = _letter(
        "Số: 996/KH-TCTLNTW-C04\nUBND TỈNH LÂM ĐỒNG",
        top="BỘ CÔNG AN\nTỔ CÔNG TÁC LIÊN NGÀNH TW\n",
    )
    meta = extract_document(segment(raw_text(text)))
    assert (meta.parent_issuer, meta.province) == ("Bộ Công an", None)
    assert meta.issuer.lower().startswith("tổ công tác liên ngành")


def test_a_signer_name_after_ocr_junk_or_a_rank_on_the_closing_s_last_line_is_read():
    junk = _letter("Số: 2388/C04-P6", tail="Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\ntr 3Ä;đ⁄4ZÃ J4 Nguyễn Văn Cường\n")
    assert extract_document(segment(raw_text(junk))).signer_name == "Nguyễn Văn Cường"
    rank = _letter("Số: 2388/C04-P6", tail="Nơi nhận:\n- Như trên;\n- Lưu: VT, P5. Đại tá Bùi Duy Hưng\n")
    doc = segment(raw_text(rank))
    meta = extract_document(doc)
    assert meta.signer_name == "Bùi Duy Hưng" and doc.text[slice(*meta.spans["signer_name"])] == "Bùi Duy Hưng"


def test_a_list_attached_under_the_signature_gives_no_signer_name():
    """A decision's list of communes printed after its signature, OCR's lines with no table
    cells: the last name-like line of the list ("Xã Hàm Thuận Bắc") is not the signer."""
    tail = (
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nHồ Văn Mười\n"
        "DANH SÁCH XÃ MIỀN NÚI TRÊN ĐỊA BÀN TỈNH\n(Ban hành kèm theo Quyết định số 24/QĐ-UBND)\n"
        "Xã Quảng Tân\nXã Tuy Đức\nXã Hàm Thuận Bắc\n"
    )
    meta = extract_document(segment(raw_text(_letter("Số: 24/QĐ-UBND", top="ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n", tail=tail))))
    assert (meta.signer_title, meta.signer_name) == ("Chủ tịch", "Hồ Văn Mười")


def test_a_signer_title_ocr_read_onto_the_end_of_a_recipient_line_is_the_signer_s_title():
    tail = (
        "Nơi nhận:\n- Như trên;\nKT. CỤC TRƯỞNG\n- Bộ Công an (để báo cáo); PHÓ CỤC TRƯỞNG\n- Các PCT UBND tỉnh;\n"
        "- Lưu: VT, P5.\nTrần Văn Hải\n"
    )
    meta = extract_document(segment(raw_text(_letter("Số: 2388/C04-P6", tail=tail))))
    assert (meta.signer_authority, meta.signer_title, meta.signer_name) == ("KT. Cục trưởng", "Phó Cục trưởng", "Trần Văn Hải")


def test_an_issuer_wrapped_before_its_last_word_is_one_issuer_though_that_word_heads_names():
    meta = extract_document(segment(raw_text(_letter("Số: 1520/LĐTBXH-KHTC", top="BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ\nHỘI\n"))))
    assert (meta.issuer, meta.parent_issuer) == ("Bộ Lao động - Thương binh và Xã hội", None)


def test_an_issuer_misread_in_its_diacritics_is_the_known_body_with_those_letters():
    meta = extract_document(segment(raw_text(_letter("Số: 1520/BTC-NSNN", top="BÔ TÀI CHINH\n"))))
    assert meta.issuer == "Bộ Tài chính"


def test_a_recipient_line_is_not_a_signer():
    text = _letter("Số: 2388/C04-P6", tail="Nơi nhận:\n- Như trên;\n- Sở Tư pháp;\n- Lưu: VT.\n")
    assert extract_document(segment(raw_text(text))).signer_name is None


def test_a_day_ocr_read_with_a_letter_for_a_digit_is_repaired_on_a_scan_only():
    text = _letter("Số: 477/MTTQ-BTT").replace("ngày 20 tháng 4", "ngày l3 tháng 11")
    scanned = raw_text(text)
    scanned.pages[0].method = "ocr"
    doc = segment(scanned)
    meta = extract_document(doc)
    assert meta.issue_date == "2026-11-13" and doc.text[slice(*meta.spans["issue_date"])].startswith("l3 tháng 11")
    assert "ocr-day-repaired" in _codes(doc)
    assert extract_document(segment(raw_text(text))).issue_date == "2026-11"


def test_a_misread_number_without_any_digit_is_not_taken_for_a_blank():
    doc = segment(raw_text(_letter("Số: l#Œ/QĐ-UBND").replace("V/v triển khai công tác phòng, chống ma túy\n", "")))
    meta = extract_document(doc)
    assert (meta.number, meta.symbol, meta.doc_type) == (None, "QĐ-UBND", "Quyết định")
    assert "number-invalid" in _codes(doc)
    blank = segment(raw_text(_letter("Số: ……/QĐ-UBND")))
    extract_document(blank)
    assert "number-invalid" not in _codes(blank)


def test_a_misread_day_leaves_the_date_partial_with_a_warning_naming_it():
    doc = segment(raw_text(_letter("Số: 2388/C04-P6").replace("ngày 20 tháng 4", "ngày .Ò-} tháng 4")))
    assert extract_document(doc).issue_date == "2026-04"
    warning = next(w for w in doc.warnings if w.code == "day-invalid")
    assert ".Ò-}" in warning.message and warning.page == 1
    blank = segment(raw_text(_letter("Số: 2388/C04-P6").replace("ngày 20 tháng 4", "ngày ….. tháng 4")))
    extract_document(blank)
    assert "day-invalid" not in _codes(blank)


LOST_SECOND_LINE = (
    "ỦY BAN NHÂN DÂN                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "                                     Độc lập - Tự do - Hạnh phúc\n"
    "Số: 45/KH-UBND                      Quảng Trị, ngày 14 tháng 02 năm 2026\n"
    "KẾ HOẠCH\nPhòng, chống tội phạm năm 2026\n"
    "I. NHIỆM VỤ\n1. Công an tỉnh chủ trì thực hiện.\n"
    "Nơi nhận:\n- Bộ Công an;\n- Lưu: VT.\n"
)


def test_an_issuer_cell_without_its_second_line_is_completed_from_the_place_line():
    doc = segment(raw_text(LOST_SECOND_LINE + "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLê Văn Hùng\n"))
    meta = extract_document(doc)
    assert meta.issuer == "Ủy ban nhân dân tỉnh Quảng Trị"
    assert [w.code for w in doc.warnings if w.code == "issuer-completed"] == ["issuer-completed"]


def test_a_central_city_s_committee_is_completed_as_a_city_s():
    text = LOST_SECOND_LINE.replace("Quảng Trị, ngày", "Hải Phòng, ngày") + "CHỦ TỊCH\nLê Văn Hùng\n"
    assert extract_document(segment(raw_text(text))).issuer == "Ủy ban nhân dân thành phố Hải Phòng"


@pytest.mark.parametrize(
    "block, title",
    [
        ("TRƯỞNG BAN\nPHÓ THỦ TƯỚNG\nTrần Văn Minh", "Trưởng ban"),
        ("TRƯỞNG BAN PHÓ THỦ TƯỚNG\nTrần Văn Minh", "Trưởng ban"),
        ("THUYẾT MINH DỰ TOÁN NĂM 2026\nTrần Văn Minh", None),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Minh", "Phó Chủ tịch"),
    ],
)
def test_the_signer_s_title_is_a_title_not_any_capitals_in_the_block(block, title):
    meta = extract_document(segment(raw_text(LOST_SECOND_LINE + block + "\n")))
    assert meta.signer_title == title


@pytest.mark.parametrize(
    "subject, year",
    [
        ("V/v dự toán kinh phí thực hiện Pháp lệnh ưu đãi người có công năm 2027", 2027),
        ("V/v thực hiện Luật Hải quan năm 2014", None),
    ],
)
def test_a_year_in_a_cited_name_is_the_letter_s_own_only_when_it_is_later_than_the_letter(subject, year):
    text = (
        "BỘ NỘI VỤ\nSố: 812/BNV-KHTC\n" + subject + "\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 03 tháng 7 năm 2026\n"
        "Kính gửi: Sở Nội vụ các tỉnh, thành phố\n"
        "Bộ Nội vụ đề nghị các Sở báo cáo trước ngày 20/7/2026.\n"
    )
    assert extract_document(segment(raw_text(text))).year == year


def test_an_authority_title_printed_over_two_lines_is_one_authority_not_the_signer_s_title():
    block = "TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN BAN CHÍNH SÁCH,\nTHUẾ QUỐC TẾ\nNguyễn Thị Lan\n"
    meta = extract_document(segment(raw_text(LOST_SECOND_LINE + block)))
    assert meta.signer_authority == "KT. Trưởng ban ban chính sách, thuế quốc tế"
    assert (meta.signer_title, meta.signer_name) == (None, "Nguyễn Thị Lan")


def test_a_gazetteer_name_looked_up_is_what_canonical_name_reads(seeds):
    """_canonical looks up the names of the gazetteer's entries: for those, the names they
    are written as and the issuers of the samples, it gives canonical_name's reading."""
    entries = [entry["name"] for entry in load_model("agencies")["agencies"]]
    names = entries + [canonical_name(name).name for name in entries]
    issuers = [name for doc in seeds.values() for name in (extract_document(doc).issuer, extract_document(doc).parent_issuer) if name]
    assert set(issuers) & set(entries) and set(issuers) - set(entries)
    names += issuers
    for name in names:
        assert _canonical(name) == canonical_name(name), name


def test_letters_without_diacritics_are_strip_diacritics_reading_of_the_whole_text():
    """_bare translates a character at a time: over every code point and over marks printed
    apart from their letters ("e" + dot below + circumflex) it reads as strip_diacritics."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for text in [every, "PHÓ GIÁM ĐỐC Đặng Hồng Thái", "Pho\u0301 gia\u0301m đô\u0301c, e\u0323\u0302, 한국"]:
        assert _bare(text) == strip_diacritics(text)
