"""Plain-text files: decode, split pages at form feeds, unpack copied form tables.

Web copies of portal pages lose the portal's furniture (pipeline/ingest/portal.py). Their
tables come in three shapes, all read here as the other readers read tables: rows of
"|" or tab separated cells, one to a line; such a row whose cells are broken over several
lines (the row ends at the line that closes it with "|"); and crawls that write each cell
between lines holding a lone "|", two such lines meeting where a row ends (pipe_tables,
shared with the Markdown reader).

A text file has no fonts. Where its lines are wrapped at a width (a copy laid out with
spaces, as pdftotext -layout writes), a line's leading spaces give its indent against the
block of the page's lines (ingest/positions.py, on columns of characters). Alignment is not
given: a proportional font laid out in characters leaves the right edge ragged by several
columns, so a centred title cannot be told from an indented short line (measured on the
copies in shared/corpus/real/docs). Where lines are whole paragraphs, widths say nothing.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import charset_normalizer
import regex

from pipeline.ingest import lines as source_lines
from pipeline.ingest.layout import (
    SIDES,
    form_pattern,
    header_anchor,
    is_form_table,
    row_line,
    split_cells,
    unpack_rows,
)
from pipeline.ingest.legacy import decode_legacy_bytes, repair_legacy
from pipeline.ingest.lines import in_table, layout, moved, row_layout
from pipeline.ingest.portal import strip_portal
from pipeline.ingest.positions import text_block
from pipeline.records import PLAIN, IngestError, Layout, Page, RecordWarning
from pipeline.rules import load_model
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
    except UnicodeDecodeError as error:
        if cut_short(error):
            return data[: error.start].decode("utf-8"), "utf-8"
    legacy = decode_legacy_bytes(data)
    if legacy is not None:
        return legacy
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError("not a text file: the bytes decode in no known encoding")
    return str(best), best.encoding


def cut_short(error: UnicodeDecodeError) -> bool:
    """UTF-8 that ends inside its last character: a copy cut short, readable but for it."""
    return error.reason == "unexpected end of data"


def _cut_bytes(data: bytes) -> int:
    """How many bytes at the end of ``data`` are a UTF-8 character cut short (0 if none).
    A character cut short leaves a byte of a multibyte sequence (>= 0x80) last: data that
    ends in an ASCII byte (a line end, as most files do) is not decoded again to tell."""
    if not data or data[-1] < 0x80:
        return 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return len(data) - error.start if cut_short(error) else 0
    return 0


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise IngestError(f"text file with a {encoding} BOM does not decode: {error}") from error


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # a plain class: re finds it as regex does, 10x faster
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])  # the same characters


def _looks_binary(text: str, utf8: bytes | None = None) -> bool:
    """Whether more than MAX_CONTROL_SHARE of the text is control characters. ``utf8``: the
    UTF-8 bytes it was decoded from (perhaps with a character cut short at their end), where
    each control character is a byte of its own that no other character's bytes include:
    counted there by bytes.translate, 8 against 46 us a page."""
    controls = len(utf8) - len(utf8.translate(None, _CONTROL_BYTES)) if utf8 is not None else len(_CONTROLS.findall(text))
    return controls > MAX_CONTROL_SHARE * max(len(text), 1)


@cache
def settings() -> dict[str, Any]:
    return {**load_model("layout")["plain_text"], **load_model("markdown")}


def text_page(number: int, text: str) -> Page:
    """A page of a text file. Copied header and signature tables become left block then
    right block, each line in its cell; other lines are indented by their spaces.

    Every table shape read here has its cells between "|" or tabs: a page with neither
    (most pages) is only indented, without the table readers' passes over its lines."""
    lines = text.split("\n")
    if "|" not in text and "\t" not in text:
        return source_lines.page(number, text, spaced_layouts(lines), "plain")
    lines = join_broken_rows(lines)
    tables = itertools.count()
    placed = pipe_table_lines(lines, tables)
    if uses_pipe_cells(lines):
        placed = pipe_tables([PIPE if style is None and is_pipe(line) else (line, style) for line, style in placed], tables)
    unpacked = _unpack_outside(placed, tables)
    spaced = spaced_layouts([line if style is None else None for line, style in unpacked])
    layouts = [style if style is not None else found for (_, style), found in zip(unpacked, spaced)]
    return source_lines.page(number, "\n".join(line for line, _ in unpacked), layouts, "plain")


