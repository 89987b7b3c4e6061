"""OCR: real Tesseract `vie` on real pixels (corpus/scans, made by scripts/make_scans.py).

OCR costs about a second per page, so each scan is read once per module (fixtures) and
the pages chosen are short ones; the decision rules are tested on strings, without OCR.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import read_document
from pipeline.ingest.ocr import (
    OcrResult,
    _kind_counts,
    char_kind,
    ocr_page,
    repair_outline,
    run_command,
    settings,
    skew_angle,
    text_layer_problem,
)
from pipeline.process import process_file
from pipeline.records import PLAIN, IngestError, RawDocument

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SCANS = CORPUS / "scans"


def scan(pattern: str) -> Path:
    path = next(SCANS.glob(pattern), None)
    if path is None:
        pytest.fail(f"corpus/scans/{pattern} missing: run .venv/bin/python scripts/make_scans.py")
    return path


def pdf_pages(path: Path, out: Path, picks: list[tuple[Path, int]]) -> Path:
    """A PDF assembled from pages of other PDFs (source, 0-based page index)."""
    document = pypdfium2.PdfDocument.new()
    for source, index in picks:
        document.import_pages(pypdfium2.PdfDocument(source), [index])
    document.save(out)
    return out


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module")
def header_scan() -> RawDocument:
    return read_document(scan("004_*-p1.png"))


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1: the text-layer last page of sample 004; page 2: the scanned last page of 003."""
    out = tmp_path_factory.mktemp("mixed") / "mixed.pdf"
    return pdf_pages(out, out, [(next((CORPUS / "pdf").glob("004_*.pdf")), 6), (scan("003_*.pdf"), 2)])


@pytest.fixture(scope="module")
def mixed_auto(mixed_pdf: Path) -> RawDocument:
    return read_document(mixed_pdf)


