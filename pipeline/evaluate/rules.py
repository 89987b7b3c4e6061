"""What ``vnplan eval`` scores and how: the header fields with their keys, and for each kind
of the registry (``KINDS``) a ListSpec built from the matching rules and describer its
``Scoring`` names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.evaluate.keys import (
    contains_words,
    due_days_key,
    frequency_key,
    name_key,
    names_overlap,
    number_key,
    text_key,
    texts_start_alike,
    title_key,
    year_key,
)
from pipeline.records import KINDS, Kind

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
# How each header field's gold and predicted values are compared.
HEADER_KEYS: dict[str, Callable[[Any], Any]] = {
    name: {"number": number_key, "symbol": number_key, "year": year_key, "issue_date": text_key, "title": title_key}.get(name, name_key)
    for name in HEADER_FIELDS
}

Item = Any
Equal = Callable[[Any, Any], bool]


def _same(key: Callable[[Any], Any]) -> Equal:
    return lambda a, b: key(a) == key(b)


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
    return gt is not None and pt is not None and (contains_words(gt, pt) or contains_words(pt, gt))


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
