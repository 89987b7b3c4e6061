"""Values drawn over a header's blanks: read from the rendered page, written into the text,
and said so; a blank without ink stays blank."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.ingest import read_document
from pipeline.ingest.layout import Row, Word
from pipeline.ingest.ocr import PageImage
from pipeline.ingest.stamped import (
    Stamp,
    _gap,
    _grown,
    _ink,
    _longest_runs,
    _ocr,
    _render,
    _reread,
    _touched,
    blank_fields,
    fill,
    gate_unsure,
    read_stamps,
    unsure_warnings,
)
from pipeline.process import process_file
from tests.conftest import CORPUS, SHARED
from tests.ingest.signed_pdf import (
    SCAN_NUMBER_BOX,
    blank_form,
    header_scan,
    scan_with_layer,
    signed,
    stamped_plan,
)

ORIGINALS = SHARED / "corpus/originals"
FONTS = Path("/usr/share/fonts/truetype/dejavu")


@pytest.fixture(scope="module")
def stamped(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stamped") / "ke-hoach.pdf"
    path.write_bytes(stamped_plan())
    return path


def _codes(warnings) -> list[str]:
    return [w.code for w in warnings]


def test_blank_fields_of_a_header_are_found_and_filled_ones_are_not():
    fields = dict(blank_fields("Số: /KH-UBND\nHà Nội, ngày …… tháng 12 năm 2025"))
    assert set(fields) == {"number", "day"}
    assert blank_fields("Số: 3070/KH-UBND\nHà Nội, ngày 09 tháng 12 năm 2025") == []


def test_fill_writes_each_value_read_into_its_blank_and_leaves_unread_ones():
    box = (0.0, 0.0, 1.0, 1.0)
    stamps = [Stamp("number", "3070", 1, box, "drawn"), Stamp("day", "09", 1, box, "drawn"), Stamp("month", None, 1, box, "drawn")]
    assert fill("Số: /KH-UBND\nBỉm Sơn, ngày tháng năm 2024", stamps) == "Số: 3070/KH-UBND\nBỉm Sơn, ngày 09 tháng năm 2024"


def test_number_and_day_drawn_by_the_signing_system_are_read_into_the_header(stamped):
    document = read_document(stamped)
    text = document.pages[0].text
    assert "Số: 3070/KH-UBND" in text
    assert "Lâm Đồng, ngày 09 tháng 9 năm 2024" in text
    read = [w for w in document.warnings if w.code == "stamped-value"]
    assert [w.page for w in read] == [1, 1]
    assert "3070" in read[0].message and "box" in read[0].message and "OCR" in read[0].message


def test_no_stamp_is_read_when_ocr_is_turned_off(stamped):
    document = read_document(stamped, ocr="never")
    assert "Số: /KH-UBND" in document.pages[0].text
    assert not [w for w in document.warnings if w.code.startswith("stamp")]


def test_the_record_takes_the_stamped_number_and_date_with_their_spans(stamped):
    record = process_file(stamped)
    meta = record.document
    assert (meta.number, meta.issue_date) == ("3070/KH-UBND", "2024-09-09")
    start, end = meta.spans["number"]
    assert record.text[start:end].replace(" ", "") == "3070/KH-UBND"
    assert "blank-number" not in _codes(record.warnings) and "blank-date" not in _codes(record.warnings)


def test_a_draft_with_no_ink_over_its_blanks_stays_blank(tmp_path):
    path = tmp_path / "du-thao.pdf"
    path.write_bytes(blank_form())
    record = process_file(path)
    assert record.document.number is None and record.document.issue_date == "2024-09"
    assert "Số: /KH-UBND" in record.text
    assert {"stamped-value", "stamp-unread"}.isdisjoint(_codes(record.warnings))
    assert "blank-number" in _codes(record.warnings)


def test_ink_that_reads_as_no_number_leaves_it_empty_with_a_warning_naming_the_region():
    stamps = read_stamps(blank_form(blot=True), 0)
    number = next(s for s in stamps if s.field == "number")
    assert number.value is None
    assert not any(s.field == "day" for s in stamps)  # no ink over the day's blank


def test_unread_ink_is_reported_with_page_and_box(tmp_path):
    path = tmp_path / "blot.pdf"
    path.write_bytes(blank_form(blot=True))
    document = read_document(path)
    unread = [w for w in document.warnings if w.code == "stamp-unread"]
    assert len(unread) == 1 and unread[0].page == 1 and "box" in unread[0].message
    assert "Số: /KH-UBND" in document.pages[0].text


def test_a_number_stamped_on_paper_under_a_scanner_s_layer_is_read_from_the_scan(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan_with_layer("892"))
    document = read_document(path)
    assert document.pages[0].method == "text-layer"  # the scanner's layer is good: kept
    assert "Số: 892/SVHTTDL-VP" in document.pages[0].text
    read = next(w for w in document.warnings if w.code == "stamped-value")
    assert "in the page itself" in read.message


def test_a_scan_with_nothing_written_in_the_blank_keeps_it_blank(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan_with_layer(None))
    document = read_document(path)
    assert "Số: /SVHTTDL-VP" in document.pages[0].text
    assert not [w for w in document.warnings if w.code.startswith("stamp")]


def test_a_number_drawn_by_the_signing_system_over_a_scan_without_layer_is_read_after_ocr(tmp_path):
    path = tmp_path / "signed-scan.pdf"
    path.write_bytes(signed(scan_with_layer(None, layer=False), [("SoVanBan", SCAN_NUMBER_BOX, "892")]))
    document = read_document(path)
    assert document.pages[0].method == "ocr"
    assert "Số: 892/SVHTTDL-VP" in document.pages[0].text
    assert any(w.code == "stamped-value" and "drawn over the page" in w.message for w in document.warnings)


def test_on_a_scan_without_layer_what_is_written_on_the_paper_is_left_to_ocr(tmp_path):
    """OCR read the page as scanned: ink of the scan itself is not read again."""
    scan = scan_with_layer("892", layer=False)
    row = Row([Word("Số:", 71, 88, 105, 124), Word("/SVHTTDL-VP", 140, 224, 105, 124)], 105, 124)
    assert read_stamps(scan, 0, [row]) == []  # the 892 in the scan's pixels is not drawn over it
    widget = signed(scan_with_layer(None, layer=False), [("SoVanBan", SCAN_NUMBER_BOX, "892")])
    assert [(s.field, s.value) for s in read_stamps(widget, 0, [row])] == [("number", "892")]


@pytest.mark.skipif(not ORIGINALS.exists(), reason="the originals are in the shared corpus")
def test_a_scanner_s_junk_layer_is_read_again_and_a_good_one_kept():
    assert read_document(ORIGINALS / "o025.pdf").pages[0].method == "ocr"  # "so:/J+06teo-ueND"
    assert read_document(ORIGINALS / "o013.pdf").pages[0].method == "text-layer"


@pytest.mark.skipif(not ORIGINALS.exists(), reason="the originals are in the shared corpus")
@pytest.mark.parametrize(
    "name, number, date",
    [("o001.pdf", "Số: 3070/KH-UBND", "ngày 09 tháng 9 năm 2024"), ("o013.pdf", "Số: 892/SVHTTDL-VP", "ngày 03 tháng 9 năm 2025")],
)
def test_originals_signed_in_an_office_system_give_the_number_and_day_a_reader_sees(name, number, date):
    text = read_document(ORIGINALS / name).pages[0].text
    assert number in text and date in text


def test_a_dotted_blank_under_the_issuer_s_rule_holds_no_stamp():
    """The sample plan's "Số:………/KH-SVHTTDL" and "ngày ….. tháng": the dots are the text
    layer's own and the rule under the issuer reaches into the crop; neither is a value."""
    path = next((CORPUS / "pdf").glob("004_*.pdf"))
    document = read_document(path)
    assert not [w for w in document.warnings if w.code.startswith("stamp")]


