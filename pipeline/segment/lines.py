"""From pages as read to normalised logical lines.

PDF text arrives broken at the page's right margin, with page numbers and running headers
mixed in. This module drops the furniture and rejoins broken lines into paragraphs while
headings and bullets stay their own lines. The header and the closing block (recipients,
signature) are kept line by line: their line breaks carry meaning.

No library does this for Vietnamese administrative text (it needs the genre's outline
markers and anchor lines), hence the hand-written rules, which live in models/segment.yaml.
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter
from dataclasses import dataclass

import regex

from pipeline.records import PLAIN, Layout, Line, RawDocument
from pipeline.rules import compiled, load_model, match_start
from pipeline.segment.outline import MARKER_ALONE, Markers

TAIL = 16
CELL_SEPARATOR = " | "  # how ingest joins the cells of a table row into one line


@dataclass(slots=True)  # made for every line read: 0.35 -> 0.28 µs with slots
class PhysicalLine:
    text: str
    page: int
    layout: Layout = PLAIN


def _rules() -> dict:
    return load_model("segment")


@functools.cache
def _furniture() -> tuple[int, regex.Pattern]:
    """Page furniture (page numbers, running headers): the longest a line of it is, and its pattern."""
    rules = _rules()["page_furniture"]
    return rules["max_length"], regex.compile("|".join(f"(?:{p})" for p in rules["patterns"]), regex.IGNORECASE)


def physical_lines(raw: RawDocument) -> list[PhysicalLine]:
    """Non-blank lines of every page (normalised by ingest), without page numbers or running headers."""
    pages: list[list[PhysicalLine]] = []
    longest, furniture = _furniture()
    for page in raw.pages:
        pages.append(
            [
                PhysicalLine(line.text, page.number, line.layout)
                for line in page.lines
                if line.text and not (len(line.text) <= longest and match_start(furniture, line.text, 1))
            ]
        )
    running = _running_headers(pages)
    if running:
        pages = [[line for i, line in enumerate(page) if not _is_edge(i, page) or _digits_folded(line.text) not in running] for page in pages]
    return [line for page in pages for line in page]


# A sub-item's number at the end of its parent's heading line ("2. Nâng cao … 2.1."), as
# crawled copies glue them: the number extends the heading's own ("2." -> "2.1.").
_TRAILING_SUBITEM = regex.compile(r"^(?P<parent>\d{1,2})\.\s.*\S\s+(?P<marker>(?P=parent)\.\d{1,2}\.?)$")


def place_lone_markers(lines: list[PhysicalLine]) -> list[PhysicalLine]:
    """An item's number printed on a line of its own ("2.2.", its text on the next line) or
    glued at the end of the heading above, put at the start of the item's text, where the
    outline reads it."""
    out: list[PhysicalLine] = []
    pending = ""  # a number waiting for its item's text
    for line in lines:
        text = line.text
        if pending:
            text, pending = f"{pending} {text}", ""
        # Both patterns begin with a digit or a Roman numeral: most lines are passed over
        # unread. A trailing number ends its line, which its pattern, reading the line to its
        # end and back, is slow to find out.
        head = text.lstrip()[:1]
        trailing = _TRAILING_SUBITEM.match(text) if head.isdigit() and _ends_in_number(text) else None
        if trailing:
            text, pending = text[: trailing.start("marker")].rstrip(), trailing["marker"]
        elif (head.isdigit() or head in ("I", "V", "X")) and MARKER_ALONE.match(text) and line is not lines[-1]:
            pending = text.strip()
            continue
        out.append(line if text is line.text else PhysicalLine(text, line.page, line.layout))
    return out


def _ends_in_number(text: str) -> bool:
    """Whether a line ends as _TRAILING_SUBITEM's marker must: a digit, a full stop after it
    allowed (and, for its "$", a final line break)."""
    text = text.removesuffix("\n").removesuffix(".")
    return text[-1:].isdigit()


def mend_broken_anchors(lines: list[PhysicalLine]) -> list[PhysicalLine]:
    """A fixed line of the form printed over two lines made one again (models/segment.yaml
    broken_anchors), so the zone finders see "Nơi nhận:" and a whole place and date. A
    line is tried as a second half first, against all of them at once: few lines begin
    one, and the first half's rule (a place before ", ngày") is the slower to fail. The
    halves are anchored at the line's start, so that is the only place they are tried:
    searched, the second halves were tried at every position of every line (0.6 µs a
    line), and most lines' first two characters begin none."""
    pairs, any_second = _broken_anchor_pairs()
    out: list[PhysicalLine] = []
    for line in lines:
        if out and match_start(any_second, line.text) and any(following.match(line.text) and first.match(out[-1].text) for first, following in pairs):
            out[-1] = PhysicalLine(f"{out[-1].text} {line.text}", out[-1].page, out[-1].layout)
        else:
            out.append(line)
    return out


