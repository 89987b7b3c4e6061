"""The workers' fork server: started first, before the command line's own imports."""

from __future__ import annotations

import subprocess
import sys

from pipeline.batch import server
from pipeline.batch.server import input_kinds, start_fork_server


def test_what_starts_the_fork_server_loads_neither_pebble_nor_a_stage_nor_the_store_nor_package_metadata():
    """Whatever the command line imports before the server starts delays every run's first file."""
    code = ("import sys; from pipeline.batch.server import start_fork_server; "
            "print(sorted(m for m in ('pebble', 'pipeline.batch.workers', 'pipeline.process', 'duckdb', 'typer', "
            "'importlib.metadata') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


# A run's script, as the command line starts it: the fork server from the sources, then a
# pool of workers forked from it, each asked what it holds before its first file.
PROBE = '''
import sys
from pipeline.batch.server import fork_server, start_fork_server


def held():
    """The vocabulary built, the idle engines, whether the vocabulary is out of the
    collector's view (gc.get_objects leaves frozen objects out), and whether the other
    readers' libraries are loaded."""
    import gc
    from pipeline.ingest.ocr import _ENGINES
    from pipeline.ingest.ocr_correct import vocabulary
    built = vocabulary.cache_info().currsize
    frozen = bool(built) and id(vocabulary().syllables) not in {id(o) for o in gc.get_objects()}
    readers = [name in sys.modules for name in ("docx", "pdfplumber", "lxml.html", "markdown_it")]
    return built, sum(idle.qsize() for idle in _ENGINES.values()), frozen, readers


if __name__ == "__main__":
    start_fork_server(sys.argv[1:])
    with fork_server().Pool(1) as pool:
        print(pool.apply(held))
'''


def _held_by_a_worker(tmp_path, *sources) -> str:
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), *map(str, sources)], capture_output=True, text=True, check=True,
                          cwd=tmp_path).stdout.strip()


def test_workers_of_a_run_of_images_start_with_ocr_loaded_and_without_the_other_readers(tmp_path):
    scans = tmp_path / "scans" / "2024"
    scans.mkdir(parents=True)
    (scans / "page.jpg").write_bytes(b"")
    (scans / "Thumbs.db").write_bytes(b"")  # passed over by the scan
    assert _held_by_a_worker(tmp_path, tmp_path / "scans") == "(1, 1, True, [False, False, False, False])"


def test_workers_of_a_run_of_images_and_documents_start_with_both(tmp_path):
    (tmp_path / "page.png").write_bytes(b"")
    (tmp_path / "plan.docx").write_bytes(b"")
    assert _held_by_a_worker(tmp_path, tmp_path / "page.png", tmp_path / "plan.docx") == (
        "(1, 1, True, [True, True, True, True])"
    )


def test_workers_of_a_text_run_are_not_made_to_wait_for_ocr_models(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "plan.txt").write_text("Kế hoạch", encoding="utf-8")
    assert _held_by_a_worker(tmp_path, texts, tmp_path / "missing.png") == "(0, 0, False, [True, True, True, True])"


def test_the_kinds_of_the_inputs_are_told_by_suffix_in_files_and_folders_to_a_bound(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "note.txt").touch()
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "deep" / "SCAN.TIF").touch()
    (tmp_path / "b" / "deep" / "desktop.ini").touch()
    assert input_kinds([tmp_path / "b" / "deep" / "SCAN.TIF"]) == (True, False)
    assert input_kinds([tmp_path / "b"]) == (True, False)  # what the scan passes over is nothing
    assert input_kinds([tmp_path / "b" / "deep" / "desktop.ini"]) == (False, True)  # named: read
    assert input_kinds([tmp_path / "a", tmp_path / "b"]) == (True, True)
    assert input_kinds([tmp_path / "a", tmp_path / "nowhere.jpg", "2"]) == (False, True)
    assert input_kinds([tmp_path / "nowhere.jpg"]) == (False, False)
    monkeypatch.setattr(server, "LOOK_AT_ENTRIES", 2)  # a's note and b's folder: the look ends before the scan
    assert input_kinds([tmp_path / "a", tmp_path / "b"]) == (False, True)


def test_the_sources_are_looked_at_once_a_process(monkeypatch):
    """The server's preload is fixed when it starts: `vnplan extract` starts it in __main__,
    and its run must not walk the sources a second time."""
    start_fork_server()

    def looked_again(sources):
        raise AssertionError("the sources were looked at again")

    monkeypatch.setattr(server, "input_kinds", looked_again)
    start_fork_server(["archive"])
