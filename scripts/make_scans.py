"""Scanned-looking copies of documents, to test and measure the OCR path.

Sources: the sample PDFs (corpus/pdf), or the real documents of the shared corpus
(/work/shared/corpus/real/docs, plain text), first printed to PDF here in the genre's
type (Liberation Serif, metrics of Times New Roman, 13 pt; lines as the text lays them
out, long lines as paragraphs, Markdown tables as table cells). That PDF's text layer is
the text path the scans are compared with.

Looks (all deterministic: seeded noise):

- ``300``: 300 dpi grey, JPEG-compressed, as an office scanner's default;
- ``200``: 200 dpi, turned ~1.5 degrees, grainy, low-quality JPEG;
- ``colour500``: 500 dpi colour (the scanner's fine setting) on tinted paper, with a red
  round seal over the signature (the signer's title and name under it), a blue signature
  and a red received-stamp ("ĐẾN") in the top margin of page 1;
- ``rotated``: the 300 dpi look with pages turned 180, 90 and 270 degrees, as a sheet
  fed upside down or a landscape scan of a portrait page;
- ``phone``: a 12 MP phone photo of the sealed page: the page on a desk, slightly in
  perspective, light falling off across it and a shadow over one side, a warm cast,
  soft focus; stored without a resolution (the reader infers it).

PDFs for scanner looks, a multi-page TIFF for the phone photos. File names keep the
source's stem, so `vnplan eval` matches a scan to its gold file. Where the seal and the
stamp were put is written beside each scan (``<stem>.marks.json``), for measurement.

    .venv/bin/python scripts/make_scans.py [OUT]                 # the small committed set (corpus/scans/)
    .venv/bin/python scripts/make_scans.py OUT --full            # samples: OUT/<look>/*
    .venv/bin/python scripts/make_scans.py OUT --full --real     # real documents: OUT/<look>/*
    .venv/bin/python scripts/make_scans.py OUT --full --sources ../shared/corpus/pool   # another folder
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2
import regex
import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.formats import SUPPORTED_SUFFIXES
from pipeline.ingest import read_document
from pipeline.records import IngestError
from pipeline.text import LOOKALIKES

SAMPLES = ROOT / "corpus" / "pdf"
REAL = ROOT.parent / "shared" / "corpus" / "real" / "docs"
FONTS = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class Look:
    """How a scan looks. ``turns``: degrees each page is turned by, in turn (counter-clockwise)."""

    name: str
    dpi: int
    skew: float = 0.0
    noise: float = 0.0
    quality: int = 75
    colour: bool = False
    seal: bool = False
    turns: tuple[int, ...] = ()
    phone: bool = False


CLEAN = Look("300", dpi=300)
DEGRADED = Look("200", dpi=200, skew=1.5, noise=12.0, quality=40)
COLOUR = Look("colour500", dpi=500, noise=4.0, quality=85, colour=True, seal=True)
ROTATED = Look("rotated", dpi=300, turns=(180, 90, 270))
# A 12 MP photo (4032 x 3024) framing an A4 page with a margin of desk: about 330 dpi.
PHONE = Look("phone", dpi=330, noise=5.0, quality=85, colour=True, seal=True, phone=True)
LOOKS = {look.name: look for look in (CLEAN, DEGRADED, COLOUR, ROTATED, PHONE)}
PHONE_FRAME = (3024, 4032)

PAPER = (247, 244, 236)  # a slightly warm office paper
SEAL_RED = (214, 38, 44)
STAMP_RED = (196, 40, 70)
PEN_BLUE = (28, 52, 160)


# --------------------------------------------------------------------------- printing a text document


def register_fonts() -> None:
    for name, file in (("Serif", "LiberationSerif-Regular.ttf"), ("Serif-Bold", "LiberationSerif-Bold.ttf"),
                       ("Serif-Italic", "LiberationSerif-Italic.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / "liberation2" / file)))


PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm
BODY = 13.0
LEADING = 1.3
_RUNS = regex.compile(r"\S+(?: \S+)*")  # the pieces of a line laid out with runs of spaces
_TABLE_RULE = regex.compile(r"^\|?[\s|:-]*$")


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 2 and all(c.isupper() for c in letters)


def wrap(text: str, font: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        room = width - (indent if not lines else 0.0)
        if line and pdfmetrics.stringWidth(trial, font, size) > room:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


class Printer:
    """Lines onto A4 pages, top-down, a new page when one is full."""

    def __init__(self, path: Path) -> None:
        self.canvas = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        self.y = PAGE_H - TOP

    def advance(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.canvas.showPage()
            self.y = PAGE_H - TOP
        self.y -= height

    def draw(self, x: float, text: str, font: str, size: float) -> None:
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, self.y, text)

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = PAGE_H - TOP

    def save(self) -> None:
        self.canvas.save()


def print_text(text: str, path: Path) -> None:
    """A plain-text document as a printed page would show it (see the module docstring).
    Its letters are printed as the letters they stand for: decomposed marks composed, and a
    look-alike code point of a converted PDF's font ("Ƣ" for "Ư") as the letter it draws."""
    register_fonts()
    width = PAGE_W - LEFT - RIGHT
    lines = unicodedata.normalize("NFC", text.lstrip("\ufeff")).translate(LOOKALIKES).splitlines()
    laid_out = [line.rstrip() for line in lines if line.strip() and not line.startswith("|")]
    short = [len(line) for line in laid_out if len(line) <= 110]
    grid = min(110, max(80, max(short, default=80)))  # characters across the text width
    printer = Printer(path)
    header = split_header(lines)
    if header:
        preamble, left, right, lines = header
        for line in preamble:
            print_line(line, grid, printer, width)
        print_header(left, right, printer, width)
    for k, part in enumerate(attached_parts(lines)):
        if k:
            printer.new_page()
        centred = title_lines(part)
        for n, line in enumerate(part):
            if n in centred:
                print_centred(line, printer, width)
            else:
                print_line(line, grid, printer, width)
    printer.save()


