"""The time layer: every temporal expression of a text, recognised once per document.

Where rules take over from dateparser, and why: dateparser fills in whatever the text
leaves out from today's date ("năm 2025" -> 2025-<today>, "tháng 3 năm 2023" -> today's
day, "trước 16/3" -> the current year), reads "01 Giấy" as a time and "80%" as 1980, and
knows no quarters ("quý III"), halves ("6 tháng đầu năm"), spans or reporting cycles
(measured with dateparser 1.2 on the sample sentences of tests/extract/test_dates.py). So the patterns in models/date_forms.yaml find
the candidates and the rules below keep the parts the text printed; the finders in
pipeline/extract/dates.py build values from them, with the document year where a date has
none. A full day-month-year is checked with ``datetime.date``: for those forms dateparser
(DMY, REQUIRE_PARTS day/month/year) gives the same value, which the tests assert, but it
costs about a millisecond per call against a microsecond, so it is the tests' oracle
rather than part of the hot path.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from pipeline.annotate.scan import text_scan
from pipeline.records import Document, Span
from pipeline.rules import Rule, Scan, entry_sources, load_model, model_pattern, rule

FLAGS = regex.IGNORECASE
BEFORE_CUES = (
    "date_word", "day_before_month", "range_from", "open_end", "deadline", "every_word", "recurring_cue",
    "time_label", "within", "outlook",
)
POINT_KINDS = frozenset({"date", "year", "quarter", "half"})
# The cues a point is read with (_in_context), in the order it asks for them.
CONTEXT_CUES = ("deadline", "time_label", "within", "open_end", "range_from")
MODEL = "date_forms"


# --------------------------------------------------------------------------- the YAML


@dataclass(frozen=True)
class Forms:
    """Everything the tagger reads from date_forms.yaml, compiled once."""

    settings: dict[str, int]
    patterns: tuple[tuple[str, Rule], ...]  # (kind, rule), each tried where its leading word stands
    frequencies: tuple[str, ...]  # the frequency of group g<i> in any_frequency and report_frequency
    any_frequency: regex.Pattern
    report_frequency: regex.Pattern  # any_frequency and the terms read only right after a reporting word
    cues: dict[str, tuple[regex.Pattern, ...]]
    # Each cue anchored to end where an expression starts, searched backwards from there: the
    # same match as a forward search (the same span on every position of the corpora, and
    # tests/annotate/test_times.py checks the cues' examples), 3-10x cheaper than trying
    # every start of the window.
    before: dict[str, regex.Pattern]
    # CONTEXT_CUES as one such pattern: whether any of them ends where a point starts. Most
    # points have none, which one search tells (5 µs) where asking each took five (11 µs).
    # With the words one of them needs (their ``needs``): three points in four have none of
    # them in the characters before, which Scan.holds tells for ~8 thousand instructions
    # against the search's ~33 thousand (text path -0.4 %).
    context: Rule
    sentence_back: regex.Pattern  # sentence_break, searched backwards


def _sources(entry: dict[str, Any]) -> list[str]:
    return [model_pattern(MODEL, source) for source in entry_sources(entry)]


def _flags(entry: dict[str, Any]) -> int:
    return 0 if entry.get("case_sensitive") else FLAGS


def _scope(entry: dict[str, Any]) -> str:
    """_flags as a scoped inline flag, for an entry's sources inside a larger pattern."""
    return "-i" if entry.get("case_sensitive") else "i"


