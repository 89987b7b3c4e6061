"""The furniture legal portals wrap around a document, on a page saved as Markdown or text.

A portal page (thuvienphapluat.vn and its copies) starts with a copyright banner, a
"Đang tải văn bản..." line and an info block ("Số hiệu | 4240/UBND-VX | Loại văn bản |
Công văn | ...") before the document's own header, and ends, after the signature, with
the site's title of the document, related documents, comparison help, contact and login
notices. None of it is the document's text: it would hide the header from segment and put
the site's words among the document's. The phrases are data (models/portal.yaml); the
info block's values are returned as a note, evidence a reader may weigh but never the
header itself.

This works on the page's source lines before any markup is read, so the same rules serve
Markdown and plain-text copies.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from pipeline.ingest.layout import header_anchor
from pipeline.records import RecordWarning
from pipeline.rules import load_model
from pipeline.text import normalise_unicode

_MARKUP = regex.compile(r"^[\s*#|>_]+|[\s*#|>_]+$")


@dataclass
class Stripped:
    """The page's lines without the portal's furniture, and what its info block states."""

    lines: list[str]
    info: dict[str, str] = field(default_factory=dict)
    dropped: int = 0

    def note(self) -> list[RecordWarning]:
        """The info block as a note: what the portal says of the document, not the document."""
        if not self.info:
            return []
        stated = "; ".join(f"{label}: {value}" for label, value in self.info.items())
        return [RecordWarning(code="portal-info", message=f"the portal's info block (not read as the header) states: {stated}")]


@cache
def rules() -> dict[str, Any]:
    data = load_model("portal")
    phrases = [p.lstrip("^").rstrip("$").lower() for p in [*data["lead"], *data["trailer"]]]
    labels = "|".join(regex.escape(label) for label in data["info_labels"])
    return {
        **data,
        "lead_re": regex.compile("|".join(f"(?:{p})" for p in data["lead"]), regex.IGNORECASE),
        "label_re": regex.compile(rf"^({labels})\s*:$", regex.IGNORECASE),
        "trailer_re": regex.compile("|".join(f"(?:{p})" for p in data["trailer"]), regex.IGNORECASE),
        # the same phrases anywhere in a page (lower case, which is faster than ignoring case),
        # to pass over most pages without reading them line by line
        "anywhere_re": regex.compile("|".join(f"(?:{p})" for p in phrases)),
        # the words each phrase begins with: a page holding none of them (most pages) is
        # passed over with a plain substring test, 30 times faster than the search above
        "heads": tuple(fixed_head(p) for p in phrases),
        "title_re": regex.compile(data["trailer_title"]),
        "summary_re": regex.compile(data["summary_end"], regex.IGNORECASE),
    }


# The literal characters a pattern source begins with, up to its first metacharacter.
_LITERAL = regex.compile(r"[^\\^$.|?*+()\[\]{}]*")


def fixed_head(source: str) -> str:
    """The text every match of a pattern begins with: its literal start, less the last
    character if a quantifier follows it ("ab?c" begins with "a"); none for a pattern of
    alternatives ("ab|cd")."""
    if _alternatives(source):
        return ""
    head = _LITERAL.match(source).group()
    return head[:-1] if source[len(head) : len(head) + 1] in ("?", "*", "+", "{") else head


def _alternatives(source: str) -> bool:
    """Whether a "|" outside any group or class makes the pattern a choice."""
    depth, index, in_class = 0, 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


def bare(line: str) -> str:
    """The line's words without Markdown markup or table pipes at its ends."""
    return _MARKUP.sub("", normalise_unicode(line))


def strip_portal(lines: list[str]) -> Stripped:
    """The document's lines: the portal's lead (banner, loading line, info block) and its
    trailer cut off; a page without them is returned as it is."""
    data = rules()
    text = unicodedata.normalize("NFC", "\n".join(lines)).lower()
    heads = data["heads"]
    if (all(heads) and not any(head in text for head in heads)) or not data["anywhere_re"].search(text):
        return Stripped(lines)
    start, info = _lead_end(lines)
    end = _trailer_start(lines, start)
    kept = lines[start:end]
    return Stripped(kept, info, len(lines) - len(kept))


def _lead_end(lines: list[str]) -> tuple[int, dict[str, str]]:
    """Where the document starts after the portal's lead, and the info block's values. The
    lead is the banner and loading lines, then the info block's label and value cells; the
    table pipe that opens the document's header stays with the document."""
    data = rules()
    window = lines[: data["lead_lines"]]
    if not any(data["lead_re"].search(bare(line)) for line in window):
        return 0, {}
    info: dict[str, str] = {}
    end = 0
    i = 0
    while i < len(window):
        text = bare(window[i])
        label = data["label_re"].match(text) if text else None
        if label:
            value, i = _cell_value(window, i + 1)
            info.setdefault(_label(label.group(1)), value)
            end = i
            continue
        if text and header_anchor().search(text):
            break  # the document's own header: the lead is above it
        if text and data["lead_re"].search(text):
            end = i + 1
        elif text and len(info) >= data["min_info_labels"]:
            break
        i += 1
    if len(info) < data["min_info_labels"] and not end:
        return 0, {}
    end = _summary_end(window, end)
    while end > 0 and lines[end - 1].strip() == "|" and end < len(lines) and not lines[end].lstrip().startswith("|"):
        end -= 1
    return end, info if len(info) >= data["min_info_labels"] else {}


def _summary_end(lines: list[str], start: int) -> int:
    """After the site's summary of the document, if one follows the lead (before the header)."""
    for i in range(start, len(lines)):
        text = bare(lines[i])
        if header_anchor().search(text):
            break
        if rules()["summary_re"].search(text):
            return i + 1
    return start


def _label(found: str) -> str:
    """The label as the model writes it (the page may differ in case)."""
    return next(label for label in rules()["info_labels"] if label.lower() == found.lower())


def _cell_value(lines: list[str], i: int) -> tuple[str, int]:
    """The value cell after a label: the words up to the next pipe, and the index after that
    pipe (the pipe closing the value cell)."""
    while i < len(lines) and lines[i].strip() in ("|", ""):
        i += 1
    words: list[str] = []
    while i < len(lines) and lines[i].strip() != "|":
        if bare(lines[i]):
            words.append(bare(lines[i]))
        i += 1
    return " ".join(words), min(i + 1, len(lines))


def _trailer_start(lines: list[str], start: int) -> int:
    """Where the site's trailer begins (the page's end if it has none)."""
    data = rules()
    for i in range(start, len(lines)):
        if data["trailer_re"].search(bare(lines[i])):
            before = i - 1
            while before > start and not bare(lines[before]):
                before -= 1
            return before if before >= start and data["title_re"].match(bare(lines[before])) else i
    return len(lines)
