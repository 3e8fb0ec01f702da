"""Bounds on what a user may type, checked before anything is evaluated.

SymPy evaluates integer powers and factorials eagerly, so `9^{9^{9^9}}` or `(10^6)!` would
hang the process if they were ever built; they are refused here instead, in milliseconds.
"""

from __future__ import annotations

import math

import sympy as sp

from ..errors import ParseError

MAX_LENGTH = 10_000  # characters of input
MAX_NESTING = 100  # brackets/braces open at once, and depth of the expression tree
MAX_INTEGER_DIGITS = 1_000  # digits of one literal number
MAX_RESULT_DIGITS = 4_000  # digits of an exact number a power may produce (Python prints at most 4,300)
MAX_FACTORIAL = 1_000  # largest integer n for which n! is computed
MAX_SYMBOLIC_EXPONENT = 10**6  # |n| in f^n for symbolic f; larger ones make rewriting blow up


def check_text(text: str) -> None:
    """Length and bracket nesting of the raw input."""
    if not text.strip():
        raise ParseError("empty input: type an expression such as x^2 \\sin x", 0, text)
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text):,} characters long; the limit is {MAX_LENGTH:,}", MAX_LENGTH, None)
    double = text.find("!!")
    if double >= 0:
        raise ParseError("!! (the double factorial) is not supported; write (x!)! for a factorial of a factorial",
                         double, text)  # fmt: skip
    check_nesting(text)


def check_nesting(text: str) -> None:
    """Brackets open at once, at most MAX_NESTING: deeper input is refused before it is read."""
    depth = 0
    for pos, char in enumerate(text):
        if char in "({[":
            depth += 1
            if depth > MAX_NESTING:
                raise ParseError(f"brackets nested more than {MAX_NESTING} deep", pos, text)
        elif char in ")}]":
            depth -= 1


def number_digits(value: sp.Expr) -> float:
    """About how many decimal digits an exact number has (0 for non-numbers)."""
    if isinstance(value, sp.Integer):
        return len(str(abs(int(value)))) if abs(int(value)) < 10**50 else math.log10(abs(int(value)))
    if isinstance(value, sp.Rational):
        return number_digits(sp.Integer(value.p)) + number_digits(sp.Integer(value.q))
    return 0.0


def check_power(base: sp.Expr, exponent: sp.Expr, position: int | None) -> None:
    """Refuse a power whose exact value or whose rewriting would be astronomically large."""
    if exponent.is_Number and not exponent.is_Integer and not exponent.is_Rational:
        return  # a float exponent gives a float, of bounded size
    if exponent.is_Rational:
        size = abs(float(exponent))
        if base.is_Rational and base not in (0, 1, -1):
            digits = size * max(math.log10(abs(int(base.p))), math.log10(int(base.q))) + 1  # 10^2001: 2,002
            if digits > MAX_RESULT_DIGITS:
                raise ParseError(
                    f"the power {_short(base)}^{_short(exponent)} would have about {_digits(digits)}"
                    f" digits; the limit is {MAX_RESULT_DIGITS:,}",
                    position,
                )
        elif not base.is_Number and size > MAX_SYMBOLIC_EXPONENT:
            raise ParseError(f"the exponent {_short(exponent)} is larger than {MAX_SYMBOLIC_EXPONENT:,}", position)


MAX_EXPONENTIAL = 10**6  # e^a for a number a beyond this has more than 400,000 digits


def check_exponential(exponent: sp.Expr, position: int | None) -> None:
    """e^{e^{e^{10}}}: a tower of numbers whose value no evaluation can reach, refused as typed."""
    if exponent.is_number and not exponent.free_symbols:
        try:
            size = abs(float(sp.N(exponent, 15)))
        except (TypeError, ValueError, OverflowError):
            size = math.inf
        if size > MAX_EXPONENTIAL:
            raise ParseError(
                f"e^({_short(exponent)}) is too large: the exponent is beyond {MAX_EXPONENTIAL:,}", position
            )


def check_factorial(argument: sp.Expr, position: int | None) -> None:
    if isinstance(argument, sp.factorial) and isinstance(argument.args[0], sp.factorial):
        raise ParseError("a factorial of a factorial of a factorial is too large to work with", position)
    if argument.is_Integer and int(argument) > MAX_FACTORIAL:
        raise ParseError(f"{_short(argument)}! is too large to compute; the limit is {MAX_FACTORIAL}!", position)
    if argument.is_Number and not argument.is_Integer:
        raise ParseError(f"factorial of a non-integer number {_short(argument)}", position)


def check_literal(digits: str, position: int | None) -> None:
    if len(digits.replace(".", "")) > MAX_INTEGER_DIGITS:
        raise ParseError(f"a number of {len(digits):,} digits; the limit is {MAX_INTEGER_DIGITS:,}", position)


def check_depth(expr: sp.Basic) -> None:
    """Depth of the expression tree, walked without recursion."""
    stack: list[tuple[sp.Basic, int]] = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ParseError(f"expression nested more than {MAX_NESTING} levels deep")
        stack.extend((arg, depth + 1) for arg in node.args)


def _digits(count: float) -> str:
    return f"{count:,.0f}" if count < 1e15 else f"{count:.1e}"


def _short(value: sp.Expr) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:12] + "…" + text[-12:]
