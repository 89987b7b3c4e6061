import pytest
import regex

from pipeline.annotate.times import load_forms
from pipeline.rules import (
    Scan,
    compiled,
    leading_word,
    load_model,
    rule,
    rules_at,
    trie_pattern,
)


def _alternation(words: list[str]) -> str:
    return "|".join(r"\s+".join(regex.escape(part) for part in word.split()) for word in sorted(words, key=len, reverse=True))


def test_a_trie_finds_what_the_alternation_of_its_words_tried_longest_first_finds(seeds):
    """At every position of the sample documents, words that begin others ("có", "có văn
    bản") included, and with a boundary after the words."""
    words = [*load_model("duties")["pieces"]["verb_words"]["trie"], "có", "báo", "báo cáo viên", "trình bày"]
    trie = regex.compile(rf"(?:{trie_pattern(words)})\b", regex.IGNORECASE)
    alternation = regex.compile(rf"(?:{_alternation(words)})\b", regex.IGNORECASE)
    found = 0
    for doc in seeds.values():
        for position in range(len(doc.text)):
            got, expected = trie.match(doc.text, position), alternation.match(doc.text, position)
            assert (got and got.span()) == (expected and expected.span())
            found += expected is not None
    assert found > 100


def test_a_trie_reads_a_space_as_any_white_space():
    pattern = regex.compile(trie_pattern(["chủ trì", "phối hợp"]))
    assert pattern.fullmatch("phối \n hợp") and pattern.fullmatch("chủ\ttrì") and not pattern.fullmatch("chủtrì")


def _each(rules: list[regex.Pattern], text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in Scan(text).finditer_each([rule(r) for r in rules], start, end)]


def test_rules_searched_one_by_one_give_the_matches_of_their_alternation():
    """Overlaps as an alternation resolves them: the earliest match, the first rule at one
    place, the search going on after it; and within bounds."""
    rules = [regex.compile(r"phối\s+hợp(?:\s+với)?"), regex.compile(r"với\s+\w+"), regex.compile(r"phối")]
    text = "phối hợp với Sở Y tế, với Công an; phối kết hợp"
    alternation = regex.compile("|".join(rule.pattern for rule in rules))
    for start, end in [(0, len(text)), (5, 30), (9, 11)]:
        assert _each(rules, text, start, end) == [m.span() for m in alternation.finditer(text, start, end)]


def test_a_law_s_two_heads_find_what_their_alternation_finds(seeds):
    head = next(kind["head"] for kind in load_model("references")["named"]["kinds"] if kind["type"] == "Luật")
    rules = [compiled(source) for source in head]
    alternation = compiled("|".join(f"(?:{source})" for source in head))
    found = 0
    for doc in seeds.values():
        for start, end in [(0, len(doc.text))] + [(line.start, line.end) for line in doc.lines]:
            expected = [m.span() for m in alternation.finditer(doc.text, start, end)]
            assert _each(rules, doc.text, start, end) == expected
            found += len(expected)
    assert found >= 5


def test_spans_that_hold_one_cue_or_none_find_what_the_alternation_finds(seeds):
    """The co-agency cues over every line and every stretch of 60 characters: spans that
    hold both cues' words, one (read by that rule's finditer) or none (not searched)."""
    cues = rules_at("duties", "co_agencies", "cue")
    alternation = compiled("|".join(f"(?:{cue.pattern.pattern})" for cue in cues))
    texts = [doc.text for doc in seeds.values()]
    texts.append("Sở Y tế chủ trì, PHỐI HỢP cùng với Công an tỉnh, phối hợp chặt chẽ với Sở Tư pháp cùng với các huyện.")
    held = {0: 0, 1: 0, 2: 0}
    for text in texts:
        scan = Scan(text)
        spans = [(0, len(text))] + [(at, at + 60) for at in range(0, len(text), 7)]
        for start, end in spans:
            expected = [m.span() for m in alternation.finditer(text, start, end)]
            assert [m.span() for m in scan.finditer_each(cues, start, end)] == expected
            held[sum(scan.holds(cue, start, end) for cue in cues)] += 1
    assert min(held.values()) >= 1 and held[1] >= 20


# --------------------------------------------------------------------------- rules tried where their word stands


