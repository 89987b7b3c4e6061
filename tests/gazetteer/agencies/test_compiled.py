"""The gazetteer's patterns: the character trie finds what a flat list of the same names finds;
a company is searched from where a head word stands and found as a search from anywhere finds it;
the qualifiers, tried a kind at a time, find what the alternation of them all finds; an
abbreviation's expansion stands as whole words where the regex module's search says so;
known_re, its names' first letters written as capitals, finds what it finds with them
written without case, on every real document."""

from __future__ import annotations

import re
import unicodedata

import pytest
import regex

from pipeline.gazetteer.agencies.compiled import (
    QUALIFIER_ORDER,
    _atoms,
    _company_openings,
    _entries,
    _expansions,
    _has_words,
    _printed_forms,
    _qualifier_sources,
    _trie,
    company_re,
    company_search,
    gazetteer,
    known_re,
    local_starts_re,
    qualifier_res,
    qualifiers_re,
    units_suffix_starts_re,
)
from pipeline.gazetteer.agencies.mentions import MATCH_WINDOW
from pipeline.ingest import read_document
from pipeline.rules import load_model
from pipeline.segment import segment
from pipeline.text import normalise_unicode
from tests.conftest import SHARED

REAL = [SHARED / "corpus/real/docs", SHARED / "corpus/pool"]


def _flat_known() -> regex.Pattern:
    """known_re written as a flat alternation of whole names, longest first: slower, plainly right."""
    forms = sorted(_printed_forms(), key=len, reverse=True)
    names = "|".join("".join(_atoms(form)) for form in forms)
    return regex.compile(rf"(?-i:(?=\p{{Lu}}))(?<![\p{{L}}\p{{M}}\p{{N}}/&-])(?:{names})(?![\p{{L}}\p{{M}}\p{{N}}])", regex.I)


