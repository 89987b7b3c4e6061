"""Shared fixtures: the real sample corpus and the development gold set."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.records import Page, RawDocument
from pipeline.segment import segment

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT.parent / "shared" / "corpus" / "gold"


def raw_text(text: str, source: str = "inline.txt", pages: list[str] | None = None) -> RawDocument:
    """A RawDocument as the text reader would give it, for composed test sentences."""
    texts = pages if pages is not None else [text]
    return RawDocument(
        source=source,
        sha256=hashlib.sha256("\f".join(texts).encode()).hexdigest(),
        format="txt",
        pages=[Page(i + 1, t, "plain") for i, t in enumerate(texts)],
    )


def seed_text(stem_prefix: str) -> str:
    return next((CORPUS / "txt").glob(f"{stem_prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seeds():
    """Segmented sample documents by their three-digit prefix ("000" … "004")."""
    return {path.name[:3]: segment(raw_text(path.read_text(encoding="utf-8"), str(path))) for path in sorted((CORPUS / "txt").glob("*.txt"))}


@pytest.fixture(scope="session")
def gold():
    if not GOLD.is_dir():
        pytest.skip("the development gold set (../shared/corpus/gold) is not beside this checkout")
    return {path.name[:3]: json.loads(path.read_text(encoding="utf-8")) for path in sorted(GOLD.glob("*.json"))}
