"""Column logic shared by the readers: the official form's two-column tables.

The header (agency | national motto) and the closing (Nơi nhận | signature) are
two-column tables. Read row by row they interleave the two columns; every later stage
wants the left block, then the right block. No library de-interleaves them (pdfplumber
and pdfium read lines across the page), so the few rules below are written here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import regex

from pipeline.gazetteer.doc_types import type_named
from pipeline.ingest.lines import in_column, layout
from pipeline.records import Layout, Page, SourceLine
from pipeline.rules import compiled, entry_sources, load_model
from pipeline.text import normalise_unicode

# The sides of the form's two-column tables (header, closing), by cell column.
SIDES = ("left", "right")

# A gap narrower than this is a space between words, not the gutter between columns
# (a justified 13 pt line stretches spaces to about 5 pt).
MIN_GUTTER = 6.0

Band = tuple[float, float]


def layout_data() -> dict[str, Any]:
    """The anchors are data, kept in models/layout.yaml (read once by load_model)."""
    return load_model("layout")


def phrase_pattern(phrases: Iterable[str]) -> regex.Pattern:
    """Spaces and dashes vary between copies ("Độc lập – Tự do"), so both are flexible."""
    alternatives = (
        r"\s*".join(
            "[-–—]" if token in "-–—" else regex.escape(token)
            for token in normalise_unicode(phrase).split()
        )
        for phrase in phrases
    )
    return regex.compile("|".join(alternatives), regex.IGNORECASE)


@cache
def form_pattern(key: str) -> regex.Pattern:
    """One of the form's fixed lines (layout.yaml: motto, number_line, place_date, addressees,
    opening, header_ends), its alternatives in one pattern; read by ingest and segment alike."""
    return compiled("|".join(f"(?:{source})" for source in entry_sources(layout_data()[key])))


def header_anchor() -> regex.Pattern:
    """The motto, or the Party's header: the mark of the two-column header table."""
    return form_pattern("motto")


@cache
def signature_anchor() -> regex.Pattern:
    return phrase_pattern(layout_data()["signature_anchors"])


@cache
def interleaved_line(part: str) -> regex.Pattern:
    """Case matters: the form capitalises its number label; body text mentions numbers in lower case."""
    return regex.compile(layout_data()["interleaved"][part], regex.MULTILINE)


_WORD_CHAR = regex.compile(r"\w")


def has_other_words(line: str, anchor: regex.Pattern) -> bool:
    """A line that holds more than its anchor carries another column's cell too."""
    return _WORD_CHAR.search(anchor.sub(" ", line)) is not None


def header_interleaved(text: str) -> bool:
    """The header zone was read across both columns: the motto shares a line with
    other words, or the number and the place-and-date do."""
    text = normalise_unicode(text)
    mixed_motto = any(
        has_other_words(line, header_anchor()) for line in text.split("\n") if header_anchor().search(line)
    )
    return mixed_motto or bool(interleaved_line("header_line").search(text))


def signature_interleaved(text: str) -> bool:
    """The closing table was read across both columns: the last recipients-label line,
    or a recipient line below it, also holds the signer's title or name."""
    lines = normalise_unicode(text).split("\n")
    labels = [i for i, line in enumerate(lines) if signature_anchor().search(line)]
    if not labels:
        return False
    below = "\n".join(lines[labels[-1] + 1 :])
    return has_other_words(lines[labels[-1]], signature_anchor()) or bool(
        interleaved_line("signature_line").search(below)
    )


def is_form_table(text: str) -> bool:
    """A two-column table is the form's header or signature if it carries their anchor."""
    text = normalise_unicode(text)
    return bool(header_anchor().search(text) or signature_anchor().search(text))


_CELL_EDGE = regex.compile(r"\t+|\|")


def split_cells(line: str) -> list[str] | None:
    """Cells of a row copied from a web table (``|`` or tabs), or None for a plain line.

    A leading separator keeps an empty left cell ("\\tĐộc lập - ..."), but a line
    framed by pipes on both sides ("| a | b |") is markdown and loses the frame.
    """
    if "\t" not in line and "|" not in line:
        return None
    body = line.strip(" \r")
    cells = [cell.strip() for cell in _CELL_EDGE.split(body)]
    if len(cells) > 2 and body.startswith("|") and body.endswith("|"):
        cells = cells[1:-1]
    return cells if len(cells) >= 2 else None


