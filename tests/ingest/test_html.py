"""Web pages from portals: the document's own text, without the site around it."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from pipeline.ingest import read_document, sniff
from pipeline.ingest.legacy import ENCODERS
from pipeline.process import process_file
from pipeline.records import Layout
from pipeline.text import normalise_unicode

ROOT = Path(__file__).resolve().parents[2]
SOURCE = next((ROOT / "corpus" / "txt").glob("004_*.txt"))

SITE_TOP = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}"><title>Kế hoạch số 12/KH-SVHTTDL - Cổng thông tin điện tử tỉnh</title>
<style>.menu li {{ display: inline; }}</style>
<script>var counter = "Đang truy cập: 1234"; window.dataLayer = [];</script></head>
<body>
<div class="top-banner"><img src="banner.jpg" alt="Cổng thông tin điện tử tỉnh Hải Dương"><span>Thứ Hai, 06/03/2023</span></div>
<ul class="menu main-menu"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li><li><a href="/lien-he">Liên hệ</a></li></ul>
<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/van-ban">Văn bản</a></div>
<div class="wrapper"><div class="col-left sidebar"><h3>Dịch vụ công trực tuyến</h3><ul><li><a href="/dvc">Thủ tục hành chính</a></li></ul>
<p>Hôm nay có rất nhiều tin mới về du lịch và lễ hội của tỉnh.</p></div>
<div id="content" class="col-main">
<h1 class="page-title">Kế hoạch thực hiện công tác phòng, chống mua bán người năm 2023</h1>
<div class="news-detail">
"""
SITE_BOTTOM = """</div>
<div class="tin-lien-quan"><h4>Văn bản khác</h4><ul><li><a href="/vb/1">Kế hoạch tuyên truyền pháp luật năm 2023</a></li>
<li><a href="/vb/2">Báo cáo kết quả công tác năm 2022</a></li></ul></div>
<div class="share-buttons"><a href="#">Chia sẻ Facebook</a> <a href="#">In bài viết</a></div>
</div></div>
<footer><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Hải Dương. Địa chỉ: số 45 đường Quang Trung, thành phố Hải Dương.</p>
<p>Điện thoại: 0220 3 123 456 - Bản quyền thuộc Sở Văn hóa, Thể thao và Du lịch.</p></footer>
<script>document.write("Lượt truy cập");</script>
</body></html>
"""
FURNITURE = ["Trang chủ", "Giới thiệu", "Liên hệ", "Dịch vụ công", "Văn bản khác", "Chia sẻ", "Điện thoại",
             "Cơ quan chủ quản", "Đang truy cập", "Lượt truy cập", "Thứ Hai", "rất nhiều tin mới"]


def split_sample() -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Sample 004's header blocks, body lines, recipients and signature, as printed."""
    lines = [" ".join(line.split()) for line in normalise_unicode(SOURCE.read_text(encoding="utf-8")).split("\n")]
    lines = [line for line in lines if line]
    left, right = lines[:3], lines[3:6]
    closing = lines.index("Nơi nhận:")
    signer = lines.index("KT.GIÁM ĐỐC")
    return left, right, lines[6:closing], lines[closing:signer], lines[signer:]


def cells(lines: list[str]) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def portal_page(charset: str = "utf-8") -> str:
    """A provincial portal page around sample 004: header table, paragraphs, signature table."""
    left, right, body, recipients, signature = split_sample()
    header = (
        '<table class="doc-header" width="100%"><tr>'
        f'<td width="40%"><b>{html.escape(left[0])}</b><br><b>{html.escape(left[1])}</b></td>'
        f"<td><b>{html.escape(right[0])}</b><br><u>{html.escape(right[1])}</u></td></tr>"
        f"<tr><td>{html.escape(left[2])}</td><td><i>{html.escape(right[2])}</i></td></tr></table>"
    )
    closing = (
        '<table class="doc-sign"><tr>'
        f"<td>{cells(recipients)}</td>"
        f'<td align="center">{cells(signature[:2])}<p><em>(Đã ký)</em></p>{cells(signature[2:])}</td></tr></table>'
    )
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body)
    return SITE_TOP.format(charset=charset) + header + paragraphs + closing + SITE_BOTTOM


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "ke-hoach-12.html"
    path.write_text(portal_page(), encoding="utf-8")
    return path


