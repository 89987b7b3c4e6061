"""spaCy as the container: one Doc that carries a record's extractions with their offsets.

A Doc is built from the normalised text by a syllable tokenizer (models/tokenizer.yaml)
whose tokens keep document numbers ("675/KH-BCĐ"), dates ("19/02/2025") and acronyms
("PT&TH") whole, and whose ``spaces`` make ``doc.text`` equal the text, always. Extractions
are span groups: ``doc.spans["agencies"]``, ``["references"]``, ``["dates"]`` and so on; a
span's label is its kind (agency level, reference type, date kind) and its normalised value
is ``span._.value`` (kept as the span's ``kb_id``, so it survives DocBin and shows in
displaCy beside the label).

Two ways in, for two uses:
- ``to_doc(record)`` puts a record's own extractions on a Doc, with no re-extraction: what
  review tools, notebooks and ``render_html`` use.
- ``make_nlp()`` is a blank pipeline whose components ("vnplan_agencies",
  "vnplan_references", "vnplan_dates") run the regex finders over ``doc.text`` and write
  the same spans, for text that has no record yet.

Why the Doc is built on demand and never inside ``extract`` (measured on the 15 sample
files, 9.2 k characters and 2.3 k tokens each on average, one core): the text path takes
about 19 ms per document (52 docs/s, the target being 50), while the tokens alone take
1.7-2.7 ms, the Doc 2.5-4.8 ms, ``to_doc`` 4.6-5 ms and ``annotate`` 7.7-8.4 ms; importing
spaCy adds 1.4 s per process. In every extraction the Doc would take the text path to about
40 docs/s for nothing the records need, so it is made only for review, notebooks and HTML.
The extractors stay regex finders over the text: spaCy is their container, not their engine.

Agencies are written by the regex finder, not by a SpanRuler: with phrase patterns
generated from the gazetteer (9,916 forms: names, variants, abbreviated forms, acronyms,
"<name> tỉnh <Province>", "<name> cấp huyện"), the ruler finds 74% of the finder's 144
mentions on the five samples exactly and 83% in part, and its names, canonicalised, score
P/R 0.67/0.67 against the four gold files where the finder scores 0.95/0.95: phrases cannot
follow the open-ended qualifiers ("thuộc Sở", lists of units), the required-qualifier rule
or names the gazetteer lacks. Matching is fast (0.4 ms a document once the Doc exists,
against 4 ms for the finder), but building the 9,916 patterns takes 2.2 s per process.
"""

from __future__ import annotations

import dataclasses
import functools
import html
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import regex
import spacy
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline.extract.agencies import find_agencies
from pipeline.extract.dates import find_dates
from pipeline.extract.references import find_numbers
from pipeline.records import KINDS, Document, Record
from pipeline.rules import load_model

AGENCY_LABEL = "AGENCY"
REFERENCE_LABEL = "REFERENCE"
DOCUMENT_GROUP = "document"
DOCUMENT_COLOUR = "#d9d9d9"
# What render_html shows by default.
REVIEW_GROUPS = ("references", "agencies", "dates", "deadlines")


def groups() -> tuple[str, ...]:
    """The span groups: the header's fields, then every kind of the registry that has spans."""
    return (DOCUMENT_GROUP, *(kind.name for kind in KINDS.values() if kind.highlight is not None))


def colours() -> dict[str, str]:
    return {DOCUMENT_GROUP: DOCUMENT_COLOUR, **{k.name: k.highlight.colour for k in KINDS.values() if k.highlight}}


class Mark(NamedTuple):
    """One extraction to be put on a Doc: characters, label, normalised value."""

    start: int
    end: int
    label: str
    value: str | None


# --------------------------------------------------------------------------- tokenizer


@functools.cache
def _token_re() -> regex.Pattern:
    """A token with its one trailing space, or a run of whitespace that is a token itself."""
    pieces = "|".join(piece["pattern"] for piece in load_model("tokenizer")["pieces"])
    return regex.compile(rf"({pieces})( ?)|(\s+)")


def tokenize(text: str) -> tuple[list[str], list[bool]]:
    """The ``words`` and ``spaces`` of a Doc whose text is exactly ``text``."""
    matches = _token_re().findall(text)
    return [token or blank for token, _, blank in matches], [space == " " for _, space, _ in matches]


class SyllableTokenizer:
    """spaCy tokenizer: text -> Doc of syllables, compounds kept whole (models/tokenizer.yaml)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = tokenize(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.text = text
        return doc


def text_of(doc: Doc) -> str:
    """The Doc's text: kept by the tokenizer, as ``doc.text`` joins every token anew on each call
    (a few ms for a plan of ten pages, paid by each component)."""
    return doc.text if doc._.text is None else doc._.text


# --------------------------------------------------------------------------- spans


def _value(span: Span) -> str | None:
    return span.kb_id_ or None


def write_spans(doc: Doc, key: str, marks: Iterable[Mark]) -> Doc:
    """``doc.spans[key]`` from character spans, widened to whole tokens where they cut one.

    A span outside the text is an error in the record, raised rather than dropped: review
    must not hide a value it cannot place."""
    spans = []
    for mark in marks:
        span = doc.char_span(mark.start, mark.end, label=mark.label, kb_id=mark.value or "", alignment_mode="expand")
        if span is None:
            raise ValueError(f"{key}: span ({mark.start}, {mark.end}) lies outside the text ({len(doc.text)} characters)")
        spans.append(span)
    doc.spans[key] = spans
    return doc


def agency_marks(text: str) -> list[Mark]:
    """Every agency mention, labelled with its level, valued with the body's canonical name."""
    marks = [
        Mark(*mention.span, agency.level or AGENCY_LABEL, agency.name) for agency in find_agencies(Document.of_text(text)) for mention in agency.mentions
    ]
    return sorted(marks)


