"""Pre-Unicode Vietnamese encodings (TCVN3, VNI): recognised by evidence, converted to Unicode.

Old .doc files, PDFs and web pages set in .VnTime (TCVN3) or VNI-Times fonts carry their
letters as Windows-1252 characters: "Ban ChÊp hµnh Trung ­¬ng", "Coäng hoøa". No
maintained Python library recognises these texts, so the tables are data
(models/legacy_encodings.yaml) and the rules are here. A text is converted only when the
conversion turns many malformed words into well-formed Vietnamese syllables, so Unicode
text, French or German is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

import regex

from pipeline.rules import load_model
from pipeline.text import is_syllable

TONES = ("grave", "hook", "tilde", "acute", "dot")

# Words are scored by their letters; ASCII punctuation and digits separate them, while
# the Latin-1 symbols that legacy encodings use as letters ("µ", "·", "«") stay inside.
_WORD = regex.compile(r"[^\s\d!-/:-@\[-`{-~“”‘’–—…]+")
_LETTERS = regex.compile(r"\p{L}+")


@cache
def tables() -> dict[str, Any]:
    return load_model("legacy_encodings")


@cache
def _marks(names: tuple[str, ...]) -> str:
    return "".join(tables()["combining"][name] for name in names)


def _compose(base: str, marks: str) -> str:
    return unicodedata.normalize("NFC", base + marks)


@cache
def tcvn3_table() -> dict[str, str]:
    """TCVN3 character -> Unicode letter; every toned code is a lower-case letter."""
    spec = tables()["tcvn3"]
    table = dict(spec["letters"])
    for vowel, codes in spec["toned"].items():
        for tone, code in zip(spec["tone_order"], codes, strict=True):
            table[code] = _compose(vowel, _marks((tone,)))
    return table


@cache
def _caseless_codes() -> frozenset[str]:
    """TCVN3 codes that say nothing about case: a .VnTimeH capital uses the same code."""
    return frozenset(code for code, letter in tcvn3_table().items() if letter.islower())


@cache
def vni_marks() -> dict[str, str]:
    """VNI mark character -> the Unicode combining marks it stands for."""
    return {code: _marks(tuple(mark["means"])) for mark in tables()["vni"]["marks"] for code in mark["codes"]}


@cache
def vni_pattern() -> regex.Pattern:
    """A base letter with its mark, or a letter with a code of its own."""
    spec = tables()["vni"]
    bases = [c for c in spec["bases"] if c.isascii()]
    bases += [code for code, letter in spec["letters"].items() if letter in spec["bases"]]
    return regex.compile(
        f"([{regex.escape(''.join(bases))}])([{regex.escape(''.join(vni_marks()))}])"
        f"|[{regex.escape(''.join(spec['letters']))}]"
    )


def _vni_letter(match: regex.Match) -> str:
    letters = tables()["vni"]["letters"]
    if match.group(1) is None:
        return letters[match.group(0)]
    return _compose(letters.get(match.group(1), match.group(1)), vni_marks()[match.group(2)])


def decode_vni(text: str) -> str:
    return vni_pattern().sub(_vni_letter, text)


@cache
def _drawn_soft_hyphen() -> regex.Pattern:
    """A hyphen where pdfium put one for TCVN3's "ư" (the soft hyphen code): inside a
    word, or before a toned code ("ng-êi" for "ng\u00adêi", "Trung -¬ng")."""
    codes = regex.escape("".join(_caseless_codes()))
    return regex.compile(rf"(?<=\p{{L}})-(?=[a-z{codes}])|(?<=\s)-(?=[{codes}])")


def decode_tcvn3(text: str) -> str:
    """Characters mapped one for one, then the case of capitals set in .VnTimeH restored."""
    table = tcvn3_table()
    text = _drawn_soft_hyphen().sub("\u00ad", text)
    converted = "".join(table.get(char, char) for char in text)
    converted = "\n".join(
        restore_case(source, line) for source, line in zip(text.split("\n"), converted.split("\n"), strict=True)
    )
    return capitalise_initials(text, converted)


# What stands before a capital: a sentence end, a list marker, or nothing (the text's start).
CAPITAL_AFTER = frozenset({".", "!", "?", "-", "+", "*", "•", ""})
# A line of at most this many words, all others capitalised, is a name ("Lê ánh Dương").
NAME_WORDS = 4
_NAME_LINE = regex.compile(r"[\p{L}\s]+")


def capitalise_initials(source: str, converted: str) -> str:
    """A word whose first letter is a toned TCVN3 code lost its capital if it had one (the
    encoding has no toned capitals): it gets it back at the start of a sentence or of a
    list item, and in a short line of words alone, the others capitalised ("Lê ánh Dương").
    Elsewhere ("của ủy ban") nothing tells, and it stays small."""
    caseless = _caseless_codes()
    out = list(converted)
    offset = 0
    for line in converted.split("\n"):
        words = list(_LETTERS.finditer(line))
        lost = [word for word in words if source[offset + word.start()] in caseless and word.group()[0].islower()]
        name = (
            len(words) <= NAME_WORDS
            and _NAME_LINE.fullmatch(line) is not None
            and all(word.group()[0].isupper() for word in words if word not in lost)
        )
        for word in lost:
            start = offset + word.start()
            if name or _mark_before(converted, start) in CAPITAL_AFTER:
                out[start] = out[start].upper()
        offset += len(line) + 1
    return "".join(out)


def restore_case(source: str, converted: str) -> str:
    """Upper-case the words of a converted TCVN3 line that were set in capitals.

    A word is in capitals when its case-bearing letters (ASCII ones and the codes for
    "Ă Â Ê Ô Ơ Ư Đ") are all capitals and there are two or more of them ("CéNG" ->
    "CỘNG"). A line is in capitals when no word has a small letter and one such word
    holds a legacy code. A short word ("Sè", "Xã") is in capitals only beside a
    capitalised word holding a legacy code, so "TP Hå ChÝ Minh" keeps "Hồ".
    """
    caseless = _caseless_codes()
    words = list(_LETTERS.finditer(converted))
    upper, lower, legacy = [], [], []
    for word in words:
        span = range(word.start(), word.end())
        cased = [converted[i] for i in span if source[i] not in caseless]
        upper.append(sum(c.isupper() for c in cased))
        lower.append(sum(c.islower() for c in cased))
        legacy.append(any(source[i] != converted[i] for i in span))
    caps = [lo == 0 and up >= 2 for up, lo in zip(upper, lower)]
    proof = [c and held for c, held in zip(caps, legacy)]
    if any(proof) and not any(lower):
        caps = [True] * len(words)
    changed = True
    while changed:
        changed = False
        for i in range(len(words)):
            beside = (i > 0 and proof[i - 1]) or (i + 1 < len(words) and proof[i + 1])
            if not caps[i] and lower[i] == 0 and beside:
                caps[i] = proof[i] = changed = True
    out = list(converted)
    for word, capital in zip(words, caps):
        if capital:
            out[word.start() : word.end()] = word.group().upper()
    return "".join(out)


def _mark_before(text: str, index: int) -> str:
    """The last character before ``index`` that is not a space ("" at the start)."""
    while index > 0 and text[index - 1].isspace():
        index -= 1
    return text[index - 1] if index > 0 else ""


DECODERS: dict[str, Callable[[str], str]] = {"tcvn3": decode_tcvn3, "vni": decode_vni}


# --------------------------------------------------------------------------- evidence


@cache
def _tone_marks() -> frozenset[str]:
    return frozenset(_marks((tone,)) for tone in TONES)


@cache
def vietnamese_letters() -> frozenset[str]:
    """Every Vietnamese letter with or without a tone, in both cases."""
    vowels = load_model("language")["syllable"]["vowels"]
    letters = {_compose(vowel, tone) for vowel in vowels for tone in ("", *_tone_marks())} | {"đ"}
    return frozenset(letters | {letter.upper() for letter in letters})


@cache
def telltales() -> frozenset[str]:
    """Legacy codes that are not Vietnamese letters: "µ", "¸", "ï", "ø"..."""
    spec = tables()["vni"]
    codes = set(tcvn3_table()) | set(spec["letters"]) | set(vni_marks())
    return frozenset(codes - vietnamese_letters())


@cache
def _telltale_pattern() -> re.Pattern:
    """One character class of the telltales: counting with it beats a Python loop 20x, and
    the standard library's matcher (a bitmap for a class of plain characters) scans a page
    six times faster than the regex module's (20 against 120 us), with the same matches."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(telltales())) + "]")


