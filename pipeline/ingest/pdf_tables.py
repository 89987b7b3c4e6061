"""Task tables in PDF pages, read cell by cell.

pypdfium2 reads a table's cells one after the other with nothing between them, so a row
"1 | Tuyên truyền … | Sở Tư pháp | Các sở, ngành | Quý III/2024" cannot be told from the
paragraphs around it. For a page whose text shows a task table's caption row (cheap to
test on the text already read), pdfplumber finds the ruled table and reads its cells;
the lines of the page text that the table's words account for are replaced by one
" | " row line per table row, the form every reader gives (pipeline/ingest/layout.py).
"""

from __future__ import annotations

import io
from collections import Counter

from pipeline.ingest.layout import row_line
from pipeline.rules import compiled, load_model, patterns
from pipeline.text import normalise_unicode

# Share of a text line's words that must be table words for the line to be the table's.
TABLE_LINE_SHARE = 0.8


def has_task_caption(text: str) -> bool:
    """A lead caption near a time caption: the page may hold a task table. Matched on the
    lower-cased text without case folding, which is several times faster on Vietnamese.
    ``text`` is normalised already, as read_pdf gives it."""
    lowered = text.lower()
    return any(cue.search(lowered) for cue in patterns("duties", "table", "page_cue", ignore_case=False))


# Where a line of the new page text comes from: the index of the line of the text given,
# or the (table, row, column) of a table row, the table counted among the page's ruled
# tables, the column the line starts with (its one filled cell, else the first).
Origin = int | tuple[int, int, int]


def page_with_task_tables(data: bytes, index: int, text: str) -> str | None:
    """Page ``index``'s text with each task table's lines replaced by row lines, or None
    when the page holds no task table (the text is then left as it is)."""
    found = task_table_lines(data, index, text)
    return None if found is None else "\n".join(found[0])


def task_table_lines(data: bytes, index: int, text: str) -> tuple[list[str], list[Origin]] | None:
    """The lines of page_with_task_tables, each with where it comes from; None when the
    page holds no task table."""
    if not has_task_caption(text):
        return None
    tables = [(number, rows) for number, rows in enumerate(_plumber_tables(data, index)) if _is_task_table(rows)]
    if not tables:
        return None
    lines = text.split("\n")
    origins: list[Origin] = list(range(len(lines)))
    for number, rows in tables:
        lines, origins = _substitute(lines, origins, rows, number)
    return lines, origins


def _plumber_tables(data: bytes, index: int) -> list[list[list[str]]]:
    """The page's ruled tables, cells' line breaks folded; merged cells read once (None -> "").
    pdfplumber is imported here, the first time a page needs it (pipeline.batch.warm_readers)."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            tables = pdf.pages[index].extract_tables()
    except PdfminerException:
        return []
    return [[[" ".join(normalise_unicode(cell or "").split()) for cell in row] for row in table] for table in tables]


def _is_task_table(rows: list[list[str]]) -> bool:
    """The table's first rows carry a task caption and a lead caption (whole cells)."""
    captions = load_model("duties")["table"]["captions"]
    cells = [cell for row in rows[:2] for cell in row if cell]
    return all(any(compiled(rf"^(?:{captions[kind]})\s*[:.]?$").match(cell) for cell in cells) for kind in ("task", "lead"))


def _substitute(
    lines: list[str], origins: list[Origin], rows: list[list[str]], table: int
) -> tuple[list[str], list[Origin]]:
    """Replace the run of lines that the table's words account for, from its caption on."""
    table_words = Counter(word for row in rows for cell in row for word in cell.split())
    caption_words = Counter(word for cell in rows[0] for word in cell.split())
    start = next((i for i, line in enumerate(lines) if _in_table(line, caption_words)), None)
    if start is None:
        return lines, origins
    end = start
    while end < len(lines) and (not lines[end].strip() or _in_table(lines[end], table_words)):
        end += 1
    return (
        lines[:start] + [row_line(row) for row in rows] + lines[end:],
        origins[:start] + [(table, number, _first_cell(row)) for number, row in enumerate(rows)] + origins[end:],
    )


def _first_cell(row: list[str]) -> int:
    """The cell a row line starts with: row_line gives a row with one filled cell as that cell."""
    filled = [column for column, cell in enumerate(row) if cell]
    return filled[0] if len(filled) == 1 else 0


def _in_table(line: str, table_words: Counter) -> bool:
    words = normalise_unicode(line).split()
    return bool(words) and sum(1 for word in words if word in table_words) >= TABLE_LINE_SHARE * len(words)
