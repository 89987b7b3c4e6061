import regex

from pipeline.rules import load_model, trie_pattern


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
