"""Image files as scanners and phones store them: resolution said, unbelievable or missing;
colour pages with seals, signatures and received-stamps; pages turned. Real Tesseract."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.ingest import read_document
from pipeline.ingest.image import page_dpi
from pipeline.ingest.ocr import at_resolution, decoded, settings, without_ink
from pipeline.records import IngestError

SCANS = Path(__file__).resolve().parents[2] / "corpus" / "scans"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
RED, BLUE, PAPER = (214, 38, 44), (28, 52, 160), (247, 244, 236)


def frame(size: tuple[int, int], **info) -> Image.Image:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, "PNG", **info)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_a_stated_resolution_is_kept():
    assert page_dpi(frame((2480, 3508), dpi=(300, 300))) == (pytest.approx(300, abs=0.1), None)


def test_an_image_without_resolution_gets_one_from_its_size_as_a_whole_page():
    dpi, how = page_dpi(frame((4135, 5850)))
    assert dpi == pytest.approx(500, abs=1)
    assert "no resolution" in how and "A4" in how and "4135x5850" in how
    dpi, _ = page_dpi(frame((3508, 2480)))  # landscape
    assert dpi == pytest.approx(300, abs=1)
    dpi, how = page_dpi(frame((2550, 3300)))  # US Letter's shape
    assert dpi == pytest.approx(300, abs=1) and "Letter" in how


def test_a_resolution_that_would_make_a_giant_page_is_not_believed():
    dpi, how = page_dpi(frame((3024, 4032), dpi=(72, 72)))  # a phone photo saying 72 dpi
    assert dpi > 300 and "72 dpi" in how


def test_coloured_ink_turns_pale_and_print_stays_black():
    page = Image.new("RGB", (4, 1))
    page.putdata([PAPER, RED, BLUE, (20, 20, 20)])
    grey = [without_ink(page).getpixel((x, 0)) for x in range(4)]
    assert grey[1] > 200 and grey[2] > 150  # seal, signature: above any binarisation threshold of print
    assert grey[3] < 30
    assert without_ink(Image.new("L", (2, 2), 7)).getpixel((0, 0)) == 7


def test_a_fine_page_is_reduced_to_the_ocr_resolution_and_a_normal_one_kept():
    reduced = at_resolution(Image.new("L", (4135, 5850), 255), 500.0)
    assert reduced.dpi == pytest.approx(settings()["resolution"]["ocr_dpi"], abs=0.5)
    assert reduced.image.width == round(4135 * reduced.dpi / 500)
    kept = at_resolution(Image.new("L", (2480, 3508), 255), 300.0)
    assert kept.image.size == (2480, 3508) and kept.dpi == 300.0


def test_a_fine_jpeg_is_decoded_reduced_when_that_stays_at_the_ocr_resolution():
    buffer = io.BytesIO()
    Image.new("RGB", (4960, 7016), PAPER).save(buffer, "JPEG", dpi=(600, 600))
    page = decoded(Image.open(io.BytesIO(buffer.getvalue())), 600.0)
    assert page.image.size == (2480, 3508) and page.dpi == 300.0
    buffer = io.BytesIO()
    Image.new("RGB", (4135, 5850), PAPER).save(buffer, "JPEG")
    page = decoded(Image.open(io.BytesIO(buffer.getvalue())), 500.0)  # a half would be 250 dpi
    assert page.image.size == (4135, 5850) and page.dpi == 500.0


def _font(points: float, bold: bool = False, dpi: int = 300) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf")), round(points * dpi / 72))


@pytest.fixture(scope="module")
def sealed_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An A4 page at 300 dpi on tinted paper, ending in a signature block: a red seal over
    the title and the signer's name, a blue signature across them; a red received-stamp in
    the top margin; stored as a JPEG without a resolution, as phones and many scanners do."""
    image = Image.new("RGB", (2480, 3508), PAPER)
    draw = ImageDraw.Draw(image)
    draw.text((200, 400), "Nơi nhận: Như trên; Lưu: VT.", font=_font(12), fill=(25, 25, 25))
    for y, text, bold in ((400, "KT. GIÁM ĐỐC", True), (470, "PHÓ GIÁM ĐỐC", True), (780, "Trần Thị Hương", True)):
        draw.text((1700, y), text, font=_font(13, bold), fill=(25, 25, 25), anchor="ma")
    ink = Image.new("RGB", image.size, (255, 255, 255))
    marks = ImageDraw.Draw(ink)
    cx, cy, r = 1560, 620, 225
    for ring, width in ((r, 11), (r - 54, 6)):
        marks.ellipse((cx - ring, cy - ring, cx + ring, cy + ring), outline=RED, width=width)
    for n, char in enumerate("SỞ NỘI VỤ * TỈNH NAM ĐỊNH * "):
        angle = math.pi * (1.1 + 1.8 * n / 28)
        marks.text((cx + (r - 28) * math.cos(angle), cy + (r - 28) * math.sin(angle)), char, font=_font(8, True), fill=RED, anchor="mm")
    marks.line([(cx - 40 + 6 * t, cy + 60 + 120 * math.sin(t / 9)) for t in range(120)], fill=BLUE, width=5)
    marks.rectangle((70, 40, 660, 230), outline=RED, width=7)
    for n, text in enumerate(("ĐẾN", "Số: 3125", "Ngày: 16/6/2026")):
        marks.text((95, 55 + 55 * n), text, font=_font(9, True), fill=RED)
    pixels = np.asarray(image, dtype=np.float32) * np.asarray(ink, dtype=np.float32) / 255
    path = tmp_path_factory.mktemp("sealed") / "sealed.jpg"
    Image.fromarray(pixels.astype(np.uint8)).save(path, quality=85)
    return path


