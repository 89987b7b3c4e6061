"""Duties in the forms real documents write them, one family of forms per test group: letters
(Công văn) to named bodies and to one addressee, decisions (Quyết định) and their closing
article, directives (Chỉ thị), reports' requests (Báo cáo), task tables whose columns are
written as text or whose grid was lost, and the sentences that are no duty. Every document
here is composed in the genre's style."""

from __future__ import annotations

import pytest

from pipeline.extract import extract
from pipeline.segment import segment
from tests.conftest import raw_text

SIGNATURE = """Nơi nhận:
- Như trên;
- Lưu: VT, KT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Phong
"""


def _header(doc_type: str, number: str, subject: str, addressees: str = "") -> str:
    return (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG BÌNH\n"
        f"Số: {number}\n"
        + (f"{subject}\n" if subject.startswith("V/v") else "")
        + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Quảng Bình, ngày 14 tháng 8 năm 2025\n"
        + ("" if subject.startswith("V/v") else f"{doc_type}\n{subject}\n")
        + addressees
    )


LETTER = _header(
    "Công văn",
    "812/UBND-KT",
    "V/v tăng cường quản lý hoạt động vận tải hành khách",
    "Kính gửi:\n- Các sở, ban, ngành thuộc tỉnh;\n- Công an tỉnh;\n- Ủy ban nhân dân các xã, phường.\n",
)
PLAN = _header("KẾ HOẠCH", "95/KH-UBND", "Bảo đảm an toàn giao thông năm 2025")


def _duties(text: str) -> list:
    return extract(segment(raw_text(text))).duties


def _rows(text: str) -> list[tuple]:
    return [(d.section, d.agency, d.role) for d in _duties(text)]


# --------------------------------------------------------------------------- letters to named bodies


LETTER_BODY = """Thực hiện Công điện số 45/CĐ-TTg ngày 02/8/2025 của Thủ tướng Chính phủ, để bảo đảm an toàn giao thông dịp cao điểm, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:
1. Trách nhiệm chung của các cơ quan, đơn vị
- Quán triệt đến cán bộ, công chức các quy định về an toàn giao thông.
- Tăng cường kiểm tra phương tiện kinh doanh vận tải trên địa bàn.
2. Sở Xây dựng
- Chủ trì, phối hợp với Công an tỉnh rà soát các tuyến vận tải hành khách cố định.
- Phối hợp với Ủy ban nhân dân các xã, phường lắp đặt biển báo tại điểm đen.
3. Thuế tỉnh
- Rà soát việc kê khai thuế của doanh nghiệp kinh doanh vận tải.
4. Giao Công an tỉnh
Tổ chức tuần tra, kiểm soát xử lý vi phạm về nồng độ cồn trên các tuyến quốc lộ.
Chỉ đạo Công an các xã, phường tăng cường tuyên truyền tại khu dân cư.
5. Các sở, ban, ngành thuộc tỉnh theo chức năng, nhiệm vụ được giao chủ động triển khai các nội dung trên.
6. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh: Vận động Nhân dân chấp hành pháp luật về giao thông.
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị báo cáo Ủy ban nhân dân tỉnh (qua Sở Xây dựng) để xem xét, giải quyết.
Căn cứ ý kiến chỉ đạo trên, các cơ quan, đơn vị liên quan nghiêm túc triển khai thực hiện./.
"""


def test_a_letter_to_several_bodies_gives_each_numbered_request_to_the_body_it_names():
    assert _rows(LETTER + LETTER_BODY + SIGNATURE) == [
        ("1", "Các cơ quan, đơn vị", "lead"),
        ("1", "Các cơ quan, đơn vị", "lead"),
        ("2", "Sở Xây dựng", "lead"),
        ("2", "Sở Xây dựng", "coordinate"),
        ("3", "Thuế tỉnh", "lead"),
        ("4", "Công an tỉnh", "lead"),
        ("4", "Công an tỉnh", "lead"),
        ("5", "Các sở, ban, ngành thuộc tỉnh", "lead"),
        ("6", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "requested"),
    ]


