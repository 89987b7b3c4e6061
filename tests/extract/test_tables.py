"""Task tables ("Nội dung nhiệm vụ | Cơ quan chủ trì | …"): composed in the genre's style, as
a portal copy (tabs), a Word table, a PDF table and an appendix after the signature."""

from __future__ import annotations

import io

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from pipeline.extract import extract
from pipeline.extract.tables import _line_caption, caption_kind, deadline_of
from pipeline.ingest import read_document
from pipeline.ingest.pdf_tables import has_task_caption, page_with_task_tables
from pipeline.ingest.text import read_text
from pipeline.records import Document, Page, RawDocument
from pipeline.segment import segment
from tests.conftest import raw_text

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

HEADER = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
Số: 112/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Trị, ngày 15 tháng 3 năm 2025
KẾ HOẠCH
Thực hiện công tác phòng, chống mua bán người năm 2025
Thực hiện Kế hoạch số 45/KH-BCĐ ngày 10/01/2025 của Ban Chỉ đạo 138 tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của Nhân dân về phòng, chống mua bán người.
"""

SIGNATURE = """Nơi nhận:
- Bộ Công an;
- Lưu: VT, NC.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Hoàng Nam
"""

PORTAL_TABLE = (
    "II. TỔ CHỨC THỰC HIỆN\n"
    "1. Công an tỉnh\n"
    "- Chủ trì, phối hợp với Sở Tư pháp tổ chức các đợt cao điểm tấn công tội phạm.\n"
    "2. Phân công nhiệm vụ cụ thể:\n"
    "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\n"
    "1\tTổ chức tuyên truyền Luật Phòng, chống mua bán người tại các xã biên giới\tSở Tư pháp\tCông an tỉnh, Bộ đội Biên phòng tỉnh\tQuý III/2025\n"
    "2\tRà soát, hỗ trợ nạn nhân bị mua bán trở về\tSở Y tế\tCác sở, ngành liên quan\tTrước 30/6\n"
    "3\tVận động hội viên tham gia phòng ngừa\tĐề nghị Hội Nông dân tỉnh\tỦy ban MTTQ Việt Nam tỉnh\tThường xuyên\n"
    "3. Chế độ báo cáo\n"
    "Các sở, ngành báo cáo kết quả về Công an tỉnh trước ngày 15/12/2025.\n"
)

APPENDIX = """PHỤ LỤC I
(Kèm theo Kế hoạch số 112/KH-UBND ngày 15/3/2025 của UBND tỉnh Quảng Trị)
DANH MỤC NHIỆM VỤ TRỌNG TÂM
STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện | Ghi chú
I | Công tác phòng ngừa
1 | Kiểm tra các cơ sở kinh doanh dịch vụ lưu trú | Công an tỉnh | Sở Văn hóa, Thể thao và Du lịch | Tháng 6/2025 |
2 | Tập huấn kỹ năng nhận diện thủ đoạn mua bán người | Sở Giáo dục và Đào tạo | Công an tỉnh | Từ tháng 3 đến tháng 9/2025 |
"""


def _from_text(text: str):
    pages, encoding = read_text(text.encode("utf-8"))
    return segment(RawDocument("plan.txt", "0" * 64, "txt", pages, encoding))


def _table_duties(doc, roles=("lead", "requested")):
    """The duties of a table's rows: each row's lead body (the co-operating bodies' duties
    are read by ``roles=("coordinate",)``)."""
    return [d for d in extract(doc).duties if " | " in doc.text[d.span[0] : d.span[1]] and d.role in roles]


def test_rows_of_a_tab_separated_portal_table_become_duties_of_the_lead_column():
    doc = _from_text(HEADER + PORTAL_TABLE + SIGNATURE)
    rows = _table_duties(doc)
    assert [(d.agency, d.role, d.section) for d in rows] == [
        ("Sở Tư pháp", "lead", "II.2"),
        ("Sở Y tế", "lead", "II.2"),
        ("Hội Nông dân tỉnh", "requested", "II.2"),
    ]
    assert rows[0].text == "Tổ chức tuyên truyền Luật Phòng, chống mua bán người tại các xã biên giới"
    assert doc.text[rows[0].span[0] : rows[0].span[1]].startswith("1 | Tổ chức tuyên truyền")


def test_table_co_agencies_are_the_coordinate_cells_canonical_bodies_without_plural_lists():
    rows = _table_duties(_from_text(HEADER + PORTAL_TABLE + SIGNATURE))
    assert rows[0].co_agencies == ["Công an tỉnh", "Bộ đội Biên phòng tỉnh"]
    assert rows[1].co_agencies == []
    assert rows[2].co_agencies == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]


def test_table_deadlines_are_normalised_from_the_time_column_with_the_document_year():
    rows = _table_duties(_from_text(HEADER + PORTAL_TABLE + SIGNATURE))
    assert [d.deadline for d in rows] == ["2025-Q3", "2025-06-30", None]


@pytest.mark.parametrize(
    ("cell", "due"),
    [
        ("Quý III/2024", "2024-Q3"),
        ("Tháng 6/2025", "2025-06"),
        ("Thường xuyên", None),
        ("Hằng năm", None),
        ("Trước 30/6", "2025-06-30"),
        ("Trước ngày 31/12/2024", "2024-12-31"),
        ("Từ tháng 3 đến tháng 9/2025", "2025-09"),
    ],
)
def test_time_cells_give_a_deadline_or_none(cell, due):
    assert deadline_of(Document.of_text(cell), (0, len(cell)), 2025) == due


@pytest.mark.parametrize(
    ("caption", "kind"),
    [
        ("STT", "number"),
        ("Nội dung công việc", "task"),
        ("Nhiệm vụ", "task"),
        ("Đơn vị chủ trì", "lead"),
        ("Cơ quan thực hiện", "lead"),
        ("Đơn vị phối hợp", "coordinate"),
        ("Thời gian thực hiện", "deadline"),
        ("Thời gian hoàn thành", "deadline"),
        ("Sản phẩm", "product"),
        ("Ghi chú", "note"),
        ("Tổ chức tuyên truyền pháp luật", None),
    ],
)
def test_caption_vocabulary_names_each_column(caption, kind):
    assert caption_kind(caption) == kind


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("**Cơ   quan,   đơn   vị   chủ   trì**", "lead"),
        ("Nhiệm  vụ,   giải   pháp   :", "task"),
        ("*Thời  gian  hoàn  thành*  .", "deadline"),
        ("Cơ quan chủ trì tổ chức hội nghị sơ kết công tác phòng, chống ma túy", None),
        ("Tổ chức tuyên truyền pháp luật cho người dân", None),
        ("Số thứ tự", "number"),
    ],
)
def test_a_flattened_table_line_is_read_as_caption_kind_reads_it_cleaned(line, kind):
    """A line whose head could not begin a caption is never cleaned whole: the head test
    must give what the whole line gives, for captions longer than the head too."""
    assert _line_caption(line) == caption_kind(line.replace("*", " ")) == kind


CAPTIONS = [
    "TT", "S.TT", "Số thứ tự", "Nội dung nhiệm vụ", "Nhiệm vụ, giải pháp", "Tên hoạt động", "Công việc",
    "Cơ quan chủ trì", "Đơn vị thực hiện", "Bộ phận chủ trì", "Ngành chủ trì", "Chủ trì thực hiện",
    "Trách nhiệm thực hiện", "Phân công thực hiện", "Cơ quan, đơn vị phối hợp", "Phối hợp",
    "Thời gian hoàn thành", "Thời hạn", "Tiến độ thực hiện", "Thời điểm hoàn thành", "Sản phẩm đầu ra",
    "Kết quả dự kiến", "Hình thức văn bản", "Ghi chú", "Kinh phí", "Nguồn kinh phí", "Dự toán",
]


@pytest.mark.parametrize("caption", CAPTIONS)
def test_no_caption_is_passed_over_by_its_first_character(caption):
    """_line_caption passes over a line by the first character it keeps cleaned (after
    spaces and "*"): every caption, in either case, behind spaces and asterisks, is still
    read, as cleaning the line whole reads it."""
    for line in (caption, caption.upper(), caption.lower(), "  ** " + caption, "\t*" + caption + " *", " * *" + caption):
        assert _line_caption(line) == caption_kind(line.replace("*", " ")) is not None


def test_table_rows_keep_their_own_lines_and_are_not_outline_items():
    doc = _from_text(HEADER + PORTAL_TABLE + SIGNATURE)
    rows = [doc.text[l.start : l.end] for l in doc.lines if l.kind == "row"]
    assert len(rows) == 4 and all(r.count(" | ") == 4 for r in rows)
    assert not any(" | " in doc.text[s.span[0] : s.title_span[1]] for s in doc.sections)


def test_a_bullet_before_a_table_stops_where_the_table_begins():
    duties = extract(_from_text(HEADER + PORTAL_TABLE + SIGNATURE)).duties
    police = next(d for d in duties if d.agency == "Công an tỉnh" and d.section == "II.1")
    assert police.text == "Chủ trì, phối hợp với Sở Tư pháp tổ chức các đợt cao điểm tấn công tội phạm."
    assert police.co_agencies == ["Sở Tư pháp"]


def test_an_appendix_after_the_signature_is_body_text_and_its_rows_are_duties():
    doc = _from_text(HEADER + PORTAL_TABLE + SIGNATURE + APPENDIX)
    assert len(doc.appendices) == 1
    assert doc.text[doc.appendices[0][0] :].startswith("PHỤ LỤC I")
    assert doc.snippet(doc.signature).endswith("Hoàng Nam")
    record = extract(doc)
    assert record.document.signer_name == "Hoàng Nam"
    appendix = [d for d in record.duties if d.span[0] >= doc.appendices[0][0]]
    assert [(d.agency, d.role, d.section, d.deadline) for d in appendix] == [
        ("Công an tỉnh", "lead", "PL1", "2025-06"),
        ("Sở Văn hóa, Thể thao và Du lịch", "coordinate", "PL1", "2025-06"),
        ("Sở Giáo dục và Đào tạo", "lead", "PL1", "2025-09"),
        ("Công an tỉnh", "coordinate", "PL1", "2025-09"),
    ]


def test_a_sentence_that_mentions_an_appendix_does_not_open_one():
    body = HEADER + "II. TỔ CHỨC THỰC HIỆN\nPhụ lục kèm theo Kế hoạch này gồm danh mục nhiệm vụ của các sở, ngành năm 2025.\n"
    assert _from_text(body + SIGNATURE).appendices == []


def _docx_plan() -> bytes:
    document = docx.Document()
    for text in HEADER.splitlines() + ["II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN"]:
        document.add_paragraph(text)
    cells = [
        ["TT", "Nội dung công việc", "Cơ quan thực hiện", "", "Thời gian thực hiện"],
        ["", "", "Chủ trì", "Phối hợp", ""],
        ["1", "Giám sát chặt chẽ các ổ dịch sốt xuất huyết", "Sở Y tế", "Ủy ban nhân dân các huyện, thành phố", "Tháng 6/2025"],
        ["2", "Tổ chức chiến dịch diệt lăng quăng", "", "Hội Liên hiệp Phụ nữ tỉnh", "Quý II/2025"],
        ["3", "Kiểm tra việc thực hiện tại các xã biên giới", "Bộ đội Biên phòng tỉnh", "", "Trước ngày 15/12/2025"],
    ]
    table = document.add_table(rows=len(cells), cols=5)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Cơ quan thực hiện"
    for column, caption in ((0, "TT"), (1, "Nội dung công việc"), (4, "Thời gian thực hiện")):
        table.cell(0, column).merge(table.cell(1, column)).text = caption
    table.cell(2, 2).merge(table.cell(3, 2)).text = "Sở Y tế"
    for text in SIGNATURE.splitlines():
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_task_table_with_a_two_row_caption_and_a_merged_lead_cell(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_plan())
    doc = segment(read_document(path))
    rows = _table_duties(doc)
    assert [(d.agency, d.co_agencies, d.deadline, d.section) for d in rows] == [
        ("Sở Y tế", ["Ủy ban nhân dân các huyện, thành phố"], "2025-06", "II"),
        ("Sở Y tế", ["Hội Liên hiệp Phụ nữ tỉnh"], "2025-Q2", "II"),
        ("Bộ đội Biên phòng tỉnh", [], "2025-12-15", "II"),
    ]


def _pdf_with_table() -> bytes:
    pdfmetrics.registerFont(TTFont("DejaVuSerif", DEJAVU))
    style = ParagraphStyle("body", fontName="DejaVuSerif", fontSize=10, leading=13)
    cells = [
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        ["1", "Tổ chức tuyên truyền Luật Phòng, chống mua bán người năm 2024 trên địa bàn các xã biên giới", "Sở Tư pháp", "Công an tỉnh, Bộ đội Biên phòng tỉnh", "Quý III/2025"],
        ["2", "Rà soát, hỗ trợ nạn nhân bị mua bán trở về", "Sở Y tế", "Hội Liên hiệp Phụ nữ tỉnh", "Trước 30/6"],
    ]
    table = Table([[Paragraph(c, style) for c in row] for row in cells], colWidths=[30, 165, 90, 110, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    story = [Paragraph("III. TỔ CHỨC THỰC HIỆN", style), Paragraph("1. Phân công nhiệm vụ cụ thể như sau:", style), table]
    story.append(Paragraph("2. Chế độ báo cáo: Các sở, ngành báo cáo kết quả về Công an tỉnh trước ngày 15/12/2025.", style))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def test_a_pdf_task_table_is_read_cell_by_cell_into_row_lines(tmp_path):
    data = _pdf_with_table()
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    text = page_with_task_tables(data, 0, read_document(path).pages[0].text)
    lines = text.split("\n")
    assert lines[0] == "III. TỔ CHỨC THỰC HIỆN"
    assert lines[2] == "TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành"
    assert lines[3].startswith("1 | Tổ chức tuyên truyền Luật Phòng, chống mua bán người năm 2024 trên địa bàn")
    assert lines[-2].startswith("2. Chế độ báo cáo")
    raw = RawDocument("plan.pdf", "0" * 64, "pdf", [Page.from_text(1, HEADER + text + "\n" + SIGNATURE, "text-layer")])
    rows = _table_duties(segment(raw))
    assert [(d.agency, d.deadline, d.section) for d in rows] == [("Sở Tư pháp", "2025-Q3", "III.1"), ("Sở Y tế", "2025-06-30", "III.1")]


def test_reading_a_pdf_with_a_task_table_yields_its_rows_as_duties(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(_pdf_with_table())
    rows = _table_duties(segment(read_document(path)))
    assert [(d.agency, d.co_agencies) for d in rows] == [
        ("Sở Tư pháp", ["Công an tỉnh", "Bộ đội Biên phòng tỉnh"]),
        ("Sở Y tế", ["Hội Liên hiệp Phụ nữ tỉnh"]),
    ]
    assert rows[0].deadline == "2025-Q3"


def test_a_pdf_page_without_a_task_caption_is_left_to_pdfium():
    assert not has_task_caption("1. Công an tỉnh chủ trì tuyên truyền tại các xã biên giới.")
    assert page_with_task_tables(b"", 0, "II. MỤC TIÊU\nNâng cao nhận thức của Nhân dân.") is None


def test_a_group_row_spanning_the_table_is_not_a_duty():
    doc = segment(raw_text(HEADER + "II. TỔ CHỨC THỰC HIỆN\n" + SIGNATURE + APPENDIX))
    texts = [d.text for d in extract(doc).duties]
    assert "Công tác phòng ngừa" not in texts


def test_each_body_a_coordinate_cell_names_owes_a_coordinate_duty_of_the_row():
    rows = _table_duties(_from_text(HEADER + PORTAL_TABLE + SIGNATURE), roles=("coordinate",))
    assert [(d.agency, d.text[:20], d.deadline) for d in rows] == [
        ("Công an tỉnh", "Tổ chức tuyên truyền", "2025-Q3"),
        ("Bộ đội Biên phòng tỉnh", "Tổ chức tuyên truyền", "2025-Q3"),
        ("Các sở, ngành liên quan", "Rà soát, hỗ trợ nạn ", "2025-06-30"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Vận động hội viên th", None),
    ]


# --------------------------------------------------------------------------- a table whose grid was lost

FLATTENED = """PHỤ LỤC
DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ
(Kèm theo Kế hoạch số 112/KH-UBND ngày 15/3/2025 của UBND tỉnh Quảng Trị)
STT
Tên nhiệm vụ
Cơ quan chủ trì
Cơ quan phối hợp
Thời gian hoàn thành
I. NÂNG CAO NHẬN THỨC
Tổ chức hội nghị phổ biến
kiến thức chuyển đổi số cho doanh nghiệp nhỏ và vừa.
Sở Khoa học và Công nghệ
Sở Công Thương, Hiệp hội Doanh nghiệp tỉnh
Quý II/2025
Biểu dương doanh nghiệp tiêu biểu
trong chuyển đổi số.
Sở Nội vụ
Các sở, ban, ngành tỉnh; UBND các huyện, thành phố
Thường xuyên
II. HỖ TRỢ DOANH NGHIỆP
Xây dựng bộ tiêu chí đánh giá mức độ chuyển đổi số.
Sở Khoa học và Công nghệ
Sở Tài chính
Tháng 9/2025
"""


def test_a_table_copied_one_cell_per_line_is_read_row_by_row():
    doc = _from_text(HEADER + "II. TỔ CHỨC THỰC HIỆN\n1. Công an tỉnh\n- Chủ trì tuyên truyền.\n" + SIGNATURE + FLATTENED)
    rows = [(d.agency, d.role, d.text[:18], d.deadline) for d in extract(doc).duties if d.span[0] >= doc.appendices[0][0]]
    assert rows == [
        ("Sở Khoa học và Công nghệ", "lead", "Tổ chức hội nghị p", "2025-Q2"),
        ("Sở Công Thương", "coordinate", "Tổ chức hội nghị p", "2025-Q2"),
        ("Hiệp hội Doanh nghiệp tỉnh", "coordinate", "Tổ chức hội nghị p", "2025-Q2"),
        ("Sở Nội vụ", "lead", "Biểu dương doanh n", None),
        ("Các sở, ban, ngành tỉnh", "coordinate", "Biểu dương doanh n", None),
        ("Ủy ban nhân dân các huyện, thành phố", "coordinate", "Biểu dương doanh n", None),
        ("Sở Khoa học và Công nghệ", "lead", "Xây dựng bộ tiêu c", "2025-09"),
        ("Sở Tài chính", "coordinate", "Xây dựng bộ tiêu c", "2025-09"),
    ]


def test_a_wrapped_task_is_one_task_and_group_captions_are_no_rows():
    doc = _from_text(HEADER + "II. TỔ CHỨC THỰC HIỆN\n" + SIGNATURE + FLATTENED)
    texts = {d.text for d in extract(doc).duties}
    assert "Tổ chức hội nghị phổ biến kiến thức chuyển đổi số cho doanh nghiệp nhỏ và vừa." in texts
    assert not any("NÂNG CAO" in text for text in texts)


# --------------------------------------------------------------------------- the role columns written as text

FIELDS = """II. NHIỆM VỤ CỤ THỂ
1. Tổ chức tập huấn nghiệp vụ cho cán bộ làm công tác việc làm
- Cơ quan chủ trì: Sở Nội vụ.
- Cơ quan phối hợp: Bảo hiểm xã hội tỉnh, Ủy ban nhân dân các huyện.
- Thời gian thực hiện: Quý III/2025.
2. Rà soát chính sách hỗ trợ người lao động mất việc làm
- Cơ quan thực hiện: Sở Tài chính chủ trì, phối hợp với Sở Nội vụ và Ngân hàng Chính sách xã hội tỉnh.
- Thời gian thực hiện: Thường xuyên.
3. Nâng cao chất lượng dịch vụ việc làm
3.1. Hiện đại hóa hệ thống thông tin thị trường lao động.
3.2. Kết nối cung - cầu lao động qua sàn giao dịch việc làm.
- Cơ quan thực hiện: Các sở, ban, ngành; Ủy ban nhân dân các huyện, thành phố.
"""


def test_role_fields_written_under_each_task_give_its_duties():
    doc = _from_text(HEADER + FIELDS + SIGNATURE)
    rows = [(d.section, d.agency, d.role, d.text[:22], d.deadline) for d in extract(doc).duties]
    assert rows == [
        ("II.1", "Sở Nội vụ", "lead", "Tổ chức tập huấn nghiệ", "2025-Q3"),
        ("II.1", "Bảo hiểm xã hội tỉnh, Ủy ban nhân dân các huyện", "coordinate", "Tổ chức tập huấn nghiệ", "2025-Q3"),
        ("II.2", "Sở Tài chính", "lead", "Rà soát chính sách hỗ ", None),
        ("II.3.1", "Các sở, ban, ngành; Ủy ban nhân dân các huyện, thành phố", "lead", "Hiện đại hóa hệ thống ", None),
        ("II.3.2", "Các sở, ban, ngành; Ủy ban nhân dân các huyện, thành phố", "lead", "Kết nối cung - cầu lao", None),
    ]


def test_a_field_that_names_the_lead_body_and_its_partners_gives_them_as_co_agencies():
    doc = _from_text(HEADER + FIELDS + SIGNATURE)
    duty = next(d for d in extract(doc).duties if d.agency == "Sở Tài chính")
    assert duty.co_agencies == ["Sở Nội vụ", "Ngân hàng Chính sách xã hội tỉnh"]


LISTS = """II. NHIỆM VỤ, GIẢI PHÁP
1. Công tác tuyên truyền
1.1. Nội dung, biện pháp
a) Tuyên truyền Luật Phòng, chống ma túy trên các phương tiện thông tin đại chúng;
b) Tổ chức các hoạt động hưởng ứng Tháng hành động phòng, chống ma túy.
1.2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ trì
- Công an tỉnh.
- Sở Văn hóa, Thể thao và Du lịch; Báo Quảng Trị.
b) Cơ quan phối hợp
Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội.
1.3. Thời gian thực hiện: Tháng 6/2025.
"""


def test_lists_under_role_captions_give_one_duty_per_line_for_the_first_task():
    doc = _from_text(HEADER + LISTS + SIGNATURE)
    rows = [(d.section, d.agency, d.role, d.text[:20], d.deadline) for d in extract(doc).duties]
    task = "Tuyên truyền Luật Ph"
    assert rows == [
        ("II.1.2.a", "Công an tỉnh", "lead", task, "2025-06"),
        ("II.1.2.a", "Sở Văn hóa, Thể thao và Du lịch; Báo Quảng Trị", "lead", task, "2025-06"),
        ("II.1.2.b", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội", "coordinate", task, "2025-06"),
    ]


def test_field_labels_are_those_found_matching_every_line(seeds, monkeypatch):
    """_labels matches a line only where the two characters after its opening may begin a
    label: on the samples and the composed fields and lists (with openings of every kind and
    length), the labels found matching every line."""
    from pipeline.extract import tables

    openings = ["", "- ", "+ ", "• ", "*", "** ", "\u00a0- ", " \t-\u3000**\u00a0", "-" + " " * 20, "   * * "]
    fields = "".join(f"{opening}Cơ quan chủ trì: Sở Nội vụ.\n{opening}Thời gian thực hiện: Năm 2025.\n" for opening in openings)
    docs = [*seeds.values(), *(_from_text(HEADER + body + SIGNATURE) for body in (FIELDS, LISTS, "II. NHIỆM VỤ\n1. Tập huấn\n" + fields))]
    found = [tables._labels(doc) for doc in docs]
    monkeypatch.setattr(tables, "may_begin", lambda pattern, start: True)
    assert found == [tables._labels(doc) for doc in docs]
    assert sum(map(len, found)) > 20
