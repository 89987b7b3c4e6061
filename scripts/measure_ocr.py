"""OCR quality on scans: character error rate, extraction scores, ink and speed.

Builds (once) scans with scripts/make_scans.py: of the sample PDFs (default), or of the
real documents of the shared corpus (--real, printed to PDF first), in the looks asked for
(300: grey; 200: degraded; colour500: 500 dpi colour with seal, signature and
received-stamp; rotated; phone). For each look it reads every scan with OCR and compares:

- CER: Levenshtein distance (rapidfuzz) between the record's text (normalised) from the
  scan and from the text layer of the same PDF, after NFC and folding whitespace runs to
  one space, over the length of the text-layer text;
- every `vnplan eval` score against the gold set, beside the text path's (the sample
  PDFs' text layer, or the real documents' own text files) and, for real documents, the
  printed PDF's text layer's (what printing alone changes; OCR cannot read better);
- for looks with ink: the share of the lines under the seal (signer's title and name)
  found in the OCR text, and whether the received-stamp's words became text;
- seconds per page (documents one after another, pages of each in parallel).

Settings of models/ocr.yaml can be overridden to compare choices, e.g.

    .venv/bin/python scripts/measure_ocr.py                      # the configured settings
    .venv/bin/python scripts/measure_ocr.py --set render_dpi=200 --set deskew.enabled=false
    .venv/bin/python scripts/measure_ocr.py --real --looks colour500 --only r001 r009 --set resolution.ocr_dpi=250

Records are kept in WORK/records-*.jsonl, for `vnplan eval --per-doc`.
"""

from __future__ import annotations

import argparse
import json
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

from make_scans import full_set

from pipeline.evaluate import EvalReport, evaluate_records, load_gold
from pipeline.ingest.ocr import settings
from pipeline.process import process_file
from pipeline.text import normalise_unicode

WORK = ROOT / "bench" / "work" / "scans"
SHARED = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "corpus" / "pdf"
# Targets of the OCR issues: CER on clean scans, and how far any score may drop (0.10 on
# looks other than the 300 dpi grey one).
MAX_CER_CLEAN = 0.02
MAX_DROP = {"300": 0.05}
OTHER_DROP = 0.10
# Words of make_scans' received-stamp that OCR must not turn into text.
STAMP_WORDS = ("2417", "P.KT", "Chuyển:")


def fold(text: str) -> str:
    return regex.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def cer(reference: str, hypothesis: str) -> float:
    reference, hypothesis = fold(reference), fold(hypothesis)
    return Levenshtein.distance(reference, hypothesis) / max(1, len(reference))


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


def run(paths: list[Path], ocr: str, name: str, work: Path) -> tuple[list[dict], float]:
    """Each file's record (also written to WORK/records-NAME.jsonl) and seconds per page."""
    started = time.perf_counter()
    records = [process_file(path, ocr=ocr).to_dict() for path in paths]
    seconds = (time.perf_counter() - started) / max(1, sum(r["ingest"]["pages"] for r in records))
    out = work / f"records-{name}.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return records, seconds


def overall_cer(references: dict[str, str], records: list[dict]) -> float:
    """CER over all characters of the records' normalised text, each document printed."""
    errors = total = 0.0
    for record in records:
        stem = Path(record["source"]).stem
        reference = references[stem]
        rate = cer(reference, record["text"])
        errors += rate * len(fold(reference))
        total += len(fold(reference))
        print(f"  {stem}: CER {rate:.2%}, confidence {record['ingest']['ocr_confidence'] or 0:.1f}", flush=True)
    return errors / total


