"""The lines every reader builds its pages from: layouts merged, placed in tables, paired with the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.lines import (
    combine,
    in_column,
    in_table,
    layout,
    normalise_page,
    page,
    repeated,
    row_layout,
)
from pipeline.records import Layout, Page, SourceLine

LEGACY = Path(__file__).resolve().parents[2] / "corpus" / "legacy"


def test_a_page_keeps_its_text_and_gives_each_line_its_layout():
    bold = layout(bold=True)
    built = page(2, "KẾ HOẠCH\n\nNội dung", [bold, Layout(), Layout()], "plain")
    assert built.text == "KẾ HOẠCH\n\nNội dung" and built.number == 2
    assert [(line.text, line.layout) for line in built.lines] == [("KẾ HOẠCH", bold), ("", Layout()), ("Nội dung", Layout())]


def test_a_page_refuses_layouts_that_do_not_match_its_lines():
    with pytest.raises(ValueError):
        page(1, "một\nhai", [Layout()], "plain")


def test_equal_layouts_are_one_shared_object():
    assert layout(bold=True, size=13.0) is layout(bold=True, size=13.0) == Layout(bold=True, size=13.0)


def test_a_line_is_bold_when_most_of_its_characters_are():
    regular, bold = layout(bold=False, size=13.0, align="justify"), layout(bold=True, size=14.0, align="justify")
    assert combine([(30, bold), (10, regular)]) == Layout(bold=True, italic=None, size=14.0, align="justify")
    assert combine([(10, bold), (30, regular)]).bold is False
    assert combine([(10, bold), (10, regular)]).bold is False  # half is not most
    assert combine([(0, bold)]) == Layout(bold=None, size=14.0, align="justify")  # an empty line still has its paragraph's alignment
    assert combine([(5, bold), (5, Layout())]).bold is True  # unknown parts do not count against


def test_a_joined_table_row_has_no_alignment_and_starts_at_its_first_cell():
    cells = [[(3, layout(bold=True, align="center"))], [(8, layout(bold=True, align="left"))]]
    assert row_layout(cells, table=2, row=0) == Layout(bold=True, italic=None, cell=(0, 0), table=2)


def test_a_nested_table_keeps_its_own_cell_and_gets_the_outer_header_side():
    inner = in_table(layout(bold=True), 3, (1, 2))
    assert in_table(inner, 0, (0, 1), "right") == Layout(bold=True, cell=(1, 2), table=3, column="right")


def test_repeated_gives_one_layout_per_line():
    style = layout(align="center")
    assert repeated("một\nhai\nba", style) == [style] * 3


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_text_is_read_into_lines_like_any_text(encoding):
    for path in sorted((LEGACY / encoding).glob("*.txt")):
        document = read_document(path)
        assert document.encoding == encoding
        for number, built in enumerate(document.pages, start=1):
            assert built.number == number and built.text == "\n".join(line.text for line in built.lines)
            assert all(isinstance(line.layout, Layout) and "\n" not in line.text for line in built.lines)


def test_a_line_holding_a_line_break_is_two_lines_each_with_its_layout():
    bold = layout(bold=True)
    for one, two in (("KẾ HOẠCH\r\nSố: 12/KH", "Hòa Bình\rngày 5"), ("KẾ HOẠCH\nSố: 12/KH", "Hòa  Bình\nngày 5")):
        built = Page(1, [SourceLine(one, bold), SourceLine(""), SourceLine(two)])
        normalise_page(built)
        assert [(line.text, line.layout) for line in built.lines] == [
            ("KẾ HOẠCH", bold), ("Số: 12/KH", bold), ("", Layout()), ("Hòa Bình", Layout()), ("ngày 5", Layout())
        ]


def test_a_page_without_line_breaks_inside_its_lines_keeps_one_line_for_one():
    lines = [SourceLine("  KẾ HOẠCH ", layout(bold=True)), SourceLine(""), SourceLine("Số:  12/KH-UBND", layout(size=13.0))]
    built = Page(1, list(lines))
    normalise_page(built)
    assert [(line.text, line.layout) for line in built.lines] == [("KẾ HOẠCH", lines[0].layout), ("", Layout()), ("Số: 12/KH-UBND", lines[2].layout)]


def test_placing_a_line_in_a_column_or_cell_keeps_the_rest_of_its_layout():
    style = layout(bold=True, italic=False, align="center", indent=0.25, size=13.0)
    assert in_column(style, "left") == Layout(True, False, "center", 0.25, 13.0, None, None, "left")
    assert in_table(style, 2, (1, 0), "right") == Layout(True, False, "center", 0.25, 13.0, (1, 0), 2, "right")
    nested = in_table(style, 0, (3, 1))
    assert in_table(nested, 4, (0, 0), "left") == Layout(True, False, "center", 0.25, 13.0, (3, 1), 0, "left")
    assert in_table(in_column(style, "right"), 1, (0, 1)).column == "right"
