"""Scanned-looking copies of the sample PDFs, to test and measure the OCR path.

Two looks: "clean" renders a page at 300 dpi (grey, JPEG-compressed as a scanner
would store it); "degraded" renders at 200 dpi, turns the page by ~1.5 degrees, adds
grain and saves it as a low-quality JPEG. Output is deterministic (seeded noise).

    .venv/bin/python scripts/make_scans.py [OUT]          # the small committed set (default corpus/scans/)
    .venv/bin/python scripts/make_scans.py OUT --full     # all samples: OUT/300/*.pdf and OUT/200/*.pdf

File names keep the sample's stem, so `vnplan eval` matches a scan to its gold file.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "pdf"


@dataclass(frozen=True)
class Look:
    """How a scan looks: resolution, skew (degrees), grain (std of grey levels) and JPEG quality."""

    dpi: int
    skew: float
    noise: float
    quality: int


CLEAN = Look(dpi=300, skew=0.0, noise=0.0, quality=75)
DEGRADED = Look(dpi=200, skew=1.5, noise=12.0, quality=40)


def render(pdf: Path, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as a grey image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def degrade(image: Image.Image, look: Look, seed: int) -> Image.Image:
    """Skew and grain; the JPEG artefacts come when the image is saved at ``look.quality``."""
    if look.skew:
        image = image.rotate(look.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if look.noise:
        pixels = np.asarray(image, dtype=np.float32)
        pixels += np.random.default_rng(seed).normal(0.0, look.noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image


def jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    """The image as a scanner's JPEG would give it back."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def scan(pdf: Path, look: Look) -> list[Image.Image]:
    """The pages of ``pdf`` as scanned with ``look``."""
    return [jpeg_roundtrip(degrade(page, look, seed=n), look.quality) for n, page in enumerate(render(pdf, look.dpi))]


def save_pdf(pages: list[Image.Image], path: Path, look: Look) -> None:
    """Pillow stores grey images in a PDF as JPEG (DCTDecode), as scanners do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=look.dpi, quality=look.quality)


def sample(prefix: str) -> Path:
    return next(SAMPLES.glob(f"{prefix}_*.pdf"))


def small_set(out: Path) -> list[Path]:
    """The committed set: two 300 dpi PDFs, a header page as PNG, a degraded page as
    JPEG and a two-page TIFF (each image named after its sample and page)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for prefix in ("002", "003"):
        path = out / f"{sample(prefix).stem}.pdf"
        save_pdf(scan(sample(prefix), CLEAN), path, CLEAN)
        written.append(path)
    header = scan(sample("004"), CLEAN)[0]
    png = out / f"{sample('004').stem}-p1.png"
    header.save(png, dpi=(CLEAN.dpi, CLEAN.dpi), optimize=True)
    degraded = [degrade(page, DEGRADED, seed=n) for n, page in enumerate(render(sample("000"), DEGRADED.dpi))]
    jpeg = out / f"{sample('000').stem}-p6.jpg"
    degraded[5].save(jpeg, quality=DEGRADED.quality, dpi=(DEGRADED.dpi, DEGRADED.dpi))
    tiff = out / f"{sample('000').stem}-p5-6.tif"
    closing = [jpeg_roundtrip(page, DEGRADED.quality) for page in degraded[4:6]]
    closing[0].save(tiff, save_all=True, append_images=closing[1:], compression="jpeg", quality=DEGRADED.quality, dpi=(DEGRADED.dpi, DEGRADED.dpi))
    return written + [png, jpeg, tiff]


def full_set(out: Path, prefixes: list[str] | None = None) -> dict[int, list[Path]]:
    """Every sample at both looks: OUT/300/<stem>.pdf (clean) and OUT/200/<stem>.pdf (degraded)."""
    written: dict[int, list[Path]] = {}
    for look in (CLEAN, DEGRADED):
        for pdf in sorted(SAMPLES.glob("*.pdf")):
            if prefixes and pdf.name[:3] not in prefixes:
                continue
            path = out / str(look.dpi) / pdf.name
            if not path.exists():
                save_pdf(scan(pdf, look), path, look)
            written.setdefault(look.dpi, []).append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "corpus" / "scans")
    parser.add_argument("--full", action="store_true", help="all samples at 300 dpi clean and 200 dpi degraded")
    args = parser.parse_args(argv)
    paths = [p for group in full_set(args.out).values() for p in group] if args.full else small_set(args.out)
    for path in paths:
        print(f"{path.stat().st_size / 1e6:6.2f} MB  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