_ATTACHED = regex.compile(r"^[\s|]*PHỤ LỤC\b")
_RECIPIENTS = regex.compile(r"^[\s|]*Nơi nhận\b")


def attached_parts(lines: list[str]) -> list[list[str]]:
    """The document, then each text attached after its signature (a plan, a regulation,
    an appendix: a type name or "PHỤ LỤC" heading after "Nơi nhận"), each to begin a new
    page as printed documents do."""
    parts: list[list[str]] = [[]]
    signed = False
    for line in lines:
        if signed and (_ATTACHED.match(line) or _TYPE_LINE.match(line)):
            parts.append([])
        parts[-1].append(line)
        signed = signed or bool(_RECIPIENTS.match(line))
    return parts


def print_line(line: str, grid: int, printer: Printer, width: float) -> None:
    """A line of the text: a gap, a table row, a paragraph wrapped to the width, or a laid-out line."""
    if not line.strip():
        printer.advance(BODY * 0.5)
    elif line.lstrip().startswith("|"):
        if not _TABLE_RULE.match(line):
            print_row([cell.strip() for cell in line.strip().strip("|").split("|")], printer, width)
    elif len(line.rstrip()) > 110 or pdfmetrics.stringWidth(line.strip(), "Serif", BODY) > width:
        for n, piece in enumerate(wrap(line.strip(), "Serif", BODY, width, indent=10 * mm)):
            printer.advance(BODY * LEADING)
            printer.draw(LEFT + (10 * mm if n == 0 else 0.0), piece, "Serif", BODY)
    else:
        print_laid_out(line, grid, printer, width)


# The header of the genre (Decree 30/2020, Appendix I): two columns without borders, each
# line centred in its column. Left: the issuer (its parent above it), a short rule, the
# number, the subject of a công văn ("V/v …"); right: the national name and motto, a rule,
# the place and date in italics. A plain-text copy lays these columns out with spaces, as a
# Markdown table, one after the other or run together on one line; the printer finds the
# parts by what they say and prints them where a printed document has them.
_MOTTO = regex.compile(r"C[ỘO]NG\s+H[OÒÕ][AÀ]\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+[pP]húc")
_PLACE_DATE = regex.compile(r"(?:TP\. ?)?\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){0,3},\s+ngày\s+[\d\s.…]*tháng\s+[\d\s.…]*năm\s+\d{4}")
_NUMBER = regex.compile(r"Số\s*:\s*[\d.…]*\s*/\s*\S+")
_RULE = regex.compile(r"-{3,}")
_RIGHT = regex.compile(f"{_MOTTO.pattern}|{_PLACE_DATE.pattern}")
_SUBJECT = regex.compile(r"^V/v\b", regex.IGNORECASE)
# Where an issuer's name breaks into lines: the committee above its province, a parent above its unit.
_ISSUER_BREAKS = regex.compile(r"(?<=NHÂN DÂN) (?=TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|XÃ|PHƯỜNG)"
                               r"|(?<=\p{Lu}{2}) (?=(?:TỔNG CỤC|(?<!TỔNG )CỤC|SỞ|VỤ|VIỆN|VĂN PHÒNG) )")
