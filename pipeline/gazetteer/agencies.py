"""The agency gazetteer: recognising the bodies a text names and writing their names one way.

The gazetteer (models/agencies.yaml, models/acronyms.yaml) is compiled once into a
token-trie regex: every name, spelling variant and abbreviated form ("Sở VHTTDL",
"UBND tỉnh", "Đài PT&TH tỉnh") is one path. After a name, a qualifier may follow
("tỉnh Cao Bằng", "cấp huyện", "các huyện, thị xã, thành phố", "Sở", ", Công an tỉnh");
it is parsed here and kept in the name. Names the gazetteer lacks are found by a generic
"head word + capitalised words" pattern and come back with ``known=False``.

A regex rather than spaCy's SpanRuler: the same patterns without tokenising each
document, which keeps the finder in the sub-millisecond range per page.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

from pipeline.gazetteer.provinces import (
    canonical_province,
    is_central_city,
    province_pattern,
)
from pipeline.records import Span
from pipeline.rules import load_model
from pipeline.text import fold, normalise_unicode

LEVELS = ("central", "province", "district", "commune", "unit")
QUALIFIER_KINDS = ("local", "central", "party", "owner", "place")
# No agency name with its qualifier runs longer than this many characters.
MATCH_WINDOW = 400

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]")
_SPACES = regex.compile(r"\s+")
_DASHES = regex.compile(r"[–—]")
# Between two bodies of one list: "Phòng X (VHTT) và các Trung tâm: Y ...".
_LIST_GAP = regex.compile(r"\s*(?:\([^()\n]{1,20}\))?\s*(?:,|và)\s*(?:các\s+)?(?:\p{Lu}[\p{Ll}\p{M}]*(?:\s+[\p{Ll}\p{M}]+)?\s*:\s*)?")
_ITEM_JOINER = regex.compile(r"\s*(?:\([^()\n]{1,20}\))?\s*(?:,|và)\s*")
_UNIT_JOINER = regex.compile(r"\s*,\s*|\s+và\s+", regex.I)
_OPEN_BRACKET = regex.compile(r"\s*\(\s*")
_LIST_SPLIT = regex.compile(r", | và ")
_PUNCT_PATTERN = {"-": r"[-–—]", ",": ",", "&": "&", "/": "/", ".": r"\."}


@dataclass(frozen=True)
class AgencyName:
    """A cleaned agency name; ``key`` groups spellings of one body within a document."""

    name: str
    level: str | None
    acronym: str | None
    known: bool
    key: str = ""


@dataclass(frozen=True)
class AgencyMention:
    """One place a text names a body: where, the name written the gazetteer's way, and the words as printed."""

    span: Span
    name: AgencyName
    raw: str


@dataclass(frozen=True)
class _Entry:
    name: str
    level: str
    qualify: frozenset[str]
    required: bool
    owns: bool


@dataclass(frozen=True)
class _Surface:
    entry: _Entry
    acronym: str | None  # the printed abbreviation, when the surface is one
    implied: str | None  # qualifier an acronym carries ("CAT" = Công an + "tỉnh")


@dataclass(frozen=True)
class _Qualifier:
    text: str  # as it goes into the name, with its leading separator
    key: str
    level: str | None
    kind: str


@dataclass(frozen=True)
class _Found:
    span: Span
    entry: _Entry | None
    base: str  # canonical base name
    qualifier: _Qualifier | None
    acronym: str | None


# --------------------------------------------------------------------------- data


@functools.cache
def _acronyms() -> dict[str, dict[str, str]]:
    data = load_model("acronyms")
    return {"in_names": dict(data["in_names"]), "whole": dict(data["whole"])}


@functools.cache
def _gazetteer() -> dict[str, Any]:
    return load_model("agencies")


@functools.cache
def _entries() -> tuple[_Entry, ...]:
    return tuple(
        _Entry(
            name=normalise_unicode(item["name"]),
            level=item["level"],
            qualify=frozenset(item.get("qualify", [])),
            required=bool(item.get("required", False)),
            owns=bool(item.get("owns", False)),
        )
        for item in _gazetteer()["agencies"]
    )


