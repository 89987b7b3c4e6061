"""Temporal tagger: dates, spans of time, deadlines and reporting cycles.

Where rules take over from dateparser, and why: dateparser fills in whatever the text
leaves out from today's date ("năm 2025" -> 2025-<today>, "tháng 3 năm 2023" -> today's
day, "trước 16/3" -> the current year), reads "01 Giấy" as a time and "80%" as 1980, and
knows no quarters ("quý III"), halves ("6 tháng đầu năm"), spans or reporting cycles
(reference/tooling-facts.md, section 3). So the patterns in models/date_forms.yaml find
the candidates and the rules below build every value from the parts printed in the text,
plus the document year where a date has none. A full day-month-year is checked with
``datetime.date``: for those forms dateparser (DMY, REQUIRE_PARTS day/month/year) gives
the same value, which the tests assert, but it costs about a millisecond per call against
a microsecond, so it is the tests' oracle rather than part of the hot path.

Values: "2025-02-19"; "2023-03" (no day); "2025"; "2023-Q3"; "2024-H1" (halves have the
mention kind "quarter", the records' sub-year kind); spans "2021/2025", "../2030",
"2024-07-01/.."; a frequency for recurring mentions; None where a needed year is
neither printed nor given as ``doc_year``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml

from pipeline.records import DateMention, Deadline, Period, RecurringReport, Span

FORMS_PATH = Path(__file__).resolve().parents[2] / "models" / "date_forms.yaml"
FLAGS = regex.IGNORECASE
BEFORE_CUES = ("date_word", "day_before_month", "range_from", "open_end", "deadline", "every_word", "recurring_cue")
POINT_KINDS = frozenset({"date", "year", "quarter", "half"})
_PIECE_REF = regex.compile(r"\{([a-z_]+)\}")


# --------------------------------------------------------------------------- the YAML


@dataclass(frozen=True)
class FormEntry:
    """One entry of date_forms.yaml, compiled, with the examples it must match."""

    section: str
    name: str
    patterns: tuple[regex.Pattern, ...]
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]


@dataclass(frozen=True)
class Forms:
    """Everything the tagger reads from date_forms.yaml, compiled once."""

    settings: dict[str, int]
    patterns: tuple[tuple[str, regex.Pattern], ...]  # (kind, pattern)
    frequencies: tuple[str, ...]  # the frequency of group g<i> in any_frequency
    any_frequency: regex.Pattern
    cues: dict[str, tuple[regex.Pattern, ...]]
    before: dict[str, regex.Pattern]  # each cue anchored to end where an expression starts
    sentence_back: regex.Pattern  # sentence_break, searched backwards


def _words_regex(words: list[str]) -> str:
    """A word list as one alternation, longest first; a space matches any whitespace."""
    alternatives = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(regex.escape(part) for part in word.split()) for word in alternatives)
    return rf"(?<!\p{{L}})(?:{body})(?!\p{{L}})"


def _expand(source: str, pieces: dict[str, str]) -> str:
    """Replace {name} by the named piece, so shared fragments are written once."""
    return _PIECE_REF.sub(lambda m: f"(?:{pieces[m[1]]})", source)


def _sources(entry: dict[str, Any], pieces: dict[str, str]) -> list[str]:
    """The regexes of an entry: a word list, one regex, or several (each scanned on its own)."""
    if "words" in entry:
        return [_words_regex(entry["words"])]
    return [_expand(source, pieces) for source in entry.get("regexes", [entry.get("regex")])]


def _flags(entry: dict[str, Any]) -> int:
    return 0 if entry.get("case_sensitive") else FLAGS


@functools.cache
def _raw_forms(path: Path = FORMS_PATH) -> tuple[dict[str, Any], dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pieces: dict[str, str] = {}
    for name, entry in data["pieces"].items():
        source = _sources(entry, pieces)[0]
        pieces[name] = f"(?-i:{source})" if entry.get("case_sensitive") else source
    return data, pieces


def form_entries(path: Path = FORMS_PATH) -> list[FormEntry]:
    """Every entry of the YAML compiled, with its examples: what the data test checks."""
    data, pieces = _raw_forms(path)
    return [
        FormEntry(
            section,
            name,
            tuple(regex.compile(source, _flags(entry)) for source in _sources(entry, pieces)),
            tuple(entry.get("examples", ())),
            tuple(entry.get("counterexamples", ())),
        )
        for section in ("pieces", "patterns", "frequencies", "cues")
        for name, entry in data[section].items()
    ]


@functools.cache
def load_forms(path: Path = FORMS_PATH) -> Forms:
    """Compile date_forms.yaml once per process."""
    data, pieces = _raw_forms(path)
    cues = data["cues"]
    frequencies = list(data["frequencies"].values())
    any_frequency = "|".join(f"(?P<g{i}>{_sources(entry, pieces)[0]})" for i, entry in enumerate(frequencies))
    return Forms(
        settings={name: entry["value"] for name, entry in data["settings"].items()},
        patterns=tuple(
            (entry["kind"], regex.compile(source, _flags(entry)))
            for entry in data["patterns"].values()
            for source in _sources(entry, pieces)
        ),
        frequencies=tuple(entry["frequency"] for entry in frequencies),
        any_frequency=regex.compile(any_frequency, FLAGS),
        cues={
            name: tuple(regex.compile(source, _flags(entry)) for source in _sources(entry, pieces))
            for name, entry in {**cues, "document_symbol": data["pieces"]["document_symbol"]}.items()
        },
        before={
            name: regex.compile(rf"(?:{'|'.join(_sources(entry, pieces))})\s*\Z", _flags(entry))
            for name, entry in cues.items()
            if name in BEFORE_CUES
        },
        sentence_back=regex.compile(
            _sources(cues["sentence_break"], pieces)[0], _flags(cues["sentence_break"]) | regex.REVERSE
        ),
    )


def _cue(forms: Forms, name: str) -> regex.Pattern:
    """A cue written as a single regex."""
    return forms.cues[name][0]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class When:
    """A point or stretch of time holding only the parts the text printed."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    half: int | None = None

    @property
    def only_year(self) -> bool:
        return self.month is None and self.day is None and self.quarter is None and self.half is None