_TYPE_NAMES = "|".join(regex.escape(t["name"].upper()) for t in yaml.safe_load(
    (ROOT / "models" / "doc_types.yaml").read_text(encoding="utf-8"))["types"])
_TYPE_LINE = regex.compile(rf"^\s*(?:{_TYPE_NAMES}):?\s*$")
_TYPE_THEN_SUBJECT = regex.compile(rf"^\s*((?:{_TYPE_NAMES}))\s+(?=\p{{Lu}}\S*\s+\p{{Lu}})")
_ENUMERATED = regex.compile(r"^\s*(?:[IVXLC]+\.|\d|\p{L}[.)]\s|[-+*•])")
HEADER_LINES = 16  # the header is among a page's first lines


def split_header(lines: list[str]) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """The lines before the header (a web page's title), the header's left and right
    column texts in order, and the lines after it (text run on after the date first);
    None when the first lines have no national motto."""
    if not any(_MOTTO.search(line) for line in lines[:HEADER_LINES]):
        return None
    start = next(n for n, line in enumerate(lines) if line.strip() and (
        line.lstrip().startswith("|") or is_caps(line) or _MOTTO.search(line)))
    left: list[str] = []
    right: list[str] = []
    rest: list[str] = []
    seen_number = seen_date = False
    n = start
    while n < len(lines) and n < start + HEADER_LINES:
        line = lines[n]
        if seen_number and seen_date and line.strip() and not _SUBJECT.match(line.strip()):
            break
        n += 1
        if _TABLE_RULE.match(line):
            continue
        texts = line.strip().strip("|").split("|") if line.lstrip().startswith("|") else [line]
        for text in texts:
            date = _PLACE_DATE.search(text)
            if date:
                rest += [text[date.end():].strip()] if text[date.end():].strip() else []
                text = text[:date.end()]
                seen_date = True
            cursor = 0
            for match in _RIGHT.finditer(text):
                left.append(text[cursor:match.start()])
                right.append(match.group())
                cursor = match.end()
            left.append(text[cursor:])
        seen_number = seen_number or bool(_NUMBER.search(line))
        if seen_number and seen_date and _SUBJECT.match(line.strip()):
            while n < len(lines) and lines[n].strip():  # the subject's lines, to the blank line under it
                left.append(lines[n])
                n += 1
    left = [text for text in (_RULE.sub(" ", t) for t in left) if text.strip()]
    rest += lines[n:]
    first = next((k for k, line in enumerate(rest) if line.strip()), None)
    if first is not None:  # "QUYẾT ĐỊNH V/V BAN HÀNH …" run together: the type on a line of its own
        rest[first:first + 1] = [piece for piece in _TYPE_THEN_SUBJECT.split(rest[first], maxsplit=1) if piece.strip()]
    return lines[:start], left, right, rest


def header_lines(texts: list[str], column: float) -> list[tuple[str, str, float]]:
    """The left column: the issuer in bold capitals broken where the genre breaks it (in
    smaller type, down to 10 pt, rather than broken again), the number, the subject; each
    as (line, font, size) wrapped to the column."""
    text = regex.sub(r"[^\S ]+|(?<=\S) {2,}(?=\S)(?!/)", " ", " ".join(t.strip() for t in texts))
    number = _NUMBER.search(text)
    issuer = text[:number.start()] if number else text
    subject = " ".join(text[number.end():].split()) if number else ""
    out = []
    for part in _ISSUER_BREAKS.split(" ".join(issuer.split())):
        size = max(10.0, min(12.0, 11.8 * column / max(1.0, pdfmetrics.stringWidth(part, "Serif-Bold", 12.0))))
        out += [(line, "Serif-Bold", size) for line in wrap(part, "Serif-Bold", size, column)]
    out += [("", "Serif", 6.0)]
    if number:
        out.append((number.group(), "Serif", 13.0))
    out += [(line, "Serif", 12.0) for line in wrap(subject, "Serif", 12.0, column)]
    return out


