"""The derivative rules, each one definition: id, title, formula, matcher and rewrite.

A rewrite turns d/dx f into the rule's right-hand side, with new pending derivatives of the
parts (held back with ``evaluate=False`` so the textbook form survives). Which rule is tried
for which shape is not decided here but in ``strategy.py``; a matcher may assume that the
candidates before it in the strategy did not match. Every use of a formula is verified when
its step is checked, against SymPy's own derivative.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..core.rewriting import Application, Mistake, RewriteRule, Wrong
from ..core.rules import Rule, declare
from ..core.terms import pending, substitute
from ..errors import RuleError
from ..functions import to_elementary


def mul(*factors: sp.Expr) -> sp.Expr:
    factors = tuple(f for f in factors if f != 1)
    if not factors:
        return sp.S.One
    return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)


def neg(expr: sp.Expr) -> sp.Expr:
    return sp.Mul(sp.S.NegativeOne, expr, evaluate=False)


def recip(expr: sp.Expr) -> sp.Expr:
    return sp.Pow(expr, -1, evaluate=False)


def is_denominator(factor: sp.Expr) -> bool:
    """A fraction the user wrote (\\frac{f}{g}, f/g) is read as f·g^{-1}; a power they typed,
    x^{-2}, is not a denominator: x^{-2}·sin x takes the product rule, as a teacher would."""
    return isinstance(factor, sp.Pow) and factor.exp == -1


def split_product(f: sp.Mul, x: sp.Symbol) -> tuple[list[sp.Expr], list[sp.Expr], list[sp.Expr]]:
    """(constant factors, numerator factors with x, denominators with x) of a product."""
    constants = [c for c in f.args if not c.has(x)]
    variables = [v for v in f.args if v.has(x)]
    return constants, [v for v in variables if not is_denominator(v)], [v.base for v in variables if is_denominator(v)]


def derivative_rule(rule_id: str, title: str, formula: str, matches: Callable[[Any, Any], bool],
                    rewrite: Callable[[Any, Any, Any], Application]) -> RewriteRule:  # fmt: skip
    """A rewriting rule for d/dx: ``matches(f, x)``, ``rewrite(f, x, engine)``."""
    return declare(RewriteRule(rule_id, title, formula, matches, rewrite))


# The common mistakes, each declared beside the rules it corrupts (their ids and meanings are
# those of ../shared/cases/answers.json): the mistake engine works the problem with the same
# strategy, those rules swapped for the wrong ones.
MISTAKES: dict[str, Mistake] = {}


def mistake(mistake_id: str, meaning: str, rule: Rule, wrong: dict[RewriteRule, Wrong] | None = None,
            answer: Callable[[Any, Any], sp.Expr] | None = None) -> Mistake:  # fmt: skip
    """Declare a mistake; a second one with a taken id is refused, as for rules."""
    if mistake_id in MISTAKES:
        raise ValueError(f"two mistakes have the id {mistake_id!r}")
    declared = Mistake(mistake_id, meaning, rule, wrong or {}, answer)
    MISTAKES[mistake_id] = declared
    return declared


def _pendings(f: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    return [pending(factor, x) for factor in f.args]


# --- the lecture's rules ("Some rules about handling derivatives", "A few important derivatives")


def _constant(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application:
    return Application(CONSTANT, sp.S.Zero, {"c": f})


CONSTANT = derivative_rule("constant", "Constant rule", r"\frac{d}{dx} c = 0", lambda f, x: not f.has(x), _constant)


def _constant_as_variable(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application | None:
    if isinstance(f, sp.Pow) and f.base.is_number and f.exp.is_number:
        return Application(CONSTANT, f.exp * f.base ** (f.exp - 1))
    if isinstance(f, sp.exp) and f.args[0].is_number:
        return Application(CONSTANT, f.args[0] * sp.exp(f.args[0] - 1))
    return None


mistake("constant_as_variable", "a constant such as pi^3 or e^2 differentiated as if it were a power of x", CONSTANT,
        {CONSTANT: _constant_as_variable})  # fmt: skip


def _identity(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application:
    return Application(IDENTITY, sp.S.One)


IDENTITY = derivative_rule("identity", "Identity rule", r"\frac{d}{dx} x = 1", lambda f, x: f == x, _identity)


def _power(f: sp.Pow, x: sp.Symbol, engine: Any) -> Application:
    exponent = f.exp
    # n - 1 as written (k - 1, not -1 + k); x^{-1/2} stays as the lecture writes it.
    lowered = exponent - 1 if exponent.is_Number else sp.Add(exponent, -1, evaluate=False)
    power = sp.Pow(x, lowered) if lowered in (0, 1) else sp.Pow(x, lowered, evaluate=False)
    return Application(POWER, mul(exponent, power), {"n": exponent})


POWER = derivative_rule(
    "power", "Power rule", r"\frac{d}{dx} x^{n} = n x^{n-1}",
    lambda f, x: isinstance(f, sp.Pow) and f.base == x and not f.exp.has(x), _power,
)  # fmt: skip


def _sum(f: sp.Add, x: sp.Symbol, engine: Any) -> Application:
    terms = []
    for term in f.args:
        # a - b is stored as a + (-1)·b: keep it a difference, d/dx a - d/dx b.
        if isinstance(term, sp.Mul) and term.args[0] == -1 and len(term.args) > 1:
            terms.append(neg(pending(mul(*term.args[1:]), x)))
        elif term.is_Number and term.is_negative:
            terms.append(neg(pending(-term, x)))
        else:
            terms.append(pending(term, x))
    return Application(SUM, sp.Add(*terms, evaluate=False))


SUM = derivative_rule("sum", "Sum rule", r"\left(f \pm g\right)' = f' \pm g'", lambda f, x: isinstance(f, sp.Add), _sum)


def _constant_multiple(f: sp.Mul, x: sp.Symbol, engine: Any) -> Application:
    constants = split_product(f, x)[0]
    c, rest = mul(*constants), mul(*(v for v in f.args if v.has(x)))
    return Application(CONSTANT_MULTIPLE, mul(c, pending(rest, x)), {"c": c, "f": rest})


CONSTANT_MULTIPLE = derivative_rule(
    "constant_multiple", "Constant multiple rule", r"\left(c f\right)' = c f'",
    lambda f, x: isinstance(f, sp.Mul) and any(not factor.has(x) for factor in f.args), _constant_multiple,
)  # fmt: skip


def _dropped_factor(f: sp.Mul, x: sp.Symbol, engine: Any) -> Application | None:
    constants = split_product(f, x)[0]
    if not any(c.free_symbols for c in constants):
        return None
    rest = mul(*(v for v in f.args if v.has(x)))
    return Application(CONSTANT_MULTIPLE, mul(*(c for c in constants if not c.free_symbols), pending(rest, x)))


mistake("partial_dropped_factor", "in a partial derivative, a factor held constant was dropped", CONSTANT_MULTIPLE,
        {CONSTANT_MULTIPLE: _dropped_factor})  # fmt: skip


def _product(f: sp.Mul, x: sp.Symbol, engine: Any) -> Application:
    first, rest = f.args
    product = sp.Add(mul(pending(first, x), rest), mul(first, pending(rest, x)), evaluate=False)
    return Application(PRODUCT, product, {"f": first, "g": rest})


PRODUCT = derivative_rule(
    "product",
    "Product rule",
    r"\left(f g\right)' = f' g + f g'",
    lambda f, x: isinstance(f, sp.Mul) and len(f.args) == 2,
    _product,
)


def _product_n(f: sp.Mul, x: sp.Symbol, engine: Any) -> Application:
    # Three or more factors at once: splitting off one at a time would nest n levels deep.
    factors = f.args
    terms = [mul(*factors[:i], pending(factor, x), *factors[i + 1 :]) for i, factor in enumerate(factors)]
    bindings = {f"f_{{{i}}}": factor for i, factor in enumerate(factors, start=1)}
    return Application(PRODUCT_N, sp.Add(*terms, evaluate=False), bindings)


PRODUCT_N = derivative_rule(
    "product_n", "Product rule for n factors",
    r"\left(f_{1} f_{2} \cdots f_{n}\right)' = \sum_{i=1}^{n} f_{1} \cdots f_{i}' \cdots f_{n}",
    lambda f, x: isinstance(f, sp.Mul) and len(f.args) > 2, _product_n,
)  # fmt: skip


def _each_factor_differentiated(rule: RewriteRule, combine: type[sp.Mul] | type[sp.Add]) -> Wrong:
    """(f₁⋯fₙ)' as the product (or the sum) of the fᵢ': the product rule forgotten."""
    return lambda f, x, engine: Application(rule, combine(*_pendings(f, x), evaluate=False))


mistake("product_as_product", "(fg)' taken as f'g'", PRODUCT,
        {rule: _each_factor_differentiated(rule, sp.Mul) for rule in (PRODUCT, PRODUCT_N)})  # fmt: skip
mistake("product_as_sum", "(fg)' taken as f' + g'", PRODUCT,
        {rule: _each_factor_differentiated(rule, sp.Add) for rule in (PRODUCT, PRODUCT_N)})  # fmt: skip


def reciprocal_of(f: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """g in 1/g: the base of g^{-1}, or the product of a product's denominators."""
    return f.base if isinstance(f, sp.Pow) else mul(*split_product(f, x)[2])


