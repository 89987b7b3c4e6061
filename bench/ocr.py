"""Speed of the OCR path against `tesseract` run by hand, on scans as offices make them.

Scans of the real documents of the shared corpus (scripts/make_scans.py --real): the
500 dpi colour look (seal, signature, received-stamp) and the 300 dpi grey look, a few
documents of each (--only). Every page is written out as a JPEG at its own resolution;
on those same files, in the same run and in turn (ROUNDS times, the best of each kept, as
the CPU this runs on is shared and drifts):

- by hand: `tesseract PAGE OUT -l vie --psm 3`, one single-threaded process per core
  (OMP_THREAD_LIMIT=1), at the resolution the file says;
- vnplan's OCR path: the page images in one pool of pages (ocr.read_pages: decoding, ink,
  resolution, deskew, orientation, Tesseract, its TSV read back), in this process;
- vnplan extract: the command over the folder of page images (each a document: worker
  processes, OCR, the whole pipeline to records.jsonl).

Each ratio is the command's time over vnplan's (wall time, and for the OCR path also CPU
time, which the other work on a shared machine disturbs less) (target: >= 1.3 on 500 dpi colour, >= 1.0
on 300 dpi grey), printed with each side's CER against the text layer of the printed
document, page by page (both texts in reading order, whitespace folded).

Then a folder of scanned PDFs (whole documents, 300 dpi grey; --folder, by default 9
documents of 1-7 pages, 33 pages, so that the run's fixed cost of a few seconds weighs
as it does on a real folder): `vnplan extract` over it, in pages/s, against the pages of
the same documents read in parallel by one pool (ocr.read_pages, in this process, its
engines already loaded), the target being a folder as fast as its pages in parallel; and
against `tesseract` by hand on the same pages, as above (target >= 1.0).

    .venv/bin/python bench/ocr.py [--work DIR] [--only r011 r013 ...] [--folder r001 ...] [--rounds N]
"""

from __future__ import annotations

import argparse
import compileall
import ctypes
import json
import os
import resource
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
from make_scans import full_set, page_images
from measure_ocr import cer, fold
from PIL import Image

from pipeline.ingest import ocr
from pipeline.ingest.image import frame_loader, page_dpi
from pipeline.ingest.pdf import renderer

WORK = ROOT / "bench" / "work"
PR_SET_CHILD_SUBREAPER = 36
ROUNDS = 2
VNPLAN = Path(sys.executable).parent / "vnplan"
TARGETS = {"colour500": 1.3, "300": 1.0}
# Short documents (2-4 pages): 8 pages a look, so that a run stays within minutes.
DEFAULT_ONLY = ["r003", "r011", "r019"]
# The folder: documents of every length (1-7 pages), 33 pages.
DEFAULT_FOLDER = ["r001", "r003", "r007", "r009", "r011", "r013", "r015", "r019", "r025"]


def adopt_orphans() -> None:
    """Make this process the reaper of its descendants whose parent exits first (Linux):
    vnplan's workers are children of a fork server that its command does not wait for, so
    their CPU time would otherwise never reach RUSAGE_CHILDREN."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1)


def reap_orphans(timeout: float = 30.0) -> None:
    """Wait for the descendants left behind (a fork server exiting after its parent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            time.sleep(0.05)


def cpu_seconds() -> float:
    """User and system CPU of this process and of its finished subprocesses (Tesseract):
    steadier than wall time on a machine shared with other work."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def by_hand(images: list[Path], out: Path, workers: int) -> tuple[float, float, dict[str, str]]:
    """Seconds (wall, CPU) for the `tesseract` command on every image, and each page's text."""
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    conf = ocr.settings()

    def one(image: Path) -> None:
        command = ["tesseract", str(image), str(out / image.stem), "-l", conf["language"], "--psm", "3"]
        subprocess.run(command, env=environment, check=True, capture_output=True)

    started, cpu = time.perf_counter(), cpu_seconds()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, images))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return seconds, cpu, {image.stem: (out / f"{image.stem}.txt").read_text(encoding="utf-8") for image in images}


