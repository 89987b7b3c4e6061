"""Gold documents and records made by hand, shared by the scoring tests."""

from __future__ import annotations

import json

from pipeline.evaluate import evaluate

DOC = "000_aaaaaaaaaaaaaaaa.txt"


def gold_doc(doc: str = DOC, **lists) -> dict:
    return {
        "doc": doc,
        "document": {
            "doc_type": "Kế hoạch",
            "number": "675/KH-BCĐ",
            "symbol": None,
            "title": "Tổ chức hưởng ứng “Ngày toàn dân phòng, chống mua bán người 30/7” năm 2025",
            "issuer": "Sở Văn hóa, Thể thao và Du lịch",
            "year": 2025,
            "signer_authority": "KT. Giám đốc",
            "issue_date": None,
        },
        **lists,
    }


def record(source: str, status: str = "ok", **fields) -> dict:
    return {"doc_id": "x", "source": source, "sha256": "0" * 64, "status": status, "error": None, **fields}


def run(tmp_path, golds: list[dict], records: list[dict]):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for gold in golds:
        (gold_dir / gold["doc"].replace(".txt", ".json")).write_text(
            json.dumps(gold, ensure_ascii=False), encoding="utf-8"
        )
    records_path = tmp_path / "records.jsonl"
    records_path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return evaluate(gold_dir, records_path)


def ref(number, title=None, **extra) -> dict:
    return {"type": "Kế hoạch", "number": number, "date": None, "issuer": None, "relation": "cited",
            "title": title, **extra}
