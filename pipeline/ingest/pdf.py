"""PDF files: the text layer, or OCR for the pages whose layer is missing or garbled.

pypdfium2 reads every page. Its text follows the content stream, so a two-column
table (the header on page 1, the signature table at the end) comes out in block order
when the producer drew it cell by cell, and row by row across both columns when it
drew it line by line. Only in the second case are the columns split, from word boxes.

The word boxes come from pdfium's own character boxes (get_charbox), read only over
the tables' characters: splitting both tables of the 1-page row-wise test letter takes
1.5 ms this way against 19 ms for pdfplumber's extract_words on that page, and 3.6 ms
against 81 ms on a 2-page 13 pt letter. Cropping the pdfplumber page first saves
nothing, as pdfminer parses the whole page either way (corpus 004 page 1: 89.5 ms
cropped, 88.9 ms not). pdfplumber's words remain the fallback, used when pdfium's
boxes do not account for every character pdfium finds in a table's band.
"""

from __future__ import annotations

import ctypes
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from typing import NamedTuple

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

from pipeline.ingest import lines as source_lines
from pipeline.ingest.layout import (
    Region,
    Row,
    Word,
    column_rows,
    group_rows,
    header_interleaved,
    header_region,
    signature_anchor,
    signature_interleaved,
    signature_region,
)
from pipeline.ingest.legacy import repair_legacy
from pipeline.ingest.ocr import (
    OcrResult,
    PageImage,
    ocr_page,
    read_pages,
    repair_outline,
    short_layer,
    text_layer_problem,
)
from pipeline.ingest.ocr import (
    settings as ocr_settings,
)
from pipeline.ingest.ocr_correct import correct_pages
from pipeline.ingest.ocr_tables import task_table_rows
from pipeline.ingest.pdf_tables import task_table_lines
from pipeline.ingest.positions import NOWHERE, Font, Placed, page_blocks, page_layouts
from pipeline.ingest.sealed import read_again
from pipeline.ingest.stamped import (
    Stamp,
    blank_fields,
    fill,
    read_stamps,
    stamp_warnings,
)
from pipeline.records import IngestError, Layout, Page, RecordWarning
from pipeline.rules import load_model
from pipeline.text import normalise_unicode

# The header table sits in the first lines of page 1.
HEADER_CHARS = 600

# A table region and the heights (from the top of the page) between which it lies.
TableBand = tuple[float, float, Region]


def open_pdf(data: bytes) -> pypdfium2.PdfDocument:
    """PDFium's error code tells a locked file from a broken one; say which."""
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise IngestError("the PDF is encrypted (password protected) and cannot be read") from error
        raise IngestError(f"corrupt or truncated PDF: {error}") from error


def _clean(text: str) -> str:
    """A page set in a TCVN3 or VNI font gives legacy text: converted before anything reads it."""
    return legacy_cleaned(text)[0]


def legacy_cleaned(text: str) -> tuple[str, str | None]:
    """The text in Unicode with its line ends unified, and the legacy encoding it was in."""
    return repair_legacy(text.replace("\r\n", "\n").replace("\r", "\n"))


def band_text(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, top: float, bottom: float) -> str:
    """Text between two heights given from the top of the page (pdfplumber's convention)."""
    height = page.get_height()
    return _clean(textpage.get_text_bounded(0, height - bottom, page.get_width(), height - top))


def plumber_rows(data: bytes, index: int) -> list[Row]:
    """pdfplumber's words of one page, or none if pdfminer cannot parse what pdfium could.
    pdfplumber is imported here, the first time a page needs it (pipeline.batch.warm_readers)."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            words = pdf.pages[index].extract_words()
    except PdfminerException:
        return []
    return group_rows(Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words)


def pdfium_words(textpage: pypdfium2.PdfTextPage, raw: str, span: range, height: float) -> list[Word]:
    """Words from pdfium's loose character boxes (the font's height, so a line's
    characters share a middle); any whitespace, generated or drawn, ends a word.
    ``raw`` is the page's text, one character per pdfium character index."""
    words: list[Word] = []
    chars: list[tuple[str, tuple[float, float, float, float]]] = []
    start = 0
    for index in [*span, None]:
        if index is not None and not raw[index].isspace():
            if not chars:
                start = index
            chars.append((raw[index], textpage.get_charbox(index, loose=True)))
            continue
        if chars:
            words.append(_word(chars, height, start))
            chars = []
    return words