def _only_denominators(f: sp.Expr, x: sp.Symbol) -> bool:
    """1/(g h) written as a product of denominators only (constants are taken out first)."""
    if not isinstance(f, sp.Mul):
        return False
    constants, numerator, denominator = split_product(f, x)
    return not constants and not numerator and bool(denominator)


def _reciprocal(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application:
    g = reciprocal_of(f, x)
    return Application(RECIPROCAL, neg(sp.Mul(pending(g, x), recip(sp.Pow(g, 2)), evaluate=False)), {"f": g})


RECIPROCAL = derivative_rule(
    "reciprocal", "Reciprocal rule", r"\left(\frac{1}{f}\right)' = -\frac{f'}{f^{2}}",
    lambda f, x: is_denominator(f) if isinstance(f, sp.Pow) else _only_denominators(f, x), _reciprocal,
)  # fmt: skip

mistake("reciprocal_of_derivative", "(1/f)' taken as 1/f'", RECIPROCAL,
        {RECIPROCAL: lambda f, x, e: Application(RECIPROCAL, recip(pending(reciprocal_of(f, x), x)))})  # fmt: skip
mistake("exponent_not_reduced", "(x^n)' taken as n x^n", POWER, {
    POWER: lambda f, x, e: Application(POWER, mul(f.exp, sp.Pow(x, f.exp, evaluate=False))),
    RECIPROCAL: lambda f, x, e: Application(RECIPROCAL, neg(mul(pending(g := reciprocal_of(f, x), x), recip(g)))),
})  # fmt: skip
mistake("negative_power", "(x^-n)' taken as -n x^(-n+1)", POWER, {
    POWER: lambda f, x, e: Application(POWER, mul(f.exp, sp.Pow(x, f.exp + 1, evaluate=False)))
    if f.exp.is_negative else None,
    RECIPROCAL: lambda f, x, e: Application(RECIPROCAL, neg(pending(reciprocal_of(f, x), x))),
})  # fmt: skip


def _quotient(f: sp.Mul, x: sp.Symbol, engine: Any) -> Application:
    _, numerator, denominator = split_product(f, x)
    top, bottom = mul(*numerator), mul(*denominator)
    difference = sp.Add(mul(pending(top, x), bottom), neg(mul(top, pending(bottom, x))), evaluate=False)
    return Application(QUOTIENT, sp.Mul(difference, recip(sp.Pow(bottom, 2)), evaluate=False), {"f": top, "g": bottom})


QUOTIENT = derivative_rule(
    "quotient", "Quotient rule", r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}",
    lambda f, x: isinstance(f, sp.Mul) and all(split_product(f, x)[1:]), _quotient,
)  # fmt: skip


