"""Markdown files: pages saved from legal portals as Markdown, and text that is Markdown.

markdown-it-py reads the blocks and the inline markup: "**bold**" and "*italic*" give a
line's bold and italic, "#" headings are bold, list items keep their marker ("- ", "1. "),
GFM pipe tables are placed as every reader places a table (pipeline/ingest/text.py
place_rows: the form's two-column tables left column then right column, each line in its
cell). A soft line break stays a line break: portal copies are hard-wrapped, and segment
rejoins wrapped lines as it does for text files. Setext headings are off: in this genre
a line of dashes under the agency's name is the printed rule, not an underline.

Crawled portal pages write each table cell between lines holding a lone "|", which no
Markdown dialect has; such a page is cut at those lines, each piece read as Markdown,
and the cells put together by text.pipe_tables. The portal's own furniture is cut off
first (pipeline/ingest/portal.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

import regex

from pipeline.ingest import lines as source_lines
from pipeline.ingest.lines import combine, layout
from pipeline.ingest.text import (
    PIPE,
    Cell,
    Item,
    decode_text,
    is_pipe,
    pipe_tables,
    place_rows,
    settings,
    uses_pipe_cells,
    without_portal,
)
from pipeline.records import PLAIN, IngestError, Layout, Page, RecordWarning
from pipeline.rules import load_model

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BLANK: tuple[str, Layout] = ("", PLAIN)

# A line of rule characters only: a setext underline or a printed rule (setext headings are off).
_RULE_LINE = regex.compile(r"^[-=_~.\s]+$")
# A closing "**" after a space ("DÂN **"), which CommonMark does not let close.
_SPACED_CLOSE = regex.compile(r"(?<=\S)[ \t]+(\*\*|\*)[ \t]*$")

# Emphasis markers markdown-it could not pair ("**TM. ỦY BAN NHÂN\nDÂN **" closes after a
# space): runs of two or more asterisks, and a lone one at a line's edge or between spaces.
_STRAY = regex.compile(r"\*{2,}|^\*(?=\S)|(?<=\S)\*$|(?:^|(?<=\s))\*(?=\s|$)")


@cache
def parser() -> MarkdownIt:
    """CommonMark with GFM tables; no raw HTML, no indented code (a copy's indented lines
    are text), no setext headings. markdown-it is imported here, the first time a page needs
    it (pipeline.batch.warm_readers)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").disable(["lheading", "code"])


@cache
def _markup_patterns() -> list[regex.Pattern]:
    return [regex.compile(p) for p in settings()["markup_patterns"]]


def is_markdown(text: str) -> bool:
    """Text whose emphasis and headings are written in Markdown (enough of them that a stray
    pair of asterisks does not decide)."""
    found = sum(len(p.findall(text)) for p in _markup_patterns())
    return found >= settings()["min_markup"]


def read_markdown(data: bytes) -> tuple[list[Page], str, list[RecordWarning]]:
    """Pages (form feeds separate them) of a Markdown file, its encoding, and the note of
    what a portal's info block states."""
    text, encoding = decode_text(data)
    pages, notes = without_portal(text.split("\f"))
    read = [markdown_page(number, lines) for number, lines in enumerate(pages, start=1)]
    if not any(line.text.strip() for page in read for line in page.lines):
        raise IngestError("Markdown file with no document text (only markup or a portal's furniture)")
    return read, encoding, notes


def markdown_page(number: int, lines: list[str]) -> Page:
    tables = itertools.count()
    if uses_pipe_cells(lines):
        items: list[Item] = []
        for piece, closed in _pieces(lines):
            items.extend(piece_lines(piece, tables))
            if closed:
                items.append(PIPE)
        found = pipe_tables(items, tables)
    else:
        found = block_lines([line for line in lines if not is_pipe(line)], tables)
    found = _squeeze(found) or [BLANK]
    return source_lines.page(number, "\n".join(text for text, _ in found), [style or PLAIN for _, style in found], "plain")


def _pieces(lines: list[str]) -> Iterator[tuple[list[str], bool]]:
    """The lines between lone pipes, each piece with whether a pipe closes it."""
    piece: list[str] = []
    for line in lines:
        if is_pipe(line):
            yield piece, True
            piece = []
        else:
            piece.append(line)
    yield piece, False


def piece_lines(piece: list[str], tables: Iterator[int]) -> list[Item]:
    """The lines of the text between two lone pipes: blank lines only where the piece has
    them (at its edges) or between its blocks, not after its last block, so that a cell of
    one paragraph is its lines alone."""
    found = block_lines(piece, tables)
    while found and found[-1] == BLANK:
        found.pop()
    while found and found[0] == BLANK:
        found.pop(0)
    if not found:
        return [BLANK] if piece else []
    before = [BLANK] if not piece[0].strip() else []
    after = [BLANK] if not piece[-1].strip() else []
    return before + found + after