@pytest.mark.parametrize("which", ["sample plan", "blot"])
def test_a_page_without_annotations_gives_its_blanks_ink_as_when_both_renderings_are_compared(which):
    """The sample plan's page (no ink in its blanks) and a form with a blot in its number's
    blank have no annotation: rendered with widgets and annotations or without, the page
    looks the same, so skipping that comparison changes nothing. The signed plan, whose
    values are drawn in widgets, has annotations and is compared."""
    data = next((CORPUS / "pdf").glob("004_*.pdf")).read_bytes() if which == "sample plan" else blank_form(blot=True)
    page = pypdfium2.PdfDocument(data)[0]
    textpage = page.get_textpage()
    assert pdfium_c.FPDFPage_GetAnnotCount(page) == 0
    assert pdfium_c.FPDFPage_GetAnnotCount(pypdfium2.PdfDocument(stamped_plan())[0]) > 0
    gaps = [_gap(page, textpage, match) for _, match in blank_fields(textpage.get_text_range())]
    found = []
    for box, line, dots in filter(None, gaps):
        assert np.array_equal(_render(page, box, 150, True), _render(page, box, 150, False))
        for dpi in (150, 300):
            skipped, compared = _ink(page, box, line, dots, dpi, False), _ink(page, box, line, dots, dpi, True)
            assert (skipped is None) == (compared is None)
            if skipped is not None:
                assert skipped[1] == compared[1] and np.array_equal(np.asarray(skipped[0]), np.asarray(compared[0]))
                found.append(skipped[1])
    assert found == ([] if which == "sample plan" else ["in the page itself (scan or drawing)"] * 2)