@dataclass(frozen=True)
class Found:
    """One temporal expression before it becomes a DateMention.

    ``kind``: date | year | quarter | half | day | range | deadline | recurring. A range
    has ``when`` (start) and ``until`` (end); either is None where the span is open.
    """

    kind: str
    start: int
    end: int
    when: When | None = None
    until: When | None = None
    frequency: str | None = None


@dataclass(frozen=True)
class FrequencyItem:
    """One item of a reporting list; ``tail_end`` is where its due days end."""

    frequency: str
    start: int
    end: int
    tail_end: int


def _is_valid_day(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _int(groups: dict[str, str | None], name: str) -> int | None:
    value = groups.get(name)
    return int(value) if value else None


def _roman(numeral: str) -> int:
    """I, II, III, IV as integers (the only quarter numerals)."""
    return 4 if numeral.upper() == "IV" else len(numeral)


def _when(kind: str, match: regex.Match, check_year: int) -> When | None:
    """The printed parts of a match, or None where they do not make a real date."""
    groups = match.groupdict()
    year = _int(groups, "year")
    if kind == "date":
        month, day = _int(groups, "month"), _int(groups, "day")
        if day is not None and not _is_valid_day(year or check_year, month, day):
            return None
        return When(year=year, month=month, day=day)
    if kind == "day":
        return When(day=_int(groups, "day"))
    if kind == "quarter":
        quarter = _roman(groups["roman"]) if groups.get("roman") else _int(groups, "number")
        return When(year=year, quarter=quarter)
    if kind == "half":
        return When(year=year, half=1 if groups.get("first") else 2)
    return When(year=year)


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
    if not _is_valid_day(year, when.month, when.day):
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


# --------------------------------------------------------------------------- finding


def _atoms(text: str, forms: Forms, check_year: int) -> Iterator[Found]:
    """Every match of every pattern, before overlaps are settled."""
    for kind, pattern in forms.patterns:
        for match in pattern.finditer(text):
            if kind == "year_span":
                start, end = int(match["start"]), int(match["end"])
                if start < end:
                    yield Found("range", match.start(), match.end(), When(year=start), When(year=end))
                continue
            when = _when(kind, match, check_year)
            found = None if when is None else Found(kind, match.start(), match.end(), when)
            if found is not None and kind == "date":
                found = _with_day_word(text, forms, found, check_year)
            if found is not None:
                yield found


def _with_day_word(text: str, forms: Forms, found: Found, check_year: int) -> Found | None:
    """Join "ngày" (and for "tháng" forms the day after it) to a date; None if the day is impossible.

    The patterns start at the digits or at "tháng" rather than at an optional "ngày", which
    lets the regex engine skip ahead (about 40x faster on a 15k-character text).
    """
    when = found.when
    if when.day is not None:
        word = _cue_before(forms, "date_word", text, found.start)
        return found if word is None else Found(found.kind, word.start(), found.end, when)
    prefix = _cue_before(forms, "day_before_month", text, found.start)
    if prefix is None:
        return found
    day = int(prefix["day"]) if prefix["day"] else None
    if day is not None and not _is_valid_day(when.year or check_year, when.month, day):
        return None
    return Found(found.kind, prefix.start(), found.end, When(when.year, when.month, day))


def _longest(found: list[Found]) -> list[Found]:
    """Where expressions overlap the longest wins: "ngày 19 tháng 02 năm 2025" is one date."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, f.start - f.end)):
        if kept and item.start < kept[-1].end:
            if item.end - item.start > kept[-1].end - kept[-1].start:
                kept[-1] = item
            continue
        kept.append(item)
    return kept


def _frequency_at(text: str, forms: Forms, pos: int) -> FrequencyItem | None:
    match = forms.any_frequency.match(text, pos)
    return _item(text, forms, match) if match else None


def _item(text: str, forms: Forms, match: regex.Match) -> FrequencyItem:
    frequency = forms.frequencies[int(match.lastgroup[1:])]
    tail = _cue(forms, "frequency_tail").match(text, match.end())
    return FrequencyItem(frequency, match.start(), match.end(), tail.end() if tail else match.end())


def _frequency_list(text: str, forms: Forms, first: FrequencyItem) -> tuple[FrequencyItem, ...]:
    """Follow a list of frequencies: "hàng quý, 6 tháng, một năm và đột xuất"."""
    items = [first]
    while True:
        join = _cue(forms, "list_join").match(text, items[-1].tail_end)
        following = _frequency_at(text, forms, join.end()) if join else None
        if following is None:
            return tuple(items)
        items.append(following)


def _list_starts(text: str, forms: Forms) -> Iterator[tuple[int, FrequencyItem]]:
    """(start, first item) of each announced reporting list.

    Announced by "định kỳ" (the first frequency may stand a few words later), or by
    "hằng"/"hàng"/"mỗi" or "báo cáo" right before it ("hằng quý", "báo cáo quý (trước 16/3)").
    """
    for cue in _cue(forms, "recurring_cue").finditer(text):
        window_end = min(len(text), cue.end() + forms.settings["cue_window"])
        stop = _cue(forms, "sentence_break").search(text, cue.end(), window_end)
        match = forms.any_frequency.search(text, cue.end(), stop.start() if stop else window_end)
        if match:
            yield _list_start(text, forms, match.start()), _item(text, forms, match)
    adjacent_cues = (*forms.cues["every_word"], _cue(forms, "report_word"))
    for pattern in adjacent_cues:
        for cue in pattern.finditer(text):
            match = forms.any_frequency.match(text, _skip_space(text, cue.end()))
            if match:
                yield _list_start(text, forms, match.start()), _item(text, forms, match)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _list_start(text: str, forms: Forms, item_start: int) -> int:
    """Where the first item's mention starts: "định kỳ hàng quý" rather than "quý"."""
    start = item_start
    for cue in ("every_word", "recurring_cue"):
        match = _cue_before(forms, cue, text, start)
        start = match.start() if match else start
    return start


def _frequency_lists(text: str, forms: Forms) -> list[tuple[int, tuple[FrequencyItem, ...]]]:
    """Reporting lists in text order, each once even when a cue and an opener both find it."""
    lists: list[tuple[int, tuple[FrequencyItem, ...]]] = []
    for start, first in sorted(_list_starts(text, forms), key=lambda pair: pair[1].start):
        if lists and first.start < lists[-1][1][-1].end:
            continue
        lists.append((start, _frequency_list(text, forms, first)))
    return lists


def _recurring_found(lists: list[tuple[int, tuple[FrequencyItem, ...]]]) -> Iterator[Found]:
    for start, items in lists:
        for index, item in enumerate(items):
            yield Found("recurring", start if index == 0 else item.start, item.end, frequency=item.frequency)


def _cue_before(forms: Forms, cue: str, text: str, pos: int) -> regex.Match | None:
    """The named cue if it ends right where an expression starts."""
    return forms.before[cue].search(text, max(0, pos - forms.settings["lookbehind"]), pos)


def _cue_start(forms: Forms, cue: str, text: str, pos: int) -> int | None:
    match = _cue_before(forms, cue, text, pos)
    return match.start() if match else None


def _with_year(start: When, end: When) -> When:
    """A span's start printed without a year shares its end's ("từ 15/4 đến 30/6/2025")."""
    if start.year is None and end.year is not None:
        return When(end.year, start.month, start.day, start.quarter, start.half)
    return start


def _combine(text: str, forms: Forms, atoms: list[Found]) -> list[Found]:
    """Spans, open spans and deadlines from the expressions and the words around them."""
    out: list[Found] = []
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        following = atoms[index + 1] if index + 1 < len(atoms) else None
        if following is not None and _joins(text, forms, atom, following):
            opener = _cue_start(forms, "range_from", text, atom.start)
            start = atom.start if opener is None else opener
            out.append(Found("range", start, following.end, _with_year(atom.when, following.when), following.when))
            index += 2
            continue
        read = _in_context(text, forms, out, atom)
        if read is not None:
            out.append(read)
        index += 1
    return out


def _joins(text: str, forms: Forms, atom: Found, following: Found) -> bool:
    """Two points joined by "đến", "tới" or a dash make a span."""
    return (
        atom.kind in POINT_KINDS
        and following.kind in POINT_KINDS
        and _cue(forms, "range_join").fullmatch(text, atom.end, following.start) is not None
    )


def _in_context(text: str, forms: Forms, out: list[Found], atom: Found) -> Found | None:
    """A point read with the words before it: a due date, an open span, or itself.

    A bare day ("ngày 20") means something only as a due day; elsewhere it is dropped.
    """
    if atom.kind not in POINT_KINDS and atom.kind != "day":
        return atom
    cue = _cue_start(forms, "deadline", text, atom.start)
    if cue is not None or _continues_deadline(text, forms, out, atom):
        return Found("deadline", atom.start if cue is None else cue, atom.end, atom.when)
    if atom.kind == "day":
        return None
    if (cue := _cue_start(forms, "open_end", text, atom.start)) is not None:
        return Found("range", cue, atom.end, None, atom.when)
    if (cue := _cue_start(forms, "range_from", text, atom.start)) is not None:
        return Found("range", cue, atom.end, atom.when, None)
    return atom


def _continues_deadline(text: str, forms: Forms, out: list[Found], atom: Found) -> bool:
    """A date listed right after a due date is one too: "trước 16/3 và 16/9"."""
    return bool(
        out
        and out[-1].kind == "deadline"
        and atom.kind in {"date", "day"}
        and _cue(forms, "list_join").fullmatch(text, out[-1].end, atom.start)
    )


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Analysis:
    """Everything the four public functions read, computed once per text."""

    found: tuple[Found, ...]
    lists: tuple[tuple[int, tuple[FrequencyItem, ...]], ...]
    title: Span | None


def _sentence(text: str, forms: Forms, pos: int) -> Span:
    """The sentence around ``pos``, found on demand: splitting a whole text costs more."""
    back = forms.sentence_back.search(text, 0, pos)
    ahead = _cue(forms, "sentence_break").search(text, pos)
    return (back.end() if back else 0), (ahead.end() if ahead else len(text))


def _title_block(text: str, forms: Forms) -> Span | None:
    """The document's own title: from the document-type line to the first body line."""
    heading = _cue(forms, "doc_type_heading").search(text)
    if heading is None:
        return None
    limit = min(len(text), heading.end() + forms.settings["title_max_chars"])
    end = _cue(forms, "title_end").search(text, heading.end(), limit)
    return heading.end(), end.start() if end else limit


@functools.lru_cache(maxsize=8)
def _analyse(text: str, doc_year: int | None) -> Analysis:
    """The four public functions on one text share this work.

    The cache is small on purpose: it serves calls on the same text in a row, not a
    benchmark that cycles through a small corpus.
    """
    forms = load_forms()
    lists = _frequency_lists(text, forms)
    atoms = list(_atoms(text, forms, doc_year or forms.settings["validation_year"]))
    atoms.extend(_recurring_found(lists))
    found = _combine(text, forms, _longest(atoms))
    return Analysis(tuple(found), tuple(lists), _title_block(text, forms))


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


def find_dates(text: str, doc_year: int | None = None) -> list[DateMention]:
    """Every temporal expression in document order, with values built from printed parts."""
    return [
        DateMention(text[f.start : f.end], _mention_kind(f), _value(f, doc_year), (f.start, f.end))
        for f in _analyse(text, doc_year).found
    ]


def find_periods(text: str, doc_year: int | None = None) -> list[Period]:
    """Explicit spans of activity; year spans only where the text makes them this plan's own."""
    forms, analysis = load_forms(), _analyse(text, doc_year)
    periods: list[Period] = []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    for found in analysis.found:
        if found.kind != "range" or found.when is None or found.until is None:
            continue
        if found.when.only_year and found.until.only_year and not _own_span(text, forms, analysis, found):
            continue
        what, what_start = _what(text, forms, _sentence(text, forms, found.start)[0], found.start)
        key = (what, _iso(found.when, doc_year), _iso(found.until, doc_year))
        if key not in seen:
            seen.add(key)
            periods.append(Period(what, key[1], key[2], (what_start, found.end)))
    return periods


def _own_span(text: str, forms: Forms, analysis: Analysis, found: Found) -> bool:
    """A year span in this document's title or after "thời gian thực hiện", not in a cited title."""
    symbol = _cue(forms, "document_symbol")
    if analysis.title and analysis.title[0] <= found.start < analysis.title[1]:
        return symbol.search(text, analysis.title[0], found.start) is None
    sentence_start = _sentence(text, forms, found.start)[0]
    cue = _cue(forms, "own_span_cue").search(text, sentence_start, found.start)
    return cue is not None and symbol.search(text, cue.end(), found.start) is None


def _what(text: str, forms: Forms, sentence_start: int, span_start: int) -> tuple[str | None, int]:
    """The activity named before a span, from its head noun ("đợt", "chiến dịch"), trimmed."""
    head = _cue(forms, "period_head").search(text, sentence_start, span_start)
    if head is None:
        return None, span_start
    what = _fold(text[head.start() : span_start])
    trimmed = None
    while trimmed != what:
        trimmed = what
        for trim in forms.cues["what_trim"]:
            what = trim.sub("", what)
    return what or None, head.start()


def find_recurring_reports(text: str, doc_year: int | None = None) -> list[RecurringReport]:
    """One record per frequency of each reporting cycle, with its due days and recipient."""
    forms, analysis = load_forms(), _analyse(text, doc_year)
    reports: list[RecurringReport] = []
    for start, items in _report_lists(text, forms, analysis):
        sentence = _sentence(text, forms, items[0].start)
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
    text: str, forms: Forms, analysis: Analysis
) -> Iterator[tuple[int, tuple[FrequencyItem, ...]]]:
    """Frequency lists in a sentence that speaks of reporting."""
    for start, items in analysis.lists:
        sentence = _sentence(text, forms, items[0].start)
        if _cue(forms, "report_word").search(text, *sentence):
            yield start, items


