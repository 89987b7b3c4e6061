"""A plan or programme that a decision attaches after its signature, read as the appendix it is.

A decision's signature block ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / name") is often followed, in
the same closing zone, by the plan it promulgates, with its own numbered outline. The
closing zone keeps its lines as printed; here that plan is cut off the signature, its wrapped
lines rejoined and its outline built, once, for every finder (GOLD_SCHEMA.md: the attached
plan's duties are the document's duties).
"""

from __future__ import annotations

import dataclasses

from pipeline.records import Document, Line
from pipeline.segment.outline import (
    MARKER_ALONE,
    Markers,
    build_outline,
    classify_lines,
)

ATTACHED_MIN_ITEMS = 3  # outline items in a signature block: a signature has none
WRAPPED_SHARE = 0.6  # a line this long (of the longest) that ends mid-sentence was wrapped
BULLET_STYLES = ("dash", "plus", "star")


def with_attached_plan(doc: Document, markers: Markers) -> Document:
    """The document with an attached plan taken out of its signature as an appendix with
    its own outline; the document itself when its signature holds none. ``markers``: the
    document's lines' markers, as segment matched them."""
    signature = doc.signature
    if signature is None or any(signature[0] <= section.span[0] < signature[1] for section in doc.sections):
        return doc
    inside = [line for line in doc.lines if signature[0] <= line.start < signature[1] and line.kind != "row"]
    items = [line for line in inside if (found := markers[doc.text[line.start : line.end]]) and found[0]["style"] not in BULLET_STYLES]
    if len(items) < ATTACHED_MIN_ITEMS:
        return doc
    start, end = items[0].start, signature[1]
    region = _rejoined(doc, [line for line in inside if line.start >= start], markers)
    classify_lines(doc.text, region, start, end + 1, markers)
    lines = sorted([line for line in doc.lines if not start <= line.start < end] + region, key=lambda line: line.start)
    extra = build_outline(doc.text, region, start, end, markers)
    for section in extra:
        section.parent = None if section.parent is None else section.parent + len(doc.sections)
    return dataclasses.replace(
        doc,
        text=_one_paragraph_each(doc.text, region),
        lines=lines,
        sections=doc.sections + extra,
        appendices=doc.appendices + [(start, end)],
        signature=(signature[0], start - 1),
    )


def _one_paragraph_each(text: str, lines: list[Line]) -> str:
    """The text with each rejoined line's breaks made spaces, as the body's wrapped lines
    are joined (a period or a deadline is read within one line); offsets stay."""
    chars = list(text)
    for line in lines:
        for at in range(line.start, line.end):
            if chars[at] == "\n":
                chars[at] = " "
    return "".join(chars)


def _rejoined(doc: Document, lines: list[Line], markers: Markers) -> list[Line]:
    """The signature block keeps its lines as printed: a line of the attached document goes
    on with the one before it unless it opens an item or that one ended a sentence."""
    joined: list[Line] = []
    width = max((line.end - line.start for line in lines), default=0)
    last = ""  # the line before, as printed
    for line in lines:
        text = doc.text[line.start : line.end]
        opens = markers[text] is not None or MARKER_ALONE.match(last) or MARKER_ALONE.match(text)
        wrapped = len(last) >= WRAPPED_SHARE * width and not last.rstrip().endswith((".", ":", ";", "!", "?"))
        if joined and not opens and (wrapped or text[:1].islower()):
            joined[-1] = dataclasses.replace(joined[-1], end=line.end)
        else:
            joined.append(dataclasses.replace(line))
        last = text
    return joined