def _word(chars: list[tuple[str, tuple[float, float, float, float]]], height: float, start: int) -> Word:
    """pdfium's boxes are (left, bottom, right, top) from the bottom of the page."""
    return Word(
        "".join(char for char, _ in chars),
        min(box[0] for _, box in chars),
        max(box[2] for _, box in chars),
        height - max(box[3] for _, box in chars),
        height - min(box[1] for _, box in chars),
        start,
    )


def table_span(raw: str, header: bool, signature: bool) -> range:
    """The characters the tables can hold: the header zone of page 1 (to the end of
    its last line), and everything from the last recipients-label line on."""
    lines = raw.split("\n")
    labels = [i for i, line in enumerate(lines) if signature_anchor().search(normalise_unicode(line))]
    start = 0 if header or not labels else sum(len(line) + 1 for line in lines[: labels[-1]])
    header_end = raw.find("\n", HEADER_CHARS)
    end = len(raw) if signature or header_end < 0 else header_end
    return range(start, end)


def _cut(rows: list[Row], above: int, below: int, default: float) -> float:
    """A height between two rows, so that no line is cut in half."""
    if 0 <= above < len(rows) and 0 <= below < len(rows):
        return (rows[above].bottom + rows[below].top) / 2
    return default


def table_bands(rows: list[Row], regions: list[Region], top: float, bottom: float) -> list[TableBand]:
    """Each region with the heights that cut it from the rest of the page, top first;
    a region at the first or last row read ends at ``top`` or ``bottom``."""
    return [
        (
            _cut(rows, region.first - 1, region.first, top),
            _cut(rows, region.last, region.last + 1, bottom),
            region,
        )
        for region in sorted(regions, key=lambda r: r.first)
    ]


def region_words(rows: list[Row], region: Region) -> Iterable[Word]:
    return (word for row in rows[region.first : region.last + 1] for word in row.words)


def accounted(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, rows: list[Row], bands: list[TableBand]) -> bool:
    """Every character pdfium finds in a table's band is among the words read for it;
    one drawn out of order, outside the characters read, would otherwise be lost."""
    return all(
        Counter("".join(band_text(page, textpage, top, bottom).split()))
        == Counter("".join(word.text for word in region_words(rows, region)))
        for top, bottom, region in bands
    )


def compose(
    page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, rows: list[Row], bands: list[TableBand], layer: TextLayer, fonts: FontBook
) -> tuple[str, list[Placed]]:
    """The page's text with each table band replaced by its column-wise lines, and where
    each line stands: a column line from its words, any other from the line of the text
    layer it repeats."""
    pieces: list[tuple[str, list[Placed]]] = []
    others = _LayerLines(layer)
    cursor = 0.0
    for top, bottom, region in bands:
        pieces.append(others.piece(band_text(page, textpage, cursor, top)))
        left, right = column_rows(rows[region.first : region.last + 1], region.split_x)
        column = left + right
        pieces.append(("\n".join(row.text for row in column), [row_placed(textpage, page, row, fonts) for row in column]))
        cursor = bottom
    pieces.append(others.piece(band_text(page, textpage, cursor, page.get_height())))
    kept = [(text.strip("\n"), placed) for text, placed in pieces if text.strip()]
    return "\n".join(text for text, _ in kept), [line for _, placed in kept for line in placed] or [NOWHERE]


class _LayerLines:
    """The text layer's lines, matched in order to the lines of the bands read around a table
    (pdfium reads a band's lines as it reads them in the whole page)."""

    def __init__(self, layer: TextLayer) -> None:
        self.lines = [line.strip() for line in layer.text.split("\n")]
        self.placed = layer.placed
        self.next = 0

    def piece(self, text: str) -> tuple[str, list[Placed]]:
        return text, [self.find(line.strip()) for line in text.strip("\n").split("\n")]

    def find(self, line: str) -> Placed:
        for index in range(self.next, len(self.lines)):
            if self.lines[index] == line:
                self.next = index + 1
                return self.placed[index]
        return NOWHERE


