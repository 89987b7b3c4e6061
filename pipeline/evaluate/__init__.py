"""Score records.jsonl against gold annotations (docs/gold.md): ``vnplan eval GOLD_DIR RECORDS_JSONL``.

Each module builds on the ones before it: ``keys`` (when two values are the same), ``rules``
(what is scored and by which rules, for each kind of the registry), ``report`` (the results,
as JSON and as text), ``score`` (matching and counting), ``inputs`` (reading the gold and
records files). This module is what the CLI, the scripts and the tests call.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.evaluate.inputs import (
    EvalInputError,
    load_gold,
    load_records,
    read_records,
)
from pipeline.evaluate.report import EvalReport, format_report
from pipeline.evaluate.score import evaluate_records

__all__ = [
    "EvalInputError",
    "EvalReport",
    "evaluate",
    "evaluate_records",
    "format_report",
    "load_gold",
    "load_records",
    "read_records",
]


def evaluate(gold_dir: str | Path, records_path: str | Path) -> EvalReport:
    """Users score their own annotated documents the same way the sample corpus is scored."""
    return evaluate_records(load_gold(gold_dir), load_records(records_path))
