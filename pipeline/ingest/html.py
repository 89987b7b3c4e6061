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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import lxml.html

from pipeline.ingest.layout import (
    deinterleave,
    header_anchor,
    is_form_table,
    row_line,
    signature_anchor,
)
from pipeline.ingest.legacy import DECODERS, detect_legacy
from pipeline.ingest.text import decode
from pipeline.records import IngestError, Page
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


def pieces(element: Element) -> Iterator[str | None]:
    """Text pieces in reading order, with BREAK where a block or a <br> ends a line."""
    if element.tag == "br":
        yield BREAK
        return
    if element.tag == "table":
        yield BREAK
        for line in table_lines(element):
            yield line
            yield BREAK
        return
    block = element.tag in rules()["block_tags"]
    if block:
        yield BREAK
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from pieces(child)
        if child.tail:
            yield child.tail
    if block:
        yield BREAK


def lines(element: Element) -> list[str]:
    """The element's lines: HTML whitespace collapsed, empty lines dropped."""
    out: list[str] = []
    current: list[str] = []
    for piece in [*pieces(element), BREAK]:
        if piece is not BREAK:
            current.append(piece)
            continue
        line = " ".join("".join(current).split())
        if line:
            out.append(line)
        current = []
    return out


def table_lines(table: Element) -> list[str]:
    """The form's two-column tables column by column; a row with one filled cell (page
    layout) as its lines; any other row as one line of cells joined by " | "."""
    rows = [
        ["\n".join(lines(cell)) for cell in row.xpath("./td|./th")]
        for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    ]
    rows = [row for row in rows if any(row)]
    if rows and max(map(len, rows)) == 2 and is_form_table("\n".join("\n".join(row) for row in rows)):
        blocks = deinterleave([row + [""] * (2 - len(row)) for row in rows])
        return [line for block in blocks for line in block.split("\n")]
    out: list[str] = []
    for row in rows:
        filled = [cell for cell in row if cell]
        if len(filled) == 1:
            out.extend(filled[0].split("\n"))
        else:
            out.append(row_line([" ".join(cell.split()) for cell in row]))
    return out


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
    text = "\n".join(lines(content))
    if not text.strip():
        raise IngestError("web page with no document text (only site menus, scripts or images)")
    return [Page.from_text(1, normalise_unicode(text), "plain")], legacy or encoding