def row_line(cells: list[str]) -> str:
    """A table row kept as one line; a later stage parses the " | " columns."""
    filled = [cell for cell in cells if cell]
    return filled[0] if len(filled) == 1 else " | ".join(cells) if filled else ""


def unpack_rows(lines: list[str]) -> list[tuple[str, Layout | None]]:
    """Portal copies of the form's tables become blocks (left column, then right column);
    other table rows stay rows. Each line comes with its place in its table (tables counted
    from 0 down the page), or None for a line outside any table."""
    joined = "\n".join(lines)
    if "\t" not in joined and "|" not in joined:  # no line split_cells reads as a row (most pages)
        return [(line, None) for line in lines]
    out: list[tuple[str, Layout | None]] = []
    i = 0
    tables = 0
    while i < len(lines):
        end, rows = _row_run(lines, i)
        if not rows:
            out.append((lines[i], None))
            i += 1
            continue
        run_text = "\n".join(" ".join(cells) for cells in rows)
        if all(len(cells) == 2 for cells in rows) and is_form_table(run_text):
            out.extend(
                (row[column], layout(table=tables, cell=(index, column), column=SIDES[column]))
                for column in (0, 1)
                for index, row in enumerate(rows)
                if row[column]
            )
        else:
            out.extend(_as_rows(lines[i:end], tables))
        tables += 1
        i = end
    return out


def _row_run(lines: list[str], start: int) -> tuple[int, list[list[str]]]:
    """The run of table rows starting at ``start``; blank lines inside a run belong to it."""
    rows: list[list[str]] = []
    end = start
    i = start
    while i < len(lines):
        cells = split_cells(lines[i])
        if cells is not None:
            rows.append(cells)
            i += 1
            end = i
        elif not lines[i].strip() and rows:
            i += 1
        else:
            break
    return end, rows


def _as_rows(lines: list[str], table: int) -> list[tuple[str, Layout | None]]:
    """A table's lines as row lines, each in its row at the cell it starts with (the one
    filled cell, or the first); a blank line between rows stays as it is."""
    out: list[tuple[str, Layout | None]] = []
    row = 0
    for line in lines:
        cells = split_cells(line)
        if cells is None:
            out.append((line, None))
            continue
        filled = [column for column, cell in enumerate(cells) if cell]
        out.append((row_line(cells), layout(table=table, cell=(row, filled[0] if len(filled) == 1 else 0))))
        row += 1
    return out


# --------------------------------------------------------------------------- header rows in text

# The form's header never runs longer than this many lines.
HEADER_SEARCH = 25
# "Số: 12/UBND-VX Hà Nội, ngày …": the number cell, then the place-and-date cell on one row.
_NUMBER_THEN_PLACE = regex.compile(r"^\s*số\s*:?\s*\S+(?:\s*/\s*\S+)?\s+(?=\S[^,\d]{1,40},\s*ngày\b)", regex.IGNORECASE)


def deinterleave_header(page: Page) -> None:
    """A header read row by row ("UBND TỈNH X   CỘNG HÒA XÃ HỘI…", as text copies and OCR
    give it) becomes the left block, then the right block, each line marked with its column.

    The block ends where the body begins (a type line, "Kính gửi", an opening, a numbered
    heading) or a few lines after its last two-column row: the subject ("V/v …") and the
    lines under the issuer stand in the left column below the rows. A page whose reader
    placed its columns already (PDF boxes, DOCX and HTML tables) is left as it is."""
    indexed = list(itertools.islice(((i, line) for i, line in enumerate(page.lines) if line.text), HEADER_SEARCH))
    # A short letter's closing table may stand within reach: the header ends before it. It
    # is looked for no further than the first line its reader placed in a column, which
    # leaves the page as it is unless the closing table comes first.
    placed = next((n for n, (_, line) in enumerate(indexed) if line.layout.column), len(indexed) - 1)
    closing = next((n for n, (_, line) in enumerate(indexed[: placed + 1]) if signature_anchor().search(line.text)), len(indexed))
    indexed = indexed[:closing]
    if any(line.layout.column for _, line in indexed):
        return
    # Nothing is split unless a line holds both columns' text (a row read across the table):
    # a page without one is not sorted into blocks that would be thrown away.
    if not any(_right_column_start(line.text) for _, line in indexed):
        return
    left: list[SourceLine] = []
    right: list[SourceLine] = []
    last_row: int | None = None
    subject: int | None = None  # where a subject ("V/v …") began, while it goes on unbroken
    end = 0
    for count, (index, line) in enumerate(indexed):
        cut = _right_column_start(line.text)
        if subject is not None and (index > end or count - subject >= layout_data()["subject_lines"]):
            subject = None
        if cut:
            last_row = count
            left.append(SourceLine(line.text[:cut].strip(), in_column(line.layout, "left")))
            right.append(SourceLine(line.text[cut:].strip(), in_column(line.layout, "right")))
        elif last_row is not None and (_ends_header(line.text) or subject is None and count - last_row > layout_data()["header_gap"]):
            break
        else:
            if form_pattern("subject_line").match(line.text):
                subject = count
            side = "right" if right and _belongs_right(line.text) else "left"
            (right if side == "right" else left).append(SourceLine(line.text, in_column(line.layout, side)))
        end = index + 1
    if last_row is not None:
        page.lines = [line for line in left + right if line.text] + page.lines[end:]


