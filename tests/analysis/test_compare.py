"""Cross-province comparison over real stores: composed plans of Hải Dương (2023, merged into
Hải Phòng in 2025), Lạng Sơn (2024) and Hải Phòng (2025), and the sample corpus with its copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.analysis import connect
from pipeline.analysis.compare import (
    MATRICES,
    TABLES,
    Filter,
    compare,
    compare_caption,
    compare_vocabulary,
    parse_years,
    summarise,
    write_tables,
)
from pipeline.analysis.export import limits
from pipeline.batch.run import RunOptions, run
from pipeline.cli import app
from pipeline.emit.store import write_store
from pipeline.process import process_file
from tests.review.huge_store import huge_record_store

DOCUMENTS = Path(__file__).parent / "documents" / "provinces"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
AS_OF = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def provinces_store(tmp_path_factory) -> Path:
    """A run store (with its present_documents view) of the composed provincial documents."""
    store = tmp_path_factory.mktemp("provinces") / "store"
    summary = run(RunOptions(sources=(str(DOCUMENTS),), store=store, workers=1, ocr="never"))
    assert summary.failed == 0
    return store


@pytest.fixture(scope="module")
def tables(provinces_store) -> dict[str, pd.DataFrame]:
    with connect(provinces_store) as con:
        return compare(con, Filter(), as_of=AS_OF)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    """The sample corpus as text, PDF, DOCX and legacy-font copies, plus one scanned page of
    plan 000: five plans and reports, each in several copies."""
    files = [p for folder in ("txt", "pdf", "docx", "legacy") for p in sorted((CORPUS / folder).rglob("*.*"))]
    files.append(CORPUS / "scans" / "000_afbfebe6c017741a-p6.jpg")
    store = tmp_path_factory.mktemp("sample")
    write_store([process_file(path) for path in files], store)
    return store


def _row(frame: pd.DataFrame, **values) -> pd.Series:
    found = frame
    for column, value in values.items():
        found = found[found[column] == value]
    assert len(found) == 1, f"{values}: {len(found)} rows"
    return found.iloc[0]


def test_every_table_is_returned_under_its_stable_key(tables):
    assert tuple(tables) == TABLES
    assert len(tables["documents"]) == 4


def test_a_hai_duong_plan_counts_under_hai_phong_by_its_2025_successor(provinces_store):
    with connect(provinces_store) as con:
        hai_phong = compare(con, Filter(provinces=("Hải Phòng",)), as_of=AS_OF)["documents"]
        hai_duong = compare(con, Filter(provinces=("Hải Dương",)), as_of=AS_OF)["documents"]
    assert sorted(hai_phong.province) == ["Hải Dương", "Hải Dương", "Hải Phòng"]
    assert set(hai_phong.province_2025) == {"Hải Phòng"}
    assert sorted(hai_duong.number) == ["312/BC-SLĐTBXH", "45/KH-BCĐ"]


def test_duties_are_split_by_role_and_carry_the_2025_department(tables):
    duties = tables["duties_by_agency"]
    labour = _row(duties, province="Hải Dương", agency="Sở Lao động - Thương binh và Xã hội")
    assert (labour.agency_2025, labour.province_2025) == ("Sở Nội vụ", "Hải Phòng")
    assert (labour.lead, labour.coordinate, labour.requested, labour.duties) == (1, 1, 0, 2)
    requested = _row(duties, province="Lạng Sơn", agency="Sở Lao động - Thương binh và Xã hội")
    assert (requested.requested, requested.agency_2025) == (1, "Sở Nội vụ")


def test_summary_groups_a_renamed_department_with_its_successor_only_by_2025(tables):
    by_2025 = summarise(tables, "2025")["duties_matrix"].set_index("agency_2025")
    original = summarise(tables, "original")["duties_matrix"].set_index("agency")
    assert by_2025.loc["Sở Nội vụ", "Hải Phòng"] == 4  # 2 in Hải Dương 2023 as Sở LĐTBXH, 2 in Hải Phòng 2025
    assert original.loc["Sở Nội vụ", "Hải Phòng"] == 2
    assert original.loc["Sở Lao động - Thương binh và Xã hội", "Hải Dương"] == 2


def test_central_directives_are_counted_per_province_and_provincial_ones_left_out(tables):
    directives = tables["directives_by_province"]
    decision = directives[directives.directive == "193/QĐ-TTg"]
    assert sorted(decision.province) == ["Hải Dương", "Hải Phòng", "Lạng Sơn"]
    assert set(decision.as_basis) == {1} and set(decision.central_by) == {"issuer"}
    party = _row(directives, directive="48-CT/TW")
    assert party.province == "Hải Dương" and party.directive_date == "2010-10-22"
    assert "45/KH-BCĐ" not in set(directives.directive)  # the provincial steering committee's plan
    law = directives[directives.directive_type == "Luật"]
    assert set(law.central_by) == {"type"} and len(law) == 3


def test_citation_lag_is_the_days_from_the_directive_to_the_document(tables):
    lags = tables["citation_lags"]
    plan = _row(lags, province="Hải Dương", directive="193/QĐ-TTg")
    assert plan.lag_days == (dt.date(2023, 3, 10) - dt.date(2021, 2, 9)).days and pd.isna(plan.lag_note)
    assert plan.central
    report = _row(lags, directive="45/KH-BCĐ")
    assert report.lag_days == 104 and not report.central


def test_a_partial_issue_date_gives_no_lag_and_says_why(sample_store):
    with connect(sample_store) as con:
        lags = compare(con, Filter(years=(2023, 2023), doc_types=("Kế hoạch",)), as_of=AS_OF)["citation_lags"]
    row = _row(lags, directive="555/KH-BCĐ")
    assert pd.isna(row.lag_days) and row.lag_note == "document date partial (2023-03)"


def test_deadlines_of_all_provinces_share_one_calendar(tables):
    calendar = tables["calendar"]
    due = _row(calendar, kind="deadline", province="Lạng Sơn")
    assert (due.date, due.agency, due.doc_type) == ("2024-11-30", "Phòng Văn hóa và Thông tin các huyện, thành phố", "Kế hoạch")
    assert not (calendar.kind == "duty").any()  # the duty's deadline is the same deadline, listed once


def test_topic_matches_without_accents_or_case(provinces_store):
    with connect(provinces_store) as con:
        found = compare(con, Filter(topic="HO TRO NAN NHAN"), as_of=AS_OF)["documents"]
        either = compare(con, Filter(topic="tái hòa nhập, Đài Truyền thanh"), as_of=AS_OF)["documents"]
    assert sorted(found.number) == ["301/KH-UBND", "312/BC-SLĐTBXH", "45/KH-BCĐ"]
    assert sorted(either.number) == ["312/BC-SLĐTBXH", "45/KH-BCĐ", "87/KH-STTTT"]


def test_years_and_types_filter(provinces_store):
    with connect(provinces_store) as con:
        by_year = compare(con, Filter(years=parse_years("2024-2025")), as_of=AS_OF)["documents"]
        reports = compare(con, Filter(doc_types=("báo cáo",)), as_of=AS_OF)["documents"]
    assert sorted(by_year.province) == ["Hải Phòng", "Lạng Sơn"]
    assert list(reports.number) == ["312/BC-SLĐTBXH"]


def test_a_misspelt_province_or_year_range_is_refused():
    with pytest.raises(ValueError, match="not a province: Hải Dươngg"):
        Filter(provinces=("Hải Dươngg",))
    with pytest.raises(ValueError):
        parse_years("2022 to 2025")


def test_each_sample_plan_counts_once_despite_its_copies_and_scan(sample_store):
    with connect(sample_store) as con:
        docs = compare(con, Filter(), as_of=AS_OF)["documents"]
    assert len(docs) == 5
    assert docs.doc_id.is_unique and not docs.ocr.any()
    scan = _row(docs, copies=6)  # plan 000: txt, pdf, docx, two legacy encodings and the scanned page
    assert scan.province == "Hải Dương"


def test_sample_hai_duong_plans_are_also_under_hai_phong(sample_store):
    with connect(sample_store) as con:
        docs = compare(con, Filter(provinces=("Hải Phòng",)), as_of=AS_OF)["documents"]
    assert len(docs) == 2 and set(docs.province) == {"Hải Dương"} and set(docs.province_2025) == {"Hải Phòng"}


def test_tables_are_written_as_csv_with_bom_and_parquet(tables, tmp_path):
    write_tables(tables, tmp_path)
    raw = (tmp_path / "duties_by_agency.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Sở Nội vụ".encode() in raw
    back = pd.read_parquet(tmp_path / "duties_by_agency.parquet")
    assert len(back) == len(tables["duties_by_agency"]) and isinstance(back.doc_ids.iloc[0].tolist(), list)
    csv = pd.read_csv(tmp_path / "directives_by_province.csv", encoding="utf-8-sig")
    assert csv.columns[0] == "Văn bản chỉ đạo (số, ký hiệu hoặc tên)"
    assert pd.read_parquet(tmp_path / "directives_by_province.parquet").columns[0] == "directive"


def test_cli_writes_tables_and_matrices_and_refuses_an_unknown_province(provinces_store, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    done = runner.invoke(app, ["compare", "--store", str(provinces_store), "--out", str(out),
                               "--province", "Hải Phòng", "--by", "2025", "--as-of", "2026-01-01"])
    assert done.exit_code == 0, done.output
    assert "3 documents: Hải Phòng 3" in done.output
    assert {p.stem for p in out.glob("*.csv")} >= {*TABLES, "duties_matrix", "followthrough_matrix"}
    matrix = pd.read_csv(out / "followthrough_matrix.csv", encoding="utf-8-sig")
    assert list(matrix[compare_caption("province_2025")]) == ["Hải Phòng"] and matrix.loc[0, "2023-H1"] == "trễ hạn (late)"
    assert pd.read_parquet(out / "followthrough_matrix.parquet").loc[0, "2023-H1"] == "late"
    refused = runner.invoke(app, ["compare", "--store", str(provinces_store), "--out", str(out), "--province", "Atlantis"])
    assert refused.exit_code == 2


def test_a_filter_that_keeps_nothing_gives_empty_tables_with_their_columns(provinces_store):
    with connect(provinces_store) as con:
        empty = compare(con, Filter(topic="không có văn bản nào"), as_of=AS_OF)
    assert all(frame.empty for frame in empty.values())
    assert {"agency_2025", "lead", "requested"} <= set(empty["duties_by_agency"].columns)
    assert {"status", "due", "province_2025"} <= set(empty["followthrough"].columns)
    assert summarise(empty, "2025")["followthrough_matrix"].columns.tolist() == ["province_2025"]


# --------------------------------------------------------------------------- CSV for Excel users


@pytest.fixture(scope="module")
def written(tables, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("written")
    write_tables({**tables, **summarise(tables, "2025")}, out)
    return out


def test_the_summary_matrices_are_the_ones_summarise_makes(tables):
    assert tuple(summarise(tables)) == MATRICES


def test_every_compare_column_has_a_vietnamese_caption_in_the_csv(tables, written):
    """A matrix's columns after the first are provinces or periods: values, not captions."""
    for name, frame in {**tables, **summarise(tables, "2025")}.items():
        header = list(pd.read_csv(written / f"{name}.csv", encoding="utf-8-sig", nrows=0).columns)
        named = frame.columns[:1] if name in MATRICES else frame.columns
        for column, shown in zip(named, header):
            assert compare_caption(column), f"{name}.{column} has no caption"
            assert shown == compare_caption(column)
        if name in MATRICES:
            assert header[1:] == [str(c) for c in frame.columns[1:]]


