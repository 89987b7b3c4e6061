"""Image files (PNG, JPEG, TIFF with any number of pages): every page is OCRed."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageSequence, UnidentifiedImageError

from pipeline.ingest.ocr import PageImage, ocr_page, read_pages, settings
from pipeline.ingest.pdf import layouts_of_ocr, ocr_texts
from pipeline.records import IngestError, Page, RecordWarning

# The first bytes of the image formats read here (TIFF in both byte orders).
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC)


def frame_loader(image: Image.Image, index: int) -> Callable[[], PageImage]:
    """Loads one frame when called; a frame's resolution is its own, if it says one."""

    def load() -> PageImage:
        image.seek(index)
        dpi = image.info.get("dpi", (0, 0))[0] or settings()["default_image_dpi"]
        return PageImage(image.convert("L"), float(dpi))

    return load


def read_image(data: bytes, ocr: str = "auto", searchable: bool = False) -> tuple[list[Page], list[RecordWarning]]:
    """One Page per frame, read by OCR; an image with no text at all is an error.
    ``searchable`` keeps Tesseract's PDF of each page, from the same run."""
    if ocr == "never":
        raise IngestError("an image has no text layer, and OCR is turned off (--ocr never)")
    try:
        image = Image.open(io.BytesIO(data))
        frames = sum(1 for _ in ImageSequence.Iterator(image))
        results = read_pages([frame_loader(image, index) for index in range(frames)], searchable=searchable)
    except (UnidentifiedImageError, OSError) as error:
        raise IngestError(f"unreadable image: {error}") from error
    texts, placed, warnings = ocr_texts(list(results), [""] * len(results))
    layouts = layouts_of_ocr(texts, placed, [result.width for result in results])
    pages: list[Page] = []
    for number, (text, result, page_layouts) in enumerate(zip(texts, results, layouts), start=1):
        page, page_warnings = ocr_page(number, text, result, page_layouts)
        pages.append(page)
        warnings += page_warnings
    if not any(page.text.strip() for page in pages):
        raise IngestError("OCR found no text in the image")
    return pages, warnings
