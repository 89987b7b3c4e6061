from pipeline.segment import segment
from tests.conftest import raw_text


def _lines(doc):
    return [doc.text[line.start : line.end] for line in doc.lines]


def test_a_symbol_broken_after_its_hyphen_is_rejoined_without_a_space():
    doc = segment(raw_text("1. Triển khai\n- Thực hiện Kế hoạch số 316/KH-\nSVHTTDL ngày 07/3/2022 của Sở Văn hóa, Thể thao và Du lịch."))
    assert "316/KH-SVHTTDL ngày 07/3/2022" in doc.text


def test_lines_broken_inside_a_paragraph_are_rejoined_and_bullets_stay_lines():
    text = (
        "II. NHIỆM VỤ\n1. Sở Y tế\n- Chủ trì, phối hợp với các đơn vị liên quan tổ chức tập huấn cho đội ngũ\n\n"
        "cán bộ y tế cơ sở về nhận diện nạn nhân bị mua bán.\n- Phối hợp với Công an tỉnh xác minh.\n"
    )
    lines = _lines(segment(raw_text(text)))
    assert "- Chủ trì, phối hợp với các đơn vị liên quan tổ chức tập huấn cho đội ngũ cán bộ y tế cơ sở về nhận diện nạn nhân bị mua bán." in lines
    assert "- Phối hợp với Công an tỉnh xác minh." in lines
    assert "1. Sở Y tế" in lines


def test_a_numbered_heading_is_not_joined_to_the_paragraph_under_it(seeds):
    lines = _lines(seeds["001"])
    assert "7. Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh" in lines
    assert "2. Bộ Chỉ huy Quân sự tỉnh" in lines


def test_page_numbers_are_dropped_and_pages_map_to_offsets():
    page1 = "KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\nI. MỤC ĐÍCH\n1. Nâng cao nhận thức của người dân"
    page2 = "2\nvề phòng, chống mua bán người.\nII. TỔ CHỨC THỰC HIỆN"
    doc = segment(raw_text("", pages=[page1, page2]))
    assert "\n2\n" not in doc.text
    assert "1. Nâng cao nhận thức của người dân về phòng, chống mua bán người." in doc.text
    position = doc.text.index("II. TỔ CHỨC")
    assert doc.page_at(position) == 2
    assert doc.page_at(doc.text.index("I. MỤC ĐÍCH")) == 1


def test_a_line_repeated_at_the_top_of_every_page_is_dropped():
    bodies = ["Tuyên truyền tại cộng đồng.", "Tập huấn cho cán bộ.", "Kiểm tra cơ sở lưu trú.", "Báo cáo kết quả."]
    pages = [f"UBND TỈNH NGHỆ AN - KẾ HOẠCH {n}\n{body}\n- {n} -" for n, body in enumerate(bodies, 1)]
    doc = segment(raw_text("", pages=pages))
    assert "UBND TỈNH NGHỆ AN - KẾ HOẠCH" not in doc.text
    assert "Kiểm tra cơ sở lưu trú." in doc.text and "Báo cáo kết quả." in doc.text


