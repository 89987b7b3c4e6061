"""Cross-province comparison: who carries which duties, which central directives each
province cites and how soon it follows them, and every deadline on one calendar.

Each table counts a document once (the store's ``distinct_documents``: records with the
same header, and scans of a document, are one document, as the table ``copies`` says) and
names each province and agency both as printed at the time and by its 2025 successor
(NQ 202/2025/QH15, NQ 176/2025/QH15), so that a 2023 Hải Dương plan is counted under Hải
Phòng too.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import regex

from pipeline.analysis.export import (
    captions,
    cut_frame,
    cut_sources,
    shown_value,
    vocabulary,
)
from pipeline.analysis.followthrough import followthrough
from pipeline.analysis.graph import issuer_level
from pipeline.gazetteer.agencies import canonical_name
from pipeline.gazetteer.agencies import successor_2025 as agency_successor
from pipeline.gazetteer.provinces import canonical_province
from pipeline.gazetteer.provinces import successor_2025 as province_successor
from pipeline.rules import compiled, load_model
from pipeline.text import fold, strip_diacritics
from pipeline.wording import counted

TABLES = ("documents", "duties_by_agency", "directives_by_province", "citation_lags", "calendar", "followthrough")
# The summary matrices (``summarise``): a row per value of the first column, a column per
# province (or period, in followthrough_matrix).
MATRICES = ("documents_by_province", "duties_matrix", "directives_matrix", "followthrough_status", "followthrough_matrix")
LIST_SEPARATOR = "; "
ROLES = ("lead", "coordinate", "requested")  # records.Duty.role
GROUPINGS = ("original", "2025")
DOCUMENT_COLUMNS = [
    "doc_id", "doc_type", "number", "symbol", "title", "issuer", "province", "province_2025",
    "issue_date", "year", "ocr", "copies", "copy_ids",
]
_FULL_DATE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORDS = regex.compile(r"\w+")


@dataclass(frozen=True)
class Filter:
    """Which documents to compare; an empty field keeps every document.

    ``topic`` holds phrases separated by commas, matched accent- and case-insensitively
    against title and text; ``years`` is an inclusive range of issue years; ``provinces``
    are names at the time or 2025 successors ("Hải Phòng" keeps Hải Dương documents too).
    """

    topic: str | None = None
    years: tuple[int, int] | None = None
    doc_types: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        province_names(self.provinces)  # fail on a misspelt province before any query


def compare(con: duckdb.DuckDBPyConnection, filter: Filter | None = None, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The comparison tables for the documents ``filter`` keeps (all by default), under the
    keys of TABLES. ``as_of`` is the day against which a report is missing (default today).

    The store is read on a cursor of its own through ``cut_sources``: titles and names cut
    as in the CSV files, the full text kept for --topic, so that no join copies a huge
    title once per row.
    """
    with con.cursor() as bounded:
        cut_sources(bounded, "csv")
        everything = distinct_documents(bounded)
        selected = select(everything, filter or Filter())
        return {
            "documents": selected[DOCUMENT_COLUMNS],
            "duties_by_agency": duties_by_agency(bounded, selected),
            "directives_by_province": directives_by_province(bounded, selected),
            "citation_lags": citation_lags(bounded, selected),
            "calendar": calendar(bounded, selected),
            "followthrough": followthrough(bounded, selected, everything, as_of or dt.date.today()),
        }


@functools.cache
def _rules() -> dict:
    return load_model("compare")


# --------------------------------------------------------------------------- documents


def province_2025(province: str | None) -> str | None:
    """The 2025 unit of a province named at the time; a name outside the gazetteer has none."""
    if not isinstance(province, str) or canonical_province(province) is None:
        return None
    return province_successor(province)


def agency_2025(agency: str | None) -> str | None:
    """The body that took over a merged department or ministry, else the agency itself
    (the rule that fills ``agencies.successor_2025``, applied to any agency name)."""
    if not isinstance(agency, str):
        return None
    return agency_successor(agency) or agency


