"""Checks on what ingest read, reported as warnings: the record is still produced.

- A document that is not in Vietnamese (an English or French file in the archive): told
  by the share of its words that carry a letter only Vietnamese uses or are common
  Vietnamese words (models/language.yaml). Language-identification libraries (langdetect,
  fasttext's lid model) need a model download or mislabel short unaccented text; the
  share of Vietnamese letters is a plain, explainable test that this corpus needs.
- A file whose name says another format than its bytes (a .pdf that is a Word file).
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import regex

from pipeline.records import Page, RecordWarning
from pipeline.rules import load_model
from pipeline.text import strip_diacritics

_LETTER = regex.compile(r"\p{L}")
# Characters a word is read to, for about this many characters a word (Vietnamese: 5-6).
_WINDOW_PER_WORD = 6


class _LettersOnly(dict):
    """str.translate's table keeping the letters (\\p{L}) and making every other character a
    space: a window translated and split gives its \\p{L}+ words, a fifth faster than the
    regex module's Match objects (no letter is white space). Each character is classed the
    first time it is met: a text has a few hundred distinct ones."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = char if _LETTER.match(char) else " "
        return self[code]


_LETTERS_ONLY = _LettersOnly()

# The suffixes a format is saved under; a file with one of them and another format's bytes
# is flagged. Other suffixes (none, .dat, .aspx) say nothing and are not flagged.
SUFFIXES = {
    "txt": {".txt"},
    "pdf": {".pdf"},
    "docx": {".docx"},
    "doc": {".doc"},
    "rtf": {".rtf"},
    "odt": {".odt"},
    "html": {".html", ".htm"},
}
FORMAT_NAMES = {
    "txt": "plain text",
    "pdf": "a PDF",
    "docx": "a Word document (.docx)",
    "doc": "a legacy Word document (.doc)",
    "rtf": "a Rich Text Format document (RTF)",
    "odt": "an OpenDocument text (.odt)",
    "html": "a web page (HTML)",
}


@cache
def _language() -> dict:
    return load_model("language")


@cache
def _common_words() -> frozenset[str]:
    return frozenset(word.lower() for word in _language()["common_words"])


@cache
def _vietnamese_letters() -> frozenset[str]:
    return frozenset(_language()["vietnamese_letters"])


@lru_cache(maxsize=4096)
def _is_vietnamese(word: str) -> bool:
    """A word (lower case) with a Vietnamese letter, or a common word with its marks or
    without them; remembered, as documents repeat their words."""
    common = _common_words()
    return not _vietnamese_letters().isdisjoint(word) or word in common or strip_diacritics(word) in common


def vietnamese_share(text: str) -> tuple[float, int]:
    """The share of words that carry a Vietnamese letter or are common Vietnamese words,
    and the number of words, over the first words of the text (enough to tell a language)."""
    words = [word.lower() for word in first_words(text, _language()["detection"]["sample_words"])]
    hits = sum(map(_is_vietnamese, words))
    return (hits / len(words) if words else 0.0), len(words)


def first_words(text: str, count: int) -> list[str]:
    """The first ``count`` words (runs of \\p{L}) of ``text``, read from a window at its start
    that is widened until it holds one word more (the last one kept is then whole)."""
    size = _WINDOW_PER_WORD * max(count, 1)
    while True:
        words = text[:size].translate(_LETTERS_ONLY).split()
        if len(words) > count or size >= len(text):
            return words[:count]
        size *= 2


def _surely_vietnamese(first_page: str, rules: dict) -> bool:
    """Whether the first words of the first page already hold so many Vietnamese ones that
    the share over the first ``sample_words`` words (at most that many: the share's count)
    reaches ``min_share``, whatever the words after them. Vietnamese text has three words in
    four Vietnamese (0.7-0.9 of the first 100 in corpus, real and pool), so the first third
    of the sample tells, without the rest read (and no page but the first joined)."""
    words = first_words(first_page, rules["sample_words"] // 3)
    return sum(map(_is_vietnamese, map(str.lower, words))) / rules["sample_words"] >= rules["min_share"]


def language_warnings(pages: list[Page]) -> list[RecordWarning]:
    """A "not-vietnamese" warning for a document of enough words with too few Vietnamese ones."""
    rules = _language()["detection"]
    if pages and _surely_vietnamese(pages[0].text, rules):
        return []
    share, count = vietnamese_share("\n".join(page.text for page in pages))
    if count < rules["min_words"] or share >= rules["min_share"]:
        return []
    return [
        RecordWarning(
            code="not-vietnamese",
            message=f"the text does not look Vietnamese: {share:.0%} of {count} words are Vietnamese "
            f"(at least {rules['min_share']:.0%} expected); extraction rules assume Vietnamese",
        )
    ]


def suffix_warnings(path: Path, kind: str) -> list[RecordWarning]:
    """An "extension-mismatch" warning when the name's suffix belongs to another format."""
    suffix = path.suffix.lower()
    known = set().union(*SUFFIXES.values())
    if kind not in SUFFIXES or suffix not in known or suffix in SUFFIXES[kind]:
        return []
    return [
        RecordWarning(
            code="extension-mismatch",
            message=f"{path.name} is named {suffix} but its content is {FORMAT_NAMES[kind]}; read as {kind}",
        )
    ]
