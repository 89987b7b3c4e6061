"""The matching rules of each list and the header's keys, on hand-made gold."""

from __future__ import annotations

from tests.evaluate.conftest import DOC, gold_doc, record, ref, run


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
