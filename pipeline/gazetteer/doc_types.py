"""Document types (models/doc_types.yaml): their names and the abbreviations symbols use."""

from __future__ import annotations

import functools

from pipeline.rules import load_model
from pipeline.text import fold

# A type line is the type's name alone: longer lines only mention one.
TYPE_LINE_MAX = 40


@functools.cache
def _names() -> dict[str, str]:
    return {fold(entry["name"]): entry["name"] for entry in load_model("doc_types")["types"]}


def type_named(text: str) -> str | None:
    """The document type ``text`` names, written the gazetteer's way ("KẾ HOẠCH" -> "Kế hoạch"), else None."""
    if len(text) > TYPE_LINE_MAX:
        return None
    return _names().get(fold(text))


@functools.cache
def type_by_abbreviation() -> dict[str, str]:
    """"KH" -> "Kế hoạch": the abbreviation a document symbol uses for its type."""
    return {abbr.upper(): entry["name"] for entry in load_model("doc_types")["types"] for abbr in entry["abbr"]}
