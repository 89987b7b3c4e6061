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

from pipeline.annotate.agencies import mention_at, mentions_between
from pipeline.annotate.times import time_expressions
from pipeline.extract.dates import due_value, find_dates, iso
from pipeline.extract.duties import agency_name, requested_prefix
from pipeline.records import Deadline, Document, Duty, Line, Span
from pipeline.rules import compiled, load_model, may_begin, pattern
from pipeline.segment import appendix_label

CELL_SPLIT = regex.compile(r"\s*\|\s*")
# Kinds of date mention that can be a deadline, and which part of a range is the deadline.
DEADLINE_KINDS = ("deadline", "date", "partial", "quarter", "year", "range")
# A row with fewer filled cells than this is a group caption ("I | Công tác tuyên truyền").
MIN_FILLED = 3
# How much of a line is read first to tell it cannot be a caption (_line_caption).
CAPTION_HEAD = 24
# What a field label's opening may be made of (white space, a bullet, stars: duties.yaml
# field_label), and how much of a line is read to tell the label cannot follow it (_labels).
LABEL_LEAD = " \t-+•*"
LABEL_HEAD = 16


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
def _captions() -> tuple[regex.Pattern, tuple[tuple[int, str], ...]]:
    """Every caption rule in one pattern, tried in their listed order, each a group named by
    its kind, and each kind's group number: one match a line, as every line of a text is
    asked whether it is a caption."""
    captions = load_model("duties")["table"]["captions"]
    pattern = compiled("^(?:" + "|".join(rf"(?P<{kind}>(?:{source})\s*[:.]?$)" for kind, source in captions.items()) + ")")
    return pattern, tuple((pattern.groupindex[kind], kind) for kind in captions)


def caption_kind(text: str) -> str | None:
    """The kind of column a header cell names ("Đơn vị chủ trì" -> "lead"), if any."""
    return _caption_of(" ".join(text.split()))


def _caption_of(single_spaced: str) -> str | None:
    """caption_kind of a text already on one line with single spaces (``_clean``'s)."""
    pattern, groups = _captions()
    found = pattern.match(single_spaced)
    return next(kind for group, kind in groups if found.group(group) is not None) if found else None


def _line_caption(text: str) -> str | None:
    """caption_kind of a line as ``_clean`` leaves it. The line is cleaned whole only when
    its first CAPTION_HEAD characters, cleaned, could begin a caption (a partial match; the
    cleaned head is a prefix of the cleaned line): nearly every line of a text is a
    sentence, and cleaning them all cost twice the test. Before that, the cleaned line's
    first character (the first that is neither a space nor "*") is asked whether it can
    begin one: most lines open with a bullet or a number, which none can (4 in 5 lines of
    the sample texts), and a look-up costs 0.4 µs where cleaning the head and matching it
    cost 2.5."""
    pattern, _ = _captions()
    first = text[:CAPTION_HEAD].replace("*", " ").lstrip()[:1]
    if first and not may_begin(pattern, first):
        return None
    if len(text) > CAPTION_HEAD and pattern.match(_clean(text[:CAPTION_HEAD]), partial=True) is None:
        return None
    return _caption_of(_clean(text))


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
    """One duty per lead body and per co-operating body of every task, in every form."""
    duties: list[Duty] = []
    for run in table_runs(doc):
        duties.extend(_run_duties(doc, run, year))
    for task in _tasks(doc):
        duties.extend(_task_duties(doc, task, year))
    return duties


def table_lines(doc: Document) -> set[int]:
    """Starts of the lines read here as a flattened table or as role fields: the outline
    finder (pipeline/extract/duties.py) leaves them alone."""
    return doc.layer("duties.task-table-lines", lambda d: {start for task in _tasks(d) for start in task.lines})


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
            found, lead = _row_duties(doc, run[index], row, columns, lead, year)
            duties.extend(found)
        index += 1
    return duties


