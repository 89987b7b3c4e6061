"""OCR: page images -> pages of text, with Tesseract's `vie` model in this process (tesserocr).

Each page is prepared as scans arrive: reduced to the OCR resolution if finer (a 500 dpi
scan, a 12 MP photo), made grey without the coloured ink of seals, signatures and stamps,
evened if its light is uneven (phone photos), deskewed (the angle from the ink's projection
profile; Pillow turns the page), and turned upright when Tesseract's orientation detection is
asked (a page wider than high, or one read with low confidence). Then Tesseract reads
it in this process (tesserocr), with an engine whose model stays loaded for the next page.
Tesseract's own OpenMP threads are 3-5x slower than one single-threaded Tesseract per core,
so pages run in parallel in a thread pool (Tesseract runs without the GIL), one engine per
thread; the `tesseract` command (OSD, searchable PDFs) runs with OMP_THREAD_LIMIT=1.

Word boxes are turned into points, top-down, so that the column logic of the text path
(ingest/layout.py, ingest/pdf.py) splits the form's two-column tables, which Tesseract
reads row by row across both columns, as pdfium does a PDF drawn line by line.
"""

from __future__ import annotations

import csv
import fcntl
import io
import math
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import regex
from PIL import Image, ImageChops, ImageFilter, ImageOps
from rapidfuzz.distance import Levenshtein

from pipeline.ingest import lines as source_lines
from pipeline.ingest.layout import Row, Word
from pipeline.records import IngestError, Layout, Page, RecordWarning
from pipeline.rules import load_model
from pipeline.text import normalise_unicode

POINTS_PER_INCH = 72
_ALPHANUMERIC = regex.compile(r"[\p{L}\d]+")
# Tesseract stops on a page after this many seconds (a pathological image).
TIMEOUT_SECONDS = 300
# How often a page waiting for a Tesseract slot of a batch looks for a free one (a page takes ~1 s).
SLOT_POLL_SECONDS = 0.02


# A word OCR was unsure of, as (the word before it on its line, the word, the word after
# it), words being runs of letters and digits of the normalised text; None at a line's end.
Doubt = tuple[str | None, str, str | None]


@dataclass
class OcrResult:
    """One page as Tesseract read it: its lines (word boxes in points), mean confidence,
    and the words it was unsure of (what ocr_correct may change on weaker evidence)."""

    rows: list[Row]
    confidence: float | None
    pdf: bytes | None = None  # Tesseract's one-page PDF with an invisible text layer, if asked
    doubtful: frozenset[Doubt] = frozenset()
    width: float = 0.0  # the page's width in points
    skew: float = 0.0  # degrees the page was turned (counter-clockwise) before it was read, to straighten it
    turn: int = 0  # and then to set it upright (quarter turns)


@dataclass(frozen=True)
class PageImage:
    """A page to read: its pixels and their resolution, and how far it was turned to be read
    (degrees counter-clockwise: the deskew, then the quarter turns that set it upright)."""

    image: Image.Image
    dpi: float
    skew: float = 0.0
    turn: int = 0


def settings() -> dict[str, Any]:
    return load_model("ocr")


@contextmanager
def ocr_slot() -> Iterator[None]:
    """One of the Tesseract slots the processes of a batch share (VNPLAN_OCR_SLOTS: a folder
    of one lock file per core), held while Tesseract runs; nothing outside a batch.

    Written by hand (flock on files, polled): the batch's workers come from a fork server
    and share no memory, and a slot of a worker that dies is freed with its process."""
    folder = os.environ.get("VNPLAN_OCR_SLOTS")
    slots = sorted(Path(folder).glob("slot-*")) if folder else []
    if not slots:
        yield
        return
    while True:
        for slot in slots:
            handle = os.open(slot, os.O_RDWR)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            try:
                yield
            finally:
                os.close(handle)  # closing the descriptor releases its lock
            return
        time.sleep(SLOT_POLL_SECONDS)


def worker_count() -> int:
    """One Tesseract per core the process may use, or VNPLAN_OCR_WORKERS (set by a batch's
    workers: 1, or one per core when they share Tesseract slots, see ocr_slot)."""
    if configured := os.environ.get("VNPLAN_OCR_WORKERS"):
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# --------------------------------------------------------------------------- preparing the image


