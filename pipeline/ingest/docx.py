"""Word documents: paragraphs and tables in body order, each line with its layout."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from docx.opc.constants import CONTENT_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PACKAGE_URI, PackURI
from docx.oxml.exceptions import InvalidXmlError
from docx.oxml.ns import qn
from lxml import etree

from pipeline.ingest import lines as source_lines
from pipeline.ingest.docx_styles import Styles, StylesPart
from pipeline.ingest.layout import SIDES, is_form_table, row_line
from pipeline.ingest.legacy import DECODERS, detect_legacy, may_be_legacy
from pipeline.ingest.lines import in_table, repeated, row_layout
from pipeline.records import PLAIN, IngestError, Layout, Page

PARAGRAPH, TABLE = qn("w:p"), qn("w:tbl")
ROW, CELL, ROW_PROPERTIES, CELL_PROPERTIES = qn("w:tr"), qn("w:tc"), qn("w:trPr"), qn("w:tcPr")
GRID_BEFORE, GRID_SPAN, V_MERGE, VAL = qn("w:gridBefore"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
# The main document is parsed as python-docx parses it (docx.oxml.parser: the same tree),
# but into plain lxml elements, without python-docx's class for each tag: walking the body
# of a sample document took 0.127 ms with its classes against 0.039 ms without.
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
# What holds paragraphs and tables in a body or cell besides itself (w:sdt through its
# w:sdtContent); tracked insertions of whole paragraphs are marked inside the paragraph.
BLOCK_HOLDERS = frozenset(qn(f"w:{name}") for name in ("sdt", "sdtContent", "customXml"))

# A piece of the body's text (a paragraph, which <w:br/> may break into lines, a table
# cell, a table row) and the layout of each of its lines.
Piece = tuple[str, list[Layout]]


class Reading:
    """What reading one document carries along: its styles and the tables counted so far
    (numbered in reading order, a nested table after the one it is in)."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.tables = itertools.count()


def block_lines(element: Any, reading: Reading) -> Iterator[Piece]:
    """The lines of a body or a table cell (its element). Tables are read where they stand,
    not after all paragraphs."""
    for block in _blocks(element):
        if block.tag == PARAGRAPH:
            text, style = reading.styles.read(block)
            yield text, repeated(text, style)
        else:
            yield from table_lines(block, reading)


