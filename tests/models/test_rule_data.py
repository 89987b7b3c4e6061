"""The rule files of models/ parse, and every pattern matches the examples it lists."""

from pathlib import Path

import pytest
import yaml

from pipeline.extract.document import _heads_alternation, _types_alternation
from pipeline.rules import MODELS_DIR, compiled, load_model
from pipeline.segment.lines import marker_style


def _expand(pattern: str) -> str:
    group = load_model("references")["pieces"]["group"]["pattern"]
    return pattern.replace("{group}", group).replace("{types}", _types_alternation()).replace("{heads}", _heads_alternation())


def _pattern_examples(node, path=""):
    """(where, pattern, example) for every rule that lists examples next to its pattern."""
    if isinstance(node, dict):
        examples = node.get("examples")
        patterns = node.get("patterns") or ([node["pattern"]] if isinstance(node.get("pattern"), str) else [])
        if isinstance(examples, list) and patterns:
            for example in examples:
                yield path, patterns, example
        for key, value in node.items():
            yield from _pattern_examples(value, f"{path}.{key}")


@pytest.mark.parametrize("path", sorted(Path(MODELS_DIR).glob("*.yaml")), ids=lambda p: p.name)
def test_every_model_file_parses(path):
    assert yaml.safe_load(path.read_text(encoding="utf-8"))


CASES = [case for name in ("segment", "references", "document", "duties", "form_checks") for case in _pattern_examples(load_model(name), name)]


@pytest.mark.parametrize("where, patterns, example", CASES, ids=[f"{w}:{e[:30]}" for w, _, e in CASES])
def test_each_pattern_matches_the_examples_it_lists(where, patterns, example):
    assert any(compiled(_expand(p)).search(example) for p in patterns), where


@pytest.mark.parametrize("style, examples", load_model("segment")["outline"]["examples"].items())
def test_each_outline_marker_recognises_its_examples(style, examples):
    assert all(marker_style(example) == style for example in examples)


def test_every_document_type_has_a_unique_name():
    names = [t["name"] for t in load_model("doc_types")["types"]]
    assert len(names) == len(set(names))


def test_the_recipients_block_ends_at_its_filing_line():
    rule = load_model("segment")["recipients"]
    assert all(compiled(rule["end_pattern"]).match(example) for example in rule["end_examples"])