def _unpack_outside(placed: list[tuple[str, Layout | None]], tables: Iterator[int]) -> list[tuple[str, Layout | None]]:
    """Rows of "|" or tab separated cells among the lines not yet in a table, their tables
    numbered after those already placed; a cell holding several lines gives one line each
    (a form table's cell) or is one line (a row of cells joined by " | ")."""
    out: list[tuple[str, Layout | None]] = []
    run: list[str] = []

    def flush() -> None:
        found = unpack_rows(run)
        count = max((style.table + 1 for _, style in found if style is not None and style.table is not None), default=0)
        numbers = [next(tables) for _ in range(count)]
        for line, style in found:
            if style is not None and style.table is not None:
                style = moved(style, style.cell, numbers[style.table], style.column)
            if "\n" in line and " | " in line:
                out.append((" ".join(line.split()), style))
            else:
                out.extend((part, style) for part in line.split("\n"))
        run.clear()

    for line, style in placed:
        if style is None:
            run.append(line)
            continue
        if run:
            flush()
        out.append((line, style))
    if run:
        flush()
    return out


# ------------------------------------------------------------------------ tables as cells


PIPE = None  # a line holding a lone "|": a cell's edge in a crawled table
# A cell's line that is blank or only the printed rule under the agency or the motto.
_RULE = regex.compile(r"^[\s\-_=–—.]*$")
Item = tuple[str, Layout | None] | None
Cell = list[tuple[str, Layout]]
# The form's one-row tables (header, "Kính gửi", "Nơi nhận" and signature) have two cells:
# a row whose end is not shown by a second pipe ends after this many.
FORM_WIDTH = 2


def is_pipe(line: str) -> bool:
    return line.strip() == "|"


def uses_pipe_cells(lines: list[str]) -> bool:
    """A crawl that writes cells between lone pipes has several, and more of them than rows
    of pipe-separated cells (a lone pipe above such a row is a stray, not a cell's edge)."""
    pipes = sum(1 for line in lines if is_pipe(line))
    rows = sum(1 for line in lines if not is_pipe(line) and line.lstrip().startswith("|"))
    return pipes >= settings()["min_pipe_cells"] and pipes > rows


def pipe_tables(items: list[Item], tables: Iterator[int]) -> list[tuple[str, Layout | None]]:
    """Tables whose cells lie between lone pipes, placed as every reader places a table
    (place_rows); the lines outside them are passed on as they are. A row ends where two
    pipes meet; a table ends after a row as wide as its first one (two cells when its first
    row's end is not shown) that is not followed by another, or where the pipes stop."""
    out: list[tuple[str, Layout | None]] = []
    i, n = 0, len(items)
    while i < n:
        if items[i] is not PIPE:
            out.append(items[i])  # type: ignore[arg-type]
            i += 1
            continue
        rows: list[list[Cell]] = []
        row: list[Cell] = []
        width = None
        i += 1
        while True:
            j = i
            while j < n and items[j] is not PIPE:
                j += 1
            if j == n:
                break  # words after the last pipe are outside the table
            row.append([(item[0], item[1] or PLAIN) for item in items[i:j] if item and not _RULE.match(item[0])])
            i = j + 1
            if i < n and items[i] is PIPE:
                rows.append(row)
                width = width or len(row)
                row = []
                i += 1
                continue
            if width is not None and len(row) >= width:
                break
            if width is None and len(row) >= FORM_WIDTH and not _more_cells(items, i, row):
                break
        if row:
            rows.append(row)
        out.extend(place_rows(list(enumerate(rows)), next(tables)))
    return out


def _more_cells(items: list[Item], start: int, row: list[Cell]) -> bool:
    """Whether a first row, whose end is not yet shown, goes on after its pipe at ``start``:
    not after a label and its value ("Kính gửi: | ..."), nor in the form's own tables (the
    motto or "Nơi nhận" in the row), and only into a cell-like piece
    (short, no blank line, closed by a pipe, no form anchor of its own); body text after a
    one-row table is not a cell."""
    first = "\n".join(text for text, _ in row[0])
    if _LABEL.match(first.strip()) or is_form_table("\n".join(text for cell in row for text, _ in cell)):
        return False  # the form's tables are two cells wide
    end = start
    while end < len(items) and items[end] is not PIPE:
        end += 1
    piece = items[start:end]
    if end == len(items) or len(piece) > settings()["max_cell_lines"] or any(not item[0].strip() for item in piece):  # type: ignore[index]
        return False
    return not is_form_table("\n".join(item[0] for item in piece))  # type: ignore[index]


