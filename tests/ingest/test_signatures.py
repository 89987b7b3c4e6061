"""A PDF's digital signatures: who signed, for which office, when, over how much of the file;
and the printed date of issue against the signing times."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.signatures import date_disagreement, local_day, read_signatures
from pipeline.process import process_file
from pipeline.records import Signature
from tests.ingest.signed_pdf import OFFICE, SIGNER, blank_form, stamped_plan

ORIGINALS = Path("/work/shared/corpus/originals")


@pytest.fixture(scope="module")
def plan() -> bytes:
    return stamped_plan()


def _at(time: str) -> Signature:
    return Signature("Signature1", "Nguyễn Văn An", OFFICE, None, time, "entire file", True)


def test_each_signature_gives_its_signer_office_field_and_time(plan):
    signatures, problems = read_signatures(plan)
    assert problems == []
    assert [s.field for s in signatures] == ["SoVanBan", "NgayBanHanh"]
    assert {(s.name, s.organisation) for s in signatures} == {(SIGNER, OFFICE)}
    assert all(s.time and s.time[:4].isdigit() and "T" in s.time for s in signatures)


def test_only_the_last_signature_covers_the_whole_file(plan):
    signatures, _ = read_signatures(plan)
    assert [(s.coverage, s.whole_file) for s in signatures] == [("entire revision", False), ("entire file", True)]


def test_an_unsigned_pdf_has_no_signatures():
    assert read_signatures(blank_form()) == ([], [])


def test_bytes_before_the_pdf_marker_do_not_hide_the_signatures(plan):
    signatures, _ = read_signatures(b"<html>\n" + plan)
    assert len(signatures) == 2


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


def test_the_record_keeps_the_signatures_and_says_when_the_date_does_not_fit(tmp_path, plan):
    path = tmp_path / "signed.pdf"
    path.write_bytes(plan)
    record = process_file(path)
    assert [s.name for s in record.document.signatures] == [SIGNER, SIGNER]
    assert record.to_dict()["document"]["signatures"][1]["whole_file"] is True
    disagree = [w for w in record.warnings if w.code == "signature-disagrees"]
    assert len(disagree) == 1 and "2024-09-09" in disagree[0].message  # printed 2024, signed now


@pytest.mark.skipif(not ORIGINALS.exists(), reason="the originals are in the shared corpus")
def test_an_original_signed_by_its_leader_and_its_office_lists_both():
    signatures, _ = read_signatures((ORIGINALS / "o011.pdf").read_bytes())
    assert signatures[0].name == "Trần Hữu Tuấn" and signatures[0].unit == "SỞ NỘI VỤ"
    assert signatures[-1].name == "SỞ NỘI VỤ" and signatures[-1].whole_file


def test_a_signed_file_pyhanko_cannot_parse_keeps_a_warning_not_an_error(plan):
    signatures, problems = read_signatures(plan.replace(b"startxref", b"startxrex"))
    assert signatures == [] and [p.code for p in problems] == ["signatures-unread"]
    assert read_signatures(blank_form().replace(b"startxref", b"startxrex")) == ([], [])  # nothing signed: nothing to say
