"""OCR post-correction: misread words, abbreviations and numerals of OCRed pages repaired
against the genre's vocabulary, before segmentation (so spans index the corrected text).

Tesseract's `vie` model reads the letters right but often a diacritic wrong ("Thông tỉn",
"Tổ chúc", "KE HOẠCH"), splits a glyph in an abbreviation ("555/KH-BCPĐ") or misreads
the strokes of a roman numeral ("quý TII"). A spell checker of single words sees no error
in "tỉn" or "chúc": both are syllables. The evidence is the neighbours: a word is
replaced by the one form with other diacritics (or, for a non-word, one letter off) that
splits its neighbourhood into fewer known phrases ("tổ chức | hưởng ứng" against
"tổ | chúc | hưởng ứng") than the word read and every other form. Phrases are those of
underthesea's dictionary and of the gazetteers in models/; a capitalised word (a name)
is corrected only towards a gazetteer phrase, never towards common vocabulary.

Every rule changes a word only when one candidate is supported and the word read is not:
an ambiguous or already valid reading is kept; one phrase of evidence is enough only for
a word Tesseract itself doubted (ocr.yaml `doubtful_below`). Candidate search uses
rapidfuzz. Measured before and after: models/ocr_correction.yaml.
"""

from __future__ import annotations

import gc
import importlib.util
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import regex
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.cache import remembered
from pipeline.ingest.legacy import is_syllable
from pipeline.ingest.ocr import ROMAN, Doubt
from pipeline.ingest.ocr import settings as ocr_settings
from pipeline.records import RecordWarning
from pipeline.rules import load_model
from pipeline.text import normalise_unicode, strip_diacritics

_WORD = regex.compile(r"\p{L}+")
_ALPHANUMERIC = regex.compile(r"[\p{L}\d]+")
_ACRONYM = regex.compile(r"(?<![\p{L}\d])(?=[\p{Lu}\d]*\p{Lu})[\p{Lu}\d]{2,}(?![\p{L}\d])")
_TRAILING_DIGITS = regex.compile(r"\d+$")
_ACRONYM_LETTERS = regex.compile(r"[A-ZĐ\d]+")  # what abbreviations are spelt with


@dataclass(frozen=True)
class Correction:
    """One replacement on a page: what OCR read, what it became, and which rule did it."""

    start: int  # offset in the page's text as OCR read it
    read: str
    corrected: str
    rule: str  # word | acronym | numeral | date | stroke | stop | case | name


def settings() -> dict[str, Any]:
    return load_model("ocr_correction")


# --------------------------------------------------------------------------- vocabulary


def syllables_of(phrase: str) -> list[str]:
    """A phrase's words in lower case, normalised as page text is."""
    return _WORD.findall(normalise_unicode(phrase).lower())


@cache
def lexicon_path() -> Path:
    """The installed package's word list: the package itself is not imported (half a second)."""
    conf = settings()["lexicon"]
    spec = importlib.util.find_spec(conf["package"])
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"OCR correction needs the {conf['package']} package's word list")
    return Path(next(iter(spec.submodule_search_locations))) / conf["path"]


@cache
def dictionary_entries() -> tuple[tuple[str, ...], ...]:
    """The dictionary's words and phrases as word tuples, its file normalised whole (one call
    instead of one per line: 0.3 s less per process)."""
    text = normalise_unicode(lexicon_path().read_text(encoding="utf-8")).lower()
    return tuple(words for line in text.splitlines() if (words := line_words(line)))


def line_words(line: str) -> tuple[str, ...]:
    """A line's runs of letters: split at spaces when the line holds nothing else (``isalpha``
    is the letter categories that ``\\p{L}`` is), else found by _WORD; the dictionary's
    74,000 lines in 0.065 s instead of 0.12 s, paid by every worker's first scan."""
    words = line.split()
    return tuple(words) if "".join(words).isalpha() else tuple(_WORD.findall(line))