def row_placed(textpage: pypdfium2.PdfTextPage, page: pypdfium2.PdfPage, row: Row, fonts: FontBook) -> Placed:
    """A column line regrouped from words: its box from theirs, its font from its first
    word's first character (pdfplumber's words are found by position)."""
    first = row.words[0]
    char = first.char
    if char is None:
        middle = page.get_height() - (first.top + first.bottom) / 2
        char = pdfium_c.FPDFText_GetCharIndexAtPos(textpage.raw, first.x0 + 1, middle, 2.0, 2.0)
    return Placed(row_box(row), fonts.font(textpage.raw, char) if char >= 0 else None)


def row_box(row: Row) -> Word:
    """A line regrouped from words (pdfium's, pdfplumber's or Tesseract's), as one box."""
    return Word(row.text, min(w.x0 for w in row.words), max(w.x1 for w in row.words), row.top, row.bottom)


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


def signed_pages(texts: list[str]) -> list[bool]:
    """Which pages carry the closing table's recipients label (normalised texts)."""
    return [signature_anchor().search(text) is not None for text in texts]


def layout_pages(texts: list[str], signed_at: list[bool]) -> dict[int, tuple[bool, bool]]:
    """Which pages need their tables split: page 1 if its header zone was read across
    both columns, and the last page with the recipients label (``signed_at``) if its
    closing table was. The texts are normalised already, as the anchors are."""
    wanted: dict[int, tuple[bool, bool]] = {}
    if texts and header_interleaved(texts[0][:HEADER_CHARS]):
        wanted[0] = (True, False)
    signed = [i for i, label in enumerate(signed_at) if label]
    if signed and signature_interleaved(texts[signed[-1]]):
        wanted[signed[-1]] = (signed[-1] in wanted, True)
    return wanted


def split_columns(
    data: bytes,
    index: int,
    page: pypdfium2.PdfPage,
    header: bool,
    signature: bool,
    layer: TextLayer,
    fonts: FontBook,
    textpage: pypdfium2.PdfTextPage | None = None,
) -> tuple[str, list[Placed]]:
    """The page's text with its tables read column-wise: from pdfium's boxes when they
    account for the tables, else from pdfplumber's; unsplit if neither finds a table.
    Also where each line stands (``layer`` is the page's text layer as read whole).
    ``textpage``: the page's text page, if the caller keeps it open."""
    with _text_page(page, textpage) as textpage:
        raw = textpage.get_text_range()
        height = page.get_height()
        rows = group_rows(pdfium_words(textpage, raw, table_span(raw, header, signature), height))
        regions = table_regions(rows, header, signature)
        bands = table_bands(rows, regions, rows[0].top, rows[-1].bottom) if regions else []
        if not accounted(page, textpage, rows, bands):
            rows = plumber_rows(data, index)
            bands = table_bands(rows, table_regions(rows, header, signature), 0.0, height)
        return compose(page, textpage, rows, bands, layer, fonts) if bands else (_clean(raw), layer.placed)


@contextmanager
def _text_page(page: pypdfium2.PdfPage, opened: pypdfium2.PdfTextPage | None) -> Iterator[pypdfium2.PdfTextPage]:
    """The page's text page: ``opened``, which its caller keeps open, else one made and closed here."""
    if opened is not None:
        yield opened
        return
    textpage = page.get_textpage()
    try:
        yield textpage
    finally:
        textpage.close()


# --------------------------------------------------------------------------- where the text layer's lines stand


class TextLayer(NamedTuple):
    """A page's text layer in Unicode, the legacy encoding it was in, and where each of its
    lines stands."""

    text: str
    encoding: str | None
    placed: list[Placed]
    width: float


# The buffer pdfium writes a font's name into; a longer name is not read (its font is keyed by flags and size alone).
FONT_NAME_BYTES = 128


