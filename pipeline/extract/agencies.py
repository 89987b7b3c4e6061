"""Agencies: the distinct bodies a document names, each with all its mentions.

The mentions come from the document's agency layer (pipeline/annotate/agencies.py, the
gazetteer's recogniser); this module only decides which mentions name the same body and
how that body is written.
"""

from __future__ import annotations

import functools
from collections import Counter

import regex

from pipeline.annotate.agencies import agency_mentions, header_mentions
from pipeline.annotate.provinces import home_province
from pipeline.gazetteer.agencies import AgencyMention, AgencyName, successor_2025
from pipeline.gazetteer.agencies.compiled import gazetteer
from pipeline.gazetteer.provinces import is_central_city
from pipeline.records import Agency, Document, Mention
from pipeline.text import fold

_LIST_SPLIT = regex.compile(r", | và ")


def find_agencies(doc: Document) -> list[Agency]:
    """The distinct bodies a document names, in order of first mention, each with all mentions.

    Spellings of one body are merged: by key ("UBND tỉnh" = "Ủy ban nhân dân tỉnh"), by an
    alias defined in brackets ("... tỉnh (Ban Chỉ đạo tỉnh)"), and a generic "X tỉnh" or bare
    "X" is taken to be the one specific "X tỉnh <Province>" the text also names (the
    document's own province's, where it names several).
    """
    layer = agency_mentions(doc)
    mentions = sorted(layer + [m for m in header_mentions(doc) if m not in layer], key=lambda m: m.span)
    alias = _aliases(doc.text, mentions)
    alias.update(_short_forms({m.name.key for m in mentions if not m.name.known}))
    alias.update(_specialisations({alias.get(m.name.key, m.name.key) for m in mentions}, home_province(doc)))
    groups: dict[str, Agency] = {}
    names: dict[str, list[AgencyName]] = {}
    for mention in mentions:
        key = _resolve(alias, mention.name.key)
        if key not in groups:
            groups[key] = Agency(name=mention.name.name, raw=mention.raw, acronym=mention.name.acronym, level=mention.name.level)
            names[key] = []
        groups[key].acronym = groups[key].acronym or mention.name.acronym
        groups[key].mentions.append(Mention(text=mention.raw, span=mention.span))
        names[key].append(mention.name)
    for key, agency in groups.items():
        shown = _shown_name(key, names[key])
        agency.name, agency.level = shown.name, shown.level
    _owners_in_full(groups, alias)
    for agency in groups.values():
        agency.successor_2025 = successor_2025(agency.name)
    return list(groups.values())


def _owners_in_full(groups: dict[str, Agency], alias: dict[str, str]) -> None:
    """"Văn phòng Ban Chỉ đạo quốc gia" where "Ban Chỉ đạo quốc gia" is the short name of
    "Ban Chỉ đạo quốc gia về tìm kiếm, …": the unit of a body is written with the body's full name."""
    for key, agency in list(groups.items()):
        base, owner = key.split("|", 1)
        target = _resolve(alias, owner + "|")
        if not owner or target == owner + "|" or target not in groups:
            continue
        words = agency.name.split()
        n = len(base.split())
        if fold(" ".join(words[n:])) == owner:
            agency.name = " ".join([*words[:n], groups[target].name])


def _shown_name(key: str, names: list[AgencyName]) -> AgencyName:
    """The spelling of the body's fullest name the text prints most often ("Ủy ban nhân dân
    các huyện, thành phố" twice beside "Ủy ban nhân dân huyện, thành phố" once)."""
    own = [n for n in names if n.key == key] or names
    counts = Counter(n.name for n in own)
    return max(own, key=lambda n: counts[n.name])


def _resolve(alias: dict[str, str], key: str) -> str:
    seen = set()
    while key in alias and key not in seen:
        seen.add(key)
        key = alias[key]
    return key


def _aliases(text: str, mentions: list[AgencyMention]) -> dict[str, str]:
    """"Ban Chỉ đạo ... tỉnh (Ban Chỉ đạo tỉnh)", "… (gọi tắt là Ban Chỉ đạo quốc gia)": a
    shorter name of the same kind in brackets right after a name is that body's short name
    for the rest of the text."""
    opening = _alias_opening()
    alias: dict[str, str] = {}
    for mention, following in zip(mentions, mentions[1:]):
        name, next_name = mention.name, following.name
        gap = text[mention.span[1] : following.span[0]]
        if opening.fullmatch(gap) and _head(next_name.name) == _head(name.name) and len(next_name.name) < len(name.name):
            alias.setdefault(next_name.key, name.key)
    return alias


