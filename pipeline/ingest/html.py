"""Web pages saved from legal portals and provincial websites: the document's own text.

lxml.html parses the page, however loose its markup. Telling the document from the site
around it is written here because the extractor that does it well, trafilatura (2.3.1,
tables included, measured on tests/ingest/test_html.py's portal page), drops the site but
flattens each table cell into one line: the header's agency lines, the recipient list and
the signer's block run together, and later stages need them line by line. So the
furniture goes by tag, by id and class words and by link share (models/html.yaml), the
document's part is found by walking down into the child that holds most of the text, and
tables are read as the other readers read them: the form's two-column tables left block
then right block, any other table row by row with " | ".

Each line's layout is what its markup says: bold (<b>, <strong>, headings, font-weight),
italic (<i>, <em>, font-style), alignment (align=, <center>, text-align), size (font-size in
pt or px), and its table cell. Stylesheets are not read: a class that makes text bold or
centred in the site's CSS is not seen.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any, NamedTuple

from pipeline.ingest import lines as source_lines
from pipeline.ingest.layout import (
    header_anchor,
    signature_anchor,
)
from pipeline.ingest.legacy import DECODERS, detect_legacy
from pipeline.ingest.lines import combine, layout
from pipeline.ingest.text import decode, place_rows
from pipeline.records import IngestError, Layout, Page
from pipeline.rules import load_model
from pipeline.text import normalise_unicode

Element = Any  # lxml.html.HtmlElement

# Where an element ends a line; None never occurs in text, so it marks a break.
BREAK = None

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Browsers read a page labelled Latin-1 or ASCII as Windows-1252 (the WHATWG encoding
# standard), and so did the editors that made TCVN3 pages: "…" is 0x85 there.
WINDOWS_1252_LABELS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_ID_WORDS = re.compile(r"[\s_-]+")


# The first markup of a web page, after any BOM, whitespace or XML declaration.
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.IGNORECASE | re.DOTALL)


def is_html(data: bytes) -> bool:
    """A web page starts with its doctype or html, head, body or meta tag."""
    return _HTML_START.match(data[:4096]) is not None


@cache
def rules() -> dict[str, Any]:
    return load_model("html")


@cache
def formatting_tags() -> frozenset[str]:
    """The tags that format their text whatever their attributes (<b>, <em>, <center>...)."""
    data = rules()["formatting"]
    return frozenset([*data["bold_tags"], *data["italic_tags"], *data["align_tags"]])


def decode_html(data: bytes) -> tuple[str, str]:
    """UTF-8 if it decodes, else the page's declared charset, else a guess."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = WINDOWS_1252_LABELS.get(name, name)
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def parse(text: str) -> Element:
    """lxml is imported here, the first time a page needs it (pipeline.batch.warm_readers)."""
    import lxml.html

    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except Exception as error:  # lxml raises ParserError or ValueError on an empty or broken page
        raise IngestError(f"unreadable web page: {type(error).__name__}: {error}") from error


def visible_text(element: Element) -> str:
    return " ".join(element.text_content().split())


def link_length(element: Element) -> int:
    return sum(len(visible_text(link)) for link in element.iter("a"))


def own_length(element: Element) -> int:
    """Text length without link text: menus are links, the document is not."""
    return len(visible_text(element)) - link_length(element)


def anchors(element: Element) -> set[str]:
    """The form's anchors present in the element: the national motto, the "Nơi nhận" label."""
    text = normalise_unicode(visible_text(element))
    found = {"header"} if header_anchor().search(text) else set()
    return found | ({"signature"} if signature_anchor().search(text) else set())


def is_furniture(element: Element) -> bool:
    """Menus, banners, footers, share buttons: by tag, id and class words, or hidden."""
    data = rules()
    if element.tag in data["landmark_tags"] or _HIDDEN.search(element.get("style", "")) or element.get("hidden") is not None:
        return True
    names = f"{element.get('id', '')} {element.get('class', '')}".lower()
    words = set(_ID_WORDS.split(names))
    if words & set(data["furniture_words"]) or any(phrase in names for phrase in data["furniture_phrases"]):
        return True
    return element.tag in ("ul", "ol") and link_length(element) > data["max_link_share"] * max(len(visible_text(element)), 1)


def strip_furniture(root: Element) -> None:
    """Drop the site around the document; a block holding the form's anchors or half the
    page's text is kept whatever its class says."""
    data = rules()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in data["dropped_tags"]:
            element.drop_tree()
    total = own_length(root)
    for element in list(root.iter()):
        if element.getparent() is None or not is_furniture(element):
            continue
        if not anchors(element) and own_length(element) < total / 2:
            element.drop_tree()


def content_root(body: Element) -> Element:
    """Walk down into the child that holds most of the text, keeping the form's anchors."""
    share = rules()["descend_share"]
    node = body
    while True:
        children = [child for child in node if isinstance(child.tag, str)]
        if not children:
            return node
        best = max(children, key=own_length)
        if own_length(best) < share * own_length(node) or not anchors(best) >= anchors(node):
            return node
        node = best


class Markup(NamedTuple):
    """What the markup around a piece of text says of how it looks (inherited inwards)."""

    bold: bool = False
    italic: bool = False
    align: str | None = None
    size: float | None = None


_STYLE = re.compile(r"(font-weight|font-style|text-align|font-size)\s*:\s*([^;]+)", re.IGNORECASE)


def markup(element: Element, outer: Markup) -> Markup:
    """The element's own formatting over what it inherits: its tag, its align attribute and
    the declarations of its style attribute that say bold, italic, alignment or size."""
    tag, align, style = element.tag, element.get("align"), element.get("style")
    if tag not in formatting_tags() and align is None and style is None:
        return outer  # most elements (<p>, <div>, <span>) say nothing of their own
    return _markup(tag, align, style, outer)


