"""Layout from where lines stand on the page: the PDF text layer's boxes and OCR's.

A line's box says how far in it starts (indent, as a share of the text block's width) and
how it is aligned: both edges on the block's (justify), the gaps either side equal (centre),
or only the right edge on it and the line starting far in (right). The block's edges are
the document's most common ones, taken as quantiles of the lines' edges, so that a header
table drawn wider than the body, a page number or a footnote does not move them.

The form's two-column tables are found in the boxes with the column logic of
ingest/layout.py (the gutter that stays free from the motto row or the "Nơi nhận" row). A
header line says which side it is on; a table line is aligned within its own column, where
the template centres the agency, the motto and the signature. No library gives paragraph
alignment from positions (pdfplumber and pdfminer give boxes only), so it is done here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from typing import Any, NamedTuple

import regex

from pipeline.ingest.layout import (
    Region,
    Row,
    Word,
    anchor_word,
    group_rows,
    header_anchor,
    header_region,
    signature_anchor,
    signature_region,
)
from pipeline.ingest.lines import layout
from pipeline.records import PLAIN, Layout
from pipeline.rules import load_model


@cache
def settings() -> dict[str, Any]:
    return load_model("layout")["positions"]


class Font(NamedTuple):
    """A line's type as the PDF's font says: size in points, bold, italic. (Named tuples
    here and for Placed: one is made per line, and a tuple is the cheapest to make.)"""

    size: float | None
    bold: bool | None
    italic: bool | None


class Placed(NamedTuple):
    """What is known of where one line of a page stands: its box (a Word, top-down points),
    its font, and for a task table's row line, its (table, row, column it starts with)."""

    box: Word | None = None
    font: Font | None = None
    cell: tuple[int, int, int] | None = None


NOWHERE = Placed()


class Block(NamedTuple):
    """The text block's left and right edges, in points, with the tolerances that go with its
    width (positions in models/layout.yaml), worked out once per block."""

    left: float
    right: float
    width: float
    edge: float  # an edge within this of the block's is on it
    centre: float  # gaps either side within this of each other: centred
    far: float  # a right-aligned line starts at least this far in

    @classmethod
    def of(cls, left: float, right: float) -> Block:
        conf = settings()
        width = right - left
        return cls(
            left, right, width, conf["edge_tolerance"] * width, conf["centre_tolerance"] * width, conf["right_min_indent"] * width
        )


def text_block(lefts: list[float], rights: list[float]) -> Block | None:
    """The block of a document's lines (their left and right edges): most lines start at
    its left edge (all but a paragraph's first) and a justified or full line ends at its
    right edge."""
    if len(lefts) < 2:
        return None
    low, high = settings()["block_quantiles"]
    left = sorted(lefts)[round(low * (len(lefts) - 1))]
    right = sorted(rights)[round(high * (len(rights) - 1))]
    return Block.of(left, right) if right > left else None


