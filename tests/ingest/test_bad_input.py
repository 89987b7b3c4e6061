"""Bad input: every file gives a record (status "error", or a warning where something was
still read) with a clear message, and a run over a folder goes on past it."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest.doc import soffice
from pipeline.process import process_file

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SAMPLE = next((CORPUS / "txt").glob("004_*.txt"))

ENGLISH = (
    "The Provincial People's Committee has issued a plan to prevent human trafficking in 2023. "
    "The plan sets out the objectives, the tasks of each department and the reporting schedule. "
    "Departments shall report quarterly to the Steering Committee before the fifteenth of the last "
    "month of each quarter, and the Department of Culture will coordinate with the police on "
    "awareness campaigns in every district and town of the province.\n"
)
FRENCH = (
    "Le Comité populaire de la province a adopté un plan de prévention de la traite des êtres "
    "humains pour l'année 2023. Ce plan fixe les objectifs, les tâches de chaque département et le "
    "calendrier des rapports. Les départements font rapport chaque trimestre au comité de pilotage "
    "avant le quinze du dernier mois, et le service de la culture coordonne avec la police les "
    "campagnes de sensibilisation dans chaque district.\n"
)


def sample_pdf() -> bytes:
    return next((CORPUS / "pdf").glob("004_*.pdf")).read_bytes()


def sample_docx() -> bytes:
    return next((CORPUS / "docx").glob("004_*.docx")).read_bytes()


def encrypted_pdf() -> bytes:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt="secret")
    pdf.drawString(72, 720, "KE HOACH")
    pdf.save()
    return buffer.getvalue()


def blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (600, 400), color=255).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_without_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    return buffer.getvalue()


# name -> (bytes, what the record must say)
ERRORS = {
    "empty.txt": (lambda: b"", "empty"),
    "truncated.pdf": (lambda: sample_pdf()[:1500], "corrupt or truncated PDF"),
    "garbage.pdf": (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "corrupt or truncated PDF"),
    "locked.pdf": (encrypted_pdf, "encrypted"),
    "broken.docx": (lambda: sample_docx()[:2000], "Word document"),
    "archive.docx": (zip_without_word, "not a Word document"),
    "binary.txt": (lambda: bytes(range(256)) * 40, "not a text file"),
}

# name -> (bytes, warning code) for files that were still read
WARNINGS = {
    "docx-named.pdf": (sample_docx, "extension-mismatch"),
    "text-named.docx": (lambda: SAMPLE.read_bytes(), "extension-mismatch"),
    "pdf-named.txt": (sample_pdf, "extension-mismatch"),
    "english.txt": (lambda: ENGLISH.encode("utf-8"), "not-vietnamese"),
    "french.txt": (lambda: FRENCH.encode("utf-8"), "not-vietnamese"),
}


def write(folder: Path, name: str, make) -> Path:
    path = folder / name
    path.write_bytes(make())
    return path


@pytest.mark.parametrize("name", ERRORS)
def test_unreadable_files_give_an_error_record_with_a_clear_message(tmp_path, name):
    make, message = ERRORS[name]
    record = process_file(write(tmp_path, name, make))
    assert record.status == "error"
    assert message in record.error
    assert record.source.endswith(name)


@pytest.mark.parametrize("name", WARNINGS)
def test_misleading_files_are_read_with_a_warning(tmp_path, name):
    make, code = WARNINGS[name]
    record = process_file(write(tmp_path, name, make))
    assert record.status == "ok", record.error
    warning = next(w for w in record.warnings if w.code == code)
    assert warning.message
    assert record.text


def test_a_lying_extension_reads_as_the_real_format(tmp_path):
    reference = process_file(SAMPLE)
    for name, (make, _) in WARNINGS.items():
        if "named" in name:
            record = process_file(write(tmp_path, name, make))
            assert record.document.signer_name == reference.document.signer_name
            assert record.document.symbol == reference.document.symbol


def test_vietnamese_documents_get_no_language_warning():
    for path in sorted((CORPUS / "txt").glob("*.txt")):
        assert not [w for w in process_file(path).warnings if w.code == "not-vietnamese"]


def test_an_image_without_text_gives_an_error_or_a_warning_not_an_exception(tmp_path):
    """OCR is another reader's work; whatever it does, the result is a record that says so."""
    record = process_file(write(tmp_path, "blank.png", blank_png))
    assert record.status == "error" and record.error or record.warnings
    if record.status == "error":
        assert len(record.error) > 10


