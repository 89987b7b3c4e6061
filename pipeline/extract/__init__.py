"""Extract: Document -> Record.

The document's own metadata first (pipeline/extract/document.py), then every kind of the
registry (``pipeline.records.KINDS``), each by its finder, in an order where a finder sees
the kinds it reads (``Kind.after``). The finders below are the registry's: each takes the
Document and what was found before it, and calls the module that does the work.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable
from graphlib import TopologicalSorter

from pipeline.extract.agencies import find_agencies
from pipeline.extract.dates import (
    find_dates,
    find_deadlines,
    find_periods,
    find_recurring_reports,
)
from pipeline.extract.document import extract_document
from pipeline.extract.duties import find_duties
from pipeline.extract.references import extract_references
from pipeline.extract.tables import find_table_duties, table_deadlines, table_lines
from pipeline.records import (
    KINDS,
    DateMention,
    Deadline,
    Document,
    Duty,
    Found,
    Kind,
    OutlineItem,
    Period,
    Record,
    RecordWarning,
    RecurringReport,
    Reference,
)
from pipeline.rules import load_model

__all__ = ["extract"]

Finder = Callable[[Document, Found], list]


def extract(doc: Document) -> Record:
    """The record of one document, its values held to sane lengths (models/limits.yaml)."""
    raw = doc.raw
    meta = doc.layer("document-meta", extract_document)
    found = Found(meta, meta.year or (int(meta.issue_date[:4]) if meta.issue_date else None))
    for kind in _order(tuple(KINDS.values())):
        found.items[kind.name] = finder_of(kind)(doc, found)
    record = Record(
        doc_id=raw.sha256[:16],
        source=raw.source,
        sha256=raw.sha256,
        status="ok",
        text=doc.text,
        ingest={
            "format": raw.format,
            "pages": len(raw.pages),
            "ocr": raw.ocr,
            "ocr_confidence": raw.ocr_confidence,
            "encoding": raw.encoding,
            "pages_read": _pages_read(doc),
        },
        document=meta,
        lists={name: found.items[name] for name in KINDS},
        warnings=raw.warnings + doc.warnings,
    )
    record.warnings += _size_warnings(record)
    return record


@functools.cache
def _order(kinds: tuple[Kind, ...]) -> tuple[Kind, ...]:
    """The kinds in an order where each comes after those it reads."""
    by_name = {kind.name: kind for kind in kinds}
    order = TopologicalSorter({kind.name: kind.after for kind in kinds}).static_order()
    return tuple(by_name[name] for name in order)


@functools.cache
def finder_of(kind: Kind) -> Finder:
    """The kind's finder, imported from its "module:function" the first time it is needed."""
    module, _, function = kind.finder.partition(":")
    return getattr(importlib.import_module(module), function)


# --------------------------------------------------------------------------- the registry's finders


def references(doc: Document, found: Found) -> list[Reference]:
    return extract_references(doc)


def dates(doc: Document, found: Found) -> list[DateMention]:
    return find_dates(doc, found.year)


def periods(doc: Document, found: Found) -> list[Period]:
    return find_periods(doc, found.year)


def duties(doc: Document, found: Found) -> list[Duty]:
    """Duties of the outline and of task tables, in text order."""
    table_duties = find_table_duties(doc, found.year)
    return sorted(find_duties(doc, found.document.issuer, table_lines(doc)) + table_duties, key=lambda d: d.span[0])


def deadlines(doc: Document, found: Found) -> list[Deadline]:
    """Each deadline is owed by the duty whose words state it, and that duty takes its due date."""
    stated = find_deadlines(doc, found.year)
    owed = _owed_by(sorted(stated + table_deadlines(doc, found.year, stated), key=lambda d: d.span[0]), found.items["duties"])
    _with_deadlines(found.items["duties"], owed)
    return owed


def recurring_reports(doc: Document, found: Found) -> list[RecurringReport]:
    return _owed_by(find_recurring_reports(doc), found.items["duties"])


def agencies(doc: Document, found: Found) -> list:
    return find_agencies(doc)