def ink(paths: list[Path], records: list[dict]) -> str:
    """Words of the lines under the seal found in the text, and stamps that became text (make_scans' marks)."""
    found = under = stamped = stamps = 0
    words_of = {Path(r["source"]).stem: set(fold(r["text"]).split()) for r in records}
    for path in paths:
        marks_file = path.with_suffix(".marks.json")
        if not marks_file.exists():
            continue
        marks = json.loads(marks_file.read_text(encoding="utf-8"))
        words = words_of[path.stem]
        for word in fold(normalise_unicode(" ".join(marks["under_seal"]))).split():
            under += 1
            found += word in words
        if marks["stamp"]:
            stamps += 1
            stamped += any(word in words for word in STAMP_WORDS)
    return f"under seal {found}/{under} words read, received-stamp as text {stamped}/{stamps}" if stamps else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--looks", nargs="+", default=["300", "200"], help="scan looks to measure (make_scans.LOOKS)")
    parser.add_argument("--real", action="store_true", help="the real documents of the shared corpus, not the samples")
    parser.add_argument("--only", nargs="+", help="only the sources whose names start so")
    parser.add_argument("--work", type=Path, default=WORK, help="where the scans are made and records kept")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="override a models/ocr.yaml setting")
    args = parser.parse_args(argv)
    override(args.overrides)
    work = args.work / ("real" if args.real else "samples")
    scans = full_set(work, args.looks, args.real, args.only)
    conf = settings()
    print(f"settings: psm {conf['psm']}, render {conf['render_dpi']} dpi, resolution {conf['resolution']}, "
          f"ink {conf['ink']['method']}, deskew {conf['deskew']['enabled']}, median {conf['median_filter']}")
    printed = sorted((work / "text").glob("*.pdf")) if args.real else sorted(SAMPLES.glob("*.pdf"))
    printed = [p for p in printed if not args.only or p.name.startswith(tuple(args.only))]
    layer_records, _ = run(printed, "never", "layer", work)
    references = {Path(r["source"]).stem: r["text"] for r in layer_records}
    if args.real:
        texts = sorted((SHARED / "real" / "docs").glob("*.txt"))
        text_records, _ = run([p for p in texts if not args.only or p.name.startswith(tuple(args.only))], "never", "text", work)
    else:
        text_records = layer_records
    golds = load_gold(SHARED / "real" / "gold" if args.real else SHARED / "gold")
    golds = [g for g in golds if not args.only or g["doc"].startswith(tuple(args.only))]
    baseline = scores(evaluate_records(golds, text_records))
    printed_scores = scores(evaluate_records(golds, layer_records))
    results: dict[str, tuple[float, float, dict[str, float | None], str]] = {}
    for look in args.looks:
        print(f"{look} scans:")
        records, seconds = run(scans[look], "auto", f"scans-{look}", work)
        results[look] = (overall_cer(references, records), seconds, scores(evaluate_records(golds, records)), ink(scans[look], records))
    print()
    print(f"{'look':<12}{'CER':>8}{'s/page':>8}  (CER target <= {MAX_CER_CLEAN:.0%} at 300 dpi)")
    for look, (overall, seconds, _, inked) in results.items():
        print(f"{look:<12}{overall:>8.2%}{seconds:>8.2f}  {inked}")
    print()
    print(f"{'score':<28}{'text':>7}{'printed':>8}" + "".join(f"{look:>11}{'delta':>7}" for look in results))
    worst = {look: 0.0 for look in results}
    worst_printed = {look: 0.0 for look in results}
    for name, value in baseline.items():
        line = f"{name:<28}{_rate(value):>7}{_rate(printed_scores.get(name)):>8}"
        for look, (_, _, evaluated, _) in results.items():
            other = evaluated.get(name)
            delta = None if value is None or other is None else other - value
            worst[look] = min(worst[look], delta or 0.0)
            if other is not None and printed_scores.get(name) is not None:
                worst_printed[look] = min(worst_printed[look], other - printed_scores[name])
            line += f"{_rate(other):>11}{'' if delta is None else f'{delta:+.3f}':>7}"
        print(line)
    print()
    for look, drop in worst.items():
        allowed = MAX_DROP.get(look, OTHER_DROP)
        print(f"{look}: largest drop {-drop:.3f} (allowed {allowed:.2f}) {'ok' if -drop <= allowed else 'OVER'}; "
              f"from the printed PDF's own text layer {-worst_printed[look]:.3f}")
    return 0


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
