"""The digital signatures against the printed date of issue.

A signing time is not the date of issue, but it bounds it: a document is issued once it is
signed, and the office's seal comes on the day the clerk numbers and dates it. The
signatures themselves are read in ingest (pipeline/ingest/signatures.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pipeline.records import RecordWarning, Signature
from pipeline.rules import load_model


def local_day(time: str) -> date:
    """The day a signing time falls on where the offices are (models/signatures.yaml)."""
    offset = timezone(timedelta(hours=load_model("signatures")["utc_offset_hours"]))
    moment = datetime.fromisoformat(time)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=offset)
    return moment.astimezone(offset).date()


def date_disagreement(issue_date: str | None, signatures: list[Signature]) -> str | None:
    """Why the printed date of issue does not fit the signing times, or None if it does.

    A document is issued once it is signed: its date is not before the first signature, and
    the office's seal comes on the day it is numbered, so a date long after the last
    signature is doubtful too. A partial date ("2025-11") is compared at its precision."""
    days = sorted(local_day(s.time) for s in signatures if s.time)
    if not issue_date or not days:
        return None
    rules = load_model("signatures")["issue_date"]
    precision = len(issue_date)  # 10: a day, 7: a month, 4: a year
    first, last = days[0].isoformat()[:precision], days[-1].isoformat()[:precision]
    if issue_date < first:
        return f"the date of issue {issue_date} is before the first signature ({days[0].isoformat()})"
    late = (days[-1] + timedelta(days=rules["max_days_after_last"])).isoformat()[:precision]
    if issue_date > late:
        return f"the date of issue {issue_date} is more than {rules['max_days_after_last']} days after the last signature ({last})"
    return None


def signature_warnings(issue_date: str | None, signatures: list[Signature]) -> list[RecordWarning]:
    """A signature-disagrees warning when the printed date does not fit the signing times."""
    reason = date_disagreement(issue_date, signatures)
    if reason is None:
        return []
    times = ", ".join(f"{s.name or s.field}: {s.time}" for s in signatures if s.time)
    return [RecordWarning("signature-disagrees", f"{reason}; signing times: {times}")]
