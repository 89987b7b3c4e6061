"""Header fields of real originals (signed PDFs, scans, old Word files) against what a reader
sees on their rendered pages: the table of the folder's SOURCES.md.

Runs the pipeline over every file the table names and scores type, number, issuer,
province, issue date and signer with the keys of `vnplan eval` (pipeline/evaluate/keys.py
through HEADER_KEYS), then prints each file's results and the totals against the bar.

    .venv/bin/python scripts/measure_originals.py                    # /work/shared/corpus/originals
    .venv/bin/python scripts/measure_originals.py FOLDER --save out.jsonl
    .venv/bin/python scripts/measure_originals.py FOLDER --records out.jsonl   # score saved records

SOURCES.md writes a blank the way a reader says it: "…/VP-NCKSTTHC (blank)" is a number
left blank (the record's number is then null), "2024-11 (day blank)" a date without its day.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluate.rules import HEADER_KEYS  # noqa: E402

FOLDER = Path("/work/shared/corpus/originals")
# SOURCES.md column -> record field
COLUMNS = {
    "type": "doc_type",
    "number": "number",
    "issuer": "issuer",
    "province": "province",
    "issue date": "issue_date",
    "signer": "signer_name",
}
# The bar of the originals issue; issuer is reported, not barred.
BAR = {"number": 0.95, "issue_date": 0.95, "doc_type": 0.95, "signer_name": 0.90, "province": 0.90}
_NOTE = regex.compile(r"\s*\([^)]*\)\s*$")


def read_sources(folder: Path) -> dict[str, dict[str, str | None]]:
    """The table's rows by file name, each field as the record would hold it."""
    rows: dict[str, dict[str, str | None]] = {}
    header: list[str] | None = None
    for line in (folder / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells))
        rows[row["file"]] = {field: gold_value(field, row[column]) for column, field in COLUMNS.items()}
    return rows


def gold_value(field: str, cell: str) -> str | None:
    """"None" is null; a note in brackets is dropped; a number with no digit before its
    "/" was left blank, so the record's number is null."""
    value = _NOTE.sub("", cell).strip()
    if value in ("", "None"):
        return None
    if field == "number" and not regex.search(r"\d", value.split("/")[0]):
        return None
    return value


def _process(path: str) -> dict:
    from pipeline.process import process_file

    return process_file(path).to_dict()


def run(folder: Path, names: list[str], workers: int) -> dict[str, dict]:
    """One record per file, files in parallel (each file's OCR then on one core)."""
    if workers > 1:
        os.environ.setdefault("VNPLAN_OCR_WORKERS", "1")
    paths = [str(folder / name) for name in names]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return {Path(record["source"]).name: record for record in pool.map(_process, paths)}


def score(gold: dict[str, dict], records: dict[str, dict]) -> dict[str, list[tuple[str, bool, object, object]]]:
    """Per field, one (file, right, gold, predicted) per file."""
    results: dict[str, list] = {field: [] for field in COLUMNS.values()}
    for name, expected in gold.items():
        predicted = (records.get(name) or {}).get("document") or {}
        for field, value in expected.items():
            key = HEADER_KEYS[field]
            results[field].append((name, key(value) == key(predicted.get(field)), value, predicted.get(field)))
    return results


def report(results: dict[str, list], records: dict[str, dict]) -> bool:
    """Prints each file's misses and warnings of interest, then the totals; True if the bar is met."""
    names = sorted({name for rows in results.values() for name, *_ in rows})
    for name in names:
        record = records.get(name) or {}
        misses = [f"{field}: {pred!r} (want {want!r})" for field, rows in results.items() for n, ok, want, pred in rows if n == name and not ok]
        status = "ok" if not misses else f"{len(misses)} wrong"
        signatures = len((record.get("document") or {}).get("signatures") or [])
        print(f"{name:10} {status:8} signatures={signatures}  {record.get('error') or ''}")
        for miss in misses:
            print(f"    {miss}")
        for warning in record.get("warnings", []):
            if warning["code"] in ("stamped-value", "stamp-unread", "ocr-unsure", "ocr-reread", "number-invalid", "day-invalid", "ocr-day-repaired", "signature-disagrees"):
                print(f"    [{warning['code']}] {warning['message']}")
    met = True
    print("\nfield          right  share  bar")
    for field, rows in results.items():
        right = sum(ok for _, ok, *_ in rows)
        share = right / len(rows) if rows else 0.0
        bar = BAR.get(field)
        verdict = "" if bar is None else ("met" if share >= bar else "NOT MET")
        met &= bar is None or share >= bar
        print(f"{field:14} {right:2}/{len(rows):<2}  {share:.2f}   {bar or '-'} {verdict}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=FOLDER)
    parser.add_argument("--records", type=Path, help="score these records (JSON lines) instead of running the pipeline")
    parser.add_argument("--save", type=Path, help="write the records made to this file (JSON lines)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    gold = read_sources(args.folder)
    if args.records:
        lines = args.records.read_text(encoding="utf-8").splitlines()
        records = {Path(r["source"]).name: r for r in map(json.loads, lines) if r.get("source")}
    else:
        records = run(args.folder, list(gold), args.workers)
    if args.save:
        args.save.write_text("".join(json.dumps(records[n], ensure_ascii=False) + "\n" for n in gold if n in records), encoding="utf-8")
    return 0 if report(score(gold, records), records) else 1


if __name__ == "__main__":
    sys.exit(main())
