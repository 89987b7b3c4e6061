"""The bodies a text names, as the gazetteer's recogniser finds them."""

from __future__ import annotations

from random import Random

from pipeline.gazetteer.agencies.compiled import (
    acronyms,
    company_re,
    gazetteer,
    generic_re,
    head_starts,
    known_re,
    shared_head_re,
    shared_head_starts_re,
)
from pipeline.gazetteer.agencies.mentions import (
    _CAPITAL,
    MATCH_WINDOW,
    _accept,
    _company,
    _Found,
    _generic,
    _is_surface,
    _match_at,
    _not_overlapped,
    _shared_head_items,
    expand_unknown,
    find_agency_mentions,
    scan,
)
from pipeline.text import normalise_unicode


def test_headings_name_the_body_for_duties() -> None:
    text = "1. Công an tỉnh (Cơ quan TT BCĐ tỉnh)\n- Chủ trì...\n8. Đề nghị Hội Liên hiệp Phụ nữ tỉnh\n- Tuyên truyền"
    found = [(m.name.name, m.raw) for m in find_agency_mentions(text)]
    assert found[0] == ("Công an tỉnh", "Công an tỉnh")
    assert ("Hội Liên hiệp Phụ nữ tỉnh", "Hội Liên hiệp Phụ nữ tỉnh") in found


def _names(text: str) -> list[str]:
    return [m.name.name for m in find_agency_mentions(text)]


def test_companies_are_named_to_their_last_capitalised_word() -> None:
    text = (
        "Giao Công ty cổ phần Xi măng và Khoáng sản Yên Bình được cấp phép; Công ty TNHH Thương mại "
        "Hoàng Long và Công ty cổ phần Vận tải số 2 phối hợp; Tổng Công ty Điện lực miền Bắc rà soát danh sách khách hàng."
    )
    assert _names(text) == [
        "Công ty cổ phần Xi măng và Khoáng sản Yên Bình",
        "Công ty TNHH Thương mại Hoàng Long",
        "Công ty cổ phần Vận tải số 2",
        "Tổng Công ty Điện lực miền Bắc",
    ]
    assert _names("Công ty thực hiện theo Quyết định số 12.") == []


def test_a_head_word_is_shared_by_the_items_after_it() -> None:
    assert _names("của Liên Bộ: Tài chính, Y tế về việc hướng dẫn") == ["Bộ Tài chính", "Bộ Y tế"]
    assert _names("phối hợp với Bộ Nội vụ, Tư pháp, Ngoại giao về việc") == ["Bộ Nội vụ", "Bộ Tư pháp", "Bộ Ngoại giao"]
    assert _names("- Các Sở, ngành: Tư pháp, Nội vụ, Thanh tra tỉnh;") == ["Sở Tư pháp", "Sở Nội vụ", "Thanh tra tỉnh"]
    assert _names("Sở Tài chính, Xây dựng nông thôn mới") == ["Sở Tài chính"]


def test_a_name_the_gazetteer_lacks_ends_where_the_sentence_goes_on() -> None:
    assert _names("Tổng cục Thống kê đồng ý với đề xuất.") == ["Tổng cục Thống kê"]
    assert _names("Cục Đường sắt Việt Nam trả lời như sau") == ["Cục Đường sắt Việt Nam"]
    assert _names("Hội Người cao tuổi, Hội Chữ thập đỏ tỉnh tham gia") == ["Hội Người cao tuổi", "Hội Chữ thập đỏ tỉnh"]
    assert _names("Cục Quản lý thị trường tỉnh Cao Bằng trước sáp nhập") == ["Cục Quản lý thị trường tỉnh Cao Bằng"]
    assert _names("Ban Chỉ đạo quyết định thành lập tổ công tác") == []
    assert _names("Ban Chỉ đạo, Trưởng Ban Chỉ đạo chịu trách nhiệm") == []


def test_lists_of_units_keep_trực_thuộc_trung_ương() -> None:
    assert _names("Đề nghị Sở Y tế các tỉnh, thành phố trực thuộc trung ương báo cáo") == [
        "Sở Y tế các tỉnh, thành phố trực thuộc Trung ương"
    ]


def test_party_and_national_bodies() -> None:
    text = (
        "Thực hiện Kết luận của Ban Chấp hành Trung ương khóa XIII, Thường trực Tỉnh ủy Quảng Trị, Đảng đoàn "
        "Liên đoàn Lao động tỉnh và Ban Chỉ đạo quốc gia về phòng, chống thiên tai (gọi tắt là Ban Chỉ đạo quốc gia)."
    )
    assert _names(text) == [
        "Ban Chấp hành Trung ương khóa XIII",
        "Thường trực Tỉnh ủy Quảng Trị",
        "Đảng đoàn Liên đoàn Lao động tỉnh",
        "Ban Chỉ đạo quốc gia về phòng, chống thiên tai",
        "Ban Chỉ đạo quốc gia",
    ]


def test_the_words_of_a_name_lacking_its_qualifier_name_no_other_body() -> None:
    assert _names("Ủy ban MTTQVN và các tổ chức chính trị - xã hội") == []


