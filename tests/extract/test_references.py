import pytest

from pipeline.extract.references import extract_references, find_numbers
from pipeline.segment import segment
from tests.conftest import raw_text


def _refs(text: str):
    return {r.number or r.title: r for r in extract_references(segment(raw_text(text)))}


def test_a_number_broken_across_lines_is_read_whole():
    refs = _refs(
        "KẾ HOẠCH\nPhòng, chống mua bán người\nI. NHIỆM VỤ\n- Thực hiện Kế hoạch số 316/KH-\n"
        "SVHTTDL ngày 07/3/2022 của Sở Văn hóa, Thể thao và Du lịch về việc thực hiện Chương trình."
    )
    ref = refs["316/KH-SVHTTDL"]
    assert (ref.type, ref.date, ref.issuer) == ("Kế hoạch", "2022-03-07", "Sở Văn hóa, Thể thao và Du lịch")


@pytest.mark.parametrize(
    "printed, number",
    [
        ("Kết luận số 13- KL/TW", "13-KL/TW"),
        ("Chỉ thị số 48-CT/TW", "48-CT/TW"),
        ("Kế hoạch số 19/KH-BCĐ138/CP", "19/KH-BCĐ138/CP"),
        ("Quyết định số 9145/QĐ-BCĐ 138/CP", "9145/QĐ-BCĐ138/CP"),
        ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP"),
        ("Quyết định số 1206 /QĐ-HVTC", "1206/QĐ-HVTC"),
        ("Luật số 53/2024/QH15", "53/2024/QH15"),
        ("Công văn số 2150/UBND-NC", "2150/UBND-NC"),
    ],
)
def test_numbers_are_kept_as_printed_without_stray_spaces(printed, number):
    assert [n for _, n, _ in find_numbers(printed)] == [number]


@pytest.mark.parametrize("text", ["ngày 19/02/2025", "trước 16/3 và 16/9", "giai đoạn 2021 - 2025", "Đài PT&TH tỉnh", "số 199 Nguyễn Lương Bằng", "24/7"])
def test_dates_and_addresses_are_not_document_numbers(text):
    assert find_numbers(text) == []


def test_opening_citations_are_the_basis_and_later_ones_are_cited():
    text = (
        "KẾ HOẠCH\nTriển khai Tháng hành động phòng, chống mua bán người năm 2024\n"
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư; "
        "thực hiện Công văn số 2150/UBND-NC ngày 12/9/2024 của UBND tỉnh Quảng Ninh về việc triển khai, "
        "Công an tỉnh xây dựng Kế hoạch như sau:\n"
        "I. NHIỆM VỤ\n1. Tuyên truyền Quyết định số 193/QĐ-TTg ngày 09/02/2021 của Thủ tướng Chính phủ.\n"
    )
    refs = _refs(text)
    decree = refs["30/2020/NĐ-CP"]
    assert (decree.type, decree.date, decree.issuer, decree.relation) == ("Nghị định", "2020-03-05", "Chính phủ", "basis")
    letter = refs["2150/UBND-NC"]
    assert (letter.type, letter.issuer, letter.relation) == ("Công văn", "Ủy ban nhân dân tỉnh Quảng Ninh", "basis")
    decision = refs["193/QĐ-TTg"]
    assert (decision.relation, decision.date, decision.issuer) == ("cited", "2021-02-09", "Thủ tướng Chính phủ")


def test_a_document_cited_twice_is_one_reference_with_the_details_of_either_mention():
    text = (
        "KẾ HOẠCH\nPhòng, chống tội phạm\nI. NHIỆM VỤ\n- Quán triệt Chỉ thị số 48-CT/TW của Bộ Chính trị.\n"
        "- Tiếp tục thực hiện Chỉ thị số 48-CT/TW ngày 22/10/2010.\n"
    )
    refs = extract_references(segment(raw_text(text)))
    assert len(refs) == 1
    assert (refs[0].date, refs[0].issuer, len(refs[0].mentions)) == ("2010-10-22", "Bộ Chính trị", 2)


def test_laws_are_cited_by_name_without_a_number():
    text = (
        "KẾ HOẠCH\nTuyên truyền pháp luật\nI. NỘI DUNG\n- Tuyên truyền Luật Phòng, chống mua bán người ngày 28 tháng 11 năm 2024 "
        "và Luật Trợ giúp pháp lý; phổ biến Bộ luật Hình sự, Công ước quốc tế; mời luật sư tư vấn.\n"
    )
    refs = _refs(text)
    assert refs["Luật Phòng, chống mua bán người"].date == "2024-11-28"
    assert "Luật Trợ giúp pháp lý" in refs and "Bộ luật Hình sự" in refs
    assert all(r.type in ("Luật",) for r in refs.values())


def test_a_short_name_defined_in_the_opening_resolves_to_the_full_issuer(seeds):
    refs = {r.number: r for r in extract_references(seeds["001"])}
    assert refs["34/KH-BCĐ"].issuer.startswith("Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội")


def test_every_reference_points_to_its_words(seeds):
    doc = seeds["004"]
    for ref in extract_references(doc):
        cited = doc.text[ref.span[0] : ref.span[1]]
        assert (ref.number or ref.title).replace(" ", "")[:6] in cited.replace(" ", "")
        assert ref.page == 1


def test_the_issuer_can_be_the_subject_that_issued_the_cited_document():
    text = (
        "BÁO CÁO\nKết quả công tác quý II năm 2024\n1. Công tác chỉ đạo\n- Sở Y tế đã ban hành văn bản hướng dẫn "
        "số 845/SYT-NVY ngày 02/4/2024 gửi các bệnh viện trên địa bàn tỉnh.\n"
    )
    refs = _refs(text)
    assert refs["845/SYT-NVY"].issuer == "Sở Y tế"
    assert refs["845/SYT-NVY"].type == "Công văn"
