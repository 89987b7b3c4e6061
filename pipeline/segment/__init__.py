"""Segment: RawDocument -> Document (normalised text and the document tree over it)."""

from __future__ import annotations

from pipeline.gazetteer.doc_types import type_named
from pipeline.ingest.layout import form_pattern
from pipeline.records import Document, Header, Line, RawDocument, Section, Span
from pipeline.rules import compiled, load_model
from pipeline.segment.attached import with_attached_plan
from pipeline.segment.form import check_form
from pipeline.segment.lines import (
    PhysicalLine,
    build_text,
    dash_continues,
    is_row,
    mend_broken_anchors,
    physical_lines,
    place_lone_markers,
    typical_width,
)
from pipeline.segment.outline import Markers, build_outline, classify_lines
from pipeline.segment.zones import (
    find_zones,
    is_caps,
    matches,
    split_stacked_bodies,
    unglue_header,
)

__all__ = ["continues_recipient", "segment"]


def segment(raw: RawDocument) -> Document:
    lines = place_lone_markers(split_stacked_bodies(unglue_header(mend_broken_anchors(physical_lines(raw)))))
    markers = Markers()
    zones = find_zones(lines, markers)
    width = typical_width(lines[zones.header_end : zones.tail_start] or lines)
    keep_paragraphs = raw.format == "docx"
    glue = _dash_continuations(lines, markers) if keep_paragraphs else set()
    breaks = set(range(len(lines))) - glue if keep_paragraphs else zones.breaks_before
    text, page_starts, logical, owner = build_text(lines, zones.solo, breaks, width, max(1, len(raw.pages)), zones.glue | glue, markers)

    def start_of(physical: int | None) -> int:
        if physical is None or physical >= len(lines):
            return len(text)
        return logical[owner[physical]].start

    header_end = start_of(zones.header_end) if zones.header_end < len(lines) else len(text)
    title_start = start_of(zones.title.start) if zones.title else None
    body_start = start_of(zones.title.stop) if zones.title else header_end
    tail_start = start_of(zones.tail_start)
    appendices = _appendix_spans(text, [start_of(i) for i in zones.appendices])
    tail_end = appendices[0][0] if appendices else len(text)
    classify_lines(text, logical, body_start, tail_start, markers)
    for start, end in appendices:
        classify_lines(text, _lines_in(logical, start, end), start, end, markers)
    _mark_rows(text, logical, body_start)

    opening_start = start_of(zones.opening) if zones.opening is not None else body_start
    header = _header(text, logical, header_end, title_start, body_start, max(body_start, opening_start, start_of(zones.body_start)))
    opening = _opening(text, logical, opening_start, tail_start)
    outline_from = opening[1] if opening else body_start
    closing = _closing(text, logical, outline_from, tail_start)
    body_end = closing[0] if closing else tail_start
    outline_lines = [line for line in logical if line.kind != "row"]
    sections = build_outline(text, outline_lines, outline_from, body_end, markers)
    for span in appendices:
        sections += _appendix_outline(text, outline_lines, span, len(sections), markers)
    recipients, signature = _tail(text, logical, tail_start, tail_end)

    segmented = Document(
        raw=raw,
        text=text,
        page_starts=page_starts,
        lines=logical,
        header=header,
        opening=opening,
        body=(outline_from, body_end),
        sections=sections,
        closing=closing,
        recipients=recipients,
        signature=signature,
        appendices=appendices,
    )
    segmented = with_attached_plan(segmented, markers)
    segmented.warnings = check_form(segmented)
    return segmented


def _dash_continuations(lines: list[PhysicalLine], markers: Markers) -> set[int]:
    """Word paragraphs stay paragraphs, except a "-" fragment that ends the heading above it."""
    return {
        index
        for index in range(1, len(lines))
        if dash_continues(lines[index - 1].text, lines[index].text, lines[index + 1].text if index + 1 < len(lines) else None, markers)
    }


def _rules() -> dict:
    return load_model("segment")


def _lines_in(logical: list[Line], start: int, end: int) -> list[Line]:
    return [line for line in logical if start <= line.start < end]


def _header(text, logical, header_end, title_start, body_start, search_end) -> Header:
    header = Header()
    number_rule = form_pattern("number_line")
    place_rule = form_pattern("place_date")
    subject_rule = form_pattern("subject_line")
    for line in _lines_in(logical, 0, search_end):
        content = text[line.start : line.end]
        span = (line.start, line.end)
        if matches("motto", content):
            header.motto = header.motto or span
        elif (number := number_rule.match(content)) and header.number is None:
            header.number = span
            header.parts["number"] = _part(line, number, "value")
        elif (place := place_rule.match(content)) and header.place_date is None:
            header.place_date = span
            header.parts["place"] = _part(line, place, "place")
        elif (type_name := type_named(content)) and header.doc_type is None and line.start < header_end:
            header.doc_type = span
            header.doc_type_name = type_name
        elif subject_rule.match(content) and header.title is None:
            header.title = _title_from(logical, span, title_start, body_start)
        elif matches("addressees", content) and header.addressees is None:
            header.addressees = _with_list(text, logical, line)
        elif line.start < header_end and is_caps(content) and header.doc_type is None:
            header.agency_lines.append(span)
    if header.title is None and title_start is not None and title_start < body_start:
        title_lines = [l for l in _lines_in(logical, title_start, body_start) if not matches("addressees", text[l.start : l.end])]
        if title_lines:
            header.title = (title_lines[0].start, title_lines[-1].end)
    return header


