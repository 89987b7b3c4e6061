"""The record types: the contract between ingest, segment, extract and emit.

Every stage is a function from one of these structures to the next:

    ingest:  path            -> RawDocument   (pages of text, as read)
    segment: RawDocument     -> Document      (normalised text, lines, zones; layers on demand)
    extract: Document        -> Record        (metadata, references, dates, duties, ...)
    emit:    list[Record]    -> files         (JSONL, Parquet, DuckDB)

Spans are ``(start, end)`` character offsets into ``Document.text`` (the normalised
text, which the record carries as ``text``); pages are 1-based.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

Span = tuple[int, int]
T = TypeVar("T")

RECORD_VERSION = 3


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True)
class Layout:
    """How a line looks in its source, as far as the source says; None where it does not.

    Every reader gives what its format knows: a PDF its fonts and word boxes, a Word file its
    runs, paragraph alignment and tables, HTML and Markdown their tags and cells, OCR its boxes.
    """

    bold: bool | None = None
    italic: bool | None = None
    align: str | None = None  # left | center | right | justify
    indent: float | None = None  # left edge as a share of the text block's width (0 = the margin)
    size: float | None = None  # font size in points
    cell: tuple[int, int] | None = None  # (row, column) in a table, 0-based
    table: int | None = None  # which table of the page the cell is in, 0-based
    column: str | None = None  # left | right: the side of the form's two-column header or closing table


PLAIN = Layout()


@dataclass
class SourceLine:
    """One line of a page as read: its text (normalised by ingest) and its layout."""

    text: str
    layout: Layout = PLAIN


@dataclass
class Page:
    """One page of a source document as read: its lines, each with the layout the source knows."""

    number: int
    lines: list[SourceLine]
    method: str = "text-layer"  # text-layer | ocr | plain
    ocr_confidence: float | None = None
    ocr_pdf: bytes | None = field(default=None, repr=False)  # the OCRed scan with an invisible text layer, when asked

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @classmethod
    def from_text(cls, number: int, text: str, method: str = "plain", **fields: Any) -> Page:
        """A page from text alone (a source that knows no layout, or a composed test page)."""
        return cls(number, [SourceLine(line) for line in text.split("\n")], method, **fields)


@dataclass
class RecordWarning:
    """Something a reader of the record should know: a missing header element, a weak OCR page."""

    code: str
    message: str
    span: Span | None = None
    page: int | None = None


@dataclass
class Signature:
    """A digital signature in a PDF, as its certificate and signed attributes state it (the
    chain is not validated): evidence beside the printed signer and date."""

    field: str | None  # the signature field's name
    name: str | None  # the certificate's common name: a person, or an office's seal
    organisation: str | None
    unit: str | None  # the organisational unit, where the certificate names one
    time: str | None  # the signing time the signer states, ISO 8601 with its offset
    coverage: str  # entire file | entire revision (more was added after it) | partial | unclear
    whole_file: bool


@dataclass
class RawDocument:
    """What ingest read from one file."""

    source: str
    sha256: str
    format: str  # txt | pdf | docx | html | image
    pages: list[Page]
    encoding: str | None = None
    ocr: bool = False
    ocr_confidence: float | None = None
    warnings: list[RecordWarning] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)  # a PDF's digital signatures


class IngestError(Exception):
    """A file that cannot be read; the message is shown to the user as the record's error."""


# --------------------------------------------------------------------------- segment


@dataclass
class Line:
    """A logical line of the normalised text: a paragraph (rejoined), heading or bullet, with
    the page it starts on and the layout of its first line as read."""

    start: int
    end: int
    kind: str  # heading | bullet | paragraph | row (a table row, cells joined by " | ") | blank
    page: int = 1
    layout: Layout = PLAIN


@dataclass
class Section:
    """A numbered outline item or bullet, with its place in the outline.

    ``path`` is the numbered path as printed ("III.1", "II.3.a"); bullets share the path
    of the numbered item they stand under. ``title_span`` is the heading text after its
    marker; ``span`` runs from the marker to the end of the item's body.
    """

    path: str
    marker: str  # as printed: "III.", "1.", "1.1.", "a)", "-", "+", "*"
    style: str  # roman | arabic | decimal | letter | dash | plus | star
    level: int
    span: Span
    title_span: Span
    parent: int | None = None  # index into Document.sections


@dataclass
class Header:
    """Anchors of the official form (Nghị định 30/2020/NĐ-CP); None where absent."""

    agency_lines: list[Span] = field(default_factory=list)
    motto: Span | None = None
    number: Span | None = None
    place_date: Span | None = None
    doc_type: Span | None = None
    title: Span | None = None
    addressees: Span | None = None  # "Kính gửi: ..."
    doc_type_name: str | None = None  # the type the type line names ("Kế hoạch")
    parts: dict[str, Span] = field(default_factory=dict)  # pieces of anchor lines: "number" (after "Số:"), "place"