def gazetteer_phrases() -> Iterable[str]:
    """Names of models/: agencies, acronym expansions, provinces, document types, and the
    extra phrases of ocr_correction.yaml."""
    agencies = load_model("agencies")
    for entry in agencies["agencies"]:
        yield entry["name"]
        yield from entry.get("variants", [])
    yield from agencies["generic"]["heads"]
    acronyms = load_model("acronyms")
    yield from acronyms["in_names"].values()
    yield from acronyms["whole"].values()
    provinces = load_model("provinces")
    names = {p["name"] for key in ("before_2025", "from_2025") for p in provinces[key]}
    names |= {v for p in provinces["before_2025"] for v in p.get("variants", [])}
    yield from names
    # A province is printed after its level ("TỈNH LÀO CAI" under the committee's name):
    # without it, a doubted "TỈNH" after "VIỆT NAM" of the other column became "TÍNH" ("nam tính").
    yield from (f"{level} {name}" for name in names for level in ("tỉnh", "thành phố"))
    doc_types = load_model("doc_types")
    yield from (entry["name"] for entry in doc_types["types"])
    yield from doc_types["generic"]
    yield from settings()["phrases"]


@dataclass(frozen=True)
class Phrases:
    """Known phrases of two words or more, as word tuples, with the lengths of those
    that end in each word (what the segmentation below looks up) and every two words
    that follow each other in one (a reading in none of those pairs is in no phrase)."""

    keys: frozenset[tuple[str, ...]]
    lengths: dict[str, tuple[int, ...]]
    pairs: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, phrases: Iterable[tuple[str, ...]]) -> Phrases:
        keys = {key for key in phrases if len(key) > 1}
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in keys:
            lengths[key[-1]].add(len(key))
        pairs = frozenset(chain.from_iterable(map(pairwise, keys)))  # iterated in C: 0.02 s of 0.07
        return cls(frozenset(keys), {word: tuple(sorted(n)) for word, n in lengths.items()}, pairs)


