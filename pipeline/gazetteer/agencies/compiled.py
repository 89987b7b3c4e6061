"""The agency gazetteer (models/agencies.yaml, models/acronyms.yaml) compiled once per process
into a character-trie regex: every name, spelling variant and abbreviated form ("Sở VHTTDL",
"UBND tỉnh", "Đài PT&TH tỉnh") is one path; beside it, the patterns of the qualifiers that
may follow a name and of the names the gazetteer lacks.

A regex rather than spaCy's SpanRuler: the same patterns without tokenising each
document, which keeps the finder in the sub-millisecond range per page.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

from pipeline.gazetteer.provinces import province_pattern
from pipeline.rules import load_model, places, trie_of
from pipeline.text import WHITESPACE_RUN, fold, normalise_unicode

LEVELS = ("central", "province", "district", "commune", "unit")
QUALIFIER_KINDS = ("local", "central", "party", "owner", "place", "term", "topic")
LOCAL = frozenset({"local"})
# The qualifiers a name may take, by kind, in the order they are tried: the first that
# follows the name is its qualifier (the owner, which reads a name, and the term come after).
QUALIFIER_ORDER = (
    ("central", "central"),
    ("local", "province"),
    ("local", "level"),
    ("local", "named"),
    ("local", "units"),
    ("party", "party"),
    ("place", "place"),
    ("topic", "topic"),
)

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]")
SPACES = regex.compile(r"\s+")
_WORD_CHAR = regex.compile(r"\w")
# A comma or a dash between the words of a name may be printed as the other, or left out
# ("Sở Văn hóa - Thể thao và Du lịch", "Bộ Lao động Thương binh và Xã hội"): one key for all.
# A key drops them and white space (regex's \s: pipeline.text.WHITESPACE_RUN) in one pass
# of the re module.
_KEY_DROPS = re.compile(r"[-–—,]|" + WHITESPACE_RUN.pattern)
_LOOSE_JOIN = r"(?:\s*[-–—,]|(?=\s))"
# Where one case-sensitive character's group meets the next ("(?-i:U)(?-i:B)"): the two are
# written as one group ("(?-i:UB)"), the same characters to the regex module, whose parser
# (pure Python, paid by every worker process before its first file) takes about 40 µs a
# group. An acronym's letters are one atom each in the trie.
_CASED_SEAM = re.compile(r"(?:(?<=\(\?-i:[^\\()])|(?<=\(\?-i:\\.))\)\(\?-i:(?=(?:[^\\()]|\\.)\)(?![?*+{]))")
_PUNCT_PATTERN = {"-": _LOOSE_JOIN, ",": _LOOSE_JOIN, "&": "&", "/": "/", ".": r"\."}


@dataclass(frozen=True)
class Entry:
    """One body of models/agencies.yaml: its name, level and the qualifiers it takes."""

    name: str
    level: str
    qualify: frozenset[str]
    required: bool
    owns: bool
    bare: str | None = None  # the national body the name names printed without a qualifier
    head: str | None = None  # the generic head word the name begins with, shared by a list's next items


@dataclass(frozen=True)
class _Surface:
    entry: Entry
    acronym: str | None  # the printed abbreviation, when the surface is one
    implied: str | None  # qualifier an acronym carries ("CAT" = Công an + "tỉnh")


# --------------------------------------------------------------------------- data


@functools.cache
def acronyms() -> dict[str, dict[str, str]]:
    data = load_model("acronyms")
    return {"in_names": dict(data["in_names"]), "whole": dict(data["whole"])}


@functools.cache
def gazetteer() -> dict[str, Any]:
    return load_model("agencies")


@functools.cache
def _entries() -> tuple[Entry, ...]:
    heads = sorted((normalise_unicode(h) for h in gazetteer()["generic"]["heads"]), key=len, reverse=True)
    entries = []
    for item in gazetteer()["agencies"]:
        name = normalise_unicode(item["name"])
        entries.append(
            Entry(
                name=name,
                level=item["level"],
                qualify=frozenset(item.get("qualify", [])),
                required=bool(item.get("required", False)),
                owns=bool(item.get("owns", False)),
                bare=normalise_unicode(item["bare"]) if item.get("bare") else None,
                head=next((h for h in heads if name.startswith(h + " ")), None),
            )
        )
    return tuple(entries)


@functools.cache
def _name_keys() -> dict[str, str]:
    keys = {}
    for entry in _entries():
        for name in (entry.name, entry.bare):
            if name is not None:
                keys[name] = fold(name)
    return keys


def name_key(name: str) -> str:
    """fold(name), looked up for the gazetteer's own names: the first half of every key."""
    key = _name_keys().get(name)
    return key if key is not None else fold(name)


