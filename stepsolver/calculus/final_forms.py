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
from ..core.rules import ARITHMETIC, SIMPLIFY, Rule, declare
from .simplify import best_form

PYTHAGOREAN = declare(Rule(
    "pythagorean_identity", "Pythagorean identity",
    r"\sin^{2} u + \cos^{2} u = 1, \quad \cosh^{2} u - \sinh^{2} u = 1",
))  # fmt: skip
SIGN_OVER_ABS = declare(Rule(
    "sign_over_abs", "sgn(u)/|u| = 1/u for u ≠ 0, u·sgn(u) = |u|",
    r"\frac{\operatorname{sgn} u}{|u|} = \frac{1}{u} \quad (u \neq 0), \quad \operatorname{sgn}(u)\,|u| = u,"
    r"\quad u \operatorname{sgn} u = |u|",
))  # fmt: skip
ROOTS = declare(Rule("roots", "Write half powers as roots", r"u^{1/2} = \sqrt{u}, \quad u^{-1/2} = \frac{1}{\sqrt{u}}"))
AS_TYPED = declare(Rule(
    "as_typed_root", "A root below, as the input wrote it", r"\frac{\sqrt{2}}{2} = \frac{1}{\sqrt{2}}"
))  # fmt: skip
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
                for power, replacement in ((sp.Abs(u) ** -1, u**-1), (sp.Abs(u), u), (u, sp.Abs(u))):
                    if power in factors:
                        rest = [f for f in factors if f not in (factor, power)]
                        return sp.Mul(replacement, *rest)
        return mul

    return expr.replace(lambda e: e.is_Mul, merge)


def root_below(f: sp.Expr) -> bool:
    """Whether the input writes a number's root in a denominator (x/√2), as a teacher keeps it."""
    for power in f.atoms(sp.Pow):
        base, exponent = power.base, power.exp
        if exponent.is_negative and any(_numeric_root(p) for p in sp.preorder_traversal(base)):
            return True  # 1/√2, 1/(2√2)
        if base.is_Integer and exponent.is_Rational and exponent.q == 2 and exponent.is_negative:
            return True  # 2^(-1/2)
    return False


def _numeric_root(term: sp.Basic) -> bool:
    return isinstance(term, sp.Pow) and term.base.is_Integer and term.exp == sp.S.Half


def _unrationalised(expr: sp.Expr) -> sp.Expr:
    """c·√n → (c·n)/√n when c·n is a whole number: √2/2 → 1/√2. Held, or SymPy rationalises again."""

    def merge(mul: sp.Expr) -> sp.Expr:
        roots = [f for f in mul.args if isinstance(f, sp.Pow) and f.base.is_Integer and f.exp == sp.S.Half]
        coefficient = mul.as_coeff_Mul()[0]
        if len(roots) != 1 or not coefficient.is_Rational or not (coefficient * roots[0].base).is_Integer:
            return mul
        root = roots[0]
        rest = [f for f in mul.args if f is not root and f is not coefficient]
        below = sp.Pow(root, -1, evaluate=False)
        above = coefficient * root.base
        return sp.Mul(*([] if above == 1 else [above]), *rest, below, evaluate=False)

    return expr.replace(lambda e: e.is_Mul, merge)


def as_the_input_wrote_roots(steps: list[Step], f: sp.Expr) -> list[Step]:
    """A last Arithmetic step that only rationalised 1/√2 into √2/2 is left out when the input
    wrote its roots below; otherwise the form with the root below, if no longer, as a step."""
    if not steps or not root_below(f):
        return steps
    last = steps[-1]
    shown_before = text(last.before, typed=last.typed_order)
    if last.rule is ARITHMETIC and text(_unrationalised(last.after), typed=False) == shown_before:
        return steps[:-1]
    rewritten = _unrationalised(last.after)
    if rewritten != last.after and _length(rewritten, False) <= _length(last.after, last.typed_order):
        return [*steps, Step(AS_TYPED, last.after, rewritten, typed_order=False)]
    return steps


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
        written_as_power = "√" in text(term, typed=False) and "√" not in text(term, typed=True)  # x^(-1/2) → 1/√x
        steps.append(Step(ROOTS if written_as_power else AS_FRACTION, term, term, typed_order=False))
    return steps
