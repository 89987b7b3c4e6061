"""Word files that are not .docx: legacy .doc (OLE2), RTF (portals often serve it named
.doc) and OpenDocument text (.odt): converted to .docx by LibreOffice, then read as .docx.

No maintained pure-Python library reads .doc text reliably, and RTF and ODT readers lose
tables or the two-column header; LibreOffice reads all three, but it is a 259 MB install,
so it is optional: without it such a file gives an error that says what to install. Each
conversion runs with its own LibreOffice profile so that parallel workers do not share
(and lock) one.
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
# Each format is read with its own import filter only: otherwise LibreOffice imports a
# broken file as plain text and returns its bytes as a document.
IMPORT_FILTERS = {"doc": "MS Word 97", "rtf": "Rich Text Format", "odt": "writer8"}
FORMAT_NAMES = {"doc": ".doc", "rtf": "RTF", "odt": "OpenDocument text (.odt)"}
INSTALL_HINT = (
    "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) "
    "so that soffice is on PATH, or save the file as .docx"
)
RTF_MAGIC = b"{\\rtf"
ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"


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


def is_rtf(data: bytes) -> bool:
    return data.lstrip()[:5] == RTF_MAGIC


def is_odt(data: bytes) -> bool:
    """An OpenDocument text: a ZIP whose first entry, stored uncompressed, names its type."""
    return data[30:30 + len(ODT_MIMETYPE)] == ODT_MIMETYPE


def to_docx(data: bytes, kind: str) -> bytes:
    """The .docx that LibreOffice makes of a doc, rtf or odt file's bytes."""
    name = FORMAT_NAMES[kind]
    command = soffice()
    if command is None:
        raise IngestError(f"{name} file and LibreOffice is not installed: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="vnplan-doc-") as work:
        folder = Path(work)
        source = folder / f"document.{kind}"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        try:
            result = subprocess.run(
                [command, f"-env:UserInstallation={profile}", "--headless", f"--infilter={IMPORT_FILTERS[kind]}",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(source)],
                capture_output=True, text=True, timeout=CONVERT_TIMEOUT, env=_environment(folder), check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise IngestError(f"LibreOffice did not convert the {name} file within {CONVERT_TIMEOUT} s") from error
        target = folder / "document.docx"
        if not target.exists():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
            raise IngestError(f"LibreOffice could not convert the {name} file (corrupt or not a {name} document): {detail[0]}")
        return target.read_bytes()


def _environment(home: Path) -> dict[str, str]:
    """LibreOffice writes its settings under HOME; a fresh one keeps runs apart."""
    return {**os.environ, "HOME": str(home)}
