"""Scoring against hand-made gold: exact numbers, and the name rules a careful reader applies."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import (
    EvalInputError,
    evaluate,
    format_report,
    greedy_match,
    name_key,
    number_key,
    read_records,
    texts_start_alike,
)

DOC = "000_aaaaaaaaaaaaaaaa.txt"


def gold_doc(doc: str = DOC, **lists) -> dict:
    return {
        "doc": doc,
        "document": {
            "doc_type": "Kế hoạch",
            "number": "675/KH-BCĐ",
            "symbol": None,
            "title": "Tổ chức hưởng ứng “Ngày toàn dân phòng, chống mua bán người 30/7” năm 2025",
            "issuer": "Sở Văn hóa, Thể thao và Du lịch",
            "year": 2025,
            "signer_authority": "KT. Giám đốc",
            "issue_date": None,
        },
        **lists,
    }


def record(source: str, status: str = "ok", **fields) -> dict:
    return {"doc_id": "x", "source": source, "sha256": "0" * 64, "status": status, "error": None, **fields}


def run(tmp_path, golds: list[dict], records: list[dict]):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for gold in golds:
        (gold_dir / gold["doc"].replace(".txt", ".json")).write_text(
            json.dumps(gold, ensure_ascii=False), encoding="utf-8"
        )
    records_path = tmp_path / "records.jsonl"
    records_path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return evaluate(gold_dir, records_path)


def ref(number, title=None, **extra) -> dict:
    return {"type": "Kế hoạch", "number": number, "date": None, "issuer": None, "relation": "cited",
            "title": title, **extra}


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


def test_law_named_by_title_matches_by_folded_containment(tmp_path):
    gold = gold_doc(references=[ref(None, "Luật phòng, chống mua bán người", type="Luật")])
    pred = record(DOC, references=[ref(None, "Luật Phòng, chống mua bán người năm 2011", type="Luật")])
    assert run(tmp_path, [gold], [pred]).lists["references"].tp == 1


def test_law_title_does_not_match_a_different_law(tmp_path):
    gold = gold_doc(references=[ref(None, "Luật Trợ giúp pháp lý", type="Luật")])
    pred = record(DOC, references=[ref(None, "Luật Ngân sách nhà nước", type="Luật")])
    scores = run(tmp_path, [gold], [pred]).lists["references"]
    assert (scores.tp, scores.fp, scores.fn) == (0, 1, 1)


def test_header_names_ignore_tone_placement_case_quotes_and_spacing(tmp_path):
    gold = gold_doc()
    pred = record(
        "000_aaaaaaaaaaaaaaaa.pdf",
        document={
            "doc_type": "KẾ HOẠCH",
            "number": "675 / KH-BCD",
            "symbol": None,
            "title": 'Tổ chức hưởng ứng "Ngày toàn dân phòng, chống mua bán người 30/7" năm 2025.',
            "issuer": "SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH",
            "year": "2025",
            "signer_authority": "KT.GIÁM ĐỐC",
            "issue_date": None,
        },
    )
    report = run(tmp_path, [gold], [pred])
    assert {k: a.value for k, a in report.accuracy.items()} == {
        f"document.{k}": 1.0 for k in gold["document"]
    }
    assert report.docs[0].mismatches == []


def test_header_wrong_value_is_a_mismatch_and_unannotated_fields_are_not_scored(tmp_path):
    pred = record(DOC, document={**gold_doc()["document"], "issuer": "Sở Thông tin và Truyền thông",
                                 "province": "Hải Dương"})
    report = run(tmp_path, [gold_doc()], [pred])
    assert report.accuracy["document.issuer"].value == 0.0
    assert "document.province" not in report.accuracy
    assert [m.field for m in report.docs[0].mismatches] == ["document.issuer"]


def test_name_key_rules():
    assert name_key("Sở Văn hoá, Thể thao và Du lịch") == name_key("sở văn hóa,  thể thao và du lịch")
    assert name_key("Sở Lao động – Thương binh và Xã hội") == name_key("Sở Lao động-Thương binh và Xã hội")
    assert name_key("‘Ngày 30/7’") == name_key("'Ngày 30/7'")
    assert name_key("KT. Giám đốc") == name_key("KT.GIÁM ĐỐC")
    assert name_key("Sở Tư pháp") != name_key("Sở Tài chính")
    assert number_key("1614/STTTT-TTBCXB") == number_key("1614 /STTTT–TTBCXB")
    assert number_key("675/KH-BCĐ") != number_key("675/KH-BCĐ138")


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


def duty(agency, text, role="lead", section="II.1") -> dict:
    return {"agency": agency, "section": section, "role": role, "text": text}


def gold_duty(agency, text_start, role="lead", section="II.1") -> dict:
    return {"agency": agency, "section": section, "role": role, "text_start": text_start}


def test_duties_match_by_agency_and_text_start(tmp_path):
    gold = gold_doc(duties=[
        gold_duty("Công an tỉnh", "Tiếp tục triển khai, thực hiện kế hoạch công tác phòng, chống mua bán người"),
        gold_duty("Công an tỉnh", "Phối hợp với các sở, ngành, cơ quan báo chí", role="coordinate"),
        gold_duty("Văn phòng Sở", "đăng tải công khai Kế hoạch trên Trang thông tin điện tử của Sở"),
        gold_duty("Sở Tư pháp", "Chủ trì, phối hợp với các đơn vị, địa phương tiếp tục rà soát"),
    ])
    pred = record(DOC, duties=[
        duty("Công an tỉnh", "Tiếp tục triển khai, thực hiện kế hoạch công tác phòng chống tội phạm năm 2024."),
        duty("Công an tỉnh", "Phối hợp với các sở, ngành, cơ quan báo chí, truyền thông", role="lead"),
        duty("Văn phòng Sở", "Văn phòng Sở đăng tải công khai Kế hoạch trên Trang thông tin điện tử của Sở."),
        duty("Sở Tài chính", "Chủ trì, phối hợp với các đơn vị, địa phương tiếp tục rà soát"),
        duty("Công an tỉnh", "Tập trung làm tốt công tác phòng ngừa"),
    ])
    report = run(tmp_path, [gold], [pred])
    scores = report.lists["duties"]
    assert (scores.tp, scores.fp, scores.fn) == (3, 2, 1)
    role = report.accuracy["duties.role"]
    assert (role.correct, role.total) == (2, 3)


def test_duty_text_start_may_begin_at_giao_or_after_the_name():
    agencies = ("Công an tỉnh",)
    assert texts_start_alike("Giao Công an tỉnh chủ trì, phối hợp với các sở tổ chức",
                             "chủ trì, phối hợp với các sở tổ chức kiểm tra", agencies)
    assert texts_start_alike("chủ trì, phối hợp với các sở tổ chức",
                             "Giao Công an tỉnh chủ trì, phối hợp với các sở tổ chức kiểm tra", agencies)
    assert texts_start_alike("Thực hiện xã hội hoá công tác truyền thông nhằm huy động",
                             "- Thực hiện xã hội hóa công tác truyền thông nhằm huy động sức mạnh", agencies)
    assert not texts_start_alike("Tăng cường công tác giám sát, thanh tra, kiểm tra đối với",
                                 "Tăng cường công tác tuyên truyền, thanh tra, kiểm tra đối với", agencies)


def test_duty_agency_may_contain_the_gold_one(tmp_path):
    gold = gold_doc(duties=[gold_duty("Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh",
                                      "Đẩy mạnh công tác truy tố, xét xử tội phạm mua bán người", role="requested")])
    pred = record(DOC, duties=[duty("Viện Kiểm sát nhân dân tỉnh",
                                    "Đẩy mạnh công tác truy tố, xét xử tội phạm mua bán người", role="requested")])
    assert run(tmp_path, [gold], [pred]).lists["duties"].tp == 1


def test_periods_deadlines_recurring_and_agencies(tmp_path):
    gold = gold_doc(
        periods=[{"what": "đợt cao điểm", "start": "2024-07-01", "end": "2024-09-30"},
                 {"what": "giai đoạn", "start": "2021", "end": "2025"}],
        deadlines=[{"agency": "Các sở, ngành", "task": "báo cáo", "due": "2024-08-07"}],
        recurring_reports=[{"agency": "Các phòng", "frequency": "quarterly", "due_day": "16/3, 16/9", "to": None},
                           {"agency": "Các phòng", "frequency": "ad hoc", "due_day": None, "to": None}],
        agencies=["Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh", "Tỉnh ủy"],
    )
    pred = record(
        DOC,
        periods=[{"what": "x", "start": "2024-07-01", "end": "2024-09-30"},
                 {"what": "x", "start": "2021", "end": "2026"}],
        deadlines=[{"agency": "Các sở, ngành, cơ quan", "task": "báo cáo", "due": "2024-08-07"}],
        recurring_reports=[{"agency": "Các phòng", "frequency": "quarterly", "due_day": "16/09,16/03"},
                           {"agency": "Các phòng", "frequency": "ad-hoc", "due_day": None}],
        agencies=[{"name": "SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH"}, {"name": "Công an tỉnh"},
                  {"name": "Công an tỉnh"}, {"name": "Bộ Công an"}],
    )
    report = run(tmp_path, [gold], [pred])
    counts = {k: (s.tp, s.fp, s.fn) for k, s in report.lists.items()}
    assert counts["periods"] == (1, 1, 1)
    assert counts["deadlines"] == (1, 0, 0)
    assert report.accuracy["deadlines.agency"].value == 1.0
    assert counts["recurring_reports"] == (2, 0, 0)
    assert counts["agencies"] == (2, 1, 1)
    assert "dates" not in report.lists


def test_dates_are_scored_only_when_gold_has_them(tmp_path):
    gold = gold_doc(dates=["2025-02-19", {"value": "2024-07"}])
    pred = record(DOC, dates=[{"text": "19/02/2025", "kind": "date", "value": "2025-02-19", "span": [0, 10]}])
    scores = run(tmp_path, [gold], [pred]).lists["dates"]
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 1)


def test_greedy_match_lets_strict_rules_pair_first():
    gold = ["a", "ab"]
    pred = ["ab", "a"]
    assert greedy_match(gold, pred, [lambda g, p: g == p, lambda g, p: g in p]) == [(0, 1), (1, 0)]


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


# --------------------------------------------------------------------------- vnplan eval and its input

runner = CliRunner()


def said(result) -> str:
    """The command's output with typer's error box and line wrapping taken out."""
    return " ".join(result.output.replace("│", " ").split())


@pytest.fixture
def gold_dir(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "000_aaaaaaaaaaaaaaaa.json").write_text(json.dumps(gold_doc(references=[ref("1/KH")]), ensure_ascii=False), encoding="utf-8")
    return folder


def records_file(tmp_path, *lines: str):
    path = tmp_path / "records.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = json.dumps(record(DOC, references=[ref("1/KH")]), ensure_ascii=False)


def test_eval_scores_a_records_file(gold_dir, tmp_path):
    result = runner.invoke(app, ["eval", str(gold_dir), str(records_file(tmp_path, GOOD)), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lists"]["references"]["f1"] == 1.0


def test_eval_reads_the_records_from_stdin_for_a_dash(gold_dir):
    result = runner.invoke(app, ["eval", str(gold_dir), "-", "--json"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["missing"] == [] and scores["lists"]["references"]["tp"] == 1


@pytest.mark.parametrize("lines,message", [
    ([GOOD, "{not json"], "records.jsonl:2: not a JSON record"),
    (["[1, 2]"], "records.jsonl:1: a record is a JSON object, not an array"),
    (["", '"text"'], "records.jsonl:2: a record is a JSON object, not a string"),
    ([json.dumps({"source": DOC})], "records.jsonl:1: the record has no doc_id"),
    ([GOOD, json.dumps({"doc_id": "x", "source": ""})], "records.jsonl:2: the record has no source"),
    ([json.dumps({"status": "ok"})], "records.jsonl:1: the record has no doc_id and no source"),
])
def test_a_malformed_records_file_exits_2_naming_the_file_and_line(gold_dir, tmp_path, lines, message):
    result = runner.invoke(app, ["eval", str(gold_dir), str(records_file(tmp_path, *lines))])
    assert result.exit_code == 2
    assert message in said(result)
    assert result.stdout == ""


def test_records_on_stdin_are_named_stdin_in_an_error(gold_dir):
    result = runner.invoke(app, ["eval", str(gold_dir), "-"], input=GOOD + "\nnull\n")
    assert result.exit_code == 2
    assert "stdin:2: a record is a JSON object, not null" in said(result)


def test_records_that_are_not_utf8_exit_2_naming_the_line(gold_dir, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_bytes(GOOD.encode() + b'\n{"source": "H\xe1i"}\n')  # "Hái" in Latin-1
    result = runner.invoke(app, ["eval", str(gold_dir), str(path)])
    assert result.exit_code == 2
    assert "records.jsonl:2: not UTF-8 text" in said(result)


def test_a_byte_order_mark_and_blank_lines_are_not_errors():
    assert read_records([b"\xef\xbb\xbf" + GOOD.encode() + b"\n", b"\n", b"  \n"], "r.jsonl")[0]["source"] == DOC


def test_a_folder_without_gold_files_exits_2(tmp_path):
    empty = tmp_path / "gold"
    empty.mkdir()
    (empty / "notes.txt").write_text("no gold here", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(empty), str(records_file(tmp_path, GOOD))])
    assert result.exit_code == 2
    assert f"{empty}: no gold files (*.json)" in said(result)


def test_a_gold_file_that_is_not_json_exits_2_naming_it(gold_dir, tmp_path):
    (gold_dir / "bad.json").write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold_dir), str(records_file(tmp_path, GOOD))])
    assert result.exit_code == 2
    assert f"{gold_dir / 'bad.json'}: not a gold JSON file" in said(result)
    with pytest.raises(EvalInputError, match="bad.json"):
        evaluate(gold_dir, tmp_path / "records.jsonl")


def test_a_missing_gold_folder_or_records_file_exits_2(gold_dir, tmp_path):
    no_records = runner.invoke(app, ["eval", str(gold_dir), str(tmp_path / "none.jsonl")])
    no_gold = runner.invoke(app, ["eval", str(tmp_path / "none"), str(records_file(tmp_path, GOOD))])
    assert (no_records.exit_code, no_gold.exit_code) == (2, 2)
    assert "none.jsonl" in said(no_records) and "does not exist" in said(no_gold)
