"""What a scoring run reports, in the two shapes ``vnplan eval`` prints: the result types with
their JSON form (``to_dict``, for ``--json``) and the plain-text table (``format_report``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluate.rules import list_specs
from pipeline.wording import counted


@dataclass
class PRF:
    """Counts for a list field; rates are None where they are undefined (nothing to count)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add(self, other: Accuracy) -> None:
        self.correct += other.correct
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


@dataclass
class Mismatch:
    """One disagreement; gold None is an extra prediction, predicted None a miss."""

    field: str
    gold: str | None
    predicted: str | None
    context: str | None = None  # the matched gold item, for an attribute mismatch


@dataclass
class DocResult:
    doc: str
    source: str | None  # the matched record's source, None when missing
    status: str  # ok | error | missing
    error: str | None = None
    lists: dict[str, PRF] = field(default_factory=dict)
    accuracy: dict[str, Accuracy] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "source": self.source,
            "status": self.status,
            "error": self.error,
            "lists": {k: v.to_dict() for k, v in self.lists.items()},
            "accuracy": {k: v.to_dict() for k, v in self.accuracy.items()},
            "mismatches": [vars(m) for m in self.mismatches],
        }


@dataclass
class EvalReport:
    docs: list[DocResult]
    lists: dict[str, PRF]
    accuracy: dict[str, Accuracy]
    unmatched_records: list[str] = field(default_factory=list)  # sources with no gold file

    @property
    def missing(self) -> list[str]:
        return [d.doc for d in self.docs if d.status == "missing"]

    @property
    def errors(self) -> list[str]:
        return [d.doc for d in self.docs if d.status == "error"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_gold": len(self.docs),
            "missing": self.missing,
            "errors": self.errors,
            "unmatched_records": self.unmatched_records,
            "lists": {k: v.to_dict() for k, v in self.lists.items()},
            "accuracy": {k: v.to_dict() for k, v in self.accuracy.items()},
            "docs": [d.to_dict() for d in self.docs],
        }


# --------------------------------------------------------------------------- printing


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _accuracy_lines(title: str, items: dict[str, Accuracy]) -> list[str]:
    if not items:
        return []
    width = max(len(k) for k in items) + 2
    lines = [f"{title:<{width}}{'acc':>7}  {'correct/total':>13}"]
    lines += [f"{k:<{width}}{_rate(a.value):>7}  {f'{a.correct}/{a.total}':>13}" for k, a in items.items()]
    return lines + [""]


def _list_lines(items: dict[str, PRF]) -> list[str]:
    if not items:
        return []
    width = max(len(k) for k in items) + 2
    lines = [f"{'List field':<{width}}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}{'match':>7}"]
    lines += [
        f"{k:<{width}}{_rate(s.precision):>7}{_rate(s.recall):>7}{_rate(s.f1):>7}"
        f"{s.tp + s.fn:>7}{s.tp + s.fp:>7}{s.tp:>7}"
        for k, s in items.items()
    ]
    return lines + [""]


def _doc_lines(doc: DocResult) -> list[str]:
    where = doc.source or "no record"
    lines = [f"== {doc.doc}  <- {where} [{doc.status}]" + (f" {doc.error}" if doc.error else "")]
    for m in doc.mismatches:
        if m.gold is None:
            lines.append(f"  {m.field}: extra      {m.predicted}")
        elif m.predicted is None and m.field in {s.name for s in list_specs()}:
            lines.append(f"  {m.field}: missed     {m.gold}")
        else:
            lines.append(f"  {m.field}: gold {m.gold!r} | predicted {m.predicted!r}")
            if m.context:
                lines.append(f"      in {m.context}")
    if not doc.mismatches:
        lines.append("  all correct")
    return lines


def format_report(report: EvalReport, per_doc: bool = False) -> str:
    """A plain-text table for the terminal; per_doc adds every mismatch, gold against predicted."""
    header = {k: v for k, v in report.accuracy.items() if k.startswith("document.")}
    pairs = {k: v for k, v in report.accuracy.items() if not k.startswith("document.")}
    lines = [
        f"{counted(len(report.docs), 'gold document')}: {len(report.docs) - len(report.missing)} with a record "
        f"({len(report.errors)} failed), {len(report.missing)} missing",
        "",
    ]
    lines += _accuracy_lines("Header field", header)
    rates = [a.value for a in header.values() if a.value is not None]
    if rates:
        lines[-1:] = [f"mean of the {len(rates)} header fields: {sum(rates) / len(rates):.3f}", ""]
    lines += _list_lines(report.lists)
    lines += _accuracy_lines("Matched pairs", pairs)
    if report.missing:
        lines.append("Missing records: " + ", ".join(report.missing))
    if report.unmatched_records:
        lines.append(f"Records without gold: {len(report.unmatched_records)}")
    if per_doc:
        for doc in report.docs:
            lines += [""] + _doc_lines(doc)
    return "\n".join(lines).rstrip() + "\n"
