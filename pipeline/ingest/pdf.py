"""PDF files with a text layer.

pypdfium2 reads text about 25 times faster than pdfplumber with the same result, so
it reads every page. pdfplumber's word boxes are used only where the layout matters:
the header table on page 1 and the signature table at the end, which pdfium would
read row by row across both columns.
"""

from __future__ import annotations

import io
import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.ingest.layout import (
    Region,
    Row,
    Word,
    column_lines,
    group_rows,
    header_anchor,
    header_region,
    signature_anchor,
    signature_region,
)
from pipeline.records import IngestError, Page, Warning
from pipeline.segment.normalise import normalise_unicode

# The header table sits in the first lines of page 1.
HEADER_CHARS = 600


def open_pdf(data: bytes) -> pypdfium2.PdfDocument:
    """PDFium's error code tells a locked file from a broken one; say which."""
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise IngestError("the PDF is encrypted (password protected) and cannot be read") from error
        raise IngestError(f"corrupt or truncated PDF: {error}") from error


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def full_text(page: pypdfium2.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return _clean(textpage.get_text_range())
    finally:
        textpage.close()


def band_text(page: pypdfium2.PdfPage, top: float, bottom: float) -> str:
    """Text between two heights given from the top of the page (pdfplumber's convention)."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        return _clean(textpage.get_text_bounded(0, height - bottom, page.get_width(), height - top))
    finally:
        textpage.close()


def plumber_rows(pdf: pdfplumber.PDF, index: int) -> list[Row]:
    words = pdf.pages[index].extract_words()
    return group_rows(Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words)


def _cut(rows: list[Row], above: int, below: int, default: float) -> float:
    """A height between two rows, so that no line is cut in half."""
    if 0 <= above < len(rows) and 0 <= below < len(rows):
        return (rows[above].bottom + rows[below].top) / 2
    return default


def compose(page: pypdfium2.PdfPage, rows: list[Row], regions: list[Region]) -> str:
    """The page's text with each table region replaced by its column-wise lines."""
    parts: list[str] = []
    cursor = 0.0
    for region in sorted(regions, key=lambda r: r.first):
        top = _cut(rows, region.first - 1, region.first, 0.0)
        bottom = _cut(rows, region.last, region.last + 1, page.get_height())
        parts.append(band_text(page, cursor, top))
        parts.append("\n".join(column_lines(rows[region.first : region.last + 1], region.split_x)))
        cursor = bottom
    parts.append(band_text(page, cursor, page.get_height()))
    return "\n".join(part.strip("\n") for part in parts if part.strip())


def table_regions(rows: list[Row], header: bool, signature: bool) -> list[Region]:
    """The tables wanted on this page; on a one-page letter they must not overlap."""
    if not rows:
        return []
    page_left = min(word.x0 for row in rows for word in row.words) - 1
    page_right = max(word.x1 for row in rows for word in row.words) + 1
    found = [
        header_region(rows, page_left) if header else None,
        signature_region(rows, page_right) if signature else None,
    ]
    regions = [region for region in found if region is not None]
    if len(regions) == 2 and regions[1].first <= regions[0].last:
        return regions[:1]
    return regions


def layout_pages(texts: list[str]) -> dict[int, tuple[bool, bool]]:
    """Which pages need word boxes: page 1 if it opens with the motto, and the last
    page that has "Nơi nhận"."""
    wanted: dict[int, tuple[bool, bool]] = {}
    if texts and header_anchor().search(normalise_unicode(texts[0][:HEADER_CHARS])):
        wanted[0] = (True, False)
    signed = [i for i, text in enumerate(texts) if signature_anchor().search(normalise_unicode(text))]
    if signed:
        wanted[signed[-1]] = (signed[-1] in wanted, True)
    return wanted


def read_pdf(data: bytes) -> tuple[list[Page], list[Warning]]:
    """One Page per PDF page; empty pages are kept and flagged for OCR."""
    document = open_pdf(data)
    try:
        pages = [document[i] for i in range(len(document))]
        texts = [full_text(page) for page in pages]
        wanted = layout_pages(texts)
        if wanted:
            texts = _with_layout(data, pages, texts, wanted)
    finally:
        document.close()
    warnings = [
        Warning(code="no-text-layer", message=f"page {n} has no text layer; OCR needed", page=n)
        for n, text in enumerate(texts, start=1)
        if not text.strip()
    ]
    result = [
        Page(number=n, text=normalise_unicode(text), method="text-layer")
        for n, text in enumerate(texts, start=1)
    ]
    return result, warnings


def _with_layout(
    data: bytes, pages: list[pypdfium2.PdfPage], texts: list[str], wanted: dict[int, tuple[bool, bool]]
) -> list[str]:
    """pdfium's text with the table regions re-read column-wise; if pdfminer cannot
    parse a file that pdfium could, pdfium's row-wise text is still the best we have."""
    texts = list(texts)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index, (header, signature) in wanted.items():
                rows = plumber_rows(pdf, index)
                regions = table_regions(rows, header, signature)
                if regions:
                    texts[index] = compose(pages[index], rows, regions)
    except PdfminerException:
        pass
    return texts
