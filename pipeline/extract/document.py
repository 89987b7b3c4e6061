"""The document's own metadata: type, number, title, issuer, province, date, signer.

Each field is read from the anchor the form puts it in (header, opening, closing,
signature) and carries the span of the words it came from; where the form's anchor is
missing, the next best evidence in the text is used, and nothing is guessed.
"""

from __future__ import annotations

import functools
from collections import Counter

import regex

from pipeline.annotate.agencies import mention_at, mentions_between
from pipeline.annotate.provinces import province_mentions, provinces_between
from pipeline.extract.dates import find_dates
from pipeline.extract.references import citations
from pipeline.extract.signatures import signature_warnings
from pipeline.gazetteer.agencies import AgencyName, canonical_name
from pipeline.gazetteer.doc_types import type_by_abbreviation, type_named
from pipeline.gazetteer.provinces import is_central_city
from pipeline.records import Document, DocumentMeta, RecordWarning, Span
from pipeline.rules import compiled, load_model, model_pattern, pattern, words_pattern
from pipeline.segment import continues_recipient
from pipeline.text import fold, strip_diacritics

# Patterns of the code (not rules), compiled once: a module-level regex call looks its
# string up in the regex module's cache every time (4 us).
_SPACE_RUN = regex.compile(r"\s+")
_SYMBOL_SPLIT = regex.compile(r"[-/]")
_PARTY_TAIL = regex.compile(r"-(\p{Lu}[\p{Lu}\p{Ll}]{0,3})$")
_BLANK_MARKS = regex.compile(r"[.…_]")
_ABOUT = regex.compile(r"(?i)^v/v\s*")
_NOT_LETTER = regex.compile(r"[^\p{L}]")
_YEAR = regex.compile(r"\d{4}")
_WORD = regex.compile(r"\S+")
_MARKER_NOISE = regex.compile(r"[\s.]")
_CODE_CHARS = regex.compile(r"[\d_/]")


@functools.cache
def _rules() -> dict:
    return load_model("document")


def _starts_with_head(text: str) -> bool:
    """Whether ``text`` begins with a word that begins an agency name ("Sở", "Ban", "UBND" …)."""
    return _head_pattern().match(text) is not None


@functools.cache
def _head_pattern() -> regex.Pattern:
    return compiled(model_pattern("document", r"^{heads}"))


@functools.cache
def _central_words() -> regex.Pattern:
    """The words of a central body's name (central_bodies), built from the word list once."""
    return compiled(model_pattern("document", words_pattern(_rules()["central_bodies"]["words"])))


def _pattern(key: str) -> regex.Pattern:
    return pattern("document", key)


def _lines(doc: Document, span: Span | None) -> list[tuple[str, Span]]:
    if span is None:
        return []
    return [(doc.text[l.start : l.end], (l.start, l.end)) for l in doc.lines if span[0] <= l.start < span[1]]


def extract_document(doc: Document) -> DocumentMeta:
    meta = DocumentMeta()
    _doc_type(doc, meta)
    _number(doc, meta)
    if doc.header.title:
        meta.title = _title_text(doc.snippet(doc.header.title))
        meta.spans["title"] = doc.header.title
    _issuers(doc, meta)
    _place_and_date(doc, meta)
    _province(doc, meta)
    _year(doc, meta)
    _signer(doc, meta)
    meta.recipients = _recipients(doc)
    meta.signatures = list(doc.raw.signatures)
    for warning in signature_warnings(meta.issue_date, meta.signatures):
        _warn(doc, warning)
    return meta


def _warn(doc: Document, warning: RecordWarning) -> None:
    """A warning about the header, once: the metadata is read again by finders that need it
    (duties read the type through the document-meta layer)."""
    if warning not in doc.warnings:
        doc.warnings.append(warning)


def _set(meta: DocumentMeta, field: str, value, span: Span | None) -> None:
    if value is None or span is None:
        return
    setattr(meta, field, value)
    meta.spans[field] = span


