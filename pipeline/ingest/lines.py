"""Source lines with their layout: what every reader builds its pages from.

A reader reads its text as it always has (the later stages read ``Page.text``, which must
not change) and, beside it, one Layout per line of that text. The helpers here pair the
two, merge the layouts of the parts a line is made of (the runs of a Word paragraph, the
inline elements of a web page's line, the cells of a table row), and put a line in a table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pipeline.records import Layout, Page, SourceLine
from pipeline.text import normalise_lines

MAX_SHARED = 50_000
_MADE: dict[tuple, Layout] = {}


def layout(
    bold: bool | None = None,
    italic: bool | None = None,
    align: str | None = None,
    indent: float | None = None,
    size: float | None = None,
    cell: tuple[int, int] | None = None,
    table: int | None = None,
    column: str | None = None,
) -> Layout:
    """One shared Layout per distinct value: most lines of a page look alike, and finding one
    again costs a sixth of building a frozen dataclass (Layout is immutable, so sharing is
    safe). The store is emptied when it grows large, as a long batch meets many table cells."""
    key = (bold, italic, align, indent, size, cell, table, column)
    found = _MADE.get(key)
    if found is None:
        if len(_MADE) >= MAX_SHARED:
            _MADE.clear()
        found = _MADE[key] = Layout(
            bold=bold, italic=italic, align=align, indent=indent, size=size, cell=cell, table=table, column=column
        )
    return found


def page(number: int, text: str, layouts: list[Layout], method: str, **fields: object) -> Page:
    """A Page of ``text``'s lines, each with its layout; the text is kept exactly as given."""
    texts = text.split("\n")
    if len(texts) != len(layouts):
        raise ValueError(f"{len(texts)} lines but {len(layouts)} layouts")
    return Page(number, list(map(SourceLine, texts, layouts)), method, **fields)


def repeated(text: str, style: Layout) -> list[Layout]:
    """The same layout for each line of ``text`` (a Word paragraph broken by <w:br/>)."""
    return [style] * (text.count("\n") + 1)


def _majority(weighted: Iterable[tuple[int, bool | None]]) -> bool | None:
    """True when more than half of the known weight is True; None when nothing is known."""
    known = true = 0
    for weight, value in weighted:
        if value is not None:
            known += weight
            true += weight if value else 0
    return None if not known else true * 2 > known


def _mode(weighted: Iterable[tuple[int, object]]) -> object:
    """The value that covers most weight, ignoring unknowns; an empty line (no weight) still
    has the value its parts agree on, such as its paragraph's alignment."""
    totals: Counter = Counter()
    for weight, value in weighted:
        if value is not None:
            totals[value] += weight
    return totals.most_common(1)[0][0] if totals else None


def combine(parts: list[tuple[int, Layout]], align: bool = True) -> Layout:
    """The layout of a line made of parts of ``weight`` characters each: bold or italic when
    most of its characters are, the size and alignment that cover most of them. A table row
    joined into one line has no alignment of its own (``align=False``)."""
    return layout(
        bold=_majority((w, s.bold) for w, s in parts),
        italic=_majority((w, s.italic) for w, s in parts),
        size=_mode((w, s.size) for w, s in parts),
        align=_mode((w, s.align) for w, s in parts) if align else None,
    )


def in_table(style: Layout, table: int, cell: tuple[int, int], column: str | None = None) -> Layout:
    """The line's layout placed in a table cell. A line of a table nested in this one keeps
    its own (inner) table and cell; the header's side is the outer table's."""
    if style.table is not None:
        table, cell = style.table, style.cell
    return moved(style, cell, table, style.column if column is None else column)


def in_column(style: Layout, column: str) -> Layout:
    """The line's layout on one side of the form's header or closing ("left", "right")."""
    return moved(style, style.cell, style.table, column)


def moved(style: Layout, cell: tuple[int, int] | None, table: int | None, column: str | None) -> Layout:
    """The line's looks (bold, italic, alignment, indent, size) in another place: a cell of
    a table, a side of the header. Positional: a page's lines call this by the thousand."""
    return layout(style.bold, style.italic, style.align, style.indent, style.size, cell, table, column)


def row_layout(cells: list[list[tuple[int, Layout]]], table: int, row: int) -> Layout:
    """A table row read as one line (cells joined by " | "): its cell is (row, 0), the cell
    the line starts with; bold or italic when most of the row's characters are."""
    return in_table(combine([part for cell in cells for part in cell], align=False), table, (row, 0))



def normalise_page(page: Page, unicode_normalised: bool = False) -> None:
    """The page's lines as every later stage reads them (pipeline/text.py), each keeping its
    layout; a line holding a carriage return (an old Mac file, a DOCX soft break) is two.
    ``unicode_normalised``: see normalise_lines."""
    texts = [line.text for line in page.lines]
    joined = "\n".join(texts)  # one search of the page for a break inside a line, not one a line
    if "\r" in joined or joined.count("\n") >= len(texts):
        parts = [(part, line.layout) for line in page.lines for part in _breaks(line.text)]
        texts = [text for text, _ in parts]
        page.lines = list(map(SourceLine, normalise_lines(texts, unicode_normalised), [style for _, style in parts]))
        return
    # A line that normalising leaves as it was is kept, not made again (0.4 us a line): most
    # lines of a PDF or Word page are.
    page.lines = [
        line if line.text == text else SourceLine(text, line.layout) for line, text in zip(page.lines, normalise_lines(texts, unicode_normalised))
    ]


def _breaks(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
