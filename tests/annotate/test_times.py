"""The time layer (pipeline/annotate/times.py): which expressions are due dates, spans and
reporting cycles, read from the words around them (models/date_forms.yaml)."""

from __future__ import annotations

import pytest
import regex

from pipeline.annotate.times import (
    BEFORE_CUES,
    CONTEXT_CUES,
    cue_before,
    load_forms,
    recognise,
)
from pipeline.ingest import read_document
from pipeline.rules import Scan, load_model, rule
from pipeline.segment import segment
from tests.conftest import SHARED

REAL = [SHARED / "corpus/real/docs", SHARED / "corpus/pool"]


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(found.kind, text[found.start : found.end]) for found in recognise(text).found]


def _frequencies(text: str) -> list[tuple[str, str]]:
    return [(found.frequency, text[found.start : found.end]) for found in recognise(text).found if found.kind == "recurring"]


# --------------------------------------------------------------------------- due dates


@pytest.mark.parametrize(
    "text, printed",
    [
        ("Sở Tài chính dự thảo Quyết định, trình Ủy ban nhân dân tỉnh trong quý II năm 2026.", "trong quý II năm 2026"),
        ("Bộ Y tế rà soát quy định, báo cáo Thủ tướng Chính phủ trong tháng 9/2026 để chỉ đạo.", "trong tháng 9/2026"),
        ("Các huyện tổng hợp số liệu, gửi Sở Nội vụ vào tháng 11 năm 2025 theo mẫu.", "vào tháng 11 năm 2025"),
        ("Ban hành quy chế phối hợp trong năm 2026;", "trong năm 2026"),
        ("- Nâng cấp phần mềm quản lý hồ sơ, xong trong quý III/2026.", "xong trong quý III/2026"),
        ("đưa hệ thống vào vận hành, hoàn thành chậm nhất đến ngày 30 tháng 6 năm 2027.", "chậm nhất đến ngày 30 tháng 6 năm 2027"),
        ("Đến năm 2027, hoàn thành việc số hóa hồ sơ hộ tịch.", "Đến năm 2027"),
        ("Tổ chức sơ kết vào năm 2026; tổng kết vào năm 2028.", "vào năm 2026"),
    ],
)
def test_a_point_that_closes_a_clause_asking_for_a_delivery_is_due(text, printed):
    assert ("deadline", printed) in _kinds(text)


def test_a_clause_parallel_to_a_due_one_is_due_too():
    text = "c) Sơ kết giai đoạn 2024-2025 vào năm 2025; giai đoạn 2026-2028 vào năm 2028;"
    assert [k for k in _kinds(text) if k[0] == "deadline"] == [("deadline", "vào năm 2025"), ("deadline", "vào năm 2028")]


@pytest.mark.parametrize(
    "text",
    [
        "Trong năm 2025, Sở Tư pháp đã tổ chức 12 hội nghị phổ biến pháp luật.",
        "- Về cấp phép: Trong quý III/2025, Ủy ban nhân dân tỉnh phê duyệt 05 hồ sơ.",
        "Sở Công Thương đã trình Ủy ban nhân dân tỉnh ban hành kế hoạch trong tháng 8/2025.",
        "Báo cáo tình hình hoạt động của doanh nghiệp trong năm 2025 so với năm trước.",
        "Tuyên truyền các nghị quyết, Chương trình của Chính phủ trong năm 2026.",
        "Đến năm 2030, tỷ lệ hộ gia đình sử dụng nước sạch đạt 95%.",
        "Bộ Tài chính đang trình Quốc hội dự thảo Luật, dự kiến Quốc hội thông qua vào tháng 10/2026.",
    ],
)
def test_a_point_that_opens_a_clause_reports_work_done_or_describes_is_not_due(text):
    assert [k for k in _kinds(text) if k[0] == "deadline"] == []


@pytest.mark.parametrize(
    "text, printed",
    [
        ("3. Thời gian thực hiện: Tháng 10/2025 và thường xuyên.", "Tháng 10/2025"),
        ("- Thời hạn hoàn thành: Quý IV/2026.", "Quý IV/2026"),
        ("- Thời gian thực hiện: Tháng 9, 10/2025 và rà soát hằng năm.", "Tháng 9, 10/2025"),
        ("- Tiến độ: năm 2026.", "năm 2026"),
    ],
)
def test_a_point_right_after_a_time_label_is_the_task_s_due_date(text, printed):
    assert ("deadline", printed) in _kinds(text)


