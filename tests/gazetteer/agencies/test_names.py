"""Printed agency names written the gazetteer's way, and their 2025 successors."""

from __future__ import annotations

import pytest

from pipeline.gazetteer.agencies.compiled import gazetteer
from pipeline.gazetteer.agencies.names import (
    canonical_name,
    successor_2025,
)
from pipeline.rules import load_model
from pipeline.text import fold


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
        ("BTV Tỉnh ủy Hà Giang", "Ban Thường vụ Tỉnh ủy Hà Giang"),
        ("TT Tỉnh ủy", "Thường trực Tỉnh ủy"),
        ("Thường trực HĐND tỉnh", "Thường trực Hội đồng nhân dân tỉnh"),
        ("UBTW Mặt trận Tổ quốc Việt Nam", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
        ("Ban Bí thư Trung ương Đảng", "Ban Bí thư Trung ương Đảng"),
        ("Ban Chấp hành Đảng bộ tỉnh khóa XVI", "Ban Chấp hành Đảng bộ tỉnh khóa XVI"),
        ("Ban cán sự đảng UBND tỉnh", "Ban cán sự đảng Ủy ban nhân dân tỉnh"),
        ("Hội đồng Dân tộc của Quốc hội", "Hội đồng Dân tộc của Quốc hội"),
        ("Sở Văn hóa - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Bộ Lao động Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("Sở LĐ-TBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("UBND các tỉnh, TP trực thuộc TW", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"),
        ("Thuế tỉnh Nghệ An", "Thuế tỉnh Nghệ An"),
        ("Kho bạc Nhà nước tỉnh", "Kho bạc Nhà nước tỉnh"),
    ],
)
def test_canonical_name_expands_and_recases(raw: str, expected: str) -> None:
    result = canonical_name(raw)
    assert result.name == expected
    assert result.known


def test_a_national_body_printed_without_a_qualifier_is_the_national_one() -> None:
    assert canonical_name("Đoàn Thanh niên Cộng sản Hồ Chí Minh").name == "Đoàn Thanh niên Cộng sản Hồ Chí Minh"
    assert canonical_name("Mặt trận Tổ quốc Việt Nam tỉnh").name == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"


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


def test_a_department_merged_in_2025_names_its_successor_and_keeps_its_qualifier():
    assert successor_2025("Sở Thông tin và Truyền thông") == "Sở Khoa học và Công nghệ"
    assert successor_2025("Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An") == "Sở Nội vụ tỉnh Nghệ An"
    assert successor_2025("Sở Y tế") is None


def test_a_successor_is_looked_for_among_the_old_names_of_its_first_word_as_among_all() -> None:
    """successor_2025 tries only the old names that begin with the name's first word: the same
    as trying all fourteen, longest first, on every gazetteer name and merged name, with a
    qualifier, in capitals, cut short, and run on into a longer word."""
    mergers = load_model("mergers_2025")["departments"]["mergers"]
    pairs = sorted(((m["from"], m["to"]) for m in mergers), key=lambda pair: -len(pair[0]))

    def everywhere(name: str) -> str | None:
        for before, after in pairs:
            if fold(name) == fold(before) or fold(name).startswith(fold(before) + " "):
                return after + name[len(before) :]
        return None

    olds = [m["from"] for m in mergers]
    names = [item["name"] for item in gazetteer()["agencies"]]
    names += [f"{old}{tail}" for old in olds for tail in ("", " tỉnh Nghệ An", "n", " - ")]
    names += [old.upper() for old in olds] + [old.rsplit(" ", 1)[0] for old in olds] + [f"  {old}" for old in olds]
    assert sum(everywhere(name) is not None for name in names) > 40
    assert [successor_2025(name) for name in names] == [everywhere(name) for name in names]
