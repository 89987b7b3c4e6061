"""Render the sample documents (corpus/txt/*.txt) in the legacy encodings TCVN3 and VNI.

Old archives hold such files: the same letters as Windows-1252 bytes that only a
.VnTime or VNI-Times font draws as Vietnamese. The renderings test that ingest converts
them back (tests/ingest/test_legacy.py). Each encoding gets its own folder and the files
keep their names, so a rendering is scored against the same gold document.

    python scripts/make_legacy.py [OUT_DIR] [--limit N]    (default OUT_DIR: corpus/legacy)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.ingest.legacy import ENCODERS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "corpus" / "txt"


def render(text: str, encoding: str) -> bytes:
    """The text's letters in the legacy encoding, stored as the Windows-1252 bytes old editors wrote."""
    return ENCODERS[encoding](text).encode("cp1252")


def make_legacy(out: Path, limit: int | None = None) -> list[Path]:
    written = []
    for source in sorted(SOURCES.glob("*.txt"))[:limit]:
        text = source.read_text(encoding="utf-8")
        for encoding in ENCODERS:
            target = out / encoding / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render(text, encoding))
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "corpus" / "legacy")
    parser.add_argument("--limit", type=int, default=None, help="render only the first N documents")
    args = parser.parse_args()
    for path in make_legacy(args.out, args.limit):
        print(path)


if __name__ == "__main__":
    main()
