"""Imported by the fork server when the run's inputs hold images (server.start_fork_server):
Tesseract's engine (0.08 s) and the OCR correction's vocabulary (0.07 s from the cache, 0.19 s
to build), which every worker would otherwise load at its first scanned page, are loaded here
once and inherited by every worker forked after. A run of text files does not pay for them:
its server would be ready that much later, and its first file with it."""

import gc
from contextlib import suppress

from pipeline.ingest.ocr import engine, settings
from pipeline.ingest.ocr_correct import known_acronyms, vocabulary

# No Tesseract, no model, no word list, a broken model file: the first scanned page says so,
# in its record (process_file makes any failure one). Raised here, it would stop the server,
# and no worker would start.
with suppress(Exception):
    with engine(settings()["language"], 3):
        pass
    vocabulary()
    known_acronyms()
# Out of the collector's view, as the text path's models are (process.freeze_loaded_models,
# which the warm-up's document already called): otherwise every worker's full collections
# would walk the vocabulary's tuples again, and copy the memory pages they lie on.
gc.freeze()
