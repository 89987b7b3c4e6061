"""Word documents: paragraphs and tables in body order."""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Callable, Iterator
from typing import Any, Union

import docx
from docx.opc.constants import CONTENT_TYPE
from docx.opc.part import Part, PartFactory
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipeline.ingest.layout import deinterleave, is_form_table, row_line
from pipeline.ingest.legacy import DECODERS, detect_legacy
from pipeline.records import IngestError, Page
from pipeline.text import normalise_unicode

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
    header and signature tables are recognised; returns the encoding found, if any."""
    paragraphs = paragraph_runs(body)
    encoding = detect_legacy("\n".join("".join(run.text or "" for run in runs) for runs in paragraphs))
    if encoding:
        for runs in paragraphs:
            convert_runs(runs, DECODERS[encoding])
    return encoding


def read_docx(data: bytes) -> tuple[list[Page], str | None]:
    """python-docx has no pages: the whole body is page 1. Also the legacy encoding found."""
    try:
        with _main_part_only():
            document = docx.Document(io.BytesIO(data))
        encoding = repair_runs(document.element.body)
        text = "\n".join(block_lines(document))
    except Exception as error:  # python-docx surfaces a malformed part as any internal error
        raise IngestError(f"unreadable Word document: {type(error).__name__}: {error}") from error
    return [Page.from_text(1, normalise_unicode(text), "plain")], encoding
