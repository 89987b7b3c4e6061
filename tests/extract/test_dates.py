"""The temporal tagger (pipeline/extract/dates.py) and its data (models/date_forms.yaml)."""

from __future__ import annotations

from pathlib import Path

import dateparser
import pytest
import regex

from pipeline.extract import extract
from pipeline.extract.dates import (
    find_dates,
    find_deadlines,
    find_periods,
    find_recurring_reports,
)
from pipeline.records import Document
from pipeline.segment import segment
from tests.conftest import CORPUS, raw_text

SAMPLES = sorted((CORPUS / "txt").glob("*.txt"))
DMY = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}


def _mentions(text: str, doc_year: int | None = None) -> list[tuple[str, str | None, str]]:
    return [(m.kind, m.value, m.text) for m in find_dates(Document.of_text(text), doc_year)]


def _sample(path: Path, one_line: bool) -> str:
    text = path.read_text(encoding="utf-8")
    return text.replace("\n", " ") if one_line else text


# --------------------------------------------------------------------------- find_dates


@pytest.mark.parametrize(
    "text, value, printed",
    [
        ("Thực hiện Kế hoạch số 1205/KH-UBND ngày 19/02/2025 của UBND tỉnh Nghệ An", "2025-02-19", "ngày 19/02/2025"),
        ("văn bản ký 19-02-2025", "2025-02-19", "19-02-2025"),
        ("văn bản ký 19.02.2025", "2025-02-19", "19.02.2025"),
        ("Nghệ An, ngày 19 tháng 02 năm 2025", "2025-02-19", "ngày 19 tháng 02 năm 2025"),
        ("Quảng Ninh, ngày 05  tháng 01   năm 2020", "2020-01-05", "ngày 05  tháng 01   năm 2020"),
        ("Quyết định số 193/QĐ-TTg ngày \n09/02/2021 của Thủ tướng", "2021-02-09", "ngày \n09/02/2021"),
        ("Công văn số 88/SYT ngày 02/03/2025", "2025-03-02", "ngày 02/03/2025"),
        ("ngày 29/02/2024", "2024-02-29", "ngày 29/02/2024"),
    ],
)
def test_full_dates_are_read_day_first_in_every_printed_form(text, value, printed):
    assert _mentions(text) == [("date", value, printed)]


@pytest.mark.parametrize(
    "printed",
    [
        "ngày 19/02/2025",
        "19-02-2025",
        "19.02.2025",
        "ngày 19 tháng 02 năm 2025",
        "ngày \n19/02/2025",
        "02/03/2025",
        "ngày 31/02/2024",
        "ngày 29/02/2023",
    ],
)
def test_full_dates_agree_with_dateparser_in_dmy_mode(printed):
    parsed = dateparser.parse(printed, languages=["vi"], settings=DMY)
    expected = [parsed.date().isoformat()] if parsed else []
    assert [m.value for m in find_dates(Document.of_text(printed)) if m.kind == "date"] == expected


@pytest.mark.parametrize(
    "text, doc_year, expected",
    [
        ("Thanh Hóa, ngày .....  tháng 3 năm 2023", None, [("partial", "2023-03")]),
        ("kế hoạch tháng 6/2024", None, [("partial", "2024-06")]),
        ("trong năm 2025", None, [("year", "2025")]),
        ("Chương trình giai đoạn 2021 - 2025", None, [("range", "2021/2025")]),
        ("Đề án giai \nđoạn 2021-2025", None, [("range", "2021/2025")]),
        ("định hướng đến năm 2030", None, [("range", "../2030")]),
        ("từ ngày 01/7/2024 đến hết ngày 30/9/2024", None, [("range", "2024-07-01/2024-09-30")]),
        ("thời gian từ 01/7/2024 \n\nđến 30/9/2024", None, [("range", "2024-07-01/2024-09-30")]),
        ("từ ngày 15 tháng 4 đến ngày 30 tháng 6 năm 2025", None, [("range", "2025-04-15/2025-06-30")]),
        ("Kế hoạch có hiệu lực từ ngày 01/01/2025", None, [("range", "2025-01-01/..")]),
        ("báo cáo kết quả quý III năm 2023", None, [("quarter", "2023-Q3")]),
        ("trong quý IV/2024 và quý 3/2023", None, [("quarter", "2024-Q4"), ("quarter", "2023-Q3")]),
        ("sơ kết quý I", 2025, [("quarter", "2025-Q1")]),
        ("sơ kết quý I", None, [("quarter", None)]),
        ("báo cáo 6 tháng đầu năm 2024", None, [("quarter", "2024-H1")]),
        ("tổng kết 6 tháng cuối năm", 2025, [("quarter", "2025-H2")]),
        ("tổng kết 6 tháng cuối năm", None, [("quarter", None)]),
    ],
)
def test_partial_dates_years_spans_quarters_and_halves(text, doc_year, expected):
    assert [(m.kind, m.value) for m in find_dates(Document.of_text(text), doc_year)] == expected


