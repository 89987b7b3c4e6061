"""Echo: what a plan does with the duties of the plan it implements.

A child plan (a department's or a province's) names its parent in its opening ("Thực
hiện Kế hoạch số 120/KH-UBND ngày … của UBND tỉnh …"); the reference graph resolves
that to a document of the store. The parent's duties are then compared with the child's:
a parent duty the child rewords is *passed* on, one it leaves out is *dropped*, and a
child duty with no parent is *added*.

When the child's issuer is itself an agency of the parent's duties (a Sở implementing
the province plan), only that agency's duties are its share: the others are not the
child's to pass on. Agencies compare by canonical name, allowing for the 2025 successor
(Sở Lao động - Thương binh và Xã hội's duties are the Sở Nội vụ's from March 2025).

Duty texts compare by character 2-4-gram TF-IDF cosine, agency names removed, one child
duty to one parent duty (scipy's linear_sum_assignment on the scores). Measured on the
cascade documents and rewordings composed for tests/analysis (12 reworded pairs, 364
unrelated pairs of duties of the same genre; 15 pairs of routine reporting duties, which
are the same duty in every plan, scored 0.14-0.78 and are left out), IDF over all 41 duties;
"damaged": 15% of the child's syllables lose their diacritics or run into the next, as in
OCR, mean of 5 draws:

    method                              min reworded  max unrelated   gap   gap, damaged
    TF-IDF char_wb (2, 4)  <- chosen        0.62          0.53       +0.10     +0.07
    TF-IDF char_wb (3, 5)                   0.60          0.50       +0.10     +0.04
    TF-IDF word unigrams                    0.59          0.47       +0.12     +0.06
    rapidfuzz token_set_ratio / 100         0.84          0.76       +0.08     +0.02
    rapidfuzz token_sort_ratio / 100        0.75          0.68       +0.08

Every method ranks the right child duty first for all 11 parents; character 2-4-grams keep
the widest margin once the text is damaged. Thresholds are in models/echo.yaml.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
from rich.markup import escape
from rich.table import Table
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from pipeline.analysis.graph import document_of, resolved_rows
from pipeline.gazetteer.agencies import (
    canonical_name,
    find_agency_mentions,
    successor_2025,
)
from pipeline.rules import load_model
from pipeline.text import fold

_DUTIES = """
    SELECT doc_id, ordinal, agency, section, role, text FROM duties
    WHERE doc_id = ? ORDER BY ordinal
"""
_DOCUMENT = "SELECT doc_id, doc_type, issuer FROM documents WHERE doc_id = ?"


@dataclass(frozen=True)
class DutyItem:
    """One row of the duties table."""

    doc_id: str
    ordinal: int
    agency: str | None
    section: str | None
    role: str
    text: str


@dataclass
class Echo:
    """The parent's duties the child passes on (with the child's wording and the score),
    the ones it drops, and the child's own. ``scope`` is the parent agency whose duties are
    the child's share, or None when the child answers for the whole parent plan."""

    parent_doc_id: str
    child_doc_id: str
    scope: str | None = None
    passed: list[tuple[DutyItem, DutyItem, float]] = field(default_factory=list)
    dropped: list[DutyItem] = field(default_factory=list)
    added: list[DutyItem] = field(default_factory=list)


# --------------------------------------------------------------------------- agencies


@functools.lru_cache(maxsize=1024)
def agency_keys(name: str | None) -> frozenset[str]:
    """Folded base names of the bodies a duty's agency field names ("Viện Kiểm sát nhân
    dân tỉnh, Tòa án nhân dân tỉnh" is two), each with its 2025 successor."""
    if not name:
        return frozenset()
    names = [mention.name.name for mention in find_agency_mentions(name)] or [canonical_name(name).name]
    keys = set()
    for each in names:
        for form in (each, successor_2025(each)):
            if form:
                keys.add(canonical_name(form).key.split("|")[0])
    return frozenset(keys)


def _same_agency(a: str | None, b: str | None) -> bool:
    return bool(agency_keys(a) & agency_keys(b))


# --------------------------------------------------------------------------- text similarity


def task_text(duty: DutyItem) -> str:
    """What the duty asks, without the agencies it names: a rename must not hide a task."""
    text = duty.text
    for mention in reversed(find_agency_mentions(text)):
        start, end = mention.span
        text = text[:start] + " " + text[end:]
    return fold(text)


def similarities(parent_texts: list[str], child_texts: list[str]) -> np.ndarray:
    """Cosine of character n-gram TF-IDF vectors, parents as rows; IDF over both plans so
    the wording every duty of the cascade shares ("phòng, chống mua bán người") weighs less."""
    if not parent_texts or not child_texts:
        return np.zeros((len(parent_texts), len(child_texts)))
    low, high = load_model("echo")["ngram_range"]
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high), sublinear_tf=True)
    matrix = vectoriser.fit_transform(parent_texts + child_texts)
    return cosine_similarity(matrix[: len(parent_texts)], matrix[len(parent_texts) :])


# --------------------------------------------------------------------------- comparing two plans