def test_a_request_to_all_addressees_keeps_the_group_as_written_and_starts_after_its_qualifier():
    duty = next(d for d in _duties(LETTER + LETTER_BODY + SIGNATURE) if d.section == "5")
    assert duty.agency == "Các sở, ban, ngành thuộc tỉnh"
    assert duty.text.startswith("theo chức năng, nhiệm vụ được giao chủ động")


def test_conditional_and_boilerplate_closings_of_a_letter_are_no_duties():
    texts = [d.text for d in _duties(LETTER + LETTER_BODY + SIGNATURE)]
    assert not any("vướng mắc" in text or "ý kiến chỉ đạo" in text for text in texts)


def test_a_numbered_closing_item_that_names_the_bodies_is_a_duty():
    body = (
        "Để triển khai Quyết định số 210/QĐ-BXD, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n"
        "1. Sở Xây dựng\nHướng dẫn chủ đầu tư áp dụng các giải pháp kỹ thuật phòng cháy.\n"
        "2. Tổ chức thực hiện\n"
        "Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các xã, phường chịu trách nhiệm triển khai thực hiện nghiêm túc các nội dung nêu trên.\n"
    )
    duties = _duties(LETTER + body + SIGNATURE)
    assert [(d.section, d.agency) for d in duties][-1] == ("2", "Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các xã, phường")
    assert duties[-1].text.startswith("Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các xã, phường chịu trách nhiệm")


# --------------------------------------------------------------------------- a letter to one addressee


ONE_ADDRESSEE = _header(
    "Công văn", "1045/SNNMT-KS", "V/v thực hiện nghĩa vụ sau khi được cấp phép khai thác", "Kính gửi: Công ty cổ phần Đá vôi Minh Hóa\n"
)


def test_a_lead_in_hands_the_items_after_it_to_the_one_addressee_as_requests():
    body = (
        "Công ty cổ phần Đá vôi Minh Hóa được cấp Giấy phép khai thác khoáng sản số 12/GP-UBND ngày 02/7/2025. "
        "Sở Nông nghiệp và Môi trường đề nghị Công ty thực hiện đầy đủ các nội dung sau:\n"
        "1. Trước khi khai thác\n"
        "- Cắm mốc ranh giới khu vực được phép khai thác.\n"
        "- Lập thiết kế mỏ, trình cơ quan có thẩm quyền phê duyệt.\n"
        "2. Trong quá trình khai thác\n"
        "2.1. Khai thác đúng công suất, diện tích ghi trong giấy phép.\n"
        "2.2. Đối với công tác bảo vệ môi trường\n"
        "Xây dựng công trình xử lý nước thải trước khi vận hành mỏ.\n"
        "Sở Nông nghiệp và Môi trường yêu cầu Công ty cổ phần Đá vôi Minh Hóa nghiêm túc thực hiện./.\n"
    )
    rows = [(d.section, d.agency, d.role, d.text.split()[0]) for d in _duties(ONE_ADDRESSEE + body + SIGNATURE)]
    company = "Công ty cổ phần Đá vôi Minh Hóa"
    assert rows == [("1", company, "requested", "Cắm"), ("1", company, "requested", "Lập"), ("2.1", company, "requested", "Khai"), ("2.2", company, "requested", "Xây")]


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("Vì vậy, đề nghị địa phương căn cứ quy hoạch đã được phê duyệt để xác định địa điểm cụm công nghiệp.", "đề nghị địa phương"),
        ("Đề nghị Quý Sở rà soát, điều chỉnh quyết định thành lập cụm công nghiệp (nếu có).", "Đề nghị Quý Sở"),
    ],
)
def test_a_request_to_the_addressee_by_a_word_for_it_is_a_duty_of_the_addressee(sentence, start):
    header = _header("Công văn", "320/CN-QLCN", "V/v hướng dẫn thành lập cụm công nghiệp", "Kính gửi: Sở Công Thương tỉnh Quảng Bình\n")
    body = "Cục Công nghiệp nhận được Công văn số 88/SCT-QLCN của Sở Công Thương tỉnh Quảng Bình. Cục có ý kiến như sau:\n1. Về địa điểm\n" + sentence + "\n"
    duties = _duties(header + body + SIGNATURE)
    assert [(d.agency, d.role) for d in duties] == [("Sở Công Thương tỉnh Quảng Bình", "requested")]
    assert duties[0].text.startswith(start)


