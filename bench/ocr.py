"""Throughput of the OCR path on scanned pages, against the `tesseract` command alone.

The 300 dpi scans of the samples (made by scripts/make_scans.py into bench/work/) are
read with read_document at 1 worker and at one worker per core; then the same page
images, prepared as the pipeline prepares them, are given to the `tesseract` command
(same language, psm and one thread each, as many at once as cores). The overhead is
the pipeline's time over the command's at all workers (target: within 15%).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pypdfium2  # noqa: E402
from make_scans import full_set  # noqa: E402

from pipeline.ingest import (
    ocr,  # noqa: E402
    read_document,  # noqa: E402
)
from pipeline.ingest.pdf import renderer  # noqa: E402

WORK = ROOT / "bench" / "work"
# Samples whose scans are read: 002 and 003, five pages in all.
SAMPLES = ["002", "003"]


def pipeline_rate(paths: list[Path], workers: int) -> tuple[int, float]:
    """Pages and seconds for read_document over the scans, OCR limited to ``workers``."""
    original = ocr.worker_count
    ocr.worker_count = lambda: workers
    try:
        started = time.perf_counter()
        pages = sum(len(read_document(path).pages) for path in paths)
        return pages, time.perf_counter() - started
    finally:
        ocr.worker_count = original


def prepared_images(paths: list[Path], folder: Path) -> list[Path]:
    """The page images the pipeline gives Tesseract (rendered, deskewed), as files."""
    images = []
    for path in paths:
        document = pypdfium2.PdfDocument(path)
        for index in range(len(document)):
            page = ocr.prepare(renderer(document[index])())
            target = folder / f"{path.stem}-{index}.pgm"
            page.image.save(target)
            images.append(target)
        document.close()
    return images


def command_seconds(images: list[Path], workers: int) -> float:
    """The `tesseract` command alone on the images, one single-threaded process per worker."""
    conf = ocr.settings()
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def run(image: Path) -> None:
        command = ["tesseract", str(image), str(image.with_suffix("")), "-l", conf["language"], "--psm", str(conf["psm"]), "tsv"]
        subprocess.run(command, env=environment, check=True, capture_output=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, images))
    return time.perf_counter() - started


def main() -> int:
    paths = [p for p in full_set(WORK / "scans", SAMPLES)[300]]
    cores = ocr.worker_count()
    print(f"OCR path: {len(paths)} scanned PDFs at 300 dpi ({', '.join(p.name for p in paths)}), {cores} cores")
    rates = {}
    for workers in sorted({1, cores}):
        pages, seconds = pipeline_rate(paths, workers)
        rates[workers] = seconds
        print(f"  read_document, {workers} worker(s): {pages} pages in {seconds:.1f} s = {pages / seconds:.2f} pages/s")
    with tempfile.TemporaryDirectory(dir=WORK) as folder:
        images = prepared_images(paths, Path(folder))
        seconds = command_seconds(images, cores)
    print(f"  tesseract command alone, {cores} at once: {len(images)} pages in {seconds:.1f} s = {len(images) / seconds:.2f} pages/s")
    overhead = rates[cores] / seconds - 1
    print(f"  pipeline overhead over the command: {overhead:+.0%} (target <= +15%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