def _doc_type(doc: Document, meta: DocumentMeta) -> None:
    if doc.header.doc_type:
        _set(meta, "doc_type", doc.header.doc_type_name, doc.header.doc_type)
        return
    if doc.closing:
        found = _pattern("closing_type").search(doc.text, doc.closing[0], doc.closing[1])
        if found:
            span = found.span("type")
            _set(meta, "doc_type", type_named(found.group("type")), span)
            return
    if doc.header.title and doc.snippet(doc.header.title).lower().startswith("v/v"):
        _set(meta, "doc_type", load_model("doc_types")["default_type"], doc.header.title)


def _number(doc: Document, meta: DocumentMeta) -> None:
    """"Số: 1614/STTTT-TTBCXB" -> number; "Số: …/KH-SVHTTDL" (blank) -> symbol only.

    A number is accepted only in the form of a số ký hiệu (models/document.yaml): a value
    with digits that is not of that form is a misreading (of a hand-written or stamped
    number on a scan), left empty with a warning naming its page and line; its symbol is
    kept if the symbol itself is well formed. The type is the Party form's ("113-CV/…"),
    else the symbol's first part ("KH-UBND")."""
    value_span = doc.header.parts.get("number")
    if value_span is None:
        return
    value = doc.snippet(value_span)
    compact = _pattern("number_trailing").sub("", _SPACE_RUN.sub("", value))
    whole = _pattern("number_form").match(compact)
    number_part, _, symbol = compact.partition("/")
    if whole:
        _set(meta, "number", compact, value_span)
        abbr = whole.group("party") or _SYMBOL_SPLIT.split(whole.group("symbol"))[0]
    else:
        symbol = symbol.strip(".…")
        if not _pattern("symbol_form").match(symbol):
            symbol = ""
        _set(meta, "symbol", symbol or None, value_span)
        party = _PARTY_TAIL.search(number_part)
        if _BLANK_MARKS.sub("", number_part[: party.start()] if party else number_part):  # not a blank
            page = doc.page_at(value_span[0])
            _warn(doc, RecordWarning(
                "number-invalid",
                f"page {page}, the number line of the header ('Số: {value.strip()}'): not the form of a số ký hiệu "
                "(a misread hand-written or stamped number?); the number is left empty",
                span=value_span,
                page=page,
            ))
        abbr = party.group(1) if party else _SYMBOL_SPLIT.split(symbol)[0]
    if meta.doc_type is None and abbr:
        _set(meta, "doc_type", type_by_abbreviation().get(abbr.upper()), value_span)


def _title_text(title: str) -> str:
    title = _SPACE_RUN.sub(" ", title).strip()
    return _ABOUT.sub("", title)


def _agency_groups(doc: Document) -> list[tuple[str, Span]]:
    """Header agency lines grouped into agencies: a line that begins with a head word starts
    one, unless it ends a name the gazetteer knows that the lines above leave unfinished (a
    long name wrapped before its last word: "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ" / "HỘI").

    The issuer's lines stand above its number: capitals read after the number line, where
    lines stand above it too, are another body's (a scan's received stamp, "UBND TỈNH … ĐẾN")."""
    lines = doc.header.agency_lines
    if doc.header.number and any(span[0] < doc.header.number[0] for span in lines):
        lines = [span for span in lines if span[0] < doc.header.number[0]]
    groups: list[tuple[str, Span]] = []
    for span in lines:
        text = doc.snippet(span)
        if groups and (not _starts_with_head(text) or _finishes_name(groups[-1][0], text)):
            prev_text, prev_span = groups[-1]
            groups[-1] = (prev_text + " " + text, (prev_span[0], span[1]))
        else:
            groups.append((text, span))
    return groups


def _finishes_name(above: str, line: str) -> bool:
    return _known_name(above) is None and _known_name(f"{above} {line}") is not None


