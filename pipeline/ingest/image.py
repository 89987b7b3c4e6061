"""Image files (PNG, JPEG, TIFF with any number of pages): every page is OCRed, at the
resolution the file says or, if it says none, one inferred from its size."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageSequence, UnidentifiedImageError

from pipeline.ingest.ocr import PageImage, ocr_page, read_pages, settings
from pipeline.ingest.pdf import layouts_of_ocr, ocr_texts
from pipeline.ingest.sealed import read_again
from pipeline.records import IngestError, Page, RecordWarning

MM_PER_INCH = 25.4
# The first bytes of the image formats read here (TIFF in both byte orders).
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC)


def page_dpi(image: Image.Image) -> tuple[float, str | None]:
    """The frame's resolution, and how it was inferred if the file does not say a believable
    one: from its pixels against the paper whose shape is nearest (models/ocr.yaml)."""
    conf = settings()
    stated = float(image.info.get("dpi", (0, 0))[0] or 0)
    long_px, short_px = max(image.size), min(image.size)
    papers = {name: (max(mm), min(mm)) for name, mm in conf["paper_sizes_mm"].items()}
    largest = max(long for long, _ in papers.values()) / MM_PER_INCH
    if stated and long_px / stated <= conf["max_page_oversize"] * largest:
        return stated, None
    name, (long_mm, _) = min(papers.items(), key=lambda item: abs(item[1][1] / item[1][0] - short_px / long_px))
    dpi = long_px / (long_mm / MM_PER_INCH)
    said = f"{stated:.0f} dpi would make it {long_px / stated / largest:.1f} times the largest paper" if stated else "no resolution"
    return dpi, f"{said} in the file: {dpi:.0f} dpi inferred from {image.width}x{image.height} px as a whole {name} page"


def frame_loader(image: Image.Image, index: int, dpi: float) -> Callable[[], PageImage]:
    """Loads one frame when called (a TIFF's frames share one file object: each is copied
    out; a single frame is handed over undecoded, for ocr.decoded to reduce)."""

    def load() -> PageImage:
        image.seek(index)
        return PageImage(image.copy() if getattr(image, "n_frames", 1) > 1 else image, dpi)

    return load


def read_image(data: bytes, ocr: str = "auto", searchable: bool = False) -> tuple[list[Page], list[RecordWarning]]:
    """One Page per frame, read by OCR; an image with no text at all is an error.
    ``searchable`` keeps Tesseract's PDF of each page, from the same run."""
    if ocr == "never":
        raise IngestError("an image has no text layer, and OCR is turned off (--ocr never)")
    try:
        image = Image.open(io.BytesIO(data))
        resolutions = [page_dpi(frame) for frame in ImageSequence.Iterator(image)]
        loaders = [frame_loader(image, index, dpi) for index, (dpi, _) in enumerate(resolutions)]
        read = dict(enumerate(read_pages(loaders, searchable=searchable)))
        read, reread = read_again(read, loaders.__getitem__)
        results = [read[index] for index in range(len(loaders))]
    except Image.DecompressionBombError as error:
        raise IngestError(f"an image too large to open safely (Pillow's limit, against decompression bombs): {error}") from error
    except (UnidentifiedImageError, OSError) as error:
        raise IngestError(f"unreadable image: {error}") from error
    texts, placed, warnings = ocr_texts(list(results), [""] * len(results))
    warnings += reread
    warnings += [RecordWarning(code="image-dpi-inferred", message=f"page {number}: {how}", page=number)
                 for number, (_, how) in enumerate(resolutions, start=1) if how]
    layouts = layouts_of_ocr(texts, placed, [result.width for result in results])
    pages: list[Page] = []
    for number, (text, result, page_layouts) in enumerate(zip(texts, results, layouts), start=1):
        page, page_warnings = ocr_page(number, text, result, page_layouts)
        pages.append(page)
        warnings += page_warnings
    return pages, warnings
