"""Dates, periods, deadlines and reporting cycles: the finders over the time layer.

The expressions come from the document's time layer (pipeline/annotate/times.py); the
finders here build values from the parts each expression printed ("2025-02-19"; "2023-03"
with no day; "2025"; "2023-Q3"; "2024-H1" (halves have the mention kind "quarter", the
records' sub-year kind); spans "2021/2025", "../2030", "2024-07-01/.."; a frequency for
recurring mentions), with the document year where a date has none and None where a needed
year is neither printed nor known, and read the words around them for periods, deadlines
and reporting duties.
"""

from __future__ import annotations

import calendar

import regex

from pipeline.annotate.agencies import mention_at, mentions_between
from pipeline.annotate.times import (
    Forms,
    Found,
    FrequencyItem,
    TimeExpressions,
    When,
    cue_before,
    cue_pattern,
    is_valid_day,
    load_forms,
    sentence_at,
    time_expressions,
)
from pipeline.gazetteer.agencies import canonical_name
from pipeline.records import (
    DateMention,
    Deadline,
    Document,
    Period,
    RecurringReport,
    Span,
)

# Blanks and bullets between a lead label and the body it names ("a) Cơ quan chủ trì\n- Ban ...").
_LEAD_GAP = regex.compile(r"[\s\-+*•]*")
# What separates a due date that opens a paragraph from the clause after it.
_LEAD_GAP_COMMA = regex.compile(r"[\s,:]*")
# A note in brackets after a body's name ("Công an tỉnh (Cơ quan Thường trực)").
_NOTE = regex.compile(r"\s*\([^()]*\)")
_QUARTER_OR_HALF = regex.compile(r"(\d{4})-([QH])(\d)")


def iso(when: When, doc_year: int | None) -> str | None:
    """ISO-style value from printed parts; the document year only replaces a missing year."""
    year = when.year or doc_year
    if year is None or (when.day is not None and when.month is None):
        return None
    if when.quarter:
        return f"{year}-Q{when.quarter}"
    if when.half:
        return f"{year}-H{when.half}"
    if when.month is None:
        return str(year)
    if when.day is None:
        return f"{year}-{when.month:02d}"
    if not is_valid_day(year, when.month, when.day):
        return None
    return f"{year}-{when.month:02d}-{when.day:02d}"


def _span_value(found: Found, doc_year: int | None) -> str | None:
    """A span as "start/end", ".." for an open side; None if a closed side has no year."""
    sides = [".." if w is None else iso(w, doc_year) for w in (found.when, found.until)]
    return None if None in sides else "/".join(sides)  # type: ignore[arg-type]


def _value(found: Found, doc_year: int | None) -> str | None:
    if found.kind == "recurring":
        return found.frequency
    if found.kind == "range":
        return _span_value(found, doc_year)
    return iso(found.when, doc_year) if found.when else None


def _mention_kind(found: Found) -> str:
    if found.kind == "half":
        return "quarter"
    if found.kind == "date" and found.when is not None and found.when.day is None:
        return "partial"
    return found.kind


def _fold(text: str) -> str:
    """One line, single spaces: how names and tasks are written into records."""
    return " ".join(text.split())


def _trimmed(text: str, start: int, end: int) -> Span:
    """A span without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------- public API


def find_dates(doc: Document, doc_year: int | None = None, within: Span | None = None) -> list[DateMention]:
    """Every temporal expression in document order (or only those ``within`` a span), with
    values built from printed parts."""
    text, found = doc.text, time_expressions(doc).found
    if within is not None:
        found = tuple(f for f in found if within[0] <= f.start and f.end <= within[1])
    return [DateMention(text[f.start : f.end], _mention_kind(f), _value(f, doc_year), (f.start, f.end)) for f in found]


def find_periods(doc: Document, doc_year: int | None = None) -> list[Period]:
    """Explicit spans of activity, each span of time once; spans of years and spans open at
    one end only where the text makes them this document's own (``_own_span``)."""
    text, forms, analysis = doc.text, load_forms(), time_expressions(doc)
    title = _title_zone(doc)
    periods: list[Period] = []
    seen: set[tuple[str | None, str | None]] = set()
    for found in analysis.found:
        if found.kind != "range" or (found.when is None and found.until is None):
            continue
        closed = found.when is not None and found.until is not None
        if not (closed and not (found.when.only_year and found.until.only_year)) and not _own_span(text, forms, title, found):
            continue
        start, end = (None if w is None else iso(w, doc_year) for w in (found.when, found.until))
        unread = (found.when is not None and start is None) or (found.until is not None and end is None)
        if unread or (start, end) in seen:
            continue
        seen.add((start, end))
        what, what_start = _what(text, forms, sentence_at(text, forms, found.start)[0], found.start)
        periods.append(Period(what, start, end, (what_start, found.end)))
    return periods


