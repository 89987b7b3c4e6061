import pytest
import regex

from pipeline.extract.references import (
    CONTEXT_BEFORE,
    SENTENCE_REACH,
    _party_numbers,
    _sentence_start,
    extract_references,
    find_numbers,
)
from pipeline.rules import pattern
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
        ("Nghị quyết số 12.3/2025/NQ-CP", "12.3/2025/NQ-CP"),
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


def _opening(lines: str) -> dict:
    """References of a decision whose opening is ``lines``."""
    return _refs(
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG BÌNH\nSố: 210/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc ban hành Kế hoạch năm 2024\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n" + lines + "\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n"
    )


def test_an_official_s_title_is_not_the_issuer():
    refs = _opening(
        "Căn cứ Thông tư số 15/2023/TT-BNV ngày 02/8/2023 của Bộ trưởng Bộ Nội vụ hướng dẫn một số điều;\n"
        "Căn cứ Chỉ thị số 07/CT-TTg ngày 04/3/2024 của Thủ tướng Chính phủ;\n"
        "Theo đề nghị của Giám đốc Sở Tư pháp tại Tờ trình số 45/TTr-STP ngày 10/3/2024."
    )
    assert refs["15/2023/TT-BNV"].issuer == "Bộ Nội vụ"
    assert refs["07/CT-TTg"].issuer == "Thủ tướng Chính phủ"
    assert (refs["45/TTr-STP"].issuer, refs["45/TTr-STP"].relation) == ("Sở Tư pháp", "basis")


def test_documents_named_in_a_basis_documents_title_are_only_cited():
    refs = _opening(
        "Căn cứ Thông tư số 10/2020/TT-BTC ngày 20/02/2020 của Bộ Tài chính về việc sửa đổi, bổ sung Thông tư số "
        "20/2018/TT-BTC ngày 05/3/2018 và thay thế Thông tư số 31/2016/TT-BTC ngày 01/3/2016;\n"
        "Căn cứ Công văn số 11/BTC-NSNN ngày 02/01/2024 về việc giao dự toán và Công văn số 12/BTC-NSNN ngày 03/01/2024;"
    )
    assert {n: r.relation for n, r in refs.items()} == {
        "10/2020/TT-BTC": "basis",
        "20/2018/TT-BTC": "cited",
        "31/2016/TT-BTC": "cited",
        "11/BTC-NSNN": "basis",
        "12/BTC-NSNN": "basis",
    }