def test_the_official_header_anchors_are_found(seeds):
    doc = seeds["004"]
    header = doc.header
    assert [doc.snippet(s) for s in header.agency_lines] == ["UBND TỈNH HẢI DƯƠNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]
    assert doc.snippet(header.number) == "Số:.........../KH-SVHTTDL"
    assert doc.snippet(header.place_date) == "Hải Dương, ngày ..... tháng 3 năm 2023"
    assert doc.snippet(header.doc_type) == "KẾ HOẠCH"
    assert doc.snippet(header.title) == "Thực hiện công tác phòng, chống mua bán người năm 2023 của Ngành Văn hóa, Thể thao và Du lịch"
    assert doc.snippet(doc.opening).startswith("Thực hiện Kế hoạch số 555/KH-BCĐ")


def test_a_header_read_row_by_row_is_split_into_its_two_columns():
    text = (
        "UBND TỈNH NGHỆ AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 215/KH-SYT Nghệ An, ngày 12 tháng 4 năm 2024\n"
        "KẾ HOẠCH\nPhòng, chống mua bán người năm 2024\n"
        "Thực hiện Kế hoạch số 80/KH-UBND ngày 01/3/2024 của Ủy ban nhân dân tỉnh, Sở Y tế xây dựng Kế hoạch như sau:\n"
        "I. MỤC ĐÍCH\n"
    )
    doc = segment(raw_text(text))
    header = doc.header
    assert [doc.snippet(s) for s in header.agency_lines] == ["UBND TỈNH NGHỆ AN", "SỞ Y TẾ"]
    assert doc.snippet(header.number) == "Số: 215/KH-SYT"
    assert doc.snippet(header.place_date) == "Nghệ An, ngày 12 tháng 4 năm 2024"
    assert doc.snippet(header.motto) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_outline_paths_follow_the_printed_numbers(seeds):
    paths = [(s.path, s.style) for s in seeds["001"].sections if s.style in ("roman", "arabic")]
    assert ("II.1", "arabic") in paths and ("III.2", "arabic") in paths
    assert [p for p, _ in paths].count("II.2") == 2  # the document repeats "2." and the path says so
    decimal = [s.path for s in seeds["003"].sections if s.style == "decimal"]
    assert decimal == ["3.1", "3.2"]


def test_star_items_and_bullets_keep_the_path_of_their_numbered_parent(seeds):
    doc = seeds["004"]
    stars = [s for s in doc.sections if s.style == "star"]
    assert [s.path for s in stars] == ["III.1"] * 6
    dash_under_star = [s for s in doc.sections if s.style == "dash" and s.parent is not None and doc.sections[s.parent].style == "star"]
    assert dash_under_star and all(s.path == "III.1" for s in dash_under_star)


def test_recipients_and_signature_blocks_are_separated(seeds):
    doc = seeds["000"]
    recipients = doc.snippet(doc.recipients)
    assert recipients.startswith("Nơi nhận:") and recipients.endswith("- Lưu: VT, TTBCXB.")
    assert doc.snippet(doc.signature) == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐÔC\nNguyễn Văn Nhật"
    assert seeds["001"].snippet(seeds["001"].signature) == "TRƯỞNG BAN\nCHỦ TỊCH UBND TỈNH\nLê Ánh Dương"


def test_missing_and_blank_form_elements_become_warnings(seeds):
    codes_004 = {w.code for w in seeds["004"].warnings}
    assert {"blank-number", "blank-date"} <= codes_004
    assert "missing-motto" not in codes_004
    codes_003 = {w.code for w in seeds["003"].warnings}
    assert {"missing-motto", "missing-number", "missing-place_date", "missing-doc_type"} <= codes_003
    assert "missing-signature" not in codes_003 and "missing-recipients" not in codes_003


def test_word_paragraphs_stay_apart_except_a_dash_fragment_that_ends_a_heading():
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n3. Phòng Lao động\n- Thương binh và Xã hội các huyện\n"
        "- Hướng dẫn các xã rà soát đối tượng\ncó nguy cơ bị mua bán.\n- Báo cáo kết quả."
    )
    raw = raw_text(text)
    raw.format = "docx"
    lines = _lines(segment(raw))
    assert "3. Phòng Lao động - Thương binh và Xã hội các huyện" in lines
    assert "- Hướng dẫn các xã rà soát đối tượng" in lines and "- Báo cáo kết quả." in lines


LETTER_AS_LAID_OUT = """   ỦY BAN NHÂN DÂN                         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    TỈNH YÊN BÁI                                  Độc lập - Tự do - Hạnh phúc

    Số: 812 /UBND-NC                           Yên Bái, ngày 03 tháng 9 năm 2025
V/v rà soát, báo cáo công tác
 phòng, chống thiên tai trên
          địa bàn tỉnh

                    Kính gửi:
                              - Các sở, ban, ngành tỉnh;
                              - Ủy ban nhân dân các xã, phường.

     Thực hiện Công điện số 45/CĐ-TTg ngày 01/9/2025 của Thủ tướng Chính phủ, Ủy ban
nhân dân tỉnh đề nghị các cơ quan, đơn vị khẩn trương rà soát các khu vực xung yếu.
"""


def test_a_letter_laid_out_in_two_columns_keeps_its_subject_under_the_number_and_its_date_in_the_header():
    doc = segment(raw_text(LETTER_AS_LAID_OUT))
    snippet = doc.snippet
    assert snippet(doc.header.number) == "Số: 812 /UBND-NC"
    assert snippet(doc.header.place_date) == "Yên Bái, ngày 03 tháng 9 năm 2025"
    assert snippet(doc.header.title) == "V/v rà soát, báo cáo công tác phòng, chống thiên tai trên địa bàn tỉnh"
    assert snippet(doc.header.addressees).startswith("Kính gửi:")
    assert snippet(doc.opening).startswith("Thực hiện Công điện số 45/CĐ-TTg")


def test_a_rule_drawn_inside_a_header_cell_is_dropped_and_its_words_kept():
    doc = segment(raw_text("ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN -------\nSố: 12/KH-UBND\nKẾ HOẠCH\nPhòng, chống dịch bệnh năm 2024\n"))
    assert doc.snippet(doc.header.agency_lines[0]) == "ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN"


