"""The reference graph: which document implements or cites which.

Each row of the ``references`` table is resolved, in this order:

1. to a document of the store: the same number (compared with ``number_key``: no spaces,
   upper case, "D" for "Đ") and the same issuer, or the same number and the same date.
   A number alone is never enough: many plans print a blank own number ("Số: /KH-UBND"),
   numbers restart every year, and every province's UBND issues a "120/KH-UBND". A
   document whose year differs from the cited date is never a match.
2. to a national document of ``models/national_documents.yaml``: by number, when the dates
   do not disagree; or, for laws and congress resolutions cited by name, by name and year.

A reference that fits two documents is "ambiguous" and keeps its candidates: nothing is
guessed. Store documents are the distinct ones (view ``distinct_documents``), so a plan
kept as text, PDF and DOCX is one target and one node, and each copy's doc_id is mapped
onto the copy the view keeps.
"""

from __future__ import annotations

import functools
import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import duckdb
import networkx as nx
import pandas as pd
import regex

from pipeline.analysis import fetch_rows
from pipeline.analysis.export import column_limit, cut, cut_sources, limits
from pipeline.extract.references import number_key
from pipeline.gazetteer.agencies import canonical_name
from pipeline.rules import load_model
from pipeline.text import fold

GRAPH_FORMATS = ("graphml", "json")
LOCAL_LEVELS = ("province", "district", "commune", "unit")

# Each record and the copy that distinct_documents keeps for its document (the store's
# table copies says which).
_COPIES = """
    SELECT c.doc_id, c.document FROM copies c JOIN distinct_documents k ON k.doc_id = c.document
"""
_DOCUMENTS = """
    SELECT doc_id, doc_type, number, symbol, title, issuer, province, issue_date, copies
    FROM distinct_documents ORDER BY ocr NULLS FIRST, n_warnings, doc_id
"""
_REFERENCES = """
    SELECT r.doc_id, r.ordinal, r.type, r.number, r.date, r.issuer, r.relation, r.title
    FROM "references" r JOIN documents d USING (doc_id)
    WHERE d.status = 'ok' ORDER BY r.doc_id, r.ordinal
"""

RESOLUTION_COLUMNS = [
    "doc_id", "document", "ordinal", "relation", "type", "number", "date", "issuer", "title",
    "target_kind", "target", "candidates", "matched_by", "node",
]


@dataclass(frozen=True)
class NationalDocument:
    """An entry of models/national_documents.yaml."""

    id: str
    type: str
    number: str | None
    date: str
    issuer: str
    title: str
    names: tuple[str, ...]
    level: str


@dataclass(frozen=True)
class Resolution:
    """Where one reference points. ``target`` is a doc_id (store) or a national id."""

    kind: str  # store | national | unresolved | ambiguous
    target: str | None
    candidates: tuple[str, ...]
    matched_by: str


@dataclass(frozen=True)
class Cited:
    """One reference as resolution needs it, with the citing document's province."""

    number: str | None
    date: str | None
    issuer: str | None
    title: str | None
    province: str | None


# --------------------------------------------------------------------------- national gazetteer


@functools.cache
def national_documents() -> tuple[NationalDocument, ...]:
    return tuple(
        NationalDocument(
            id=entry["id"], type=entry["type"], number=entry["number"], date=str(entry["date"]),
            issuer=entry["issuer"], title=entry["title"], names=tuple(entry["names"]), level=entry["level"],
        )
        for entry in load_model("national_documents")["documents"]
    )


def document_key(number: str) -> str:
    """``number_key`` plus the symbol spellings that mean the same body ("TƯ" = "TW")."""
    key = number_key(number)
    for spelling, same in load_model("national_documents")["symbol_equivalents"].items():
        key = key.replace(number_key(spelling), number_key(same))
    return key


@functools.cache
def _title_year() -> regex.Pattern:
    return regex.compile(load_model("national_documents")["title_year"])