class FontBook:
    """Size, bold and italic of the fonts of a document, each (font, size) read once: bold
    and italic from the font's name, flags and weight, the size as pdfium gives it."""

    def __init__(self) -> None:
        rules = load_model("layout")["pdf_fonts"]
        self.bold_weight = rules["bold_weight"]
        self.italic_flag = rules["italic_flag"]
        self.bold_name = re.compile("|".join(rules["bold_names"]), re.IGNORECASE)
        self.italic_name = re.compile("|".join(rules["italic_names"]), re.IGNORECASE)
        self.fonts: dict[tuple[bytes, int, float], Font] = {}
        self.name = ctypes.create_string_buffer(FONT_NAME_BYTES)
        self.flags = ctypes.c_int()

    def font(self, handle: object, char: int) -> Font | None:
        """The font of pdfium character ``char`` of a text page (its raw handle)."""
        needed = pdfium_c.FPDFText_GetFontInfo(handle, char, self.name, FONT_NAME_BYTES, self.flags)
        if not needed:
            return None
        key = (self.name.value if needed <= FONT_NAME_BYTES else b"", self.flags.value, pdfium_c.FPDFText_GetFontSize(handle, char))
        found = self.fonts.get(key)
        if found is None:
            name = key[0].decode("latin-1")
            bold = pdfium_c.FPDFText_GetFontWeight(handle, char) >= self.bold_weight or bool(self.bold_name.search(name))
            italic = bool(key[1] & self.italic_flag) or bool(self.italic_name.search(name))
            found = self.fonts[key] = Font(round(key[2], 1) if key[2] > 0 else None, bold, italic)
        return found


_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends legacy_cleaned unifies
# A line's font is its first letter's or digit's: a bullet or a bracket may be set in another.
_LETTER = re.compile(r"[^\W_]")


def text_layer(page: pypdfium2.PdfPage, fonts: FontBook, textpage: pypdfium2.PdfTextPage | None = None) -> TextLayer:
    """The page's text layer, and where each line of it stands: read from pdfium for the
    line's first letter (its font) and its first and last characters (its box), a handful
    of calls per line rather than per character. ``textpage``: the page's text page, if the
    caller keeps it open (else one is made and closed here)."""
    with _text_page(page, textpage) as textpage:
        raw = textpage.get_text_range()
        text, encoding = legacy_cleaned(raw)
        return TextLayer(text, encoding, _placed_lines(textpage, raw, page, fonts), page.get_width())


def _line_spans(raw: str) -> list[tuple[int, str]]:
    """Each line of the raw text with the index it starts at. pdfium ends its lines with
    "\r\n"; a text with other line ends is split by pattern (slower)."""
    if raw.count("\r\n") == raw.count("\n") == raw.count("\r"):
        spans, start = [], 0
        for line in raw.split("\r\n"):
            spans.append((start, line))
            start += len(line) + 2
        return spans
    ends = [(match.start(), match.end()) for match in _BREAK.finditer(raw)]
    starts = [0, *(end for _, end in ends)]
    return [(start, raw[start:stop]) for start, stop in zip(starts, [*(begin for begin, _ in ends), len(raw)])]


def _unconverted(function: Callable, restype: type) -> Callable:
    """A pdfium function that ctypes calls without converting each argument to its declared
    type (argtypes): 0.37 us a call against 0.75, and every line of every page makes four.
    Its callers pass ctypes values of those types (pointers by byref) or int indices."""
    return ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)


