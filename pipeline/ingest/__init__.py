"""Ingest: one file on disk -> RawDocument (pages of lines, each with the layout its format knows).

The format is taken from the bytes, not the name: portals serve PDFs named .txt and
Word or RTF files named .doc. Every failure is an IngestError whose message is shown to users.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
from collections.abc import Container
from pathlib import Path

from pipeline.formats import MARKDOWN_SUFFIXES, SUPPORTED_SUFFIXES
from pipeline.ingest.checks import language_warnings, suffix_warnings
from pipeline.ingest.doc import is_odt, is_rtf, ole2_kind, to_docx
from pipeline.ingest.html import is_html, read_html
from pipeline.ingest.image import is_image, read_image
from pipeline.ingest.layout import deinterleave_header, split_closing_columns
from pipeline.ingest.lines import normalise_page
from pipeline.ingest.markdown import is_markdown, read_markdown
from pipeline.ingest.ocr import mean_confidence
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.signatures import read_signatures
from pipeline.ingest.text import decode_text, read_text_file
from pipeline.records import IngestError, Page, RawDocument
from pipeline.rules import load_model
from pipeline.wording import counted

OCR_MODES = ("auto", "always", "never")

# A PDF may have a little junk before its "%PDF-" marker; readers accept up to 1 KB.
PDF_MARKER_WINDOW = 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MB = 1024 * 1024


def sniff(data: bytes) -> str:
    """The format the bytes are in: pdf, image, doc, docx, rtf, odt, html or txt."""
    return _sniff(data)[0]


def _sniff(data: bytes) -> tuple[str, zipfile.ZipFile | None]:
    """The format, and a ZIP container's archive as opened to tell it: a DOCX is read from it,
    its central directory not parsed a second time (80 us a document)."""
    if b"%PDF-" in data[:PDF_MARKER_WINDOW]:
        return "pdf", None
    if is_image(data):
        return "image", None
    if data.startswith(OLE2_MAGIC):
        return ole2_kind(data), None
    if is_rtf(data):
        return "rtf", None
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return ("html" if is_html(data) else "txt"), None


def _zip_kind(data: bytes) -> tuple[str, zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))  # in memory: nothing to close
    except zipfile.BadZipFile as error:
        raise IngestError(f"unreadable Word document (broken ZIP container): {error}") from error
    entries = archive.infolist()
    _refuse_zip_bomb(entries, len(data))
    if is_odt(data):
        return "odt", archive
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise IngestError("a ZIP archive that is not a Word document (no word/document.xml)")
    return "docx", archive


def _refuse_zip_bomb(entries: list[zipfile.ZipInfo], size: int) -> None:
    """Refused before any parsing: entries that would decompress to an absurd size or ratio.
    The sizes are those the archive declares, which zipfile also holds each entry to."""
    limits = load_model("limits")["zip"]
    total = sum(entry.file_size for entry in entries)
    ratio = total / max(size, 1)
    too_big = total > limits["max_total_mb"] * MB
    too_dense = total > limits["ratio_from_mb"] * MB and ratio > limits["max_ratio"]
    if too_big or too_dense:
        raise IngestError(
            f"refused: the ZIP container's {len(entries)} entries would decompress to {total / MB:,.0f} MB "
            f"({ratio:,.0f} times the file's {size / MB:,.1f} MB), beyond the limit of "
            f"{limits['max_total_mb']} MB or {limits['max_ratio']}x (models/limits.yaml); "
            "a Word document does not expand like this"
        )


def _markdown_text(data: bytes) -> bool:
    """Text that is Markdown: decoded only when its bytes may hold Markdown's emphasis or
    headings (or are UTF-16/32, where they cannot be told from the bytes)."""
    wide = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return (wide or b"**" in data or b"#" in data) and is_markdown(decode_text(data)[0])


def _read_docx(source: bytes | zipfile.ZipFile) -> tuple[list[Page], str | None]:
    """The DOCX reader and python-docx are imported the first time a document needs them
    (pipeline.batch.warm_readers): a run of images never does."""
    from pipeline.ingest.docx import read_docx

    return read_docx(source)


def prepare_pages(pages: list[Page], unicode_normalised: Container[int] = ()) -> None:
    """Pages as every later stage reads them, whatever read them: the text normalised
    (pipeline/text.py) and the form's tables read row by row put into their two columns.
    ``unicode_normalised``: the numbers of the pages whose reader gave their text as
    normalise_unicode makes it (a PDF's text layers), not searched for old tones again."""
    split_closing_columns(pages)
    for page in pages:
        normalise_page(page, page.number in unicode_normalised)
    if pages:
        deinterleave_header(pages[0])


def read_document(path: str | Path, ocr: str = "auto", searchable: bool = False) -> RawDocument:
    """Read one file into pages of lines with their layout (pipeline/ingest/lines.py), the
    text normalised once for every later stage; raise IngestError if it cannot be read.

    ``ocr``: "auto" OCRs images and the PDF pages whose text layer is missing or garbled,
    "always" every PDF page too, "never" none. ``searchable`` keeps, for each OCRed page,
    Tesseract's PDF rendering of it with an invisible text layer (Page.ocr_pdf)."""
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"cannot open {path.name}: {error.strerror}") from error
    if not data:
        raise IngestError(f"{path.name} is empty (0 bytes)")
    sha256 = hashlib.sha256(data).hexdigest()
    kind, archive = _sniff(data)
    document = RawDocument(source=str(path), sha256=sha256, format=kind, pages=[])
    normalised: Container[int] = ()
    if kind == "pdf":
        document.pages, document.warnings, document.encoding, normalised = read_pdf(data, ocr, searchable)
        document.signatures, unread = read_signatures(data)
        document.warnings += unread
    elif kind == "image":
        document.pages, document.warnings = read_image(data, ocr, searchable)
    elif kind == "docx":
        document.pages, document.encoding = _read_docx(archive)
    elif kind in ("doc", "rtf", "odt"):
        document.pages, document.encoding = _read_docx(to_docx(data, kind))
    elif kind == "html":
        document.pages, document.encoding = read_html(data)
    elif path.suffix.lower() in MARKDOWN_SUFFIXES or _markdown_text(data):
        document.format = "markdown"
        document.pages, document.encoding, notes = read_markdown(data)
        document.warnings += notes
    else:
        document.pages, document.encoding, notes = read_text_file(data)
        document.warnings += notes
    prepare_pages(document.pages, normalised)
    if not any(line.text.strip() for page in document.pages for line in page.lines):
        raise IngestError(_no_text(kind, document.pages, ocr))
    document.ocr_confidence = mean_confidence(document.pages)
    document.ocr = any(page.method == "ocr" for page in document.pages)
    document.warnings += suffix_warnings(path, kind) + language_warnings(document.pages)
    return document


def _no_text(kind: str, pages: list[Page], ocr: str) -> str:
    """Why a file that opened gives nothing to extract from: such a file is an error record
    counted in the run's summary, never an "ok" record with an empty text."""
    if kind == "pdf":
        pages_are, pages_have = ("its page is", "its page has") if len(pages) == 1 else (
            f"its {len(pages)} pages are", f"its {len(pages)} pages have")
        if ocr == "never":
            return f"no text: the PDF's text layer is empty ({pages_have} none), and OCR is off (--ocr never)"
        if ocred := sum(page.method == "ocr" for page in pages):
            return f"no text: the PDF has no text layer, and OCR found none on {counted(ocred, 'page')}"
        return f"no text: the PDF is blank ({pages_are} without text or an image for OCR to read)"
    if kind == "image":
        return "OCR found no text in the image"
    if kind == "txt":
        return "no text: the file holds only white space"
    return f"no text: the {kind.upper()} document is empty"


__all__ = ["OCR_MODES", "SUPPORTED_SUFFIXES", "IngestError", "prepare_pages", "read_document", "sniff"]
