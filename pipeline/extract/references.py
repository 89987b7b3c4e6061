"""References: every other document a text cites, by number or (laws) by name.

Finding is split from resolving, as in eyecite: ``find_citations`` returns every mention
in text order; ``resolve_references`` merges mentions of the same document (numbers
restart yearly, so the key is the full number and symbol), fills each field from the
first mention that states it, and decides the relation to the citing document.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import regex

from pipeline.annotate.agencies import header_issuer, mention_at, mentions_between
from pipeline.annotate.scan import text_scan
from pipeline.extract.dates import find_dates
from pipeline.gazetteer.agencies import canonical_name
from pipeline.gazetteer.doc_types import type_by_abbreviation, type_named
from pipeline.records import Document, Reference, Span
from pipeline.rules import (
    Rule,
    compiled,
    entry_sources,
    load_model,
    model_pattern,
    pattern,
    places,
    rule,
)
from pipeline.text import fold

_SPACES = regex.compile(r"\s+")
_TRAILING_DIGITS = regex.compile(r"\d+$")
_SYMBOL_PARTS = regex.compile(r"\s?[-–/]\s?")
_LIST_JOIN = regex.compile(r"\s*(?:[,;–-]|và)?\s*")
_SECOND_LAW = regex.compile(r"\s+và\s+(?=(?-i:Luật)\s)")
MODEL = "references"
CONTEXT_BEFORE = 60
CONTEXT_AFTER = 160
# No sentence that names a cited document's issuer or date before it runs longer than this.
SENTENCE_REACH = 800
# Documents of the administration cited by number are dated from this year on.
FIRST_YEAR = "1945"
# A law's name cut shorter than this many words ("Luật Thanh tra") is not taken for a longer one's.
MIN_PREFIX_WORDS = 3


@dataclass
class Citation:
    """One mention of a cited document, before mentions are merged."""

    key: str
    number: str | None
    type: str | None
    title: str | None
    date: str | None
    issuer: str | None
    span: Span


@functools.cache
def _patterns() -> dict[str, regex.Pattern]:
    context = ("context",)
    return {
        "party": pattern(MODEL, "pieces", "party_number", ignore_case=False),
        "party_lead": pattern(MODEL, "pieces", "party_number_lead", ignore_case=False),
        "state": pattern(MODEL, "pieces", "state_number", ignore_case=False),
        "type_before": pattern(MODEL, *context, "type_before"),
        "generic_before": pattern(MODEL, *context, "generic_before"),
        "issuer_after": pattern(MODEL, *context, "issuer_after"),
        "date_after": pattern(MODEL, *context, "date_after"),
        "issuer_stop": pattern(MODEL, *context, "issuer_stop"),
        "alias": pattern(MODEL, *context, "alias_definition"),
        "issuer_before": pattern(MODEL, *context, "issuer_before"),
        "basis": pattern(MODEL, "basis_verbs"),
        "named_stop": pattern(MODEL, "named", "stop"),
        "named_year": pattern(MODEL, "named", "year"),
        "amending": pattern(MODEL, "named", "amending"),
        "clause_end": pattern(MODEL, "basis_clause_end"),
        "basis_joiner": pattern(MODEL, "basis_joiner"),
        "addressee_line": pattern(MODEL, "addressee_line"),
        "amending_filler": pattern(MODEL, "named", "amending_filler"),
        "titles": pattern(MODEL, "pieces", "titles", ignore_case=False),
        "issuer_lead": pattern(MODEL, *context, "issuer_lead"),
        "joint_issuer": pattern(MODEL, *context, "joint_issuer"),
        "list_gap": pattern(MODEL, *context, "list_gap"),
        "sentence_date": pattern(MODEL, *context, "sentence_date"),
        "sentence_end": pattern(MODEL, *context, "sentence_end"),
    }


@functools.cache
def _issuer_gaps() -> tuple[regex.Pattern, regex.Pattern]:
    """After "của X" (a cited document's issuer ahead of it), and after a sentence's subject."""
    sources = entry_sources(load_model(MODEL)["context"]["issuer_gap"])
    return tuple(compiled(model_pattern(MODEL, source)) for source in sources)


def _type_name(printed: str) -> str:
    return type_named(printed) or printed


def number_key(number: str) -> str:
    """Two printings of one number compare equal: no spaces, upper case, "D" read as "Đ"."""
    return _SPACES.sub("", number).upper().replace("Đ", "D").replace("–", "-")


def find_numbers(text: str) -> list[tuple[Span, str, str | None]]:
    """(span, number as printed without spaces, type from the symbol) in text order."""
    patterns = _patterns()
    found: list[tuple[Span, str, str | None]] = []
    taken: list[Span] = []
    for match in _party_numbers(text):
        abbr_type = type_by_abbreviation().get(match.group("type").upper())
        found.append(((match.start(), match.end()), _SPACES.sub("", match.group(0)), abbr_type))
        taken.append((match.start(), match.end()))
    for match in patterns["state"].finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        first_group = _SYMBOL_PARTS.split(match.group("sym"))[0]
        abbr_type = type_by_abbreviation().get(_TRAILING_DIGITS.sub("", first_group).upper())
        found.append(((match.start(), match.end()), _SPACES.sub("", match.group(0)), abbr_type))
    return sorted(found)


def _party_numbers(text: str) -> list[regex.Match]:
    """The party pattern's matches, as its finditer gives them. A match holds one "/" (after
    its type, none in its parts) and begins where its lead, read backwards from that "/",
    begins: the pattern is tried only there. Its finditer cost 62 us a document on the
    corpus (the regex module tries the leading digits and dash at every character), this
    15 us (str.find finds a "/" at about 1 ns a character, a lead is read in 0.4 us). The
    state pattern's finditer is left as it is: the regex module finds its "/" itself, and
    the dates' slashes would make this slower."""
    party, lead = _patterns()["party"], _patterns()["party_lead"]
    found = []
    for slash in places(text, "/"):
        if (before := lead.match(text, 0, slash)) and (match := party.match(text, before.start())):
            found.append(match)
    return found