def distinct_documents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per document (the view's) with its copies' doc_ids, province and 2025 province, and text."""
    docs = con.execute(
        """
        SELECT doc_id, doc_type, number, symbol, title, issuer, province, issue_date, year,
               coalesce(ocr, false) AS ocr, text, copies, copy_ids
        FROM distinct_documents ORDER BY doc_id
        """
    ).df()
    docs["copy_ids"] = docs.copy_ids.map(list)
    docs["province_2025"] = docs.province.map(province_2025)
    docs["year"] = docs.year.astype("Int64")
    return docs


# --------------------------------------------------------------------------- filter


def topic_pattern(topic: str) -> regex.Pattern | None:
    """Any of the comma-separated phrases, as whole words, over text folded without diacritics."""
    phrases = [_WORDS.findall(strip_diacritics(fold(p))) for p in topic.split(_rules()["topic"]["separator"])]
    alternatives = [r"\W+".join(map(regex.escape, words)) for words in phrases if words]
    if not alternatives:
        return None
    return regex.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _about(docs: pd.DataFrame, pattern: regex.Pattern) -> pd.Series:
    folded = (docs.title.fillna("") + "\n" + docs.text.fillna("")).map(lambda t: strip_diacritics(fold(t)))
    return folded.map(lambda t: pattern.search(t) is not None)


def province_names(names: tuple[str, ...]) -> set[str]:
    """Canonical names for a --province option; ValueError names the ones not in the gazetteer."""
    found = {name: canonical_province(name) for name in names}
    unknown = [name for name, canonical in found.items() if canonical is None]
    if unknown:
        raise ValueError(f"not a province: {', '.join(unknown)}")
    return set(found.values())


def parse_years(text: str) -> tuple[int, int]:
    """"2022-2025" -> (2022, 2025); "2023" -> (2023, 2023)."""
    parts = [p.strip() for p in text.split("-")]
    if not 1 <= len(parts) <= 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"years must read YYYY or YYYY-YYYY, not {text!r}")
    first, last = int(parts[0]), int(parts[-1])
    return (first, last) if first <= last else (last, first)


def select(docs: pd.DataFrame, filter: Filter) -> pd.DataFrame:
    keep = pd.Series(True, index=docs.index)
    pattern = topic_pattern(filter.topic) if filter.topic else None
    if pattern is not None:
        keep &= _about(docs, pattern)
    if filter.years:
        keep &= docs.year.between(*filter.years).fillna(False).astype(bool)
    if filter.doc_types:
        wanted = {fold(t) for t in filter.doc_types}
        keep &= docs.doc_type.map(lambda t: isinstance(t, str) and fold(t) in wanted).astype(bool)
    if filter.provinces:
        names = province_names(filter.provinces)
        keep &= docs.province.isin(names) | docs.province_2025.isin(names)
    return docs[keep].reset_index(drop=True)


# --------------------------------------------------------------------------- tables


def _rows(con: duckdb.DuckDBPyConnection, table: str, doc_ids: pd.Series) -> pd.DataFrame:
    return con.execute(
        f'SELECT * FROM "{table}" WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, ordinal', [list(doc_ids)]
    ).df()


def _with_places(rows: pd.DataFrame, docs: pd.DataFrame, *extra: str) -> pd.DataFrame:
    return rows.merge(docs[["doc_id", "province", "province_2025", *extra]], on="doc_id", how="inner")


def duties_by_agency(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame) -> pd.DataFrame:
    """Agency × province: duties by role (lead, coordinate, requested) and documents."""
    duties = _with_places(_rows(con, "duties", docs.doc_id), docs)
    duties["agency_2025"] = duties.agency.map(agency_2025)
    for role in ROLES:
        duties[role] = (duties.role == role).astype(int)
    keys = ["province", "province_2025", "agency", "agency_2025"]
    table = duties.groupby(keys, dropna=False, sort=True).agg(
        **{role: (role, "sum") for role in ROLES},
        duties=("role", "size"),
        documents=("doc_id", "nunique"),
        doc_ids=("doc_id", lambda ids: sorted(set(ids))),
    )
    return table.reset_index().sort_values(["province", "duties"], ascending=[True, False], ignore_index=True)


def central_by(type: str | None, number: str | None, issuer: str | None) -> str | None:
    """Why a cited document is central ("issuer", "symbol", "type"), or None if it is not."""
    type, number, issuer = (v if isinstance(v, str) and v else None for v in (type, number, issuer))
    rules = _rules()["central"]
    if issuer and issuer_level(issuer) in rules["levels"]:
        return "issuer"
    if number:
        if compiled(rules["symbol"], ignore_case=False).search(number):
            return "symbol"
        groups = regex.split(rules["symbol_groups"], number.split("/", 1)[-1])
        if any(canonical_name(group).level in rules["levels"] for group in groups[1:]):
            return "symbol"
    if type and fold(type) in {fold(t) for t in rules["types"]}:
        return "type"
    return None


def directive_key(number: str | None, title: str | None) -> str | None:
    """What identifies a cited document: its number, else (laws) its name."""
    if isinstance(number, str) and number:
        return fold(number).replace(" ", "")
    return fold(title) if isinstance(title, str) and title else None


def _references(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame) -> pd.DataFrame:
    refs = _with_places(_rows(con, "references", docs.doc_id), docs, "doc_type", "title", "issue_date")
    refs = refs.rename(columns={"title_x": "ref_title", "title_y": "document_title", "doc_type": "document_type"})
    refs["central_by"] = [central_by(*row) for row in zip(refs.type, refs.number, refs.issuer)]
    refs["directive_key"] = [directive_key(*row) for row in zip(refs.number, refs.ref_title)]
    return refs


DIRECTIVE_COLUMNS = [
    "directive", "directive_type", "directive_issuer", "directive_date", "central_by",
    "province", "province_2025", "documents", "as_basis", "doc_ids",
]


def _first_text(values: pd.Series) -> str | None:
    """The first citation that prints the field: one omits the date another gives."""
    return next((v for v in values if isinstance(v, str) and v), None)


def directives_by_province(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame) -> pd.DataFrame:
    """Central directive × province: how many documents cite it, and how many as their basis."""
    refs = _references(con, docs)
    refs = refs[refs.central_by.notna() & refs.directive_key.notna()].copy()
    if refs.empty:
        return pd.DataFrame(columns=DIRECTIVE_COLUMNS)
    refs["label"] = refs.number.where(refs.number.notna(), refs.ref_title)
    about = refs.groupby("directive_key").agg(
        directive=("label", _first_text), directive_type=("type", _first_text),
        directive_issuer=("issuer", _first_text), directive_date=("date", _first_text),
        central_by=("central_by", _first_text),
    )
    refs["basis"] = refs.relation == "basis"
    counts = refs.groupby(["directive_key", "province", "province_2025"], dropna=False).agg(
        documents=("doc_id", "nunique"),
        as_basis=("basis", "sum"),
        doc_ids=("doc_id", lambda ids: sorted(set(ids))),
    )
    table = counts.reset_index().merge(about.reset_index(), on="directive_key")
    return table[DIRECTIVE_COLUMNS].sort_values(["directive", "province"], ignore_index=True)


def lag(issued: str | None, cited: str | None) -> tuple[int | None, str | None]:
    """Days from the cited document's date to the citing one's, or None and why not."""
    for value, who in ((issued, "document"), (cited, "directive")):
        if not isinstance(value, str) or not value:
            return None, f"{who} date missing"
        if not _FULL_DATE.match(value):
            return None, f"{who} date partial ({value})"
    return (dt.date.fromisoformat(issued) - dt.date.fromisoformat(cited)).days, None


def citation_lags(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame) -> pd.DataFrame:
    """Each document against the documents it implements (basis references): days between."""
    refs = _references(con, docs)
    refs = refs[refs.relation == "basis"].copy()
    lags = [lag(issued, cited) for issued, cited in zip(refs.issue_date, refs.date)]
    refs["lag_days"] = pd.array([days for days, _ in lags], dtype="Int64")
    refs["lag_note"] = [note for _, note in lags]
    refs["central"] = refs.central_by.notna()
    return refs.rename(columns={"ordinal": "reference_ordinal", "number": "directive", "type": "directive_type",
                                "issuer": "directive_issuer", "date": "directive_date"})[[
        "doc_id", "document_type", "document_title", "province", "province_2025", "issue_date",
        "reference_ordinal", "directive", "directive_type", "directive_issuer", "directive_date",
        "central", "lag_days", "lag_note",
    ]].reset_index(drop=True)


CALENDAR_COLUMNS = [
    "kind", "date", "start", "end", "what", "agency", "agency_2025", "province", "province_2025",
    "doc_id", "doc_type", "document_title", "issuer", "issue_date",
]


def calendar(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame) -> pd.DataFrame:
    """Deadlines, periods and duties' own deadlines of every province, one row each, by date."""
    context = docs[["doc_id", "province", "province_2025", "doc_type", "title", "issuer", "issue_date"]].rename(
        columns={"title": "document_title"}
    )
    deadlines = _rows(con, "deadlines", docs.doc_id).rename(columns={"task": "what", "due": "date"}).assign(kind="deadline")
    periods = _rows(con, "periods", docs.doc_id).assign(kind="period", agency=None)
    duties = _rows(con, "duties", docs.doc_id)
    duties = duties[duties.deadline.notna()].rename(columns={"text": "what", "deadline": "date"}).assign(kind="duty")
    listed = set(zip(deadlines.doc_id, deadlines.date))
    duties = duties[[key not in listed for key in zip(duties.doc_id, duties.date)]]
    frames = [frame for frame in (deadlines, periods, duties) if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=CALENDAR_COLUMNS)
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.merge(context, on="doc_id")
    rows["agency_2025"] = rows.agency.map(agency_2025)
    for column in ("date", "start", "end"):
        rows[column] = rows.get(column)
    rows["when"] = rows.date.fillna(rows.start)
    return rows.sort_values(["when", "province", "doc_id"], ignore_index=True, na_position="last")[CALENDAR_COLUMNS]


# --------------------------------------------------------------------------- summary and files


def _unknown() -> str:
    return _rules()["labels"]["unknown"]


def summarise(tables: dict[str, pd.DataFrame], by: str = "original") -> dict[str, pd.DataFrame]:
    """Matrices for reading: documents, duties, directives and follow-through by province,
    grouping provinces and agencies as printed (``original``) or by 2025 successor."""
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}, not {by!r}")
    suffix = "_2025" if by == "2025" else ""
    province, agency = f"province{suffix}", f"agency{suffix}"

    def matrix(frame: pd.DataFrame, index: str, values: str | None, aggfunc: str = "sum") -> pd.DataFrame:
        filled = frame.assign(**{index: frame[index].fillna(_unknown()), province: frame[province].fillna(_unknown())})
        if filled.empty:
            return pd.DataFrame(columns=[index])
        table = filled.pivot_table(index=index, columns=province, values=values, aggfunc=aggfunc, fill_value=0)
        return table.reset_index().rename_axis(columns=None)

    duties = tables["duties_by_agency"].groupby([province, agency], dropna=False)["duties"].sum().reset_index()
    follow = tables["followthrough"]
    return {
        "documents_by_province": matrix(tables["documents"], "doc_type", "doc_id", "count"),
        "duties_matrix": matrix(duties, agency, "duties"),
        "directives_matrix": matrix(tables["directives_by_province"], "directive", "documents"),
        "followthrough_status": matrix(follow, "status", "plan_doc_id", "count"),
        "followthrough_matrix": _period_matrix(follow, province),
    }