def _title_from(logical: list[Line], subject: Span, title_start: int | None, body_start: int) -> Span:
    """A "V/v …" line that opens the title under the type line ("QUYẾT ĐỊNH" / "V/V BAN
    HÀNH …") begins a title that goes on over the title's other lines; elsewhere (under a
    công văn's number) the subject is its line and the lines glued to it."""
    if subject[0] != title_start:
        return subject
    return subject[0], max(line.end for line in _lines_in(logical, title_start, body_start))


def _part(line: Line, match, group: str) -> Span:
    """A named group of an anchor line's match, as a span of the document."""
    return line.start + match.start(group), line.start + match.end(group)


def _with_list(text: str, logical: list[Line], label: Line) -> Span:
    """"Kính gửi:" and the "- X;" lines under it."""
    end = label.end
    for line in logical:
        if line.start <= label.start:
            continue
        content = text[line.start : line.end]
        if not (content.startswith(("-", "+", "–", "•")) or not content[:1].isupper()):
            break
        end = line.end
    return (label.start, end)


def _opening(text, logical, start, tail_start) -> Span | None:
    """The basis paragraph(s) before the outline: "Thực hiện …", "Căn cứ …; Căn cứ …"."""
    candidates = _lines_in(logical, start, tail_start)
    opening_rule = form_pattern("opening")
    chosen: list[Line] = []
    for line in candidates:
        if line.kind in ("heading", "bullet"):
            break
        content = text[line.start : line.end]
        if not chosen and not opening_rule.match(content):
            break
        chosen.append(line)
        if content.rstrip().endswith(":"):
            break
    return (chosen[0].start, chosen[-1].end) if chosen else None


def _closing(text, logical, start, tail_start) -> Span | None:
    rule = compiled(_rules()["closing"]["pattern"])
    # the last closing sentence, looked for from the end, where it stands
    last = next((line for line in reversed(_lines_in(logical, start, tail_start)) if rule.match(text[line.start : line.end])), None)
    if last is None:
        return None
    last_end = max(line.end for line in _lines_in(logical, last.start, tail_start))
    return (last.start, last_end)


def _tail(text, logical, tail_start, tail_end) -> tuple[Span | None, Span | None]:
    """Split the closing block into recipients (Nơi nhận … Lưu) and the signature."""
    rules = _rules()["recipients"]
    start_rule, end_rule = compiled(rules["pattern"]), compiled(rules["end_pattern"])
    tail = _lines_in(logical, tail_start, tail_end if tail_end < len(text) else len(text) + 1)
    recipients: list[Line] = []
    signature: list[Line] = []
    in_recipients = False
    for line in tail:
        content = text[line.start : line.end]
        if start_rule.match(content):
            in_recipients = True
            recipients.append(line)
            continue
        previous = text[recipients[-1].start : recipients[-1].end] if recipients else ""
        other_side = line.layout.column is not None and line.layout.column != recipients[0].layout.column if recipients else False
        if in_recipients and not other_side and (content.startswith(("-", "+", "–")) or continues_recipient(previous, content)):
            recipients.append(line)
            in_recipients = not end_rule.match(content)
            continue
        in_recipients = False
        signature.append(line)
    return _cover(recipients), _cover(signature)


def _mark_rows(text: str, logical: list[Line], body_start: int) -> None:
    """Table rows (cells joined by " | ") are lines of their own kind: neither outline items nor paragraphs."""
    if not is_row(text):
        return
    for line in logical:
        if line.start >= body_start and is_row(text[line.start : line.end]):
            line.kind = "row"


def _appendix_spans(text: str, starts: list[int]) -> list[Span]:
    """Each appendix runs to the next one or to the end of the text."""
    return [(start, starts[i + 1] - 1 if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)]


def appendix_label(heading: str) -> str:
    """"PHỤ LỤC II" -> "PL2"; an unnumbered appendix keeps the plain word."""
    rule = _rules()["appendix"]
    found = compiled(rule["pattern"]).match(heading)
    number = found.group("number") if found else None
    if not number:
        return rule["unnumbered"]
    value = int(number) if number.isdigit() else _roman(number.upper())
    return rule["label"].format(n=value)


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(numeral):
        value = values[char]
        total += -value if index + 1 < len(numeral) and values[numeral[index + 1]] > value else value
    return total


def _appendix_outline(text: str, lines: list[Line], span: Span, offset: int, markers: Markers) -> list[Section]:
    """The appendix's own outline, its paths prefixed with the appendix's label ("PL1.I.2")."""
    heading_end = text.find("\n", span[0])
    label = appendix_label(text[span[0] : heading_end if heading_end != -1 else span[1]])
    sections = build_outline(text, lines, span[0], span[1], markers)
    for section in sections:
        section.path = f"{label}.{section.path}" if section.path else label
        section.parent = None if section.parent is None else section.parent + offset
    return sections


def continues_recipient(previous: str, content: str) -> bool:
    """A recipient broken over two lines: the line is no new "- …" item, and the one before
    has no closing ";" or "." (or the line goes on in lower case)."""
    if content.lstrip().startswith(("-", "+", "–", "•")):
        return False
    return not content[:1].isupper() or not previous.rstrip().endswith((";", ".", ":"))


def _cover(lines: list[Line]) -> Span | None:
    return (lines[0].start, lines[-1].end) if lines else None
