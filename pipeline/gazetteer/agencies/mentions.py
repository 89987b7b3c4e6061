"""Finding the bodies a text names. After a name, a qualifier may follow ("tỉnh Cao Bằng",
"cấp huyện", "các huyện, thị xã, thành phố", "Sở", ", Công an tỉnh"); it is parsed here and
kept in the name. Names the gazetteer lacks are found by a generic "head word + capitalised
words" pattern and come back with ``known=False``.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import NamedTuple

import regex

from pipeline.gazetteer.agencies.compiled import (
    LOCAL,
    SPACES,
    Entry,
    acronyms,
    company_search,
    gazetteer,
    generic_heads_re,
    generic_re,
    head_starts,
    item_end_re,
    known_re,
    list_breakers_re,
    name_key,
    normalised_key,
    prefix_casing,
    qualifier_res,
    qualifiers_re,
    shared_head_re,
    shared_head_starts_re,
    surface_key,
    surface_of,
    surfaces,
    units_suffix_starts_re,
)
from pipeline.gazetteer.provinces import (
    any_case_province_pattern,
    canonical_province,
    is_central_city,
)
from pipeline.records import Span
from pipeline.text import fold, normalise_unicode

# No agency name with its qualifier runs longer than this many characters.
MATCH_WINDOW = 400
# A company's name has no longer run of lower-case words once a capitalised one began it.
MAX_COMPANY_LOWER_RUN = 2
# Between two bodies of one list: "Phòng X (VHTT) và các Trung tâm: Y ...".
_LIST_GAP = regex.compile(r"\s*(?:\([^()\n]{1,20}\))?\s*(?:,|và)\s*(?:các\s+)?(?:\p{Lu}[\p{Ll}\p{M}]*(?:\s+[\p{Ll}\p{M}]+)?\s*:\s*)?")
_ITEM_JOINER = regex.compile(r"\s*(?:\([^()\n]{1,20}\))?\s*(?:,|và|[-–](?=\s))\s*")

_UNIT_JOINER = regex.compile(r"\s*,\s*|\s+và\s+", regex.I)
_BODY_JOINER = regex.compile(r"\s*,\s*|\s+và\s+")
_COMPANY_WORD = regex.compile(r"[\p{L}\p{M}]+|\d+")
# Compiled once: a call of regex.sub or regex.search with a pattern string pays the regex
# module's cache lookup, several times the cost of the match on a name.
_LONG_DASH = regex.compile(r"[–—]")
_CAPITAL = regex.compile(r"\p{Lu}")
_SPACED_LONG_DASH = regex.compile(r"\s*[–—]\s*")
_SPACED_COMMA = regex.compile(r"\s*,\s*")
_HYPHEN = regex.compile(r"\s+-\s+|(?<=\S)-(?=\S)")


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


# The recogniser's own values are named tuples: a document makes some seventy, and a tuple is
# made in a third of the time of a frozen dataclass.
class _Qualifier(NamedTuple):
    text: str  # as it goes into the name, with its leading separator
    key: str
    level: str | None
    kind: str


class _Found(NamedTuple):
    span: Span
    entry: Entry | None
    base: str  # canonical base name
    qualifier: _Qualifier | None
    acronym: str | None


# --------------------------------------------------------------------------- qualifiers


@functools.lru_cache(maxsize=1024)
def _unit_word(printed: str) -> str:
    """A printed unit word as the gazetteer writes it ("TP" -> "thành phố"). Remembered: a
    document prints a handful of them, "tỉnh" most of all (12 unit words a document)."""
    word = SPACES.sub(" ", printed.rstrip(".")).lower()
    return _unit_abbreviations().get(word, word)


@functools.cache
def _unit_abbreviations() -> dict[str, str]:
    return {abbr.lower(): full for abbr, full in gazetteer()["qualifiers"]["unit_abbreviations"].items()}


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
    return _parse_combined(text, pos, LOCAL, None)


def _parse_combined(text: str, pos: int, kinds: frozenset[str], entry: Entry | None) -> tuple[int, _Qualifier] | None:
    """The first qualifier of ``kinds`` that follows ``pos``, read by one match a kind (of
    its alternatives; owner aside) rather than one match per qualifier."""
    for pattern, groups, starts in qualifiers_re(kinds):
        if (starts is None or starts.match(text, pos)) and (m := _match_at(pattern, text, pos)):
            # The alternative that matched, by a loop rather than next() over a generator:
            # 0.2-0.4 against 0.6-0.9 us a qualifier (~30 a document). (The regex module's
            # lastindex can name a group inside the alternative, not the alternative's own.)
            for group, branch in groups:
                if m.start(group) >= 0:
                    return _READERS[branch](text, m, entry)
    return None


def _read_province(text: str, m: regex.Match, entry: Entry | None) -> tuple[int, _Qualifier]:
    unit, place = _unit_word(m["unit"]), _clean_place(m["place"])
    level = "province" if unit == "tỉnh" or (unit == "thành phố" and is_central_city(place)) else _unit_level(unit)
    return m.end(), _Qualifier(f" {unit} {place}", f"{unit} {place}", level, "local")


def _read_level(text: str, m: regex.Match, entry: Entry | None) -> tuple[int, _Qualifier]:
    lvl = m["lvl"].lower()
    text_ = f" {m['word'].lower()} {lvl}"
    return m.end(), _Qualifier(text_, text_.strip(), gazetteer()["qualifiers"]["levels"].get(lvl), "local")


def _read_named(text: str, m: regex.Match, entry: Entry | None) -> tuple[int, _Qualifier]:
    unit, place = _unit_word(m["unit"]), _clean_place(m["place"])
    return m.end(), _Qualifier(f" {unit} {place}", f"{unit} {place}", _unit_level(unit), "local")


def _read_units(text: str, m: regex.Match, entry: Entry | None) -> tuple[int, _Qualifier]:
    groups = m.re.groupindex  # groups by number: a fifth of the time of by name
    units = _list_units(text, m.span(groups["list"]))
    printed = text[m.start(groups["list"]) : units[-1].end()]
    words = [_unit_word(u.group()) for u in units]
    joined = _join_list(printed, words)
    coll = "các " if m.group(groups["coll"]) else ""
    level = _unit_level(words[0])
    end = units[-1].end()
    if units_suffix_starts_re().match(text, end) and (suffix := _match_at(qualifier_res()["units_suffix"], text, end)):
        joined += " " + _suffix_text(suffix["word"])
        end = suffix.end()
    return end, _Qualifier(f" {coll}{joined}", joined, level, "local")


def _suffix_text(printed: str) -> str:
    """"trực thuộc trung ương", "trực thuộc TW" as the gazetteer writes them ("trực thuộc Trung ương")."""
    return gazetteer()["qualifiers"]["units_suffix"][0]


def _list_units(text: str, span: tuple[int, int]) -> list[regex.Match]:
    """The unit words of a list qualifier (its ``span``), up to one that begins the next
    agency's name: in "Công an tỉnh, Tỉnh đoàn" the list is "tỉnh" alone."""
    start, end = span
    unit_word = qualifier_res()["unit_word"]
    # The usual list is one unit word ("tỉnh"): matched whole, it is all a search would find.
    if (first := unit_word.match(text, start, end)) and first.end() == end:
        return [first]
    units = list(unit_word.finditer(text, start, end))
    for index, unit in enumerate(units[1:], start=1):
        # A name begins with a capital (known_re's look-ahead), and most units here are in
        # lower case: the capital is matched first, 0.3 us against known_re's 2.5 us set-up.
        if not _CAPITAL.match(text, unit.start()):
            continue
        if (name := _match_at(known_re(), text, unit.start())) and name.end() > unit.end():
            return units[:index]
    return units


