"""What a command is given besides its expression — variable names, points, numbers — read in one
place and the same way everywhere (x1 names x₁, as the reader reads it; 0.01 is exactly 1/100)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeAlias

import sympy as sp

from ..errors import ParseError
from . import Syntax, parse
from .limits import MAX_INTEGER_DIGITS
from .names import CONSTANTS, EXTREMA, FUNCTIONS

Point: TypeAlias = Mapping[str, object] | str | int | float | sp.Expr | None

_INDEXED = re.compile(r"^([A-Za-z]+?)([0-9]+)$")
_NAME = re.compile(r"^\\?[A-Za-z][A-Za-z0-9]*(_\{?[A-Za-z0-9]+\}?)?$")
_DECIMAL = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?\s*$")


def variable_of(expr: sp.Expr, name: str | sp.Symbol) -> sp.Symbol:
    """The variable of ``expr`` that ``name`` names (x1 names x₁, as the reader reads it)."""
    if isinstance(name, sp.Symbol):
        return name
    if not isinstance(name, str) or not _NAME.match(name.strip()):
        raise ParseError(f"not a variable name: {name!r}")
    clean = name.strip().lstrip("\\").replace("{", "").replace("}", "")
    if clean in CONSTANTS or clean in ("I", "oo", "infty", "nan", "zoo"):
        raise ParseError(f"{clean} is a constant, not a variable: differentiate with respect to a variable")
    if clean in FUNCTIONS or clean in EXTREMA:
        raise ParseError(f"{clean} is a function, not a variable")
    indexed = _INDEXED.sub(r"\1_\2", clean)  # x1 names the variable the reader reads x1 as: x₁
    for spelling in (clean, indexed):
        for symbol in expr.free_symbols:
            if isinstance(symbol, sp.Symbol) and symbol.name == spelling:
                return symbol
    return sp.Symbol(clean, real=True)


def read_point(expr: sp.Expr, wrt: sp.Symbol, at: Point, syntax: Syntax) -> dict[sp.Symbol, sp.Expr]:
    """``at`` as {symbol: exact value}: a number for the variable, "x=2, y=3", or a mapping."""
    if at is None:
        return {}
    if isinstance(at, str) and "=" not in at:
        at = {wrt.name: at}
    elif isinstance(at, str):
        pairs = {}
        for part in at.split(","):
            name, sep, text = part.partition("=")
            if not sep or not name.strip() or not text.strip():
                raise ParseError(f"expected name=value in --at, got {part.strip()!r}")
            if name.strip() in pairs:
                raise ParseError(f"{name.strip()} is given twice in --at")
            pairs[name.strip()] = text.strip()
        at = pairs
    elif not isinstance(at, Mapping):
        at = {wrt.name: at}
    point: dict[sp.Symbol, sp.Expr] = {}
    for name, raw in at.items():
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str, sp.Expr)):
            raise ParseError(f"the value of {name} must be a number, got {raw!r}")
        if isinstance(raw, float):
            value: sp.Expr = sp.Rational(repr(raw))
        elif isinstance(raw, str):
            value = parse(raw, "auto" if syntax == "latex2sympy2" else syntax)
        else:
            value = sp.sympify(raw) if isinstance(raw, int) else raw  # ints and SymPy values only
        if value.free_symbols:
            raise ParseError(f"the value of {name} must be a number, got {value}")
        variable = variable_of(expr, name)
        if variable not in expr.free_symbols and variable != wrt:
            names = ", ".join(sorted(s.name for s in expr.free_symbols)) or "none"
            raise ParseError(f"there is no variable {name} in the function (its variables: {names})")
        point[variable] = value
    return point


def read_number(value: object, what: str, syntax: Syntax = "auto") -> sp.Expr:
    """An exact number from 0.01, "1e-3", "1/100" or a SymPy number: never a float."""
    if isinstance(value, bool):
        raise ParseError(f"{what} must be a number, got {value!r}")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        return sp.Rational(repr(value))
    if isinstance(value, str) and _DECIMAL.match(value):
        digits = sum(c.isdigit() for c in value)
        if digits > MAX_INTEGER_DIGITS:
            raise ParseError(f"{what} has {digits:,} digits; the limit is {MAX_INTEGER_DIGITS:,}")
        return sp.Rational(value.strip())
    number = parse(value, syntax) if isinstance(value, str) else value
    if not isinstance(number, sp.Expr) or number.free_symbols or not number.is_number:
        raise ParseError(f"{what} must be a number, got {value!r}")
    return number


def read_variables(f: sp.Expr, names: Sequence[str] | str | None) -> list[sp.Symbol]:
    free = sorted((s for s in f.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
    if names is None:
        chosen = free
    else:
        wanted = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        chosen = [variable_of(f, n) for n in wanted]
    if not chosen:
        raise ParseError("the function has no variables to differentiate with respect to")
    return chosen