def _row_duties(doc: Document, line: Line, row: list[Cell], columns: Columns, lead: Cell | None, year: int | None) -> tuple[list[Duty], Cell | None]:
    """The row's duties (its lead body's, then one per co-operating body), and the lead cell a
    following row inherits when its own is blank (a vertically merged cell is read once, in
    its first row)."""
    if sum(1 for cell in row if cell.text) < MIN_FILLED or len(row) < columns.width:
        return [], None
    task = _column(row, columns, "task")
    own_lead = _column(row, columns, "lead")
    if own_lead is not None and own_lead.text:
        lead = own_lead
    if task is None or not task.text or lead is None:
        return [], lead
    prefix = requested_prefix(lead.text)
    name = agency_name(doc, lead.span[0] + prefix, lead.span[1])
    if not name:
        return [], lead
    coordinate = _column(row, columns, "coordinate")
    when = _column(row, columns, "deadline")
    deadline = deadline_of(doc, when.span, year) if when is not None else None
    text = " ".join(task.text.split())
    section = _section_at(doc, line.start)
    duties = [Duty(
        agency=name,
        section=section,
        role="requested" if prefix else "lead",
        text=text,
        span=(line.start, line.end),
        deadline=deadline,
        co_agencies=_co_agencies(doc, coordinate, name) if coordinate is not None else [],
    )]
    for body in bodies(doc, coordinate.span) if coordinate is not None else []:
        duties.append(_body_duty(doc, body, "coordinate", text, section, (line.start, line.end), deadline))
    return duties, lead


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


# --------------------------------------------------------------------------- bodies of a cell


def bodies(doc: Document, span: Span) -> list[Span]:
    """The bodies a cell names, one span each: split at ";", and at "," or "và" where a new
    name begins with a capital ("Công an tỉnh, Bộ đội Biên phòng tỉnh"); a plural group
    stays whole ("Các sở, ban, ngành tỉnh")."""
    found: list[Span] = []
    for part in _SEMICOLON.finditer(doc.text, span[0], span[1]):
        cursor = part.start()
        for joint in _JOINT.finditer(doc.text, part.start(), part.end()):
            following = doc.text[joint.end() : part.end()]
            if following[:1].isupper() and _is_body(doc, joint.end(), following):
                found.append(_stripped(doc, cursor, joint.start()))
                cursor = joint.end()
        found.append(_stripped(doc, cursor, part.end()))
    return [body for body in found if body[1] > body[0]]


_SEMICOLON = regex.compile(r"[^;]+")
_JOINT = regex.compile(r"\s*,\s*|\s+và\s+")
_EDGES = " \t\n.,;:-–+•*"


def _stripped(doc: Document, start: int, end: int) -> Span:
    raw = doc.text[start:end]
    left = len(raw) - len(raw.lstrip(_EDGES))
    return start + left, start + len(raw.rstrip(_EDGES))


def _is_body(doc: Document, position: int, text: str) -> bool:
    return mention_at(doc, position) is not None or bool(pattern("duties", "subject_head").match(text))


def _body_duty(doc: Document, body: Span, role: str, text: str, section: str | None, span: Span, deadline: str | None, co: list[str] | None = None) -> Duty | None:
    prefix = requested_prefix(doc.text[body[0] : body[1]])
    name = agency_name(doc, body[0] + prefix, body[1])
    if not name:
        return None
    return Duty(
        agency=name,
        section=section,
        role="requested" if prefix else role,
        text=text,
        span=span,
        deadline=deadline,
        co_agencies=co or [],
    )


# --------------------------------------------------------------------------- tasks without a grid


@dataclass
class _Body:
    """A body a task names: its role, its words as written, its co-agencies, its item's path."""

    role: str
    words: Span
    co: list[str]
    section: str | None


@dataclass
class _Task:
    """One task of a flattened table or of role fields written as text."""

    words: Span  # the task's own words
    section: str | None
    bodies: list[_Body]
    time: Span | None
    lines: set[int]  # starts of the lines read
    end: int  # end of the task's last line
    per_body: bool = False  # a table's cell: one duty per body it names


def _tasks(doc: Document) -> list[_Task]:
    return doc.layer("duties.task-tables", lambda d: _flattened_tasks(d) + _field_tasks(d))