def citations(doc: Document) -> list[Citation]:
    """The citation layer: every numbered or named citation of the document, in text order,
    found once (the graph of references and the finders read it)."""
    return doc.layer("citations", find_citations)


def find_citations(doc: Document) -> list[Citation]:
    """Every numbered or named citation outside the document's own number line."""
    text = doc.text
    own = doc.header.number
    own_number = doc.header.parts.get("number")
    own_key = number_key(doc.snippet(own_number)) if own_number else None
    found = []
    for span, number, abbr_type in find_numbers(text):
        if own and (own[0] <= span[0] < own[1] or number_key(number) == own_key):
            continue  # the document's own number, in its header or repeated in its closing
        before = text[max(0, span[0] - CONTEXT_BEFORE) : span[0]]
        typed = _patterns()["type_before"].search(before)
        if not typed and not abbr_type and not _patterns()["generic_before"].search(before):
            continue
        if typed and not _counts_as_type(typed.group("type"), abbr_type):
            typed = None
        doc_type = _type_name(typed.group("type")) if typed else abbr_type or load_model("doc_types")["default_type"]
        start = span[0] - (len(before) - typed.start()) if typed else span[0]
        date, issuer, end = _date_and_issuer(doc, span[1])
        issuer = issuer or _issuer_ahead(doc, start)
        found.append(Citation(number_key(number), number, doc_type, None, date, issuer, (start, max(span[1], end))))
    found.extend(find_named(doc))
    found.sort(key=lambda c: c.span)
    _share_across_lists(text, found)
    _from_the_sentence(doc, found)
    return found


def _issuer_ahead(doc: Document, start: int) -> str | None:
    """An issuer printed before its citation: "theo đề nghị của Giám đốc Sở X tại Tờ trình số
    …", "các Quyết định của Thủ tướng Chính phủ số …", "Văn phòng Chính phủ có ý kiến tại Văn bản số …"."""
    text = doc.text
    after_of, subject = _issuer_gaps()
    for mention in reversed(mentions_between(doc, max(0, start - CONTEXT_AFTER), start)):
        gap = text[mention.span[1] : start]
        if after_of.match(gap) and _patterns()["issuer_lead"].search(text, max(0, mention.span[0] - 40), mention.span[0]):
            return _issuer_name(doc, mention.name.name)
        if subject.match(gap) and not _patterns()["issuer_lead"].search(text, max(0, mention.span[0] - 40), mention.span[0]):
            return _issuer_name(doc, mention.name.name)
        if "\n" in gap or len(gap) > 60:
            break
    return None


