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

from pipeline.formats import IMAGE_SUFFIXES, SUPPORTED_SUFFIXES

# Modules every worker needs, imported once in the fork server rather than in each worker;
# pipeline.batch.warm loads every model there too.
WORKER_PRELOAD = ["pipeline.batch.workers", "pipeline.process", "pipeline.batch.warm"]
# Loaded too unless the inputs are all images: the libraries of the other readers.
READERS_PRELOAD = "pipeline.batch.warm_readers"
# Loaded too when the inputs hold images: what OCR needs.
OCR_PRELOAD = "pipeline.batch.warm_ocr"
# How many entries of the inputs are looked at before the server starts. What the look
# decides saves each worker 0.15 s (OCR) and the server 0.15 s (readers a run of images
# does not need): it matters to a short run, not to a long one, and the look must not delay
# the server of a run over a large archive.
LOOK_AT_ENTRIES = 2000


def fork_server(images: bool = False, others: bool = True) -> multiprocessing.context.ForkServerContext:
    """The context of the server the workers fork from, which imports WORKER_PRELOAD first
    when it starts, READERS_PRELOAD for a run with files other than images, OCR_PRELOAD for
    a run with images."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        [*WORKER_PRELOAD, *([READERS_PRELOAD] if others else []), *([OCR_PRELOAD] if images else [])]
    )
    return context


def start_fork_server(sources: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Start the server the workers fork from now, so that it imports the stages and warms
    them up beside the coordinator's own work (imports, scanning, hashing, planning) instead
    of after it, when the first file is handed out. A later pool finds it running.
    ``sources``: the run's files and folders, which say what the server loads beyond the
    stages (input_kinds). Once a process: what a server preloads is fixed when it starts, so
    a second call (`vnplan extract` starts it in __main__, then in run) does not look again."""
    global _started
    if _started:
        return
    images, others = input_kinds(sources)
    fork_server(images, others or not images)  # nothing recognised: the readers, as by default
    multiprocessing.forkserver.ensure_running()
    _started = True


_started = False


def input_kinds(sources: Iterable[str | os.PathLike[str]]) -> tuple[bool, bool]:
    """Whether the sources hold an image, and whether they hold another file vnplan reads,
    by suffix (nothing is opened), over their first LOOK_AT_ENTRIES entries: a folder's
    other files are passed over by the scan, a file named as a source is read whatever its
    suffix. Entries left unseen may be anything; a source that is not a file or folder holds
    nothing."""
    images = others = False
    looked = 0
    for source in sources:
        if os.path.isfile(source):
            image = os.path.splitext(source)[1].lower() in IMAGE_SUFFIXES
            images, others = images or image, others or not image
            continue
        for _, folders, files in os.walk(source):
            suffixes = {os.path.splitext(name)[1].lower() for name in files}
            images = images or not suffixes.isdisjoint(IMAGE_SUFFIXES)
            others = others or not suffixes.isdisjoint(SUPPORTED_SUFFIXES - IMAGE_SUFFIXES)
            looked += len(folders) + len(files)
            if looked >= LOOK_AT_ENTRIES:
                return images, True
    return images, others
