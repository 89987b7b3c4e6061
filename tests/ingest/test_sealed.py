"""The signer's printed name under a seal on a grey scan: read again from the darkest ink of
the closing's right column when OCR of the page gave no name there, and said so."""

from __future__ import annotations

from PIL import Image

from pipeline.ingest import read_document
from pipeline.ingest.layout import Row, Word
from pipeline.ingest.ocr import OcrResult, PageImage
from pipeline.ingest.sealed import sealed_signer
from pipeline.process import process_file
from tests.ingest.signed_pdf import WIDTH, sealed_closing


def test_a_name_under_a_seal_and_a_signature_is_read_from_the_darkest_ink(tmp_path):
    path = tmp_path / "sealed.png"
    sealed_closing().save(path, dpi=(300, 300))
    record = process_file(path)
    assert record.document.signer_name == "Nguyễn Văn An"
    (said,) = [w for w in record.warnings if w.code == "signer-reread"]
    assert said.page == 1 and "Nguyễn Văn An" in said.message and "box x" in said.message


def test_a_closing_ocr_reads_whole_is_not_read_again(tmp_path):
    path = tmp_path / "plain.png"
    sealed_closing(seal=False).save(path, dpi=(300, 300))
    document = read_document(path)
    assert "Nguyễn Văn An" in document.pages[0].text
    assert "signer-reread" not in [w.code for w in document.warnings]


def test_a_name_ocr_found_after_its_pen_strokes_is_kept_without_reading_again():
    """OCR reads the signature above the name as junk on its line ("tr 3Ä;đ⁄4ZÃ J4 Nguyễn …")."""
    rows = [
        Row([Word("Nơi", 70, 90, 130, 142), Word("nhận:", 93, 120, 130, 142), Word("KT.", 360, 380, 130, 142), Word("CHỦ", 383, 410, 130, 142)], 130, 142),
        Row([Word("tr", 330, 340, 230, 242), Word("3Ä;đ⁄4ZÃ", 345, 380, 230, 242), Word("Nguyễn", 385, 420, 230, 242), Word("Văn", 423, 445, 230, 242), Word("Cường", 448, 480, 230, 242)], 230, 242),
    ]
    result = OcrResult(rows, 90.0, width=WIDTH)

    def load() -> PageImage:
        raise AssertionError("the page is not read again")

    assert sealed_signer(result, load, 1) == (result, [])


def test_a_name_read_in_part_under_the_seal_is_not_taken():
    """Only a line that is a name and nothing else is taken: a part of one ("…yễn Văn An") is not."""
    page = sealed_closing().convert("L")
    px = 300 / 72
    page.paste(255, (round(330 * px), round(226 * px), round(372 * px), round(245 * px)))  # "Nguy" gone
    page.paste(Image.new("L", (round(14 * px), round(10 * px)), 0), (round(340 * px), round(232 * px)))  # a blot for it
    rows = [Row([Word("Nơi", 70, 90, 130, 142), Word("nhận:", 93, 120, 130, 142)], 130, 142)]
    result = OcrResult(rows, 90.0, width=WIDTH)
    read, said = sealed_signer(result, lambda: PageImage(page, 300), 1)
    assert said == [] and read.rows == rows


def test_a_name_read_again_replaces_the_pages_misreading_of_it():
    """OCR of the page read the name garbled ("Ngưyền Vặn An", begun by no family name of
    document.yaml): the name read again stands alone on its line, not beside the misreading."""
    rows = [
        Row([Word("Nơi", 70, 90, 130, 142), Word("nhận:", 93, 120, 130, 142), Word("KT.", 360, 380, 130, 142), Word("CHỦ", 383, 410, 130, 142), Word("TỊCH", 413, 440, 130, 142)], 130, 142),
        Row([Word("PHÓ", 355, 380, 145, 157), Word("CHỦ", 383, 410, 145, 157), Word("TỊCH", 413, 440, 145, 157)], 145, 157),
        Row([Word("Ngưyền", 345, 395, 230, 243), Word("Vặn", 398, 420, 230, 243), Word("An", 423, 440, 230, 243)], 230, 243),
    ]
    result = OcrResult(rows, 90.0, width=WIDTH)
    read, said = sealed_signer(result, lambda: PageImage(sealed_closing(), 300), 1)
    assert [w.code for w in said] == ["signer-reread"]
    assert [row.text for row in read.rows][-1] == "Nguyễn Văn An"
    assert "Ngưyền" not in " ".join(row.text for row in read.rows)
