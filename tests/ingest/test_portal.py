import pytest

from pipeline.ingest.portal import fixed_head, rules, strip_portal


@pytest.mark.parametrize(
    "source, head",
    [
        ("đang tải văn bản", "đang tải văn bản"),
        ("thư viện pháp luật\\b", "thư viện pháp luật"),
        ("văn bản này (?:chưa|đã) cập nhật", "văn bản này "),
        ("văn bản liên quan?", "văn bản liên qua"),
        ("ab{2}", "a"),
        ("a\\.b", "a"),
        ("các nội dung|văn bản", ""),
        ("[|]x|y", ""),
        ("(?:x|y)z", ""),
    ],
)
def test_a_phrase_begins_with_the_literal_text_before_its_first_metacharacter(source, head):
    assert fixed_head(source) == head


def test_every_portal_phrase_has_a_head_so_most_pages_are_passed_over_unsearched():
    assert all(rules()["heads"])


def test_a_page_naming_the_portal_in_capitals_has_its_lead_cut():
    lines = ["THƯ VIỆN PHÁP LUẬT", "Đang tải văn bản...", "ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"]
    assert strip_portal(lines).lines == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"]