def _blocks(element: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or cell in order, those inside block content
    controls and custom XML too: python-docx's iter_inner_content skips them, and a form
    made from a template often keeps its text in content controls."""
    for child in element:
        if child.tag in (PARAGRAPH, TABLE):
            yield child
        elif child.tag in BLOCK_HOLDERS:
            yield from _blocks(child)


def table_texts(table: Any, reading: Reading) -> list[list[Piece]]:
    """Each row's distinct cells. python-docx repeats a merged cell in every grid column
    and row it spans; a repeat is read once, where it starts, and is blank elsewhere."""
    seen: set = set()
    rows = []
    for row in table_rows(table):
        cells: list[Piece] = []
        previous = None
        for cell in row:
            if cell is previous:
                continue
            previous = cell
            cells.append(("", [PLAIN]) if cell in seen else cell_text(cell, reading))
            seen.add(cell)
        rows.append(cells)
    return rows


def cell_text(cell: Any, reading: Reading) -> Piece:
    pieces = list(block_lines(cell, reading))
    return "\n".join(text for text, _ in pieces), [style for _, styles in pieces for style in styles]


def table_rows(table: Any) -> Iterator[list[Any]]:
    """The w:tc elements of each row of a w:tbl as python-docx's ``_Row.cells`` gives them
    (docx/table.py, docx/oxml/table.py), a row at a time as it reads them: a cell once for
    each grid column it spans (w:gridSpan), a vertically merged cell (w:vMerge "continue")
    as the cells of the one above it at its grid offset; raising what it raises, where it
    raises. Written here as python-docx's element classes are not used (PARSER); it finds
    the cell above by XPath for each merged cell, here the row above is kept."""
    above: list[tuple[Any, list[Any]]] | None = None  # the row above: each w:tc and its cells
    above_row = None
    for row in table.iterchildren(ROW):
        cells: list[Any] = []
        placed: list[tuple[Any, list[Any]]] = []
        for tc in row.iterchildren(CELL):
            properties = tc.find(CELL_PROPERTIES)
            merge = properties.find(V_MERGE) if properties is not None else None
            if merge is not None and merge.get(VAL, "continue") == "continue":
                if above is None:
                    raise ValueError("no tr above topmost tr in w:tbl")
                offset = _grid_before(row) + sum(_grid_span(before) for before, _ in placed)
                own = _cells_at(above_row, above, offset)
            else:
                own = [tc] * _grid_span(tc)
            placed.append((tc, own))
            cells.extend(own)
        yield cells
        above, above_row = placed, row


def _cells_at(row: Any, placed: list[tuple[Any, list[Any]]], offset: int) -> list[Any]:
    """The cells of the w:tc of a row at exactly a grid offset (python-docx's
    CT_Row.tc_at_grid_offset)."""
    remaining = offset - _grid_before(row)
    for tc, cells in placed:
        if remaining < 0:
            break
        if remaining == 0:
            return cells
        remaining -= _grid_span(tc)
    raise ValueError(f"no `tc` element at grid_offset={offset}")


def _grid_span(tc: Any) -> int:
    properties = tc.find(CELL_PROPERTIES)
    span = properties.find(GRID_SPAN) if properties is not None else None
    return 1 if span is None else _decimal(span)


def _grid_before(row: Any) -> int:
    properties = row.find(ROW_PROPERTIES)
    before = properties.find(GRID_BEFORE) if properties is not None else None
    return 0 if before is None else _decimal(before)


def _decimal(element: Any) -> int:
    """A w:val python-docx requires and reads as a number (CT_DecimalNumber)."""
    value = element.get(VAL)
    if value is None:
        raise InvalidXmlError(f"required 'w:val' attribute not present on element {element.tag}")
    return int(value)


def table_lines(table: Any, reading: Reading) -> list[Piece]:
    """The form's two-column tables column by column (left block, then right block, each
    line in its cell; a header line on its side); any other table row by row, one line
    a row (in its row, at the cell it starts with)."""
    number = next(reading.tables)
    rows = table_texts(table, reading)
    texts = "\n".join(text for row in rows for text, _ in row)
    if all(len(row) == 2 for row in rows) and is_form_table(texts):
        return [
            (text, [in_table(style, number, (index, column), SIDES[column]) for style in styles])
            for column in (0, 1)
            for index, (text, styles) in enumerate(row[column] for row in rows)
            if text
        ]
    return [_row(row, number, index) for index, row in enumerate(rows)]


def _row(cells: list[Piece], table: int, index: int) -> Piece:
    """A row as one line; a row with one filled cell is that cell's text (and layout)."""
    flat = [" ".join(text.split()) for text, _ in cells]
    parts = [[(len(line), style) for line, style in zip(text.split("\n"), styles)] for text, styles in cells]
    filled = [column for column, text in enumerate(flat) if text]
    if len(filled) == 1:
        column = filled[0]
        return row_line(flat), [in_table(source_lines.combine(parts[column]), table, (index, column))]
    return row_line(flat), [row_layout(parts, table, index)]


def paragraph_runs(body: Any) -> list[list[Any]]:
    """The w:t elements of each paragraph of the body, tables' paragraphs included."""
    return [list(paragraph.iter(qn("w:t"))) for paragraph in body.iter(qn("w:p"))]


def convert_runs(runs: list[Any], decode: Callable[[str], str]) -> None:
    """Convert one paragraph's text in place. A paragraph is converted whole, as TCVN3
    capitals are told from the whole line; the result is cut back into the runs where
    its length is unchanged (TCVN3), else it goes to the first run (VNI letters shrink)."""
    texts = [run.text or "" for run in runs]
    converted = decode("".join(texts))
    if len(converted) != sum(map(len, texts)):
        texts = [converted] + [""] * (len(texts) - 1)
    else:
        cuts = list(itertools.accumulate(map(len, texts), initial=0))
        texts = [converted[a:b] for a, b in itertools.pairwise(cuts)]
    for run, text in zip(runs, texts):
        run.text = text


