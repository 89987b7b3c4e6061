"""Duties: each item of assigned work, the agency that owes it, its role and deadline.

The forms in which plans, letters, directives, decisions and reports assign work
(GOLD_SCHEMA.md, "How a duty is counted" and "Other document kinds"), read in this order:

- an agency heading ("1. Công an tỉnh", "* Phòng Quản lý Du lịch:", "8. Đề nghị Hội Liên
  hiệp Phụ nữ tỉnh", "2. Giao Sở Xây dựng", "1. Trách nhiệm chung của các cơ quan, đơn
  vị"): each bullet, leaf item or plain paragraph under it is one duty of that body;
- a lead-in that hands the items after it to one body ("… đề nghị Công ty thực hiện đầy đủ
  các nội dung sau:", "… tiếp tục yêu cầu các Sở, ban, ngành và địa phương:"), unless those
  items are headed by bodies of their own;
- an item that opens with a body and its verb ("7. Các Bộ, ngành liên quan khác … tăng
  cường …", "3. Giao Công an tỉnh chủ trì …", "Điều 3. Chánh Văn phòng … chịu trách nhiệm
  thi hành Quyết định này"), or names it in brackets after the task ("(Giao Công an tỉnh
  chủ trì)");
- a request or order inside a sentence ("Do đó, đề nghị Bộ … hướng dẫn …", "Bộ yêu cầu các
  đồng chí Giám đốc Sở chỉ đạo …"), and a later sentence of an item that opens with a body
  and its verb. A letter's "Công ty", "Quý Sở", "địa phương" is the body it is addressed to.

The role columns of task tables, as rows or written as text under each task, are read by
pipeline/extract/tables.py; the lines it reads are left to it. Conditional closings ("nếu
có vướng mắc … đề nghị phản ánh") and boilerplate closings are no duties. A report (Báo
cáo) narrates what was done: there only its requests, its sections that assign work and its
own next tasks are read.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field

import regex

from pipeline.annotate.agencies import mention_at, mentions_between
from pipeline.annotate.scan import text_scan
from pipeline.extract.document import extract_document
from pipeline.gazetteer.agencies import canonical_name
from pipeline.records import Document, Duty, Line, Section, Span
from pipeline.rules import earliest_each, load_model, match_start, pattern, rules_at
from pipeline.segment.outline import MARKER_ALONE
from pipeline.text import WHITESPACE_RUN, fold

_NOTE = regex.compile(r"\s*\([^()]*\)")  # a note in parentheses after a name
_LEAD_NOTE = regex.compile(r"^[\s,]*(\([^()]*\))?[\s,:]*")
_GAP = regex.compile(r"[\s,]*(?:\([^()]*\))?[\s,:]*")  # between a body's name and its duty
# Where a sentence ends: the space after ".", "!" or "?" before a capital or digit. The stop
# is matched and dropped (\K) rather than looked behind for: 2.5x cheaper, the same spans
# when the search starts a character early (_sentences).
_SENTENCE = regex.compile(r"[.!?]\K\s+(?=[\p{Lu}\d])")
_PLURAL = regex.compile(r"(?:các|những|mọi)\s", regex.IGNORECASE)
_PASSIVE = regex.compile(r"(?<!\p{L})được\s+")
_CLAUSE_END = regex.compile(r",\s+|\s+thì\s+")  # where an opening clause ends
# A cited passage, over lines or not: in curly quotes or in straight ones. Two patterns, each
# beginning with its quotation mark, which the re module skips to (the alternation of the two
# was tried at every position: 100 against 30 us a document); quote_spans reads them as one.
_QUOTES = (re.compile(r"“[^“”]{0,3000}”"), re.compile(r"\"[^\"]{0,3000}\""))
_ADDRESSEE_LABEL = regex.compile(r"^\s*kính\s+gửi\s*:?\s*", regex.IGNORECASE)
_REFERENCE_NOISE = regex.compile(r"^(?:quý|các\s+đồng\s+chí|đồng\s+chí)\s+", regex.IGNORECASE)
_TOPIC_CUT = regex.compile(r"\s+(?:về|-)\s+")  # an issuer's short name ends before its topic
_ADDRESSEE_SPLIT = regex.compile(r"\n\s*[-–+•]?\s*|;|^\s*[-–+•]\s+")  # between addressees
BULLETS = ("dash", "plus")
REPORT = "Báo cáo"
SUBJECT_MAX_WORDS = 25
LIST_MAX_WORDS = 90  # a subject that lists bodies ("Chánh Văn phòng …; Giám đốc các Sở: …; …")
HEADING_MAX_WORDS = 40
CONTAINER_KINDS = ("own_tasks", "assign", "requests")  # tried in this order (_container_kind)
# Words that stand for the body a letter is addressed to when it has only one.
ADDRESSEE_WORDS = ("địa phương", "đơn vị")


@functools.cache
def _rule(*keys: str) -> regex.Pattern:
    return pattern("duties", *keys)


def _opens(name: str, text: str) -> regex.Match | None:
    """``_rule(name).match(text)`` for a rule that opens a text, tried only when the text's
    first two characters may begin it (rules.match_start): most texts a finder asks about
    begin with words none of these can, and a failed match costs 0.4-1.6 us against 0.13 for
    the look-up (subject_head: 46 -> ~27 us a document)."""
    return match_start(_rule(name), text)


@functools.cache
def _roles() -> dict[str, regex.Pattern]:
    roles = load_model("duties")["roles"]
    return {name: pattern("duties", "roles", name) for name in roles if name != "description"}


@dataclass
class Subject:
    """Who an item or heading assigns work to, and where the work's own words begin."""

    agency: str
    requested: bool
    text_start: int  # offset in the document where the duty's text begins
    span: Span  # the agency's words
    role: str | None = None  # the role a heading or lead-in gives the items under it
    assigned: bool = False  # "Giao X …": the duty begins with the order, not with X's verb


@dataclass
class _LeadIn:
    """A sentence ending in a colon that hands the items after it to one body."""

    subject: Subject
    scope: Span


@dataclass
class _Context:
    doc: Document
    issuer: str | None
    report: bool
    plan: bool  # a plan's content sections list activities: their bullets assign no work
    addressee: str | None
    skip: set[int]  # starts of lines another finder reads (task tables, role fields)
    headings: dict[int, Subject | None] = field(default_factory=dict)
    leadins: list[_LeadIn] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # starts of lines whose words a duty holds
    body_lines: list[Line] | None = None  # _body_lines, once
    containers: dict[int, str | None] = field(default_factory=dict)  # _container_kind of a section, once
    roles: dict[int, str | None] = field(default_factory=dict)  # _heading_role of a section, once
    kinds: dict[int | None, str | None] = field(default_factory=dict)  # _context_kind of a section, once
    issuer_short: regex.Pattern | None = None  # _issuer_short, once
    subjects: dict[tuple[int, int, bool], tuple[str, int, int] | None] = field(default_factory=dict)  # _agency_and_verb, once
    sentences: dict[Span, list[Span]] = field(default_factory=dict)  # _sentences of a place, once (_split_once)