@functools.cache
def load_forms() -> Forms:
    """Compile date_forms.yaml once per process."""
    data = load_model(MODEL)
    cues = data["cues"]
    frequencies = list(data["frequencies"].values())
    groups = [(entry, f"(?P<g{i}>{_sources(entry)[0]})") for i, entry in enumerate(frequencies)]
    return Forms(
        settings={name: entry["value"] for name, entry in data["settings"].items()},
        patterns=tuple(
            (entry["kind"], rule(regex.compile(source, _flags(entry))))
            for entry in data["patterns"].values()
            for source in _sources(entry)
        ),
        frequencies=tuple(entry["frequency"] for entry in frequencies),
        any_frequency=regex.compile("|".join(group for entry, group in groups if "after" not in entry), FLAGS),
        report_frequency=regex.compile("|".join(group for _, group in groups), FLAGS),
        cues={
            name: tuple(regex.compile(source, _flags(entry)) for source in _sources(entry))
            for name, entry in {**cues, "document_symbol": data["pieces"]["document_symbol"]}.items()
        },
        before={
            name: regex.compile(rf"(?:{'|'.join(_sources(entry))})\s*\Z", _flags(entry) | regex.REVERSE)
            for name, entry in cues.items()
            if name in BEFORE_CUES
        },
        context=Rule(
            regex.compile(
                rf"(?:{'|'.join(f'(?{_scope(cues[name])}:{source})' for name in CONTEXT_CUES for source in _sources(cues[name]))})\s*\Z",
                regex.REVERSE,
            ),
            tuple(dict.fromkeys(word.casefold() for name in CONTEXT_CUES for word in cues[name]["needs"])),
        ),
        sentence_back=regex.compile(
            _sources(cues["sentence_break"])[0], _flags(cues["sentence_break"]) | regex.REVERSE
        ),
    )


def cue_pattern(forms: Forms, name: str) -> regex.Pattern:
    """A cue written as a single regex."""
    return forms.cues[name][0]


# --------------------------------------------------------------------------- values
#
# The values below are not frozen: a frozen dataclass's __init__ sets each field through
# object.__setattr__, and the ~50 made a bench document cost 5.22 against 4.84 M
# instructions of the time layer. Nothing changes them once made; nothing hashes them.


@dataclass(slots=True)
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


@dataclass(slots=True)
class Found:
    """One temporal expression before it becomes a DateMention.

    ``kind``: date | year | quarter | half | day | range | deadline | recurring, and while
    the layer is built, span (a printed span of years, "giai đoạn 2021 - 2025", which
    becomes a range). A range has ``when`` (start) and ``until`` (end); either is None
    where the span is open.
    """

    kind: str
    start: int
    end: int
    when: When | None = None
    until: When | None = None
    frequency: str | None = None


@dataclass(slots=True)
class FrequencyItem:
    """One item of a reporting list; ``tail_end`` is where its due days end."""

    frequency: str
    start: int
    end: int
    tail_end: int


def is_valid_day(year: int, month: int, day: int) -> bool:
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
        if day is not None and not is_valid_day(year or check_year, month, day):
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



# --------------------------------------------------------------------------- finding


def _atoms(scan: Scan, forms: Forms, check_year: int) -> Iterator[Found]:
    """Every match of every pattern, before overlaps are settled."""
    text = scan.text
    for kind, kind_rule in forms.patterns:
        for match in scan.finditer(kind_rule):
            if kind == "year_span":
                start, end = int(match["start"]), int(match["end"])
                if start < end:
                    yield Found("span", match.start(), match.end(), When(year=start), When(year=end))
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
        word = cue_before(forms, "date_word", text, found.start)
        return found if word is None else Found(found.kind, word.start(), found.end, when)
    prefix = cue_before(forms, "day_before_month", text, found.start)
    if prefix is None:
        return found
    day = int(prefix["day"]) if prefix["day"] else None
    if day is not None and not is_valid_day(when.year or check_year, when.month, day):
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
    """The item at ``pos``, which may repeat "hằng"/"hàng"/"mỗi" ("hàng quý, hàng năm")."""
    every = next((m for m in (p.match(text, pos) for p in forms.cues["every_word"]) if m), None)
    match = forms.any_frequency.match(text, every.end() if every else pos)
    return _item(text, forms, match, pos) if match else None


def _item(text: str, forms: Forms, match: regex.Match, start: int | None = None) -> FrequencyItem:
    frequency = forms.frequencies[int(match.lastgroup[1:])]
    tail = cue_pattern(forms, "frequency_tail").match(text, match.end())
    return FrequencyItem(frequency, match.start() if start is None else start, match.end(), tail.end() if tail else match.end())


