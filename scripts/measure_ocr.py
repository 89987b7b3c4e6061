"""OCR quality on scans of the sample PDFs: character error rate and extraction scores.

Builds (once) scans of every sample in bench/work/scans/: 300 dpi clean and 200 dpi
skewed, grainy and JPEG-compressed (scripts/make_scans.py). For each set it reads every
scan with OCR and compares:

- CER: Levenshtein distance (rapidfuzz) between the OCR text and the text layer of the
  same sample PDF, after NFC and folding whitespace runs to one space, over the length of
  the text-layer text;
- every `vnplan eval` score against the gold set, beside the text-layer result.

Settings of models/ocr.yaml can be overridden to compare choices, e.g.

    .venv/bin/python scripts/measure_ocr.py                      # the configured settings
    .venv/bin/python scripts/measure_ocr.py --set render_dpi=200 --set deskew.enabled=false
    .venv/bin/python scripts/measure_ocr.py --sets 200 --no-eval --set psm=6
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import regex
import yaml
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_scans import full_set  # noqa: E402
from pipeline.evaluate import EvalReport, evaluate_records, load_gold  # noqa: E402
from pipeline.ingest import read_document  # noqa: E402
from pipeline.ingest.ocr import settings  # noqa: E402
from pipeline.process import process_file  # noqa: E402

WORK = ROOT / "bench" / "work" / "scans"
GOLD = ROOT.parent / "shared" / "corpus" / "gold"
SAMPLES = ROOT / "corpus" / "pdf"
# Targets of the OCR issue: CER on clean scans, and how far any score may drop.
MAX_CER_CLEAN = 0.02
MAX_DROP = {300: 0.05, 200: 0.10}


def fold(text: str) -> str:
    return regex.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def cer(reference: str, hypothesis: str) -> float:
    reference, hypothesis = fold(reference), fold(hypothesis)
    return Levenshtein.distance(reference, hypothesis) / max(1, len(reference))


def document_text(path: Path, ocr: str) -> tuple[str, int, float | None]:
    document = read_document(path, ocr=ocr)
    return "\n".join(page.text for page in document.pages), len(document.pages), document.ocr_confidence


def override(assignments: list[str]) -> None:
    """``key.sub=value`` pairs applied to the loaded settings (the dict load_model caches)."""
    for assignment in assignments:
        key, value = assignment.split("=", 1)
        *path, last = key.split(".")
        target = settings()
        for part in path:
            target = target[part]
        target[last] = yaml.safe_load(value)


def scores(report: EvalReport) -> dict[str, float | None]:
    """Every header accuracy, list F1 and matched-pair accuracy of a report."""
    values = {name: prf.f1 for name, prf in report.lists.items()}
    values.update({name: acc.value for name, acc in report.accuracy.items()})
    return values


def evaluate(paths: list[Path], ocr: str) -> dict[str, float | None]:
    records = [process_file(path, ocr=ocr).to_dict() for path in paths]
    return scores(evaluate_records(load_gold(GOLD), records))


def measure_cer(paths: list[Path], references: dict[str, str]) -> tuple[dict[str, float], float, float]:
    """CER per document and over all characters, and seconds per page."""
    per_doc: dict[str, float] = {}
    errors = total = pages = 0
    started = time.perf_counter()
    for path in paths:
        text, count, confidence = document_text(path, "auto")
        reference = references[path.stem]
        per_doc[path.stem] = cer(reference, text)
        errors += per_doc[path.stem] * len(fold(reference))
        total += len(fold(reference))
        pages += count
        print(f"  {path.parent.name}/{path.name}: CER {per_doc[path.stem]:.2%}, confidence {confidence:.1f}", flush=True)
    return per_doc, errors / total, (time.perf_counter() - started) / pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=int, nargs="+", default=[300, 200], help="scan sets to measure (300, 200)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="override a models/ocr.yaml setting")
    parser.add_argument("--no-eval", action="store_true", help="CER only")
    args = parser.parse_args(argv)
    override(args.overrides)
    scans = full_set(WORK)
    originals = sorted(SAMPLES.glob("*.pdf"))
    references = {path.stem: document_text(path, "never")[0] for path in originals}
    print(f"settings: psm {settings()['psm']}, render {settings()['render_dpi']} dpi, deskew {settings()['deskew']['enabled']}, median {settings()['median_filter']}")
    baseline = {} if args.no_eval else evaluate(originals, "never")
    results: dict[int, tuple[float, float, dict[str, float | None]]] = {}
    for dpi in args.sets:
        print(f"{dpi} dpi scans:")
        _, overall, seconds = measure_cer(scans[dpi], references)
        results[dpi] = (overall, seconds, {} if args.no_eval else evaluate(scans[dpi], "auto"))
    print()
    print(f"{'set':<10}{'CER':>8}{'s/page':>8}  (CER target <= {MAX_CER_CLEAN:.0%} at 300 dpi)")
    for dpi, (overall, seconds, _) in results.items():
        print(f"{dpi} dpi{'':<4}{overall:>8.2%}{seconds:>8.2f}")
    if args.no_eval:
        return 0
    print()
    header = f"{'score':<28}{'text':>7}" + "".join(f"{f'{dpi} dpi':>9}{'delta':>7}" for dpi in results)
    print(header)
    worst = {dpi: 0.0 for dpi in results}
    for name, value in baseline.items():
        line = f"{name:<28}{_rate(value):>7}"
        for dpi, (_, _, evaluated) in results.items():
            other = evaluated.get(name)
            delta = None if value is None or other is None else other - value
            worst[dpi] = min(worst[dpi], delta or 0.0)
            line += f"{_rate(other):>9}{'' if delta is None else f'{delta:+.3f}':>7}"
        print(line)
    print()
    for dpi, drop in worst.items():
        verdict = "ok" if -drop <= MAX_DROP[dpi] else "OVER"
        print(f"{dpi} dpi: largest drop {-drop:.3f} (allowed {MAX_DROP[dpi]:.2f}) {verdict}")
    return 0


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
