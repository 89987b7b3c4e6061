"""Accuracy and cost of the skew estimate (ingest/ocr.py skew_angle) on pages turned by known angles.

Scans of the real documents of the shared corpus (scripts/make_scans.py --real, made once in
WORK): every page of the 300 dpi grey look turned by 0, by up to +-3 and by up to +-10
degrees, and onto a side or upside down and up to +-8 more (seeded, so reruns draw the same
angles); and every page of the 200 dpi degraded look, which make_scans turns by its own
skew. For each page the error is how far the page would still be off after the turn the
estimate asks for (modulo quarter turns, which orientation detection handles); an estimate
below min_degrees turns nothing, so its error is the whole angle.

    .venv/bin/python scripts/measure_skew.py [--work DIR] [--seed N] [--only r001 r003 ...]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2
from make_scans import LOOKS, full_set
from PIL import Image

from pipeline.ingest.ocr import skew_angle

WORK = ROOT / "bench" / "work" / "skew"


def pages(pdf: Path, dpi: float) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def turned_pages(scans: dict[str, list[Path]], draw: random.Random) -> Iterator[tuple[str, float, Image.Image, float]]:
    """(name, dpi, page, the angle it was turned by, counter-clockwise) of every page asked
    for, one at a time: some 400 pages at 300 dpi would not fit in memory at once."""
    for pdf in scans["300"]:
        for number, page in enumerate(pages(pdf, 300), 1):
            for angle in (0.0, draw.uniform(-3, 3), draw.uniform(-10, 10), draw.choice((90, 180, 270)) + draw.uniform(-8, 8)):
                turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255) if angle else page
                yield f"{pdf.stem}-p{number}", 300.0, turned, angle
    for pdf in scans["200"]:
        yield from ((f"{pdf.stem}-p{n} (200)", 200.0, page, LOOKS["200"].skew) for n, page in enumerate(pages(pdf, 200), 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=WORK, help="where the scans are made")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="real documents whose name starts so")
    args = parser.parse_args(argv)
    scans = full_set(args.work, ["300", "200"], real=True, prefixes=args.only)
    errors, seconds = [], []
    for name, dpi, page, angle in turned_pages(scans, random.Random(args.seed)):
        started = time.perf_counter()
        estimate = skew_angle(page, dpi)
        seconds.append(time.perf_counter() - started)
        left = (angle + estimate + 45) % 90 - 45
        errors.append((abs(left), name, angle, estimate))
    errors.sort(reverse=True)
    print(f"{len(errors)} pages: off by {statistics.mean(e[0] for e in errors):.3f} degrees on average, "
          f"{errors[0][0]:.2f} at most; {sum(e[0] > 0.3 for e in errors)} off by more than 0.3; "
          f"{statistics.mean(seconds):.3f} s a page")
    for left, name, angle, estimate in errors[:5]:
        print(f"  {name}: turned {angle:+.2f}, estimate {estimate:+.2f}, off by {left:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