def _right_column_start(text: str) -> int:
    """Where the right column (motto, place and date) begins on a row-wise header line."""
    starts = [m.start() for m in form_pattern("motto").finditer(text) if m.start() > 0][:1]
    if number_then_place := _NUMBER_THEN_PLACE.match(text):
        starts.append(number_then_place.end())
    return min(starts, default=0)


def _belongs_right(text: str) -> bool:
    return bool(form_pattern("motto").search(text) or form_pattern("place_date").match(text))


def _ends_header(text: str) -> bool:
    return bool(type_named(text) or any(form_pattern(key).match(text) for key in ("addressees", "opening", "header_ends")))


# --------------------------------------------------------------------------- closing rows in text


def split_closing_columns(pages: list[Page]) -> None:
    """A closing table laid out with spaces ("Nơi nhận:          KT. CHỦ TỊCH") becomes the
    recipients, then the signature block, each line marked with its column. Read before the
    text is normalised, since normalising makes the gutter one space. From the last "Nơi
    nhận" to the last line that has a signature-column part; what follows stays in place."""
    conf = layout_data()["plain_text"]
    gutter = _closing_gutter(conf["closing_gutter"])
    # The substring test first: no gutter without its spaces or a tab, and most lines have neither.
    run = " " * conf["closing_gutter"]
    if not any((run in line.text or "\t" in line.text) and gutter.search(line.text) for page in pages for line in page.lines):
        return  # no line laid out with spaces: nothing to split, and no label to look for
    found = _last_signature_label(pages)
    if found is None:
        return
    page, start = found
    cuts = {index: gutter.search(page.lines[index].text.expandtabs()) for index in range(start, len(page.lines))}
    if not any(cuts.values()):
        return
    right_from = min(cut.end() for cut in cuts.values() if cut) * conf["closing_right_share"]
    left: list[tuple[int, SourceLine]] = []
    right: list[SourceLine] = []
    end = start
    for index, cut in cuts.items():
        line = page.lines[index]
        text = line.text.expandtabs()
        if cut:
            left.append((index, SourceLine(text[: cut.start()], in_column(line.layout, "left"))))
            right.append(SourceLine(text[cut.end() :], in_column(line.layout, "right")))
            end = index + 1
        elif text.strip() and len(text) - len(text.lstrip()) >= right_from:
            right.append(SourceLine(text, in_column(line.layout, "right")))
            end = index + 1
        elif text.strip():
            left.append((index, SourceLine(text, in_column(line.layout, "left"))))
    page.lines = page.lines[:start] + [line for index, line in left if index < end] + right + page.lines[end:]


@cache
def _closing_gutter(spaces: int) -> regex.Pattern:
    return regex.compile(rf"(?<=\S)(?: {{{spaces},}}|\t+)(?=\S)")


def _last_signature_label(pages: list[Page]) -> tuple[Page, int] | None:
    for page in reversed(pages):
        for index in range(len(page.lines) - 1, -1, -1):
            if signature_anchor().search(normalise_unicode(page.lines[index].text)):
                return page, index
    return None


