"""DOCX ingest: body order, the form's tables cell-wise, other tables row-wise."""

from __future__ import annotations

import itertools
import random
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.table import Table
from lxml import etree

from pipeline.ingest import read_document
from pipeline.ingest.docx import PARSER, table_rows
from pipeline.ingest.docx_styles import _run_facts
from pipeline.records import IngestError, Layout
from pipeline.text import normalise_lines, normalise_unicode


def test_docx_header_table_is_read_left_cell_then_right_cell(corpus_file, header_stem):
    document = read_document(corpus_file("docx", header_stem))
    assert document.format == "docx"
    assert [(p.number, p.method) for p in document.pages] == [(1, "plain")]
    assert document.pages[0].text.split("\n")[:7] == [
        "UBND TỈNH HẢI DƯƠNG",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Số:.........../KH-SVHTTDL",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hải Dương, ngày ..... tháng 3 năm 2023",
        "KẾ HOẠCH",
    ]


def test_docx_signature_table_is_read_recipients_then_signature(corpus_file, header_stem):
    lines = read_document(corpus_file("docx", header_stem)).pages[0].text.split("\n")
    start = lines.index("Nơi nhận:")
    assert lines[start + 1] == "- Ban Chỉ đạo 138 (Công an tỉnh);"
    assert [line for line in lines[start:] if line][-4:] == [
        "- Lưu: VT, QLVHGĐ.",
        "KT.GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Trường Thắng",
    ]


def test_docx_text_holds_every_word_of_its_seed(seed_stem, corpus_file, seed_text):
    seed = Counter(normalise_unicode(seed_text(seed_stem)).split())
    words = Counter(read_document(corpus_file("docx", seed_stem)).pages[0].text.split())
    assert seed == words


def test_docx_tables_stay_where_they_are_and_task_tables_go_row_by_row(tmp_path):
    built = docx.Document()
    built.add_paragraph("Trước bảng")
    table = built.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("STT", "Nhiệm vụ", "Chủ trì"), ("1", "Tuyên truyền", "Sở TTTT")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    built.add_paragraph("Sau bảng")
    path = tmp_path / "tasks.docx"
    built.save(path)
    assert read_document(path).pages[0].text.split("\n") == [
        "Trước bảng",
        "STT | Nhiệm vụ | Chủ trì",
        "1 | Tuyên truyền | Sở TTTT",
        "Sau bảng",
    ]


def test_docx_named_pdf_is_read_as_docx(tmp_path, corpus_file, header_stem):
    disguised = tmp_path / "plan.pdf"
    disguised.write_bytes(corpus_file("docx", header_stem).read_bytes())
    assert read_document(disguised).format == "docx"


@pytest.mark.parametrize("broken_part", ["word/document.xml", "[Content_Types].xml"])
def test_docx_with_a_broken_part_raises_ingest_error(tmp_path, corpus_file, header_stem, broken_part):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(corpus_file("docx", header_stem)) as source, zipfile.ZipFile(path, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, "<w:document this is not xml" if name == broken_part else source.read(name))
    with pytest.raises(IngestError, match="unreadable Word document"):
        read_document(path)