def _title_zone(doc: Document) -> Span | None:
    """The document's own title, from its type line on, as segment labelled them; in a text
    whose lines segment could not read (all on one line), from the type word to the body."""
    title, type_line = doc.header.title, doc.header.doc_type
    if title is not None:
        return (type_line[0] if type_line else title[0]), title[1]
    forms, text = load_forms(), doc.text
    heading = cue_pattern(forms, "doc_type_heading").search(text)
    if heading is None:
        return None
    limit = min(len(text), heading.end() + forms.settings["title_max_chars"])
    end = cue_pattern(forms, "title_end").search(text, heading.end(), limit)
    return heading.end(), end.start() if end else limit


def _own_span(text: str, forms: Forms, title: Span | None, found: Found) -> bool:
    """A span of years, or a span open at one end, that is this document's own.

    In its title (not after a cited document's number, nor a programme's span after the
    title's own year); after a time label ("Thời gian thực hiện: Từ ngày 01/01/2012") unless
    that reports work done; a span of years also early in the first sentence of a numbered
    item ("I. Đánh giá tình hình ... giai đoạn 2016-2019"). Never inside a quoted name, after
    a cited document's number in the sentence, nor an outlook ("định hướng đến năm 2030")
    or, outside the title, a span named with one ("thời kỳ 2021 - 2030, tầm nhìn đến năm 2050").
    """
    open_span = found.when is None or found.until is None
    if open_span and cue_before(forms, "outlook", text, found.start) is not None:
        return False
    sentence_start = sentence_at(text, forms, found.start)[0]
    if cue_pattern(forms, "open_quote").search(text, sentence_start, found.start):
        return False
    symbol = cue_pattern(forms, "document_symbol")
    if title and title[0] <= found.start < title[1]:
        programme = cue_pattern(forms, "programme_year").search(text, title[0], found.start)
        return symbol.search(text, title[0], found.start) is None and programme is None
    if cue_pattern(forms, "outlook_after").match(text, found.end):
        return False
    cue = cue_pattern(forms, "own_span_cue").search(text, sentence_start, found.start)
    if cue is not None:
        done = cue_pattern(forms, "past_marker").search(text, cue.end(), found.start)
        return symbol.search(text, cue.end(), found.start) is None and done is None
    heading = not open_span and _item_heading_span(text, forms, found.start)
    return heading and symbol.search(text, sentence_start, found.start) is None


def _item_heading_span(text: str, forms: Forms, pos: int) -> bool:
    """``pos`` lies early in the first sentence of a numbered item of the outline."""
    line_start = text.rfind("\n", 0, pos) + 1
    marker = cue_pattern(forms, "outline_item").match(text, line_start)
    if marker is None or cue_pattern(forms, "item_sentence_end").search(text, marker.end(), pos):
        return False
    return len(text[marker.end() : pos].split()) <= forms.settings["heading_words"]


def _what(text: str, forms: Forms, sentence_start: int, span_start: int) -> tuple[str | None, int]:
    """The activity named before a span, from its head noun ("đợt", "chiến dịch"), trimmed."""
    head = cue_pattern(forms, "period_head").search(text, sentence_start, span_start)
    if head is None:
        return None, span_start
    what = _fold(text[head.start() : span_start])
    trimmed = None
    while trimmed != what:
        trimmed = what
        for trim in forms.cues["what_trim"]:
            what = trim.sub("", what)
    return what or None, head.start()


