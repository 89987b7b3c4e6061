
from pipeline.rules import compiled, load_model, may_begin, rules_at
from pipeline.segment import zones
from pipeline.segment.lines import PhysicalLine
from pipeline.segment.zones import is_caps, unglue_header

GLUED = [
    *load_model("segment")["glued_anchors"]["examples"],
    "KẾ HOẠCH TRIỂN KHAI NHIỆM VỤ NĂM 2024 ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
    "QUYẾT ĐỊNH VỀ VIỆC PHÊ DUYỆT ĐỀ ÁN CHỦ TỊCH UBND THÀNH PHỐ HÀ NỘI",
    "Lào Cai, ngày 11 tháng 6 năm 2026   V/V tăng cường quản lý",
]


def test_a_glued_anchor_pattern_never_matches_where_its_word_is_missing(seeds):
    """A line is searched with a pattern only when a word it needs is in it: every cut the
    pattern makes in the form's glued lines and in every line of the samples comes with
    the word (a wrong word fails here, as each pattern cuts one of the glued lines)."""
    lines = GLUED + [doc.text[line.start : line.end] for doc in seeds.values() for line in doc.lines]
    for line in lines + [line.upper() for line in lines]:
        for cut in rules_at("segment", "glued_anchors"):
            within = line.casefold() if cut.folded else line
            assert not cut.pattern.search(line) or any(word in within for word in cut.words), (cut.pattern.pattern, line)


def test_every_glued_anchor_cuts_one_of_the_lines():
    assert all(any(cut.pattern.search(line) for line in GLUED) for cut in rules_at("segment", "glued_anchors"))


def test_glued_header_lines_are_cut_where_each_anchor_begins():
    lines = [PhysicalLine(text, 1) for text in ("Số: 778/TCHQ-GSQL V/v xử lý vướng mắc", "Hà Nội, ngày 13 tháng 02 năm 2017 Kính gửi: Cục Hải quan")]
    assert [line.text for line in unglue_header(lines)] == [
        "Số: 778/TCHQ-GSQL", "V/v xử lý vướng mắc", "Hà Nội, ngày 13 tháng 02 năm 2017", "Kính gửi: Cục Hải quan",
    ]


def _cut_by_every_rule(text: str) -> list[str]:
    """A line cut where any glued-anchor pattern matches it, each pattern searched in the whole line."""
    cuts = sorted({m.start() for cut in rules_at("segment", "glued_anchors") for m in cut.pattern.finditer(text) if m.start() > 0})
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def test_header_lines_are_cut_as_every_rule_searched_in_each_line_cuts_them(seeds):
    """The rules' words are looked for in the header's lines joined; a word in one line (or
    running across two) must not make another line cut, nor hide a cut in its own."""
    headers = [[doc.text[line.start : line.end] for line in doc.lines[:20]] for doc in seeds.values()]
    headers += [GLUED, [line.upper() for line in GLUED], ["Hà Nội, ngày 13 tháng 02", "năm 2017 Kính gửi: Cục Hải quan", "Số", ": 12 V/v", "  "]]
    for texts in headers:
        lines = [PhysicalLine(text, 1) for text in texts]
        assert [line.text for line in unglue_header(lines)] == [part for text in texts for part in _cut_by_every_rule(text)], texts


def _caps_by_counting(text: str) -> bool:
    letters = sum(map(str.isalpha, text))
    return letters >= 2 and sum(map(str.isupper, text)) / letters > 0.8


def test_no_character_before_u2160_is_upper_case_without_being_a_letter():
    odd = [c for c in map(chr, range(0x110000)) if c.isupper() and not c.isalpha()]
    assert odd and min(odd) == "\u2160"


def test_a_line_is_caps_as_counting_every_character_says(seeds):
    lines = [doc.text[line.start : line.end] for doc in seeds.values() for line in doc.lines]
    lines += [
        "", "A", "ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập",
        "ⅣⅣⅣⅣⅣⅣⅣⅣⅣⅣ nhiệm vụ", "ⒶⒷⒸⒹⒺⒻⒼⒽ tiến hành", "KẾ HOẠCH thực hiện", "nnnnnAAAAAAAAAAAAAAAAAAAAAA",
    ]
    assert any(is_caps(line) for line in lines) and not all(is_caps(line) for line in lines)
    for line in lines:
        assert is_caps(line) == _caps_by_counting(line), line


def test_a_line_may_begin_every_pattern_it_matches(seeds, monkeypatch):
    """_tail_start tries a pattern only on lines whose first character may begin it: never
    one the pattern matches (every line of the samples and the rules' examples), and the
    recipients, signature and closing found are those trying every line finds."""
    rules = load_model("segment")
    patterns = [compiled(rules["closing"]["pattern"]), compiled(rules["recipients"]["pattern"]), compiled(rules["signature"]["authority_pattern"])]
    docs = [[doc.text[line.start : line.end] for line in doc.lines] for doc in seeds.values()]
    texts = [text for lines in docs for text in lines]
    texts += [*rules["closing"]["examples"], *rules["recipients"]["examples"], *rules["signature"]["examples"], " Nơi nhận:", "\tTrên đây", "trong quá trình thực hiện, nếu có khó khăn"]
    for pattern in patterns:
        matched = [text for text in texts if pattern.match(text)]
        assert matched and all(may_begin(pattern, text[:1]) for text in matched)
        assert any(not may_begin(pattern, text[:1]) for text in texts)
    found = [zones._tail_start(lines, 1) for lines in docs]
    monkeypatch.setattr(zones, "match_start", lambda pattern, text, width: pattern.match(text))
    assert found == [zones._tail_start(lines, 1) for lines in docs]