def _share_across_lists(text: str, found: list[Citation]) -> None:
    """Citations joined by "và" or a comma share the issuer printed once for them all, after
    the last ("… và Công văn số 4478/UBND-NC … của Chủ tịch UBND tỉnh") or before the first
    ("các Quyết định của Thủ tướng Chính phủ số 142/…, số 53/…")."""
    gap_pattern = _patterns()["list_gap"]
    numbered = [c for c in found if c.number]
    pairs = [(a, b) for a, b in zip(numbered, numbered[1:]) if gap_pattern.match(text[a.span[1] : b.span[0]])]
    for left, right in reversed(pairs):
        left.issuer = left.issuer or right.issuer
    for left, right in pairs:
        right.issuer = right.issuer or left.issuer


def _from_the_sentence(doc: Document, found: list[Citation]) -> None:
    """A citation that names no issuer or date after its number takes them from its sentence:
    the subject before an issuing verb ("Ủy ban nhân dân tỉnh đã ban hành 02 Quyết định …:
    Quyết định số …"), the date that opens it ("Ngày 24/02/2020, Chính phủ ban hành Nghị định
    số …"), unless another citation of the sentence states its own."""
    stated = [c.span[1] for c in found if c.issuer]
    for index, citation in enumerate(found):
        if not citation.number or (citation.issuer and citation.date):
            continue
        start = _sentence_start(doc.text, citation.span[0])
        if citation.issuer is None:
            after = max([start, *(end for end in stated if end <= citation.span[0])])
            citation.issuer = _subject_issuer(doc, after, citation.span[0])
        if citation.date is None and not any(c.span[0] >= start for c in found[:index]):
            citation.date = _opening_date(doc, start, citation.span[0])


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence around ``position`` starts: the end of the last sentence end of a
    scan from SENTENCE_REACH before it. The sentence end that ends nearest ``position`` is
    found by a search backwards; one made of ".!?:;", spaces and line breaks runs across no
    place after a letter or digit, so a scan from the first such place before it finds the
    whole scan's matches from there on; one that reaches as far is the last
    (17 -> 7 us a call on the corpus: the scan ran 800 characters, most sentences are shorter)."""
    window_start = max(0, position - SENTENCE_REACH)
    nearest = _sentence_end_backwards().search(text, window_start, position)
    if nearest is None:
        return window_start
    start = nearest.start()
    while start > window_start and not text[start - 1].isalnum():
        start -= 1
    last = start  # the scan finds the nearest or one that runs across its start
    for end in _patterns()["sentence_end"].finditer(text, start, position):
        last = end.end()
        if last >= nearest.end():  # none ends later
            break
    return last


@functools.cache
def _sentence_end_backwards() -> regex.Pattern:
    """sentence_end searched backwards (?r): its look-aheads still look ahead."""
    forwards = _patterns()["sentence_end"]
    return regex.compile(forwards.pattern, forwards.flags | regex.REVERSE)


def _opening_date(doc: Document, start: int, position: int) -> str | None:
    if not _patterns()["sentence_date"].match(doc.text, start, position):
        return None
    dates = [m for m in find_dates(doc, within=(start, position)) if m.kind in ("date", "partial")]
    return dates[0].value if dates and dates[0].span[0] - start < 20 else None


def _counts_as_type(printed: str, abbr_type: str | None) -> bool:
    """A cited type is capitalised ("Hướng dẫn số …"); in lower case ("văn bản hướng dẫn số …")
    it is an ordinary word unless the symbol says the same type."""
    return printed[:1].isupper() or _type_name(printed) == abbr_type


def _date_and_issuer(doc: Document, position: int) -> tuple[str | None, str | None, int]:
    """The date and the issuer that follow a number: "… ngày 19/02/2025 của Ban Chỉ đạo 138 tỉnh"."""
    text = doc.text
    date, cursor = _date_after(doc, position)
    issuer = None
    after = _patterns()["issuer_after"].match(text[cursor : cursor + CONTEXT_AFTER])
    if after:
        issuer, cursor = issuer_at(doc, cursor + after.end())
    return date, issuer, cursor


def _date_after(doc: Document, position: int) -> tuple[str | None, int]:
    """The date that follows a number or a law's name, and where it ends (``position`` without one)."""
    text = doc.text
    if _patterns()["date_after"].match(text[position : position + CONTEXT_AFTER]):
        within = (position, min(len(text), position + CONTEXT_AFTER))
        mentions = [m for m in find_dates(doc, within=within) if m.kind in ("date", "partial") and m.span[0] < position + 30]
        if mentions:
            return mentions[0].value, mentions[0].span[1]
    return None, position