def _composed() -> str:
    """Every printed name in sentences of the genre, as printed, in capitals, and with its
    punctuation spaced, dropped or broken over a line."""
    sentences = []
    for form in sorted(_printed_forms()):
        sentences.append(f"Giao {form} chủ trì, phối hợp với {form} tỉnh Cao Bằng thực hiện.")
        sentences.append(f"{form.upper()}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        sentences.append(f"- {form.replace(' - ', '-').replace(' ', chr(10), 1)}: báo cáo {form.replace(',', '')}ngày 15/3.")
    return "\n".join(sentences)


def test_the_trie_finds_what_the_flat_alternation_finds() -> None:
    text = _composed()
    spans = [m.span() for m in known_re().finditer(text)]
    assert spans == [m.span() for m in _flat_known().finditer(text)]
    assert len(spans) > 2 * len(_printed_forms())


def test_a_company_is_searched_for_as_company_re_searches_for_it(seeds) -> None:
    """company_search starts at a head's first word: the same match (span and groups) as
    company_re's own search from every fifth position of the samples' texts as printed, in
    capitals and in lower case, and of sentences naming companies in any casing."""
    heads = gazetteer()["companies"]["heads"]
    named = [f"{head} {form} Sài Gòn thực hiện" for head in heads for form in ("cổ phần Bia", "TNHH MTV Xăng dầu", "Điện lực")]
    named = "\n".join([*named, *(line.upper() for line in named), *(line.title() for line in named)])
    texts = [named, *(doc.text for doc in seeds.values())]
    found = 0
    for text in [*texts, *(t.upper() for t in texts), *(t.lower() for t in texts)]:
        for pos in range(0, len(text), 5):
            expected, got = company_re().search(text, pos), company_search(text, pos)
            assert (got and (got.span(), got.groups())) == (expected and (expected.span(), expected.groups()))
            found += expected is not None
    assert found > 100


def test_company_heads_as_re_reads_them_take_every_character_company_re_takes() -> None:
    """company_search looks for the heads with the re module: the head's first letter as the
    one capital the regex module matches it with without case, each other letter as every
    character it matches without case there, white space as every character regex's \\s takes;
    and it looks for their first two letters with str.find, the second in both cases, all
    the characters re matches it with without case."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    heads = gazetteer()["companies"]["heads"]
    for letter in {head[0] for head in heads}:
        assert [c for c in regex.findall(f"(?i){regex.escape(letter)}", every) if c.isupper()] == [letter.upper()]
    for head in heads:
        seconds = {c for c in re.findall(f"(?i){re.escape(head[1])}", every)}
        assert {head[0].upper() + c for c in seconds} <= set(_company_openings())
    for letter in {c for head in heads for c in head[1:] if not c.isspace()}:
        assert set(regex.findall(f"(?i){regex.escape(letter)}", every)) <= set(re.findall(f"(?i){re.escape(letter)}", every))
    assert set(regex.findall(r"\s", every)) <= set(re.findall(r"\s", every))


def test_the_units_suffix_is_tried_only_where_re_sees_its_first_word(seeds) -> None:
    """_read_units matches the "units_suffix" qualifier only where units_suffix_starts_re
    matches: after every white space character, once and thrice, each form as written, in capitals and in
    title case, and at every position of the samples; re takes without case every character
    that regex takes for each letter of the forms' first words."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    forms = [normalise_unicode(form) for form in gazetteer()["qualifiers"]["units_suffix"]]
    for letter in {c for form in forms for c in form.split()[0]}:
        assert set(regex.findall(f"(?i){regex.escape(letter)}", every)) <= set(re.findall(f"(?i){re.escape(letter)}", every))
    spaces = [c for c in every[:0x3001] if regex.match(r"\s", c)]
    lines = [f"các tỉnh, thành phố{gap}{f}." for f in forms for f in (f, f.upper(), f.title()) for space in spaces for gap in (space, space * 3)]
    found = 0
    for text in ["\n".join(lines), *(doc.text for doc in seeds.values())]:
        for pos in range(len(text)):
            if qualifier_res()["units_suffix"].match(text, pos, pos + MATCH_WINDOW):
                assert units_suffix_starts_re().match(text, pos)
                found += 1
    assert found >= 4 * len(forms) * len(spaces)  # as written and in capitals ("Tw" is no acronym)


def _first_qualifier(runs, text: str, pos: int):
    for pattern, groups, *_ in runs:
        if m := pattern.match(text, pos, pos + MATCH_WINDOW):
            names = [name for name in pattern.groupindex if not name.startswith("q_")]
            return m.span(), next(name for group, name in groups if m.start(group) >= 0), {n: m.span(n) for n in names if m.start(n) >= 0}
    return None


def test_qualifiers_tried_a_kind_at_a_time_find_what_their_alternation_finds(seeds) -> None:
    """For every set of qualifiers a gazetteer name takes, the first of qualifiers_re's
    patterns to match (span, alternative and groups) is the match of all their alternatives
    as one alternation in QUALIFIER_ORDER, at every position of the samples' texts and of
    every province's spellings after a unit word or a space ("TP Cần Thơ" is a local
    qualifier before it is a place)."""
    spellings = [f for unit in load_model("provinces")["before_2025"] for f in [unit["name"], *unit.get("variants", [])]]
    composed = "\n".join(f"Sở Tài chính{before}{place} thực hiện" for place in spellings for before in (" ", " tỉnh ", " thành phố ", " TP ", " của "))
    texts = [composed, *(doc.text for doc in seeds.values())]
    found = 0
    for kinds in {entry.qualify for entry in _entries()}:
        names = [name for kind, name in QUALIFIER_ORDER if kind in kinds]
        if not names:
            assert qualifiers_re(kinds) == ()
            continue
        flat = regex.compile("|".join(f"(?P<q_{name}>{_qualifier_sources()[name]})" for name in names), regex.I)
        expected_runs = ((flat, tuple((flat.groupindex[f"q_{name}"], name) for name in names)),)
        for text in texts:
            for pos in range(len(text)):
                expected = _first_qualifier(expected_runs, text, pos)
                assert _first_qualifier(qualifiers_re(kinds), text, pos) == expected
                found += expected is not None
    assert found > 1000


def test_expansions_stand_as_whole_words_where_the_regex_search_finds_them(seeds) -> None:
    """_has_words against each expansion's whole-word pattern (\\w on neither side), on every
    name and variant of the gazetteer, the samples' lines and each expansion glued to word
    characters (a letter, a digit, a combining mark, "_") and to others."""
    names = [normalise_unicode(f) for item in gazetteer()["agencies"] for f in [item["name"], *item.get("variants", [])]]
    lines = [line for doc in seeds.values() for line in doc.text.split("\n")]
    ends = ("", "a", "1", "\u0301", "_", " ", "-", "(")
    found = 0
    for _, expansion in _expansions():
        pattern = regex.compile(r"(?<!\w)" + regex.escape(expansion) + r"(?!\w)")
        glued = [f"{before}{expansion}{after}" for before in ends for after in ends]
        for text in [*names, *lines, *glued, " ".join(glued)]:
            expected = pattern.search(text) is not None
            assert _has_words(text, expansion) == expected, (text, expansion)
            found += expected
    assert found > 100


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    """The texts of every real document of the shared corpus (real/docs and the pool), as the stages read them."""
    files = sorted(f for folder in REAL if folder.is_dir() for f in folder.iterdir() if f.suffix in (".txt", ".md", ".pdf", ".docx"))
    if not files:
        pytest.skip("the shared corpus of real documents is not beside this checkout")
    return [segment(read_document(f)).text for f in files]


def test_the_local_qualifiers_are_tried_only_where_re_sees_their_first_word(seeds, real_texts) -> None:
    """_parse_combined tries the local qualifiers only where local_starts_re matches: at every
    position where their pattern matches in every real document and the samples, as printed
    and in capitals, and in sentences naming each unit after every white space character;
    re takes without case every character that regex takes for each letter of the words,
    and as \\s every character regex's \\s takes."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    (pattern, _, starts), = qualifiers_re(frozenset({"local"}))
    assert starts is local_starts_re()
    letters = {c for word in re.findall(r"\w+", starts.pattern.split(":", 1)[1]) for c in word}
    for letter in letters:
        assert set(regex.findall(f"(?i){regex.escape(letter)}", every)) <= set(re.findall(f"(?i){re.escape(letter)}", every))
    assert set(regex.findall(r"\s", every)) <= set(re.findall(r"\s", every))
    q = gazetteer()["qualifiers"]
    units = [*q["unit_words"], *q["unit_abbreviations"]]
    spaces = [c for c in every[:0x3001] if regex.match(r"\s", c)]
    lines = [f"Sở Tài chính{space}{of}{unit} Cao Bằng, {q['level_word']} {level}." for unit in units for of in ("", "của ", "các ") for level in q["levels"] for space in spaces]
    composed = "\n".join(lines)
    found = 0
    for text in [composed, composed.upper(), *(doc.text for doc in seeds.values()), *real_texts, *(t.upper() for t in real_texts)]:
        for pos in range(len(text)):
            if pattern.match(text, pos, pos + MATCH_WINDOW):
                assert starts.match(text, pos), (text[pos : pos + 30])
                found += 1
    assert found > 3 * len(lines)


def test_a_name_s_first_letter_as_a_capital_takes_every_capital_it_took_without_case() -> None:
    """known_re writes the first letter of a name as the capital the look-ahead wants: the
    capitals the regex module matches the letter with without case are that one and only
    characters normalised text never holds (the Kelvin sign, which NFC makes a K)."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    capitals = regex.findall(r"\p{Lu}", every)
    letters = {atoms[0] for atoms in map(_atoms, _printed_forms()) if len(atoms[0]) == 1 and atoms[0].islower()}
    assert len(letters) > 10
    for letter in letters:
        others = {c for c in capitals if regex.fullmatch(regex.escape(letter), c, regex.I) and c != letter.upper()}
        assert all(unicodedata.normalize("NFC", c) != c for c in others), (letter, others)


def test_known_names_are_found_as_with_their_first_letters_without_case(real_texts) -> None:
    """known_re (first letters as capitals) against the same trie with every letter without
    case: the same match at every position of every real document, and in capitals."""
    uncased = regex.compile(
        r"(?-i:(?=\p{Lu}))(?<![\p{L}\p{M}\p{N}/&-])" + _trie(_printed_forms()) + r"(?![\p{L}\p{M}\p{N}])", regex.I
    )
    found = 0
    for text in [*real_texts, *(t.upper() for t in real_texts)]:
        expected = [m.span() for m in uncased.finditer(text, overlapped=True)]
        assert [m.span() for m in known_re().finditer(text, overlapped=True)] == expected
        found += len(expected)
    assert found > 1000


def test_a_company_is_found_where_company_re_s_search_finds_one_in_real_documents(real_texts) -> None:
    """Every place company_re's search finds a company (searching on from each one's start),
    as printed and in capitals, company_search finds it too, with the same groups: a search
    from any position then finds the same first one."""

    def chain(search, text: str) -> list:
        found, m = [], search(text, 0)
        while m is not None:
            found.append((m.span(), m.groups()))
            m = search(text, m.start() + 1)
        return found

    total = 0
    for text in [*real_texts, *(t.upper() for t in real_texts)]:
        expected = chain(company_re().search, text)
        assert chain(company_search, text) == expected
        total += len(expected)
    assert total > 20