def test_an_order_to_the_addressee_after_a_clause_starts_at_its_verb():
    header = _header("Công văn", "2210/BYT-KH", "V/v xây dựng dự toán năm 2026", "Kính gửi: Giám đốc Sở Y tế các tỉnh, thành phố trực thuộc Trung ương\n")
    body = (
        "Để kịp tổng hợp dự toán ngân sách năm 2026, Bộ yêu cầu các đồng chí Giám đốc Sở chỉ đạo các phòng chuyên môn xây dựng dự toán gửi về Bộ trước ngày 20/7/2025.\n"
        "Trong quá trình thực hiện nếu có vướng mắc, đề nghị phản ánh về Bộ (qua Vụ Kế hoạch - Tài chính) để được hướng dẫn./.\n"
    )
    duties = _duties(header + body + SIGNATURE)
    assert [(d.agency, d.role) for d in duties] == [("Giám đốc Sở Y tế các tỉnh, thành phố trực thuộc Trung ương", "lead")]
    assert duties[0].text.startswith("chỉ đạo các phòng chuyên môn")


# --------------------------------------------------------------------------- decisions


DECISION = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG BÌNH
Số: 1530/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Bình, ngày 20 tháng 8 năm 2025
QUYẾT ĐỊNH
Ban hành Kế hoạch phòng, chống thiên tai năm 2025
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;
Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường tại Tờ trình số 77/TTr-SNNMT ngày 15/8/2025.
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2025.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng UBND tỉnh; Giám đốc các Sở: Nông nghiệp và Môi trường, Tài chính, Xây dựng; Chủ tịch UBND các xã, phường và Thủ trưởng các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.
"""


def test_a_decision_s_closing_article_is_one_duty_of_the_bodies_it_lists():
    duties = _duties(DECISION + SIGNATURE)
    assert [(d.section, d.role) for d in duties] == [("Điều 3", "lead")]
    assert duties[0].agency.startswith("Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các Sở: Nông nghiệp và Môi trường, Tài chính, Xây dựng;")
    assert duties[0].agency.endswith("Thủ trưởng các cơ quan, đơn vị liên quan")
    assert duties[0].text.startswith("chịu trách nhiệm thi hành Quyết định này")


def test_an_article_whose_words_follow_its_number_on_the_next_line_is_read_from_that_line():
    text = DECISION.replace(
        "Điều 3. Chánh Văn phòng UBND tỉnh;", "Điều 3.\nChánh Văn phòng UBND tỉnh;"
    )
    assert [d.section for d in _duties(text + SIGNATURE)] == ["Điều 3"]


# --------------------------------------------------------------------------- directives


DIRECTIVE = """THỦ TƯỚNG CHÍNH PHỦ
Số: 19/CT-TTg
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 05 tháng 9 năm 2025
CHỈ THỊ
Về tăng cường quản lý các cụm công nghiệp
Thời gian qua, các cụm công nghiệp đã góp phần thu hút đầu tư. Để khắc phục hạn chế, Thủ tướng Chính phủ yêu cầu các Bộ trưởng, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương thực hiện các nhiệm vụ sau đây:
1. Bộ Công Thương:
a) Chủ trì, phối hợp với các Bộ, ngành rà soát quy hoạch cụm công nghiệp trong quý IV năm 2025.
b) Phối hợp với các địa phương chỉ đạo, hướng dẫn triển khai:
- Xây dựng hạ tầng kỹ thuật cụm công nghiệp đúng tiến độ.
- Thu hút đầu tư có chọn lọc vào cụm công nghiệp.
2. Các Bộ, ngành liên quan khác trong phạm vi chức năng, nhiệm vụ, tăng cường kiểm tra hoạt động của các cụm công nghiệp.
3. Các Bộ, ngành và Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương chỉ đạo thực hiện tốt Chỉ thị này.
Bộ Công Thương chịu trách nhiệm theo dõi, đôn đốc, báo cáo Thủ tướng Chính phủ kết quả thực hiện Chỉ thị này./.
Nơi nhận:
- Các Bộ, cơ quan ngang Bộ;
- Lưu: VT, CN.
THỦ TƯỚNG
Phạm Văn An
"""


def test_a_directive_s_items_are_duties_of_the_ministries_and_provinces_they_name():
    assert [(d.section, d.agency, d.role) for d in _duties(DIRECTIVE)] == [
        ("1.a", "Bộ Công Thương", "lead"),
        ("1.b", "Bộ Công Thương", "coordinate"),
        ("1.b", "Bộ Công Thương", "coordinate"),
        ("2", "Các Bộ, ngành liên quan khác", "lead"),
        ("3", "Các Bộ, ngành và Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "lead"),
        ("3", "Bộ Công Thương", "lead"),
    ]


def test_a_sub_heading_that_begins_with_phoi_hop_gives_its_role_to_the_bullets_under_it():
    bullets = [d for d in _duties(DIRECTIVE) if d.section == "1.b"]
    assert [d.text[:18] for d in bullets] == ["Xây dựng hạ tầng k", "Thu hút đầu tư có "]


def test_a_later_sentence_of_an_item_that_opens_with_a_body_is_a_duty_of_that_body():
    last = _duties(DIRECTIVE)[-1]
    assert last.text.startswith("Bộ Công Thương chịu trách nhiệm theo dõi")


# --------------------------------------------------------------------------- reports' requests


REPORT = _header("BÁO CÁO", "215/BC-UBND", "Công tác quản lý khoáng sản năm 2025")
REPORT_BODY = """Thực hiện Văn bản số 501/BNNMT-ĐCKS của Bộ Nông nghiệp và Môi trường, Ủy ban nhân dân tỉnh báo cáo như sau:
I. KẾT QUẢ THỰC HIỆN
1. Công tác thanh tra, kiểm tra
Sở Nông nghiệp và Môi trường đã tổ chức 12 cuộc kiểm tra hoạt động khoáng sản. Công an tỉnh phối hợp xử lý 5 vụ vi phạm.
2. Những vướng mắc
Luật chưa quy định thủ tục đóng cửa mỏ khi doanh nghiệp còn nợ tiền cấp quyền. Do đó, đề nghị Bộ Nông nghiệp và Môi trường sớm hướng dẫn thủ tục đóng cửa mỏ trong trường hợp này.
3. Công tác bảo vệ khoáng sản chưa khai thác
Để bảo vệ khoáng sản chưa khai thác, Ủy ban nhân dân tỉnh tiếp tục yêu cầu các sở, ban, ngành và địa phương:
- Tăng cường kiểm tra các khu vực có khoáng sản chưa khai thác.
- Báo cáo kết quả thực hiện về Sở Nông nghiệp và Môi trường trước ngày 15/12/2025.
II. ĐỀ XUẤT, KIẾN NGHỊ
1. Kiến nghị Bộ Nông nghiệp và Môi trường
- Sớm ban hành hướng dẫn về đấu giá quyền khai thác khoáng sản.
- Xây dựng cơ sở dữ liệu quốc gia về khoáng sản.
Trên đây là Báo cáo công tác quản lý khoáng sản năm 2025, trân trọng đề nghị Bộ Nông nghiệp và Môi trường xem xét, tổng hợp./.
"""


def test_a_report_s_requests_are_duties_and_its_account_of_work_done_is_not():
    rows = [(d.section, d.agency, d.role, d.text[:16]) for d in _duties(REPORT + REPORT_BODY + SIGNATURE)]
    assert rows == [
        ("I.2", "Bộ Nông nghiệp và Môi trường", "requested", "đề nghị Bộ Nông "),
        ("I.3", "Các sở, ban, ngành và địa phương", "lead", "Tăng cường kiểm "),
        ("I.3", "Các sở, ban, ngành và địa phương", "lead", "Báo cáo kết quả "),
        ("II.1", "Bộ Nông nghiệp và Môi trường", "requested", "Sớm ban hành hướ"),
        ("II.1", "Bộ Nông nghiệp và Môi trường", "requested", "Xây dựng cơ sở d"),
    ]


# --------------------------------------------------------------------------- plans: assignments in running text


def test_assignments_in_running_text_of_a_plan_s_content():
    body = """I. MỤC ĐÍCH, YÊU CẦU
