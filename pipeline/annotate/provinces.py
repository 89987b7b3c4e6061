"""The province layer: every province name the document prints, with its canonical name."""

from __future__ import annotations

from pipeline.gazetteer.provinces import find_provinces
from pipeline.records import Document, Span

LAYER = "provinces"


def province_mentions(doc: Document) -> list[tuple[Span, str]]:
    """(span, canonical pre-2025 name) for every province name, in text order."""
    return doc.layer(LAYER, lambda d: find_provinces(d.text))


def provinces_between(doc: Document, start: int, end: int) -> list[tuple[Span, str]]:
    return [(span, name) for span, name in province_mentions(doc) if start <= span[0] and span[1] <= end]
