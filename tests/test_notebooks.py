"""The notebooks in notebooks/ run from top to bottom on a real store, so they never rot."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.batch.run import RunOptions, run
from tests.conftest import CORPUS, ROOT

NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook-store")
    run(RunOptions(sources=(str(CORPUS / "txt"), str(CORPUS / "docx")), store=folder, workers=1))
    return folder


def _execute(name: str, store, monkeypatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("VNPLAN_STORE", str(store))
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


def _outputs(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(
        str(output.get("data", {}).get("text/plain", "")) + str(output.get("data", {}).get("text/html", "")) + str(output.get("text", ""))
        for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    )


def test_the_province_comparison_notebook_runs_and_groups_by_2025_province(store, monkeypatch):
    notebook = _execute("compare_provinces.ipynb", store, monkeypatch)
    text = _outputs(notebook)
    assert "Hải Phòng" in text  # the Hải Dương plans, under their 2025 successor
    assert "48-CT/TW" in text
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", []))


def test_the_one_document_notebook_shows_values_beside_their_words(store, monkeypatch):
    notebook = _execute("one_document.ipynb", store, monkeypatch)
    text = _outputs(notebook)
    assert "printed" in text and "relation" in text
    assert "vnplan-legend" in text  # the displaCy rendering of the text


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS.glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), path.name
        assert os.path.getsize(path) < 50_000