def _task_duties(doc: Document, task: _Task, year: int | None) -> list[Duty]:
    deadline = deadline_of(doc, task.time, year) if task.time else None
    text = " ".join(doc.text[task.words[0] : task.words[1]].split())
    span = (task.words[0], task.end)
    duties = []
    for found in task.bodies:
        for body in bodies(doc, found.words) if task.per_body and found.role == "coordinate" else [found.words]:
            duty = _body_duty(doc, body, found.role, text, found.section or task.section, span, deadline, found.co)
            if duty is not None:
                duties.append(duty)
    return duties


def _clean(text: str) -> str:
    return " ".join(text.replace("*", " ").split())


def _text_lines(doc: Document) -> list[Line]:
    """The lines after the header that are text, not table rows (read by three finders: once)."""
    def compute(d: Document) -> list[Line]:
        start = d.body[0] if d.body else 0
        return [line for line in d.lines if line.start >= start and line.kind not in ("row", "blank")]

    return doc.layer("duties.text-lines", compute)


# A flattened table: its captions one per line, then each row's cells one after another.
FLAT_COLUMNS = ("task", "lead", "coordinate", "deadline")
_CAPITALS = regex.compile(r"^[^\p{Ll}]*\p{Lu}[^\p{Ll}]*\p{Lu}[^\p{Ll}]*$")  # a group caption in capitals
_GROUP = regex.compile(r"^(?:[IVX]{1,5}|[A-Z])\s*[.)]?(?:\s+[^\p{Ll}]*)?$")
_TABLE_END = regex.compile(r"^\s*(?:(?i:nơi\s+nhận|phụ\s+lục|trên\s+đây)|[IVX]{1,5}\s*[.)]\s+\p{Lu}[^\p{Ll}]*\p{Ll})")


def _flattened_tasks(doc: Document) -> list[_Task]:
    """Tasks of tables whose grid was lost in a copy: a run of caption lines ("STT", "Tên nhiệm
    vụ", "Cơ quan chủ trì", …) and, after it, each row's cells on lines of their own (a task
    over several lines, its lead body, its co-operating bodies, its time)."""
    lines = _text_lines(doc)
    tasks: list[_Task] = []
    index = 0
    while index < len(lines):
        kinds = []
        cursor = index
        while cursor < len(lines) and (kind := _line_caption(doc.text[lines[cursor].start : lines[cursor].end])):
            kinds.append(kind)
            cursor += 1
        columns = [kind for kind in kinds if kind in FLAT_COLUMNS]
        if len(kinds) >= 3 and columns[:2] == ["task", "lead"] and set(kinds) <= {"number", *FLAT_COLUMNS}:
            found, cursor = _flat_rows(doc, lines, cursor, columns)
            for task in found:
                task.lines |= {line.start for line in lines[index : index + len(kinds)]}
            tasks += found
        index = max(cursor, index + 1)
    return tasks


def _flat_rows(doc: Document, lines: list[Line], index: int, columns: list[str]) -> tuple[list[_Task], int]:
    """Rows of cells, typed as they come: a task until a line that opens a body's name, then
    the lead body, the co-operating bodies until a time, the time closing the row. A line in
    lower case goes on with the cell before it; group captions in capitals are passed over."""
    tasks: list[_Task] = []
    cells: dict[str, list[Line]] = {}
    current: str | None = None
    used: set[int] = set()

    def close() -> None:
        if "task" in cells and "lead" in cells:
            tasks.append(_flat_task(doc, cells, used))
        cells.clear()

    while index < len(lines):
        line = lines[index]
        text = _clean(doc.text[line.start : line.end])
        if _TABLE_END.match(text):
            break
        index += 1
        if not text:
            continue
        if (_GROUP.match(text) or _CAPITALS.match(text)) and not _is_time(text):
            close()
            current = None
            used.add(line.start)
            continue
        kind = _flat_kind(doc, line, text, current, columns)
        if kind == current and current is not None:
            cells[kind].append(line)
        else:
            if kind == "task" or kind in cells:
                close()
            cells.setdefault(kind, []).append(line)
            current = kind
        used.add(line.start)
        if kind == "deadline":
            close()
            current = None
    close()
    return tasks, index