def test_a_portal_page_is_sniffed_as_html(page):
    assert sniff(page.read_bytes()) == "html"


def test_a_portal_page_reads_as_the_document_without_the_site(page):
    document = read_document(page)
    assert document.format == "html"
    text = document.pages[0].text
    for furniture in FURNITURE:
        assert furniture not in text
    lines = text.split("\n")
    left, right, _, recipients, signature = split_sample()
    assert lines[:6] == left + right
    assert lines[-len(signature) - 1 :] == signature[:2] + ["(Đã ký)"] + signature[2:]
    assert lines[len(lines) - len(signature) - 1 - len(recipients) : len(lines) - len(signature) - 1] == recipients


def test_a_portal_page_gives_the_record_of_the_text_file(page):
    from_text = process_file(SOURCE)
    from_html = process_file(page)
    assert from_html.status == "ok"
    fields = ("doc_type", "symbol", "title", "issuer", "parent_issuer", "province", "issue_place", "issue_date",
              "signer_name", "signer_title", "signer_authority", "recipients")
    assert {f: getattr(from_html.document, f) for f in fields} == {f: getattr(from_text.document, f) for f in fields}
    assert [(r.type, r.number, r.date) for r in from_html.references] == [(r.type, r.number, r.date) for r in from_text.references]
    assert [(d.agency, d.role) for d in from_html.duties] == [(d.agency, d.role) for d in from_text.duties]


def test_a_page_set_in_a_tcvn3_font_is_converted(tmp_path):
    """Old sites drew TCVN3 text with a .VnTime font face; the page declares Latin-1.
    Each <p> of the test page is one printed line, so a line that starts with a toned
    small letter is taken for a paragraph start and capitalised: case is not compared."""
    page = portal_page("iso-8859-1")
    start, end = page.index('<table class="doc-header"'), page.index('<div class="tin-lien-quan">')
    legacy = page[:start] + ENCODERS["tcvn3"](page[start:end]) + page[end:]
    path = tmp_path / "page.html"
    path.write_bytes(legacy.encode("cp1252", errors="replace"))
    document = read_document(path)
    assert document.encoding == "tcvn3"
    text = document.pages[0].text
    assert text.split("\n")[:6] == read_document(_utf8_page(tmp_path)).pages[0].text.split("\n")[:6]
    assert text.lower() == read_document(_utf8_page(tmp_path)).pages[0].text.lower()


def _utf8_page(tmp_path) -> Path:
    path = tmp_path / "unicode.html"
    path.write_text(portal_page(), encoding="utf-8")
    return path


def test_a_page_with_only_site_furniture_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text('<html><body><nav><a href="/">Trang chủ</a></nav><script>x()</script></body></html>', encoding="utf-8")
    record = process_file(path)
    assert record.status == "error"
    assert "no document text" in record.error


# --------------------------------------------------------------------------- layout of the lines