def _join_list(printed: str, words: list[str]) -> str:
    """Unit words joined as printed: commas stay commas, "và" stays "và"."""
    out = words[0]
    if len(words) > 1:
        for joiner, word in zip(_UNIT_JOINER.findall(printed), words[1:]):
            out += (", " if "," in joiner else " và ") + word
    return out


def _parse_qualifier(text: str, pos: int, entry: Entry, depth: int) -> tuple[int, _Qualifier] | None:
    if found := _parse_combined(text, pos, entry.qualify, entry):
        return found
    if "owner" in entry.qualify:
        return _parse_owner(text, pos, depth)
    return None


def _read_central(text: str, m: regex.Match, entry: Entry | None) -> tuple[int, _Qualifier]:
    printed = "/CP" if m["slash"] else " " + normalise_unicode(_expand_word(m["word"]))
    return m.end(), _Qualifier(printed, "chính phủ" if m["slash"] or "chính" in printed.lower() else fold(printed), "central", "central")


def _read_party(text: str, m: regex.Match, entry: Entry) -> tuple[int, _Qualifier]:
    word = normalise_unicode(_expand_word(m["word"]))
    word = word[0].upper() + word[1:].lower() if word.isupper() else word
    level = "central" if fold(word).startswith("trung ương") else entry.level
    if m["place"]:
        word += " " + _clean_place(m["place"])
    return m.end(), _Qualifier(" " + word, fold(word), level, "party")