def _frequency_list(text: str, forms: Forms, first: FrequencyItem) -> tuple[FrequencyItem, ...]:
    """Follow a list of frequencies: "hàng quý, 6 tháng, một năm và đột xuất"."""
    items = [first]
    while True:
        join = cue_pattern(forms, "list_join").match(text, items[-1].tail_end)
        following = _frequency_at(text, forms, join.end()) if join else None
        if following is None:
            return tuple(items)
        items.append(following)


def _list_starts(scan: Scan, forms: Forms) -> Iterator[tuple[int, FrequencyItem]]:
    """(start, first item) of each announced reporting list.

    Announced by "định kỳ" (the first frequency may stand a few words later), by
    "hằng"/"hàng"/"mỗi" or "báo cáo" right before it ("hằng quý", "báo cáo quý (trước
    16/3)", "báo cáo theo học kỳ", "báo cáo ngay"), or by "sơ kết"/"tổng kết" right before
    a list of two or more ("Sơ kết 6 tháng, 1 năm"; a single term there is a one-off review).
    """
    text = scan.text
    for cue in scan.finditer(rule(cue_pattern(forms, "recurring_cue"))):
        window_end = min(len(text), cue.end() + forms.settings["cue_window"])
        stop = cue_pattern(forms, "sentence_break").search(text, cue.end(), window_end)
        match = forms.any_frequency.search(text, cue.end(), stop.start() if stop else window_end)
        if match:
            yield _list_start(text, forms, match.start()), _item(text, forms, match)
    adjacent_cues = (
        *((pattern, forms.any_frequency) for pattern in forms.cues["every_word"]),
        (cue_pattern(forms, "report_word"), forms.report_frequency),
    )
    per = cue_pattern(forms, "per_word")
    for pattern, terms in adjacent_cues:
        for cue in scan.finditer(rule(pattern)):
            start = _skip_space(text, cue.end())
            match = terms.match(text, start)
            if match is None and (after := per.match(text, start).end()) > start:  # "theo quý"
                match = terms.match(text, after)
            if match:
                yield _list_start(text, forms, match.start()), _item(text, forms, match)
    for review in forms.cues["review_word"]:
        for cue in scan.finditer(rule(review)):
            match = forms.any_frequency.match(text, _skip_space(text, cue.end()))
            if match and len(_frequency_list(text, forms, _item(text, forms, match))) > 1:
                yield match.start(), _item(text, forms, match)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _list_start(text: str, forms: Forms, item_start: int) -> int:
    """Where the first item's mention starts: "định kỳ hàng quý" rather than "quý"."""
    start = item_start
    for cue in ("every_word", "recurring_cue"):
        match = cue_before(forms, cue, text, start)
        start = match.start() if match else start
    return start


def _frequency_lists(scan: Scan, forms: Forms) -> list[tuple[int, tuple[FrequencyItem, ...]]]:
    """Reporting lists in text order, each once even when a cue and an opener both find it."""
    text = scan.text
    lists: list[tuple[int, tuple[FrequencyItem, ...]]] = []
    for start, first in sorted(_list_starts(scan, forms), key=lambda pair: pair[1].start):
        if lists and first.start < lists[-1][1][-1].tail_end:
            continue
        items = _frequency_list(text, forms, first)
        floor = lists[-1][1][-1].tail_end if lists else 0
        while (before := _item_before(text, forms, start, floor)) is not None:
            start, items = before.start, (before, dataclasses.replace(items[0], start=start), *items[1:])
        lists.append((start, items))
    return lists


def _item_before(text: str, forms: Forms, start: int, floor: int) -> FrequencyItem | None:
    """A bare term listed before an announced one, as in "6 tháng, hằng năm"."""
    window = max(floor, start - forms.settings["lookbehind"])
    join = cue_pattern(forms, "list_join")
    for match in reversed(list(forms.any_frequency.finditer(text, window, start))):
        item = _item(text, forms, match)
        if join.fullmatch(text, item.tail_end, start):
            return item
    return None


def _recurring_found(lists: list[tuple[int, tuple[FrequencyItem, ...]]]) -> Iterator[Found]:
    for start, items in lists:
        for index, item in enumerate(items):
            yield Found("recurring", start if index == 0 else item.start, item.end, frequency=item.frequency)


