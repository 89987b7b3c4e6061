"""Which records are copies of one document: the store's ``copies`` table.

The one definition of "one document", read by the view ``distinct_documents``, ``vnplan
compare``, the reference graph and the review site (rules in models/copies.yaml):

1. successful records whose header fields are all equal are copies of one document;
2. a document whose copies were all read by OCR is a scan of the document that holds most
   of its word n-grams, if that holds enough of them, and is one document with it;
3. the copy that stands for a document (the one ``distinct_documents`` keeps) is one still
   present under the sources, then one read from a text layer, then the one with the
   fewest warnings, then the smallest doc_id.

The table is brought up to date once a run has committed its records (``Store.export``),
incrementally. Grouping reads the header fields of every record, never its text. The
containment test of rule 2, the costly part, keeps its result in the table: an OCR record
is tested against every text of the store only when it is new (or processed again, or the
record it matched is gone), and a new record only against the texts of the OCR records.
A run that adds no record reads no text.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import regex

from pipeline.rules import load_model
from pipeline.text import fold, strip_diacritics

COPIES_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("document", pa.string()),  # the doc_id of the copy that stands for the document
        ("matched_by", pa.string()),  # null (the copy itself) | header | scan
        ("scan_of", pa.string()),  # OCR records: the record that holds most of its n-grams
        ("containment", pa.float64()),  # the share of its n-grams that record holds
    ]
)
HEADER = "header"
SCAN = "scan"
# N-grams of OCR records indexed at once (some 100 MB): more OCR text than this is tested in
# rounds, each reading the candidate texts again, so that memory stays bounded.
INDEX_GRAMS = 500_000
TEXT_ROWS = 64  # texts fetched at a time
_WORDS = regex.compile(r"\w+")

Match = tuple[str, float]  # (scan_of, containment)


@functools.cache
def rules() -> dict:
    return load_model("copies")


def ngrams(text: str | None) -> set[int]:
    """Word n-grams without diacritics, hashed: OCR confuses tone marks far more often than letters."""
    words = _WORDS.findall(strip_diacritics(fold(text or "")))
    return set(map(hash, zip(*(words[i:] for i in range(rules()["scan"]["ngram_words"])))))


@dataclass(frozen=True)
class Copy:
    """A successful record as grouping sees it: no text, only its length."""

    doc_id: str
    header: str  # digest of the header fields
    ocr: bool
    n_warnings: int
    length: int
    present: bool

    def can_hold(self, scan: Copy) -> bool:
        """A scan is matched to a text-layer record, or to a longer scan (all its pages)."""
        return not self.ocr or self.length > scan.length


def _records(con: duckdb.DuckDBPyConnection) -> dict[str, Copy]:
    fields = ", ".join(f'"{name}"' for name in rules()["header"]["fields"])
    rows = con.execute(
        f"""
        SELECT doc_id, md5(to_json(list_value({fields}))), coalesce(ocr, false), coalesce(n_warnings, 0),
               length(coalesce(text, '')),
               doc_id IN (SELECT doc_id FROM files WHERE status <> 'deleted')
        FROM documents WHERE status = 'ok'
        """
    ).fetchall()
    return {row[0]: Copy(*row) for row in rows}


def _texts(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str] | None = None) -> Iterator[tuple[str, str]]:
    """(doc_id, text) of successful records, all or those named, in no order, streamed a few
    at a time on a cursor of their own, so that the caller's connection stays free."""
    where = "" if doc_ids is None else "AND doc_id IN (SELECT unnest(?))"
    with con.cursor() as cursor:
        relation = cursor.sql(
            f"SELECT doc_id, text FROM documents WHERE status = 'ok' {where}",
            params=None if doc_ids is None else [sorted(doc_ids)],
        )
        for batch in relation.to_arrow_reader(TEXT_ROWS):
            yield from zip(batch.column(0).to_pylist(), batch.column(1).to_pylist())