def print_header(left: list[str], right: list[str], printer: Printer, width: float) -> None:
    """The two header columns side by side, every line centred in its column, as one table
    row above another: issuer | national name and motto, each with a short rule under
    it; then number (and subject) | place and date, on one baseline."""
    left_width = width * 0.45
    columns = [(LEFT, left_width, header_lines(left, left_width - 4 * mm)), (LEFT + left_width, width - left_width, [])]
    for text in right:
        text = " ".join(text.split())
        if _PLACE_DATE.fullmatch(text):
            columns[1][2].extend([("", "Serif", 6.0), (text, "Serif-Italic", 13.0)])
        else:
            columns[1][2].append((text, "Serif-Bold", 12.0 if is_caps(text) else 13.0))
    halves = []
    for _, _, lines in columns:
        split = next((n for n, (text, _, _) in enumerate(lines) if not text), len(lines))
        halves.append((lines[:split], [line for line in lines[split:] if line[0]]))
    upper = max(sum(size * LEADING for _, _, size in above) for above, _ in halves)
    bottom = printer.y - upper - 8.0
    for (x, column, _), (above, below) in zip(columns, halves):
        y = printer.y
        for text, font, size in above:
            y -= size * LEADING
            _centred(printer, x, column, y, text, font, size)
        printer.canvas.setLineWidth(0.6)
        printer.canvas.line(x + column * 0.35, y - 4, x + column * 0.65, y - 4)
        y = printer.y - upper - 8.0
        for text, font, size in below:
            y -= size * LEADING
            _centred(printer, x, column, y, text, font, size)
        bottom = min(bottom, y)
    printer.y = bottom - BODY


def _centred(printer: Printer, x: float, column: float, y: float, text: str, font: str, size: float) -> None:
    printer.canvas.setFont(font, size)
    printer.canvas.drawString(x + max(0.0, (column - pdfmetrics.stringWidth(text, font, size)) / 2), y, text)


def title_lines(lines: list[str]) -> set[int]:
    """Which of the first body lines are the document's title block, printed centred in
    bold: its type name and the capitals under it, the subject lines under a type name
    (to the blank line), the enacting authority's line of a decision."""
    block: set[int] = set()
    after_type = False
    for n, line in enumerate(lines[:HEADER_LINES]):
        if not line.strip():
            if after_type and block and not is_caps(lines[max(block)]):
                break
            continue
        laid_out = regex.search(r"\S {3,}\S", line.strip())
        if is_caps(line) and not _ENUMERATED.match(line) and not laid_out:
            block.add(n)
            after_type = after_type or bool(_TYPE_LINE.match(line))
        elif after_type and len(line) <= 110 and not laid_out and not line.lstrip().startswith(("Căn cứ", "Kính gửi", "|")):
            block.add(n)
        else:
            break
    return block


def print_centred(line: str, printer: Printer, width: float) -> None:
    """A title line: bold, centred, wrapped to most of the text width."""
    for piece in wrap(line.strip(), "Serif-Bold", BODY, width * 0.85):
        printer.advance(BODY * LEADING)
        printer.draw(LEFT + (width - pdfmetrics.stringWidth(piece, "Serif-Bold", BODY)) / 2, piece, "Serif-Bold", BODY)


def print_laid_out(line: str, grid: int, printer: Printer, width: float) -> None:
    """A line whose pieces the text places by their column; smaller type if it would overflow."""
    font = "Serif-Bold" if is_caps(line) else "Serif"
    pieces = [(match.start() * width / grid, match.group()) for match in _RUNS.finditer(line)]
    size = BODY
    end = max(x + pdfmetrics.stringWidth(piece, font, size) for x, piece in pieces)
    if end > width:
        size = max(9.0, size * width / end)
        pieces = [(x * width / end, piece) for x, piece in pieces]
    printer.advance(size * LEADING)
    cursor = 0.0
    for x, piece in pieces:
        x = max(x, cursor)
        printer.draw(LEFT + x, piece, font, size)
        cursor = x + pdfmetrics.stringWidth(piece + "  ", font, size)


_CELL_BREAKS = regex.compile(
    r"(?<=[;:.)]) (?=- )"  # recipients: "- X; - Y;"
    r"| (?=(?:KT|TM|TL|Q)\. )"  # signing authority markers
    r"|(?<=\p{Lu}{2}) (?=PHÓ \p{Lu})"  # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH": the title after the authority
    r"|(?<=\p{Lu}{2}) (?=Độc lập)"  # the motto under the country's name
    r"|(?<=\p{Lu}{2}) (?=\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}*){1,4}$)"  # the signer's name ends the cell
    r"| (?=-{3,})|(?<=-{3,}) "  # the rule under a header cell
)


