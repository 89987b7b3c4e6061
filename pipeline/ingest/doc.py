"""Legacy Word .doc files (OLE2): converted to .docx by LibreOffice, then read as .docx.

No maintained pure-Python library reads .doc text reliably; LibreOffice does, but it is a
259 MB install, so it is optional: without it a .doc gives an error that says what to
install. Each conversion runs with its own LibreOffice profile so that parallel workers
do not share (and lock) one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.records import IngestError

# A cold LibreOffice start and conversion takes about 1.2 s; a stuck one is stopped.
CONVERT_TIMEOUT = 120
# Read the file as Word 97-2003 only: otherwise LibreOffice imports a broken .doc as
# plain text and returns its bytes as a document.
WORD_FILTER = "MS Word 97"
INSTALL_HINT = (
    "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) "
    "so that soffice is on PATH, or save the file as .docx"
)


# An OLE2 file holds named streams; Word's main stream is "WordDocument" (Excel's is
# "Workbook", PowerPoint's "PowerPoint Document"), its name stored in UTF-16-LE.
WORD_STREAM = "WordDocument".encode("utf-16-le")


def ole2_kind(data: bytes) -> str:
    """"doc" for a Word file; any other OLE2 file (a spreadsheet, a slide deck) is an error."""
    if WORD_STREAM not in data:
        raise IngestError("an OLE2 (old Microsoft Office) file that is not a Word document: not supported")
    return "doc"


def soffice() -> str | None:
    """The LibreOffice command on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def doc_to_docx(data: bytes) -> bytes:
    """The .docx that LibreOffice makes of a .doc file's bytes."""
    command = soffice()
    if command is None:
        raise IngestError(f"legacy Word .doc file and LibreOffice is not installed: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="vnplan-doc-") as work:
        folder = Path(work)
        source = folder / "document.doc"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        try:
            result = subprocess.run(
                [command, f"-env:UserInstallation={profile}", "--headless", f"--infilter={WORD_FILTER}",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(source)],
                capture_output=True, text=True, timeout=CONVERT_TIMEOUT, env=_environment(folder), check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise IngestError(f"LibreOffice did not convert the .doc file within {CONVERT_TIMEOUT} s") from error
        target = folder / "document.docx"
        if not target.exists():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
            raise IngestError(f"LibreOffice could not convert the .doc file (corrupt or not a Word document): {detail[0]}")
        return target.read_bytes()


def _environment(home: Path) -> dict[str, str]:
    """LibreOffice writes its settings under HOME; a fresh one keeps runs apart."""
    return {**os.environ, "HOME": str(home)}