_LOOSE_CHAR_BOX = _unconverted(pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDF_BOOL)
_FONT_INFO = _unconverted(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong)
_FONT_SIZE = _unconverted(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_NAME_SIZE = ctypes.c_ulong(FONT_NAME_BYTES)


def _placed_lines(textpage: pypdfium2.PdfTextPage, raw: str, page: pypdfium2.PdfPage, fonts: FontBook) -> list[Placed]:
    """Each line's box and font. This runs for every line of every page, so its names are
    looked up once, pdfium is called through _unconverted, and a character's pdfium index
    is taken to be its text index unless they differ on the page."""
    handle = textpage.raw
    shifted = _shifted(textpage, raw)
    height = page.get_height()
    boxed = not page.get_rotation()  # a turned page's boxes do not run along its lines
    rect = pdfium_c.FS_RECTF()
    box_of, rect_at, to_char = _LOOSE_CHAR_BOX, ctypes.byref(rect), pdfium_c.FPDFText_GetCharIndexFromTextIndex
    info, size_of, name, name_size, flags, flags_at = _FONT_INFO, _FONT_SIZE, fonts.name, _NAME_SIZE, fonts.flags, ctypes.byref(fonts.flags)
    known = fonts.fonts
    placed = []
    for start, line in _line_spans(raw):
        stripped = line.strip()
        if not stripped:
            placed.append(NOWHERE)
            continue
        first = start + len(line) - len(line.lstrip())
        last = first + len(stripped) - 1
        letter = first
        if not stripped[0].isalnum():
            found = _LETTER.search(stripped)
            letter = first + found.start() if found else first
        if shifted:
            first, last, letter = to_char(handle, first), to_char(handle, last), to_char(handle, letter)
        # FontBook.font, written out: a method call per line costs as much as a pdfium call
        font = None
        if needed := info(handle, letter, name, name_size, flags_at):
            font = known.get((name.value if needed <= FONT_NAME_BYTES else b"", flags.value, size_of(handle, letter))) or fonts.font(handle, letter)
        box = None
        if boxed and box_of(handle, first, rect_at):
            left, top, bottom = rect.left, height - rect.top, height - rect.bottom
            if box_of(handle, last, rect_at):
                box = Word("", left, rect.right, top, bottom)
        placed.append(Placed(box, font))
    return placed


def _shifted(textpage: pypdfium2.PdfTextPage, raw: str) -> bool:
    """pdfium's character indices differ from the text's: it left out or added characters
    in the text it gave (rare; its own mapping call is then used per line)."""
    count = textpage.count_chars()
    return count != len(raw) or bool(count) and pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, count - 1) != count - 1


def read_pdf(
    data: bytes, ocr: str = "auto", searchable: bool = False
) -> tuple[list[Page], list[RecordWarning], str | None, set[int]]:
    """One Page per PDF page; a page whose text layer is missing or garbled is OCRed
    (ocr="auto"), or every page is (ocr="always"), or none (ocr="never"): an empty page
    is then kept and flagged. Also the legacy encoding (tcvn3, vni) of the text layer
    kept, if it was in one, and the numbers of the pages whose text is normalise_unicode's
    as it gave it (the text layers, read normalised for the form's anchors, that nothing
    changed after: not a header a stamp was written into)."""
    document = open_pdf(data)
    fonts = FontBook()
    try:
        pages = [document[i] for i in range(len(document))]
        # The first page's text page is kept open: its header's table and blanks are read in it.
        first = pages[0].get_textpage() if pages else None
        layers = [text_layer(page, fonts, first if index == 0 else None) for index, page in enumerate(pages)]
        texts = [normalise_unicode(layer.text) for layer in layers]
        placed = [layer.placed for layer in layers]
        signed = signed_pages(texts)  # reordering a page's lines or its task table keeps its label
        for index, (header, signature) in layout_pages(texts, signed).items():
            opened = first if index == 0 else None
            text, placed[index] = split_columns(data, index, pages[index], header, signature, layers[index], fonts, opened)
            texts[index] = normalise_unicode(text)
        for index, text in enumerate(texts):
            tabled = task_table_lines(data, index, text)
            if tabled is not None:
                lines, origins = tabled
                texts[index] = normalise_unicode("\n".join(lines))
                placed[index] = [placed[index][o] if isinstance(o, int) else Placed(cell=o) for o in origins]
        reasons = [ocr_reason(page, text, ocr) for page, text in zip(pages, texts)]
        wanted = [index for index, reason in enumerate(reasons) if reason]
        results = dict(zip(wanted, read_pages([renderer(pages[i]) for i in wanted], searchable=searchable)))
        results, reread = read_again(results, lambda index: renderer(pages[index]))
        read = [results.get(i) for i in range(len(texts))]
        layer_texts = list(texts)  # as normalise_unicode gave them
        texts, ocr_placed, corrected = ocr_texts(read, texts)
        stamps: list[Stamp] = []
        if texts and ocr != "never":  # reading a stamp is OCR too
            formless = document.get_formtype() == pdfium_c.FORMTYPE_NONE
            opened = (pages[0], first) if formless else None
            texts[0], stamps = stamped_header(data, texts[0], results[0].rows if 0 in results else None, opened)
    finally:
        document.close()
    blank_because = "and OCR is off (--ocr never)" if ocr == "never" else "and nothing for OCR to read (a blank page or a drawing)"
    warnings = [
        RecordWarning(code="no-text-layer", message=f"page {n} has no text layer, {blank_because}", page=n)
        for n, text in enumerate(texts, start=1)
        if not text.strip() and n - 1 not in results
    ]
    blocks = page_blocks([layer.width for layer in layers], [None if i in results else p for i, p in enumerate(placed)])
    ocr_layouts = layouts_of_ocr(texts, ocr_placed, [result.width if result else 0.0 for result in read])
    result: list[Page] = []
    for index, text in enumerate(texts):
        if index in results:
            page, page_warnings = ocr_page(index + 1, text, results[index], ocr_layouts[index])
            result.append(page)
            warnings += [ocr_used(index + 1, reasons[index]), *page_warnings]
        else:
            layouts = page_layouts(placed[index], blocks[index], index == 0, signed[index], text)
            result.append(source_lines.page(index + 1, text, layouts, "text-layer"))
    encoding = next((layer.encoding for i, layer in enumerate(layers) if layer.encoding and i not in results), None)
    normalised = {index + 1 for index, text in enumerate(texts) if index not in results and text == layer_texts[index]}
    return result, warnings + stamp_warnings(stamps) + reread + corrected, encoding, normalised


