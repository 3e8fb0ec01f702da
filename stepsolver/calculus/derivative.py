"""Scalar derivatives by rewriting: each step applies one rule to one pending d/dx.

The term starts as d/dx f. Each step finds the outermost pending derivative, picks the rule
its shape calls for (sum, product, quotient, chain, …), and replaces it by the rule's
right-hand side, which may hold new pending derivatives of the parts. When nothing is
pending, the textbook form is tidied by named arithmetic and simplification steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from ..core.derivation import Derivation, Step
from ..core.rules import rule
from ..core.terms import first_pending, pending, replace_first, size, substitute
from ..errors import RuleError
from .simplify import tidy_steps
from .table import outer_derivative

MAX_STEPS = 1_000  # a derivation longer than this is not a worked solution any more
MAX_SHOWN_PARTS = 100_000  # sub-terms printed over all steps: (x_1⋯x_300)' would print 27 million


@dataclass
class Application:
    """What one rule does to d/dx f: its right-hand side and what its letters stand for."""

    rule_id: str
    replacement: sp.Expr
    bindings: dict[str, sp.Expr] = field(default_factory=dict)
    substeps: list[Derivation] = field(default_factory=list)


def _mul(*factors: sp.Expr) -> sp.Expr:
    factors = tuple(f for f in factors if f != 1)
    if not factors:
        return sp.S.One
    return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)


def _neg(expr: sp.Expr) -> sp.Expr:
    return sp.Mul(sp.S.NegativeOne, expr, evaluate=False)


def _fresh_symbol(avoid: set[sp.Basic]) -> sp.Symbol:
    names = {s.name for s in avoid if isinstance(s, sp.Symbol)}
    for name in ("u", "v", "w", "t", "s", "q"):
        if name not in names:
            return sp.Symbol(name, real=True)
    return sp.Dummy("u", real=True)


def _is_denominator(factor: sp.Expr) -> bool:
    """A fraction the user wrote (\\frac{f}{g}, f/g) is read as f·g^{-1}; a power they typed,
    x^{-2}, is not a denominator: x^{-2}·sin x takes the product rule, as a teacher would."""
    return isinstance(factor, sp.Pow) and factor.exp == -1


def apply_rule(f: sp.Expr, x: sp.Symbol) -> Application:
    """The rule for d/dx f, chosen by the outermost shape of f."""
    if not f.has(x):
        return Application("constant", sp.S.Zero, {"c": f})
    if f == x:
        return Application("identity", sp.S.One)
    if isinstance(f, sp.Add):
        return _sum_rule(f, x)
    if isinstance(f, sp.Mul):
        return _mul_rule(f, x)
    if isinstance(f, sp.Pow):
        return _pow_rule(f, x)
    if isinstance(f, sp.Function) and len(f.args) == 1:
        if isinstance(f, AppliedUndef) and f.args[0] == x:
            return _generic(f, x)  # f'(x) of an f that is not given
        return _function_rule(f, x)
    return _generic(f, x)


def _generic(f: sp.Expr, x: sp.Symbol) -> Application:
    """Whatever SymPy's own table knows; f'(x) for a function f that is not given."""
    derivative = sp.diff(f, x)
    if isinstance(f, AppliedUndef):
        return Application("generic", derivative, {"f": f})
    if derivative.has(sp.Derivative):
        name = getattr(f.func, "__name__", str(f.func))
        raise RuleError(f"no derivative rule for {name}: SymPy leaves d/d{x}({f}) unevaluated too")
    return Application("generic", derivative, {"f": f})


def _sum_rule(f: sp.Add, x: sp.Symbol) -> Application:
    terms = []
    for term in f.args:
        # a - b is stored as a + (-1)·b: keep it a difference, d/dx a - d/dx b.
        if isinstance(term, sp.Mul) and term.args[0] == -1 and len(term.args) > 1:
            terms.append(_neg(pending(_mul(*term.args[1:]), x)))
        elif term.is_Number and term.is_negative:
            terms.append(_neg(pending(-term, x)))
        else:
            terms.append(pending(term, x))
    return Application("sum", sp.Add(*terms, evaluate=False))


def _mul_rule(f: sp.Mul, x: sp.Symbol) -> Application:
    factors = list(f.args)
    log_base = _as_log_base(factors, x)
    if log_base is not None:
        return log_base
    constants = [c for c in factors if not c.has(x)]
    variables = [v for v in factors if v.has(x)]
    if constants:
        c, rest = _mul(*constants), _mul(*variables)
        return Application("constant_multiple", _mul(c, pending(rest, x)), {"c": c, "f": rest})
    numerator = [v for v in variables if not _is_denominator(v)]
    denominator = [v.base for v in variables if _is_denominator(v)]
    if denominator and numerator:
        top, bottom = _mul(*numerator), _mul(*denominator)
        difference = sp.Add(_mul(pending(top, x), bottom), _neg(_mul(top, pending(bottom, x))), evaluate=False)
        quotient = sp.Mul(difference, sp.Pow(sp.Pow(bottom, 2), -1, evaluate=False), evaluate=False)
        return Application("quotient", quotient, {"f": top, "g": bottom})
    if denominator:
        return _reciprocal(_mul(*denominator), x)
    if len(factors) == 2:
        first, rest = factors
        product = sp.Add(_mul(pending(first, x), rest), _mul(first, pending(rest, x)), evaluate=False)
        return Application("product", product, {"f": first, "g": rest})
    # Three or more factors at once: splitting off one at a time would nest n levels deep.
    terms = [_mul(*factors[:i], pending(factor, x), *factors[i + 1 :]) for i, factor in enumerate(factors)]
    bindings = {f"f_{{{i}}}": factor for i, factor in enumerate(factors, start=1)}
    return Application("product_n", sp.Add(*terms, evaluate=False), bindings)


def _as_log_base(factors: list[sp.Expr], x: sp.Symbol) -> Application | None:
    """log_b u is stored by SymPy as ln(u) · (ln b)^{-1}: recognise it as one logarithm."""
    if len(factors) != 2:
        return None
    logs = [a for a in factors if isinstance(a, sp.log) and a.has(x)]
    bases = [
        a.base.args[0]
        for a in factors
        if isinstance(a, sp.Pow) and a.exp == -1 and isinstance(a.base, sp.log) and not a.base.has(x)
    ]
    if len(logs) != 1 or len(bases) != 1:
        return None
    argument, base = logs[0].args[0], bases[0]
    if argument != x:
        return None  # log_b(g(x)) = ln g / ln b: the constant-multiple and chain rules show it
    replacement = sp.Pow(sp.Mul(x, sp.log(base), evaluate=False), -1, evaluate=False)
    return Application("log_base", replacement, {"b": base})


def _reciprocal(g: sp.Expr, x: sp.Symbol) -> Application:
    replacement = _neg(sp.Mul(pending(g, x), sp.Pow(sp.Pow(g, 2), -1, evaluate=False), evaluate=False))
    return Application("reciprocal", replacement, {"f": g})


def _pow_rule(f: sp.Pow, x: sp.Symbol) -> Application:
    base, exponent = f.base, f.exp
    if not exponent.has(x):
        if base == x:
            # n - 1 as written (k - 1, not -1 + k); x^{-1/2} stays as the lecture writes it.
            lowered = exponent - 1 if exponent.is_Number else sp.Add(exponent, -1, evaluate=False)
            power = sp.Pow(x, lowered) if lowered in (0, 1) else sp.Pow(x, lowered, evaluate=False)
            return Application("power", _mul(exponent, power), {"n": exponent})
        if exponent == -1:
            return _reciprocal(base, x)
        return _chain(f, base, lambda u: sp.Pow(u, exponent, evaluate=False), x)
    if not base.has(x):
        if exponent == x:
            return Application("exp_base", _mul(f, sp.log(base)), {"a": base})
        return _chain(f, exponent, lambda u: sp.Pow(base, u, evaluate=False), x)
    # Variable base and exponent: f^g = e^{g ln f}.
    inner = sp.Mul(exponent, sp.log(base), evaluate=False)
    return Application("log_differentiation", _mul(f, pending(inner, x)), {"f": base, "g": exponent})


def _function_rule(f: sp.Function, x: sp.Symbol) -> Application:
    argument = f.args[0]
    if argument == x:
        found = outer_derivative(f, x)
        if found is None:
            return _generic(f, x)
        rule_id, derivative = found
        return Application(rule_id, derivative)
    return _chain(f, argument, lambda u: f.func(u), x)


def _chain(f: sp.Expr, inner: sp.Expr, outer_of: object, x: sp.Symbol) -> Application:
    """d/dx F(g) = F'(g) · d/dx g; F'(u) is worked out in a side derivation."""
    u = _fresh_symbol(f.free_symbols | {x})
    outer = outer_of(u)  # type: ignore[operator]
    side = differentiate_expr(outer, u, input_text=None, simplify=False)
    # f'(u) of a function that is not given must become Subs(f'(u), u, g), not f'(g) wrt g
    outer_derivative_at_inner = (
        side.result.subs(u, inner) if side.result.has(sp.Derivative) else substitute(side.result, {u: inner})
    )
    replacement = _mul(outer_derivative_at_inner, pending(inner, x))
    return Application("chain", replacement, {"f(u)": outer, "u": inner}, [side])


def derive_chain(f: sp.Expr, x: sp.Symbol, start: sp.Expr | None = None) -> list[Step]:
    """Steps from d/dx f (or ``start``) until no derivative is pending."""
    term = pending(f, x) if start is None else start
    steps: list[Step] = []
    shown = 0
    while (node := first_pending(term)) is not None:
        if len(steps) >= MAX_STEPS:
            raise RuleError(f"more than {MAX_STEPS} steps: the expression is too large to work by hand")
        shown += size(term)
        if shown > MAX_SHOWN_PARTS:
            raise RuleError("the worked solution would be too long to read: try a smaller expression")
        inner, variable = node.expr, node.variables[0]
        if len(node.variables) > 1:
            raise RuleError("a pending mixed or higher derivative inside a step")
        application = apply_rule(inner, variable)
        after = replace_first(term, node, application.replacement)
        steps.append(
            Step(
                rule(application.rule_id),
                term,
                after,
                application.bindings,
                application.substeps,
                redex=(node, application.replacement),
            )
        )
        term = after
    return steps


def differentiate_expr(f: sp.Expr, x: sp.Symbol, input_text: str | None, simplify: bool = True) -> Derivation:
    """The first derivative of f with respect to x, as a derivation."""
    return derivation_of(input_text or "", pending(f, x), derive_chain(f, x), f, x, tidy=simplify)


def derivation_of(
    text: str, start: sp.Expr, steps: list[Step], f: sp.Expr, x: sp.Symbol, tidy: bool = True, **variables: object
) -> Derivation:
    """A derivative's Derivation from its rule steps, with the tidying steps after them."""
    derivation = Derivation(
        "derivative", text, start, steps, variables={"wrt": x, **variables}, partial=len(f.free_symbols) > 1
    )
    if tidy:
        derivation.steps.extend(tidy_steps(derivation.result))
    return derivation