def test_anchors_a_crawler_glued_onto_one_line_are_cut_apart():
    text = (
        "BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN\n"
        "Số: 1203/TCHQ-GSQL V/v thủ tục hải quan đối với hàng hóa quá cảnh\n"
        "Hà Nội, ngày 02 tháng 4 năm 2019 Kính gửi: Cục Hải quan các tỉnh, thành phố.\n"
        "Để thống nhất thực hiện, Tổng cục Hải quan hướng dẫn như sau:\n"
    )
    doc = segment(raw_text(text))
    assert [doc.snippet(span) for span in doc.header.agency_lines] == ["BỘ TÀI CHÍNH", "TỔNG CỤC HẢI QUAN"]
    assert doc.snippet(doc.header.number) == "Số: 1203/TCHQ-GSQL"
    assert doc.snippet(doc.header.title) == "V/v thủ tục hải quan đối với hàng hóa quá cảnh"
    assert doc.snippet(doc.header.place_date) == "Hà Nội, ngày 02 tháng 4 năm 2019"
    assert doc.snippet(doc.header.addressees) == "Kính gửi: Cục Hải quan các tỉnh, thành phố."


def test_a_subject_continued_in_lower_case_is_not_taken_for_the_body():
    text = "SỞ XÂY DỰNG\nSố: 45/SXD-QLXD\nV/v hướng dẫn thủ tục\nsau khi được cấp giấy phép xây dựng\nKính gửi: Các phòng chuyên môn.\nĐể bảo đảm đúng quy định, Sở hướng dẫn như sau.\n"
    doc = segment(raw_text(text))
    assert doc.snippet(doc.header.title) == "V/v hướng dẫn thủ tục sau khi được cấp giấy phép xây dựng"


def test_the_decision_maker_line_ends_a_decision_title_even_glued_onto_it():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN\nSố: 301/QĐ-UBND\nBắc Kạn, ngày 03 tháng 3 năm 2021\nQUYẾT ĐỊNH\n"
        "VỀ VIỆC BAN HÀNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021 ỦY BAN NHÂN DÂN TỈNH BẮC KẠN\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành Kế hoạch.\n"
    )
    doc = segment(raw_text(text))
    assert doc.snippet(doc.header.title) == "VỀ VIỆC BAN HÀNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021"
    assert doc.snippet(doc.opening).startswith("Căn cứ Luật")


def test_a_subject_wrapped_in_the_left_column_is_one_title_even_where_a_line_starts_with_a_capital():
    text = (
        "   ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "    TỈNH YÊN BÁI                        Độc lập - Tự do - Hạnh phúc\n"
        "\n"
        "   Số: 215 /UBND-NC                  Yên Bái, ngày 04 tháng 9 năm 2024\n"
        "V/v triển khai Kế hoạch số 80/KH-BCĐ\n"
        "của Ban Chỉ đạo 138 tỉnh về\n"
        "Tháng hành động phòng, chống\n"
        "mua bán người\n"
        "\n"
        "Kính gửi: Các sở, ban, ngành tỉnh.\n"
        "Thực hiện Kế hoạch số 80/KH-BCĐ, Ủy ban nhân dân tỉnh yêu cầu các cơ quan thực hiện.\n"
    )
    doc = segment(raw_text(text))
    assert doc.snippet(doc.header.title) == (
        "V/v triển khai Kế hoạch số 80/KH-BCĐ của Ban Chỉ đạo 138 tỉnh về Tháng hành động phòng, chống mua bán người"
    )
    assert doc.snippet(doc.header.place_date) == "Yên Bái, ngày 04 tháng 9 năm 2024"


def test_the_signature_cell_of_a_copied_closing_table_is_not_taken_for_a_recipient():
    text = (
        "BAN CHỈ ĐẠO QUỐC GIA\nSố: 12/KH-BCĐ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 02 tháng 3 năm 2025\n"
        "KẾ HOẠCH\nTổng kết công tác năm 2025\n"
        "I. NHIỆM VỤ\n"
        "1. Các bộ, ngành báo cáo kết quả về Ban Chỉ đạo trước ngày 15/12/2025./.\n"
        "| Nơi nhận: - Các Bộ: Công an, Tư pháp; - UBND các tỉnh, thành phố; - Lưu: VT, BCĐ | "
        "TRƯỞNG BAN PHÓ THỦ TƯỚNG Trần Văn Minh |\n"
        "|---|---|\n"
    )
    doc = segment(raw_text(text))
    assert doc.snippet(doc.signature) == "TRƯỞNG BAN PHÓ THỦ TƯỚNG Trần Văn Minh"
    assert "Trần Văn Minh" not in doc.snippet(doc.recipients)


