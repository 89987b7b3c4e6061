"""Plain-text files: decode, split pages at form feeds, unpack copied form tables."""

from __future__ import annotations

import codecs

import charset_normalizer
import regex

from pipeline.ingest.layout import unpack_rows
from pipeline.ingest.legacy import decode_legacy_bytes, repair_legacy
from pipeline.records import IngestError, Page
from pipeline.text import normalise_unicode

# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Share of control characters above which "text" is really a binary file.
MAX_CONTROL_SHARE = 0.01


def decode(data: bytes) -> tuple[str, str]:
    """A BOM is proof, UTF-8 that decodes is near proof, then TCVN3 or VNI words that
    convert to Vietnamese; only then guess."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    legacy = decode_legacy_bytes(data)
    if legacy is not None:
        return legacy
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError("not a text file: the bytes decode in no known encoding")
    return str(best), best.encoding


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise IngestError(f"text file with a {encoding} BOM does not decode: {error}") from error


_CONTROLS = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROLS.findall(text))
    return controls > MAX_CONTROL_SHARE * max(len(text), 1)


def page_text(text: str) -> str:
    """Copied header and signature tables become left block then right block."""
    return "\n".join(unpack_rows(text.split("\n")))


def read_text(data: bytes) -> tuple[list[Page], str]:
    """Pages of a text file (form feeds separate pages) and the encoding used; UTF-8
    text may still hold TCVN3 or VNI letters, converted here."""
    text, encoding = decode(data)
    if _looks_binary(text):
        raise IngestError(f"not a text file: decodes as {encoding} but is mostly control bytes")
    text, legacy = repair_legacy(text)
    encoding = legacy or encoding
    text = normalise_unicode(text.replace("\r\n", "\n").replace("\r", "\n"))
    pages = [
        Page.from_text(n, page_text(chunk), "plain")
        for n, chunk in enumerate(text.split("\f"), start=1)
    ]
    return pages, encoding
