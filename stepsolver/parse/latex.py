"""The LaTeX reader: a Lark LALR grammar (fast, exact error columns), no eval anywhere.

This module holds the grammar (its text, the post-lexer that tells an opening ``|`` from a
closing one, the parser from the shipped tables), the transformer from its tree to SymPy, and
``parse_latex``, which runs them on the source as ``latex_normalise`` has rewritten it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

import sympy as sp
from lark import Lark, Token, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, v_args
from sympy.printing.str import StrPrinter

from ..errors import ParseError
from . import limits
from .brackets import check_brackets
from .build import (
    Chain,
    ExprBuilder,
    Grouped,
    apply_extremum,
    apply_function,
    make_div,
    make_mul,
    make_name,
    make_number,
    make_pow,
    make_product,
    position_of,
    subscript_text,
    unwrap,
)
from .latex_normalise import Mapped, declared_names, normalise, prescan
from .names import GREEK, LATEX_EXTREMA, LATEX_FUNCTIONS
from .reading import Notes, ReadOptions


class BarSides:
    """Lark post-lexer: decides whether each `|` opens or closes an absolute value."""

    always_accept = ("BAR",)
    _ENDS_OPERAND = frozenset(
        {"NUMBER", "LETTER", "NAME", "SUB", "GREEK", "PI", "RPAR", "RSQB", "RBRACE", "RBAR", "BANG", "RFLOOR", "RCEIL"}
    )

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        previous: str | None = None
        open_bars = 0
        for token in stream:
            if token.type == "BAR":
                if previous in self._ENDS_OPERAND and open_bars > 0:
                    token = Token.new_borrow_pos("RBAR", token.value, token)
                    open_bars -= 1
                else:
                    token = Token.new_borrow_pos("LBAR", token.value, token)
                    open_bars += 1
            previous = token.type
            yield token


def grammar_text() -> str:
    """latex.lark with the function and Greek names filled in from ``names``; the same text in
    every process, since Lark keys its table cache on it."""
    return (
        resources.files(__package__)
        .joinpath("latex.lark")
        .read_text()
        .replace("@GREEK@", "|".join(GREEK))
        .replace("@FUNCTIONS@", "|".join(LATEX_FUNCTIONS))
        .replace("@EXTREMA@", "|".join(LATEX_EXTREMA))
    )


@lru_cache(maxsize=1)
def _parser() -> Lark:
    # The LALR tables come from JSON shipped in the package (stepsolver/parse/tables.py), never from
    # Lark's cache=True, which would unpickle a predictably named file in the shared temp dir.
    from .tables import load

    return load(grammar_text(), BarSides())


class _SaidPrinter(StrPrinter):
    """What a reading note shows of a read term: |x| and √x as written, never Abs(x) or sqrt(x)."""

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        if expr.exp == sp.S.Half:
            inner = self._print(expr.base)
            return f"√{inner}" if expr.base.is_Atom else f"√({inner})"
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Mul(self, expr: sp.Mul) -> str:
        return super()._print_Mul(expr).replace("*", "·")


def said(expr: sp.Basic) -> str:
    return _SaidPrinter().doprint(expr).replace("**", "^")


def _derivative_variables(token: Token) -> list[tuple[sp.Symbol, int]]:
    """The variables below the line, in the order they are taken: ∂²/∂y∂x is ∂/∂y of ∂/∂x."""
    top, _, below = token.value[5:].partition("}")
    found = re.findall(r"(?:d|\\partial)\s*([a-zA-Z])\s*(?:\^\s*\{?\s*(\d+))?", below)
    assert found  # the DERIV terminal guarantees the shape
    taken = [(make_name(name, None, token.start_pos), int(count or 1)) for name, count in reversed(found)]
    order = re.search(r"\^\s*\{?\s*(\d+)", top)
    if sum(count for _, count in taken) != int(order.group(1) if order else 1):
        raise ParseError("the order above the line does not match the variables below it", token.start_pos)
    return taken


@v_args(meta=True, inline=True)
class _LatexBuilder(ExprBuilder):
    def __init__(self, options: ReadOptions, notes: Notes):
        super().__init__()
        self.options = options
        self.notes = notes

    def name(self, meta: Any, token: Token, sub: Token | None = None) -> sp.Expr:
        if token.value == "\\imaginaryunit" or (token.value == "i" and sub is None and self.options.complex):
            return sp.I
        if token.value.startswith("\\declared"):
            name = declared_names(self.options)[ord(token.value[-1]) - 65]
            return make_name(name, subscript_text(sub) if sub else None, token.start_pos)
        return make_name(token.value, subscript_text(sub) if sub else None, token.start_pos)

    def frac(self, meta: Any, _frac: Token, numerator: Any, denominator: Any) -> sp.Expr:
        return make_div(Grouped(unwrap(numerator)), Grouped(unwrap(denominator)), _frac.start_pos)

    def sqrt(self, meta: Any, _sqrt: Token, radicand: Any) -> sp.Expr:
        return make_pow(Grouped(unwrap(radicand)), sp.Rational(1, 2), _sqrt.start_pos)

    def root(self, meta: Any, _sqrt: Token, index: Any, radicand: Any) -> sp.Expr:
        index = unwrap(index)
        if index.is_zero:
            raise ParseError("a root of index 0", _sqrt.start_pos)
        exponent = 1 / index if index.is_Number else sp.Pow(index, -1, evaluate=False)
        return make_pow(Grouped(unwrap(radicand)), exponent, _sqrt.start_pos)

    def floor(self, meta: Any, _open: Token, inner: Any, _close: Token) -> sp.Expr:
        return apply_function("floor", unwrap(inner), None, None, _open.start_pos)

    def ceiling(self, meta: Any, _open: Token, inner: Any, _close: Token) -> sp.Expr:
        return apply_function("ceiling", unwrap(inner), None, None, _open.start_pos)

    def extremum(self, meta: Any, token: Token, *arguments: Any) -> sp.Expr:
        """\\max(a, b, …), \\max\\{a, b\\}, \\min(…): two or more arguments."""
        return apply_extremum(token.value, [unwrap(a) for a in arguments], token.start_pos)

    def np_arg(self, meta: Any, *items: Any) -> Any:
        return Grouped(unwrap(make_product(list(items))))

    def head(self, meta: Any, token: Token, *rest: Any) -> tuple[Token, sp.Expr | None, Token | None]:
        power = next((unwrap(r) for r in rest if not isinstance(r, Token)), None)
        sub = next((r for r in rest if isinstance(r, Token) and r.type == "SUB"), None)
        return token, power, sub

    def _call(
        self, head: tuple[Token, sp.Expr | None, Token | None], argument: Any, outer_power: Any = None
    ) -> sp.Expr:
        token, power, sub = head
        argument = unwrap(argument)
        if token.type == "DERIV":
            if power is not None or sub is not None:
                raise ParseError("a derivative operator takes no power or subscript", token.start_pos)
            value: sp.Expr = sp.Derivative(argument, *_derivative_variables(token), evaluate=False)
        else:
            base = None
            if sub is not None:
                text = subscript_text(sub)
                base = make_number(text, sub.start_pos) if text.isdigit() else make_name(text, None, sub.start_pos)
            value = apply_function(token.value.lstrip("\\"), argument, power, base, token.start_pos)
            if power is not None:
                shown = sp.sstr(power).replace("**", "^")
                name = token.value
                meaning = "the inverse function" if power == -1 else f"({name} …)^{shown}"
                self.notes.add(f"{name}^{{{shown}}} read as {meaning}")
        if outer_power is not None:
            return make_pow(Grouped(value), outer_power, token.start_pos)
        return value

    def call_paren(self, meta: Any, head: Any, argument: Any) -> sp.Expr:
        return self._call(head, argument)

    call_brace = call_paren

    def imul(self, meta: Any, left: Any, right: Any) -> Chain:
        chain = make_mul(left, right)
        chain.implicit = True
        return chain

    def div(self, meta: Any, left: Any, right: Any) -> Any:
        """x/2y: a product written without * after '/' stays together (said back, as in plain text);
        read left to right on request, (x/2)·y, to tell whether a verdict hangs on it."""
        if not (isinstance(right, Chain) and right.implicit and len(right.items) > 1):
            return make_div(left, right, position_of(meta))
        shown = said(right.build())
        self.notes.add(f"/{shown} read as /({shown}): a product written without * stays together")
        self.notes.divisions.append(f"/{shown} read as /({shown})")
        if not self.options.left_to_right_division:
            return make_div(left, right, position_of(meta))
        result: Any = make_div(left, right.items[0], position_of(meta))
        for item in right.items[1:]:
            result = make_mul(result, item)
        return result

    def call_bare(self, meta: Any, head: Any, argument: Any) -> sp.Expr:
        token, power, _ = head
        if token.type == "FUNC" and power is None:  # \sin^2 x is said by _call
            shown = said(unwrap(argument))
            self.notes.add(f"{token.value} {shown} read as {token.value}({shown})")
        return self._call(head, argument)

    def call_paren_pow(self, meta: Any, head: Any, argument: Any, power: Any) -> sp.Expr:
        return self._call(head, argument, unwrap(power))

    call_brace_pow = call_paren_pow


def normalised(text: str) -> str:
    """The text the grammar sees, after the synonyms and short forms are rewritten."""
    mapped = Mapped(text)
    normalise(mapped)
    return mapped.text


def parse_latex(text: str, options: ReadOptions | None = None, notes: Notes | None = None) -> sp.Expr:
    """Read a LaTeX expression; raise ParseError with a column for anything else."""
    options = options or ReadOptions()
    limits.check_text(text)
    original = text
    mapped = Mapped(text)
    try:
        normalise(mapped, options, notes)
        prescan(mapped.text)
        check_brackets(mapped.text, latex=True)
    except ParseError as error:
        raise ParseError(error.message, mapped.original(error.position), original) from None
    try:
        tree = _parser().parse(mapped.text)
    except UnexpectedInput as error:
        error_here = syntax_error(error, mapped.text)
        raise ParseError(error_here.message, mapped.original(error_here.position), original) from None
    try:
        result = unwrap(_LatexBuilder(options, notes if notes is not None else Notes()).transform(tree))
    except Exception as error:  # Lark wraps what the builder raises in a VisitError
        inner = getattr(error, "orig_exc", error)
        if isinstance(inner, ParseError):
            raise ParseError(inner.message, mapped.original(inner.position), original) from None
        if isinstance(inner, RecursionError):
            raise ParseError(f"expression nested more than {limits.MAX_NESTING} levels deep", None, original) from None
        raise ParseError(f"cannot read this expression ({type(inner).__name__})", None, original) from None
    limits.check_depth(result)
    return result


def syntax_error(error: UnexpectedInput, text: str, original: str | None = None) -> ParseError:
    """A one-line message for Lark's error; ``original`` is the text to quote, when known."""
    position = getattr(error, "pos_in_stream", None)
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        # brackets were matched before parsing; an absolute-value bar is the one that can stay open
        hint = ": a '|' is never closed" if "RBAR" in getattr(error, "expected", ()) else ""
        return ParseError(f"unexpected end of input{hint}", len(text.rstrip()), original)
    if isinstance(error, UnexpectedToken):
        token = error.token
        shown = token.value if token.type != "$END" else "end of input"
        message = f"unexpected {shown!r}"
        if token.type in ("RBRACE", "RPAR", "RSQB"):  # brackets are balanced by now: something is missing
            message = f"unexpected {shown!r}: something is missing before it"
        return ParseError(message, token.start_pos, original)
    if isinstance(error, UnexpectedCharacters):
        char = text[position] if position is not None and position < len(text) else "?"
        message = f"unexpected {char!r}"
        if char == "^":
            message = "a '^' needs an exponent: write x^{2} or x^2"
        elif char == "_":
            message = "a subscript must be a letter or digit, e.g. x_1 or x_{12}"
        return ParseError(message, position, original)
    return ParseError("cannot read this expression", position, original)