def test_a_span_after_a_time_label_is_a_span_not_a_due_date():
    assert _kinds("- Thời gian thực hiện: Từ năm 2025 đến năm 2027.") == [("range", "Từ năm 2025 đến năm 2027")]
    assert _kinds("- Thời gian thực hiện: Từ tháng 3/2026 trở đi.") == [("range", "Từ tháng 3/2026")]


def test_a_span_up_to_a_date_is_a_span_even_with_truoc():
    assert _kinds("Chế độ áp dụng từ ngày 01/3/2025 đến trước ngày 01/9/2025.") == [
        ("range", "từ ngày 01/3/2025 đến trước ngày 01/9/2025")
    ]


# --------------------------------------------------------------------------- printed forms


@pytest.mark.parametrize(
    "text, kind, printed",
    [
        ("hoàn thành trước ngày 20/11/ \n2025", "deadline", "hoàn thành trước ngày 20/11/ \n2025"),
        ("báo cáo trong quý III/\n2026.", "deadline", "trong quý III/\n2026"),
        ("Quí IV-2025", "quarter", "Quí IV-2025"),
        ("Tháng 11, 12/2025", "date", "Tháng 11, 12/2025"),
        ("năm học 2025 - 2026", "range", "năm học 2025 - 2026"),
        ("từ năm học 2021 - 2022 đến năm học 2024 - 2025", "range", "từ năm học 2021 - 2022 đến năm học 2024 - 2025"),
    ],
)
def test_dates_broken_over_lines_old_spellings_month_lists_and_school_years(text, kind, printed):
    assert _kinds(text) == [(kind, printed)]


def test_a_month_list_is_due_in_its_last_month_and_a_school_year_spans_two_years():
    [month] = recognise("Tháng 11, 12/2025").found
    assert (month.when.year, month.when.month) == (2025, 12)
    [school] = recognise("từ năm học 2021 - 2022 đến năm học 2024 - 2025").found
    assert (school.when.year, school.until.year) == (2021, 2025)


# --------------------------------------------------------------------------- reporting cycles


@pytest.mark.parametrize(
    "text, expected",
    [
        ("báo cáo 6 tháng, hằng năm về Sở Nội vụ", [("semiannual", "6 tháng"), ("annual", "hằng năm")]),
        ("Thời gian: 6 tháng, hằng năm và định kỳ.", [("semiannual", "6 tháng"), ("annual", "hằng năm")]),
        ("Hàng quý, hàng năm tổng hợp báo cáo", [("quarterly", "Hàng quý"), ("annual", "hàng năm")]),
        ("b) Sơ kết 6 tháng, 01 năm thực hiện Đề án;", [("semiannual", "6 tháng"), ("annual", "01 năm")]),
        ("phải báo cáo ngay về Ủy ban nhân dân huyện", [("ad hoc", "ngay")]),
        ("gửi báo cáo theo học kỳ, năm học về Sở", [("semiannual", "học kỳ"), ("annual", "năm học")]),
        (
            "định kỳ hằng năm (trước ngày 10/12 và đột xuất (khi có yêu cầu) báo cáo",
            [("annual", "định kỳ hằng năm"), ("ad hoc", "đột xuất")],
        ),
    ],
)
def test_reporting_cycles_are_read_in_every_order_and_spelling(text, expected):
    assert _frequencies(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Khẩn trương tiến hành sơ kết 6 tháng việc thực hiện Chỉ thị",
        "báo cáo ngay sau khi kết thúc đợt kiểm tra",
        "báo cáo kết quả học kỳ I năm học 2025 - 2026",
    ],
)
def test_a_one_off_review_or_report_is_no_cycle(text):
    assert _frequencies(text) == []


def _cue_cases() -> list[tuple[str, str]]:
    cues = load_model("date_forms")["cues"]
    return [(name, example) for name in BEFORE_CUES for example in cues[name].get("examples", [])]