@dataclass(frozen=True)
class Vocabulary:
    """The syllables, and the phrases that support a reading: ``common`` (the dictionary
    and the gazetteers) and ``names`` (the gazetteers only)."""

    syllables: frozenset[str]
    common: Phrases
    names: Phrases
    by_letters: dict[str, tuple[str, ...]]  # letters without diacritics -> syllables
    syllable_list: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    """Read from the cache (pipeline/cache.py) when it was built before from the same word
    list, code and models: 0.07 s against 0.19 s, at the first scanned page of every process
    (a run's fork server, each worker of a run of scanned PDFs). Read or built with the
    garbage collector paused: its 150,000 objects, made at once and kept for the process's
    life, are no garbage, and the collector's passes over them while they were made cost a
    fifth of the build (0.05 of 0.24 s)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return remembered("ocr-vocabulary", [lexicon_path().read_bytes()], built_vocabulary, _plain, _from_plain)
    finally:
        if collecting:
            gc.enable()


def built_vocabulary() -> Vocabulary:
    gazetteer = [tuple(syllables_of(phrase)) for phrase in gazetteer_phrases()]
    entries = dictionary_entries()
    syllables = frozenset(s for phrase in (*entries, *gazetteer) for s in phrase)
    by_letters: dict[str, list[str]] = defaultdict(list)
    for syllable in sorted(syllables):
        by_letters[strip_diacritics(syllable)].append(syllable)
    return Vocabulary(
        syllables=syllables,
        common=Phrases.of([*entries, *gazetteer]),
        names=Phrases.of(gazetteer),
        by_letters={key: tuple(value) for key, value in by_letters.items()},
        syllable_list=tuple(sorted(syllables)),
    )


def _plain(vocab: Vocabulary) -> tuple:
    phrases = [(p.keys, p.lengths, p.pairs) for p in (vocab.common, vocab.names)]
    return vocab.syllables, *phrases, vocab.by_letters, vocab.syllable_list


def _from_plain(plain: tuple) -> Vocabulary:
    syllables, common, names, by_letters, syllable_list = plain
    return Vocabulary(syllables, Phrases(*common), Phrases(*names), by_letters, syllable_list)


# --------------------------------------------------------------------------- words


def case_style(word: str) -> str | None:
    """lower, title or upper; None for mixed case (not a word as printed)."""
    if word == word.lower():
        return "lower"
    if word == word.upper():
        return "upper"
    if word == word[0].upper() + word[1:].lower():
        return "title"
    return None


def styled(word: str, style: str) -> str:
    return {"lower": word, "upper": word.upper(), "title": word[:1].upper() + word[1:]}[style]


def mark_distance(a: str, b: str) -> int:
    """Diacritics apart: the edit distance of the decomposed forms."""
    return Levenshtein.distance(unicodedata.normalize("NFD", a), unicodedata.normalize("NFD", b))


def candidates(word: str) -> list[str]:
    """Readings OCR may have garbled into ``word`` (lower case): the syllables with the
    same letters and other diacritics, and for a non-word also those one letter off."""
    conf = settings()["words"]
    vocab = vocabulary()
    found = [
        s
        for s in vocab.by_letters.get(strip_diacritics(word), ())
        if s != word and mark_distance(s, word) <= conf["max_mark_edits"]
    ]
    if word not in vocab.syllables:
        nearby = process.extract(
            word, vocab.syllable_list, scorer=Levenshtein.distance, score_cutoff=conf["max_letter_edits"], limit=None
        )
        found += [s for s, _, _ in nearby if s not in found]
    return found


def segment_cost(words: list[str], phrases: Phrases) -> int:
    """The fewest pieces the words split into, each a known phrase or one word; a word
    outside the dictionary costs more. Minimum-word segmentation (a small dynamic
    programme written here: the tokenisers of underthesea and spaCy segment but do not
    score a reading against another)."""
    conf = settings()["words"]
    syllables = vocabulary().syllables
    best = [0] + [0] * len(words)
    for end in range(1, len(words) + 1):
        word = words[end - 1]
        best[end] = best[end - 1] + (1 if word in syllables else conf["unknown_cost"])
        for size in phrases.lengths.get(word, ()):
            if size <= end and tuple(words[end - size : end]) in phrases.keys:
                best[end] = min(best[end], best[end - size] + 1)
    return best[-1]


def corrected_word(words: list[str], index: int, style: str, doubtful: bool, name: bool) -> str | None:
    """The reading of ``words[index]`` (lower case, among its neighbours up to the
    nearest punctuation) that splits its neighbourhood into fewer known phrases than the
    word read and than any other reading, by `strong_margin` pieces (or by one, if OCR
    doubted the word); None to keep the word. A name (``name``: capitalised within a
    sentence) is read only against the gazetteers' phrases."""
    conf = settings()["words"]
    vocab = vocabulary()
    phrases = vocab.names if name else vocab.common
    lo, hi = max(0, index - conf["reach"]), min(len(words), index + conf["reach"] + 1)
    window, at = words[lo:hi], index - lo

    def cost(reading: str) -> int:
        return segment_cost([*window[:at], reading, *window[at + 1 :]], phrases)

    before = window[at - 1] if at else None
    after = window[at + 1] if at + 1 < len(window) else None
    found = candidates(words[index])
    joined = [c for c in found if (before, c) in phrases.pairs or (c, after) in phrases.pairs]
    if not joined:
        return None
    read = cost(words[index])
    gains = sorted(((read - cost(c), c) for c in joined), reverse=True)
    # A reading in no phrase gains only what a known word gains over an unknown one.
    alone = settings()["words"]["unknown_cost"] - 1 if words[index] not in vocab.syllables else 0
    rivals = [gain for gain, _ in gains[1:]] + ([alone] if len(found) > len(joined) else [])
    gain, best = gains[0]
    if any(rival >= gain for rival in rivals):
        return None
    return best if gain >= (1 if doubtful else conf["strong_margin"]) else None


def runs(text: str) -> Iterable[list[regex.Match]]:
    """The text's words in runs that only spaces and joining punctuation separate;
    addresses (e-mail, web) are no words."""
    joiner = regex.compile(settings()["words"]["joiner"])
    addresses = [m.span() for m in regex.finditer(settings()["words"]["addresses"], text)]
    run: list[regex.Match] = []
    for token in _WORD.finditer(text):
        if any(start <= token.start() < end for start, end in addresses):
            continue
        if run and not joiner.fullmatch(text, run[-1].end(), token.start()):
            yield run
            run = []
        run.append(token)
    if run:
        yield run