def cell_lines(cell: str) -> list[str]:
    """A table cell flattened to one line by the text, broken again where a printed cell
    breaks: before each recipient, an authority marker, a title, a name or a rule; the
    signer's name (the last line, not in capitals) gets the room a signature takes."""
    lines = [line for line in _CELL_BREAKS.split(cell) if line.strip()]
    if len(lines) > 1 and is_caps(lines[-2]) and regex.fullmatch(r"\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}*){1,4}", lines[-1]):
        lines[-1:-1] = ["", "", "", ""]
    return lines


def print_row(cells: list[str], printer: Printer, width: float) -> None:
    """A Markdown table row: its cells side by side, each wrapped in its column and drawn
    one cell after the other (as a word processor draws a table)."""
    cells = [cell for cell in cells if cell] or [""]
    size = 12.0
    column = width / len(cells)
    wrapped = [[piece for line in cell_lines(cell) for piece in (wrap(line, "Serif", size, column - 4 * mm) or [""])]
               for cell in cells]
    top = printer.y
    rows = max(len(lines) for lines in wrapped)
    if top - rows * size * LEADING < BOTTOM:
        printer.advance(PAGE_H)  # a row is not split across pages
        top = printer.y = PAGE_H - TOP
    for index, lines in enumerate(wrapped):
        for row, line in enumerate(lines):
            printer.y = top - (row + 1) * size * LEADING
            font = "Serif-Bold" if is_caps(line) else "Serif"
            offset = (column - 4 * mm - pdfmetrics.stringWidth(line, font, size)) / 2 if len(cells) == 2 and index == 1 or is_caps(line) else 0.0
            printer.draw(LEFT + index * column + max(0.0, offset), line, font, size)
    printer.y = top - rows * size * LEADING - size * 0.5


def printed_real(out: Path) -> list[Path]:
    """Every real document printed to OUT/<stem>.pdf (once)."""
    return _printed(sorted(REAL.glob("*.txt")), out, lambda source: source.read_text(encoding="utf-8"))


def printed_folder(folder: Path, out: Path) -> list[Path]:
    """Every document of another folder (portal pages in Markdown, texts, Word files) printed
    to OUT/<stem>.pdf (once) from vnplan's reading of it: the text every stage reads, the
    portal's furniture and the markup gone. Files vnplan cannot read are left out."""
    return _printed(sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES), out, _as_read)


def _as_read(source: Path) -> str | None:
    try:
        pages = read_document(source, ocr="never").pages
    except IngestError:
        return None
    return "\n".join(page.text for page in pages)


def _printed(sources: list[Path], out: Path, text_of: Callable[[Path], str | None]) -> list[Path]:
    """Each source printed to OUT/<stem>.pdf once; a source without a text (None) is left out."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in sources:
        path = out / f"{source.stem}.pdf"
        if not path.exists():
            text = text_of(source)
            if text is None:
                continue
            print_text(text, path)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- seals and stamps


@dataclass(frozen=True)
class Marks:
    """Where the ink was put, in points from the page's top-left: the seal's page, centre and
    radius, and the text lines it covers; the received-stamp's box on page 1."""

    seal_page: int | None = None
    seal: tuple[float, float, float] | None = None
    under_seal: tuple[str, ...] = ()
    stamp: tuple[float, float, float, float] | None = None


def signer_box(pdf: Path) -> tuple[int, tuple[float, float, float, float]] | None:
    """The page (0-based) and box (points, top-down) of the signer's name as the text path
    reads it, searched from the last page back."""
    from pipeline.process import process_file

    name = process_file(pdf, ocr="never").document.signer_name
    if not name:
        return None
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in reversed(range(len(document))):
            page = document[index]
            found = page.get_textpage().search(name, match_case=False).get_next()
            if found:
                textpage = page.get_textpage()
                boxes = [textpage.get_charbox(i) for i in range(found[0], found[0] + found[1])]
                height = page.get_height()
                return index, (min(b[0] for b in boxes), height - max(b[3] for b in boxes),
                               max(b[2] for b in boxes), height - min(b[1] for b in boxes))
    finally:
        document.close()
    return None


