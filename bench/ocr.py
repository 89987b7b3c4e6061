"""Throughput of the OCR path on scanned pages, against the `tesseract` command alone.

The 300 dpi scans of the five samples (made by scripts/make_scans.py into bench/work/).
First one document is read untimed: the first OCR of a process imports pytesseract and
deskew and loads the OCR correction's word list, a cost paid once per process (printed).

- Pages: every page of every scan through the pipeline's page path (``ocr.read_pages``:
  render, deskew, Tesseract, its TSV read back) against the `tesseract` command alone on
  the same prepared page images (same language, psm and dpi, one thread each), at 1 worker
  and at one per core. The two are run in turn, ROUNDS times, and the best of each kept,
  as this machine's CPU speed drifts by 10% and more between minutes. The overhead is
  the pipeline's time over the command's (target: within 15%).
- Documents: read_document over the scans one after another (as `vnplan extract` reads
  them), which also waits, at each document's end, for its last page.
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

import pypdfium2
from make_scans import full_set

from pipeline.ingest import (
    ocr,
    read_document,
)
from pipeline.ingest.pdf import renderer

WORK = ROOT / "bench" / "work"
ROUNDS = 2


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
        command = ["tesseract", str(image), str(image.with_suffix("")), "-l", conf["language"], "--psm", str(conf["psm"]),
                   "--dpi", str(conf["render_dpi"]), "tsv"]
        subprocess.run(command, env=environment, check=True, capture_output=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, images))
    return time.perf_counter() - started


def page_path_seconds(paths: list[Path], workers: int) -> float:
    """The pipeline's page path over every page of the scans, as one batch of pages."""
    documents = [pypdfium2.PdfDocument(path) for path in paths]
    loaders = [renderer(document[index]) for document in documents for index in range(len(document))]
    started = time.perf_counter()
    ocr.read_pages(loaders, workers)
    seconds = time.perf_counter() - started
    for document in documents:
        document.close()
    return seconds


def main() -> int:
    paths = full_set(WORK / "scans", ["300"])["300"]
    cores = ocr.worker_count()
    print(f"OCR path: {len(paths)} scanned PDFs at 300 dpi, {cores} cores")
    started = time.perf_counter()
    read_document(min(paths, key=lambda p: p.stat().st_size))
    print(f"  first document of a process (imports, word list, its OCR): {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory(dir=WORK) as folder:
        images = prepared_images(paths, Path(folder))
        for workers in sorted({1, cores}):
            pipeline, alone = float("inf"), float("inf")
            for _ in range(ROUNDS):
                pipeline = min(pipeline, page_path_seconds(paths, workers))
                alone = min(alone, command_seconds(images, workers))
            print(f"  pages, {workers} worker(s): pipeline {len(images) / pipeline:.2f} pages/s, "
                  f"tesseract command alone {len(images) / alone:.2f} pages/s: overhead {pipeline / alone - 1:+.0%} "
                  f"(target <= +15%; best of {ROUNDS})")
    for workers in sorted({1, cores}):
        pages, seconds = pipeline_rate(paths, workers)
        print(f"  documents one after another, {workers} worker(s): read_document {pages} pages in {seconds:.1f} s "
              f"= {pages / seconds:.2f} pages/s")
    return 0

if __name__ == "__main__":
    sys.exit(main())