def _abbreviations(form: str) -> Iterable[tuple[str, str | None]]:
    """A name and each form of it with parts abbreviated ("Ủy ban nhân dân tỉnh" -> "UBND tỉnh")."""
    yield form, None
    hits = [(a, e) for a, e in _expansions() if e in form and _has_words(form, e)]
    for size in (1, 2):
        for combo in itertools.combinations(hits, size):
            short, used = form, []
            for acronym, expansion in combo:
                if expansion in short:
                    short = short.replace(expansion, acronym, 1)
                    used.append(acronym)
            if len(used) == size:
                yield short, " ".join(used)


@functools.cache
def _expansions() -> list[tuple[str, str]]:
    """Each acronym of names and its expansion: every name of the gazetteer is tried against every expansion."""
    return [(acronym, normalise_unicode(expansion)) for acronym, expansion in acronyms()["in_names"].items()]


def _has_words(form: str, words: str) -> bool:
    """Whether ``words`` stand in ``form`` as whole words, neither of their ends inside a word
    (regex's \\w). Hand-written: the pattern of each of the 37 expansions would take the regex
    module's parser 7 ms to compile, which every worker process pays."""
    pos = form.find(words)
    while pos >= 0:
        end = pos + len(words)
        if not (pos and _WORD_CHAR.match(form, pos - 1)) and not _WORD_CHAR.match(form, end):
            return True
        pos = form.find(words, pos + 1)
    return False


def surface_key(text: str) -> str:
    """Lookup key of a printed name: tone-normalised, lower case, no spaces, one kind of dash."""
    return normalised_key(normalise_unicode(text))


def normalised_key(text: str) -> str:
    return _KEY_DROPS.sub("", text.lower())


@functools.cache
def surfaces() -> dict[str, _Surface]:
    """surface_key(printed form) -> the entry it names, for every form of every entry."""
    by_key: dict[str, _Surface] = {}
    for entry, item in zip(_entries(), gazetteer()["agencies"]):
        forms = [entry.name, *(normalise_unicode(v) for v in item.get("variants", []))]
        for form in forms:
            for short, acronym in _abbreviations(form):
                by_key.setdefault(surface_key(short), _Surface(entry, acronym and short, None))
        for acronym in item.get("acronyms", []):
            by_key.setdefault(surface_key(acronym), _Surface(entry, acronym, None))
    by_name = {e.name: e for e in _entries()}
    for acronym, expansion in acronyms()["whole"].items():
        expansion = normalise_unicode(expansion)
        base = max((n for n in by_name if expansion == n or expansion.startswith(n + " ")), key=len, default=None)
        if base is not None:
            implied = expansion[len(base) :].strip() or None
            by_key.setdefault(surface_key(acronym), _Surface(by_name[base], acronym, implied))
    return by_key


@functools.cache
def _printed_surfaces() -> dict[str, _Surface]:
    """surfaces() by a name exactly as the gazetteer prints it, or in capitals, as most
    texts print it: found without building its key first, which takes most of the lookup."""
    by_print = {}
    for form in _printed_forms():
        for printed in (form, form.upper()):
            if (surface := surfaces().get(normalised_key(printed))) is not None:
                by_print[printed] = surface
    return by_print


def surface_of(printed: str) -> _Surface | None:
    """The entry a printed name (a match of known_re) is a form of, if any."""
    surface = _printed_surfaces().get(printed)
    return surface if surface is not None else surfaces().get(normalised_key(printed))


@functools.cache
def prefix_casing() -> dict[str, str]:
    """Folded word prefixes of every gazetteer name -> their capitalisation ("ban chỉ đạo" -> "Ban Chỉ đạo")."""
    casing: dict[str, str] = {}
    for entry in _entries():
        words = entry.name.split()
        for n in range(1, len(words) + 1):
            casing.setdefault(fold(" ".join(words[:n])), " ".join(words[:n]))
    return casing


# --------------------------------------------------------------------------- patterns