def skew_angle(image: Image.Image, dpi: float) -> float:
    """The angle (degrees, counter-clockwise) that straightens the text lines of a grey page;
    0 if it is below min_degrees or the page holds too little ink to tell.

    Postl's projection profile, as Leptonica's pixFindSkew: the angle at which the page's
    ink, summed along rows (and along columns, for a page lying on its side), changes most
    sharply from one line to the next. Written here because Leptonica's is not reachable
    from tesserocr, and the deskew package's Hough transform cost 0.09 s a page plus
    0.3-0.9 s importing scikit-image and SciPy in every worker, and read pages turned 9-10
    degrees as straight; this is 5x cheaper and closer (models/ocr.yaml, measure_skew.py)."""
    conf = settings()["deskew"]
    factor = max(1, round(dpi / conf["analysis_dpi"]))
    darkness = 255 - np.asarray(image.reduce(factor), dtype=np.int16)
    ys, xs = np.nonzero(darkness >= conf["ink_darkness"])
    if len(ys) < conf["min_ink_pixels"]:
        return 0.0
    weights = darkness[ys, xs].astype(np.float64)
    ys = (ys - ys.mean()).astype(np.float32)
    xs = (xs - xs.mean()).astype(np.float32)

    def sharpness(degrees: float) -> float:
        sin, cos = math.sin(math.radians(degrees)), math.cos(math.radians(degrees))
        score = 0.0
        for position in (ys * cos - xs * sin, xs * cos + ys * sin):  # rows, then columns
            bins = np.rint(position).astype(np.intp)
            change = np.diff(np.bincount(bins - bins.min(), weights=weights))
            score += float(change @ change)
        return score

    step, fine, widest = conf["step_degrees"], conf["fine_degrees"], conf["max_degrees"]
    angle = max(np.arange(-widest, widest + step / 2, step), key=sharpness)
    angle = max(np.arange(angle - step + fine, angle + step - fine / 2, fine), key=sharpness)
    return round(float(angle), 2) if conf["min_degrees"] <= abs(angle) <= widest else 0.0


