"""References: every other document a text cites, by number or (laws) by name.

Finding is split from resolving, as in eyecite: ``find_citations`` returns every mention
in text order; ``resolve_references`` merges mentions of the same document (numbers
restart yearly, so the key is the full number and symbol), fills each field from the
first mention that states it, and decides the relation to the citing document.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import regex

from pipeline.annotate.agencies import mention_at, mentions_between
from pipeline.extract.dates import find_dates
from pipeline.gazetteer.agencies import canonical_name
from pipeline.gazetteer.doc_types import type_by_abbreviation, type_named
from pipeline.records import Document, Reference, Span
from pipeline.rules import compiled, load_model, pattern
from pipeline.text import fold

_SPACES = regex.compile(r"\s+")
_TRAILING_DIGITS = regex.compile(r"\d+$")
MODEL = "references"
CONTEXT_BEFORE = 60
CONTEXT_AFTER = 160


@dataclass
class Citation:
    """One mention of a cited document, before mentions are merged."""

    key: str
    number: str | None
    type: str | None
    title: str | None
    date: str | None
    issuer: str | None
    span: Span


@functools.cache
def _patterns() -> dict[str, regex.Pattern]:
    context = ("context",)
    return {
        "party": pattern(MODEL, "pieces", "party_number", ignore_case=False),
        "state": pattern(MODEL, "pieces", "state_number", ignore_case=False),
        "type_before": pattern(MODEL, *context, "type_before"),
        "generic_before": pattern(MODEL, *context, "generic_before"),
        "issuer_after": pattern(MODEL, *context, "issuer_after"),
        "date_after": pattern(MODEL, *context, "date_after"),
        "issuer_stop": pattern(MODEL, *context, "issuer_stop"),
        "alias": pattern(MODEL, *context, "alias_definition"),
        "issuer_before": pattern(MODEL, *context, "issuer_before"),
        "basis": pattern(MODEL, "basis_verbs"),
        "named_stop": pattern(MODEL, "named", "stop"),
    }


def _type_name(printed: str) -> str:
    return type_named(printed) or printed


def number_key(number: str) -> str:
    """Two printings of one number compare equal: no spaces, upper case, "D" read as "Đ"."""
    return _SPACES.sub("", number).upper().replace("Đ", "D").replace("–", "-")


def find_numbers(text: str) -> list[tuple[Span, str, str | None]]:
    """(span, number as printed without spaces, type from the symbol) in text order."""
    patterns = _patterns()
    found: list[tuple[Span, str, str | None]] = []
    taken: list[Span] = []
    for match in patterns["party"].finditer(text):
        abbr_type = type_by_abbreviation().get(match.group("type").upper())
        found.append(((match.start(), match.end()), _SPACES.sub("", match.group(0)), abbr_type))
        taken.append((match.start(), match.end()))
    for match in patterns["state"].finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        first_group = regex.split(r"\s?[-–/]\s?", match.group("sym"))[0]
        abbr_type = type_by_abbreviation().get(_TRAILING_DIGITS.sub("", first_group).upper())
        found.append(((match.start(), match.end()), _SPACES.sub("", match.group(0)), abbr_type))
    return sorted(found)


def citations(doc: Document) -> list[Citation]:
    """The citation layer: every numbered or named citation of the document, in text order,
    found once (the graph of references and the finders read it)."""
    return doc.layer("citations", find_citations)


def find_citations(doc: Document) -> list[Citation]:
    """Every numbered or named citation outside the document's own number line."""
    text = doc.text
    own = doc.header.number
    own_number = doc.header.parts.get("number")
    own_key = number_key(doc.snippet(own_number)) if own_number else None
    found = []
    for span, number, abbr_type in find_numbers(text):
        if own and (own[0] <= span[0] < own[1] or number_key(number) == own_key):
            continue  # the document's own number, in its header or repeated in its closing
        before = text[max(0, span[0] - CONTEXT_BEFORE) : span[0]]
        typed = _patterns()["type_before"].search(before)
        if not typed and not abbr_type and not _patterns()["generic_before"].search(before):
            continue
        if typed and not _counts_as_type(typed.group("type"), abbr_type):
            typed = None
        doc_type = _type_name(typed.group("type")) if typed else abbr_type or load_model("doc_types")["default_type"]
        start = span[0] - (len(before) - typed.start()) if typed else span[0]
        date, issuer, end = _date_and_issuer(doc, span[1])
        issuer = issuer or _subject_issuer(doc, start)
        found.append(Citation(number_key(number), number, doc_type, None, date, issuer, (start, max(span[1], end))))
    found.extend(find_named(doc))
    return sorted(found, key=lambda c: c.span)


def _counts_as_type(printed: str, abbr_type: str | None) -> bool:
    """A cited type is capitalised ("Hướng dẫn số …"); in lower case ("văn bản hướng dẫn số …")
    it is an ordinary word unless the symbol says the same type."""
    return printed[:1].isupper() or _type_name(printed) == abbr_type


