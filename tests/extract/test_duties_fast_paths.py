"""The places where duty extraction reads less than its rules for speed give what the rules
give: the brackets that define short names, the words before them, and section kinds."""

from __future__ import annotations

import regex

from pipeline.extract.duties import (
    _aliases,
    _container_kind,
    _initials_run,
    _rule,
)
from pipeline.records import Document
from pipeline.rules import rules_at

BRACKETS = [
    "hải quan khu vực giám sát (KVGS) và (sau đây gọi tắt là Cục ĐCK)",
    "Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1 (Chi cục HQCK cảng SGKV 1)",
    "((KVGS)) (a(b)c) (x) (unclosed (TT) ( \n ) (để báo cáo) (gọi tắt là BCĐ)",
    "(" * 5 + "AB)" + ")" * 3 + "(" + "x" * 45 + ")",
]


def test_the_words_before_a_bracket_are_the_last_runs_of_letters(seeds):
    """_initials_run reads the words back from the end: the run the forward reading finds."""

    def forward(before: str, abbreviation: str) -> str | None:
        words = regex.findall(r"\p{L}+", before)[-(len(abbreviation) + 4) :]
        letters = abbreviation.upper()
        for end in range(len(words), len(letters) - 1, -1):
            run = words[end - len(letters) : end]
            if "".join(word[0].upper() for word in run) == letters:
                return " ".join(run)
        return None

    befores = [doc.text[max(0, at - 200) : at] for doc in seeds.values() for at in range(0, len(doc.text), 97)]
    befores += ["khu vực giám sát hải quan ", "a, b: c-d ", "", "x1y2z ", "Ủy ban nhân dân; "]
    found = 0
    for before in befores:
        for abbreviation in ("KVGS", "UBND", "BCĐ", "CD", "XYZ", "HQCK"):
            expected = forward(before, abbreviation)
            assert _initials_run(before, abbreviation) == expected
            found += expected is not None
    assert found > 3


def test_a_bracket_defines_the_short_name_of_the_words_before_it():
    doc = Document.of_text(BRACKETS[0] + ". " + BRACKETS[1] + ". Ủy ban nhân dân tỉnh (UBND tỉnh).")
    assert _aliases(doc) == [
        ("KVGS", "khu vực giám sát"),
        ("Chi cục HQCK cảng SGKV 1", "Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1"),
    ]


def test_a_title_s_kind_is_read_from_the_rules_whose_words_the_document_holds(seeds):
    """_container_kind asks only the rules whose words its document holds: on every
    section of the samples, and on titles of each kind in a text that holds no other
    kind's words, the kind that searching every rule finds."""

    def every_rule(title: str) -> str | None:
        for kind in ("own_tasks", "assign", "requests"):
            if any(rule.pattern.search(title) for rule in rules_at("duties", "containers", kind)):
                return kind
        return "narrative" if _rule("containers", "narrative").match(title) else None

    docs = list(seeds.values()) + [
        Document.of_text(text) for text in ("1. Tổ chức thực hiện", "II. KIẾN NGHỊ, ĐỀ XUẤT", "1. Mục đích", "Phân công")
    ]
    kinds = []
    for doc in docs:
        assert doc.sections or len(doc.text) < 40
        for section in doc.sections:
            start, end = section.title_span
            kinds.append(_container_kind(doc, section))
            assert kinds[-1] == every_rule(doc.text[start:end])
    assert {"assign", "requests", "narrative"} <= set(kinds)