@dataclass
class Document:
    """One file after segment: the normalised text, its logical lines, the zones of the
    official form labelled once, and annotation layers (agency mentions, time expressions,
    citations, province names) computed once, on first use, by ``layer``.

    Finders read zones and layers; none scans the whole text again for what a layer holds.
    """

    raw: RawDocument
    text: str
    page_starts: list[int]  # offset at which each page begins, page 1 first
    lines: list[Line]
    header: Header
    opening: Span | None = None
    body: Span | None = None
    sections: list[Section] = field(default_factory=list)
    closing: Span | None = None
    recipients: Span | None = None  # the "Nơi nhận:" block
    signature: Span | None = None
    warnings: list[RecordWarning] = field(default_factory=list)
    appendices: list[Span] = field(default_factory=list)  # appendices after the signature: body text again
    layers: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def layer(self, name: str, compute: Callable[[Document], T]) -> T:
        """The annotation layer ``name``, computed by ``compute`` the first time it is asked for."""
        if name not in self.layers:
            self.layers[name] = compute(self)
        return self.layers[name]

    @classmethod
    def of_text(cls, text: str, source: str = "passage") -> Document:
        """A document that is only a text, without zones: for finders run on a passage (a
        composed test sentence, a spaCy component's text)."""
        raw = RawDocument(source, "", "txt", [Page.from_text(1, text)])
        return cls(raw=raw, text=text, page_starts=[0], lines=[], header=Header())

    def page_at(self, offset: int) -> int:
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def snippet(self, span: Span | None) -> str | None:
        return None if span is None else self.text[span[0] : span[1]]


# --------------------------------------------------------------------------- extract


@dataclass
class DocumentMeta:
    """The document's own metadata: the header fields of the official form (docs/gold.md, "document")."""

    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    title: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    province: str | None = None
    province_evidence: str | None = None
    issue_place: str | None = None
    issue_date: str | None = None
    year: int | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signer_authority: str | None = None
    recipients: list[str] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)  # the file's digital signatures, as read
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class Reference:
    """A cited document. ``number`` is as printed, minus line breaks and stray spaces."""

    type: str | None
    number: str | None
    date: str | None
    issuer: str | None
    relation: str  # basis | cited
    span: Span
    page: int
    title: str | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass
class DateMention:
    text: str
    kind: str  # date | partial | year | range | quarter | deadline | recurring
    value: str | None
    span: Span


@dataclass
class Period:
    what: str | None
    start: str | None
    end: str | None
    span: Span


@dataclass
class Deadline:
    agency: str | None
    task: str | None
    due: str | None
    span: Span


@dataclass
class RecurringReport:
    agency: str | None
    frequency: str  # quarterly | semiannual | annual | monthly | ad hoc
    due_day: str | None
    to: str | None
    span: Span


@dataclass
class Duty:
    agency: str | None
    section: str | None
    role: str  # lead | coordinate | requested
    text: str
    span: Span
    deadline: str | None = None
    co_agencies: list[str] = field(default_factory=list)


@dataclass
class Mention:
    text: str
    span: Span


@dataclass
class Agency:
    name: str  # canonical, the same across provinces
    raw: str  # first mention as printed
    acronym: str | None
    level: str | None  # central | province | district | commune | unit
    mentions: list[Mention] = field(default_factory=list)
    successor_2025: str | None = None  # the body that took it over in the 2025 reorganisation


@dataclass
class OutlineItem:
    """A section of the record: a numbered outline item or bullet, as segment found it."""

    path: str
    marker: str
    style: str
    level: int
    parent: int | None
    title: str
    span: Span
    title_span: Span
    page: int


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Highlight:
    """How a kind's items show as spans: a spaCy span group and the review site's highlights,
    both named after the kind. Each function reads one item as records.jsonl holds it."""

    label: Callable[[dict[str, Any]], str | None]  # the span's label (a reference's type, a date's kind)
    value: Callable[[dict[str, Any]], str | None]  # its normalised value
    colour: str
    anchor: str  # prefix of the site's row anchors ("reference-3")
    spans: Callable[[dict[str, Any]], list[Span]] = lambda item: [item["span"]]


@dataclass(frozen=True)
class Scoring:
    """How ``vnplan eval`` scores a kind against gold lists: by the matching rules named
    (pipeline/evaluate/rules.py, strictest first), then attributes on matched pairs."""

    rules: tuple[str, ...]
    describe: str  # how --per-doc lists a mismatch: a describer of pipeline/evaluate/rules.py
    attributes: tuple[tuple[str, str], ...] = ()  # (field, rule) scored on matched pairs
    field: str | None = None  # score this field's values instead of whole items
    distinct: bool = False  # ... as a set of distinct values


@dataclass(frozen=True)
class Kind:
    """One kind of extraction: one entry here and one finder make it a record field, a table
    (pipeline/emit/tables.py derives its columns from ``item``), a span group and site
    highlight (``highlight``) and a scored list of ``vnplan eval`` (``scoring``).

    ``finder`` is "module:function", imported when a document is first extracted, so that
    this contract does not depend on the stage that fills it. The finder takes the Document
    and what was found before it (``Found``) and returns the kind's items in text order.
    """

    name: str
    singular: str  # names its mention table ("reference_mentions") and ordinal columns
    item: type
    finder: str
    highlight: Highlight | None = None
    scoring: Scoring | None = None
    mentions: str | None = None  # a field of spans (or of items with a span): a table of one row per mention
    after: tuple[str, ...] = ()  # kinds whose items the finder reads (found first)