def may_be_legacy(text: str) -> bool:
    """Whether the text holds enough legacy codes that are no Vietnamese letters to be in a
    legacy encoding at all; a text that does not cannot be, nor can any part of it."""
    return len(_telltale_pattern().findall(text)) >= tables()["detection"]["min_telltales"]


def detect_legacy(text: str) -> str | None:
    """The legacy encoding the text is in, by the evidence of its words, or None."""
    rules = tables()["detection"]
    if not may_be_legacy(text):
        return None
    sample = [word for word in _WORD.findall(text) if not word.isascii()][: rules["sample_words"]]
    words = Counter(sample)  # a few hundred distinct syllables make most of a text
    before = {word: is_syllable(word) for word in words}
    best, best_gain = None, 0.0
    for name, decode in DECODERS.items():
        after = {word: is_syllable(decode(word)) for word in words}
        repaired = sum(n for word, n in words.items() if after[word] and not before[word])
        valid = sum(n for word, n in words.items() if after[word]) / len(sample)
        gain = valid - sum(n for word, n in words.items() if before[word]) / len(sample)
        if gain >= rules["min_gain"] and valid >= rules["min_valid"] and repaired >= rules["min_words"] and gain > best_gain:
            best, best_gain = name, gain
    return best


def repair_legacy(text: str) -> tuple[str, str | None]:
    """The text in Unicode, and the legacy encoding it was in (None if it was not)."""
    encoding = detect_legacy(text)
    return (DECODERS[encoding](text), encoding) if encoding else (text, None)


