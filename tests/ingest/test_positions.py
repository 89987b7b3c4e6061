"""Layout from where lines stand: the block, indents and alignment, the form's two columns."""

from __future__ import annotations

import pytest

from pipeline.ingest.layout import Word
from pipeline.ingest.positions import (
    NOWHERE,
    Font,
    Placed,
    block_align,
    page_blocks,
    page_layouts,
    text_block,
)
from pipeline.records import Layout

LEFT, RIGHT = 85.0, 538.0  # Word's default margins on A4, in points
WIDTH = RIGHT - LEFT


def line(x0: float, x1: float, top: float, size: float = 13.0, bold: bool = False) -> Placed:
    return Placed(Word("", x0, x1, top, top + size * 1.2), Font(size, bold, False))


BODY = [line(LEFT + 36, RIGHT, 300), *(line(LEFT, RIGHT, 320 + 20 * i) for i in range(8)), line(LEFT, 300, 480)]
BLOCK = text_block([p.box.x0 for p in BODY], [p.box.x1 for p in BODY])


def test_the_block_is_where_most_lines_start_and_end():
    assert (BLOCK.left, BLOCK.right) == (LEFT, RIGHT)
    wide_header = [line(40, 250, 50), line(300, 560, 50)]
    block = text_block([p.box.x0 for p in BODY + wide_header], [p.box.x1 for p in BODY + wide_header])
    assert (block.left, block.right) == (LEFT, RIGHT)  # a header drawn wider than the body does not move it
    assert text_block([LEFT], [RIGHT]) is None


@pytest.mark.parametrize(
    ("x0", "x1", "align"),
    [
        (LEFT, RIGHT, "justify"),
        (LEFT + 36, RIGHT, "justify"),  # a justified paragraph's first line, indented
        (LEFT, 300, "left"),
        (LEFT + 150, RIGHT - 150, "center"),
        (LEFT + 5, RIGHT - 5.5, "center"),  # a long centred title
        (320, RIGHT, "right"),
        (LEFT + 40, 300, "left"),  # an indented short line
    ],
)
def test_a_line_is_aligned_against_the_block(x0, x1, align):
    assert block_align(Word("", x0, x1, 0, 10), BLOCK) == align


def test_indents_are_shares_of_the_block_width():
    layouts = page_layouts(BODY, BLOCK, False, False, "\n".join(["x"] * len(BODY)))
    assert layouts[0].indent == round(36 / WIDTH, 2) and layouts[1].indent == 0.0
    assert (layouts[0].size, layouts[0].bold, layouts[0].italic) == (13.0, False, False)


def test_a_line_without_a_box_keeps_its_font_and_a_blank_line_has_nothing():
    placed = [Placed(None, Font(12.0, True, False)), NOWHERE]
    assert [(l.bold, l.size, l.indent, l.align) for l in page_layouts(placed, BLOCK, False, False, "a\n")] == [
        (True, 12.0, None, None), (None, None, None, None)
    ]


def test_a_task_table_row_line_says_its_table_and_row():
    assert page_layouts([Placed(cell=(1, 3, 0))], BLOCK, False, False, "1 | Tuyên truyền").pop() == Layout(cell=(3, 0), table=1)


def test_ocr_sizes_are_estimated_from_line_heights():
    placed = [Placed(Word("", LEFT, RIGHT, 100, 115.2)), Placed(Word("", LEFT, RIGHT, 130, 140))]
    assert [l.size for l in page_layouts(placed, BLOCK, False, False, "a\nb", size_per_height=0.92)] == [14.0, 9.0]


HEADER = [
    ("UBND TỈNH CAO BẰNG", line(120, 250, 60)),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", line(95, 275, 75, bold=True)),
    ("Số: 15/KH-SVHTTDL", line(125, 245, 95)),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", line(300, 540, 60, bold=True)),
    ("Độc lập - Tự do - Hạnh phúc", line(345, 495, 75, bold=True)),
    ("Cao Bằng, ngày 05 tháng 7 năm 2025", line(350, 540, 95)),  # right-aligned under the centred motto
    ("KẾ HOẠCH", line(280, 345, 130, size=14, bold=True)),
]


def test_the_header_lines_say_their_side_and_their_alignment_in_their_column():
    texts = [text for text, _ in HEADER] + ["body"] * len(BODY)
    layouts = page_layouts([p for _, p in HEADER] + BODY, BLOCK, True, False, "\n".join(texts))
    found = {text: (l.column, l.align) for text, l in zip(texts, layouts)}
    assert [found[text] for text, _ in HEADER[:3]] == [("left", "center")] * 3
    assert [found[text] for text, _ in HEADER[3:5]] == [("right", "center")] * 2
    assert found["Cao Bằng, ngày 05 tháng 7 năm 2025"] == ("right", "right")
    assert found["KẾ HOẠCH"] == (None, "center")  # the type under the right column is not in it


def test_the_header_is_looked_for_on_the_first_page_only():
    texts = [text for text, _ in HEADER]
    assert {l.column for l in page_layouts([p for _, p in HEADER] + BODY, BLOCK, False, False, "\n".join(texts + ["b"] * len(BODY)))} == {None}


def test_a_landscape_page_has_its_own_block():
    landscape = [line(40, 800, 100 + 20 * i) for i in range(5)]
    blocks = page_blocks([595.0, 842.0, 595.0], [BODY, landscape, None])
    assert (blocks[0].left, blocks[0].right) == (LEFT, RIGHT) and (blocks[1].left, blocks[1].right) == (40, 800)
    assert blocks[2] is None
