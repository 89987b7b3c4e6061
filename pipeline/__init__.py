"""vnplan: Vietnamese government plans and reports to structured records."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

UNKNOWN_VERSION = "0+unknown"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _version() -> str:
    """The installed distribution's version; a source checkout that is not installed reads pyproject."""
    try:
        return version("vnplan")
    except PackageNotFoundError:
        if not PYPROJECT.is_file():
            return UNKNOWN_VERSION
        return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]


__version__ = _version()
