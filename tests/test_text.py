import pytest
import regex

from pipeline.text import (
    _ODD_SPACE,
    _OLD_STYLE_TONE,
    WHITESPACE_RUN,
    _invisible,
    _move_tone,
    _short_words,
    fold,
    is_syllable,
    modern_tones,
    normalise_lines,
    normalise_unicode,
    rejoin_letter_spacing,
    strip_diacritics,
)
from tests.conftest import documents_lines


@pytest.mark.parametrize(
    "old, new",
    [("Văn hoá", "Văn hóa"), ("SỞ VĂN HOÁ", "SỞ VĂN HÓA"), ("thuỷ lợi", "thủy lợi"), ("Hoà Bình", "Hòa Bình"), ("khoẻ", "khỏe")],
)
def test_old_style_tone_marks_move_to_the_first_vowel(old, new):
    assert normalise_unicode(old) == new


@pytest.mark.parametrize("word", ["quý III", "hoàn thành", "khuyến khích", "thuế"])
def test_tone_marks_of_closed_syllables_and_qu_stay(word):
    assert normalise_unicode(word) == word


def test_tones_are_moved_where_the_rule_searched_in_the_whole_text_moves_them(seeds):
    """The old-style tone rule is matched only where re finds one of its vowels before a
    toned one: the same text as the rule's own substitution on the samples and the shared
    real documents put in old style (and in capitals), where "quý", "quả" stay, and on
    every string of three of its letters, q, a combining mark, a digit and a space."""
    texts = [doc.text for doc in seeds.values()] + ["\n".join(line.text for line in lines) for lines in documents_lines()]
    for modern, old in (("òa", "oà"), ("óa", "oá"), ("ọa", "oạ"), ("ủy", "uỷ"), ("úy", "uý"), ("ỏe", "oẻ"), ("òe", "oè")):
        texts = [text.replace(modern, old) for text in texts]
    texts += [text.upper() for text in texts]
    letters = "oOuUqàÀèỳýa\u0301 1"
    texts += [a + b + c for a in letters for b in letters for c in letters]
    moved = 0
    for text in texts:
        expected = _OLD_STYLE_TONE.sub(_move_tone, text)
        assert modern_tones(text) == expected
        moved += expected != text
    assert moved > 100


def test_decomposed_text_and_lookalike_letters_are_normalised():
    decomposed = "Ke\u0302\u0301 hoa\u0323ch"
    assert normalise_unicode(decomposed) == "Kế hoạch"
    assert normalise_unicode("\u00d0ảng") == "Đảng"


def test_normalisation_keeps_the_length_of_nfc_text():
    text = "Sở Văn hoá, Thể thao và Du lịch; CỘNG HOÀ; thuỷ"
    assert len(normalise_unicode(text)) == len(text)


def test_fold_ignores_case_spacing_and_tone_placement():
    assert fold("SỞ VĂN HOÁ,  THỂ THAO") == fold("Sở Văn hóa, Thể thao")
    assert strip_diacritics("Phó Giám đốc") == "Pho Giam doc"


def test_the_oi_letter_some_fonts_print_for_u_horn_is_read_as_u_horn():
    from pipeline.text import normalise_unicode

    assert normalise_unicode("Bộ Công Thƣơng, TRƢỞNG BAN") == "Bộ Công Thương, TRƯỞNG BAN"


@pytest.mark.parametrize(
    "spaced, whole",
    [
        ("B Ộ TƯ PHÁP V À X Ã HỘI", "BỘ TƯ PHÁP VÀ XÃ HỘI"),
        ("dự toán ngân sách trung ươ n g năm 2021", "dự toán ngân sách trung ương năm 2021"),
        ("Ủy b an nhân d â n huyện", "Ủy ban nhân dân huyện"),
        ("tại điểm a, b khoản 2 Điều 5", "tại điểm a, b khoản 2 Điều 5"),
        ("Số c ontainer", "Số c ontainer"),
        ("ông A và bà B", "ông A và bà B"),
        ("Phòng PV01 - Công an tỉnh", "Phòng PV01 - Công an tỉnh"),
        ("Ủy ban nhân dân xã Ea Tu", "Ủy ban nhân dân xã Ea Tu"),
    ],
)
def test_words_a_pdf_spaced_out_letter_by_letter_are_whole_again_and_others_left_alone(spaced, whole):
    assert rejoin_letter_spacing(spaced, is_syllable) == whole


@pytest.mark.parametrize(
    "word, valid",
    [
        ("nghiêng", True), ("Người", True), ("HỘI", True), ("quốc", True), ("boong", True), ("khuya", True),
        ("ChÊp", False), ("hµnh", False), ("Vieät", False), ("Müller", False), ("b", False), ("ks", False), ("hOà", False),
    ],
)
def test_a_syllable_is_told_by_its_spelling_in_one_case_style(word, valid):
    assert is_syllable(word) is valid


def test_lines_are_normalised_one_for_one_with_rules_and_space_runs_gone():
    lines = ["ỦY BAN NHÂN DÂN TỈNH SƠN LA -------", "  Số:   12/KH-UBND\t", "", "Văn hoá   B Ộ TƯ PHÁP", "Độc lập - Tự do - Hạnh phúc"]
    assert normalise_lines(lines) == [
        "ỦY BAN NHÂN DÂN TỈNH SƠN LA", "Số: 12/KH-UBND", "", "Văn hóa BỘ TƯ PHÁP", "Độc lập - Tự do - Hạnh phúc",
    ]


