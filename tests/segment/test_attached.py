"""A plan that a decision attaches after its signature is read once, in segment, as an appendix."""

from pipeline.segment import segment
from tests.conftest import raw_text

DECISION = (
    "ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 88/QĐ-UBND\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nCao Bằng, ngày 10 tháng 3 năm 2025\n"
    "QUYẾT ĐỊNH\nBan hành Kế hoạch phòng, chống mua bán người năm 2025\n"
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
    "Căn cứ Luật Phòng, chống mua bán người ngày 28 tháng 3 năm 2011;\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống mua bán người năm 2025.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.\n"
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT, NC.\n"
    "CHỦ TỊCH\nNông Văn Thành\n"
    "KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "1. Nâng cao nhận thức của cán bộ, công chức về phòng, chống mua bán người.\n"
    "II. NHIỆM VỤ\n"
    "1. Công an tỉnh chủ trì, phối hợp với các sở, ngành rà soát các vụ việc mua bán người,\n"
    "báo cáo Ủy ban nhân dân tỉnh trước ngày 30/6/2025.\n"
    "2. Sở Tư pháp tuyên truyền pháp luật về phòng, chống mua bán người.\n"
)


def test_the_attached_plan_leaves_the_signature_for_an_appendix_with_its_own_outline():
    doc = segment(raw_text(DECISION))
    signature = doc.snippet(doc.signature)
    assert "Nông Văn Thành" in signature and "MỤC ĐÍCH" not in signature
    appendix = doc.appendices[-1]
    assert doc.text[appendix[0] :].startswith("I. MỤC ĐÍCH, YÊU CẦU")
    attached = [section for section in doc.sections if section.span[0] >= appendix[0]]
    assert [section.path for section in attached] == ["I", "I.1", "II", "II.1", "II.2"]


def test_a_wrapped_line_of_the_attached_plan_is_joined_to_its_item():
    doc = segment(raw_text(DECISION))
    item = next(section for section in doc.sections if section.path == "II.1")
    assert doc.snippet(item.span).endswith("báo cáo Ủy ban nhân dân tỉnh trước ngày 30/6/2025.")


def test_a_wrapped_line_of_the_attached_plan_is_one_paragraph_in_the_text_too():
    doc = segment(raw_text(DECISION))
    assert "rà soát các vụ việc mua bán người, báo cáo Ủy ban nhân dân tỉnh" in doc.text


def test_an_attached_regulation_leaves_the_signature_at_its_first_chapter():
    regulation = (
        "QUY CHẾ\nPhối hợp quản lý nhà nước về tín ngưỡng, tôn giáo trên địa bàn tỉnh\n"
        "Chương I\nQUY ĐỊNH CHUNG\n"
        "Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc phối hợp giữa các cơ quan.\n"
        "Điều 2. Nguyên tắc phối hợp\nViệc phối hợp bảo đảm kịp thời, hiệu quả.\n"
        "Điều 3. Trách nhiệm của Sở Nội vụ\nSở Nội vụ chủ trì tham mưu thực hiện Quy chế.\n"
    )
    doc = segment(raw_text(DECISION.split("KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\nI.")[0] + regulation))
    signature = doc.snippet(doc.signature)
    assert "Nông Văn Thành" in signature and "Chương I" not in signature
    assert doc.text[doc.appendices[-1][0] :].startswith("Chương I")


def test_a_closing_sentence_inside_the_attached_text_does_not_hide_the_signature():
    regulation = (
        "QUY ĐỊNH\nVề việc tặng quà đối với người có công\n"
        "Điều 1. Đối tượng\nThương binh, bệnh binh, gia đình liệt sĩ.\n"
        "Điều 2. Mức quà\nMỗi suất quà 500.000 đồng.\n"
        "Điều 3. Tổ chức thực hiện\n"
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan phản ánh về Sở Nội vụ.\n"
    )
    doc = segment(raw_text(DECISION.split("KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\nI.")[0] + regulation))
    assert doc.snippet(doc.recipients).startswith("Nơi nhận:")
    assert "Nông Văn Thành" in doc.snippet(doc.signature)