def test_the_longest_dark_run_of_each_row_is_the_one_counted_row_by_row():
    rng = np.random.default_rng(11)
    arrays = [rng.random((int(rng.integers(1, 30)), int(rng.integers(1, 80)))) < rng.uniform(0, 1) for _ in range(200)]
    arrays += [np.zeros((4, 6), bool), np.ones((3, 5), bool), np.zeros((0, 5), bool)]
    for dark in arrays:
        expected = []
        for row in dark:
            run = best = 0
            for pixel in row:
                run = run + 1 if pixel else 0
                best = max(best, run)
            expected.append(best)
        assert _longest_runs(dark).tolist() == expected


# --------------------------------------------------------------------------- values OCR was unsure of


def _row(*words: tuple[str, float]) -> Row:
    """One of OCR's rows: words 6 pt a character, 5 pt apart, each with its confidence."""
    placed, x = [], 70.0
    for text, confidence in words:
        placed.append(Word(text, x, x + 6 * len(text), 110, 124, confidence=confidence))
        x += 6 * len(text) + 5
    return Row(placed, 110, 124)


def test_a_number_ocr_read_with_low_confidence_is_taken_out_with_its_page_and_box():
    rows, unsure = gate_unsure([_row(("Số:", 93), ("411/MTTQ-BTT", 61), ("Lâm", 96), ("Đồng,", 76), ("ngày", 96), ("13", 92), ("tháng", 96))], 1)
    assert rows[0].text.startswith("Số: /MTTQ-BTT Lâm Đồng")
    (item,) = unsure
    assert (item.field, item.read, item.confidence, item.page, item.value) == ("number", "411", 61, 1, None)
    word = rows[0].words[1]
    assert item.box[0] == 70 + 6 * 3 + 5 and item.box[2] == word.x0  # the value's part of its word
    (warning,) = unsure_warnings(unsure)
    assert warning.code == "ocr-unsure" and warning.page == 1 and "'411'" in warning.message and "box x" in warning.message


def test_values_read_with_confidence_are_kept():
    row = _row(("Số:", 97), ("3070", 93), ("/KH-UBND", 89), ("Lâm", 96), ("Đồng,", 92), ("ngày", 95), ("15", 88), ("tháng", 96))
    assert gate_unsure([row], 1) == ([row], [])


def test_an_unsure_value_read_so_again_alone_is_kept_as_ocr_read_it():
    """A printed number sharing a word with a symbol OCR was unsure of ("2638/LĐTBXH-KHTC" at 30)."""
    row = _row(("Số:", 93), ("2638/LĐTBXH-KHTC", 30))
    assert gate_unsure([row], 1, lambda box, cut, grey=False: (("2638", "2638", "26381"), 2.4)) == ([row], [])
    day = _row(("Lâm", 96), ("Đồng,", 92), ("ngày", 95), ("l3", 79), ("tháng", 96))  # "l3": OCR's lookalike of 13
    assert gate_unsure([day], 1, lambda box, cut, grey=False: (("13", "13", "13"), 1.2)) == ([day], [])


def test_a_legal_document_s_number_is_judged_without_its_year():
    """'Số: 102/2025/QĐ-UBND': the value read alone is the number, 102; judged against
    '102/2025' it disagreed and a printed number was left empty (pool scans at 300 dpi)."""
    row = _row(("Số:", 93), ("102/2025/QĐ-UBND", 61))
    assert gate_unsure([row], 1, lambda box, cut, grey=False: (("102", "102", "102"), 1.5)) == ([row], [])
    rows, (item,) = gate_unsure([row], 1, lambda box, cut, grey=False: (("102", "702", "702"), 1.5))
    assert item.read == "102" and rows[0].text == "Số: /2025/QĐ-UBND"


