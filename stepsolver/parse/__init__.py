"""Input: LaTeX or plain text to a SymPy expression, within stated limits, never via eval."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import sympy as sp

from ..errors import ParseError
from . import limits
from .latex import parse_latex
from .names import symbol
from .reading import Notes, Reading, ReadOptions, current, reading
from .text import parse_text

Syntax = Literal["auto", "latex", "text", "latex2sympy2"]


def detect_syntax(text: str) -> Literal["latex", "text"]:
    """Backslashes or braces mean LaTeX; anything else is read as plain text."""
    return "latex" if ("\\" in text or "{" in text) else "text"


def read(
    source: str | sp.Basic,
    syntax: Syntax = "auto",
    names: Iterable[str] = (),
    complex: bool = False,
    left_to_right_division: bool = False,
) -> Reading:
    """The expression read from ``source``, with a note for every ambiguity a reading rule resolved.

    ``names``: multi-letter names the problem declares (kept whole instead of split into
    letters); ``complex``: ``i`` is the imaginary unit; ``left_to_right_division``: the other reading of
    ``1/2x``, as (1/2)·x, to tell whether an answer's verdict hangs on the ambiguity."""
    if isinstance(source, sp.Basic):
        if not isinstance(source, sp.Expr):
            raise ParseError(f"expected an expression, got a {type(source).__name__}")
        limits.check_depth(source)
        # Variables are real: a plain Symbol('x') becomes Symbol('x', real=True).
        unknown = {s: symbol(s.name) for s in source.free_symbols if isinstance(s, sp.Symbol) and not s.is_real}
        return Reading(source.xreplace(unknown) if unknown else source, (), "sympy")
    if not isinstance(source, str):
        raise ParseError(f"expected a string or a SymPy expression, got {type(source).__name__}")
    typed, source = source, _unwrapped(source)
    offset = typed.find(source) if source != typed else 0  # columns are of what was typed
    try:
        return _read_text(source, syntax, names, complex, left_to_right_division)
    except ParseError as error:
        if offset <= 0 or error.position is None:
            raise
        raise ParseError(error.message, error.position + offset, typed) from None


def _read_text(
    source: str, syntax: Syntax, names: Iterable[str], complex: bool, left_to_right_division: bool
) -> Reading:
    outer, collected = current()
    options = ReadOptions(outer.names | ReadOptions.of(names).names, complex or outer.complex, left_to_right_division)
    notes = Notes()
    if syntax == "auto":
        syntax = detect_syntax(source)
    if syntax == "latex":
        expr = parse_latex(source, options, notes)
    elif syntax == "text":
        expr = parse_text(source, options, notes)
    elif syntax == "latex2sympy2":
        from .latex2sympy2_backend import parse_latex2sympy2

        expr = parse_latex2sympy2(source)
    else:
        raise ParseError(f"unknown syntax {syntax!r}: use auto, latex, text or latex2sympy2")
    if not options.complex:
        _require_real(expr, source)
    if collected is not None:
        for line in notes.lines:
            collected.add(line)
    return Reading(expr, tuple(notes.lines), syntax, tuple(notes.divisions))


_MATH_DELIMITERS = [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")]


def _unwrapped(source: str) -> str:
    """What a person pastes: a byte-order mark, $…$ or \\(…\\) around the maths, a full stop after it."""
    text = source.lstrip("\ufeff").strip()
    for opener, closer in _MATH_DELIMITERS:
        if len(text) > len(opener) + len(closer) and text.startswith(opener) and text.endswith(closer):
            text = text[len(opener) : -len(closer)].strip()
            break
    if text.endswith(".") and not text[-2:-1].isdigit():
        text = text[:-1].rstrip()  # "2x." ends a sentence; "2." is a number
    return text or source


def _require_real(expr: sp.Expr, source: str) -> None:
    """Numbers are real unless the problem is complex: √(-1), ln(-2) or 1/0 typed in a real problem is
    an error here, before any step is worked on it."""
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParseError("the input contains an undefined value (a division by zero, or (-1)!, tan(π/2), ln 0)",
                         None, source)  # fmt: skip
    if expr.has(sp.I):
        raise ParseError("the input contains a number that is not real (such as √(-1) or ln(-2)); variables "
                         "and numbers are real unless the problem is complex (--complex)", None, source)  # fmt: skip


def parse(source: str | sp.Basic, syntax: Syntax = "auto", names: Iterable[str] = (), complex: bool = False) -> sp.Expr:
    """A SymPy expression from a string (LaTeX or plain text) or from SymPy itself."""
    return read(source, syntax, names, complex).expr


__all__ = [
    "ParseError",
    "Reading",
    "Syntax",
    "detect_syntax",
    "limits",
    "parse",
    "parse_latex",
    "parse_text",
    "read",
    "reading",
]
