"""Whole documents composed in the genre's style, of shapes the five samples do not have."""

from pipeline.extract import extract
from pipeline.ingest.text import read_text
from pipeline.records import RawDocument
from pipeline.segment import segment
from tests.conftest import raw_text

CONG_VAN = """UBND TỈNH QUẢNG NINH
SỞ LAO ĐỘNG - THƯƠNG BINH
VÀ XÃ HỘI
Số: 2315/SLĐTBXH-BTXH
V/v triển khai Tháng hành động phòng, chống
mua bán người năm 2024
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Ninh, ngày 08 tháng 7 năm 2024
Kính gửi:
- Ủy ban nhân dân các huyện, thị xã, thành phố;
- Phòng Lao động - Thương binh và Xã hội các huyện, thị xã, thành phố.
Thực hiện Kế hoạch số 145/KH-UBND ngày 20/6/2024 của Ủy ban nhân dân tỉnh về triển khai Tháng hành động
phòng, chống mua bán người, Sở Lao động - Thương binh và Xã hội đề nghị các đơn vị thực hiện một số nội dung sau:
1. Tổ chức tuyên truyền về phòng, chống mua bán người tại cộng đồng dân cư.
2. Báo cáo kết quả thực hiện về Sở Lao động - Thương binh và Xã hội trước ngày 15/8/2024.
Trân trọng./.
Nơi nhận:
- Như trên;
- UBND tỉnh (b/c);
- Lưu: VT, BTXH.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Thị Hoa
"""

