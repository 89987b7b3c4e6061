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

import dataclasses
import functools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2
import pypdfium2.raw as pdfium_c
import regex
from PIL import Image, ImageFilter, ImageOps

from pipeline.ingest.layout import Row, Word
from pipeline.ingest.ocr import (
    OcrResult,
    PageImage,
    run_command,
    source_pixels,
    tsv_words,
)
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


@dataclass(frozen=True)
class Unsure:
    """A header value OCR read with too little confidence to keep as read."""

    field: str  # number | day | month
    read: str  # what OCR read in the page's line ("": a blank with ink in it)
    confidence: float
    page: int
    box: Box
    readings: tuple[str, ...] = ()  # the box read again alone, at each height
    value: str | None = None  # what every reading alone gave, written in its place; None: left empty


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


def read_stamps(
    data: bytes, index: int, rows: list[Row] | None = None, opened: tuple[pypdfium2.PdfPage, pypdfium2.PdfTextPage] | None = None
) -> list[Stamp]:
    """The blanks of page ``index`` that hold ink, each read or not. The file is opened again
    with its forms, which pdfium draws only when they are set up before a page is loaded;
    a file without forms is drawn alike without them, so the page and its text page the
    reader has ``opened``, if given, are read instead (loading them again costs 2 ms on the
    samples). They stay open.

    The blanks are found in the page's text layer, or, for a page read by OCR, among the
    words OCR found (``rows``): OCR saw the page without its widgets, so there only ink
    drawn over the page is read (a number written on the paper was OCR's to read)."""
    document = None if opened is not None else pypdfium2.PdfDocument(data)
    try:
        if document is not None:
            document.init_forms()
            page = document[index]
            textpage = None
        else:
            page, textpage = opened
        if page.get_rotation():  # a turned page's character boxes do not run along its lines
            return []
        if rows is None:
            if textpage is None:
                textpage = page.get_textpage()
            raw = textpage.get_text_range()
            gaps = [(field, _gap(page, textpage, match)) for field, match in blank_fields(raw)]
        else:
            gaps = _word_gaps(rows)
        annotated = pdfium_c.FPDFPage_GetAnnotCount(page) != 0
        stamps = [_read(page, index + 1, field, gap, annotated, rows is not None) for field, gap in gaps if gap is not None]
        return [stamp for stamp in stamps if stamp is not None]
    finally:
        if document is not None:
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


def _read(page: pypdfium2.PdfPage, number: int, field: str, gap: Gap, annotated: bool, drawn_only: bool = False) -> Stamp | None:
    """The ink in a gap read at each resolution; None if the gap holds no ink (``drawn_only``:
    no ink drawn over the page). ``annotated``: the page has annotations (see _ink)."""
    box, line, dots = gap
    conf = settings()
    readings: dict[str, list[float]] = defaultdict(list)
    seen: list[str] = []
    images, method = [], None
    for dpi in conf["resolutions"]:
        found = _ink(page, box, line, dots, dpi, annotated)
        if found is None or drawn_only and found[1] != DRAWN:
            return None
        images.append(found[0])
        method = found[1]
    for text, confidence in _ocr(images):
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


