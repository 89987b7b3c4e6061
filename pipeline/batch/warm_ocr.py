"""Imported by the fork server when the run's inputs hold images (server.start_fork_server):
Tesseract's engine (0.08 s) and the OCR correction's vocabulary (0.25 s), which every worker
would otherwise build at its first scanned page, are built here once and inherited by every
worker forked after. A run of text files does not pay for them: its server would be ready
that much later, and its first file with it."""

import gc
from contextlib import suppress

from pipeline.ingest.ocr import engine, settings
from pipeline.ingest.ocr_correct import known_acronyms, vocabulary
from pipeline.records import IngestError

# No Tesseract, no model or no word list: the first scanned page says so, in its record.
with suppress(IngestError, RuntimeError):
    with engine(settings()["language"], 3):
        pass
    vocabulary()
    known_acronyms()
# Out of the collector's view, as the text path's models are (process.freeze_loaded_models,
# which the warm-up's document already called): otherwise every worker's full collections
# would walk the vocabulary's tuples again, and copy the memory pages they lie on.
gc.freeze()
