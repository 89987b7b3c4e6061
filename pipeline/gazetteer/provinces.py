"""Province names: finding them in text and following them through the 2025 mergers.

The gazetteer is models/provinces.yaml (63 pre-2025 units, 34 from 2025) and
models/mergers_2025.yaml; this module only compiles and looks them up. Names are
matched case-sensitively (or in all capitals) so that "hòa bình" (peace) or a lone
"Bình" never count as a province.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import regex

from pipeline.records import Span
from pipeline.rules import load_model, matches_where, trie_of
from pipeline.text import fold, normalise_unicode

# No phrase of not_places reaches further than this before or after a province name in it.
NOT_PLACE_REACH = 60


def _surface_pattern(name: str) -> str:
    """A name's words with any run of spaces (line breaks too) between them and loose hyphens."""
    parts = regex.split(r"\s*-\s*", normalise_unicode(name))
    words = [r"\s+".join(regex.escape(w) for w in part.split()) for part in parts]
    return r"\s*[-–]\s*".join(words)


@functools.cache
def _index() -> dict[str, str]:
    """fold(any spelling) -> canonical pre-2025 name (2025 names map to themselves)."""
    data = load_model("provinces")
    index: dict[str, str] = {}
    for unit in data["from_2025"]:
        index[fold(unit["name"])] = unit["name"]
    for unit in data["before_2025"]:
        for form in [unit["name"], *unit.get("variants", [])]:
            index[fold(form)] = unit["name"]
    return index


@functools.cache
def province_pattern() -> str:
    """Regex source matching any pre-2025 province spelling, as printed or in capitals.

    Shared with the agency finder ("tỉnh Cao Bằng", "Báo Hải Dương"); case-sensitive even
    inside a case-insensitive pattern. The spellings are one trie of characters, not a
    flat alternation nor a trie of words: the regex module tries an alternation branch by
    branch at every capital (a document: 0.9 ms flat, 0.24 ms by words, 0.12 ms by
    characters). No spelling runs on into another as a longer name, so at most one
    spelling matches at a place and the order of the branches changes no match.
    """
    return _whole_names("-i", _spellings_trie())


@functools.cache
def any_case_province_pattern() -> str:
    """province_pattern in any case (the agency finder reads "HẢI DƯƠNG" and "hải dương"
    alike): one spelling of those that differ only in case, which match the same texts
    here, so the trie is half as long for the regex module's parser, which every worker
    process pays."""
    forms: dict[str, str] = {}
    for form in sorted(_spellings()):
        forms.setdefault(form.lower(), form)
    return _whole_names("i", trie_of(_pieces(form) for form in forms.values()))


def _whole_names(case: str, trie: str) -> str:
    """The spellings' ``trie`` where a name stands whole (a capital first, no letter or digit
    on either side), in the scoped ``case`` flag ("-i" or "i")."""
    return rf"(?{case}:(?=\p{{Lu}})(?<![\p{{L}}\p{{N}}])" + trie + r"(?![\p{L}\p{N}]))"


@functools.cache
def _spellings() -> frozenset[str]:
    """Every pre-2025 spelling, as printed and in capitals."""
    data = load_model("provinces")
    forms = {normalise_unicode(f) for u in data["before_2025"] for f in [u["name"], *u.get("variants", [])]}
    return frozenset(forms | {f.upper() for f in forms})


@functools.cache
def _spellings_trie() -> str:
    return trie_of(_pieces(form) for form in sorted(_spellings()))


@functools.cache
def _spellings_re() -> re.Pattern:
    """The spellings' trie for the re module, without the look-arounds: its white space the
    regex module's (re's \\s takes \\x1c-\\x1f too), so it reads a spelling as the regex does."""
    return re.compile(_spellings_trie().replace(r"\s", r"[^\S\x1c-\x1f]"))


def _matches(text: str) -> Iterator[regex.Match]:
    """``_compiled().finditer(text)``'s matches, each tried only where re finds a spelling, up
    to the character after it. At a place at most one spelling matches, a longer one tried
    first, so the match there (if its look-arounds let it be one) ends with it or before. The
    regex module tries the pattern's look-arounds at every position; re finds the few
    spellings in about half the time."""
    return matches_where(_spellings_re(), _compiled(), text, reach=1)


def _pieces(name: str) -> list[str]:
    """A name as regex pieces: each character, and the space or hyphen before each word."""
    pieces = []
    for i, part in enumerate(regex.split(r"\s*-\s*", name)):
        for j, word in enumerate(part.split()):
            if i or j:
                pieces.append(r"\s*[-–]\s*" if j == 0 else r"\s+")
            pieces += [regex.escape(c) for c in word]
    return pieces


@functools.cache
def _compiled() -> regex.Pattern:
    return regex.compile(province_pattern())


@functools.cache
def _not_places() -> regex.Pattern:
    phrases = load_model("provinces")["not_places"]
    return regex.compile("|".join(_surface_pattern(p) for p in phrases), regex.IGNORECASE)


def canonical_province(name: str) -> str | None:
    """The canonical pre-2025 name of one spelling ("Đăk Lăk" -> "Đắk Lắk"), else None."""
    return _index().get(fold(name))


@functools.cache
def _cities() -> frozenset[str]:
    data = load_model("provinces")
    return frozenset(u["name"] for key in ("before_2025", "from_2025") for u in data[key] if u["kind"] == "city")


def is_central_city(name: str) -> bool:
    """A thành phố trực thuộc trung ương: its bodies are of province level, unlike a provincial city's."""
    return canonical_province(name) in _cities()


def find_provinces(text: str) -> list[tuple[Span, str]]:
    """Every province name in ``text`` (normalised, as every stage after ingest reads it)
    with its span and canonical pre-2025 name; a phrase that only looks like one ("hòa
    bình" in "an ninh, hòa bình") is looked for only around the names found."""
    found = []
    for match in _matches(text):
        start, end = match.span()
        window = _not_places().finditer(text, max(0, start - NOT_PLACE_REACH), min(len(text), end + NOT_PLACE_REACH))
        if any(s <= start and end <= e for s, e in (m.span() for m in window)):
            continue
        name = canonical_province(match.group())
        if name is not None:
            found.append((match.span(), name))
    return found


def successor_2025(name: str) -> str:
    """The 2025 unit (NQ 202/2025/QH15) that took over a pre-2025 province.

    Raises KeyError for a name that is not a province.
    """
    canonical = canonical_province(name)
    if canonical is None:
        raise KeyError(name)
    successors = load_model("mergers_2025")["provinces"]["successors"]
    if canonical in successors:
        return successors[canonical]
    return canonical  # already a 2025 name ("Huế")


def province_of(name_or_text: str) -> str | None:
    """The province a name or a passage points to: the name itself, else the first one found."""
    direct = canonical_province(name_or_text)
    if direct is not None:
        return direct
    found = find_provinces(name_or_text)
    return found[0][1] if found else None