def _wrong_quotient(numerator: Callable[[sp.Expr, sp.Expr, sp.Expr, sp.Expr], sp.Expr], square: bool = True) -> Wrong:
    def wrong(f: sp.Mul, x: sp.Symbol, engine: Any) -> Application:
        _, top_factors, bottom_factors = split_product(f, x)
        top, bottom = mul(*top_factors), mul(*bottom_factors)
        written = numerator(top, bottom, pending(top, x), pending(bottom, x))
        return Application(QUOTIENT, sp.Mul(written, recip(sp.Pow(bottom, 2) if square else bottom), evaluate=False))

    return wrong


mistake("quotient_sign", "numerator of the quotient rule reversed: (fg' - f'g)/g^2", QUOTIENT, {
    QUOTIENT: _wrong_quotient(lambda f, g, df, dg: sp.Add(mul(f, dg), neg(mul(df, g)), evaluate=False))
})  # fmt: skip
mistake("quotient_no_square", "denominator g instead of g^2", QUOTIENT, {
    QUOTIENT: _wrong_quotient(lambda f, g, df, dg: sp.Add(mul(df, g), neg(mul(f, dg)), evaluate=False), square=False)
})  # fmt: skip
mistake("quotient_as_quotient", "(f/g)' taken as f'/g'", QUOTIENT, {
    QUOTIENT: lambda f, x, e: Application(QUOTIENT, sp.Mul(
        pending(mul(*split_product(f, x)[1]), x), recip(pending(mul(*split_product(f, x)[2]), x)), evaluate=False))
})  # fmt: skip