@pytest.mark.parametrize("name,example", _cue_cases())
def test_a_cue_before_an_expression_is_found_backwards_as_forwards(name, example):
    """cue_before searches backwards from the expression: the span must be the one a forward
    search finds, with words before the cue that could start a longer one."""
    forms = load_forms()
    for text in (example, f"Ủy ban đã {example}", f"kể {example}", f"hoàn thành {example}"):
        backwards = forms.before[name]
        forwards = regex.compile(backwards.pattern, backwards.flags & ~regex.REVERSE)
        found, expected = backwards.search(text), forwards.search(text)
        assert (found and (found.span(), found.groupdict())) == (expected and (expected.span(), expected.groupdict()))
        assert found is not None


def _layer_patterns() -> list[regex.Pattern]:
    forms = load_forms()
    return [r.pattern for _, r in forms.patterns] + [p for cue in forms.cues.values() for p in cue] + [forms.any_frequency, forms.report_frequency]


def test_the_layer_s_patterns_tried_where_their_word_stands_find_what_finditer_finds(seeds):
    """The layer tries each pattern only where its leading word stands in the case-folded
    text (rules.Scan): the same matches as a search of the whole text, in any casing, and
    where folding would move characters ("İ", "ß") the text is searched as before."""
    texts = [doc.text for doc in seeds.values()]
    texts += [t.upper() for t in texts]
    texts += ["İ Năm 2025, nĂM 2024; ĐỊNH KỲ HÀNG QUÝ, hằng năm", "Straße: định kỳ hằng quý, năm 2025", "ſáu tháng đầu năm 2025"]
    rules = [rule(p) for p in _layer_patterns()]
    assert sum(r.leading for r in rules) >= 20
    for text in texts:
        scan = Scan(text)
        for layer_rule in rules:
            expected = [(m.span(), m.groupdict()) for m in layer_rule.pattern.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in scan.finditer(layer_rule)] == expected


def test_the_context_pattern_finds_a_cue_where_any_context_cue_ends(seeds):
    """_in_context asks its cues only where the one context pattern finds one of them before
    a point: at every place of the samples, as printed, in capitals and in lower case, it
    finds one exactly where one of CONTEXT_CUES, asked on its own, does."""
    forms = load_forms()
    reach = forms.settings["lookbehind"]
    found = 0
    for doc in seeds.values():
        for text in (doc.text, doc.text.upper(), doc.text.lower()):
            for pos in range(len(text) + 1):
                expected = any(cue_before(forms, cue, text, pos) is not None for cue in CONTEXT_CUES)
                assert (forms.context.pattern.search(text, max(0, pos - reach), pos) is not None) == expected, text[max(0, pos - reach) : pos]
                found += expected
    assert found > 200


def test_the_context_pattern_is_passed_over_only_where_it_finds_nothing(seeds) -> None:
    """_in_context tries the context pattern only where the characters before a point hold
    one of the words its cues need (Scan.holds): at every place of every real document
    (real/docs, pool) and the samples, as printed and in capitals, it finds nothing where
    they hold none, and they hold none at most places. Where the pattern
    matches a letter of those words without case, the folded text holds that letter, or
    folding lengthens the text and Scan.holds cannot tell: checked against every code point."""
    forms = load_forms()
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert len(forms.context.words) >= len(CONTEXT_CUES)
    for letter in {c for word in forms.context.words for c in word}:
        for match in regex.finditer(regex.escape(letter), every, regex.IGNORECASE):
            assert match.group().casefold() == letter or len(match.group().casefold()) > 1
    reach = forms.settings["lookbehind"]
    files = sorted(f for folder in REAL if folder.is_dir() for f in folder.iterdir() if f.suffix in (".txt", ".md", ".pdf", ".docx"))
    if not files:
        pytest.skip("the shared corpus of real documents is not beside this checkout")
    texts = [*(segment(read_document(f)).text for f in files), *(doc.text for doc in seeds.values())]
    passed = tried = 0
    for text in [*texts, *(t.upper() for t in texts)]:
        scan = Scan(text)
        for pos in range(len(text) + 1):
            since = max(0, pos - reach)
            if not scan.holds(forms.context, since, pos):
                assert forms.context.pattern.search(text, since, pos) is None, text[since:pos]
                passed += 1
            tried += 1
    assert passed > tried // 2
