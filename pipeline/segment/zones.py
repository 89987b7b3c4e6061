"""Where the header ends and the closing block begins, found on physical lines.

The official form (NĐ 30/2020) puts fixed anchors at both ends of a document: agency
lines, number, motto, place and date, type and title at the top; "Nơi nhận" and the
signature at the bottom. Those lines keep their own line breaks; only the text between
them is rejoined into paragraphs.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field

import regex

from pipeline.gazetteer.agencies import canonical_name
from pipeline.gazetteer.doc_types import type_named
from pipeline.ingest.layout import HEADER_SEARCH, form_pattern
from pipeline.rules import (
    Rule,
    Scan,
    compiled,
    entry_sources,
    load_model,
    match_start,
    model_pattern,
    places,
    rules_at,
)
from pipeline.segment.lines import PhysicalLine
from pipeline.segment.outline import Markers

TITLE_MAX_LINES = 6
# The form's lines kept in models/layout.yaml, read there by ingest too.
FORM_LINES = frozenset({"motto", "number_line", "place_date", "subject_line", "addressees", "opening"})


@dataclass
class Zones:
    header_end: int  # first physical line after the header anchors (type line included)
    title: range  # physical lines of the title (trích yếu)
    opening: int | None  # first line of the opening basis paragraph, when it has one
    tail_start: int  # first line of the recipients/signature block (len(lines) if none)
    solo: set[int] = field(default_factory=set)
    breaks_before: set[int] = field(default_factory=set)
    glue: set[int] = field(default_factory=set)  # lines joined to the one before, whatever else holds
    appendices: list[int] = field(default_factory=list)  # first line of each appendix after the signature
    body_start: int = 0  # first line after the title and the addressees ("Kính gửi: …")


def _rules() -> dict:
    return load_model("segment")


def matches(key: str, text: str) -> bool:
    """Whether ``text`` holds one of the form's fixed lines (ingest/layout.py: motto,
    addressees…) or of segment's own rules."""
    if key in FORM_LINES:
        return form_pattern(key).search(text) is not None
    return _rule_pattern(key).search(text) is not None


@functools.cache
def _rule_pattern(key: str):
    return compiled("|".join(f"(?:{source})" for source in entry_sources(_rules()[key])))


# Lower-case letters that make up a fifth of running Vietnamese and more ("n", "h", "t", "c", "i").
COMMON_LOWER = ("n", "h", "t", "c", "i")
# Upper case without being a letter (Roman numeral signs, circled letters) begins at U+2160.
_UPPER_NOT_LETTER = re.compile("[\u2160-\U0010ffff]")


def is_caps(text: str) -> bool:
    """More than four letters in five are capitals (and there are two letters or more).

    Classifying every character costs 60 ns each; most lines are told by five str.count
    instead. Capitals need more than four upper-case letters for each lower-case one, so
    where the letters of COMMON_LOWER alone make a fifth of the line, the characters left
    are too few, unless a character that is upper case but no letter counts too (those
    begin at U+2160: tests/segment/test_zones.py).
    """
    if 5 * sum(map(text.count, COMMON_LOWER)) >= len(text) and not _UPPER_NOT_LETTER.search(text):
        return False
    letters = sum(map(str.isalpha, text))
    return letters >= 2 and sum(map(str.isupper, text)) / letters > 0.8


def is_header_anchor(text: str) -> bool:
    return (
        matches("motto", text)
        or bool(form_pattern("number_line").match(text))
        or bool(form_pattern("place_date").match(text))
    )


def unglue_header(lines: list[PhysicalLine]) -> list[PhysicalLine]:
    """The header's first lines, each cut where a second anchor begins inside it: number and
    subject, place-date and what follows it, a decision's maker after its title (portal and
    crawler copies glue them)."""
    texts = [line.text for line in lines[:HEADER_SEARCH]]
    rules = rules_at("segment", "glued_anchors")
    holding = _lines_holding(texts, rules)
    return _cut_header_lines(lines, [
        _glued_cuts([rule for rule, lines_of in zip(rules, holding) if lines_of is None or index in lines_of], text)
        for index, text in enumerate(texts)
    ])


def _lines_holding(texts: list[str], rules: tuple[Rule, ...]) -> list[set[int] | None]:
    """For each rule, the lines that hold one of its words (None: any line may match it).
    The words are looked for once in the header's lines joined: asking each line for each
    rule's words took 0.18 ms a document, as long as the rest of the header's reading."""
    head = Scan("\n".join(texts))
    starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
    holding: list[set[int] | None] = []
    for rule in rules:
        within = head.folded if rule.folded else head.text
        if within is None or not rule.words:
            holding.append(None)
            continue
        found: set[int] = set()
        for word in rule.words:
            for place in places(within, word):
                line = bisect.bisect_right(starts, place) - 1
                if place + len(word) <= starts[line] + len(texts[line]):
                    found.add(line)
        holding.append(found)
    return holding