def place_rows(rows: list[tuple[int, list[Cell]]], number: int) -> list[tuple[str, Layout]]:
    """A table's lines, each placed in its table and cell: the form's two-column tables
    column by column (a header line on its side), up to the header's last row (rows below
    it, such as "Kính gửi", are read as any other row); a row with one filled cell, or a
    label and its value ("Kính gửi: | - Sở Y tế; ..."), as its cells' lines, one cell after
    the other; any other row as one line of cells joined by " | "."""
    rows = [(index, cells) for index, cells in rows if any(cells)]
    texts = [["\n".join(text for text, _ in cell) for cell in cells] for _, cells in rows]
    joined = "\n".join("\n".join(row) for row in texts)
    if not rows or max(map(len, texts)) != 2 or not is_form_table(joined):
        return _rows(rows, texts, number)
    header = bool(header_anchor().search(normalise_unicode(joined)))
    form = _header_rows(texts) if header else len(rows)
    return [
        (text, in_table(style, number, (index, column), SIDES[column]))
        for column in (0, 1)
        for index, cells in rows[:form]
        if column < len(cells)
        for text, style in (mend_header_cell(cells[column]) if header else cells[column])
    ] + _rows(rows[form:], texts[form:], number)


@cache
def _mends() -> dict[str, regex.Pattern]:
    return {name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in settings()["header_cell_mends"].items()}


def mend_header_cell(cell: Cell) -> Cell:
    """The cell's lines with a line a copy broke off its value joined again (the style of
    the first part kept): the number label alone ("Số:"), the place and date cut after
    "ngày" or its day ("Huế, ngày 24" / "tháng 11 năm 2025")."""
    mends = _mends()
    out: Cell = []
    for text, style in cell:
        if out and (mends["bare_number_label"].match(out[-1][0]) or (mends["cut_date"].search(out[-1][0]) and mends["date_rest"].match(text))):
            out[-1] = (f"{out[-1][0].rstrip()} {text.strip()}", out[-1][1])
        else:
            out.append((text, style))
    return out


def _header_rows(texts: list[list[str]]) -> int:
    """The rows of a header table that are the header: up to the last one holding the
    motto, the number or the place and date."""
    last = 0
    for index, row in enumerate(texts):
        text = normalise_unicode("\n".join(row))
        if header_anchor().search(text) or any(form_pattern("place_date").match(line) or form_pattern("number_line").match(line) for line in text.split("\n")):
            last = index
    return last + 1


_LABEL = regex.compile(r"^[^\n:]{2,40}:$")


def _rows(rows: list[tuple[int, list[Cell]]], texts: list[list[str]], number: int) -> list[tuple[str, Layout]]:
    """A row spanning a wide table ("I. NÂNG CAO NHẬN THỨC" over a task table's five
    columns) stays a row of that table, its cell first and the others empty, so that the
    table's rows are not cut in two by a heading."""
    width = max((len(cells) for _, cells in rows), default=0)
    out: list[tuple[str, Layout]] = []
    for (index, cells), row in zip(rows, texts):
        filled = [column for column, cell in enumerate(row) if cell]
        if len(filled) == 1 and len(cells) < width >= settings()["min_spanned_width"]:
            parts = [[(len(text), style) for text, style in cell] for cell in cells]
            spanned = [" ".join(row[filled[0]].split()), *[""] * (width - 1)]
            out.append((" | ".join(spanned), row_layout(parts, number, index)))
        elif len(filled) == 1 or (len(filled) == 2 and _LABEL.match(row[filled[0]].strip())):
            out.extend((text, in_table(style, number, (index, column))) for column in filled for text, style in cells[column])
        else:
            parts = [[(len(text), style) for text, style in cell] for cell in cells]
            out.append((row_line([" ".join(cell.split()) for cell in row]), row_layout(parts, number, index)))
    return out


