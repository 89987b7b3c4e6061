"""The server the worker processes fork from (multiprocessing's forkserver): it imports the
stages and warms them up once, and every worker starts from that state.

Apart from ``workers`` (pebble, the executors), so that the command line can start it before
anything else: whatever is imported before it starts is on the path of a run's first file.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from collections.abc import Iterable

from pipeline.formats import IMAGE_SUFFIXES

# Modules every worker needs, imported once in the fork server rather than in each worker;
# pipeline.batch.warm loads every model there too.
WORKER_PRELOAD = ["pipeline.batch.workers", "pipeline.process", "pipeline.batch.warm"]
# Loaded too when the inputs hold images: what OCR needs (pipeline.batch.warm_ocr).
OCR_PRELOAD = "pipeline.batch.warm_ocr"
# How many entries of the inputs are looked at for an image before the server starts. The
# warm-up saves each worker 0.15 s (0.3 s without the cache): it matters to a short run, not
# to a long one, and the look must not delay the server of a run over a large archive.
LOOK_FOR_IMAGES = 2000


def fork_server(images: bool = False) -> multiprocessing.context.ForkServerContext:
    """The context of the server the workers fork from, which imports WORKER_PRELOAD first
    (and OCR_PRELOAD for a run with images), when it starts."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*WORKER_PRELOAD, OCR_PRELOAD] if images else WORKER_PRELOAD)
    return context


def start_fork_server(sources: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Start the server the workers fork from now, so that it imports the stages and warms
    them up beside the coordinator's own work (imports, scanning, hashing, planning) instead
    of after it, when the first file is handed out. A later pool finds it running.
    ``sources``: the run's files and folders; OCR is warmed up too if they hold an image."""
    fork_server(holds_images(sources))
    multiprocessing.forkserver.ensure_running()


def holds_images(sources: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether a source is an image file, or a folder with one among its first LOOK_FOR_IMAGES
    entries (by suffix: nothing is opened). Not a file or folder: no."""
    looked = 0
    for source in sources:
        if os.path.splitext(source)[1].lower() in IMAGE_SUFFIXES and os.path.isfile(source):
            return True
        for _, folders, files in os.walk(source):
            if any(os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES for name in files):
                return True
            looked += len(folders) + len(files)
            if looked >= LOOK_FOR_IMAGES:
                return False
    return False