def _period_matrix(follow: pd.DataFrame, province: str) -> pd.DataFrame:
    """Province × period, each cell the statuses of the reports due then ("late", "missing; on time")."""
    if follow.empty:
        return pd.DataFrame(columns=[province])
    filled = follow.assign(**{column: follow[column].fillna(_unknown()) for column in (province, "period")})
    table = filled.pivot_table(
        index=province, columns="period", values="status", aggfunc=lambda s: "; ".join(sorted(set(s))), fill_value=""
    )
    return table.reset_index().rename_axis(columns=None)


def summary_lines(tables: dict[str, pd.DataFrame], by: str = "original") -> list[str]:
    """A few lines for the terminal: documents per province, rows per table, report statuses."""
    province = "province_2025" if by == "2025" else "province"
    docs = tables["documents"][province].fillna(_unknown()).value_counts().sort_index()
    lines = [f"{counted(len(tables['documents']), 'document')}: " + ", ".join(f"{name} {n}" for name, n in docs.items())]
    lines += [f"{name}: {counted(len(tables[name]), 'row')}" for name in TABLES[1:]]
    lags = tables["citation_lags"].lag_days.dropna()
    if len(lags):
        lines.append(f"days from directive to document: median {int(lags.median())}, range {int(lags.min())}–{int(lags.max())}")
    statuses = tables["followthrough"].status.value_counts()
    if len(statuses):
        lines.append("reports: " + ", ".join(f"{status} {n}" for status, n in statuses.items()))
    return lines


