"""Report follow-through: which reports a plan or request asked for, which came, which late.

A plan asks for reports by a reporting cycle ("Định kỳ báo cáo quý (trước 16/3 và
16/9) …", ``recurring_reports``) or by a deadline whose task is a report ("báo cáo kết
quả thực hiện trước ngày 07/8/2024", ``deadlines``). A report answers the document its
basis reference resolves to (``graph.resolve_references``: "Thực hiện Kế hoạch số
555/KH-SVHTTDL …"). Each due date of each province is matched with at most one report:
the first one issued after the previous due date, late if after its own.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pandas as pd
import regex

from pipeline.analysis.graph import issuer_level, resolve_references
from pipeline.rules import compiled, load_model
from pipeline.text import fold

COLUMNS = [
    "plan_doc_id", "plan_type", "plan_title", "plan_issuer", "plan_issue_date",
    "province", "province_2025", "requirement", "agency", "to", "period", "due", "status",
    "report_doc_id", "report_title", "report_date", "days_late",
]
_FULL_DATE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_MONTH = regex.compile(r"^\s*(\d{1,2})(?:/(\d{1,2}))?\s*$")


@functools.cache
def _rules() -> dict:
    return load_model("compare")["followthrough"]


@dataclass(frozen=True)
class Due:
    """One report a plan asks of a province: its cycle (or "deadline") and due date."""

    requirement: str
    agency: str | None
    to: str | None
    due: dt.date | None
    period: str | None


@dataclass(frozen=True)
class Report:
    doc_id: str
    title: str | None
    issued: dt.date | None
    issue_date: str | None


def _date(value: object) -> dt.date | None:
    """A full ISO date; a partial one ("2023-03") cannot be compared with a due day."""
    return dt.date.fromisoformat(value) if isinstance(value, str) and _FULL_DATE.match(value) else None


def period_label(requirement: str, due: dt.date) -> str:
    """The period a due date closes: "2023-Q1", "2023-H2", "2023", "2023-03", or the date."""
    unit = _rules()["periods"].get(requirement)
    if unit == "quarter":
        return f"{due.year}-Q{(due.month - 1) // 3 + 1}"
    if unit == "half":
        return f"{due.year}-H{1 if due.month <= 6 else 2}"
    if unit == "year":
        return str(due.year)
    if unit == "month":
        return f"{due.year}-{due.month:02d}"
    return due.isoformat()


def due_dates(due_day: str | None, year: int | None) -> list[dt.date]:
    """The plan year's due dates of a cycle: "16/3, 16/9" -> 16 March and 16 September;
    a bare day ("20", every month) -> that day of each month."""
    if not isinstance(due_day, str) or not year or pd.isna(year):
        return []
    dates = []
    for part in due_day.split(","):
        found = _DAY_MONTH.match(part)
        if not found:
            continue
        day = int(found.group(1))
        months = [int(found.group(2))] if found.group(2) else range(1, 13)
        for month in months:
            try:
                dates.append(dt.date(int(year), month, day))
            except ValueError:
                continue
    return dates


def _query(con: duckdb.DuckDBPyConnection, table: str, doc_ids: list[str]) -> pd.DataFrame:
    return con.execute(
        f'SELECT * FROM "{table}" WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, ordinal', [doc_ids]
    ).df()


def requirements(con: duckdb.DuckDBPyConnection, plans: pd.DataFrame) -> dict[str, list[Due]]:
    """Plan doc_id -> the reports it asks for, a cycle repeated in the text counted once."""
    year = dict(zip(plans.doc_id, plans.year))
    found: dict[str, list[Due]] = {}
    for row in _query(con, "recurring_reports", list(plans.doc_id)).itertuples():
        dates = due_dates(row.due_day, year.get(row.doc_id))
        dues = [Due(row.frequency, _text(row.agency), _text(row.to), d, period_label(row.frequency, d)) for d in dates]
        found.setdefault(row.doc_id, []).extend(dues or [Due(row.frequency, _text(row.agency), _text(row.to), None, None)])
    task = compiled(_rules()["report_task"])
    for row in _query(con, "deadlines", list(plans.doc_id)).itertuples():
        if isinstance(row.task, str) and task.search(row.task):
            due = _date(row.due)
            found.setdefault(row.doc_id, []).append(
                Due("deadline", _text(row.agency), None, due, period_label("deadline", due) if due else _text(row.due))
            )
    return {doc_id: _unique(dues) for doc_id, dues in found.items()}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _unique(dues: list[Due]) -> list[Due]:
    """A due date asked twice (in the body and again in the closing section) is one report."""
    seen: dict[tuple, Due] = {}
    for due in dues:
        seen.setdefault((due.requirement, due.due, due.to), due)
    return sorted(seen.values(), key=lambda d: (d.due is None, d.due or dt.date.min, d.requirement))


def is_report(docs: pd.DataFrame) -> pd.Series:
    report_types = {fold(t) for t in _rules()["report_types"]}
    return docs.doc_type.map(lambda t: isinstance(t, str) and fold(t) in report_types).astype(bool)


def answers(con: duckdb.DuckDBPyConnection, everything: pd.DataFrame) -> pd.DataFrame:
    """(report doc_id, plan doc_id) for each report whose basis reference resolves to a document
    of the store, both named by the distinct document that stands for their copies."""
    stands_for = {copy: doc_id for doc_id, ids in zip(everything.doc_id, everything.copy_ids) for copy in ids}
    links = resolve_references(con)
    links = links[links.relation.isin(_rules()["answer_relations"]) & (links.target_kind == "store")]
    pairs = pd.DataFrame({
        "report_doc_id": links.doc_id.map(stands_for),
        "plan_doc_id": links.target.map(stands_for),
    }).dropna().drop_duplicates()
    reports = set(everything.doc_id[is_report(everything)])
    return pairs[pairs.report_doc_id.isin(reports) & (pairs.report_doc_id != pairs.plan_doc_id)].reset_index(drop=True)


def _expected_provinces(plan: pd.Series, selected: pd.DataFrame, answering: pd.DataFrame) -> list[str | None]:
    """A provincial plan asks its own province; a central request asks every province compared."""
    if isinstance(plan.province, str):
        return [plan.province]
    if issuer_level(_text(plan.issuer)) == "central":
        names = set(selected.province.dropna()) | set(answering.province.dropna())
        return sorted(names) or [None]
    return [None]


def match(dues: list[Due], reports: list[Report], as_of: dt.date) -> Iterator[tuple[Due | None, Report | None, str, int | None]]:
    """Each due date with the report that answers it, its status and days late (or overdue).

    Due dates in order each take the first unused report issued after the previous due
    date; reports without a full date then fill the due dates still open, and reports left
    over are listed on their own as received.
    """
    dated = sorted((r for r in reports if r.issued), key=lambda r: (r.issued, r.doc_id))
    undated = [r for r in reports if not r.issued]
    taken: dict[int, Report] = {}
    used: set[str] = set()
    previous = dt.date.min
    for index, due in enumerate(dues):
        if due.due is None:
            continue
        report = next((r for r in dated if r.doc_id not in used and r.issued > previous), None)
        previous = due.due
        if report is not None:
            taken[index] = report
            used.add(report.doc_id)
    leftover = [r for r in dated if r.doc_id not in used] + undated
    for index, _ in enumerate(dues):
        if index not in taken and leftover and (dues[index].due is None or not leftover[0].issued):
            taken[index] = leftover.pop(0)
    for index, due in enumerate(dues):
        yield (due, *_status(due, taken.get(index), as_of))
    for report in leftover:
        yield None, report, "received", None


def _status(due: Due, report: Report | None, as_of: dt.date) -> tuple[Report | None, str, int | None]:
    if report is not None:
        if due.due is None or report.issued is None:
            return report, "received", None
        late = (report.issued - due.due).days
        return (report, "late", late) if late > 0 else (report, "on time", None)
    if due.due is None:
        return None, "no due date", None
    if due.due < as_of:
        return None, "missing", (as_of - due.due).days
    return None, "not yet due", None


def followthrough(con: duckdb.DuckDBPyConnection, selected: pd.DataFrame, everything: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Province × period: for each selected plan that asks for reports, each due report's
    status: on time, late, received (a report without a comparable date), missing, not yet
    due, or no due date (a cycle whose days the plan does not state).

    ``selected`` are the plans compared, ``everything`` all distinct documents of the store
    (reports answering a plan count whatever the filter); ``as_of`` decides what is missing.
    """
    plans = selected[~is_report(selected)]
    asked = requirements(con, plans)
    links = answers(con, everything)
    by_id = everything.set_index("doc_id")
    successor = dict(zip(everything.province, everything.province_2025))
    rows = []
    for _, plan in plans[plans.doc_id.isin(asked)].iterrows():
        answering = by_id.loc[links.report_doc_id[links.plan_doc_id == plan.doc_id]].reset_index()
        for province in _expected_provinces(plan, selected, answering):
            own = answering if province is None else answering[answering.province == province]
            reports = [Report(r.doc_id, _text(r.title), _date(r.issue_date), _text(r.issue_date)) for r in own.itertuples()]
            for due, report, status, days in match(asked[plan.doc_id], reports, as_of):
                rows.append({
                    "plan_doc_id": plan.doc_id, "plan_type": plan.doc_type, "plan_title": plan.title,
                    "plan_issuer": plan.issuer, "plan_issue_date": plan.issue_date,
                    "province": province, "province_2025": successor.get(province),
                    "requirement": due.requirement if due else None, "agency": due.agency if due else None,
                    "to": due.to if due else None, "period": due.period if due else None,
                    "due": due.due.isoformat() if due and due.due else None, "status": status,
                    "report_doc_id": report.doc_id if report else None,
                    "report_title": report.title if report else None,
                    "report_date": report.issue_date if report else None, "days_late": days,
                })
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["days_late"] = table.days_late.astype("Int64")
    return table