def cue_before(forms: Forms, cue: str, text: str, pos: int) -> regex.Match | None:
    """The named cue if it ends right where an expression starts."""
    return forms.before[cue].search(text, max(0, pos - forms.settings["lookbehind"]), pos)


def _cue_start(forms: Forms, cue: str, text: str, pos: int) -> int | None:
    match = cue_before(forms, cue, text, pos)
    return match.start() if match else None


def _with_year(start: When, end: When) -> When:
    """A span's start printed without a year shares its end's ("từ 15/4 đến 30/6/2025")."""
    if start.year is None and end.year is not None:
        return When(end.year, start.month, start.day, start.quarter, start.half)
    return start


def _combine(scan: Scan, forms: Forms, atoms: list[Found]) -> list[Found]:
    """Spans, open spans and deadlines from the expressions and the words around them."""
    text = scan.text
    out: list[Found] = []
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        following = atoms[index + 1] if index + 1 < len(atoms) else None
        if following is not None and _joins(text, forms, atom, following):
            opener = _cue_start(forms, "range_from", text, atom.start)
            start = atom.start if opener is None else opener
            last = following.until if following.kind == "span" else following.when
            out.append(Found("range", start, following.end, _with_year(atom.when, last), last))
            index += 2
            continue
        if atom.kind == "span":
            opener = _cue_start(forms, "range_from", text, atom.start)
            out.append(Found("range", atom.start if opener is None else opener, atom.end, atom.when, atom.until))
        else:
            read = _in_context(scan, forms, out, atom)
            if read is not None:
                out.append(read)
        index += 1
    return out


def _joins(text: str, forms: Forms, atom: Found, following: Found) -> bool:
    """Two points joined by "đến", "tới" or a dash make a span; so do two spans of years
    ("từ năm học 2010 - 2011 đến năm học 2014 - 2015")."""
    joinable = POINT_KINDS | {"span"}
    if atom.kind not in joinable or following.kind not in joinable or (atom.kind == "span") != (following.kind == "span"):
        return False
    return cue_pattern(forms, "range_join").fullmatch(text, atom.end, following.start) is not None


def _in_context(scan: Scan, forms: Forms, out: list[Found], atom: Found) -> Found | None:
    """A point read with the words before it: a due date, an open span, or itself.

    Due dates: after a deadline word ("trước", "chậm nhất", "xong trong"), right after a
    task's time label ("Thời gian thực hiện: Tháng 12/2013"; the label stays outside the
    span), after "trong"/"vào" in a sentence that asks for a delivery ("trình Chính phủ
    trong quý III năm 2012"), and "đến <point>, hoàn thành ...". A bare day ("ngày 20")
    means something only as a due day; elsewhere it is dropped.
    """
    if atom.kind not in POINT_KINDS and atom.kind != "day":
        return atom
    # Most points have no cue (one search tells), and then only a listed due date can make
    # them anything but themselves: asking each cue in turn regardless cost 2 µs a point.
    text, since = scan.text, max(0, atom.start - forms.settings["lookbehind"])
    cued = scan.holds(forms.context, since, atom.start) and forms.context.pattern.search(text, since, atom.start) is not None
    cue = _cue_start(forms, "deadline", text, atom.start) if cued else None
    if cue is not None or _continues_deadline(text, forms, out, atom):
        return Found("deadline", atom.start if cue is None else cue, atom.end, atom.when)
    if atom.kind == "day":
        return None
    if not cued:
        return atom
    if _cue_start(forms, "time_label", text, atom.start) is not None:
        return Found("deadline", atom.start, atom.end, atom.when)
    if (cue := _cue_start(forms, "within", text, atom.start)) is not None and _due_within(text, forms, out, cue, atom):
        return Found("deadline", cue, atom.end, atom.when)
    if (cue := _cue_start(forms, "open_end", text, atom.start)) is not None:
        if cue_pattern(forms, "completion_after").match(text, atom.end):
            return Found("deadline", cue, atom.end, atom.when)
        return Found("range", cue, atom.end, None, atom.when)
    if (cue := _cue_start(forms, "range_from", text, atom.start)) is not None:
        return Found("range", cue, atom.end, atom.when, None)
    return atom