def _read_place(text: str, m: regex.Match, entry: Entry) -> tuple[int, _Qualifier]:
    place = _clean_place(m["place"])
    return m.end(), _Qualifier(" " + place, fold(place), entry.level, "place")


def _read_topic(text: str, m: regex.Match, entry: Entry) -> tuple[int, _Qualifier]:
    words = SPACES.sub(" ", m["words"]).strip(" ,")
    fillers = tuple(f + " " for f in gazetteer()["qualifiers"]["topic_fillers"])
    key = fold(words)
    key = key[len(next((f for f in fillers if key.startswith(f)), "")) :]
    return m.end(), _Qualifier(f" về {words}", f"về {key}", entry.level, "topic")


# The reader of each alternative of qualifiers_re, by its group's name.
_READERS = {
    "central": _read_central,
    "province": _read_province,
    "level": _read_level,
    "named": _read_named,
    "units": _read_units,
    "party": _read_party,
    "place": _read_place,
    "topic": _read_topic,
}


def _with_term(text: str, end: int, qualifier: _Qualifier | None, entry: Entry) -> tuple[int, _Qualifier | None]:
    """"Ban Chấp hành Trung ương khóa XII": the term of a Party or elected body that takes one, kept in its name."""
    if not (m := _match_at(qualifier_res()["term"], text, end)):
        return end, qualifier
    term = f" {fold(m['word'])} {m['term']}"
    if qualifier is None:
        return m.end(), _Qualifier(term, fold(term), entry.level, "term")
    return m.end(), _Qualifier(qualifier.text + term, f"{qualifier.key} {fold(term)}", qualifier.level, qualifier.kind)


def _expand_word(word: str) -> str:
    word = SPACES.sub(" ", word)
    return acronyms()["in_names"].get(word) or acronyms()["whole"].get(word) or word


def _parse_owner(text: str, pos: int, depth: int) -> tuple[int, _Qualifier] | None:
    res = qualifier_res()
    if depth == 0 and (sep := _match_at(res["owner_sep"], text, pos)):
        # An owner is a known name, which begins with a capital.
        owner = _match_known(text, sep.end(), depth + 1) if text[sep.end() : sep.end() + 1].isupper() else None
        if owner is not None and owner.entry is not None and owner.entry.owns and owner.span[0] == sep.end():
            printed_sep = SPACES.sub(" ", sep.group()).lower()
            printed_sep = printed_sep if printed_sep.strip() else " "
            owner_name = owner.base + (owner.qualifier.text if owner.qualifier else "")
            printed_sep = _LONG_DASH.sub("-", printed_sep)
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
    printed = m.group()
    if not printed[0].isupper():
        return None
    surface = surface_of(printed)
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
        if entry.bare is None or normalised_key(printed) != surface_key(entry.bare):
            return None
        return _Found((m.start(), end), None, entry.bare, None, None)
    if "term" in entry.qualify:
        end, qualifier = _with_term(text, end, qualifier, entry)
    return _Found((m.start(), end), entry, entry.name, qualifier, surface.acronym)


def _generic(text: str, m: regex.Match) -> _Found | None:
    """A name the gazetteer lacks, if it is not one of the excluded look-alikes."""
    start, end = m.start(), _body_end(text, m)
    printed = SPACES.sub(" ", text[start:end])
    if printed.startswith(_not_names()):
        return None
    if surface_key(printed) in surfaces() or _verb_after_known(text, start, end):
        return None  # a gazetteer name that lacked its required qualifier, or then the sentence's verb
    base = expand_unknown(_clean_generic(printed))
    qualifier = None
    if parsed := _parse_local(text, end):
        end, qualifier = parsed
    return _Found((start, end), None, base, qualifier, None)


@functools.cache
def _not_names() -> tuple[str, ...]:
    """The beginnings of look-alikes that are no body's name, normalised."""
    return tuple(normalise_unicode(x) for x in gazetteer()["generic"]["not_names"])


def _verb_after_known(text: str, start: int, end: int) -> bool:
    """"Ban Chỉ đạo quyết định …": a gazetteer name followed only by lower-case words is that
    name and then the sentence's verb, not a longer name."""
    known = _match_at(known_re(), text, start)
    return known is not None and known.end() < end and not _CAPITAL.search(text[known.end() : end])


