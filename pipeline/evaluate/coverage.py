"""Coverage of documents without answer keys: is each header field and a duty found at all,
and do type, number and issuer agree with what a reader sees (a SOURCES.md table)?

Answer keys take hours per document; a pool of real documents only lists, per file, the
type, number and issuer printed on it. That is enough to tell which documents vnplan does
not read (nothing found) from those it reads wrongly (found, but not what is printed), and
whether a document whose text assigns work gives at least one duty (models/coverage.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import regex

from pipeline.evaluate.inputs import EvalInputError
from pipeline.evaluate.keys import name_key, names_overlap, number_key
from pipeline.rules import load_model, words_pattern

FIELDS = ("type", "number", "date", "issuer", "signer", "duty")
# The fields SOURCES.md states, compared with what was found (the others are only found or not).
STATED = ("type", "number", "issuer")


@dataclass
class Expected:
    """What a reader sees on one document (a SOURCES.md row); None where it states nothing."""

    file: str
    doc_type: str | None
    number: str | None
    issuer: str | None


@dataclass
class DocCoverage:
    """One document: for each field, "ok", "wrong" (found, not what is printed), "missing",
    or "n/a" (no duty to find: the text assigns no work; no record for a listed file)."""

    file: str
    marks: dict[str, str]
    found: dict[str, Any] = field(default_factory=dict)

    def misses(self) -> list[str]:
        return [f"{name} {mark}" for name, mark in self.marks.items() if mark in ("wrong", "missing")]


@dataclass
class CoverageReport:
    documents: list[DocCoverage]
    unlisted: list[str] = field(default_factory=list)  # records of files SOURCES.md does not list
    no_record: list[str] = field(default_factory=list)  # listed files without a record

    def share(self, name: str) -> tuple[int, int]:
        """Documents with the field "ok", out of those where it applies."""
        marks = [doc.marks[name] for doc in self.documents if doc.marks[name] != "n/a"]
        return sum(mark == "ok" for mark in marks), len(marks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "shares": {name: dict(zip(("ok", "of"), self.share(name), strict=True)) for name in FIELDS},
            "documents": [{"file": d.file, "marks": d.marks, "found": d.found} for d in self.documents],
            "unlisted": self.unlisted,
            "no_record": self.no_record,
        }


@cache
def settings() -> dict[str, Any]:
    data = load_model("coverage")
    return {
        **data,
        "work_re": regex.compile(words_pattern(data["assigns_work"]["words"]), regex.IGNORECASE),
        "no_number_re": regex.compile("|".join(data["no_number"]), regex.IGNORECASE),
    }


def read_sources(path: str | Path) -> list[Expected]:
    """The rows of the Markdown table in a SOURCES.md file, by its column headers."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvalInputError(f"{path}: cannot read the sources table: {error}") from error
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines if line.lstrip().startswith("|")]
    rows = [row for row in rows if not all(regex.fullmatch(r":?-+:?", cell) for cell in row)]
    if not rows:
        raise EvalInputError(f"{path}: no Markdown table of sources")
    header = [cell.lower() for cell in rows[0]]
    wanted = settings()["columns"]
    missing = [name for name in wanted.values() if name not in header]
    if missing:
        raise EvalInputError(f"{path}: the sources table has no column {', '.join(missing)}")
    at = {key: header.index(name) for key, name in wanted.items()}
    return [
        Expected(
            file=row[at["file"]],
            doc_type=_kind(row[at["type"]]),
            number=None if settings()["no_number_re"].search(row[at["number"]]) else row[at["number"]],
            issuer=row[at["issuer"]] or None,
        )
        for row in rows[1:]
        if len(row) >= len(header)
    ]


def _kind(stated: str) -> str | None:
    """ "Quyết định (ban hành Kế hoạch)" is a Quyết định."""
    return stated.split("(")[0].strip() or None


