"""One printed name written the gazetteer's way, so that a header's issuer, a cited
document's issuer and a duty's agency compare across documents and provinces; and the body
that took a name over in the 2025 reorganisation.
"""

from __future__ import annotations

import functools

import regex

from pipeline.gazetteer.agencies.compiled import SPACES
from pipeline.gazetteer.agencies.mentions import (
    AgencyName,
    agency_name,
    expand_unknown,
    scan,
)
from pipeline.rules import load_model
from pipeline.text import fold, normalise_unicode, strip_diacritics

# A lone consonant letter is no Vietnamese word: a PDF printed a name letter-spaced
# ("B Ộ LAO ĐỘNG", "Ủy b an nhân d â n").
_LONE_CONSONANT = regex.compile(r"(?<![\p{L}\p{M}])[bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX](?![\p{L}\p{M}\p{N}/.&])")
_VOWEL_START = regex.compile(r"[aeiouy]", regex.I)


def join_letter_spacing(text: str) -> str:
    """Letter-spaced words put back together: a lone consonant joins the word after it when
    that begins with a vowel ("b an" -> "ban"), else the word before it ("dâ n" -> "dân")."""
    if not _LONE_CONSONANT.search(text):
        return text
    words = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _LONE_CONSONANT.fullmatch(word):
            following = words[i + 1] if i + 1 < len(words) else ""
            if following and _VOWEL_START.match(strip_diacritics(following[:1])):
                words[i + 1] = word + following
            elif out:
                out[-1] += word
            else:
                out.append(word)
            i += 1
            continue
        out.append(word)
        i += 1
    return " ".join(out)


def canonical_name(raw: str) -> AgencyName:
    """One printed name written the gazetteer's way: acronyms expanded, capitals of
    running text, tones normalised, line breaks folded, letter-spacing undone, qualifiers kept."""
    cleaned = join_letter_spacing(SPACES.sub(" ", normalise_unicode(raw)).strip(" .,;:"))
    found = scan(cleaned)
    if len(found) == 1 and found[0].span == (0, len(cleaned)):
        return agency_name(found[0])
    name = expand_unknown(cleaned)
    return AgencyName(name=name, level=None, acronym=None, known=False, key=fold(name) + "|")


@functools.cache
def _department_mergers() -> tuple[tuple[str, str, str], ...]:
    """(folded old name, old name, new name), longest first."""
    mergers = load_model("mergers_2025")["departments"]["mergers"]
    pairs = sorted(((m["from"], m["to"]) for m in mergers), key=lambda pair: -len(pair[0]))
    return tuple((fold(before), before, after) for before, after in pairs)


def successor_2025(name: str) -> str | None:
    """The body that took over a department or ministry merged in 2025, with the printed
    qualifier kept ("Sở Thông tin và Truyền thông tỉnh Hải Dương" -> "Sở Khoa học và Công
    nghệ tỉnh Hải Dương"); None for a body that was not merged. Parts of a body's work that
    went elsewhere are listed in models/mergers_2025.yaml, not guessed here."""
    folded = fold(name)
    for folded_before, before, after in _department_mergers():
        if folded == folded_before or folded.startswith(folded_before + " "):
            return after + name[len(before) :]
    return None