def find_duties(doc: Document, issuer: str | None = None, skip: frozenset[int] | set[int] = frozenset()) -> list[Duty]:
    """Duties of the outline, its headings, bullets and sentences; ``skip``: starts of the
    lines another finder reads (task tables, role fields: pipeline/extract/tables.py)."""
    ctx = _context(doc, issuer, set(skip) | _figures_lines(doc))
    for index, section in enumerate(doc.sections):
        if section.span[0] not in ctx.skip:
            ctx.headings[index] = _bullet_subject(ctx, index) if section.style in BULLETS else _heading_subject(ctx, section)
    ctx.leadins = _leadins(ctx)
    duties: list[Duty] = []
    for index, section in enumerate(doc.sections):
        if section.span[0] in ctx.skip:
            continue
        if ctx.headings.get(index) is not None:
            duties += _heading_duties(ctx, index, ctx.headings[index])
        elif section.style in BULLETS:
            duties += _bullet_duties(ctx, index)
        else:
            duties += _item_duties(ctx, index)
    duties += _sentence_duties(ctx)
    return _trimmed(sorted(_distinct(duties), key=lambda d: d.span[0]))


def _figures_lines(doc: Document) -> set[int]:
    """Starts of an appendix's lines from its unit line ("ĐVT: triệu đồng") to a note under
    the table ("Ghi chú: …") or the appendix's end: a table of figures, no tasks
    (duties.yaml figures_table)."""
    unit, note = _rule("figures_table"), _rule("figures_table", "note")
    found: set[int] = set()
    for start, end in doc.appendices:
        texts = [(line.start, doc.text[line.start : line.end]) for line in doc.lines if start <= line.start < end]
        at = next((i for i, (_, text) in enumerate(texts) if unit.match(text)), None)
        if at is None:
            continue
        for line_start, text in texts[at:]:
            if note.match(text):
                break
            found.add(line_start)
    return found


def _context(doc: Document, issuer: str | None, skip: set[int]) -> _Context:
    kind = doc.header.doc_type_name or doc.layer("document-meta", extract_document).doc_type or ""
    plan = kind in load_model("duties")["plan_types"]
    return _Context(doc, issuer, kind == REPORT, plan, _single_addressee(doc), skip, issuer_short=_issuer_short(issuer))


# --------------------------------------------------------------------------- the outline


def _bullet_subject(ctx: _Context, index: int) -> Subject | None:
    """The body of a bullet that names its own before a colon ("- Chi cục Hải quan nơi vận
    chuyển đi: công chức …", "- Phòng Quản lý Du lịch:" over "+" items). Where no bullet
    is read as a heading (no owning heading above it, in a place whose items assign no
    work), its words are not read for a body (a third of the bullets)."""
    kind = _context_kind(ctx, index)
    if not _has_owning_heading(ctx, index) and (kind is None or (kind == "open" and ctx.plan)):
        return None
    section = ctx.doc.sections[index]
    subject = _heading_subject(ctx, section)
    if subject is None:
        return None
    title_end = section.title_span[1]
    return subject if subject.text_start < title_end or (subject.span[1] < title_end and _has_children(ctx.doc, index)) else None


def _has_owning_heading(ctx: _Context, index: int) -> bool:
    parent = ctx.doc.sections[index].parent
    while parent is not None:
        if ctx.headings.get(parent) is not None:
            return True
        parent = ctx.doc.sections[parent].parent
    return False


def _bullet_duties(ctx: _Context, index: int) -> list[Duty]:
    doc = ctx.doc
    section = doc.sections[index]
    start = section.title_span[0]
    parent = section.parent
    if section.style == "plus" and parent is not None and doc.sections[parent].style == "dash" and ctx.headings.get(parent) is None:
        ctx.used.add(_line_start(doc, start))
        return []  # a detail of the "-" item above it, not a duty of its own
    owner = _owner(ctx, index)
    if owner is not None:
        return [_duty(ctx, section, owner, start)]
    kind = _context_kind(ctx, index)
    if kind is None or (kind == "open" and ctx.plan) or _quoted_line(doc, start):
        return []
    end = _line_end(doc, start)
    subject = _inline_subject(ctx, start, end)
    if subject is not None:
        return [_duty(ctx, section, subject, subject.text_start, end=end)]
    if kind == "own_tasks" and ctx.report and ctx.issuer:
        return [_duty(ctx, section, Subject(ctx.issuer, False, start, (start, start)), start)]
    return []


def _heading_duties(ctx: _Context, index: int, subject: Subject) -> list[Duty]:
    """An agency heading: its words after a colon, and its plain paragraphs, are its duties
    (a bullet's: only its words after the colon)."""
    doc = ctx.doc
    section = doc.sections[index]
    ctx.used.add(section.span[0])
    title_end = max(section.title_span[1], _line_end(doc, subject.span[0]))
    duties = []
    if subject.text_start < title_end and not _rule("past").match(doc.text, subject.text_start):
        duties.append(_duty(ctx, section, subject, subject.text_start, end=title_end))
    if section.style not in BULLETS:
        duties += _paragraph_duties(ctx, index, subject, after=title_end)
    return duties


def _item_duties(ctx: _Context, index: int) -> list[Duty]:
    """A numbered item that names no body in a heading: under an owner it is a duty (or a topic
    whose paragraphs are); elsewhere it is one if it opens with a body and its verb."""
    doc = ctx.doc
    section = doc.sections[index]
    children = _has_children(doc, index)
    unit = _item_unit(doc, section)
    owner = _owner(ctx, index)
    if owner is not None:
        if children:
            return []
        paragraphs = _paragraph_duties(ctx, index, owner)
        title = doc.text[section.title_span[0] : section.title_span[1]]
        if paragraphs and (not title.strip() or _rule("topic").search(title)):
            return paragraphs
        return [_duty(ctx, section, owner, unit[0])] if unit else []
    kind = _context_kind(ctx, index)
    if kind is None or unit is None or _quoted_line(doc, unit[0]):
        return []
    unit = (unit[0], _split_once(ctx, unit[0], unit[1])[0][1])
    subject = _inline_subject(ctx, unit[0], unit[1], item=True)
    if subject is not None:
        if children and doc.text[unit[0] : unit[1]].rstrip().endswith(":") and not _directs(ctx, subject.span[1], unit[1]):
            return []  # a lead-in heading: the items under it are its duties (_owner)
        return [_duty(ctx, section, subject, subject.text_start, end=unit[1] if children else None)]
    if (found := _parenthetical(ctx, unit)) is not None:
        return [_duty(ctx, section, found, unit[0])]
    if kind == "own_tasks" and ctx.report and ctx.issuer and not children:
        issuer = Subject(ctx.issuer, False, unit[0], (unit[0], unit[0]))
        paragraphs = _paragraph_duties(ctx, index, issuer)
        if paragraphs or _container_of(ctx, index) == "own_tasks":
            return paragraphs
        return [_duty(ctx, section, issuer, unit[0])]
    return []


def _has_children(doc: Document, index: int) -> bool:
    return index in _children(doc)


def _children(doc: Document) -> dict[int, list[Section]]:
    """The items directly under each section, in order: read once, not by a pass over the
    outline for every item."""
    return doc.layer("duties.children", _read_children)