def _glued_cuts(cuts: list[Rule], text: str) -> set[int]:
    """Where the glued anchors' rules ``cuts`` cut a line."""
    if not cuts:
        return set()
    scan = Scan(text)
    return {m.start() for cut in cuts for m in scan.finditer(cut) if m.start() > 0}


def split_stacked_bodies(lines: list[PhysicalLine]) -> list[PhysicalLine]:
    """A capitals line of the header that names a body and, after it, the body under it
    ("BỘ TÀI CHÍNH TỔNG CỤC THUẾ"), cut into its two lines; run once the columns are apart."""
    return _cut_header_lines(lines, [_body_under_body(line.text) for line in lines[:HEADER_SEARCH]])


def _cut_header_lines(lines: list[PhysicalLine], cuts: list[set[int]]) -> list[PhysicalLine]:
    """The first lines, one for each set of ``cuts``, cut there (and trimmed, empty ones dropped)."""
    out: list[PhysicalLine] = []
    for line, at in zip(lines, cuts):
        if not at and line.text and line.text == line.text.strip():  # most lines: kept as they are
            out.append(line)
            continue
        bounds = [0, *sorted(at), len(line.text)]
        out += [PhysicalLine(line.text[a:b].strip(), line.page, line.layout) for a, b in zip(bounds, bounds[1:]) if line.text[a:b].strip()]
    return out + lines[len(cuts) :]


def _body_under_body(text: str) -> set[int]:
    """Where a second body begins in a capitals line of agencies: after a prefix the
    gazetteer knows as a whole name, at a word that begins a body's name (the rest, which
    begins with that word, always names one)."""
    if not is_caps(text):
        return set()
    for match in _heads().finditer(text):
        if match.start() > 0 and canonical_name(text[: match.start()]).known:
            return {match.start()}
    return set()


@functools.cache
def _heads() -> regex.Pattern:
    return compiled(model_pattern("document", "{heads}"))


def find_zones(lines: list[PhysicalLine], markers: Markers) -> Zones:
    texts = [line.text for line in lines]
    n = len(texts)
    type_index = next((i for i, t in enumerate(texts[:HEADER_SEARCH]) if type_named(t) and is_caps(t)), None)
    stop_index = _first_body_line(texts, 0 if type_index is None else type_index + 1, markers)
    if type_index is not None:
        title_start = type_index + 1
        header_end = type_index + 1
    else:
        anchors = [i for i in range(min(stop_index, HEADER_SEARCH)) if is_header_anchor(texts[i]) or _is_subject(texts[i])]
        title_start = anchors[-1] + 1 if anchors else 0
        if anchors and _is_subject(texts[anchors[-1]]):
            while title_start < stop_index and texts[title_start][:1].islower():
                title_start += 1  # the subject goes on in lower case ("V/v … / sau khi …")
        title_start = _skip_agency_lines(texts, title_start, stop_index)
        header_end = title_start
    title_end = _title_end(texts, title_start, stop_index)
    appendices = appendix_starts(texts, title_end)
    tail_end = appendices[0] if appendices else n
    tail_start = _tail_start(texts[:tail_end], title_end)
    solo = set(range(header_end)) | set(range(tail_start, tail_end)) | _appendix_titles(texts, appendices)
    breaks = {title_start, title_end, *appendices}
    if title_end < n and is_caps(texts[title_end]) and not matches("addressees", texts[title_end]):
        solo.add(title_end)  # the issuing authority of a decision ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …")
        title_end_body = title_end + 1
    else:
        title_end_body = title_end
    body_start = title_end_body
    if body_start < n and matches("addressees", texts[body_start]):
        addressees_end = _list_end(texts, body_start + 1, tail_start)
        solo |= set(range(body_start, addressees_end))
        body_start = addressees_end
    breaks.add(body_start)
    opening = body_start if body_start < tail_start and form_pattern("opening").match(texts[body_start]) else None
    glue = _subject_continuations(lines, header_end)
    return Zones(header_end, range(title_start, title_end), opening, tail_start, solo - glue, breaks, glue, appendices, body_start)


@functools.cache
def _appendix_openings() -> tuple[str, ...]:
    keyword = _rules()["appendix"]["keyword"]
    return (keyword, keyword.capitalize(), keyword.title(), keyword.upper())


def appendix_starts(texts: list[str], body_start: int) -> list[int]:
    """Lines that open an appendix placed after the recipients or signature block.

    Candidates are found with str.startswith on the keyword's casings: a case-insensitive
    regex over every line would cost a millisecond a document.
    """
    pattern = compiled(_rules()["appendix"]["pattern"])
    openings = _appendix_openings()
    starts: list[int] = []
    for index, text in enumerate(texts):
        if (
            text.startswith(openings)
            and index > body_start
            and pattern.match(text)
            and _opens_appendix(texts, index)
            and (starts or _signed_before(texts, body_start, index))
        ):
            starts.append(index)
    return starts