def stamped_header(
    data: bytes, text: str, rows: list[Row] | None, opened: tuple[pypdfium2.PdfPage, pypdfium2.PdfTextPage] | None
) -> tuple[str, list[Stamp]]:
    """The first page's text with the values drawn over its header's blanks written in
    (pipeline/ingest/stamped.py), and what was read; only when the text has a blank. The
    file is opened again if it has forms, else its first page and text page as ``opened``
    are read. ``rows``: OCR's words, when the page was read by OCR."""
    if not blank_fields(text):
        return text, []
    stamps = read_stamps(data, 0, rows, opened)
    return fill(text, stamps), stamps


# --------------------------------------------------------------------------- OCRed pages


def has_image(page: pypdfium2.PdfPage) -> bool:
    """A scanned page carries its scan as an image object."""
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def ocr_reason(page: pypdfium2.PdfPage, text: str, mode: str) -> str | None:
    """Why this page is to be OCRed, or None to keep its text layer. A page with almost no
    text and no image (a blank page, a drawing) has nothing for OCR to read, unless its
    text is drawn as outlines."""
    if mode == "never":
        return None
    if mode == "always":
        return "OCR asked for every page"
    problem = text_layer_problem(text)
    if problem and short_layer(problem) and not has_image(page):
        return "text drawn as outlines" if drawn_text(page) else None
    return problem


def drawn_text(page: pypdfium2.PdfPage) -> bool:
    """A page with no text but many paths: its words drawn as curves."""
    least = ocr_settings()["text_layer"]["min_drawn_paths"]
    paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
    return sum(1 for _ in islice(paths, least)) >= least


def renderer(page: pypdfium2.PdfPage) -> Callable[[], PageImage]:
    """The page's pixels when called, at the resolution chosen for OCR (render_dpi) or finer.

    A scanned page, one image over the whole page, gives its own pixels: decoding them
    takes 0.02 s where rasterising the page at 300 dpi takes 0.19 s (bench/ocr.py), and
    they are the scanner's, not a resampling of them. A coarser scan is rasterised at
    render_dpi: pdfium's resampling of the 200 dpi test scans reads better than PIL's
    bicubic (scripts/measure_ocr.py: document.symbol 0.8 against 1.0)."""
    return lambda: scanned_image(page) or PageImage(page.render(scale=_render_dpi() / 72, grayscale=True).to_pil(), _render_dpi())


