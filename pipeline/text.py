"""Unicode and tone-mark normalisation: the base every stage reads Vietnamese text through.

Ingest passes every line it read through ``normalise_lines`` once; later stages read
that text and never normalise it again (they fold or strip marks only to compare).
Written by hand because no library does it: underthesea's ``text_normalize`` also
re-tokenises (it puts spaces before commas), which would break the offsets that every
span relies on. ``normalise_unicode`` keeps the length of NFC text unchanged, so a span
found on normalised text stays valid.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

import regex

from pipeline.rules import load_model

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng

# Look-alike letters that legacy fonts and some PDF producers emit for Vietnamese ones.
# "Ƣ ƣ" (OI) stand for "Ư ư" in PDFs made with some Vietnamese fonts ("Công thƣơng").
LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u01a2": "\u01af", "\u01a3": "\u01b0"})

# An old-style open syllable ("hoà", "khoẻ", "thuỷ") carries its tone on the second vowel;
# the modern style used in current official text puts it on the first ("hòa", "khỏe",
# "thủy"). "qu" + y is a consonant + vowel ("quý") and is left alone.
_TONED = "àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ"
_OLD_STYLE_TONE = regex.compile(rf"(?<![qQ])([oOuU])([{_TONED}])(?!\p{{L}})")
# Where an old-style tone may stand, each of its four first vowels looked for on its own: re
# finds a pattern led by one literal letter at a few instructions a character, where the
# regex module tries a pattern at every position of a page (~140). Every place of the rule is
# one of them (an ASCII letter is a letter), and the rule is matched there only.
_OLD_STYLE_PLACES = tuple(re.compile(f"{vowel}(?<![qQ]{vowel})[{_TONED}](?![a-zA-Z])") for vowel in "oOuU")


def _move_tone(match: regex.Match) -> str:
    first, second = match.group(1), match.group(2)
    decomposed = unicodedata.normalize("NFD", second)
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    bare = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", first + tones) + unicodedata.normalize("NFC", bare)


# Plain character classes go through the standard re module: it matches them alike, two to
# three times faster. WHITESPACE_RUN is the regex module's \s+ (re's \s also takes the
# separators \x1c-\x1f, which regex's does not; tests/test_text.py holds the two together).
WHITESPACE_RUN = re.compile(r"[^\S\x1c-\x1f]+")
# Whether a text holds a look-alike is asked of str's own search, letter by letter: over a
# page, its passes for a few letters cost less than one pass of re over the class (5 letters:
# 1/15; the 30 of mixed_script_lookalikes: 1/2).
_LOOKALIKE_LETTERS = tuple(chr(code) for code in LOOKALIKES)
# Runs of spaces, and any tab or exotic space, become one plain space; single spaces stay.
_ODD_SPACES = r"\t\u00a0\u2000-\u200b\u202f\u3000"
_SPACES = re.compile(rf"[ {_ODD_SPACES}]{{2,}}|[{_ODD_SPACES}]")
_ODD_SPACE = re.compile(f"[{_ODD_SPACES}]")
_SPACE_RUN = re.compile("  +")


def normalise_unicode(text: str) -> str:
    """NFC, look-alike letters replaced, one tone-mark placement ("hoá" -> "hóa")."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(map(text.__contains__, _LOOKALIKE_LETTERS)):
        text = text.translate(LOOKALIKES)
    return modern_tones(text)


def modern_tones(text: str) -> str:
    """``_OLD_STYLE_TONE.sub(_move_tone, text)``, the rule matched only at the places re
    finds (_OLD_STYLE_PLACES): 1.46 -> 0.66 M instructions for a sample document's pages."""
    places = sorted(place.start() for vowel in _OLD_STYLE_PLACES for place in vowel.finditer(text))
    pieces: list[str] = []
    last = 0
    for start in places:
        if match := _OLD_STYLE_TONE.match(text, start):
            pieces += (text[last:start], _move_tone(match))
            last = match.end()
    return "".join(pieces) + text[last:] if pieces else text


@functools.cache
def _inline_rule() -> regex.Pattern:
    return regex.compile(load_model("text")["inline_rule"])


@functools.cache
def _invisible() -> re.Pattern:
    """A plain character class: re matches it as regex does, and faster."""
    return re.compile(load_model("text")["invisible"])


def _one_space(text: str, odd: bool = True) -> str:
    """A text without exotic spaces (most) has only its runs of plain spaces to make one,
    which re finds twice as fast as the rule for all spaces, and not at all without two in
    a row. ``odd``: whether the text may hold an exotic space at all."""
    if odd and _ODD_SPACE.search(text):
        return _SPACES.sub(" ", text)
    return _SPACE_RUN.sub(" ", text) if "  " in text else text


@functools.cache
def _mixed_script() -> tuple[tuple[str, ...], regex.Pattern, dict[int, str]]:
    """The look-alikes from another script (every page is searched for one); the words that
    hold one beside Latin letters; and the table that gives the look-alikes their Latin letters."""
    table = load_model("text")["mixed_script_lookalikes"]
    letters = "[" + regex.escape("".join(table)) + "]"
    word = rf"(?=[\p{{L}}\p{{M}}]*{letters})(?=[\p{{L}}\p{{M}}]*\p{{Latin}})[\p{{L}}\p{{M}}]+"
    return tuple(table), regex.compile(word), str.maketrans(table)


def _latin_lookalikes(text: str) -> str:
    lookalikes, word, table = _mixed_script()
    if not any(map(text.__contains__, lookalikes)):
        return text
    return word.sub(lambda m: unicodedata.normalize("NFC", m.group().translate(table)), text)


