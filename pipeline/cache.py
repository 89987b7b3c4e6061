"""Data derived from the package's code and models (and a caller's own inputs), kept on disk
between processes: what each process would otherwise build again from the same inputs.

An entry is named by a hash of everything it can depend on: this Python, every module of the
package, every file of the models folder, and the bytes the caller names (a word list). A
change to any of them makes a new entry; an entry is never read for inputs it was not built
from. Written by hand: diskcache and joblib.Memory key by a function's arguments, and cannot
see that a model file or a module changed under them; one file per entry, named by its hash,
is all this needs.

The folder is ``VNPLAN_CACHE``, else ``$XDG_CACHE_HOME/vnplan``, else ``~/.cache/vnplan``;
``VNPLAN_CACHE=off`` keeps nothing. A folder that cannot be written, or an entry that cannot
be read or does not hold its checksum, is no error: the data is built as without a cache.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pipeline.rules import MODELS_DIR

T = TypeVar("T")
PACKAGE_DIR = Path(__file__).resolve().parent
OFF = "off"


def cache_folder() -> Path | None:
    """None: no cache (turned off, or no home folder to keep it in)."""
    setting = os.environ.get("VNPLAN_CACHE")
    if setting == OFF:
        return None
    if setting:
        return Path(setting)
    if base := os.environ.get("XDG_CACHE_HOME"):
        return Path(base) / "vnplan"
    try:
        return Path.home() / ".cache" / "vnplan"
    except (RuntimeError, KeyError):  # no HOME, and the user is not in the password database
        return None


@functools.cache
def _code_and_models() -> bytes:
    """The digest of this Python, the package's modules and the models (5 ms), once a process."""
    digest = hashlib.sha256(sys.version.encode())
    for folder, paths in ((PACKAGE_DIR, PACKAGE_DIR.rglob("*.py")), (MODELS_DIR, MODELS_DIR.rglob("*"))):
        for path in sorted(p for p in paths if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def remembered(
    name: str, inputs: Iterable[bytes], build: Callable[[], T], to_plain: Callable[[T], Any], from_plain: Callable[[Any], T]
) -> T:
    """``build()``'s result, read from the entry for these inputs if there is one, else built
    and kept. ``to_plain`` makes it marshal's plain data (tuples, sets, dicts, strings,
    numbers), ``from_plain`` makes it again; an entry from_plain cannot read is built again."""
    folder = cache_folder()
    if folder is None:
        return build()
    digest = hashlib.sha256(_code_and_models())
    for part in inputs:
        digest.update(hashlib.sha256(part).digest())
    path = folder / f"{name}-{digest.hexdigest()[:32]}.marshal"
    try:
        data = path.read_bytes()
        checksum, payload = data[:32], data[32:]
        if hashlib.sha256(payload).digest() == checksum:
            return from_plain(marshal.loads(payload))
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
        pass
    value = build()
    _keep(path, marshal.dumps(to_plain(value)))
    return value


def _keep(path: Path, payload: bytes) -> None:
    """Written whole under a temporary name, then renamed: a process reading the entry at the
    same time sees it all or not at all. Older entries of the same name go."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.stem}-", delete=False)
    except OSError:
        return
    try:
        with handle:
            handle.write(hashlib.sha256(payload).digest() + payload)
        os.replace(handle.name, path)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)
        return
    name = path.stem.rsplit("-", 1)[0]
    for older in path.parent.glob(f"{name}-*.marshal"):
        if older != path:
            older.unlink(missing_ok=True)
