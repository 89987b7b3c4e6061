"""Word documents: paragraphs and tables in body order."""

from __future__ import annotations

import contextlib
import io
from typing import Union
from collections.abc import Iterator

import docx
from docx.opc.constants import CONTENT_TYPE
from docx.opc.part import Part, PartFactory
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipeline.ingest.layout import deinterleave, is_form_table, row_line
from pipeline.records import IngestError, Page
from pipeline.segment.normalise import normalise_unicode

Container = Union["docx.document.Document", _Cell]


def block_lines(container: Container) -> Iterator[str]:
    """Tables are read where they stand in the body, not after all paragraphs."""
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from table_lines(block)


def table_texts(table: Table) -> list[list[str]]:
    """Each row's distinct cells. python-docx repeats a merged cell in every grid column
    and row it spans; a repeat is read once, where it starts, and is blank elsewhere."""
    seen: set = set()
    rows = []
    for row in table.rows:
        texts: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            texts.append("" if cell._tc in seen else cell_text(cell))
            seen.add(cell._tc)
        rows.append(texts)
    return rows


def cell_text(cell: _Cell) -> str:
    return "\n".join(block_lines(cell))


def table_lines(table: Table) -> list[str]:
    """The form's two-column tables column by column; any other table row by row."""
    rows = table_texts(table)
    if all(len(row) == 2 for row in rows) and is_form_table("\n".join("\n".join(row) for row in rows)):
        return deinterleave(rows)
    return [row_line([" ".join(text.split()) for text in row]) for row in rows]


@contextlib.contextmanager
def _main_part_only() -> Iterator[None]:
    """Parse only word/document.xml: styles, numbering, theme and settings are not read.

    python-docx parses every XML part on opening, which is most of its cost (11 -> 5 ms a
    document on the sample corpus). Its PartFactory.part_class_selector hook loads the
    other parts as opaque blobs; the hook is restored afterwards so that code writing
    Word files in the same process still sees the styles.
    """
    previous = PartFactory.part_class_selector
    PartFactory.part_class_selector = staticmethod(
        lambda content_type, reltype: None if content_type == CONTENT_TYPE.WML_DOCUMENT_MAIN else Part
    )
    try:
        yield
    finally:
        PartFactory.part_class_selector = previous


def read_docx(data: bytes) -> list[Page]:
    """python-docx has no pages: the whole body is page 1."""
    try:
        with _main_part_only():
            text = "\n".join(block_lines(docx.Document(io.BytesIO(data))))
    except Exception as error:  # python-docx surfaces a malformed part as any internal error
        raise IngestError(f"unreadable Word document: {type(error).__name__}: {error}") from error
    return [Page(number=1, text=normalise_unicode(text), method="plain")]
