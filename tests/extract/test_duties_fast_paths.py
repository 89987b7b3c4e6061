"""The places where duty extraction reads less than its rules for speed give what the rules
give: the words before a bracket that defines a short name, the rules that open a text,
roles, and a duty's words on one line."""

from __future__ import annotations

import sys

import regex

from pipeline.annotate.scan import text_scan
from pipeline.extract.duties import (
    _aliases,
    _container_kind,
    _initials_run,
    _last_words,
    _one_line,
    _opening_role,
    _opens,
    _rule,
)
from pipeline.records import Document
from pipeline.rules import load_model, may_begin, pattern, rules_at
from pipeline.segment import segment
from pipeline.text import WHITESPACE_RUN
from tests.conftest import raw_text

BRACKETS = [
    "hải quan khu vực giám sát (KVGS) và (sau đây gọi tắt là Cục ĐCK)",
    "Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1 (Chi cục HQCK cảng SGKV 1)",
    "((KVGS)) (a(b)c) (x) (unclosed (TT) ( \n ) (để báo cáo) (gọi tắt là BCĐ)",
    "(" * 5 + "AB)" + ")" * 3 + "(" + "x" * 45 + ")",
]


def test_the_words_before_a_bracket_are_the_last_runs_of_letters(seeds):
    """_initials_run reads the words back from the end (_last_words): the last runs of letters
    the forward reading finds."""
    befores = [doc.text[max(0, at - 200) : at] for doc in seeds.values() for at in range(0, len(doc.text), 97)]
    befores += ["khu vực giám sát hải quan ", "a, b: c-d ", "", "x1y2z ", "Ủy ban nhân dân; "]
    for before in befores:
        for count in range(5, 9):  # an abbreviation's letters and four
            assert _last_words(before, count) == regex.findall(r"\p{L}+", before)[-count:]
    found = sum(_initials_run(before, abbreviation) is not None for before in befores for abbreviation in ("KVGS", "UBND", "BCĐ", "CD", "XYZ", "HQCK"))
    assert found > 3
    assert _initials_run("khu vực giám sát hải quan ", "KVGS") == "khu vực giám sát"


def test_a_bracket_defines_the_short_name_of_the_words_before_it():
    doc = Document.of_text(BRACKETS[0] + ". " + BRACKETS[1] + ". Ủy ban nhân dân tỉnh (UBND tỉnh).")
    assert _aliases(doc) == [
        ("KVGS", "khu vực giám sát"),
        ("Chi cục HQCK cảng SGKV 1", "Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1"),
    ]


OPENING_RULES = ("heading_prefix", "subject_head", "note_label", "clause_opener", "issuer_subject", "closing_opener", "not_task")


def _openings(seeds) -> list[str]:
    """Every line of the samples from each of its words on, as printed and as the finders
    strip it, and the examples of the rules."""
    texts = []
    for doc in seeds.values():
        for line in doc.lines:
            text = doc.text[line.start : line.end]
            starts = [0] + [at + 1 for at, char in enumerate(text) if char in " ,:(*"]
            texts += [text[at:] for at in starts]
    texts += [text.lstrip("*( ") for text in texts] + [text.upper() for text in texts[::7]]
    model = load_model("duties")
    for name in OPENING_RULES:
        node = model[name]
        texts += [*node.get("examples", []), *node.get("counterexamples", [])] if isinstance(node, dict) else []
    return texts + ["", " ", "*", "  Đề nghị Sở Y tế", "\tTrên đây là", " (Chủ trì)"]


def test_a_rule_that_opens_a_text_is_passed_over_only_where_it_cannot_match(seeds):
    """_opens tries a rule only where the text's first two characters may begin it: on every
    line of the samples from each word on, the rule's own match; and it passes over most."""
    texts = _openings(seeds)
    matched = passed = 0
    for name in OPENING_RULES:
        for text in texts:
            expected = _rule(name).match(text)
            found = _opens(name, text)
            assert (found and found.span()) == (expected and expected.span()), (name, text[:60])
            matched += expected is not None
            passed += not may_begin(_rule(name), text[:2])
    assert matched > 200 and passed > len(texts) * len(OPENING_RULES) // 2


