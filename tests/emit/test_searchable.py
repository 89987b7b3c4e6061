"""Searchable archive copies of scanned inputs, from the OCR already done."""

import shutil

import pypdfium2
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.process import process_file
from tests.conftest import CORPUS


def _page_texts(path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def test_a_scanned_image_is_written_again_as_a_pdf_whose_text_can_be_searched(tmp_path):
    scan = next((CORPUS / "scans").glob("*.png"))
    out = tmp_path / "searchable"
    record = process_file(scan, searchable_dir=out)
    assert record.status == "ok"
    texts = _page_texts(out / f"{scan.stem}.pdf")
    assert len(texts) == 1
    assert "KẾ HOẠCH" in texts[0].upper() or "HOẠCH" in texts[0]


def test_text_documents_get_no_searchable_copy_and_the_cli_writes_scans_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next((CORPUS / "txt").glob("002_*.txt")), folder)
    shutil.copy(next((CORPUS / "scans").glob("*.png")), folder)
    out = tmp_path / "searchable"
    result = CliRunner().invoke(app, ["extract", str(folder), "--out", str(tmp_path / "o"), "--searchable-pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.suffix for p in out.iterdir()] == [".pdf"]