def test_citations_of_one_list_share_the_issuer_printed_once():
    refs = _refs(
        "BÁO CÁO\nKết quả năm 2024\nI. KẾT QUẢ\n1. Khắc phục các tồn tại nêu tại Công văn số 101/UBND-VX ngày 02/3/2024 "
        "và Công văn số 205/UBND-VX ngày 05/4/2024 của Chủ tịch UBND tỉnh; thực hiện các Quyết định của Thủ tướng "
        "Chính phủ số 12/2019/QĐ-TTg ngày 01/4/2019, số 30/2020/QĐ-TTg ngày 10/8/2020 về chế độ trợ cấp.\n"
    )
    assert refs["101/UBND-VX"].issuer == refs["205/UBND-VX"].issuer == "Ủy ban nhân dân tỉnh"
    assert refs["12/2019/QĐ-TTg"].issuer == refs["30/2020/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"


def test_a_narrative_sentence_gives_its_citations_issuer_and_date():
    refs = _refs(
        "BÁO CÁO\nTình hình quản lý năm 2024\nI. KẾT QUẢ\n1. Công tác ban hành văn bản\n"
        "Ngày 15/3/2024, Văn phòng Chính phủ có ý kiến tại Văn bản số 1234/VPCP-KGVX. Trong năm, Sở Y tế đã "
        "ban hành 02 văn bản, cụ thể: Công văn số 77/SYT-NVY ngày 02/5/2024 về phòng dịch và Công văn số "
        "88/SYT-NVY ngày 09/6/2024 về tiêm chủng. Theo hướng dẫn của Sở Tài chính tại văn bản số 55/STC-NS ngày 01/7/2024.\n"
    )
    assert (refs["1234/VPCP-KGVX"].issuer, refs["1234/VPCP-KGVX"].date) == ("Văn phòng Chính phủ", "2024-03-15")
    assert refs["77/SYT-NVY"].issuer == refs["88/SYT-NVY"].issuer == "Sở Y tế"
    assert refs["55/STC-NS"].issuer == "Sở Tài chính"


def test_joint_documents_and_party_bodies_as_issuers():
    refs = _refs(
        "KẾ HOẠCH\nThực hiện chính sách năm 2024\nI. MỤC ĐÍCH\n- Thực hiện Thông tư liên tịch số 05/2019/TTLT-BTC-BYT "
        "ngày 01/02/2019 của Liên Bộ: Tài chính, Y tế về chế độ; Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp "
        "hành Trung ương khóa XII; Chương trình hành động số 12-CTr/TU ngày 02/3/2018 của BTV Tỉnh ủy.\n"
    )
    assert refs["05/2019/TTLT-BTC-BYT"].issuer == "Bộ Tài chính, Bộ Y tế"
    assert refs["18-NQ/TW"].issuer == "Ban Chấp hành Trung ương khóa XII"
    action = refs["12-CTr/TU"]
    assert (action.type, action.issuer) == ("Chương trình hành động", "Ban Thường vụ Tỉnh ủy")


def test_a_bare_ministry_in_its_own_letter_is_the_ministry():
    refs = _refs(
        "BỘ NỘI VỤ\nSố: 40/BNV-TCBC\nV/v báo cáo số lượng biên chế\nKính gửi: Ủy ban nhân dân các tỉnh.\n"
        "Theo hướng dẫn tại Công văn số 33/BNV-TCBC ngày 05/01/2024 của Bộ về việc thống kê, đề nghị báo cáo.\n"
    )
    assert refs["33/BNV-TCBC"].issuer == "Bộ Nội vụ"


def test_one_number_in_two_years_is_two_documents():
    refs = extract_references(segment(raw_text(
        "BÁO CÁO\nCông tác bảo vệ bí mật\nI. KẾT QUẢ\n- Thực hiện Chỉ thị số 05/CT-TTg ngày 10/02/2019 và Chỉ thị "
        "số 05/CT-TTg ngày 03/4/2021 của Thủ tướng Chính phủ.\n"
    )))
    assert sorted(r.date for r in refs) == ["2019-02-10", "2021-04-03"]


def test_a_reply_and_a_title_that_implements_make_their_citation_the_basis():
    reply = _refs(
        "BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\nSố: 77/TCT-CS\nV/v chính sách thuế\nKính gửi: Cục Thuế tỉnh Hà Tĩnh.\n"
        "Trả lời Công văn số 577/CT-TTHT ngày 23/4/2024 của Cục Thuế tỉnh Hà Tĩnh, Tổng cục Thuế có ý kiến như sau:\n"
    )
    assert (reply["577/CT-TTHT"].relation, reply["577/CT-TTHT"].issuer) == ("basis", "Cục Thuế tỉnh Hà Tĩnh")
    letter = _refs(
        "ỦY BAN NHÂN DÂN\nTỈNH YÊN BÁI\nSố: 88/UBND-XD\nV/v triển khai thực hiện Quyết định số 100/QĐ-BXD ngày 02/6/2024 của Bộ Xây dựng\n"
        "Kính gửi: Các sở, ban, ngành.\nĐể triển khai, Ủy ban nhân dân tỉnh yêu cầu các cơ quan thực hiện.\n"
    )
    assert letter["100/QĐ-BXD"].relation == "basis"


def test_laws_are_named_in_full_and_once():
    refs = _refs(
        "KẾ HOẠCH\nTuyên truyền pháp luật năm 2024\nI. NỘI DUNG\n- Phổ biến Luật BVMT 2020; Luật Hải quan năm 2014, "
        "Luật Hải quan; Luật sửa đổi, bổ sung một số điều của Luật Đất đai và Luật Nhà ở ngày 01/01/2020; Pháp lệnh "
        "Ưu đãi người có công với cách mạng.\n"
    )
    assert set(refs) == {
        "Luật bảo vệ môi trường 2020",
        "Luật Hải quan năm 2014",
        "Luật sửa đổi, bổ sung một số điều của Luật Đất đai và Luật Nhà ở",
        "Pháp lệnh Ưu đãi người có công với cách mạng",
    }
    assert refs["Luật sửa đổi, bổ sung một số điều của Luật Đất đai và Luật Nhà ở"].date == "2020-01-01"


def test_the_type_before_a_number_is_found_backwards_as_forwards(seeds):
    """type_before is searched backwards for speed: before every number of the sample
    documents, and at every fifth position, it finds the match a forward search finds."""
    backwards = pattern("references", "context", "type_before")
    forwards = regex.compile(backwards.pattern.removeprefix("(?r)"), backwards.flags & ~regex.REVERSE)
    typed = 0
    for doc in seeds.values():
        ends = [span[0] for span, _number, _type in find_numbers(doc.text)] + list(range(0, len(doc.text), 5))
        for end in ends:
            window = doc.text[max(0, end - CONTEXT_BEFORE) : end]
            got, expected = backwards.search(window), forwards.search(window)
            assert (got and (got.span(), got.group("type"))) == (expected and (expected.span(), expected.group("type")))
            typed += expected is not None
    assert typed > 20


@pytest.mark.parametrize(
    "text",
    [
        "Chỉ thị số 48-CT/TW và Kết luận 13- KL /TW, 60 –NQ/ TW, 113-CV/TU, 12345 - HD/BTGTW",
        "123456-CT/TW; 1.48-CT/TW; a48-CT/TW; 48-ct/TW; 48-CT/tw; 48-CT/TWx/5-HD/VP",
        "48-\nCT\n/TW 7 - Hd/TU 36-HD/VPTW-1 9-CT/TW/2",
    ],
)
def test_party_numbers_are_those_of_a_whole_text_search(text, seeds):
    """The party pattern is tried only where its lead ends at a "/": the matches are its finditer's."""
    party = pattern("references", "pieces", "party_number", ignore_case=False)
    for whole in [text, *(doc.text for doc in seeds.values())]:
        assert [m.span() for m in _party_numbers(whole)] == [m.span() for m in party.finditer(whole)]


def test_a_sentence_starts_where_a_scan_from_its_whole_reach_says(seeds):
    """_sentence_start looks near the position first: at every position of the sample
    documents and of a text of sentence ends made of several characters, the start is the
    whole scan's."""
    sentence_end = pattern("references", "context", "sentence_end")
    crafted = "".join(f"Mục {i} như sau:{' ' * (i % 3)}\n{chr(10) * (i % 2)}{'Việc làm ' * 25}{i}; \n\n  - việc khác\n" for i in range(8))
    for text in [crafted, *(doc.text for doc in seeds.values())]:
        for position in range(0, len(text), 1 if text is crafted else 3):
            window_start = max(0, position - SENTENCE_REACH)
            ends = list(sentence_end.finditer(text, window_start, position))
            assert _sentence_start(text, position) == (ends[-1].end() if ends else window_start)
