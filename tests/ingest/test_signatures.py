"""A PDF's digital signatures: who signed, for which office, when, over how much of the file;
and the printed date of issue against the signing times."""

from __future__ import annotations

import pytest

from pipeline.ingest.signatures import read_signatures
from tests.conftest import SHARED
from tests.ingest.signed_pdf import OFFICE, SIGNER, blank_form, stamped_plan

ORIGINALS = SHARED / "corpus/originals"


@pytest.fixture(scope="module")
def plan() -> bytes:
    return stamped_plan()


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


@pytest.mark.skipif(not ORIGINALS.exists(), reason="the originals are in the shared corpus")
def test_an_original_signed_by_its_leader_and_its_office_lists_both():
    signatures, _ = read_signatures((ORIGINALS / "o011.pdf").read_bytes())
    assert signatures[0].name == "Trần Hữu Tuấn" and signatures[0].unit == "SỞ NỘI VỤ"
    assert signatures[-1].name == "SỞ NỘI VỤ" and signatures[-1].whole_file


def test_a_signed_file_pyhanko_cannot_parse_keeps_a_warning_not_an_error(plan):
    signatures, problems = read_signatures(plan.replace(b"startxref", b"startxrex"))
    assert signatures == [] and [p.code for p in problems] == ["signatures-unread"]
    assert read_signatures(blank_form().replace(b"startxref", b"startxrex")) == ([], [])  # nothing signed: nothing to say
