"""Coverage of a pool of documents without answer keys: per document, whether type, number,
date, issuer, signer and a duty (where the text assigns work) were found, type, number and
issuer compared with what its SOURCES.md table says a reader sees; prints the shares and
the misses (pipeline/evaluate/coverage.py).

    .venv/bin/python scripts/measure_pool.py RECORDS_JSONL [SOURCES_MD] [--json]

SOURCES_MD defaults to the SOURCES.md beside the records' first source file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.evaluate import load_records
from pipeline.evaluate.coverage import coverage, format_coverage, read_sources


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    args = [arg for arg in argv if arg != "--json"]
    if not args or len(args) > 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    records = load_records(args[0])
    sources = Path(args[1]) if len(args) == 2 else Path(records[0]["source"]).parent / "SOURCES.md"
    report = coverage(read_sources(sources), records)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else format_coverage(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