def test_zip_that_is_not_a_word_document_raises_ingest_error(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(IngestError, match="not a Word document"):
        read_document(path)


def test_truncated_docx_raises_ingest_error(tmp_path, corpus_file, header_stem):
    data = corpus_file("docx", header_stem).read_bytes()
    path = tmp_path / "half.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="unreadable Word document"):
        read_document(path)


def _repackaged(source: Path, target: Path, rename: dict[str, str] = {}, edit: dict[str, tuple[bytes, bytes]] = {}) -> Path:
    """A copy of a Word file with parts renamed and bytes replaced in parts (old, new)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            if name in edit:
                old, new = edit[name]
                assert old in data
                data = data.replace(old, new)
            copy.writestr(rename.get(name, name), data)
    return target


def test_docx_styles_are_found_by_the_package_relationships_not_by_name(tmp_path, composed_docx):
    moved = _repackaged(
        composed_docx,
        tmp_path / "moved.docx",
        rename={"word/styles.xml": "word/kieu.xml"},
        edit={
            "word/_rels/document.xml.rels": (b'Target="styles.xml"', b'Target="kieu.xml"'),
            "[Content_Types].xml": (b'PartName="/word/styles.xml"', b'PartName="/word/kieu.xml"'),
        },
    )
    kept, read = read_document(composed_docx).pages[0].lines, read_document(moved).pages[0].lines
    assert read == kept
    assert next(line for line in read if line.text == "KẾ HOẠCH").layout.bold is True  # from its style


def test_docx_without_styles_reads_its_text_with_the_runs_own_looks(tmp_path, composed_docx):
    bare = _repackaged(composed_docx, tmp_path / "bare.docx", edit={"word/_rels/document.xml.rels": (b"relationships/styles", b"relationships/none")})
    lines = {line.text: line.layout for line in read_document(bare).pages[0].lines}
    assert (lines["KẾ HOẠCH"].bold, lines["KẾ HOẠCH"].align) == (False, "left")  # its paragraph style is gone
    assert lines["1. Sở Văn hóa, Thể thao và Du lịch chủ trì"].bold is True  # its run says so


def test_docx_package_without_a_main_document_raises_ingest_error(tmp_path, composed_docx):
    headless = _repackaged(composed_docx, tmp_path / "headless.docx", edit={"_rels/.rels": (b"relationships/officeDocument", b"relationships/other")})
    with pytest.raises(IngestError, match="unreadable Word document.*no main document"):
        read_document(headless)


def test_docx_whose_main_part_is_not_word_s_raises_ingest_error(tmp_path, composed_docx):
    macro = b"application/vnd.ms-word.document.macroEnabled.main+xml"
    docm = _repackaged(composed_docx, tmp_path / "macro.docx", edit={"[Content_Types].xml": (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", macro)})
    with pytest.raises(IngestError, match="unreadable Word document.*not a Word file, content type is 'application/vnd.ms-word"):
        read_document(docm)


# --------------------------------------------------------------------------- layout of the lines


def _cell_lines(cell, lines: list[tuple[str, dict]]) -> None:
    """Fill a table cell with paragraphs: (text, {"align": ..., "bold": ..., "italic": ..., "size": ...})."""
    first = True
    for text, look in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = paragraph.add_run(text)
        run.bold, run.italic = look.get("bold"), look.get("italic")
        if "size" in look:
            run.font.size = Pt(look["size"])
        paragraph.alignment = look.get("align", WD_ALIGN_PARAGRAPH.CENTER)


@pytest.fixture(scope="module")
def composed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan in the form's style, much of its look given by styles: Normal is justified
    14 pt; the document type has a paragraph style (bold, centred) and no formatting of
    its own; an emphasis is a character style."""
    built = docx.Document()
    normal = built.styles["Normal"]
    normal.font.size = Pt(14)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc_type = built.styles.add_style("Ten loai", WD_STYLE_TYPE.PARAGRAPH)
    doc_type.base_style = normal
    doc_type.font.bold = True
    doc_type.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    emphasis = built.styles.add_style("Nhan manh", WD_STYLE_TYPE.CHARACTER)
    emphasis.font.italic = True

    header = built.add_table(rows=1, cols=2)
    _cell_lines(header.cell(0, 0), [("UBND TỈNH CAO BẰNG", {"size": 13}), ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", {"bold": True, "size": 13})])
    _cell_lines(header.cell(0, 1), [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 13}),
        ("Độc lập - Tự do - Hạnh phúc", {"bold": True}),
        ("Cao Bằng, ngày 05 tháng 7 năm 2025", {"italic": True, "align": WD_ALIGN_PARAGRAPH.RIGHT}),
    ])
    built.add_paragraph("KẾ HOẠCH", style="Ten loai")
    title = built.add_paragraph()
    title.add_run("Phòng, chống mua bán người năm 2025").bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    built.add_paragraph("Thực hiện Kế hoạch số 1908/KH-UBND ngày 25/6/2025 của Ủy ban nhân dân tỉnh.")
    mostly_bold = built.add_paragraph()
    mostly_bold.add_run("1. Sở Văn hóa, Thể thao và Du lịch").bold = True
    mostly_bold.add_run(" chủ trì")
    barely_bold = built.add_paragraph()
    barely_bold.add_run("Công an tỉnh").bold = True
    barely_bold.add_run(" phối hợp tuyên truyền về phòng, chống mua bán người trên địa bàn tỉnh.")
    built.add_paragraph().add_run("Ghi chú: báo cáo trước ngày 15 hằng tháng", style="Nhan manh")
    broken = built.add_paragraph()
    broken.add_run("Dòng thứ nhất").add_break()
    broken.add_run("dòng thứ hai")
    tasks = built.add_table(rows=3, cols=3)
    for index, (row, values) in enumerate(zip(tasks.rows, [("STT", "Nhiệm vụ", "Chủ trì"), ("1", "Tuyên truyền", "Sở TTTT"), ("", "", "Quý III")])):
        for cell, value in zip(row.cells, values):
            cell.paragraphs[0].add_run(value).bold = index == 0
    closing = built.add_table(rows=1, cols=2)
    _cell_lines(closing.cell(0, 0), [("Nơi nhận:", {"bold": True, "italic": True, "align": WD_ALIGN_PARAGRAPH.LEFT}), ("- Như trên;", {"align": WD_ALIGN_PARAGRAPH.LEFT})])
    _cell_lines(closing.cell(0, 1), [("GIÁM ĐỐC", {"bold": True}), ("Nguyễn Quốc Trung", {"bold": True})])
    built.add_paragraph("Hết.")
    path = tmp_path_factory.mktemp("composed") / "plan.docx"
    built.save(path)
    return path


@pytest.fixture(scope="module")
def docx_lines(composed_docx: Path) -> dict[str, Layout]:
    return {line.text: line.layout for line in read_document(composed_docx).pages[0].lines}


def test_docx_header_table_lines_are_in_their_cell_and_column(docx_lines):
    agency = docx_lines["SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]
    assert agency == Layout(bold=True, italic=False, align="center", size=13.0, cell=(0, 0), table=0, column="left")
    assert docx_lines["UBND TỈNH CAO BẰNG"].bold is False
    motto = docx_lines["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert (motto.column, motto.cell, motto.bold, motto.align) == ("right", (0, 1), True, "center")
    place_date = docx_lines["Cao Bằng, ngày 05 tháng 7 năm 2025"]
    assert (place_date.column, place_date.italic, place_date.align, place_date.size) == ("right", True, "right", 14.0)


def test_docx_layout_comes_from_styles_where_the_paragraph_says_nothing(docx_lines):
    assert docx_lines["KẾ HOẠCH"] == Layout(bold=True, italic=False, align="center", size=14.0)
    assert docx_lines["Phòng, chống mua bán người năm 2025"].align == "center"
    body = docx_lines["Thực hiện Kế hoạch số 1908/KH-UBND ngày 25/6/2025 của Ủy ban nhân dân tỉnh."]
    assert body == Layout(bold=False, italic=False, align="justify", size=14.0)
    assert docx_lines["Ghi chú: báo cáo trước ngày 15 hằng tháng"].italic is True  # a character style


def test_docx_paragraph_is_bold_when_most_of_its_text_is(docx_lines):
    assert docx_lines["1. Sở Văn hóa, Thể thao và Du lịch chủ trì"].bold is True
    assert docx_lines["Công an tỉnh phối hợp tuyên truyền về phòng, chống mua bán người trên địa bàn tỉnh."].bold is False


def test_docx_lines_of_one_paragraph_share_its_layout(docx_lines):
    assert docx_lines["Dòng thứ nhất"] == docx_lines["dòng thứ hai"] == Layout(bold=False, italic=False, align="justify", size=14.0)


def test_docx_task_table_rows_are_lines_in_their_table_and_row(composed_docx, docx_lines):
    lines = read_document(composed_docx).pages[0].text.split("\n")
    assert lines[lines.index("STT | Nhiệm vụ | Chủ trì") + 1 : lines.index("STT | Nhiệm vụ | Chủ trì") + 3] == ["1 | Tuyên truyền | Sở TTTT", "Quý III"]
    caption = docx_lines["STT | Nhiệm vụ | Chủ trì"]
    assert (caption.table, caption.cell, caption.bold, caption.align) == (1, (0, 0), True, None)
    assert (docx_lines["1 | Tuyên truyền | Sở TTTT"].cell, docx_lines["1 | Tuyên truyền | Sở TTTT"].bold) == ((1, 0), False)
    assert (docx_lines["Quý III"].table, docx_lines["Quý III"].cell) == (1, (2, 2))  # the one filled cell


def test_docx_closing_table_lines_are_in_their_cells_on_their_side(docx_lines):
    assert (docx_lines["Nơi nhận:"].table, docx_lines["Nơi nhận:"].cell, docx_lines["Nơi nhận:"].column) == (2, (0, 0), "left")
    assert docx_lines["Nơi nhận:"].bold and docx_lines["Nơi nhận:"].align == "left"
    assert (docx_lines["GIÁM ĐỐC"].cell, docx_lines["GIÁM ĐỐC"].align, docx_lines["GIÁM ĐỐC"].column) == ((0, 1), "center", "right")
    assert docx_lines["Hết."].table is None


def test_docx_paragraph_text_is_python_docx_s_own(composed_docx):
    """The reader reads a paragraph's text in its layout pass; it must be python-docx's:
    runs, line breaks, tabs and a hyperlink's runs, in their order, then normalised as every reader's."""
    built = docx.Document(composed_docx)
    paragraph = built.add_paragraph("Trước\tsau")
    paragraph.add_run("xuống").add_break()
    link = OxmlElement("w:hyperlink")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = " liên kết "
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    paragraph.add_run("cuối")
    path = composed_docx.with_name("linked.docx")
    built.save(path)
    expected = [p.text for p in built.paragraphs] + [p.text for table in built.tables for cell in table._cells for p in cell.paragraphs]
    lines = read_document(path).pages[0].text.split("\n")
    assert "Trước sauxuống" in lines and "liên kết cuối" in lines
    assert all(text in "\n".join(lines) for text in normalise_lines(expected))


def test_docx_corpus_lines_all_say_their_alignment_and_the_form_tables_their_sides(seed_stem, corpus_file):
    page = read_document(corpus_file("docx", seed_stem)).pages[0]
    assert page.text == "\n".join(line.text for line in page.lines)
    for line in page.lines:
        assert line.layout.align in ("left", "center", "right", "justify") or line.layout.cell is not None, line.text
        if line.text.strip():
            assert line.layout.bold is not None and line.layout.size, line.text
    texts = [line.text for line in page.lines]
    closing = texts.index("Nơi nhận:")
    header = [line.layout.column for line in page.lines[:closing] if line.layout.column]
    assert header == (["left"] * 3 + ["right"] * 3 if seed_stem.startswith("004") else [])
    sides = [line.layout.column for line in page.lines[closing:] if line.layout.column]
    assert sides[0] == "left" and sides[-1] == "right" and sides == sorted(sides)  # recipients, then the signature


def _run(text: str, tag: str = "w:t") -> OxmlElement:
    run, content = OxmlElement("w:r"), OxmlElement(tag)
    content.text = text
    run.append(content)
    return run


def _holding(tag: str, *children: OxmlElement) -> OxmlElement:
    holder = OxmlElement(tag)
    for child in children:
        holder.append(child)
    return holder


@pytest.fixture
def edited_plan(tmp_path) -> Path:
    """A plan edited as offices edit them: tracked changes, hidden text, content controls
    from a template, a smart tag."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    tracked = document.add_paragraph("Sở Nội vụ ")
    tracked._p.append(_holding("w:ins", _run("chủ trì tổ chức hội nghị")))
    tracked._p.append(_holding("w:del", _run(" và báo cáo hằng tuần", "w:delText")))
    hidden = document.add_paragraph("Công an tỉnh phối hợp")
    hidden.add_run(" (ghi chú nội bộ)")._r.get_or_add_rPr().append(OxmlElement("w:vanish"))
    number = document.add_paragraph("Số: ")
    number._p.append(_holding("w:sdt", _holding("w:sdtContent", _run("12/KH-UBND"))))
    body = document.element.body
    block = document.add_paragraph("Thời gian thực hiện: năm 2025")._p
    body.remove(block)
    body.insert(len(body) - 1, _holding("w:sdt", _holding("w:sdtContent", block)))
    place = document.add_paragraph("Ủy ban nhân dân tỉnh ")
    place._p.append(_holding("w:smartTag", _run("Lào Cai")))
    path = tmp_path / "edited.docx"
    document.save(path)
    return path


def test_tracked_insertions_are_read_and_deletions_are_not(edited_plan):
    lines = read_document(edited_plan).pages[0].text.split("\n")
    assert "Sở Nội vụ chủ trì tổ chức hội nghị" in lines
    assert not any("báo cáo hằng tuần" in line for line in lines)


def test_hidden_text_is_not_read(edited_plan):
    assert "Công an tỉnh phối hợp" in read_document(edited_plan).pages[0].text.split("\n")


def test_text_in_content_controls_and_smart_tags_is_read_where_it_stands(edited_plan):
    lines = read_document(edited_plan).pages[0].text.split("\n")
    assert lines[lines.index("Số: 12/KH-UBND") + 1] == "Thời gian thực hiện: năm 2025"
    assert "Ủy ban nhân dân tỉnh Lào Cai" in lines


def test_a_word_document_without_text_is_an_error_not_an_empty_record(tmp_path):
    path = tmp_path / "blank.docx"
    document = docx.Document()
    document.add_paragraph("")
    document.add_table(rows=2, cols=2)
    document.save(str(path))
    with pytest.raises(IngestError, match="no text: the DOCX document is empty"):
        read_document(path)


# --------------------------------------------------------------------------- python-docx's reading, done by hand

# The run contents python-docx's CT_R.text reads (and some it does not), each break type.
RUN_CONTENTS = [
    "<w:t>chữ</w:t>", '<w:t xml:space="preserve"> cách </w:t>', "<w:t/>", "<w:br/>", '<w:br w:type="page"/>',
    '<w:br w:type="column"/>', '<w:br w:type="textWrapping"/>', '<w:br w:clear="all"/>', "<w:cr/>", "<w:noBreakHyphen/>",
    "<w:softHyphen/>", '<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>', "<w:tab/>",
    "<w:delText>xóa</w:delText>", "<w:instrText>PAGE</w:instrText>", '<w:sym w:char="F0B7"/>', "<w:rPr><w:b/></w:rPr>",
    "<!-- ghi chú -->",
]


def test_a_run_s_text_is_python_docx_s_from_a_plain_tree():
    """Each run content alone and in random sequences, read from the plain tree the reader
    parses, against python-docx's CT_R.text of the same XML parsed by python-docx."""
    rng = random.Random(7)
    sequences = [[content] for content in RUN_CONTENTS] + [rng.choices(RUN_CONTENTS, k=rng.randint(2, 6)) for _ in range(200)]
    for sequence in sequences:
        xml = f"<w:r {nsdecls('w')}>{''.join(sequence)}</w:r>"
        assert _run_facts(etree.fromstring(xml, PARSER))[0] == parse_xml(xml).text, sequence
    assert _run_facts(etree.fromstring(f"<w:r {nsdecls('w')}>{''.join(RUN_CONTENTS)}</w:r>", PARSER))[0] == "chữ cách \n\n\n\n-\t\t"


def _tc(text: str, span: str | None = None, merge: str | None = None) -> str:
    """A cell; a span of "" is a w:gridSpan without its w:val."""
    properties = ("" if span is None else f'<w:gridSpan w:val="{span}"/>' if span else "<w:gridSpan/>")
    properties += f'<w:vMerge w:val="{merge}"/>' if merge else ""
    return f"<w:tc>{f'<w:tcPr>{properties}</w:tcPr>' if properties else ''}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def _random_table(rng: random.Random) -> str:
    """A table over a grid of random width: random spans, rows that start late, vertical
    merges continued where the row above has a cell at the same offset (and, rarely,
    where it has none, or in the first row, or a span that is no number, none or not
    positive)."""
    width, rows, above = rng.randint(1, 5), [], {}
    for index in range(rng.randint(1, 6)):
        before = rng.choice([0, 0, 1]) if width > 1 else 0
        offset, cells, starts = before, [], {}
        while offset < width:
            span = rng.randint(1, width - offset)
            merge = None
            if (above.get(offset) == span and rng.random() < 0.5) or rng.random() < 0.03:
                merge = "continue"
            elif rng.random() < 0.2:
                merge = "restart"
            declared = str(span) if span > 1 or rng.random() < 0.3 else None
            if rng.random() < 0.02:
                declared = rng.choice(["0", "-1", "", "x"])
            cells.append(_tc(f"{index}.{offset}", declared, merge))
            starts[offset] = span
            offset += span
        properties = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before or rng.random() < 0.2 else ""
        rows.append(f"<w:tr>{properties}{''.join(cells)}</w:tr>")
        above = starts
    return f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>"


def _cells_or_error(table, rows) -> list[list[int]] | str:
    """Each row's cells, each by where its w:tc stands among the table's (so a repeat is
    told from a cell of the same text), or the error raised reading them."""
    position = {tc: index for index, tc in enumerate(table.iter(qn("w:tc")))}
    try:
        return [[position[tc] for tc in row] for row in rows]
    except Exception as error:
        return f"{type(error).__name__}: {error}"


def test_table_cells_are_python_docx_s_from_a_plain_tree():
    """Rows with spanned cells, vertically merged cells (a chain of them too) and cells
    missing at the start of a row, against python-docx's own _Row.cells on the same XML;
    where python-docx raises, the same error. python-docx's merges are tried too."""
    rng = random.Random(11)
    tables = [_random_table(rng) for _ in range(400)]
    # Spans that are not positive: the search for the cell above stops once past its offset,
    # and a cell spanning no column is no cell of its row.
    for first, second in [(_tc("a", "2") + _tc("b", "-1") + _tc("c"), _tc("d") + _tc("e", None, "continue")),
                          (_tc("a", "0") + _tc("b"), _tc("c", None, "continue") + _tc("d"))]:
        tables.append(f"<w:tbl {nsdecls('w')}><w:tr>{first}</w:tr><w:tr>{second}</w:tr></w:tbl>")
    built = docx.Document()
    grid = built.add_table(rows=4, cols=4)
    for row, column in itertools.product(range(4), range(4)):
        grid.cell(row, column).text = f"{row}/{column}"
    grid.cell(0, 0).merge(grid.cell(1, 1))
    grid.cell(1, 3).merge(grid.cell(3, 3))
    grid.cell(3, 0).merge(grid.cell(3, 1))
    tables.append(etree.tostring(grid._tbl, encoding="unicode"))
    outcomes: Counter = Counter()
    for xml in tables:
        theirs, ours = parse_xml(xml), etree.fromstring(xml, PARSER)
        expected = _cells_or_error(theirs, ([cell._tc for cell in row.cells] for row in Table(theirs, None).rows))
        found = _cells_or_error(ours, table_rows(ours))
        assert found == expected, xml
        outcomes["error" if isinstance(found, str) else "merged" if "continue" in xml else "plain"] += 1
    assert min(outcomes.values()) > 20, outcomes
