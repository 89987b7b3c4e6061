"""Loading the rule and gazetteer files of ``models/``: read once per process, then cached.

Rules are data (YAML) so that a linguist can extend them without touching code; this
module only finds, parses and compiles them.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import regex
import yaml

MODELS_DIR = Path(os.environ.get("VNPLAN_MODELS", Path(__file__).resolve().parent.parent / "models"))


@functools.cache
def load_model(name: str) -> dict[str, Any]:
    """The parsed YAML file ``models/<name>.yaml``."""
    with open(MODELS_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.cache
def compiled(pattern: str, ignore_case: bool = True) -> regex.Pattern:
    """A compiled pattern; Vietnamese case folding needs the ``regex`` module's full Unicode."""
    flags = regex.IGNORECASE if ignore_case else 0
    return regex.compile(pattern, flags)
