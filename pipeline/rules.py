"""Loading the rule and gazetteer files of ``models/``: read once per process, then cached.

Rules are data (YAML) so that a linguist can extend them without touching code; this
module only finds, parses and compiles them. ``VNPLAN_MODELS`` points to another folder.

An entry's regex is its ``pattern``, or its ``patterns`` (alternatives, each scanned on its
own), or its ``words`` (a word list made one alternation, never inside a longer word), or
its ``trie`` (a word list as a character trie, without boundaries: for a piece). Patterns
share named pieces with one syntax, ``{name}``: the model's own ``pieces:`` section (pieces
written before may be used by later ones), and in every model ``{types}``, the names of the
document types (doc_types.yaml). A regex repetition such as ``{1,5}`` is never a piece name.

A pattern is tried only where a word it needs stands (``Scan``): the word every match
begins with, read from the pattern, or the words an entry (or one item of its
``patterns``, then written ``{pattern: ..., needs: [...]}``) states as ``needs:``.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml

MODELS_DIR = Path(os.environ.get("VNPLAN_MODELS", Path(__file__).resolve().parent.parent / "models"))
PIECE = regex.compile(r"\{([a-z_]+)\}")


# libyaml's parser where PyYAML has it: the 32 models parse in 0.03 s instead of 0.29 s, a
# cost every batch worker pays on its first document (the same data either way).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load_model(name: str) -> dict[str, Any]:
    """The parsed YAML file ``models/<name>.yaml``."""
    with open(MODELS_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER)


@functools.cache
def compiled(pattern: str, ignore_case: bool = True) -> regex.Pattern:
    """A compiled pattern; Vietnamese case folding needs the ``regex`` module's full Unicode."""
    flags = regex.IGNORECASE if ignore_case else 0
    return regex.compile(pattern, flags)


def words_pattern(words: list[str]) -> str:
    """A word list as one alternation, longest first, a space matching any whitespace, and
    never inside a longer word."""
    alternatives = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(regex.escape(part) for part in word.split()) for word in alternatives)
    return rf"(?<!\p{{L}})(?:{body})(?!\p{{L}})"


def trie_pattern(words: list[str]) -> str:
    """A word list as one alternation that branches on one character at a time, a space
    matching any whitespace, with no boundary of its own: the matches of the words tried
    longest first. The regex module tries an alternation's branches one by one at every
    position; the trie reads each character once (twice as fast on 80 verbs)."""
    return trie_of(
        [r"\s+" if char == " " else regex.escape(char) for char in " ".join(word.split())]
        for word in sorted(words, key=len, reverse=True)
    )


def trie_of(atom_lists: Iterable[Sequence[str]]) -> str:
    """Sequences of regex atoms (a character, a separator such as ``\\s+``) as one alternation
    over their trie: branches in the order the sequences first reach them, and a sequence
    that goes on tried before one that ends. Written by hand: no library builds a regex
    trie, and the callers' atoms (loose separators, case-sensitive acronym letters) are
    their own. Used by the rule data's ``trie`` entries and by the gazetteers."""
    trie: dict = {}
    for atoms in atom_lists:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}
    return _trie_node(trie)


def _trie_node(node: dict) -> str:
    branches = [atom + _trie_node(child) for atom, child in node.items() if atom]
    if not branches:
        return ""
    if "" in node:
        # A sequence that goes on is tried before its end, the end an empty last branch rather
        # than the group made optional ("?"), which tries the same: the regex module sets up
        # each repeat of a pattern on every call (text path -0.2 % instructions).
        return "(?:" + "|".join(branches) + "|)"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def entry_sources(entry: Any) -> list[str]:
    """The regex sources of one entry, pieces not yet expanded."""
    if isinstance(entry, str):
        return [entry]
    if "words" in entry:
        return [words_pattern(entry["words"])]
    if "trie" in entry:
        return [trie_pattern(entry["trie"])]
    if "patterns" in entry:
        return [item["pattern"] if isinstance(item, dict) else item for item in entry["patterns"]]
    return [entry["pattern"]]