def _abbreviations(form: str) -> Iterable[tuple[str, str | None]]:
    """A name and each form of it with parts abbreviated ("Ủy ban nhân dân tỉnh" -> "UBND tỉnh")."""
    yield form, None
    hits = [(a, e) for a, e in _acronyms()["in_names"].items() if _contains_words(form, normalise_unicode(e))]
    for size in (1, 2):
        for combo in itertools.combinations(hits, size):
            short, used = form, []
            for acronym, expansion in combo:
                expansion = normalise_unicode(expansion)
                if expansion in short:
                    short = short.replace(expansion, acronym, 1)
                    used.append(acronym)
            if len(used) == size:
                yield short, " ".join(used)


def _contains_words(text: str, part: str) -> bool:
    return regex.search(r"(?<!\w)" + regex.escape(part) + r"(?!\w)", text) is not None


def surface_key(text: str) -> str:
    """Lookup key of a printed name: tone-normalised, lower case, no spaces, one kind of dash."""
    return _normalised_key(normalise_unicode(text))


def _normalised_key(text: str) -> str:
    return _SPACES.sub("", _DASHES.sub("-", text.lower()))


@functools.cache
def _surfaces() -> dict[str, _Surface]:
    """surface_key(printed form) -> the entry it names, for every form of every entry."""
    surfaces: dict[str, _Surface] = {}
    for entry, item in zip(_entries(), _gazetteer()["agencies"]):
        forms = [entry.name, *(normalise_unicode(v) for v in item.get("variants", []))]
        for form in forms:
            for short, acronym in _abbreviations(form):
                surfaces.setdefault(surface_key(short), _Surface(entry, acronym and short, None))
        for acronym in item.get("acronyms", []):
            surfaces.setdefault(surface_key(acronym), _Surface(entry, acronym, None))
    by_name = {e.name: e for e in _entries()}
    for acronym, expansion in _acronyms()["whole"].items():
        expansion = normalise_unicode(expansion)
        base = max((n for n in by_name if expansion == n or expansion.startswith(n + " ")), key=len, default=None)
        if base is not None:
            implied = expansion[len(base) :].strip() or None
            surfaces.setdefault(surface_key(acronym), _Surface(by_name[base], acronym, implied))
    return surfaces


# --------------------------------------------------------------------------- patterns


def _is_acronym(token: str) -> bool:
    return any(c.isupper() for c in token[1:])


def _token_pattern(token: str) -> str:
    if token in _PUNCT_PATTERN:
        return _PUNCT_PATTERN[token]
    escaped = regex.escape(token)
    return f"(?-i:{escaped})" if _is_acronym(token) else escaped


def _pieces(form: str) -> list[str]:
    """A printed form as regex pieces, each with the separator that may precede it."""
    tokens = _TOKEN.findall(form)
    pieces = []
    for i, token in enumerate(tokens):
        if i == 0:
            sep = ""
        elif token in _PUNCT_PATTERN or tokens[i - 1] in _PUNCT_PATTERN:
            sep = r"\s*"
        elif _is_acronym(tokens[i - 1]) and token[0].isdigit():
            sep = r"\s*"
        else:
            sep = r"\s+"
        pieces.append(sep + _token_pattern(token if _is_acronym(token) else token.lower()))
    return pieces


