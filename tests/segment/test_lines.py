"""Physical lines to logical lines (pipeline/segment/lines.py)."""

from __future__ import annotations

from pipeline.segment.lines import _TRAILING_SUBITEM, _ends_in_number


def test_a_line_with_a_trailing_item_number_ends_in_a_number(seeds) -> None:
    """place_lone_markers tries _TRAILING_SUBITEM only on lines _ends_in_number lets through."""
    lines = [doc.text[line.start : line.end] for doc in seeds.values() for line in doc.lines]
    lines += ["2. Nâng cao chất lượng 2.1.", "2. Nâng cao chất lượng 2.1", "2. Nâng cao chất lượng 2.1.\n", "12. Tổ chức 12.3"]
    matched = [text for text in lines if _TRAILING_SUBITEM.match(text)]
    assert len(matched) >= 4
    assert all(_ends_in_number(text) for text in matched)
    assert not _ends_in_number("2. Nâng cao chất lượng.") and not _ends_in_number("")
