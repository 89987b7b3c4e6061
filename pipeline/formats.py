"""Which files vnplan reads, by suffix. Kept apart from the readers so that the batch's scan
(and a nightly run with nothing new) names them without loading PDF, DOCX and image code."""

from __future__ import annotations

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
SUPPORTED_SUFFIXES = (
    frozenset({".txt", ".pdf", ".docx", ".doc", ".rtf", ".odt", ".html", ".htm"}) | MARKDOWN_SUFFIXES | IMAGE_SUFFIXES
)
