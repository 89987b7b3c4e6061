"""Values drawn over the blanks of a header: the number and day a signing system stamps.

A province's signing system publishes the form with blanks in its text layer ("Số: /KH-UBND",
"Bỉm Sơn, ngày tháng năm 2024") and draws the number and the day over them, inside
signature widgets or annotations; a scan may carry a number stamped on paper under a text
layer with the same blank. The page's text alone says the field is blank; its rendering
says otherwise. Each blank of the first page's header is found in the text layer, its gap
between the words either side is rendered with widgets and annotations, and ink there is read
by Tesseract as one line of digits (models/stamped.yaml). Ink drawn over the page is told
from the page by rendering it twice, with and without widgets and annotations, so that the
printed words around the gap stay out of what is read. A gap with no ink (a draft) stays blank.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2
import pypdfium2.raw as pdfium_c
import regex
from PIL import Image, ImageOps

from pipeline.ingest.layout import Row
from pipeline.records import RecordWarning
from pipeline.rules import compiled, load_model

# A box in points from the page's top left: (x0, top, x1, bottom), as the layout's words.
Box = tuple[float, float, float, float]
# A blank's box, its line's height, and the boxes of the characters the text layer itself
# prints in it (the dots of "Số: ………/KH"), whose ink is not a stamp.
Gap = tuple[Box, float, tuple[Box, ...]]

DRAWN = "drawn over the page (signature widget or annotation)"
IN_PAGE = "in the page itself (scan or drawing)"


@dataclass(frozen=True)
class Stamp:
    """A header field found blank in the text layer with ink over it, and what the ink reads."""

    field: str  # number | day | month
    value: str | None  # None: ink that was not read with confidence
    page: int
    box: Box
    method: str  # DRAWN or IN_PAGE
    confidence: float | None = None
    readings: tuple[str, ...] = ()  # what each resolution read, for the warning


@functools.cache
def settings() -> dict[str, Any]:
    return load_model("stamped")


def _field_pattern(field: str) -> regex.Pattern:
    return compiled(settings()["fields"][field]["pattern"])


def blank_fields(text: str) -> list[tuple[str, regex.Match]]:
    """The header's blank fields in a page's text, each with its first match."""
    head = text[: settings()["search_chars"]]
    found = ((field, _field_pattern(field).search(head)) for field in settings()["fields"])
    return [(field, match) for field, match in found if match]


def fill(text: str, stamps: list[Stamp]) -> str:
    """The page's text with each value read written into its blank ("Số: 3070/KH-UBND")."""
    for stamp in stamps:
        if stamp.value is None:
            continue
        match = _field_pattern(stamp.field).search(text[: settings()["search_chars"]])
        if match:
            written = f" {stamp.value}" if stamp.field == "number" else f" {stamp.value} "
            text = text[: match.start("blank")] + written + text[match.end("blank") :]
    return text


def read_stamps(data: bytes, index: int, rows: list[Row] | None = None) -> list[Stamp]:
    """The blanks of page ``index`` that hold ink, each read or not. The file is opened again
    with its forms, which pdfium draws only when they are set up before a page is loaded.

    The blanks are found in the page's text layer, or, for a page read by OCR, among the
    words OCR found (``rows``): OCR saw the page without its widgets, so there only ink
    drawn over the page is read (a number written on the paper was OCR's to read)."""
    document = pypdfium2.PdfDocument(data)
    try:
        document.init_forms()
        page = document[index]
        if page.get_rotation():  # a turned page's character boxes do not run along its lines
            return []
        if rows is None:
            textpage = page.get_textpage()
            try:
                raw = textpage.get_text_range()
                gaps = [(field, _gap(page, textpage, match)) for field, match in blank_fields(raw)]
            finally:
                textpage.close()
        else:
            gaps = _word_gaps(rows)
        stamps = [_read(page, index + 1, field, gap, rows is not None) for field, gap in gaps if gap is not None]
        return [stamp for stamp in stamps if stamp is not None]
    finally:
        document.close()


