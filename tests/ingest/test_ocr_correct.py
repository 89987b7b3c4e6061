"""OCR post-correction on composed pages of other provinces and agencies than the samples.

Pages are given as Tesseract would: a TSV of words with confidences (a word marked "*"
is read with low confidence), parsed by the real tsv_rows; one test OCRs a real image.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import regex
from PIL import Image, ImageDraw, ImageFont

from pipeline.ingest import read_document
from pipeline.ingest.ocr import repair_outline, tsv_rows
from pipeline.ingest.ocr_correct import (
    built_vocabulary,
    correct_pages,
    correct_text,
    dictionary_entries,
    line_words,
    vocabulary,
)
from pipeline.process import process_file
from pipeline.text import normalise_unicode

TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
SURE, UNSURE = 96.0, 71.0
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def tesseract_tsv(page: str) -> str:
    """A page as Tesseract's TSV: one line per line, words with "*" read at low confidence."""
    entries = [TSV_HEADER]
    for line_number, line in enumerate(page.split("\n"), start=1):
        left = 100
        for word_number, word in enumerate(line.split(), start=1):
            conf = UNSURE if word.startswith("*") else SURE
            word = word.removeprefix("*")
            entries.append(f"5\t1\t1\t1\t{line_number}\t{word_number}\t{left}\t{60 * line_number}\t{24 * len(word)}\t40\t{conf}\t{word}")
            left += 24 * len(word) + 20
    return "\n".join(entries) + "\n"


def ocr_read(page: str) -> tuple[str, frozenset]:
    """The page text and doubted words the pipeline would have from that TSV."""
    rows, _, doubtful = tsv_rows(tesseract_tsv(page), 300)
    return normalise_unicode("\n".join(row.text for row in rows)), doubtful


def corrected(page: str) -> str:
    return correct_text(*ocr_read(page))[0]


# --------------------------------------------------------------------------- corrected when unambiguous


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # a diacritic misread inside a gazetteer name: corrected even when OCR was sure
        ("Sở Tài nguyên và Môi trưởng tỉnh Quảng Bình chủ trì", "Sở Tài nguyên và Môi trường tỉnh Quảng Bình chủ trì"),
        ("Sở Nông nghiệp và Phát triền nông thôn tỉnh Hà Tĩnh", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh"),
        # a header line in capitals
        ("UBND TỈNH KON TUM\nSỞ GIÁO DỤC VÀ ĐẢO TẠO", "UBND TỈNH KON TUM\nSỞ GIÁO DỤC VÀ ĐÀO TẠO"),
        # a word that is no Vietnamese word at all
        ("Phòng Văn hóa và Thông tỉn huyện Đắk Mil", "Phòng Văn hóa và Thông tin huyện Đắk Mil"),
        # a valid syllable that OCR doubted, in common vocabulary
        ("Ủy ban nhân dân huyện Krông Pắc *tổ *chúc thực hiện", "Ủy ban nhân dân huyện Krông Pắc tổ chức thực hiện"),
        ("Đại hội *lân thứ XIV của Đảng", "Đại hội lần thứ XIV của Đảng"),
        ("nhằm đẩy mạnh hoạt *đông tuyên truyền", "nhằm đẩy mạnh hoạt động tuyên truyền"),
    ],
)
def test_a_misread_word_is_corrected_when_its_neighbours_support_one_reading(page, expected):
    assert corrected(page) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("Kế hoạch số *102/KH-UBNĐ ngày 05/3/2024", "Kế hoạch số 102/KH-UBND ngày 05/3/2024"),  # a changed glyph
        ("Quyết định số *45/QĐĐ-UBND của tỉnh Bình Định", "Quyết định số 45/QĐ-UBND của tỉnh Bình Định"),  # a split glyph
        ("- Lưu: *VTI, VPUB.", "- Lưu: VT, VPUB."),
    ],
)
def test_a_doubted_abbreviation_is_repaired_against_the_known_ones(page, expected):
    assert corrected(page) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("Báo cáo kết quả thực hiện quý *TV năm 2024", "Báo cáo kết quả thực hiện quý IV năm 2024"),
        ("Phần *HII. DANH MỤC", "Phần III. DANH MỤC"),
        ("Nghị quyết Đại hội lần thứ *XTV của Đảng", "Nghị quyết Đại hội lần thứ XIV của Đảng"),
    ],
)
def test_a_misread_numeral_after_a_word_that_takes_one_is_repaired(page, expected):
    assert corrected(page) == expected


