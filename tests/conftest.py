"""Shared fixtures: the real sample corpus and the development gold set."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from pipeline.ingest import prepare_pages, read_document
from pipeline.ingest.text import text_page
from pipeline.records import RawDocument
from pipeline.segment import segment
from pipeline.segment.lines import PhysicalLine, physical_lines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"  # the team's documents beside the checkout; never copied in
GOLD = SHARED / "corpus" / "gold"
REAL = SHARED / "corpus" / "real" / "docs"
VNPLAN = Path(sys.executable).parent / "vnplan"
NOBODY = 65534


def raw_text(text: str, source: str = "inline.txt", pages: list[str] | None = None) -> RawDocument:
    """A RawDocument as the text reader would give it, for composed test sentences."""
    texts = pages if pages is not None else [text]
    read = [text_page(i + 1, t) for i, t in enumerate(texts)]
    prepare_pages(read)
    return RawDocument(source=source, sha256=hashlib.sha256("\f".join(texts).encode()).hexdigest(), format="txt", pages=read)


def seed_text(stem_prefix: str) -> str:
    return next((CORPUS / "txt").glob(f"{stem_prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seeds():
    """The sample documents, segmented, by their three-digit prefix ("000" … "004")."""
    return {path.name[:3]: segment(raw_text(path.read_text(encoding="utf-8"), str(path))) for path in sorted((CORPUS / "txt").glob("*.txt"))}


@functools.cache
def documents_lines() -> list[list[PhysicalLine]]:
    """The physical lines of the sample documents, and of the shared real ones (the real
    documents and the pool) where they are beside this checkout: for tests that compare a
    prefilter with trying every line."""
    folders = [CORPUS / "txt", CORPUS / "pdf", CORPUS / "docx", REAL, SHARED / "corpus" / "pool"]
    return [physical_lines(read_document(path)) for folder in folders if folder.is_dir() for path in sorted(folder.glob("*"))]


@pytest.fixture(scope="session")
def gold():
    if not GOLD.is_dir():
        pytest.skip("the development gold set (../shared/corpus/gold) is not beside this checkout")
    return {path.name[:3]: json.loads(path.read_text(encoding="utf-8")) for path in sorted(GOLD.glob("*.json"))}


def unprivileged(command: list[str]) -> list[str]:
    """The command as a user without root's power to read and write anything: as root,
    a folder made unreadable or read-only with chmod is neither."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]


@pytest.fixture
def shared_tmp():
    """A temporary folder the unprivileged user can use (pytest's tmp_path is root's alone);
    the test is skipped, with the reason, where no unprivileged user can run vnplan."""
    probe = subprocess.run(unprivileged([str(VNPLAN), "--version"]), capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"vnplan cannot run as an unprivileged user here: {probe.stderr.strip()[-200:]}")
    folder = Path(tempfile.mkdtemp(prefix="vnplan-test-"))
    folder.chmod(0o777)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o777)
    shutil.rmtree(folder)
