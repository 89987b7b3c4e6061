"""One printed name written the gazetteer's way, so that a header's issuer, a cited
document's issuer and a duty's agency compare across documents and provinces; and the body
that took a name over in the 2025 reorganisation.
"""

from __future__ import annotations

import functools

from pipeline.gazetteer.agencies.compiled import SPACES
from pipeline.gazetteer.agencies.mentions import (
    AgencyName,
    agency_name,
    expand_unknown,
    scan,
)
from pipeline.rules import load_model
from pipeline.text import fold, normalise_unicode


def canonical_name(raw: str) -> AgencyName:
    """One printed name written the gazetteer's way: acronyms expanded, capitals of
    running text, tones normalised, line breaks folded, qualifiers kept. (Letter-spaced
    words are made whole before any stage reads the text: pipeline.text.)"""
    cleaned = SPACES.sub(" ", normalise_unicode(raw)).strip(" .,;:")
    found = scan(cleaned)
    if len(found) == 1 and found[0].span == (0, len(cleaned)):
        return agency_name(found[0])
    name = expand_unknown(cleaned)
    return AgencyName(name=name, level=None, acronym=None, known=False, key=fold(name) + "|")


@functools.cache
def _department_mergers() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """(folded old name, old name, new name), longest first, by the folded name's first
    word: a name's successor can only be among the old names that begin with its own first
    word, one or two of the fourteen (successor_2025 2.1 -> 0.5 us, ~15 bodies a document)."""
    mergers = load_model("mergers_2025")["departments"]["mergers"]
    pairs = sorted(((m["from"], m["to"]) for m in mergers), key=lambda pair: -len(pair[0]))
    by_word: dict[str, list[tuple[str, str, str]]] = {}
    for before, after in pairs:
        folded = fold(before)
        by_word.setdefault(folded.partition(" ")[0], []).append((folded, before, after))
    return {word: tuple(mergers) for word, mergers in by_word.items()}


def successor_2025(name: str) -> str | None:
    """The body that took over a department or ministry merged in 2025, with the printed
    qualifier kept ("Sở Thông tin và Truyền thông tỉnh Hải Dương" -> "Sở Khoa học và Công
    nghệ tỉnh Hải Dương"); None for a body that was not merged. Parts of a body's work that
    went elsewhere are listed in models/mergers_2025.yaml, not guessed here."""
    folded = fold(name)
    for folded_before, before, after in _department_mergers().get(folded.partition(" ")[0], ()):
        if folded == folded_before or folded.startswith(folded_before + " "):
            return after + name[len(before) :]
    return None