def name_and_year(title: str) -> tuple[str, str | None]:
    """"Luật Phòng, chống mua bán người năm 2024" -> ("luật phòng, chống mua bán người", "2024")."""
    folded = fold(title)
    found = _title_year().search(folded)
    return (folded[: found.start()], found.group("year")) if found else (folded, None)


@functools.cache
def _national_by_number() -> dict[str, tuple[NationalDocument, ...]]:
    index: dict[str, list[NationalDocument]] = {}
    for entry in national_documents():
        if entry.number:
            index.setdefault(document_key(entry.number), []).append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


@functools.cache
def _national_by_name() -> dict[str, tuple[NationalDocument, ...]]:
    index: dict[str, list[NationalDocument]] = {}
    for entry in national_documents():
        for name in entry.names:
            index.setdefault(name_and_year(name)[0], []).append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


# --------------------------------------------------------------------------- comparing fields


def _year(date: str | None) -> str | None:
    return date[:4] if date else None


def _years_differ(a: str | None, b: str | None) -> bool:
    return bool(a and b) and _year(a) != _year(b)


def _same_date(a: str | None, b: str | None) -> bool:
    """Both dates printed to the day and equal; a month or a year alone confirms nothing."""
    return bool(a and b) and len(a) == len(b) == 10 and a == b


def full_issuer(issuer: str | None, province: str | None) -> str | None:
    """A local body named with its province: "Ủy ban nhân dân tỉnh" of a Cao Bằng document is
    "ủy ban nhân dân tỉnh cao bằng", so two provinces' UBND never compare equal."""
    if not issuer:
        return None
    folded = fold(issuer)
    if not province or fold(province) in folded or canonical_name(issuer).level not in LOCAL_LEVELS:
        return folded
    return f"{folded} {fold(province)}"


def issuer_level(issuer: str | None) -> str:
    """central | province | department | district | commune | unit, from the agency gazetteer."""
    if not issuer:
        return ""
    level = canonical_name(issuer).level or ""
    heads = load_model("graph")["department_heads"]
    if level == "province" and any(fold(issuer).startswith(fold(head) + " ") for head in heads):
        return "department"
    return level


# --------------------------------------------------------------------------- resolution