def test_an_unsure_value_is_replaced_only_by_what_every_reading_alone_gives_in_a_width_that_fits():
    row = _row(("Số:", 93), ("4†#/MTTQ-BTT", 65))
    rows, (item,) = gate_unsure([row], 1, lambda box, cut, grey=False: (("477", "477", "477"), 2.2))
    assert rows[0].text == "Số: 477 /MTTQ-BTT" and item.value == "477"
    assert unsure_warnings([item])[0].code == "ocr-reread"
    for readings, aspect in ((("2384", "1334", "2334"), 3.0), (("0", "0", "0"), 2.3)):  # disagreeing; a part of "210"
        rows, (item,) = gate_unsure([row], 1, lambda box, cut, grey=False: (readings, aspect))
        assert rows[0].text == "Số: /MTTQ-BTT" and item.value is None


def test_a_number_of_zeros_read_again_is_no_number():
    """Numbering starts at 01 each year: a hand-written "210" whose box OCR read as "0", and
    that alone reads "0" again, is left empty, not kept as a printed number."""
    row = _row(("Số:", 93), ("0", 49), ("-CV/BTGDVTU", 91))
    rows, (item,) = gate_unsure([row], 1, lambda box, cut, grey=False: (("0", "0", "0"), 1.0))
    assert rows[0].text == "Số: -CV/BTGDVTU" and item.value is None


def test_a_box_cut_through_a_hand_written_digit_is_read_with_the_whole_digit():
    """OCR's words give the value's box by character share, which cuts a digit wider than
    print ("996" read "#6", its box from the middle of the first 9): the marks it touches are
    read whole."""
    page = Image.new("L", (900, 200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 60)
    draw.text((300, 60), "996", font=font, fill=0)
    left, _, right, _ = draw.textbbox((300, 60), "996", font=font)
    scale = 72 / 300
    box = ((left + (right - left) / 6) * scale, 60 * scale, right * scale, 140 * scale)  # from the first 9's middle
    readings, aspect = _reread(PageImage(page, 300), box, 0.0, cut=True)
    assert set(readings) == {"996"} and aspect > 1.2


def test_a_value_s_box_is_read_without_its_neighbours_words():
    """Reaching past a cut box for the rest of a digit must not bring in the words beside it:
    the accents of "tháng" and "năm" leave no blank row above a month's "7"."""
    page = Image.new("L", (1200, 200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONTS / "DejaVuSerif-Italic.ttf"), 50)
    draw.text((100, 70), "ngày 21 tháng 7 năm 2026", font=font, fill=0)
    before = draw.textlength("ngày 21 tháng ", font=font)
    left, top, right, bottom = draw.textbbox((100 + before, 70), "7", font=font)
    scale = 72 / 300
    readings, _ = _reread(PageImage(page, 300), (left * scale, top * scale, right * scale, bottom * scale), 0.0, cut=True)
    assert set(readings) == {"7"}


def test_a_date_the_body_cites_is_not_the_header_s():
    row = _row(("Căn", 97), ("cứ", 97), ("Luật", 97), ("ngày", 97), ("16", 40), ("tháng", 96), ("6", 96))
    assert gate_unsure([row], 1) == ([row], [])


def test_a_printed_header_on_a_scan_keeps_its_number_and_day(tmp_path):
    path = tmp_path / "printed.png"
    header_scan("3070", "15").save(path, dpi=(300, 300))
    document = read_document(path)
    assert "Số: 3070 /KH-UBND" in document.pages[0].text
    assert {"ocr-unsure", "ocr-reread"}.isdisjoint(_codes(document.warnings))


def test_a_number_and_day_written_by_hand_are_read_again_alone_and_said_so(tmp_path):
    """The page's OCR reads the pen's "477" as "4l" and its "13" as a letter, both unsure;
    each box read alone gives the value three times out of three."""
    path = tmp_path / "pen.png"
    header_scan("477", "13", pen=(30, 30, 30)).save(path, dpi=(300, 300))
    record = process_file(path)
    assert (record.document.number, record.document.issue_date) == ("477/KH-UBND", "2024-09-13")
    said = [w for w in record.warnings if w.code == "ocr-reread"]
    assert [w.page for w in said] == [1, 1] and all("box x" in w.message for w in said)


def test_reading_a_value_again_leaves_pandas_and_scipy_unloaded(tmp_path):
    """A worker's first hand-written number is read by the `tesseract` command without
    pytesseract, whose import took pandas with it (0.35 s of CPU), and its marks are found
    without scipy (0.17 s)."""
    path = tmp_path / "pen.png"
    header_scan("477", "13", pen=(30, 30, 30)).save(path, dpi=(300, 300))
    probe = (
        "import sys; from pipeline.process import process_file; "
        f"record = process_file({str(path)!r}); "
        "print(sum(w.code == 'ocr-reread' for w in record.warnings), 'pandas' in sys.modules, 'scipy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "False", "False"]


def test_readings_in_one_run_of_tesseract_are_each_image_s_own_reading():
    """The images of a value, blank ones among them, read in one run give what each gives
    alone, in their order."""
    font = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), 40)
    images = []
    for text in ("477", "", "13", "2858"):
        image = Image.new("L", (40 * max(1, len(text)), 60), 255)
        ImageDraw.Draw(image).text((6, 6), text, fill=0, font=font)
        images.append(image)
    together = _ocr(images)
    assert [text for text, _ in together] == ["477", "", "13", "2858"]
    assert together == [_ocr([image])[0] for image in images]


