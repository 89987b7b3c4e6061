"""records.jsonl: one ``Record.to_dict()`` per line, the pipeline's primary output."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Union

from pipeline.records import Record

RecordLike = Union[Record, dict[str, Any]]


def as_dict(record: RecordLike) -> dict[str, Any]:
    """Emitters accept records or their dicts, so a JSONL file can be re-emitted as tables."""
    return record.to_dict() if isinstance(record, Record) else record


def atomic_write_text(path: Path, lines: Iterable[str]) -> None:
    """Write beside the target and rename, so a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(records: Iterable[RecordLike], path: str | os.PathLike[str]) -> None:
    """Vietnamese stays readable in the file (ensure_ascii=False); one record per line."""
    lines = (json.dumps(as_dict(r), ensure_ascii=False) + "\n" for r in records)
    atomic_write_text(Path(path), lines)


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Blank lines are skipped; a broken line is reported with its line number."""
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a JSON record: {exc.msg}") from exc
    return records
