"""The document's text ready for rules tried where their word stands (``rules.Scan``): its
case-folded copy and the places of each word, made once per document and shared by the
time layer and the finders (a citation's law head, a duty's co-agency cues)."""

from __future__ import annotations

from pipeline.records import Document
from pipeline.rules import Scan

LAYER = "scan"


def text_scan(doc: Document) -> Scan:
    """The document's ``Scan``, made the first time a layer or finder asks for it."""
    return doc.layer(LAYER, lambda d: Scan(d.text))