def _subject_issuer(doc: Document, start: int, position: int) -> str | None:
    """"Sở X đã ban hành văn bản … số N": the agency before the issuing verb, between
    ``start`` (the sentence's start, or the last citation before that states its own issuer)
    and the citation; an agency after "của" is another document's issuer, not the subject."""
    text = doc.text
    for verb in reversed(list(_patterns()["issuer_before"].finditer(text, start, position))):
        verb_start = verb.start()
        mentions = [m for m in mentions_between(doc, start, verb_start) if verb_start - m.span[1] <= 1]
        if not mentions:
            continue
        if _patterns()["issuer_lead"].search(text, max(0, mentions[-1].span[0] - 40), mentions[-1].span[0]):
            return None
        return _issuer_name(doc, mentions[-1].name.name)
    return None


def issuer_at(doc: Document, start: int) -> tuple[str | None, int]:
    """The agency named at ``start``: the gazetteer's match (after an official's title: the
    body, "Bộ trưởng Bộ Công an" -> "Bộ Công an"; several ministries of a joint document,
    "Liên Bộ: Lao động - Thương binh và Xã hội, Tài chính, Y tế"), else the words up to a stop."""
    text = doc.text
    window_end = min(len(text), start + CONTEXT_AFTER)
    found = mention_at(doc, start)
    if found:
        return _issuer_name(doc, found.name.name), found.span[1]
    if joint := _patterns()["joint_issuer"].match(text, start, window_end):
        names, end = _joint_issuers(doc, joint.end())
        if names:
            return ", ".join(names), end
    if title := _patterns()["titles"].match(text, start, window_end):
        body = _SPACES.match(text[title.end() : window_end])
        found = mention_at(doc, title.end() + (body.end() if body else 0))
        if found:
            return _issuer_name(doc, found.name.name), found.span[1]
    line_end = text.find("\n", start)
    limit = window_end if line_end == -1 else min(window_end, line_end)
    stop = _patterns()["issuer_stop"].search(text, start, limit)
    end = stop.start() if stop else limit
    raw = text[start:end].strip(" ,")
    if not raw or not raw[:1].isupper():
        return None, start
    return _issuer_name(doc, canonical_name(raw).name), end


def _joint_issuers(doc: Document, start: int) -> tuple[list[str], int]:
    """The bodies listed one after another from ``start``, each once."""
    names: list[str] = []
    end = start
    for mention in mentions_between(doc, start, min(len(doc.text), start + CONTEXT_AFTER)):
        if not _LIST_JOIN.fullmatch(doc.text[end : mention.span[0]]):
            break
        if mention.name.name not in names:
            names.append(mention.name.name)
        end = mention.span[1]
    return names, end


def _issuer_name(doc: Document, name: str) -> str:
    """A cited issuer as the record gives it: a short name the opening defined written in
    full, and a bare "Bộ" or "Sở" in a ministry's or department's own letter its issuer."""
    name = resolve_alias(doc, name)
    if name in load_model(MODEL)["self_reference_heads"]:
        own = header_issuer(doc)
        if own and own.startswith(name + " "):
            return own
    return name


