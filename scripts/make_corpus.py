"""Build the sample corpus: corpus/pdf/<stem>.pdf and corpus/docx/<stem>.docx per seed.

The seeds in corpus/txt are text extracted from real plans and reports: hard line
breaks, stray blank lines, the header table read cell by cell. This script rebuilds
the document each seed came from, in the form of Nghị định 30/2020/NĐ-CP: the
two-column header table (only where the seed has one), the centred document type and
title, reflowed paragraphs, and the two-column "Nơi nhận" / signature table; in the
PDF (A4, DejaVu Serif) pages 2+ carry a page number at the top. Output is
deterministic: rerunning gives byte-identical files.

    .venv/bin/python scripts/make_corpus.py
"""

from __future__ import annotations

import datetime
import io
import statistics
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import regex
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ingest.layout import (  # noqa: E402
    header_anchor,
    layout_data,
    place_date,
    signature_anchor,
)
from pipeline.text import normalise_unicode  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
    "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}
# DejaVu Serif is wide: at 10 pt the motto just fits a 90 mm column and the issuing
# agency an 80 mm one, which with these margins is the whole 170 mm text width.
MARGINS = {"left": 25 * mm, "right": 15 * mm, "top": 20 * mm, "bottom": 20 * mm}
COLUMNS = (80 * mm, 90 * mm)
FIXED_TIME = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)

# Outline markers that open a paragraph: "I.", "1.", "1.1.", "a)", "-", "+", "*".
# A dash followed by a digit or a lower-case word ("- 30/7” năm 2024") continues the line above.
MARKER = regex.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\)|[-+*](?=\s*[\p{Lu}“\"(]|\s*$))(?:\s|$)")
ROMAN_HEADING = regex.compile(r"^[IVXLC]+\.\s")
NUMBERED = regex.compile(r"^\d+(?:\.\d+)*\.\s")
PARAGRAPH_END = (".", ":", ";", "!", "?")
# A line shorter than this share of the seed's usual line ended its paragraph.
SHORT_LINE = 0.6


@dataclass
class Seed:
    """A seed document cut into the parts of the official form."""

    header_left: list[str] = field(default_factory=list)
    header_right: list[str] = field(default_factory=list)
    doc_type: str | None = None
    title: str = ""
    body: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)
    signer: str = ""


# --------------------------------------------------------------------------- parsing the seed


def is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def matches_any(line: str, words: list[str]) -> bool:
    folded = normalise_unicode(line).casefold()
    return any(folded.startswith(normalise_unicode(word).casefold()) for word in words)


def reflow(lines: list[str]) -> list[str]:
    """Rejoin hard-wrapped lines: a paragraph ends at end punctuation, a short line
    (the last line of a paragraph) or a caps heading, and a marker starts a new one."""
    if not lines:
        return []
    usual = statistics.quantiles([len(line) for line in lines], n=10)[-1] if len(lines) > 1 else len(lines[0])
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        ended = (
            not paragraphs
            or previous.endswith(PARAGRAPH_END)
            or len(previous) < SHORT_LINE * usual
            or is_caps(previous)
        )
        if ended or MARKER.match(line):
            paragraphs.append(line)
        else:
            paragraphs[-1] += " " + line
        previous = line
    return paragraphs


def split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """The seed reads the header cell-wise; the motto and place-date are the right cell."""
    right = [line for line in lines if header_anchor().search(normalise_unicode(line)) or place_date().search(line)]
    left = [line for line in lines if line not in right]
    return left, right


def closing_parts(lines: list[str]) -> tuple[list[str], list[str], str]:
    """Recipients ("- X;" items, wrapped items rejoined), authority and title lines, name."""
    recipients: list[str] = []
    rest = lines
    for index, line in enumerate(lines):
        if line.startswith("-"):
            recipients.append(line)
        elif recipients and not recipients[-1].endswith((";", ".")):
            recipients[-1] += " " + line
        else:
            rest = lines[index:]
            break
    return recipients, rest[:-1], rest[-1]