def _body_end(text: str, m: regex.Match) -> int:
    """Where a generic name ends: before a comma or "và" that opens the next body of a list
    ("Hội Cựu chiến binh, Đoàn Thanh niên …")."""
    for joiner in _BODY_JOINER.finditer(text, m.start("body"), m.end()):
        after = joiner.end()
        if any(_match_at(p, text, after) for p in (generic_heads_re(), known_re(), list_breakers_re())):
            return joiner.start()
    return m.end()


def _is_surface(m: regex.Match) -> bool:
    return m.group()[0].isupper() and surface_of(m.group()) is not None


def _company(text: str, m: regex.Match) -> _Found | None:
    """A company named by its head and legal form, up to its last capitalised word or number;
    a run of lower-case words after a capitalised one ends it ("… Sài Gòn rà soát danh sách …")."""
    words = list(_COMPANY_WORD.finditer(text, m.start("body"), m.end("body")))
    lower_run = 0
    for index, word in enumerate(words):
        lower_run = lower_run + 1 if word.group()[0].islower() else 0
        if lower_run > MAX_COMPANY_LOWER_RUN and any(w.group()[0].isupper() for w in words[:index]):
            words = words[: index - lower_run + 1]
            break
    while words and not (words[-1].group()[0].isupper() or words[-1].group().isdigit()):
        words.pop()
    if not any(w.group()[0].isupper() for w in words) or (m["form"] is None and words and not words[0].group()[0].isupper()):
        return None
    end = words[-1].end()
    name = SPACES.sub(" ", text[m.start() : end])
    return _Found((m.start(), end), None, _clean_generic(name), None, None)


def _clean_generic(printed: str) -> str:
    base = _SPACED_LONG_DASH.sub(" - ", printed)
    base = _SPACED_COMMA.sub(", ", base)
    return _HYPHEN.sub(" - ", base) if " - " in base else base


def scan(text: str, heads: list[int] | None = None) -> list[_Found]:
    """Every name in order, non-overlapping; a gazetteer name wins over a company, a company
    over a generic name. ``heads`` are the text's head_starts, when the caller has them.

    A generic name can only begin at a head word, and is looked for there only when it
    would be read: before the next known name or company, or where one of those begins
    but was not read. Most head words begin a known name, which wins."""
    heads = head_starts(text) if heads is None else heads
    generic_pattern = generic_re()
    # Every known name at every position, found in one call: the regex module takes some
    # microseconds to set up each call on a pattern the size of the gazetteer's.
    knowns = list(known_re().finditer(text, overlapped=True))
    known_starts = [m.start() for m in knowns]
    known, company = knowns[0] if knowns else None, company_search(text)
    found: list[_Found] = []
    pos = head = next_known = 0
    while pos < len(text):
        # A match still ahead of pos is the one a new search would find: searching again
        # on every step made a long document quadratic.
        if known is not None and known.start() < pos:
            next_known = bisect.bisect_left(known_starts, pos, next_known)
            known = knowns[next_known] if next_known < len(knowns) else None
        if company is not None and company.start() < pos:
            company = company_search(text, pos)
        first = len(text) if known is None else known.start()
        if company is not None and company.start() < first:
            first = company.start()
        head = bisect.bisect_left(heads, pos, head)
        generic = None
        while head < len(heads) and heads[head] < first and not (generic := generic_pattern.match(text, heads[head])):
            head += 1
        if generic is not None:
            start, hit = generic.start(), _generic(text, generic)
        elif first == len(text):
            break
        else:
            start, hit = first, None
            if known is not None and known.start() == start:
                hit = _accept(text, known, 0)
            if hit is None and company is not None and company.start() == start:
                hit = _company(text, company)
            if hit is None and head < len(heads) and heads[head] == start and (generic := generic_pattern.match(text, start)):
                hit = _generic(text, generic)
        if hit is None:
            # The words of a gazetteer name printed without the qualifier it needs ("Ủy ban
            # MTTQVN và các tổ chức …") name no other body.
            pos = known.end() if known is not None and known.start() == start and _is_surface(known) else start + 1
            continue
        found.append(hit)
        pos = hit.span[1]
    return found