def aliases(doc: Document) -> Mapping[str, str]:
    """Short names the opening defines: "Ban Chỉ đạo … tỉnh (Ban Chỉ đạo tỉnh)" -> the full name."""
    return doc.layer("reference-aliases", lambda d: MappingProxyType(_aliases(d)))


def _aliases(doc: Document) -> dict[str, str]:
    if doc.opening is None:
        return {}
    found: dict[str, str] = {}
    start, end = doc.opening
    mentions = mentions_between(doc, start, end)
    for match in _patterns()["alias"].finditer(doc.text, start, end):
        before = [m for m in mentions if m.span[1] <= match.start() and match.start() - m.span[1] <= 2]
        if before:
            found[fold(match.group("alias"))] = before[-1].name.name
    return found


def resolve_alias(doc: Document, name: str) -> str:
    return aliases(doc).get(fold(name), name)


@functools.cache
def _heads(doc_type: str) -> tuple[Rule, ...]:
    """The rules of a named citation's head (one, or a list scanned each on its own)."""
    head = next(kind["head"] for kind in load_model(MODEL)["named"]["kinds"] if kind["type"] == doc_type)
    return tuple(rule(compiled(source)) for source in ([head] if isinstance(head, str) else head))


def find_named(doc: Document) -> list[Citation]:
    """Laws, ordinances and congress resolutions cited by name, without a number; a name
    inside another's ("… của Luật Tổ chức Chính phủ" in an amending law's) is not cited again."""
    text = doc.text
    rules = load_model(MODEL)["named"]
    stop = _patterns()["named_stop"]
    scan = text_scan(doc)
    heads = sorted((head.start(), head.end(), kind["type"]) for kind in rules["kinds"] for head in scan.finditer_each(_heads(kind["type"])))
    citations: list[Citation] = []
    taken = -1
    for start, head_end, doc_type in heads:
        if start < taken:
            continue
        end_match = stop.search(text, head_end)
        end = end_match.start() if end_match else len(text)
        title = _one_law(text[start:end].strip())
        end = start + len(title)
        words = title.split()
        if len(words) < 2 or len(words) > rules["max_words"]:
            continue
        if _patterns()["state"].match(text, end_match.end() if end_match else end) or text[end : end + 5].strip().startswith("số"):
            continue
        date = _date_after(doc, end)[0]  # a law's issuer is not read: the name says it
        title = _expand_title(title)
        citations.append(Citation("title:" + title_key(title), None, doc_type, title, date, None, (start, end)))
        taken = end
    return citations


def _one_law(title: str) -> str:
    """"Luật A và Luật B" names two laws, except as the subject of an amending law ("Luật sửa
    đổi, bổ sung một số điều của Luật A và Luật B")."""
    both = _SECOND_LAW.search(title)
    return title[: both.start()] if both and not _patterns()["amending"].search(title) else title


@functools.cache
def _title_acronyms() -> regex.Pattern:
    words = sorted(load_model(MODEL)["title_acronyms"], key=len, reverse=True)
    return regex.compile(r"(?<![\p{L}\p{N}&])(?:" + "|".join(regex.escape(w) for w in words) + r")(?![\p{L}\p{N}&])")


def _expand_title(title: str) -> str:
    """A law's name with its abbreviations written out ("Luật BVMT 2020" -> "Luật bảo vệ môi trường 2020")."""
    expansions = load_model(MODEL)["title_acronyms"]
    return _title_acronyms().sub(lambda m: expansions[m.group()], title)


def title_key(title: str) -> str:
    """One key for the ways a law's name is printed: without its year, and an amending law
    with or without "bổ sung một số điều của"."""
    key = _patterns()["named_year"].sub("", fold(title))
    return _patterns()["amending_filler"].sub(" ", key)