def test_every_coded_value_of_the_comparison_has_a_vietnamese_caption(tables, sample_store):
    """A new status, requirement or kind fails here until captions.yaml gives it Vietnamese."""
    with connect(sample_store) as con:
        sample = compare(con, Filter(), as_of=AS_OF)
    checked = 0
    for each in (tables, sample):
        for name, frame in each.items():
            for column in frame.columns:
                codes = compare_vocabulary(column)
                if codes is None:
                    continue
                found = set(frame[column].dropna())
                assert found <= set(codes), f"{name}.{column}: no caption for {sorted(found - set(codes))}"
                checked += len(found)
    assert checked >= 8


def test_coded_values_read_in_vietnamese_with_their_code_in_the_csv(written):
    follow = pd.read_csv(written / "followthrough.csv", encoding="utf-8-sig")
    statuses = set(follow[compare_caption("status")])
    assert "trễ hạn (late)" in statuses and not statuses & {"late", "missing", "on time"}
    assert {"6 tháng (semiannual)", "theo thời hạn (deadline)"} <= set(follow[compare_caption("requirement")])
    calendar = pd.read_csv(written / "calendar.csv", encoding="utf-8-sig")
    assert set(calendar[compare_caption("kind")]) <= {"thời hạn (deadline)", "đợt, giai đoạn (period)", "hạn của nhiệm vụ (duty)"}
    directives = pd.read_csv(written / "directives_by_province.csv", encoding="utf-8-sig")
    assert "cơ quan ban hành (issuer)" in set(directives[compare_caption("central_by")])


def test_a_multi_megabyte_title_gives_small_comparison_files_with_cut_cells(tmp_path):
    store = huge_record_store(tmp_path / "huge")
    with connect(store) as con:
        found = compare(con, Filter(), as_of=AS_OF)
    assert found["documents"].title.str.len().max() <= limits()["short_columns"]["chars"]  # read cut, not copied whole per row
    out = tmp_path / "out"
    write_tables({**found, **summarise(found)}, out)
    assert sum(p.stat().st_size for p in out.iterdir()) < 1_000_000
    for path in out.glob("*.csv"):
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
        assert frame.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy().max(initial=0) <= limits()["cells"]["csv"], path.name
    titles = pd.read_parquet(out / "documents.parquet").title
    assert titles.str.len().max() <= limits()["short_columns"]["chars"]
    assert titles.str.contains("đã cắt bớt").sum() == 1
