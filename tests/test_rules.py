import regex

from pipeline.rules import compiled, finditer_each, load_model, trie_pattern


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


def test_rules_searched_one_by_one_give_the_matches_of_their_alternation():
    """Overlaps as an alternation resolves them: the earliest match, the first rule at one
    place, the search going on after it; and within bounds."""
    rules = [regex.compile(r"phối\s+hợp(?:\s+với)?"), regex.compile(r"với\s+\w+"), regex.compile(r"phối")]
    text = "phối hợp với Sở Y tế, với Công an; phối kết hợp"
    alternation = regex.compile("|".join(rule.pattern for rule in rules))
    for start, end in [(0, len(text)), (5, 30), (9, 11)]:
        assert [m.span() for m in finditer_each(rules, text, start, end)] == [m.span() for m in alternation.finditer(text, start, end)]


def test_a_law_s_two_heads_find_what_their_alternation_finds(seeds):
    head = next(kind["head"] for kind in load_model("references")["named"]["kinds"] if kind["type"] == "Luật")
    rules = [compiled(source) for source in head]
    alternation = compiled("|".join(f"(?:{source})" for source in head))
    found = 0
    for doc in seeds.values():
        for start, end in [(0, len(doc.text))] + [(line.start, line.end) for line in doc.lines]:
            expected = [m.span() for m in alternation.finditer(doc.text, start, end)]
            assert [m.span() for m in finditer_each(rules, doc.text, start, end)] == expected
            found += len(expected)
    assert found >= 5