def _read_children(doc: Document) -> dict[int, list[Section]]:
    found: dict[int, list[Section]] = {}
    for section in doc.sections:
        if section.parent is not None:
            found.setdefault(section.parent, []).append(section)
    return found


def _item_unit(doc: Document, section: Section) -> Span | None:
    """The item's own words: its title, or the paragraph after a marker alone on its line
    ("1.4." then the task, "Điều 2." then the article)."""
    start, end = section.title_span
    if doc.text[start:end].strip():
        return start, end
    for line in _lines_from(doc, end + 1):
        if line.start > section.span[1]:
            break
        if line.kind == "paragraph":
            return line.start, line.end
    return None


def _line_starts(doc: Document) -> list[int]:
    """The starts of the document's lines, in order (read once)."""
    return doc.layer("duties.line-starts", _read_line_starts)


def _read_line_starts(doc: Document) -> list[int]:
    return [line.start for line in doc.lines]


def _lines_from(doc: Document, offset: int) -> list[Line]:
    """The document's lines that begin at or after ``offset``."""
    starts = _line_starts(doc)
    return doc.lines[bisect.bisect_left(starts, offset) :]


def _owner(ctx: _Context, index: int) -> Subject | None:
    """The nearest enclosing agency heading, through topic sub-headings ("1. Công an tỉnh" >
    "a) Công tác tuyên truyền:" > "- …"), a sub-heading's role cue passed down ("đ) Phối hợp
    với … chỉ đạo, hướng dẫn triển khai:" > "- …"); else a lead-in whose items these are."""
    doc = ctx.doc
    role = None
    parent = doc.sections[index].parent
    while parent is not None:
        subject = ctx.headings.get(parent)
        if subject is not None:
            return Subject(subject.agency, subject.requested, subject.text_start, subject.span, role or subject.role)
        if role is None:
            role = _heading_role(ctx, parent)
        parent = doc.sections[parent].parent
    start = doc.sections[index].span[0]
    for leadin in ctx.leadins:
        if leadin.scope[0] <= start < leadin.scope[1]:
            return leadin.subject
    return _inline_heading(ctx, index)


def _inline_heading(ctx: _Context, index: int) -> Subject | None:
    """An enclosing item whose title is a sentence ending in a colon, with a body and its verb,
    that hands the items under it to that body ("2. Sở Tài chính chủ trì, phối hợp với các sở
    thực hiện các nội dung sau:"). One that directs another body ("III. Cục Hải quan … hướng
    dẫn Chi cục … thực hiện nội dung sau:") is a duty of its own, not its items' owner."""
    doc = ctx.doc
    parent = doc.sections[index].parent
    while parent is not None:
        section = doc.sections[parent]
        start, end = section.title_span
        if doc.text[start:end].rstrip().endswith(":") and _context_kind(ctx, parent) is not None:
            subject = _inline_subject(ctx, start, end, item=True)
            if subject is not None and not _directs(ctx, subject.span[1], end):
                predicate = doc.text[subject.span[1] : end]
                role = "coordinate" if _opening_role(predicate) == "coordinate" else None
                return Subject(subject.agency, subject.requested, subject.text_start, subject.span, role)
        parent = section.parent
    return None


def _directs(ctx: _Context, start: int, end: int) -> bool:
    """The words direct another body ("hướng dẫn Chi cục … thực hiện", "chỉ đạo Sở …")."""
    for found in _rule("directive").finditer(ctx.doc.text, start, end):
        if _starts_with_agency(ctx.doc, found.end(), ctx.doc.text[found.end() : end]):
            return True
    return False


def _heading_role(ctx: _Context, index: int) -> str | None:
    """The role cue of a section's heading, read once: every item under it asks (16 asks
    of 4.5 headings a bench document)."""
    if index not in ctx.roles:
        start, end = ctx.doc.sections[index].title_span
        ctx.roles[index] = _opening_role(ctx.doc.text[start:end])
    return ctx.roles[index]


def _opening_role(text: str) -> str | None:
    """"lead" or "coordinate" when ``text`` opens with that role's words (past a note in
    brackets), else None. The two rules begin with different words: at most one matches."""
    # A text that opens with a letter has no note to pass (_LEAD_NOTE matches nothing before
    # a letter); each role is tried only where the head's first two characters may begin
    # it: 3 regex calls of 0.4 us each were made for every text (18 a document).
    head = text if text[:1].isalpha() else text[_LEAD_NOTE.match(text).end() :]
    roles = _roles()
    if match_start(roles["lead"], head):
        return "lead"
    if match_start(roles["coordinate"], head):
        return "coordinate"
    return None


def _container_kind(doc: Document, section: Section) -> str | None:
    """A title's kind: a pattern is searched only where the title holds its first word
    (pipeline/rules.py, Scan.holds), as nearly every title holds none of them (9 searches
    of 0.5 µs a title)."""
    start, end = section.title_span
    title = doc.text[start:end]
    folded = text_scan(doc).folded
    folded = folded[start:end] if folded is not None else None
    # Scan.holds written out on the title cut once: a rule's word looked for with ``in`` in
    # the folded title (or the title, for a case-sensitive rule), as holds finds it in the
    # folded text between the same offsets; 9 calls of holds cost 4.3 us a title (13
    # titles a bench document).
    for kind in CONTAINER_KINDS:
        for rule in rules_at("duties", "containers", kind):
            within = folded if rule.folded else title
            if within is not None and rule.words:
                for word in rule.words:
                    if word in within:
                        break
                else:
                    continue
            if rule.pattern.search(title):
                return kind
    if _rule("containers", "narrative").match(title):
        return "narrative"
    return None


def _container_of(ctx: _Context, index: int) -> str | None:
    """The container kind of the document's section ``index``, read from its title once:
    every item under it asks again."""
    if index not in ctx.containers:
        ctx.containers[index] = _container_kind(ctx.doc, ctx.doc.sections[index])
    return ctx.containers[index]


def _context_kind(ctx: _Context, index: int | None) -> str | None:
    """How the items of a place in the outline are read: "assign", "own_tasks", "requests"
    (the nearest enclosing section that says so), "open" (any other place of a plan, letter,
    directive or decision) or None (a purpose or narrative section, or a report's account).
    Read once for each section: its items and lines ask again (49 asks of 13 sections a
    bench document)."""
    if index in ctx.kinds:
        return ctx.kinds[index]
    kind = ctx.kinds[index] = _read_context_kind(ctx, index)
    return kind


def _read_context_kind(ctx: _Context, index: int | None) -> str | None:
    doc = ctx.doc
    current = index
    while current is not None and doc.sections[current].style in BULLETS:
        current = doc.sections[current].parent
    while current is not None:
        kind = _container_of(ctx, current)
        if kind == "narrative":
            return None
        if kind:
            return kind
        current = doc.sections[current].parent
    return None if ctx.report else "open"


