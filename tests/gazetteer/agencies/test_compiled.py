"""The gazetteer's patterns: the character trie finds what a flat list of the same names finds."""

from __future__ import annotations

import regex

from pipeline.gazetteer.agencies.compiled import _atoms, _printed_forms, known_re


def _flat_known() -> regex.Pattern:
    """known_re written as a flat alternation of whole names, longest first: slower, plainly right."""
    forms = sorted(_printed_forms(), key=len, reverse=True)
    names = "|".join("".join(_atoms(form)) for form in forms)
    return regex.compile(rf"(?-i:(?=\p{{Lu}}))(?<![\p{{L}}\p{{M}}\p{{N}}/&-])(?:{names})(?![\p{{L}}\p{{M}}\p{{N}}])", regex.I)


def _composed() -> str:
    """Every printed name in sentences of the genre, as printed, in capitals, and with its
    punctuation spaced, dropped or broken over a line."""
    sentences = []
    for form in sorted(_printed_forms()):
        sentences.append(f"Giao {form} chủ trì, phối hợp với {form} tỉnh Cao Bằng thực hiện.")
        sentences.append(f"{form.upper()}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        sentences.append(f"- {form.replace(' - ', '-').replace(' ', chr(10), 1)}: báo cáo {form.replace(',', '')}ngày 15/3.")
    return "\n".join(sentences)


def test_the_trie_finds_what_the_flat_alternation_finds() -> None:
    text = _composed()
    spans = [m.span() for m in known_re().finditer(text)]
    assert spans == [m.span() for m in _flat_known().finditer(text)]
    assert len(spans) > 2 * len(_printed_forms())
