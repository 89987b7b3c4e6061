"""Unicode and tone-mark normalisation: the base every stage reads Vietnamese text through.

Written by hand because no library does it: underthesea's ``text_normalize`` also
re-tokenises (it puts spaces before commas), which would break the offsets that every
span relies on. These functions keep the length of NFC text unchanged, so a span found
on normalised text stays valid.
"""

from __future__ import annotations

import unicodedata

import regex

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng

# Look-alike letters that legacy fonts and some PDF producers emit for Vietnamese ones.
# "Ƣ ƣ" (OI) stand for "Ư ư" in PDFs made with some Vietnamese fonts ("Công thƣơng").
LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u01a2": "\u01af", "\u01a3": "\u01b0"})

# An old-style open syllable ("hoà", "khoẻ", "thuỷ") carries its tone on the second vowel;
# the modern style used in current official text puts it on the first ("hòa", "khỏe",
# "thủy"). "qu" + y is a consonant + vowel ("quý") and is left alone.
_OLD_STYLE_TONE = regex.compile(
    r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\p{L})"
)


def _move_tone(match: regex.Match) -> str:
    first, second = match.group(1), match.group(2)
    decomposed = unicodedata.normalize("NFD", second)
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    bare = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", first + tones) + unicodedata.normalize("NFC", bare)


_LOOKALIKE_CHARS = regex.compile("[\u00d0\u0189\u00f0\u01a2\u01a3]")
_SPACE_RUNS = regex.compile(r"\s+")


def normalise_unicode(text: str) -> str:
    """NFC, look-alike letters replaced, one tone-mark placement ("hoá" -> "hóa")."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _LOOKALIKE_CHARS.search(text):
        text = text.translate(LOOKALIKES)
    return _OLD_STYLE_TONE.sub(_move_tone, text)


def fold(text: str) -> str:
    """A comparison key: normalised, lower case, single spaces, no edge punctuation."""
    return _SPACE_RUNS.sub(" ", normalise_unicode(text).lower()).strip(" .,;:")


def strip_diacritics(text: str) -> str:
    """For matching OCR or ASCII-typed text ("Ke hoach") against patterns."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