def test_a_duty_s_opening_role_is_the_role_rule_its_head_matches(seeds):
    """_opening_role passes the note before a letter and the roles whose words the head's
    first characters cannot begin: the role found by trying every pattern."""
    lead, coordinate = (pattern("duties", "roles", name) for name in ("lead", "coordinate"))

    def every_pattern(text: str) -> str | None:
        head = text[regex.match(r"^[\s,]*(\([^()]*\))?[\s,:]*", text).end() :]
        return "lead" if lead.match(head) else "coordinate" if coordinate.match(head) else None

    texts = _openings(seeds) + ["(Giao) chủ trì", ", phối hợp", ": Chủ trì", "(x) (y) phối hợp", "Đồng thời, chủ trì", "(chủ trì"]
    roles = [_opening_role(text) for text in texts]
    assert roles == [every_pattern(text) for text in texts]
    assert {"lead", "coordinate"} <= set(roles)


def test_no_white_space_but_the_space_is_printable():
    """_one_line trims a printable text without two spaces in a row as it is: the space is
    the only white space character str.isprintable lets through."""
    assert [hex(code) for code in range(sys.maxunicode + 1) if chr(code).isspace() and chr(code).isprintable()] == ["0x20"]


def test_a_duty_s_words_on_one_line_are_split_and_joined_or_substituted_at_separators(seeds):
    """_one_line gives what splitting and joining give, or the substitution of white space
    runs where a separator \\x1c-\\x1f stands: on every line of the samples, pairs and runs
    of them, and white space of every kind."""

    def reference(text: str) -> str:
        if any(separator in text for separator in "\x1c\x1d\x1e\x1f"):
            return WHITESPACE_RUN.sub(" ", text).strip()
        return " ".join(text.split())

    texts = []
    for doc in seeds.values():
        lines = [doc.text[line.start : line.end] for line in doc.lines]
        texts += lines + [doc.text[a.start : b.end] for a, b in zip(doc.lines, doc.lines[1:])]
    spaces = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()] + ["  ", "\x1c"]
    texts += [f"{space}Sở Y tế{space}chủ trì{space}" for space in spaces] + ["", " ", "a  b", " a b ", "a\u00a0b", "a\x1fb c"]
    assert [_one_line(text) for text in texts] == [reference(text) for text in texts]
    assert sum(text.isprintable() and "  " not in text for text in texts) > 100


def test_a_title_s_kind_is_what_searching_every_container_rule_finds(seeds):
    """_container_kind looks for each rule's word in the title itself: on every section of
    the samples, and on titles of each kind, in capitals and in a text whose case folding
    changes its length (every rule searched), the kind that searching every rule finds."""

    def every_rule(title: str) -> str | None:
        for kind in ("own_tasks", "assign", "requests"):
            if any(rule.pattern.search(title) for rule in rules_at("duties", "containers", kind)):
                return kind
        return "narrative" if _rule("containers", "narrative").match(title) else None

    titles = ["1. Tổ chức thực hiện", "II. KIẾN NGHỊ, ĐỀ XUẤT", "1. Mục đích", "Phân công", "3. Nhiệm vụ năm tới", "a) Straße"]
    docs = [*seeds.values(), segment(raw_text("\n".join(titles) + "\n")), segment(raw_text("\n".join(titles).upper() + "\nß\n"))]
    kinds = []
    for doc in docs:
        for section in doc.sections:
            start, end = section.title_span
            kinds.append(_container_kind(doc, section))
            assert kinds[-1] == every_rule(doc.text[start:end]), doc.text[start:end]
    assert {"assign", "requests", "narrative"} <= set(kinds)
    assert text_scan(docs[-1]).folded is None and len(docs[-1].sections) >= 3
