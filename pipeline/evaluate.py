"""Score records.jsonl against gold annotations (docs/gold.md).

Header fields are scored by accuracy over documents; lists by precision, recall and F1,
micro-averaged over documents, after a greedy one-to-one matching of gold to predicted
items. Attributes of matched pairs (a reference's date, a duty's role) are scored by
accuracy over those pairs, so a wrong date is not also counted as a missed reference.

Names are compared as a careful reader would: tone-mark placement, case, spacing,
quote and dash styles and edge punctuation do not matter. A gold field or list that a
gold file leaves out is not scored for that document, so partial annotations work.

``vnplan eval GOLD_DIR RECORDS_JSONL`` runs it; malformed input raises EvalInputError
naming the file and line, so a broken file is reported rather than scored as empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import regex

from pipeline.records import KINDS, Kind
from pipeline.text import fold, normalise_unicode
from pipeline.wording import counted

HEADER_FIELDS = (
    "doc_type",
    "number",
    "symbol",
    "title",
    "issuer",
    "parent_issuer",
    "province",
    "issue_place",
    "issue_date",
    "year",
    "signer_name",
    "signer_title",
    "signer_authority",
)

# Words compared at the start of a duty's text: enough to tell bullets apart, few enough
# that a gold text_start cut at "ten or so words" never runs past the prediction.
DUTY_WORDS = 8
# Words that may open an inline assignment before the body's name (a duty's text_start may begin with them).
LEAD_INS = ("giao", "đề nghị")

_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"}
)
_DASH = regex.compile(r"\s*[-‐‑‒–—−]\s*")
_SPACE_BEFORE_PUNCT = regex.compile(r"\s+([.,;:!?)])")
_SPACE_AFTER_PUNCT = regex.compile(r"([.,;:!?])(?=[^\s\d.,;:!?])")
_EDGE = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$")
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_MARKER = regex.compile(r"^\s*(?:[-+*•]|(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)])\s+", regex.IGNORECASE)
_DAY_MONTH = regex.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")

Item = Any
Equal = Callable[[Any, Any], bool]


# --------------------------------------------------------------------------- comparison keys


def name_key(value: Any) -> str | None:
    """One key for every way a careful reader would consider the same name written."""
    if value is None:
        return None
    text = fold(str(value).translate(_QUOTES))
    text = _DASH.sub("-", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_PUNCT.sub(r"\1 ", text)
    return _EDGE.sub("", text) or None


def number_key(value: Any) -> str | None:
    """Document numbers are printed with stray spaces, either case and Đ typed as D."""
    if value is None:
        return None
    text = normalise_unicode(str(value)).lower().replace("đ", "d")
    text = _DASH.sub("-", regex.sub(r"\s+", "", text))
    return _EDGE.sub("", text) or None


def year_key(value: Any) -> Any:
    """A year may come back as "2025" from a hand-written gold file."""
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return name_key(value)


def text_key(value: Any) -> str | None:
    """ISO dates and periods are compared exactly, bar surrounding spaces."""
    return None if value is None else (str(value).strip() or None)


def frequency_key(value: Any) -> str | None:
    """"ad hoc", "ad-hoc" and "Ad Hoc" are one frequency."""
    key = name_key(value)
    return None if key is None else regex.sub(r"[^\p{L}]", "", key)


def due_days_key(value: Any) -> frozenset[str]:
    """"16/3, 16/9" and "16/09,16/03" name the same days."""
    if value is None:
        return frozenset()
    days = {f"{int(d)}/{int(m)}" for d, m in _DAY_MONTH.findall(str(value))}
    return frozenset(days or {k for k in (name_key(p) for p in str(value).split(",")) if k})


def _contains(outer: str, inner: str) -> bool:
    """By whole words, punctuation aside: "Công an tỉnh" is in "Công an tỉnh, Sở Tư pháp"; "an" is not in "Ban"."""
    outer_words, inner_words = _WORD.findall(outer), _WORD.findall(inner)
    n = len(inner_words)
    return n > 0 and any(outer_words[i : i + n] == inner_words for i in range(len(outer_words) - n + 1))


def names_overlap(a: Any, b: Any) -> bool:
    """Equal names, or one contains the other ("Công an tỉnh" in a heading naming two bodies)."""
    ka, kb = name_key(a), name_key(b)
    if ka is None or kb is None:
        return ka == kb
    return ka == kb or _contains(ka, kb) or _contains(kb, ka)


def _same(key: Callable[[Any], Any]) -> Equal:
    return lambda a, b: key(a) == key(b)


# --------------------------------------------------------------------------- duty text


def _words(text: str | None) -> list[str]:
    return _WORD.findall(fold(_MARKER.sub("", text or "", count=1)))


def _without_prefix(words: list[str], prefix: list[str]) -> list[str] | None:
    if prefix and words[: len(prefix)] == prefix:
        return words[len(prefix) :]
    return None


def openings(text: str | None, agencies: Sequence[str | None]) -> list[list[str]]:
    """The ways a duty's text may begin: as is, after "Giao"/"Đề nghị", after the body's name."""
    variants = [_words(text)]
    for lead in LEAD_INS:
        rest = _without_prefix(variants[0], _words(lead))
        if rest:
            variants.append(rest)
    for words in list(variants):
        for agency in agencies:
            rest = _without_prefix(words, _words(agency))
            if rest:
                variants.append(rest)
    return variants


def texts_start_alike(gold: str | None, pred: str | None, agencies: Sequence[str | None]) -> bool:
    """Gold text_start is "ten or so words"; the prediction is the whole duty."""
    predicted = openings(pred, agencies)
    for words in openings(gold, agencies):
        n = min(DUTY_WORDS, len(words))
        if n and any(p[:n] == words[:n] for p in predicted):
            return True
    return False


def _duty_text_match(g: dict, p: dict) -> bool:
    return texts_start_alike(g.get("text_start"), p.get("text"), (g.get("agency"), p.get("agency")))


# --------------------------------------------------------------------------- list fields


@dataclass(frozen=True)
class ListSpec:
    """How one list of the gold schema is read from both sides and matched."""

    name: str
    gold_items: Callable[[dict], list | None]  # None: not annotated, not scored
    pred_items: Callable[[dict], list]
    rules: tuple[Equal, ...]  # strictest first
    describe: Callable[[Item], str]
    attributes: tuple[tuple[str, Equal], ...] = ()


def _dicts(key: str) -> Callable[[dict], list | None]:
    return lambda doc: None if doc.get(key) is None else [i for i in doc[key] if isinstance(i, dict)]


def _listed(key: str) -> Callable[[dict], list]:
    return lambda record: [i for i in record.get(key) or [] if isinstance(i, dict)]


def _distinct_names(names: Sequence[Any]) -> list[str]:
    """Agencies are scored as a set per document."""
    seen: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key is not None:
            seen.setdefault(key, str(name))
    return list(seen.values())


def _gold_values(key: str, field: str, distinct: bool = False) -> Callable[[dict], list | None]:
    """Gold lists may give items as dicts or as bare values."""

    def read(doc: dict) -> list | None:
        items = doc.get(key)
        if items is None:
            return None
        values = [item.get(field) if isinstance(item, dict) else item for item in items]
        return _distinct_names(values) if distinct else values

    return read


def _pred_values(key: str, field: str, distinct: bool = False) -> Callable[[dict], list]:
    def read(record: dict) -> list:
        values = [item.get(field) for item in _listed(key)(record)]
        return _distinct_names(values) if distinct else values

    return read


def _reference_by_title(g: dict, p: dict) -> bool:
    """A law cited by name has no number in gold; its title identifies it."""
    if number_key(g.get("number")) is not None:
        return False
    gt, pt = name_key(g.get("title")), name_key(p.get("title"))
    return gt is not None and pt is not None and (_contains(gt, pt) or _contains(pt, gt))


def _reference_by_number(g: dict, p: dict) -> bool:
    key = number_key(g.get("number"))
    return key is not None and key == number_key(p.get("number"))


def _describe_reference(r: dict) -> str:
    what = r.get("number") or r.get("title") or "?"
    return f"{what} ({r.get('type')}, {r.get('date')}, {r.get('issuer')}, {r.get('relation')})"


def _describe_duty(d: dict) -> str:
    text = d.get("text_start") if "text_start" in d else d.get("text")
    return f"[{d.get('section')}] {d.get('agency')} ({d.get('role')}): {' '.join((text or '').split()[:12])}"


def _same_period(g: dict, p: dict) -> bool:
    return (text_key(g.get("start")), text_key(g.get("end"))) == (text_key(p.get("start")), text_key(p.get("end")))


def _same_due(g: dict, p: dict) -> bool:
    return text_key(g.get("due")) == text_key(p.get("due"))


def _same_agency(g: dict, p: dict) -> bool:
    return name_key(g.get("agency")) == name_key(p.get("agency"))


def _overlapping_agency(g: dict, p: dict) -> bool:
    return names_overlap(g.get("agency"), p.get("agency"))


def _same_schedule(g: dict, p: dict) -> bool:
    """A recurring report is identified by how often and on which days it is due."""
    return (frequency_key(g.get("frequency")), due_days_key(g.get("due_day"))) == (
        frequency_key(p.get("frequency")),
        due_days_key(p.get("due_day")),
    )


def _both(*rules: Equal) -> Equal:
    return lambda g, p: all(rule(g, p) for rule in rules)


# The matching rules and describers the registry's Scoring entries name.
RULES: dict[str, Equal] = {
    "same_text": _same(text_key),
    "same_name": _same(name_key),
    "names_overlap": names_overlap,
    "reference_by_number": _reference_by_number,
    "reference_by_title": _reference_by_title,
    "same_period": _same_period,
    "same_due": _same_due,
    "same_due_and_agency": _both(_same_due, _overlapping_agency),
    "same_schedule": _same_schedule,
    "same_schedule_and_agency": _both(_same_schedule, _overlapping_agency),
    "same_agency_and_text": _both(_same_agency, _duty_text_match),
    "overlapping_agency_and_text": _both(_overlapping_agency, _duty_text_match),
}
DESCRIBERS: dict[str, Callable[[Item], str]] = {
    "value": str,
    "reference": _describe_reference,
    "duty": _describe_duty,
    "period": lambda p: f"{p.get('start')} – {p.get('end')}: {p.get('what')}",
    "deadline": lambda d: f"{d.get('due')} {d.get('agency')}: {d.get('task')}",
    "report": lambda r: f"{r.get('frequency')} [{r.get('due_day')}] {r.get('agency')} -> {r.get('to')}",
}


def list_spec(kind: Kind) -> ListSpec:
    """How the registry says to score a kind: whole items, or one field's values (as a set
    of distinct names where the kind says so)."""
    scoring = kind.scoring
    if scoring.field is None:
        gold, pred = _dicts(kind.name), _listed(kind.name)
    elif scoring.distinct:
        gold, pred = _gold_values(kind.name, scoring.field, distinct=True), _pred_values(kind.name, scoring.field, distinct=True)
    else:
        gold, pred = _gold_values(kind.name, scoring.field), _pred_values(kind.name, scoring.field)
    return ListSpec(
        kind.name,
        gold,
        pred,
        tuple(RULES[rule] for rule in scoring.rules),
        DESCRIBERS[scoring.describe],
        tuple((attribute, RULES[rule]) for attribute, rule in scoring.attributes),
    )


def list_specs() -> tuple[ListSpec, ...]:
    """One spec per scored kind of the registry, in record order."""
    return tuple(list_spec(kind) for kind in KINDS.values() if kind.scoring is not None)


HEADER_KEYS: dict[str, Callable[[Any], Any]] = {
    name: {"number": number_key, "symbol": number_key, "year": year_key, "issue_date": text_key}.get(name, name_key)
    for name in HEADER_FIELDS
}


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


# --------------------------------------------------------------------------- report


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


# --------------------------------------------------------------------------- scoring


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


class EvalInputError(ValueError):
    """A gold or records file that cannot be scored; the message names the file (and line)."""


def load_gold(gold_dir: str | Path) -> list[dict]:
    """Every *.json under gold_dir (or one file); "doc" defaults to the file's own name."""
    root = Path(gold_dir)
    paths = [root] if root.is_file() else sorted(root.glob("*.json"))
    if not paths:
        raise EvalInputError(f"{root}: no gold files (*.json) to score against")
    golds = []
    for path in paths:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise EvalInputError(f"{path}: not a gold JSON file: {exc}") from exc
        if not isinstance(gold, dict):
            raise EvalInputError(f"{path}: a gold file holds one JSON object per document")
        golds.append({**gold, "doc": gold.get("doc") or path.name})
    return golds


_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false", type(None): "null"}


def read_records(lines: Iterable[bytes], name: str) -> list[dict]:
    """The records of a JSON-lines stream (blank lines skipped), each an object with a
    doc_id and a source, which is what scoring matches gold documents by."""
    records = []
    for number, raw in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise EvalInputError(f"{where}: not UTF-8 text ({exc.reason})") from exc
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalInputError(f"{where}: not a JSON record: {exc.msg} (column {exc.colno})") from exc
        if not isinstance(record, dict):
            raise EvalInputError(f"{where}: a record is a JSON object, not {_JSON_TYPES[type(record)]}")
        missing = [key for key in ("doc_id", "source") if not (isinstance(record.get(key), str) and record[key])]
        if missing:
            raise EvalInputError(f"{where}: the record has no {' and no '.join(missing)}")
        records.append(record)
    return records


def load_records(path: str | Path) -> list[dict]:
    """The checked records of a records.jsonl file (read_records)."""
    with open(path, "rb") as handle:
        return read_records(handle, str(path))


def evaluate(gold_dir: str | Path, records_path: str | Path) -> EvalReport:
    """Users score their own annotated documents the same way the sample corpus is scored."""
    return evaluate_records(load_gold(gold_dir), load_records(records_path))


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
