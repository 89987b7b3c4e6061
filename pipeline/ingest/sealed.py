"""The signer's printed name under the seal, on a page read by OCR.

The office's seal is stamped over the left part of the signer's name, and the signature runs
across it: Tesseract, reading the whole page, takes the three as one picture and gives no name
there. A seal is red ink and a signature blue; on a grey scan they come out mid-grey, while
the printed name is black. So when OCR found no name below the signer's title, only that part
of the page (the closing's right column, below the title line) is read again, keeping only its
darkest ink (models/stamped.yaml ``sealed_signer``), and a name found there is added to the
page's words where it stands, with a warning naming page and box. The closing is found by its
recipients' label, or by the signing authority that begins the title ("KT. CHỦ TỊCH").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import regex

from pipeline.ingest.layout import Row, Word, signature_anchor
from pipeline.ingest.ocr import OcrResult, PageImage, crop_rows, source_pixels
from pipeline.ingest.stamped import Box, gated, settings, source_crop, unsure_warnings
from pipeline.records import RecordWarning
from pipeline.rules import compiled, expand, pieces
from pipeline.text import normalise_unicode


def read_again(
    results: dict[int, OcrResult], loaders: Callable[[int], Callable[[], PageImage]]
) -> tuple[dict[int, OcrResult], list[RecordWarning]]:
    """OCRed pages (by index) with what OCR may have read wrong read again from the page's own
    pixels (``loaders``: a page's pixels by index): the first page's header number and day,
    kept only where OCR was sure of them (stamped.gated), and every page's signer's name under
    a seal, where OCR gave none; with the warnings that say so."""
    results = dict(results)
    unsure = []
    if 0 in results:
        results[0], unsure = gated(results[0], loaders(0))
    warnings = unsure_warnings(unsure)
    for index in results:
        results[index], found = sealed_signer(results[index], loaders(index), index + 1)
        warnings += found
    return results, warnings


def sealed_signer(result: OcrResult, load: Callable[[], PageImage], page: int) -> tuple[OcrResult, list[RecordWarning]]:
    """The page with the signer's name read again under the seal, if OCR gave none."""
    conf = settings()["sealed_signer"]
    rows = result.rows
    middle = result.width / 2
    columns = [(i, [w for w in row.words if w.x0 >= middle]) for i, row in enumerate(rows)]
    labels = [i for i, row in enumerate(rows) if signature_anchor().search(normalise_unicode(row.text))]
    titles = [i for i, words in columns if words and compiled(conf["title"]).match(" ".join(w.text for w in words))]
    if result.turn or not (labels or titles):
        return result, []
    start = labels[-1] if labels else titles[-1]  # OCR misreads the italic label ("be" for "Nơi nhận:")
    right = [(i, words) for i, words in columns if i >= start and words]
    found = compiled(expand(conf["found"], pieces("document")))  # begun by a family name of models/document.yaml
    name = compiled(expand(conf["name"], pieces("document")))
    if any(found.search(" ".join(w.text for w in words)) for _, words in right[1:]):
        return result, []
    if right:  # below the title's first line
        title = right[0][1]
        line = max(w.bottom - w.top for w in title)
        box = (min(w.x0 for w in title) - line, max(w.bottom for w in title), result.width, max(w.bottom for w in title) + conf["depth"] * line)
    else:  # OCR found nothing right of the recipients: the whole column from their label down
        line = rows[start].bottom - rows[start].top
        box = (middle, rows[start].top, result.width, rows[start].top + conf["depth"] * line)
    source = source_pixels(load)
    crop = source_crop(source, box, result.skew, 0.0).convert("L")
    for dark in conf["dark"]:
        found = _name_line(PageImage(crop.point(lambda v, dark=dark: 0 if v < dark else 255), source.dpi), name, box)
        if found is not None:
            text, word_box = found
            added = Word(text, *word_box)
            kept = [_without(row, added) for row in rows]
            kept = [row for row in kept if row.words]
            at = next((i for i, row in enumerate(kept) if row.top > added.top), len(kept))
            new_rows = [*kept[:at], Row([added], added.top, added.bottom), *kept[at:]]
            where = f"box x {word_box[0]:.0f}-{word_box[1]:.0f} pt, y {word_box[2]:.0f}-{word_box[3]:.0f} pt from the top of the page as OCR read it"
            message = (
                f"page {page}: OCR of the page gave no name under the signer's title (a seal and a signature over it); "
                f"'{text}' was read there from the darkest ink alone (below {dark} of 255), {where}"
            )
            return dataclasses.replace(result, rows=new_rows), [RecordWarning("signer-reread", message, page=page)]
    return result, []


def _without(row: Row, name: Word) -> Row:
    """The row without the words the page's OCR read where the name was read again: a
    misread of the same name ("Lầm Hải Giang", no family name) would stand beside it."""
    words = [w for w in row.words if not (w.x1 > name.x0 and w.x0 < name.x1 and name.top <= (w.top + w.bottom) / 2 <= name.bottom)]
    return row if len(words) == len(row.words) else Row(words, row.top, row.bottom)


def _name_line(crop: PageImage, name: regex.Pattern, box: Box) -> tuple[str, tuple[float, float, float, float]] | None:
    """The last line Tesseract reads in the crop that is a name, and its box (x0, x1, top,
    bottom in points of the page as OCR read it). Read by this process's engine, whose
    model stays loaded: the `tesseract` command would load it for every crop, and
    pytesseract's import (it imports pandas) cost every worker 0.5 s more."""
    conf = settings()["sealed_signer"]
    for row in reversed(crop_rows(crop, conf["psm"], (box[0], box[1]), conf["language"])):
        found = name.search(normalise_unicode(" ".join(w.text for w in row.words)))
        if found is not None:
            text = " ".join(regex.sub(r"\p{P}+", "", found.group("name")).split())  # without a pen stroke's marks
            return text, (min(w.x0 for w in row.words), max(w.x1 for w in row.words), row.top, row.bottom)
    return None