def fresh_symbol(avoid: set[sp.Basic]) -> sp.Symbol:
    names = {s.name for s in avoid if isinstance(s, sp.Symbol)}
    for name in ("u", "v", "w", "t", "s", "q"):
        if name not in names:
            return sp.Symbol(name, real=True)
    return sp.Dummy("u", real=True)


def outer_and_inner(f: sp.Expr, x: sp.Symbol) -> tuple[Callable[[sp.Expr], sp.Expr], sp.Expr]:
    """F and g in f = F(g): u^n and g for g^n, a^u and g for a^g, F(u) and g for F(g)."""
    if isinstance(f, sp.Pow):
        base, exponent = f.base, f.exp
        if not exponent.has(x):
            return (lambda u: sp.Pow(u, exponent, evaluate=False)), base
        return (lambda u: sp.Pow(base, u, evaluate=False)), exponent
    return (lambda u: f.func(u)), f.args[0]


def _chain(f: sp.Expr, x: sp.Symbol, engine: Any, inner_factor: bool = True) -> Application:
    """d/dx F(g) = F'(g) · d/dx g; F'(u) is worked out in a side derivation."""
    outer_of, inner = outer_and_inner(f, x)
    u = fresh_symbol(f.free_symbols | {x})
    outer = outer_of(u)
    side = engine.side_derivation(outer, u, inner)
    # f'(u) of a function that is not given must become Subs(f'(u), u, g), not f'(g) wrt g
    at_inner = side.result.subs(u, inner) if side.result.has(sp.Derivative) else substitute(side.result, {u: inner})
    replacement = mul(at_inner, pending(inner, x)) if inner_factor else at_inner
    return Application(CHAIN, replacement, {"f(u)": outer, "u": inner}, [side])


def _is_composite(f: sp.Expr, x: sp.Symbol) -> bool:
    if isinstance(f, sp.Pow):
        return (not f.exp.has(x) and f.base != x) or (not f.base.has(x) and f.exp != x)
    return isinstance(f, sp.Function) and len(f.args) == 1 and f.args[0] != x


CHAIN = derivative_rule(
    "chain", "Chain rule", r"\frac{d}{dx} f\left(u(x)\right) = f'(u)\, \frac{du}{dx}", _is_composite, _chain
)
mistake("chain_missing_inner", "outer derivative only: the inner derivative g' is missing (includes ln(g)' = 1/g)",
        CHAIN, {
    CHAIN: lambda f, x, e: _chain(f, x, e, inner_factor=False),
    RECIPROCAL: lambda f, x, e: Application(RECIPROCAL, neg(recip(sp.Pow(reciprocal_of(f, x), 2)))),
})  # fmt: skip


def _exp_base(f: sp.Pow, x: sp.Symbol, engine: Any) -> Application:
    return Application(EXP_BASE, mul(f, sp.log(f.base)), {"a": f.base})


EXP_BASE = derivative_rule(
    "exp_base", "Exponential with base a", r"\frac{d}{dx} a^{x} = a^{x} \ln a",
    lambda f, x: isinstance(f, sp.Pow) and f.exp == x and not f.base.has(x), _exp_base,
)  # fmt: skip
mistake("integrated_instead", "antiderivative given instead of derivative", POWER,
        answer=lambda f, x: sp.integrate(to_elementary(f), x))  # fmt: skip


def log_base_of(f: sp.Mul, x: sp.Symbol) -> sp.Expr | None:
    """b in log_b x, which SymPy stores as ln(x) · (ln b)^{-1}; None for any other product."""
    if len(f.args) != 2:
        return None
    logs = [a for a in f.args if isinstance(a, sp.log) and a.has(x)]
    bases = [
        a.base.args[0]
        for a in f.args
        if isinstance(a, sp.Pow) and a.exp == -1 and isinstance(a.base, sp.log) and not a.base.has(x)
    ]
    if len(logs) != 1 or len(bases) != 1 or logs[0].args[0] != x:
        return None  # log_b(g(x)) = ln g / ln b: the constant-multiple and chain rules show it
    return bases[0]


def _log_base(f: sp.Mul, x: sp.Symbol, engine: Any) -> Application:
    base = log_base_of(f, x)
    return Application(LOG_BASE, recip(sp.Mul(x, sp.log(base), evaluate=False)), {"b": base})


LOG_BASE = derivative_rule(
    "log_base", "Logarithm with base b", r"\frac{d}{dx} \log_{b} x = \frac{1}{x \ln b}",
    lambda f, x: isinstance(f, sp.Mul) and log_base_of(f, x) is not None, _log_base,
)  # fmt: skip