def _date_and_issuer(doc: Document, position: int) -> tuple[str | None, str | None, int]:
    """The date and the issuer that follow a number: "… ngày 19/02/2025 của Ban Chỉ đạo 138 tỉnh"."""
    text = doc.text
    patterns = _patterns()
    date = None
    cursor = position
    window = text[cursor : cursor + CONTEXT_AFTER]
    if patterns["date_after"].match(window):
        within = (cursor, min(len(text), cursor + CONTEXT_AFTER))
        mentions = [m for m in find_dates(doc, within=within) if m.kind in ("date", "partial") and m.span[0] < cursor + 30]
        if mentions:
            date = mentions[0].value
            cursor = mentions[0].span[1]
    issuer = None
    after = patterns["issuer_after"].match(text[cursor : cursor + CONTEXT_AFTER])
    if after:
        issuer, cursor = issuer_at(doc, cursor + after.end())
    return date, issuer, cursor


def _subject_issuer(doc: Document, position: int) -> str | None:
    """"Sở X đã ban hành văn bản … số N": the agency before the verb, in the same sentence."""
    text = doc.text
    sentence_start = max(text.rfind(mark, 0, position) for mark in (". ", "\n", "; "))
    window_start = max(sentence_start + 1, position - CONTEXT_AFTER)
    window = text[window_start:position]
    verbs = list(_patterns()["issuer_before"].finditer(window))
    if not verbs:
        return None
    verb_start = window_start + verbs[-1].start()
    mentions = [m for m in mentions_between(doc, window_start, verb_start) if verb_start - m.span[1] <= 1]
    return resolve_alias(doc, mentions[-1].name.name) if mentions else None


def issuer_at(doc: Document, start: int) -> tuple[str | None, int]:
    """The agency named at ``start``: the gazetteer's match, else the words up to a stop."""
    text = doc.text
    window_end = min(len(text), start + CONTEXT_AFTER)
    found = mention_at(doc, start)
    if found:
        return resolve_alias(doc, found.name.name), found.span[1]
    line_end = text.find("\n", start)
    limit = window_end if line_end == -1 else min(window_end, line_end)
    stop = _patterns()["issuer_stop"].search(text, start, limit)
    end = stop.start() if stop else limit
    raw = text[start:end].strip(" ,")
    if not raw or not raw[:1].isupper():
        return None, start
    return resolve_alias(doc, canonical_name(raw).name), end


def aliases(doc: Document) -> Mapping[str, str]:
    """Short names the opening defines: "Ban Chỉ đạo … tỉnh (Ban Chỉ đạo tỉnh)" -> the full name."""
    return doc.layer("reference-aliases", lambda d: MappingProxyType(_aliases(d)))


def _aliases(doc: Document) -> dict[str, str]:
    if doc.opening is None:
        return {}
    found: dict[str, str] = {}
    start, end = doc.opening
    mentions = mentions_between(doc, start, end)
    for match in _patterns()["alias"].finditer(doc.text, start, end):
        before = [m for m in mentions if m.span[1] <= match.start() and match.start() - m.span[1] <= 2]
        if before:
            found[fold(match.group("alias"))] = before[-1].name.name
    return found


def resolve_alias(doc: Document, name: str) -> str:
    return aliases(doc).get(fold(name), name)


def find_named(doc: Document) -> list[Citation]:
    """Laws and congress resolutions cited by name, without a number."""
    text = doc.text
    rules = load_model("references")["named"]
    stop = _patterns()["named_stop"]
    citations = []
    for kind in rules["kinds"]:
        for head in compiled(kind["head"]).finditer(text):
            end_match = stop.search(text, head.end())
            end = end_match.start() if end_match else len(text)
            title = text[head.start() : end].strip()
            words = title.split()
            if len(words) < 2 or len(words) > rules["max_words"]:
                continue
            if _patterns()["state"].match(text, end_match.end() if end_match else end) or text[end : end + 5].strip().startswith("số"):
                continue
            date = _date_and_issuer(doc, end)[0]
            citations.append(Citation("title:" + fold(title), None, kind["type"], title, date, None, (head.start(), end)))
    return citations


def resolve_references(doc: Document, citations: list[Citation]) -> list[Reference]:
    """One reference per distinct document, fields filled from the first mention stating them."""
    merged: dict[str, Reference] = {}
    basis_zone = _basis_zone(doc)
    for citation in citations:
        reference = merged.get(citation.key)
        if reference is None:
            relation = "basis" if basis_zone and basis_zone[0] <= citation.span[0] < basis_zone[1] else "cited"
            merged[citation.key] = Reference(
                type=citation.type,
                number=citation.number,
                date=citation.date,
                issuer=citation.issuer,
                relation=relation,
                span=citation.span,
                page=doc.page_at(citation.span[0]),
                title=citation.title,
                mentions=[citation.span],
            )
            continue
        reference.mentions.append(citation.span)
        if basis_zone and basis_zone[0] <= citation.span[0] < basis_zone[1]:
            reference.relation = "basis"  # named in the title first, implemented in the opening
        reference.date = reference.date or citation.date
        reference.issuer = reference.issuer or citation.issuer
    return list(merged.values())


def _basis_zone(doc: Document) -> Span | None:
    if doc.opening is None:
        return None
    if not _patterns()["basis"].match(doc.text[doc.opening[0] : doc.opening[1]]):
        return None
    return doc.opening


def extract_references(doc: Document) -> list[Reference]:
    return resolve_references(doc, citations(doc))
