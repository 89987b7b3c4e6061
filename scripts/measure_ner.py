"""Compare underthesea's NER with the agency gazetteer on the sample documents.

Each finder's organisation names are scored against the gold ``agencies`` lists with
fold() equality. NER runs line by line (on a whole document it is super-linear).

    .venv/bin/python scripts/measure_ner.py [corpus/txt] [gold_dir]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from underthesea import ner

from pipeline.extract.agencies import find_agencies
from pipeline.records import Document
from pipeline.text import fold, normalise_unicode


def ner_organisations(text: str) -> set[str]:
    """B-ORG/I-ORG runs from underthesea's CRF tagger, one line at a time."""
    found: set[str] = set()
    for line in normalise_unicode(text).splitlines():
        if not line.strip():
            continue
        current: list[str] = []
        for token, _pos, _chunk, tag in ner(line):
            if tag == "B-ORG" or (tag == "I-ORG" and not current):
                if current:
                    found.add(" ".join(current))
                current = [token]
            elif tag == "I-ORG":
                current.append(token)
            elif current:
                found.add(" ".join(current))
                current = []
        if current:
            found.add(" ".join(current))
    return {fold(name) for name in found}


def score(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(corpus: Path, gold_dir: Path) -> None:
    ner_pairs, gazetteer_pairs, union_pairs = [], [], []
    ner_seconds = gazetteer_seconds = 0.0
    for path in sorted(corpus.glob("*.txt")):
        gold = {fold(n) for n in json.loads((gold_dir / path.with_suffix(".json").name).read_text())["agencies"]}
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        by_ner = ner_organisations(text)
        ner_seconds += time.perf_counter() - start
        start = time.perf_counter()
        by_gazetteer = {fold(a.name) for a in find_agencies(Document.of_text(text))}
        gazetteer_seconds += time.perf_counter() - start
        ner_pairs.append((gold, by_ner))
        gazetteer_pairs.append((gold, by_gazetteer))
        union_pairs.append((gold, by_ner | by_gazetteer))
        print(f"{path.name}: NER ORG {sorted(by_ner)}; NER adds {sorted((by_ner - by_gazetteer) & gold)}")
    for label, pairs, seconds in (
        ("underthesea NER", ner_pairs, ner_seconds),
        ("gazetteer", gazetteer_pairs, gazetteer_seconds),
        ("union", union_pairs, ner_seconds + gazetteer_seconds),
    ):
        precision, recall, f1 = score(pairs)
        print(f"{label:16} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  ({seconds:.2f} s)")


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else root / "corpus" / "txt",
        Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gold",
    )