def _is_acronym(token: str) -> bool:
    return any(c.isupper() for c in token[1:])


def _atoms(form: str) -> list[str]:
    """A printed form as regex atoms, one character each (an acronym's letters in their
    own case), with the separator that may precede each word or punctuation mark."""
    tokens = _TOKEN.findall(form)
    atoms: list[str] = []
    for i, token in enumerate(tokens):
        if i > 0:
            loose = token in _PUNCT_PATTERN or tokens[i - 1] in _PUNCT_PATTERN
            loose = loose or (_is_acronym(tokens[i - 1]) and token[0].isdigit())
            atoms.append(r"\s*" if loose else r"\s+")
        if token in _PUNCT_PATTERN:
            atoms.append(_PUNCT_PATTERN[token])
        elif len(token) == 1 and not token.isalnum():
            atoms.append(regex.escape(token))  # a punctuation mark, always a token of its own
        elif _is_acronym(token):
            atoms += [f"(?-i:{c})" for c in token]  # letters, marks and digits need no escape
        else:
            atoms += token.lower()
    return atoms


def _trie(forms: Iterable[str]) -> str:
    """Printed forms as a trie of their atoms."""
    return _CASED_SEAM.sub("", trie_of(_atoms(f) for f in forms))


def _alternation(words: Iterable[str]) -> str:
    """Words or phrases as one alternation, longest first, spaces loose; case-insensitive
    in a case-insensitive pattern, except for acronyms."""
    forms = sorted({normalise_unicode(w) for w in words}, key=len, reverse=True)
    return "(?:" + _trie(forms) + ")"


def _literal_alternation(words: Iterable[str]) -> str:
    """Words exactly as written (one space, their own case), longest first."""
    forms = sorted({normalise_unicode(w) for w in words}, key=len, reverse=True)
    return "(?:" + trie_of([regex.escape(c) for c in f] for f in forms) + ")"


@functools.cache
def known_re() -> regex.Pattern:
    capitalised = _CASED_SEAM.sub("", trie_of(_capital_first(_atoms(form)) for form in _printed_forms()))
    return regex.compile(r"(?-i:(?=\p{Lu}))(?<![\p{L}\p{M}\p{N}/&-])" + capitalised + r"(?![\p{L}\p{M}\p{N}])", regex.I)


def _capital_first(atoms: list[str]) -> list[str]:
    """A name's atoms with its first letter the capital the look-ahead wants, in its own case:
    the one capital of normalised (NFC) text that the letter matches without case. The regex
    module compares a capital with it in one step, not through the letter's cases, and the
    trie's capital-led names share a branch with its acronyms: 14 % of known_re's scan."""
    first = atoms[0]
    return [f"(?-i:{first.upper()})", *atoms[1:]] if len(first) == 1 and first.islower() else atoms


@functools.cache
def _printed_forms() -> frozenset[str]:
    """Every printed form of every name, for building the trie: forms of one lookup key
    differ in their joining punctuation ("LĐ-TBXH", "LĐTBXH"), which the trie must see."""
    forms: set[str] = set()
    for entry, item in zip(_entries(), gazetteer()["agencies"]):
        for form in [entry.name, *(normalise_unicode(v) for v in item.get("variants", []))]:
            forms.update(short for short, _ in _abbreviations(form))
        forms.update(item.get("acronyms", []))
    forms.update(acronyms()["whole"])
    return frozenset(forms)