def reference_marks(text: str) -> list[Mark]:
    """Every printed document number, labelled with the type its symbol names."""
    return [Mark(*span, doc_type or REFERENCE_LABEL, number) for span, number, doc_type in find_numbers(text)]


def date_marks(text: str, year: int | None) -> list[Mark]:
    """Every date expression, labelled with its kind, valued in ISO form."""
    return [Mark(*date.span, date.kind, date.value) for date in find_dates(Document.of_text(text), year)]


@Language.component("vnplan_agencies", assigns=["doc.spans"])
def agencies_component(doc: Doc) -> Doc:
    return write_spans(doc, "agencies", agency_marks(text_of(doc)))


@Language.component("vnplan_references", assigns=["doc.spans"])
def references_component(doc: Doc) -> Doc:
    return write_spans(doc, "references", reference_marks(text_of(doc)))


@Language.component("vnplan_dates", assigns=["doc.spans"])
def dates_component(doc: Doc) -> Doc:
    """Dates without a year take ``doc._.year`` (the document's year), when it is set."""
    return write_spans(doc, "dates", date_marks(text_of(doc), doc._.year))


@functools.cache
def make_nlp() -> Language:
    """The process's one pipeline: syllable tokenizer, then the three finders as components."""
    if not Span.has_extension("value"):
        Span.set_extension("value", getter=_value)
    for name in ("year", "text"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    nlp = spacy.blank("xx")
    nlp.tokenizer = SyllableTokenizer(nlp.vocab)
    for name in ("vnplan_agencies", "vnplan_references", "vnplan_dates"):
        nlp.add_pipe(name)
    return nlp


def annotate(text: str, year: int | None = None) -> Doc:
    """A Doc of ``text`` with the finders' spans; ``year`` completes dates printed without one."""
    nlp = make_nlp()
    doc = nlp.make_doc(text)
    doc._.year = year
    return nlp(doc)


# --------------------------------------------------------------------------- records


def record_marks(record: Mapping[str, Any]) -> dict[str, list[Mark]]:
    """A record's own extractions (as in records.jsonl) as marks, one list per group."""
    document = record["document"]
    marks = {DOCUMENT_GROUP: [Mark(*span, field, _text(document.get(field))) for field, span in document["spans"].items()]}
    for kind in KINDS.values():
        if kind.highlight is None:
            continue
        light = kind.highlight
        found = [Mark(*span, light.label(item), _text(light.value(item))) for item in record.get(kind.name) or [] for span in light.spans(item)]
        marks[kind.name] = sorted(found)
    return marks


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def to_doc(record: Record | Mapping[str, Any]) -> Doc:
    """The record's text as a Doc with the record's own extractions as span groups (no re-extraction)."""
    data = _span_fields(record)
    doc = make_nlp().make_doc(data["text"])
    doc._.year = data["document"].get("year")
    for key, marks in record_marks(data).items():
        write_spans(doc, key, marks)
    return doc


def _span_fields(record: Record | Mapping[str, Any]) -> Mapping[str, Any]:
    """The fields ``record_marks`` reads, as plain data; a dict from records.jsonl is used as is.

    Only these fields, because ``Record.to_dict()`` copies the whole record (sections,
    duty texts), which would cost more than building the Doc."""
    if not isinstance(record, Record):
        return record
    lists = {name: [dataclasses.asdict(item) for item in record.lists[name]] for name in groups() if name != DOCUMENT_GROUP}
    return {"text": record.text, "document": dataclasses.asdict(record.document), **lists}


def render_html(record: Record | Mapping[str, Any], groups: Iterable[str] = REVIEW_GROUPS) -> str:
    """displaCy "span" rendering of a record's extractions in ``groups``, with a legend.

    Labels are prefixed by their group ("agencies: province") so that one colour stands for
    one group; a span's normalised value is shown beside its label. displaCy escapes the
    text but not labels or values, so those are escaped here.
    """
    doc = to_doc(record)
    groups = tuple(groups)
    doc.spans["review"] = [
        Span(doc, span.start, span.end, label=html.escape(f"{key}: {span.label_}"), kb_id=html.escape(span.kb_id_))
        for key in groups
        for span in doc.spans[key]
    ]
    palette = colours()
    colors = {span.label_: palette[span.label_.split(":", 1)[0]] for span in doc.spans["review"]}
    body = displacy.render(doc, style="span", options={"spans_key": "review", "colors": colors}, page=False, jupyter=False)
    return _legend(groups) + body


def _legend(groups: Iterable[str]) -> str:
    palette = colours()
    items = "".join(
        f'<li style="display:inline-block;margin-right:1em"><span style="background:{palette[g]};padding:0 0.5em">{g}</span></li>'
        for g in groups
    )
    return f'<ul class="vnplan-legend" style="list-style:none;padding:0">{items}</ul>'