def lines_under(pdf: Path, index: int, seal: tuple[float, float, float]) -> tuple[str, ...]:
    """The text lines of a page whose words the seal's disc touches."""
    cx, cy, r = seal
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        textpage, height = page.get_textpage(), page.get_height()
        text = textpage.get_text_range()
        under, start = [], 0
        for line in text.split("\r\n"):
            boxes = [textpage.get_charbox(i) for i in range(start, start + len(line)) if not line[i - start].isspace()]
            start += len(line) + 2
            touched = any(math.hypot(min(max(cx, b[0]), b[2]) - cx, min(max(cy, height - b[3]), height - b[1]) - cy) < r
                          for b in boxes)
            if touched and line.strip():
                under.append(line.strip())
        return tuple(under)
    finally:
        document.close()


def marks_for(pdf: Path) -> Marks:
    found = signer_box(pdf)
    stamp = (6 * mm, 3 * mm, 56 * mm, 19 * mm)  # in the top margin, above the header
    if found is None:
        return Marks(stamp=stamp)
    index, (x0, y0, x1, _) = found
    radius = 19 * mm  # a 38 mm seal, as a provincial committee's
    seal = (x0 + 0.3 * (x1 - x0), y0 - 0.45 * 2 * radius + 2 * mm, radius)
    return Marks(index, seal, lines_under(pdf, index, seal), stamp)


def _font(size_px: float, bold: bool = True) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / "dejavu" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), max(1, round(size_px)))


def ink_layer(size: tuple[int, int], dpi: int, marks: Marks, page: int, seed: int) -> Image.Image:
    """White, with this page's seal, signature and stamp in coloured ink (multiplied onto the page)."""
    layer = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    px = dpi / 72
    rng = np.random.default_rng(seed)
    if page == 0 and marks.stamp:
        x0, y0, x1, y1 = (v * px for v in marks.stamp)
        draw.rectangle((x0, y0, x1, y1), outline=STAMP_RED, width=max(2, round(0.6 * mm * px)))
        font = _font(3.2 * mm * px)
        for n, text in enumerate(("ĐẾN", "Số: 2417", "Ngày: 16/6/2026", "Chuyển: P.KT")):
            draw.text((x0 + 2 * mm * px, y0 + (1.2 + 3.8 * n) * mm * px), text, font=font, fill=STAMP_RED)
    if page == marks.seal_page and marks.seal:
        cx, cy, r = (v * px for v in marks.seal)
        for ring, width in ((r, 0.9), (r - 4.6 * mm * px, 0.5)):
            draw.ellipse((cx - ring, cy - ring, cx + ring, cy + ring), outline=SEAL_RED, width=max(2, round(width * mm * px)))
        font = _font(3.0 * mm * px)
        text = "ỦY BAN NHÂN DÂN * TỈNH LÀO CAI * "
        for n, char in enumerate(text):
            angle = math.pi * (1.1 + 1.8 * n / len(text))
            x, y = cx + (r - 2.4 * mm * px) * math.cos(angle), cy + (r - 2.4 * mm * px) * math.sin(angle)
            draw.text((x, y), char, font=font, fill=SEAL_RED, anchor="mm")
        star = [(cx + (r * 0.3 if k % 2 == 0 else r * 0.12) * math.cos(math.pi * (k / 5 - 0.5)),
                 cy + (r * 0.3 if k % 2 == 0 else r * 0.12) * math.sin(math.pi * (k / 5 - 0.5))) for k in range(10)]
        draw.polygon(star, fill=SEAL_RED)
        # The signature: a few loops across the seal's right half and over the name.
        points = []
        for t in np.linspace(0, 1, 400):
            x = cx - 0.2 * r + 2.2 * r * t
            y = cy + 0.15 * r * math.sin(14 * t) + 0.6 * r * t * math.cos(5 * t) + rng.normal(0, 0.004 * r)
            points.append((x, y))
        draw.line(points, fill=PEN_BLUE, width=max(2, round(0.35 * mm * px)), joint="curve")
    # Ink is not even: blotch the coloured strokes a little.
    pixels = np.asarray(layer, dtype=np.float32)
    mottle = rng.uniform(0.75, 1.0, pixels.shape[:2])[..., None]
    inked = pixels.min(axis=2, keepdims=True) < 250
    pixels = np.where(inked, 255 - (255 - pixels) * mottle, pixels)
    return Image.fromarray(pixels.astype(np.uint8))


# --------------------------------------------------------------------------- looks