def _duties(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[DutyItem]:
    return [DutyItem(*row) for row in con.execute(_DUTIES, [doc_id]).fetchall()]


def _issuer(con: duckdb.DuckDBPyConnection, doc_id: str) -> str | None:
    row = con.execute(_DOCUMENT, [doc_id]).fetchone()
    return row[2] if row else None


def share_of(parent: list[DutyItem], child_issuer: str | None) -> tuple[list[DutyItem], str | None]:
    """The parent duties that fall to the child's issuer, when there are any; else all."""
    own = [duty for duty in parent if _same_agency(duty.agency, child_issuer)]
    return (own, own[0].agency) if own else (parent, None)


def compare_duties(parent_doc_id: str, child_doc_id: str, parent: list[DutyItem], child: list[DutyItem], child_issuer: str | None) -> Echo:
    """Pair each parent duty with at most one child duty, best total score first."""
    share, scope = share_of(parent, child_issuer)
    rules = load_model("echo")
    scores = similarities([task_text(d) for d in share], [task_text(d) for d in child])
    needed = np.array([
        [rules["threshold"] if scope or _same_agency(p.agency, c.agency) else rules["threshold_other_agency"] for c in child]
        for p in share
    ]).reshape(scores.shape)
    usable = np.where(scores >= needed, scores, 0.0)
    matched = [(r, c) for r, c in zip(*linear_sum_assignment(usable, maximize=True)) if usable[r, c] > 0]
    return Echo(
        parent_doc_id=parent_doc_id,
        child_doc_id=child_doc_id,
        scope=scope,
        passed=[(share[r], child[c], round(float(scores[r, c]), 3)) for r, c in sorted(matched)],
        dropped=[d for r, d in enumerate(share) if r not in {m[0] for m in matched}],
        added=[d for c, d in enumerate(child) if c not in {m[1] for m in matched}],
    )


# --------------------------------------------------------------------------- the store


def echo_pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(parent, child) doc_ids: a plan whose basis reference resolves to a plan of the store."""
    plan_types = set(load_model("echo")["plan_types"])
    types = dict(con.execute("SELECT doc_id, doc_type FROM distinct_documents").fetchall())
    pairs = []
    for ref in resolved_rows(con):
        child, parent = ref["document"], ref["target"]
        if ref["doc_id"] != child or ref["relation"] != "basis" or ref["target_kind"] != "store":
            continue
        if types.get(child) in plan_types and types.get(parent) in plan_types and (parent, child) not in pairs:
            pairs.append((parent, child))
    return pairs


def _echo_pair(con: duckdb.DuckDBPyConnection, parent: str, child: str) -> Echo:
    return compare_duties(parent, child, _duties(con, parent), _duties(con, child), _issuer(con, child))


def echoes(con: duckdb.DuckDBPyConnection) -> list[Echo]:
    """One Echo per child/parent pair of plans in the store."""
    return [_echo_pair(con, parent, child) for parent, child in echo_pairs(con)]


def echo(con: duckdb.DuckDBPyConnection, child_doc_id: str) -> Echo:
    """The echo of the plan ``child_doc_id`` (any copy of it) in the parent plan it implements;
    LookupError when the store holds no parent for it."""
    child = document_of(con).get(child_doc_id, child_doc_id)
    for parent, each in echo_pairs(con):
        if each == child:
            return _echo_pair(con, parent, child)
    raise LookupError(f"{child_doc_id}: no plan of the store is its basis (see vnplan graph)")


def echo_table(found: list[Echo]) -> pd.DataFrame:
    """One row per passed, dropped or added duty: the side-by-side comparison as a table."""
    rows = []
    for item in found:
        base = {"parent_doc_id": item.parent_doc_id, "child_doc_id": item.child_doc_id, "scope": item.scope}
        rows += [{**base, "status": "passed", **_side("parent", p), **_side("child", c), "score": s} for p, c, s in item.passed]
        rows += [{**base, "status": "dropped", **_side("parent", p), **_side("child", None), "score": None} for p in item.dropped]
        rows += [{**base, "status": "added", **_side("parent", None), **_side("child", c), "score": None} for c in item.added]
    columns = ["parent_doc_id", "child_doc_id", "scope", "status",
               *(f"{side}_{f}" for side in ("parent", "child") for f in ("ordinal", "agency", "text")), "score"]
    return pd.DataFrame(rows, columns=columns).astype({"parent_ordinal": "Int64", "child_ordinal": "Int64"})


def _side(side: str, duty: DutyItem | None) -> dict[str, object]:
    return {f"{side}_ordinal": duty.ordinal if duty else None, f"{side}_agency": duty.agency if duty else None,
            f"{side}_text": duty.text if duty else None}


def document_label(con: duckdb.DuckDBPyConnection, doc_id: str) -> str:
    """"Kế hoạch 120/KH-UBND, Ủy ban nhân dân tỉnh Quảng Bình, 2025-02-14" (what is known of it)."""
    row = con.execute("SELECT doc_type, coalesce(number, '/' || symbol), issuer, issue_date FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    parts = [" ".join(p for p in row[:2] if p), row[2], row[3]] if row else []
    return ", ".join(p for p in parts if p) or doc_id


def as_rich_table(con: duckdb.DuckDBPyConnection, found: Echo) -> Table:
    """Parent duty | child duty | agency | score, passed first, then dropped, then added."""
    table = Table(
        title=escape(f"{document_label(con, found.child_doc_id)} [{found.child_doc_id}]\n"
                     f"implements {document_label(con, found.parent_doc_id)} [{found.parent_doc_id}]"),
        caption=escape(f"share of: {found.scope}" if found.scope else "whole plan"),
        show_lines=True,
    )
    for column in ("parent duty", "child duty", "agency", "score"):
        table.add_column(column)
    for parent, child, score in found.passed:
        table.add_row(escape(parent.text), escape(child.text), escape(_agencies(parent.agency, child.agency)), f"{score:.2f}")
    for parent in found.dropped:
        table.add_row(escape(parent.text), "[dim](dropped)[/dim]", escape(parent.agency or ""), "")
    for child in found.added:
        table.add_row("[dim](added)[/dim]", escape(child.text), escape(child.agency or ""), "")
    return table


def _agencies(parent: str | None, child: str | None) -> str:
    return parent or "" if parent == child else f"{parent or '?'} → {child or '?'}"
