"""Duties: each item of assigned work, the agency that owes it, its role and deadline.

A duty belongs to the agency of the heading it stands under ("1. Công an tỉnh (Cơ quan
TT BCĐ tỉnh)", "* Phòng Quản lý Du lịch:", "8. Đề nghị Hội Liên hiệp Phụ nữ tỉnh"); each
"-"/"+" bullet under it is one duty, and a heading followed by plain paragraphs gives one
duty per paragraph. Inside the sections that assign work ("TỔ CHỨC THỰC HIỆN"), an item
whose sentence opens with an agency ("2. Văn phòng Sở đăng tải …", "Giao Công an tỉnh …")
is a duty of that agency.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import regex

from pipeline.annotate.agencies import mention_at, mentions_between
from pipeline.gazetteer.agencies import canonical_name
from pipeline.records import Document, Duty, Section, Span
from pipeline.rules import compiled, load_model

_NOTE = regex.compile(r"\s*\([^()]*\)")  # a note in parentheses after a name
_SPACES = regex.compile(r"\s+")
_LEAD_NOTE = regex.compile(r"^\s*(\([^()]*\))?[\s,:]*")
BULLETS = ("dash", "plus")
SUBJECT_MAX_WORDS = 30


@functools.cache
def _rules() -> dict:
    return load_model("duties")


def _rule(*keys: str) -> regex.Pattern:
    node = _rules()
    for key in keys:
        node = node[key]
    return compiled(node if isinstance(node, str) else node["pattern"])


@dataclass
class Subject:
    """Who an item or heading assigns work to, and where the work's own words begin."""

    agency: str
    requested: bool
    text_start: int  # offset in the document where the duty's text begins
    span: Span  # the agency's words
    assigned: bool = False  # "Giao X …": the duty's words begin at "Giao"


def find_duties(doc: Document, issuer: str | None = None) -> list[Duty]:
    duties: list[Duty] = []
    headings: dict[int, Subject | None] = {}
    for index, section in enumerate(doc.sections):
        if section.style in BULLETS:
            owner = _owning_heading(doc, index, headings)
            if owner is not None:
                duties.append(_duty(doc, section, owner, section.title_span[0]))
            elif container := _container(doc, index):
                start = section.title_span[0]
                subject = _inline_subject(doc, start, section.span[1])
                if subject:
                    duties.append(_duty(doc, section, subject, start, from_start=True))
                elif container == "own_tasks" and issuer:
                    duties.append(_duty(doc, section, Subject(issuer, False, start, (start, start)), start))
            continue
        subject = _heading_subject(doc, section)
        headings[index] = subject
        owner = None if subject is not None else _owning_heading(doc, index, headings)
        if owner is not None:
            if not _has_children(doc, index):
                duties.append(_duty(doc, section, owner, section.title_span[0]))
        elif subject is not None:
            if subject.text_start < section.title_span[1]:
                duties.append(_duty(doc, section, subject, subject.text_start, end=section.title_span[1]))
            duties.extend(_paragraph_duties(doc, index, subject))
        elif (container := _container(doc, index)) and not _has_children(doc, index):
            inline = _inline_subject(doc, section.title_span[0], section.span[1])
            if inline is None and issuer and container == "own_tasks" and _container_kind(doc, section):
                duties.extend(_paragraph_duties(doc, index, Subject(issuer, False, section.title_span[1], section.title_span)))
            elif inline is not None:
                duties.append(_duty(doc, section, inline, section.title_span[0], from_start=True))
            else:
                duties.extend(_topic_paragraph_duties(doc, index))
    return duties


def _has_children(doc: Document, index: int) -> bool:
    return any(s.parent == index for s in doc.sections)


def _owning_heading(doc: Document, index: int, headings: dict[int, Subject | None]) -> Subject | None:
    """The nearest enclosing agency heading, through topic sub-headings ("1. Công an tỉnh" >
    "a) Công tác tuyên truyền:" > "- …")."""
    parent = doc.sections[index].parent
    while parent is not None:
        if headings.get(parent) is not None:
            return headings[parent]
        parent = doc.sections[parent].parent
    return None


def _container_kind(doc: Document, section: Section) -> str | None:
    rules = _rules()["containers"]
    for kind in ("own_tasks", "assign"):
        if compiled(rules[kind]).search(doc.text, section.title_span[0], section.title_span[1]):
            return kind
    return None


def _container(doc: Document, index: int) -> str | None:
    """The kind of the nearest enclosing section that assigns work, if any."""
    current: int | None = index
    while current is not None:
        kind = _container_kind(doc, doc.sections[current])
        if kind:
            return kind
        current = doc.sections[current].parent
    return None


def _heading_subject(doc: Document, section: Section) -> Subject | None:
    """The agency a heading names: the whole heading, or its part before a colon or a verb."""
    start, end = section.title_span
    title = doc.text[start:end]
    requested = _rule("prefixes", "requested").match(title)
    offset = requested.end() if requested else 0
    if not _starts_with_agency(doc, start + offset, title[offset:]):
        return None
    colon = title.find(":", offset)
    verb = _rule("verbs").search(title, offset)
    if colon != -1 and (verb is None or colon < verb.start()) and not _colon_inside_name(title, colon):
        name_end, text_start = colon, colon + 1
    elif verb is not None:
        return None  # a sentence, not a heading: handled as an inline assignment
    else:
        name_end, text_start = len(title), len(title)
    name = agency_name(doc, start + offset, start + name_end)
    if not name:
        return None
    while text_start < len(title) and title[text_start] == " ":
        text_start += 1
    return Subject(name, bool(requested), start + text_start, (start + offset, start + name_end))