def vnplan_extract(sources: list[Path], out: Path, workers: int) -> tuple[float, float, list[dict]]:
    """Seconds (wall, CPU of the command and its workers) for `vnplan extract` over the
    files (in a folder of their own), and its records."""
    folder = out / "in"
    folder.mkdir(parents=True)
    for source in sources:
        os.link(source, folder / source.name)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The command's output goes to a file, not a pipe: reading a pipe to its end would also
    # wait for the fork server, which shares it and exits on its own after the command.
    with open(out / "vnplan.log", "w", encoding="utf-8") as log:
        started, cpu = time.perf_counter(), cpu_seconds()
        subprocess.run([str(VNPLAN), "extract", str(folder), "--out", str(out / "x"), "--workers", str(workers)],
                       env=environment, check=True, stdout=log, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - started
    reap_orphans()
    cpu = cpu_seconds() - cpu
    lines = (out / "x" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return seconds, cpu, [json.loads(line) for line in lines if line.strip()]


def page_path(images: list[Path], workers: int) -> tuple[float, float, dict[str, str]]:
    """Seconds (wall, CPU) for vnplan's OCR of the images in one pool of pages (decoding, ink,
    resolution, deskew, orientation, Tesseract, its TSV read back), and each page's words."""
    loaders = []
    for image in images:
        frame = Image.open(image)
        loaders.append(frame_loader(frame, 0, page_dpi(frame)[0]))
    started, cpu = time.perf_counter(), cpu_seconds()
    results = ocr.read_pages(loaders, workers)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return seconds, cpu, {image.stem: "\n".join(" ".join(w.text for w in row.words) for row in result.rows)
                     for image, result in zip(images, results)}


def layer_pages(pdfs: list[Path]) -> dict[str, str]:
    """The text layer of each page of the printed documents, keyed as page_images names pages."""
    texts = {}
    for pdf in pdfs:
        document = pypdfium2.PdfDocument(pdf)
        for index in range(len(document)):
            texts[f"{pdf.stem}-p{index + 1}"] = document[index].get_textpage().get_text_range()
        document.close()
    return texts


def page_cer(reference: dict[str, str], read: dict[str, str]) -> float:
    errors = total = 0.0
    for key, text in reference.items():
        size = len(fold(text))
        errors += cer(text, read.get(key, "")) * size
        total += size
    return errors / max(1.0, total)


def compare_pages(look: str, scans: list[Path], printed: list[Path], work: Path, workers: int, rounds: int) -> None:
    images = page_images(scans, work / f"pages-{look}", keep_dpi=True)
    reference = {key: text for key, text in layer_pages(printed).items() if key in {i.stem for i in images}}
    hand = pages = extract = hand_cpu = pages_cpu = extract_cpu = float("inf")
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(dir=work) as folder:
            seconds, cpu, hand_texts = by_hand(images, Path(folder), workers)
            hand, hand_cpu = min(hand, seconds), min(hand_cpu, cpu)
        seconds, cpu, page_texts = page_path(images, workers)
        pages, pages_cpu = min(pages, seconds), min(pages_cpu, cpu)
        with tempfile.TemporaryDirectory(dir=work) as folder:
            seconds, cpu, records = vnplan_extract(images, Path(folder), workers)
            extract, extract_cpu = min(extract, seconds), min(extract_cpu, cpu)
    extract_texts = {Path(record["source"]).stem: record.get("text") or "" for record in records}
    target = TARGETS.get(look, 1.0)
    n = len(images)
    print(f"  {look}: {n} page images; tesseract by hand {hand:.1f} s ({n / hand:.2f} pages/s, CPU {hand_cpu:.1f} s), "
          f"CER {page_cer(reference, hand_texts):.2%}")
    for name, seconds, cpu, texts in (("vnplan OCR path", pages, pages_cpu, page_texts),
                                      ("vnplan extract", extract, extract_cpu, extract_texts)):
        print(f"    {name:<16} {seconds:5.1f} s ({n / seconds:.2f} pages/s): {hand / seconds:.2f}x "
              f"(target >= {target}x) {'ok' if hand / seconds >= target else 'UNDER'}"
              + (f"; CPU {cpu:.1f} s: {hand_cpu / cpu:.2f}x" if cpu else "")
              + f"; CER {page_cer(reference, texts):.2%}", flush=True)


def compare_folder(scans: list[Path], work: Path, workers: int, rounds: int) -> None:
    """A folder of whole scanned documents against all their pages in one pool, and against
    the `tesseract` command by hand on the same pages (their images at their own resolution)."""
    images = page_images(scans, work / "pages-300", keep_dpi=True)
    pages = len(images)
    hand = pooled = folder_s = hand_cpu = pooled_cpu = folder_cpu = float("inf")
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(dir=work) as folder:
            seconds, cpu, _ = by_hand(images, Path(folder), workers)
            hand, hand_cpu = min(hand, seconds), min(hand_cpu, cpu)
        documents = [pypdfium2.PdfDocument(path) for path in scans]
        loaders = [renderer(document[index]) for document in documents for index in range(len(document))]
        started, cpu = time.perf_counter(), cpu_seconds()
        ocr.read_pages(loaders, workers)
        pooled, pooled_cpu = min(pooled, time.perf_counter() - started), min(pooled_cpu, cpu_seconds() - cpu)
        for document in documents:
            document.close()
        with tempfile.TemporaryDirectory(dir=work) as folder:
            seconds, cpu, _ = vnplan_extract(scans, Path(folder), workers)
            folder_s, folder_cpu = min(folder_s, seconds), min(folder_cpu, cpu)
    target = TARGETS["300"]
    print(f"  folder of {len(scans)} scanned documents, {pages} pages: vnplan extract {pages / folder_s:.2f} pages/s "
          f"({folder_s:.1f} s, CPU {folder_cpu:.1f} s); pages in parallel (one OCR pool, OCR only) "
          f"{pages / pooled:.2f} pages/s ({pooled:.1f} s, CPU {pooled_cpu:.1f} s): "
          f"{pooled / folder_s:.0%} (target ~100%)\n"
          f"    against tesseract by hand on the same pages ({hand:.1f} s, CPU {hand_cpu:.1f} s): vnplan extract "
          f"{hand / folder_s:.2f}x (target >= {target}x) {'ok' if hand / folder_s >= target else 'UNDER'}; "
          f"CPU {hand_cpu / folder_cpu:.2f}x", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=WORK, help="where the scans and page images are made")
    parser.add_argument("--only", nargs="+", default=DEFAULT_ONLY, help="real documents whose names start so")
    parser.add_argument("--looks", nargs="+", default=list(TARGETS), help="looks to compare page by page")
    parser.add_argument("--folder", nargs="+", default=DEFAULT_FOLDER, help="real documents of the folder (300 dpi)")
    parser.add_argument("--no-folder", action="store_true", help="skip the folder of whole documents")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of each measurement, best kept")
    args = parser.parse_args(argv)
    adopt_orphans()
    # vnplan as installed, its bytecode written (make's install step, as pip's for a regular
    # install): where PYTHONDONTWRITEBYTECODE is set, every process of vnplan would otherwise
    # compile the package's sources again.
    compileall.compile_dir(ROOT / "pipeline", quiet=1)
    work = args.work / "real"
    scans = full_set(work, args.looks, real=True, prefixes=args.only)
    printed = sorted(p for p in (work / "text").glob("*.pdf") if p.name.startswith(tuple(args.only)))
    workers = ocr.worker_count()
    print(f"OCR against tesseract by hand: real documents {' '.join(args.only)}, {workers} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    for look in args.looks:
        compare_pages(look, scans[look], printed, work, workers, args.rounds)
    if not args.no_folder:
        compare_folder(full_set(work, ["300"], real=True, prefixes=args.folder)["300"], work, workers, args.rounds)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
