"""Turns a parse tree (from either syntax) into a SymPy expression, keeping what was typed.

Sums, products and powers are built with ``evaluate=False`` so that the derivation starts
from the expression as the teacher wrote it (``\\frac{\\ln x}{x^2}`` stays a quotient); parts
made only of numbers are evaluated at once, after the size checks in ``limits``.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from lark import Token, v_args
from lark.visitors import Transformer_NonRecursive

from ..errors import ParseError
from . import limits
from .names import EXTREMA, FUNCTIONS, INVERSE_BY_POWER_MINUS_ONE, FunctionBuilder, symbol


class Grouped:
    """Marks an expression that stood in brackets, so that it is not merged with neighbours."""

    __slots__ = ("expr",)

    def __init__(self, expr: sp.Expr):
        self.expr = expr


class Chain:
    """A sum or product still being read: terms collect in a list, and SymPy builds it once.

    Rebuilding the SymPy Add at every `+` would make `x+x+…+x` quadratic in its length.
    """

    __slots__ = ("implicit", "items", "kind")

    def __init__(self, kind: type, items: list[sp.Expr]):
        self.kind = kind
        self.items = items
        self.implicit = False  # written side by side (2x), not with * (2*x)

    def build(self) -> sp.Expr:
        if all(item.is_Number for item in self.items):
            if self.kind is sp.Mul:  # 999999999*…*999999999: the product's size, before it is made
                digits = sum(limits.number_digits(item) for item in self.items)
                if digits > limits.MAX_RESULT_DIGITS:
                    raise ParseError(f"a product of numbers with about {digits:,.0f} digits; the limit is "
                                     f"{limits.MAX_RESULT_DIGITS:,}")  # fmt: skip
            return self.kind(*self.items)
        return self.kind(*self.items, evaluate=False)


def unwrap(item: Any) -> sp.Expr:
    if isinstance(item, Grouped):
        return item.expr
    if isinstance(item, Chain):
        return item.build()
    return item


def _chain(kind: type, left: Any, right: Any) -> Chain:
    chain = left if isinstance(left, Chain) and left.kind is kind else Chain(kind, [unwrap(left)])
    if isinstance(right, Chain) and right.kind is kind:
        chain.items.extend(right.items)
    else:
        chain.items.append(unwrap(right))
    return chain


def position_of(meta: Any) -> int | None:
    return getattr(meta, "start_pos", None) if meta is not None and not meta.empty else None


def make_add(left: Any, right: Any) -> Chain:
    return _chain(sp.Add, left, right)


def make_mul(left: Any, right: Any) -> Chain:
    return _chain(sp.Mul, left, right)


def make_product(factors: list[Any]) -> Any:
    """Factors written side by side, as one product (one factor stays as it is)."""
    result = factors[0]
    for factor in factors[1:]:
        result = make_mul(result, factor)
    return result


def make_neg(item: Any) -> sp.Expr:
    if isinstance(item, Chain) and item.kind is sp.Mul and item.items[0].is_Number:
        return sp.Mul(-item.items[0], *item.items[1:], evaluate=False)  # -2x is (-2)·x, not (-1)·2x
    expr = unwrap(item)
    if expr.is_Number:
        return -expr
    return sp.Mul(sp.S.NegativeOne, expr, evaluate=False)


def make_pow(base_item: Any, exponent_item: Any, position: int | None) -> sp.Expr:
    base, exponent = unwrap(base_item), unwrap(exponent_item)
    limits.check_power(base, exponent, position)
    if base == sp.E:
        limits.check_exponential(exponent, position)
        return as_written(sp.exp, exponent)
    if base.is_Number and exponent.is_Number:
        if base.is_negative and exponent.is_Rational and not exponent.is_Integer and exponent.q % 2 == 1:
            # variables and numbers are real: (-8)^{1/3} is the real cube root -2, not SymPy's principal root
            magnitude = sp.Pow(-base, exponent)
            return -magnitude if exponent.p % 2 else magnitude
        return sp.Pow(base, exponent)
    return sp.Pow(base, exponent, evaluate=False)


def make_div(numerator_item: Any, denominator_item: Any, position: int | None) -> sp.Expr | Chain:
    denominator = unwrap(denominator_item)
    if denominator.is_zero:
        raise ParseError("division by zero", position)
    if isinstance(numerator_item, Chain) and numerator_item.kind is sp.Mul and len(numerator_item.items) > 1:
        numerator_item.items.append(_reciprocal(denominator))  # x/x/…/x: no rebuilding at every '/'
        return numerator_item
    numerator = unwrap(numerator_item)
    if numerator.is_Number and denominator.is_Number:
        return numerator / denominator
    reciprocal = _reciprocal(denominator)
    if numerator == 1:
        return reciprocal
    return make_mul(numerator_item, reciprocal)


def _reciprocal(denominator: sp.Expr) -> sp.Expr:
    return sp.Pow(denominator, -1) if denominator.is_Number else sp.Pow(denominator, -1, evaluate=False)


def as_written(builder: FunctionBuilder, argument: sp.Expr) -> sp.Expr:
    """f(g(x)) as typed when SymPy would cancel it: e^{ln x} is x only for x > 0, sin(arcsin x) only
    for |x| ≤ 1, so the written form keeps the domain that the simplified one loses."""
    value = builder(argument)
    if isinstance(builder, type) and argument.free_symbols and not value.has(builder):
        return builder(argument, evaluate=False)
    return value


def make_factorial(item: Any, position: int | None) -> sp.Expr:
    argument = unwrap(item)
    limits.check_factorial(argument, position)
    return sp.factorial(argument)


def make_number(text: str, position: int | None) -> sp.Expr:
    limits.check_literal(text, position)
    return sp.Rational(text) if "." in text else sp.Integer(text)


def make_name(text: str, subscript: str | None, position: int | None) -> sp.Expr:
    base = text.lstrip("\\")
    if subscript:
        return symbol(f"{base}_{subscript}")
    if base == "pi" and text.startswith("\\"):
        return sp.pi
    if base == "e":
        return sp.E
    return symbol(base)


def apply_function(
    name: str, argument: sp.Expr, power: sp.Expr | None, base: sp.Expr | None, position: int | None
) -> sp.Expr:
    builder = FUNCTIONS.get(name)
    if builder is None:
        raise ParseError(f"unknown function {name}", position)
    if power is not None and power == -1 and builder in INVERSE_BY_POWER_MINUS_ONE:
        return INVERSE_BY_POWER_MINUS_ONE[builder](argument)
    if name == "log" and base == sp.E:
        value = sp.log(argument)
    elif name == "log" and base is not None:
        if base == 1 or base.is_zero or (base.is_Number and base.is_negative):
            raise ParseError(f"a logarithm cannot have base {base}", position)
        value = sp.Mul(sp.log(argument), sp.Pow(sp.log(base), -1, evaluate=False), evaluate=False)
    elif base is not None:
        raise ParseError(f"\\{name} takes no subscript", position)
    else:
        value = as_written(builder, argument)
    if power is not None:
        return make_pow(value, power, position)
    return value


def apply_extremum(name: str, arguments: list[sp.Expr], position: int | None) -> sp.Expr:
    """max(a, b, …) or min(a, b, …) as typed (``name`` as written: max or \\max): SymPy's Max/Min of
    the arguments, kept unevaluated when evaluating would drop it (max(x, x + 1) is not cancelled to
    x + 1, as e^{ln x} is not cancelled to x); a maximum of numbers only is that number."""
    builder = EXTREMA[name.lstrip("\\")]
    if len(arguments) < 2:
        raise ParseError(f"{name} needs two or more arguments, such as {name}(a, b)", position)
    try:
        value = builder(*arguments)
        if not value.has(builder) and any(argument.free_symbols for argument in arguments):
            value = builder(*arguments, evaluate=False)
    except (TypeError, ValueError):  # Max(x, i): a complex argument has no order
        raise ParseError(f"{name} compares real values only", position) from None
    return value


def subscript_text(token: Token) -> str:
    return token.value.lstrip("_").strip().strip("{}").strip()


@v_args(meta=True, inline=True)
class ExprBuilder(Transformer_NonRecursive):
    """Rules shared by the LaTeX and plain-text grammars.

    Non-recursive: `x+x+…+x` is a left-leaning tree thousands of levels deep.
    """

    def add(self, meta: Any, left: Any, right: Any) -> Chain:
        return make_add(left, right)

    def sub(self, meta: Any, left: Any, right: Any) -> Chain:
        return make_add(left, make_neg(right))

    def neg(self, meta: Any, item: Any) -> sp.Expr:
        return make_neg(item)

    def pos(self, meta: Any, item: Any) -> Any:
        return item

    def mul(self, meta: Any, left: Any, right: Any) -> Chain:
        return make_mul(left, right)

    imul = mul

    def div(self, meta: Any, left: Any, right: Any) -> sp.Expr:
        return make_div(left, right, position_of(meta))

    def pow(self, meta: Any, base: Any, exponent: Any) -> sp.Expr:
        return make_pow(base, exponent, position_of(meta))

    def factorial(self, meta: Any, item: Any) -> sp.Expr:
        return make_factorial(item, position_of(meta))

    def group(self, meta: Any, item: Any) -> Grouped:
        return Grouped(unwrap(item))

    def group_pow(self, meta: Any, item: Any, exponent: Any) -> sp.Expr:
        return make_pow(Grouped(unwrap(item)), exponent, position_of(meta))

    def abs(self, meta: Any, *items: Any) -> sp.Expr:
        inner = [i for i in items if not isinstance(i, Token)]
        return sp.Abs(unwrap(inner[0]))

    def number(self, meta: Any, token: Token) -> sp.Expr:
        return make_number(token.value, token.start_pos)