def _flat_kind(doc: Document, line: Line, text: str, current: str | None, columns: list[str]) -> str:
    if current is not None and not text[:1].isupper() and not text[:1].isdigit():
        return current  # a wrapped line goes on with its cell
    following = columns[columns.index(current) + 1] if current in columns and columns.index(current) + 1 < len(columns) else "task"
    if following in ("lead", "coordinate") and _is_body(doc, line.start + len(doc.text[line.start : line.end]) - len(doc.text[line.start : line.end].lstrip(" *")), text):
        return following
    if following in ("coordinate", "deadline") and "deadline" in columns and _is_time(text):
        return "deadline"
    if current == "task" or current is None:
        return "task"
    return "task"


def _is_time(text: str) -> bool:
    return bool(pattern("duties", "table", "time_cell").match(text))


def _flat_task(doc: Document, cells: dict[str, list[Line]], used: set[int]) -> _Task:
    def span(kind: str) -> Span:
        return cells[kind][0].start, cells[kind][-1].end

    co = _co_agencies(doc, Cell("", span("coordinate")), agency_name(doc, *span("lead"))) if "coordinate" in cells else []
    found = [_Body("lead", span("lead"), co, None)]
    if "coordinate" in cells:
        found.append(_Body("coordinate", span("coordinate"), [], None))
    last = max(line.end for group in cells.values() for line in group)
    starts = {line.start for group in cells.values() for line in group}
    used -= starts
    return _Task(
        words=span("task"),
        section=_section_at(doc, cells["task"][0].start),
        bodies=found,
        time=span("deadline") if "deadline" in cells else None,
        lines=starts,
        end=last,
        per_body=True,
    )


# --------------------------------------------------------------------------- role fields written as text


@dataclass
class _Label:
    kind: str  # lead | coordinate | both | time | task
    value: Span | None  # the words after the label's colon, if any
    line: Line
    section: int | None  # the outline item the label line is, if it is one


MAX_TASKS = 8  # tasks one run of labels may serve: more means the run is not theirs
_MARKER_ONLY = regex.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s*[.)]?\s*$")
# A copy that lost line breaks keeps the first sub-item's number inside its heading
# ("3. Giải quyết tốt tranh chấp lao động 3.1. Rà soát, kiện toàn …"; "… quan hệ lao động 2.1.").
_MARKER_INSIDE = regex.compile(r"\s\d{1,2}(?:\.\d{1,2})+\.?(?:\s+|$)")


def _field_tasks(doc: Document) -> list[_Task]:
    """Tasks whose role columns are written as text under them: "- Cơ quan chủ trì: …",
    "- Cơ quan thực hiện: Sở X chủ trì, phối hợp với …", "a) Cơ quan chủ trì" over a list
    of bodies, "- Thời gian thực hiện: …". A run of such labels serves the tasks written
    since the run before it; a task label ("Nội dung, biện pháp") names them itself."""
    labels = _labels(doc)
    if not any(label.kind in ("lead", "coordinate") for label in labels.values()):
        return []
    lines = _text_lines(doc)
    position = {line.start: number for number, line in enumerate(lines)}
    tasks: list[_Task] = []
    previous_end = 0
    number = 0
    while number < len(lines):
        if lines[number].start not in labels:
            number += 1
            continue
        run, listed, number = _label_run(doc, lines, number, labels)
        if any(label.kind in ("lead", "coordinate") for label in run):
            bodies_found = _run_bodies(doc, run, listed)
            time = next((label.value for label in run if label.kind == "time" and label.value), None)
            words, labelled = _run_tasks(doc, lines, position, previous_end, run, labels)
            used = {label.line.start for label in run} | {line.start for line in listed} | {_line_of(lines, w[0]) for w in words}
            end = max(line.end for line in [*(label.line for label in run), *listed])
            for task_words in words:
                # a task label's run gives each body its label's item; tasks of their own, theirs
                found = bodies_found if labelled else [_Body(b.role, b.words, b.co, None) for b in bodies_found]
                tasks.append(_Task(task_words, _section_at(doc, task_words[0]), found, time, set(used), end))
            previous_end = number
    return tasks