def test_characters_that_print_nothing_are_removed_so_no_rule_misses_a_word():
    hidden = ["KẾ\u200d HOẠCH", "Hải Dương, ng\u00adày 05 tháng 3", "\u202eSố: 12/KH-UBND", "\ufeffNơi nhận:"]
    assert normalise_lines(hidden) == ["KẾ HOẠCH", "Hải Dương, ngày 05 tháng 3", "Số: 12/KH-UBND", "Nơi nhận:"]


def test_no_invisible_character_or_exotic_space_is_printable():
    """normalise_lines looks for them only in lines that do not print every character."""
    printable = [hex(code) for code in range(0x110000) if chr(code).isprintable() and (_invisible().match(chr(code)) or _ODD_SPACE.match(chr(code)))]
    assert printable == []


def test_exotic_spaces_and_invisible_characters_are_found_on_any_line_of_a_page():
    lines = ["Độc lập - Tự do - Hạnh phúc", "Số:  12/KH-UBND", "KẾ​ HOẠCH　 năm 2025"]
    assert normalise_lines(lines) == ["Độc lập - Tự do - Hạnh phúc", "Số: 12/KH-UBND", "KẾ HOẠCH năm 2025"]


def test_latin_words_spelt_with_cyrillic_or_greek_look_alikes_are_made_latin():
    assert normalise_lines(["KẾ H\u041eẠCH", "Sở Nội vụ tỉnh L\u0430o Cai", "\u039aẾ HOẠCH"]) == ["KẾ HOẠCH", "Sở Nội vụ tỉnh Lao Cai", "KẾ HOẠCH"]


def test_words_wholly_in_another_script_are_left_as_they_are():
    assert normalise_lines(["Москва ООН", "ΚΑΤΑ Sở"]) == ["Москва ООН", "ΚΑΤΑ Sở"]


def test_the_re_white_space_run_is_the_regex_modules_white_space():
    """WHITESPACE_RUN stands for regex's \\s+ where the re module is faster: the two must
    take the same characters (re's own \\s also takes \\x1c-\\x1f)."""
    differ = [hex(code) for code in range(0x3100) if bool(WHITESPACE_RUN.fullmatch(chr(code))) != bool(regex.fullmatch(r"\s", chr(code)))]
    assert differ == []


@pytest.mark.parametrize("line", ["B Ộ\tTƯ PHÁP", "a\x1cb c", "1 2 ab ² ½ Ⅻ x", "  đ  ơ  ", "Sở Y tế, Sở GD và ĐT", "x_y o̐ k"])
def test_short_words_are_the_letter_pairs_between_spaces(line):
    """The letter-spacing repair finds its short words by splitting, not by the pattern it
    stands for: the two give the same words."""
    assert _short_words(line) == regex.findall(r"(?<![^ ])\p{L}{1,2}(?![^ ])", line)


def test_a_letter_spaced_word_on_one_line_of_a_page_is_made_whole_and_the_other_lines_kept():
    page = ["  Căn cứ Luật Tổ chức chính quyền địa phương;", "Số: 12/KH-UBND", "T Ổ CHỨC THỰC HIỆN", "Ủy ban nhân dân tỉnh yêu cầu:"]
    assert normalise_lines(page) == ["Căn cứ Luật Tổ chức chính quyền địa phương;", "Số: 12/KH-UBND", "TỔ CHỨC THỰC HIỆN", "Ủy ban nhân dân tỉnh yêu cầu:"]
    assert normalise_lines(page[:2] + page[3:]) == [page[0].strip(), page[1], page[3]]


def test_only_a_line_holding_a_doubtful_short_word_between_spaces_is_rejoined():
    """The page's short words that are no syllable are found between any white space; a line
    is repaired only where one stands between plain spaces, as the repair reads its words."""
    page = ["B Ộ TƯ PHÁP", "Sở GTVT và TTXVN", "B\x0bỘ TƯ PHÁP"]
    assert normalise_lines(page) == ["BỘ TƯ PHÁP", "Sở GTVT và TTXVN", "B\x0bỘ TƯ PHÁP"]


@pytest.mark.parametrize(
    "source",
    [
        "Ủy ban hoà giải\nthuỷ lợi, quý khách",  # tones moved once; "quý" kept
        "ho\u200bà bình\nKẾ\u200d HOẠCH",  # an invisible character between o and à: moved after it goes
        "C\u0430o Bằng h\u043eà",  # Cyrillic look-alikes made Latin, then the tone moved
        "C\u01a2\u0301NG THƣơng",  # a look-alike before a combining mark: NFC only after it is replaced
    ],
)
def test_lines_given_unicode_normalised_are_normalised_as_any_others(source):
    """A reader that normalised its text already (a PDF's text layer) is spared the tone
    search, never its result: normalise_lines gives the same lines either way."""
    lines = normalise_unicode(source).split("\n")
    assert normalise_lines(lines, unicode_normalised=True) == normalise_lines(lines)
    assert normalise_lines(lines[::-1], unicode_normalised=True) == normalise_lines(lines[::-1])