QUYET_DINH = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
Số: 1520/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Giang, ngày 05 tháng 8 năm 2024
QUYẾT ĐỊNH
Về việc thành lập Đoàn kiểm tra công tác phòng, chống mua bán người năm 2024
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Quyết định số 193/QĐ-TTg ngày 09 tháng 02 năm 2021 của Thủ tướng Chính phủ;
Theo đề nghị của Giám đốc Công an tỉnh.
QUYẾT ĐỊNH:
Điều 1. Thành lập Đoàn kiểm tra công tác phòng, chống mua bán người năm 2024.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Nơi nhận:
- Như Điều 2;
- Lưu: VT, NC.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Phước
"""

PARTY_PLAN = """ĐẢNG BỘ TỈNH NGHỆ AN
TỈNH ỦY
*
Số 45-KH/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Nghệ An, ngày 15 tháng 3 năm 2023
KẾ HOẠCH
thực hiện Kết luận số 13-KL/TW ngày 16/8/2021 của Bộ Chính trị
-----
Thực hiện Kết luận số 13-KL/TW ngày 16/8/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 48-CT/TW
ngày 22/10/2010 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch thực hiện như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Quán triệt sâu sắc nội dung Kết luận.
II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan hướng dẫn việc học tập, quán triệt.
2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh
- Tuyên truyền, vận động Nhân dân tham gia phòng, chống tội phạm.
Nơi nhận:
- Các huyện ủy, thành ủy;
- Lưu Văn phòng Tỉnh ủy.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Hoàng Nghĩa Hiếu
"""

PORTAL = (
    "UBND TỈNH THANH HÓA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "SỞ Y TẾ | Độc lập - Tự do - Hạnh phúc\n"
    "Số: 87/BC-SYT | Thanh Hóa, ngày 20 tháng 12 năm 2024\n"
    "BÁO CÁO\nKết quả công tác phòng, chống mua bán người năm 2024\n"
    "Thực hiện Công văn số 4120/UBND-NC ngày 02/12/2024 của UBND tỉnh Thanh Hóa, Sở Y tế báo cáo như sau:\n"
    "I. KẾT QUẢ THỰC HIỆN\n1. Công tác tiếp nhận, hỗ trợ nạn nhân.\n"
    "Nơi nhận: | GIÁM ĐỐC\n- UBND tỉnh; |\n- Lưu: VT. | Đỗ Thái Hòa\n"
)


def _record(text: str):
    return extract(segment(raw_text(text)))


def test_a_cong_van_with_subject_line_and_addressees():
    record = _record(CONG_VAN)
    meta = record.document
    assert (meta.doc_type, meta.number) == ("Công văn", "2315/SLĐTBXH-BTXH")
    assert meta.title == "triển khai Tháng hành động phòng, chống mua bán người năm 2024"
    assert meta.issuer == "Sở Lao động - Thương binh và Xã hội"
    assert meta.parent_issuer == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert (meta.province, meta.issue_place, meta.issue_date, meta.year) == ("Quảng Ninh", "Quảng Ninh", "2024-07-08", 2024)
    assert (meta.signer_name, meta.signer_title, meta.signer_authority) == ("Trần Thị Hoa", "Phó Giám đốc", "KT. Giám đốc")
    assert meta.recipients[0].startswith("Ủy ban nhân dân các huyện") or meta.recipients[0].startswith("- Ủy ban")
    plan = {r.number: r for r in record.references}["145/KH-UBND"]
    assert (plan.relation, plan.date, plan.issuer) == ("basis", "2024-06-20", "Ủy ban nhân dân tỉnh")
    assert [d.due for d in record.deadlines] == ["2024-08-15"]


def test_a_decision_with_basis_lines_and_articles():
    record = _record(QUYET_DINH)
    meta = record.document
    assert (meta.doc_type, meta.number, meta.issuer) == ("Quyết định", "1520/QĐ-UBND", "Ủy ban nhân dân tỉnh An Giang")
    assert meta.title == "Về việc thành lập Đoàn kiểm tra công tác phòng, chống mua bán người năm 2024"
    refs = {r.number or r.title: r for r in record.references}
    assert refs["193/QĐ-TTg"].relation == "basis" and refs["193/QĐ-TTg"].date == "2021-02-09"
    assert refs["Luật Tổ chức chính quyền địa phương"].date == "2015-06-19"
    assert [s.path for s in record.sections if s.style == "article"] == ["Điều 1", "Điều 2"]
    assert (meta.signer_name, meta.signer_title) == ("Lê Văn Phước", "Phó Chủ tịch")


def test_a_party_plan_with_party_numbering_and_signature():
    record = _record(PARTY_PLAN)
    meta = record.document
    assert (meta.doc_type, meta.number) == ("Kế hoạch", "45-KH/TU")
    assert meta.issuer == "Tỉnh ủy"
    assert (meta.province, meta.issue_date, meta.year) == ("Nghệ An", "2023-03-15", 2023)
    assert meta.signer_authority.startswith("T/M") and meta.signer_title == "Phó Bí thư"
    numbers = {r.number: r for r in record.references}
    assert numbers["13-KL/TW"].relation == "basis" and numbers["48-CT/TW"].date == "2010-10-22"
    duties = {(d.agency, d.role) for d in record.duties}
    assert ("Ban Tuyên giáo Tỉnh ủy", "lead") in duties
    assert ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "requested") in duties


def test_text_copied_from_a_portal_with_the_header_table_in_cells():
    pages, encoding = read_text(PORTAL.encode("utf-8"))
    raw = RawDocument("portal.txt", "0" * 64, "txt", pages, encoding)
    record = extract(segment(raw))
    meta = record.document
    assert (meta.doc_type, meta.number, meta.issuer) == ("Báo cáo", "87/BC-SYT", "Sở Y tế")
    assert (meta.parent_issuer, meta.province, meta.issue_date) == ("Ủy ban nhân dân tỉnh Thanh Hóa", "Thanh Hóa", "2024-12-20")
    assert (meta.signer_title, meta.signer_name) == ("Giám đốc", "Đỗ Thái Hòa")
    assert {r.number for r in record.references} == {"4120/UBND-NC"}


REPORT = """BAN CHỈ ĐẠO 138
TỈNH HÀ TĨNH
Số: 19/BC-BCĐ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Tĩnh, ngày 10 tháng 12 năm 2024
BÁO CÁO
Kết quả công tác phòng, chống mua bán người 6 tháng cuối năm 2024
Kính gửi: Ban Chỉ đạo 138/CP (qua Văn phòng Bộ Công an).
Thực hiện Công văn số 1051/BCĐ138-VP ngày 15 tháng 11 năm 2024 của Ban Chỉ đạo 138/CP, Ban Chỉ đạo 138 tỉnh báo cáo kết quả như sau:
I. KẾT QUẢ THỰC HIỆN
1. Công tác tuyên truyền: đã tổ chức 45 buổi tuyên truyền cho hơn 3.000 lượt người.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025
- Tiếp tục tuyên truyền Luật Phòng, chống mua bán người năm 2024 đến Nhân dân.
- Phối hợp với Bộ đội Biên phòng tỉnh kiểm soát chặt chẽ các lối mở trên tuyến biên giới.
Nơi nhận:
- Như trên;
- Lưu: VT, PV01.
TM. BAN CHỈ ĐẠO
PHÓ TRƯỞNG BAN THƯỜNG TRỰC
ĐẶNG HỒNG THÁI
"""


def test_a_report_of_a_provincial_steering_committee_and_its_own_next_tasks():
    record = _record(REPORT)
    meta = record.document
    assert (meta.doc_type, meta.number) == ("Báo cáo", "19/BC-BCĐ")
    assert meta.issuer == "Ban Chỉ đạo 138 tỉnh Hà Tĩnh"
    assert (meta.province, meta.issue_date, meta.year) == ("Hà Tĩnh", "2024-12-10", 2024)
    assert meta.recipients[0].startswith("Ban Chỉ đạo 138/CP")
    assert meta.signer_authority == "TM. Ban Chỉ đạo"
    assert meta.signer_title == "Phó Trưởng ban Thường trực"
    assert meta.signer_name == "Đặng Hồng Thái"
    letter = {r.number: r for r in record.references}["1051/BCĐ138-VP"]
    assert (letter.relation, letter.date, letter.type) == ("basis", "2024-11-15", "Công văn")
    own = [(d.agency, d.role, d.section) for d in record.duties]
    assert own == [("Ban Chỉ đạo 138 tỉnh Hà Tĩnh", "lead", "II"), ("Ban Chỉ đạo 138 tỉnh Hà Tĩnh", "coordinate", "II")]
    assert all(d.section != "I.1" for d in record.duties)
