"""Imported by the fork server the workers are forked from (server.WORKER_PRELOAD): a short plan
of our own (models/warmup.txt) is run through every stage here, so that each worker starts with
the rule files, gazetteers and compiled patterns loaded. Without it every fresh worker, and each
one that replaces a killed worker, pays about 1 s of loading inside its first file's time limit
(--timeout). Where Tesseract's models are is asked of the `tesseract` command here too, once,
not by every worker at its first scanned page."""

from contextlib import suppress

from pipeline.ingest.ocr import tessdata
from pipeline.process import process_file
from pipeline.records import IngestError
from pipeline.rules import MODELS_DIR

WARM_UP_DOCUMENT = MODELS_DIR / "warmup.txt"

process_file(WARM_UP_DOCUMENT, ocr="never")
with suppress(IngestError):  # no Tesseract: the first scanned page says so, in its record
    tessdata()