def _due_within(text: str, forms: Forms, out: list[Found], cue: int, atom: Found) -> bool:
    """"trong"/"vào" and a point that close a clause asking for a delivery: a due verb
    before it in its sentence (on its line), and no mark of work done or under way in its
    clause nor just before that verb ("Sở đã tổ chức 05 hội nghị trong quý III"; "Bộ đang
    trình Quốc hội dự thảo Luật ..., dự kiến thông qua vào tháng 12/2025"); or a clause
    parallel to one that set a due date ("Tổng kết giai đoạn 2013-2015 vào năm 2015; giai
    đoạn 2016-2020 vào năm 2020"). A point that opens its clause ("Trong năm 2025, tỉnh đã
    ...") or runs on into it ("trong năm 2025 so với ...") is not due.
    """
    start = max(sentence_at(text, forms, cue)[0], text.rfind("\n", 0, cue) + 1)
    clause = [m.end() for m in cue_pattern(forms, "clause_break").finditer(text, start, cue)]
    clause_start = clause[-1] if clause else start
    if not text[clause_start:cue].strip() or not cue_pattern(forms, "due_end").match(text, atom.end):
        return False
    verbs = [m.start() for verb in forms.cues["due_verb"] for m in verb.finditer(text, start, cue)]
    if verbs:
        past, verb = cue_pattern(forms, "past_marker"), max(verbs)
        marked = past.search(text, _words_before(text, verb, forms.settings["marker_words"]), verb)
        return marked is None and past.search(text, clause_start, cue) is None
    previous = next((f for f in reversed(out) if f.kind == "deadline"), None)
    return previous is not None and _parallel(text, forms, previous.end, start)


def _words_before(text: str, pos: int, count: int) -> int:
    """Where the ``count`` words before ``pos`` begin."""
    return pos - len(_last_words(count).search(text[max(0, pos - 100) : pos]).group())


@functools.cache
def _last_words(count: int) -> regex.Pattern:
    return regex.compile(rf"(?:\S+\s+){{0,{count}}}\Z")


def _parallel(text: str, forms: Forms, end: int, start: int) -> bool:
    """A clause that starts at ``start`` right after "; " that closes the one ending at ``end``."""
    gap = text[end:start]
    return "\n" not in gap and cue_pattern(forms, "parallel_join").fullmatch(gap) is not None


def _continues_deadline(text: str, forms: Forms, out: list[Found], atom: Found) -> bool:
    """A date listed right after a due date is one too: "trước 16/3 và 16/9"."""
    return bool(
        out
        and out[-1].kind == "deadline"
        and atom.kind in {"date", "day"}
        and cue_pattern(forms, "list_join").fullmatch(text, out[-1].end, atom.start)
    )


# --------------------------------------------------------------------------- the layer


@dataclass(frozen=True)
class TimeExpressions:
    """The time layer of one text: its expressions after overlaps and context are settled,
    and its announced reporting lists."""

    found: tuple[Found, ...]
    lists: tuple[tuple[int, tuple[FrequencyItem, ...]], ...]


LAYER = "times"


def recognise(text: str) -> TimeExpressions:
    """Every temporal expression of ``text``, in order. Days and months printed without a
    year are checked against the settings' validation year (a leap year); the finders
    check them again against the document's year when they build values."""
    return _recognise(Scan(text))


def _recognise(scan: Scan) -> TimeExpressions:
    forms = load_forms()
    lists = _frequency_lists(scan, forms)
    atoms = list(_atoms(scan, forms, forms.settings["validation_year"]))
    atoms.extend(_recurring_found(lists))
    return TimeExpressions(tuple(_combine(scan, forms, _longest(atoms))), tuple(lists))


def time_expressions(doc: Document) -> TimeExpressions:
    """The document's time layer, recognised the first time a finder asks for it."""
    return doc.layer(LAYER, lambda d: _recognise(text_scan(d)))


def sentence_at(text: str, forms: Forms, pos: int) -> Span:
    """The sentence around ``pos``, found on demand: splitting a whole text costs more."""
    back = forms.sentence_back.search(text, 0, pos)
    ahead = cue_pattern(forms, "sentence_break").search(text, pos)
    return (back.end() if back else 0), (ahead.end() if ahead else len(text))