def _heading_subject(ctx: _Context, section: Section) -> Subject | None:
    """The body a heading names: the whole heading, or its part before a colon. A number
    alone on its line ("4.") has its heading on the next line."""
    doc = ctx.doc
    start, end = section.title_span
    if not doc.text[start:end].strip() and section.style not in BULLETS:
        start, end = _item_unit(doc, section) or (start, end)
    title = doc.text[start:end]
    prefix = _opens("heading_prefix", title)
    offset = prefix.end() if prefix else 0
    requested = bool(prefix and prefix.group("requested"))
    if not _starts_with_agency(doc, start + offset, title[offset:]):
        return None
    colon = _heading_colon(title, offset)
    if prefix and prefix.group("of") and colon != -1:
        verb = None  # "Trách nhiệm của Chi cục Hải quan ban hành Quyết định …:" is one name
    else:  # only a verb before the colon tells: the task's own words follow it
        verb = _rule("verbs").search(title, offset, len(title) if colon == -1 else colon)
    if colon != -1 and (verb is None or colon < verb.start()):
        name_end, text_start = colon, colon + 1
    elif verb is not None or len(title[offset:].split()) > HEADING_MAX_WORDS:
        return None  # a sentence, not a heading: an inline assignment
    else:
        name_end, text_start = len(title), len(title)
    name = agency_name(doc, start + offset, start + name_end)
    if not name:
        return None
    name = _issuer_alias(ctx, name)
    while text_start < len(title) and title[text_start] == " ":
        text_start += 1
    return Subject(name, requested, start + text_start, (start + offset, start + name_end), "requested" if requested else None)


def _heading_colon(title: str, offset: int) -> int:
    """The colon that ends a heading's name, past the colons that list bodies inside it
    ("Trung tâm: Văn hóa, Thông tin - Thể thao …", "Giám đốc các Sở: Tài chính, Y tế")."""
    colon = title.find(":", offset)
    while colon != -1 and _colon_inside_name(title, offset, colon):
        colon = title.find(":", colon + 1)
    return colon


def _colon_inside_name(title: str, offset: int, colon: int) -> bool:
    """"Giám đốc các Sở: Tài chính, Y tế …" and "Trung tâm: Văn hóa, Thông tin …" list bodies
    after the colon; "… tỉnh: Vận động Nhân dân …" begins the task there."""
    after = title[colon + 1 :].strip()
    if not after[:1].isupper() or _rule("verbs").match(" " + after[:1].lower() + after[1:]):
        return False
    if _rule("colon_list").search(title[offset:colon]) or _rule("colon_list", "names").match(after):
        return True
    return _rule("verbs").search(title, colon) is None and ":" not in after


def requested_prefix(text: str) -> int:
    """Length of an opening "Đề nghị"/"Kiến nghị" (the issuer cannot command that body), 0 if none."""
    found = _opens("heading_prefix", text)
    return found.end() if found and found.group("requested") else 0


def _starts_with_agency(doc: Document, position: int, text: str) -> bool:
    return mention_at(doc, position) is not None or bool(_opens("subject_head", text.lstrip("*( ")))


def agency_name(doc: Document, start: int, end: int) -> str:
    """The agency words at ``doc.text[start:end]``, notes in parentheses dropped, acronyms expanded."""
    raw = doc.text[start:end]
    cleaned = _NOTE.sub("", raw).strip(" :;,.*")
    if not cleaned:
        return ""
    found = mention_at(doc, start)
    if found and _NOTE.sub("", doc.text[found.span[1] : end]).strip(" :;,.") == "":
        return _unaliased(doc, found.name.name)
    expanded = _unaliased(doc, canonical_name(cleaned).name)
    return expanded[:1].upper() + expanded[1:]


_PAREN = regex.compile(r"\(\s*(?:sau\s+đây\s+(?:gọi|viết)\s+tắt\s+là\s*|gọi\s+tắt\s+là\s*|viết\s+tắt\s+là\s*)?([^()\n]{2,40}?)\s*\)", regex.IGNORECASE)
_ABBREVIATION = regex.compile(r"(?-i)^[\p{Lu}]{2,}\d*$")
_LETTERS_BACK = regex.compile(r"\p{L}+", regex.REVERSE)


def _aliases(doc: Document) -> list[tuple[str, str]]:
    """Short names the document defines in brackets after the full one: "khu vực giám sát
    hải quan (KVGS)", "Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1 (Chi cục HQCK cảng
    SGKV 1)", "Cục Đổi mới sáng tạo, … (Cục ĐCK)"."""
    found = []
    for paren in _PAREN.finditer(doc.text):
        short = " ".join(paren.group(1).split())
        tokens = short.split()
        if len(tokens) > 6 or not any(_ABBREVIATION.match(token) for token in tokens):
            continue
        before = doc.text[max(0, paren.start() - 200) : paren.start()]
        full = _initials_run(before, tokens[0]) if len(tokens) == 1 else _head_run(before, tokens)
        if full and fold(full) != fold(short):
            found.append((short, full))
    return found


def _initials_run(before: str, abbreviation: str) -> str | None:
    """The words just before a bracket whose initials spell the abbreviation ("khu vực giám sát")."""
    words = _last_words(before, len(abbreviation) + 4)
    letters = abbreviation.upper()
    for end in range(len(words), len(letters) - 1, -1):
        run = words[end - len(letters) : end]
        if "".join(word[0].upper() for word in run) == letters:
            return " ".join(run)
    return None


def _last_words(text: str, count: int) -> list[str]:
    """The last ``count`` runs of letters of ``text``, in order, read back from its end: not
    all forty-odd of the 200 characters before a bracket (14 -> 8 us a call)."""
    return [word.group() for word in itertools.islice(_LETTERS_BACK.finditer(text), count)][::-1]


def _head_run(before: str, tokens: list[str]) -> str | None:
    """The full name a short one stands for, from its head words back ("Chi cục …", "Cục …")."""
    head = []
    for token in tokens:
        if _ABBREVIATION.match(token):
            break
        head.append(token)
    if not head:
        return None
    starts = [found.start() for found in regex.finditer(rf"(?<!\p{{L}}){regex.escape(' '.join(head))}(?!\p{{L}})", before, regex.IGNORECASE)]
    if not starts:
        return None
    full = " ".join(before[starts[-1] :].split()).strip(" ,;:")
    return full if len(full.split()) <= 20 else None


def _unaliased(doc: Document, name: str) -> str:
    for short, full in doc.layer("duties.aliases", _aliases):
        if short in name:
            name = regex.sub(rf"(?<!\p{{L}}){regex.escape(short)}(?![\p{{L}}\d])", full, name)
    return name


# --------------------------------------------------------------------------- inline assignments