# --------------------------------------------------------------------------- left alone


@pytest.mark.parametrize(
    "page",
    [
        "trên *địa *bàn *tỉnh Gia Lai",  # "bàn tính" is a phrase too, but no better split
        "Đồng chí *Hoàng *Văn *Hoa, Phó Chủ tịch",  # a name is corrected only towards the gazetteer
        "đề nghị gửi *công *van về Sở",  # "công văn" and "công vận": ambiguous
        "*tỉn",  # no neighbour, no evidence
        "Quyết định số *15/QĐ-BVHTDL ngày 02/3/2022",  # a real code a letter short of a known one
        "Quyết định số 45/QĐĐ-UBND",  # an unknown code read with confidence
        "quý II năm 2024 và quý III năm 2024",  # valid numerals
        "Trường *THCS Nhơn Hòa; Công văn số *262/CT-KTNB",  # real codes a look-unlike letter from known ones (TNCS, KTNN)
        "các *CCN trên địa bàn; quy hoạch *CCN",  # an unknown code the page prints twice
    ],
)
def test_a_valid_ambiguous_or_confidently_read_word_is_left_alone(page):
    assert corrected(page) == ocr_read(page)[0]


def test_a_stray_character_stuck_to_a_dates_day_or_month_goes_when_a_valid_one_is_left():
    text, corrections = correct_text("Lào Cai, ngày 17 tháng Z7 năm 2026\nHà Nội, ngày 4? tháng 05 năm 2013", frozenset())
    assert text == "Lào Cai, ngày 17 tháng 7 năm 2026\nHà Nội, ngày 4 tháng 05 năm 2013"
    assert [c.rule for c in corrections] == ["date", "date"]
    kept = "ngày 45 tháng 7 năm 2020; ngày 12 tháng 1a3 năm 2020; ngày ..... tháng 3 năm 2023"
    assert correct_text(kept, frozenset())[0] == kept


def test_a_digit_s_look_alike_in_a_date_is_that_digit_where_the_value_stays_valid():
    """An italic 13 read "l3" is the 13th, not the 3rd; "O9" the 9th; "l5" as a month is no
    month, so its "l" is a stray mark."""
    text, _ = correct_text("Lâm Đồng, ngày l3 tháng 11 năm 2025\nHuế, ngày O9 tháng l5 năm 2024", frozenset())
    assert text == "Lâm Đồng, ngày 13 tháng 11 năm 2025\nHuế, ngày 09 tháng 5 năm 2024"


def test_a_stroke_read_inside_a_documents_symbol_goes_and_a_quote_in_the_text_stays():
    text, corrections = correct_text("theo Quyết định số 1562/QĐ-T'Tg ngày 12/9/2023 và cụm từ 'khu vực'", frozenset())
    assert text == "theo Quyết định số 1562/QĐ-TTg ngày 12/9/2023 và cụm từ 'khu vực'"
    assert [c.rule for c in corrections] == ["stroke"]


def test_an_authority_marker_s_stop_read_as_a_colon_is_a_stop_and_a_label_s_colon_stays():
    text, corrections = correct_text("- Lưu: VT, GSQL.\nKT:\nTỔNG CỤC TRƯỞNG\nPHÓ TỔNG CỤC TRƯỞNG\nTM; ỦY BAN NHÂN DÂN", frozenset())
    assert text == "- Lưu: VT, GSQL.\nKT.\nTỔNG CỤC TRƯỞNG\nPHÓ TỔNG CỤC TRƯỞNG\nTM. ỦY BAN NHÂN DÂN"
    assert [c.rule for c in corrections] == ["authority", "authority"]


def test_an_i_read_with_a_mark_over_it_after_chuong_is_the_numeral():
    text, corrections = correct_text("(Ban hành kèm theo Quyết định số 125/2025/QĐ-UBND)\nChương Ï\nQUY ĐỊNH CHUNG\nChương ÏI", frozenset())
    assert text.endswith("Chương I\nQUY ĐỊNH CHUNG\nChương II") and [c.rule for c in corrections] == ["numeral", "numeral"]


def test_a_bracket_read_for_the_i_that_ends_a_symbol_is_that_letter_and_a_bracket_in_the_text_stays():
    text, corrections = correct_text("Số: 11554/VPCP-V.]\nV/v nâng cao hiệu quả (xem mục [a]) số 12/BC-V.] ngày", frozenset())
    assert text == "Số: 11554/VPCP-V.I\nV/v nâng cao hiệu quả (xem mục [a]) số 12/BC-V.I ngày"
    assert [c.rule for c in corrections] == ["bracket", "bracket"]