def _log_differentiation(f: sp.Pow, x: sp.Symbol, engine: Any) -> Application:
    inner = sp.Mul(f.exp, sp.log(f.base), evaluate=False)  # f^g = e^{g ln f}
    return Application(LOG_DIFFERENTIATION, mul(f, pending(inner, x)), {"f": f.base, "g": f.exp})


LOG_DIFFERENTIATION = derivative_rule(
    "log_differentiation", "Logarithmic differentiation",
    r"\left(f^{g}\right)' = \left(e^{g \ln f}\right)' = f^{g} \left(g \ln f\right)'",
    lambda f, x: isinstance(f, sp.Pow) and f.base.has(x) and f.exp.has(x), _log_differentiation,
)  # fmt: skip


def sympy_outer(f: sp.Function, u: sp.Symbol) -> sp.Expr | None:
    """F'(u) from SymPy's table, or None when SymPy cannot give it in closed form."""
    try:
        derivative = type(f)(u).fdiff(1)
    except (sp.core.function.ArgumentIndexError, AttributeError, TypeError, NotImplementedError):
        return None
    return None if derivative.has(sp.Derivative, sp.Subs) else derivative


def _generic(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application:
    """Whatever SymPy's own table knows (F'(x), with no letters to bind, for a function F of x
    alone); f'(x) for a function f that is not given."""
    if isinstance(f, sp.Function) and not isinstance(f, AppliedUndef) and f.args == (x,):
        known = sympy_outer(f, x)
        if known is not None:
            return Application(GENERIC, known)
    derivative = sp.diff(f, x)
    if not isinstance(f, AppliedUndef) and derivative.has(sp.Derivative):
        name = getattr(f.func, "__name__", str(f.func))
        raise RuleError(f"no derivative rule for {name}: SymPy leaves d/d{x}({f}) unevaluated too")
    return Application(GENERIC, derivative, {"f": f})


GENERIC = derivative_rule(
    "generic", "Known derivative", r"\frac{d}{dx} F(x) = F'(x) \text{ (SymPy's table)}", lambda f, x: True, _generic
)


def is_unknown_function(f: sp.Expr, x: sp.Symbol) -> bool:
    """f(x) of an f that is not given: its derivative is f'(x), and nothing more can be said."""
    return isinstance(f, AppliedUndef) and f.args == (x,)


# --- citations that rewrite no pending derivative

HIGHER_ORDER = declare(Rule(
    "higher_order", "Higher-order derivative",
    r"\frac{d^{n}f}{dx^{n}} = \frac{d}{dx}\left(\frac{d^{n-1}f}{dx^{n-1}}\right)",
))  # fmt: skip
MIXED_PARTIAL = declare(Rule(
    "mixed_partial", "Partial of a partial",
    r"\frac{\partial^{2} f}{\partial y\,\partial x} = "
    r"\frac{\partial}{\partial y}\left(\frac{\partial f}{\partial x}\right)",
))  # fmt: skip
SCHWARZ = declare(Rule(
    "schwarz", "Mixed partials agree in either order (Schwarz, where they are continuous)",
    r"\frac{\partial^{2} f}{\partial y\,\partial x} = \frac{\partial^{2} f}{\partial x\,\partial y}",
))  # fmt: skip
SLOPE_FROM_THE_RIGHT = declare(Rule(
    "slope_from_the_right", "Slope from the right", r"f'_{+}(a) = \lim_{h \to 0^{+}} \frac{f(a + h) - f(a)}{h}"
))  # fmt: skip
SLOPE_FROM_THE_LEFT = declare(Rule(
    "slope_from_the_left", "Slope from the left", r"f'_{-}(a) = \lim_{h \to 0^{-}} \frac{f(a + h) - f(a)}{h}"
))  # fmt: skip
SIMPLIFY_POSITIVE_H = declare(Rule("simplify_positive_h", "Simplify for h > 0", r"h > 0:\ |h| = h,\ \sqrt{h^{2}} = h"))
SIMPLIFY_NEGATIVE_H = declare(
    Rule("simplify_negative_h", "Simplify for h < 0", r"h < 0:\ |h| = -h,\ \sqrt{h^{2}} = -h")
)
DIFFERENCE_QUOTIENT = declare(
    Rule("difference_quotient", "Difference quotient", r"f'(a) \approx \frac{f(a + h) - f(a)}{h}")
)
CENTRAL_DIFFERENCE = declare(
    Rule("central_difference", "Central difference", r"f'(a) \approx \frac{f(a + h) - f(a - h)}{2h}")
)