def page_blocks(widths: list[float], placed: list[list[Placed] | None]) -> list[Block | None]:
    """Each page's text block, from the lines of all the document's pages as wide as it (a
    landscape page of tables has its own); None for a page not read here (None)."""
    groups: dict[int, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for width, lines in zip(widths, placed):
        if lines is not None:
            lefts, rights = groups[round(width)]
            boxes = [line.box for line in lines if line.box is not None]
            lefts += [box.x0 for box in boxes]
            rights += [box.x1 for box in boxes]
    blocks = {key: text_block(lefts, rights) for key, (lefts, rights) in groups.items()}
    return [blocks.get(round(width)) if lines is not None else None for width, lines in zip(widths, placed)]


def page_layouts(
    placed: list[Placed], block: Block | None, first: bool, signed: bool, text: str, size_per_height: float | None = None
) -> list[Layout]:
    """One Layout per line of the page's ``text``, from where each line stands. The header
    table is looked for on the ``first`` page, the closing table on a page ``signed`` (with
    its "Nơi nhận" label). ``size_per_height``: a font size estimated from the line's height
    where the source has no font (OCR)."""
    columns = _columns(text, placed, block, first, signed) if block and (first or signed) else {}
    out = []
    made: dict[tuple, Layout] = {}  # this page's layouts by what they are made of: most lines repeat one
    indents: dict[float, float] = {}  # by left edge: most lines share one, and round(x, 2) costs 0.5 us
    for index, (box, font, cell) in enumerate(placed):
        size, bold, italic = font if font is not None else (None, None, None)
        if box is not None and size is None and size_per_height:
            size = round((box.bottom - box.top) * size_per_height * 2) / 2
        if cell is not None:
            out.append(layout(table=cell[0], cell=cell[1:]))
        elif box is None or block is None:
            out.append(layout(bold=bold, italic=italic, size=size) if font or size else PLAIN)
        else:
            side, align = columns[index] if index in columns else (None, block_align(box, block))
            indent = indents.get(box.x0)
            if indent is None:
                indent = indents[box.x0] = round((box.x0 - block.left) / block.width, 2) + 0.0  # + 0.0: no "-0.0"
            key = (bold, italic, align, indent, size, side)
            found = made.get(key)
            if found is None:
                found = made[key] = layout(bold, italic, align, indent, size, None, None, side)
            out.append(found)
    return out


def block_align(box: Word, block: Block) -> str:
    """A body line against the text block."""
    left_gap, right_gap = box.x0 - block.left, block.right - box.x1
    if right_gap <= block.edge:
        if left_gap <= block.edge:
            return "justify"
        # A justified paragraph's first line also ends at the right edge, after a small indent.
        return "right" if left_gap >= block.far else "justify"
    if left_gap > block.edge and abs(left_gap - right_gap) <= block.centre:
        return "center"
    return "left"


def _columns(
    text: str, placed: list[Placed], block: Block, header: bool, signature: bool
) -> dict[int, tuple[str | None, str | None]]:
    """For each line of the page's two-column tables (header, closing): the side it is on and
    its alignment in its column.
    Each table is looked for among the lines where it can stand: the header among the
    page's top lines, the closing table from the last "Nơi nhận" line down."""
    lines = text.split("\n")
    boxed = [(line.box, index) for index, line in enumerate(placed) if line.box is not None and line.cell is None]
    if not boxed:
        return {}
    page_left = min(box.x0 for box, _ in boxed) - 1
    page_right = max(box.x1 for box, _ in boxed) + 1
    tables = []
    if header:
        top_lines = sorted(boxed, key=lambda item: item[0].top)[: settings()["header_lines"]]
        tables.append((_as_words(top_lines, lines), lambda rows: header_region(rows, page_left), header_anchor()))
    label = next((box for box, index in reversed(boxed) if signature_anchor().search(lines[index])), None) if signature else None
    if label is not None:
        below = [item for item in boxed if item[0].top >= label.top - (label.bottom - label.top)]
        tables.append((_as_words(below, lines), lambda rows: signature_region(rows, page_right), signature_anchor()))
    found: dict[int, tuple[str | None, str | None]] = {}
    for candidates, region_of, anchor in tables:
        where = {id(box): index for box, index in candidates}
        rows = group_rows(box for box, _ in candidates)
        region = region_of(rows)
        region = _trimmed(rows, region, anchor, block) if region else None
        if region is not None:
            for side, boxes in _sides(rows, region).items():
                for index, align in zip((where[id(box)] for box in boxes), _column_align(boxes, block)):
                    found[index] = (side, align)
    return found


def _as_words(boxed: list[tuple[Word, int]], lines: list[str]) -> list[tuple[Word, int]]:
    """Each line as one Word with its text, so that the column logic groups lines into rows."""
    return [(Word(lines[index], box.x0, box.x1, box.top, box.bottom), index) for box, index in boxed]


def _trimmed(rows: list[Row], region: Region, anchor: regex.Pattern, block: Block) -> Region | None:
    """The table without the rows beyond a line centred on the page: the document type
    under the header ("KẾ HOẠCH") lies on the right of the gutter, yet is not in the table."""
    at = next((i for i in range(region.first, region.last + 1) if anchor_word(rows[i], anchor, False) is not None), None)
    if at is None:
        return None
    first, last = region.first, region.last
    for i in range(region.first, region.last + 1):
        if i != at and any(block_align(box, block) == "center" for box in rows[i].words):
            if i < at:
                first = i + 1
            else:
                last = i - 1
                break
    return Region(first, last, region.split_x)


def _sides(rows: list[Row], region: Region) -> dict[str, list[Word]]:
    """The region's lines on each side of its gutter (a line across it is on neither)."""
    sides: dict[str, list[Word]] = {"left": [], "right": []}
    for row in rows[region.first : region.last + 1]:
        for box in row.words:
            if box.x1 <= region.split_x:
                sides["left"].append(box)
            elif box.x0 >= region.split_x:
                sides["right"].append(box)
    return sides


# Which alignment a tie of votes goes to: the form's template centres its table cells.
ALIGN_ORDER = ("center", "left", "right")


def _column_align(lines: list[Word], block: Block) -> list[str | None]:
    """Alignment within a column, told by what a line shares with the column's other lines
    of another width: its middle (centred), its left edge or its right edge. Each such pair
    votes for the edge or middle they share; a line no pair speaks for is aligned to the
    column's edge it alone touches (a right-aligned place-date under a centred motto), else
    as most of the column is. A speck (a bracket drawn at 1 pt) has no say."""
    edge = block.edge
    inked = [box for box in lines if box.x1 - box.x0 >= settings()["speck_width"] * block.width]
    if not inked:
        return [None] * len(lines)
    left, right = min(box.x0 for box in inked), max(box.x1 for box in inked)
    spans = [(box.x0, box.x1, box.x0 + box.x1, box.x1 - box.x0) for box in inked]
    aligns: list[str | None] = []
    for box in lines:
        x0, x1 = box.x0, box.x1
        middle, width = x0 + x1, x1 - x0
        votes = {"center": 0, "left": 0, "right": 0}
        for other_x0, other_x1, other_middle, other_width in spans:
            if abs(other_width - width) > 2 * edge:
                # the pair shares what lies closest: its middles, its left or its right edges
                gap, kind = min((abs(other_middle - middle) / 2, "center"), (abs(other_x0 - x0), "left"), (abs(other_x1 - x1), "right"))
                if gap <= edge:
                    votes[kind] += 1
        best = max(votes.values())
        if best:
            aligns.append(next(kind for kind in ALIGN_ORDER if votes[kind] == best))
        elif (x1 >= right - edge) != (x0 <= left + edge):
            aligns.append("right" if x1 >= right - edge else "left")
        else:
            aligns.append(None)
    decided = Counter(align for align in aligns if align)
    common = decided.most_common(1)[0][0] if decided else None
    if common is None and len(inked) > 1 and max(box.x0 for box in inked) - left <= edge and right - min(box.x1 for box in inked) <= edge:
        common = "center"  # lines all as wide: aligned every way at once, centred by the template
    return [align or common for align in aligns]

