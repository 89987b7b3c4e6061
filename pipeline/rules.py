"""Loading the rule and gazetteer files of ``models/``: read once per process, then cached.

Rules are data (YAML) so that a linguist can extend them without touching code; this
module only finds, parses and compiles them. ``VNPLAN_MODELS`` points to another folder.

An entry's regex is its ``pattern``, or its ``patterns`` (alternatives, each scanned on its
own), or its ``words`` (a word list made one alternation, never inside a longer word), or
its ``trie`` (a word list as a character trie, without boundaries: for a piece). Patterns
share named pieces with one syntax, ``{name}``: the model's own ``pieces:`` section (pieces
written before may be used by later ones), and in every model ``{types}``, the names of the
document types (doc_types.yaml). A regex repetition such as ``{1,5}`` is never a piece name.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Sequence
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
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body  # a sequence that goes on is tried before its end


def entry_sources(entry: Any) -> list[str]:
    """The regex sources of one entry, pieces not yet expanded."""
    if isinstance(entry, str):
        return [entry]
    if "words" in entry:
        return [words_pattern(entry["words"])]
    if "trie" in entry:
        return [trie_pattern(entry["trie"])]
    if "patterns" in entry:
        return list(entry["patterns"])
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


@functools.cache
def pattern(model: str, *path: str, ignore_case: bool = True) -> regex.Pattern:
    """The compiled pattern at ``path`` in ``models/<model>.yaml`` (an entry's ``pattern``,
    or a string), its pieces expanded; found once (expanding the pieces of a source takes
    10 µs, and finders ask for their patterns in their loops)."""
    node: Any = load_model(model)
    for key in path:
        node = node[key]
    return compiled(model_pattern(model, entry_sources(node)[0]), ignore_case)


@functools.cache
def patterns(model: str, *path: str, ignore_case: bool = True) -> tuple[regex.Pattern, ...]:
    """Every compiled pattern of the entry at ``path`` (its ``patterns``, each scanned on its own)."""
    node: Any = load_model(model)
    for key in path:
        node = node[key]
    return tuple(compiled(model_pattern(model, source), ignore_case) for source in entry_sources(node))


def finditer_each(rules: Sequence[regex.Pattern], text: str, start: int = 0, end: int | None = None) -> Iterator[regex.Match]:
    """The matches of the alternation of ``rules`` in ``text[start:end]``, in text order, each
    rule searched on its own: a rule that begins with a word lets the regex engine skip to
    that word, where an alternation is tried at every position. The earliest match is
    taken and the search goes on after it; at one place the first rule listed wins, as in
    an alternation. Hand-written: the regex module has no such search. (Not for rules that
    can match the empty string.)"""
    end = len(text) if end is None else end
    position = start
    while True:
        found = [match for match in (rule.search(text, position, end) for rule in rules) if match is not None]
        if not found:
            return
        first = min(found, key=lambda match: match.start())
        yield first
        position = first.end()


@functools.cache
def _types_piece() -> str:
    names = sorted((t["name"] for t in load_model("doc_types")["types"]), key=len, reverse=True)
    return "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in names)
