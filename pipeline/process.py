"""One file through every stage.

A file that cannot be read, or that breaks a stage, becomes an error record with a clear
message: the batch goes on and no input is lost silently.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
from pathlib import Path

from pipeline.emit.searchable import write_searchable_pdf
from pipeline.extract import extract
from pipeline.ingest import read_document
from pipeline.records import IngestError, Record, RecordWarning, error_record
from pipeline.segment import segment


def freeze_loaded_models() -> None:
    """Move everything loaded so far (rule files, compiled gazetteers) out of the garbage
    collector's view. Called once after a process's first document: the collector then
    stops re-scanning those long-lived objects on every collection, about 10% of the text
    path's time (measured with bench/text_path.py)."""
    global _frozen
    if not _frozen:
        gc.freeze()
        atexit.register(gc.unfreeze)  # let extension modules see their objects freed at exit
        _frozen = True


_frozen = False


def process_file(
    path: str | os.PathLike[str], ocr: str = "auto", searchable_dir: Path | None = None, source: str | None = None
) -> Record:
    """``ocr``: when to OCR (auto | always | never), passed to read_document.
    ``searchable_dir``: where to write a scanned input again as a searchable PDF.
    ``source``: the file's name as text, when the system's name is not (a name that is not
    UTF-8 cannot go into JSON or the database as it is)."""
    record = _process(path, ocr, searchable_dir)
    if source is not None and source != str(path):
        record.source = source
        record.error = _printable(record.error)
        for warning in record.warnings:
            warning.message = _printable(warning.message)
        record.warnings.append(
            RecordWarning("file-name-not-utf8", f"the file's name is not valid UTF-8; its bytes are shown as \\xNN: {source}")
        )
    return record


def _process(path: str | os.PathLike[str], ocr: str, searchable_dir: Path | None) -> Record:
    source = str(path)
    try:
        raw = read_document(path, ocr=ocr, searchable=searchable_dir is not None)
        record = extract(segment(raw))
        if searchable_dir is not None:
            write_searchable_pdf(raw, Path(path), Path(searchable_dir))
        freeze_loaded_models()
        return record
    except IngestError as error:
        return error_record(source, _sha256(path), str(error))
    except Exception as error:  # a stage's bug must not take the batch down with it
        return error_record(source, _sha256(path), f"{type(error).__name__}: {error}")


def _printable(text: str | None) -> str | None:
    """Messages that quote a name that is not UTF-8 show its bytes as \\xNN."""
    if text is None:
        return None
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _sha256(path: str | os.PathLike[str]) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""
