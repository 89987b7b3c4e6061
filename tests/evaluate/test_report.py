"""The report as text and as JSON."""

from __future__ import annotations

import json

from pipeline.evaluate.report import format_report
from tests.evaluate.conftest import DOC, gold_doc, record, ref, run


def test_report_text_and_dict(tmp_path):
    gold = gold_doc(references=[ref("1/KH"), ref("2/KH")])
    report = run(tmp_path, [gold], [record(DOC, references=[ref("1/KH"), ref("3/KH")])])
    text = format_report(report, per_doc=True)
    assert "references" in text and "0.500" in text
    assert "missed" in text and "2/KH" in text and "extra" in text and "3/KH" in text
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["lists"]["references"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert data["docs"][0]["status"] == "ok"


def test_one_gold_document_is_counted_in_the_singular(tmp_path):
    report = run(tmp_path, [gold_doc()], [record(DOC)])
    assert format_report(report).startswith("1 gold document: 1 with a record (0 failed), 0 missing")


def test_the_header_fields_mean_is_printed_under_their_table(tmp_path):
    gold = gold_doc()
    predicted = {**gold["document"], "number": "676/KH-BCĐ"}  # one of the seven scored fields wrong
    report = run(tmp_path, [gold], [record(DOC, document=predicted)])
    header = {k: a for k, a in report.accuracy.items() if k.startswith("document.") and a.value is not None}
    expected = sum(a.value for a in header.values()) / len(header)
    assert expected < 1
    assert f"mean of the {len(header)} header fields: {expected:.3f}" in format_report(report)
