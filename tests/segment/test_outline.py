"""The outline's tree (pipeline/segment/outline.py): parents and section ends, read in one
pass with a stack of the sections still open."""

from __future__ import annotations

import random
from collections import Counter

from pipeline.records import Section
from pipeline.rules import compiled, load_model
from pipeline.segment import outline, segment
from pipeline.segment.outline import Markers, _extend_spans, build_outline, match_marker
from tests.conftest import documents_lines


def _reference(sections, ranks, body_end):
    """Every pair compared: a section's parent is the last one before it of a lower rank;
    it runs until the next one of the same or a higher rank."""
    parents, ends = [], []
    for index, rank in enumerate(ranks):
        parents.append(next((i for i in range(index - 1, -1, -1) if ranks[i] < rank), None))
        later = next((j for j in range(index + 1, len(ranks)) if ranks[j] <= rank), None)
        ends.append(max(sections[index].span[1], body_end if later is None else sections[later].span[0] - 1))
    return parents, ends


def test_parents_and_ends_are_those_every_pair_gives(seeds):
    for doc in seeds.values():
        lines = [line for line in doc.lines if line.kind != "row"]
        sections = build_outline(doc.text, lines, doc.body[0], doc.body[1], Markers())
        assert len(sections) > 3
        ranks = [match_marker(doc.text[s.span[0] : s.title_span[1]])[0]["rank"] for s in sections]
        parents, ends = _reference(sections, ranks, doc.body[1])
        assert [s.parent for s in sections] == parents
        assert [s.span[1] for s in sections] == ends


def test_section_ends_on_random_ranks_are_those_every_pair_gives():
    generator = random.Random(11)
    for _ in range(300):
        ranks = [generator.randint(0, 4) for _ in range(generator.randint(0, 30))]
        sections = [Section("", "", "arabic", 1, (10 * i, 10 * i + 5), (10 * i, 10 * i + 5)) for i in range(len(ranks))]
        _, ends = _reference(sections, ranks, 10 * len(ranks) + 50)
        _extend_spans(sections, ranks, 10 * len(ranks) + 50)
        assert [s.span[1] for s in sections] == ends


def test_a_line_s_marker_is_matched_once_for_its_document_and_again_for_the_next(monkeypatch, seeds):
    """Every stage that reads markers shares one match a line; no match outlives its document
    (a memo by line text across documents would read a batch's repeated lines from memory)."""
    raw = next(iter(seeds.values())).raw
    asked: Counter = Counter()

    def counted(text: str):
        asked[text] += 1
        return match_marker(text)

    monkeypatch.setattr(outline, "match_marker", counted)
    segment(raw)
    first = dict(asked)
    segment(raw)
    assert first and max(first.values()) == 1
    assert asked == Counter({text: 2 * count for text, count in first.items()})


def _marker_trying_every_rule(text: str):
    """The first marker rule, in their listed order, that matches the line, every rule tried."""
    for marker in load_model("segment")["outline"]["markers"]:
        if found := compiled(marker["pattern"]).match(text):
            return marker, found["label"], found.end()
    return None


def test_a_line_s_marker_is_the_first_rule_that_matches_it(seeds):
    """match_marker tries only the rules a line's first two characters may begin: it finds
    what trying every rule finds, on every line of the samples and of the shared real
    documents, each line's starts, and each marker's examples."""
    lines = [doc.text[line.start : line.end] for doc in seeds.values() for line in doc.lines]
    lines += [line.text for lines_of in documents_lines() for line in lines_of]
    examples = [example for examples in load_model("segment")["outline"]["examples"].values() for example in examples]
    texts = sorted({text[:n] for text in lines + examples for n in (1, 2, 3, len(text))})
    expected = [_marker_trying_every_rule(text) for text in texts]
    assert sum(found is not None for found in expected) > 100
    markers = Markers()
    assert [markers[text] for text in texts] == expected
    # Markers.style tests the two characters itself before its memo is filled
    assert [Markers().style(text) for text in texts] == [found and found[0]["style"] for found in expected]
    assert any(not outline._may_open(text[:2]) for text in lines)
