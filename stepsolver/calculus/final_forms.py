"""The last steps a teacher writes: after the textbook form and its tidying, a few named targets —
sin²u + cos²u = 1, sgn(u)/|u| = 1/u, roots for half powers and one fraction for a product with a
reciprocal (the slide's (1/2)x^(−1/2) is kept as its own step, then 1/(2√x)). Each is a step the
verifier checks like any other, and none is taken unless the form it gives is no longer than the
one before it."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..core.derivation import Step
from ..core.notation import text
from ..core.rules import SIMPLIFY, Rule, declare
from .simplify import best_form

PYTHAGOREAN = declare(Rule(
    "pythagorean_identity", "Pythagorean identity",
    r"\sin^{2} u + \cos^{2} u = 1, \quad \cosh^{2} u - \sinh^{2} u = 1",
))  # fmt: skip
SIGN_OVER_ABS = declare(Rule(
    "sign_over_abs", "sgn(u)/|u| = 1/u, for u ≠ 0",
    r"\frac{\operatorname{sgn} u}{|u|} = \frac{1}{u}, \quad \operatorname{sgn}(u)\,|u| = u \quad (u \neq 0)",
))  # fmt: skip
ROOTS = declare(Rule("roots", "Write half powers as roots", r"u^{1/2} = \sqrt{u}, \quad u^{-1/2} = \frac{1}{\sqrt{u}}"))
AS_FRACTION = declare(Rule(
    "as_fraction", "Write as one fraction", r"f \cdot \frac{1}{g} = \frac{f}{g}, \quad c\,u^{-n} = \frac{c}{u^{n}}"
))  # fmt: skip


def _pairs(add: sp.Add, square: type, other: type, sign: int) -> sp.Expr | None:
    """c·square(u)² + sign·c·other(u)² → c, once per pair, in an Add."""
    terms = list(add.args)
    for term in terms:
        for node in term.atoms(square):
            coefficient = sp.cancel(term / node**2)
            if coefficient.has(node):
                continue
            partner = sign * coefficient * other(*node.args) ** 2
            if partner in terms:
                rest = [t for t in terms if t not in (term, partner)]
                return sp.Add(coefficient, *rest)
    return None


def _pythagoras(expr: sp.Expr) -> sp.Expr:
    def merge(add: sp.Expr) -> sp.Expr:
        for square, other, sign in ((sp.sin, sp.cos, 1), (sp.cosh, sp.sinh, -1)):
            merged = _pairs(add, square, other, sign)  # type: ignore[arg-type]
            if merged is not None:
                return merge(merged) if merged.is_Add else merged
        return add

    return expr.replace(lambda e: e.is_Add, merge)


def _sign_over_abs(expr: sp.Expr) -> sp.Expr:
    def merge(mul: sp.Expr) -> sp.Expr:
        factors = list(mul.args)
        for factor in factors:
            if isinstance(factor, sp.sign):
                u = factor.args[0]
                for power, replacement in ((sp.Abs(u) ** -1, u**-1), (sp.Abs(u), u)):
                    if power in factors:
                        rest = [f for f in factors if f not in (factor, power)]
                        return sp.Mul(replacement, *rest)
        return mul

    return expr.replace(lambda e: e.is_Mul, merge)


def _length(expr: sp.Expr, typed: bool) -> int:
    return len(text(expr, typed=typed))


def final_steps(term: sp.Expr, typed: bool) -> list[Step]:
    """The teacher's final form of ``term`` (shown so far ``typed`` or not), step by step."""
    steps: list[Step] = []
    targets: list[tuple[Rule, Callable[[sp.Expr], sp.Expr]]] = [
        (PYTHAGOREAN, _pythagoras),
        (SIGN_OVER_ABS, _sign_over_abs),
    ]
    for rule, rewrite in targets:
        rewritten = rewrite(term)
        if rewritten == term:
            continue
        tidy = best_form(rewritten, thorough=True)
        if _length(tidy, False) > _length(term, typed):
            continue  # never a final form longer than the one before it
        signs = sorted(term.atoms(sp.sign) - rewritten.atoms(sp.sign), key=sp.default_sort_key)
        bindings = {"u": signs[0].args[0]} if rule is SIGN_OVER_ABS and signs else {}
        steps.append(Step(rule, term, rewritten, bindings, typed_order=False))
        if tidy != rewritten:
            steps.append(Step(SIMPLIFY, rewritten, tidy, typed_order=False))
        term, typed = tidy, False
    if typed and _length(term, False) < _length(term, True):
        # the same term, written as a teacher ends: 1/(2√x) after the slide's (1/2)x^(−1/2)
        steps.append(Step(ROOTS if _has_half_power(term) else AS_FRACTION, term, term, typed_order=False))
    return steps


def _has_half_power(expr: sp.Expr) -> bool:
    return any(p.exp.is_Rational and p.exp.q == 2 for p in expr.atoms(sp.Pow))