def _interval(item: dict[str, Any]) -> str | None:
    start, end = item.get("start"), item.get("end")
    return None if start is None and end is None else f"{start or '..'}/{end or '..'}"


# In record order: a record's lists, the JSON keys and the tables follow it.
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "references",
            "reference",
            Reference,
            "pipeline.extract:references",
            Highlight(lambda r: r["type"] or "REFERENCE", lambda r: r["number"] or r["title"], "#fdd49e", "reference",
                      lambda r: r["mentions"] or [r["span"]]),
            Scoring(("reference_by_number", "reference_by_title"), "reference",
                    (("date", "same_text"), ("type", "same_name"), ("issuer", "same_name"), ("relation", "same_name"))),
            mentions="mentions",
        ),
        Kind(
            "dates",
            "date",
            DateMention,
            "pipeline.extract:dates",
            Highlight(lambda d: d["kind"], lambda d: d["value"], "#b2df8a", "date"),
            Scoring(("same_text",), "value", field="value"),
        ),
        Kind(
            "periods",
            "period",
            Period,
            "pipeline.extract:periods",
            Highlight(lambda p: "period", _interval, "#d8f0d2", "period"),
            Scoring(("same_period",), "period"),
        ),
        Kind(
            "deadlines",
            "deadline",
            Deadline,
            "pipeline.extract:deadlines",
            Highlight(lambda d: "deadline", lambda d: d["due"], "#fb9a99", "deadline"),
            Scoring(("same_due_and_agency", "same_due"), "deadline", (("agency", "names_overlap"),)),
            after=("duties",),
        ),
        Kind(
            "recurring_reports",
            "recurring_report",
            RecurringReport,
            "pipeline.extract:recurring_reports",
            Highlight(lambda r: r["frequency"], lambda r: r["due_day"], "#fde0ef", "report"),
            Scoring(("same_schedule_and_agency", "same_schedule"), "report"),
            after=("duties",),
        ),
        Kind(
            "duties",
            "duty",
            Duty,
            "pipeline.extract:duties",
            Highlight(lambda d: d["role"], lambda d: d["agency"], "#efe6f5", "duty"),
            Scoring(("same_agency_and_text", "overlapping_agency_and_text"), "duty",
                    (("role", "same_name"), ("section", "same_name"))),
        ),
        Kind(
            "agencies",
            "agency",
            Agency,
            "pipeline.extract:agencies",
            Highlight(lambda a: a["level"] or "AGENCY", lambda a: a["name"], "#a6cee3", "agency",
                      lambda a: [m["span"] for m in a["mentions"]]),
            Scoring(("same_name",), "value", field="name", distinct=True),
            mentions="mentions",
        ),
        Kind("sections", "section", OutlineItem, "pipeline.extract:sections"),
    )
}


@dataclass
class Found:
    """What extraction has found so far in one document, for the finders that need it: the
    document's metadata, the year a date printed without one takes, and each kind's items."""

    document: DocumentMeta
    year: int | None
    items: dict[str, list] = field(default_factory=dict)


@dataclass
class Record:
    """One input file's result: the line written to records.jsonl.

    ``lists`` holds each kind's items under its name (``KINDS``, in that order); they are
    read as attributes (``record.duties``) and written as top-level keys of the JSON.
    """

    doc_id: str
    source: str
    sha256: str
    status: str  # ok | error
    error: str | None = None
    text: str = ""
    ingest: dict[str, Any] = field(default_factory=dict)
    document: DocumentMeta = field(default_factory=DocumentMeta)
    lists: dict[str, list] = field(default_factory=lambda: {name: [] for name in KINDS})
    warnings: list[RecordWarning] = field(default_factory=list)
    version: int = RECORD_VERSION

    def __getattr__(self, name: str) -> list:
        """A kind's items by its name; only called for names that are not fields."""
        lists = self.__dict__.get("lists")
        if lists is not None and name in lists:
            return lists[name]
        raise AttributeError(name)

    def to_dict(self) -> dict[str, Any]:
        data = _plain(dataclasses.asdict(self))
        lists = data.pop("lists")
        warnings, version = data.pop("warnings"), data.pop("version")
        return {**data, **lists, "warnings": warnings, "version": version}


def _plain(value: Any) -> Any:
    """Tuples (spans) become lists so that the dict is exactly what JSON round-trips to."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def error_record(source: str, sha256: str, message: str, fmt: str | None = None) -> Record:
    return Record(
        doc_id=sha256[:16] if sha256 else "",
        source=source,
        sha256=sha256,
        status="error",
        error=message,
        ingest={"format": fmt, "pages": 0, "ocr": False, "ocr_confidence": None, "encoding": None, "pages_read": []},
    )
