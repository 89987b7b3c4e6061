"""Searchable archive copies: each scanned input as a PDF whose pages carry an invisible
text layer, so that analysts can search and copy from the originals.

The OCR has already been done once, by Tesseract, whose PDF renderer produced each scanned
page with its text layer in the same run (ingest keeps it as Page.ocr_pdf); this module
only puts the pages together, with pypdfium2, keeping the source's own text-layer pages
as they are. Running ocrmypdf instead would OCR every page a second time.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdfium2

from pipeline.records import RawDocument


def is_scanned(raw: RawDocument) -> bool:
    return any(page.ocr_pdf for page in raw.pages)


def searchable_pdf(raw: RawDocument, source: bytes) -> bytes:
    """The document as one PDF: OCRed pages from Tesseract's renderings, other PDF pages from the source."""
    output = pypdfium2.PdfDocument.new()
    original = pypdfium2.PdfDocument(source) if raw.format == "pdf" else None
    try:
        for index, page in enumerate(raw.pages):
            if page.ocr_pdf:
                rendered = pypdfium2.PdfDocument(page.ocr_pdf)
                output.import_pages(rendered, [0])
                rendered.close()
            elif original is not None:
                output.import_pages(original, [index])
        buffer = io.BytesIO()
        output.save(buffer)
        return buffer.getvalue()
    finally:
        output.close()
        if original is not None:
            original.close()


def write_searchable_pdf(raw: RawDocument, source: Path, out_dir: Path) -> Path | None:
    """Write ``out_dir/<stem>.pdf`` for a scanned input (atomically); None when nothing was OCRed."""
    if not is_scanned(raw):
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.pdf"
    temporary = target.with_suffix(".pdf.tmp")
    temporary.write_bytes(searchable_pdf(raw, source.read_bytes()))
    os.replace(temporary, target)
    return target