def _inline_subject(ctx: _Context, start: int, end: int, item: bool = False) -> Subject | None:
    """The body an item or sentence assigns work to, when it opens with it: "X verb …",
    "Giao X verb …", "Đề nghị X verb …", "[issuer] yêu cầu X verb …", or any of these after
    a clause ("Căn cứ Kế hoạch này, X verb …") or a note's label ("Ghi chú: X phải …").
    Where the words begin: at "Giao"/"Đề nghị", at the issuer of an item, at the clause, at
    X in a sentence; after X in an item ("Điều 3. X chịu trách nhiệm …"), after the issuer's
    "yêu cầu X" that follows a clause, after the colon of "Đề nghị X: …"."""
    doc = ctx.doc
    text = doc.text[start:end]
    if note := _opens("note_label", text):
        start += note.end()
        text = text[note.end() :]
    found = _subject_after(ctx, start, end, 0, item=item)
    if found is not None:
        return found
    clause = _opens("clause_opener", text)
    if clause is None:
        return None
    previous = clause.end()
    for comma in _CLAUSE_END.finditer(text):
        if comma.start() < clause.end():
            continue
        if _passive_agents(doc, start + previous, start + comma.start()):
            return None  # a passive's agents ("… đã được các cấp, các ngành quan tâm …")
        if _rule("request").search(text, 0, comma.start()) or _rule("mandate").search(text, 0, comma.start()):
            return None  # the sentence is a request or order: read as one (_sentence_duty)
        previous = comma.end()
        following = text[comma.end() : comma.end() + 8]
        if not (following[:1].isupper() or _PLURAL.match(following)):
            continue  # a subject after a clause opens with a capital or "các"
        found = _subject_after(ctx, start, end, comma.end(), text_from=start)
        if found is not None:
            return found
    return None


def _passive_agents(doc: Document, start: int, end: int) -> bool:
    """A passive whose agents are listed ("được các cấp, các ngành …"): a body after the next
    comma is one more agent, not a subject."""
    for found in _PASSIVE.finditer(doc.text[start:end]):
        if _starts_with_agency(doc, start + found.end(), doc.text[start + found.end() : end]):
            return True
    return False


def _subject_after(ctx: _Context, start: int, end: int, cursor: int, text_from: int | None = None, item: bool = False) -> Subject | None:
    """A subject at ``cursor`` (an offset into ``doc.text[start:end]``); ``text_from`` is the
    start of a clause that opens the sentence."""
    doc = ctx.doc
    text = doc.text[start:end]
    head = cursor
    requested = ordered = assigned = False
    issuer = _opens("issuer_subject", text[cursor:])
    mandate = _rule("mandate").match(text[cursor + issuer.end() :]) if issuer else None
    if issuer and mandate:
        cursor += issuer.end() + mandate.end()
        ordered = True
    elif prefix := _opens("heading_prefix", text[cursor:]):
        requested = bool(prefix.group("requested"))
        assigned = not requested
        cursor += prefix.end()
    found = _agency_and_verb(ctx, start + cursor, end, ordered or requested or assigned)
    if found is None:
        return None
    name, name_end, _ = found
    if _labels(doc, name_end):
        text_start = _after(doc, name_end)  # "Đề nghị X: task": the task after the colon
    elif requested or assigned:
        text_start = start + head
    elif ordered:
        text_start = _after(doc, name_end) if text_from is not None else start + head
    elif text_from is not None:
        text_start = text_from
    else:  # an item's words begin after its body's name ("Điều 3. X chịu trách nhiệm …"); a sentence's with it
        text_start = _after(doc, name_end) if item else start + cursor
    role = "requested" if requested else None
    return Subject(name, requested, text_start, (start + cursor, name_end), role, assigned or (ordered and text_start < start + cursor))


def _agency_and_verb(ctx: _Context, position: int, end: int, ordered: bool = False) -> tuple[str, int, int] | None:
    """(name, end of the name, start of the verb) when ``position`` opens a body's name
    followed by a duty verb: a reference to the addressee ("Công ty", "Quý Sở") is that body.
    A body named after an order or request may also "thông báo", "ban hành" (``ordered``).
    Read once per place: an item's words are read again as a sentence (a third of the calls)."""
    key = (position, end, ordered)
    if key not in ctx.subjects:
        ctx.subjects[key] = _read_agency_and_verb(ctx, position, end, ordered)
    return ctx.subjects[key]


def _read_agency_and_verb(ctx: _Context, position: int, end: int, ordered: bool) -> tuple[str, int, int] | None:
    doc = ctx.doc
    text = doc.text[position:end]
    # Whether a body's name opens the words is asked first where no reference to the
    # addressee can stand for one (_addressee_reference): 3 places in 4 open none.
    addressed = ordered and ctx.addressee is not None
    if not addressed and not _starts_with_agency(doc, position, text):
        return None
    verb = _rule("verbs").search(text)
    if ordered and (order := _rule("stop_verbs", "order_verbs").search(text)) and (verb is None or order.start() < verb.start()):
        verb = order
    colon = _heading_colon(text[: verb.start()] if verb else text, 0)
    if colon != -1 and not text[colon + 1 :].strip():
        colon = -1  # "… như sau:" ends a sentence, it names no task
    if verb is None and colon == -1:
        return None
    if verb is not None and " được " in text[: verb.start()] and (strong := _rule("strong_verbs").search(text)):
        verb = strong  # "X được giao nhiệm vụ thực hiện … phải …": the relative clause's verbs are X's name
    # "Liên đoàn Lao động tỉnh: Chỉ đạo …": a colon ends the name, the task follows it
    raw = text[:colon] if colon != -1 else text[: verb.start()]
    verb_start = position + (colon + 1 if colon != -1 else verb.start())
    lists = any(mark in raw for mark in (",", ";", " và "))
    if _breaks(doc, position, position + len(raw)) or _rule("narrative").search(raw) or _rule("generic_target").match(raw):
        return None
    if len(raw.split()) > (LIST_MAX_WORDS if lists else SUBJECT_MAX_WORDS):
        return None
    qualifier = _rule("subject_end").search(raw)
    name_end = position + (qualifier.start() if qualifier else len(raw.rstrip(" ,")))
    if _rule("stop_verbs").search(doc.text, position, name_end):
        return None
    reference = _addressee_reference(ctx, doc.text[position:name_end]) if ordered else None
    if reference is not None:  # "đề nghị Công ty …", "đề nghị địa phương …": the addressee
        return reference, name_end, verb_start
    if (addressed and not _starts_with_agency(doc, position, text)) or (len(raw.split()) < 2 and mention_at(doc, position) is None):
        return None  # no body's name (asked above unless addressed); a bare "Cục", "Sở": the issuer speaking of itself
    name = _issuer_alias(ctx, agency_name(doc, position, name_end))
    return (name, name_end, verb_start) if name else None


def _breaks(doc: Document, start: int, end: int) -> bool:
    """A paragraph begins between ``start`` and ``end``: a subject does not run over it."""
    starts = _line_starts(doc)
    found = bisect.bisect_right(starts, start)
    return found < len(starts) and starts[found] < end


def _issuer_short(issuer: str | None) -> regex.Pattern | None:
    """The issuer's short name (its words before "về" or a dash, three or more) with the
    code that may follow it, as a pattern; None for an issuer without one. Built once per
    document: every name a duty is owed by is read against it."""
    if not issuer:
        return None
    short = _TOPIC_CUT.split(issuer, maxsplit=1)[0]
    if short == issuer or len(short.split()) < 3:
        return None
    return regex.compile(rf"(?<!\p{{L}}){regex.escape(short)}(?:\s+\d+[\p{{L}}\d]*)?(?!\p{{L}})", regex.IGNORECASE)


