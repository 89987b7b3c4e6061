"""Task tables: rows of "Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian".

Ingest keeps every table row as one line with its cells joined by " | " (DOCX tables,
portal copies with tabs or pipes, PDF tables read by pipeline/ingest/pdf_tables.py) and
segment gives those lines the kind "row". A row whose cells are the captions of a task
table starts one; each later row is a duty of the body in its lead column, with the
coordinate column's bodies as co-agencies and the time column as its deadline. The
caption vocabulary lives in models/duties.yaml ("table").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline.annotate.agencies import mentions_between
from pipeline.extract.dates import find_dates
from pipeline.extract.duties import agency_name, requested_prefix
from pipeline.records import Document, Duty, Line, Span
from pipeline.rules import compiled, load_model
from pipeline.segment import appendix_label

CELL_SPLIT = regex.compile(r"\s*\|\s*")
# Kinds of date mention that can be a deadline, and which part of a range is the deadline.
DEADLINE_KINDS = ("deadline", "date", "partial", "quarter", "year", "range")
# A row with fewer filled cells than this is a group caption ("I | Công tác tuyên truyền").
MIN_FILLED = 3


@dataclass(frozen=True)
class Cell:
    text: str
    span: Span


@dataclass
class Columns:
    """The column index of each caption kind found in a table's caption row(s)."""

    index: dict[str, int]
    width: int


@functools.cache
def _captions() -> dict[str, regex.Pattern]:
    captions = load_model("duties")["table"]["captions"]
    return {kind: compiled(rf"^(?:{pattern})\s*[:.]?$") for kind, pattern in captions.items()}


def caption_kind(text: str) -> str | None:
    """The kind of column a header cell names ("Đơn vị chủ trì" -> "lead"), if any."""
    folded = " ".join(text.split())
    return next((kind for kind, pattern in _captions().items() if pattern.match(folded)), None)


def cells(text: str, start: int, end: int) -> list[Cell]:
    """The cells of the row at ``text[start:end]``, each with its span in the document."""
    found: list[Cell] = []
    cursor = start
    for separator in CELL_SPLIT.finditer(text, start, end):
        found.append(_cell(text, cursor, separator.start()))
        cursor = separator.end()
    found.append(_cell(text, cursor, end))
    return found


def _cell(text: str, start: int, end: int) -> Cell:
    raw = text[start:end]
    stripped = raw.strip()
    begin = start + (len(raw) - len(raw.lstrip()))
    return Cell(stripped, (begin, begin + len(stripped)))


def header_columns(rows: list[list[Cell]]) -> Columns | None:
    """Columns of a one- or two-row caption: the wider row is the grid, the other fills its gaps.

    A two-row caption merges cells ("Cơ quan thực hiện" over "Chủ trì | Phối hợp"); a merged
    cell is read once, so the rows differ in width. Blank cells of the wider row before its
    first caption align with the other row from the left, later ones from the right.
    """
    wide = max(rows, key=len)
    narrow = min(rows, key=len) if len(rows) > 1 else []
    shift = len(wide) - len(narrow)
    first = next((i for i, cell in enumerate(wide) if cell.text), 0)
    index: dict[str, int] = {}
    for position, cell in enumerate(wide):
        text = cell.text
        if not text and narrow:
            source = position if position < first else position - shift
            text = narrow[source].text if 0 <= source < len(narrow) else ""
        kind = caption_kind(text) if text else None
        if kind and kind not in index:
            index[kind] = position
    if "task" not in index or "lead" not in index:
        return None
    return Columns(index, len(wide))


def _is_caption_row(row: list[Cell]) -> bool:
    kinds = {caption_kind(cell.text) for cell in row if cell.text}
    return "task" in kinds and len(kinds - {None}) >= load_model("duties")["table"]["min_captions"]


def _is_caption_part(row: list[Cell]) -> bool:
    """The second row of a two-row caption: every filled cell is a caption."""
    filled = [cell for cell in row if cell.text]
    return bool(filled) and all(caption_kind(cell.text) for cell in filled)


def table_runs(doc: Document) -> list[list[Line]]:
    """Consecutive row lines, one list per table."""
    runs: list[list[Line]] = []
    previous: Line | None = None
    for line in doc.lines:
        if line.kind != "row":
            previous = None
            continue
        if previous is None:
            runs.append([])
        runs[-1].append(line)
        previous = line
    return runs