_DELIMITER_ROW = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def pipe_table_lines(lines: list[str], tables: Iterator[int]) -> list[tuple[str, Layout | None]]:
    """Markdown pipe tables (a "|---|---" line under their first row) placed as every reader
    places a table (place_rows: the form's header left column then right column, a "Kính
    gửi" row below it as its label and list); other lines passed on without a place. Many
    copies drop a row's opening or closing pipe, so the frame is optional."""
    out: list[tuple[str, Layout | None]] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and "|" in lines[i] and not is_pipe(lines[i]) and _DELIMITER_ROW.match(lines[i + 1]):
            run = _table_run(lines, i + 1)
            rows = [_pipe_cells(lines[index]) for index in run if not _DELIMITER_ROW.match(lines[index])]
            out.extend(place_rows(list(enumerate(rows)), next(tables)))
            i = run[-1] + 1
            continue
        out.append((lines[i], None))
        i += 1
    return out


def _pipe_cells(line: str) -> list[Cell]:
    """The cells of a pipe-table row, each with its lines (a row broken over several lines
    keeps them: join_broken_rows)."""
    body = line.strip()
    body = body.removeprefix("|")
    body = body.removesuffix("|")
    return [[(part.strip(), PLAIN) for part in cell.split("\n") if not _RULE.match(part)] for cell in body.split("|")]


def _table_run(lines: list[str], delimiter: int) -> list[int]:
    """The indices of the rows of the pipe table: its first row above the delimiter line,
    then every line holding a pipe below it."""
    start = delimiter - 1
    end = delimiter + 1
    while end < len(lines) and "|" in lines[end] and lines[end].strip() not in ("", "|"):
        end += 1
    return list(range(start, end))


def join_broken_rows(lines: list[str]) -> list[str]:
    """A row of "|" cells broken over several lines becomes one line whose cells keep their
    line breaks: it starts with "|", does not close on its own line, and the lines below it,
    none blank and none starting a row, reach one that closes it with "|"."""
    limit = settings()["max_row_lines"]
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        end = _row_end(lines, i, limit) if _opens_row(line) else None
        if end is None:
            out.append(line)
            i += 1
            continue
        out.append("\n".join(lines[i : end + 1]))
        i = end + 1
    return out


def _opens_row(line: str) -> bool:
    body = line.strip()
    return body.startswith("|") and not body.endswith("|") and split_cells(body) is not None and "-|" not in body.replace(" ", "")


def _row_end(lines: list[str], start: int, limit: int) -> int | None:
    for j in range(start + 1, min(len(lines), start + 1 + limit)):
        body = lines[j].strip()
        if not body or body.startswith("|"):
            return None
        if body.endswith("|"):
            return j
    return None


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


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a file (Markdown too) and its encoding; UTF-8 text may still hold TCVN3
    or VNI letters, converted here; line ends made "\\n"."""
    text, encoding = decode(data)
    if _looks_binary(text, data if encoding == "utf-8" else None):
        raise IngestError(f"not a text file: decodes as {encoding} but is mostly control bytes")
    text, legacy = repair_legacy(text)
    return text.replace("\r\n", "\n").replace("\r", "\n"), legacy or encoding


def without_portal(chunks: list[str]) -> tuple[list[list[str]], list[RecordWarning]]:
    """Each page's lines without a portal's furniture, and the note of what its info block states."""
    pages, notes = [], []
    for chunk in chunks:
        stripped = strip_portal(chunk.split("\n"))
        pages.append(stripped.lines)
        notes += stripped.note()
    return pages, notes


def read_text_file(data: bytes) -> tuple[list[Page], str, list[RecordWarning]]:
    """Pages of a text file (form feeds separate pages), the encoding used, and the notes
    of a portal copy's info block and of a copy cut short."""
    text, encoding = decode_text(data)
    pages, notes = without_portal(text.split("\f"))
    if encoding == "utf-8" and (cut := _cut_bytes(data)):
        notes.append(RecordWarning("text-cut", f"the file ends inside a character (a copy cut short?): its last {cut} byte(s) were left out"))
    return [text_page(n, "\n".join(lines)) for n, lines in enumerate(pages, start=1)], encoding, notes


def read_text(data: bytes) -> tuple[list[Page], str]:
    """Pages of a text file and the encoding used."""
    pages, encoding, _ = read_text_file(data)
    return pages, encoding
