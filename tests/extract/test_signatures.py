"""The printed date of issue against the signing times, and the record that keeps both."""

from __future__ import annotations

import pytest

from pipeline.extract.signatures import date_disagreement, local_day
from pipeline.process import process_file
from pipeline.records import Signature
from tests.ingest.signed_pdf import OFFICE, SIGNER, stamped_plan


def _at(time: str) -> Signature:
    return Signature("Signature1", "Nguyễn Văn An", OFFICE, None, time, "entire file", True)


def test_a_signing_time_in_utc_falls_on_the_vietnamese_day():
    assert local_day("2024-10-02T20:48:59+00:00").isoformat() == "2024-10-03"


@pytest.mark.parametrize(
    "issued, times, disagrees",
    [
        ("2025-06-10", ["2025-06-09T19:46:01+07:00", "2025-06-10T08:40:26+07:00"], False),
        ("2024-09-09", ["2024-10-02T20:48:59+00:00"], True),  # issued before anyone signed
        ("2025-03-30", ["2025-03-01T09:00:00+07:00"], True),  # dated weeks after the last signature
        ("2024-11", ["2024-11-20T09:00:00+07:00"], False),  # a partial date, at its precision
        ("2024-10", ["2024-11-20T09:00:00+07:00"], True),
    ],
)
def test_the_date_of_issue_is_bounded_by_the_signing_times(issued, times, disagrees):
    assert (date_disagreement(issued, [_at(t) for t in times]) is not None) is disagrees


@pytest.fixture(scope="module")
def plan() -> bytes:
    return stamped_plan()


def test_the_record_keeps_the_signatures_and_says_when_the_date_does_not_fit(tmp_path, plan):
    path = tmp_path / "signed.pdf"
    path.write_bytes(plan)
    record = process_file(path)
    assert [s.name for s in record.document.signatures] == [SIGNER, SIGNER]
    assert record.to_dict()["document"]["signatures"][1]["whole_file"] is True
    disagree = [w for w in record.warnings if w.code == "signature-disagrees"]
    assert len(disagree) == 1 and "2024-09-09" in disagree[0].message  # printed 2024, signed now