def _known_name(printed: str) -> str | None:
    """The gazetteer's name for a printed one: its own, else the one name it knows with the
    same letters but for diacritics (OCR misreads the marks of bold capitals: "BÔ LAO ĐỘNG
    - THƯƠNG BINH VÀ XÃ HỘI")."""
    canonical = canonical_name(printed)
    return canonical.name if canonical.known else _known_by_letters().get(_letters(printed))


def _issuers(doc: Document, meta: DocumentMeta) -> None:
    groups = _agency_groups(doc)
    if groups:
        _set(meta, "issuer", _completed(doc, groups[-1][0]), groups[-1][1])
        if len(groups) > 1:
            _set(meta, "parent_issuer", canonical_name(groups[0][0]).name, groups[0][1])
        return
    found = _issuer_in_opening(doc) or _issuer_in_closing(doc)
    if found:
        _set(meta, "issuer", found[0], found[1])


def _completed(doc: Document, printed: str) -> str:
    """The issuer's name; a local body's cell that lost its second line ("ỦY BAN NHÂN DÂN",
    no "TỈNH X" under it) is completed from the province of the place line, with a warning
    that says so (the place is where the body sits, so it is the body's province)."""
    name = _known_name(printed) or canonical_name(printed).name
    if fold(printed) not in _bare_local_bodies() or not doc.header.place_date:
        return name
    found = provinces_between(doc, *doc.header.place_date)
    if not found:
        return name
    province = found[0][1]
    completed = canonical_name(f"{printed} {'thành phố' if is_central_city(province) else 'tỉnh'} {province}").name
    _warn(doc, RecordWarning("issuer-completed", f"the issuer's cell reads only '{printed}': completed from the place line as '{completed}'", span=doc.header.place_date))
    return completed


def _letters(name: str) -> str:
    return _NOT_LETTER.sub("", strip_diacritics(name).lower())


@functools.cache
def _entry_names() -> dict[str, AgencyName]:
    """canonical_name of each gazetteer entry's name, read once: the issuer is mostly one
    ("Sở Thông tin và Truyền thông"), and canonical_name costs 28 us a name (the gazetteer's
    pattern is searched), a look-up here 0.1."""
    return {entry["name"]: canonical_name(entry["name"]) for entry in load_model("agencies")["agencies"]}


def _canonical(name: str) -> AgencyName:
    """canonical_name(name), looked up where ``name`` is a gazetteer entry's."""
    found = _entry_names().get(name)
    return found if found is not None else canonical_name(name)


@functools.cache
def _known_by_letters() -> dict[str, str | None]:
    """The gazetteer's names by their letters without diacritics; None where two share them."""
    found: dict[str, str | None] = {}
    for canonical in _entry_names().values():
        name = canonical.name
        key = _letters(name)
        found[key] = name if found.get(key, name) == name else None
    return found


@functools.cache
def _bare_local_bodies() -> frozenset[str]:
    return frozenset(fold(name) for name in _rules()["bare_local_bodies"]["names"])


def _issuer_in_opening(doc: Document) -> tuple[str, Span] | None:
    """"…, Sở Thông tin và Truyền thông (TTTT) xây dựng Kế hoạch …": the agency before the verb."""
    if doc.opening is None:
        return None
    start, end = doc.opening
    segment = doc.text[start:end]
    verbs = list(_pattern("issuer_verb").finditer(segment))
    mentions = mentions_between(doc, start, end)
    for verb in reversed(verbs):
        verb_start = start + verb.start()
        before = [m for m in mentions if m.span[1] <= verb_start and verb_start - m.span[1] <= 1]
        if before:
            return before[-1].name.name, before[-1].span
        clause = list(_pattern("clause_start").finditer(segment, 0, verb.start()))
        if clause:
            raw_start = clause[-1].end()
            raw = segment[raw_start : verb.start()].strip()
            if raw[:1].isupper() and len(raw.split()) <= 25:
                return canonical_name(raw).name, (start + raw_start, start + raw_start + len(raw))
    return None


