"""Bracket matching before parsing, so that a bracket error names both brackets involved."""

from __future__ import annotations

import re

from ..errors import ParseError

CLOSER_OF = {"(": ")", "[": "]", "{": "}"}
# LaTeX's \lfloor x \rfloor and \lceil x \rceil pair like brackets, and nest with them.
_COMMAND_CLOSER_OF = {"\\lfloor": "\\rfloor", "\\lceil": "\\rceil"}
_OPENER_OF = {closer: opener for opener, closer in {**CLOSER_OF, **_COMMAND_CLOSER_OF}.items()}
_BRACKET = re.compile(r"[()\[\]{}]")
_LATEX_BRACKET = re.compile(r"\\[lr](?:floor|ceil)(?![a-zA-Z])|[()\[\]{}]")


def check_brackets(text: str, latex: bool = False) -> None:
    """Raise ParseError for a bracket that is unmatched, mismatched, empty or never closed;
    ``latex``: \\lfloor … \\rfloor and \\lceil … \\rceil are brackets too.

    Positions are columns in ``text`` (0-based); callers map them back if they rewrote it.
    """
    closer_of = {**CLOSER_OF, **_COMMAND_CLOSER_OF} if latex else CLOSER_OF
    stack: list[tuple[str, int, int]] = []  # the opener, where it starts and where it ends
    for match in (_LATEX_BRACKET if latex else _BRACKET).finditer(text):
        bracket, pos = match.group(0), match.start()
        if bracket in closer_of:
            stack.append((bracket, pos, match.end()))
            continue
        if not stack:
            raise ParseError(f"unmatched '{bracket}': nothing opens it", pos)
        opener, opened_at, inside = stack.pop()
        if opener != _OPENER_OF[bracket]:
            raise ParseError(
                f"'{bracket}' closes the '{opener}' opened at column {opened_at + 1}; expected '{closer_of[opener]}'",
                pos,
            )
        if opener in ("(", *_COMMAND_CLOSER_OF) and not text[inside:pos].strip():
            raise ParseError(f"empty brackets '{opener}{'' if opener == '(' else ' '}{bracket}'", opened_at)
    if stack:
        opener, opened_at, _ = stack[-1]
        if opener in _COMMAND_CLOSER_OF:
            raise ParseError(f"'{opener}' is never closed: write {closer_of[opener]} after its argument", opened_at)
        raise ParseError(f"'{opener}' is never closed", opened_at)