def _opens_appendix(texts: list[str], index: int) -> bool:
    """A heading, not a sentence that mentions an appendix: capitals, short, or "(Kèm theo …)" next."""
    rule = _rules()["appendix"]
    text = texts[index]
    attached = compiled(rule["attached"])
    following = texts[index + 1 : index + 4]
    return is_caps(text) or len(text) <= rule["max_short"] or any(attached.match(t) for t in following)


def _signed_before(texts: list[str], start: int, stop: int) -> bool:
    recipients = compiled(_rules()["recipients"]["pattern"])
    authority = compiled(_rules()["signature"]["authority_pattern"])
    return any(recipients.match(t) or authority.match(t) for t in texts[start:stop])


def _appendix_titles(texts: list[str], starts: list[int]) -> set[int]:
    """An appendix's heading, "(Kèm theo …)" line and capitals title keep their own lines."""
    attached = compiled(_rules()["appendix"]["attached"])
    solo: set[int] = set()
    for start in starts:
        index = start
        while index < len(texts) and index < start + TITLE_MAX_LINES and (index == start or is_caps(texts[index]) or attached.match(texts[index])):
            solo.add(index)
            index += 1
    return solo


def _list_end(texts: list[str], start: int, stop: int) -> int:
    """The end of a "- X;" list (addressees) that follows its label line."""
    index = start
    while index < stop and (texts[index].startswith(("-", "+", "–", "•")) or not texts[index][:1].isupper()):
        index += 1
    return index


def _subject_continuations(lines: list[PhysicalLine], header_end: int) -> set[int]:
    """Lines that continue a "V/v …" subject broken over several lines: in lower case, or
    under it in the header's left column where ingest placed the columns."""
    glue: set[int] = set()
    for index in range(header_end):
        if _is_subject(lines[index].text) or index in glue:
            following = index + 1
            if following >= header_end or is_header_anchor(lines[following].text):
                continue
            column = lines[index].layout.column
            if not lines[following].text[:1].isupper() or (column == "left" and lines[following].layout.column == column):
                glue.add(following)
    return glue


def _is_subject(text: str) -> bool:
    return bool(form_pattern("subject_line").match(text))


def _skip_agency_lines(texts: list[str], start: int, stop: int) -> int:
    """Without a type line, caps agency lines at the top are header, not title."""
    index = start
    while index < stop and is_caps(texts[index]) and not type_named(texts[index]):
        if index + 1 < stop and not is_caps(texts[index + 1]):
            break
        index += 1
    return index


def _first_body_line(texts: list[str], start: int, markers: Markers) -> int:
    """The first line, after the title's first line, that opens the body."""
    opening = form_pattern("opening")
    for index in range(start, min(len(texts), start + 40)):
        text = texts[index]
        if matches("addressees", text):
            return index
        if index > start and not text[:1].islower() and (opening.match(text) or matches("body_openers", text) or markers.style(text) in ("part", "part_letter", "roman", "arabic")):
            return index
    return min(len(texts), start + TITLE_MAX_LINES)


def _title_end(texts: list[str], start: int, stop: int) -> int:
    """The title runs to the body, or to a capitals line under a title in running text.
    A decision's authority line found before the body ends it however many lines the
    title wraps to (a capitals title printed in bold takes seven lines or more); without
    one the title is at most TITLE_MAX_LINES long."""
    end = min(stop, start + TITLE_MAX_LINES, len(texts))
    maker = compiled(_rules()["decision_maker"]["pattern"])
    for index in range(start + 1, min(stop, len(texts))):
        if maker.match(texts[index]) or (index < end and is_caps(texts[index]) and not is_caps(texts[start])):
            return index
    return end


def _tail_start(texts: list[str], body_start: int) -> int:
    """The recipients/signature block: after the last closing sentence or the last outline item,
    else at the last recipients label."""
    closing = compiled(_rules()["closing"]["pattern"])
    recipients = compiled(_rules()["recipients"]["pattern"])
    authority = compiled(_rules()["signature"]["authority_pattern"])
    n = len(texts)
    # the last closing sentence, looked for from the end, where it stands
    closing_index = next((i for i in reversed(range(body_start, n)) if match_start(closing, texts[i], 1)), None)
    search_from = closing_index + 1 if closing_index is not None else body_start
    for index in range(search_from, n):
        text = texts[index]
        if match_start(recipients, text, 1) or match_start(authority, text, 1):
            return index
        if closing_index is not None and is_caps(text) and len(text) < 40 and index > closing_index:
            prev = texts[index - 1]
            if compiled(r"(\./\.|\.)\s*$").search(prev) or index - 1 == closing_index:
                return index
    # The closing sentence found last can be an attached text's ("Trong quá trình thực hiện,
    # nếu có khó khăn…" in a regulation printed after the signature): the last "Nơi nhận" then.
    return next((i for i in reversed(range(body_start, search_from)) if match_start(recipients, texts[i], 1)), n)
