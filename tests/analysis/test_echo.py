"""Echo over a store built from composed plans: a province plan (Quảng Bình, 120/KH-UBND of
2025) and two department plans implementing it. The Sở Tư pháp rewords two of its three
duties, drops the third and adds two of its own; the Sở Nội vụ, which took over the Sở Lao
động - Thương binh và Xã hội in March 2025, rewords two of that department's three duties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.analysis.echo import agency_keys, echo, echoes, similarities
from pipeline.cli import app
from pipeline.emit.store import write_store
from pipeline.process import process_file
from pipeline.rules import load_model

CASCADE = Path(__file__).parent / "documents" / "cascade"

# Duties as a province plan assigns them, and as a lower plan rewrites them (composed in the
# genre's style; the first four are the cascade documents' own).
REWORDED = [
    ("Chủ trì, phối hợp với Hội đồng Phối hợp phổ biến, giáo dục pháp luật tỉnh tổ chức tuyên truyền, phổ biến Luật Phòng, chống mua bán người năm 2024 cho cán bộ, công chức và Nhân dân.",
     "Tham mưu Giám đốc Sở phối hợp với Hội đồng Phối hợp phổ biến, giáo dục pháp luật tỉnh tổ chức tuyên truyền, phổ biến các quy định của Luật Phòng, chống mua bán người năm 2024 đến cán bộ, công chức, viên chức và Nhân dân trên địa bàn tỉnh."),
    ("Rà soát các văn bản quy phạm pháp luật của tỉnh liên quan đến phòng, chống mua bán người, kịp thời đề xuất sửa đổi, bổ sung cho phù hợp với Luật Phòng, chống mua bán người năm 2024.",
     "Chủ trì rà soát văn bản quy phạm pháp luật do tỉnh ban hành có nội dung liên quan đến phòng, chống mua bán người; đề xuất sửa đổi, bổ sung kịp thời để bảo đảm phù hợp với Luật Phòng, chống mua bán người năm 2024."),
    ("Tăng cường thanh tra, kiểm tra các doanh nghiệp, tổ chức hoạt động dịch vụ đưa người lao động đi làm việc ở nước ngoài theo hợp đồng, xử lý nghiêm các vi phạm.",
     "Đẩy mạnh công tác thanh tra, kiểm tra doanh nghiệp và tổ chức làm dịch vụ đưa người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng; kiên quyết xử lý các sai phạm."),
    ("Lồng ghép nội dung phòng, chống mua bán người vào các chương trình giảm nghèo, giáo dục nghề nghiệp và giải quyết việc làm.",
     "Lồng ghép nội dung phòng, chống mua bán người trong các chương trình giải quyết việc làm, giáo dục nghề nghiệp và giảm nghèo của tỉnh."),
    ("Chỉ đạo các cơ sở giáo dục lồng ghép nội dung phòng, chống mua bán người vào chương trình giáo dục kỹ năng sống cho học sinh.",
     "Hướng dẫn các trường học đưa nội dung phòng, chống mua bán người vào các tiết giáo dục kỹ năng sống cho học sinh."),
    ("Tăng cường tuần tra, kiểm soát khu vực biên giới, đường mòn, lối mở; kịp thời phát hiện, ngăn chặn việc xuất cảnh trái phép.",
     "Đẩy mạnh tuần tra, kiểm soát trên các đường mòn, lối mở khu vực biên giới để ngăn chặn kịp thời các trường hợp xuất cảnh trái phép."),
    ("Bố trí kinh phí thực hiện Kế hoạch từ nguồn ngân sách nhà nước theo phân cấp hiện hành.",
     "Tham mưu bố trí kinh phí từ nguồn ngân sách nhà nước để thực hiện Kế hoạch theo phân cấp quản lý ngân sách."),
    ("Tổ chức mít tinh, diễu hành hưởng ứng Ngày toàn dân phòng, chống mua bán người 30/7.",
     "Tổ chức lễ mít tinh và diễu hành hưởng ứng Ngày toàn dân phòng, chống mua bán người (30/7) tại trung tâm huyện."),
    ("Tiếp nhận, xác minh, bảo vệ và hỗ trợ nạn nhân bị mua bán trở về theo quy định.",
     "Làm tốt công tác tiếp nhận, xác minh và hỗ trợ nạn nhân bị mua bán trở về địa phương theo đúng quy định."),
    ("Định kỳ 6 tháng, năm báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh.",
     "Báo cáo kết quả thực hiện định kỳ 6 tháng và hằng năm gửi Ủy ban nhân dân tỉnh."),
    ("Kiểm tra các cơ sở kinh doanh dịch vụ karaoke, massage, nhà nghỉ để phát hiện hoạt động mại dâm, mua bán người.",
     "Thường xuyên kiểm tra các cơ sở kinh doanh karaoke, xoa bóp, nhà nghỉ nhằm kịp thời phát hiện hành vi mại dâm, mua bán người."),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cascade")
    records = [process_file(path) for path in sorted(CASCADE.glob("*.txt"))]
    assert all(r.status == "ok" for r in records)
    write_store(records, folder / "store")
    return folder / "store"


def _texts(duties) -> list[str]:
    return [d.text[:40] for d in duties]


def test_reworded_duties_score_above_the_threshold_and_others_below():
    """The measurement of the module docstring, kept: each rewording is its parent's best
    match and clears the threshold; no unrelated pair clears the other-agency threshold."""
    rules = load_model("echo")
    scores = similarities([p for p, _ in REWORDED], [c for _, c in REWORDED])
    reworded = np.diag(scores)
    unrelated = scores[~np.eye(len(REWORDED), dtype=bool)]
    assert (scores.argmax(axis=1) == np.arange(len(REWORDED))).all()
    assert reworded.min() >= rules["threshold"]
    assert unrelated.max() < rules["threshold_other_agency"]


def test_department_plan_passes_on_reworded_duties_drops_one_and_adds_its_own(con, doc_ids):
    found = echo(con, doc_ids["qb_2025_stp_child"])
    assert found.parent_doc_id == doc_ids["qb_2025_ubnd_120"]
    assert found.scope == "Sở Tư pháp"
    assert [(p.text[:20], c.text[:20]) for p, c, _ in found.passed] == [
        ("Chủ trì, phối hợp vớ", "Tham mưu Giám đốc Sở"),
        ("Rà soát các văn bản ", "Chủ trì rà soát văn "),
    ]
    assert all(score >= 0.45 for _, _, score in found.passed)
    assert [d.text[:30] for d in found.dropped] == ["Hướng dẫn Ủy ban nhân dân cấp "]
    assert [d.agency for d in found.added] == ["Trung tâm Trợ giúp pháp lý nhà nước", "Văn phòng Sở"]


def test_the_2025_successor_takes_up_the_merged_departments_share(con, doc_ids):
    """Sở Nội vụ implements the duties the parent gave the Sở Lao động - Thương binh và Xã hội."""
    found = echo(con, doc_ids["qb_2025_snv_child"])
    assert found.scope == "Sở Lao động - Thương binh và Xã hội"
    assert [p.text[:25] for p, _, _ in found.passed] == ["Tăng cường thanh tra, kiể", "Lồng ghép nội dung phòng,"]
    assert [d.text[:25] for d in found.dropped] == ["Chủ trì tổ chức tiếp nhận"]
    assert len(found.added) == 2


def test_agencies_compare_by_base_name_and_2025_successor():
    assert agency_keys("Sở Lao động - Thương binh và Xã hội tỉnh Quảng Bình") & agency_keys("Sở Nội vụ")
    assert agency_keys("Sở Tư pháp tỉnh Quảng Bình") & agency_keys("Sở Tư pháp")
    assert not agency_keys("Sở Tư pháp") & agency_keys("Sở Nội vụ")
    assert len(agency_keys("Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh")) == 2


def test_echoes_pairs_every_plan_with_its_parent_plan_and_skips_reports(con, doc_ids):
    pairs = {(e.parent_doc_id, e.child_doc_id) for e in echoes(con)}
    parent = doc_ids["qb_2025_ubnd_120"]
    assert pairs == {(parent, doc_ids["qb_2025_stp_child"]), (parent, doc_ids["qb_2025_snv_child"])}


def test_a_plan_without_a_parent_in_the_store_has_no_echo(con, doc_ids):
    with pytest.raises(LookupError, match="no plan of the store"):
        echo(con, doc_ids["qb_2025_ubnd_120"])


def test_echo_command_prints_the_comparison_and_writes_csv(store, tmp_path, doc_ids):
    out = tmp_path / "echo.csv"
    result = CliRunner().invoke(app, ["echo", "--store", str(store), "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "(dropped)" in result.output and "(added)" in result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    counts = table.groupby(["child_doc_id", "status"]).size().to_dict()
    child = doc_ids["qb_2025_stp_child"]
    assert (counts[(child, "passed")], counts[(child, "dropped")], counts[(child, "added")]) == (2, 1, 2)


def test_echo_command_for_a_plan_without_parent_exits_2(store, doc_ids):
    result = CliRunner().invoke(app, ["echo", "--store", str(store), "--doc", doc_ids["ht_2025_ubnd_120"]])
    assert result.exit_code == 2