def find_recurring_reports(doc: Document) -> list[RecurringReport]:
    """One record per frequency of each reporting cycle, with its due days and recipient.

    Due days stand after their frequency ("quý (trước 16/3 và 16/9)") or, for the first,
    right before the cycle ("trước ngày 30 tháng 11 hằng năm").
    """
    text, forms, analysis = doc.text, load_forms(), time_expressions(doc)
    reports: list[RecurringReport] = []
    for start, items, sentence in _report_lists(doc):
        span = _trimmed(text, *sentence)
        to = _recipient(text, forms, start, sentence[1]) or _recipient(text, forms, sentence[0], start)
        for index, item in enumerate(items):
            until = _due_days_end(items, index, sentence)
            before = _days_before(text, forms, analysis, start) if index == 0 else []
            after = [f for f in analysis.found if f.kind == "deadline" and item.end <= f.start < until]
            days = [_due_day(f.when) for f in (*before, *after)]
            reports.append(RecurringReport(None, item.frequency, ", ".join(days) or None, to, span))
    return reports


def _days_before(text: str, forms: Forms, analysis: TimeExpressions, pos: int) -> list[Found]:
    """Due dates printed right before a cycle that starts at ``pos``, as its due days."""
    join = cue_pattern(forms, "list_join")
    days: list[Found] = []
    for found in reversed([f for f in analysis.found if f.kind == "deadline" and f.end <= pos]):
        if text[found.end : pos].strip() and not join.fullmatch(text, found.end, pos):
            break
        days.insert(0, found)
        pos = found.start
    return days


def _due_days_end(items: tuple[FrequencyItem, ...], index: int, sentence: Span) -> int:
    """Due days of an item stand before the next item; a lone frequency owns its sentence's."""
    if len(items) == 1:
        return sentence[1]
    return items[index + 1].start if index + 1 < len(items) else items[index].tail_end


def _report_lists(doc: Document) -> list[tuple[int, tuple[FrequencyItem, ...], Span]]:
    """Frequency lists in a sentence that speaks of reporting or of reviewing the work, with
    that sentence: read once a document, for recurring reports and for deadlines."""
    return doc.layer("dates.report-lists", _read_report_lists)


def _read_report_lists(doc: Document) -> list[tuple[int, tuple[FrequencyItem, ...], Span]]:
    text, forms = doc.text, load_forms()
    found = []
    for start, items in time_expressions(doc).lists:
        sentence = sentence_at(text, forms, items[0].start)
        if any(cue.search(text, *sentence) for name in ("report_word", "review_word") for cue in forms.cues[name]):
            found.append((start, items, sentence))
    return found


def _due_day(when: When | None) -> str:
    """A due day as the reader writes it: "16/3", or "20" for a day of every month."""
    if when is None or when.day is None:
        return ""
    return f"{when.day}/{when.month}" if when.month else str(when.day)


def _recipient(text: str, forms: Forms, start: int, end: int) -> str | None:
    """The body after "về"/"gửi", up to a bracket, semicolon, full stop or the next clause."""
    marker = cue_pattern(forms, "recipient").search(text, start, end)
    if marker is None:
        return None
    stop = cue_pattern(forms, "recipient_stop").search(text, marker.start("name"), end)
    return _fold(text[marker.start("name") : stop.start() if stop else end]) or None