def render(pdf: Path, dpi: int, colour: bool = False) -> list[Image.Image]:
    """Every page of a PDF as an image (grey, or RGB for a colour look)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72, grayscale=not colour).to_pil().convert("RGB" if colour else "L")
                for i in range(len(document))]
    finally:
        document.close()


def degrade(image: Image.Image, look: Look, seed: int) -> Image.Image:
    """Skew and grain; the JPEG artefacts come when the image is saved at ``look.quality``."""
    if look.skew:
        image = image.rotate(look.skew, resample=Image.Resampling.BICUBIC, fillcolor=255 if image.mode == "L" else PAPER)
    if look.noise:
        pixels = np.asarray(image, dtype=np.float32)
        pixels += np.random.default_rng(seed).normal(0.0, look.noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image


def on_paper(image: Image.Image, ink: Image.Image | None) -> Image.Image:
    """Black print on tinted paper, with coloured ink over it (inks multiply, as on paper)."""
    from PIL import ImageChops

    paper = Image.new("RGB", image.size, PAPER)
    page = ImageChops.multiply(image, paper)
    return ImageChops.multiply(page, ink) if ink is not None else page


def photograph(page: Image.Image, seed: int) -> Image.Image:
    """The page as a phone photographs it (see the module docstring)."""
    rng = np.random.default_rng(seed)
    frame_w, frame_h = PHONE_FRAME
    desk = Image.new("RGB", PHONE_FRAME, (92, 84, 74))
    # Where the page's corners land in the frame: a margin of desk and a slight keystone.
    margin_x, margin_y = (frame_w - page.width) / 2, (frame_h - page.height) / 2
    corners = [(margin_x + 30, margin_y + 10), (frame_w - margin_x - 10, margin_y + 40),
               (frame_w - margin_x + 15, frame_h - margin_y - 5), (margin_x - 10, frame_h - margin_y + 20)]
    coefficients = _perspective(corners, [(0, 0), (page.width, 0), (page.width, page.height), (0, page.height)])
    warped = page.transform(PHONE_FRAME, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC)
    mask = Image.new("L", page.size, 255).transform(PHONE_FRAME, Image.Transform.PERSPECTIVE, coefficients)
    desk.paste(warped, mask=mask)
    # Light: falling off from the top-left lamp to 60% in the far corner, a soft shadow
    # of the phone and hand over the lower right, a warm cast.
    y, x = np.mgrid[0:frame_h, 0:frame_w].astype(np.float32)
    light = 1.0 - 0.4 * np.hypot(x / frame_w, y / frame_h) / math.sqrt(2)
    shadow = np.exp(-(((x - 0.85 * frame_w) / (0.28 * frame_w)) ** 2 + ((y - 0.8 * frame_h) / (0.25 * frame_h)) ** 2))
    light *= 1.0 - 0.55 * shadow
    pixels = np.asarray(desk, dtype=np.float32) * light[..., None] * np.array([1.0, 0.96, 0.88], dtype=np.float32)
    pixels += rng.normal(0.0, PHONE.noise, pixels.shape)
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return photo.filter(ImageFilter.GaussianBlur(0.8))


def _perspective(to: list[tuple[float, float]], source: list[tuple[float, float]]) -> list[float]:
    """The 8 coefficients PIL's PERSPECTIVE transform takes to map frame points ``to`` back to ``source``."""
    rows, values = [], []
    for (x, y), (u, v) in zip(to, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return list(np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values, dtype=np.float64)))


def scan(pdf: Path, look: Look, marks: Marks | None = None) -> list[Image.Image]:
    """The pages of ``pdf`` as scanned with ``look``."""
    pages = []
    for n, page in enumerate(render(pdf, look.dpi, look.colour)):
        if look.colour:
            page = on_paper(page, ink_layer(page.size, look.dpi, marks, n, seed=n) if look.seal and marks else None)
        if look.phone:
            page = photograph(page, seed=n)
        else:
            page = degrade(page, look, seed=n)
        if look.turns:
            page = page.rotate(look.turns[n % len(look.turns)], expand=True)
        pages.append(jpeg_roundtrip(page, look.quality))
    return pages


def jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    """The image as a scanner's JPEG would give it back."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def save_pdf(pages: list[Image.Image], path: Path, look: Look) -> None:
    """Pillow stores the pages in a PDF as JPEG (DCTDecode), as scanners do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=look.dpi, quality=look.quality)


