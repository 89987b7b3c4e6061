from pipeline.extract.document import extract_document
from pipeline.segment import segment
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