def correctable(word: str) -> str | None:
    """The word's case style if it may be a misread word: not mixed case, not too short,
    not an abbreviation (those are for the acronym rule), not a function word to keep."""
    style = case_style(word)
    conf = settings()["words"]
    if style is None or len(word) < conf["min_length"] or word in known_acronyms() or word.lower() in conf["keep"]:
        return None
    if style == "upper" and not is_syllable(word) and word.lower() not in vocabulary().syllables and _ACRONYM_LETTERS.fullmatch(word):
        return None  # a code; a non-word with a vowel's marks is a misread word ("TRẼÊN", "KIẾỂM")
    return style


def _sentence_start(text: str, start: int) -> bool:
    """Whether a word begins an item (after its bullet or number) or a sentence: capitalised
    there as any word is ("- Đầy mạnh công tác …" is a misread "Đẩy mạnh"), not as a name
    (words.sentence_start)."""
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return regex.search(settings()["words"]["sentence_start"], line) is not None


def correct_words(text: str, doubted: set[int]) -> list[Correction]:
    """Word corrections, left to right: a corrected word is the next one's neighbour."""
    corrections: list[Correction] = []
    for run in runs(text):
        words = [token.group().lower() for token in run]
        for index, token in enumerate(run):
            style = correctable(token.group())
            name = style == "title" and not _sentence_start(text, token.start())
            if style and (better := corrected_word(words, index, style, token.start() in doubted, name)) is not None:
                corrections.append(Correction(token.start(), token.group(), styled(better, style), "word"))
                words[index] = better
    return corrections


# --------------------------------------------------------------------------- abbreviations


@cache
def known_acronyms() -> frozenset[str]:
    """Every abbreviation of models/, as printed, with the issuer prefixes of acronym codes."""
    acronyms = load_model("acronyms")
    conf = settings()["acronyms"]
    base = {*acronyms["in_names"], *acronyms["whole"], *conf["extra"]}
    base |= {abbr for entry in load_model("doc_types")["types"] for abbr in entry["abbr"]}
    for entry in load_model("agencies")["agencies"]:
        base |= {a for a in entry.get("acronyms", []) if " " not in a}
        base |= {w for w in regex.findall(r"[\p{L}\d]+", entry["name"]) if _ACRONYM.fullmatch(w)}
    # A code drops a name part's ampersand: "NN&MT" is "BNNMT" in "4250/BNNMT-ĐCKS".
    in_names = {form for acronym in acronyms["in_names"] for form in (acronym, acronym.replace("&", ""))}
    prefixed = {prefix + acronym for prefix in conf["prefixes"] for acronym in in_names}
    return frozenset(base | in_names | prefixed)