def find_table_duties(doc: Document, year: int | None = None) -> list[Duty]:
    """One duty per row of every task table in the document."""
    duties: list[Duty] = []
    for run in table_runs(doc):
        duties.extend(_run_duties(doc, run, year))
    return duties


def _run_duties(doc: Document, run: list[Line], year: int | None) -> list[Duty]:
    """Rows before a caption row are skipped; a run may hold several tables, each with its caption."""
    duties: list[Duty] = []
    columns: Columns | None = None
    lead: Cell | None = None
    index = 0
    while index < len(run):
        row = cells(doc.text, run[index].start, run[index].end)
        if _is_caption_row(row):
            header = [row]
            if index + 1 < len(run):
                following = cells(doc.text, run[index + 1].start, run[index + 1].end)
                if _is_caption_part(following):
                    header.append(following)
            columns, lead = header_columns(header), None
            index += len(header)
            continue
        if columns is not None:
            duty, lead = _row_duty(doc, run[index], row, columns, lead, year)
            if duty is not None:
                duties.append(duty)
        index += 1
    return duties


def _row_duty(doc: Document, line: Line, row: list[Cell], columns: Columns, lead: Cell | None, year: int | None) -> tuple[Duty | None, Cell | None]:
    """The row's duty, and the lead cell a following row inherits when its own is blank
    (a vertically merged cell is read once, in its first row)."""
    if sum(1 for cell in row if cell.text) < MIN_FILLED or len(row) < columns.width:
        return None, None
    task = _column(row, columns, "task")
    own_lead = _column(row, columns, "lead")
    if own_lead is not None and own_lead.text:
        lead = own_lead
    if task is None or not task.text or lead is None:
        return None, lead
    prefix = requested_prefix(lead.text)
    name = agency_name(doc, lead.span[0] + prefix, lead.span[1])
    if not name:
        return None, lead
    coordinate = _column(row, columns, "coordinate")
    when = _column(row, columns, "deadline")
    duty = Duty(
        agency=name,
        section=_section_at(doc, line.start),
        role="requested" if prefix else "lead",
        text=" ".join(task.text.split()),
        span=(line.start, line.end),
        deadline=deadline_of(doc, when.span, year) if when is not None else None,
        co_agencies=_co_agencies(doc, coordinate, name) if coordinate is not None else [],
    )
    return duty, lead


def _column(row: list[Cell], columns: Columns, kind: str) -> Cell | None:
    position = columns.index.get(kind)
    return row[position] if position is not None and position < len(row) else None


def deadline_of(doc: Document, cell: Span, year: int | None) -> str | None:
    """The time cell as a date: "Trước 30/6" -> the document's year; a range -> its end;
    "Thường xuyên", "Hằng năm" -> None (no one-off date)."""
    mentions = find_dates(doc, year, within=cell)
    if any(m.kind == "recurring" for m in mentions):
        return None
    for mention in mentions:
        if mention.kind in DEADLINE_KINDS and mention.value:
            return mention.value.rpartition("/")[2] if mention.kind == "range" else mention.value
    return None


def _co_agencies(doc: Document, cell: Cell, own: str) -> list[str]:
    """Bodies named in the coordinate cell, canonical, without the duty's own agency."""
    names: list[str] = []
    for mention in mentions_between(doc, *cell.span):
        if mention.name.name != own and mention.name.name not in names:
            names.append(mention.name.name)
    return names


def _section_at(doc: Document, offset: int) -> str | None:
    """The deepest numbered section holding the row; the appendix's label in an appendix."""
    best = None
    for section in doc.sections:
        if section.span[0] <= offset <= section.span[1] and section.style not in ("dash", "plus", "star"):
            best = section.path
    if best is None:
        from_appendix = next((span for span in doc.appendices if span[0] <= offset <= span[1]), None)
        if from_appendix is not None:
            heading_end = doc.text.find("\n", from_appendix[0], from_appendix[1])
            return appendix_label(doc.text[from_appendix[0] : heading_end if heading_end != -1 else from_appendix[1]])
    return best
