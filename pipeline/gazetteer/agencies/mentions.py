"""Finding the bodies a text names. After a name, a qualifier may follow ("tỉnh Cao Bằng",
"cấp huyện", "các huyện, thị xã, thành phố", "Sở", ", Công an tỉnh"); it is parsed here and
kept in the name. Names the gazetteer lacks are found by a generic "head word + capitalised
words" pattern and come back with ``known=False``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.gazetteer.agencies.compiled import (
    SPACES,
    Entry,
    acronyms,
    gazetteer,
    generic_re,
    known_re,
    normalised_key,
    prefix_casing,
    qualifier_res,
    shared_head_re,
    surface_key,
    surfaces,
)
from pipeline.gazetteer.provinces import (
    canonical_province,
    is_central_city,
    province_pattern,
)
from pipeline.records import Span
from pipeline.text import fold, normalise_unicode

# No agency name with its qualifier runs longer than this many characters.
MATCH_WINDOW = 400
# Between two bodies of one list: "Phòng X (VHTT) và các Trung tâm: Y ...".
_LIST_GAP = regex.compile(r"\s*(?:\([^()\n]{1,20}\))?\s*(?:,|và)\s*(?:các\s+)?(?:\p{Lu}[\p{Ll}\p{M}]*(?:\s+[\p{Ll}\p{M}]+)?\s*:\s*)?")
_ITEM_JOINER = regex.compile(r"\s*(?:\([^()\n]{1,20}\))?\s*(?:,|và)\s*")
_UNIT_JOINER = regex.compile(r"\s*,\s*|\s+và\s+", regex.I)


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
class _Qualifier:
    text: str  # as it goes into the name, with its leading separator
    key: str
    level: str | None
    kind: str


@dataclass(frozen=True)
class _Found:
    span: Span
    entry: Entry | None
    base: str  # canonical base name
    qualifier: _Qualifier | None
    acronym: str | None


# --------------------------------------------------------------------------- qualifiers


def _unit_word(printed: str) -> str:
    q = gazetteer()["qualifiers"]
    word = SPACES.sub(" ", printed.rstrip(".")).lower()
    for abbr, full in q["unit_abbreviations"].items():
        if word == abbr.lower():
            return full
    return word


def _unit_level(word: str) -> str | None:
    return gazetteer()["qualifiers"]["unit_words"].get(word)


def _clean_place(printed: str) -> str:
    province = canonical_province(printed)
    if province is not None:
        return province
    words = SPACES.sub(" ", printed).split()
    return " ".join(w[0] + w[1:].lower() if w.isupper() else w for w in words)


def _match_at(pattern: regex.Pattern, text: str, pos: int) -> regex.Match | None:
    """A match starting at ``pos``, looked for within a name's length: the regex module
    pre-searches a pattern's literal words through the whole rest of the text, which made
    one 30 M-character document take minutes."""
    return pattern.match(text, pos, pos + MATCH_WINDOW)


def _parse_local(text: str, pos: int) -> tuple[int, _Qualifier] | None:
    res = qualifier_res()
    if m := _match_at(res["province"], text, pos):
        unit, place = _unit_word(m["unit"]), _clean_place(m["place"])
        level = "province" if unit == "tỉnh" or (unit == "thành phố" and is_central_city(place)) else _unit_level(unit)
        return m.end(), _Qualifier(f" {unit} {place}", f"{unit} {place}", level, "local")
    if m := _match_at(res["level"], text, pos):
        lvl = m["lvl"].lower()
        text_ = f" {m['word'].lower()} {lvl}"
        return m.end(), _Qualifier(text_, text_.strip(), gazetteer()["qualifiers"]["levels"].get(lvl), "local")
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
    units = list(qualifier_res()["unit_word"].finditer(text, m.start("list"), m.end("list")))
    for index, unit in enumerate(units[1:], start=1):
        if (name := _match_at(known_re(), text, unit.start())) and name.end() > unit.end():
            return units[:index]
    return units


def _join_list(printed: str, words: list[str]) -> str:
    """Unit words joined as printed: commas stay commas, "và" stays "và"."""
    joiners = _UNIT_JOINER.findall(printed)
    out = words[0]
    for joiner, word in zip(joiners, words[1:]):
        out += (", " if "," in joiner else " và ") + word
    return out


def _parse_qualifier(text: str, pos: int, entry: Entry, depth: int) -> tuple[int, _Qualifier] | None:
    res = qualifier_res()
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
    word = SPACES.sub(" ", word)
    return acronyms()["in_names"].get(word) or acronyms()["whole"].get(word) or word


def _parse_owner(text: str, pos: int, depth: int) -> tuple[int, _Qualifier] | None:
    res = qualifier_res()
    if depth == 0 and (sep := _match_at(res["owner_sep"], text, pos)):
        owner = _match_known(text, sep.end(), depth + 1)
        if owner is not None and owner.entry is not None and owner.entry.owns and owner.span[0] == sep.end():
            printed_sep = SPACES.sub(" ", sep.group())
            printed_sep = printed_sep if printed_sep.strip() else " "
            owner_name = owner.base + (owner.qualifier.text if owner.qualifier else "")
            printed_sep = regex.sub(r"[–—]", "-", printed_sep)
            return owner.span[1], _Qualifier(printed_sep + owner_name, fold(owner_name), "unit", "owner")
    if m := _match_at(res["owner_word"], text, pos):
        word = SPACES.sub(" ", normalise_unicode(m["word"]))
        word = word.lower()[:-3] + "Sở" if word.lower().endswith("sở") else word
        return m.end(), _Qualifier(" " + word, "sở", "unit", "owner")
    return None


# --------------------------------------------------------------------------- matching


def _match_known(text: str, pos: int, depth: int = 0) -> _Found | None:
    """The gazetteer name starting exactly at ``pos`` (with its qualifier), if any."""
    m = _match_at(known_re(), text, pos)
    return _accept(text, m, depth) if m else None


def _accept(text: str, m: regex.Match, depth: int) -> _Found | None:
    """A raw trie match as a found name, or None where a required qualifier is missing."""
    if not m.group()[0].isupper():
        return None
    surface = surfaces().get(normalised_key(m.group()))
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
    printed = SPACES.sub(" ", m.group())
    if any(printed.startswith(normalise_unicode(x)) for x in gazetteer()["generic"]["not_names"]):
        return None
    if surface_key(printed) in surfaces():
        return None  # a gazetteer name that lacked its required qualifier
    base = expand_unknown(_clean_generic(printed))
    end, qualifier = m.end(), None
    if parsed := _parse_local(text, end):
        end, qualifier = parsed
    return _Found((m.start(), end), None, base, qualifier, None)


def _clean_generic(printed: str) -> str:
    base = regex.sub(r"\s*[–—]\s*", " - ", printed)
    base = regex.sub(r"\s*,\s*", ", ", base)
    return regex.sub(r"\s+-\s+|(?<=\S)-(?=\S)", " - ", base) if " - " in base else base


def scan(text: str) -> list[_Found]:
    """Every name in order, non-overlapping; a gazetteer name wins over a generic one."""
    known, generic = known_re(), generic_re()
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


def _shared_head_items(text: str) -> list[_Found]:
    """"các Trung tâm: Văn hóa - Thể thao, Văn hóa, Thông tin - Thể thao": each item is the
    head word plus the item, when that is a gazetteer name; a qualifier after the last item
    belongs to them all."""
    found = []
    for m in shared_head_re().finditer(text):
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


def agency_name(hit: _Found) -> AgencyName:
    """A found name as the record gives it: base and qualifier, its level, and the key that groups its spellings."""
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
    scanned = [f for f in scan(text) if not any(_overlaps(f.span, x.span) for x in shared)]
    found = _share_qualifiers(text, sorted(scanned + shared, key=lambda f: f.span))
    return [AgencyMention(hit.span, agency_name(hit), text[hit.span[0] : hit.span[1]]) for hit in found]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# --------------------------------------------------------------------------- names the gazetteer lacks


def expand_unknown(cleaned: str) -> str:
    """Acronyms expanded word by word; an all-capitals name put in running-text capitals."""
    if cleaned.isupper():  # in capitals an acronym cannot be told from a word ("ĐẦU TƯ")
        name = _gazetteer_casing(cleaned[0] + cleaned[1:].lower())
        for (start, end), province in _province_spans(name):
            name = name[:start] + province + name[end:]
        return name
    expansions = {**acronyms()["in_names"], **acronyms()["whole"]}
    return " ".join(normalise_unicode(expansions.get(w, w)) for w in cleaned.split(" "))


def _gazetteer_casing(name: str) -> str:
    """The longest start of an unknown name that begins a gazetteer name takes that name's capitals."""
    words = name.split()
    for n in range(len(words), 0, -1):
        cased = prefix_casing().get(fold(" ".join(words[:n])))
        if cased:
            return " ".join([cased, *words[n:]])
    return name


def _province_spans(text: str) -> list[tuple[Span, str]]:
    pattern = regex.compile(province_pattern().replace("(?-i:", "(?i:", 1))
    return [(m.span(), canonical_province(m.group()) or m.group()) for m in pattern.finditer(text)]
