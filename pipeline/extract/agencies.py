"""Agencies: the distinct bodies a document names, each with all its mentions.

The mentions come from the document's agency layer (pipeline/annotate/agencies.py, the
gazetteer's recogniser); this module only decides which mentions name the same body.
"""

from __future__ import annotations

import regex

from pipeline.annotate.agencies import agency_mentions
from pipeline.gazetteer.agencies import AgencyMention, AgencyName, successor_2025
from pipeline.records import Agency, Document, Mention
from pipeline.text import fold

_OPEN_BRACKET = regex.compile(r"\s*\(\s*")
_LIST_SPLIT = regex.compile(r", | và ")


def find_agencies(doc: Document) -> list[Agency]:
    """The distinct bodies a document names, in order of first mention, each with all mentions.

    Spellings of one body are merged: by key ("UBND tỉnh" = "Ủy ban nhân dân tỉnh"), by an
    alias defined in brackets ("... tỉnh (Ban Chỉ đạo tỉnh)"), and a generic "X tỉnh" or bare
    "X" is taken to be the one specific "X tỉnh <Province>" the text also names.
    """
    mentions = agency_mentions(doc)
    alias = _aliases(doc.text, mentions)
    alias.update(_specialisations({alias.get(m.name.key, m.name.key) for m in mentions}))
    groups: dict[str, Agency] = {}
    first_name: dict[str, AgencyName] = {}
    for mention in mentions:
        span, name, raw = mention.span, mention.name, mention.raw
        key = _resolve(alias, name.key)
        if key not in groups:
            groups[key] = Agency(name=name.name, raw=raw, acronym=name.acronym, level=name.level)
            first_name[key] = name
        elif name.key == key and first_name[key].key != key:
            groups[key].name, groups[key].level = name.name, name.level
            first_name[key] = name
        groups[key].acronym = groups[key].acronym or name.acronym
        groups[key].mentions.append(Mention(text=raw, span=span))
    for agency in groups.values():
        agency.successor_2025 = successor_2025(agency.name)
    return list(groups.values())


def _resolve(alias: dict[str, str], key: str) -> str:
    seen = set()
    while key in alias and key not in seen:
        seen.add(key)
        key = alias[key]
    return key


def _aliases(text: str, mentions: list[AgencyMention]) -> dict[str, str]:
    """"Ban Chỉ đạo ... tỉnh (Ban Chỉ đạo tỉnh)": a shorter name of the same kind in brackets
    right after a name is that body's short name for the rest of the text."""
    alias: dict[str, str] = {}
    for mention, following in zip(mentions, mentions[1:]):
        name, next_name = mention.name, following.name
        gap = text[mention.span[1] : following.span[0]]
        if _OPEN_BRACKET.fullmatch(gap) and _head(next_name.name) == _head(name.name) and len(next_name.name) < len(name.name):
            alias.setdefault(next_name.key, name.key)
    return alias


def _head(name: str) -> str:
    return " ".join(fold(name).split()[:2])


def _specialisations(keys: set[str]) -> dict[str, str]:
    """Generic key -> the one more specific key in the same text.

    "x|tỉnh" -> "x|tỉnh hải dương"; a bare "x|" -> "x|tỉnh" (a provincial document's own
    body), else to its only qualified form.
    """
    alias = {}
    for key in keys:
        base, qualifier = key.split("|", 1)
        longer = [k for k in keys if k != key and k.startswith(base + "|") and _sublist(qualifier, k.split("|", 1)[1])]
        if len(longer) == 1:
            alias[key] = longer[0]
            continue
        if qualifier and qualifier != "tỉnh":
            continue
        wider = sorted(k for k in keys if k != key and k.startswith(base + "|") and _narrows(qualifier, k.split("|", 1)[1]))
        provincial = [k for k in wider if k.split("|", 1)[1].split(" ")[0] == "tỉnh"]
        if not qualifier and base + "|tỉnh" in keys:
            alias[key] = base + "|tỉnh"
        elif len(provincial) == 1:
            alias[key] = provincial[0]
        elif not qualifier and len(wider) == 1:
            alias[key] = wider[0]
    return alias


def _sublist(short: str, long: str) -> bool:
    """"huyện, thành phố" names a part of "huyện, thành phố, thị xã": the same districts."""
    short_units, long_units = set(_LIST_SPLIT.split(short)), set(_LIST_SPLIT.split(long))
    return len(short_units) > 1 and short_units < long_units


def _narrows(generic: str, specific: str) -> bool:
    return specific.startswith(generic + " ") if generic else bool(specific)