def decode_legacy_bytes(data: bytes) -> tuple[str, str] | None:
    """Bytes of a legacy text file: read as the Windows-1252 its fonts were drawn over."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    repaired, encoding = repair_legacy(text)
    return (repaired, encoding) if encoding else None


# --------------------------------------------------------------------------- encoding


@cache
def _tcvn3_codes() -> dict[str, str]:
    return {letter: code for code, letter in tcvn3_table().items()}


# A toned capital O or U before a, e or y at a word's end ("Ủy ban"): typists of TCVN3,
# which has no toned capitals, wrote the tone on the small vowel instead ("Uû ban").
_OLD_STYLE_CAPITAL = regex.compile(r"([ÒÓỎÕỌÙÚỦŨỤ])([aey])(?!\p{L})")


def _tone_to_small_vowel(match: regex.Match) -> str:
    capital = unicodedata.normalize("NFD", match.group(1))
    return capital[0] + _compose(match.group(2), capital[1:])


def encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3; a toned capital takes its small letter's code, as .VnTimeH does."""
    codes = _tcvn3_codes()
    text = _OLD_STYLE_CAPITAL.sub(_tone_to_small_vowel, text)
    return "".join(codes.get(char) or (codes.get(char.lower(), char) if not char.isascii() else char) for char in text)


@cache
def _vni_codes() -> dict[str, str]:
    """Unicode letter -> VNI; a letter with a code of its own is written with it."""
    spec = tables()["vni"]
    bases = [c for c in spec["bases"] if c.isascii()]
    bases += [code for code, letter in spec["letters"].items() if letter in spec["bases"]]
    letters = spec["letters"]
    codes: dict[str, str] = {}
    for base in bases:
        upper = letters.get(base, base).isupper()
        for mark in spec["marks"]:
            code = mark["codes"][1 if upper else 0]
            codes.setdefault(_compose(letters.get(base, base), vni_marks()[code]), base + code)
    codes.update({letter: code for code, letter in letters.items()})
    return codes


def encode_vni(text: str) -> str:
    codes = _vni_codes()
    return "".join(codes.get(char, char) for char in text)


ENCODERS: dict[str, Callable[[str], str]] = {"tcvn3": encode_tcvn3, "vni": encode_vni}