@functools.cache
def pieces(model: str) -> dict[str, str]:
    """The pieces a model's patterns may name, expanded, each as a regex source."""
    known = {"types": _types_piece()}
    for name, entry in (load_model(model).get("pieces") or {}).items():
        source = expand(entry_sources(entry)[0], known)
        known[name] = f"(?-i:{source})" if isinstance(entry, dict) and entry.get("case_sensitive") else source
    return known


def expand(source: str, named: dict[str, str]) -> str:
    """``source`` with every ``{name}`` replaced by its piece, as a group."""
    return PIECE.sub(lambda m: f"(?:{named[m[1]]})", source)


def model_pattern(model: str, source: str) -> str:
    """A pattern source of ``model`` with its pieces expanded."""
    return expand(source, pieces(model))


def _entry(model: str, path: tuple[str, ...]) -> Any:
    """The entry at ``path`` in ``models/<model>.yaml``."""
    node: Any = load_model(model)
    for key in path:
        node = node[key]
    return node


@functools.cache
def pattern(model: str, *path: str, ignore_case: bool = True) -> regex.Pattern:
    """The compiled pattern at ``path`` in ``models/<model>.yaml`` (an entry's ``pattern``,
    or a string), its pieces expanded; found once (expanding the pieces of a source takes
    10 µs, and finders ask for their patterns in their loops)."""
    node = _entry(model, path)
    return compiled(model_pattern(model, entry_sources(node)[0]), ignore_case)


@functools.cache
def patterns(model: str, *path: str, ignore_case: bool = True) -> tuple[regex.Pattern, ...]:
    """Every compiled pattern of the entry at ``path`` (its ``patterns``, each scanned on its own)."""
    node = _entry(model, path)
    return tuple(compiled(model_pattern(model, source), ignore_case) for source in entry_sources(node))


# --------------------------------------------------------------------------- rules tried where their word stands


@dataclass(frozen=True)
class Rule:
    """A compiled pattern and the words it cannot match without: every match begins with its
    one word (``leading``: the word read from the pattern by ``leading_word``), or one of
    them stands somewhere in the text (stated in the data as ``needs:``, for a pattern that begins at a
    space or in a look-behind). Case-folded for a case-insensitive pattern, as written for
    a case-sensitive one. A rule without words is searched as it is."""

    pattern: regex.Pattern
    words: tuple[str, ...] = ()
    leading: bool = False
    folded: bool = True  # the words are looked for in the case-folded text (a leading word always)


@functools.cache
def rule(pattern: regex.Pattern, needs: tuple[str, ...] = ()) -> Rule:
    """``pattern`` as a rule: its stated words, else the word every match begins with."""
    if needs and not pattern.flags & regex.IGNORECASE:
        return Rule(pattern, needs, folded=False)
    if needs:
        return Rule(pattern, tuple(word.casefold() for word in needs))
    word = leading_word(pattern)
    return Rule(pattern, (word,), leading=True) if word else Rule(pattern)


@functools.cache
def rules_at(model: str, *path: str, ignore_case: bool = True) -> tuple[Rule, ...]:
    """The rules of the entry at ``path``: each of its patterns with the words it needs."""
    node = _entry(model, path)
    items = node["patterns"] if isinstance(node, dict) and "patterns" in node else [node]
    return tuple(
        rule(compiled(model_pattern(model, entry_sources(item)[0]), ignore_case), tuple(_needs(item)))
        for item in items
    )


def _needs(item: Any) -> list[str]:
    needs = item.get("needs", []) if isinstance(item, dict) else []
    return [needs] if isinstance(needs, str) else needs


