"""Data kept between processes: read back only for the inputs it was built from."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.cache import remembered


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("VNPLAN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


class Builds:
    """A build that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def _remember(build: Builds, *inputs: bytes) -> object:
    return remembered("toy", inputs, build, lambda value: value, lambda plain: plain)


def test_what_was_built_is_read_back_for_the_same_inputs_and_built_again_for_others(folder):
    build = Builds(({"hòa": ("hoà",)}, frozenset({("kế", "hoạch")})))
    assert _remember(build, b"word list") == build.value
    assert _remember(build, b"word list") == build.value
    assert build.calls == 1
    assert _remember(build, b"another word list") == build.value
    assert build.calls == 2
    assert [p.name.startswith("toy-") for p in folder.iterdir()] == [True]  # the older entry went


def test_an_entry_that_does_not_hold_its_checksum_is_built_again_and_replaced(folder):
    build = Builds(("a", "b"))
    _remember(build, b"x")
    (entry,) = folder.iterdir()
    data = bytearray(entry.read_bytes())
    data[-2] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert _remember(build, b"x") == ("a", "b")
    assert build.calls == 2
    assert _remember(build, b"x") == ("a", "b")
    assert build.calls == 2


def test_an_entry_its_reader_cannot_read_is_built_again(folder):
    build = Builds(("a", "b"))
    _remember(build, b"x")

    def unreadable(plain):
        raise KeyError("an older shape")

    assert remembered("toy", [b"x"], build, lambda value: value, unreadable) == ("a", "b")
    assert build.calls == 2


def test_a_folder_that_cannot_be_written_and_a_cache_turned_off_only_build(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    for setting in (str(blocker / "cache"), "off"):
        monkeypatch.setenv("VNPLAN_CACHE", setting)
        build = Builds((1, 2))
        assert _remember(build, b"x") == (1, 2)
        assert _remember(build, b"x") == (1, 2)
        assert build.calls == 2
    assert list(tmp_path.iterdir()) == [blocker]


def test_a_changed_model_is_a_new_entry(folder, tmp_path):
    """The models folder's files are inputs of every entry (VNPLAN_MODELS: another folder)."""
    code = ("from pipeline.cache import remembered; "
            "print(remembered('toy', [b'x'], lambda: 'built', lambda v: v, lambda p: 'read'))")

    def run(models) -> str:
        environment = {"VNPLAN_CACHE": str(folder), "VNPLAN_MODELS": str(models), "PATH": ""}
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env=environment).stdout.strip()

    models = tmp_path / "models"
    models.mkdir()
    (models / "ocr.yaml").write_text("language: vie\n", encoding="utf-8")
    assert [run(models), run(models)] == ["built", "read"]
    (models / "ocr.yaml").write_text("language: eng\n", encoding="utf-8")
    assert [run(models), run(models)] == ["built", "read"]


def test_a_user_without_a_home_folder_only_builds():
    """A container's user, an id with no entry in the password database and no HOME."""
    if os.geteuid() != 0:
        pytest.skip("taking a user id that has no entry needs root")
    code = ("from pipeline.cache import cache_folder, remembered; "
            "print(cache_folder(), remembered('toy', [b'x'], lambda: 'built', lambda v: v, lambda p: 'read'))")
    done = subprocess.run(["setpriv", "--reuid=54321", "--regid=54321", "--clear-groups", sys.executable, "-c", code],
                          env={"PATH": os.environ["PATH"]}, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "None built"
