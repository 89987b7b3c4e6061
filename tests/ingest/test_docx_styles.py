"""Word styles read from styles.xml as far as a document's searches reach."""

from __future__ import annotations

import io
import re
import zipfile

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.ingest.docx_styles import (
    RSTYLE,
    VANISH,
    Styles,
    StylesPart,
    _read_rpr,
    run_properties,
)


def test_a_word_across_two_reads_of_the_part_is_found_and_the_rest_is_not_read():
    part = StylesPart(io.BytesIO(b"x" * (StylesPart.CHUNK - 4) + b"<w:style/>" + b"y" * 100_000))
    assert part.find(b"<w:style/>") == StylesPart.CHUNK - 4
    assert len(part.data) < 50_000
    assert part.find(b"absent") == -1 and len(part.data) == StylesPart.CHUNK + 6 + 100_000


def _whole(blob: bytes) -> StylesPart:
    part = StylesPart(io.BytesIO(blob))
    while part._grow():
        pass
    return part


def test_styles_read_in_part_are_the_styles_read_whole(corpus_file, header_stem):
    """Every style of a python-docx file (350 KB of styles, the used ones first) and of a
    styles part whose default paragraph style comes last."""
    blob = zipfile.ZipFile(corpus_file("docx", header_stem)).read("word/styles.xml")
    ids = [found.decode() for found in re.findall(rb'w:styleId="([^"]*)"', blob)]
    last = blob.replace(b'w:default="1"', b'w:default="0"').replace(b'w:styleId="Heading9"', b'w:default="1" w:styleId="Heading9"')
    for source in (blob, last):
        in_part, whole = Styles(StylesPart(io.BytesIO(source))), Styles(_whole(source))
        assert (in_part.defaults, in_part.default_paragraph) == (whole.defaults, whole.default_paragraph)
        assert [in_part.paragraph(i) for i in ids] == [whole.paragraph(i) for i in ids]
        assert [in_part.character(i) for i in ids] == [whole.character(i) for i in ids]
    assert Styles(StylesPart(io.BytesIO(last))).default_paragraph == "Heading9"
    assert len(ids) > 100


def test_a_document_without_styles_has_the_form_s_defaults():
    styles = Styles(StylesPart(None))
    assert (styles.default_paragraph, styles.paragraph(None)) == (None, styles.paragraph("Normal"))



def test_a_run_s_properties_are_read_in_one_pass():
    """Bold (the last w:b says), italic and size, the first w:rStyle's value, hidden or not."""
    for inner in [
        "", '<w:b/><w:sz w:val="26"/>', '<w:rStyle w:val="Strong"/><w:i w:val="0"/><w:b w:val="false"/><w:b/>',
        '<w:rStyle/><w:rStyle w:val="Emphasis"/>', '<w:vanish w:val="0"/><w:i/>', '<w:b/><w:vanish/>',
        '<w:sz w:val="x"/><w:rStyle w:val="A"/><w:rStyle w:val="B"/>',
    ]:
        rpr = parse_xml(f"<w:rPr {nsdecls('w')}>{inner}</w:rPr>")
        hidden = any(item.tag == VANISH and item.get(qn("w:val"), "true") not in ("0", "false", "off") for item in rpr)
        first_style = next((item.get(qn("w:val")) for item in rpr if item.tag == RSTYLE), None)
        bold = next((item.get(qn("w:val"), "1") not in ("0", "false", "off") for item in reversed(rpr) if item.tag == qn("w:b")), None)
        assert _read_rpr(rpr) == (run_properties(rpr), first_style, hidden), inner
        assert run_properties(rpr).bold is bold, inner