@pytest.mark.parametrize(
    "text, doc_year, expected",
    [
        ("báo cáo trước ngày 07/8/2024", None, [("deadline", "2024-08-07", "trước ngày 07/8/2024")]),
        ("Chậm nhất ngày 15/12/2025, Sở Y tế gửi báo cáo", None, [("deadline", "2025-12-15", "Chậm nhất ngày 15/12/2025")]),
        ("hoàn thành trong tháng 6", 2024, [("deadline", "2024-06", "hoàn thành trong tháng 6")]),
        (
            "báo cáo quý (trước 16/3 và 16/9)",
            2023,
            [("recurring", "quarterly", "quý"), ("deadline", "2023-03-16", "trước 16/3"), ("deadline", "2023-09-16", "16/9")],
        ),
    ],
)
def test_deadline_mentions_carry_the_due_date(text, doc_year, expected):
    assert _mentions(text, doc_year) == expected


@pytest.mark.parametrize(
    "doc_year, value",
    [(2024, "2024-07-30"), (None, None)],
)
def test_a_day_and_month_without_a_year_take_the_document_year_or_no_value(doc_year, value):
    text = "hưởng ứng Ngày toàn dân phòng, chống mua bán người 30/7"
    assert _mentions(text, doc_year) == [("date", value, "30/7")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hằng tháng", [("monthly", "hằng tháng")]),
        (
            "định kỳ hàng quý, 6 tháng, một năm và đột xuất khi có yêu cầu gửi báo cáo",
            [
                ("quarterly", "định kỳ hàng quý"),
                ("semiannual", "6 tháng"),
                ("annual", "một năm"),
                ("ad hoc", "đột xuất khi có yêu cầu"),
            ],
        ),
        ("có kế hoạch cụ thể hàng tháng, quý, năm", [("monthly", "hàng tháng"), ("quarterly", "quý"), ("annual", "năm")]),
        ("Định kỳ báo cáo kết quả thực hiện quý", [("quarterly", "quý")]),
    ],
)
def test_recurring_mentions_name_the_frequency(text, expected):
    assert [(m.value, m.text) for m in find_dates(Document.of_text(text)) if m.kind == "recurring"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "tỷ lệ đạt 80%",
        "cấp 01 Giấy phép",
        "đăng tải 22 tin, bài",
        "Kế hoạch số 675/KH-BCĐ",
        "Nghị định số 30/2020/NĐ-CP",
        "Kết luận số 13-KL/TW và Chỉ thị số 48-CT/TW",
        "số 199 Nguyễn Lương Bằng, phường Tân Bình",
        "Tổng đài quốc gia bảo vệ trẻ em 111",
        "điện thoại 0220.3852.555",
        "1/2 số xã đạt chuẩn",
        "diện tích 12.5 ha",
        "ngày 31/02/2024",
        "Báo cáo năm 2024/BC-UBND",
    ],
)
def test_counts_percentages_symbols_and_addresses_are_not_dates(text):
    assert _mentions(text, 2024) == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("năm 2025", "2025"),
        ("tháng 3 năm 2023", "2023-03"),
        ("ngày ..... tháng 3 năm 2023", "2023-03"),
        ("quý III năm 2023", "2023-Q3"),
    ],
)
def test_a_value_holds_no_part_that_is_not_printed(text, value):
    assert [m.value for m in find_dates(Document.of_text(text))] == [value]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:3])