def _squeeze(found: list[tuple[str, Layout | None]]) -> list[tuple[str, Layout | None]]:
    """No blank line at the page's ends, none doubled."""
    out: list[tuple[str, Layout | None]] = []
    for text, style in found:
        if text.strip() or (out and out[-1][0].strip()):
            out.append((text, style))
    while out and not out[-1][0].strip():
        out.pop()
    return out


def mend_emphasis(lines: list[str]) -> list[str]:
    """Crawlers break emphasis markers off their words: "**ỦY BAN NHÂN DÂN\\n**" and
    "DÂN **" close a span, "**\\nNgày hiệu lực:**" opens one. Put them back against their
    words so that CommonMark pairs them."""
    out: list[str] = []
    pending = ""
    for line in lines:
        bare = line.strip()
        if bare in ("**", "*"):
            if out and out[-1].count(bare) % 2 == 1:
                out[-1] = out[-1].rstrip() + bare
            else:
                pending += bare
            continue
        line = _SPACED_CLOSE.sub(r"\1", line)
        out.append(pending + line.lstrip() if pending else line)
        pending = ""
    return out


def block_lines(lines: list[str], tables: Iterator[int]) -> list[Item]:
    """The lines of a piece of Markdown, each with its layout; a blank line after each block
    that is not an item of a tight list; a piece of blank lines only is one blank line."""
    source = "\n".join(mend_emphasis(lines))
    if not source.strip():
        return [BLANK] if lines else []
    out: list[Item] = []
    marker: str | None = None
    heading = False
    rows: list[tuple[int, list[Cell]]] | None = None
    row: list[Cell] = []
    for token in parser().parse(source):
        kind = token.type
        if kind == "list_item_open":
            marker = f"{token.info}{token.markup} "
        elif kind == "heading_open":
            heading = True
        elif kind in ("heading_close", "hr") or (kind == "paragraph_close" and not token.hidden):
            heading = False
            out.append(BLANK)
        elif kind == "table_open":
            rows = []
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and rows is not None:
            rows.append((len(rows), row))
        elif kind == "table_close" and rows is not None:
            out.extend(place_rows(rows, next(tables)))
            out.append(BLANK)
            rows = None
        elif kind == "inline":
            found = inline_lines(token.children or [], heading)
            if rows is not None:
                row.append(found)
                continue
            if marker is not None and found:
                found[0] = (marker + found[0][0], found[0][1])
                marker = None
            out.extend(found)
    return out


@cache
def _line_break() -> regex.Pattern:
    return regex.compile(settings()["line_break"], regex.IGNORECASE)


def inline_lines(children: list[Token], bold: bool = False) -> list[tuple[str, Layout]]:
    """The lines of an inline run (a line ends at each soft or hard break, or a literal
    <br>), each bold or italic as most of its characters are. A soft break inside a bold or
    italic span is the crawler's wrap ("*Đắk Lắk, ngày 21\\ntháng 11 năm 2025*", "**CỘNG HÒA
    XÃ HỘI\\nCHỦ NGHĨA VIỆT NAM**"): the span stays one line, unless the next line starts
    a unit of its own (an authority, a bullet, an item number)."""
    out: list[tuple[str, Layout]] = []
    parts: list[tuple[str, bool, bool]] = []
    strong = emphasis = 0

    def flush() -> None:
        text = _STRAY.sub("", "".join(part for part, _, _ in parts)).strip()
        if text and not _RULE_LINE.match(text):
            weighed = [(len(part.strip()), layout(bold=b, italic=i)) for part, b, i in parts if part.strip()]
            out.append((text, combine(weighed, align=False)))
        parts.clear()

    for index, child in enumerate(children):
        kind = child.type
        if kind == "softbreak" and (strong or emphasis) and not _starts_own_line(children[index + 1 :]):
            parts.append((" ", False, False))  # a crawler's wrap inside one bold or italic span
        elif kind in ("softbreak", "hardbreak"):
            flush()
        elif kind in ("strong_open", "strong_close"):
            strong += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            emphasis += 1 if kind == "em_open" else -1
        elif kind in ("text", "code_inline", "image"):
            for index, piece in enumerate(_line_break().split(child.content)):
                if index:
                    flush()
                parts.append((piece, bold or strong > 0, emphasis > 0))
    flush()
    return out


@cache
def _own_lines() -> list[regex.Pattern]:
    """A line's start that begins a unit of its own even inside an emphasis span: a
    signature's authority ("KT.", "TM.": models/segment.yaml), a bullet or an item number."""
    authority = load_model("segment")["signature"]["authority_pattern"]
    return [regex.compile(authority), regex.compile(settings()["own_line"])]


def _starts_own_line(rest: list[Token]) -> bool:
    following = next((child.content for child in rest if child.type == "text" and child.content.strip()), "").lstrip()
    return any(pattern.match(following) for pattern in _own_lines())