def store_index(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
    """The store's numbered distinct documents by number key, for ``resolve``."""
    return _store_index(fetch_rows(con, _DOCUMENTS)[1])


def _store_index(documents: list[dict]) -> dict[str, list[dict]]:
    """Numbered documents by number key; copies that differ only by OCR noise in the title
    (same number, issuer and date) are one document, the first in the view's order."""
    index: dict[str, list[dict]] = {}
    seen: set[tuple] = set()
    for row in documents:
        if not row["number"]:
            continue
        key = document_key(row["number"])
        identity = (key, full_issuer(row["issuer"], row["province"]), row["issue_date"])
        if identity in seen:
            continue
        seen.add(identity)
        index.setdefault(key, []).append(row)
    return index


def _store_match(cited: Cited, citing: str, index: dict[str, list[dict]]) -> Resolution | None:
    if not cited.number:
        return None
    same_number = [
        row for row in index.get(document_key(cited.number), [])
        if row["doc_id"] != citing and not _years_differ(cited.date, row["issue_date"])
    ]
    issuer = full_issuer(cited.issuer, cited.province)
    by_issuer = [r for r in same_number if issuer and issuer == full_issuer(r["issuer"], r["province"])]
    by_date = [r for r in same_number if _same_date(cited.date, r["issue_date"])]
    confirmed = {r["doc_id"]: r for r in by_issuer + by_date}
    if len(confirmed) > 1 and by_date:
        confirmed = {r["doc_id"]: r for r in by_date}  # the date tells apart one issuer's years
    if len(confirmed) == 1:
        (doc_id,) = confirmed
        how = "+".join(part for part, rows in (("issuer", by_issuer), ("date", by_date)) if doc_id in {r["doc_id"] for r in rows})
        return Resolution("store", doc_id, (doc_id,), f"number+{how}")
    if confirmed:
        return Resolution("ambiguous", None, tuple(sorted(confirmed)), "number")
    if same_number:
        return Resolution("unresolved", None, tuple(r["doc_id"] for r in same_number), "number only, unconfirmed")
    return None


def _national_match(cited: Cited) -> Resolution | None:
    if cited.number:
        entries = [e for e in _national_by_number().get(document_key(cited.number), ()) if not _years_differ(cited.date, e.date)]
        how = "number"
    elif cited.title:
        name, year = name_and_year(cited.title)
        year = year or _year(cited.date)
        entries = list(_national_by_name().get(name, ()))
        if year and any(_year(e.date) == year for e in entries):
            entries = [e for e in entries if _year(e.date) == year]
        how = "name+year" if year else "name"
    else:
        return None
    if len(entries) > 1:
        return Resolution("ambiguous", None, tuple(e.id for e in entries), how)
    if not entries:
        return None
    entry = entries[0]
    if how == "number":
        confirmations = [part for part, same in (
            ("date", _same_date(cited.date, entry.date)),
            ("issuer", bool(cited.issuer) and fold(cited.issuer) == fold(entry.issuer)),
        ) if same]
        how = "+".join(["number", *confirmations])
    return Resolution("national", entry.id, (entry.id,), how)


def resolve(cited: Cited, citing: str, index: dict[str, list[dict]]) -> Resolution:
    """The store first (a national document kept in the store is a store document), then the gazetteer."""
    in_store = _store_match(cited, citing, index)
    if in_store and in_store.kind != "unresolved":
        return in_store
    national = _national_match(cited)
    if national:
        return national
    return in_store or Resolution("unresolved", None, (), "")


def reference_node(kind: str, target: str | None, number: str | None, title: str | None, date: str | None) -> str:
    """The graph node a reference points to. An unresolved or ambiguous reference is its own
    node, shared by every document citing the same number (or name) with the same date."""
    if kind == "store":
        return str(target)
    if kind == "national":
        return f"national:{target}"
    label = document_key(number) if number else fold(title or "")
    return f"{kind}:{label}" + (f"@{date}" if date else "")


def document_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each successful record's doc_id -> the doc_id of the distinct document it is a copy of."""
    return dict(con.execute(_COPIES).fetchall())


def resolved_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The rows of ``resolve_references`` as dicts, None for what is missing."""
    documents = fetch_rows(con, _DOCUMENTS)[1]
    copies = document_of(con)
    province = {row["doc_id"]: row["province"] for row in documents}
    index = _store_index(documents)
    rows = []
    for ref in fetch_rows(con, _REFERENCES)[1]:
        document = copies.get(ref["doc_id"], ref["doc_id"])
        cited = Cited(ref["number"], ref["date"], ref["issuer"], ref["title"], province.get(document))
        found = resolve(cited, document, index)
        rows.append({
            **ref,
            "document": document,
            "target_kind": found.kind,
            "target": found.target,
            "candidates": list(found.candidates),
            "matched_by": found.matched_by,
            "node": reference_node(found.kind, found.target, ref["number"], ref["title"], ref["date"]),
        })
    return rows


def resolve_references(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per reference of every successful record (copies included): the citing doc_id,
    the distinct ``document`` it is a copy of, the reference's ordinal and fields, and
    ``target_kind`` (store | national | unresolved | ambiguous), ``target`` (doc_id or
    national id), ``candidates``, ``matched_by`` and the graph ``node`` it points to."""
    return pd.DataFrame(resolved_rows(con), columns=RESOLUTION_COLUMNS)


# --------------------------------------------------------------------------- the graph


def _text(value: object, column: str | None = None) -> str:
    """GraphML has no null: a missing attribute is an empty string. A title or issuer is cut
    to its limit (models/output_limits.yaml), so that one huge value cannot bloat the file."""
    if value is None:
        return ""
    return cut(str(value), column_limit("graph", column)) if column else str(value)


def node_parts(data: dict, title_chars: int) -> list[str]:
    """What a node is, then the start of its title: type and number ("Kế hoạch 120/KH-UBND");
    a document printed without a number also by province and year, since "Kế hoạch" alone
    names none. A title that begins with the heading ("Luật Ngân sách nhà nước") stands alone."""
    parts = [data["type"], data["number"]]
    if not data["number"]:
        parts += [data["province"], data["date"][:4]]
    heading = " ".join(str(p) for p in parts if p) or data["doc_id"] or data["kind"]
    title = data["title"][:title_chars]
    if title and fold(title).startswith(fold(heading)):
        return [title]
    return [part for part in (heading, title) if part]


def node_label(data: dict) -> str:
    """The node's label in Gephi, yEd or the site: its heading and the start of its title."""
    chars = limits()["graph"]["label_chars"]
    return textwrap.shorten(" · ".join(node_parts(data, chars * 2)), width=chars, placeholder="…")


def _labelled(data: dict[str, object]) -> dict[str, object]:
    return {**data, "label": node_label(data)}


def _store_node(row: dict) -> dict[str, object]:
    return _labelled({
        "kind": "store",
        "doc_id": row["doc_id"],
        "type": _text(row["doc_type"]),
        "number": _text(row["number"] or (f"/{row['symbol']}" if row["symbol"] else None), "number"),
        "issuer": _text(row["issuer"], "issuer"),
        "province": _text(row["province"]),
        "date": _text(row["issue_date"]),
        "level": issuer_level(row["issuer"]),
        "title": _text(row["title"], "title"),
        "copies": int(row["copies"]),
        "candidates": "",
    })


def _national_node(entry: NationalDocument) -> dict[str, object]:
    return _labelled({
        "kind": "national", "doc_id": "", "type": entry.type, "number": _text(entry.number),
        "issuer": entry.issuer, "province": "", "date": entry.date, "level": entry.level,
        "title": entry.title, "copies": 0, "candidates": "",
    })


def _reference_node(ref: dict) -> dict[str, object]:
    """A node for what an unresolved or ambiguous reference says about the document it cites."""
    return _labelled({
        "kind": ref["target_kind"], "doc_id": "", "type": _text(ref["type"]),
        "number": _text(ref["number"], "number"), "issuer": _text(ref["issuer"], "issuer"), "province": "",
        "date": _text(ref["date"]), "level": issuer_level(ref["issuer"]),
        "title": _text(ref["title"], "title"), "copies": 0, "candidates": " | ".join(ref["candidates"]),
    })


def build_graph(con: duckdb.DuckDBPyConnection) -> nx.DiGraph:
    """Distinct documents, the national documents they cite and their unresolved references
    as nodes; one edge citing -> cited per reference of each kept copy, with its relation
    (basis wins when a document both implements and cites another). The store is read on a
    cursor of its own through ``cut_sources``, so that no join copies a huge title per row."""
    graph = nx.DiGraph()
    with con.cursor() as bounded:
        cut_sources(bounded, "graph")
        documents, references = fetch_rows(bounded, _DOCUMENTS)[1], resolved_rows(bounded)
    for row in documents:
        graph.add_node(row["doc_id"], **_store_node(row))
    national = {entry.id: entry for entry in national_documents()}
    for ref in (r for r in references if r["doc_id"] == r["document"]):
        node = ref["node"]
        if node not in graph:
            graph.add_node(node, **(_national_node(national[ref["target"]]) if ref["target_kind"] == "national" else _reference_node(ref)))
        previous = graph.get_edge_data(ref["document"], node)
        if previous and previous["relation"] == "basis":
            continue
        graph.add_edge(ref["document"], node, relation=ref["relation"], matched_by=ref["matched_by"], ordinal=int(ref["ordinal"]))
    return graph


def write_graph(graph: nx.DiGraph, path: str | os.PathLike[str], format: str = "graphml") -> Path:
    """GraphML (Gephi, yEd, networkx.read_graphml) or networkx node-link JSON."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if format == "graphml":
        nx.write_graphml(graph, target)
    elif format == "json":
        data = nx.node_link_data(graph, edges="edges")
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {format!r}: choose one of {', '.join(GRAPH_FORMATS)}")
    return target