def _spelt(name: str) -> str:
    for short, full in settings()["abbreviations"].items():
        name = regex.sub(rf"(?<!\p{{L}}){regex.escape(short)}(?!\p{{L}})", full, name)
    return name


def _mark(found: Any, agrees: bool | None) -> str:
    if found in (None, ""):
        return "missing"
    return "ok" if agrees is None or agrees else "wrong"


def cover(expected: Expected, record: dict) -> DocCoverage:
    """The marks of one document's record against what its reader sees."""
    document = record.get("document") or {}
    found = {
        "type": document.get("doc_type"),
        "number": document.get("number"),
        "date": document.get("issue_date"),
        "issuer": document.get("issuer"),
        "signer": document.get("signer_name"),
        "duty": len(record.get("duties") or []),
    }
    issuer = expected.issuer
    marks = {
        "type": _mark(found["type"], None if expected.doc_type is None else name_key(found["type"]) == name_key(expected.doc_type)),
        "number": _mark(found["number"], None if expected.number is None else number_key(found["number"]) == number_key(expected.number)),
        "date": _mark(found["date"], None),
        "issuer": _mark(found["issuer"], None if issuer is None else _issuer_agrees(found["issuer"], issuer)),
        "signer": _mark(found["signer"], None),
    }
    assigns = bool(settings()["work_re"].search(record.get("text") or ""))
    marks["duty"] = ("ok" if found["duty"] else "missing") if assigns else "n/a"
    return DocCoverage(expected.file, marks, found)


def _issuer_agrees(found: str | None, stated: str) -> bool:
    """Either names the other, abbreviations spelt out ("Chủ tịch UBND tỉnh X" and "Ủy ban
    nhân dân tỉnh X"; "Thuế tỉnh Tây Ninh - Cục Thuế" and "Thuế tỉnh Tây Ninh")."""
    parts = [part for part in regex.split(r"\s+-\s+", _spelt(stated)) if part.strip()]
    return any(names_overlap(found, part) or names_overlap(_spelt(found or ""), part) for part in [_spelt(stated), *parts])


def coverage(expected: list[Expected], records: list[dict]) -> CoverageReport:
    """Each listed document's marks (by file name, else by stem: a scan or printed copy of
    p011.md is p011.pdf; a listed file without a record has every field missing), and the
    files found on one side only."""
    by_name = {Path(record["source"]).name: record for record in records}
    by_stem = {Path(name).stem: name for name in by_name}
    found = {item.file: item.file if item.file in by_name else by_stem.get(Path(item.file).stem) for item in expected}
    unread = dict.fromkeys(FIELDS, "missing")
    documents = [cover(item, by_name[name]) if (name := found[item.file]) else DocCoverage(item.file, dict(unread)) for item in expected]
    return CoverageReport(
        documents,
        unlisted=sorted(set(by_name) - set(found.values())),
        no_record=[file for file, name in found.items() if name is None],
    )


def format_coverage(report: CoverageReport) -> str:
    """The shares per field, then each document's misses."""
    lines = [f"{len(report.documents)} documents listed, {len(report.documents) - len(report.no_record)} with a record"]
    if report.no_record:
        lines.append(f"listed without a record (not read, every field missing): {', '.join(report.no_record)}")
    if report.unlisted:
        lines.append(f"records not listed: {', '.join(report.unlisted)}")
    lines += ["", f"{'field':<8} {'share':>6}  ok/applies"]
    for name in FIELDS:
        ok, of = report.share(name)
        share = f"{ok / of:.3f}" if of else "-"
        lines.append(f"{name:<8} {share:>6}  {ok}/{of}")
    missed = [doc for doc in report.documents if doc.misses()]
    lines += ["", f"misses ({len(missed)} documents):"]
    for doc in missed:
        shown = ", ".join(f"{name}={doc.found[name]!r}" for name in FIELDS if doc.marks[name] == "wrong")
        lines.append(f"  {doc.file}: {'; '.join(doc.misses())}" + (f" (found {shown})" if shown else ""))
    return "\n".join(lines)