def test_parts_lettered_a_b_head_the_outline_and_its_paths():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH PHÚ YÊN\nSố: 40/KH-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nPhú Yên, ngày 12 tháng 3 năm 2024\n"
        "KẾ HOẠCH\nPhòng, chống mua bán người năm 2024\n"
        "A. MỤC ĐÍCH, YÊU CẦU\n"
        "I. Mục đích\n"
        "Nâng cao nhận thức của người dân.\n"
        "B. NHIỆM VỤ, GIẢI PHÁP\n"
        "I. Nhiệm vụ chung\n"
        "1. Công an tỉnh chủ trì rà soát các vụ việc.\n"
        "a) Sở Tư pháp phối hợp tuyên truyền.\n"
    )
    paths = [section.path for section in segment(raw_text(text)).sections]
    assert paths == ["A", "A.I", "B", "B.I", "B.I.1", "B.I.1.a"]


def test_an_item_number_on_its_own_line_or_glued_to_the_heading_above_starts_its_item():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH KON TUM\nSố: 77/KH-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKon Tum, ngày 02 tháng 4 năm 2024\n"
        "KẾ HOẠCH\nXây dựng quan hệ lao động hài hòa năm 2024\n"
        "I. NỘI DUNG\n"
        "2. Nâng cao hiệu quả quản lý nhà nước về lao động 2.1.\n"
        "Rà soát các quy trình giải quyết tranh chấp lao động.\n"
        "2.2.\n"
        "Tăng cường thanh tra, kiểm tra việc chấp hành pháp luật lao động.\n"
    )
    doc = segment(raw_text(text))
    items = {section.path: doc.snippet(section.span) for section in doc.sections}
    assert items["I.2.1"] == "2.1. Rà soát các quy trình giải quyết tranh chấp lao động."
    assert items["I.2.2"] == "2.2. Tăng cường thanh tra, kiểm tra việc chấp hành pháp luật lao động."
    assert doc.snippet(doc.sections[1].title_span) == "Nâng cao hiệu quả quản lý nhà nước về lao động"


def test_a_place_and_date_and_the_recipients_label_broken_over_two_lines_are_read_whole():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 120/KH-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Nghệ An, ngày 20\ntháng 3 năm 2023\n"
        "KẾ HOẠCH\nPhòng, chống mua bán người năm 2023\n"
        "I. NHIỆM VỤ\n1. Công an tỉnh chủ trì tham mưu thực hiện.\n"
        "Nơi\nnhận:\n- Bộ Công an;\n- Lưu: VT.\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Đệ\n"
    )
    doc = segment(raw_text(text))
    assert doc.snippet(doc.header.place_date) == "Nghệ An, ngày 20 tháng 3 năm 2023"
    assert doc.snippet(doc.recipients).startswith("Nơi nhận:\n- Bộ Công an;")


def test_a_decision_title_opened_by_v_v_runs_over_all_its_wrapped_capitals_lines_to_the_authority_line():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\nSố: 118/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Gia Lai, ngày 09 tháng 4 năm 2024\nQUYẾT ĐỊNH\n"
        "V/V BAN HÀNH KẾ HOẠCH THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA\n"
        "TỈNH ỦY VỀ ĐẨY MẠNH CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI VÀ\n"
        "TÌM KIẾM CỨU NẠN GIAI ĐOẠN 2024-2030 TRÊN ĐỊA BÀN TỈNH\n"
        "GIA LAI THEO CHỈ THỊ SỐ 12-CT/TW NGÀY 05 THÁNG 3 NĂM\n"
        "2024 CỦA BAN BÍ THƯ TRUNG ƯƠNG ĐẢNG VỀ TĂNG CƯỜNG SỰ\n"
        "LÃNH ĐẠO CỦA ĐẢNG ĐỐI VỚI CÔNG TÁC PHÒNG, CHỐNG THIÊN\n"
        "TAI TRONG TÌNH HÌNH MỚI\n"
        "ỦY BAN NHÂN DÂN TỈNH GIA LAI\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành Kế hoạch.\n"
    )
    doc = segment(raw_text(text))
    title = doc.snippet(doc.header.title)
    assert title.startswith("V/V BAN HÀNH KẾ HOẠCH") and title.endswith("TAI TRONG TÌNH HÌNH MỚI")
    assert doc.snippet(doc.opening).startswith("Căn cứ Luật")


def test_a_roman_numeral_code_wrapped_to_the_start_of_a_line_is_no_heading():
    text = (
        "I. QUY ĐỊNH CHUNG\n"
        "1. Công chức hải quan kiểm tra thông tin trên tờ khai.\n"
        "Lưu ý: công chức kiểm tra thông tin container do doanh nghiệp cảng gửi get-out thông qua chức năng\n"
        "IX.9.4 “Theo dõi danh sách container” trên Hệ thống V5 rồi phê duyệt tờ khai.\n"
        "2. Chi cục Hải quan nơi lưu giữ hàng hóa báo cáo kết quả.\n"
    )
    doc = segment(raw_text(text))
    assert "chức năng IX.9.4 “Theo dõi danh sách container”" in doc.text
    assert "2. Chi cục Hải quan nơi lưu giữ hàng hóa báo cáo kết quả." in _lines(doc)
