"""A store holding one record as an attack left it, for the tests that every output stays
bounded (export, compare, the review site): a multi-megabyte title, which the joined views
repeat on each of the record's rows, and a text whose second half, with most of the
record's extractions, lies past what a document page shows.

The record is the sample plan 004 read by the real pipeline, with one composed paragraph
of a few hundred thousand characters and no line break put into its first section; the
title is then set to megabytes of the same words through the record contract, as a store
written before extraction capped its fields would hold it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pipeline.emit.store import write_store
from pipeline.process import process_file
from pipeline.records import Record
from tests.conftest import CORPUS

PARAGRAPH = (
    "Các sở, ban, ngành và Ủy ban nhân dân các huyện tiếp tục rà soát người lao động đi làm việc "
    "ở nước ngoài, kịp thời phát hiện đường dây môi giới trái phép và tin rao tuyển dụng sai sự thật "
    "trên mạng xã hội, hướng dẫn người dân cảnh giác với lời mời việc nhẹ lương cao; "
)
TITLE_CHARS = 4_000_000
PARAGRAPH_CHARS = 300_000
# The first section of plan 004 ends with this line; the long paragraph goes after it.
AFTER = "chế, ngăn chặn, đẩy lùi tệ nạn mua bán người."


def repeated(chars: int) -> str:
    return (PARAGRAPH * (chars // len(PARAGRAPH) + 1))[:chars]


def huge_record(folder: Path) -> Record:
    """Plan 004 with a long one-line paragraph, read by the pipeline, and a huge title."""
    source = next((CORPUS / "txt").glob("004_*.txt")).read_text(encoding="utf-8")
    assert AFTER in source
    path = folder / "ke-hoach-mot-dong.txt"
    path.write_text(source.replace(AFTER, AFTER + "\n- " + repeated(PARAGRAPH_CHARS), 1), encoding="utf-8")
    record = process_file(path)
    assert record.status == "ok" and len(record.text) > PARAGRAPH_CHARS
    title = "Thực hiện công tác phòng, chống mua bán người năm 2023 " + repeated(TITLE_CHARS)
    return dataclasses.replace(record, document=dataclasses.replace(record.document, title=title))


def huge_record_store(folder: Path) -> Path:
    """FOLDER/store: the huge record beside the five sample plans."""
    folder.mkdir(parents=True, exist_ok=True)
    records = [huge_record(folder), *(process_file(path) for path in sorted((CORPUS / "txt").glob("*.txt")))]
    write_store(records, folder / "store")
    return folder / "store"
