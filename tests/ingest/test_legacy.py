"""Legacy Vietnamese encodings: TCVN3 and VNI text is recognised and converted, Unicode
text (and other languages) is left alone, and a legacy copy gives the same record."""

from __future__ import annotations

import codecs
import importlib.util
import io
import unicodedata
from pathlib import Path

import docx
import pytest

from pipeline.ingest import read_document
from pipeline.ingest.legacy import ENCODERS, detect_legacy, repair_legacy
from pipeline.process import process_file
from pipeline.text import normalise_unicode
from tests.ingest.conftest import windows_1258

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "corpus" / "txt").glob("*.txt"))


def _make_legacy():
    spec = importlib.util.spec_from_file_location("make_legacy", ROOT / "scripts" / "make_legacy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("legacy")
    _make_legacy().make_legacy(out)
    return out


def comparable(record) -> tuple:
    """What a reader of the record relies on: metadata, references, duties (spans aside)."""
    data = record.to_dict()
    document = {k: v for k, v in data["document"].items() if k != "spans"}
    references = [(r["type"], r["number"], r["date"], r["issuer"], r["relation"], r["title"]) for r in data["references"]]
    duties = [(d["agency"], d["role"], d["text"], d["deadline"], d["section"]) for d in data["duties"]]
    return data["status"], document, references, duties


@pytest.mark.parametrize(
    "legacy, unicode, encoding",
    [
        ("Ban ChÊp hµnh Trung \u00ad¬ng", "Ban Chấp hành Trung ương", "tcvn3"),
        ("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM\n§éc lËp - Tù do - H¹nh phóc", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", "tcvn3"),
        ("Uû ban nh©n d©n tØnh H¶i D\u00ad¬ng", "Uỷ ban nhân dân tỉnh Hải Dương", "tcvn3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "vni"),
        ("UÛY BAN NHAÂN DAÂN TÆNH, ñöôïc Ñoäc laäp - Töï do - Haïnh phuùc", "ỦY BAN NHÂN DÂN TỈNH, được Độc lập - Tự do - Hạnh phúc", "vni"),
    ],
)
def test_legacy_text_is_recognised_and_converted(legacy, unicode, encoding):
    assert repair_legacy(legacy) == (unicode, encoding)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_a_rendered_sample_converts_back_to_its_text(source, encoding):
    text = normalise_unicode(source.read_text(encoding="utf-8"))
    repaired, found = repair_legacy(ENCODERS[encoding](text))
    assert found == encoding
    assert normalise_unicode(repaired) == text


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_files_give_the_same_record_as_the_unicode_original(rendered, source, encoding):
    legacy = process_file(rendered / encoding / source.name)
    assert legacy.ingest["encoding"] == encoding
    assert comparable(legacy) == comparable(process_file(source))


@pytest.mark.parametrize("path", sorted((ROOT / "corpus" / "legacy").rglob("*.txt")), ids=lambda p: f"{p.parent.name}/{p.name[:3]}")
def test_committed_legacy_samples_read_as_their_originals(path):
    original = read_document(ROOT / "corpus" / "txt" / path.name)
    document = read_document(path)
    assert document.encoding == path.parent.name
    assert [page.text for page in document.pages] == [page.text for page in original.pages]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name[:3])
def test_unicode_samples_are_not_taken_for_legacy_text(source):
    text = source.read_text(encoding="utf-8")
    assert detect_legacy(text) is None
    assert detect_legacy(unicodedata.normalize("NFD", text)) is None
    assert read_document(source).encoding == "utf-8"


@pytest.mark.parametrize(
    "text",
    [
        "Größere Änderungen müssen über die Straße geführt werden; Bürger können Gebühren später zahlen. Übermäßig.",
        "Le comité a décidé que l'été prochain, les élèves français iront à Noël chez leurs grand-mères âgées.",
        "Señor Núñez añadió que el niño pequeño comió piñas, jalapeños y muchas más cosas en la mañana.",
        "© 2024 Cổng thông tin điện tử tỉnh · Bản quyền thuộc Ủy ban nhân dân tỉnh » Trang chủ « Liên hệ ®",
    ],
    ids=["german", "french", "spanish", "vietnamese-with-symbols"],
)
def test_other_languages_and_symbols_are_not_taken_for_legacy_text(text):
    assert repair_legacy(text) == (text, None)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name[:3])
def test_windows_1258_and_decomposed_unicode_read_as_the_utf8_original(tmp_path, source):
    original = read_document(source)
    text = source.read_text(encoding="utf-8")
    cp1258 = tmp_path / "cp1258.txt"
    cp1258.write_bytes(windows_1258(text))
    nfd = tmp_path / "nfd.txt"
    nfd.write_bytes(codecs.BOM_UTF8 + unicodedata.normalize("NFD", text).encode("utf-8"))
    for path in (cp1258, nfd):
        assert [page.text for page in read_document(path).pages] == [page.text for page in original.pages]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_a_word_document_set_in_a_legacy_font_reads_as_its_unicode_original(tmp_path, corpus_file, header_stem, encoding):
    """Every run of the Word file re-encoded, as a .VnTime or VNI-Times document stores it."""
    source = corpus_file("docx", header_stem)
    legacy = docx.Document(str(source))
    for paragraph_runs in (paragraph.runs for paragraph in _paragraphs(legacy)):
        for run in paragraph_runs:
            run.text = ENCODERS[encoding](run.text)
    path = tmp_path / "legacy.docx"
    legacy.save(str(path))
    document = read_document(path)
    assert document.encoding == encoding
    assert [p.text for p in document.pages] == [p.text for p in read_document(source).pages]


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_a_pdf_set_in_a_tcvn3_font_is_converted(tmp_path):
    """A PDF drawn with a font whose codes are TCVN3 yields TCVN3 text through pdfium."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KẾ HOẠCH",
        "Thực hiện công tác phòng, chống mua bán người năm 2023",
        "Các sở, ban, ngành phối hợp thực hiện kế hoạch này.",
    ]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n, line in enumerate(lines):
        pdf.drawString(72, 760 - 20 * n, ENCODERS["tcvn3"](line))
    pdf.save()
    path = tmp_path / "tcvn3.pdf"
    path.write_bytes(buffer.getvalue())
    text = read_document(path).pages[0].text
    assert text.split("\n") == [normalise_unicode(line) for line in lines]


LETTER = [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ",
    "Độc lập - Tự do - Hạnh phúc",
    "Báo cáo kết quả công tác phòng, chống thiên tai năm 2024",
    "Các sở, ban, ngành và Ủy ban nhân dân các huyện báo cáo trước ngày 15 hằng tháng.",
]


def letter_pdf(path: Path, encoding: str | None) -> Path:
    """LETTER drawn as a legacy font draws it (its codes, in a Latin-1 font), or in Unicode."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if encoding is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
        pdf.setFont("DejaVuSerif", 12)
    for n, line in enumerate(LETTER):
        pdf.drawString(72, 760 - 20 * n, ENCODERS[encoding](line) if encoding else line)
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", None])
def test_a_pdf_says_which_legacy_encoding_its_text_layer_was_repaired_from(tmp_path, encoding):
    path = letter_pdf(tmp_path / "letter.pdf", encoding)
    document = read_document(path)
    assert document.encoding == encoding
    assert document.pages[0].text.split("\n") == [normalise_unicode(line) for line in LETTER]
    assert process_file(path).ingest["encoding"] == encoding
