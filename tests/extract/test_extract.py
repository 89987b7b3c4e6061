"""The record as a whole: its values held to sane lengths whatever the document holds."""

from __future__ import annotations

from pipeline.extract import extract
from pipeline.rules import load_model
from pipeline.segment import segment
from tests.conftest import raw_text, seed_text

LIMITS = load_model("limits")


def test_a_title_that_runs_on_is_cut_with_a_warning_and_its_span_keeps_all_its_words():
    long_title = "Về việc triển khai công tác phòng, chống mua bán người " * 100
    text = f"ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n{long_title}\n\nI. MỤC ĐÍCH\nNội dung."
    record = extract(segment(raw_text(text)))
    cap = LIMITS["field_chars"]["document.title"]
    assert record.document.title and len(record.document.title) == cap
    start, end = record.document.spans["title"]
    assert end - start > cap
    (warning,) = [w for w in record.warnings if w.code == "field-cut"]
    assert warning.message.startswith("document.title: 1 value(s) cut to 1,000 characters")


def test_a_very_large_single_line_document_is_read_whole_with_a_warning():
    words = seed_text("000").split()
    text = " ".join(words * (LIMITS["large_document_chars"] // len(" ".join(words)) + 1))
    record = extract(segment(raw_text(text)))
    codes = {w.code for w in record.warnings}
    assert record.status == "ok" and len(record.text) > LIMITS["large_document_chars"]
    assert {"large-document", "field-cut"} <= codes
    assert len(record.document.title or "") <= LIMITS["field_chars"]["document.title"]


def test_an_ordinary_plan_has_nothing_cut():
    record = extract(segment(raw_text(seed_text("001"))))
    assert not {w.code for w in record.warnings} & {"field-cut", "large-document"}
