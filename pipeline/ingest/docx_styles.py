"""How a Word paragraph looks: its alignment, and bold, italic and size from its runs and styles.

A property is the run's own, else its character style's, else its paragraph style's, else
the document's defaults (ECMA-376 part 1, 17.7.2), each style read through the styles it
is based on. python-docx gives a style's own settings only, not what it inherits, and
parsing styles.xml whole costs 6 ms on python-docx's own template (350 KB, mostly table
styles), more than reading the document. So the styles a document names are cut out of
styles.xml by their id, each parsed alone with lxml, once per document.
"""

from __future__ import annotations

import re
from functools import cache
from typing import IO, Any, NamedTuple

from docx.oxml.ns import nsmap, qn
from lxml import etree

from pipeline.ingest.lines import layout
from pipeline.records import Layout
from pipeline.rules import load_model

W = nsmap["w"].encode()
P, R, HYPERLINK = qn("w:pPr"), qn("w:r"), qn("w:hyperlink")
# What holds runs inside a paragraph besides hyperlinks: a tracked insertion or move, a
# smart tag, a field, custom XML, a direction block, a content control (through its
# w:sdtContent). python-docx reads none of them, and a deletion (w:del, w:moveFrom) is
# rightly not read: a reader of the document sees the insertions, not the deletions.
RUN_HOLDERS = frozenset(qn(f"w:{name}") for name in ("ins", "moveTo", "smartTag", "fldSimple", "customXml", "dir", "bdo", "sdt", "sdtContent"))
VANISH = qn("w:vanish")
RPR, JC, B, I, SZ = qn("w:rPr"), qn("w:jc"), qn("w:b"), qn("w:i"), qn("w:sz")
PSTYLE, RSTYLE, BASED_ON, VAL = qn("w:pStyle"), qn("w:rStyle"), qn("w:basedOn"), qn("w:val")
# The children of a run that python-docx's CT_R.text reads, each printed as its element
# class prints it (docx/oxml/text/run.py): w:t its text, w:br a line break unless it breaks
# a page or column; the others a character each (w:tab is CT_TabStop, printed "\t").
# Written here as the document is parsed without python-docx's classes (PARSER in pipeline/ingest/docx.py).
TEXT, BREAK, BREAK_TYPE = qn("w:t"), qn("w:br"), qn("w:type")
RUN_CHARACTERS = {qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-", qn("w:ptab"): "\t", qn("w:tab"): "\t"}
FALSE = {"0", "false", "off"}
# Styles based on styles based on...: a loop in a broken file ends here.
MAX_DEPTH = 10


@cache
def alignments() -> dict[str, str]:
    """OOXML's w:jc values -> left | center | right | justify (models/layout.yaml)."""
    return load_model("layout")["docx_align"]


class Run(NamedTuple):
    """A run's (or a style's) own bold, italic and size in points; None where it says nothing."""

    bold: bool | None = None
    italic: bool | None = None
    size: float | None = None


class Style(NamedTuple):
    """A style's own run properties and alignment, and the style it is based on."""

    run: Run
    align: str | None
    based_on: str | None


NO_RUN = Run()
NO_STYLE = Style(NO_RUN, None, None)


def run_properties(rpr: Any) -> Run:
    """Bold, italic and size set in one w:rPr (a toggle with val 0/false/off is off)."""
    return Run() if rpr is None else _read_rpr(rpr)[0]


def _read_rpr(rpr: Any) -> tuple[Run, str | None, bool]:
    """One w:rPr read in one pass over its children: its bold, italic and size, its first
    w:rStyle's value, and whether it hides its run (w:vanish)."""
    bold = italic = size = style = None
    styled = hidden = False
    for item in rpr:
        tag = item.tag
        if tag == B:
            bold = item.get(VAL, "1") not in FALSE
        elif tag == I:
            italic = item.get(VAL, "1") not in FALSE
        elif tag == SZ and (value := item.get(VAL, "")).isdigit():
            size = int(value) / 2  # half-points
        elif tag == RSTYLE and not styled:
            style, styled = item.get(VAL), True
        elif tag == VANISH and item.get(VAL, "true") not in FALSE:
            hidden = True
    return Run(bold, italic, size), style, hidden


def _either(first: Run, then: Run) -> Run:
    return Run(
        first.bold if first.bold is not None else then.bold,
        first.italic if first.italic is not None else then.italic,
        first.size if first.size is not None else then.size,
    )


class StylesPart:
    """styles.xml's bytes, decompressed only as far as the searches for what a document uses
    reach: its defaults and its default paragraph style stand near the start. python-docx's
    own template, which the files it writes carry, has 350 KB of styles, whose whole
    decompression took 0.66 ms, a quarter of reading a sample document; the styles it uses
    lie in the first 15 KB. (A part read in part is not checked against its CRC.)"""

    CHUNK = 16384

    def __init__(self, stream: IO[bytes] | None) -> None:
        self.stream = stream
        self.data = b""

    def _grow(self) -> bool:
        """More of the part, twice as much as read so far; False at its end."""
        more = self.stream.read(max(self.CHUNK, len(self.data))) if self.stream else b""
        if not more:
            self.stream = None
            return False
        self.data += more
        return True

    def find(self, sub: bytes, start: int = 0) -> int:
        """``bytes.find`` over the whole part, reading on until ``sub`` is found or the part ends."""
        while (at := self.data.find(sub, start)) < 0 and self._grow():
            pass
        return at

    def head(self, size: int) -> bytes:
        while len(self.data) < size and self._grow():
            pass
        return self.data[:size]


class Styles:
    """The styles of one document, found in styles.xml's bytes as they are asked for."""

    def __init__(self, part: StylesPart) -> None:
        self.part = part
        found = re.search(rb'xmlns:(\w+)="' + re.escape(W) + b'"', part.head(4096))
        self.prefix = found.group(1) if found else b"w"
        self.root = b""
        if (start := part.find(b"<" + self.prefix + b":styles")) >= 0:
            end = part.find(b">", start) + 1  # found before the bytes are sliced: finding may read on
            self.root = part.data[start:end]
        self.styles: dict[str, Style] = {}
        self.paragraphs: dict[str | None, tuple[Run, str | None]] = {}
        self.characters: dict[str, Run] = {}
        # A run's properties as its character style and paragraph style complete them, by
        # (its own, its character style, the paragraph style's): 0.2 against 0.5-1 us a run.
        self.effective: dict[tuple[Run, str | None, Run], Run] = {}
        defaults = self._element(b"docDefaults", part.find(b"<" + self.prefix + b":docDefaults"))
        self.defaults = Style(
            run_properties(defaults.find(f"{qn('w:rPrDefault')}/{RPR}")) if defaults is not None else Run(),
            _paragraph_properties(defaults.find(f"{qn('w:pPrDefault')}/{P}"))[0] if defaults is not None else None,
            None,
        )
        self.default_paragraph = self._default_paragraph_id()

    def _element(self, name: bytes, start: int) -> Any:
        """The element of styles.xml that starts at ``start``, parsed alone (with the root's
        namespace declarations), or None."""
        if start < 0 or not self.root:
            return None
        closing = b"</" + self.prefix + b":" + name + b">"
        end = self.part.find(closing, start)
        if end < 0:
            return None
        try:
            return etree.fromstring(self.root + self.part.data[start : end + len(closing)] + b"</" + self.prefix + b":styles>")[0]
        except etree.XMLSyntaxError:
            return None

    def _default_paragraph_id(self) -> str | None:
        """The paragraph style a paragraph without one has (w:default="1", usually "Normal")."""
        start = 0
        while (at := self.part.find(b":default=", start)) >= 0:
            tag_start, tag_end = self.part.data.rfind(b"<" + self.prefix + b":style ", 0, at), self.part.find(b">", at)
            tag = self.part.data[tag_start:tag_end]
            if tag_start >= 0 and b'type="paragraph"' in tag and re.search(rb':default="(1|true|on)"', tag):
                found = re.search(rb':styleId="([^"]*)"', tag)
                return found.group(1).decode() if found else None
            start = at + 1
        return None

    def style(self, style_id: str) -> Style:
        """A style's own run properties, alignment and base."""
        if style_id not in self.styles:
            at = self.part.find(b':styleId="' + style_id.encode() + b'"')
            element = self._element(b"style", self.part.data.rfind(b"<" + self.prefix + b":style ", 0, at)) if at >= 0 else None
            self.styles[style_id] = NO_STYLE if element is None else Style(
                run_properties(element.find(RPR)), _paragraph_properties(element.find(P))[0], _val(element.find(BASED_ON))
            )
        return self.styles[style_id]

    def _chain(self, style_id: str | None) -> tuple[Run, str | None]:
        run, align = Run(), None
        for _ in range(MAX_DEPTH):
            if style_id is None:
                break
            style = self.style(style_id)
            run, align = _either(run, style.run), align or style.align
            style_id = style.based_on
        return run, align

    def paragraph(self, style_id: str | None) -> tuple[Run, str | None]:
        """A paragraph style's run properties and alignment, with all it inherits."""
        style_id = style_id or self.default_paragraph
        if style_id not in self.paragraphs:
            run, align = self._chain(style_id)
            self.paragraphs[style_id] = (_either(run, self.defaults.run), align or self.defaults.align or "left")
        return self.paragraphs[style_id]

    def character(self, style_id: str) -> Run:
        if style_id not in self.characters:
            self.characters[style_id] = self._chain(style_id)[0]
        return self.characters[style_id]

    def read(self, p: Any) -> tuple[str, Layout]:
        """A paragraph's text and layout: its alignment (its own or its style's), bold or
        italic when most of its characters are, the size most of them are set in.

        The text is what a reader of the document sees: python-docx's Paragraph.text (the
        runs of the paragraph and of its hyperlinks, each run's text, tab, break and hyphen
        elements as python-docx's own element classes print them) with the runs of tracked
        insertions, smart tags, fields and content controls, and without hidden runs; read in
        the one pass that weighs the runs: python-docx compiles an XPath for each paragraph
        and each run, which cost more than the layout (17 us a call)."""
        ppr, runs = _contents(p)
        own_align, style_id = _paragraph_properties(ppr)
        style_run, style_align = self.paragraph(style_id)
        texts = []
        total = bold = italic = 0
        sizes: dict[float | None, int] = {}
        for run in runs:
            text, own, char_style = _run_facts(run)
            if own is None:  # hidden text (w:vanish): Word does not show or print it
                continue
            key = (own, char_style, style_run)
            effective = self.effective.get(key)
            if effective is None:
                effective = self.effective[key] = _either(_either(own, self.character(char_style)) if char_style else own, style_run)
            texts.append(text)
            weight = len(text)
            total += weight
            bold += weight if effective.bold else 0
            italic += weight if effective.italic else 0
            sizes[effective.size] = sizes.get(effective.size, 0) + weight
        return "".join(texts), layout(
            bold=bold * 2 > total if total else None,
            italic=italic * 2 > total if total else None,
            size=max(sizes, key=sizes.__getitem__) if sizes else style_run.size,
            align=own_align or style_align,
        )


def _paragraph_properties(ppr: Any) -> tuple[str | None, str | None]:
    """A w:pPr's own alignment and paragraph style."""
    align = style = None
    if ppr is not None:
        for child in ppr:
            if child.tag == JC:
                align = alignments().get(child.get(VAL, ""))
            elif child.tag == PSTYLE:
                style = child.get(VAL)
    return align, style


def _contents(p: Any) -> tuple[Any, list[Any]]:
    """A paragraph's properties (its first w:pPr) and its runs, found in one pass over its
    children, as most runs stand right in the paragraph."""
    ppr, runs = None, []
    for child in p:
        tag = child.tag
        if tag == R:
            runs.append(child)
        elif tag == P:
            ppr = child if ppr is None else ppr
        elif tag == HYPERLINK or tag in RUN_HOLDERS:
            runs.extend(_runs(child))
    return ppr, runs


def _runs(element: Any) -> Any:
    """The runs of a paragraph in reading order, inside hyperlinks and the other holders."""
    for child in element:
        tag = child.tag
        if tag == R:
            yield child
        elif tag == HYPERLINK or tag in RUN_HOLDERS:
            yield from _runs(child)


def _run_facts(run: Any) -> tuple[str, Run | None, str | None]:
    """A run's text (as python-docx's CT_R.text gives it), its own properties (None for a
    hidden run), its character style."""
    texts, own, style = [], NO_RUN, None
    for child in run:
        tag = child.tag
        if tag == TEXT:
            texts.append(child.text or "")
        elif tag in RUN_CHARACTERS:
            texts.append(RUN_CHARACTERS[tag])
        elif tag == BREAK:
            texts.append("\n" if child.get(BREAK_TYPE, "textWrapping") == "textWrapping" else "")
        elif tag == RPR:
            own, style, hidden = _read_rpr(child)
            if hidden:
                return "", None, None
    return "".join(texts), own, style


def _val(element: Any) -> str | None:
    return None if element is None else element.get(VAL)