@functools.cache
def _qualifier_sources() -> dict[str, str]:
    """Each qualifier's pattern source, case-insensitive but for its place names, which say so inside."""
    q = gazetteer()["qualifiers"]
    unit = "(?:" + _alternation(q["unit_words"]) + "|" + _alternation(q["unit_abbreviations"]) + r"\.?)"
    sub_provincial = _alternation(w for w, level in q["unit_words"].items() if level != "province")
    gap = r"[^\S\n]*\n?[^\S\n]*"
    province = province_pattern()
    joiner = r"(?:\s*,\s*|\s+và\s+)"
    # A place as printed in running text ("Thanh Hà") or in a header's capitals ("THANH HÀ").
    name = r"(?-i:\p{Lu}[\p{Ll}\p{M}]*(?:[^\S\n]+\p{Lu}[\p{Ll}\p{M}]*){0,3}|\p{Lu}[\p{Lu}\p{M}]*(?:[^\S\n]+\p{Lu}[\p{Lu}\p{M}]*){0,3})"
    of = rf"(?:{_alternation([q['possessive']])}\s+)?"
    return {
        "province": rf"\s+{of}(?P<unit>{unit})\s+(?P<place>{province})",
        "level": rf"\s+(?P<word>{_alternation([q['level_word']])})\s+(?P<lvl>{_alternation(q['levels'])})(?![\p{{L}}\p{{N}}])",
        "named": rf"{gap}(?<=\s)(?P<unit>{sub_provincial}){gap}(?<=\s)(?P<place>{name})(?![\p{{L}}\p{{N}}])",
        "units": rf"\s+{of}(?P<coll>{_alternation([q['collective']])}\s+)?(?P<list>{unit}(?:{joiner}{unit})*)(?![\p{{L}}\p{{N}}])",
        "central": rf"(?:\s+{of}(?P<word>{_alternation([c for c in q['central'] if not c.startswith('/')])})|\s*(?P<slash>/\s*(?-i:CP)))(?![\p{{L}}\p{{N}}])",
        "party": rf"\s+(?P<word>{_alternation([*q['party'], 'TU', 'TW'])})(?:[^\S\n]+(?P<place>{province}))?(?![\p{{L}}\p{{N}}])",
        "term": rf"\s+(?P<word>{_alternation([q['term_word']])})\s+(?P<term>(?-i:[IVXLC]+))(?![\p{{L}}\p{{N}}])",
        "units_suffix": rf"\s+(?P<word>{_alternation(q['units_suffix'])})(?![\p{{L}}\p{{N}}])",
        "topic": (
            rf"\s+{_alternation([q['topic_word']])}(?P<words>(?:\s*,?\s+(?!{_alternation(q['topic_stopwords'])}(?![\p{{L}}\p{{M}}]))"
            rf"(?-i:\p{{Ll}}[\p{{Ll}}\p{{M}}]*)){{1,{int(q['topic_max_words'])}}})"
        ),
        "owner_word": rf"\s+(?P<word>{_alternation(q['owner_words'])})(?![\p{{L}}\p{{M}}\p{{N}}])(?!\s+(?-i:\p{{Lu}}\p{{Ll}}))",
        "owner_sep": rf"\s*(?:,|[-–])\s*|\s+{_alternation([q['possessive']])}\s+|\s+",
        "place": rf"\s+(?P<place>{province})",
        "unit_word": unit,
    }


# The qualifiers a reader matches on their own; the others only through qualifiers_re.
READ_ALONE = ("units_suffix", "unit_word", "term", "owner_sep", "owner_word")


@functools.cache
def qualifier_res() -> dict[str, regex.Pattern]:
    """The qualifiers of READ_ALONE, compiled (the regex module's compiling is slow, and
    every worker process pays it before its first file)."""
    sources = _qualifier_sources()
    return {name: regex.compile(sources[name], regex.I) for name in READ_ALONE}


@functools.cache
def units_suffix_starts_re() -> re.Pattern:
    """How every match of the "units_suffix" qualifier begins, as the re module reads it:
    white space, then the first word of one of its forms without case (re's \\s and case
    take all that regex's do there). Tried first: most lists of units have no suffix, and
    this match takes 0.3 us against the regex pattern's 1.1 (12 lists a document)."""
    return _after_space_re(r"\s+", {normalise_unicode(form).split()[0] for form in gazetteer()["qualifiers"]["units_suffix"]})


def _after_space_re(space: str, words: set[str]) -> re.Pattern:
    """``space`` (white space as a re pattern), then one of ``words`` without case: where a
    qualifier's match can begin, for the re module to tell before the regex pattern is tried."""
    return re.compile(space + "(?i:" + "|".join(re.escape(word) for word in sorted(words)) + ")")


QualifierRun = tuple[regex.Pattern, tuple[tuple[int, str], ...], re.Pattern | None]


@functools.cache
def qualifiers_re(kinds: frozenset[str]) -> tuple[QualifierRun, ...]:
    """The qualifiers of ``kinds`` as patterns to try in turn, one for each run of
    QUALIFIER_ORDER's alternatives of one kind (the four local ones are one), with (group
    number, qualifier) for each alternative: the first that matches at a name's end holds
    the first qualifier that follows it, as the alternation of them all would. One pattern
    a kind, not one a set of kinds: each alternative is compiled once. Each comes with a
    pattern of the re module that every match of it begins with, or None."""
    allowed = [(kind, name) for kind, name in QUALIFIER_ORDER if kind in kinds]
    return tuple(_run_re(tuple(name for _, name in run)) for _, run in itertools.groupby(allowed, key=lambda pair: pair[0]))