def compare_caption(column: str) -> str | None:
    """The Vietnamese caption of a comparison column: compare's own, else the workbook's."""
    model = captions()
    return model["compare"]["columns"].get(column) or model["columns"].get(column)


def compare_vocabulary(column: str) -> dict[str, str] | None:
    """The captions of a comparison column's codes: compare's own, else the workbook's."""
    return captions()["compare"]["values"].get(column) or vocabulary(column)


def _cell_values(name: str, frame: pd.DataFrame) -> dict[str, dict[str, str] | None]:
    """Column -> the vocabulary of its codes. A matrix's value columns are provinces or
    periods; its cells hold codes only when ``matrix_values`` names their column."""
    if name not in MATRICES:
        return {column: compare_vocabulary(column) for column in frame.columns}
    index, *cells = frame.columns
    of_cells = captions()["compare"]["matrix_values"].get(name)
    return {index: compare_vocabulary(index), **{c: compare_vocabulary(of_cells) if of_cells else None for c in cells}}


def _shown(value: object, codes: dict[str, str] | None) -> object:
    """A cell with its codes captioned; a matrix cell may list several ("late; on time")."""
    if not codes or not isinstance(value, str):
        return value
    return LIST_SEPARATOR.join(shown_value(item, codes) for item in value.split(LIST_SEPARATOR))


