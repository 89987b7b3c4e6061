"""The language check reads a document's first words as the regex module's \\p{L}+ finds them."""

from __future__ import annotations

import regex

from pipeline.ingest import checks, read_document
from pipeline.ingest.checks import first_words, language_warnings
from pipeline.records import Page
from tests.conftest import CORPUS, SHARED

_WORDS = regex.compile(r"\p{L}+")
# Letters beside what is no letter: digits and other numbers (², Ⅳ, ①), combining marks,
# capitals that lower-case longer (İ), punctuation, tabs and separators.
_MIXED = "Số 12/KH-UBND: x²y Ⅳa ①b Ca\u0301ch İstanbul ΑΣ,ΒΓ\tđ\x1ce…“Hà Nội”—2024 a_b"


def test_the_first_words_are_the_letters_runs_the_regex_module_finds(seeds) -> None:
    texts = [_MIXED, _MIXED * 40, "", "   ", "12 34", *(doc.text for doc in seeds.values())]
    for text in texts:
        every = _WORDS.findall(text)
        for count in (0, 1, 7, 300, 5000):
            assert first_words(text, count) == every[:count]
        for cut in range(0, len(text), max(1, len(text) // 50)):
            assert first_words(text[:cut], 300) == _WORDS.findall(text[:cut])[:300]


def test_no_letter_is_white_space() -> None:
    """A translated window is split at white space: no \\p{L} character may be any."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert not any(letter.isspace() for run in _WORDS.findall(every) for letter in run)


def test_the_first_pages_words_decide_only_what_all_the_words_decide(monkeypatch) -> None:
    """_surely_vietnamese spares the rest of the sample only where it cannot change the
    warning: the same warnings as without it, on the documents of corpus, real and pool and
    on pages in English, short, or mixed (an English first page before Vietnamese ones)."""
    folders = [CORPUS / "txt", CORPUS / "docx", CORPUS / "pdf", SHARED / "corpus/real/docs", SHARED / "corpus/pool"]
    documents = [read_document(path, ocr="never").pages for folder in folders for path in sorted(folder.glob("*"))]
    english = Page.from_text(1, "The plan sets out the tasks of each agency for the year, and the report is due in June. " * 8)
    vietnamese = documents[0][0]
    documents += [[english], [english, vietnamese], [vietnamese, english], [Page.from_text(1, "Kế hoạch số 12")], []]
    quick = [language_warnings(pages) for pages in documents]
    monkeypatch.setattr(checks, "_surely_vietnamese", lambda first_page, rules: False)
    assert quick == [language_warnings(pages) for pages in documents]
    assert [] in quick and any(quick)
