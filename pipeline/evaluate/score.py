"""Header fields are scored by accuracy over documents; lists by precision, recall and F1,
micro-averaged over documents, after a greedy one-to-one matching of gold to predicted
items. Attributes of matched pairs (a reference's date, a duty's role) are scored by
accuracy over those pairs, so a wrong date is not also counted as a missed reference.

A gold field or list that a gold file leaves out is not scored for that document, so
partial annotations work.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from pipeline.evaluate.report import PRF, Accuracy, DocResult, EvalReport, Mismatch
from pipeline.evaluate.rules import (
    HEADER_FIELDS,
    HEADER_KEYS,
    Equal,
    Item,
    ListSpec,
    list_specs,
)


def greedy_match(gold: Sequence[Item], pred: Sequence[Item], rules: Sequence[Equal]) -> list[tuple[int, int]]:
    """One-to-one pairs; a strict rule pairs first so a lenient one cannot take its partner."""
    pairs: list[tuple[int, int]] = []
    free_gold = list(range(len(gold)))
    free_pred = list(range(len(pred)))
    for rule in rules:
        for gi in list(free_gold):
            pi = next((i for i in free_pred if rule(gold[gi], pred[i])), None)
            if pi is not None:
                pairs.append((gi, pi))
                free_gold.remove(gi)
                free_pred.remove(pi)
    return sorted(pairs)


def _show(value: Any) -> str | None:
    return None if value is None else str(value)


def score_header(gold: dict, pred: dict, result: DocResult) -> None:
    """Only fields present in the gold "document" are scored; null == null is correct."""
    for name, key in HEADER_KEYS.items():
        if name not in gold:
            continue
        correct = key(gold[name]) == key(pred.get(name))
        result.accuracy[f"document.{name}"] = Accuracy(int(correct), 1)
        if not correct:
            result.mismatches.append(Mismatch(f"document.{name}", _show(gold[name]), _show(pred.get(name))))


def score_list(spec: ListSpec, gold_doc: dict, record: dict, result: DocResult) -> None:
    """Counts, attribute accuracies over matched pairs, and what was missed or extra."""
    gold = spec.gold_items(gold_doc)
    if gold is None:
        return
    pred = spec.pred_items(record)
    pairs = greedy_match(gold, pred, spec.rules)
    result.lists[spec.name] = PRF(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    for attr, equal in spec.attributes:
        name = f"{spec.name}.{attr}"
        scored = [(gold[gi], pred[pi]) for gi, pi in pairs if attr in gold[gi]]
        verdicts = [equal(g.get(attr), p.get(attr)) for g, p in scored]
        result.accuracy[name] = Accuracy(sum(verdicts), len(verdicts))
        result.mismatches += [
            Mismatch(name, _show(g.get(attr)), _show(p.get(attr)), spec.describe(g))
            for (g, p), ok in zip(scored, verdicts)
            if not ok
        ]
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    result.mismatches += [Mismatch(spec.name, spec.describe(g), None)
                          for i, g in enumerate(gold) if i not in matched_gold]
    result.mismatches += [Mismatch(spec.name, None, spec.describe(p))
                          for i, p in enumerate(pred) if i not in matched_pred]


def score_document(gold: dict, record: dict | None) -> DocResult:
    """A missing or failed record is scored as an empty prediction, not skipped."""
    status = "missing" if record is None else ("error" if record.get("status") == "error" else "ok")
    result = DocResult(
        doc=str(gold.get("doc")),
        source=None if record is None else record.get("source"),
        status=status,
        error=None if record is None else record.get("error"),
    )
    predicted = record if status == "ok" else {}
    score_header(gold.get("document") or {}, predicted.get("document") or {}, result)
    for spec in list_specs():
        score_list(spec, gold, predicted, result)
    return result


def _stem(name: Any) -> str:
    """Gold "000_x.txt" matches a record from 000_x.pdf or /data/000_x.docx."""
    return PurePath(str(name).replace("\\", "/")).stem.casefold()


def _pick(candidates: list[dict]) -> dict | None:
    """Where a document was read from several formats, a successful read is preferred."""
    return next((r for r in candidates if r.get("status") != "error"), candidates[0] if candidates else None)


def aggregate(docs: Sequence[DocResult]) -> tuple[dict[str, PRF], dict[str, Accuracy]]:
    """Micro-averages: counts are summed over documents, in a stable field order."""
    lists: dict[str, PRF] = {}
    accuracy: dict[str, Accuracy] = {}
    for doc in docs:
        for name, prf in doc.lists.items():
            lists.setdefault(name, PRF()).add(prf)
        for name, acc in doc.accuracy.items():
            accuracy.setdefault(name, Accuracy()).add(acc)
    list_order = [s.name for s in list_specs()]
    attr_order = [f"document.{f}" for f in HEADER_FIELDS] + [
        f"{s.name}.{a}" for s in list_specs() for a, _ in s.attributes
    ]
    return (
        {k: lists[k] for k in list_order if k in lists},
        {k: accuracy[k] for k in attr_order if k in accuracy},
    )


def evaluate_records(golds: Sequence[dict], records: Sequence[dict]) -> EvalReport:
    """The pure core of evaluate(): gold dicts (each with "doc") against record dicts."""
    by_stem: dict[str, list[dict]] = {}
    for record in records:
        if record.get("source"):
            by_stem.setdefault(_stem(record["source"]), []).append(record)
    docs = [score_document(g, _pick(by_stem.get(_stem(g.get("doc")), []))) for g in golds]
    gold_stems = {_stem(g.get("doc")) for g in golds}
    unmatched = sorted(str(r.get("source")) for r in records if _stem(r.get("source") or "") not in gold_stems)
    lists, accuracy = aggregate(docs)
    return EvalReport(docs=docs, lists=lists, accuracy=accuracy, unmatched_records=unmatched)