def save_tiff(pages: list[Image.Image], path: Path, look: Look) -> None:
    """Photos gathered into one TIFF, with no resolution (a phone's JPEG says none either)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="jpeg", quality=look.quality)


def scanned_copy(pdf: Path, look: Look, out: Path) -> Path:
    """OUT/<look>/<stem>.pdf (or .tif for photos), made once, with its marks beside it."""
    path = out / look.name / f"{pdf.stem}.{'tif' if look.phone else 'pdf'}"
    if not path.exists():
        marks = marks_for(pdf) if look.seal else None
        pages = scan(pdf, look, marks)
        (save_tiff if look.phone else save_pdf)(pages, path, look)
        if marks:
            path.with_suffix(".marks.json").write_text(json.dumps(marks.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- sets


def sample(prefix: str) -> Path:
    return next(SAMPLES.glob(f"{prefix}_*.pdf"))


def small_set(out: Path) -> list[Path]:
    """The committed set: two 300 dpi PDFs, a header page as PNG, a degraded page as
    JPEG and a two-page TIFF (each image named after its sample and page)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for prefix in ("002", "003"):
        path = out / f"{sample(prefix).stem}.pdf"
        save_pdf(scan(sample(prefix), CLEAN), path, CLEAN)
        written.append(path)
    header = scan(sample("004"), CLEAN)[0]
    png = out / f"{sample('004').stem}-p1.png"
    header.save(png, dpi=(CLEAN.dpi, CLEAN.dpi), optimize=True)
    degraded = [degrade(page, DEGRADED, seed=n) for n, page in enumerate(render(sample("000"), DEGRADED.dpi))]
    jpeg = out / f"{sample('000').stem}-p6.jpg"
    degraded[5].save(jpeg, quality=DEGRADED.quality, dpi=(DEGRADED.dpi, DEGRADED.dpi))
    tiff = out / f"{sample('000').stem}-p5-6.tif"
    closing = [jpeg_roundtrip(page, DEGRADED.quality) for page in degraded[4:6]]
    closing[0].save(tiff, save_all=True, append_images=closing[1:], compression="jpeg", quality=DEGRADED.quality, dpi=(DEGRADED.dpi, DEGRADED.dpi))
    return written + [png, jpeg, tiff]


def sources(out: Path, real: bool, folder: Path | None = None) -> list[Path]:
    """The PDFs to scan: the samples, or the real documents (or those of ``folder``) printed
    into OUT/text/."""
    if folder is not None:
        return printed_folder(folder, out / "text")
    return printed_real(out / "text") if real else sorted(SAMPLES.glob("*.pdf"))


def full_set(
    out: Path, looks: list[str] | None = None, real: bool = False, prefixes: list[str] | None = None, folder: Path | None = None
) -> dict[str, list[Path]]:
    """Every source at each look (default: all): OUT/<look>/<stem>.pdf (.tif for photos)."""
    written: dict[str, list[Path]] = {}
    for name in looks or list(LOOKS):
        for pdf in sources(out, real, folder):
            if prefixes and not pdf.name.startswith(tuple(prefixes)):
                continue
            written.setdefault(name, []).append(scanned_copy(pdf, LOOKS[name], out))
    return written


def page_images(paths: list[Path], out: Path, keep_dpi: bool = True) -> list[Path]:
    """The pages of scanned PDFs as image files (JPEG as stored, or PNG for grey), as a
    scanner that writes one image per page would; ``keep_dpi`` False drops the resolution
    from the files, as phones and many scanners' JPEGs do."""
    out.mkdir(parents=True, exist_ok=True)
    images = []
    for path in paths:
        document = pypdfium2.PdfDocument(path)
        try:
            for index in range(len(document)):
                target = out / f"{path.stem}-p{index + 1}.jpg"
                if not target.exists():
                    image_object = next(document[index].get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))
                    pixels = image_object.get_bitmap(render=False).to_pil()
                    dpi = pixels.width / (document[index].get_width() / 72)
                    pixels.save(target, quality=90, **({"dpi": (dpi, dpi)} if keep_dpi else {}))
                images.append(target)
        finally:
            document.close()
    return images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "corpus" / "scans")
    parser.add_argument("--full", action="store_true", help="every source at every look (or those of --looks)")
    parser.add_argument("--real", action="store_true", help="the real documents of the shared corpus, not the samples")
    parser.add_argument("--looks", nargs="+", choices=list(LOOKS), help="only these looks")
    parser.add_argument("--sources", type=Path, help="the documents of this folder (e.g. ../shared/corpus/pool), printed as vnplan reads them")
    args = parser.parse_args(argv)
    if args.full:
        paths = [p for group in full_set(args.out, args.looks, args.real, folder=args.sources).values() for p in group]
    else:
        paths = small_set(args.out)
    for path in paths:
        print(f"{path.stat().st_size / 1e6:6.2f} MB  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