def repair_runs(body: Any) -> str | None:
    """A document set in a TCVN3 or VNI font is converted before it is read, so that its
    header and signature tables are recognised; returns the encoding found, if any.

    All the body's text (lxml's, at C speed: field codes and deleted text too) is asked
    first whether it could be legacy at all; most documents cannot, and their runs are then
    not listed and joined in Python for a detection that would find nothing."""
    if not may_be_legacy(etree.tostring(body, method="text", encoding="unicode")):
        return None
    paragraphs = paragraph_runs(body)
    encoding = detect_legacy("\n".join("".join(run.text or "" for run in runs) for runs in paragraphs))
    if encoding:
        for runs in paragraphs:
            convert_runs(runs, DECODERS[encoding])
    return encoding


class Package:
    """The parts of a Word file that are read: the main document (its body, plain lxml
    elements: PARSER), and its styles, read as far as they are needed (pipeline/ingest/docx_styles.py).

    python-docx's own opening reads and decompresses every part of the package (the
    thumbnail, fonts, a second copy of the styles in stylesWithEffects.xml) and builds an
    object for each: 2.1 ms on a sample document where reading these two parts takes 0.7 ms.
    The parts are found as it finds them, by the package's relationships (ECMA-376 part 2,
    OPC), the main one checked for Word's content type as python-docx checks it. ``source``:
    the file's bytes, or the archive already opened on them (pipeline.ingest._zip_kind)."""

    def __init__(self, source: bytes | zipfile.ZipFile) -> None:
        self.archive = source if isinstance(source, zipfile.ZipFile) else zipfile.ZipFile(io.BytesIO(source))  # in memory: nothing to close
        main = self.related(PACKAGE_URI, RT.OFFICE_DOCUMENT)
        if main is None:
            raise KeyError("no main document part in the package's relationships")
        if (content_type := self.content_type(main)) != CONTENT_TYPE.WML_DOCUMENT_MAIN:
            raise ValueError(f"not a Word file, content type is {content_type!r}")
        self.body = etree.fromstring(self.archive.read(main.membername), PARSER).find(qn("w:body"))
        styles = self.related(main, RT.STYLES)
        self.styles = StylesPart(self.archive.open(styles.membername) if styles else None)

    def related(self, source: PackURI, reltype: str) -> PackURI | None:
        """The part ``source`` relates to by ``reltype`` within the package, if any."""
        try:
            rels = etree.fromstring(self.archive.read(source.rels_uri.membername))
        except KeyError:
            return None
        for rel in rels:
            if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
                return PackURI.from_rel_ref(source.baseURI, rel.get("Target"))
        return None

    def content_type(self, part: PackURI) -> str | None:
        """A part's content type: its own override, else its extension's default."""
        types = etree.fromstring(self.archive.read("[Content_Types].xml"))
        for entry in types:
            if entry.get("PartName", "").lower() == part.lower():
                return entry.get("ContentType")
        extension = part.ext.lower()
        return next((entry.get("ContentType") for entry in types if entry.get("Extension", "").lower() == extension), None)


def read_docx(source: bytes | zipfile.ZipFile) -> tuple[list[Page], str | None]:
    """python-docx has no pages: the whole body is page 1. Also the legacy encoding found.
    ``source``: as Package takes it."""
    try:
        package = Package(source)
        encoding = repair_runs(package.body)
        pieces = list(block_lines(package.body, Reading(Styles(package.styles))))
    except Exception as error:  # a malformed package or part surfaces as any internal error (zipfile, lxml, a cell's span)
        raise IngestError(f"unreadable Word document: {type(error).__name__}: {error}") from error
    text = "\n".join(text for text, _ in pieces)
    return [source_lines.page(1, text, [style for _, styles in pieces for style in styles], "plain")], encoding