def find_deadlines(doc: Document, doc_year: int | None = None) -> list[Deadline]:
    """One-off dated obligations, with the body that owes each where the words stating it
    name one (``_stated_agency``).

    Due days of reporting cycles are left to recurring reports: those in a reporting
    sentence, those printed right before a cycle ("trước ngày 30 tháng 11 hằng năm"), and a
    bare day of the month ("hằng tháng, trước ngày 20") anywhere. A date before the
    document's own time is a condition, not a due date ("Người hoạt động cách mạng trước
    ngày 01/01/1945"). The same obligation printed twice (a note repeated under each
    appendix) is one. Task tables give theirs in pipeline/extract/tables.py.
    """
    text, forms, analysis = doc.text, load_forms(), time_expressions(doc)
    report_sentences = {sentence for _, _, sentence in _report_lists(doc)}
    cycle_days = {f.start for start, _ in analysis.lists for f in _days_before(text, forms, analysis, start)}
    floor = _date_floor(doc, analysis)
    deadlines: list[Deadline] = []
    stated: set[tuple[str, str | None]] = set()
    previous: tuple[Span, str | None] = ((-1, -1), None)
    for found in analysis.found:
        if found.kind != "deadline" or found.when is None or found.when.month is None and found.when.day:
            continue
        sentence = sentence_at(text, forms, found.start)
        due, line = _due(found.when, doc_year), _line_key(text, forms, found)
        if sentence in report_sentences or found.start in cycle_days or _before(found, due, floor):
            continue
        if (line, due) in stated:
            continue
        stated.add((line, due))
        inherited = previous[1] if previous[0] == sentence else None
        task, task_span, verb = _task(text, forms, sentence, found, inherited)
        previous = (sentence, verb or inherited)
        span = (min(task_span[0], found.start), max(task_span[1], found.end))
        deadlines.append(Deadline(_stated_agency(doc, forms, found), task, due, span))
    return sorted(deadlines, key=lambda d: d.span[0])


def due_value(value: str | None) -> str | None:
    """A date value as a due date: a quarter or half of a year ("2026-Q2", "2026-H1") is due
    on its last day; a value that is not a date (an open span's "..") is none."""
    part = _QUARTER_OR_HALF.fullmatch(value or "")
    if part is None:
        return value if value and value[:1].isdigit() else None
    year, kind, number = int(part[1]), part[2], int(part[3])
    return _due(When(year, quarter=number if kind == "Q" else None, half=number if kind == "H" else None), None)


def _line_key(text: str, forms: Forms, found: Found) -> str:
    """The words of the line stating a deadline: the same line with the same due date is
    one obligation printed twice (a note repeated under each appendix). A task block's
    time cell is keyed by its place too: two blocks may print the same cell."""
    start = text.rfind("\n", 0, found.start) + 1
    end = text.find("\n", found.end)
    line = _fold(text[start : len(text) if end < 0 else end])
    return f"{start}:{line}" if cue_pattern(forms, "time_label").search(line) else line


def _due(when: When, doc_year: int | None) -> str | None:
    """A due date as the reader writes it: a quarter or half of a year is due on its last
    day ("quý III/2012" -> 2012-09-30), any other point as printed ("2026-06", "2015")."""
    year = when.year or doc_year
    if year is None or not (when.quarter or when.half):
        return iso(when, doc_year)
    month = 3 * when.quarter if when.quarter else 6 * when.half
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _before(found: Found, due: str | None, floor: str | None) -> bool:
    """A due date printed with its year that falls before the document's own time."""
    return bool(floor and due and found.when and found.when.year and due < floor[: len(due)])


def _date_floor(doc: Document, analysis: TimeExpressions) -> str | None:
    """The earliest a due date can be: the document's own date (its header's), or where its
    header was not read, the year of the first full date it prints (its own or one it cites,
    both before any due date)."""
    place_date = doc.header.place_date
    dates = [f for f in analysis.found if f.kind == "date" and f.when is not None and f.when.day and f.when.year]
    own = [f for f in dates if place_date and place_date[0] <= f.start < place_date[1]]
    if own:
        return iso(own[0].when, None)
    return str(dates[0].when.year) if dates else None


