"""The agency finder, on sentences in the genre's style and the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract.agencies import find_agencies
from pipeline.records import Document
from pipeline.segment import segment
from pipeline.text import fold
from tests.conftest import GOLD, raw_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "corpus" / "txt").glob("*.txt"))



def names(text: str) -> list[str]:
    return [a.name for a in find_agencies(Document.of_text(text))]


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


def test_an_agency_merged_in_2025_carries_its_successor():
    agencies = {a.name: a for a in find_agencies(Document.of_text("Sở Kế hoạch và Đầu tư phối hợp với Sở Tư pháp."))}
    assert agencies["Sở Kế hoạch và Đầu tư"].successor_2025 == "Sở Tài chính"
    assert agencies["Sở Tư pháp"].successor_2025 is None


def _doc_names(text: str) -> list[str]:
    return [a.name for a in find_agencies(segment(raw_text(text)))]


def test_a_bare_body_of_several_provinces_is_the_issuers_provinces():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 15/BC-UBND\nBÁO CÁO\nTình hình quản lý khoáng sản năm 2025\n"
        "Ủy ban nhân dân tỉnh Nghệ An báo cáo như sau: trước khi hợp nhất, Ủy ban nhân dân tỉnh Hà Tĩnh đã phê duyệt "
        "quy hoạch; Ủy ban nhân dân tỉnh đã chỉ đạo rà soát. Ban Thường vụ Tỉnh ủy chỉ đạo; BTV Tỉnh ủy Nghệ An kết luận.\n"
    )
    names = _doc_names(text)
    assert "Ủy ban nhân dân tỉnh" not in names and "Ban Thường vụ Tỉnh ủy" not in names
    assert {"Ủy ban nhân dân tỉnh Nghệ An", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Ban Thường vụ Tỉnh ủy Nghệ An"} <= set(names)


def test_a_body_is_written_as_the_text_writes_it_most_often():
    text = "Giao Ủy ban nhân dân huyện, thị xã chỉ đạo; UBND các huyện, thị xã báo cáo; Ủy ban nhân dân các huyện, thị xã tổng hợp."
    assert names(text) == ["Ủy ban nhân dân các huyện, thị xã"]


def test_a_unit_of_a_body_with_a_short_name_is_written_with_the_full_name():
    text = (
        "Thủ tướng Chính phủ thành lập Ban Chỉ đạo quốc gia về phòng, chống thiên tai (gọi tắt là Ban Chỉ đạo quốc gia). "
        "Văn phòng Ban Chỉ đạo quốc gia tổng hợp, báo cáo Ban Chỉ đạo quốc gia."
    )
    assert names(text) == [
        "Thủ tướng Chính phủ",
        "Ban Chỉ đạo quốc gia về phòng, chống thiên tai",
        "Văn phòng Ban Chỉ đạo quốc gia về phòng, chống thiên tai",
    ]


def test_a_company_cut_short_is_the_company_named_in_full():
    text = "Tổng Công ty Cảng Hải Phòng chủ trì; Tổng Công ty Cảng cung cấp số liệu cho Cục Hải quan thành phố Hải Phòng."
    assert names(text) == ["Tổng Công ty Cảng Hải Phòng", "Cục Hải quan thành phố Hải Phòng"]


def test_a_letter_spaced_header_still_names_the_issuer():
    text = "B Ộ Y T Ế\nSố: 12/BYT-KH\nV/v báo cáo tình hình thực hiện\nKính gửi: Sở Y tế các tỉnh, thành phố.\nBộ đề nghị các Sở báo cáo.\n"
    assert "Bộ Y tế" in _doc_names(text)