def _word_gaps(rows: list[Row]) -> list[tuple[str, Gap | None]]:
    """The blanks among OCR's words of the header: the gap between the words either side of
    each field (models/stamped.yaml, ``words``), on the first row that has both."""
    words = settings()["words"]
    gaps = []
    for field, (before, after) in words.items():
        left_rule, right_rule = compiled(before), compiled(after)
        for row in rows[: settings()["header_rows"]]:
            pairs = zip(row.words, row.words[1:])
            found = next(((a, b) for a, b in pairs if left_rule.fullmatch(a.text) and right_rule.match(b.text)), None)
            if found:
                left, right = found
                line = row.bottom - row.top
                if right.x0 - left.x1 >= settings()["min_gap"] * line:
                    gaps.append((field, ((left.x1, row.top, right.x0, row.bottom), line, ())))
                break
    return gaps


def _gap(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, match: regex.Match) -> Gap | None:
    """The blank between the characters either side of it, its line's height and the dots
    printed in it; None if the two are not on one line or too close to hold a value."""
    left = _char_box(textpage, match.start("blank") - 1)
    right = _char_box(textpage, match.end("blank"))
    if left is None or right is None:
        return None
    height = page.get_height()
    bottom, top = min(left[1], right[1]), max(left[3], right[3])
    line = top - bottom
    overlap = min(left[3], right[3]) - max(left[1], right[1])
    if overlap <= 0 or right[0] - left[2] < settings()["min_gap"] * line:
        return None
    printed = (
        _char_box(textpage, index, loose=False)
        for index in range(match.start("blank"), match.end("blank"))
        if not match.string[index].isspace()
    )
    dots = tuple((x0, height - y1, x1, height - y0) for x0, y0, x1, y1 in filter(None, printed))
    return (left[2], height - top, right[0], height - bottom), line, dots


def _char_box(textpage: pypdfium2.PdfTextPage, text_index: int, loose: bool = True) -> tuple[float, float, float, float] | None:
    """A character's box (left, bottom, right, top, from the page's bottom), by its index in
    the page's text: loose (the font's height) or tight (the glyph's own ink)."""
    char = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, text_index)
    return None if char < 0 else textpage.get_charbox(char, loose=loose)


def _read(page: pypdfium2.PdfPage, number: int, field: str, gap: Gap, drawn_only: bool = False) -> Stamp | None:
    """The ink in a gap read at each resolution; None if the gap holds no ink (``drawn_only``:
    no ink drawn over the page)."""
    box, line, dots = gap
    conf = settings()
    readings: dict[str, list[float]] = defaultdict(list)
    seen: list[str] = []
    method = None
    for dpi in conf["resolutions"]:
        found = _ink(page, box, line, dots, dpi)
        if found is None or drawn_only and found[1] != DRAWN:
            return None
        image, method = found
        text, confidence = _ocr(image)
        seen.append(text or "-")
        if regex.match(conf["fields"][field]["value"], text):
            readings[text].append(confidence)
    best = max(readings, key=lambda value: (len(readings[value]), max(readings[value])), default=None)
    accepted = best is not None and (
        len(readings[best]) >= conf["min_votes"] or max(readings[best]) >= conf["min_confidence"]
    )
    return Stamp(
        field,
        best if accepted else None,
        number,
        box,
        method or DRAWN,
        max(readings[best]) if accepted else None,
        tuple(seen),
    )


def _ink(page: pypdfium2.PdfPage, box: Box, line: float, dots: tuple[Box, ...], dpi: int) -> tuple[Image.Image, str] | None:
    """The gap's ink as an image of dark marks on white, and where it is: drawn over the
    page (present only when widgets and annotations are drawn: the crop may then reach over
    the words either side, which both renderings share) or in the page itself (only the gap,
    without the dots the text layer prints there)."""
    conf = settings()
    x0, top, x1, bottom = box
    reach, side = conf["above_below"] * line, conf["sideways"] * line
    wide = (x0 - side, top - reach, x1 + side, bottom + reach)
    area = (x1 - x0) * (bottom - top) * (dpi / 72) ** 2  # the gap's own area in pixels
    drawn = _render(page, wide, dpi, True)
    plain = _render(page, wide, dpi, False)
    over = (drawn < conf["dark"]) & (plain > conf["light"])
    if over.sum() >= conf["min_drawn_ink"] * area:
        return Image.fromarray(np.where(over, drawn, 255).astype(np.uint8)), DRAWN
    inner_box = (x0 + 0.1 * line, top - reach, x1 - 0.1 * line, bottom + reach)
    inner = _without(_render(page, inner_box, dpi, False), inner_box, line, dots, dpi)
    if (inner < conf["dark"]).sum() >= conf["min_page_ink"] * area:
        return Image.fromarray(inner), IN_PAGE
    return None


