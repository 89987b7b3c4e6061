"""Province names and the 2025 mergers."""

from __future__ import annotations

import pytest

from pipeline.gazetteer.provinces import (
    canonical_province,
    find_provinces,
    province_of,
    successor_2025,
)


def test_successor_of_hai_duong_is_hai_phong() -> None:
    assert successor_2025("Hải Dương") == "Hải Phòng"


@pytest.mark.parametrize(
    "old, new",
    [("Hà Giang", "Tuyên Quang"), ("Thừa Thiên - Huế", "Huế"), ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
     ("Đăk Lăk", "Đắk Lắk"), ("Hoà Bình", "Phú Thọ"), ("Nghệ An", "Nghệ An"), ("TP.HCM", "Hồ Chí Minh")],
)
def test_successors(old: str, new: str) -> None:
    assert successor_2025(old) == new


def test_unknown_name_raises() -> None:
    with pytest.raises(KeyError):
        successor_2025("Bình")


def test_variant_spellings() -> None:
    assert canonical_province("Thừa Thiên - Huế") == "Thừa Thiên Huế"
    assert canonical_province("Khánh Hoà") == "Khánh Hòa"
    assert canonical_province("Thành phố Hồ Chí Minh") == "Hồ Chí Minh"


def test_find_provinces_in_text() -> None:
    text = "Đẩy mạnh tuyên truyền trên Báo Hải \nDương; gửi về số 199, thành phố Hải Dương. Công an tỉnh Quảng Ninh phối hợp."
    found = find_provinces(text)
    assert [name for _, name in found] == ["Hải Dương", "Hải Dương", "Quảng Ninh"]
    (start, end), _ = found[0]
    assert text[start:end] == "Hải \nDương"


def test_words_that_are_not_provinces() -> None:
    text = "Bình đẳng giới, hòa bình và Đoàn Thanh niên Cộng sản Hồ Chí Minh; UBND TỈNH AN GIANG"
    assert find_provinces(text)[0][1] == "An Giang"
    assert len(find_provinces(text)) == 1


def test_province_of() -> None:
    assert province_of("Ban Chỉ đạo 138 tỉnh Hải Dương") == "Hải Dương"
    assert province_of("Lạng Sơn") == "Lạng Sơn"
    assert province_of("Sở Y tế") is None