def test_a_stop_read_for_the_comma_of_a_name_in_capitals_is_a_comma_and_an_abbreviation_keeps_its_stop():
    text, corrections = correct_text("BAN CHỈ ĐẠO PHÒNG CHỐNG THIÊN TAI. TÌM KIẾM CỨU NẠN TỈNH", frozenset())
    assert text == "BAN CHỈ ĐẠO PHÒNG CHỐNG THIÊN TAI, TÌM KIẾM CỨU NẠN TỈNH" and [c.rule for c in corrections] == ["stop"]
    kept = "ỦY BAN NHÂN DÂN TP. HỒ CHÍ MINH\nSỞ Y TẾ KT. GIÁM ĐỐC\nPHẦN II. NỘI DUNG"
    assert correct_text(kept, frozenset())[0] == kept


def test_a_capital_read_small_in_a_word_among_capitals_is_a_capital_and_the_word_is_then_read():
    text, corrections = correct_text("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nTỈNH CAO BẰNG VÀ XÃ HớI", frozenset())
    assert text.endswith("VÀ XÃ HỘI") and [(c.read, c.corrected) for c in corrections] == [("HớI", "HỘI")]
    kept = "Sở Văn hóa và iPhone\nBAN CHỈ ĐẠO QUỐC GIA Sĩ"
    assert correct_text(kept, frozenset())[0] == kept


def test_a_non_word_in_capitals_with_a_vowel_s_marks_is_a_misread_word_and_a_code_is_kept():
    assert corrected("BAN CHỈ ĐẠO PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾỂM CỨU NẠN") == "BAN CHỈ ĐẠO PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN"
    assert corrected("Lưu: VT, TTBCXB, KTTH.") == "Lưu: VT, TTBCXB, KTTH."


def test_a_doubted_numeral_the_document_prints_elsewhere_too_is_kept():
    """A plan that sets deadlines in both "quý II năm 2026" and "quý III năm 2026"."""
    page, doubtful = ocr_read("báo cáo trong quý *II năm 2026")
    body = "hoàn thành trong quý III năm 2026; quý III năm 2026; quý II năm 2026."
    assert correct_pages([page, body], [doubtful, None])[0][0] == page


def test_a_quarter_s_roman_strokes_read_as_ones_are_the_numeral_and_arabic_figures_are_kept():
    assert correct_text("hoàn thành trong quý 11/2026.", frozenset())[0] == "hoàn thành trong quý II/2026."
    kept = "báo cáo trong quý 1/2026; Đại hội lần thứ 11; quý 12/2025"
    assert correct_text(kept, frozenset())[0] == kept


def test_the_unit_line_of_a_table_of_figures_is_a_known_code():
    assert corrected("PHỤ LỤC 02\n*ĐVIT: triệu đồng") == "PHỤ LỤC 02\nĐVT: triệu đồng"


def test_genre_phrases_support_a_doubted_reading_in_a_capitals_title():
    assert corrected("VỀ VIỆC *PHÂN *BỐ *CHI TIẾT KẾ HOẠCH VỐN NĂM 2024") == "VỀ VIỆC PHÂN BỔ CHI TIẾT KẾ HOẠCH VỐN NĂM 2024"
    assert corrected("CƠ SỞ GIÁO DỤC *TRẼÊN *ĐỊA BÀN TỈNH NINH THUẬN") == "CƠ SỞ GIÁO DỤC TRÊN ĐỊA BÀN TỈNH NINH THUẬN"
    kept = "dân cư *phân *bố không đều trên địa bàn tỉnh"
    assert corrected(kept) == ocr_read(kept)[0]


def test_a_frequent_word_read_with_confidence_needs_more_than_one_phrase_of_evidence():
    """"còn" -> "con" would give one more phrase ("con gặp"?): not enough unless doubted."""
    page = "công tác tuyên truyền còn gặp nhiều khó khăn"
    assert corrected(page) == page


# --------------------------------------------------------------------------- where and how


def test_only_ocred_pages_are_corrected_and_each_correction_is_listed():
    text, doubtful = ocr_read("Sở Lao động - Thương bỉnh và Xã hội tỉnh Nghệ An\n- Lưu: *VTI, SLĐTBXH.")
    typed = "Sở Lao động - Thương bỉnh và Xã hội tỉnh Nghệ An"
    texts, warnings = correct_pages([typed, text], [None, doubtful])
    assert texts == [typed, "Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An\n- Lưu: VT, SLĐTBXH."]
    assert [(w.code, w.page) for w in warnings] == [("ocr-corrected", 2)]
    assert "bỉnh -> binh" in warnings[0].message and "VTI -> VT" in warnings[0].message


