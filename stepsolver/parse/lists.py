"""Vectors and matrices as people type them: ``[[1/2, 1], [0, 3]]``, ``[[a, b], [c, d]]``, ``(2, 1)``.

The brackets are split here; each entry is left as text for the expression reader, so that a
fraction, a surd or a symbol is read exactly like anywhere else (never by json, eval or sympify).
"""

from __future__ import annotations

from ..errors import ParseError
from .limits import MAX_NESTING

Nested = list["Nested | str"]
_CLOSER = {"[": "]", "(": ")"}


def split_top_level(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside brackets, the pieces stripped, empty ones dropped:
    ``0, f(1, 2)`` at ',' is ``["0", "f(1, 2)"]``; a line of working at '=' is its sides."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def split_list(text: str) -> Nested:
    """``[[1/2, 1], [0, 3]]`` as ``[["1/2", "1"], ["0", "3"]]``; a top-level ``(2, 1)`` is a vector."""
    start = len(text) - len(text.lstrip())
    if start == len(text) or text[start] not in _CLOSER:
        raise ParseError("a vector or matrix starts with '[' (or '(' for a vector)", start, text)
    items, end = _items(text, start, 0)
    if text[end:].strip():
        raise ParseError(f"unexpected {text[end:].strip()[0]!r} after the list", end, text)
    return items


def _items(text: str, i: int, depth: int) -> tuple[Nested, int]:
    if depth >= MAX_NESTING:
        raise ParseError(f"lists nested more than {MAX_NESTING} deep", i, text)
    closer = _CLOSER[text[i]]
    items: Nested = []
    i += 1
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i < len(text) and text[i] == "[":
            sub, i = _items(text, i, depth + 1)
            items.append(sub)
        else:
            entry, i = _entry(text, i, closer)
            if not entry and text[i : i + 1] == closer and not items:
                return items, i + 1  # []
            if not entry:
                raise ParseError("an empty entry", i, text)
            items.append(entry)
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            raise ParseError(f"the list is never closed: expected {closer!r}", len(text), text)
        if text[i] == closer:
            return items, i + 1
        if text[i] != ",":
            raise ParseError(f"expected ',' or {closer!r} between entries, got {text[i]!r}", i, text)
        i += 1


def _entry(text: str, i: int, closer: str) -> tuple[str, int]:
    """One entry's text, up to a ',' or the closing bracket at its own level."""
    start, depth, quote = i, 0, ""
    while i < len(text):
        char = text[i]
        if quote:  # JSON writes entries as strings: "1/2", "x^2"
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif char == "," and depth == 0:
            break
        i += 1
    if i >= len(text):
        raise ParseError(f"the list is never closed: expected {closer!r}", len(text), text)
    entry = text[start:i].strip()
    if len(entry) >= 2 and entry[0] == entry[-1] and entry[0] in "\"'":
        entry = entry[1:-1].strip()
    return entry, i
