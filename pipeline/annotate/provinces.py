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


def home_province(doc: Document) -> str | None:
    """The province whose body issued the document, as its header prints it (the issuer's
    lines, else the place before the date); None for a central body or a bare header.
    A body printed bare ("Ủy ban nhân dân tỉnh") in the text is that province's."""
    return doc.layer(f"{LAYER}.home", _home)


def _home(doc: Document) -> str | None:
    """A central body's header names no province; only a header without issuer lines falls
    back on the place ("Hà Nội" is a ministry's place, not its province)."""
    spans = doc.header.agency_lines or ([doc.header.place_date] if doc.header.place_date else [])
    for span in spans:
        found = provinces_between(doc, *span)
        if found:
            return found[0][1]
    return None