def _ink(
    page: pypdfium2.PdfPage, box: Box, line: float, dots: tuple[Box, ...], dpi: int, annotated: bool
) -> tuple[Image.Image, str] | None:
    """The gap's ink as an image of dark marks on white, and where it is: drawn over the
    page (present only when widgets and annotations are drawn: the crop may then reach over
    the words either side, which both renderings share) or in the page itself (only the gap,
    without the dots the text layer prints there). A page without annotations (``annotated``
    False; a widget is one) has nothing drawn over it: its two renderings would be the same,
    and are not made (the sample plan's two blanks: 0.97 -> 0.53 ms)."""
    conf = settings()
    x0, top, x1, bottom = box
    reach, side = conf["above_below"] * line, conf["sideways"] * line
    wide = (x0 - side, top - reach, x1 + side, bottom + reach)
    area = (x1 - x0) * (bottom - top) * (dpi / 72) ** 2  # the gap's own area in pixels
    if annotated:
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
    """Each pixel row's longest run of dark pixels. The runs of all rows are found at once:
    in row-major order a row's starts and ends alternate, so the i-th start and the i-th end
    make one run (a blank's 150 dpi crop: 0.04 ms against 0.5 ms a row at a time; padding by
    slicing, as np.pad alone takes 0.04 ms)."""
    padded = np.zeros((dark.shape[0], dark.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    edges = padded[:, 1:] - padded[:, :-1]
    rows, starts = np.nonzero(edges == 1)
    longest = np.zeros(dark.shape[0], dtype=int)
    np.maximum.at(longest, rows, np.nonzero(edges == -1)[1] - starts)
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


def _ocr(images: list[Image.Image], language: str | None = None, psm: int | None = None, characters: str | None = None) -> list[tuple[str, float]]:
    """Tesseract's reading of each image as one line of digits, without dots, and its mean
    confidence (language, page segmentation and characters: those of stamps unless given).
    One run of the `tesseract` command reads them all: it loads its model once (0.12 s) for
    the value's every resolution, and reads each image as it does alone (checked on 45)."""
    conf = settings()
    padded = [ImageOps.expand(image, border=max(1, int(conf["border"] * image.height)), fill=255) for image in images]
    options = ["-c", "tessedit_create_tsv=1", "--psm", str(psm or conf["psm"]),
               "-c", f"tessedit_char_whitelist={characters or conf['characters']}"]
    tsv = run_command(padded, language or conf["language"], options, ("tsv",))["tsv"].decode("utf-8")
    words: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for entry, text, confidence in tsv_words(tsv):
        # Whole confidences, as the thresholds of models/stamped.yaml were measured (pytesseract's).
        words[int(entry["page_num"])].append((text, math.floor(confidence)))
    read = []
    for page in range(1, len(images) + 1):
        text = "".join(word for word, _ in words[page]).strip(".")
        read.append((text, sum(c for _, c in words[page]) / len(words[page]) if words[page] else 0.0))
    return read


# --------------------------------------------------------------------------- values OCR was unsure of


def gated(result: OcrResult, load: Callable[[], PageImage] | None = None, page: int = 1) -> tuple[OcrResult, list[Unsure]]:
    """An OCRed page without the header values OCR was unsure of (gate_unsure); ``load`` gives
    the page's pixels as OCR was handed them, for a second reading of an unsure value."""
    source: list[PageImage] = []

    def reread(box: Box, cut: bool, grey: bool = False) -> tuple[tuple[str, ...], float]:
        if load is None or result.turn:
            return (), 0.0
        if not source:
            source.append(source_pixels(load))
        return _reread(source[0], box, result.skew, cut, grey)

    rows, unsure = gate_unsure(result.rows, page, reread)
    return (dataclasses.replace(result, rows=rows) if unsure else result), unsure


def gate_unsure(
    rows: list[Row], page: int, reread: Callable[..., tuple[tuple[str, ...], float]] = lambda box, cut, grey=False: ((), 0.0)
) -> tuple[list[Row], list[Unsure]]:
    """OCR's rows of a page with the header's number and day taken out where OCR read them with
    less confidence than printed words get (models/stamped.yaml ``ocr_gate``): a number written
    by hand comes out as another well-formed number ("477" read "411") as often as a garbled
    one, and the confidence of the words that hold it is what tells. The value is found between
    its label ("Số:", ", ngày") and what follows it (the symbol, "tháng"), which may share a word
    with it ("4†#/MTTQ-BTT": the word's confidence is then the symbol's too); its box is
    estimated from the words' boxes by character. A day or month not of its form ("A0") is
    as unsure, whatever OCR's confidence in it.

    An unsure value of the field's form is kept when ``reread`` (its box, ``cut`` from OCR's words
    or a blank between them, read again alone, as digits, from its marks' ``grey`` pixels or their
    ink alone) gives it again ``min_votes`` times either way: a printed value is read so, a
    hand-written one is not. Otherwise the value is what every reading of the ink alone gives,
    if they agree, have the field's form and as many digits as the ink is wide (a part of a
    hand-written number read alone is not it); else it is left empty."""
    conf = settings()["ocr_gate"]
    rows = list(rows)
    unsure = []
    for field, rule in conf["fields"].items():
        label, end = compiled(rule["label"]), compiled(rule["end"])
        form = settings()["fields"][field]["value"]
        for index, row in enumerate(rows[: settings()["header_rows"]]):
            line = " ".join(word.text for word in row.words)
            found = label.search(line)
            after = end.search(line, found.end()) if found else None
            if after is None:
                continue
            span = (found.end(), after.start())
            held = [(word, lo, hi) for word, lo, hi in _spans(row.words) if lo < span[1] and hi > span[0]]
            read = line[span[0] : span[1]].strip()
            sure = [word.confidence for word, _, _ in held if word.confidence is not None]
            if not regex.sub(rule["blank"], "", read):
                box = _blank_box(row, span)
                if box is None:
                    break
                held, sure = [], [0.0]  # a blank OCR saw: ink there (a blue pen OCR took out) is read alone
            elif not sure or min(sure) >= conf["min_confidence"] and (
                not rule["of_form"] or regex.match(form, read.translate(str.maketrans(conf["lookalikes"])))
            ):
                break
            else:
                box = (
                    _at(held[0][0], span[0] - held[0][1]),
                    min(word.top for word, _, _ in held),
                    _at(held[-1][0], span[1] - held[-1][1]),
                    max(word.bottom for word, _, _ in held),
                )
            value = read.translate(str.maketrans(conf["lookalikes"]))
            if held and regex.match(form, value) and _confirmed(value, reread(box, True, True)[0]):
                break  # read so again alone in grey: a printed value, whose ink alone enlarged may read otherwise ("918" for "518")
            readings, aspect = reread(box, bool(held))
            if not held and not any(readings):
                break  # no ink in the blank, or none that reads as digits (a draft's dots): left blank
            if regex.match(form, value) and _confirmed(value, readings):
                break  # read so again alone: a printed value OCR was less sure of in its line
            again = readings[0] if readings and len(set(readings)) == 1 else None
            if again is not None and not (regex.match(form, again) and _fits(again, aspect)):
                again = None
            unsure.append(Unsure(field, read, min(sure), page, box, readings, again))
            written = Word(again, box[0], box[2], box[1], box[3]) if again else None
            rows[index] = Row(_taken_out(row.words, span, written), row.top, row.bottom)
            break
    return rows, unsure


def _confirmed(value: str, readings: tuple[str, ...]) -> bool:
    """Whether the box read alone gave the value OCR read in its line ``min_votes`` times."""
    return sum(reading == value for reading in readings) >= settings()["ocr_gate"]["min_votes"]


def _blank_box(row: Row, span: tuple[int, int]) -> Box | None:
    """The gap between the words either side of a blank, if wide enough to hold a value."""
    spans = _spans(row.words)
    before = [word for word, lo, hi in spans if lo < span[0]]
    after = [word for word, lo, hi in spans if hi > span[1]]
    if not before or not after:
        return None
    left, right = before[-1], after[0]
    x0 = _at(left, span[0] - next(lo for word, lo, _ in spans if word is left))
    x1 = _at(right, span[1] - next(lo for word, lo, _ in spans if word is right))
    if x1 - x0 < settings()["min_gap"] * (row.bottom - row.top):
        return None
    return (x0, row.top, x1, row.bottom)


def _spans(words: list[Word]) -> list[tuple[Word, int, int]]:
    """Each word with where it lies in its row's words joined by spaces."""
    spans, cursor = [], 0
    for word in words:
        spans.append((word, cursor, cursor + len(word.text)))
        cursor += len(word.text) + 1
    return spans


def _at(word: Word, position: int) -> float:
    """Where a character of a word begins, by its share of the word (OCR gives word boxes only)."""
    position = min(max(position, 0), len(word.text))
    return word.x0 + (word.x1 - word.x0) * position / max(1, len(word.text))


def _taken_out(words: list[Word], span: tuple[int, int], written: Word | None = None) -> list[Word]:
    """A row's words with the characters of ``span`` taken out, ``written`` (if any) in their
    place: a word that held only those goes, one that held more keeps the rest, its box
    narrowed to it."""
    kept: list[Word] = []
    for word, lo, hi in _spans(words):
        if hi <= span[0]:
            kept.append(word)
            continue
        if lo < span[0]:
            kept.append(word._replace(text=word.text[: span[0] - lo], x1=_at(word, span[0] - lo)))
        if written is not None:  # in the first word reaching past the span's start (a blank's: none of it)
            kept.append(written)
            written = None
        if lo >= span[1]:
            kept.append(word)
        elif hi > span[1]:
            kept.append(word._replace(text=word.text[span[1] - lo :], x0=_at(word, span[1] - lo)))
    return kept


def _fits(value: str, aspect: float) -> bool:
    """As many digits as the ink's width over its height allows (ocr_gate ``digit_width``)."""
    low, high = settings()["ocr_gate"]["digit_width"]
    return low * len(value) <= aspect <= high * len(value)


def source_crop(page: PageImage, box: Box, skew: float, margin: float) -> Image.Image:
    """The part of a page's own pixels under a box of the page as OCR read it (points, turned
    by ``skew`` degrees about its middle, as ocr.prepare turns it), ``margin`` points taller
    above and below; the box's corners are turned back, and the crop holds them all."""
    scale = page.dpi / 72
    width, height = page.image.width / scale, page.image.height / scale
    angle = math.radians(skew)
    cos, sin = math.cos(angle), math.sin(angle)
    turned = (width * abs(cos) + height * abs(sin), width * abs(sin) + height * abs(cos))
    x0, top, x1, bottom = box
    corners = [(x - turned[0] / 2, y - turned[1] / 2) for x in (x0, x1) for y in (top - margin, bottom + margin)]
    xs = [u * cos - v * sin + width / 2 for u, v in corners]
    ys = [u * sin + v * cos + height / 2 for u, v in corners]
    return page.image.crop(tuple(round(v * scale) for v in (min(xs), min(ys), max(xs), max(ys))))


def _reread(page: PageImage, box: Box, skew: float, cut: bool, grey: bool = False) -> tuple[tuple[str, ...], float]:
    """A value's box (points on the page as OCR read it: turned by ``skew`` degrees) read again
    from the page's own pixels, coloured ink kept (a blue pen), as one line of digits at each
    height of ``ocr_gate.reread``, and the ink's width over its height. A box ``cut`` from OCR's
    words by character share may cut a digit (the whole marks it touches are read) and hold a
    stroke of the symbol after it ("/KH"): that is read as such and cut off. The marks are read
    as black on white, or ``grey``: their own pixels (each one's darkest channel, so a blue pen
    stays dark) and those `grey_edge` pixels around them, the edges that anti-aliasing greys."""
    conf = settings()["ocr_gate"]["reread"]
    scale = page.dpi / 72
    x0, top, x1, bottom = box
    side = conf["sideways"] * (bottom - top) if cut else 0.0  # a blank's edges are its neighbours' own
    crop = np.asarray(source_crop(page, (x0 - side, top, x1 + side, bottom), skew, conf["margin"] * (bottom - top)).convert("RGB"), dtype=int)
    if not crop.size:
        return (), 0.0
    dark = crop.max(axis=2) < conf["dark"]
    pen = (crop[..., 2] - crop[..., 0] > conf["blue_over_red"]) & (crop.min(axis=2) < conf["light"])
    ink = dark | pen
    ink[_longest_runs(ink) >= settings()["rule_run"] * (bottom - top) * scale] = False  # a rule (under the issuer) reaching in
    ink = _off_the_edges(_touched(ink, round(side * scale), round((x1 - x0) * scale), conf["join"]))
    if not ink.any():
        return (), 0.0
    solid = np.nonzero(np.asarray(Image.fromarray(ink.astype(np.uint8) * 255).filter(ImageFilter.MedianFilter(3))) > 127)[0]
    if not solid.size or solid.max() - solid.min() + 1 < conf["min_ink_height"] * (bottom - top) * scale:
        return (), 0.0  # dots, or a scan's grain (what a median filter takes away), not a value
    rows, columns = np.nonzero(ink)
    if grey:
        drawn = np.where(_grown(ink, conf["grey_edge"]), crop.min(axis=2), 255)
    else:
        drawn = np.where(ink, 0, 255)
    marks = Image.fromarray(drawn.astype(np.uint8)[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1])
    sized = [marks.resize((max(1, round(marks.width * pixels / marks.height)), pixels), Image.Resampling.LANCZOS)
             for pixels in conf["heights"]]
    # A stroke of the symbol cut in is cut off.
    readings = [regex.split(r"[/-]", text)[0] for text, _ in _ocr(sized, conf["language"], conf["psm"], conf["characters"])]
    return tuple(readings), marks.width / marks.height


def _touched(ink: np.ndarray, start: int, width: int, join: int) -> np.ndarray:
    """The marks of ``ink`` that reach into its columns ``start`` to ``start + width`` (the
    value's box), whole: strokes closer than ``join`` pixels are one mark (8-connected once
    each pixel is grown by ``join``), found by growing the ink inside the box over them."""
    joined = _grown(ink, join)
    reached = np.zeros_like(ink)
    reached[:, start : start + width] = ink[:, start : start + width]
    while True:
        grown = _grown(reached, 1, diagonal=True) & joined
        if np.array_equal(grown, reached):
            return ink & reached
        reached = grown


def _grown(mask: np.ndarray, times: int, diagonal: bool = False) -> np.ndarray:
    """``mask`` grown ``times`` by one pixel up, down, left and right (and ``diagonal``ly).

    Written by hand (with _touched) rather than with scipy.ndimage's binary_dilation and
    label, the same operations (tests compare them): importing scipy cost a worker 0.17 s
    at its first value read again, on the critical path of a small run."""
    for _ in range(times):
        grown = mask.copy()
        grown[1:] |= mask[:-1]
        grown[:-1] |= mask[1:]
        grown[:, 1:] |= mask[:, :-1]
        grown[:, :-1] |= mask[:, 1:]
        if diagonal:
            grown[1:, 1:] |= mask[:-1, :-1]
            grown[1:, :-1] |= mask[:-1, 1:]
            grown[:-1, 1:] |= mask[1:, :-1]
            grown[:-1, :-1] |= mask[1:, 1:]
        mask = grown
    return mask


def _off_the_edges(ink: np.ndarray) -> np.ndarray:
    """Ink without the rows that run from the crop's top or bottom edge to the first row without
    ink: the foot or the head of the lines above and below, which the crop's margin reaches."""
    ink = ink.copy()
    empty = np.flatnonzero(~ink.any(axis=1))
    if not empty.size:
        return ink
    ink[: empty[0]] = False
    ink[empty[-1] + 1 :] = False
    return ink


def unsure_warnings(unsure: list[Unsure]) -> list[RecordWarning]:
    """A value OCR was not sure of: read again alone (ocr-reread) or left empty (ocr-unsure),
    with where it is on the page and every reading."""
    names = {"number": "the number", "day": "the day of issue", "month": "the month of issue"}
    warnings = []
    for item in unsure:
        where = (
            f"page {item.page}, box x {item.box[0]:.0f}-{item.box[2]:.0f} pt, y {item.box[1]:.0f}-{item.box[3]:.0f} pt "
            "from the top of the page as OCR read it"
        )
        threshold = settings()["ocr_gate"]["min_confidence"]
        said = (
            "blank in what OCR read, with ink there"
            if not item.read
            else f"read by OCR as '{item.read}' with confidence {item.confidence:.0f}, below {threshold}"
            if item.confidence < threshold
            else f"read by OCR as '{item.read}' (confidence {item.confidence:.0f}), not of its form"
        )
        again = f"; read again alone: {', '.join(r or '-' for r in item.readings)}" if item.readings else ""
        if item.value is not None:
            message = f"{names[item.field]} ({item.value}) was {said} (hand-written or stamped?); it is what its box reads alone, {where}{again}"
            warnings.append(RecordWarning("ocr-reread", message, page=item.page))
        else:
            message = f"{names[item.field]} was {said} (hand-written or stamped?): left empty; {where}{again}"
            warnings.append(RecordWarning("ocr-unsure", message, page=item.page))
    return warnings


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
