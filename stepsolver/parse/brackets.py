"""Bracket matching before parsing, so that a bracket error names both brackets involved."""

from __future__ import annotations

from ..errors import ParseError

CLOSER_OF = {"(": ")", "[": "]", "{": "}"}
_OPENER_OF = {closer: opener for opener, closer in CLOSER_OF.items()}


def check_brackets(text: str) -> None:
    """Raise ParseError for a bracket that is unmatched, mismatched, empty or never closed.

    Positions are columns in ``text`` (0-based); callers map them back if they rewrote it.
    """
    stack: list[tuple[str, int]] = []
    for pos, char in enumerate(text):
        if char in CLOSER_OF:
            stack.append((char, pos))
        elif char in _OPENER_OF:
            if not stack:
                raise ParseError(f"unmatched {char!r}: nothing opens it", pos)
            opener, opened_at = stack.pop()
            if opener != _OPENER_OF[char]:
                raise ParseError(
                    f"{char!r} closes the {opener!r} opened at column {opened_at + 1}; expected {CLOSER_OF[opener]!r}",
                    pos,
                )
            if opener == "(" and not text[opened_at + 1 : pos].strip():
                raise ParseError("empty brackets '()'", opened_at)
    if stack:
        opener, opened_at = stack[-1]
        raise ParseError(f"{opener!r} is never closed", opened_at)