def _labels(doc: Document) -> dict[int, _Label]:
    at = {section.span[0]: index for index, section in enumerate(doc.sections)}
    rule = pattern("duties", "field_label")
    labels = {}
    for line in _text_lines(doc):
        index = at.get(line.start)
        start = doc.sections[index].title_span[0] if index is not None else line.start
        # The label's first word follows white space, a bullet and stars: past the ones in
        # LABEL_LEAD, the next two characters are asked whether they may begin it (a partial
        # match, once for each pair; any other white space is left to the pattern). Most
        # lines cannot, and the match of the line cost 1.7 us (46 lines a bench document).
        if not may_begin(rule, doc.text[start : min(line.end, start + LABEL_HEAD)].lstrip(LABEL_LEAD)[:2]):
            continue
        found = rule.match(doc.text[start : line.end])
        if found is None:
            continue
        kind = "both" if found.group("both") else next(k for k in ("lead", "coordinate", "time", "task") if found.group(k))
        value = _stripped(doc, start + found.end(), line.end)
        labels[line.start] = _Label(kind, value if value[1] > value[0] else None, line, index)
    return labels


def _label_run(doc: Document, lines: list[Line], number: int, labels: dict[int, _Label]) -> tuple[list[_Label], list[Line], int]:
    """Consecutive labels, with the lines of bodies listed under a label without a value;
    a task label's own items end the run (they are the tasks, read by _run_tasks)."""
    run: list[_Label] = []
    listed: list[Line] = []
    current: _Label | None = None
    while number < len(lines):
        line = lines[number]
        if line.start in labels:
            current = labels[line.start]
            if current.kind == "task" and run:
                break
            run.append(current)
        elif current is not None and current.kind in ("lead", "coordinate") and current.value is None and _under(doc, current, line):
            listed.append(line)
        else:
            break
        number += 1
    return run, listed, number


def _under(doc: Document, label: _Label, line: Line) -> bool:
    """A line listed under a label without a value: inside the label's item, or right after
    a label line that is no item ("b) Cơ quan phối hợp" then a paragraph naming the bodies)."""
    if label.section is None:
        return True
    return line.start <= doc.sections[label.section].span[1]


def _run_bodies(doc: Document, run: list[_Label], listed: list[Line]) -> list[_Body]:
    found: list[_Body] = []
    for label in run:
        path = doc.sections[label.section].path if label.section is not None else None
        if label.kind in ("lead", "coordinate") and label.value:
            found.append(_field_body(doc, label.kind, label.value, path))
        elif label.kind in ("lead", "coordinate"):
            for line in listed:
                if line.start > label.line.start and all(not (label.line.start < other.line.start < line.start) for other in run):
                    found.append(_Body(label.kind, _content(doc, line), [], path))
    return found


def _run_tasks(doc: Document, lines: list[Line], position: dict[int, int], previous_end: int, run: list[_Label], labels: dict[int, _Label]) -> tuple[list[Span], bool]:
    """The tasks a run of labels serves: the words of its task label ("- Nội dung thực hiện:
    …", or the first item under "1. Nội dung, biện pháp"), else each task written since the
    run before it: an item's title, or the paragraph after a heading that groups items or a
    number alone on its line. True when a task label named them."""
    first = position[run[0].line.start]
    task_labels = [label for label in run if label.kind == "task"]
    if not task_labels:
        task_labels = [labels[line.start] for line in lines[previous_end:first] if line.start in labels and labels[line.start].kind == "task"]
    if task_labels:
        label = task_labels[-1]
        if label.value:
            return [label.value], True
        after = position[label.line.start] + 1
        return ([_content(doc, lines[after])] if after < len(lines) and lines[after].start not in labels else []), True
    at = {section.span[0]: index for index, section in enumerate(doc.sections)}
    top = _top(doc, run[0].line.start)
    if top is None:  # outside the outline: only the words right before the labels
        before = [line for line in lines[previous_end:first] if not _MARKER_ONLY.match(doc.text[line.start : line.end])]
        return ([_content(doc, before[-1])] if before else []), False
    found: list[Span] = []
    previous: Line | None = None
    for line in lines[previous_end:first]:
        if top is not None and not (doc.sections[top].span[0] <= line.start <= doc.sections[top].span[1]):
            continue
        index = at.get(line.start)
        text = doc.text[line.start : line.end]
        if index is not None and doc.sections[index].style not in ("dash", "plus"):
            title = doc.sections[index].title_span
            inside = _MARKER_INSIDE.search(doc.text, *title)
            if inside and inside.end() < title[1]:
                found.append(_stripped(doc, inside.end(), title[1]))
            elif doc.text[slice(*title)].strip() and not inside and not _groups(doc, index):
                found.append(_stripped(doc, *title))
        elif index is None and previous is not None and _opens_task(doc, previous, at) and not _MARKER_ONLY.match(text):
            found.append(_stripped(doc, line.start, line.end))
        previous = line
    found = found[-MAX_TASKS:]
    if not found:
        item = _enclosing(doc, run[0].line.start)
        if item is not None and doc.text[slice(*doc.sections[item].title_span)].strip():
            found.append(_stripped(doc, *doc.sections[item].title_span))
    return found, False