class Scan:
    """One text through which rules are tried only where their word stands.

    The regex module searches a case-insensitive pattern at about 4 ns a character, and
    tries a pattern that begins at a space at every space; str.find looks for a word in
    the case-folded text at about 1 ns. Folding keeps every character in its place (else
    a case-insensitive rule is searched as it is), and the folded text holds a rule's word
    wherever a case-insensitive match needs it (tests/test_rules.py checks the words'
    letters against every code point), so the matches are the pattern's own. Hand-written:
    the regex module tells nothing of the words a pattern needs.
    """

    __slots__ = ("text", "folded", "_starts")

    def __init__(self, text: str) -> None:
        folded = text.casefold()
        self.text = text
        self.folded = folded if len(folded) == len(text) else None
        self._starts: dict[str, list[int]] = {}

    def finditer(self, rule: Rule, start: int = 0, end: int | None = None) -> Iterator[regex.Match]:
        """The matches of ``rule.pattern.finditer(text, start, end)``."""
        if rule.leading and self.folded is not None:
            return self._finditer_at_words(rule, start, len(self.text) if end is None else end)
        if not self.holds(rule):
            return iter(())
        return rule.pattern.finditer(self.text, start, len(self.text) if end is None else end)

    def search(self, rule: Rule, start: int = 0, end: int | None = None) -> regex.Match | None:
        """The first match of ``rule`` in ``text[start:end]``: ``rule.pattern.search``'s."""
        end = len(self.text) if end is None else end
        if rule.leading and self.folded is not None:
            starts = self._word_starts(rule.words[0])
            for index in range(bisect.bisect_left(starts, start), len(starts)):
                if starts[index] >= end:
                    return None
                if match := rule.pattern.match(self.text, starts[index], end):
                    return match
            return None
        return rule.pattern.search(self.text, start, end) if self.holds(rule) else None

    def _finditer_at_words(self, rule: Rule, start: int, end: int) -> Iterator[regex.Match]:
        """One pass over the word's places (a search from each match's end would look its
        place up again for every match)."""
        starts, after = self._word_starts(rule.words[0]), start
        for place in starts[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]:
            if place >= after and (match := rule.pattern.match(self.text, place, end)):
                yield match
                after = match.end()

    def holds(self, rule: Rule, start: int = 0, end: int | None = None) -> bool:
        """Whether ``text[start:end]`` holds a word ``rule`` cannot match without, or the text
        cannot tell (a rule without words, a text whose folding changes its length): False
        only where no match of ``rule`` can be. A span holds a match's words as the match
        does; `in` tells so at about 1 ns a character."""
        within = self.folded if rule.folded else self.text
        if within is None or not rule.words:
            return True
        if start > 0 or (end is not None and end < len(within)):
            # The span sliced once, then `in`: str.find parses its start and end on every call
            # (1.6 against 0.8 thousand instructions a word over a 60-character span).
            within = within[start:end]
        for word in rule.words:  # a loop, not any() over a generator: 0.72 -> 0.61 µs a call
            if word in within:
                return True
        return False

    def finditer_each(self, rules: Sequence[Rule], start: int = 0, end: int | None = None) -> Iterator[regex.Match]:
        """The matches of the alternation of ``rules`` in ``text[start:end]``, in text order,
        each rule searched on its own (where its word stands, where an alternation is tried
        at every position), as earliest_each reads them. A rule whose words the span does not
        hold is not searched, and one left is read by its own finditer: most spans hold none
        (a duty's "phối hợp" cues: 20 -> 3 µs a duty without one)."""
        end = len(self.text) if end is None else end
        held = [rule for rule in rules if self.holds(rule, start, end)]
        if len(held) < 2:
            return self.finditer(held[0], start, end) if held else iter(())
        return earliest_each([functools.partial(self.search, rule, end=end) for rule in held], start)

    def _word_starts(self, word: str) -> list[int]:
        """Every place ``word`` stands in the folded text, overlapping ones too."""
        if word not in self._starts:
            self._starts[word] = places(self.folded, word)
        return self._starts[word]


def places(text: str, word: str, start: int = 0) -> list[int]:
    """Every place ``word`` stands in ``text`` from ``start`` on, overlapping ones too: str.find
    from each place found, about 1 ns a character, where a pattern's search takes several."""
    found, place = [], text.find(word, start)
    while place >= 0:
        found.append(place)
        place = text.find(word, place + 1)
    return found