def resolve_references(doc: Document, citations: list[Citation]) -> list[Reference]:
    """One reference per distinct document, fields filled from the first mention stating them.

    Numbers restart yearly: two citations of one number whose dates fall in different years
    are two documents. A law named by a shorter form of its name ("Luật Hải quan", beside
    "Luật Hải quan năm 2014") is the one whose name it begins."""
    merged: dict[str, Reference] = {}
    bases = _bases(doc, citations)
    for citation in citations:
        key = _dated_key(merged, citation)
        reference = merged.get(key)
        basis = id(citation) in bases
        if reference is None:
            merged[key] = Reference(
                type=citation.type,
                number=citation.number,
                date=citation.date,
                issuer=citation.issuer,
                relation="basis" if basis else "cited",
                span=citation.span,
                page=doc.page_at(citation.span[0]),
                title=citation.title,
                mentions=[citation.span],
            )
            continue
        _merge(reference, citation.span, basis, citation.date, citation.issuer, citation.title)
    return _named_by_prefix(merged)


def _dated_key(merged: dict[str, Reference], citation: Citation) -> str:
    """A citation's key, with its year where an earlier citation of the number is dated in
    another (a year misprinted "025" is no other year)."""
    found = merged.get(citation.key)
    years = [d[:4] for d in (found.date if found else None, citation.date) if d and d[:4] >= FIRST_YEAR]
    if len(years) < 2 or years[0] == years[1]:
        return citation.key
    return f"{citation.key}@{years[1]}"


def _merge(reference: Reference, span: Span, basis: bool, date: str | None, issuer: str | None, title: str | None) -> None:
    reference.mentions.append(span)
    if basis:
        reference.relation = "basis"  # named in the title first, implemented in the opening
    reference.date = reference.date or date
    reference.issuer = reference.issuer or issuer
    if title and len(title) > len(reference.title or ""):
        reference.title = title


def _named_by_prefix(merged: dict[str, Reference]) -> list[Reference]:
    named = {key: ref for key, ref in merged.items() if key.startswith("title:")}
    for key, reference in list(named.items()):
        words = key.split()
        if len(words) < MIN_PREFIX_WORDS:
            continue
        longer = [k for k in named if k != key and k.startswith(key + " ") and named[k].type == reference.type]
        if len(longer) == 1 and key in merged:
            target = merged[longer[0]]
            for span in reference.mentions:
                _merge(target, span, reference.relation == "basis", reference.date, reference.issuer, None)
            del merged[key]
    return sorted(merged.values(), key=lambda r: r.span)


def _bases(doc: Document, citations: list[Citation]) -> set[int]:
    """The citations the document implements (ids): in a zone that begins "Căn cứ", "Thực
    hiện", "Trả lời"…, the first citation of each clause the zone's verb (or the clause's
    own) governs, and those joined to a basis citation by "và" or a comma. A document named
    in a basis document's title ("… về việc sửa đổi Thông tư số …") or by a later verb
    ("…, Bộ hướng dẫn … thực hiện Pháp lệnh …") is only cited."""
    text = doc.text
    bases: set[int] = set()
    for start, end in _basis_zones(doc):
        previous: Citation | None = None
        for citation in (c for c in citations if start <= c.span[0] < end):
            clause = max([start, *(m.end() for m in _patterns()["clause_end"].finditer(text, start, citation.span[0]))])
            if previous is None or previous.span[1] <= clause:
                lead = text[clause : citation.span[0]]
                if not lead.strip() or _patterns()["basis"].match(lead):
                    bases.add(id(citation))
            elif id(previous) in bases and _patterns()["basis_joiner"].search(text, previous.span[1], citation.span[0]):
                bases.add(id(citation))
            previous = citation
    return bases


def _basis_zones(doc: Document) -> list[Span]:
    """An opening, the title ("V/v triển khai thực hiện Quyết định số …") and, where no
    opening was found, the first paragraph after "Kính gửi", when they begin with a basis verb."""
    candidates = [doc.opening, doc.header.title]
    if doc.opening is None and doc.body is not None:
        first = _line_at(doc, doc.body[0])
        if _patterns()["addressee_line"].match(doc.text, *first) and first[1] + 1 < doc.body[1]:
            first = _line_at(doc, first[1] + 1)
        candidates.append(first)
    return [zone for zone in candidates if zone is not None and _patterns()["basis"].match(doc.text, *zone)]


def _line_at(doc: Document, start: int) -> Span:
    end = doc.text.find("\n", start)
    return (start, len(doc.text) if end == -1 else end)


def extract_references(doc: Document) -> list[Reference]:
    return resolve_references(doc, citations(doc))