def _due_day(when: When | None) -> str:
    """A due day as the reader writes it: "16/3", or "20" for a day of every month."""
    if when is None or when.day is None:
        return ""
    return f"{when.day}/{when.month}" if when.month else str(when.day)


def _recipient(text: str, forms: Forms, start: int, end: int) -> str | None:
    """The body after "về"/"gửi", up to a bracket, semicolon, full stop or the next clause."""
    marker = _cue(forms, "recipient").search(text, start, end)
    if marker is None:
        return None
    stop = _cue(forms, "recipient_stop").search(text, marker.start("name"), end)
    return _fold(text[marker.start("name") : stop.start() if stop else end]) or None


def find_deadlines(text: str, doc_year: int | None = None) -> list[Deadline]:
    """One-off dated obligations.

    Due days of reporting cycles are left to recurring reports: those in a reporting
    sentence, and a bare day of the month ("hằng tháng, trước ngày 20") anywhere.
    """
    forms, analysis = load_forms(), _analyse(text, doc_year)
    report_sentences = {_sentence(text, forms, items[0].start) for _, items in _report_lists(text, forms, analysis)}
    deadlines: list[Deadline] = []
    previous: tuple[Span, str | None] = ((-1, -1), None)
    for found in analysis.found:
        if found.kind != "deadline" or found.when is None or found.when.month is None and found.when.day:
            continue
        sentence = _sentence(text, forms, found.start)
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
    breaks = [m.end() for m in _cue(forms, "clause_break").finditer(text, start, end)]
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
    verb = _cue(forms, "task_verb").search(text, found.end, sentence[1])
    if verb is not None:
        stop = _cue(forms, "clause_break").search(text, verb.end(), sentence[1])
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
    verb = _cue(forms, "task_verb").search(text, *clause)
    if verb is not None and verb.start() == clause[0]:
        return _task_text(text, forms, verb.start(), clause[1]), clause, verb.group()
    if inherited is not None:
        return _fold(f"{inherited} {text[clause[0]:clause[1]]}"), clause, None
    begin = verb.start() if verb else clause[0]
    return _task_text(text, forms, begin, clause[1]), (begin, clause[1]), verb.group() if verb else None


def _task_text(text: str, forms: Forms, start: int, end: int) -> str | None:
    """The task as written, cut before its recipient ("... về Ban Chỉ đạo tỉnh")."""
    recipient = _cue(forms, "recipient").search(text, start, end)
    task = _fold(text[start : recipient.start() if recipient else end]).strip(" ,;:.-")
    return task or None