def _top(doc: Document, offset: int) -> int | None:
    """The outermost item holding ``offset``: tasks are not looked for across it."""
    index = _enclosing(doc, offset)
    while index is not None and doc.sections[index].parent is not None:
        index = doc.sections[index].parent
    return index


def _line_of(lines: list[Line], offset: int) -> int:
    return next((line.start for line in lines if line.start <= offset <= line.end), offset)


def _groups(doc: Document, index: int) -> bool:
    """An item that groups numbered items under it (its title is a topic, not a task)."""
    return any(s.parent == index and s.style not in ("dash", "plus") for s in doc.sections)


def _opens_task(doc: Document, previous: Line, at: dict[int, int]) -> bool:
    """The line before a paragraph makes it a task: a number alone on its line, or a
    heading that groups items or ends with the lost number of its first item."""
    text = doc.text[previous.start : previous.end]
    if _MARKER_ONLY.match(text):
        return True
    index = at.get(previous.start)
    if index is None or doc.sections[index].style in ("dash", "plus"):
        return False
    inside = _MARKER_INSIDE.search(text)
    return (_groups(doc, index) and not inside) or bool(inside and not text[inside.end() :].strip())


def _enclosing(doc: Document, offset: int) -> int | None:
    best = None
    for index, section in enumerate(doc.sections):
        if section.span[0] <= offset <= section.span[1] and section.style not in ("dash", "plus"):
            best = index
    return best


def _field_body(doc: Document, kind: str, value: Span, path: str | None) -> _Body:
    """A label's value: the body before its verb ("Sở X chủ trì, phối hợp với Y …" -> Sở X,
    with Y as co-agencies), or the whole value as written."""
    verb = pattern("duties", "verbs").search(doc.text, value[0], value[1])
    if verb is None or verb.start() <= value[0]:
        return _Body(kind, value, [], path)
    own = agency_name(doc, value[0], verb.start())
    co: list[str] = []
    for mention in mentions_between(doc, verb.start(), value[1]):
        if mention.name.name != own and mention.name.name not in co:
            co.append(mention.name.name)
    return _Body(kind, _stripped(doc, value[0], verb.start()), co, path)


def _content(doc: Document, line: Line) -> Span:
    for section in doc.sections:
        if section.span[0] == line.start:
            return _stripped(doc, section.title_span[0], line.end)
    return _stripped(doc, line.start, line.end)


def table_deadlines(doc: Document, doc_year: int | None, stated: list[Deadline]) -> list[Deadline]:
    """A deadline for each task of a task table whose time cell gives a point in time
    ("Quý II/2026", "Tháng 6/2026", "Năm 2026"), unless the cell's words already stated it
    ("Trước ngày 30/6/2026"). A span in the cell ("Từ năm 2026 đến năm 2030") is when the
    task runs, a period, not a due date. Its agency is left to the row's duty."""
    found = time_expressions(doc).found
    deadlines: list[Deadline] = []
    rows: set[Span] = set()
    for duty in find_table_duties(doc, doc_year):
        due = due_value(duty.deadline)
        if due is None or duty.span in rows:
            continue
        rows.add(duty.span)
        inside = [f for f in found if duty.span[0] <= f.start < duty.span[1]]
        spans = any(f.kind == "range" and (f.until is None or iso(f.until, doc_year) == due) for f in inside)
        if not spans and not any(duty.span[0] <= d.span[0] < duty.span[1] and d.due == due for d in stated):
            deadlines.append(Deadline(None, duty.text, due, duty.span))
    return deadlines
