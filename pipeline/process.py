"""One file through every stage, and the discovery of files under the user's paths.

A file that cannot be read, or that breaks a stage, becomes an error record with a clear
message: the batch goes on and no input is lost silently.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.emit.searchable import write_searchable_pdf
from pipeline.extract import extract
from pipeline.ingest import SUPPORTED_SUFFIXES, read_document
from pipeline.records import IngestError, Record, error_record
from pipeline.segment import segment


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Supported files under the given files and folders (recursively), in a stable order.

    A path named explicitly is always processed, whatever its extension: ingest decides
    from its content whether it can be read.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and found.suffix.lower() in SUPPORTED_SUFFIXES and not found.name.startswith("."):
                    yield found
        else:
            yield path


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


def process_file(path: str | os.PathLike[str], ocr: str = "auto", searchable_dir: Path | None = None) -> Record:
    """``ocr``: when to OCR (auto | always | never), passed to read_document.
    ``searchable_dir``: where to write a scanned input again as a searchable PDF."""
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


def _sha256(path: str | os.PathLike[str]) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""