COMPOSED = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div class="content">
<table><tr>
<td align="center"><b>UBND TỈNH CAO BẰNG</b><br><strong>SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH</strong></td>
<td style="text-align: center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc</td></tr>
<tr><td align="center">Số: 15/KH-SVHTTDL</td><td align="right"><i>Cao Bằng, ngày 05 tháng 7 năm 2025</i></td></tr></table>
<p align="center"><b><span style="font-size:14pt">KẾ HOẠCH</span></b></p>
<h2>Phòng, chống mua bán người năm 2025</h2>
<p style="text-align:justify;font-size:18.67px">Thực hiện Kế hoạch số 1908/KH-UBND của <b>Ủy ban nhân dân tỉnh</b> về công tác phòng, chống mua bán người.</p>
<p><em>Căn cứ tình hình thực tế</em> của <i>địa phương</i></p>
<table border="1"><tr><th>STT</th><th>Nhiệm vụ</th><th>Chủ trì</th></tr>
<tr><td>1</td><td>Tuyên truyền</td><td>Sở TTTT</td></tr>
<tr><td></td><td></td><td>Quý III</td></tr></table>
<table><tr><td><b><i>Nơi nhận:</i></b><br>- Như trên;</td><td align="center"><b>GIÁM ĐỐC</b><br><b>Nguyễn Quốc Trung</b></td></tr></table>
</div></body></html>"""


@pytest.fixture
def composed_lines(tmp_path) -> dict[str, Layout]:
    path = tmp_path / "plan.html"
    path.write_text(COMPOSED, encoding="utf-8")
    return {line.text: line.layout for line in read_document(path).pages[0].lines}


def test_html_header_table_lines_are_in_their_cell_and_column(composed_lines):
    assert composed_lines["SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"] == Layout(bold=True, italic=False, align="center", cell=(0, 0), table=0, column="left")
    assert composed_lines["Số: 15/KH-SVHTTDL"].cell == (1, 0)
    motto = composed_lines["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert (motto.bold, motto.align, motto.column, motto.cell) == (True, "center", "right", (0, 1))
    assert composed_lines["Độc lập - Tự do - Hạnh phúc"].bold is False
    place_date = composed_lines["Cao Bằng, ngày 05 tháng 7 năm 2025"]
    assert (place_date.italic, place_date.align, place_date.column, place_date.cell) == (True, "right", "right", (1, 1))


def test_html_markup_says_bold_italic_centre_and_size(composed_lines):
    assert composed_lines["KẾ HOẠCH"] == Layout(bold=True, italic=False, align="center", size=14.0)
    assert composed_lines["Phòng, chống mua bán người năm 2025"].bold is True  # a heading
    body = composed_lines["Thực hiện Kế hoạch số 1908/KH-UBND của Ủy ban nhân dân tỉnh về công tác phòng, chống mua bán người."]
    assert body == Layout(bold=False, italic=False, align="justify", size=14.0)  # 18.67 px; the bold words are few
    assert composed_lines["Căn cứ tình hình thực tế của địa phương"].italic is True


def test_html_task_table_rows_are_lines_in_their_table_and_row(composed_lines):
    assert (composed_lines["STT | Nhiệm vụ | Chủ trì"].table, composed_lines["STT | Nhiệm vụ | Chủ trì"].cell) == (1, (0, 0))
    assert composed_lines["STT | Nhiệm vụ | Chủ trì"].bold is True  # header cells
    assert composed_lines["1 | Tuyên truyền | Sở TTTT"] == Layout(bold=False, italic=False, cell=(1, 0), table=1)
    assert composed_lines["Quý III"].cell == (2, 2)


def test_html_closing_table_lines_are_in_their_cells_and_sides(composed_lines):
    assert composed_lines["Nơi nhận:"] == Layout(bold=True, italic=True, cell=(0, 0), table=2, column="left")
    assert composed_lines["- Như trên;"].bold is False
    assert composed_lines["GIÁM ĐỐC"] == Layout(bold=True, italic=False, align="center", cell=(0, 1), table=2, column="right")


def test_a_portal_page_says_the_layout_of_its_header_and_closing(page):
    lines = read_document(page).pages[0].lines
    left, right, _, _, signature = split_sample()
    layouts = {line.text: line.layout for line in lines}
    assert [layouts[text].column for text in left + right] == ["left"] * 3 + ["right"] * 3
    assert layouts[left[0]].bold and layouts[right[0]].bold and layouts[right[2]].italic
    assert all(layouts[text].align == "center" and layouts[text].cell == (0, 1) for text in signature)
