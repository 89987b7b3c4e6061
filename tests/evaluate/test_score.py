"""Scoring against hand-made gold: exact counts, pairs, and what a missing or failed record scores."""

from __future__ import annotations

import pytest

from pipeline.evaluate.report import format_report
from pipeline.evaluate.score import greedy_match
from tests.evaluate.conftest import DOC, gold_doc, record, ref, run


def test_two_of_three_references_with_one_false_positive(tmp_path):
    gold = gold_doc(references=[ref("675/KH-BCĐ"), ref("13-KL/TW"), ref("48-CT/TW")])
    pred = record("corpus/txt/000_aaaaaaaaaaaaaaaa.txt",
                  references=[ref("675/KH-BCD"), ref("13 - KL/TW"), ref("99/QĐ-TTg")])
    scores = run(tmp_path, [gold], [pred]).lists["references"]
    assert (scores.tp, scores.fp, scores.fn) == (2, 1, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)


def test_reference_attributes_are_scored_over_matched_pairs_only(tmp_path):
    gold = gold_doc(references=[ref("675/KH-BCĐ", date="2025-02-19", relation="basis"), ref("1/KH")])
    pred = record(DOC, references=[ref("675/KH-BCĐ", date="2025-02-18", relation="basis")])
    report = run(tmp_path, [gold], [pred])
    date = report.accuracy["references.date"]
    assert (date.correct, date.total) == (0, 1)
    assert report.accuracy["references.relation"].value == 1.0
    assert any(m.field == "references.date" and m.gold == "2025-02-19" and m.predicted == "2025-02-18"
               for m in report.docs[0].mismatches)


def test_header_wrong_value_is_a_mismatch_and_unannotated_fields_are_not_scored(tmp_path):
    pred = record(DOC, document={**gold_doc()["document"], "issuer": "Sở Thông tin và Truyền thông",
                                 "province": "Hải Dương"})
    report = run(tmp_path, [gold_doc()], [pred])
    assert report.accuracy["document.issuer"].value == 0.0
    assert "document.province" not in report.accuracy
    assert [m.field for m in report.docs[0].mismatches] == ["document.issuer"]


def test_missing_record_counts_as_a_miss_and_is_listed(tmp_path):
    other = "001_bbbbbbbbbbbbbbbb.txt"
    golds = [gold_doc(references=[ref("1/KH")]), gold_doc(other, references=[ref("2/KH")])]
    report = run(tmp_path, golds, [record(DOC, references=[ref("1/KH")]), record("999_unrelated.txt")])
    assert report.missing == [other]
    assert (report.lists["references"].tp, report.lists["references"].fn) == (1, 1)
    assert report.accuracy["document.doc_type"].correct == 0
    assert report.unmatched_records == ["999_unrelated.txt"]
    assert "Missing records: " + other in format_report(report)


def test_error_record_is_an_empty_prediction(tmp_path):
    gold = gold_doc(references=[ref("1/KH")], agencies=["Công an tỉnh"])
    broken = record(DOC, status="error", error="cannot read",
                    references=[ref("1/KH")], agencies=[{"name": "Công an tỉnh"}])
    report = run(tmp_path, [gold], [broken])
    assert report.errors == [DOC] and report.missing == []
    assert report.lists["references"].tp == 0 and report.lists["agencies"].fn == 1


def test_a_successful_read_is_preferred_over_a_failed_one(tmp_path):
    gold = gold_doc(references=[ref("1/KH")])
    records = [record("000_aaaaaaaaaaaaaaaa.docx", status="error"),
               record("/in/000_aaaaaaaaaaaaaaaa.pdf", references=[ref("1/KH")])]
    report = run(tmp_path, [gold], records)
    assert report.docs[0].source == "/in/000_aaaaaaaaaaaaaaaa.pdf"
    assert report.lists["references"].tp == 1


def test_dates_are_scored_only_when_gold_has_them(tmp_path):
    gold = gold_doc(dates=["2025-02-19", {"value": "2024-07"}])
    pred = record(DOC, dates=[{"text": "19/02/2025", "kind": "date", "value": "2025-02-19", "span": [0, 10]}])
    scores = run(tmp_path, [gold], [pred]).lists["dates"]
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 1)


def test_greedy_match_lets_strict_rules_pair_first():
    gold = ["a", "ab"]
    pred = ["ab", "a"]
    assert greedy_match(gold, pred, [lambda g, p: g == p, lambda g, p: g in p]) == [(0, 1), (1, 0)]