def corrected_acronym(token: str) -> str | None:
    """The known abbreviation an unknown one was misread from, if exactly one is a glyph
    split or swap away; the case pattern must match (an "i" is no misread "Đ")."""
    conf = settings()["acronyms"]
    known = known_acronyms()
    stem = _TRAILING_DIGITS.sub("", token)
    if len(token) < conf["min_length"] or token in known or stem in known or token in ROMAN or is_syllable(token):
        return None
    same_case = [k for k in known if (k == k.upper()) == (token == token.upper())]
    found = {
        k
        for k, _, _ in process.extract(token, same_case, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
        if all(_glyph_edit(token, k, op) for op in Levenshtein.editops(token, k))
    }
    return found.pop() if len(found) == 1 else None


def _glyph_edit(token: str, known: str, op: Any) -> bool:
    """An edit from the token read to a known code that undoes a glyph split (a character
    repeating its neighbour or a look-alike of it, a split stroke) or a look-alike misread."""
    conf = settings()["acronyms"]
    alike = {frozenset(pair) for pair in conf["lookalikes"]}
    char = token[op.src_pos] if op.src_pos < len(token) else ""
    if op.tag == "delete":
        neighbours = {token[i] for i in (op.src_pos - 1, op.src_pos + 1) if 0 <= i < len(token)}
        return char in conf["split_strokes"] or any(n == char or frozenset((n, char)) in alike for n in neighbours)
    return op.tag == "replace" and frozenset((char, known[op.dest_pos])) in alike


def correct_acronyms(text: str, doubted: set[int]) -> list[Correction]:
    """Only abbreviations OCR doubted: an unknown code read with confidence is a real one,
    and so is one the page prints more than once (a unit's code, "CCN" for cụm công
    nghiệp: OCR does not misread a code into the same wrong one again and again; 13 of the
    15 acronym "corrections" on 300 dpi scans of the real documents changed such codes)."""
    found = list(_ACRONYM.finditer(text))
    printed = Counter(m.group() for m in found)
    return [
        Correction(m.start(), m.group(), better, "acronym")
        for m in found
        if m.start() in doubted and printed[m.group()] == 1 and (better := corrected_acronym(m.group())) is not None
    ]


# --------------------------------------------------------------------------- numerals


@cache
def _numeral_confusions() -> dict[str, str]:
    """What OCR reads for a roman numeral's strokes: the outline's confusions, digits, marked I's."""
    conf = settings()["numerals"]
    return {**ocr_settings()["outline_repair"]["confusions"], **conf["digit_strokes"], **conf["marked_strokes"]}


@cache
def _numeral_context() -> regex.Pattern:
    words = sorted(settings()["numerals"]["contexts"], key=len, reverse=True)
    context = "|".join(r"\s+".join(map(regex.escape, w.split())) for w in words)
    strokes = regex.escape("IVX" + "".join(_numeral_confusions()))
    return regex.compile(
        rf"(?i)(?<!\p{{L}})(?P<context>{context})\s+(?-i:(?P<numeral>[{strokes}]{{1,6}}))(?![\p{{L}}\d])"
        r"(?P<after>(?:\W+[\p{L}\d]+){0,2})"
    )


def corrected_numeral(context: str, numeral: str) -> str | None:
    """A numeral as the context allows it: confusions mapped, then within max_edits of
    exactly one allowed value; a valid numeral is kept (no grammar tells "II" from "III")."""
    conf = settings()["numerals"]
    largest = conf["contexts"][fold_context(context)]
    allowed = ROMAN[1 : largest + 1]
    if numeral in allowed or (numeral.isdigit() and int(numeral) <= largest):  # "quý 1/2026" is printed so
        return None
    confusions = _numeral_confusions()
    read = "".join(confusions.get(char, char) for char in numeral)
    if read in allowed:
        return read
    found = process.extract(read, allowed, scorer=Levenshtein.distance, score_cutoff=conf["max_edits"], limit=None)
    best = [value for value, score, _ in found if score == min(s for _, s, _ in found)]
    return best[0] if len(best) == 1 else None


def fold_context(context: str) -> str:
    return " ".join(context.lower().split())


def correct_numerals(text: str) -> list[Correction]:
    return [
        Correction(m.start("numeral"), m["numeral"], better, "numeral")
        for m in _numeral_context().finditer(text)
        if (better := corrected_numeral(m["context"], m["numeral"])) is not None
    ]


Frame = tuple[str, str]  # a numeral's context word and the two words after it: ("quý", "năm 2023")


def numeral_frames(text: str) -> Iterable[tuple[regex.Match, Frame]]:
    for m in _numeral_context().finditer(text):
        yield m, (fold_context(m["context"]), " ".join(_ALPHANUMERIC.findall(m["after"])))


def agreeing_numerals(texts: list[str], doubts: list[frozenset[Doubt] | None]) -> list[list[Correction]]:
    """Per page, the doubted numerals that lost a stroke ("quý II năm 2023") where the
    document more often prints the same frame with the stroke ("quý III năm 2023") and
    nowhere else without it: a valid numeral is only corrected on this evidence. A plan
    that sets deadlines in "quý II năm 2012" three times and "quý III năm 2012" five
    means both. Text-layer pages count too."""
    stroke = ocr_settings()["outline_repair"]["lost_stroke"]
    readings = Counter((frame, m["numeral"]) for text in texts for m, frame in numeral_frames(text))
    found: list[list[Correction]] = []
    for text, doubtful in zip(texts, doubts):
        doubted = doubted_starts(text, doubtful) if doubtful is not None else set()
        page: list[Correction] = []
        for m, frame in numeral_frames(text):
            read = m["numeral"]
            restored = {read[:i] + stroke + read[i:] for i in range(len(read) + 1)}
            better = [r for r in restored if readings[frame, r] > readings[frame, read]]
            if m.start("numeral") in doubted and len(better) == 1 and readings[frame, read] == 1:
                page.append(Correction(m.start("numeral"), read, better[0], "numeral"))
        found.append(page)
    return found


def name_frames(text: str) -> Iterable[tuple[regex.Match, str, tuple[str, str]]]:
    """Each capitalised word after another word, its case style, and its frame: the word
    before it and its own letters without diacritics (lower case)."""
    tokens = list(_WORD.finditer(text))
    for before, token in zip(tokens, tokens[1:]):
        style = case_style(token.group())
        if style in ("title", "upper"):
            yield token, style, (before.group().lower(), strip_diacritics(token.group()).lower())


def agreeing_names(texts: list[str], doubts: list[frozenset[Doubt] | None]) -> list[list[Correction]]:
    """Per page, a doubted capitalised word that the document prints elsewhere after the
    same word with other diacritics, more often and at least `names.min_printed` times
    ("kim loại Thủ Đồ" where the company is "Thủ Đô" twice): a name is printed one way
    throughout, and one misreading of it spread to every duty of the agency it names."""
    conf = settings()["names"]
    readings = Counter((frame, m.group().lower()) for text in texts for m, _, frame in name_frames(text))
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for frame, word in readings:
        forms[frame].add(word)
    found: list[list[Correction]] = []
    for text, doubtful in zip(texts, doubts):
        doubted = doubted_starts(text, doubtful) if doubtful is not None else set()
        page: list[Correction] = []
        for m, style, frame in name_frames(text):
            read = m.group().lower()
            better = [
                form
                for form in forms[frame]
                if readings[frame, form] > readings[frame, read]
                and readings[frame, form] >= conf["min_printed"]
                and mark_distance(form, read) <= settings()["words"]["max_mark_edits"]
            ]
            if m.start() in doubted and len(better) == 1:
                page.append(Correction(m.start(), m.group(), styled(better[0], style), "name"))
        found.append(page)
    return found


def correct_dates(text: str) -> list[Correction]:
    """A date's day or month with a stray character OCR stuck to its digits, without it
    when the digits are a valid day or month; a digit's look-alike is that digit where the
    value stays valid (ocr_correction.yaml `dates`)."""
    conf = settings()["dates"]
    lookalikes = str.maketrans(conf["lookalikes"])
    found = []
    for match in regex.finditer(conf["pattern"], text):
        for part, largest in (("day", 31), ("month", 12)):
            read = match[part]
            for digits in (read.translate(lookalikes), regex.sub(r"\D", "", read)):
                if digits != read and digits.isdigit() and 1 <= int(digits) <= largest:
                    found.append(Correction(match.start(part), read, digits, "date"))
                    break
    return found


def correct_marks(text: str) -> list[Correction]:
    """Marks the form never prints where OCR read them: a stroke inside a document's symbol
    ("QĐ-T'Tg") taken out, a bracket for a symbol's last "I" ("VPCP-V.]"), a colon for an
    authority marker's full stop ("KT:") (ocr_correction.yaml `marks`)."""
    return [
        Correction(m.start(), m.group(), rule["becomes"], rule["rule"])
        for rule in settings()["marks"]
        for m in regex.finditer(rule["pattern"], text)
    ]


def correct_case(text: str) -> list[Correction]:
    """A word in mixed case between words in capitals ("VÀ XÃ HớI"): one capital OCR read
    small, the word is in capitals as its neighbours are (ocr_correction.yaml `case`).
    Upper case keeps each letter one character, so offsets stay."""
    return [
        Correction(m.start("word"), m["word"], m["word"].upper(), "case")
        for m in regex.finditer(settings()["case"]["pattern"], text)
        if case_style(m["word"]) is None and len(m["word"].upper()) == len(m["word"])
    ]


def correct_caps_stops(text: str) -> list[Correction]:
    """A full stop between words in capitals after a dictionary word, read for the comma
    that divides a name or title printed in bold capitals (ocr_correction.yaml `caps_stops`)."""
    syllables = vocabulary().syllables
    return [
        Correction(m.start(), ".", ",", "stop")
        for m in regex.finditer(settings()["caps_stops"]["pattern"], text)
        if m["word"].lower() in syllables and is_syllable(m["word"]) and m["word"] not in ROMAN
    ]


# --------------------------------------------------------------------------- pages


def apply(text: str, corrections: list[Correction]) -> str:
    """The text with each correction made; corrections do not overlap."""
    parts: list[str] = []
    cursor = 0
    for c in sorted(corrections, key=lambda c: c.start):
        parts += [text[cursor : c.start], c.corrected]
        cursor = c.start + len(c.read)
    return "".join(parts) + text[cursor:]


def doubted_starts(text: str, doubtful: frozenset[Doubt]) -> set[int]:
    """Where the words OCR doubted begin in the page text, found by their neighbours on
    the line (the text's lines are Tesseract's, bar the columns of the form's tables)."""
    starts: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        tokens = list(_ALPHANUMERIC.finditer(line))
        words = [token.group() for token in tokens]
        for i, token in enumerate(tokens):
            if (words[i - 1] if i else None, words[i], words[i + 1] if i + 1 < len(words) else None) in doubtful:
                starts.add(offset + token.start())
        offset += len(line) + 1
    return starts


def correct_text(text: str, doubtful: frozenset[Doubt]) -> tuple[str, list[Correction]]:
    """One OCRed page, with the words OCR doubted. The rules do not overlap: numerals and
    abbreviations are no words to the word rule."""
    doubted = doubted_starts(text, doubtful)
    read = text
    cased = correct_case(text)
    text = apply(text, cased)  # the other rules read the capitals ("HỚI" may then be "HỘI")
    corrections = [
        *correct_numerals(text),
        *correct_dates(text),
        *correct_marks(text),
        *correct_caps_stops(text),
        *correct_acronyms(text, doubted),
        *correct_words(text, doubted),
        *cased,
    ]
    unique = {c.start: c for c in reversed(corrections)}
    corrections = [replace(c, read=read[c.start : c.start + len(c.read)]) for c in sorted(unique.values(), key=lambda c: c.start)]
    return apply(text, corrections), corrections


def correction_warning(page: int, corrections: list[Correction]) -> RecordWarning:
    counts = Counter(c.rule for c in corrections)
    summary = ", ".join(f"{counts[rule]} {rule}{'s' if counts[rule] > 1 else ''}" for rule in sorted(counts))
    changes = "; ".join(f"{c.read} -> {c.corrected}" for c in corrections)
    return RecordWarning(code="ocr-corrected", message=f"page {page}: OCR misreadings corrected ({summary}): {changes}", page=page)


def correct_pages(texts: list[str], doubts: list[frozenset[Doubt] | None]) -> tuple[list[str], list[RecordWarning]]:
    """Each OCRed page (one with a set of doubted words; None for a page not OCRed,
    which is kept as it is) corrected, and a warning per corrected page."""
    if all(doubtful is None for doubtful in doubts):
        return texts, []
    pages = [correct_text(text, doubtful) if doubtful is not None else (text, []) for text, doubtful in zip(texts, doubts)]
    corrected_texts = [text for text, _ in pages]
    agreed = [a + b for a, b in zip(agreeing_numerals(corrected_texts, doubts), agreeing_names(corrected_texts, doubts))]
    corrected: list[str] = []
    warnings: list[RecordWarning] = []
    for number, ((text, corrections), more) in enumerate(zip(pages, agreed), start=1):
        corrected.append(apply(text, more))
        if corrections + more:
            warnings.append(correction_warning(number, corrections + more))
    return corrected, warnings