def _issuer_alias(ctx: _Context, name: str) -> str:
    """A steering committee's short name with its code ("Ban Chỉ đạo quốc gia 1237") written
    as the issuer's full name, in a document it issued."""
    if ctx.issuer_short is None or not name:
        return name
    found = ctx.issuer_short.search(name)
    if found is None or fold(name) == fold(ctx.issuer):
        return name
    return name[: found.start()] + ctx.issuer + name[found.end() :]


def _labels(doc: Document, offset: int) -> bool:
    """A colon right after the body's name: "Đề nghị X: task" reads like a heading, its task
    is the words after the colon."""
    return ":" in doc.text[offset : _after(doc, offset)]


def _after(doc: Document, offset: int) -> int:
    """The first word after a body's name (past spaces, commas and a note in brackets)."""
    return _GAP.match(doc.text, offset).end()


def _parenthetical(ctx: _Context, unit: Span) -> Subject | None:
    """"… ban hành Quy chế (Giao Công an tỉnh chủ trì, phối hợp với …)": the body in brackets."""
    doc = ctx.doc
    found = _rule("parenthetical").search(doc.text, unit[0], unit[1])
    if found is None:
        return None
    body_start = found.start("body")
    if not _starts_with_agency(doc, body_start, found.group("body")):
        return None
    name = agency_name(doc, body_start, found.end("body"))
    if not name:
        return None
    requested = bool(found.group("word")) and not found.group("word").lower().startswith("giao")
    role = "coordinate" if found.group("verb").lower().startswith("phối") else "lead"
    return Subject(name, requested, unit[0], (body_start, found.end("body")), "requested" if requested else role)


# --------------------------------------------------------------------------- letters: addressees, lead-ins


def _single_addressee(doc: Document) -> str | None:
    """The one body a letter is addressed to ("Kính gửi: Sở Công Thương tỉnh Lào Cai"), if one:
    the header's addressee line, or a "Kính gửi" line that opens the body."""
    span = doc.header.addressees
    if span is None:
        first = next((line for line in doc.lines if doc.body and line.start >= doc.body[0] - 1 and line.kind != "blank"), None)
        span = (first.start, first.end) if first and _ADDRESSEE_LABEL.match(doc.text[first.start : first.end]) else None
    if span is None:
        return None
    text = _ADDRESSEE_LABEL.sub("", doc.text[span[0] : span[1]])
    items = [_NOTE.sub("", item).strip(" -–+•;.,") for item in _ADDRESSEE_SPLIT.split(text)]
    items = [item for item in items if item]
    if len(items) != 1:
        return None
    name = canonical_name(items[0]).name
    return name[:1].upper() + name[1:]


def _addressee_reference(ctx: _Context, words: str) -> str | None:
    """The addressee when ``words`` stand for it: "Công ty", "Quý Sở", "địa phương", "các
    đồng chí Giám đốc Sở" (the start of its name, or a word for any addressee)."""
    if ctx.addressee is None:
        return None
    key = fold(_REFERENCE_NOISE.sub("", words.strip(" ,")))
    if not key:
        return None
    name = fold(ctx.addressee)
    if key in ADDRESSEE_WORDS or name == key or name.startswith(key + " "):
        return ctx.addressee
    return None


def _leadins(ctx: _Context) -> list[_LeadIn]:
    """Sentences ending in a colon that hand the items after them to a body; such a lead-in
    owns those items only when none of them is headed by a body of its own."""
    doc = ctx.doc
    found = []
    for line in _body_lines(ctx):
        text = doc.text[line.start : line.end]
        if not text.rstrip().endswith(":"):
            continue
        section = _innermost(doc, line.start)
        if section is not None and doc.sections[section].span[0] == line.start and line.kind != "paragraph":
            continue  # an item's own title is a heading, read by _heading_subject
        scope = (line.end, doc.sections[section].span[1] if section is not None else (doc.body or (0, len(doc.text)))[1])
        subject = _announcing_subject(ctx, line)
        for match in _rule("leadin").finditer(text) if subject is None else ():
            subject = _leadin_target(ctx, line.start + match.start("rest"), line.end, match.group("word"))
            if subject is not None:
                break
        if subject is not None and not _headed_items(ctx, scope):
            found.append(_LeadIn(subject, scope))
    return found


def _announcing_subject(ctx: _Context, line: Line) -> Subject | None:
    """"…, Chi cục Hải quan cửa khẩu xuất cũ thực hiện:", "Sở Y tế thực hiện các nhiệm vụ
    sau:": a body whose only predicate announces the items after it."""
    subject = _inline_subject(ctx, line.start, line.end)
    if subject is None or subject.requested or subject.assigned:
        return None
    predicate = ctx.doc.text[_after(ctx.doc, subject.span[1]) : line.end].rstrip().rstrip(":")
    return subject if _rule("pure_leadin").match(predicate) else None


def _leadin_target(ctx: _Context, position: int, end: int, word: str) -> Subject | None:
    """The body a lead-in names after its "đề nghị"/"yêu cầu"/"giao", with or without a verb."""
    doc = ctx.doc
    requested = not fold(word).startswith(("giao", "yêu"))
    found = _agency_and_verb(ctx, position, end, ordered=True)
    if found is not None:
        name, name_end = found[0], found[1]
    else:
        name_end = position + len(doc.text[position:end].rstrip(" :"))
        words = doc.text[position:name_end]
        name = _addressee_reference(ctx, words) or ""
        if not name and _starts_with_agency(doc, position, words) and len(words.split()) <= SUBJECT_MAX_WORDS:
            name = agency_name(doc, position, name_end)
    if not name:
        return None
    return Subject(name, requested, name_end, (position, name_end), "requested" if requested else None)


def _headed_items(ctx: _Context, scope: Span) -> bool:
    return any(subject is not None and scope[0] <= ctx.doc.sections[index].span[0] < scope[1] for index, subject in ctx.headings.items())


def _innermost(doc: Document, offset: int) -> int | None:
    """The last numbered section (not a bullet) that holds ``offset``. Sections are in text
    order, so it is the nearest, going back from the last that begins at or before it, that
    still holds it (not a pass over the whole outline for every line)."""
    starts, numbered = doc.layer("duties.numbered", _numbered)
    for at in range(bisect.bisect_right(starts, offset) - 1, -1, -1):
        index, end = numbered[at]
        if offset <= end:
            return index
    return None


def _numbered(doc: Document) -> tuple[list[int], list[tuple[int, int]]]:
    """The starts of the numbered sections, and (index, end) of each."""
    numbered = [(index, section) for index, section in enumerate(doc.sections) if section.style not in BULLETS]
    return [section.span[0] for _, section in numbered], [(index, section.span[1]) for index, section in numbered]


# --------------------------------------------------------------------------- sentences


def _sentence_duties(ctx: _Context) -> list[Duty]:
    """Requests and orders inside sentences, and sentences that open with a body and its
    verb, in the lines no other duty holds."""
    doc = ctx.doc
    duties: list[Duty] = []
    lines = _body_lines(ctx)
    for number, line in enumerate(lines):
        if line.start in ctx.used or _quoted_line(doc, line.start):
            continue
        section = _innermost(doc, line.start)
        kind = _context_kind(ctx, section) if section is not None else (None if ctx.report else "open")
        start = line.start
        if section is not None and doc.sections[section].span[0] == line.start:
            start = doc.sections[section].title_span[0]
        if (line.kind == "bullet" and kind == "open" and ctx.plan) or _in(doc.opening, line.start) or _owned(ctx, line.start):
            kind = None  # no sentence that opens with a body is read here (requests still are)
        trailing = number == len(lines) - 1 and number > 0 and not _heads(ctx, lines[number - 1], section)
        for begin, stop in _split_once(ctx, start, line.end):
            duty = _sentence_duty(ctx, line, (begin, stop), kind, section, trailing)
            if duty is not None:
                duties.append(duty)
    return duties