def test_the_marks_a_box_touches_are_those_scipy_s_labels_give():
    """_touched and _grown do by hand what scipy.ndimage's label and binary_dilation do
    (scipy stays out of the workers for its import time): the same pixels on random ink."""
    from scipy import ndimage

    rng = np.random.default_rng(7)
    for _ in range(300):
        ink = rng.random((int(rng.integers(3, 40)), int(rng.integers(3, 90)))) < rng.uniform(0.03, 0.4)
        start, width, join = int(rng.integers(0, ink.shape[1])), int(rng.integers(1, 25)), int(rng.integers(0, 4))
        joined = ndimage.binary_dilation(ink, iterations=join) if join else ink
        marks, _ = ndimage.label(joined, structure=np.ones((3, 3)))
        inside = np.unique(marks[:, start : start + width][ink[:, start : start + width]])
        assert np.array_equal(_grown(ink, join), joined)
        assert np.array_equal(_touched(ink, start, width, join), ink & np.isin(marks, inside[inside > 0]))


def test_a_number_in_blue_pen_ocr_takes_out_with_the_coloured_ink_is_read_in_its_blank(tmp_path):
    path = tmp_path / "blue.png"
    header_scan("477", "13", pen=(40, 50, 160)).save(path, dpi=(300, 300))
    document = read_document(path)
    assert "Số: 477 /KH-UBND" in document.pages[0].text
    said = [w for w in document.warnings if w.code == "ocr-reread"]
    assert said and all("blank in what OCR read, with ink there" in w.message for w in said)


def test_a_scanned_draft_s_dotted_blanks_stay_blank_without_a_word():
    path = next((CORPUS / "scans").glob("004_*.png"))
    document = read_document(path)
    assert {"ocr-unsure", "ocr-reread"}.isdisjoint(_codes(document.warnings))


def test_a_printed_number_whose_ink_alone_enlarged_reads_otherwise_is_kept_when_its_grey_pixels_give_it():
    """A printed "56/QĐ-UBND" OCR read with little confidence (the whole word's): its box read
    alone as black ink enlarged gives 56, 596, 96; its grey pixels 56 twice, so it is kept."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 54)
    page = Image.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(page)
    draw.text((100, 60), "Số: 56/QĐ-UBND", font=font, fill=0)
    page = page.filter(ImageFilter.GaussianBlur(0.7))  # a scan's soft edges
    scale = 72 / 300
    label = draw.textbbox((100, 60), "Số:", font=font)
    word = draw.textbbox((100 + draw.textlength("Số: ", font=font), 60), "56/QĐ-UBND", font=font)
    row = Row(
        [Word("Số:", label[0] * scale, label[2] * scale, label[1] * scale, label[3] * scale, confidence=97.0),
         Word("56/QĐ-UBND", word[0] * scale, word[2] * scale, word[1] * scale, word[3] * scale, confidence=70.0)],
        word[1] * scale, word[3] * scale,
    )

    def reread(box, cut, grey=False):
        return _reread(PageImage(page, 300), box, 0.0, cut, grey)

    assert gate_unsure([row], 1, reread) == ([row], [])


def test_a_grey_reading_does_not_write_in_a_value_ocr_did_not_read():
    """Grey pixels only confirm what OCR read in its line: a value read wrong ("#6") is replaced
    by what every reading of the ink alone gives, or left empty."""
    row = _row(("Số:", 93), ("#6/KH-TCTLNTW", 16))

    def reread(box, cut, grey=False):
        return (("996", "996", "996"), 1.8) if grey else (("996", "96", "996"), 1.8)

    rows, (item,) = gate_unsure([row], 1, reread)
    assert rows[0].text == "Số: /KH-TCTLNTW" and item.value is None
