"""The registry of extraction kinds: one entry and one finder make a kind, and the record,
the store's tables, ``vnplan eval`` and the review site follow it."""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pytest
import regex

from pipeline.emit.store import write_store
from pipeline.evaluate import evaluate_records
from pipeline.extract import extract
from pipeline.extract.nlp import to_doc
from pipeline.records import KINDS, Document, Found, Highlight, Kind, Scoring, Span
from pipeline.review.site import write_site
from pipeline.segment import segment
from tests.conftest import raw_text

LETTER = """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH
Số: 210/UBND-VP
V/v cử đầu mối liên hệ
Kính gửi: Các sở, ban, ngành tỉnh.
Đề nghị các đơn vị cử cán bộ đầu mối, gửi về hộp thư vanphong@ninhbinh.gov.vn trước ngày 15/5/2024;
bản điện tử gửi kèm về địa chỉ tonghop@ninhbinh.gov.vn.
Nơi nhận:
- Như trên;
- Lưu: VT.
"""
EMAIL = regex.compile(r"[\w.-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Email:
    """The toy kind's item: an e-mail address the text prints."""

    address: str
    span: Span


def emails(doc: Document, found: Found) -> list[Email]:
    return [Email(m.group(), m.span()) for m in EMAIL.finditer(doc.text)]


@pytest.fixture
def toy_kind():
    kind = Kind(
        "emails",
        "email",
        Email,
        "tests.test_records:emails",
        Highlight(lambda item: "email", lambda item: item["address"], "#ffff99", "email"),
        Scoring(("same_text",), "value", field="address"),
    )
    KINDS[kind.name] = kind
    yield kind
    del KINDS[kind.name]


def test_a_registered_kind_is_found_and_kept_in_the_record(toy_kind):
    record = extract(segment(raw_text(LETTER, "210-ubnd-vp.txt")))
    assert [e.address for e in record.emails] == ["vanphong@ninhbinh.gov.vn", "tonghop@ninhbinh.gov.vn"]
    data = record.to_dict()
    assert list(data)[list(data).index("sections") + 1] == "emails"
    assert all(record.text[a:b] == item["address"] for item in data["emails"] for a, b in [item["span"]])


def test_a_registered_kind_gets_a_table_a_span_group_a_score_and_site_highlights(toy_kind, tmp_path):
    record = extract(segment(raw_text(LETTER, "210-ubnd-vp.txt")))
    store = tmp_path / "store"
    write_store([record], store)
    with duckdb.connect(str(store / "vnplan.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT address, span_start, span_end FROM emails ORDER BY ordinal").fetchall()
    assert [address for address, _, _ in rows] == ["vanphong@ninhbinh.gov.vn", "tonghop@ninhbinh.gov.vn"]
    assert (store / "tables" / "emails.parquet").is_file()

    doc = to_doc(record)
    assert [span.text for span in doc.spans["emails"]] == ["vanphong@ninhbinh.gov.vn", "tonghop@ninhbinh.gov.vn"]

    gold = {"doc": "210-ubnd-vp.txt", "emails": [{"address": "vanphong@ninhbinh.gov.vn"}, {"address": "thuky@ninhbinh.gov.vn"}]}
    scores = evaluate_records([gold], [json.loads(json.dumps(record.to_dict()))]).to_dict()
    assert scores["lists"]["emails"]["tp"] == 1 and scores["lists"]["emails"]["fn"] == 1 and scores["lists"]["emails"]["fp"] == 1

    write_site(store, tmp_path / "site")
    page = (tmp_path / "site" / "documents" / f"{record.doc_id}.html").read_text(encoding="utf-8")
    assert 'id="email-0"' in page and 'id="email-1"' in page


def test_every_kind_names_a_finder_that_exists():
    from pipeline.extract import finder_of

    assert all(callable(finder_of(kind)) for kind in KINDS.values())