def test_the_doubted_words_are_found_by_their_neighbours_on_the_line():
    _, _, doubtful = tsv_rows(tesseract_tsv("Ban Chỉ đạo *tỉn Lào Cai\nthông *tin, *555/KH-BCPĐ"), 300)
    assert doubtful == {
        ("đạo", "tỉn", "Lào"),
        ("thông", "tin", "555"),
        ("tin", "555", "KH"),
        ("555", "KH", "BCPĐ"),
        ("KH", "BCPĐ", None),
    }
    # Only the occurrence OCR doubted may change on one phrase of evidence.
    text, doubtful = ocr_read("thực hiện tiếp âm *đây đủ chương trình\nbáo cáo đây đủ")
    assert correct_text(text, doubtful)[0] == "thực hiện tiếp âm đầy đủ chương trình\nbáo cáo đây đủ"


def test_a_text_layer_pdf_is_never_corrected():
    """The sample's text layer has its own typos ("kế hoach"): kept as printed."""
    document = read_document(next((CORPUS / "pdf").glob("004_*.pdf")))
    assert not any(w.code == "ocr-corrected" for w in document.warnings)
    assert "hoach" in "\n".join(page.text for page in document.pages)


def test_a_word_capitalised_because_it_begins_an_item_or_a_sentence_is_read_as_a_common_word():
    assert corrected("- *Đầy mạnh công tác tuyên truyền, phổ biến pháp luật") == "- Đẩy mạnh công tác tuyên truyền, phổ biến pháp luật"
    assert corrected("Tiếp tục đôn đốc. *Đầy mạnh công tác tuyên truyền") == "Tiếp tục đôn đốc. Đẩy mạnh công tác tuyên truyền"
    assert corrected("giao cho ông *Đầy Mạnh Hùng") == "giao cho ông Đầy Mạnh Hùng"  # within a sentence: a name
    assert corrected("PHÓ CHỦ TỊCH\n*Nguyễn Văn Thịnh") == "PHÓ CHỦ TỊCH\nNguyễn Văn Thịnh"  # a line may begin with one


def test_a_doubted_name_takes_the_diacritics_the_document_prints_it_with_elsewhere():
    """"Hợp tác xã Nông nghiệp Tân Thạnh" printed twice in the body; the addressee line read
    "Tân Thánh" with doubt takes the document's form, read with confidence it is kept, and a
    form printed only once is no evidence."""
    head, doubtful = ocr_read("Kính gửi: Hợp tác xã Nông nghiệp Tân *Thánh")
    body = (
        "Hợp tác xã Nông nghiệp Tân Thạnh chủ trì việc kiểm kê.\n"
        "Hợp tác xã Nông nghiệp Tân Thạnh báo cáo Ủy ban nhân dân huyện trước ngày 30/6/2024."
    )
    texts, warnings = correct_pages([head, body], [doubtful, None])
    assert texts == ["Kính gửi: Hợp tác xã Nông nghiệp Tân Thạnh", body]
    assert "Thánh -> Thạnh" in warnings[0].message
    sure, sure_doubts = ocr_read("Kính gửi: Hợp tác xã Nông nghiệp Tân Thánh")
    assert correct_pages([sure, body], [sure_doubts, None])[0][0] == sure
    once = body.split("\n")[0]
    assert correct_pages([head, once], [doubtful, None])[0][0] == head


def test_a_doubted_numeral_that_lost_a_stroke_follows_the_document():
    """"quý II năm 2024" read with doubt where the document says "quý III năm 2024"
    more often (here on its text-layer page) is a misread "III"; read with confidence,
    or where the document does not say otherwise, it is kept."""
    title, doubtful = ocr_read("BÁO CÁO\nKết quả công tác quý *II năm 2024")
    body = "Trong quý III năm 2024, Sở Y tế tỉnh Sóc Trăng đã triển khai. Kết quả quý III năm 2024 như sau."
    texts, warnings = correct_pages([title, body], [doubtful, None])
    assert texts == ["BÁO CÁO\nKết quả công tác quý III năm 2024", body]
    assert "II -> III" in warnings[0].message
    sure, sure_doubts = ocr_read("BÁO CÁO\nKết quả công tác quý II năm 2024")
    assert correct_pages([sure, body], [sure_doubts, None])[0][0] == sure
    alone = body.replace("III", "II")
    assert correct_pages([title, alone], [doubtful, None])[0][0] == title