def _heads(ctx: _Context, line: Line, section: int | None) -> bool:
    """The line is the title of ``section`` and no duty of its own: the paragraph after it is
    the item's own words ("3. Tổ chức thực hiện" > "Thủ trưởng các sở … chịu trách nhiệm …")."""
    return section is not None and ctx.doc.sections[section].span[0] == line.start and line.start not in ctx.used


def _sentence_duty(ctx: _Context, line: Line, sentence: Span, kind: str | None, section: int | None, trailing: bool) -> Duty | None:
    doc = ctx.doc
    begin, stop = sentence
    text = doc.text[begin:stop]
    scan = text_scan(doc)
    own_act = scan.holds(rules_at("duties", "own_act")[0], begin, stop) and _rule("own_act").search(text)
    if _opens("closing_opener", text) or own_act or _rule("recipient_entry").search(text):
        return None
    path = doc.sections[section].path if section is not None else None
    if kind is not None and not _in_quotes(doc, line, begin) and not _opens("not_task", text):
        subject = _inline_subject(ctx, begin, stop)
        if subject is not None and _assigns(ctx, subject, stop, trailing):
            return _sentence(ctx, path, subject, stop)
    for rule in ("request", "mandate"):
        if not scan.holds(rules_at("duties", rule)[0], begin, stop):
            continue
        for found in _rule(rule).finditer(text):
            at = begin + found.start("word")
            if _in_quotes(doc, line, at) or _rule("conditional").search(text[: found.start()]) or not _opens_clause(doc, begin, at):
                continue
            target = _agency_and_verb(ctx, begin + found.end(), stop, ordered=True)
            if target is None:
                continue
            name, name_end, _ = target
            requested = rule == "request"
            assigned = not requested and fold(found.group("word")).startswith("giao")
            text_start = at if (requested or assigned) and not _labels(doc, name_end) else _after(doc, name_end)
            subject = Subject(name, requested, text_start, (begin + found.end(), name_end), "requested" if requested else None, assigned)
            if _assigns(ctx, subject, stop, trailing):
                return _sentence(ctx, path, subject, stop)
    return None


def _opens_clause(doc: Document, begin: int, at: int) -> bool:
    """A request or order that opens its sentence or clause ("Do đó, đề nghị …"), or follows
    its issuer ("Bộ yêu cầu …"), not one inside a task ("… tham mưu UBND tỉnh kiến nghị …")."""
    before = doc.text[begin:at]
    cut = max(before.rfind(","), before.rfind(":"), before.rfind(";"))
    words = before[cut + 1 :].strip()
    if not words:
        return True
    return bool(_rule("issuer_subject").match(words + " yêu cầu")) or fold(words) in ("trong đó", "đồng thời")


def _assigns(ctx: _Context, subject: Subject, stop: int, trailing: bool) -> bool:
    """Not a conditional closing, not a boilerplate closing (the document's last paragraph
    after its items), not a lead-in that only announces the items after it, not the issuer
    describing its own act."""
    doc = ctx.doc
    predicate = doc.text[_after(doc, subject.span[1]) : stop]
    before = doc.text[max(0, subject.text_start - 200) : subject.span[0]]
    if _rule("conditional").search(before[before.rfind(".") + 1 :]):
        return False
    if trailing and _rule("boilerplate").match(predicate.split(";")[0]):
        return False
    if predicate.rstrip().endswith(":") and _rule("pure_leadin").match(predicate.rstrip().rstrip(":")):
        return False
    return not (ctx.issuer and fold(subject.agency) == fold(ctx.issuer))


def _sentence(ctx: _Context, path: str | None, subject: Subject, stop: int) -> Duty:
    doc = ctx.doc
    text = _one_line(doc.text[subject.text_start : stop])
    return Duty(
        agency=subject.agency,
        section=path or None,
        role=_role(doc, subject, subject.text_start, stop),
        text=text,
        span=(subject.text_start, subject.text_start + len(doc.text[subject.text_start : stop].rstrip())),
        co_agencies=_co_agencies(doc, subject.text_start, stop, subject.agency),
    )


def _in(span: Span | None, offset: int) -> bool:
    return span is not None and span[0] <= offset < span[1]


def _owned(ctx: _Context, offset: int) -> bool:
    """Inside the items a lead-in hands to one body."""
    return any(_in(leadin.scope, offset) for leadin in ctx.leadins)


def _split_once(ctx: _Context, start: int, end: int) -> list[Span]:
    """_sentences of a place, split once: an item's title is split for its first sentence
    and again as a line of the sentences (a fifth of the splits of a bench document)."""
    if (start, end) not in ctx.sentences:
        ctx.sentences[start, end] = _sentences(ctx.doc, start, end)
    return ctx.sentences[start, end]


def _sentences(doc: Document, start: int, end: int) -> list[Span]:
    """The sentences of a line: it breaks after ".", "!" or "?" before a capital, and before a
    capitalised clause opener that a copy glued to the heading before it ("… tại cùng một cửa
    khẩu Sau khi tờ khai …")."""
    breaks = []
    for found in _sentence_breaks().finditer(doc.text, max(0, start - 1), end):
        if found.group("lost") is None:
            breaks.append((found.start(), found.end()))
        elif found.start() >= start:  # lost breaks from ``start`` on; stops a character early
            breaks.append((found.start(), found.start()))
    spans = []
    cursor = start
    for stop, resume in breaks:
        if stop > cursor:
            spans.append((cursor, stop))
            cursor = resume
    spans.append((cursor, end))
    return spans


@functools.cache
def _sentence_breaks() -> regex.Pattern:
    """_SENTENCE and the lost_break rule as one alternation, ``lost`` the second: a line is
    scanned once, not twice, and on a line most of a scan's cost is the call (7 -> 4 µs).
    Their matches never meet, so the alternation finds both rules' matches in text order: a
    stop's match is white space after ".", "!" or "?"; a lost break is the place of a capital
    after white space that a lower-case letter comes before."""
    lost = _rule("lost_break")
    return regex.compile(rf"(?-i:{_SENTENCE.pattern})|(?P<lost>{lost.pattern})", lost.flags)


def _body_lines(ctx: _Context) -> list[Line]:
    """The lines of the opening, the body and the appendices that are text, not table rows
    (read by three finders: kept on the context)."""
    if ctx.body_lines is None:
        doc = ctx.doc
        regions = list(doc.appendices)
        if doc.body:
            regions.append((doc.opening[0] if doc.opening else doc.body[0], doc.body[1]))
        ctx.body_lines = [
            line
            for line in doc.lines
            if line.kind not in ("row", "blank") and line.start not in ctx.skip and _within(line.start, regions)
        ]
    return ctx.body_lines


