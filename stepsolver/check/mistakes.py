"""Common mistakes as buggy variants of the derivative rules, applied to the problem itself.

``derivative(f, x, bug)`` differentiates like a student who makes one mistake every time its rule
comes up: (fg)' as f'g', the quotient rule's numerator reversed, the chain rule's inner factor
forgotten, … The answer such a student would hand in is what a wrong answer is matched against.
The ids and meanings are those of ../shared/cases/answers.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..functions import to_elementary

MISTAKES = {
    "product_as_product": ("(fg)' taken as f'g'", "product"),
    "product_as_sum": ("(fg)' taken as f' + g'", "product"),
    "quotient_sign": ("numerator of the quotient rule reversed: (fg' - f'g)/g^2", "quotient"),
    "quotient_no_square": ("denominator g instead of g^2", "quotient"),
    "quotient_as_quotient": ("(f/g)' taken as f'/g'", "quotient"),
    "chain_missing_inner": (
        "outer derivative only: the inner derivative g' is missing (includes ln(g)' = 1/g)",
        "chain",
    ),
    "log_reciprocal_of_log": ("(ln u)' taken as 1/ln(u)", "ln"),
    "power_rule_on_exponential": ("power rule applied to a^x or e^x: x a^(x-1)", "exp"),
    "exponent_not_reduced": ("(x^n)' taken as n x^n", "power"),
    "integrated_instead": ("antiderivative given instead of derivative", "power"),
    "negative_power": ("(x^-n)' taken as -n x^(-n+1)", "power"),
    "trig_sign": ("sign error in a trigonometric derivative (cos' = sin, ...)", "trig"),
    "constant_as_variable": (
        "a constant such as pi^3 or e^2 differentiated as if it were a power of x",
        "constant",
    ),
    "reciprocal_of_derivative": ("(1/f)' taken as 1/f'", "reciprocal"),
    "partial_dropped_factor": ("in a partial derivative, a factor held constant was dropped", "constant_multiple"),
}


@dataclass
class _Student:
    x: sp.Symbol
    bug: str | None
    sites: list[sp.Expr] = field(default_factory=list)  # where the mistake was made

    def made(self, bug: str, where: sp.Expr) -> bool:
        if self.bug != bug:
            return False
        self.sites.append(where)
        return True

    def d(self, e: sp.Expr) -> sp.Expr:
        x = self.x
        if not e.has(x):
            if isinstance(e, sp.Pow) and e.base.is_number and e.exp.is_number and self.made("constant_as_variable", e):
                return e.exp * e.base ** (e.exp - 1)
            if isinstance(e, sp.exp) and e.args[0].is_number and self.made("constant_as_variable", e):
                return e.args[0] * sp.exp(e.args[0] - 1)
            return sp.S.Zero
        if e == x:
            return sp.S.One
        if isinstance(e, sp.Add):
            return sp.Add(*[self.d(arg) for arg in e.args])
        if isinstance(e, sp.Mul):
            return self._mul(e)
        if isinstance(e, sp.Pow):
            return self._pow(e)
        if isinstance(e, sp.exp):
            return self._exponential(sp.E, e.args[0], e)
        if isinstance(e, sp.log) and len(e.args) == 1:
            u = e.args[0]
            if self.made("log_reciprocal_of_log", e):
                return 1 / sp.log(u)
            inner = self.d(u)
            return 1 / u if u != x and self.made("chain_missing_inner", e) else inner / u
        if isinstance(e, sp.Function) and len(e.args) == 1:
            u = e.args[0]
            t = sp.Dummy("t")
            outer = sp.diff(to_elementary(e.func(t)), t).subs(t, u)
            if isinstance(e, (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)) and self.made("trig_sign", e):
                outer = -outer
            if u != x and self.made("chain_missing_inner", e):
                return outer
            return outer * self.d(u)
        return sp.diff(to_elementary(e), x)

    def _mul(self, e: sp.Mul) -> sp.Expr:
        x = self.x
        constants = [f for f in e.args if not f.has(x)]
        factors = [f for f in e.args if f.has(x)]
        c = sp.Mul(*constants)
        if constants and any(f.free_symbols for f in constants) and self.made("partial_dropped_factor", e):
            c = sp.Mul(*[f for f in constants if not f.free_symbols])
        if len(factors) == 1:
            return c * self.d(factors[0])
        denominators = [f for f in factors if isinstance(f, sp.Pow) and f.exp == -1]
        if len(denominators) == 1:
            g = denominators[0].base
            n = sp.Mul(*[f for f in factors if f is not denominators[0]])
            dn, dg = self.d(n), self.d(g)
            if self.made("quotient_sign", e):
                return c * (n * dg - dn * g) / g**2
            if self.made("quotient_no_square", e):
                return c * (dn * g - n * dg) / g
            if self.made("quotient_as_quotient", e):
                return c * dn / dg
            return c * (dn * g - n * dg) / g**2
        derivatives = [self.d(f) for f in factors]
        if self.made("product_as_product", e):
            return c * sp.Mul(*derivatives)
        if self.made("product_as_sum", e):
            return c * sp.Add(*derivatives)
        terms = [sp.Mul(*factors[:i], derivatives[i], *factors[i + 1 :]) for i in range(len(factors))]
        return c * sp.Add(*terms)

    def _pow(self, e: sp.Pow) -> sp.Expr:
        x = self.x
        base, exponent = e.base, e.exp
        if not exponent.has(x):
            if exponent == -1 and base != x and self.made("reciprocal_of_derivative", e):
                return 1 / self.d(base)
            inner = self.d(base)
            if base != x and self.made("chain_missing_inner", e):
                inner = sp.S.One
            if self.made("exponent_not_reduced", e):
                return exponent * base**exponent * inner
            if exponent.is_negative and self.made("negative_power", e):
                return exponent * base ** (exponent + 1) * inner
            return exponent * base ** (exponent - 1) * inner
        if not base.has(x):
            return self._exponential(base, exponent, e)
        return sp.diff(to_elementary(e), x)  # f(x)^g(x): logarithmic differentiation, no listed mistake

    def _exponential(self, base: sp.Expr, u: sp.Expr, e: sp.Expr) -> sp.Expr:
        if self.made("power_rule_on_exponential", e):
            return u * base ** (u - 1)
        outer = base**u * (sp.S.One if base == sp.E else sp.log(base))
        if u != self.x and self.made("chain_missing_inner", e):
            return outer
        return outer * self.d(u)


@dataclass
class Candidate:
    mistake: str
    answer: sp.Expr
    sites: list[sp.Expr]


def derivative(f: sp.Expr, x: sp.Symbol, bug: str | None = None) -> tuple[sp.Expr, list[sp.Expr]]:
    """f' as a student making ``bug`` (None: no mistake) would work it, and where the bug struck."""
    if bug == "integrated_instead":
        return sp.integrate(to_elementary(f), x), [f]
    student = _Student(x, bug)
    return student.d(f), student.sites


def candidates(f: sp.Expr, x: sp.Symbol) -> list[Candidate]:
    """Every listed mistake that applies to this problem, with the answer it produces."""
    out = []
    for mistake in MISTAKES:
        try:
            answer, sites = derivative(f, x, mistake)
        except (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError):
            continue
        if sites:
            out.append(Candidate(mistake, answer, sites))
    return out
