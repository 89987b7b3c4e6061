"""Task tables on OCRed pages, rebuilt as rows of cells from Tesseract's word boxes.

Tesseract (psm 3) reads a ruled table cell block by cell block: a duty's task, its lead
agency and its deadline come out as separate lines far apart, and segment cannot tell
which agency leads which task. A page whose lines hold a task table's caption row (cells
that are all captions, a task and a lead caption among them: models/duties.yaml) has its
words grouped again by position: lines by their vertical middles across the whole page; columns from the caption row's cells, widened by the body's
cells (a cell's words are separated from the next column's by more than a word space);
the table ends at a line whose words run across a column gap. Rows begin where the number
column (TT) has a numeral, else after a vertical gap wider than the lines' spacing. Each
row becomes one line of cells joined by " | ", the form a PDF or DOCX table reaches
segment in (pipeline/ingest/layout.row_line). Written by hand: Tesseract (through
tesserocr) gives word boxes, not table structure.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from pipeline.ingest.layout import Row, Word, row_line
from pipeline.rules import compiled, load_model
from pipeline.text import normalise_unicode


def tables() -> dict:
    """Layout shares and Tesseract's rule characters (models/ocr.yaml `tables`)."""
    return load_model("ocr")["tables"]


@dataclass
class Column:
    x0: float
    x1: float


def task_table_rows(rows: list[Row]) -> list[Row]:
    """The page's rows with a task table's lines replaced by one row per table row (its
    cells joined by " | "); the rows unchanged when the page shows no task table."""
    if not rows:
        return rows
    words = [word for row in rows for word in row.words]
    height = statistics.median(word.bottom - word.top for word in words)
    lines = visual_lines(words)
    found = caption_band(lines, height)
    if found is None:
        return rows
    start, end, columns, numbered = found
    last, cells = table_body(lines, end, columns, height)
    table = [row_cells(lines[start:end], columns)] + grouped_rows(cells, numbered, height)
    top = min(word.top for line in lines[start:end] for word in line)
    bottom = max(word.bottom for line in lines[start:last] for word in line)
    inside = [index for index, row in enumerate(rows) if top <= (row.top + row.bottom) / 2 <= bottom]
    if not inside:
        return rows
    x0, x1 = columns[0].x0, columns[-1].x1
    rebuilt = [Row([Word(row_line(cells_), x0, x1, line_top, line_bottom)], line_top, line_bottom)
               for cells_, line_top, line_bottom in table if any(cells_)]
    return rows[:inside[0]] + rebuilt + [row for index, row in enumerate(rows[inside[0]:], inside[0]) if index not in set(inside)]


def visual_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines across the whole page by their vertical middles, top-down,
    each line left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if lines and middle <= max(w.bottom for w in lines[-1]) and middle >= min(w.top for w in lines[-1]):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def chunks(line: list[Word], height: float) -> list[list[Word]]:
    """A line's words split where they are further apart than a word space, or at a ruling
    line Tesseract read as a bar ("|", alone or stuck to a word): its cells, bars dropped."""
    rules, gap = tables()["rules"], tables()["cell_gap"] * height
    out: list[list[Word]] = []
    ruled = True
    for word in line:
        text = word.text.strip(rules)
        before, after = word.text != word.text.lstrip(rules), word.text != word.text.rstrip(rules)
        if text:
            if out and not ruled and not before and word.x0 - out[-1][-1].x1 <= gap:
                out[-1].append(word._replace(text=text))
            else:
                out.append([word._replace(text=text)])
        ruled = after or not text
    return out


def caption_band(lines: list[list[Word]], height: float) -> tuple[int, int, list[Column], bool] | None:
    """The first run of lines holding a task table's caption row: (its first line, the line
    after it, its columns, whether its first column is the number column)."""
    captions = load_model("duties")["table"]["captions"]
    patterns = {kind: compiled(rf"^(?:{source})\s*[:.]?$") for kind, source in captions.items()}
    cells = [[Column(c[0].x0, c[-1].x1) for c in chunks(line, height)] for line in lines]  # once a line, not once a window
    for start in range(len(lines)):
        for end in range(start + 1, min(len(lines), start + tables()["caption_lines"]) + 1):
            columns = _merged([cell for line in cells[start:end] for cell in line], height)
            texts = [_text([w for line in lines[start:end] for w in line if _within(w, column)]) for column in columns]
            kinds = [next((kind for kind, pattern in patterns.items() if pattern.match(text)), None) for text in texts]
            if "task" in kinds and "lead" in kinds and sum(kind is not None for kind in kinds) == len(kinds):
                return start, end, columns, kinds[0] == "number"
    return None