def decoded(image: Image.Image, dpi: float) -> PageImage:
    """A frame's pixels, decoded straight to a smaller size when its format allows it
    (JPEG's DCT scaling, by 1/2, 1/4 or 1/8) and the smaller copy stays at or above the
    resolution OCR reads at: decoding a 500 dpi page costs more than reducing it. A photo
    whose EXIF says it is stored turned is turned upright."""
    conf = settings()["resolution"]
    if dpi > conf["reduce_above"] and image.format == "JPEG":
        width, scale = image.width, conf["ocr_dpi"] / dpi
        image.draft(image.mode, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        dpi *= image.width / width
    image.load()
    ImageOps.exif_transpose(image, in_place=True)  # a phone's photo stored turned, as its EXIF says
    return PageImage(image, dpi)


def without_ink(image: Image.Image) -> Image.Image:
    """Grey, with the coloured ink of seals, signatures and received-stamps taken out.

    Each pixel keeps its brightest channel (HSV's value): red and blue ink are bright in
    their own channel, so they come out pale, while black print, dark in every channel,
    stays black, also where a seal lies over it. Ink that stays mid-grey so (a dark blue
    pen: its blue channel is ~160) is lifted further towards white by how coloured it is;
    a dark pixel (print under the ink) is never lifted. Settings: ocr.yaml ``ink``."""
    if image.mode == "L":
        return image
    if image.mode != "RGB":
        image = image.convert("RGB")
    conf = settings()["ink"]
    if conf["method"] == "luminance":
        return image.convert("L")
    _, saturation, value = image.convert("HSV").split()
    lift = ImageChops.multiply(value.point(_ramp(conf["dark_below"], conf["light_from"])),
                               saturation.point(_ramp(conf["grey_below"], conf["coloured_from"])))
    return ImageChops.invert(ImageChops.multiply(ImageChops.invert(value), ImageChops.invert(lift)))


def _ramp(low: int, high: int) -> list[int]:
    """A lookup table: 0 up to ``low``, 255 from ``high``, linear between."""
    return [round(255 * min(1.0, max(0.0, (x - low) / (high - low)))) for x in range(256)]


def at_resolution(image: Image.Image, dpi: float) -> PageImage:
    """The page reduced to the OCR resolution if it is finer than ``reduce_above``."""
    conf = settings()["resolution"]
    if dpi <= conf["reduce_above"]:
        return PageImage(image, dpi)
    scale = conf["ocr_dpi"] / dpi
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return PageImage(image.resize(size, Image.Resampling[conf["resample"]]), dpi * size[0] / image.width)


def source_pixels(load: Callable[[], PageImage]) -> PageImage:
    """The page's own pixels at the resolution OCR read it at, before they were prepared
    for it: where a box of OCR's words is found again, to be read again."""
    page = load()
    page = decoded(page.image, page.dpi)
    return at_resolution(page.image, page.dpi)


def background(image: Image.Image) -> Image.Image:
    """The paper's brightness without the print, at 1/``factor`` of the size: the brightest
    pixel around each point (print is thinner than the window), smoothed."""
    conf = settings()["light"]
    small = image.reduce(conf["factor"])
    # The brightest in a window of `window` pixels is the brightest in 3 pixels taken
    # window // 2 times over (Pillow pads each pass with the edge's own pixels): the same
    # pixels, at 36 comparisons a pixel instead of 81 for a window of 9 (15 ms a page, not 30).
    for _ in range(conf["window"] // 2):
        small = small.filter(ImageFilter.MaxFilter(3))
    return small.filter(ImageFilter.GaussianBlur(conf["window"]))


def evened(image: Image.Image) -> Image.Image:
    """The page with uneven light (a lamp's fall-off, a hand's shadow over a phone photo)
    evened out, if the paper's brightness varies across it by more than ``light.uneven``
    (a scanner's light is even: returned as is)."""
    conf = settings()["light"]
    paper = background(image)
    low, high = np.percentile(np.asarray(paper), [2, 98])
    if high <= 0 or (high - low) / high < conf["uneven"]:
        return image
    paper = np.asarray(paper.resize(image.size, Image.Resampling.BILINEAR), dtype=np.float32)
    pixels = np.asarray(image, dtype=np.float32) * (255.0 / np.maximum(paper, 1.0))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def prepare(page: PageImage) -> PageImage:
    """At the OCR resolution, grey without coloured ink (in that order: the ink's
    conversion costs by the pixel), straightened and (if configured)
    de-grained: what Tesseract reads best."""
    page = at_resolution(page.image, page.dpi)
    image = without_ink(page.image)
    if settings()["light"]["enabled"]:
        image = evened(image)
    angle = 0.0
    if settings()["deskew"]["enabled"] and (angle := skew_angle(image, page.dpi)):
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if size := settings()["median_filter"]:
        image = image.filter(ImageFilter.MedianFilter(size))
    return PageImage(image, page.dpi, angle)


# --------------------------------------------------------------------------- running Tesseract


def tesseract(page: PageImage, searchable: bool = False) -> tuple[str, bytes | None]:
    """Tesseract's TSV (words, boxes, confidences) and, if asked, its PDF of the page from
    the same run: in this process (see engine) unless a PDF is asked, which only the
    `tesseract` command's renderer makes."""
    if searchable:
        return tesseract_command(page, searchable)
    return tesseract_tsv(page, settings()["psm"]), None


def tesseract_tsv(page: PageImage, psm: int, language: str | None = None) -> str:
    """Tesseract's TSV of a page (or a part of one) read in this process, in page
    segmentation mode ``psm`` (and the configured language unless given)."""
    image = page.image if page.image.mode == "L" else page.image.convert("L")
    pixels = image.tobytes()  # raw grey bytes: tesserocr's SetImage encodes a PIL image first (0.05-0.17 s)
    with ocr_slot(), engine(language or settings()["language"], psm) as api:
        api.SetImageBytes(pixels, image.width, image.height, 1, image.width)
        api.SetSourceResolution(round(page.dpi))
        if not api.Recognize(timeout=TIMEOUT_SECONDS * 1000):
            raise IngestError(f"Tesseract failed: no result within {TIMEOUT_SECONDS} s")
        rows = api.GetTSVText(0)
    return TSV_HEADER + rows


def crop_rows(crop: PageImage, psm: int, origin: tuple[float, float], language: str | None = None) -> list[Row]:
    """Tesseract's lines of a part of a page read again in this process, as Rows of Words in
    points of the whole page (``origin``: the part's top-left corner there)."""
    x, y = origin
    rows, _, _ = tsv_rows(tesseract_tsv(crop, psm, language), crop.dpi)
    return [
        Row([w._replace(x0=w.x0 + x, x1=w.x1 + x, top=w.top + y, bottom=w.bottom + y) for w in row.words], row.top + y, row.bottom + y)
        for row in rows
    ]


# The header line the `tesseract` command writes above the API's TSV rows.
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
# Idle Tesseract engines of this process by language.
_ENGINES: dict[str, queue.SimpleQueue] = {}
_ENGINES_LOCK = threading.Lock()


@contextmanager
def engine(language: str, psm: int) -> Iterator[Any]:
    """A Tesseract engine (tesserocr's API) of this process, its model loaded once and kept
    for the next page: the `tesseract` command loads it for every page. Measured on 16
    pages of 300 dpi grey scans (real documents r003 r011 r019, one page at a time, CPU):
    29.6 s against the command's 37.5 s. An engine serves one thread at a time, in the page
    segmentation mode asked: a page (3) and the lines read again (7) share one, where an
    engine each loaded the model twice (0.11 s and its memory) in every worker."""
    from tesserocr import PyTessBaseAPI

    with _ENGINES_LOCK:
        idle = _ENGINES.setdefault(language, queue.SimpleQueue())
    try:
        api = idle.get_nowait()
    except queue.Empty:
        try:
            api = PyTessBaseAPI(path=tessdata(), lang=language)
        except RuntimeError as error:
            raise IngestError(f"OCR needs Tesseract's '{language}' model (tesseract-ocr-{language}): {error}") from error
        api.SetVariable("tessedit_char_blacklist", settings()["not_letters"])
    api.SetPageSegMode(psm)
    try:
        yield api
    finally:
        api.Clear()
        idle.put(api)


@cache
def tessdata() -> str:
    """The folder of the installed Tesseract's models (the tesseract-ocr-vie package's):
    TESSDATA_PREFIX, or where the `tesseract` command says it finds them. tesserocr's own
    library looks in the folder it was built for, which is not this machine's."""
    if prefix := os.environ.get("TESSDATA_PREFIX"):
        return prefix
    try:
        listing = subprocess.run(["tesseract", "--list-langs"], check=False, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise IngestError("OCR needs Tesseract: install tesseract-ocr and tesseract-ocr-vie") from error
    if match := regex.search(r'"([^"]+)"', listing.stdout + listing.stderr):
        return match[1]
    raise IngestError(f"cannot find Tesseract's models: {listing.stderr.strip() or listing.stdout.strip()}")


def tesseract_command(page: PageImage, searchable: bool) -> tuple[str, bytes | None]:
    """The TSV and, if asked, the PDF of the `tesseract` command on the page, from one run."""
    conf = settings()
    options = ["--psm", str(conf["psm"]), "--dpi", str(round(page.dpi)), "-c", "tessedit_create_tsv=1",
               "-c", f"tessedit_char_blacklist={conf['not_letters']}"]
    written = run_command([page.image], conf["language"], [*options, "pdf"] if searchable else options,
                          ("tsv", "pdf") if searchable else ("tsv",))
    return written["tsv"].decode("utf-8"), written.get("pdf")


def run_command(images: Sequence[Image.Image], language: str, options: Sequence[str], outputs: Sequence[str]) -> dict[str, bytes]:
    """The `tesseract` command on grey images, and the files it wrote, by suffix ("tsv",
    "pdf", "osd"): one run over several images (a list file, an image a page of its
    outputs) loads the model once. The images go to it as PGM, uncompressed, the cheapest
    for both sides, which states no resolution: ``options`` give one (--dpi) or Tesseract
    estimates it.

    Run with subprocess rather than pytesseract's runner, which adds nothing here and whose
    import takes pandas with it: 0.35 s of a worker's CPU at the first page that needs it."""
    with tempfile.TemporaryDirectory(prefix="vnplan-ocr-") as folder:
        sources = [Path(folder) / f"image-{index}.pgm" for index in range(len(images))]
        for image, source in zip(images, sources):
            image.save(source)
        source = sources[0]
        if len(sources) > 1:
            source = Path(folder) / "images.txt"
            source.write_text("".join(f"{path}\n" for path in sources), encoding="utf-8")
        base = Path(folder) / "out"
        try:
            with ocr_slot():
                done = subprocess.run(["tesseract", str(source), str(base), "-l", language, *options],
                                      capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except OSError as error:
            raise IngestError("OCR needs Tesseract: install tesseract-ocr and tesseract-ocr-vie") from error
        except subprocess.TimeoutExpired as error:
            raise IngestError(f"Tesseract failed: no result within {TIMEOUT_SECONDS} s") from error
        if done.returncode:
            raise IngestError(f"Tesseract failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
        missing = [suffix for suffix in outputs if not base.with_suffix(f".{suffix}").is_file()]
        if missing:
            raise IngestError(f"Tesseract failed: it wrote no {', '.join(missing)} ({done.stderr.decode(errors='replace').strip()})")
        return {suffix: base.with_suffix(f".{suffix}").read_bytes() for suffix in outputs}


def tsv_words(tsv: str) -> Iterator[tuple[dict[str, str], str, float]]:
    """The words of Tesseract's TSV, each entry with its text stripped and its confidence:
    the entries of pages, blocks, paragraphs and lines (confidence -1) and empty words left out."""
    for entry in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (entry.get("text") or "").strip()
        if text and (confidence := float(entry["conf"])) >= 0:
            yield entry, text, confidence


def tsv_rows(tsv: str, dpi: float) -> tuple[list[Row], list[float], frozenset[Doubt]]:
    """Tesseract's lines as Rows of Words in points (top-down), every word's confidence,
    and the words read with less confidence than `doubtful_below`."""
    scale = POINTS_PER_INCH / dpi
    lines: dict[tuple[str, str, str], list[tuple[Word, float]]] = {}
    for entry, text, confidence in tsv_words(tsv):
        left, top = int(entry["left"]), int(entry["top"])
        right, bottom = left + int(entry["width"]), top + int(entry["height"])
        word = Word(text, left * scale, right * scale, top * scale, bottom * scale, confidence=confidence)
        lines.setdefault((entry["block_num"], entry["par_num"], entry["line_num"]), []).append((word, confidence))
    rows = [
        Row([w for w, _ in line], min(w.top for w, _ in line), max(w.bottom for w, _ in line))
        for line in lines.values()
    ]
    confidences = [conf for line in lines.values() for _, conf in line]
    return rows, confidences, frozenset(doubt for line in lines.values() for doubt in line_doubts(line))


def line_doubts(line: list[tuple[Word, float]]) -> list[Doubt]:
    """The doubted words of one line, each with its neighbours on the line."""
    threshold = settings()["doubtful_below"]
    tokens = [
        (token, conf < threshold)
        for word, conf in line
        for token in _ALPHANUMERIC.findall(normalise_unicode(word.text))
    ]
    return [
        (tokens[i - 1][0] if i else None, token, tokens[i + 1][0] if i + 1 < len(tokens) else None)
        for i, (token, doubted) in enumerate(tokens)
        if doubted
    ]


def turn_needed(page: PageImage) -> int:
    """Degrees (counter-clockwise) that turn the page upright, by Tesseract's orientation
    detection (OSD) on a reduced copy; 0 if upright or if OSD is not sure or finds too
    little text to tell."""
    conf = settings()["orientation"]
    factor = max(1, round(page.dpi / conf["analysis_dpi"]))
    try:
        written = run_command([page.image.reduce(factor)], "osd", ["--psm", "0", "--dpi", str(round(page.dpi / factor))], ("osd",))
    except IngestError:
        return 0
    found = dict(line.split(": ", 1) for line in written["osd"].decode().splitlines() if ": " in line)
    if float(found.get("Orientation confidence", 0)) < conf["min_confidence"]:
        return 0
    return -int(found.get("Rotate", 0)) % 360


def upright(page: PageImage) -> PageImage:
    turn = turn_needed(page)
    return PageImage(page.image.rotate(turn, expand=True), page.dpi, page.skew, turn) if turn else page


def read_prepared(page: PageImage, searchable: bool) -> OcrResult:
    tsv, pdf = tesseract(page, searchable)
    rows, confidences, doubtful = tsv_rows(tsv, page.dpi)
    rows, changed = lines_read_again(page, rows)
    if changed:
        doubtful = frozenset(doubt for row in rows for doubt in line_doubts([(w, w.confidence or 0.0) for w in row.words]))
    width = page.image.width * POINTS_PER_INCH / page.dpi
    return OcrResult(rows, statistics.fmean(confidences) if confidences else None, pdf, doubtful, width, page.skew, page.turn)


def lines_read_again(page: PageImage, rows: list[Row]) -> tuple[list[Row], bool]:
    """The rows with each run of words read with very little confidence read again alone, as
    one line (ocr.yaml ``line_again``), where that reads its words with confidence and no
    digit: Tesseract sometimes joins a line of the header's left column to a line of the
    right column drawn a little lower, fits one baseline to both and reads the left part as
    junk ("Sàn nh cv" for "QUY TẬP HÀI CỐT LIỆT SĨ"), which the same pixels read alone give
    right. Numbers and days are left to the header's own second reading (stamped.gated),
    which knows when a hand-written one must be left empty."""
    conf = settings()["line_again"]
    scale = page.dpi / POINTS_PER_INCH
    changed = False
    out = []
    for row in rows:
        words = list(row.words)
        runs, start = [], None
        for i, word in enumerate([*words, None]):
            low = word is not None and (word.confidence or 0.0) < conf["below"]
            if low and start is None:
                start = i
            elif not low and start is not None:
                runs.append((start, i))
                start = None
        for start, end in reversed(runs):
            run = words[start:end]
            top, bottom = min(w.top for w in run), max(w.bottom for w in run)
            reach = conf["margin"] * (bottom - top)
            box = (min(w.x0 for w in run) - reach, top - reach, max(w.x1 for w in run) + reach, bottom + reach)
            width, height = page.image.width / scale, page.image.height / scale
            box = (max(0.0, box[0]), max(0.0, box[1]), min(width, box[2]), min(height, box[3]))  # Pillow pads black beyond the page
            crop = PageImage(page.image.crop(tuple(round(v * scale) for v in box)), page.dpi)
            found = [w for line in crop_rows(crop, conf["psm"], (box[0], box[1])) for w in line.words]
            sure = found and statistics.fmean(w.confidence or 0.0 for w in found) >= conf["accept"]
            if sure and not any(regex.search(r"\d", w.text) for w in found):
                words[start:end] = found
                changed = True
        out.append(Row(words, min(w.top for w in words), max(w.bottom for w in words)) if words != row.words else row)
    return out, changed


def read_page(page: PageImage, searchable: bool = False) -> OcrResult:
    """One page read upright. Its orientation is checked (OSD, about a second) only when
    the page is wider than high (a portrait page scanned sideways; Tesseract reads such a
    page as vertical text, with good confidence and boxes across the lines) or when its
    text is read with low confidence (upside down); otherwise it costs nothing."""
    prepared = prepare(page)
    conf = settings()["orientation"]
    if conf["enabled"] and prepared.image.width > prepared.image.height:
        prepared = upright(prepared)
    result = read_prepared(prepared, searchable)
    if conf["enabled"] and (result.confidence or 0.0) < conf["check_below"]:
        turned = upright(prepared)
        if turned is not prepared:
            again = read_prepared(turned, searchable)
            if (again.confidence or 0.0) > (result.confidence or 0.0):
                return again
    return result


def read_pages(
    loaders: Sequence[Callable[[], PageImage]], workers: int | None = None, searchable: bool = False
) -> list[OcrResult]:
    """Every page, one Tesseract per worker (default: one per core), in page order.

    A page's pixels are loaded by its worker just before it is read, so that only as many
    pages as workers are held in memory; loading is serialised, as neither pdfium nor a
    TIFF's frame seeking may run in two threads at once. A loader may hand over a JPEG
    not yet decoded (its own bytes): it is decoded outside the lock, reduced if it can be."""
    # The `tesseract` command (OSD, searchable PDFs, values read again) runs with this
    # process's environment: one thread each.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    lock = threading.Lock()

    def one(loader: Callable[[], PageImage]) -> OcrResult:
        with lock:
            page = loader()
        return read_page(decoded(page.image, page.dpi), searchable)

    workers = max(1, min(workers or worker_count(), len(loaders) or 1))
    if workers == 1:
        return [one(loader) for loader in loaders]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, loaders))


# --------------------------------------------------------------------------- text and warnings


def ocr_page(number: int, text: str, result: OcrResult, layouts: list[Layout]) -> tuple[Page, list[RecordWarning]]:
    """The Page (``layouts``: one per line of ``text``), and a warning if OCR found nothing
    or was unsure of what it found."""
    threshold = settings()["min_page_confidence"]
    page = source_lines.page(number, text, layouts, "ocr", ocr_confidence=result.confidence, ocr_pdf=result.pdf)
    if result.confidence is None or not text.strip():
        return page, [RecordWarning(code="ocr-no-text", message=f"page {number}: OCR found no text", page=number)]
    if result.confidence < threshold:
        message = f"page {number}: OCR confidence {result.confidence:.0f} is below {threshold}; check the text"
        return page, [RecordWarning(code="ocr-low-confidence", message=message, page=number)]
    return page, []


def mean_confidence(pages: list[Page]) -> float | None:
    """The document's OCR confidence: the mean of its OCRed pages' confidences."""
    values = [page.ocr_confidence for page in pages if page.method == "ocr" and page.ocr_confidence is not None]
    return statistics.fmean(values) if values else None


@cache
def vietnamese_letters() -> tuple[frozenset[str], frozenset[str]]:
    """(the letters that carry a diacritic, the whole alphabet), both cases."""
    marked = settings()["vietnamese_diacritic_letters"]
    marked += marked.upper()
    plain = "abcdefghijklmnopqrstuvwxyz"
    return frozenset(marked), frozenset(marked + plain + plain.upper())


_BAD = regex.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")  # replacement, private-use, control
_SPACE = regex.compile(r"\s")
_LETTER = regex.compile(r"\p{L}")


class CharKind(NamedTuple):
    """What one character counts as in the test of a text layer."""

    space: bool
    bad: bool
    letter: bool
    vietnamese: bool  # in the Vietnamese alphabet (a letter)
    marked: bool  # a Vietnamese letter with a diacritic


def char_kind(char: str) -> CharKind:
    """Classified by the same patterns the test counted with."""
    marked, alphabet = vietnamese_letters()
    return CharKind(
        _SPACE.match(char) is not None,
        _BAD.match(char) is not None,
        _LETTER.match(char) is not None,
        char in alphabet,
        char in marked,
    )


# What a character counts as in the test, as bits of its kind number (1 + the bits, so that 0
# is a code point not classified yet): space, bad, letter, a letter outside the Vietnamese
# alphabet, a Vietnamese letter with a diacritic.
_KIND_BITS = 5


def _kind_number(char: str) -> int:
    kind = char_kind(char)
    flags = (kind.space, kind.bad, kind.letter, kind.letter and not kind.vietnamese, kind.marked)
    return 1 + sum(1 << bit for bit, flag in enumerate(flags) if flag)


@cache
def _kind_table() -> tuple[np.ndarray, np.ndarray]:
    """Each code point's kind number, filled in the first time a text holds its character
    (zeroed memory: only the pages of the code points met are ever touched); and for each
    kind number, its five flags as 0/1."""
    numbers = np.arange(1 << _KIND_BITS)
    flags = np.vstack([np.zeros(_KIND_BITS, dtype=int), (numbers[:, None] >> np.arange(_KIND_BITS)) & 1])
    return np.zeros(sys.maxunicode + 1, dtype=np.uint8), flags


def _kind_counts(text: str) -> list[int]:
    """How many of the text's characters are spaces, bad, letters, foreign letters and
    marked letters: their kind numbers counted, then each number's flags added up."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table, flags = _kind_table()
    kinds = table[codes]
    if not kinds.all():
        for code in np.unique(codes[kinds == 0]).tolist():
            table[code] = _kind_number(chr(code))
        kinds = table[codes]
    return (np.bincount(kinds, minlength=len(flags)) @ flags).tolist()


def text_layer_problem(text: str) -> str | None:
    """Why a page's text layer is not to be trusted, or None if it reads as Vietnamese.

    Counted over the page's first characters, each classified by its code point's kind
    number in a table (_kind_table). This runs on every page of every PDF: counting with
    patterns over the text cost 360 us a page, numpy's count of the distinct code points,
    each then classified in Python, 73 us, the table 26 us.
    """
    limits = settings()["text_layer"]
    text = text[: limits["sample_chars"]]
    space, bad, letters, foreign, marked = _kind_counts(text)
    n_chars = len(text) - space
    if n_chars < limits["min_chars"]:
        return "no text layer" if not n_chars else "almost no text layer"
    if bad > limits["max_bad_share"] * n_chars:
        return "unmapped glyphs in the text layer"
    if letters < limits["min_letter_share"] * n_chars:
        return "text layer is mostly not letters"
    if letters < limits["min_letters"]:
        return None
    if foreign > limits["max_foreign_share"] * letters:
        return "text layer has letters outside the Vietnamese alphabet"
    if marked < limits["min_diacritic_share"] * letters:
        return "text layer is not Vietnamese (too few diacritics)"
    return None


def short_layer(problem: str | None) -> bool:
    """A missing layer is read only from an image; a garbled one from its drawn glyphs."""
    return problem in {"no text layer", "almost no text layer"}


# --------------------------------------------------------------------------- outline numerals

ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def repair_outline(texts: list[str], ocred: list[bool]) -> list[str]:
    """Top-level outline numerals misread by OCR, set to the one expected next.

    Written here because the fix needs the document's numbering (a spell checker sees
    no error in "II."); only lines of OCRed pages change."""
    heading = regex.compile(settings()["outline_repair"]["heading"])
    repaired: list[str] = []
    last = 0
    for text, from_ocr in zip(texts, ocred):
        lines = []
        for line in text.split("\n"):
            if (match := heading.match(line)) and (match["dot"] or _dotless_heading(match["numeral"], last, from_ocr, match["word"] is not None)):
                line, last = repaired_heading(line, match["numeral"], last, from_ocr)
                if not match["dot"]:
                    line = regex.sub(r"^(\w+)", r"\1.", line)
            lines.append(line)
        repaired.append("\n".join(lines))
    return repaired


def _dotless_heading(numeral: str, last: int, from_ocr: bool, before_word: bool) -> bool:
    """A numeral without its dot is a heading only when OCRed and exactly the one expected
    next (a caption "TT NỘI DUNG" or a word "VI…" is not); before a capitalised word, also
    when it is that numeral once its misread strokes are mapped and holds a numeral's letter
    ("IL Các Chi cục …")."""
    if not from_ocr or last + 1 >= len(ROMAN):
        return False
    if not before_word:
        return numeral == ROMAN[last + 1]
    confusions = settings()["outline_repair"]["confusions"]
    mapped = "".join(confusions.get(char, char) for char in numeral)
    return mapped == ROMAN[last + 1] and any(char in "IVX" for char in numeral)


def repaired_heading(line: str, numeral: str, last: int, from_ocr: bool) -> tuple[str, int]:
    """The heading line, its numeral repaired if OCR misread the one expected after
    ``last`` (as a non-numeral, or as a repeat of ``last``), and the heading's number.
    A numeral that goes back (not a restart at "I.", the next part of the document) is
    a misreading too: one that lost a stroke ("II." for "III.") is given the expected
    numeral or ``last`` again (a document may repeat a numeral), whichever the lost
    stroke makes. Any other numeral is kept."""
    conf = settings()["outline_repair"]
    expected = ROMAN[last + 1] if last + 1 < len(ROMAN) else ""
    read = "".join(conf["confusions"].get(char, char) for char in numeral)
    misread = read not in ROMAN or ROMAN.index(read) == last
    close = read == expected or (misread and Levenshtein.distance(read, expected) <= conf["max_edits"])
    if from_ocr and expected and close:
        return expected + line[len(numeral) :], last + 1
    if from_ocr and read in ROMAN and 1 < ROMAN.index(read) < last:
        stroke = conf["lost_stroke"]
        restored = {read[:i] + stroke + read[i:] for i in range(len(read) + 1)}
        for value in (expected, ROMAN[last]):
            if value in restored:
                return value + line[len(numeral) :], ROMAN.index(value)
    return line, ROMAN.index(read) if read in ROMAN else last