def _colon_inside_name(title: str, colon: int) -> bool:
    """"Trung tâm: Văn hóa, Thông tin - Thể thao …" lists centres after a colon."""
    return colon + 1 < len(title) and title[colon + 1 :].strip()[:1].isupper() and _rule("verbs").search(title, colon) is None


def requested_prefix(text: str) -> int:
    """Length of an opening "Đề nghị" (the issuer cannot command that body), 0 if none."""
    found = _rule("prefixes", "requested").match(text)
    return found.end() if found else 0


def _starts_with_agency(doc: Document, position: int, text: str) -> bool:
    return mention_at(doc, position) is not None or bool(_rule("subject_heads").match(text))


def agency_name(doc: Document, start: int, end: int) -> str:
    """The agency words at ``doc.text[start:end]``, notes in parentheses dropped, acronyms expanded."""
    raw = doc.text[start:end]
    cleaned = _NOTE.sub("", raw).strip(" :;,.")
    if not cleaned:
        return ""
    found = mention_at(doc, start)
    if found and _NOTE.sub("", doc.text[found.span[1] : end]).strip(" :;,.") == "":
        return found.name.name
    expanded = canonical_name(cleaned).name
    return expanded[:1].upper() + expanded[1:]


def _inline_subject(doc: Document, start: int, end: int) -> Subject | None:
    """"Giao Công an tỉnh chủ trì …", "Các sở, ngành … căn cứ chức năng …": subject, then verb."""
    text = doc.text[start:end]
    cursor = 0
    basis = _rule("prefixes", "basis_clause").match(text)
    if basis:
        cursor = basis.end()
    requested = _rule("prefixes", "requested").match(text[cursor:])
    assigned = _rule("prefixes", "assign").match(text[cursor:])
    if requested:
        cursor += requested.end()
    elif assigned:
        cursor += assigned.end()
    if not _starts_with_agency(doc, start + cursor, text[cursor:]):
        return None
    verb = _rule("verbs").search(text, cursor)
    if verb is None:
        return None
    raw = text[cursor : verb.start()]
    if len(raw.split()) > SUBJECT_MAX_WORDS or "\n" in raw:
        return None
    name = agency_name(doc, start + cursor, start + verb.start())
    if not name:
        return None
    return Subject(name, bool(requested), start, (start + cursor, start + verb.start()), assigned=bool(assigned))


def _paragraph_duties(doc: Document, index: int, subject: Subject) -> list[Duty]:
    """Plain paragraphs under a heading, before its first child item: one duty each."""
    section = doc.sections[index]
    children = [s for s in doc.sections if s.parent == index]
    limit = children[0].span[0] if children else section.span[1]
    duties = []
    for line in doc.lines:
        if section.title_span[1] < line.start < limit and line.kind == "paragraph":
            content = doc.text[line.start : line.end]
            if children and content.rstrip().endswith(":"):
                continue
            duties.append(_duty(doc, section, subject, line.start, end=line.end))
    return duties


def _topic_paragraph_duties(doc: Document, index: int) -> list[Duty]:
    """Under a topic heading in a container ("7. Chế độ báo cáo"), paragraphs that open with an agency."""
    section = doc.sections[index]
    duties = []
    for line in doc.lines:
        if section.title_span[1] < line.start < section.span[1] and line.kind == "paragraph":
            subject = _inline_subject(doc, line.start, line.end)
            if subject:
                duties.append(_duty(doc, section, subject, line.start, end=line.end, from_start=True))
    return duties


def _duty(doc: Document, section: Section, subject: Subject, start: int, end: int | None = None, from_start: bool = False) -> Duty:
    stop = section.span[1] if end is None else end
    if section.style in BULLETS:
        stop = min(stop, _next_item_start(doc, section, stop))
    stop = min(stop, _next_row_start(doc, start, stop))
    text = _SPACES.sub(" ", doc.text[start:stop]).strip()
    role_text = text
    if from_start and not subject.assigned:
        role_text = _LEAD_NOTE.sub("", doc.text[subject.span[1] : stop])
    return Duty(
        agency=subject.agency,
        section=section.path or None,
        role=_role(role_text, subject.requested),
        text=text,
        span=(start, start + len(doc.text[start:stop].rstrip())),
        co_agencies=_co_agencies(doc, start, stop, subject.agency),
    )


def _next_item_start(doc: Document, section: Section, default: int) -> int:
    """A bullet ends where the next item of any kind begins."""
    later = [s.span[0] for s in doc.sections if s.span[0] > section.span[0]]
    return min(later, default=default) - 1 if later else default


def _next_row_start(doc: Document, start: int, default: int) -> int:
    """A duty's words stop before a table that follows them (rows are duties of their own,
    pipeline/extract/tables.py)."""
    starts = doc.layer("row-starts", lambda d: [line.start for line in d.lines if line.kind == "row"])
    found = bisect.bisect_right(starts, start)
    return min(default, starts[found] - 1) if found < len(starts) else default


def _role(text: str, requested: bool) -> str:
    if requested:
        return "requested"
    if compiled(_rules()["roles"]["coordinate"]).match(text) and not compiled(_rules()["roles"]["lead"]).match(text):
        return "coordinate"
    return "lead"


def _co_agencies(doc: Document, start: int, end: int, own: str) -> list[str]:
    """The bodies listed right after each "phối hợp với" of the duty, canonical, not its own."""
    rules = _rules()["co_agencies"]
    gap = compiled(rules["gap"])
    names: list[str] = []
    for cue in compiled(rules["cue"]).finditer(doc.text, start, end):
        cursor = cue.end()
        for mention in mentions_between(doc, cursor, end):
            if not gap.fullmatch(doc.text, cursor, mention.span[0]):
                break
            cursor = mention.span[1]
            if mention.name.name != own and mention.name.name not in names:
                names.append(mention.name.name)
    return names
