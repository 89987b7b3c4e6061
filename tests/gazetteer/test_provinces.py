"""Province names and the 2025 mergers."""

from __future__ import annotations

import pytest
import regex

from pipeline.gazetteer.provinces import (
    _matches,
    _surface_pattern,
    any_case_province_pattern,
    canonical_province,
    find_provinces,
    province_of,
    province_pattern,
    successor_2025,
)
from pipeline.rules import load_model
from pipeline.text import normalise_unicode


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


def _spellings() -> set[str]:
    data = load_model("provinces")
    forms = {normalise_unicode(f) for u in data["before_2025"] for f in [u["name"], *u.get("variants", [])]}
    return forms | {f.upper() for f in forms}


def test_no_spelling_runs_on_into_a_longer_one() -> None:
    """The trie's branches may come in any order only while at most one spelling can match
    at a place: no spelling, in any case and with any separator, followed by anything but a
    letter or digit, begins another."""
    keys = {regex.sub(r"\s*[-–]\s*|\s+", " ", f.casefold()) for f in _spellings()}
    for key in keys:
        for longer in keys:
            assert not (longer != key and longer.startswith(key) and not longer[len(key)].isalnum()), (key, longer)


def test_the_trie_finds_what_a_flat_alternation_finds(seeds) -> None:
    """province_pattern, and any_case_province_pattern (one spelling of those that differ only
    in case, as mentions.py reads capitals and lower case), against every spelling tried
    longest first, in its own case and without case; on the samples as printed, in
    capitals, in lower case and in title case."""
    flat = "|".join(_surface_pattern(f) for f in sorted(_spellings(), key=len, reverse=True))
    trie = province_pattern()
    texts = [doc.text for doc in seeds.values()]
    texts += ["Hải Dương, HẢI PHÒNG, Bà Rịa–Vũng Tàu; TP.HCM. Kon Tum, Kontum: Thừa Thiên - Huế, Quảng  Ninh, Cao\nBằng"]
    texts += [variant for t in texts for variant in (t.upper(), t.lower(), t.title())]
    for case, pattern in (("(?-i:", trie), ("(?i:", any_case_province_pattern())):
        expected = regex.compile(trie[: trie.index("(?:")].replace("(?-i:", case, 1) + f"(?:{flat})(?![\\p{{L}}\\p{{N}}]))")
        found = regex.compile(pattern)
        for text in texts:
            assert [m.span() for m in found.finditer(text)] == [m.span() for m in expected.finditer(text)]


def test_names_tried_where_re_finds_a_spelling_are_the_pattern_s_own_matches(seeds) -> None:
    """find_provinces tries the pattern only where re finds a spelling, up to the character
    after it: the same matches as the pattern's finditer on the samples as printed, in
    capitals, in lower case and with other white space (the separators \\x1c-\\x1f are
    none for the regex module), and on every spelling glued to letters, digits and dashes."""
    texts = [doc.text for doc in seeds.values()]
    texts = [v for t in texts for v in (t, t.upper(), t.lower(), t.replace(" ", "\n"), t.replace(" ", "\x1c"), t.replace(" ", " \t "))]
    for spelling in _spellings():
        for before, after in (("", ""), ("x", ""), ("", "x"), ("tỉnh ", " và"), ("1", "2"), ("-", "-"), ("Tỉnh", ",")):
            for form in (spelling, spelling.replace(" ", "\n"), spelling.replace(" ", "\x1c"), spelling.replace(" ", "  ")):
                texts.append(f"{before}{form}{after} {form}")
    found = 0
    for text in texts:
        expected = [m.span() for m in regex.compile(province_pattern()).finditer(text)]
        assert [m.span() for m in _matches(text)] == expected
        found += len(expected)
    assert found > 1000