def earliest_each(searches: Sequence[Callable[[int], Any]], start: int = 0) -> Iterator[Any]:
    """The matches of an alternation read as separate searches (each ``search(position)``
    gives its first match from there, or None): the earliest match is taken and the reading
    goes on after it; at one place the first search listed wins, as in an alternation. A
    search is asked again only once the reading has passed the start of its last match,
    which is still its first from there. Hand-written: neither re nor the regex module has
    such a search. (Not for patterns that can match the empty string.)"""
    ahead = [search(start) for search in searches]
    while True:
        found = [match for match in ahead if match is not None]
        if not found:
            return
        first = min(found, key=lambda match: match.start())
        yield first
        ahead = [
            match if match is None or match.start() >= first.end() else search(first.end())
            for search, match in zip(searches, ahead)
        ]


def matches_where(
    candidates: re.Pattern, pattern: regex.Pattern, text: str, pos: int = 0, reach: int | None = None
) -> Iterator[regex.Match]:
    """``pattern``'s matches from ``pos`` on, one after another as its finditer gives them,
    tried only where ``candidates`` (a re pattern) finds a place one can begin, overlapping
    places too: re finds a few literal words far faster than the regex module tries a
    pattern led by look-arounds at every position. ``reach``: how far past the candidate's
    end a match can run (None: to the text's end). Hand-written: neither module has such a
    search."""
    found = candidates.search(text, pos)
    while found is not None:
        end = len(text) if reach is None else min(len(text), found.end() + reach)
        match = pattern.match(text, found.start(), end)
        if match is not None:
            yield match
            found = candidates.search(text, match.end())
        else:
            found = candidates.search(text, found.start() + 1)


@functools.lru_cache(maxsize=8192)
def may_begin(pattern: regex.Pattern, start: str) -> bool:
    """Whether a text that begins with ``start`` (its first character or two) may match
    ``pattern`` there: a partial match, asked once for each pattern and start. Most lines
    begin with a letter that none of the form's line rules can, told without trying the
    pattern (the regex module takes 0.5 µs a pattern and 2 µs for the outline's markers)."""
    return pattern.match(start, partial=True) is not None


def match_start(pattern: regex.Pattern, text: str, width: int = 2) -> regex.Match | None:
    """``pattern.match(text)``, tried only where the text's first ``width`` characters may
    begin a match (may_begin): the line rules of the form, asked of most lines of a
    document, match few of them."""
    return pattern.match(text) if may_begin(pattern, text[:width]) else None


@functools.cache
def leading_word(pattern: regex.Pattern) -> str | None:
    """The case-folded letters every match of ``pattern`` begins with (after its
    look-arounds), or None: none, a top-level alternative, or flags this reading ignores. Hand-written: the regex module tells
    nothing of a pattern's required prefix."""
    source = pattern.pattern
    if pattern.flags & (regex.VERBOSE | regex.FULLCASE | regex.REVERSE) or _has_top_level_bar(source):
        return None
    pos = 0
    while source.startswith(("(?<!", "(?<=", "(?!", "(?="), pos):
        pos = _group_end(source, pos)
    word = ""
    while pos < len(source) and source[pos].isalpha() and source[pos + 1 : pos + 2] not in ("?", "*", "{"):
        word += source[pos]
        pos += 1
    folded = word.casefold()
    return folded if folded and len(folded) == len(word) else None


def _regex_tokens(source: str) -> Iterator[tuple[int, str]]:
    """(position, character) of a pattern's characters outside escapes and [classes]."""
    pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            pos += 2 if source[pos + 1 : pos + 2] == "^" else 1
            pos += source[pos] == "]"  # a "]" right after the opening is a member
            while source[pos] != "]":
                pos += 2 if source[pos] == "\\" else 1
            pos += 1
            continue
        yield pos, char
        pos += 1


def _has_top_level_bar(source: str) -> bool:
    depth = 0
    for _, char in _regex_tokens(source):
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            return True
    return False


def _group_end(source: str, start: int) -> int:
    """Where the group that opens at ``start`` closes (the position after its ")")."""
    depth = 0
    for pos, char in _regex_tokens(source[start:]):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return start + pos + 1
    raise ValueError(f"unbalanced group in {source!r}")


@functools.cache
def _types_piece() -> str:
    names = sorted((t["name"] for t in load_model("doc_types")["types"]), key=len, reverse=True)
    return "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in names)