@functools.cache
def _alias_opening() -> regex.Pattern:
    return regex.compile(gazetteer()["alias_opening"], regex.I)


def _short_forms(keys: set[str]) -> dict[str, str]:
    """"Tổng Công ty Tân Cảng" -> "Tổng Công ty Tân Cảng Sài Gòn": a company's name cut short
    is the one longer name of the text it begins."""
    heads = tuple(fold(h) + " " for h in gazetteer()["companies"]["heads"])
    alias = {}
    for key in keys:
        if not key.startswith(heads):
            continue
        base = key.split("|", 1)[0]
        longer = [k for k in keys if k != key and k.startswith(base + " ")]
        if len(longer) == 1:
            alias[key] = longer[0]
    return alias


def _head(name: str) -> str:
    return " ".join(fold(name).split()[:2])


def _specialisations(keys: set[str], home: str | None) -> dict[str, str]:
    """Generic key -> the one more specific key in the same text, and a list of units -> the
    longer list that contains it.

    "x|tỉnh" -> "x|tỉnh hải dương"; a bare "x|" -> "x|tỉnh" (a provincial document's own
    body), else to its only qualified form; where several provinces' bodies are named, the
    document's own province's. "x|tỉnh ủy" -> "x|tỉnh ủy lào cai"; "x|tỉnh, thành phố" ->
    "x|tỉnh, thành phố trực thuộc trung ương"; "x|huyện, thành phố" -> "x|huyện, thành phố, thị xã".
    """
    # Keys are compared with the others of their base only, not with every key of the text;
    # each qualifier is split into its units once, not once for every pair.
    by_base: dict[str, list[tuple[str, str]]] = {}
    units: dict[str, set[str]] = {}
    for key in keys:
        base, qualifier = key.split("|", 1)
        by_base.setdefault(base, []).append((key, qualifier))
        if qualifier not in units:
            units[qualifier] = _units(qualifier)
    narrower: dict[str, str] = {}
    for key in keys:
        base, qualifier = key.split("|", 1)
        others = [(k, q) for k, q in by_base[base] if k != key]
        if not others:
            continue  # nothing to narrow to ("x|tỉnh" would be another key of the base)
        longer = [k for k, q in others if _sublist(units[qualifier], units[q])]
        if len(longer) == 1:
            narrower[key] = longer[0]
            continue
        wider = sorted(k for k, q in others if _narrows(qualifier, q))
        provincial = [k for k in wider if _is_provincial(k.split("|", 1)[1])]
        own = [k for k in provincial if home and fold(k.split("|", 1)[1]).endswith(" " + fold(home))]
        if not qualifier and base + "|tỉnh" in keys:
            narrower[key] = base + "|tỉnh"
        elif qualifier in _PROVINCIAL and len(provincial) == 1:
            narrower[key] = provincial[0]
        elif qualifier in _PROVINCIAL and len(own) == 1:
            narrower[key] = own[0]
        elif len(wider) == 1:
            narrower[key] = wider[0]
    return narrower


# The bare qualifiers of a province's own bodies: "tỉnh" and a centrally-run city's "thành phố".
_PROVINCIAL = ("tỉnh", "thành phố")


def _is_provincial(qualifier: str) -> bool:
    """"tỉnh Lào Cai", "thành phố Hà Nội": one province's qualifier ("thành phố Quy Nhơn" is a district's)."""
    unit, _, place = qualifier.partition(" ")
    if unit == "thành" and place.startswith("phố "):
        return is_central_city(place[4:])
    return unit == "tỉnh" and bool(place) and "," not in place


def _units(qualifier: str) -> set[str]:
    """The units a qualifier lists ("huyện, thành phố"); split only where a separator stands
    (most qualifiers name one unit, and a regex split costs 2 us)."""
    return set(_LIST_SPLIT.split(qualifier)) if ", " in qualifier or " và " in qualifier else {qualifier}


def _sublist(short: set[str], long: set[str]) -> bool:
    """"huyện, thành phố" names a part of "huyện, thành phố, thị xã": the same districts."""
    return len(short) > 1 and short < long


def _narrows(generic: str, specific: str) -> bool:
    return fold(specific).startswith(fold(generic) + " ") if generic else bool(specific)
