"""A document's text as the site shows it: cut into pieces at every highlight boundary, each
highlight linked to its row in the record's tables and each row linked back to its spans.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.review.cells import Row, cell

# Columns that place a row rather than describe it: the row's anchor and its links back
# to the text stand for them.
PLACEMENT_COLUMNS = frozenset({"doc_id", "ordinal", "span_start", "span_end"})
# Longer cells are left out of a highlight's tooltip (a duty's whole text, say).
TOOLTIP_CELL_CHARS = 80
HEADER_GROUP = "document"


@dataclass(frozen=True)
class Highlight:
    """One highlighted span of the text, linked to the row ``row`` of its group's table."""

    start: int
    end: int
    group: str
    row: str  # the anchor of the record row: "reference-3"
    anchor: str  # this mention's own anchor, for the row's link back: "at-reference-3-0"
    label: str  # the row in brief, shown as the highlight's tooltip


@dataclass(frozen=True)
class Piece:
    """A stretch of text under one unchanging set of highlights, outermost first.

    The stretch links to its innermost highlight (``link``; of equal spans, the one given
    first); a highlight that is innermost nowhere (its span equals another's, or shorter
    ones cover it) gets a ``chip``, a small link at its start, so that every highlight
    opens its row.
    """

    text: str
    outer: tuple[Highlight, ...] = ()
    link: Highlight | None = None
    anchors: tuple[Highlight, ...] = ()
    chips: tuple[Highlight, ...] = ()

    @property
    def tooltip(self) -> str:
        """Every highlight over the piece, innermost first."""
        return "\n".join(h.label for h in (self.link, *reversed(self.outer)) if h)


@dataclass
class TableRow:
    id: str
    cells: list[str]
    anchors: list[str]  # the anchors of this row's mentions in the text
    misplaced: list[tuple[int, int]] = field(default_factory=list)  # spans outside the text


@dataclass
class Table:
    group: str
    columns: list[str]
    rows: list[TableRow]
    hidden: int = 0  # rows left off the page: found beyond the text shown, or past the row limit
    hidden_mentions: int = 0  # mentions of its rows beyond the text shown


def mention_spans(rows: Iterable[Row], key: str) -> dict[int, list[tuple[int, int]]]:
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r[key], r["ordinal"])):
        spans[row[key]].append((row["span_start"], row["span_end"]))
    return spans


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _label(row_id: str, cells: Iterable[str]) -> str:
    return " · ".join([row_id, *(c for c in cells if c and len(c) <= TOOLTIP_CELL_CHARS)])


def _fits(span: tuple[int | None, int | None], length: int) -> bool:
    start, end = span
    return start is not None and end is not None and 0 <= start < end <= length


def span_table(
    group: str, prefix: str, columns: Sequence[str], rows: Iterable[Row], spans_of: Mapping[int, list[tuple[int, int]]],
    length: int, shown: int | None = None,
) -> tuple[Table, list[Highlight]]:
    """A group's record table and its highlights; a row's spans are its mentions, or its own span.

    A span that does not fit the text is kept on the row as misplaced rather than dropped:
    review must show what it cannot place. Of a text shown only in part (its first
    ``shown`` characters), a span starting beyond is not drawn, and one running past the
    end is drawn up to it."""
    shown = length if shown is None else shown
    visible = [c for c in columns if c not in PLACEMENT_COLUMNS]
    table, highlights = Table(group, visible, []), []
    for row in rows:
        row_id = f"{prefix}-{row['ordinal']}"
        cells = [cell(row[c]) for c in visible]
        own = [(row["span_start"], row["span_end"])] if row.get("span_start") is not None else []
        spans = spans_of.get(row["ordinal"]) or own
        placed = [s for s in spans if _fits(s, length)]
        drawn = [(start, min(end, shown)) for start, end in placed if start < shown]
        marks = [
            Highlight(start, end, group, row_id, f"at-{row_id}-{k}", _label(row_id, cells)) for k, (start, end) in enumerate(drawn)
        ]
        table.rows.append(TableRow(row_id, cells, [m.anchor for m in marks], [s for s in spans if s not in placed]))
        highlights.extend(marks)
    return table, highlights


def header_table(doc: Row, spans: Iterable[Row], text: str, length: int | None = None) -> tuple[Table, list[Highlight]]:
    """Header fields with spans (document_spans), valued from the documents row."""
    rows = [
        {
            "ordinal": span["field"],
            "field": span["field"],
            "value": _or(doc.get(span["field"]), text[span["span_start"] : span["span_end"]]),
            "span_start": span["span_start"],
            "span_end": span["span_end"],
        }
        for span in spans
    ]
    return span_table(HEADER_GROUP, "field", ["field", "value"], rows, {}, _or(length, len(text)), len(text))


def pieces(text: str, highlights: Sequence[Highlight]) -> list[Piece]:
    """The text cut at every highlight boundary, each piece with the highlights covering it.

    Written by hand because the highlight must be a link to its record row and the row a
    link back: displaCy's span view (``pipeline.extract.nlp.render_html``) links only the
    label of a span to a knowledge-base URL, gives the highlight no anchor to link back to,
    and lays out every token as a block, which does not keep the text's lines.
    """
    order = {h: i for i, h in enumerate(highlights)}
    starts: dict[int, list[Highlight]] = defaultdict(list)
    for h in highlights:
        starts[h.start].append(h)
    cuts = sorted({0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)})
    active: set[Highlight] = set()
    result = []
    for a, b in itertools.pairwise(cuts):
        active = {h for h in active if h.end > a} | set(starts.get(a, ()))
        covering = sorted(active, key=lambda h: (h.start - h.end, -order[h]))
        result.append(
            Piece(text[a:b], tuple(covering[:-1]), covering[-1] if covering else None, tuple(sorted(starts.get(a, ()), key=order.get)))
        )
    linked = {p.link for p in result}
    return [
        Piece(p.text, p.outer, p.link, p.anchors, tuple(h for h in p.anchors if h not in linked)) for p in result
    ]
