"""The numbered outline: I/II/III, 1/2, 1.1, a/b and the "-", "+", "*" items under them."""

from __future__ import annotations

import functools

import regex

from pipeline.records import Line, Section
from pipeline.rules import compiled, load_model, may_begin

# A marker printed on a line of its own ("II.", "1.2"), its heading or text on the next line.
MARKER_ALONE = regex.compile(r"^\s*(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*)\s*[.)]?\s*$")


def _markers() -> list[dict]:
    return load_model("segment")["outline"]["markers"]


@functools.cache
def _marker_rules() -> tuple[tuple[dict, regex.Pattern], ...]:
    """Each marker rule with its compiled pattern, in their listed order."""
    return tuple((marker, compiled(marker["pattern"])) for marker in _markers())


@functools.lru_cache(maxsize=8192)
def _rules_opening(start: str) -> tuple[tuple[dict, regex.Pattern], ...]:
    """The marker rules a line that begins with ``start`` (its first two characters) may
    match (may_begin, and like it remembered by those two characters): none for most
    lines ("Th", "Sở", "Đề"), one or two for a numbered or bulleted line."""
    return tuple((marker, pattern) for marker, pattern in _marker_rules() if may_begin(pattern, start))


def match_marker(text: str) -> tuple[dict, str, int] | None:
    """The marker rule, its label and where the item's own text begins: the first rule, in
    their listed order, that matches the line, of those its first two characters may begin.
    Trying those one or two rules on their own costs two thirds of matching the ten rules'
    alternation and reading which of its groups matched (19 -> 12.6 K instructions a marked
    line)."""
    for marker, pattern in _rules_opening(text[:2]):
        if found := pattern.match(text):
            return marker, found["label"], found.end()
    return None


def _may_open(line: str) -> bool:
    """Whether the line's first two characters may begin a marker ("Th", "Sở", "Đề" begin none)."""
    return bool(_rules_opening(line[:2]))


class Markers(dict):
    """Each line's marker (match_marker), matched once for one document: rejoining its lines,
    finding its zones, classifying its lines and building its outline all ask, some three
    times a line. Kept for the document only: a memo by line text that outlived it would
    read the benchmark's repeated sample files from memory (2 % of the text path's time)."""

    def __missing__(self, text: str) -> tuple[dict, str, int] | None:
        found = self[text] = match_marker(text)
        return found

    def style(self, text: str) -> str | None:
        """The line's marker style. A line whose first two characters open no marker is told
        so without a memo entry: most lines asked here are running text asked once (0.46 ->
        0.17 µs a line)."""
        found = self[text] if _may_open(text) else None
        return found[0]["style"] if found else None


def _path(label: str, style: str, parent: Section | None) -> str:
    """The printed path ("III.1"): numbered items extend it; bullets share their parent's."""
    if style in ("star", "dash", "plus"):
        return parent.path if parent else ""
    if style == "decimal":
        # "3.1" repeats its parent's number: under "II.3" the path is "II.3.1", not "II.3.3.1".
        base = parent.path if parent else ""
        if parent and parent.style == "arabic":
            base = base.rpartition(".")[0]
        return f"{base}.{label}" if base else label
    if style == "part" or parent is None:
        return label
    return f"{parent.path}.{label}" if parent.path else label


def build_outline(text: str, lines: list[Line], body_start: int, body_end: int, markers: Markers) -> list[Section]:
    """Sections for every marked line between ``body_start`` and ``body_end`` (offsets)."""
    sections: list[Section] = []
    ranks: list[int] = []
    open_sections: list[int] = []  # the sections that may still take children, ranks rising
    for line in lines:
        if line.start < body_start or line.start >= body_end:
            continue
        found = markers[text[line.start : line.end]]
        if not found:
            continue
        marker, label, content = found
        rank = marker["rank"]
        # The parent is the last section of a lower rank: the sections after it closed.
        while open_sections and ranks[open_sections[-1]] >= rank:
            open_sections.pop()
        parent_index = open_sections[-1] if open_sections else None
        parent = sections[parent_index] if parent_index is not None else None
        sections.append(
            Section(
                path=_path(label, marker["style"], parent),
                marker=label,
                style=marker["style"],
                level=(parent.level + 1) if parent else 1,
                span=(line.start, line.end),
                title_span=(line.start + content, line.end),
                parent=parent_index,
            )
        )
        open_sections.append(len(sections) - 1)
        ranks.append(rank)
    _extend_spans(sections, ranks, body_end)
    return sections


def _extend_spans(sections: list[Section], ranks: list[int], body_end: int) -> None:
    """A section runs until the next section of the same or a higher level: the sections
    still open when one of those begins end before it (one pass, not every later one)."""
    ends = [body_end] * len(sections)
    open_sections: list[int] = []
    for index, rank in enumerate(ranks):
        while open_sections and ranks[open_sections[-1]] >= rank:
            ends[open_sections.pop()] = sections[index].span[0] - 1
        open_sections.append(index)
    for section, end in zip(sections, ends):
        section.span = (section.span[0], max(section.span[1], end))


def classify_lines(text: str, lines: list[Line], header_end: int, tail_start: int, markers: Markers) -> None:
    """Set each line's kind: heading, bullet or paragraph."""
    for line in lines:
        content = text[line.start : line.end]
        found = markers[content] if header_end <= line.start < tail_start else None
        if found and found[0]["style"] in ("dash", "plus"):
            line.kind = "bullet"
        elif found:
            line.kind = "heading"
        elif line.start < header_end:
            line.kind = "heading"
        else:
            line.kind = "paragraph"
