"""Ingest: one file on disk -> RawDocument (pages of text, as read).

The format is taken from the bytes, not the name: portals serve PDFs named .txt and
Word files named .doc. Every failure is an IngestError whose message is shown to users.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Union

from pipeline.ingest.docx import read_docx
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.text import read_text
from pipeline.records import IngestError, RawDocument

SUPPORTED_SUFFIXES = frozenset({".txt", ".pdf", ".docx"})

# A PDF may have a little junk before its "%PDF-" marker; readers accept up to 1 KB.
PDF_MARKER_WINDOW = 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """The format the bytes are in: pdf, docx or txt."""
    if b"%PDF-" in data[:PDF_MARKER_WINDOW]:
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        raise IngestError("legacy Word .doc (OLE2) file: convert it to .docx first")
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return "txt"


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as error:
        raise IngestError(f"unreadable Word document (broken ZIP container): {error}") from error
    if "word/document.xml" not in names:
        raise IngestError("a ZIP archive that is not a Word document (no word/document.xml)")
    return "docx"


def read_document(path: str | Path) -> RawDocument:
    """Read one file into pages of text; raise IngestError if it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"cannot open {path.name}: {error.strerror}") from error
    if not data:
        raise IngestError(f"{path.name} is empty (0 bytes)")
    sha256 = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    document = RawDocument(source=str(path), sha256=sha256, format=kind, pages=[])
    if kind == "pdf":
        document.pages, document.warnings = read_pdf(data)
    elif kind == "docx":
        document.pages = read_docx(data)
    else:
        document.pages, document.encoding = read_text(data)
    return document


__all__ = ["SUPPORTED_SUFFIXES", "read_document", "sniff", "IngestError"]