def test_a_doc_without_libreoffice_asks_for_it(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    record = process_file(write(tmp_path, "old.doc", lambda: data))
    assert record.status == "error"
    assert "LibreOffice" in record.error and "libreoffice-writer-nogui" in record.error


@pytest.fixture
def libreoffice() -> str:
    """`make test` installs LibreOffice (Makefile SYSTEM_PACKAGES): without it these tests fail, not skip."""
    path = soffice()
    assert path, "LibreOffice is not installed: run `make system` (apt-get install libreoffice-writer-nogui)"
    return path


def test_a_doc_file_is_converted_with_libreoffice(tmp_path, libreoffice):
    """The .doc is made from the sample .docx by LibreOffice itself, then read back."""
    source = tmp_path / "sample.docx"
    source.write_bytes(sample_docx())
    subprocess.run(
        [libreoffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    record = process_file(tmp_path / "sample.doc")
    reference = process_file(SAMPLE)
    assert record.status == "ok", record.error
    assert record.ingest["format"] == "doc"
    assert record.document.symbol == reference.document.symbol
    assert record.document.signer_name == reference.document.signer_name


def test_a_corrupt_doc_file_is_an_error(tmp_path, libreoffice):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 2048
    record = process_file(write(tmp_path, "corrupt.doc", lambda: data))
    assert record.status == "error"
    assert "LibreOffice" in record.error


def test_a_run_over_a_folder_of_good_and_bad_files_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    for name, (make, _) in {**ERRORS, **WARNINGS}.items():
        write(folder, name, make)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(folder), "--out", str(out)])
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {Path(r["source"]).name: r for r in records}
    assert len(records) == len(by_name) == 1 + len(ERRORS) + len(WARNINGS)
    assert by_name[SAMPLE.name]["status"] == "ok"
    assert all(by_name[name]["status"] == "error" and by_name[name]["error"] for name in ERRORS)
    assert all(by_name[name]["status"] == "ok" for name in WARNINGS)


def _zip_of_small_paragraphs(path: Path, megabytes: int) -> None:
    """A DOCX-shaped ZIP whose document.xml is megabytes of tiny paragraphs: it compresses
    hundreds of times, as a "zip bomb" does."""
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = paragraph * (1024 * 1024 // len(paragraph))
            for _ in range(megabytes):
                entry.write(chunk)


def test_a_docx_that_would_decompress_to_an_absurd_ratio_is_refused_before_parsing(tmp_path):
    bomb = tmp_path / "plan.docx"
    _zip_of_small_paragraphs(bomb, 40)
    assert bomb.stat().st_size < 1024 * 1024
    record = process_file(bomb)
    assert record.status == "error"
    assert record.error.startswith("refused:") and "decompress" in record.error and "MB" in record.error


def test_an_ordinary_docx_is_not_taken_for_a_zip_bomb():
    record = process_file(next((CORPUS / "docx").glob("*.docx")))
    assert record.status == "ok"


def test_a_text_copy_cut_inside_its_last_character_is_read_without_it(tmp_path):
    text = "KẾ HOẠCH\nTuyên truyền phòng, chống mua bán người năm 2025\nCác sở báo cáo kết quả về Bộ"
    data = text.encode("utf-8")[:-1]  # "ộ" loses its last byte, as a copy cut at a byte count does
    path = tmp_path / "cut.txt"
    path.write_bytes(data)
    record = process_file(path)
    assert record.status == "ok"
    assert record.text.endswith("Các sở báo cáo kết quả về B")