1. Các cơ quan, đơn vị nâng cao nhận thức về an toàn giao thông.
II. NỘI DUNG
1. Các sở, ban, ngành; UBND các huyện, thành phố tiếp tục tuyên truyền Luật Trật tự, an toàn giao thông đường bộ.
2. Xây dựng Quy chế phối hợp tuần tra trên tuyến quốc lộ (Giao Công an tỉnh chủ trì, phối hợp với Sở Xây dựng).
3. Tổ chức kiểm tra các bến xe khách; đồng thời rà soát các điểm đen. Các địa phương lắp đặt biển cảnh báo tại điểm đen.
4. Tổng kết công tác bảo đảm an toàn giao thông năm 2025.
"""
    rows = [(d.section, d.agency, d.text[:14]) for d in _duties(PLAN + body + SIGNATURE)]
    assert rows == [
        ("II.1", "Các sở, ban, ngành; Ủy ban nhân dân các huyện, thành phố", "tiếp tục tuyên"),
        ("II.2", "Công an tỉnh", "Xây dựng Quy c"),
        ("II.3", "Các địa phương", "Các địa phương"),
    ]


def test_a_plan_s_content_bullet_that_opens_with_a_body_describes_an_activity():
    body = "II. NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN\n2. Hình thức tuyên truyền\n- Các cơ quan báo chí chủ động đưa tin về an toàn giao thông.\n"
    assert _duties(PLAN + body + SIGNATURE) == []


def test_a_sentence_ending_in_a_colon_with_a_body_and_its_verb_hands_it_the_bullets_below():
    body = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Trường hợp phát hiện xe quá tải, Thanh tra Sở Xây dựng thực hiện:\n"
        "- Lập biên bản vi phạm hành chính.\n"
        "- Thông báo cho đơn vị quản lý tuyến đường.\n"
    )
    assert [(d.agency, d.text[:8]) for d in _duties(PLAN + body + SIGNATURE)] == [
        ("Thanh tra Sở Xây dựng", "Lập biên"),
        ("Thanh tra Sở Xây dựng", "Thông bá"),
    ]


def test_a_bullet_that_names_its_own_body_before_a_colon_overrides_the_heading_above():
    body = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Các đơn vị thuộc Sở\n"
        "- Phòng Quản lý vận tải: hướng dẫn doanh nghiệp lắp thiết bị giám sát hành trình.\n"
        "- Kiểm tra việc chấp hành quy định về thời gian lái xe.\n"
    )
    assert [d.agency for d in _duties(PLAN + body + SIGNATURE)] == ["Phòng Quản lý vận tải", "Các đơn vị thuộc Sở"]


def test_a_short_name_the_document_defines_in_brackets_is_written_out():
    body = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Giao Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh (Ban QLDA giao thông) rà soát các dự án chậm tiến độ.\n"
        "2. Ban QLDA giao thông báo cáo kết quả rà soát trước ngày 30/9/2025.\n"
    )
    assert {d.agency for d in _duties(PLAN + body + SIGNATURE)} == {"Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh"}


# --------------------------------------------------------------------------- no duty


@pytest.mark.parametrize(
    "sentence",
    [
        "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị các đơn vị phản ánh về Sở Xây dựng để được hướng dẫn.",
        "Theo đề nghị của Giám đốc Sở Xây dựng, Ủy ban nhân dân tỉnh đã phê duyệt phương án.",
        "Tại khoản 2 Điều 5 quy định: “Ủy ban nhân dân cấp tỉnh chỉ đạo các cơ quan chuyên môn kiểm tra định kỳ”.",
        "Sở Xây dựng đã phối hợp với Công an tỉnh kiểm tra 40 phương tiện.",
    ],
)
def test_sentences_that_assign_nothing(sentence):
    body = "Thực hiện Công điện số 45/CĐ-TTg, Ủy ban nhân dân tỉnh thông báo như sau:\n1. Về kết quả kiểm tra\n" + sentence + "\n"
    assert _duties(LETTER + body + SIGNATURE) == []


ATTACHED_PLAN = """KẾ HOẠCH
Phòng, chống thiên tai năm 2025
(Kèm theo Quyết định số 1530/QĐ-UBND ngày 20/8/2025 của Chủ tịch Ủy ban nhân dân tỉnh)
I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động phòng ngừa, giảm thiểu thiệt hại do thiên tai gây ra.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
- Chủ trì tổng hợp tình hình thiên tai, tham mưu Ủy ban nhân dân tỉnh chỉ đạo ứng phó.
- Phối hợp với Sở Xây dựng kiểm tra an toàn hồ đập trước mùa mưa bão.
2. Sở Tài chính: Bố trí kinh phí thực hiện Kế hoạch.
3.
Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh: Vận động Nhân dân ủng hộ vùng bị thiên tai.
"""


def test_a_plan_a_decision_attaches_after_its_signature_gives_the_decision_its_duties():
    rows = [(d.section, d.agency, d.role, d.text.split()[0]) for d in _duties(DECISION + SIGNATURE + ATTACHED_PLAN)]
    assert rows == [
        ("Điều 3", rows[0][1], "lead", "chịu"),
        ("II.1", "Sở Nông nghiệp và Môi trường", "lead", "Chủ"),
        ("II.1", "Sở Nông nghiệp và Môi trường", "coordinate", "Phối"),
        ("II.2", "Sở Tài chính", "lead", "Bố"),
        # "3." alone on its line numbers the item printed under it
        ("II.3", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "requested", "Vận"),
    ]


def test_an_attached_plan_printed_with_broken_lines_is_read_paragraph_by_paragraph():
    wrapped = (
        "KẾ HOẠCH\nPhòng, chống thiên tai năm 2025\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Chủ động phòng ngừa, giảm thiểu thiệt hại do thiên tai gây ra.\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Nông nghiệp và Môi trường là cơ quan thường trực, chủ trì theo dõi, tổng hợp\n"
        "tình hình thiên tai trên địa bàn tỉnh và tham mưu Ủy ban nhân dân tỉnh chỉ đạo ứng phó kịp thời.\n"
        "2. Sở Tài chính\n"
        "Bố trí kinh phí thực hiện Kế hoạch theo phân cấp ngân sách nhà nước hiện hành, bảo đảm\n"
        "đủ nguồn lực cho công tác phòng, chống thiên tai.\n"
    )
    rows = [(d.section, d.agency, d.text[:12]) for d in _duties(DECISION + SIGNATURE + wrapped)]
    assert rows[1:] == [("II.1", "Sở Nông nghiệp và Môi trường", "là cơ quan t"), ("II.2", "Sở Tài chính", "Bố trí kinh ")]
    assert _duties(DECISION + SIGNATURE + wrapped)[-1].text.endswith("công tác phòng, chống thiên tai.")


GOVERNMENT_OFFICE_LETTER = (
    "VĂN PHÒNG CHÍNH PHỦ\nSố: 2140/VPCP-KGVX\nV/v báo cáo tình hình thực hiện\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 12 tháng 3 năm 2026\n"
    "Kính gửi: Bộ Y tế\n"
    "Ngày 02 tháng 3 năm 2026, Văn phòng Chính phủ có văn bản số 98/TB-VPCP thông báo ý kiến chỉ đạo.\n"
)
CLOSING = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nLê Văn Bình\n"


@pytest.mark.parametrize(
    "sentence, role",
    [
        ("Phó Thủ tướng Trần Văn Hải yêu cầu Bộ Y tế khẩn trương hoàn thành dự thảo Thông tư trước ngày 30/4/2026.", "lead"),
        ("Văn phòng Chính phủ đề nghị quý Bộ khẩn trương có báo cáo về tình hình thực hiện.", "requested"),
    ],
)
def test_a_government_office_letter_passes_on_an_order_or_a_request_to_its_addressee(sentence, role):
    rows = [(d.agency, d.role) for d in _duties(GOVERNMENT_OFFICE_LETTER + sentence + "\n" + CLOSING)]
    assert rows == [("Bộ Y tế", role)]