def _stated_agency(doc: Document, forms: Forms, found: Found) -> str | None:
    """The body the words stating a deadline name, read in its paragraph before the date:
    the one it assigns the work to ("... giao Ủy ban nhân dân các tỉnh ... chỉ đạo ...,
    hoàn thành chậm nhất đến ngày ..."), else its subject ("1. Thủ trưởng các sở, ban,
    ngành; Chủ tịch UBND các huyện căn cứ chức năng, nhiệm vụ ...: xây dựng Kế hoạch ...
    trước ngày ..."; after a date that opens the paragraph: "Chậm nhất ngày 15/12/2025, Sở
    Y tế gửi báo cáo ..."), else in a task block the lead body its time cell belongs to ("-
    Cơ quan thực hiện: Sở Lao động - Thương binh và Xã hội chủ trì, ... - Thời gian thực
    hiện: Hoàn thành trong quý III/2020"). None where they name none: the duty that states
    it may (pipeline/extract).
    """
    text, due_start = doc.text, found.start
    line_start = text.rfind("\n", 0, due_start) + 1
    verb = cue_pattern(forms, "subject_verb")
    assigned = [cue.end() for cue in cue_pattern(forms, "assign_word").finditer(text, line_start, due_start)]
    for start in reversed(assigned):
        acts = verb.search(text, start, due_start)
        named = acts is not None and len(text[start : acts.start()].split()) <= forms.settings["assigned_words"]
        if named and mention_at(doc, start) is not None:
            return _body_name(text, start, acts.start())
    return _paragraph_subject(doc, forms, line_start, found) or _block_lead(doc, forms, due_start)


def _paragraph_subject(doc: Document, forms: Forms, line_start: int, found: Found) -> str | None:
    """The body a paragraph opens with, as the subject of its first verb: the words from the
    paragraph's start (or from after a due date that opens it) to a body the verb follows,
    where they hold no verb of their own."""
    text = doc.text
    marker = cue_pattern(forms, "item_marker").match(text, line_start)
    start, end = marker.end() if marker else line_start, found.start
    if start >= found.start:
        start = _LEAD_GAP_COMMA.match(text, found.end).end()
        end = sentence_at(text, forms, start)[1]
    if not text[start : start + 1].isupper():
        return None
    verb = cue_pattern(forms, "subject_verb")
    for mention in mentions_between(doc, start, end):
        acts = verb.match(text, _skip_blanks(text, mention.span[1]))
        if acts is not None and acts.start() > mention.span[1]:
            words = text[start : mention.span[1]]
            if verb.search(words) or cue_pattern(forms, "item_sentence_end").search(words):
                return None
            if len(words.split()) <= forms.settings["subject_words"]:
                return _body_name(text, start, mention.span[1])
            return None
    return None


def _skip_blanks(text: str, pos: int) -> int:
    """``pos`` moved past spaces and tabs on its line."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _block_lead(doc: Document, forms: Forms, pos: int) -> str | None:
    """The lead body of the task block that holds ``pos``: the body after the block's last
    lead label, on its line or the first line of the list under it.

    A block ends with its time cell ("Thời gian thực hiện: ..."); it starts after the one
    before. A due date in the time cell reads the labels before it; one in the block's
    content, in a line that names no body itself, the labels between it and the cell.
    """
    text = doc.text
    label = cue_pattern(forms, "time_label")
    line_start = text.rfind("\n", 0, pos) + 1
    if label.search(text, line_start, pos) is not None:
        end = line_start
    else:
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        cell = label.search(text, line_end, min(len(text), line_end + forms.settings["block_window"]))
        if cell is None or mentions_between(doc, line_start, line_end):
            return None
        end = text.rfind("\n", 0, cell.start()) + 1
    floor = max(0, line_start - forms.settings["block_window"])
    previous = [m.end() for m in label.finditer(text, floor, line_start)]
    leads = list(cue_pattern(forms, "lead_label").finditer(text, previous[-1] if previous else floor, end))
    if not leads:
        return None
    start = _LEAD_GAP.match(text, leads[-1].end()).end()
    stop = cue_pattern(forms, "lead_end").search(text, start, end)
    return _body_name(text, start, stop.start() if stop else end)


def _body_name(text: str, start: int, end: int) -> str | None:
    """A body's name as printed at ``text[start:end]``, written the gazetteer's way (acronyms
    expanded), without a note in brackets."""
    printed = _NOTE.sub("", text[start:end]).strip(" :;,.*")
    if not printed:
        return None
    name = canonical_name(printed).name
    return name[:1].upper() + name[1:]


def _clause_start(text: str, forms: Forms, start: int, end: int) -> int:
    """Where the clause ending at ``end`` begins: after the last , ; or : since ``start``
    that is not inside brackets ("gửi về Ủy ban nhân dân tỉnh (qua Phòng An ninh chính trị
    nội bộ, Công an tỉnh) trước ngày ...")."""
    breaks = [m.end() for m in cue_pattern(forms, "clause_break").finditer(text, start, end)]
    breaks = [b for b in breaks if not _bracketed(text, start, b)]
    return breaks[-1] if breaks else start