def _render_dpi() -> int:
    return ocr_settings()["render_dpi"]


def scanned_image(page: pypdfium2.PdfPage) -> PageImage | None:
    """The pixels of the one upright image that covers the page, or None. Colour is kept
    (OCR takes the ink of seals out), and a JPEG is handed over undecoded, so that OCR
    decodes it straight at a reduced size (ocr.decoded)."""
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) != 1 or page.get_rotation():
        return None
    width, height = page.get_size()
    left, bottom, right, top = images[0].get_bounds()
    if (right - left) * (top - bottom) < ocr_settings()["scan_image_cover"] * width * height:
        return None
    matrix = images[0].get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:  # turned, sheared or flipped: let pdfium draw it
        return None
    width_px, _ = images[0].get_px_size()
    dpi = width_px / ((right - left) / 72)
    if round(dpi) < _render_dpi():  # page sizes in points are rounded: 2480 px over A4 is 299.99 dpi
        return None
    try:
        if images[0].get_filters() == ["DCTDecode"]:
            jpeg = Image.open(io.BytesIO(bytes(images[0].get_data(decode_simple=False))))
            if jpeg.size == images[0].get_px_size() and jpeg.mode in ("L", "RGB"):
                return PageImage(jpeg, dpi)
        return PageImage(images[0].get_bitmap(render=False).to_pil(), dpi)
    except (pypdfium2.PdfiumError, OSError):
        return None


def ocr_used(number: int, reason: str) -> RecordWarning:
    return RecordWarning(code="ocr", message=f"page {number} read by OCR: {reason}", page=number)


def ocr_compose(rows: list[Row], header: bool, signature: bool) -> tuple[str, list[Placed]]:
    """An OCRed page's lines, with the form's tables read column by column where asked,
    and each line's box."""
    lines: list[Row] = []
    cursor = 0
    for region in sorted(table_regions(rows, header, signature), key=lambda r: r.first):
        lines += rows[cursor : region.first]
        left, right = column_rows(rows[region.first : region.last + 1], region.split_x)
        lines += left + right
        cursor = region.last + 1
    lines += rows[cursor:]
    return "\n".join(row.text for row in lines), [Placed(row_box(row)) for row in lines] or [NOWHERE]


def ocr_texts(
    results: list[OcrResult | None], texts: list[str]
) -> tuple[list[str], list[list[Placed] | None], list[RecordWarning]]:
    """Each OCRed page's text, the others' kept: the tables are looked for across the
    document (the header on page 1, the signature on the last page that has one), then
    outline numerals and misread words are repaired (an `ocr-corrected` warning per
    page lists the words). Also each OCRed page's line boxes (None for the others)."""
    if not any(results):  # nothing OCRed: nothing to compose or repair
        return texts, [None] * len(texts), []
    results = [replace(result, rows=task_table_rows(result.rows)) if result else None for result in results]
    texts = [
        normalise_unicode("\n".join(row.text for row in result.rows)) if result else text
        for result, text in zip(results, texts)
    ]
    wanted = layout_pages(texts, signed_pages(texts))
    composed = [
        ocr_compose(result.rows, *wanted.get(index, (False, False))) if result else (text, None)
        for index, (result, text) in enumerate(zip(results, texts))
    ]
    repaired = repair_outline(
        [normalise_unicode(text) if result else text for result, (text, _) in zip(results, composed)],
        [result is not None for result in results],
    )
    texts, warnings = correct_pages(repaired, [result.doubtful if result else None for result in results])
    return texts, [placed for _, placed in composed], warnings


def layouts_of_ocr(texts: list[str], placed: list[list[Placed] | None], widths: list[float]) -> list[list[Layout] | None]:
    """The Layouts of each OCRed page's lines (None for the others): positions against the
    block of the OCRed pages as wide, sizes estimated from the lines' heights."""
    blocks = page_blocks(widths, placed)
    per_height = ocr_settings()["size_per_line_height"]
    return [
        None if lines is None else page_layouts(lines, block, index == 0, signed_pages([text])[0], text, per_height)
        for index, (text, lines, block) in enumerate(zip(texts, placed, blocks))
    ]