def test_sample_date_values_are_built_from_printed_numbers_and_the_document_year(path):
    text = path.read_text(encoding="utf-8")
    for mention in find_dates(Document.of_text(text), 1999):
        assert text[mention.span[0] : mention.span[1]] == mention.text
        if mention.kind in {"date", "partial", "deadline"} and mention.value and mention.value[:1].isdigit():
            year, *rest = mention.value.split("-")
            printed = {int(n) for n in regex.findall(r"\d+", mention.text)}
            assert int(year) in printed | {1999}, mention
            assert all(int(part) in printed for part in rest if part.isdigit()), mention


# --------------------------------------------------------------------------- find_periods


def test_a_period_names_the_activity_from_its_head_word_without_place_or_lead_in():
    text = (
        "- Mở đợt cao điểm tấn công, trấn áp tội phạm ma túy trên địa bàn tỉnh Lào Cai, "
        "thời gian từ 15/4/2025 đến 15/6/2025."
    )
    [period] = find_periods(Document.of_text(text), 2025)
    assert (period.what, period.start, period.end) == (
        "đợt cao điểm tấn công, trấn áp tội phạm ma túy",
        "2025-04-15",
        "2025-06-15",
    )
    assert text[period.span[0] : period.span[1]].startswith("đợt cao điểm")
    assert text[period.span[0] : period.span[1]].endswith("15/6/2025")


def test_a_span_start_without_a_year_takes_the_year_of_its_end():
    [period] = find_periods(Document.of_text("Tổ chức Tháng hành động vì trẻ em (từ ngày 01/6 đến ngày 30/6/2025) trên địa bàn huyện."))
    assert (period.what, period.start, period.end) == ("Tháng hành động vì trẻ em", "2025-06-01", "2025-06-30")


def test_the_same_period_stated_twice_is_returned_once_with_its_first_span():
    text = (
        "Mở chiến dịch cao điểm phòng, chống tội phạm, thời gian từ 01/10/2025 đến 31/12/2025. "
        "Các huyện triển khai chiến dịch cao điểm phòng, chống tội phạm \n"
        "(thời gian từ ngày 01/10/2025 đến hết ngày 31/12/2025)."
    )
    periods = find_periods(Document.of_text(text), 2025)
    what = "chiến dịch cao điểm phòng, chống tội phạm"
    assert [(p.what, p.start, p.end) for p in periods] == [(what, "2025-10-01", "2025-12-31")]
    assert periods[0].span[0] == text.index("chiến dịch")


def test_a_year_span_in_a_cited_title_is_not_a_period():
    text = (
        "Căn cứ Quyết định số 193/QĐ-TTg ngày 09/02/2021 của Thủ tướng Chính phủ phê duyệt Chương trình "
        "phòng, chống mua bán người giai đoạn 2021 - 2025 và định hướng đến năm 2030;"
    )
    assert find_periods(Document.of_text(text), 2024) == []


@pytest.mark.parametrize(
    "text, start, end",
    [
        (
            "KẾ HOẠCH\nThực hiện Chương trình phòng, chống mua bán người\ngiai đoạn 2021 - 2025 trên địa bàn tỉnh Gia Lai\n\n"
            "Căn cứ Quyết định số 193/QĐ-TTg ngày 09/02/2021 của Thủ tướng Chính phủ phê duyệt Chương trình "
            "phòng, chống mua bán người giai đoạn 2021 - 2025;",
            "2021",
            "2025",
        ),
        ("III. THỜI GIAN THỰC HIỆN\nThời gian thực hiện: giai đoạn 2026 - 2030.", "2026", "2030"),
    ],
)
def test_a_year_span_is_a_period_in_the_own_title_or_after_thoi_gian_thuc_hien(text, start, end):
    assert [(p.start, p.end) for p in find_periods(Document.of_text(text))] == [(start, end)]


# --------------------------------------------------------------------------- find_deadlines


