"""models/national_documents.yaml: well-formed entries that the reference graph can match."""

from __future__ import annotations

import regex

from pipeline.analysis.graph import document_key, name_and_year, national_documents
from pipeline.extract.references import find_numbers
from pipeline.gazetteer.agencies import canonical_name
from pipeline.rules import load_model
from pipeline.text import fold, normalise_unicode

KEYS = {"id", "type", "number", "date", "issuer", "title", "names", "level"}
# Issuers models/agencies.yaml does not list (yet): their nodes get the entry's own level.
NOT_IN_AGENCY_GAZETTEER = {"Văn phòng Trung ương Đảng", "Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"}
DATE = regex.compile(r"^(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))?$")


def test_entries_have_every_field_and_no_stray_ones():
    for entry in load_model("national_documents")["documents"]:
        assert set(entry) == KEYS, entry
        assert all(entry[key] for key in KEYS - {"number", "names"}), entry
        assert isinstance(entry["names"], list), entry  # an unquoted comma in a flow list splits a name


def test_ids_are_unique_and_a_number_is_its_own_id():
    entries = national_documents()
    assert len({e.id for e in entries}) == len(entries)
    assert len({document_key(e.number) for e in entries if e.number}) == sum(1 for e in entries if e.number)
    for entry in entries:
        assert entry.number in (None, entry.id), entry


def test_numbers_are_what_the_reference_finder_reads_in_text():
    for entry in national_documents():
        if entry.number:
            found = find_numbers(f"theo văn bản số {entry.number} ngày")
            assert [number for _, number, _ in found] == [entry.number], entry


def test_dates_are_a_day_or_a_year_and_agree_with_the_year_in_the_number():
    for entry in national_documents():
        assert DATE.match(entry.date), entry
        year = regex.search(r"/((?:19|20)\d\d)/", entry.number or "")
        if year:
            assert entry.date.startswith(year.group(1)), entry


def test_types_and_issuers_are_known_names():
    types = {t["name"] for t in load_model("doc_types")["types"]}
    for entry in national_documents():
        assert entry.type in types, entry
        assert entry.level == "central", entry
        assert entry.issuer == normalise_unicode(entry.issuer), entry
        issuer = canonical_name(entry.issuer)
        assert issuer.level == "central" or (not issuer.known and entry.issuer in NOT_IN_AGENCY_GAZETTEER), entry


def test_a_name_shared_by_two_entries_is_told_apart_by_year():
    by_name: dict[str, list] = {}
    for entry in national_documents():
        for name in entry.names:
            by_name.setdefault(name_and_year(name)[0], []).append(entry)
    for name, entries in by_name.items():
        assert name == fold(name_and_year(name)[0])
        assert len({e.date[:4] for e in entries}) == len(entries), name
