"""The agency finder and canonicaliser, on sentences in the genre's style and the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract.agencies import find_agencies
from pipeline.gazetteer.agencies import canonical_name, find_agency_mentions
from pipeline.records import Document
from pipeline.text import fold
from tests.conftest import GOLD

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "corpus" / "txt").glob("*.txt"))



def names(text: str) -> list[str]:
    return [a.name for a in find_agencies(Document.of_text(text))]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở TTTT", "Sở Thông tin và Truyền thông"),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
        ("Đài PT&TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("UBND TỈNH HẢI DƯƠNG", "Ủy ban nhân dân tỉnh Hải Dương"),
        ("UBND TỈNH NGHỆ AN", "Ủy ban nhân dân tỉnh Nghệ An"),
        ("Sở Văn hoá Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Lao động, Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Công An tỉnh", "Công an tỉnh"),
        ("CAT", "Công an tỉnh"),
        ("Văn phòng BCA", "Văn phòng Bộ Công an"),
        ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("BCĐ138/CP", "Ban Chỉ đạo 138/CP"),
        ("Ban Chỉ đạo \n138 tỉnh", "Ban Chỉ đạo 138 tỉnh"),
        ("Ban Chỉ đạo 138 của tỉnh", "Ban Chỉ đạo 138 tỉnh"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Bộ Chỉ huy BĐBP tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"),
        ("Hội LHPN tỉnh Quảng Ninh", "Hội Liên hiệp Phụ nữ tỉnh Quảng Ninh"),
        ("VKSND tỉnh", "Viện Kiểm sát nhân dân tỉnh"),
        ("Phòng PV01 - Công an tỉnh", "Phòng PV01 - Công an tỉnh"),
        ("UBND huyện, TX, TP", "Ủy ban nhân dân huyện, thị xã, thành phố"),
        ("Ban Tuyên giáo TU", "Ban Tuyên giáo Tỉnh ủy"),
    ],
)
def test_canonical_name_expands_and_recases(raw: str, expected: str) -> None:
    result = canonical_name(raw)
    assert result.name == expected
    assert result.known


def test_canonical_name_levels() -> None:
    assert canonical_name("Công an xã").level == "commune"
    assert canonical_name("UBND cấp huyện").level == "district"
    assert canonical_name("Bộ Y tế").level == "central"
    assert canonical_name("Thanh tra Sở").level == "unit"


def test_unknown_name_is_cleaned_and_flagged() -> None:
    result = canonical_name("BAN QUẢN LÝ DỰ ÁN\n ĐẦU TƯ XÂY DỰNG TỈNH AN GIANG")
    assert not result.known
    assert "\n" not in result.name and "  " not in result.name
    assert result.name.startswith("Ban quản lý")
    assert result.name.endswith("An Giang")


def test_commas_inside_names_do_not_split_them() -> None:
    text = "Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Trung tâm Văn hóa, Thể thao và Truyền thông cấp huyện tổ chức."
    assert names(text) == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Trung tâm Văn hóa, Thể thao và Truyền thông cấp huyện",
    ]


def test_lists_of_bodies_are_not_agencies() -> None:
    text = "Đề nghị các sở, ban, ngành, đoàn thể tỉnh và các Sở, Ban, Ngành; Sở, ban, ngành căn cứ chức năng thực hiện."
    assert names(text) == []


def test_name_ends_before_the_verb() -> None:
    text = "Sở Ngoại vụ tỉnh Nghệ An phối hợp với Sở Y tế xây dựng kế hoạch về phòng, chống mua bán người."
    assert names(text) == ["Sở Ngoại vụ tỉnh Nghệ An", "Sở Y tế"]


def test_qualifiers_are_kept() -> None:
    text = (
        "Ủy ban nhân dân tỉnh An Giang giao Công an xã, Đài Truyền thanh cấp xã và "
        "Phòng Lao động - Thương binh và Xã hội các huyện, thị xã, thành phố thực hiện."
    )
    assert names(text) == [
        "Ủy ban nhân dân tỉnh An Giang",
        "Công an xã",
        "Đài Truyền thanh cấp xã",
        "Phòng Lao động - Thương binh và Xã hội các huyện, thị xã, thành phố",
    ]


def test_a_list_qualifier_stops_where_the_next_body_begins() -> None:
    text = "Giao Công an tỉnh, Tỉnh đoàn, Ủy ban nhân dân huyện, Huyện đoàn tổ chức tuyên truyền."
    assert names(text) == ["Công an tỉnh", "Tỉnh đoàn", "Ủy ban nhân dân huyện", "Huyện đoàn"]


def test_a_name_does_not_run_into_the_next_lines_bullet() -> None:
    assert names("1. Phòng Lao động - Việc làm\n- Chủ trì rà soát người lao động trở về.") == ["Phòng Lao động - Việc làm"]
    assert names("Giao Phòng Lao động -\nViệc làm chủ trì.") == ["Phòng Lao động - Việc làm"]


@pytest.mark.parametrize(
    ("raw", "name", "level"),
    [
        ("UBND thành phố Cần Thơ", "Ủy ban nhân dân thành phố Cần Thơ", "province"),
        ("Sở Nội vụ thành phố Hải Phòng", "Sở Nội vụ thành phố Hải Phòng", "province"),
        ("UBND thành phố Lạng Sơn", "Ủy ban nhân dân thành phố Lạng Sơn", "district"),
        ("UBND HUYỆN THANH HÀ", "Ủy ban nhân dân huyện Thanh Hà", "district"),
        ("ĐẢNG ỦY XÃ AN BÌNH", "Đảng ủy xã An Bình", "commune"),
    ],
)
def test_a_citys_rank_and_a_header_place_in_capitals_set_the_level(raw: str, name: str, level: str) -> None:
    found = canonical_name(raw)
    assert (found.name, found.level) == (name, level)


def test_mentions_with_line_breaks_have_spans_into_the_text() -> None:
    text = "Thực hiện Kế hoạch của Ban Chỉ đạo \n138 tỉnh, Sở \nThông tin và Truyền thông (TTTT) xây dựng"
    agencies = find_agencies(Document.of_text(text))
    assert [a.name for a in agencies] == ["Ban Chỉ đạo 138 tỉnh", "Sở Thông tin và Truyền thông"]
    for agency in agencies:
        for mention in agency.mentions:
            assert text[mention.span[0] : mention.span[1]] == mention.text
    assert agencies[1].raw == "Sở \nThông tin và Truyền thông"


def test_spellings_of_one_body_are_merged() -> None:
    text = (
        "Ủy ban nhân dân tỉnh Quảng Ninh ban hành kế hoạch. Giao Công an tỉnh chủ trì; "
        "báo cáo UBND tỉnh trước ngày 15/12. Nơi nhận: - CAT; - Công An tỉnh."
    )
    agencies = find_agencies(Document.of_text(text))
    assert [a.name for a in agencies] == ["Ủy ban nhân dân tỉnh Quảng Ninh", "Công an tỉnh"]
    assert len(agencies[0].mentions) == 2
    assert len(agencies[1].mentions) == 3


def test_bracketed_short_name_is_an_alias() -> None:
    text = (
        "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ "
        "an ninh Tổ quốc tỉnh (Ban Chỉ đạo tỉnh) xây dựng Kế hoạch. Báo cáo về Ban Chỉ đạo tỉnh."
    )
    agencies = find_agencies(Document.of_text(text))
    assert len(agencies) == 1
    assert len(agencies[0].mentions) == 3


def test_qualifier_shared_by_a_listed_body() -> None:
    text = "5. Phòng Văn hóa và Thông tin, Trung tâm Văn hóa, Thể thao và Truyền thông cấp huyện"
    assert names(text) == [
        "Phòng Văn hóa và Thông tin cấp huyện",
        "Trung tâm Văn hóa, Thể thao và Truyền thông cấp huyện",
    ]


def test_shared_head_list() -> None:
    text = "Đề nghị các Sở: Tư pháp, Y tế và Nội vụ tỉnh Hà Tĩnh phối hợp thực hiện."
    assert names(text) == ["Sở Tư pháp tỉnh Hà Tĩnh", "Sở Y tế tỉnh Hà Tĩnh", "Sở Nội vụ tỉnh Hà Tĩnh"]


def test_look_alikes_are_not_agencies() -> None:
    text = "Bộ Luật hình sự quy định; lực lượng Công an và Hội đồng nhân dân cùng cấp; số 9145/QĐ-BCĐ 138/CP; Lưu: VT, TTBCXB."
    assert names(text) == []


def test_headings_name_the_body_for_duties() -> None:
    text = "1. Công an tỉnh (Cơ quan TT BCĐ tỉnh)\n- Chủ trì...\n8. Đề nghị Hội Liên hiệp Phụ nữ tỉnh\n- Tuyên truyền"
    found = [(m.name.name, m.raw) for m in find_agency_mentions(text)]
    assert found[0] == ("Công an tỉnh", "Công an tỉnh")
    assert ("Hội Liên hiệp Phụ nữ tỉnh", "Hội Liên hiệp Phụ nữ tỉnh") in found


def _score() -> tuple[int, int, int]:
    tp = fp = fn = 0
    for path in SAMPLES:
        gold = {fold(n) for n in json.loads((GOLD / path.with_suffix(".json").name).read_text())["agencies"]}
        got = {fold(a.name) for a in find_agencies(Document.of_text(path.read_text(encoding="utf-8")))}
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
    return tp, fp, fn


@pytest.mark.skipif(not GOLD.exists() or not SAMPLES, reason="gold annotations not available")
def test_agency_f1_on_samples() -> None:
    tp, fp, fn = _score()
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert 2 * precision * recall / (precision + recall) >= 0.85


def test_a_department_merged_in_2025_names_its_successor_and_keeps_its_qualifier():
    from pipeline.gazetteer.agencies import successor_2025

    assert successor_2025("Sở Thông tin và Truyền thông") == "Sở Khoa học và Công nghệ"
    assert successor_2025("Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An") == "Sở Nội vụ tỉnh Nghệ An"
    assert successor_2025("Sở Y tế") is None
    agencies = {a.name: a for a in find_agencies(Document.of_text("Sở Kế hoạch và Đầu tư phối hợp với Sở Tư pháp."))}
    assert agencies["Sở Kế hoạch và Đầu tư"].successor_2025 == "Sở Tài chính"
    assert agencies["Sở Tư pháp"].successor_2025 is None