@pytest.mark.parametrize(
    "text, doc_year, expected",
    [
        (
            "Chậm nhất ngày 15/12/2025, Sở Y tế tỉnh Nghệ An gửi báo cáo tổng kết về Ủy ban nhân dân tỉnh.",
            None,
            [("Sở Y tế tỉnh Nghệ An", "gửi báo cáo tổng kết", "2025-12-15")],
        ),
        ("Các đơn vị báo cáo kết quả về Sở Tư pháp trước ngày 20/11/2024.", None, [(None, "báo cáo kết quả", "2024-11-20")]),
        (
            "Ủy ban nhân dân các huyện tổ chức sơ kết, hoàn thành trong tháng 6.",
            2024,
            [("Ủy ban nhân dân các huyện", "tổ chức sơ kết", "2024-06")],
        ),
        (
            "2. Các đơn vị trực thuộc xây dựng kế hoạch triển khai; báo cáo kết quả thực hiện trước "
            "ngày 10/7/2025, kết quả thực hiện Tháng hành động trước ngày 05/8/2025 về Ban Chỉ đạo tỉnh (qua Công an tỉnh).",
            None,
            [
                (None, "báo cáo kết quả thực hiện", "2025-07-10"),
                (None, "báo cáo kết quả thực hiện Tháng hành động", "2025-08-05"),
            ],
        ),
    ],
)
def test_deadlines_read_the_task_around_the_due_date_and_the_body_the_sentence_names(text, doc_year, expected):
    deadlines = find_deadlines(Document.of_text(text), doc_year)
    assert [(d.agency, d.task, d.due) for d in deadlines] == expected


def test_a_deadline_span_covers_its_task_and_due_date():
    text = "Các đơn vị báo cáo kết quả về Sở Tư pháp trước ngày 20/11/2024."
    [deadline] = find_deadlines(Document.of_text(text))
    assert text[deadline.span[0] : deadline.span[1]] == "báo cáo kết quả về Sở Tư pháp trước ngày 20/11/2024"


@pytest.mark.parametrize(
    "text",
    [
        "- Định kỳ báo cáo kết quả thực hiện quý (trước 16/3 và 16/9), 6 tháng (trước ngày 16/6) về Sở Y tế.",
        "Định kỳ hằng tháng, trước ngày 20, Phòng Cảnh sát hình sự gửi báo cáo về Công an tỉnh.",
        "hằng tháng, trước ngày 20",
    ],
)
def test_due_days_of_a_reporting_cycle_are_not_deadlines(text):
    assert find_deadlines(Document.of_text(text), 2025) == []


# --------------------------------------------------------------------------- find_recurring_reports


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "- Định kỳ báo cáo kết quả thực hiện quý (trước ngày 15/3, 15/6, 15/9), 6 tháng (trước ngày 15/6) và năm "
            "(trước ngày 15/12) về Sở Tư pháp tỉnh Bắc Giang (qua Phòng Phổ biến, giáo dục pháp luật) để tổng hợp.",
            [
                ("quarterly", "15/3, 15/6, 15/9", "Sở Tư pháp tỉnh Bắc Giang"),
                ("semiannual", "15/6", "Sở Tư pháp tỉnh Bắc Giang"),
                ("annual", "15/12", "Sở Tư pháp tỉnh Bắc Giang"),
            ],
        ),
        (
            "Đề nghị các cơ quan báo chí định kỳ hàng quý, 6 tháng, một năm và đột xuất khi có yêu cầu gửi Báo cáo "
            "kết quả tuyên truyền về phòng, chống tội phạm về Sở Văn hóa, Thể thao và Du lịch; bằng thư điện tử.",
            [
                ("quarterly", None, "Sở Văn hóa, Thể thao và Du lịch"),
                ("semiannual", None, "Sở Văn hóa, Thể thao và Du lịch"),
                ("annual", None, "Sở Văn hóa, Thể thao và Du lịch"),
                ("ad hoc", None, "Sở Văn hóa, Thể thao và Du lịch"),
            ],
        ),
        (
            "Định kỳ hằng tháng, trước ngày 20, Phòng Cảnh sát hình sự gửi báo cáo về Công an tỉnh.",
            [("monthly", "20", "Công an tỉnh")],
        ),
        (
            "- Định kỳ hằng quý, các phòng chuyên môn báo cáo kết quả về Văn phòng Sở trước ngày 20 của tháng cuối quý.",
            [("quarterly", "20", "Văn phòng Sở")],
        ),
    ],
)
def test_recurring_reports_are_one_per_frequency_with_due_days_and_recipient(text, expected):
    reports = find_recurring_reports(Document.of_text(text))
    assert [(r.frequency, r.due_day, r.to) for r in reports] == expected
    assert all(r.agency is None and text[r.span[0] : r.span[1]].strip() for r in reports)


