"""Extract: Document -> Record. Each extractor is one module with one job."""

from __future__ import annotations

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
from pipeline.extract.tables import find_table_duties
from pipeline.records import (
    Deadline,
    Document,
    Duty,
    Record,
    RecordWarning,
    RecurringReport,
)
from pipeline.rules import load_model

__all__ = ["extract"]


def extract(doc: Document) -> Record:
    """The record of one document, its values held to sane lengths (models/limits.yaml)."""
    record = _extract(doc)
    record.warnings += _size_warnings(record)
    return record


def _extract(doc: Document) -> Record:
    raw = doc.raw
    meta = extract_document(doc)
    year = meta.year or (int(meta.issue_date[:4]) if meta.issue_date else None)  # for dates printed without one
    duties = sorted(find_duties(doc, meta.issuer) + find_table_duties(doc, year), key=lambda d: d.span[0])
    deadlines = _owed_by(find_deadlines(doc, year), duties)
    recurring = _owed_by(find_recurring_reports(doc), duties)
    duties = _with_deadlines(duties, deadlines)
    return Record(
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
        references=extract_references(doc),
        dates=find_dates(doc, year),
        periods=find_periods(doc, year),
        deadlines=deadlines,
        recurring_reports=recurring,
        duties=duties,
        agencies=find_agencies(doc),
        sections=[_section_row(doc, s) for s in doc.sections],
        warnings=raw.warnings + doc.warnings,
    )


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


def _section_row(doc: Document, section) -> dict:
    return {
        "path": section.path,
        "marker": section.marker,
        "style": section.style,
        "level": section.level,
        "parent": section.parent,
        "title": doc.text[section.title_span[0] : section.title_span[1]],
        "span": list(section.span),
        "title_span": list(section.title_span),
        "page": doc.page_at(section.span[0]),
    }


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
    _cap_fields(record.document, "document", limits["field_chars"], cut)
    for name in LIST_FIELDS:
        for item in getattr(record, name):
            _cap_fields(item, name, limits["field_chars"], cut)
    for name, lengths in cut.items():
        warnings.append(RecordWarning(
            "field-cut",
            f"{name}: {len(lengths)} value(s) cut to {_cap(limits['field_chars'], name):,} characters "
            f"(the longest had {max(lengths):,}); the span still points to all its words",
        ))
    return warnings


LIST_FIELDS = ("references", "dates", "periods", "deadlines", "recurring_reports", "duties", "agencies", "sections")


def _cap(caps: dict[str, int], name: str) -> int:
    return caps.get(name, caps["default"])


def _cap_fields(item: object, prefix: str, caps: dict[str, int], cut: dict[str, list[int]]) -> None:
    """Cut, in place, every text value of ``item`` longer than its field's bound."""
    fields = item.items() if isinstance(item, dict) else vars(item).items()
    for field, value in list(fields):
        name = f"{prefix}.{field}"
        if isinstance(value, str) and len(value) > (limit := _cap(caps, name)):
            _set(item, field, value[:limit])
            cut.setdefault(name, []).append(len(value))
        elif isinstance(value, list) and any(isinstance(v, str) and len(v) > _cap(caps, name) for v in value):
            limit = _cap(caps, name)
            cut.setdefault(name, []).extend(len(v) for v in value if isinstance(v, str) and len(v) > limit)
            _set(item, field, [v[:limit] if isinstance(v, str) else v for v in value])


def _set(item: object, field: str, value: object) -> None:
    if isinstance(item, dict):
        item[field] = value
    else:
        setattr(item, field, value)