def _rules() -> list:
    """Every rule the project tries through a Scan: the time layer's, the glued header
    anchors (words stated in the data), the co-agency cues, the section containers' words."""
    forms = load_forms()
    patterns = [r.pattern for _, r in forms.patterns] + [p for name in ("recurring_cue", "every_word", "report_word", "review_word") for p in forms.cues[name]]
    containers = [r for kind in ("own_tasks", "assign", "requests") for r in rules_at("duties", "containers", kind)]
    return [rule(p) for p in patterns] + list(rules_at("segment", "glued_anchors")) + list(rules_at("duties", "co_agencies", "cue")) + containers


def test_a_rule_tried_where_its_word_stands_finds_what_its_pattern_finds(seeds):
    """In any casing, with characters that fold to more than one ("İ", "ß") or to a
    letter of a word ("ſ"), where a match holds the next place its word stands, and
    within bounds: the matches (spans and groups) of the pattern's own finditer and search."""
    lines = [doc.text[line.start : line.end] for doc in seeds.values() for line in doc.lines]
    texts = [doc.text for doc in seeds.values()] + lines
    texts += [t.upper() for t in texts] + [t.lower() for t in texts]
    texts += ["İ Năm 2025, nĂM 2024; ĐỊNH KỲ HÀNG QUÝ, hằng năm", "Straße: định kỳ hằng quý, năm 2025", "ſáu tháng đầu năm 2025"]
    texts += ["năm 1 năm 2 năm 3", "KẾ HOẠCH NĂM 2024 ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "Ủy ban nhân dân tỉnh Lào Cai"]
    rules = [*_rules(), rule(regex.compile(r"năm\s+\d(?:\s+năm\s+\d)?", regex.IGNORECASE))]
    assert sum(r.leading for r in rules) >= 20 and sum(bool(r.words) and not r.leading for r in rules) == 5
    found = 0
    for text in texts:
        scan = Scan(text)
        for tried in rules:
            for start, end in [(0, len(text)), (len(text) // 3, 2 * len(text) // 3)]:
                expected = [(m.span(), m.groupdict()) for m in tried.pattern.finditer(text, start, end)]
                assert [(m.span(), m.groupdict()) for m in scan.finditer(tried, start, end)] == expected
                first = tried.pattern.search(text, start, end)
                assert (first and first.span()) == ((got := scan.search(tried, start, end)) and got.span())
                found += len(expected)
    assert found > 1000


def test_every_character_a_rule_s_word_matches_folds_to_that_word():
    """Where a case-insensitive pattern matches a letter of its word, the folded text holds
    that letter, or folding lengthens the text ("İ" -> "i̇") and the Scan searches it as it
    is: checked against every code point."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = {c for r in _rules() if r.folded for word in r.words for c in word}
    assert {"n", "ă", "m", "đ", "v", "í"} <= letters
    for letter in letters:
        for match in regex.finditer(regex.escape(letter), every, regex.IGNORECASE):
            folded = match.group().casefold()
            assert folded == letter or len(folded) > 1


def test_a_case_sensitive_rule_looks_for_its_words_as_written():
    decision_maker = rules_at("segment", "glued_anchors")[-1]
    assert decision_maker.words == ("ỦY BAN NHÂN DÂN", "UBND") and not decision_maker.folded
    assert not list(Scan("Kế hoạch Ủy ban nhân dân tỉnh").finditer(decision_maker))


@pytest.mark.parametrize(
    "source, word",
    [
        (r"(?<!\p{L})năm\s+(?P<year>\d{4})", "năm"),
        (r"(?<![\p{L}\d])(?<!\d\s{1,3})tháng(?!\s*\d)", "tháng"),
        (r"(?<!\p{L})qu[ýí]\s+", "qu"),
        (r"(?<!\p{L})NĂM", "năm"),
        (r"(?<!\p{L})(?:kể\s+)?từ\s+", None),
        (r"(?<!\p{L})hoàn thành|xong", None),
        (r"(?<![\])|])sáu?", "sá"),
        (r"(?=\d)(?<![\p{L}\d])0?6\s+tháng", None),
        (r"\s*,\s*", None),
        (r"(?-i:Luật)\s+", None),
    ],
)
def test_the_leading_word_is_what_every_match_begins_with(source, word):
    assert leading_word(regex.compile(source, regex.IGNORECASE)) == word