def test_the_title_and_name_under_a_seal_are_read_and_a_received_stamp_is_not(sealed_page):
    document = read_document(sealed_page)
    text = document.pages[0].text
    assert "PHÓ GIÁM ĐỐC" in text and "Trần Thị Hương" in text
    assert "3125" not in text and "ĐẾN" not in text
    assert any(w.code == "image-dpi-inferred" for w in document.warnings)


@pytest.fixture(scope="module")
def upright_lines() -> list[str]:
    return _lines(read_document(next(SCANS.glob("004_*-p1.png"))))


def _lines(document) -> list[str]:
    return [line.strip() for line in document.pages[0].text.split("\n") if line.strip()][:5]


@pytest.mark.parametrize("turn", [180, 90])
def test_a_page_scanned_upside_down_or_sideways_is_read_upright(tmp_path, upright_lines, turn):
    turned = tmp_path / f"turned-{turn}.png"
    with Image.open(next(SCANS.glob("004_*-p1.png"))) as image:
        image.rotate(turn, expand=True).save(turned, dpi=(300, 300))
    assert _lines(read_document(turned)) == upright_lines


def test_uneven_light_is_evened_and_even_light_left_alone():
    from pipeline.ingest.ocr import evened

    _, x = np.mgrid[0:1600, 0:1200].astype(np.float32)
    paper = 250 * (1.0 - 0.5 * x / 1200)  # a lamp's fall-off to half across the page
    page = np.full((1600, 1200), 250, dtype=np.float32)
    page[800:812, 100:1100] = 20  # a line of print
    shaded = Image.fromarray((page * paper / 250).astype(np.uint8))
    flat = np.asarray(evened(shaded))
    assert abs(int(flat[200, 100]) - int(flat[200, 1100])) < 20  # the paper is even again
    assert flat[805, 1000] < 60  # print stays dark where the light was poor
    even = Image.fromarray(page.astype(np.uint8))
    assert evened(even) is even


def test_the_paper_s_brightness_is_the_brightest_pixel_in_the_window_around_each_point_smoothed():
    from pipeline.ingest.ocr import background, settings

    conf = settings()["light"]
    noise = np.random.default_rng(13).integers(0, 256, (1203, 901), dtype=np.uint8)
    image = Image.fromarray(noise)
    expected = image.reduce(conf["factor"]).filter(ImageFilter.MaxFilter(conf["window"]))
    assert background(image).tobytes() == expected.filter(ImageFilter.GaussianBlur(conf["window"])).tobytes()


def test_a_photo_stored_turned_is_turned_as_its_exif_says():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned: to be shown turned 90 degrees clockwise
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), PAPER).save(buffer, "JPEG", exif=exif)
    page = decoded(Image.open(io.BytesIO(buffer.getvalue())), 300.0)
    assert page.image.size == (300, 400)


def test_an_image_too_large_to_open_safely_is_a_clear_error(tmp_path):
    """A 16,000 x 16,000 page compresses to 50 kB and would need 256 MB to decode."""
    path = tmp_path / "bomb.png"
    Image.new("1", (16000, 16000), 1).save(path)
    with pytest.raises(IngestError, match="too large to open safely"):
        read_document(path)


@pytest.mark.parametrize("angle", [-3, 9])
def test_a_page_scanned_askew_is_straightened_before_it_is_read(tmp_path, upright_lines, angle):
    askew = tmp_path / f"askew-{angle}.png"
    with Image.open(next(SCANS.glob("004_*-p1.png"))) as image:
        image.convert("L").rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC).save(askew, dpi=(300, 300))
    # A speck of the turned page's edge may stick to a line's end as a comma.
    assert [line.rstrip(",") for line in _lines(read_document(askew))] == upright_lines
