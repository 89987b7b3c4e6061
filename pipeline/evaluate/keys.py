"""How gold and predicted values are compared: names as a careful reader would compare them
(tone-mark placement, case, spacing, quote and dash styles and edge punctuation do not
matter), document numbers, dates, schedules, and the opening words of a duty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import regex

from pipeline.text import fold, normalise_unicode

# Words compared at the start of a duty's text: enough to tell bullets apart, few enough
# that a gold text_start cut at "ten or so words" never runs past the prediction.
DUTY_WORDS = 8
# Words that may open an inline assignment before the body's name (a duty's text_start may begin with them).
LEAD_INS = ("giao", "đề nghị")

_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"}
)
_DASH = regex.compile(r"\s*[-‐‑‒–—−]\s*")
_SPACE_BEFORE_PUNCT = regex.compile(r"\s+([.,;:!?)])")
_SPACE_AFTER_PUNCT = regex.compile(r"([.,;:!?])(?=[^\s\d.,;:!?])")
_EDGE = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$")
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_MARKER = regex.compile(r"^\s*(?:[-+*•]|(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)])\s+", regex.IGNORECASE)
_DAY_MONTH = regex.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")


def name_key(value: Any) -> str | None:
    """One key for every way a careful reader would consider the same name written."""
    if value is None:
        return None
    text = fold(str(value).translate(_QUOTES))
    text = _DASH.sub("-", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_PUNCT.sub(r"\1 ", text)
    return _EDGE.sub("", text) or None


_SUBJECT_LABEL = regex.compile(r"^(?:v/v|về việc)\s*:?\s*")


def title_key(value: Any) -> str | None:
    """A title with or without its "V/v" (về việc) label: the label introduces the subject,
    it is not part of it, and answer keys write it both ways."""
    key = name_key(value)
    return None if key is None else _SUBJECT_LABEL.sub("", key) or None


def number_key(value: Any) -> str | None:
    """Document numbers are printed with stray spaces, either case and Đ typed as D."""
    if value is None:
        return None
    text = normalise_unicode(str(value)).lower().replace("đ", "d")
    text = _DASH.sub("-", regex.sub(r"\s+", "", text))
    return _EDGE.sub("", text) or None


def year_key(value: Any) -> Any:
    """A year may come back as "2025" from a hand-written gold file."""
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return name_key(value)


def text_key(value: Any) -> str | None:
    """ISO dates and periods are compared exactly, bar surrounding spaces."""
    return None if value is None else (str(value).strip() or None)


def frequency_key(value: Any) -> str | None:
    """"ad hoc", "ad-hoc" and "Ad Hoc" are one frequency."""
    key = name_key(value)
    return None if key is None else regex.sub(r"[^\p{L}]", "", key)


def due_days_key(value: Any) -> frozenset[str]:
    """"16/3, 16/9" and "16/09,16/03" name the same days."""
    if value is None:
        return frozenset()
    days = {f"{int(d)}/{int(m)}" for d, m in _DAY_MONTH.findall(str(value))}
    return frozenset(days or {k for k in (name_key(p) for p in str(value).split(",")) if k})


def contains_words(outer: str, inner: str) -> bool:
    """By whole words, punctuation aside: "Công an tỉnh" is in "Công an tỉnh, Sở Tư pháp"; "an" is not in "Ban"."""
    outer_words, inner_words = _WORD.findall(outer), _WORD.findall(inner)
    n = len(inner_words)
    return n > 0 and any(outer_words[i : i + n] == inner_words for i in range(len(outer_words) - n + 1))


def names_overlap(a: Any, b: Any) -> bool:
    """Equal names, or one contains the other ("Công an tỉnh" in a heading naming two bodies)."""
    ka, kb = name_key(a), name_key(b)
    if ka is None or kb is None:
        return ka == kb
    return ka == kb or contains_words(ka, kb) or contains_words(kb, ka)


# --------------------------------------------------------------------------- duty text


def _words(text: str | None) -> list[str]:
    return _WORD.findall(fold(_MARKER.sub("", text or "", count=1)))


def _without_prefix(words: list[str], prefix: list[str]) -> list[str] | None:
    if prefix and words[: len(prefix)] == prefix:
        return words[len(prefix) :]
    return None


def openings(text: str | None, agencies: Sequence[str | None]) -> list[list[str]]:
    """The ways a duty's text may begin: as is, after "Giao"/"Đề nghị", after the body's name."""
    variants = [_words(text)]
    for lead in LEAD_INS:
        rest = _without_prefix(variants[0], _words(lead))
        if rest:
            variants.append(rest)
    for words in list(variants):
        for agency in agencies:
            rest = _without_prefix(words, _words(agency))
            if rest:
                variants.append(rest)
    return variants


def texts_start_alike(gold: str | None, pred: str | None, agencies: Sequence[str | None]) -> bool:
    """Gold text_start is "ten or so words"; the prediction is the whole duty."""
    predicted = openings(pred, agencies)
    for words in openings(gold, agencies):
        n = min(DUTY_WORDS, len(words))
        if n and any(p[:n] == words[:n] for p in predicted):
            return True
    return False