def _within(offset: int, regions: list[Span]) -> bool:
    for start, end in regions:
        if start <= offset < end:
            return True
    return False


def _line_end(doc: Document, start: int) -> int:
    starts = _line_starts(doc)
    found = bisect.bisect_right(starts, start) - 1
    return doc.lines[found].end if found >= 0 else len(doc.text)


def _quoted_line(doc: Document, start: int) -> bool:
    """A line of a cited text: it opens with a quotation mark."""
    return doc.text[start : start + 2].lstrip()[:1] in ("“", '"')


def quote_spans(text: str) -> list[Span]:
    """The spans of the quoted passages, as the alternation of the _QUOTES patterns finds them."""
    return [match.span() for match in earliest_each([functools.partial(quote.search, text) for quote in _QUOTES])]


def _document_quotes(doc: Document) -> list[Span]:
    return quote_spans(doc.text)


def _in_quotes(doc: Document, line: Line, offset: int) -> bool:
    """Inside a quotation: cited law text, which may run over several lines."""
    spans = doc.layer("duties.quotes", _document_quotes)
    index = bisect.bisect_right(spans, (offset, len(doc.text))) - 1
    return index >= 0 and spans[index][0] < offset < spans[index][1]


# --------------------------------------------------------------------------- duties


def _paragraph_duties(ctx: _Context, index: int, subject: Subject, after: int | None = None) -> list[Duty]:
    """Plain paragraphs under a heading, before its first child item: one duty each."""
    doc = ctx.doc
    section = doc.sections[index]
    children = _children(doc).get(index, [])
    limit = children[0].span[0] if children else section.span[1]
    after = section.title_span[1] if after is None else after
    duties = []
    for line in _lines_from(doc, after + 1):
        if line.start >= limit:
            break
        if line.kind == "paragraph" and line.start not in ctx.skip:
            content = doc.text[line.start : line.end]
            if MARKER_ALONE.match(content):
                break  # a number alone on its line begins the next item
            if children and content.rstrip().endswith(":"):
                ctx.used.add(line.start)  # it introduces the items below: they are the duties
                continue
            if _rule("conditional").search(content[:80]) or _opens("closing_opener", content) or _opens("not_task", content):
                continue
            if _rule("closing_request").search(content) and line.start == _last_body_line(ctx):
                continue
            duties.append(_duty(ctx, section, subject, line.start, end=line.end))
    return duties


def _last_body_line(ctx: _Context) -> int | None:
    lines = _body_lines(ctx)
    return lines[-1].start if lines else None


def _duty(ctx: _Context, section: Section, subject: Subject, start: int, end: int | None = None) -> Duty:
    doc = ctx.doc
    stop = section.span[1] if end is None else end
    if section.style in BULLETS:
        stop = min(stop, _next_item_start(doc, section, stop))
    stop = min(stop, _next_row_start(doc, start, stop))
    ctx.used.add(_line_start(doc, start))
    text = _one_line(doc.text[start:stop])
    return Duty(
        agency=subject.agency,
        section=section.path or None,
        role=_role(doc, subject, start, stop),
        text=text,
        span=(start, start + len(doc.text[start:stop].rstrip())),
        co_agencies=_co_agencies(doc, start, stop, subject.agency),
    )


def _one_line(text: str) -> str:
    """A duty's words on one line with single spaces: split and joined, three times faster
    than WHITESPACE_RUN's substitution and the same but where a separator \x1c-\x1f stands."""
    # A printable text holds no white space but the space (every other white space character
    # is a control or a separator, which str.isprintable refuses: tests/extract/
    # test_duties_fast_paths.py); without two spaces in a row it is on one line already and
    # only its ends are trimmed. 94% of the duties of the bench documents: 80.7 -> 20.7 us a
    # document (split and join make a string of each word).
    if text.isprintable() and "  " not in text:
        return text.strip()
    # The separators \x1c-\x1f: str.split() breaks at them, WHITESPACE_RUN (regex's \s) does
    # not. Four substring tests cost a sixth of a regex scan for them.
    if "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text:
        return WHITESPACE_RUN.sub(" ", text).strip()
    return " ".join(text.split())


def _line_start(doc: Document, offset: int) -> int:
    starts = _line_starts(doc)
    found = bisect.bisect_right(starts, offset) - 1
    return starts[found] if found >= 0 else offset


def _role(doc: Document, subject: Subject, start: int, stop: int) -> str:
    """Requested for "Đề nghị"; else the duty's own first words ("Chủ trì", "Phối hợp"), read
    after the body's name when it opens with it; else the role its heading gives."""
    if subject.requested:
        return "requested"
    gap = doc.text[subject.span[1] : start] if subject.span[1] <= start else ""
    inline = subject.span[0] < start and ":" not in gap and "\n" not in gap
    words = doc.text[subject.span[0] if inline else start : stop]  # "X phối hợp …" begins with X
    return _opening_role(words) or (subject.role if subject.role in ("lead", "coordinate") else "lead")


def _section_starts(doc: Document) -> list[int]:
    return sorted(section.span[0] for section in doc.sections)


def _next_item_start(doc: Document, section: Section, default: int) -> int:
    """A bullet ends where the next item of any kind begins."""
    starts = doc.layer("duties.section-starts", _section_starts)
    found = bisect.bisect_right(starts, section.span[0])
    return starts[found] - 1 if found < len(starts) else default


def _row_starts(doc: Document) -> list[int]:
    return [line.start for line in doc.lines if line.kind == "row"]


def _next_row_start(doc: Document, start: int, default: int) -> int:
    """A duty's words stop before a table that follows them (rows are duties of their own,
    pipeline/extract/tables.py)."""
    starts = doc.layer("duties.row-starts", _row_starts)
    found = bisect.bisect_right(starts, start)
    return min(default, starts[found] - 1) if found < len(starts) else default


def _distinct(duties: list[Duty]) -> list[Duty]:
    """One duty per place: the first found where two finders read the same words."""
    seen: set[int] = set()
    kept = []
    for duty in duties:
        if duty.span[0] not in seen:
            seen.add(duty.span[0])
            kept.append(duty)
    return kept


def _trimmed(duties: list[Duty]) -> list[Duty]:
    """A duty's span ends where the next duty's words begin, so a date is owed by one duty."""
    for duty, following in zip(duties, duties[1:]):
        if duty.span[0] < following.span[0] < duty.span[1]:
            duty.span = (duty.span[0], following.span[0] - 1)
    return duties


def _co_agencies(doc: Document, start: int, end: int, own: str) -> list[str]:
    """The bodies listed right after each "phối hợp với" of the duty, canonical, not its own."""
    gap = _rule("co_agencies", "gap")
    names: list[str] = []
    for cue in text_scan(doc).finditer_each(rules_at("duties", "co_agencies", "cue"), start, end):
        cursor = cue.end()
        for mention in mentions_between(doc, cursor, end):
            if not gap.fullmatch(doc.text, cursor, mention.span[0]):
                break
            cursor = mention.span[1]
            if mention.name.name != own and mention.name.name not in names:
                names.append(mention.name.name)
    return names