def _issuer_in_closing(doc: Document) -> tuple[str, Span] | None:
    if doc.closing is None:
        return None
    start, end = doc.closing
    matches = list(_pattern("closing_issuer").finditer(doc.text, start, end))
    if not matches:
        return None
    found = mention_at(doc, matches[-1].end())
    return (found.name.name, found.span) if found else None


def _place_and_date(doc: Document, meta: DocumentMeta) -> None:
    span, place = doc.header.place_date, doc.header.parts.get("place")
    if span is None or place is None:
        return
    _set(meta, "issue_place", doc.snippet(place).strip(), place)
    dates = [d for d in find_dates(doc, within=span) if d.kind in ("date", "partial", "year") and d.value]  # "ngày … tháng … năm 2024"
    if dates:
        _set(meta, "issue_date", dates[0].value, dates[0].span)
    if meta.issue_date and len(meta.issue_date) == 7:  # a year and month: the day is blank or misread
        _ocr_day(doc, meta, span)
    if meta.issue_date and len(meta.issue_date) == 7:
        _misread_day(doc, span)


def _misread_day(doc: Document, span: Span) -> None:
    """Something other than a day or a blank where the day stands: said, the date kept partial."""
    day = _pattern("misread_day").search(doc.text, span[0], span[1])
    if day is None:
        return
    page = doc.page_at(span[0])
    _warn(doc, RecordWarning(
        "day-invalid",
        f"page {page}, the place and date line of the header: the day reads '{day.group('day')}', not a day "
        "(a misread hand-written or stamped day?); the date is left without its day",
        span=day.span("day"),
        page=page,
    ))


def _ocr_day(doc: Document, meta: DocumentMeta, span: Span) -> None:
    """A day OCR read with a letter for a digit ("ngày l3 tháng 11"), on an OCRed page:
    the lookalikes of models/document.yaml make it the day, said in a warning."""
    page = doc.page_at(span[0])
    if doc.raw.pages[page - 1].method != "ocr":
        return
    rule = _rules()["ocr_day"]
    found = _pattern("ocr_day").search(doc.text, span[0], span[1])
    if found is None:
        return
    read = found.group("day")
    day = int(read.translate(str.maketrans(rule["lookalikes"])))
    if 1 <= day <= 31:
        _set(meta, "issue_date", f"{meta.issue_date}-{day:02d}", (found.start("day"), meta.spans["issue_date"][1]))
        _warn(doc, RecordWarning("ocr-day-repaired", f"page {page}: the day of issue read by OCR as '{read}' is taken as {day}", span=found.span("day"), page=page))


def _province(doc: Document, meta: DocumentMeta) -> None:
    """The province the document is about: header lines first, then the place, then the one
    the text names most often (a cited document of another province is named less).

    A central body's document concerns the whole country: its place ("Hà Nội") is only
    where the ministry sits. It has a province only where it is addressed to one province's
    bodies (a reply to that province's request)."""
    if _is_central(meta):
        addressed = {name for _span, name in provinces_between(doc, *doc.header.addressees)} if doc.header.addressees else set()
        if len(addressed) == 1:
            place, name = next((s, n) for s, n in provinces_between(doc, *doc.header.addressees))
            _set(meta, "province", name, place)
            meta.province_evidence = doc.snippet(doc.header.addressees)
        return
    candidates: list[tuple[int, Span]] = []
    for agency_span in doc.header.agency_lines:
        candidates.append((0, agency_span))
    if doc.header.place_date:
        candidates.append((1, doc.header.place_date))
    for rank, span in sorted(candidates):
        found = provinces_between(doc, *span)
        if found:
            place, name = found[0]
            _set(meta, "province", name, place)
            meta.province_evidence = doc.text[span[0] : span[1]]
            return
    found = province_mentions(doc)
    if not found:
        return
    counts = Counter(name for _span, name in found)
    best = max(counts, key=lambda name: (counts[name], -next(i for i, (_s, n) in enumerate(found) if n == name)))
    (a, b) = next(span for span, name in found if name == best)
    _set(meta, "province", best, (a, b))
    meta.province_evidence = _evidence(doc, (a, b))