def for_csv(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table as its CSV shows it: lists joined by "; " (CSV has none), codes and column
    names captioned in Vietnamese (a matrix's province or period columns keep their names),
    every cell within its limit."""
    out = frame.copy()
    for column, codes in _cell_values(name, frame).items():
        joined = out[column].map(lambda v: LIST_SEPARATOR.join(map(str, v)) if isinstance(v, (list, np.ndarray)) else v)
        out[column] = joined.map(functools.partial(_shown, codes=codes))
    out = cut_frame(out, "csv")
    names = [compare_caption(str(c)) or c for c in out.columns]
    if name in MATRICES:
        names = [names[0], *out.columns[1:]]
    return out.set_axis(names, axis="columns")


def write_tables(tables: dict[str, pd.DataFrame], folder: str | os.PathLike[str]) -> list[Path]:
    """FOLDER/<name>.csv (UTF-8 with BOM, so that spreadsheet programs read the diacritics),
    captioned, and FOLDER/<name>.parquet with the code's column names and codes, for
    programs; in both, long values are cut (models/output_limits.yaml)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        for_csv(name, frame).to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
        cut_frame(frame, "csv").to_parquet(out / f"{name}.parquet", index=False)
        written += [out / f"{name}.csv", out / f"{name}.parquet"]
    return written
