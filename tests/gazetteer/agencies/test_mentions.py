"""The bodies a text names, as the gazetteer's recogniser finds them."""

from __future__ import annotations

from pipeline.gazetteer.agencies.mentions import find_agency_mentions


def test_headings_name_the_body_for_duties() -> None:
    text = "1. Công an tỉnh (Cơ quan TT BCĐ tỉnh)\n- Chủ trì...\n8. Đề nghị Hội Liên hiệp Phụ nữ tỉnh\n- Tuyên truyền"
    found = [(m.name.name, m.raw) for m in find_agency_mentions(text)]
    assert found[0] == ("Công an tỉnh", "Công an tỉnh")
    assert ("Hội Liên hiệp Phụ nữ tỉnh", "Hội Liên hiệp Phụ nữ tỉnh") in found


def _names(text: str) -> list[str]:
    return [m.name.name for m in find_agency_mentions(text)]


def test_companies_are_named_to_their_last_capitalised_word() -> None:
    text = (
        "Giao Công ty cổ phần Xi măng và Khoáng sản Yên Bình được cấp phép; Công ty TNHH Thương mại "
        "Hoàng Long và Công ty cổ phần Vận tải số 2 phối hợp; Tổng Công ty Điện lực miền Bắc rà soát danh sách khách hàng."
    )
    assert _names(text) == [
        "Công ty cổ phần Xi măng và Khoáng sản Yên Bình",
        "Công ty TNHH Thương mại Hoàng Long",
        "Công ty cổ phần Vận tải số 2",
        "Tổng Công ty Điện lực miền Bắc",
    ]
    assert _names("Công ty thực hiện theo Quyết định số 12.") == []


def test_a_head_word_is_shared_by_the_items_after_it() -> None:
    assert _names("của Liên Bộ: Tài chính, Y tế về việc hướng dẫn") == ["Bộ Tài chính", "Bộ Y tế"]
    assert _names("phối hợp với Bộ Nội vụ, Tư pháp, Ngoại giao về việc") == ["Bộ Nội vụ", "Bộ Tư pháp", "Bộ Ngoại giao"]
    assert _names("- Các Sở, ngành: Tư pháp, Nội vụ, Thanh tra tỉnh;") == ["Sở Tư pháp", "Sở Nội vụ", "Thanh tra tỉnh"]
    assert _names("Sở Tài chính, Xây dựng nông thôn mới") == ["Sở Tài chính"]


def test_a_name_the_gazetteer_lacks_ends_where_the_sentence_goes_on() -> None:
    assert _names("Tổng cục Thống kê đồng ý với đề xuất.") == ["Tổng cục Thống kê"]
    assert _names("Cục Đường sắt Việt Nam trả lời như sau") == ["Cục Đường sắt Việt Nam"]
    assert _names("Hội Người cao tuổi, Hội Chữ thập đỏ tỉnh tham gia") == ["Hội Người cao tuổi", "Hội Chữ thập đỏ tỉnh"]
    assert _names("Cục Quản lý thị trường tỉnh Cao Bằng trước sáp nhập") == ["Cục Quản lý thị trường tỉnh Cao Bằng"]
    assert _names("Ban Chỉ đạo quyết định thành lập tổ công tác") == []
    assert _names("Ban Chỉ đạo, Trưởng Ban Chỉ đạo chịu trách nhiệm") == []


def test_lists_of_units_keep_trực_thuộc_trung_ương() -> None:
    assert _names("Đề nghị Sở Y tế các tỉnh, thành phố trực thuộc trung ương báo cáo") == [
        "Sở Y tế các tỉnh, thành phố trực thuộc Trung ương"
    ]


def test_party_and_national_bodies() -> None:
    text = (
        "Thực hiện Kết luận của Ban Chấp hành Trung ương khóa XIII, Thường trực Tỉnh ủy Quảng Trị, Đảng đoàn "
        "Liên đoàn Lao động tỉnh và Ban Chỉ đạo quốc gia về phòng, chống thiên tai (gọi tắt là Ban Chỉ đạo quốc gia)."
    )
    assert _names(text) == [
        "Ban Chấp hành Trung ương khóa XIII",
        "Thường trực Tỉnh ủy Quảng Trị",
        "Đảng đoàn Liên đoàn Lao động tỉnh",
        "Ban Chỉ đạo quốc gia về phòng, chống thiên tai",
        "Ban Chỉ đạo quốc gia",
    ]


def test_the_words_of_a_name_lacking_its_qualifier_name_no_other_body() -> None:
    assert _names("Ủy ban MTTQVN và các tổ chức chính trị - xã hội") == []
