"""Report follow-through: due reports of composed provincial plans against the reports in the
store, and the reporting cycle of a sample plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pipeline.analysis import connect
from pipeline.analysis.compare import Filter, compare
from pipeline.analysis.followthrough import Due, Report, due_dates, match, period_label
from pipeline.batch.run import RunOptions, run
from pipeline.emit.store import write_store
from pipeline.process import process_file

DOCUMENTS = Path(__file__).parent / "documents" / "provinces"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def provinces_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("provinces") / "store"
    assert run(RunOptions(sources=(str(DOCUMENTS),), store=store, workers=1, ocr="never")).failed == 0
    return store


def _follow(store: Path, as_of: dt.date, filter: Filter | None = None) -> pd.DataFrame:
    with connect(store) as con:
        return compare(con, filter, as_of=as_of)["followthrough"]


def _status(table: pd.DataFrame, province: str, period: str) -> pd.Series:
    rows = table[(table.province == province) & (table.period == period)]
    assert len(rows) == 1, f"{province} {period}: {len(rows)} rows"
    return rows.iloc[0]


def test_a_report_issued_after_its_due_date_is_late(provinces_store):
    table = _follow(provinces_store, dt.date(2024, 1, 31))
    half = _status(table, "Hải Dương", "2023-H1")
    assert (half.requirement, half.due, half.status, half.days_late) == ("semiannual", "2023-06-15", "late", 7)
    assert half.report_date == "2023-06-22" and half.report_title.startswith("Kết quả hỗ trợ nạn nhân")
    assert half.province_2025 == "Hải Phòng"


def test_a_due_report_nobody_sent_is_missing_once_its_day_has_passed(provinces_store):
    table = _follow(provinces_store, dt.date(2024, 1, 31))
    year = _status(table, "Hải Dương", "2023")
    assert (year.status, year.days_late) == ("missing", (dt.date(2024, 1, 31) - dt.date(2023, 12, 15)).days)
    assert pd.isna(year.report_doc_id)
    before = _follow(provinces_store, dt.date(2023, 12, 1))
    assert _status(before, "Hải Dương", "2023").status == "not yet due"


def test_a_province_whose_report_is_missing_shows_in_the_matrix(provinces_store):
    table = _follow(provinces_store, dt.date(2025, 1, 1))
    lang_son = _status(table, "Lạng Sơn", "2024-11-30")
    assert (lang_son.requirement, lang_son.status) == ("deadline", "missing")
    assert set(table.province) == {"Hải Dương", "Lạng Sơn"}  # the Hải Phòng plan asks for no report


def test_a_filtered_plan_still_finds_reports_outside_the_filter(provinces_store):
    plans_only = _follow(provinces_store, dt.date(2024, 1, 31), Filter(doc_types=("Kế hoạch",)))
    assert _status(plans_only, "Hải Dương", "2023-H1").status == "late"


def test_a_cycle_repeated_in_a_sample_plan_is_asked_once(tmp_path):
    plan = process_file(next((CORPUS / "txt").glob("004_*.txt")))
    write_store([plan], tmp_path)
    table = _follow(tmp_path, dt.date(2026, 1, 1))
    assert list(table.due) == ["2023-03-16", "2023-06-16", "2023-09-16", "2023-12-16"]
    assert list(table.period) == ["2023-Q1", "2023-H1", "2023-Q3", "2023"]
    assert set(table.status) == {"missing"} and set(table.province) == {"Hải Dương"}


def test_due_dates_of_a_cycle_fall_in_the_plan_year():
    assert due_dates("16/3, 16/9", 2023) == [dt.date(2023, 3, 16), dt.date(2023, 9, 16)]
    assert len(due_dates("20", 2024)) == 12 and due_dates("20", 2024)[1] == dt.date(2024, 2, 20)
    assert due_dates("16/3", None) == [] and due_dates(None, 2023) == []


def test_period_labels_follow_the_cycle():
    day = dt.date(2023, 9, 16)
    assert [period_label(kind, day) for kind in ("quarterly", "semiannual", "annual", "monthly", "deadline")] == [
        "2023-Q3", "2023-H2", "2023", "2023-09", "2023-09-16",
    ]


def _due(day: str) -> Due:
    return Due("quarterly", None, None, dt.date.fromisoformat(day), day)


def _report(name: str, day: str | None) -> Report:
    return Report(name, None, dt.date.fromisoformat(day) if day else None, day)


def test_each_due_date_takes_the_first_report_after_the_previous_one():
    dues = [_due("2023-03-16"), _due("2023-06-16"), _due("2023-09-16")]
    reports = [_report("q2", "2023-06-10"), _report("q1", "2023-03-20")]
    found = [(due.due.isoformat(), report.doc_id if report else None, status) for due, report, status, _ in match(dues, reports, dt.date(2023, 12, 1))]
    assert found == [("2023-03-16", "q1", "late"), ("2023-06-16", "q2", "on time"), ("2023-09-16", None, "missing")]


def test_an_undated_report_fills_an_open_due_date_and_extra_reports_are_listed():
    dues = [_due("2023-03-16")]
    found = list(match(dues, [_report("undated", None), _report("early", "2023-01-05"), _report("again", "2023-02-01")], dt.date(2023, 12, 1)))
    assert [(r.doc_id, s) for _, r, s, _ in found] == [("early", "on time"), ("again", "received"), ("undated", "received")]
    assert found[1][0] is None
