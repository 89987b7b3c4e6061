"""Plain-text files: decode, split pages at form feeds, unpack copied form tables.

A text file has no fonts. Where its lines are wrapped at a width (a copy laid out with
spaces, as pdftotext -layout writes), a line's leading spaces give its indent against the
block of the page's lines (ingest/positions.py, on columns of characters). Alignment is not
given: a proportional font laid out in characters leaves the right edge ragged by several
columns, so a centred title cannot be told from an indented short line (measured on the
copies in shared/corpus/real/docs). Where lines are whole paragraphs, widths say nothing.
"""

from __future__ import annotations

import codecs
from functools import cache
from typing import Any

import charset_normalizer
import regex

from pipeline.ingest import lines as source_lines
from pipeline.ingest.layout import unpack_rows
from pipeline.ingest.legacy import decode_legacy_bytes, repair_legacy
from pipeline.ingest.lines import layout
from pipeline.ingest.positions import text_block
from pipeline.records import PLAIN, IngestError, Layout, Page
from pipeline.rules import load_model

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
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # a copy cut inside its last character
            return data[: error.start].decode("utf-8"), "utf-8"
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


@cache
def settings() -> dict[str, Any]:
    return load_model("layout")["plain_text"]


def text_page(number: int, text: str) -> Page:
    """A page of a text file. Copied header and signature tables become left block then
    right block, each line in its cell; other lines are indented by their spaces."""
    unpacked = unpack_rows(text.split("\n"))
    spaced = spaced_layouts([line if style is None else None for line, style in unpacked])
    layouts = [style if style is not None else found for (_, style), found in zip(unpacked, spaced)]
    return source_lines.page(number, "\n".join(line for line, _ in unpacked), layouts, "plain")


def spaced_layouts(lines: list[str | None]) -> list[Layout]:
    """Each line's indent (None: a table's line, placed already) from its leading spaces, in
    columns of characters, when the page's lines are wrapped at a width."""
    conf = settings()
    starts: list[int | None] = []
    lefts, rights = [], []
    for line in lines:  # a line with a tab is a table's (split_cells), so spaces are all there is
        line = line.rstrip() if line else ""
        if line:
            starts.append(len(line) - len(line.lstrip()))
            lefts.append(starts[-1])
            rights.append(len(line))
        else:
            starts.append(None)
    block = text_block(lefts, rights) if len(lefts) >= conf["min_lines"] else None
    if block is None or block.right > conf["max_width"]:
        return [PLAIN] * len(lines)
    indents = {start: layout(indent=round((start - block.left) / block.width, 2) + 0.0) for start in set(lefts)}
    return [PLAIN if start is None else indents[start] for start in starts]


def read_text(data: bytes) -> tuple[list[Page], str]:
    """Pages of a text file (form feeds separate pages) and the encoding used; UTF-8
    text may still hold TCVN3 or VNI letters, converted here."""
    text, encoding = decode(data)
    if _looks_binary(text):
        raise IngestError(f"not a text file: decodes as {encoding} but is mostly control bytes")
    text, legacy = repair_legacy(text)
    encoding = legacy or encoding
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [text_page(n, chunk) for n, chunk in enumerate(text.split("\f"), start=1)], encoding