def test_a_scanned_header_comes_out_as_two_blocks(header_scan):
    assert header_scan.format == "image" and header_scan.ocr
    assert [(p.number, p.method) for p in header_scan.pages] == [(1, "ocr")]
    found = lines(header_scan.pages[0].text)[:6]
    assert found[:2] == ["UBND TỈNH HẢI DƯƠNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]
    assert found[2].startswith("Số:")
    assert found[3:5] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert found[5].startswith("Hải Dương, ngày")


def test_ocr_confidence_is_recorded_per_page_and_document(header_scan):
    page = header_scan.pages[0]
    assert 80 < page.ocr_confidence <= 100
    assert header_scan.ocr_confidence == pytest.approx(page.ocr_confidence)
    assert not [w for w in header_scan.warnings if w.code.startswith("ocr")]


def test_a_mixed_pdf_is_read_page_by_page(mixed_auto):
    assert [p.method for p in mixed_auto.pages] == ["text-layer", "ocr"]
    assert mixed_auto.ocr and mixed_auto.ocr_confidence == mixed_auto.pages[1].ocr_confidence
    assert "Nơi nhận:" in mixed_auto.pages[1].text and "Nguyễn Trọng Hùng" in mixed_auto.pages[1].text
    assert [(w.code, w.page) for w in mixed_auto.warnings if w.code != "ocr-corrected"] == [("ocr", 2)]
    assert all(w.page == 2 for w in mixed_auto.warnings)  # OCR corrections too: only on the OCRed page
    assert "no text layer" in mixed_auto.warnings[0].message


def test_ocr_never_keeps_the_text_layer_and_flags_the_empty_page(mixed_pdf):
    document = read_document(mixed_pdf, ocr="never")
    assert [p.method for p in document.pages] == ["text-layer", "text-layer"]
    assert not document.ocr and document.ocr_confidence is None
    assert document.pages[1].text.strip() == ""
    assert [(w.code, w.page) for w in document.warnings] == [("no-text-layer", 2)]


def test_ocr_always_reads_a_text_page_with_ocr_too(tmp_path, mixed_auto):
    text_page = pdf_pages(tmp_path, tmp_path / "text.pdf", [(next((CORPUS / "pdf").glob("004_*.pdf")), 6)])
    document = read_document(text_page, ocr="always")
    assert [p.method for p in document.pages] == ["ocr"]
    assert lines(document.pages[0].text)[-1] == lines(mixed_auto.pages[0].text)[-1] == "Nguyễn Trường Thắng"


def test_an_unknown_ocr_mode_is_refused(mixed_pdf):
    with pytest.raises(ValueError, match="ocr must be one of"):
        read_document(mixed_pdf, ocr="sometimes")


def test_an_image_without_text_is_a_clear_error(tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (800, 1100), 255).save(blank, dpi=(100, 100))
    with pytest.raises(IngestError, match="no text"):
        read_document(blank)
    record = process_file(blank)
    assert record.status == "error" and "OCR found no text" in record.error


def test_an_image_with_ocr_never_is_an_error_record(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    Image.new("L", (100, 100), 255).save(folder / "page.png")
    result = CliRunner().invoke(app, ["extract", str(folder), "--out", str(tmp_path / "out"), "--ocr", "never"])
    assert result.exit_code == 1
    assert "OCR is turned off" in (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8")


def test_a_low_confidence_page_warns_naming_its_page(tmp_path, monkeypatch):
    strip = tmp_path / "strip.png"
    with Image.open(scan("004_*-p1.png")) as image:
        image.crop((0, 200, image.width, 500)).save(strip, dpi=(300, 300))
    monkeypatch.setitem(settings(), "min_page_confidence", 101)
    document = read_document(strip)
    assert [(w.code, w.page) for w in document.warnings] == [("ocr-low-confidence", 1)]
    assert "page 1" in document.warnings[0].message


def test_a_page_where_ocr_found_nothing_is_named():
    page, warnings = ocr_page(3, "", OcrResult(rows=[], confidence=None), [PLAIN])
    assert page.method == "ocr" and page.ocr_confidence is None
    assert [(w.code, w.page) for w in warnings] == [("ocr-no-text", 3)] and "page 3" in warnings[0].message


def test_a_multipage_tiff_gives_one_page_per_frame():
    document = read_document(scan("000_*-p5-6.tif"))
    assert [(p.number, p.method) for p in document.pages] == [(1, "ocr"), (2, "ocr")]
    assert "Nơi nhận:" not in document.pages[0].text and "Nơi nhận:" in document.pages[1].text


def test_a_scanned_sample_gives_the_same_number_and_references_as_its_text_layer():
    scanned = process_file(scan("002_*.pdf"))
    text = process_file(next((CORPUS / "pdf").glob("002_*.pdf")))
    assert scanned.status == "ok" and scanned.ingest["ocr"] and not text.ingest["ocr"]
    assert scanned.document.number == text.document.number
    assert [(r.number, r.date, r.type) for r in scanned.references] == [(r.number, r.date, r.type) for r in text.references]
    assert text.references


# --------------------------------------------------------------------------- deciding, without OCR

VIETNAMESE = "Thực hiện Kế hoạch số 555/KH-BCĐ ngày 01/3/2023 của Ban Chỉ đạo 138 tỉnh Hải Dương về việc " * 2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no text layer"),
        ("Trang 2", "almost no text layer"),
        (VIETNAMESE, None),
        ("\ufffd" * 10 + VIETNAMESE, "unmapped glyphs"),
        ("\ue001\ue002\ue003" * 5 + VIETNAMESE, "unmapped glyphs"),
        ("12/34 56.78 = 90 % " * 10, "mostly not letters"),
        ("KÕ ho¹ch tuyªn truyÒn, phæ biÕn gi¸o dôc ph¸p luËt vÒ phßng, chèng mua b¸n ng­êi " * 2, "outside the Vietnamese alphabet"),
        ("The department will carry out the plan to prevent human trafficking this year " * 2, "not Vietnamese"),
    ],
)
def test_a_text_layer_is_judged_before_it_is_trusted(text, reason):
    problem = text_layer_problem(text)
    assert problem is None if reason is None else reason in problem


def test_the_kinds_of_a_text_s_characters_are_counted_as_each_character_is_classified():
    """The table of kind numbers counts what char_kind says of each character, for
    characters met before and new ones (astral, private-use, a lone surrogate)."""
    rng = random.Random(5)
    alphabet = "aăâeêoôơuưyđĐÁẠỆỢ bcxZ\n\t\u00a0.,;1\ufffd\ue001\x03\u0301\u0435Ωõ¬😀\U00020000\ud800"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        kinds = [char_kind(char) for char in text]
        expected = [
            sum(kind.space for kind in kinds),
            sum(kind.bad for kind in kinds),
            sum(kind.letter for kind in kinds),
            sum(kind.letter and not kind.vietnamese for kind in kinds),
            sum(kind.marked for kind in kinds),
        ]
        assert _kind_counts(text) == expected


def test_a_misread_outline_numeral_is_repaired_on_ocr_pages_only():
    texts = ["I. MỤC ĐÍCH\n1. Sở Tư pháp\nII. NHIỆM VỤ", "II. TỔ CHỨC THỰC HIỆN\nI. PHỤ LỤC\nHI. BẢNG"]
    assert repair_outline(texts, [False, True]) == [texts[0], "III. TỔ CHỨC THỰC HIỆN\nI. PHỤ LỤC\nII. BẢNG"]
    assert repair_outline(texts, [False, False]) == texts


def test_a_heading_numeral_that_lost_its_dot_or_read_as_a_letter_is_repaired():
    texts = ["I. MỤC ĐÍCH, YÊU CẦU\nTT NỘI DUNG\nII NỘI DUNG HOẠT ĐỘNG\nVIỆT NAM\nHI. Các Chi cục Hải quan\nV TỔ CHỨC"]
    assert repair_outline(texts, [True]) == [
        "I. MỤC ĐÍCH, YÊU CẦU\nTT NỘI DUNG\nII. NỘI DUNG HOẠT ĐỘNG\nVIỆT NAM\nIII. Các Chi cục Hải quan\nV TỔ CHỨC"
    ]
    assert repair_outline(texts, [False]) == texts


def test_a_heading_numeral_whose_dot_ocr_merged_into_a_stroke_before_a_capitalised_word_is_repaired():
    texts = ["I. Các Chi cục Hải quan\nTT Nội dung công việc\nIL Các Chi cục Hải quan cửa khẩu\nV Các đơn vị"]
    assert repair_outline(texts, [True]) == ["I. Các Chi cục Hải quan\nTT Nội dung công việc\nII. Các Chi cục Hải quan cửa khẩu\nV Các đơn vị"]
    assert repair_outline(texts, [False]) == texts


def test_a_scanned_pdf_page_gives_its_own_pixels_unless_coarser_than_the_ocr_resolution(tmp_path):
    from pipeline.ingest.pdf import scanned_image

    sheet = Image.new("L", (2480, 3508), 255)
    fine, coarse = tmp_path / "fine.pdf", tmp_path / "coarse.pdf"
    sheet.save(fine, "PDF", resolution=300)
    sheet.resize((1654, 2339)).save(coarse, "PDF", resolution=200)
    with pypdfium2.PdfDocument(fine) as document:
        page = scanned_image(document[0])
        assert page.image.size == (2480, 3508) and round(page.dpi) == 300
    with pypdfium2.PdfDocument(coarse) as document:
        assert scanned_image(document[0]) is None  # rasterised at render_dpi by pdfium instead
    with pypdfium2.PdfDocument(CORPUS / "pdf" / "000_afbfebe6c017741a.pdf") as document:
        assert scanned_image(document[0]) is None  # a text page


# --------------------------------------------------------------------------- layout of the lines

DPI = 300
MARGIN, RIGHT = 236, 2244  # 2 cm margins on an A4 width, in pixels at 300 dpi
FONTS = Path("/usr/share/fonts/truetype/dejavu")


def _font(bold: bool, points: float):
    from PIL import ImageFont

    return ImageFont.truetype(str(FONTS / ("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf")), round(points * DPI / 72))


@pytest.fixture(scope="module")
def rendered_plan(tmp_path_factory: pytest.TempPathFactory) -> RawDocument:
    """The top of a plan drawn at 300 dpi: the two-column header (each column's lines
    centred on it), the bold centred type line at 14 pt, justified 13 pt body lines."""
    from PIL import ImageDraw

    image = Image.new("L", (2480, 1500), 255)
    draw = ImageDraw.Draw(image)

    def centred(text: str, middle: float, top: int, bold: bool, points: float) -> None:
        font = _font(bold, points)
        draw.text((middle - font.getlength(text) / 2, top), text, font=font, fill=0)

    for top, left, right in ((100, "UBND TỈNH CAO BẰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                             (160, "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Độc lập - Tự do - Hạnh phúc")):
        centred(left, 650, top, True, 10)
        centred(right, 1650, top, True, 10)
    centred("KẾ HOẠCH", (MARGIN + RIGHT) / 2, 400, True, 14)
    body = _font(False, 13)
    words = ["Thực", "hiện", "Kế", "hoạch", "số", "1908/KH-UBND", "ngày", "25/6/2025", "của", "Ủy", "ban", "nhân", "dân", "tỉnh", "Cao", "Bằng", "về", "công", "tác", "phòng,", "chống", "mua", "bán", "người,", "Sở", "Văn", "hóa,", "Thể", "thao", "và", "Du", "lịch", "ban", "hành", "kế", "hoạch", "tổ", "chức", "thực", "hiện", "trên", "địa", "bàn", "tỉnh", "với", "những", "nội", "dung", "cụ", "thể", "như", "sau", "đây"]
    top = 560
    while words:
        line = []
        start = MARGIN + (118 if top == 560 else 0)  # the paragraph's first line is indented 1 cm
        while words and body.getlength(" ".join(line + words[:1])) < RIGHT - start:
            line.append(words.pop(0))
        gap = (RIGHT - start - sum(body.getlength(word) for word in line)) / max(len(line) - 1, 1) if words else body.getlength(" ")
        x = start
        for word in line:
            draw.text((x, top), word, font=body, fill=0)
            x += body.getlength(word) + gap
        top += 90
    path = tmp_path_factory.mktemp("rendered") / "plan.png"
    image.save(path, dpi=(DPI, DPI))
    return read_document(path)


def test_an_ocred_title_is_centred_and_its_size_estimated(rendered_plan):
    lines = {line.text: line.layout for line in rendered_plan.pages[0].lines}
    title = lines["KẾ HOẠCH"]
    assert (title.align, title.column, title.bold, title.italic) == ("center", None, None, None)
    assert title.size == pytest.approx(14, abs=3)
    assert 0.35 < title.indent < 0.5


def test_an_ocred_header_says_its_columns(rendered_plan):
    lines = {line.text: line.layout for line in rendered_plan.pages[0].lines}
    assert [lines[text].column for text in ("UBND TỈNH CAO BẰNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")] == ["left", "left"]
    assert [lines[text].column for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")] == ["right", "right"]
    assert all(lines[text].align == "center" for text in lines if lines[text].column)
    assert lines["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].size < lines["KẾ HOẠCH"].size


def test_ocred_body_lines_are_justified_and_the_first_indented(rendered_plan):
    texts = [line.text for line in rendered_plan.pages[0].lines]
    body = [line.layout for line in rendered_plan.pages[0].lines[texts.index("KẾ HOẠCH") + 1 :]]
    assert len(body) == 4
    assert body[0].indent == pytest.approx(118 / (RIGHT - MARGIN), abs=0.02) and body[0].align == "justify"
    assert [(layout.indent, layout.align) for layout in body[1:]] == [(0.0, "justify"), (0.0, "justify"), (0.0, "left")]
    assert all(layout.size == pytest.approx(13, abs=3) for layout in body)


def test_a_scanned_header_page_has_the_layout_of_its_pdf(header_scan):
    """The scan of sample 004's first page, against what its text layer says."""
    scanned = {line.text.strip(): line.layout for line in header_scan.pages[0].lines}
    pdf = {line.text: line.layout for line in read_document(next((CORPUS / "pdf").glob("004_*.pdf"))).pages[0].lines}
    common = [text for text in pdf if text in scanned and pdf[text].indent is not None]
    assert len(common) > 20
    assert sum(scanned[text].align == pdf[text].align for text in common) >= 0.9 * len(common)
    assert all(scanned[text].column == pdf[text].column for text in common)
    assert all(abs(scanned[text].indent - pdf[text].indent) <= 0.02 for text in common)


def test_pages_of_a_batch_share_its_tesseract_slots(tmp_path, monkeypatch):
    """With one slot, two pages never hold it at once; without a batch, nothing waits."""
    import threading
    import time

    from pipeline.batch.workers import ocr_slots
    from pipeline.ingest.ocr import ocr_slot

    slots = ocr_slots(1)
    monkeypatch.setenv("VNPLAN_OCR_SLOTS", slots.name)
    held, overlaps = [], []

    def page() -> None:
        with ocr_slot():
            overlaps.append(len(held))
            held.append(1)
            time.sleep(0.1)
            held.pop()

    threads = [threading.Thread(target=page) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [0, 0, 0]
    slots.cleanup()
    monkeypatch.delenv("VNPLAN_OCR_SLOTS")
    with ocr_slot():
        pass


def test_a_process_keeps_its_tesseract_engines_for_the_next_page():
    """An engine's model is loaded once and kept; one busy with a page is not handed out again."""
    from pipeline.ingest.ocr import engine

    with engine("vie", 3) as first, engine("vie", 3) as second:
        assert second is not first
    with engine("vie", 3) as again:
        assert again is first or again is second


def test_a_page_and_a_line_read_again_share_an_engine_each_in_its_own_mode():
    """The model is loaded once a process, not once for each page segmentation mode."""
    from tesserocr import PSM

    from pipeline.ingest import ocr

    with ocr.engine("vie", 3) as page_engine:
        assert page_engine.GetPageSegMode() == PSM.AUTO
    engines = ocr._ENGINES["vie"].qsize()
    with ocr.engine("vie", 7) as line_engine:
        assert line_engine.GetPageSegMode() == PSM.SINGLE_LINE
    assert ocr._ENGINES["vie"].qsize() == engines


def test_an_engine_reads_a_page_with_each_words_box_and_confidence():
    from PIL import ImageDraw

    from pipeline.ingest.ocr import PageImage, tesseract, tsv_rows

    image = Image.new("L", (2480, 600), 255)
    ImageDraw.Draw(image).text((120, 200), "Kế hoạch phòng chống thiên tai", fill=0, font=_font(False, 13))
    tsv, pdf = tesseract(PageImage(image, DPI))
    rows, confidences, _ = tsv_rows(tsv, DPI)
    assert pdf is None
    assert " ".join(word.text for word in rows[0].words) == "Kế hoạch phòng chống thiên tai"
    assert len(confidences) == 6 and min(confidences) > 80
    assert rows[0].words[0].x0 == pytest.approx(120 * 72 / DPI, abs=2)


def _header_line_page(text: str):
    """A page with one bold header line drawn at 300 dpi, and its words as OCR might have
    read them with little confidence: one word over the whole line, "Sàn nh cv" at 5."""
    from PIL import ImageDraw

    from pipeline.ingest.layout import Row, Word
    from pipeline.ingest.ocr import PageImage

    image = Image.new("L", (2480, 400), 255)
    draw = ImageDraw.Draw(image)
    draw.text((600, 150), text, fill=0, font=_font(True, 12))
    left, top, right, bottom = (v * 72 / DPI for v in draw.textbbox((600, 150), text, font=_font(True, 12)))
    junk = [Word("Sàn", left, left + 40, top, bottom, confidence=8.0), Word("nh", left + 50, right, top, bottom, confidence=4.0)]
    motto = Word("Độc", right + 100, right + 130, top + 4, bottom + 4, confidence=95.0)
    return PageImage(image, DPI), Row([*junk, motto], top, bottom + 4)


def test_words_read_with_very_little_confidence_are_read_again_alone_as_one_line():
    """Tesseract joins the issuer's second line to the motto's, fits one baseline to both and
    reads the left part as junk; the same pixels read alone give the words."""
    from pipeline.ingest.ocr import lines_read_again

    page, row = _header_line_page("QUY TẬP HÀI CỐT LIỆT SĨ")
    (again,), changed = lines_read_again(page, [row])
    assert changed and again.text == "QUY TẬP HÀI CỐT LIỆT SĨ Độc"
    assert min(word.confidence for word in again.words) > settings()["line_again"]["below"]


def test_a_run_read_again_as_digits_is_left_to_the_header_s_gate():
    """A number (hand-written or not) is the gate's to keep, read again or leave empty."""
    from pipeline.ingest.ocr import lines_read_again

    page, row = _header_line_page("Số: 2388/C04-P6")
    assert lines_read_again(page, [row]) == ([row], False)


def test_ocr_gives_no_letter_outside_the_alphabet_for_a_letter_spaced_g():
    """A title's letter-spaced "tru n g" in Times (Liberation Serif) reads "tru n ø", which no
    rule can rejoin; told that ø is no letter of the language, Tesseract gives "g"."""
    from PIL import ImageDraw, ImageFont

    from pipeline.ingest.ocr import PageImage, tesseract, tsv_rows

    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", round(13 * DPI / 72))
    image = Image.new("L", (2480, 300), 255)
    ImageDraw.Draw(image).text((300, 100), "ngân sách tru n g", fill=0, font=font)
    rows, _, _ = tsv_rows(tesseract(PageImage(image, DPI))[0], DPI)
    assert rows[0].text == "ngân sách tru n g"


@pytest.mark.parametrize("turned", [2.3, -6.8, 9.6, 90 + 4.2, 180 - 1.4, 270 - 7.5])
def test_the_skew_estimate_straightens_a_page_turned_askew_even_on_its_side(turned):
    """Quarter turns are orientation detection's: the estimate need only straighten the lines."""
    with Image.open(scan("004_*-p1.png")) as page:
        image = page.convert("L").rotate(turned, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    still_off = (turned + skew_angle(image, 300) + 45) % 90 - 45
    assert abs(still_off) <= 0.3


def test_a_straight_page_and_a_blank_one_are_not_turned():
    with Image.open(scan("004_*-p1.png")) as page:
        assert skew_angle(page.convert("L"), 300) == 0
    assert skew_angle(Image.new("L", (2480, 3508), 255), 300) == 0


def test_the_tesseract_command_failing_or_writing_nothing_is_an_ingest_error():
    """What the command could not do is said, with its own message, not a missing file."""
    blank = Image.new("L", (600, 800), 255)
    with pytest.raises(IngestError, match="Too few characters"):
        run_command([blank], "osd", ["--psm", "0"], ("osd",))
    with pytest.raises(IngestError, match="wrote no tsv"):
        run_command([blank], "eng", ["--psm", "7"], ("tsv",))