def table_body(lines: list[list[Word]], start: int, columns: list[Column], height: float) -> tuple[int, list[tuple[list[Word], list[list[Word]]]]]:
    """The lines of the table under its caption, each with its words per column (columns
    widened by the cells found); ends at a line that runs across a column gap (a
    paragraph or a heading after the table) or after a wide vertical gap."""
    body: list[tuple[list[Word], list[list[Word]]]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        previous = lines[index - 1]
        if min(w.top for w in line) - max(w.bottom for w in previous) > tables()["table_break"] * height:
            break
        placed = _placed(line, columns, height)
        if placed is None:
            break
        body.append((line, placed))
        index += 1
    return index, body


def grouped_rows(body: list[tuple[list[Word], list[list[Word]]]], numbered: bool, height: float) -> list[tuple[list[str], float, float]]:
    """The body's lines gathered into table rows: a row begins at a numeral in the number
    column, or (no number column) after a gap wider than the lines' usual spacing."""
    if not body:
        return []
    gaps = [min(w.top for w in b[0]) - max(w.bottom for w in a[0]) for a, b in zip(body, body[1:])]
    usual = statistics.median(gaps) if gaps else 0.0
    groups: list[list[tuple[list[Word], list[list[Word]]]]] = []
    for index, (line, placed) in enumerate(body):
        starts = bool(placed[0]) if numbered else index == 0 or gaps[index - 1] > usual + 0.5 * height
        if starts or not groups:
            groups.append([])
        groups[-1].append((line, placed))
    out = []
    for group in groups:
        cells = [_text([w for _, placed in group for w in placed[column]]) for column in range(len(group[0][1]))]
        out.append((cells, min(w.top for line, _ in group for w in line), max(w.bottom for line, _ in group for w in line)))
    return out


def row_cells(lines: list[list[Word]], columns: list[Column]) -> tuple[list[str], float, float]:
    """The caption row's cells."""
    words = [w for line in lines for w in line]
    return [_text([w for w in words if _within(w, column)]) for column in columns], min(w.top for w in words), max(w.bottom for w in words)


def _placed(line: list[Word], columns: list[Column], height: float) -> list[list[Word]] | None:
    """The line's words per column, each cell widening its column; None when a cell
    reaches well into two columns."""
    placed: list[list[Word]] = [[] for _ in columns]
    for chunk in chunks(line, height):
        x0, x1 = chunk[0].x0, chunk[-1].x1
        overlaps = [min(x1, c.x1) - max(x0, c.x0) for c in columns]
        if sum(overlap > tables()["across"] * height for overlap in overlaps) > 1:
            return None
        middle = (x0 + x1) / 2
        column = max(range(len(columns)), key=lambda i: (overlaps[i], -abs((columns[i].x0 + columns[i].x1) / 2 - middle)))
        placed[column] += chunk
        columns[column].x0, columns[column].x1 = min(columns[column].x0, x0), max(columns[column].x1, x1)
    return placed


def _merged(spans: list[Column], height: float) -> list[Column]:
    """Spans that overlap (a caption wrapped over lines, centred) as one column each, left to right."""
    out: list[Column] = []
    for span in sorted(spans, key=lambda s: s.x0):
        if out and span.x0 <= out[-1].x1 + tables()["cell_gap"] * height:
            out[-1].x1 = max(out[-1].x1, span.x1)
        else:
            out.append(Column(span.x0, span.x1))
    return out


def _within(word: Word, column: Column) -> bool:
    return column.x0 <= (word.x0 + word.x1) / 2 <= column.x1


def _text(words: list[Word]) -> str:
    return " ".join(normalise_unicode(" ".join(w.text.strip(tables()["rules"]) for w in words)).split())
