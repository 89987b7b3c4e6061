"""A document's text cut into highlighted pieces, and each row's spans placed in the text shown."""

from __future__ import annotations

from pipeline.review.highlights import Highlight, pieces, span_table


def _mark(start: int, end: int, group: str, row: str) -> Highlight:
    return Highlight(start, end, group, row, f"at-{row}", row)


def test_pieces_cover_the_text_and_link_every_highlight_once_innermost_first():
    text = "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/3/2024 của UBND tỉnh."
    at = lambda part: (text.index(part), text.index(part) + len(part))
    reference = _mark(*at("Kế hoạch số 12/KH-UBND ngày 05/3/2024 của UBND tỉnh"), "references", "reference-0")
    date = _mark(*at("ngày 05/3/2024"), "dates", "date-0")
    deadline = _mark(*at("ngày 05/3/2024"), "deadlines", "deadline-0")  # the same span as the date: linked by a chip
    cut = pieces(text, [reference, date, deadline])
    assert "".join(p.text for p in cut) == text
    by_text = {p.text: p for p in cut}
    assert by_text["ngày 05/3/2024"].link == date
    assert by_text["ngày 05/3/2024"].outer == (reference, deadline)
    assert by_text["Kế hoạch số 12/KH-UBND "].link == reference
    linked = {p.link for p in cut} | {chip for p in cut for chip in p.chips}
    assert linked >= {reference, date, deadline}
    assert [chip for p in cut for chip in p.chips] == [deadline]


def test_crossing_spans_are_cut_so_that_each_piece_links_to_its_innermost_highlight():
    text = "abcdefghij"
    left, right = _mark(0, 6, "agencies", "agency-0"), _mark(4, 10, "duties", "duty-0")
    cut = pieces(text, [left, right])
    assert [(p.text, p.link.row) for p in cut] == [("abcd", "agency-0"), ("ef", "agency-0"), ("ghij", "duty-0")]
    assert cut[1].outer == (right,)


def test_a_span_beyond_the_text_shown_is_not_drawn_and_one_across_its_end_is_drawn_up_to_it():
    rows = [
        {"ordinal": 0, "span_start": 2, "span_end": 8, "what": "before"},
        {"ordinal": 1, "span_start": 8, "span_end": 14, "what": "across"},
        {"ordinal": 2, "span_start": 14, "span_end": 18, "what": "beyond"},
        {"ordinal": 3, "span_start": 18, "span_end": 30, "what": "outside"},
    ]
    table, marks = span_table("periods", "period", ["ordinal", "what", "span_start", "span_end"], rows, {}, 20, 10)
    assert [(m.row, m.start, m.end) for m in marks] == [("period-0", 2, 8), ("period-1", 8, 10)]
    assert [r.misplaced for r in table.rows] == [[], [], [], [(18, 30)]]