# --------------------------------------------------------------------------- positioned words


class Word(NamedTuple):
    """A word (or a whole line) with its box, in top-down page coordinates (pdfplumber's),
    the pdfium index of its first character when pdfium read it (for its font), and OCR's
    confidence in it (0-100) when OCR read it. A named tuple: pages make thousands of them,
    and a tuple is the cheapest object to make."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    char: int | None = None
    confidence: float | None = None


@dataclass
class Row:
    """Words whose vertical middles fall on one baseline band, left to right."""

    words: list[Word]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass(frozen=True)
class Region:
    """Rows ``first..last`` of a page form a two-column table split at ``split_x``."""

    first: int
    last: int
    split_x: float


def group_rows(words: Iterable[Word]) -> list[Row]:
    """Words of different sizes on one line have different tops; their middles agree."""
    rows: list[Row] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if rows and rows[-1].top <= middle <= rows[-1].bottom:
            rows[-1].words.append(word)
            rows[-1].bottom = max(rows[-1].bottom, word.bottom)
        else:
            rows.append(Row([word], word.top, word.bottom))
    for row in rows:
        row.words.sort(key=lambda w: w.x0)
    return rows


def narrow(band: Band, row: Row) -> Band | None:
    """The widest part of the gutter this row leaves free, or None if the row crosses it."""
    pieces = [band]
    for word in row.words:
        pieces = [
            piece
            for lo, hi in pieces
            for piece in ((lo, min(hi, word.x0)), (max(lo, word.x1), hi))
            if piece[1] > piece[0]
        ]
    if not pieces:
        return None
    best = max(pieces, key=lambda p: p[1] - p[0])
    return best if best[1] - best[0] >= MIN_GUTTER else None


def anchor_word(row: Row, pattern: regex.Pattern, at_end: bool) -> int | None:
    """Index of the word where the anchor starts (or ends) in the row, if it is there."""
    text = normalise_unicode(row.text)
    match = pattern.search(text)
    if match is None:
        return None
    offset = match.end() - 1 if at_end else match.start()
    position = 0
    for index, word in enumerate(row.words):
        position += len(word.text) + 1
        if offset < position:
            return index
    return len(row.words) - 1


def find_region(rows: list[Row], anchor_row: int, band: Band, upward: bool, ends: Callable[[Row], bool] | None = None) -> Region | None:
    """Grow the table from its anchor row while rows keep the gutter free (and, going
    down, until a row ``ends`` it)."""
    current = narrow(band, rows[anchor_row])
    if current is None:
        return None
    first = last = anchor_row
    while upward and first > 0 and (wider := narrow(current, rows[first - 1])):
        current, first = wider, first - 1
    while last + 1 < len(rows) and not (ends and ends(rows[last + 1])) and (wider := narrow(current, rows[last + 1])):
        current, last = wider, last + 1
    return Region(first, last, (current[0] + current[1]) / 2)


def header_region(rows: list[Row], page_left: float, within: int = 8) -> Region | None:
    """The header table: the motto row near the top, gutter just left of the motto."""
    for index, row in enumerate(rows[:within]):
        start = anchor_word(row, header_anchor(), at_end=False)
        if start is None:
            continue
        left = row.words[start - 1].x1 if start > 0 else page_left
        # An OCRed page's rows under the header keep a gutter free too (the addressees
        # indented, the recipients right of them): the body's first line ends the table.
        return find_region(rows, index, (left, row.words[start].x0), upward=True,
                           ends=lambda below: _ends_header(normalise_unicode(below.text)))
    return None


def signature_region(rows: list[Row], page_right: float) -> Region | None:
    """The signature table: from the last "Nơi nhận" row down, gutter right of the anchor."""
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        end = anchor_word(row, signature_anchor(), at_end=True)
        if end is None:
            continue
        right = row.words[end + 1].x0 if end + 1 < len(row.words) else page_right
        return find_region(rows, index, (row.words[end].x1, right), upward=False)
    return None


def column_rows(rows: list[Row], split_x: float) -> tuple[list[Row], list[Row]]:
    """Each column's words regrouped into lines, since the columns' baselines differ."""
    words = [word for row in rows for word in row.words]
    return group_rows(w for w in words if w.x1 <= split_x), group_rows(w for w in words if w.x0 >= split_x)

