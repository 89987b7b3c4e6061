"""Fixtures for the ingest tests: paths into the generated sample corpus."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.text import TONE_MARKS

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEED_STEMS = sorted(path.stem for path in (CORPUS / "txt").glob("*.txt"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests asking for ``seed_stem`` run once per seed document."""
    if "seed_stem" in metafunc.fixturenames:
        metafunc.parametrize("seed_stem", SEED_STEMS)


@pytest.fixture
def corpus_file() -> Callable[[str, str], Path]:
    """``corpus_file("pdf", stem)``; a missing file means the corpus was not built."""

    def find(kind: str, stem: str) -> Path:
        path = CORPUS / kind / f"{stem}.{kind}"
        if not path.exists():
            pytest.fail(f"{path} missing: run .venv/bin/python scripts/make_corpus.py")
        return path

    return find


@pytest.fixture
def seed_text() -> Callable[[str], str]:
    return lambda stem: (CORPUS / "txt" / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.fixture
def header_stem() -> str:
    """Seed 004 is the one with the official two-column header."""
    return next(stem for stem in SEED_STEMS if stem.startswith("004"))


@pytest.fixture
def plain_stem() -> str:
    """Seed 000 starts at its document type, with no header."""
    return next(stem for stem in SEED_STEMS if stem.startswith("000"))


def windows_1258(text: str) -> bytes:
    """Windows-1258 has precomposed vowels but separate tone marks, as legacy files do."""
    parts = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        parts.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS)) + tones)
    return "".join(parts).encode("cp1258")