@functools.cache
def _broken_anchor_pairs() -> tuple[tuple[tuple[regex.Pattern, regex.Pattern], ...], regex.Pattern]:
    """The pairs' rules, and their second halves as one pattern: most lines begin none,
    which one search tells."""
    pairs = _rules()["broken_anchors"]["pairs"]
    any_second = compiled("|".join(f"(?:{pair['next']})" for pair in pairs))
    return tuple((compiled(pair["first"]), compiled(pair["next"])) for pair in pairs), any_second


def _is_edge(index: int, page: list[PhysicalLine]) -> bool:
    return index == 0 or index == len(page) - 1


_DIGITS = regex.compile(r"\d+")


def _digits_folded(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def _running_headers(pages: list[list[PhysicalLine]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages (3 pages or more)."""
    if len(pages) < 3:
        return set()
    edges: Counter = Counter()
    for page in pages:
        edges.update({_digits_folded(line.text) for line in page[:1] + page[-1:]})
    return {key for key, count in edges.items() if count >= max(3, len(pages) // 2 + 1)}


def typical_width(lines: list[PhysicalLine]) -> float:
    """The length of a full line: what a line broken at the margin measures."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) > 20)
    if not lengths:
        return 80.0
    return float(lengths[int(len(lengths) * 0.8)]) if len(lengths) > 4 else float(statistics.median(lengths))


def is_row(text: str) -> bool:
    """A table row: its cells are columns, never part of a paragraph."""
    return CELL_SEPARATOR in text


def starts_upper(text: str) -> bool:
    first = text.lstrip("“\"'‘(«[")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def join_mode(prev: str, nxt: str, width: float, after: str | None, markers: Markers) -> str:
    """How ``nxt`` attaches to ``prev``: "" (no space), " " (same paragraph) or "\\n" (new line).

    ``after`` is the line that follows ``nxt``, if any. The rules are tried cheapest first
    where their order cannot change the answer: a line that starts in lower case continues
    whatever the line above ends with, so no end-anchored rule is searched for it.
    """
    style = markers.style(nxt)
    if style is not None:
        if style in ("dash", "plus") and _is_long(prev, width) and not _sentence_end().search(prev[-TAIL:]) and _pushed_by_margin(nxt, after, markers):
            return " "
        return "\n"
    if not starts_upper(nxt):
        return " "
    tail = prev[-TAIL:]  # the end-anchored rules need only the line's last words
    if _broken_symbol().search(tail):
        return ""
    if _continues().search(tail):
        return " "
    if _sentence_end().search(tail) or _heading_ends(prev, nxt, markers):
        return "\n"
    return " " if _is_long(prev, width) else "\n"


def _is_long(line: str, width: float) -> bool:
    """A line that reaches the margin, as one broken there does."""
    return len(line) >= width * _short_line_ratio()


@functools.cache
def _short_line_ratio() -> float:
    return _rules()["rejoin"]["short_line_ratio"]


@functools.cache
def _sentence_end() -> regex.Pattern:
    return compiled(_rules()["rejoin"]["sentence_end"])


@functools.cache
def _broken_symbol() -> regex.Pattern:
    return compiled(_rules()["rejoin"]["broken_symbol"], ignore_case=False)


@functools.cache
def _continues() -> regex.Pattern:
    """The connector words a continued line ends with, matched backwards from the end their
    rule is anchored at: searched forwards, every alternative was tried at each position of
    the tail (9 µs a line; 2 µs so, the same lines)."""
    return regex.compile(_rules()["rejoin"]["continues"], regex.IGNORECASE | regex.REVERSE)


def dash_continues(prev: str, dash_line: str, after: str | None, markers: Markers) -> bool:
    """A Word paragraph that starts with "-" but finishes the unpunctuated heading above it."""
    return markers.style(dash_line) in ("dash", "plus") and not _sentence_end().search(prev[-TAIL:]) and _pushed_by_margin(dash_line, after, markers)


def _pushed_by_margin(dash_line: str, after: str | None, markers: Markers) -> bool:
    """A "-" that continues the line above rather than starting a bullet.

    Either what follows the dash cannot start an item ("- 30/7” năm 2024", "- xã hội"),
    or the "bullet" is a fragment that stops without punctuation right before the next
    item ("Trung tâm: Văn hóa, Thông tin" + "- Thể thao, Văn hóa - Thể thao các huyện").
    """
    content = dash_line[1:].lstrip()
    if content[:1] and not content[:1].isupper():
        return True
    ends_sentence = _sentence_end().search(dash_line[-TAIL:])
    return not ends_sentence and (after is None or markers.style(after) is not None)


def _heading_ends(prev: str, nxt: str, markers: Markers) -> bool:
    """A numbered heading ("7. Đề nghị Viện Kiểm sát nhân dân tỉnh") followed by its text.

    A proper name broken at the margin ("tỉnh Cao" + "Bằng") continues instead: there the
    last word before the break is capitalised too.
    """
    last_word = prev.rsplit(" ", 1)[-1]
    return (
        markers.style(prev) in ("part", "part_letter", "roman", "arabic", "decimal", "letter", "star")
        and nxt[:1].isalpha()
        and nxt[:1].isupper()
        and not last_word[:1].isupper()
    )


def build_text(
    lines: list[PhysicalLine],
    solo: set[int],
    breaks_before: set[int],
    width: float,
    n_pages: int,
    glue: frozenset[int] | set[int],
    markers: Markers,
) -> tuple[str, list[int], list[Line], list[int]]:
    """Join physical lines into the normalised text.

    Lines in ``solo`` (header, recipients, signature) stay lines of their own; a line in
    ``breaks_before`` starts a new logical line. Returns the text, the offset where each
    page starts, the logical lines and, for each physical line, its logical line's index.
    """
    parts: list[str] = []
    offset = 0
    page_starts: dict[int, int] = {}
    logical: list[list[int]] = []
    layouts: list[Layout] = []
    owner: list[int] = []
    # Lines that start a logical line whatever they read: each one's own, the one after it too.
    own_line = solo | {index for index, line in enumerate(lines) if is_row(line.text)}
    new_line = {0} | own_line | {index + 1 for index in own_line} | breaks_before
    for index, line in enumerate(lines):
        if index in glue:
            mode = " "
        elif index in new_line:
            mode = "\n"
        else:
            after = lines[index + 1].text if index + 1 < len(lines) else None
            mode = join_mode(lines[index - 1].text, line.text, width, after, markers)
        if index > 0:
            parts.append(mode)
            offset += len(mode)
        if index == 0 or mode == "\n":
            logical.append([offset, offset])
            layouts.append(line.layout)
        page_starts.setdefault(line.page, offset)
        parts.append(line.text)
        offset += len(line.text)
        logical[-1][1] = offset
        owner.append(len(logical) - 1)
    starts: list[int] = []
    for page in range(1, n_pages + 1):
        starts.append(page_starts.get(page, starts[-1] if starts else 0))
    return "".join(parts), starts, [Line(a, b, "paragraph", layout=style) for (a, b), style in zip(logical, layouts)], owner