@functools.cache
def _run_re(names: tuple[str, ...]) -> QualifierRun:
    """Qualifiers as one alternation, one match instead of one a qualifier."""
    sources = _qualifier_sources()
    pattern = regex.compile("|".join(f"(?P<q_{name}>{sources[name]})" for name in names), regex.I)
    local = {name for kind, name in QUALIFIER_ORDER if kind == "local"}
    # By number: the regex module takes a microsecond to find a group by its name, a fifth of that by its number.
    return pattern, tuple((pattern.groupindex[f"q_{name}"], name) for name in names), local_starts_re() if local.issuperset(names) else None


@functools.cache
def local_starts_re() -> re.Pattern:
    """How every match of the local qualifiers begins, as the re module reads it: white space
    (or none: "named" may find it before), then without case "của", "các", the level word or
    the first word of a unit word or abbreviation (re's \\s and case take all that regex's do
    there). Tried first: of the ~26 places a document tries the local run at, ~10 hold none; this
    match costs ~1.5 thousand instructions against ~20 thousand for the local run's pattern
    (the regex module sets up its hundreds of repeats on every call)."""
    q = gazetteer()["qualifiers"]
    words = [q["possessive"], q["collective"], q["level_word"], *q["unit_words"], *q["unit_abbreviations"]]
    return _after_space_re(r"\s*+", {_TOKEN.findall(normalise_unicode(word))[0].lower() for word in words})


@functools.cache
def generic_re() -> regex.Pattern:
    g = gazetteer()["generic"]
    stop = _alternation(g["stopwords"])
    cap = r"(?:\p{Lu}[\p{Ll}\p{M}]*\p{N}*|\p{Lu}{2,}\p{N}*)"
    # A unit word before a place's name begins the name's qualifier ("Cục Thuế tỉnh Lào Cai").
    place_ahead = rf"(?:{_alternation(gazetteer()['qualifiers']['unit_words'])})\s+\p{{Lu}}"
    lower = rf"(?:\s+(?!{stop}(?![\p{{L}}\p{{M}}]))(?!{place_ahead})\p{{Ll}}[\p{{Ll}}\p{{M}}]*)"
    chunk = rf"{cap}{lower}{{0,{int(g['max_lower_syllables'])}}}"
    # A dash joins parts of one name ("Phòng Lao động - Việc làm"), also at a line's end, but
    # never at a line's start: "\n- " opens a bullet.
    joiner = r"(?:\s*,\s*|\s+và\s+|[^\S\n]*[-–]\s*|\s+)"
    heads = _literal_alternation(g["heads"])
    return regex.compile(
        rf"(?<![\p{{L}}\p{{M}}\p{{N}}/-])(?P<head>{heads})\s+(?P<body>{chunk}(?:{joiner}{chunk})*)(?![\p{{L}}\p{{M}}\p{{N}}])"
    )


@functools.cache
def _head_words_re() -> re.Pattern:
    heads = sorted({normalise_unicode(h) for h in gazetteer()["generic"]["heads"]}, key=len, reverse=True)
    return re.compile("|".join(re.escape(h) for h in heads))


def head_starts(text: str) -> list[int]:
    """Every position where a generic head word begins, overlapping ones too: the only places
    where generic_re and shared_head_re can match. The re module finds these few plain words
    in a fifth of the time the regex module takes to try those patterns at every position."""
    pattern = _head_words_re()
    starts = []
    found = pattern.search(text)
    while found is not None:
        starts.append(found.start())
        found = pattern.search(text, found.start() + 1)
    return starts


@functools.cache
def generic_heads_re() -> regex.Pattern:
    """A head word of a name the gazetteer lacks, standing at a name's start."""
    heads = _literal_alternation(gazetteer()["generic"]["heads"])
    return regex.compile(rf"(?-i:{heads})\s+(?-i:\p{{Lu}})")