def sections(doc: Document, found: Found) -> list[OutlineItem]:
    return [_outline_item(doc, section) for section in doc.sections]


def _pages_read(doc: Document) -> list[dict]:
    """How each page was read (text layer or OCR, with its confidence) and where its text lies."""
    ends = [*doc.page_starts[1:], len(doc.text)]
    return [
        {"page": page.number, "method": page.method, "ocr_confidence": page.ocr_confidence, "span": [start, end]}
        for page, start, end in zip(doc.raw.pages, doc.page_starts, ends)
    ]


def _owed_by(items: list[Deadline] | list[RecurringReport], duties: list[Duty]) -> list:
    """A deadline or reporting duty is owed by the agency of the duty whose words state it."""
    for item in items:
        if item.agency is None:
            owner = _duty_at(duties, item.span[0])
            item.agency = owner.agency if owner else None
    return items


def _with_deadlines(duties: list[Duty], deadlines: list[Deadline]) -> list[Duty]:
    for deadline in deadlines:
        owner = _duty_at(duties, deadline.span[0])
        if owner is not None and owner.deadline is None:
            owner.deadline = deadline.due
    return duties


def _duty_at(duties: list[Duty], offset: int) -> Duty | None:
    return next((d for d in duties if d.span[0] <= offset < d.span[1]), None)


def _outline_item(doc: Document, section) -> OutlineItem:
    return OutlineItem(
        path=section.path,
        marker=section.marker,
        style=section.style,
        level=section.level,
        parent=section.parent,
        title=doc.text[section.title_span[0] : section.title_span[1]],
        span=section.span,
        title_span=section.title_span,
        page=doc.page_at(section.span[0]),
    )


def _size_warnings(record: Record) -> list[RecordWarning]:
    """A "large-document" warning, and a "field-cut" one per field whose values were cut."""
    limits = load_model("limits")
    warnings = []
    if len(record.text) > limits["large_document_chars"]:
        warnings.append(RecordWarning(
            "large-document",
            f"a very large document: {len(record.text):,} characters (over {limits['large_document_chars']:,}); "
            "processed whole, but rules written for plans and reports give little on a text of this size",
        ))
    cut: dict[str, list[int]] = {}
    _cap_fields([record.document], "document", cut)
    for name in KINDS:
        _cap_fields(record.lists[name], name, cut)
    for name, lengths in cut.items():
        warnings.append(RecordWarning(
            "field-cut",
            f"{name}: {len(lengths)} value(s) cut to {_cap(name):,} characters "
            f"(the longest had {max(lengths):,}); the span still points to all its words",
        ))
    return warnings


def _cap(name: str) -> int:
    caps = load_model("limits")["field_chars"]
    return caps.get(name, caps["default"])


@functools.cache
def _bounded_fields(cls: type, prefix: str) -> tuple[tuple[str, str, int], ...]:
    """(field, its name in warnings, its bound) for every text or list field of a record type."""
    return tuple(
        (field.name, f"{prefix}.{field.name}", _cap(f"{prefix}.{field.name}"))
        for field in dataclasses.fields(cls)
        if "str" in str(field.type) and "Span" not in str(field.type)
    )


def _cap_fields(items: list, prefix: str, cut: dict[str, list[int]]) -> None:
    """Cut, in place, every text value of ``items`` longer than its field's bound. The
    fields are looked up once for a run of items of one type (a kind's list holds one):
    a call and a look-up for each item were a fifth of the cost."""
    bounded, kind = (), None
    for item in items:
        if type(item) is not kind:
            kind = type(item)
            bounded = _bounded_fields(kind, prefix)
        for field, name, limit in bounded:
            value = getattr(item, field)
            if isinstance(value, str):
                if len(value) > limit:
                    setattr(item, field, value[:limit])
                    cut.setdefault(name, []).append(len(value))
            elif value and isinstance(value, list) and any(isinstance(v, str) and len(v) > limit for v in value):  # most lists are empty
                cut.setdefault(name, []).extend(len(v) for v in value if isinstance(v, str) and len(v) > limit)
                setattr(item, field, [v[:limit] if isinstance(v, str) else v for v in value])
