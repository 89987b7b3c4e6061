"""The bodies a text names, as the gazetteer's recogniser finds them."""

from __future__ import annotations

from pipeline.gazetteer.agencies.mentions import find_agency_mentions


def test_headings_name_the_body_for_duties() -> None:
    text = "1. Công an tỉnh (Cơ quan TT BCĐ tỉnh)\n- Chủ trì...\n8. Đề nghị Hội Liên hiệp Phụ nữ tỉnh\n- Tuyên truyền"
    found = [(m.name.name, m.raw) for m in find_agency_mentions(text)]
    assert found[0] == ("Công an tỉnh", "Công an tỉnh")
    assert ("Hội Liên hiệp Phụ nữ tỉnh", "Hội Liên hiệp Phụ nữ tỉnh") in found