@functools.cache
def shared_head_re() -> regex.Pattern:
    """"các Sở: Tư pháp, Y tế", "Các Sở, ngành: Xây dựng, Tài chính": one head word for a list."""
    g = gazetteer()["generic"]
    heads = _literal_alternation(g["heads"])
    others = _alternation(g["shared_head_others"])
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}\p{{N}}])(?P<head>{heads})(?:\s*,\s*{others})*\s*:\s*(?=\p{{Lu}})")


@functools.cache
def shared_head_starts_re() -> re.Pattern:
    """How every match of shared_head_re begins, as the re module reads it: a head word, then
    a comma or a colon after any white space (re's \\s takes all of regex's). Tried first, it
    rules out most head words for a fraction of shared_head_re's match (0.3 against 1.1 us)."""
    return re.compile("(?:" + _head_words_re().pattern + r")\s*[,:]")


@functools.cache
def list_breakers_re() -> regex.Pattern:
    """Words after a comma or "và" that begin no body's name (an official's title)."""
    return regex.compile(rf"(?-i:(?=\p{{Lu}})){_alternation(gazetteer()['generic']['list_breakers'])}(?![\p{{L}}\p{{M}}])", regex.I)


@functools.cache
def item_end_re() -> regex.Pattern:
    """What may follow the last body of a list: punctuation, a joiner, or a word that
    begins the rest of the sentence."""
    words = _alternation(gazetteer()["generic"]["list_end_words"])
    return regex.compile(rf"\s*(?:[,;:.()\n]|[-–]\s|$)|\s+{words}(?![\p{{L}}\p{{M}}])", regex.I)


@functools.cache
def _company_heads_re() -> re.Pattern:
    """A company's head as the re module reads it, where company_re can begin: the first
    letter the capital company_re's look-ahead wants (the one capital that matches it
    without case), the rest without case, any white space between the words (re's \\s takes
    all of the regex module's, and \\x1c-\\x1f besides)."""
    heads = {normalise_unicode(head) for head in gazetteer()["companies"]["heads"]}
    return re.compile(
        "|".join(re.escape(h[0].upper()) + "(?i:" + r"\s+".join(re.escape(w) for w in h[1:].split(" ")) + ")" for h in sorted(heads))
    )


@functools.cache
def _company_openings() -> tuple[str, ...]:
    """The first two letters of every company head as _company_heads_re takes them: its
    capital, then the second letter in either case (the only characters re matches it with
    without case)."""
    heads = {normalise_unicode(head) for head in gazetteer()["companies"]["heads"]}
    return tuple(sorted({h[0].upper() + second for h in heads for second in (h[1].lower(), h[1].upper())}))


def company_search(text: str, pos: int = 0) -> regex.Match | None:
    """``company_re().search(text, pos)``, tried only where a company's head stands (overlapping
    heads too), and most documents name no company. The places where a head may stand are
    its first two letters, found by str.find: re's search for the heads reads a page at
    some 75 instructions a character, the six finds at under 5 (a document's company
    searches 549 -> 290 thousand instructions)."""
    starts = [start for opening in _company_openings() for start in places(text, opening, pos)]
    heads, company = _company_heads_re(), company_re()
    return next((m for start in sorted(starts) if heads.match(text, start) and (m := company.match(text, start))), None)


@functools.cache
def company_re() -> regex.Pattern:
    """A company: its head ("Công ty", "Tổng Công ty"), legal form, then words up to a
    sentence's stop word; the caller trims the name to its last capitalised word or number."""
    c = gazetteer()["companies"]
    stop = _alternation([w for w in [*gazetteer()["generic"]["stopwords"], *c["stopwords"]] if w != "và"])
    heads = _alternation(c["heads"])
    # "và" joins the words of one name ("Khai thác và Chế biến") unless another company follows.
    joined = rf"(?!và\s+(?:(?-i:\p{{Ll}})|{heads}))"
    word = rf"(?!{stop}(?![\p{{L}}\p{{M}}])){joined}(?:[\p{{L}}\p{{M}}]+|\d+(?![\p{{L}}\d]))"
    sep = r"(?:[^\S\n]*[-–&][^\S\n]*|\s+)"
    return regex.compile(
        rf"(?<![\p{{L}}\p{{M}}\p{{N}}])(?-i:(?=\p{{Lu}}))(?P<head>{heads})(?:\s+(?P<form>{_alternation(c['forms'])}))?"
        rf"(?P<body>(?:{sep}{word}){{1,{int(c['max_words'])}}})",
        regex.I,
    )