def _inside(span: Span, spans: list[Span]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def _is_central(meta: DocumentMeta) -> bool:
    """An issuer of central level, or a department of one (a Cục under its ministry), by
    the gazetteer or by the words of its name; a body under a province's committee ("Ban
    Chỉ đạo 138" under "UBND tỉnh Hải Dương") is that province's."""
    parent = _canonical(meta.parent_issuer) if meta.parent_issuer else None  # read once: it is asked twice
    if parent is not None and parent.level in ("province", "district", "commune"):
        return False
    words = _central_words()
    if meta.issuer and (_canonical(meta.issuer).level == "central" or words.search(meta.issuer)):
        return True
    return parent is not None and (parent.level == "central" or words.search(meta.parent_issuer) is not None)


def _evidence(doc: Document, span: Span) -> str:
    """The agency name around a province mention ("Báo Hải Dương"), else the mention itself."""
    for mention in mentions_between(doc, max(0, span[0] - 120), span[1] + 40):
        if mention.span[0] <= span[0] and span[1] <= mention.span[1]:
            return mention.raw
    return doc.text[span[0] : span[1]]


def _year(doc: Document, meta: DocumentMeta) -> None:
    """The single year the document covers, as its title states it ("… năm 2023", "quý III
    năm 2024"); an annual plan or report whose title states none covers its year of issue
    (models/document.yaml); otherwise none (a letter, a multi-year plan).

    A full date in a title dates a cited document ("thực hiện Kết luận số 13-KL/TW ngày
    16/8/2021"), a year inside a citation is part of its name ("Luật Hải quan năm 2014"),
    and a span of years names a period (the plan's own, or a cited programme's:
    "Đề án … giai đoạn 2022-2025"), so only years, months, quarters and halves count. A year
    later than the document's own is no cited name's ("thực hiện Pháp lệnh … năm 2020" in a
    letter of 2019): it is the year the document is about.
    """
    mentions = find_dates(doc, within=doc.header.title) if doc.header.title else []
    cited = [c.span for c in citations(doc)]
    issued = int(meta.issue_date[:4]) if meta.issue_date else None
    points = [m for m in mentions if m.kind not in ("date", "range") and m.value and not (_inside(m.span, cited) and not _after(m.value, issued))]
    years = {m.value[:4] for m in points if _YEAR.match(m.value)}
    if len(years) == 1:
        first = next(m for m in points if m.value[:4] in years)
        _set(meta, "year", int(first.value[:4]), first.span)
    elif not years and not any(m.kind == "range" for m in mentions) and meta.issue_date:
        if meta.doc_type in _rules()["year_of_issue"]["types"]:
            _set(meta, "year", int(meta.issue_date[:4]), meta.spans.get("issue_date"))


def _after(value: str, issued: int | None) -> bool:
    return issued is not None and _YEAR.match(value) is not None and int(value[:4]) > issued


_MARKER_ONLY = regex.compile(r"^\s*(?:TM|KT|TL|TUQ|Q)\s*\.\s*$")


def _signature_parts(doc: Document) -> list[tuple[str, Span]]:
    """The signature block's lines, each cut into its parts where the block was copied onto
    fewer lines than printed: an authority marker starts a part, a trailing name ends one,
    an authority's line ends at the signer's own title ("KT. CHỦ TỊCH | PHÓ CHỦ TỊCH"), and
    a known title OCR read onto the end of a recipient's line is a part of its own."""
    authority = pattern("document", "signature_parts", "authority")
    name = pattern("document", "signature_parts", "name")
    title = pattern("document", "signature_parts", "title")
    parts: list[tuple[str, Span]] = []
    carried: tuple[str, int] | None = None
    for text, (start, _end) in _lines(doc, doc.signature):
        if carried is not None:
            text, start = f"{carried[0]} {text}", carried[1]
            carried = None
        if _MARKER_ONLY.match(text) or text.rstrip().endswith(","):
            carried = (text, start)  # "KT." alone above its title; a title going on ("BAN CHÍNH SÁCH,")
            continue
        cuts = [m.start() for m in authority.finditer(text)]
        if found := name.search(text):
            cuts += [found.start(), found.end()]
        if (found := title.search(text)) and _known_title(found.group()):
            cuts.append(found.start())
        bounds = [0, *sorted(set(cuts)), len(text)]
        for a, b in zip(bounds, bounds[1:]):
            piece = text[a:b].strip()
            if piece:
                offset = start + a + (len(text[a:b]) - len(text[a:b].lstrip()))
                parts += _title_after_authority(piece, offset)
    return parts


def _title_after_authority(piece: str, start: int) -> list[tuple[str, Span]]:
    """"KT. CHỦ TỊCH PHÓ CHỦ TỊCH": the authority's title, then the signer's, both known titles."""
    found = compiled(load_model("segment")["signature"]["authority_pattern"]).match(piece)
    whole = [(piece, (start, start + len(piece)))]
    if not found:
        return whole
    words = [m.span() for m in _WORD.finditer(piece, pos=found.end())]
    for cut in range(1, len(words)):
        head, tail = piece[words[0][0] : words[cut - 1][1]], piece[words[cut][0] :]
        if _known_title(tail) and (_starts_with_title(head) or _starts_with_head(head)):
            head_end, tail_start = words[cut - 1][1], words[cut][0]
            return [(piece[:head_end], (start, start + head_end)), (tail, (start + tail_start, start + len(piece)))]
    return whole


class _BareLetters(dict):
    """str.translate's table of each character without its diacritics, filled as characters
    are met: strip_diacritics reads a text a character at a time (NFD decomposes each on its
    own, and every mark it drops is a combining one), so a translation by its reading of
    each character is its reading of the text, at 0.1 against 1-3 us a signature line."""

    def __missing__(self, code: int) -> str:
        self[code] = strip_diacritics(chr(code))
        return self[code]


_BARE_LETTERS = _BareLetters()


def _bare(text: str) -> str:
    return text.translate(_BARE_LETTERS)


def _known_title(text: str) -> bool:
    return _bare(" ".join(text.split())).lower() in _known_titles()


def _starts_with_title(text: str) -> bool:
    """"VỤ TRƯỞNG VỤ CHÍNH SÁCH": a known title, maybe followed by the body it heads."""
    words = text.split()
    return any(_known_title(" ".join(words[:n])) for n in range(1, len(words) + 1))


def _signer(doc: Document, meta: DocumentMeta) -> None:
    _signer_from_block(doc, meta)
    if meta.signer_name is None:
        _signer_at_line_end(doc, meta)


def _signer_at_line_end(doc: Document, meta: DocumentMeta) -> None:
    """A name begun by a family name at the end of one of the closing's last lines: those of
    the signature block, else of the recipients block when the signature was read into it,
    else the document's last lines when OCR lost both labels (and nothing is appended)."""
    rule = _rules()["signer_at_line_end"]
    zone = doc.signature or doc.recipients
    if zone is not None:
        lines = _lines(doc, zone)
    elif doc.lines and not doc.appendices:
        lines = [(doc.text[line.start : line.end], (line.start, line.end)) for line in doc.lines]
    else:
        return
    for text, (start, _end) in reversed(lines[-rule["lines"] :]):
        if found := _pattern("signer_at_line_end").search(text):
            _set(meta, "signer_name", found.group("name"), (start + found.start("name"), start + found.end("name")))
            return


def _signer_from_block(doc: Document, meta: DocumentMeta) -> None:
    lines = _signature_parts(doc)
    if not lines:
        return
    rules = _rules()
    authority_rule = compiled(load_model("segment")["signature"]["authority_pattern"])
    name_rule = compiled(rules["signer_name"]["pattern"])
    titles: list[tuple[str, Span]] = []
    for text, span in lines:
        if meta.signer_name is not None and text.isupper() and not _known_title(text):
            break  # a caption in capitals under the name: a text attached after the signature
        found = authority_rule.match(text)
        if found:  # "TM. ỦY BAN NHÂN DÂN" over "KT. CHỦ TỊCH": the line nearest the title counts
            marker = _MARKER_NOISE.sub("", found.group("auth")).upper()
            form = rules["authority_markers"]["forms"].get(marker, marker)
            remainder = text[found.end() :].strip()
            _set(meta, "signer_authority", f"{form} {_title_case(remainder)}", span)
        elif name_rule.match(text) and not text.isupper():
            _set(meta, "signer_name", text.strip(), span)
        elif text.isupper():
            titles.append((text, span))
    if meta.signer_name is None and len(titles) >= 2 and _looks_like_name(titles[-1][0]):
        text, span = titles.pop()  # a name printed in capitals ("ĐẶNG HỒNG THÁI")
        _set(meta, "signer_name", " ".join(word.capitalize() for word in text.split()), span)
    if chosen := _signer_title(titles):
        _set(meta, "signer_title", _title_case(chosen[0]), chosen[1])


def _signer_title(titles: list[tuple[str, Span]]) -> tuple[str, Span] | None:
    """The signer's title among the block's capitals lines: the first that begins with a
    known title, cut to the longest known title it begins with ("TRƯỞNG BAN PHÓ THỦ TƯỚNG":
    the committee's head signs as its Trưởng ban); else the first line that could be a title
    at all (no digits or code characters: an appendix caption or a file code is none)."""
    for text, (start, _end) in titles:
        words = list(_WORD.finditer(text))
        known = [n for n in range(1, len(words) + 1) if _known_title(text[: words[n - 1].end()])]
        if known:
            end = words[known[-1] - 1].end()
            return text[:end], (start, start + end)
    return next(((text, span) for text, span in titles if not _CODE_CHARS.search(text)), None)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 5
        and all(word.isalpha() for word in words)
        and _bare(text).lower() not in _known_titles()
        and not _starts_with_head(text)
    )


