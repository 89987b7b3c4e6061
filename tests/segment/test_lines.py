"""Physical lines to logical lines (pipeline/segment/lines.py)."""

from __future__ import annotations

from pipeline.records import Page, RawDocument, SourceLine
from pipeline.segment.lines import (
    _TRAILING_SUBITEM,
    PhysicalLine,
    _broken_anchor_pairs,
    _ends_in_number,
    _furniture,
    mend_broken_anchors,
    physical_lines,
)
from tests.conftest import documents_lines


def test_a_line_with_a_trailing_item_number_ends_in_a_number(seeds) -> None:
    """place_lone_markers tries _TRAILING_SUBITEM only on lines _ends_in_number lets through."""
    lines = [doc.text[line.start : line.end] for doc in seeds.values() for line in doc.lines]
    lines += ["2. Nâng cao chất lượng 2.1.", "2. Nâng cao chất lượng 2.1", "2. Nâng cao chất lượng 2.1.\n", "12. Tổ chức 12.3"]
    matched = [text for text in lines if _TRAILING_SUBITEM.match(text)]
    assert len(matched) >= 4
    assert all(_ends_in_number(text) for text in matched)
    assert not _ends_in_number("2. Nâng cao chất lượng.") and not _ends_in_number("")


def test_furniture_is_dropped_as_its_pattern_alone_says(seeds) -> None:
    """physical_lines tries the furniture pattern only on lines whose first character may
    begin it: the same lines go as when every short line is tried."""
    texts = [line.text for doc in seeds.values() for page in doc.raw.pages for line in page.lines]
    texts += ["2", "- 2 -", "– 12 –", "Trang 2", "TRANG 3/5", "2/5", " 7", "-----", "___", "....", "…...", "~~~", "*", " * ", "2a", "Trang hai"]
    longest, furniture = _furniture()
    raw = RawDocument(source="test", sha256="", format="txt", pages=[Page(1, [SourceLine(text) for text in texts])])
    kept = [text for text in texts if text and not (len(text) <= longest and furniture.match(text))]
    assert len(kept) < len([text for text in texts if text]) - 10
    assert [line.text for line in physical_lines(raw)] == kept


def _mended_searching_every_line(lines: list[PhysicalLine]) -> list[str]:
    """mend_broken_anchors' lines, each pair's halves searched in every line."""
    out: list[str] = []
    for line in lines:
        if out and any(following.search(line.text) and first.search(out[-1]) for first, following in _broken_anchor_pairs()[0]):
            out[-1] = f"{out[-1]} {line.text}"
        else:
            out.append(line.text)
    return out


def test_broken_anchors_are_mended_as_searching_every_line_mends_them() -> None:
    """The halves are matched at a line's start, where its first two characters may begin
    one: the same lines are joined as when each half is searched in every line (the
    samples, the shared real documents and broken anchors)."""
    broken = [PhysicalLine(text, 1) for text in ("Nơi", "nhận:", "- Như trên;", "Nghệ An, ngày 20", "tháng 3 năm 2023", "  Nơi ", " nhận")]
    documents = [*documents_lines(), broken]
    assert sum(len(lines) - len(mend_broken_anchors(lines)) for lines in documents) >= 3
    for lines in documents:
        assert [line.text for line in mend_broken_anchors(lines)] == _mended_searching_every_line(lines)
