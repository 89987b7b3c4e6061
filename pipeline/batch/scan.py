"""Finding the files under a run's sources, with every entry accounted for.

Each entry under a source is either a file to read, or passed over with its reason:
skipped on purpose (a kind vnplan does not read, a hidden entry, a special file, a folder
reached again through a link) or unreadable (a folder that cannot be listed, a link to
nothing, a file that cannot be opened). A run stores and counts both, so an analyst always
learns what was not read.

A file name that is not valid UTF-8 (archives copied from old Windows machines or zips)
is kept losslessly: ``path`` shows it with ``\\xNN`` escapes, ``os_path`` is what the
system opens, and the store keeps the name's bytes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.formats import SUPPORTED_SUFFIXES

HASH_THREADS = 8

SKIPPED = "skipped"
UNREADABLE = "error"

FILE, FOLDER, LINK, SPECIAL = "file", "folder", "link", "special"
HIDDEN = "hidden"
NO_SUFFIX = "no suffix"

_SPECIAL_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def display_path(os_path: str) -> str:
    """The path as text: bytes that are not UTF-8 become ``\\xNN``, everything else is unchanged."""
    return os.fsencode(os_path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class FoundFile:
    """A file to read; ``sha256`` is None when it could not be read (``error`` says why)."""

    path: str
    sha256: str | None
    size: int = 0
    mtime: float = 0.0
    error: str | None = None
    os_path: str | None = None  # set only when it differs from path (a name that is not UTF-8)

    @property
    def open_path(self) -> str:
        return self.os_path or self.path

    @property
    def path_bytes(self) -> bytes | None:
        """The name's bytes, kept when text cannot hold it losslessly."""
        return os.fsencode(self.os_path) if self.os_path else None


@dataclass(frozen=True)
class PassedOver:
    """An entry under a source that gives no record: skipped on purpose, or unreadable.

    ``category`` groups the summary: the suffix of a kind not read (".md"), "hidden",
    "special", "link"; for unreadable entries, what they are (file, folder, link).
    """

    path: str
    entry: str  # file | folder | link | special
    status: str  # skipped | error
    reason: str
    category: str
    os_path: str | None = None

    @property
    def path_bytes(self) -> bytes | None:
        return os.fsencode(self.os_path) if self.os_path else None


@dataclass
class Scan:
    """What a scan found, in a stable order: files sorted by path within each source."""

    files: list[FoundFile]
    passed_over: list[PassedOver]


def scan(sources: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()) -> Scan:
    """Every entry under the sources; readable files hashed, threads overlapping the reads.

    ``exclude``: folders never entered (the run's own store), listed as skipped.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    candidates: list[str] = []
    passed_over: list[PassedOver] = []
    for item in walk([os.path.abspath(s) for s in sources], excluded):
        (passed_over if isinstance(item, PassedOver) else candidates).append(item)
    with ThreadPoolExecutor(HASH_THREADS) as pool:
        files = list(pool.map(_hash_file, dict.fromkeys(candidates)))
    return Scan(files, passed_over)


def walk(sources: Iterable[str], excluded: set[str] = frozenset()) -> Iterator[str | PassedOver]:
    """Paths of files to read and the entries passed over, source by source.

    A file named as a source is read whatever its suffix: ingest tells its format from its
    bytes. Links are followed; a folder reached a second time (a link loop, or two links to
    one folder) is passed over.
    """
    visited: set[tuple[int, int]] = set()
    for source in sources:
        try:
            info = os.stat(source)
        except OSError as error:
            yield _unreadable_link(source, error) if os.path.islink(source) else source
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(source, visited, excluded)
        elif stat.S_ISREG(info.st_mode):
            yield source
        else:
            yield _special(source, info.st_mode)


def _walk_folder(root: str, visited: set[tuple[int, int]], excluded: set[str]) -> Iterator[str | PassedOver]:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as error:
            yield _passed(folder, FOLDER, UNREADABLE, f"cannot read the folder: {error.strerror}", FOLDER)
            continue
        key = (info.st_dev, info.st_ino)
        if key in visited:
            yield _passed(folder, LINK, SKIPPED, "a folder already read through another path (a link to it, or a link loop)", LINK)
            continue
        visited.add(key)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            yield _passed(folder, FOLDER, UNREADABLE, f"cannot read the folder: {error.strerror}", FOLDER)
            continue
        subfolders = []
        for entry in entries:
            found = _entry(entry, excluded)
            if found is None:
                subfolders.append(entry.path)
            else:
                yield found
        stack.extend(reversed(subfolders))


def _entry(entry: os.DirEntry, excluded: set[str]) -> str | PassedOver | None:
    """A file path to read, an entry passed over, or None for a folder to enter."""
    if entry.name.startswith("."):
        kind = FOLDER if entry.is_dir(follow_symlinks=False) else FILE
        return _passed(entry.path, kind, SKIPPED, f"a hidden {kind} (its name starts with a dot)", HIDDEN)
    try:
        info = entry.stat(follow_symlinks=True)
    except OSError as error:
        # A file that cannot even be looked at is left to the hashing, which records why.
        return _unreadable_link(entry.path, error) if entry.is_symlink() else entry.path
    if stat.S_ISDIR(info.st_mode):
        if os.path.realpath(entry.path) in excluded:
            return _passed(entry.path, FOLDER, SKIPPED, "the run's own store folder", "store")
        return None
    if not stat.S_ISREG(info.st_mode):
        return _special(entry.path, info.st_mode)
    suffix = Path(entry.name).suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return entry.path
    category = suffix or NO_SUFFIX
    return _passed(entry.path, FILE, SKIPPED, f"a kind vnplan does not read ({category})", category)


def _unreadable_link(path: str, error: OSError) -> PassedOver:
    target = display_path(os.readlink(path))
    reason = "a link whose target does not exist" if isinstance(error, FileNotFoundError) else f"a link that cannot be followed ({error.strerror})"
    return _passed(path, LINK, UNREADABLE, f"{reason}: {target}", LINK)


def _special(path: str, mode: int) -> PassedOver:
    kind = _SPECIAL_KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return _passed(path, SPECIAL, SKIPPED, f"{kind}, not a file to read", SPECIAL)


def _passed(path: str, entry: str, status: str, reason: str, category: str) -> PassedOver:
    shown = display_path(path)
    return PassedOver(shown, entry, status, reason, category, path if shown != path else None)


def _hash_file(path: str) -> FoundFile:
    shown = display_path(path)
    os_path = path if shown != path else None
    try:
        info = os.stat(path)
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        return FoundFile(shown, None, error=f"cannot read {display_path(os.path.basename(path))}: {error.strerror}", os_path=os_path)
    return FoundFile(shown, digest, info.st_size, info.st_mtime, os_path=os_path)