def _shared_head_items(text: str, heads: list[int]) -> list[_Found]:
    """"các Trung tâm: Văn hóa - Thể thao, Văn hóa, Thông tin - Thể thao": each item is the
    head word plus the item, when that is a gazetteer name; a qualifier after the last item
    belongs to them all. ``heads`` are the text's head_starts, where such a list can begin
    ("Các Sở, ngành:" is no longer than a name: its colon is looked for within a name's length,
    first with str.find, which rules out about half the head words for a tenth of a match;
    then the comma or colon right after the head word, with the re module)."""
    found = []
    pattern, starts, end = shared_head_re(), shared_head_starts_re(), 0
    for start in heads:
        if start < end or text.find(":", start, start + MATCH_WINDOW) < 0 or not starts.match(text, start):
            continue
        if not (m := _match_at(pattern, text, start)):
            continue
        end = m.end()
        items = _list_items(text, normalise_unicode(m["head"]), m.end())
        last = items[-1].qualifier if items else None
        found += [i if i.qualifier or last is None else _Found(i.span, i.entry, i.base, last, i.acronym) for i in items]
    return found


def _continued_lists(text: str, found: list[_Found]) -> list[_Found]:
    """"Bộ Lao động - Thương binh và Xã hội, Tài chính, Y tế": a gazetteer name whose head
    word the next items share, each item read as "<head> <item>" against the gazetteer and
    kept only where it ends as a list item does."""
    items: list[_Found] = []
    for hit in found:
        if hit.entry is None or hit.qualifier is not None:
            continue
        head = hit.entry.head
        joiner = _ITEM_JOINER.match(text, hit.span[1]) if head else None
        if joiner is None or not text[joiner.end() : joiner.end() + 1].isupper():
            continue
        for item in _list_items(text, head, joiner.end()):
            if not _match_at(item_end_re(), text, item.span[1]):
                break
            items.append(item)
    return items


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
    key = name_key(hit.base) + "|" + (qualifier.key if qualifier else "")
    # Arguments by position: a frozen dataclass is made in 0.9 us so, 1.2 us by keyword (~30 a document).
    return AgencyName(name, level, hit.acronym, hit.entry is not None, key)


def find_agency_mentions(text: str) -> list[AgencyMention]:
    """Every agency mention in ``text`` (normalised, as every stage after ingest reads it),
    in order. Works on text with line breaks inside names."""
    heads = head_starts(text)
    found = scan(text, heads)
    shared = _shared_head_items(text, heads) + _continued_lists(text, found)
    found = _share_qualifiers(text, sorted(_not_overlapped(found, shared) + shared, key=lambda f: f.span))
    return [AgencyMention(hit.span, agency_name(hit), text[hit.span[0] : hit.span[1]]) for hit in found]


def _not_overlapped(found: list[_Found], items: list[_Found]) -> list[_Found]:
    """The names of ``found`` (in text order, apart) that no item overlaps, in one sweep
    rather than every pair: a long text has thousands of each."""
    spans = sorted(item.span for item in items)
    kept: list[_Found] = []
    index, reach = 0, -1  # reach: the furthest end of the items that begin before the name ends
    for hit in found:
        while index < len(spans) and spans[index][0] < hit.span[1]:
            reach = max(reach, spans[index][1])
            index += 1
        if reach <= hit.span[0]:
            kept.append(hit)
    return kept


# --------------------------------------------------------------------------- names the gazetteer lacks


def expand_unknown(cleaned: str) -> str:
    """Acronyms expanded word by word; an all-capitals name put in running-text capitals.
    ``cleaned`` is normalised text (pipeline.text), so each of its words is too."""
    if cleaned.isupper():  # in capitals an acronym cannot be told from a word ("ĐẦU TƯ")
        name = _gazetteer_casing(cleaned[0] + cleaned[1:].lower())
        for (start, end), province in _province_spans(name):
            name = name[:start] + province + name[end:]
        return name
    expansions = _word_expansions()
    return " ".join([expansions.get(w, w) for w in cleaned.split(" ")])


@functools.cache
def _word_expansions() -> dict[str, str]:
    """Each acronym a word may be, with its expansion normalised."""
    return {word: normalise_unicode(expansion) for word, expansion in {**acronyms()["in_names"], **acronyms()["whole"]}.items()}


def _gazetteer_casing(name: str) -> str:
    """The longest start of an unknown name that begins a gazetteer name takes that name's capitals."""
    words = name.split()
    for n in range(len(words), 0, -1):
        cased = prefix_casing().get(fold(" ".join(words[:n])))
        if cased:
            return " ".join([cased, *words[n:]])
    return name


def _province_spans(text: str) -> list[tuple[Span, str]]:
    return [(m.span(), canonical_province(m.group()) or m.group()) for m in _any_case_province().finditer(text)]


@functools.cache
def _any_case_province() -> regex.Pattern:
    return regex.compile(any_case_province_pattern())
