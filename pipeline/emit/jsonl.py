"""records.jsonl: one ``Record.to_dict()`` per line, the pipeline's primary output."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Union

from pipeline.records import Record

RecordLike = Union[Record, dict[str, Any]]


def as_dict(record: RecordLike) -> dict[str, Any]:
    """Emitters accept records or their dicts, so a JSONL file can be re-emitted as tables."""
    return record.to_dict() if isinstance(record, Record) else record


def _scratch_beside(path: Path) -> Path:
    """A scratch file name beside the target. Opened with open(), not mkstemp(), so that the
    file gets the same permissions (the umask's) as every other output."""
    return path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"


def atomic_write_text(path: Path, lines: Iterable[str]) -> None:
    """Write beside the target and rename, so a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _scratch_beside(path)
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class JsonlSink:
    """records.jsonl written as results arrive, in any order, then put in the order of the
    inputs: lines go to a scratch file and only their places are kept, so that memory stays
    bounded however large the records are."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.scratch = _scratch_beside(self.path)
        self.handle = open(self.scratch, "xb")
        self.places: list[tuple[Any, int, int]] = []  # (order key, offset, length)

    def add(self, key: Any, record: RecordLike) -> None:
        line = (json.dumps(as_dict(record), ensure_ascii=False) + "\n").encode("utf-8")
        self.places.append((key, self.handle.tell(), len(line)))
        self.handle.write(line)

    def close(self) -> None:
        """The lines in key order, renamed into place; the scratch file is removed."""
        self.handle.close()
        try:
            with open(self.scratch, "rb") as scratch:
                def lines() -> Iterator[str]:
                    for _, offset, length in sorted(self.places, key=lambda place: place[0]):
                        scratch.seek(offset)
                        yield scratch.read(length).decode("utf-8")
                atomic_write_text(self.path, lines())
        finally:
            self.scratch.unlink(missing_ok=True)


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
