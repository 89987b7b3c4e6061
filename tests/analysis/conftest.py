"""Stores shared by the analysis tests, each built once through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.analysis import connect
from pipeline.batch.run import RunOptions, run
from tests.conftest import CORPUS


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Path:
    """A run store of the text samples (one with a partial issue date, "2023-03") and their
    legacy-encoded copies, so that every table and view has rows; test modules that need
    other documents define their own ``store``."""
    store = tmp_path_factory.mktemp("analysis") / "store"
    run(RunOptions(sources=(str(CORPUS / "txt"), str(CORPUS / "legacy")), store=store, workers=1))
    return store


@pytest.fixture(scope="session")
def extract_out(tmp_path_factory) -> Path:
    """The output folder of `vnplan extract` over the text samples: a run into a fresh store."""
    out = tmp_path_factory.mktemp("analysis") / "out"
    run(RunOptions(sources=(str(CORPUS / "txt"),), store=out, workers=1, fresh=True))
    return out


@pytest.fixture(scope="module")
def con(store) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the ``store`` of the requesting module."""
    with connect(store) as connection:
        yield connection


@pytest.fixture(scope="module")
def doc_ids(con) -> dict[str, str]:
    """File stem -> doc_id."""
    return {Path(source).stem: doc_id for doc_id, source in con.execute("SELECT doc_id, source FROM documents").fetchall()}