@functools.cache
def _known_titles() -> dict[str, str]:
    return {strip_diacritics(t).lower(): t for t in _rules()["signer_titles"]["titles"]}


def _title_case(printed: str) -> str:
    """"PHÓ GIÁM ĐÔC" -> "Phó Giám đốc": a known title by its bare letters, else an agency name."""
    printed = _SPACE_RUN.sub(" ", printed).strip()
    known = _known_titles().get(_bare(printed).lower())
    if known:
        return known
    canonical = canonical_name(printed)
    if canonical.known or _starts_with_head(printed):
        return canonical.name
    lowered = printed.lower()
    return lowered[:1].upper() + lowered[1:]


def _recipients(doc: Document) -> list[str]:
    clean = compiled(_rules()["recipient_clean"]["pattern"])
    recipients_rule = compiled(load_model("segment")["recipients"]["pattern"])
    store_rule = compiled(load_model("segment")["recipients"]["end_pattern"])
    pieces: list[str] = []
    previous = ""
    for text, _span in _lines(doc, doc.recipients):
        if recipients_rule.match(text) or store_rule.match(text):
            previous = text
            continue
        if pieces and continues_recipient(previous, text):
            pieces[-1] = f"{pieces[-1]} {text.strip()}"
        else:
            pieces.append(text)
        previous = text
    names = [cleaned for cleaned in (clean.sub("", piece).strip() for piece in pieces) if cleaned]
    addressees: list[str] = []
    for text, _span in _lines(doc, doc.header.addressees):
        cleaned = clean.sub("", text.split(":", 1)[-1] if ":" in text[:12] else text).strip()
        if cleaned:
            addressees.append(cleaned)
    return addressees + names