def test_an_outline_numeral_that_goes_back_lost_a_stroke():
    """"II." after "III." is a misread "III." (the document repeats a numeral) on OCRed
    pages; "I." after "III." starts the next part and is kept."""
    texts = ["I. MỤC ĐÍCH\nII. NỘI DUNG\nIII. NHIỆM VỤ\nII. TỔ CHỨC THỰC HIỆN\nI. PHỤ LỤC"]
    assert repair_outline(texts, [True]) == [
        "I. MỤC ĐÍCH\nII. NỘI DUNG\nIII. NHIỆM VỤ\nIII. TỔ CHỨC THỰC HIỆN\nI. PHỤ LỤC"
    ]
    assert repair_outline(texts, [False]) == texts


def test_a_scanned_line_is_corrected_before_extraction(tmp_path):
    """Real Tesseract on a composed scan: the record's text, agencies and spans are those
    of the corrected words, and the record says what was corrected."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 42)
    lines = [
        "KẾ HOẠCH",
        "Giao Sở Lao động - Thương bỉnh và Xã hội tỉnh Nghệ An",
        "chủ trì, phối hợp với các sở, ngành liên quan thực hiện.",
    ]
    image = Image.new("L", (2480, 700), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((150, 120 + 140 * n), line, font=font, fill=0)
    path = tmp_path / "scan.png"
    image.save(path, dpi=(300, 300))
    record = process_file(path)
    assert "Thương binh và Xã hội tỉnh Nghệ An" in record.text
    assert any(w.code == "ocr-corrected" and "bỉnh -> binh" in w.message for w in record.warnings)
    agency = next(a for a in record.agencies if a.name.startswith("Sở Lao động"))
    start, end = agency.mentions[0].span
    assert record.text[start:end].startswith("Sở Lao động - Thương binh")


def test_a_doubted_province_level_in_a_header_is_kept():
    """"TỈNH" after the other column's "VIỆT NAM" is no "nam tính": the level before a
    province's name is a known phrase."""
    text = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH HÀ GIANG Độc lập - Tự do - Hạnh phúc"
    doubtful = frozenset({(None, "TỈNH", "HÀ")})
    assert correct_text(text, doubtful)[0] == text


def test_a_doubted_function_word_is_kept_against_a_rarer_phrase():
    """"hàng qua" is no "hàng quà" (a gift shop) in a customs letter."""
    text = "Chi cục Hải quan dừng đưa hàng qua khu vực giám sát theo quy định"
    assert correct_text(text, frozenset({("hàng", "qua", "khu")}))[0] == text


@pytest.mark.parametrize("line", ["an toàn giao thông", "a-la-hán", "thứ 2", "e\u0301 ba", "ba\u00a0chữ\tđây", "  ", "-", "x,y"])
def test_a_dictionary_line_gives_its_runs_of_letters_split_at_anything_else(line):
    assert line_words(line) == tuple(regex.findall(r"\p{L}+", line))


def test_the_dictionary_entries_are_the_lines_runs_of_letters():
    entries = dictionary_entries()
    assert len(entries) > 70_000
    assert ("a", "la", "hán") in entries and ("an", "toàn") in entries
    assert all(regex.fullmatch(r"\p{L}+", word) for entry in entries for word in entry)


@pytest.mark.parametrize("collecting", [True, False])
def test_the_vocabulary_is_built_without_a_collection_and_the_collector_left_as_found(collecting):
    """Its objects are no garbage: the collector's passes over them cost a fifth of the build."""
    vocabulary.cache_clear()
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    collections: list[int] = []

    def seen(phase: str, info: dict) -> None:
        collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        assert "hoạch" in vocabulary().syllables
        assert gc.isenabled() is collecting
    finally:
        gc.callbacks.remove(seen)
        (gc.enable if was else gc.disable)()
    assert collections == []


def test_the_vocabulary_read_from_the_cache_is_the_one_built(tmp_path, monkeypatch):
    monkeypatch.setenv("VNPLAN_CACHE", str(tmp_path))
    vocabulary.cache_clear()
    kept = vocabulary()
    (entry,) = tmp_path.iterdir()
    vocabulary.cache_clear()
    read = vocabulary()
    assert read is not kept and read == kept == built_vocabulary()
    assert list(tmp_path.iterdir()) == [entry]
