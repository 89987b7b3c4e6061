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

from collections.abc import Iterator

from pipeline.annotate.times import (
    Forms,
    Found,
    FrequencyItem,
    TimeExpressions,
    When,
    cue_pattern,
    is_valid_day,
    load_forms,
    sentence_at,
    time_expressions,
)
from pipeline.records import (
    DateMention,
    Deadline,
    Document,
    Period,
    RecurringReport,
    Span,
)


def _iso(when: When, doc_year: int | None) -> str | None:
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
    sides = [".." if w is None else _iso(w, doc_year) for w in (found.when, found.until)]
    return None if None in sides else "/".join(sides)  # type: ignore[arg-type]


def _value(found: Found, doc_year: int | None) -> str | None:
    if found.kind == "recurring":
        return found.frequency
    if found.kind == "range":
        return _span_value(found, doc_year)
    return _iso(found.when, doc_year) if found.when else None


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
    """Explicit spans of activity; year spans only where the text makes them this plan's own."""
    text, forms, analysis = doc.text, load_forms(), time_expressions(doc)
    title = _title_zone(doc)
    periods: list[Period] = []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    for found in analysis.found:
        if found.kind != "range" or found.when is None or found.until is None:
            continue
        if found.when.only_year and found.until.only_year and not _own_span(text, forms, title, found):
            continue
        what, what_start = _what(text, forms, sentence_at(text, forms, found.start)[0], found.start)
        key = (what, _iso(found.when, doc_year), _iso(found.until, doc_year))
        if key not in seen:
            seen.add(key)
            periods.append(Period(what, key[1], key[2], (what_start, found.end)))
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
    """A year span in this document's title or after "thời gian thực hiện", not in a cited title."""
    symbol = cue_pattern(forms, "document_symbol")
    if title and title[0] <= found.start < title[1]:
        return symbol.search(text, title[0], found.start) is None
    sentence_start = sentence_at(text, forms, found.start)[0]
    cue = cue_pattern(forms, "own_span_cue").search(text, sentence_start, found.start)
    return cue is not None and symbol.search(text, cue.end(), found.start) is None


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
    """One record per frequency of each reporting cycle, with its due days and recipient."""
    text, forms, analysis = doc.text, load_forms(), time_expressions(doc)
    reports: list[RecurringReport] = []
    for start, items in _report_lists(text, forms, analysis):
        sentence = sentence_at(text, forms, items[0].start)
        span = _trimmed(text, *sentence)
        to = _recipient(text, forms, start, sentence[1]) or _recipient(text, forms, sentence[0], start)
        for index, item in enumerate(items):
            until = _due_days_end(items, index, sentence)
            days = [_due_day(f.when) for f in analysis.found if f.kind == "deadline" and item.end <= f.start < until]
            reports.append(RecurringReport(None, item.frequency, ", ".join(days) or None, to, span))
    return reports


def _due_days_end(items: tuple[FrequencyItem, ...], index: int, sentence: Span) -> int:
    """Due days of an item stand before the next item; a lone frequency owns its sentence's."""
    if len(items) == 1:
        return sentence[1]
    return items[index + 1].start if index + 1 < len(items) else items[index].tail_end


def _report_lists(
    text: str, forms: Forms, analysis: TimeExpressions
) -> Iterator[tuple[int, tuple[FrequencyItem, ...]]]:
    """Frequency lists in a sentence that speaks of reporting."""
    for start, items in analysis.lists:
        sentence = sentence_at(text, forms, items[0].start)
        if cue_pattern(forms, "report_word").search(text, *sentence):
            yield start, items


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
    """One-off dated obligations.

    Due days of reporting cycles are left to recurring reports: those in a reporting
    sentence, and a bare day of the month ("hằng tháng, trước ngày 20") anywhere.
    """
    text, forms, analysis = doc.text, load_forms(), time_expressions(doc)
    report_sentences = {sentence_at(text, forms, items[0].start) for _, items in _report_lists(text, forms, analysis)}
    deadlines: list[Deadline] = []
    previous: tuple[Span, str | None] = ((-1, -1), None)
    for found in analysis.found:
        if found.kind != "deadline" or found.when is None or found.when.month is None and found.when.day:
            continue
        sentence = sentence_at(text, forms, found.start)
        if sentence in report_sentences:
            continue
        inherited = previous[1] if previous[0] == sentence else None
        task, task_span, verb = _task(text, forms, sentence, found, inherited)
        previous = (sentence, verb or inherited)
        due = _iso(found.when, doc_year) if found.when else None
        span = (min(task_span[0], found.start), max(task_span[1], found.end))
        deadlines.append(Deadline(None, task, due, span))
    return deadlines


def _clause_start(text: str, forms: Forms, start: int, end: int) -> int:
    """Where the clause ending at ``end`` begins: after the last , ; or : since ``start``."""
    breaks = [m.end() for m in cue_pattern(forms, "clause_break").finditer(text, start, end)]
    return breaks[-1] if breaks else start


def _task(
    text: str, forms: Forms, sentence: Span, found: Found, inherited: str | None
) -> tuple[str | None, Span, str | None]:
    """(task, its span, its verb) for a deadline.

    Read from the clause before the due date ("báo cáo kết quả thực hiện trước ngày ...");
    a due date that opens its clause takes the task after it ("Chậm nhất ngày ..., Sở Y tế
    gửi báo cáo ..."), else the clause before ("tổ chức sơ kết, hoàn thành trong tháng 6").
    """
    begin = _clause_start(text, forms, sentence[0], found.start)
    clause = _trimmed(text, begin, found.start)
    if clause[0] < clause[1]:
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
