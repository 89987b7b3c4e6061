"""The spaCy container: tokenizer, components, record -> Doc, displaCy rendering."""

from __future__ import annotations

import bisect
import random

import pytest

from pipeline.batch.scan import scan
from pipeline.extract.nlp import (
    annotate,
    date_marks,
    groups,
    make_nlp,
    record_marks,
    reference_marks,
    render_html,
    to_doc,
    tokenize,
)
from pipeline.extract.references import find_numbers
from pipeline.process import process_file
from pipeline.rules import load_model
from tests.conftest import CORPUS

ODD_TEXTS = [
    "",
    " ",
    "\n",
    "a",
    " leading space",
    "trailing space ",
    "two  spaces",
    "tab\tinside",
    "\ttab first",
    "lines\nbroken\n\nby blank ones\n",
    "windows\r\nline ends\r\n",
    "space \n then newline",
    "no-break\u00a0space and\u2009thin space",
    "many   \t  \n  kinds",
    "ngày ..... tháng … năm 2025",
    "(HLHPN), “quoted”; 80% xong.",
    "Kế hoạch số 13- KL/TW và 1206 /QĐ-HVTC",
]
ALPHABET = "aăâđêôơưÁẢỦỰ09 /-&.,:;()“”%\t\n\r\u00a0…_\\"


@pytest.fixture(scope="module")
def records():
    return [process_file(found.path) for found in scan([CORPUS]).files]


def _doc_text(text: str) -> str:
    """The Doc's own text, rebuilt from its tokens (not the copy the tokenizer keeps)."""
    return "".join(token.text_with_ws for token in make_nlp().make_doc(text))


def _year(record) -> int | None:
    meta = record.document
    return meta.year or (int(meta.issue_date[:4]) if meta.issue_date else None)


def _triples(spans) -> list[tuple[int, int, str, str | None]]:
    return sorted((s.start_char, s.end_char, s.label_, s._.value) for s in spans)


# --------------------------------------------------------------------------- tokenizer


@pytest.mark.parametrize("piece", load_model("tokenizer")["pieces"], ids=lambda p: p["name"])
def test_every_tokenizer_example_is_one_token(piece):
    for example in piece["examples"]:
        assert tokenize(example) == ([example], [False]), example


def test_numbers_and_dates_are_single_tokens_and_punctuation_is_split_off():
    doc = make_nlp().make_doc("Thực hiện Kế hoạch số 675/KH-BCĐ ngày 19/02/2025, của Đài PT&TH (tỉnh).")
    assert [t.text for t in doc] == [
        "Thực", "hiện", "Kế", "hoạch", "số", "675/KH-BCĐ", "ngày", "19/02/2025", ",", "của", "Đài", "PT&TH", "(", "tỉnh", ")", ".",
    ]


def test_a_run_of_whitespace_beyond_one_space_is_a_token():
    doc = make_nlp().make_doc("Hai  ba\n\tbốn")
    assert [(t.text, t.whitespace_) for t in doc] == [("Hai", " "), (" ", ""), ("ba", ""), ("\n\t", ""), ("bốn", "")]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_texts_round_trip(text):
    assert _doc_text(text) == text


def test_random_texts_round_trip():
    rng = random.Random(20261123)
    for _ in range(500):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert _doc_text(text) == text, repr(text)


def test_corpus_texts_round_trip(records):
    for record in records:
        assert _doc_text(record.text) == record.text, record.source


# --------------------------------------------------------------------------- records on a Doc


def test_every_record_span_is_on_the_doc_with_the_least_expansion(records):
    for record in records:
        doc = to_doc(record)
        starts = [t.idx for t in doc]
        ends = [t.idx + len(t) for t in doc]
        for group, marks in record_marks(record.to_dict()).items():
            spans = sorted(doc.spans[group], key=lambda s: (s.start_char, s.end_char, s.label_))
            assert len(spans) == len(marks), (record.source, group)
            for mark, span in zip(sorted(marks), spans):
                expected_start = starts[bisect.bisect_right(starts, mark.start) - 1]
                expected_end = ends[bisect.bisect_left(ends, mark.end)]
                assert (span.start_char, span.end_char) == (expected_start, expected_end), (record.source, group, mark)
                assert (span.label_, span._.value) == (mark.label, mark.value)


def test_a_span_outside_the_text_is_an_error_not_a_silent_drop(records):
    record = records[0].to_dict()
    record["dates"] = [{"text": "x", "kind": "year", "value": "2025", "span": [0, len(record["text"]) + 5]}]
    with pytest.raises(ValueError, match="dates"):
        to_doc(record)


def test_a_record_and_its_json_give_the_same_doc(records):
    record = records[0]
    from_record, from_json = to_doc(record), to_doc(record.to_dict())
    assert set(from_record.spans) == set(from_json.spans) == set(groups())
    for group in groups():
        assert _triples(from_record.spans[group]) == _triples(from_json.spans[group])


def test_record_spans_carry_labels_and_values(records):
    doc = to_doc(next(r for r in records if r.source.endswith(".txt") and "/000_" in r.source))
    references = {s.text: (s.label_, s._.value) for s in doc.spans["references"]}
    assert references["Kế hoạch số 675/KH-BCĐ ngày 19/02/2025 của Ban Chỉ đạo 138 tỉnh"] == ("Kế hoạch", "675/KH-BCĐ")
    dates = {s.text: (s.label_, s._.value) for s in doc.spans["dates"]}
    assert dates["ngày 19/02/2025"] == ("date", "2025-02-19")
    agencies = {s.text: (s.label_, s._.value) for s in doc.spans["agencies"]}
    assert agencies["Ban Chỉ đạo 138"] == ("province", "Ban Chỉ đạo 138 tỉnh")


# --------------------------------------------------------------------------- components


def test_the_components_write_what_the_finders_find(records):
    for record in records:
        doc, own = annotate(record.text, _year(record)), to_doc(record)
        assert doc.text == record.text
        assert _triples(doc.spans["agencies"]) == _triples(own.spans["agencies"]), record.source
        assert _triples(doc.spans["dates"]) == _triples(own.spans["dates"]), record.source
        assert _triples(doc.spans["references"]) == sorted(reference_marks(record.text)), record.source
        assert [(s.start_char, s.end_char) for s in doc.spans["references"]] == [span for span, _, _ in find_numbers(record.text)]


def test_dates_without_a_year_take_the_documents_year():
    text = "báo cáo trước ngày 16/3"
    with_year, without = annotate(text, 2025), annotate(text)
    assert [s._.value for s in with_year.spans["dates"]] == [m.value for m in date_marks(text, 2025)]
    assert with_year.spans["dates"][0]._.value != without.spans["dates"][0]._.value


def test_the_pipeline_is_built_once_with_one_component_per_finder():
    assert make_nlp() is make_nlp()
    assert make_nlp().pipe_names == ["vnplan_agencies", "vnplan_references", "vnplan_dates"]


# --------------------------------------------------------------------------- rendering


def test_render_html_highlights_reference_numbers_and_agency_names(records):
    record = next(r for r in records if r.source.endswith(".txt") and "/000_" in r.source)
    page = render_html(record)
    assert 'class="vnplan-legend"' in page
    for reference in record.references:
        assert f'href="#">{reference.number or reference.title}</a>' in page
    for agency in record.agencies:
        assert f'href="#">{agency.name}</a>' in page
    assert "agencies: province" in page and "references: Kế hoạch" in page and "dates: date" in page