def parse_seed(text: str) -> Seed:
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    corpus = layout_data()["corpus"]
    seed = Seed()
    doc_type_at = next((i for i, line in enumerate(lines[:12]) if matches_any(line, corpus["doc_types"]) and is_caps(line)), None)
    if doc_type_at is not None:
        header = lines[:doc_type_at]
        if any(header_anchor().search(normalise_unicode(line)) for line in header):
            seed.header_left, seed.header_right = split_header(header)
        seed.doc_type = lines[doc_type_at]
        lines = lines[doc_type_at + 1 :]
    # The title's own first line may begin like an opening ("Thực hiện công tác ...").
    opening_at = next(i for i in range(1, len(lines)) if matches_any(lines[i], corpus["opening_words"]))
    seed.title = " ".join(lines[:opening_at])
    closing_at = max(i for i, line in enumerate(lines) if signature_anchor().search(normalise_unicode(line)))
    seed.body = reflow(lines[opening_at:closing_at])
    seed.recipients, seed.authority, seed.signer = closing_parts(lines[closing_at + 1 :])
    return seed


# --------------------------------------------------------------------------- PDF


def register_fonts() -> None:
    for name, filename in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def style(name: str, font: str = "Serif", size: float = 13, align: int = TA_JUSTIFY, **extra) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, alignment=align, **extra)


STYLES = {
    "body": style("body", firstLineIndent=10 * mm, spaceAfter=4),
    "heading": style("heading", "Serif-Bold", spaceBefore=4, spaceAfter=4),
    "doc_type": style("doc_type", "Serif-Bold", 14, TA_CENTER, spaceBefore=10),
    "title": style("title", "Serif-Bold", 13.5, TA_CENTER),
    "header": style("header", "Serif", 10, TA_CENTER),
    "header_bold": style("header_bold", "Serif-Bold", 10, TA_CENTER),
    "header_italic": style("header_italic", "Serif-Italic", 10, TA_CENTER),
    "recipients_label": style("recipients_label", "Serif-BoldItalic", 11, 0),
    "recipient": style("recipient", "Serif", 10.5, 0),
    "signature": style("signature", "Serif-Bold", 12, TA_CENTER),
}


def para(text: str, name: str) -> Paragraph:
    return Paragraph(escape(text), STYLES[name])


def body_style(paragraph: str) -> str:
    """Roman-numbered and caps lines are section headings; short numbered lines too."""
    if ROMAN_HEADING.match(paragraph) or is_caps(paragraph):
        return "heading"
    if NUMBERED.match(paragraph) and len(paragraph) < 80 and not paragraph.endswith("."):
        return "heading"
    return "body"


def rule(width: str) -> HRFlowable:
    return HRFlowable(width=width, thickness=0.6, color="black", spaceBefore=4, spaceAfter=3)


def two_columns(left: list, right: list) -> Table:
    table = Table([[left, right]], colWidths=COLUMNS)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    return table


def header_cells(seed: Seed) -> tuple[list, list]:
    """Agency lines (parent plain, issuer bold) over "Số"; motto over the place-date."""
    agencies = [line for line in seed.header_left if is_caps(line)]
    others = [line for line in seed.header_left if not is_caps(line)]
    left = [para(line, "header" if i == 0 and len(agencies) > 1 else "header_bold") for i, line in enumerate(agencies)]
    left += [rule("40%")] + [para(line, "header") for line in others]
    motto = [line for line in seed.header_right if header_anchor().search(normalise_unicode(line))]
    dated = [line for line in seed.header_right if line not in motto]
    right = [para(line, "header_bold") for line in motto] + [rule("55%")] + [para(line, "header_italic") for line in dated]
    return left, right


def signature_cells(seed: Seed) -> tuple[list, list]:
    left = [para("Nơi nhận:", "recipients_label")] + [para(line, "recipient") for line in seed.recipients]
    right = [para(line, "signature") for line in seed.authority] + [Spacer(1, 24 * mm), para(seed.signer, "signature")]
    return left, right


