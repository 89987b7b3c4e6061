"""Word files that are not .docx (legacy .doc, RTF, OpenDocument text): told by their bytes,
converted by LibreOffice, read as the .docx they become."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.ingest import read_document, sniff
from pipeline.ingest.doc import soffice
from pipeline.process import process_file
from tests.conftest import CORPUS

SAMPLE_DOCX = next((CORPUS / "docx").glob("004_*.docx"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """The sample .docx saved by LibreOffice itself as RTF and as ODT. `make test` installs
    LibreOffice (Makefile SYSTEM_PACKAGES): without it these tests fail, not skip."""
    libreoffice = soffice()
    assert libreoffice, "LibreOffice is not installed: run `make system` (apt-get install libreoffice-writer-nogui)"
    folder = tmp_path_factory.mktemp("converted")
    for target in ("rtf", "odt"):
        subprocess.run(
            [libreoffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
             "--convert-to", target, "--outdir", str(folder), str(SAMPLE_DOCX)],
            check=True, capture_output=True, timeout=120,
        )
    return {kind: folder / f"{SAMPLE_DOCX.stem}.{kind}" for kind in ("rtf", "odt")}


@pytest.mark.parametrize("kind", ["rtf", "odt"])
def test_rtf_and_odt_are_read_as_the_word_file_they_were_saved_from(converted, kind):
    record, reference = process_file(converted[kind]), process_file(SAMPLE_DOCX)
    assert record.status == "ok", record.error
    assert record.ingest["format"] == kind
    assert record.document.title == reference.document.title
    assert record.document.signer_name == reference.document.signer_name
    # LibreOffice rewrites run properties, so one heading's bold may differ: same sections
    assert {d.section for d in record.duties} == {d.section for d in reference.duties}


def test_an_rtf_named_doc_is_told_by_its_bytes_not_read_as_text(converted, tmp_path):
    named = tmp_path / "ke-hoach.doc"
    named.write_bytes(converted["rtf"].read_bytes())
    document = read_document(named)
    assert document.format == "rtf"
    assert "\\rtf" not in document.pages[0].text and "KẾ HOẠCH" in document.pages[0].text
    assert [w.code for w in document.warnings if w.code == "extension-mismatch"]


def test_a_broken_rtf_is_an_error_that_says_so(tmp_path):
    path = tmp_path / "broken.rtf"
    path.write_bytes(b"{\\rtf1\\ansi {\\fonttbl" + b"\x00\xff" * 64)
    record = process_file(path)
    assert record.status == "error" and "RTF" in record.error


def test_rtf_and_odt_bytes_are_told_apart_from_text_and_docx(converted):
    assert sniff(converted["rtf"].read_bytes()) == "rtf"
    assert sniff(converted["odt"].read_bytes()) == "odt"
    assert sniff(SAMPLE_DOCX.read_bytes()) == "docx"
    assert sniff("{ văn bản trong ngoặc }".encode()) == "txt"
