"""vnplan: Vietnamese government plans and reports to structured records."""

from __future__ import annotations

from pathlib import Path

UNKNOWN_VERSION = "0+unknown"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _version() -> str:
    """The installed distribution's version; a source checkout that is not installed reads pyproject."""
    import tomllib
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vnplan")
    except PackageNotFoundError:
        if not PYPROJECT.is_file():
            return UNKNOWN_VERSION
        return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]


def __getattr__(name: str) -> str:
    """``__version__``, read the first time it is asked for: importlib.metadata, imported
    and searched, cost every process of a run 30 ms at its start (the workers' fork server's
    among them, on the path of the first file), and only the command line and the store ask."""
    if name == "__version__":
        globals()["__version__"] = found = _version()
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