def pdf_story(seed: Seed) -> list:
    story: list = []
    if seed.header_left or seed.header_right:
        story.append(two_columns(*header_cells(seed)))
    if seed.doc_type:
        story.append(para(seed.doc_type, "doc_type"))
    story += [para(seed.title, "title"), rule("30%"), Spacer(1, 4 * mm)]
    story += [para(paragraph, body_style(paragraph)) for paragraph in seed.body[:-1]]
    # The closing sentence stays on the page of the signature, as in signed originals.
    closing = [para(seed.body[-1], "body"), Spacer(1, 4 * mm), two_columns(*signature_cells(seed))]
    story.append(KeepTogether(closing))
    return story


def page_number(canvas, document) -> None:
    """Page numbers sit at the top centre of pages 2+, as the decree prescribes."""
    canvas.setFont("Serif", 11)
    canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, str(document.page))


def write_pdf(seed: Seed, path: Path) -> None:
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=seed.title,
        author="vnplan sample corpus",
        creator="vnplan scripts/make_corpus.py",
        invariant=1,
    )
    document.build(pdf_story(seed), onLaterPages=page_number)


# --------------------------------------------------------------------------- DOCX


def add_lines(cell, lines: list[str], bold: bool = False, italic: bool = False, size: float = 12) -> None:
    """Cell paragraphs, centred; a fresh cell already holds one empty paragraph."""
    for line in lines:
        paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text and len(cell.paragraphs) == 1 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def docx_table(document, rows: int):
    table = document.add_table(rows=rows, cols=2)
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMNS):
            cell.width = Mm(width / mm)
    return table


def docx_header(document, seed: Seed) -> None:
    table = docx_table(document, rows=2)
    agencies = [line for line in seed.header_left if is_caps(line)]
    motto = [line for line in seed.header_right if header_anchor().search(normalise_unicode(line))]
    add_lines(table.cell(0, 0), agencies, bold=True)
    add_lines(table.cell(1, 0), [line for line in seed.header_left if line not in agencies])
    add_lines(table.cell(0, 1), motto, bold=True)
    add_lines(table.cell(1, 1), [line for line in seed.header_right if line not in motto], italic=True)


def docx_signature(document, seed: Seed) -> None:
    table = docx_table(document, rows=1)
    left, right = table.cell(0, 0), table.cell(0, 1)
    label = left.paragraphs[0].add_run("Nơi nhận:")
    label.bold = label.italic = True
    for line in seed.recipients:
        left.add_paragraph().add_run(line).font.size = Pt(11)
    add_lines(right, seed.authority, bold=True, size=13)
    right.add_paragraph()
    add_lines(right, [seed.signer], bold=True, size=13)


def build_docx(seed: Seed) -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(MARGINS["left"] / mm), Mm(MARGINS["right"] / mm)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    if seed.header_left or seed.header_right:
        docx_header(document, seed)
    for text in ([seed.doc_type] if seed.doc_type else []) + [seed.title]:
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(text).bold = True
    for paragraph in seed.body:
        added = document.add_paragraph()
        added.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        added.add_run(paragraph).bold = body_style(paragraph) == "heading"
    docx_signature(document, seed)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = seed.title, "vnplan sample corpus", ""
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    return document


def stable_zip(data: bytes) -> bytes:
    """python-docx stamps each ZIP member with the current time; zipfile cannot be told
    otherwise, so the archive is rewritten with a fixed time for byte-identical reruns."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def write_docx(seed: Seed, path: Path) -> None:
    buffer = io.BytesIO()
    build_docx(seed).save(buffer)
    path.write_bytes(stable_zip(buffer.getvalue()))


def main() -> None:
    register_fonts()
    for folder in ("pdf", "docx"):
        (ROOT / "corpus" / folder).mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "corpus" / "txt").glob("*.txt")):
        seed = parse_seed(source.read_text(encoding="utf-8"))
        write_pdf(seed, ROOT / "corpus" / "pdf" / f"{source.stem}.pdf")
        write_docx(seed, ROOT / "corpus" / "docx" / f"{source.stem}.docx")
        print(f"{source.stem}: {len(seed.body)} paragraphs, header={'yes' if seed.header_left else 'no'}")


if __name__ == "__main__":
    main()