def normalise_lines(lines: list[str], unicode_normalised: bool = False) -> list[str]:
    """What every stage reads, line for line: characters that print nothing removed, Latin
    words written with another script's look-alikes made Latin, Unicode normalised, a rule
    drawn inside a line removed, space runs made one space, edges trimmed, words spaced out
    letter by letter whole again. The lines are normalised as one text: one call per page,
    not per line.

    ``unicode_normalised``: the lines are normalise_unicode's output (perhaps cut or
    reordered at white space), which it leaves as they are if they are NFC: its tone rule
    finds nothing in its own output (a moved tone leaves no o/u before a toned vowel), and
    no look-alike is left. So the tone search (a pass over the page) is not made again,
    unless removing invisible characters or look-alikes changed the text, or the text is
    not NFC (a look-alike replaced before a combining mark)."""
    joined = "\n".join(lines)
    # Every invisible character and exotic space is a format character or a separator, which
    # str.isprintable rejects (tests/test_text.py): lines that print all theirs hold none, which
    # one pass in C tells (28 us a text page) rather than two searches of it (88 us).
    printable = all(map(str.isprintable, lines))
    text = _latin_lookalikes(joined if printable else _invisible().sub("", joined))
    if not (unicode_normalised and text == joined and unicodedata.is_normalized("NFC", text)):
        text = normalise_unicode(text)
    text = _one_space(_inline_rule().sub("", text), odd=not printable)
    lines = [line.strip() for line in text.split("\n")]
    unsure = {word for word in _short_words_anywhere(text) if not is_syllable(word)}
    if not unsure:  # most pages
        return lines
    # A line without one of them has no short word that is no syllable: nothing to rejoin. Most
    # lines do not even hold their letters, which str's search tells before the line is split.
    return [
        line if not any(map(line.__contains__, unsure)) or unsure.isdisjoint(line.split(" ")) else rejoin_letter_spacing(line, is_syllable)
        for line in lines
    ]


def _short_words_anywhere(text: str) -> set[str]:
    """The words of one or two letters between any white space: every short word of every
    line is one of them, so a page where all are syllables has no letter-spaced word."""
    return {word for word in text.split() if len(word) <= 2 and word.isalpha()}


@functools.lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """A comparison key: normalised, lower case, single spaces, no edge punctuation.
    Remembered: the gazetteers fold the same few names again and again (90 calls a
    document, nine in ten of a name folded before)."""
    return WHITESPACE_RUN.sub(" ", normalise_unicode(text).lower()).strip(" .,;:")


def strip_diacritics(text: str) -> str:
    """For matching OCR or ASCII-typed text ("Ke hoach") against patterns."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _syllable_pattern() -> regex.Pattern:
    spec = load_model("language")["syllable"]
    initials = "|".join(sorted(spec["initials"], key=len, reverse=True))
    finals = "|".join(sorted(spec["finals"], key=len, reverse=True))
    groups = "|".join(sorted([*spec["vowel_groups"], *spec["vowels"]], key=len, reverse=True))
    return regex.compile(f"(?:{initials})?(?:{groups})(?:{finals})?")


@functools.lru_cache(maxsize=8192)
def is_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable (models/language.yaml) with at most one tone mark,
    in one case style: mixed case ("hOà") is mojibake or two words run together."""
    lower = word.lower()
    if word not in (lower, word.upper(), word[:1].upper() + lower[1:]):
        return False
    decomposed = unicodedata.normalize("NFD", lower)
    if sum(char in TONE_MARKS for char in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in TONE_MARKS))
    return _syllable_pattern().fullmatch(bare) is not None


# A piece of a word spaced out letter by letter: at most two letters (a consonant, a vowel
# with its marks). Longer tokens are words, and are never joined.
_SPACED_PIECE = regex.compile(r"^\p{L}{1,2}$")
_LETTERS = regex.compile(r"^\p{L}+$")


def _short_words(line: str) -> list[str]:
    """The words of one or two letters (str.isalpha is \\p{L}): split and test, five times
    faster than a pattern's search at every position of every line."""
    return [word for word in line.split(" ") if len(word) <= 2 and word.isalpha()]


def rejoin_letter_spacing(line: str, is_syllable: Callable[[str], bool]) -> str:
    """A line whose words a PDF spaced out letter by letter ("B Ộ LAO ĐỘNG", "trung ươ n g")
    with those words whole again: a short piece that is no syllable is joined to the pieces
    after it while they make one. Written by hand: spell checkers split, they do not join."""
    if not any(not is_syllable(word) for word in _short_words(line)):
        return line
    tokens = line.split(" ")
    out: list[str] = []
    rejoined = False  # whether out[-1] is a word made whole here
    index = 0
    while index < len(tokens):
        token = tokens[index]
        piece = len(token) <= 2 and bool(_SPACED_PIECE.match(token)) and not is_syllable(token)
        if piece:
            joined, end = _longest_syllable(tokens, index, is_syllable)
            if end > index + 1:
                out.append(joined)
                rejoined, index = True, end
                continue
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        # "c ontainer": the piece begins the next word, which is no word without it
        begins_next = len(following) > 2 and following[:1].islower() and not is_syllable(following)
        if piece and out and (rejoined or _SPACED_PIECE.match(out[-1])) and not begins_next and is_syllable(out[-1] + token):
            out[-1] += token  # the last letters of a word ("trung ươ n g")
            rejoined, index = True, index + 1
            continue
        out.append(token)
        rejoined, index = False, index + 1
    return " ".join(out)


def _longest_syllable(tokens: list[str], start: int, is_syllable: Callable[[str], bool]) -> tuple[str, int]:
    best, end = tokens[start], start + 1
    joined = tokens[start]
    for index in range(start + 1, min(len(tokens), start + 5)):
        joined += tokens[index]
        if not _LETTERS.match(tokens[index]):
            break
        if is_syllable(joined):
            best, end = joined, index + 1
    return best, end
