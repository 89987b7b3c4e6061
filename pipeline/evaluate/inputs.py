"""Reading the gold folder and a records.jsonl: malformed input raises EvalInputError naming
the file and line, so that a broken file is reported rather than scored as empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


class EvalInputError(ValueError):
    """A gold or records file that cannot be scored; the message names the file (and line)."""


def load_gold(gold_dir: str | Path) -> list[dict]:
    """Every *.json under gold_dir (or one file); "doc" defaults to the file's own name."""
    root = Path(gold_dir)
    paths = [root] if root.is_file() else sorted(root.glob("*.json"))
    if not paths:
        raise EvalInputError(f"{root}: no gold files (*.json) to score against")
    golds = []
    for path in paths:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise EvalInputError(f"{path}: not a gold JSON file: {exc}") from exc
        if not isinstance(gold, dict):
            raise EvalInputError(f"{path}: a gold file holds one JSON object per document")
        golds.append({**gold, "doc": gold.get("doc") or path.name})
    return golds


_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false", type(None): "null"}


def read_records(lines: Iterable[bytes], name: str) -> list[dict]:
    """The records of a JSON-lines stream (blank lines skipped), each an object with a
    doc_id and a source, which is what scoring matches gold documents by."""
    records = []
    for number, raw in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise EvalInputError(f"{where}: not UTF-8 text ({exc.reason})") from exc
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalInputError(f"{where}: not a JSON record: {exc.msg} (column {exc.colno})") from exc
        if not isinstance(record, dict):
            raise EvalInputError(f"{where}: a record is a JSON object, not {_JSON_TYPES[type(record)]}")
        missing = [key for key in ("doc_id", "source") if not (isinstance(record.get(key), str) and record[key])]
        if missing:
            raise EvalInputError(f"{where}: the record has no {' and no '.join(missing)}")
        records.append(record)
    return records


def load_records(path: str | Path) -> list[dict]:
    """The checked records of a records.jsonl file (read_records)."""
    with open(path, "rb") as handle:
        return read_records(handle, str(path))