def _trie_pattern(forms: Iterable[str]) -> str:
    """One alternation over a token trie, longest continuation tried first."""
    trie: dict = {}
    for form in forms:
        node = trie
        for piece in _pieces(form):
            node = node.setdefault(piece, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    branches = [piece + _node_pattern(child) for piece, child in node.items() if piece]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _alternation(words: Iterable[str]) -> str:
    """Words or phrases as one case-insensitive alternation, longest first, spaces loose."""
    forms = sorted({normalise_unicode(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join("".join(_pieces(f)) for f in forms) + ")"


@functools.cache
def _known_re() -> regex.Pattern:
    forms = {_printed_form(key) for key in _surfaces()}
    return regex.compile(r"(?-i:(?=\p{Lu}))(?<![\p{L}\p{M}\p{N}/&-])" + _trie_pattern(forms) + r"(?![\p{L}\p{M}\p{N}])", regex.I)


@functools.cache
def _printed_forms() -> dict[str, str]:
    """surface_key -> one printed form, for building the trie (keys lose spaces)."""
    forms: dict[str, str] = {}
    for entry, item in zip(_entries(), _gazetteer()["agencies"]):
        for form in [entry.name, *(normalise_unicode(v) for v in item.get("variants", []))]:
            for short, _ in _abbreviations(form):
                forms.setdefault(surface_key(short), short)
        for acronym in item.get("acronyms", []):
            forms.setdefault(surface_key(acronym), acronym)
    for acronym in _acronyms()["whole"]:
        forms.setdefault(surface_key(acronym), acronym)
    return forms


def _printed_form(key: str) -> str:
    return _printed_forms()[key]


@functools.cache
def _qualifier_res() -> dict[str, regex.Pattern]:
    q = _gazetteer()["qualifiers"]
    unit = "(?:" + _alternation(q["unit_words"]) + "|" + _alternation(q["unit_abbreviations"]) + r"\.?)"
    sub_provincial = _alternation(w for w, level in q["unit_words"].items() if level != "province")
    gap = r"[^\S\n]*\n?[^\S\n]*"
    province = province_pattern()
    joiner = r"(?:\s*,\s*|\s+và\s+)"
    # A place as printed in running text ("Thanh Hà") or in a header's capitals ("THANH HÀ").
    name = r"(?-i:\p{Lu}[\p{Ll}\p{M}]*(?:[^\S\n]+\p{Lu}[\p{Ll}\p{M}]*){0,3}|\p{Lu}[\p{Lu}\p{M}]*(?:[^\S\n]+\p{Lu}[\p{Lu}\p{M}]*){0,3})"
    of = rf"(?:{_alternation([q['possessive']])}\s+)?"
    return {
        "province": regex.compile(rf"\s+{of}(?P<unit>{unit})\s+(?P<place>{province})", regex.I),
        "level": regex.compile(rf"\s+(?P<word>{_alternation([q['level_word']])})\s+(?P<lvl>{_alternation(q['levels'])})(?![\p{{L}}\p{{N}}])", regex.I),
        "named": regex.compile(rf"{gap}(?<=\s)(?P<unit>{sub_provincial}){gap}(?<=\s)(?P<place>{name})(?![\p{{L}}\p{{N}}])", regex.I),
        "units": regex.compile(
            rf"\s+{of}(?P<coll>{_alternation([q['collective']])}\s+)?(?P<list>{unit}(?:{joiner}{unit})*)(?![\p{{L}}\p{{N}}])",
            regex.I,
        ),
        "central": regex.compile(rf"(?:\s+{of}(?P<word>{_alternation([c for c in q['central'] if not c.startswith('/')])})|\s*(?P<slash>/\s*(?-i:CP)))(?![\p{{L}}\p{{N}}])", regex.I),
        "party": regex.compile(rf"\s+(?P<word>{_alternation([*q['party'], 'TU', 'TW'])})(?![\p{{L}}\p{{N}}])", regex.I),
        "owner_word": regex.compile(rf"\s+(?P<word>{_alternation(q['owner_words'])})(?![\p{{L}}\p{{M}}\p{{N}}])(?!\s+(?-i:\p{{Lu}}\p{{Ll}}))", regex.I),
        "owner_sep": regex.compile(r"\s*(?:,|[-–])\s*|\s+"),
        "place": regex.compile(rf"\s+(?P<place>{province})"),
        "unit_word": regex.compile(rf"{unit}", regex.I),
    }


@functools.cache
def _generic_re() -> regex.Pattern:
    g = _gazetteer()["generic"]
    stop = _alternation(g["stopwords"])
    cap = r"(?:\p{Lu}[\p{Ll}\p{M}]*\p{N}*|\p{Lu}{2,}\p{N}*)"
    lower = rf"(?:\s+(?!{stop}(?![\p{{L}}\p{{M}}]))\p{{Ll}}[\p{{Ll}}\p{{M}}]*)"
    chunk = rf"{cap}{lower}{{0,{int(g['max_lower_syllables'])}}}"
    # A dash joins parts of one name ("Phòng Lao động - Việc làm"), also at a line's end, but
    # never at a line's start: "\n- " opens a bullet.
    joiner = r"(?:\s*,\s*|\s+và\s+|[^\S\n]*[-–]\s*|\s+)"
    heads = "|".join(regex.escape(normalise_unicode(h)) for h in sorted(g["heads"], key=len, reverse=True))
    return regex.compile(
        rf"(?<![\p{{L}}\p{{M}}\p{{N}}/-])(?P<head>{heads})\s+(?P<body>{chunk}(?:{joiner}{chunk})*)(?![\p{{L}}\p{{M}}\p{{N}}])"
    )


# --------------------------------------------------------------------------- qualifiers


def _unit_word(printed: str) -> str:
    q = _gazetteer()["qualifiers"]
    word = _SPACES.sub(" ", printed.rstrip(".")).lower()
    for abbr, full in q["unit_abbreviations"].items():
        if word == abbr.lower():
            return full
    return word


def _unit_level(word: str) -> str | None:
    return _gazetteer()["qualifiers"]["unit_words"].get(word)


def _clean_place(printed: str) -> str:
    province = canonical_province(printed)
    if province is not None:
        return province
    words = _SPACES.sub(" ", printed).split()
    return " ".join(w[0] + w[1:].lower() if w.isupper() else w for w in words)


def _match_at(pattern: regex.Pattern, text: str, pos: int) -> regex.Match | None:
    """A match starting at ``pos``, looked for within a name's length: the regex module
    pre-searches a pattern's literal words through the whole rest of the text, which made
    one 30 M-character document take minutes."""
    return pattern.match(text, pos, pos + MATCH_WINDOW)


def _parse_local(text: str, pos: int) -> tuple[int, _Qualifier] | None:
    res = _qualifier_res()
    if m := _match_at(res["province"], text, pos):
        unit, place = _unit_word(m["unit"]), _clean_place(m["place"])
        level = "province" if unit == "tỉnh" or (unit == "thành phố" and is_central_city(place)) else _unit_level(unit)
        return m.end(), _Qualifier(f" {unit} {place}", f"{unit} {place}", level, "local")
    if m := _match_at(res["level"], text, pos):
        lvl = m["lvl"].lower()
        text_ = f" {m['word'].lower()} {lvl}"
        return m.end(), _Qualifier(text_, text_.strip(), _gazetteer()["qualifiers"]["levels"].get(lvl), "local")
    if m := _match_at(res["named"], text, pos):
        unit, place = _unit_word(m["unit"]), _clean_place(m["place"])
        return m.end(), _Qualifier(f" {unit} {place}", f"{unit} {place}", _unit_level(unit), "local")
    if m := _match_at(res["units"], text, pos):
        units = _list_units(text, m)
        printed = text[m.start("list") : units[-1].end()]
        words = [_unit_word(u.group()) for u in units]
        joined = _join_list(printed, words)
        coll = "các " if m["coll"] else ""
        level = _unit_level(words[0])
        if level == "district" and words[0] == "thành phố" and len(words) == 1:
            level = "district"
        return units[-1].end(), _Qualifier(f" {coll}{joined}", joined, level, "local")
    return None


def _list_units(text: str, m: regex.Match) -> list[regex.Match]:
    """The unit words of a list qualifier, up to one that begins the next agency's name:
    in "Công an tỉnh, Tỉnh đoàn" the list is "tỉnh" alone."""
    units = list(_qualifier_res()["unit_word"].finditer(text, m.start("list"), m.end("list")))
    for index, unit in enumerate(units[1:], start=1):
        if (name := _match_at(_known_re(), text, unit.start())) and name.end() > unit.end():
            return units[:index]
    return units


def _join_list(printed: str, words: list[str]) -> str:
    """Unit words joined as printed: commas stay commas, "và" stays "và"."""
    joiners = _UNIT_JOINER.findall(printed)
    out = words[0]
    for joiner, word in zip(joiners, words[1:]):
        out += (", " if "," in joiner else " và ") + word
    return out


def _parse_qualifier(text: str, pos: int, entry: _Entry, depth: int) -> tuple[int, _Qualifier] | None:
    res = _qualifier_res()
    if "central" in entry.qualify and (m := _match_at(res["central"], text, pos)):
        printed = "/CP" if m["slash"] else " " + normalise_unicode(_expand_word(m["word"]))
        return m.end(), _Qualifier(printed, "chính phủ" if m["slash"] or "chính" in printed.lower() else fold(printed), "central", "central")
    if "local" in entry.qualify and (found := _parse_local(text, pos)):
        return found
    if "party" in entry.qualify and (m := _match_at(res["party"], text, pos)):
        word = normalise_unicode(_expand_word(m["word"]))
        word = word[0].upper() + word[1:].lower() if word.isupper() else word
        level = "central" if fold(word) == "trung ương" else entry.level
        return m.end(), _Qualifier(" " + word, fold(word), level, "party")
    if "place" in entry.qualify and (m := _match_at(res["place"], text, pos)):
        place = _clean_place(m["place"])
        return m.end(), _Qualifier(" " + place, fold(place), entry.level, "place")
    if "owner" in entry.qualify:
        return _parse_owner(text, pos, depth)
    return None


def _expand_word(word: str) -> str:
    word = _SPACES.sub(" ", word)
    return _acronyms()["in_names"].get(word) or _acronyms()["whole"].get(word) or word


def _parse_owner(text: str, pos: int, depth: int) -> tuple[int, _Qualifier] | None:
    res = _qualifier_res()
    if depth == 0 and (sep := _match_at(res["owner_sep"], text, pos)):
        owner = _match_known(text, sep.end(), depth + 1)
        if owner is not None and owner.entry is not None and owner.entry.owns and owner.span[0] == sep.end():
            printed_sep = _SPACES.sub(" ", sep.group())
            printed_sep = printed_sep if printed_sep.strip() else " "
            owner_name = owner.base + (owner.qualifier.text if owner.qualifier else "")
            printed_sep = regex.sub(r"[–—]", "-", printed_sep)
            return owner.span[1], _Qualifier(printed_sep + owner_name, fold(owner_name), "unit", "owner")
    if m := _match_at(res["owner_word"], text, pos):
        word = _SPACES.sub(" ", normalise_unicode(m["word"]))
        word = word.lower()[:-3] + "Sở" if word.lower().endswith("sở") else word
        return m.end(), _Qualifier(" " + word, "sở", "unit", "owner")
    return None


# --------------------------------------------------------------------------- matching


def _match_known(text: str, pos: int, depth: int = 0) -> _Found | None:
    """The gazetteer name starting exactly at ``pos`` (with its qualifier), if any."""
    m = _match_at(_known_re(), text, pos)
    return _accept(text, m, depth) if m else None


def _accept(text: str, m: regex.Match, depth: int) -> _Found | None:
    """A raw trie match as a found name, or None where a required qualifier is missing."""
    if not m.group()[0].isupper():
        return None
    surface = _surfaces().get(_normalised_key(m.group()))
    if surface is None:
        return None
    entry = surface.entry
    end, qualifier = m.end(), None
    if surface.implied:
        level = _unit_level(surface.implied) or entry.level
        level = "province" if surface.implied == "tỉnh" else level
        qualifier = _Qualifier(" " + surface.implied, surface.implied, level, "local")
    elif entry.qualify:
        parsed = _parse_qualifier(text, end, entry, depth)
        if parsed is not None:
            end, qualifier = parsed
    if entry.required and qualifier is None:
        return None
    return _Found((m.start(), end), entry, entry.name, qualifier, surface.acronym)


def _generic(text: str, m: regex.Match) -> _Found | None:
    """A name the gazetteer lacks, if it is not one of the excluded look-alikes."""
    printed = _SPACES.sub(" ", m.group())
    if any(printed.startswith(normalise_unicode(x)) for x in _gazetteer()["generic"]["not_names"]):
        return None
    if surface_key(printed) in _surfaces():
        return None  # a gazetteer name that lacked its required qualifier
    base = _expand_unknown(_clean_generic(printed))
    end, qualifier = m.end(), None
    if parsed := _parse_local(text, end):
        end, qualifier = parsed
    return _Found((m.start(), end), None, base, qualifier, None)


def _clean_generic(printed: str) -> str:
    base = regex.sub(r"\s*[–—]\s*", " - ", printed)
    base = regex.sub(r"\s*,\s*", ", ", base)
    return regex.sub(r"\s+-\s+|(?<=\S)-(?=\S)", " - ", base) if " - " in base else base


def _scan(text: str) -> list[_Found]:
    """Every name in order, non-overlapping; a gazetteer name wins over a generic one."""
    known, generic = _known_re(), _generic_re()
    found: list[_Found] = []
    pos = 0
    next_known, next_generic = known.search(text, pos), generic.search(text, pos)
    while pos < len(text):
        # A match still ahead of pos is the one a new search would find: searching again
        # on every step made a long document quadratic.
        if next_known is not None and next_known.start() < pos:
            next_known = known.search(text, pos)
        k = next_known
        while next_generic is not None and next_generic.start() < pos:
            next_generic = generic.search(text, pos)
        candidates = []
        if k is not None:
            candidates.append((k.start(), 0, k))
        if next_generic is not None:
            candidates.append((next_generic.start(), 1, next_generic))
        if not candidates:
            break
        start, kind, m = min(candidates, key=lambda c: (c[0], c[1]))
        hit = _accept(text, m, 0) if kind == 0 else _generic(text, m)
        if hit is None and kind == 0 and next_generic is not None and next_generic.start() == start:
            hit = _generic(text, next_generic)
        if hit is None:
            pos = start + 1
            continue
        found.append(hit)
        pos = hit.span[1]
    return found


@functools.cache
def _shared_head_re() -> regex.Pattern:
    heads = "|".join(regex.escape(normalise_unicode(h)) for h in sorted(_gazetteer()["generic"]["heads"], key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}\p{{N}}])(?P<head>{heads})\s*:\s*(?=\p{{Lu}})")


def _shared_head_items(text: str) -> list[_Found]:
    """"các Trung tâm: Văn hóa - Thể thao, Văn hóa, Thông tin - Thể thao": each item is the
    head word plus the item, when that is a gazetteer name; a qualifier after the last item
    belongs to them all."""
    found = []
    for m in _shared_head_re().finditer(text):
        items = _list_items(text, normalise_unicode(m["head"]), m.end())
        last = items[-1].qualifier if items else None
        found += [i if i.qualifier or last is None else _Found(i.span, i.entry, i.base, last, i.acronym) for i in items]
    return found


def _list_items(text: str, head: str, pos: int) -> list[_Found]:
    """The items after "<head>:", each read as "<head> <item>" against the gazetteer."""
    found: list[_Found] = []
    while pos < len(text) and text[pos].isupper():
        offset = pos - len(head) - 1
        hit = _match_known(head + " " + text[pos : pos + 300], 0)
        if hit is None or hit.span[1] <= len(head) + 1:
            break
        end = hit.span[1] + offset
        found.append(_Found((pos, end), hit.entry, hit.base, hit.qualifier, hit.acronym))
        joiner = _ITEM_JOINER.match(text, end)
        if joiner is None:
            break
        pos = joiner.end()
    return found


def _share_qualifiers(text: str, found: list[_Found]) -> list[_Found]:
    """"Phòng Văn hóa và Thông tin, Trung tâm ... cấp huyện": the last name's local
    qualifier belongs to every bare district or commune body listed before it."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        left, right = out[i], out[i + 1]
        gap = text[left.span[1] : right.span[0]]
        if (
            left.qualifier is None
            and left.entry is not None
            and "local" in left.entry.qualify
            and left.entry.level in ("district", "commune")
            and right.qualifier is not None
            and right.qualifier.kind == "local"
            and right.qualifier.level in ("district", "commune")
            and _LIST_GAP.fullmatch(gap)
        ):
            out[i] = _Found(left.span, left.entry, left.base, right.qualifier, left.acronym)
    return out


def _agency_name(hit: _Found) -> AgencyName:
    qualifier = hit.qualifier
    name = hit.base + (qualifier.text if qualifier else "")
    if qualifier is not None and qualifier.kind == "owner":
        level = "unit"
    elif qualifier is not None and qualifier.level:
        level = qualifier.level
    else:
        level = hit.entry.level if hit.entry else None
    key = fold(hit.base) + "|" + (qualifier.key if qualifier else "")
    return AgencyName(name=name, level=level, acronym=hit.acronym, known=hit.entry is not None, key=key)


def find_agency_mentions(text: str) -> list[AgencyMention]:
    """Every agency mention in ``text`` (normalised, as every stage after ingest reads it),
    in order. Works on text with line breaks inside names."""
    shared = _shared_head_items(text)
    scanned = [f for f in _scan(text) if not any(_overlaps(f.span, x.span) for x in shared)]
    found = _share_qualifiers(text, sorted(scanned + shared, key=lambda f: f.span))
    return [AgencyMention(hit.span, _agency_name(hit), text[hit.span[0] : hit.span[1]]) for hit in found]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def canonical_name(raw: str) -> AgencyName:
    """One printed name written the gazetteer's way: acronyms expanded, capitals of
    running text, tones normalised, line breaks folded, qualifiers kept."""
    cleaned = _SPACES.sub(" ", normalise_unicode(raw)).strip(" .,;:")
    found = _scan(cleaned)
    if len(found) == 1 and found[0].span == (0, len(cleaned)):
        return _agency_name(found[0])
    name = _expand_unknown(cleaned)
    return AgencyName(name=name, level=None, acronym=None, known=False, key=fold(name) + "|")


def _expand_unknown(cleaned: str) -> str:
    """Acronyms expanded word by word; an all-capitals name put in running-text capitals."""
    if cleaned.isupper():  # in capitals an acronym cannot be told from a word ("ĐẦU TƯ")
        name = _gazetteer_casing(cleaned[0] + cleaned[1:].lower())
        for (start, end), province in _province_spans(name):
            name = name[:start] + province + name[end:]
        return name
    acronyms = {**_acronyms()["in_names"], **_acronyms()["whole"]}
    return " ".join(normalise_unicode(acronyms.get(w, w)) for w in cleaned.split(" "))


@functools.cache
def _prefix_casing() -> dict[str, str]:
    """Folded word prefixes of every gazetteer name -> their capitalisation ("ban chỉ đạo" -> "Ban Chỉ đạo")."""
    casing: dict[str, str] = {}
    for entry in _entries():
        words = entry.name.split()
        for n in range(1, len(words) + 1):
            casing.setdefault(fold(" ".join(words[:n])), " ".join(words[:n]))
    return casing


def _gazetteer_casing(name: str) -> str:
    """The longest start of an unknown name that begins a gazetteer name takes that name's capitals."""
    words = name.split()
    for n in range(len(words), 0, -1):
        cased = _prefix_casing().get(fold(" ".join(words[:n])))
        if cased:
            return " ".join([cased, *words[n:]])
    return name


def _province_spans(text: str) -> list[tuple[Span, str]]:
    pattern = regex.compile(province_pattern().replace("(?-i:", "(?i:", 1))
    return [(m.span(), canonical_province(m.group()) or m.group()) for m in pattern.finditer(text)]


@functools.cache
def _department_mergers() -> tuple[tuple[str, str, str], ...]:
    """(folded old name, old name, new name), longest first."""
    mergers = load_model("mergers_2025")["departments"]["mergers"]
    pairs = sorted(((m["from"], m["to"]) for m in mergers), key=lambda pair: -len(pair[0]))
    return tuple((fold(before), before, after) for before, after in pairs)


def successor_2025(name: str) -> str | None:
    """The body that took over a department or ministry merged in 2025, with the printed
    qualifier kept ("Sở Thông tin và Truyền thông tỉnh Hải Dương" -> "Sở Khoa học và Công
    nghệ tỉnh Hải Dương"); None for a body that was not merged. Parts of a body's work that
    went elsewhere are listed in models/mergers_2025.yaml, not guessed here."""
    folded = fold(name)
    for folded_before, before, after in _department_mergers():
        if folded == folded_before or folded.startswith(folded_before + " "):
            return after + name[len(before) :]
    return None