@pytest.mark.parametrize(
    "text",
    [
        "Thanh tra Sở xây dựng kế hoạch kiểm tra định kỳ, đột xuất các cơ sở kinh doanh.",
        "Các cơ quan có kế hoạch chi tiết, cụ thể hàng tháng, quý, năm trong công tác tuyên truyền.",
        "tổ chức thực hiện và định kỳ báo cáo kết quả tuyên truyền theo quy định.",
        "Trên đây là báo cáo 6 tháng đầu năm 2024 của Sở Tư pháp.",
    ],
)
def test_a_cycle_without_reporting_or_a_report_without_a_cycle_is_not_a_recurring_report(text):
    assert find_recurring_reports(Document.of_text(text)) == []


# --------------------------------------------------------------------------- the samples against gold


@pytest.mark.parametrize("one_line", [False, True], ids=["as-printed", "one-line"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:3])
def test_samples_match_gold_periods_deadlines_and_recurring_reports(path, one_line, gold):
    expected = gold[path.name[:3]]
    text = _sample(path, one_line)
    year = expected["document"]["year"]
    document = segment(raw_text(text))
    assert [(p.what, p.start, p.end) for p in find_periods(document, year)] == [
        (p["what"], p["start"], p["end"]) for p in expected["periods"]
    ]
    assert [(d.task, d.due) for d in find_deadlines(document, year)] == [(d["task"], d["due"]) for d in expected["deadlines"]]
    assert [(r.frequency, r.due_day, r.to) for r in find_recurring_reports(document)] == [
        (r["frequency"], r["due_day"], r["to"]) for r in expected["recurring_reports"]
    ]


# --------------------------------------------------------------------------- real documents' forms, composed

