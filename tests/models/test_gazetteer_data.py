"""The gazetteer data in models/: well-formed, consistent, and linked up."""

from __future__ import annotations

from pipeline.gazetteer.agencies import canonical_name
from pipeline.gazetteer.agencies.compiled import LEVELS, QUALIFIER_KINDS
from pipeline.rules import load_model
from pipeline.text import fold, normalise_unicode

ENTRY_KEYS = {"name", "level", "qualify", "required", "owns", "variants", "acronyms", "bare"}


def test_agency_entries_are_well_formed() -> None:
    names = set()
    for entry in load_model("agencies")["agencies"]:
        assert set(entry) <= ENTRY_KEYS, entry
        assert all(v is not None for v in entry.values()), entry  # an unquoted comma in a flow mapping
        assert entry["level"] in LEVELS, entry
        assert set(entry.get("qualify", [])) <= set(QUALIFIER_KINDS), entry
        assert entry["name"] == normalise_unicode(entry["name"]), entry
        assert fold(entry["name"]) not in names, entry
        names.add(fold(entry["name"]))


def test_every_acronym_expands_to_a_gazetteer_name() -> None:
    acronyms = load_model("acronyms")
    for acronym in acronyms["whole"]:
        assert canonical_name(acronym).known, acronym
    for acronym, expansion in acronyms["in_names"].items():
        assert acronym != expansion
        assert any(fold(expansion) in fold(e["name"]) or fold(expansion) in map(fold, e.get("variants", []))
                   for e in load_model("agencies")["agencies"]) or expansion[0].isupper(), acronym


def test_provinces_are_complete() -> None:
    data = load_model("provinces")
    assert len(data["before_2025"]) == 63
    assert len(data["from_2025"]) == 34
    codes = [p["code"] for p in data["before_2025"]]
    assert len(set(codes)) == 63
    for unit in data["before_2025"]:
        for form in [unit["name"], *unit.get("variants", [])]:
            assert len(form.replace("-", " ").split()) >= 2 or len(form) >= 6 or form.isupper(), form


def test_every_province_has_a_2025_successor() -> None:
    data = load_model("provinces")
    successors = load_model("mergers_2025")["provinces"]["successors"]
    new_names = {p["name"] for p in data["from_2025"]}
    assert set(successors) == {p["name"] for p in data["before_2025"]}
    assert set(successors.values()) == new_names


def test_every_department_merger_target_exists() -> None:
    known = {fold(e["name"]) for e in load_model("agencies")["agencies"]}
    for merger in load_model("mergers_2025")["departments"]["mergers"]:
        assert fold(merger["from"]) in known, merger
        assert fold(merger["to"]) in known, merger
        for part in merger.get("parts", []):
            assert canonical_name(part["to"]).known, part


def test_a_bare_name_is_a_spelling_of_its_entry() -> None:
    """`bare` names the national body only where the entry's own spelling is printed alone."""
    for entry in load_model("agencies")["agencies"]:
        if "bare" in entry:
            assert entry.get("required"), entry
            assert fold(entry["bare"]) in {fold(entry["name"]), *map(fold, entry.get("variants", []))}, entry


def test_every_law_title_acronym_is_written_out_in_words() -> None:
    for acronym, words in load_model("references")["title_acronyms"].items():
        assert acronym.isupper() or "&" in acronym, acronym
        assert len(words.split()) >= 2, acronym