def _longest_runs(dark: np.ndarray) -> np.ndarray:
    """Each pixel row's longest run of dark pixels."""
    edges = np.diff(np.pad(dark.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    longest = np.zeros(dark.shape[0], dtype=int)
    for row, (starts, ends) in enumerate((np.flatnonzero(e == 1), np.flatnonzero(e == -1)) for e in edges):
        if len(starts):
            longest[row] = (ends - starts).max()
    return longest


def _without(image: np.ndarray, area: Box, line: float, boxes: tuple[Box, ...], dpi: int) -> np.ndarray:
    """A rendering of ``area`` with the given boxes (and a pixel around them) painted white,
    and the rows a rule runs along (the line under the issuer's name, a ruled blank)."""
    scale = dpi / 72
    image = image.copy()
    rule = min(settings()["rule_run"] * line * scale, image.shape[1])
    image[_longest_runs(image < settings()["dark"]) >= rule] = 255
    for x0, top, x1, bottom in boxes:
        left, right = int((x0 - area[0]) * scale) - 1, int((x1 - area[0]) * scale) + 2
        upper, lower = int((top - area[1]) * scale) - 1, int((bottom - area[1]) * scale) + 2
        image[max(0, upper) : max(0, lower), max(0, left) : max(0, right)] = 255
    return image


def _render(page: pypdfium2.PdfPage, box: Box, dpi: int, forms: bool) -> np.ndarray:
    """A part of the page in grey, with or without widgets and annotations."""
    width, height = page.get_size()
    x0, top, x1, bottom = box
    crop = (max(0.0, x0), max(0.0, height - bottom), max(0.0, width - x1), max(0.0, top))
    bitmap = page.render(scale=dpi / 72, crop=crop, grayscale=True, may_draw_forms=forms, draw_annots=forms)
    return np.asarray(bitmap.to_pil().convert("L"))


def _ocr(image: Image.Image) -> tuple[str, float]:
    """Tesseract's reading of one line of digits, without dots, and its mean confidence."""
    from pytesseract import (  # ~1 s to import: only when a stamp is read
        Output,
        image_to_data,
    )

    conf = settings()
    padded = ImageOps.expand(image, border=max(1, int(conf["border"] * image.height)), fill=255)
    data = image_to_data(
        padded,
        lang=conf["language"],
        config=f"--psm {conf['psm']} -c tessedit_char_whitelist={conf['characters']}",
        output_type=Output.DICT,
    )
    words = [(text.strip(), float(c)) for text, c in zip(data["text"], data["conf"]) if text.strip() and float(c) >= 0]
    text = "".join(word for word, _ in words).strip(".")
    return text, (sum(c for _, c in words) / len(words) if words else 0.0)


def stamp_warnings(stamps: list[Stamp]) -> list[RecordWarning]:
    """What was read from ink over a blank (stamped-value), or could not be (stamp-unread)."""
    names = {"number": "the number", "day": "the day of issue", "month": "the month of issue"}
    warnings = []
    for stamp in stamps:
        where = f"page {stamp.page}, box x {stamp.box[0]:.0f}-{stamp.box[2]:.0f} pt, y {stamp.box[1]:.0f}-{stamp.box[3]:.0f} pt from the top"
        readings = ", ".join(f"{dpi} dpi: {text}" for dpi, text in zip(settings()["resolutions"], stamp.readings))
        if stamp.value is not None:
            message = (
                f"{names[stamp.field]} ({stamp.value}) is blank in the text read from the page and was read by OCR of the ink "
                f"{stamp.method}, {where} (confidence {stamp.confidence:.0f}; {readings})"
            )
            warnings.append(RecordWarning("stamped-value", message, page=stamp.page))
        else:
            message = (
                f"{names[stamp.field]} is blank in the text read from the page and ink {stamp.method} covers it, {where}, "
                f"but OCR did not read it with confidence ({readings}): left empty"
            )
            warnings.append(RecordWarning("stamp-unread", message, page=stamp.page))
    return warnings