# Names of every kind in one passage: known ones with qualifiers, ones the gazetteer lacks,
# companies, head words inside known names and overlapping ("Trường Đại học", "Hội đồng"),
# a head word's list, names lacking their qualifier, a head word starting no name.
_MIXED = (
    "Giao Sở Tài chính chủ trì, phối hợp với Sở Ngoại vụ, Phòng Công tác xã hội huyện Thanh Hà, "
    "Trường Đại học Y Hà Nội, Hội đồng nhân dân tỉnh và Hội Người cao tuổi thực hiện.\n"
    "- Các Sở, ngành: Tư pháp, Nội vụ, Thanh tra tỉnh; Công ty TNHH Thương mại Hoàng Long; "
    "Ủy ban MTTQVN và các tổ chức chính trị - xã hội; Ban Chỉ đạo quyết định thành lập Ban.\n"
    "Bộ Lao động - Thương binh và Xã hội, Tài chính, Y tế; Cục Quản lý thị trường tỉnh Cao Bằng; "
    "Văn phòng Ủy ban nhân dân tỉnh, Đài Phát thanh và Truyền hình tỉnh, Báo cáo kết quả về Sở.\n"
    "Thành lập Ban Chỉ đạo Phòng chống Thiên tai và Tìm kiếm Cứu nạn; Ban Tổ chức Hội nghị Xúc tiến Đầu tư gửi."
)


def _scan_everywhere(text: str) -> list:
    """scan as every pattern searched afresh from every position: slow, plainly right."""
    patterns = (known_re(), company_re(), generic_re())
    readers = (lambda m: _accept(text, m, 0), lambda m: _company(text, m), lambda m: _generic(text, m))
    found, pos = [], 0
    while pos < len(text):
        ahead = [(m.start(), i, m) for i, pattern in enumerate(patterns) if (m := pattern.search(text, pos))]
        if not ahead:
            break
        start = min(at for at, _, _ in ahead)
        hit = next((h for at, i, m in sorted(ahead, key=lambda a: a[:2]) if at == start and (h := readers[i](m))), None)
        if hit is None:
            known = next((m for at, i, m in ahead if i == 0 and at == start), None)
            pos = known.end() if known is not None and _is_surface(known) else start + 1
            continue
        found.append(hit)
        pos = hit.span[1]
    return found


def test_head_words_are_found_wherever_they_begin(seeds) -> None:
    heads = [normalise_unicode(h) for h in gazetteer()["generic"]["heads"]]
    for text in [_MIXED, *(doc.text for doc in seeds.values())]:
        assert head_starts(text) == [i for i in range(len(text)) if any(text.startswith(h, i) for h in heads)]


def test_scan_finds_what_a_search_everywhere_finds(seeds) -> None:
    for text in [_MIXED, *(doc.text for doc in seeds.values())]:
        assert scan(text) == _scan_everywhere(text)
    printed = {_MIXED[f.span[0] : f.span[1]]: f.entry is not None for f in scan(_MIXED)}
    assert printed["Sở Tài chính"] and not printed["Hội Người cao tuổi"] and "Công ty TNHH Thương mại Hoàng Long" in printed
    # A known name that lacks the qualifier it needs, where a longer generic name begins.
    assert not printed["Ban Chỉ đạo Phòng chống Thiên tai và Tìm kiếm Cứu nạn"] and "Ban Tổ chức Hội nghị Xúc tiến Đầu tư" in printed


def test_head_word_lists_are_found_at_head_words_as_everywhere() -> None:
    everywhere = _shared_head_items(_MIXED, list(range(len(_MIXED))))
    assert _shared_head_items(_MIXED, head_starts(_MIXED)) == everywhere
    assert [i.base for i in everywhere] == ["Sở Tư pháp", "Sở Nội vụ"]


def test_names_overlapped_by_list_items_are_dropped_as_by_every_pair() -> None:
    random = Random(11)
    for _ in range(200):
        ends = sorted(random.sample(range(1, 300), 20))
        found = [_Found((a, b), None, "", None, None) for a, b in zip(ends[::2], ends[1::2])]
        items = [_Found((a, a + random.randint(1, 40)), None, "", None, None) for a in random.sample(range(300), 6)]
        pairwise = [f for f in found if not any(f.span[0] < x.span[1] and x.span[0] < f.span[1] for x in items)]
        assert _not_overlapped(found, items) == pairwise


def test_a_head_word_list_opens_only_where_a_colon_follows_within_a_name(seeds) -> None:
    """_shared_head_items tries its pattern only where str.find sees a colon in the window
    and shared_head_starts_re (the re module) a comma or colon after the head word, also
    across every white space character regex's \\s takes."""
    spaced = "\n".join(f"- Các Sở{space * 2}:{space}Tư pháp; các Phòng{space},{space}ban:{space}Nội vụ." for space in " \t\u00a0\u2003\u3000\u0085")
    found = 0
    for text in [_MIXED, spaced, *(doc.text for doc in seeds.values())]:
        for start in range(len(text)):
            if _match_at(shared_head_re(), text, start):
                assert ":" in text[start : start + MATCH_WINDOW]
                assert shared_head_starts_re().match(text, start)
                found += 1
    assert found > 12


def test_a_known_name_begins_only_with_a_capital(seeds) -> None:
    """_list_units matches known_re at a unit word only where _CAPITAL matches."""
    found = 0
    for text in [_MIXED, *(doc.text for doc in seeds.values())]:
        for variant in (text, text.upper(), text.lower()):
            for m in known_re().finditer(variant, overlapped=True):
                assert _CAPITAL.match(variant, m.start())
                found += 1
    assert found > 300


def test_an_unknown_name_s_words_are_expanded_as_normalising_each_word_would(seeds) -> None:
    """expand_unknown takes the words of normalised text as they are and only the acronyms'
    expansions normalised: the same as normalising every word after the lookup, on every
    line of the samples, in old-style spelling, and with acronyms."""
    table = {**acronyms()["in_names"], **acronyms()["whole"]}
    lines = [doc.text[line.start : line.end] for doc in seeds.values() for line in doc.lines]
    lines += [f"Phòng {acronym} huyện Hoà Vang" for acronym in table]
    for line in lines:
        cleaned = " ".join(normalise_unicode(line).split())
        if not cleaned.isupper():
            expected = " ".join(normalise_unicode(table.get(word, word)) for word in cleaned.split(" "))
            assert expand_unknown(cleaned) == expected