def _indexes(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> Iterator[dict[str, set[int]]]:
    """The n-grams of the named records, in rounds of at most INDEX_GRAMS."""
    round_: dict[str, set[int]] = {}
    size = 0
    for doc_id, text in _texts(con, doc_ids):
        round_[doc_id] = ngrams(text)
        size += len(round_[doc_id])
        if size >= INDEX_GRAMS:
            yield round_
            round_, size = {}, 0
    if round_:
        yield round_


def _better(found: Match, current: Match | None) -> bool:
    """The record holding more of the scan's n-grams; of equal ones, the smaller doc_id."""
    return current is None or (-found[1], found[0]) < (-current[1], current[0])


def scan_matches(
    con: duckdb.DuckDBPyConnection, records: dict[str, Copy], known: dict[str, Match | None], fresh: set[str]
) -> dict[str, Match | None]:
    """OCR doc_id -> the record it is a scan of and the share of its n-grams found there.

    ``known`` holds the earlier results of OCR records tested before, ``fresh`` the records
    new since then. An untested OCR record is tested against every text; a tested one only
    against the fresh records, which may hold more of it than its match did.

    Hand-written: no library measures containment of one text in another at this cost
    (rapidfuzz's partial_ratio takes seconds per pair of whole documents); an inverted
    index of the scans' n-grams does it in one pass over the other texts.
    """
    threshold = rules()["scan"]["containment"]
    scans = [doc_id for doc_id, copy in records.items() if copy.ocr]
    untested = {doc_id for doc_id in scans if doc_id not in known}
    found = {doc_id: known[doc_id] for doc_id in scans if doc_id not in untested}
    to_test = sorted(untested | (set(found) if fresh else set()))
    for index in _indexes(con, to_test):
        holders: dict[int, list[str]] = defaultdict(list)
        for doc_id, grams in index.items():
            for gram in grams:
                holders[gram].append(doc_id)
        every_text = not untested.isdisjoint(index)
        for other, text in _texts(con, None if every_text else fresh):
            shared = Counter(doc_id for gram in ngrams(text) for doc_id in holders.get(gram, ()))
            for doc_id, count in shared.items():
                if doc_id == other or not (doc_id in untested or other in fresh):
                    continue
                share = count / len(index[doc_id])
                if share >= threshold and records[other].can_hold(records[doc_id]) and _better((other, share), found.get(doc_id)):
                    found[doc_id] = (other, share)
        found.update({doc_id: None for doc_id in index if doc_id not in found})
    return found


def _standing_order(copy: Copy) -> tuple:
    return (not copy.present, copy.ocr, copy.n_warnings, copy.doc_id)


def documents(records: dict[str, Copy], matches: dict[str, Match | None]) -> dict[str, str]:
    """doc_id -> the doc_id of the copy that stands for its document.

    Header groups are joined when the group is all OCR and its first copy (fewest warnings)
    is a scan of a record of another group; joins are transitive, so the scan of a scan
    joins the document of the original too.
    """
    groups: dict[str, list[Copy]] = defaultdict(list)
    for copy in records.values():
        groups[copy.header].append(copy)
    joined = {header: header for header in groups}

    def root(header: str) -> str:
        while joined[header] != header:
            joined[header] = joined[joined[header]]
            header = joined[header]
        return header

    for header, members in groups.items():
        if all(copy.ocr for copy in members):
            first = min(members, key=lambda copy: (copy.n_warnings, copy.doc_id))
            if match := matches.get(first.doc_id):
                joined[root(header)] = root(records[match[0]].header)
    documents: dict[str, list[Copy]] = defaultdict(list)
    for header, members in groups.items():
        documents[root(header)].extend(members)
    standing = {}
    for members in documents.values():
        stands = min(members, key=_standing_order).doc_id
        standing.update({copy.doc_id: stands for copy in members})
    return standing


def update(con: duckdb.DuckDBPyConnection) -> None:
    """The ``copies`` table made to agree with ``documents`` and ``files`` (in the caller's
    transaction). The commit that replaces or removes a record removes its copies row, so a
    record without one is fresh."""
    records = _records(con)
    earlier = con.execute("SELECT doc_id, scan_of, containment FROM copies").fetchall()
    settled = {doc_id for doc_id, _, _ in earlier} & records.keys()
    known = {
        doc_id: (scan_of, containment) if scan_of else None
        for doc_id, scan_of, containment in earlier
        if doc_id in settled and records[doc_id].ocr and (scan_of is None or scan_of in settled)
    }
    fresh = set(records) - settled
    matches = scan_matches(con, records, known, fresh)
    standing = documents(records, matches)
    rows = []
    for doc_id, stands in sorted(standing.items()):
        scan_of, containment = matches.get(doc_id) or (None, None)
        matched_by = None if stands == doc_id else HEADER if records[doc_id].header == records[stands].header else SCAN
        rows.append({"doc_id": doc_id, "document": stands, "matched_by": matched_by, "scan_of": scan_of,
                     "containment": containment})
    table = pa.Table.from_pylist(rows, schema=COPIES_SCHEMA)
    con.execute("DELETE FROM copies")
    con.register("copies_rows", table)
    try:
        con.execute("INSERT INTO copies BY NAME SELECT * FROM copies_rows")
    finally:
        con.unregister("copies_rows")