@lru_cache(maxsize=4096)
def _markup(tag: str, align_attribute: str | None, style: str | None, outer: Markup) -> Markup:
    """Remembered: a page repeats a few tags, attributes and styles on every paragraph."""
    data = rules()["formatting"]
    bold = outer.bold or tag in data["bold_tags"]
    italic = outer.italic or tag in data["italic_tags"]
    align = data["align_tags"].get(tag) or data["align_values"].get((align_attribute or "").strip().lower()) or outer.align
    size = outer.size
    for name, value in _STYLE.findall(style or ""):
        name, value = name.lower(), value.strip().lower()
        if name == "font-weight":
            bold = value in data["bold_weights"] or (value.isdigit() and int(value) >= data["bold_weight"])
        elif name == "font-style":
            italic = value in data["italic_styles"]
        elif name == "text-align":
            align = data["align_values"].get(value, align)
        elif (points := _points(value)) is not None:
            size = points
    found = Markup(bold, italic, align, size)
    return outer if found == outer else found


def _points(value: str) -> float | None:
    """A font size in pt, or in px (CSS: 1px = 0.75pt); relative sizes are not known here."""
    found = re.fullmatch(r"([\d.]+)\s*(pt|px)", value)
    if found is None:
        return None
    try:
        number = float(found.group(1))
    except ValueError:
        return None
    return round(number * (0.75 if found.group(2) == "px" else 1.0), 1)


class Reading:
    """What reading one page carries along: the tables counted so far, in reading order."""

    def __init__(self) -> None:
        self.tables = itertools.count()


# A line of text with its layout, or text with the markup it is in, or BREAK.
Piece = tuple[str, Layout | Markup] | None


def pieces(element: Element, outer: Markup, reading: Reading) -> Iterator[Piece]:
    """Text pieces in reading order, each with its markup (a table's lines with their whole
    layout), with BREAK where a block or a <br> ends a line."""
    if element.tag == "br":
        yield BREAK
        return
    if element.tag == "table":
        yield BREAK
        for line in table_lines(element, outer, reading):
            yield line
            yield BREAK
        return
    block = element.tag in rules()["block_tags"]
    if block:
        yield BREAK
    own = markup(element, outer)
    if element.text:
        yield element.text, own
    for child in element:
        if isinstance(child.tag, str):
            yield from pieces(child, own, reading)
        if child.tail:
            yield child.tail, own
    if block:
        yield BREAK


def lines(element: Element, outer: Markup, reading: Reading) -> list[tuple[str, Layout]]:
    """The element's lines, HTML whitespace collapsed, empty lines dropped, each with its
    layout: bold or italic when most of its characters are, and the alignment and size
    that most of them have."""
    out: list[tuple[str, Layout]] = []
    current: list[tuple[str, Layout | Markup]] = []
    for piece in [*pieces(element, outer, reading), BREAK]:
        if piece is not BREAK:
            current.append(piece)
            continue
        line = " ".join("".join(text for text, _ in current).split())
        if line:
            out.append((line, _line_layout(current)))
        current = []
    return out


def _line_layout(current: list[tuple[str, Layout | Markup]]) -> Layout:
    """A table's line keeps its layout; inline pieces are weighed by their characters (a
    line all in one markup, the usual <p>, is that markup)."""
    first = current[0][1]
    if all(found is first for _, found in current):
        return _as_layout(first)
    return combine([(len(text.strip()), _as_layout(found)) for text, found in current])


def _as_layout(found: Layout | Markup) -> Layout:
    return found if isinstance(found, Layout) else _markup_layout(found)


@lru_cache(maxsize=1024)
def _markup_layout(found: Markup) -> Layout:
    return layout(bold=found.bold, italic=found.italic, align=found.align, size=found.size)


def table_lines(table: Element, outer: Markup, reading: Reading) -> list[tuple[str, Layout]]:
    """The form's two-column tables column by column (a header line on its side); a row
    with one filled cell (page layout) as its lines; any other row as one line of cells
    joined by " | " (text.place_rows). Each line is placed in its table (numbered in reading
    order) and cell."""
    number = next(reading.tables)
    own = markup(table, outer)
    rows: list[tuple[int, list[list[tuple[str, Layout]]]]] = []
    for index, row in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        row_markup = markup(row, own)
        cells = [lines(cell, row_markup, reading) for cell in row.xpath("./td|./th")]
        if any(cells):
            rows.append((index, cells))
    return place_rows(rows, number)


def repair_nodes(content: Element) -> str | None:
    """Text set in a TCVN3 or VNI font face is converted node by node before the tables are
    read, so that their anchors are found; returns the encoding found, if any."""
    encoding = detect_legacy(content.text_content())
    if encoding:
        decode = DECODERS[encoding]
        for element in content.iter():
            if element.text and isinstance(element.tag, str):
                element.text = decode(element.text)
            if element.tail and element is not content:
                element.tail = decode(element.tail)
    return encoding


def read_html(data: bytes) -> tuple[list[Page], str]:
    """The document's text as page 1, and the encoding (a legacy one if it was converted)."""
    text, encoding = decode_html(data)
    root = parse(text)
    strip_furniture(root)
    body = root.find("body")
    content = content_root(body if body is not None else root)
    legacy = repair_nodes(content)
    found = lines(content, Markup(), Reading())
    text = "\n".join(line for line, _ in found)
    if not text.strip():
        raise IngestError("web page with no document text (only site menus, scripts or images)")
    return [source_lines.page(1, text, [style for _, style in found], "plain")], legacy or encoding
