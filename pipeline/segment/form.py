"""Form checks: the header elements Nghị định 30/2020/NĐ-CP requires, each missing or
malformed one reported as a warning on the record."""

from __future__ import annotations

from pipeline.records import Document, RecordWarning
from pipeline.rules import compiled, load_model


def check_form(doc: Document) -> list[RecordWarning]:
    rules = load_model("form_checks")
    warnings = []
    for check in rules["checks"]:
        span = _anchor(doc, check["anchor"])
        if span is None:
            warnings.append(RecordWarning(code=f"missing-{check['anchor']}", message=check["missing"]))
            continue
        malformed = check.get("malformed")
        if malformed and compiled(malformed["pattern"]).search(doc.text[span[0] : span[1]]):
            warnings.append(
                RecordWarning(code=malformed["code"], message=malformed["message"], span=span, page=doc.page_at(span[0]))
            )
    return warnings


def _anchor(doc: Document, name: str):
    header = doc.header
    return {
        "motto": header.motto,
        "number": header.number,
        "place_date": header.place_date,
        "doc_type": header.doc_type,
        "title": header.title,
        "recipients": doc.recipients,
        "signature": doc.signature,
    }[name]