def _bracketed(text: str, start: int, pos: int) -> bool:
    """``pos`` stands inside a bracket opened since ``start``."""
    return text.count("(", start, pos) > text.count(")", start, pos)


def _task(
    text: str, forms: Forms, sentence: Span, found: Found, inherited: str | None
) -> tuple[str | None, Span, str | None]:
    """(task, its span, its verb) for a deadline.

    Read from the clause before the due date ("báo cáo kết quả thực hiện trước ngày ..."),
    from the sentence's last verb where that clause has none ("báo cáo Chính phủ, Thủ tướng
    Chính phủ trong tháng 12 năm 2025"); a due date that opens its clause takes the task
    after it ("Chậm nhất ngày ..., Sở Y tế gửi báo cáo ..."), else the clause before ("tổ
    chức sơ kết, hoàn thành trong tháng 6"). A task block's time cell ("Thời gian thực hiện:
    Quý II/2026") states no task: the block's duty holds it.
    """
    if cue_before(forms, "time_label", text, found.start) is not None:
        return None, (found.start, found.end), None
    begin = _clause_start(text, forms, sentence[0], found.start)
    clause = _trimmed(text, begin, found.start)
    if clause[0] < clause[1]:
        verb = cue_pattern(forms, "task_verb")
        if inherited is None and verb.search(text, *clause) is None:
            earlier = list(verb.finditer(text, sentence[0], clause[0]))
            clause = (earlier[-1].start(), clause[1]) if earlier else clause
        return _task_before(text, forms, clause, inherited)
    verb = cue_pattern(forms, "task_verb").search(text, found.end, sentence[1])
    if verb is not None:
        stop = cue_pattern(forms, "clause_break").search(text, verb.end(), sentence[1])
        end = stop.start() if stop else sentence[1]
        return _task_text(text, forms, verb.start(), end), (verb.start(), end), verb.group()
    if begin > sentence[0]:
        previous = _trimmed(text, _clause_start(text, forms, sentence[0], begin - 1), begin - 1)
        return _task_before(text, forms, previous, None)
    return None, (found.start, found.end), None


def _task_before(
    text: str, forms: Forms, clause: Span, inherited: str | None
) -> tuple[str | None, Span, str | None]:
    """The task in the clause before a due date, from its verb on.

    A clause without a leading verb that follows another deadline of the sentence borrows
    that deadline's verb: "báo cáo ... trước ngày X, kết quả thực hiện đợt cao điểm trước
    ngày Y" -> "báo cáo kết quả thực hiện đợt cao điểm".
    """
    verb = cue_pattern(forms, "task_verb").search(text, *clause)
    if verb is not None and verb.start() == clause[0]:
        return _task_text(text, forms, verb.start(), clause[1]), clause, verb.group()
    if inherited is not None:
        return _fold(f"{inherited} {text[clause[0]:clause[1]]}"), clause, None
    begin = verb.start() if verb else clause[0]
    return _task_text(text, forms, begin, clause[1]), (begin, clause[1]), verb.group() if verb else None


def _task_text(text: str, forms: Forms, start: int, end: int) -> str | None:
    """The task as written, cut before its recipient ("... về Ban Chỉ đạo tỉnh")."""
    recipient = cue_pattern(forms, "recipient").search(text, start, end)
    task = _fold(text[start : recipient.start() if recipient else end]).strip(" ,;:.-")
    return task or None
