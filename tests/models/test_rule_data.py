"""The rule files of models/ parse, and every pattern matches the examples it lists and none
of its counterexamples: one test for every file, through the loader the pipeline uses."""

from pathlib import Path

import pytest
import regex
import yaml

from pipeline.rules import (
    MODELS_DIR,
    compiled,
    entry_sources,
    load_model,
    model_pattern,
)
from pipeline.segment.outline import Markers

MODELS = sorted(path.stem for path in Path(MODELS_DIR).glob("*.yaml"))


def _entries(node, path):
    """(path, entry) for every entry that lists examples or counterexamples beside its regex."""
    if isinstance(node, dict):
        has_regex = any(key in node for key in ("pattern", "patterns", "words")) and not isinstance(node.get("pattern"), dict)
        if has_regex and ("examples" in node or "counterexamples" in node):
            yield path, node
        for key, value in node.items():
            if key not in ("examples", "counterexamples"):
                yield from _entries(value, (*path, key))


def _patterns(model: str, entry: dict) -> list[regex.Pattern]:
    case = not entry.get("case_sensitive")
    return [compiled(model_pattern(model, source), case) for source in entry_sources(entry)]


CASES = [(model, path, entry) for model in MODELS for path, entry in _entries(load_model(model), ())]
IDS = [f"{model}:{'.'.join(path)}" for model, path, _ in CASES]


@pytest.mark.parametrize("name", MODELS)
def test_every_model_file_parses(name):
    assert yaml.safe_load((Path(MODELS_DIR) / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("model, path, entry", CASES, ids=IDS)
def test_each_pattern_matches_the_examples_it_lists(model, path, entry):
    in_full = load_model(model).get("examples_match") == "full"
    patterns = _patterns(model, entry)
    for example in entry.get("examples", ()):
        assert any((p.fullmatch if in_full else p.search)(example) for p in patterns), example


@pytest.mark.parametrize("model, path, entry", [case for case in CASES if "counterexamples" in case[2]],
                         ids=[i for i, case in zip(IDS, CASES) if "counterexamples" in case[2]])
def test_no_pattern_matches_its_counterexamples(model, path, entry):
    searched = path[0] in (load_model(model).get("counterexamples_searched") or ())
    patterns = _patterns(model, entry)
    for example in entry["counterexamples"]:
        assert not any((p.search if searched else p.fullmatch)(example) for p in patterns), example


def test_the_data_tests_see_the_rule_files():
    checked = {model for model, _, _ in CASES}
    assert {"date_forms", "references", "document", "segment"} <= checked


@pytest.mark.parametrize("style, examples", load_model("segment")["outline"]["examples"].items())
def test_each_outline_marker_recognises_its_examples(style, examples):
    assert all(Markers().style(example) == style for example in examples)


def test_every_document_type_has_a_unique_name():
    names = [t["name"] for t in load_model("doc_types")["types"]]
    assert len(names) == len(set(names))


def test_the_recipients_block_ends_at_its_filing_line():
    rule = load_model("segment")["recipients"]
    assert all(compiled(rule["end_pattern"]).match(example) for example in rule["end_examples"])
