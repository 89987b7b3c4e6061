"""The scan of a run's sources: every entry is a file to read, or passed over with its reason."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from pipeline.batch.scan import SKIPPED, UNREADABLE, scan
from tests.conftest import CORPUS

PLAN = next((CORPUS / "txt").glob("000_*.txt")).read_text(encoding="utf-8")


def _names(paths) -> list[str]:
    return [Path(p).name for p in paths]


def test_kinds_vnplan_does_not_read_are_skipped_with_their_suffix(tmp_path):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "page.md").write_text(PLAN, encoding="utf-8")
    for name in ("slides.pptx", "budget.xls", "archive.zip", "README"):
        (tmp_path / name).write_bytes(b"x")
    found = scan([tmp_path])
    assert sorted(_names(f.path for f in found.files)) == ["page.md", "plan.txt"]
    passed = {Path(p.path).name: p for p in found.passed_over}
    assert {name: p.category for name, p in passed.items()} == {
        "slides.pptx": ".pptx", "budget.xls": ".xls", "archive.zip": ".zip", "README": "no suffix",
    }
    assert all(p.status == SKIPPED and p.entry == "file" for p in passed.values())
    assert "(.zip)" in passed["archive.zip"].reason


def test_hidden_entries_are_skipped_and_a_hidden_folder_is_not_entered(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "plan.txt").write_text(PLAN, encoding="utf-8")
    found = scan([tmp_path])
    assert found.files == []
    assert sorted((Path(p.path).name, p.entry, p.category) for p in found.passed_over) == [
        (".DS_Store", "file", "hidden"), (".git", "folder", "hidden"),
    ]


def test_a_link_to_nothing_is_unreadable_and_names_its_target(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "moved-away.txt")
    (passed,) = scan([tmp_path]).passed_over
    assert (passed.status, passed.entry, passed.category) == (UNREADABLE, "link", "link")
    assert "does not exist" in passed.reason and "moved-away.txt" in passed.reason


def test_a_link_loop_reads_each_file_once_and_skips_the_repeat(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "sub" / "back").symlink_to(tmp_path)
    found = scan([tmp_path])
    assert _names(f.path for f in found.files) == ["plan.txt"]
    (loop,) = found.passed_over
    assert loop.status == SKIPPED and loop.category == "link" and loop.path.endswith("back")


def test_a_named_pipe_is_skipped_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    result = []
    worker = threading.Thread(target=lambda: result.append(scan([tmp_path])), daemon=True)
    worker.start()
    worker.join(10)
    assert result, "the scan blocked on the pipe"
    (passed,) = result[0].passed_over
    assert (passed.status, passed.entry) == (SKIPPED, "special") and "named pipe" in passed.reason


def test_a_file_name_that_is_not_utf8_is_kept_losslessly(tmp_path):
    name = os.fsdecode(b"k\xe9 ho\xb9ch.txt")  # a Windows-1258 name copied as bytes
    path = os.path.join(str(tmp_path), name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(PLAN)
    (found,) = scan([tmp_path]).files
    assert found.path.endswith("k\\xe9 ho\\xb9ch.txt")
    assert found.path.encode("utf-8")  # text that JSON and the database take
    assert found.path_bytes == os.fsencode(path)
    with open(found.open_path, encoding="utf-8") as handle:
        assert handle.read() == PLAN


def test_a_file_named_as_a_source_is_read_whatever_its_suffix(tmp_path):
    named = tmp_path / "plan.download"
    named.write_text(PLAN, encoding="utf-8")
    assert _names(f.path for f in scan([named]).files) == ["plan.download"]


def test_the_run_s_own_store_under_a_source_is_not_entered(tmp_path):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "store" / "tables").mkdir(parents=True)
    (tmp_path / "store" / "copy.txt").write_text(PLAN, encoding="utf-8")
    found = scan([tmp_path], exclude=[tmp_path / "store"])
    assert _names(f.path for f in found.files) == ["plan.txt"]
    assert [(Path(p.path).name, p.category) for p in found.passed_over] == [("store", "store")]