PLAN_HEADER = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
Số: 215/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Tĩnh, ngày 12 tháng 3 năm 2026
KẾ HOẠCH
{title}
Thực hiện Kế hoạch số 40/KH-BCĐ ngày 05/01/2026 của Ban Chỉ đạo tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
"""


def _plan(body: str, title: str = "Chuyển đổi số trong công tác văn thư năm 2026") -> Document:
    return segment(raw_text(PLAN_HEADER.format(title=title) + body))


@pytest.mark.parametrize(
    "text, due",
    [
        ("Sở Nội vụ hoàn thiện dự thảo Quy chế, trình Ủy ban nhân dân tỉnh trong quý III/2026.", "2026-09-30"),
        ("Sở Y tế rà soát danh mục, báo cáo Ủy ban nhân dân tỉnh trong quý IV năm 2026 để chỉ đạo.", "2026-12-31"),
        ("Các huyện tổng kết, gửi báo cáo trong 6 tháng đầu năm 2026.", "2026-06-30"),
        ("Sở Xây dựng hướng dẫn các chủ đầu tư điều chỉnh hồ sơ, thời gian thực hiện xong trong tháng 8/2026.", "2026-08"),
        ("Ban hành quy chế quản lý kho dữ liệu trong năm 2027.", "2027"),
        ("Đến năm 2028, hoàn thành việc số hóa sổ hộ tịch.", "2028"),
    ],
)
def test_a_quarter_or_half_is_due_on_its_last_day_a_month_or_year_as_printed(text, due):
    assert [d.due for d in find_deadlines(Document.of_text(text), 2026)] == [due]


def test_a_task_block_time_cell_is_due_and_owed_by_the_block_s_lead_body():
    body = (
        "II. NHIỆM VỤ\n"
        "1. Xây dựng cơ sở dữ liệu văn bản điện tử của tỉnh.\n"
        "- Cơ quan thực hiện: Sở Khoa học và Công nghệ chủ trì, phối hợp với Văn phòng Ủy ban nhân dân tỉnh.\n"
        "- Thời gian thực hiện: Quý II/2026.\n"
        "2. Tập huấn nghiệp vụ lưu trữ điện tử\n"
        "a) Nội dung: tập huấn cho văn thư các cơ quan, đơn vị.\n"
        "b) Cơ quan chủ trì\n"
        "- Sở Nội vụ.\n"
        "- Ủy ban nhân dân các xã, phường.\n"
        "c) Cơ quan phối hợp: Sở Tài chính.\n"
        "d) Thời gian thực hiện: Tháng 9, 10/2026 và thường xuyên.\n"
        "3. Duy trì hệ thống thư điện tử công vụ.\n"
        "- Cơ quan thực hiện: Sở Khoa học và Công nghệ.\n"
        "- Thời gian thực hiện: Từ năm 2026 đến năm 2028.\n"
    )
    deadlines = find_deadlines(_plan(body), 2026)
    assert [(d.agency, d.task, d.due) for d in deadlines] == [
        ("Sở Khoa học và Công nghệ", None, "2026-06-30"),
        ("Sở Nội vụ", None, "2026-10"),
    ]


def test_a_deadline_is_owed_by_the_body_its_sentence_assigns_the_work_to():
    text = (
        "Quyết định có hiệu lực từ ngày ký và giao Ủy ban nhân dân các huyện, thị xã kiểm tra, đôn đốc việc "
        "thực hiện, hoàn thành chậm nhất đến ngày 31 tháng 12 năm 2027."
    )
    [deadline] = find_deadlines(Document.of_text(text), 2026)
    assert (deadline.agency, deadline.due) == ("Ủy ban nhân dân các huyện, thị xã", "2027-12-31")


def test_a_paragraph_opening_with_bodies_owes_its_deadlines_with_acronyms_expanded():
    text = (
        "1. Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các huyện căn cứ chức năng, nhiệm vụ: xây dựng kế hoạch "
        "thực hiện và gửi về UBND tỉnh (qua Văn phòng, Sở Nội vụ) trước ngày 30/4/2026."
    )
    [deadline] = find_deadlines(Document.of_text(text), 2026)
    assert deadline.agency == "Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các huyện"
    assert deadline.task.startswith("xây dựng kế hoạch thực hiện")


def test_a_dossier_of_proposals_assigns_nothing():
    text = (
        "Các đơn vị gửi hồ sơ đề nghị Thủ tướng Chính phủ, Chủ tịch UBND tỉnh xem xét tặng Bằng khen cho các tập thể, "
        "cá nhân có thành tích xuất sắc về Sở Nội vụ trước ngày 31/3/2027."
    )
    assert [d.agency for d in find_deadlines(Document.of_text(text), 2026)] == [None]


def test_a_date_before_the_document_s_own_is_a_condition_not_a_due_date():
    body = (
        "I. ĐỐI TƯỢNG\n"
        "a) Người tham gia kháng chiến trước ngày 30 tháng 4 năm 1975;\n"
        "b) Thân nhân của người có công nhận trợ cấp trước ngày 01/01/2026.\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "Các xã lập danh sách, gửi Sở Nội vụ trước ngày 15/5/2026.\n"
    )
    assert [d.due for d in find_deadlines(_plan(body), 2026)] == ["2026-05-15"]


def test_a_note_repeated_under_each_appendix_is_one_deadline():
    note = "Ghi chú: Các chủ đầu tư phải trình hồ sơ cho cấp có thẩm quyền phê duyệt trong tháng 5 năm 2026.\n"
    body = "PHỤ LỤC 01\n" + note + "PHỤ LỤC 02\n" + note
    assert [d.due for d in find_deadlines(_plan(body), 2026)] == ["2026-05"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Các xã báo cáo kết quả về Sở Nông nghiệp và Môi trường trước ngày 25 hàng tháng.", [("monthly", "25")]),
        (
            "Sở Tư pháp tổng hợp báo cáo Ủy ban nhân dân tỉnh trước ngày 20 tháng 12 hằng năm.",
            [("annual", "20/12")],
        ),
        ("Định kỳ trước ngày 05/6 và 05/12 hằng năm báo cáo kết quả về Sở Nội vụ.", [("annual", "5/6, 5/12")]),
        (
            "Các huyện định kỳ hằng năm (trước ngày 10/12 và đột xuất (khi có yêu cầu) báo cáo kết quả về Sở Y tế.",
            [("annual", "10/12"), ("ad hoc", None)],
        ),
        ("Khi phát hiện ổ dịch, báo cáo ngay về Sở Y tế.", [("ad hoc", None)]),
    ],
)
def test_due_days_stand_before_or_after_the_cycle_and_are_not_deadlines(text, expected):
    document = Document.of_text(text)
    assert [(r.frequency, r.due_day) for r in find_recurring_reports(document)] == expected
    assert find_deadlines(document, 2026) == []


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Phát triển hạ tầng số tỉnh Hà Tĩnh giai đoạn 2026 - 2030, tầm nhìn đến năm 2045", [("2026", "2030")]),
        ("Thực hiện Chiến lược phát triển du lịch tỉnh đến năm 2030", [(None, "2030")]),
        ("Phân bổ vốn năm 2026 thực hiện Chương trình mục tiêu quốc gia giai đoạn 2026-2030", []),
        ("Thực hiện nhiệm vụ năm học 2026 - 2027 của ngành Giáo dục", [("2026", "2027")]),
    ],
)
def test_a_span_in_the_document_s_own_title_is_its_period(title, expected):
    periods = find_periods(_plan("I. MỤC ĐÍCH\n1. Triển khai đồng bộ.\n", title=title))
    assert [(p.start, p.end) for p in periods] == expected


def test_spans_of_years_in_numbered_headings_are_periods_in_bullets_quotes_and_named_plans_not():
    body = (
        "I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN GIAI ĐOẠN 2021-2025\n"
        "- Tình hình biến động số đối tượng hưởng trợ cấp giai đoạn 2021-2024;\n"
        "1. Tiếp tục thực hiện Đề án “Hỗ trợ thanh niên khởi nghiệp giai đoạn 2022-2026” trên địa bàn tỉnh.\n"
        "2. Triển khai các khu công nghệ số theo Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050.\n"
        "3. Tổng kết giai đoạn 2026-2028; xây dựng kế hoạch giai đoạn 2029 - 2030.\n"
        "4. Thời gian thực hiện: Từ năm 2026 đến năm 2030.\n"
        "5. Tập trung thực hiện các nhiệm vụ từ năm 2026 đến năm 2030.\n"
    )
    periods = find_periods(_plan(body), 2026)
    assert [(p.start, p.end) for p in periods] == [("2021", "2025"), ("2026", "2028"), ("2029", "2030"), ("2026", "2030")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3. Thời gian thực hiện: Từ ngày 01/7/2026.", [("2026-07-01", None)]),
        ("- Thời gian thực hiện: Từ tháng 9/2026 trở đi.", [("2026-09", None)]),
        ("Sở Y tế triển khai thời gian thực hiện thí điểm đến hết ngày 31/10/2026.", [(None, "2026-10-31")]),
        ("1. Thời gian: từ nay đến năm 2030.", [(None, "2030")]),
        ("- Thời gian thực hiện: Đã hoàn thành từ tháng 5/2025.", []),
        ("Quyết định có hiệu lực từ ngày 01/7/2026.", []),
    ],
)
def test_a_span_open_at_one_end_is_a_period_after_a_time_label(text, expected):
    assert [(p.start, p.end) for p in find_periods(Document.of_text(text), 2026)] == expected


def test_a_task_table_time_cell_gives_a_deadline_owed_through_the_row():
    body = (
        "II. NHIỆM VỤ CỤ THỂ\n"
        "TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\n"
        "1 | Xây dựng kho dữ liệu văn bản điện tử | Sở Khoa học và Công nghệ | Các sở, ngành | Quý II/2026\n"
        "2 | Tập huấn nghiệp vụ văn thư lưu trữ | Sở Nội vụ | Ủy ban nhân dân các xã | Thường xuyên\n"
        "3 | Rà soát quy chế quản lý văn bản | Sở Tư pháp | Văn phòng Ủy ban nhân dân tỉnh | Trước ngày 30/9/2026\n"
        "4 | Nâng cấp hệ thống thư điện tử | Sở Khoa học và Công nghệ | Các sở, ngành | Năm 2026 - 2027\n"
    )
    document = _plan(body)
    assert [d.due for d in find_deadlines(document, 2026)] == ["2026-09-30"]  # the cell's own words
    record = extract(document)
    assert [(d.agency, d.due) for d in record.deadlines] == [
        ("Sở Khoa học và Công nghệ", "2026-06-30"),
        ("Sở Tư pháp", "2026-09-30"),
    ]
