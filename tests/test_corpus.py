"""Generated expressions in SymPy's LaTeX and in hand-typed LaTeX: result = sympy.diff, every step verifies.

The reference is SymPy's own derivative of the same function (with σ, softplus and ReLU written
out in elementary functions), compared at random points by plain evalf, independently of
stepsolver's verifier. The latex2sympy2 reader is checked against the Lark reader on the same corpus.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

from stepsolver import differentiate, parse
from stepsolver.functions import ReLU, sigmoid, softplus, to_elementary

from .helpers import numerically_equal, worked

x = sp.Symbol("x", real=True)
UNARY = [
    sp.sin,
    sp.cos,
    sp.tan,
    sp.exp,
    sp.log,
    sp.sqrt,
    sp.asin,
    sp.atan,
    sp.acos,
    sp.sinh,
    sp.cosh,
    sp.tanh,
    sp.asinh,
    sp.Abs,
    sigmoid,
    softplus,
    sp.cot,
    sp.sec,
    ReLU,
    lambda u: sp.log(u, 2),
]
CORPUS_SIZE = 320


def random_expression(rng: random.Random, depth: int) -> sp.Expr:
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([x, x, x, sp.Integer(rng.randint(2, 5)), x**2, sp.Rational(1, 2) * x])
    kind = rng.choice(["add", "sub", "mul", "div", "pow", "fun", "fun", "xpow"])
    a = random_expression(rng, depth - 1)
    if kind == "fun":
        return rng.choice(UNARY)(a if a.has(x) else a * x)  # asin(3) is not a real number
    if kind == "pow":
        return a ** rng.choice([2, 3, -1, -2, sp.Rational(1, 2), sp.Rational(3, 2)])
    if kind == "xpow":
        return rng.choice([2, sp.E, x]) ** a if a.has(x) else x**a
    b = random_expression(rng, depth - 1)
    return {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b if b != 0 else a}[kind]


def hand_typed(expr: sp.Expr) -> str:
    """LaTeX the way a teacher types it: \\sin x, \\frac{a}{b}, e^{…}, \\ln(…), \\cdot, | |."""
    if expr.is_Symbol:
        return expr.name
    if expr.is_Integer:
        return str(expr)
    if expr.is_Rational:
        return rf"\frac{{{expr.p}}}{{{expr.q}}}"
    if expr == sp.E:
        return "e"
    if isinstance(expr, sp.Add):
        return " + ".join(f"({hand_typed(a)})" for a in expr.args)
    if isinstance(expr, sp.Mul):
        numerator, denominator = sp.fraction(expr)
        if denominator != 1:
            return rf"\frac{{{hand_typed(numerator)}}}{{{hand_typed(denominator)}}}"
        return r" \cdot ".join(f"({hand_typed(a)})" for a in expr.args)
    if isinstance(expr, sp.Pow):
        if expr.exp == sp.Rational(1, 2):
            return rf"\sqrt{{{hand_typed(expr.base)}}}"
        return f"({hand_typed(expr.base)})^{{{hand_typed(expr.exp)}}}"
    if isinstance(expr, sp.exp):
        return f"e^{{{hand_typed(expr.args[0])}}}"
    if isinstance(expr, sp.Abs):
        return rf"\left|{hand_typed(expr.args[0])}\right|"
    names = {
        sp.log: r"\ln",
        sp.asin: r"\arcsin",
        sp.atan: r"\arctan",
        sp.acos: r"\arccos",
        sp.asinh: r"\operatorname{arsinh}",
        sigmoid: r"\sigma",
        softplus: r"\operatorname{softplus}",
        ReLU: r"\operatorname{ReLU}",
    }
    name = names.get(type(expr), "\\" + type(expr).__name__)
    return rf"{name}\left({hand_typed(expr.args[0])}\right)"


def _real_somewhere(expr: sp.Expr) -> bool:
    """Keep functions that are real at several sample points (asin(x/2 - 2) is not, on ±[0.2, 2])."""
    probe = sp.Symbol("probe")
    return numerically_equal(expr, expr + probe - probe, points=3, domain_of=expr)


def corpus() -> list[sp.Expr]:
    rng = random.Random(20261126)
    seen: list[sp.Expr] = []
    while len(seen) < CORPUS_SIZE:
        expr = random_expression(rng, rng.randint(1, 3))
        if expr.has(x) and expr not in seen and sp.count_ops(expr) <= 14 and _real_somewhere(expr):
            seen.append(expr)
    return seen


CORPUS = corpus()


@pytest.mark.parametrize("style", ["sympy", "hand"])
def test_corpus_matches_sympy_diff(style: str) -> None:
    failures = []
    for expr in CORPUS:
        text = sp.latex(expr) if style == "sympy" else hand_typed(expr)
        parsed = parse(text)
        if not numerically_equal(parsed, expr, domain_of=expr):
            failures.append((text, "parsed as", str(parsed)))
            continue
        derivation = worked(text) if style == "sympy" else differentiate(text)
        reference = sp.diff(to_elementary(expr), x)
        if not numerically_equal(derivation.result, reference, domain_of=expr):
            failures.append((text, "derivative", str(derivation.result)))
        elif not derivation.verify().ok:
            failures.append((text, "unverified", derivation.verify().summary()))
    assert not failures, failures[:5]
    assert len(CORPUS) >= 300


def test_corpus_is_proved_not_just_checked() -> None:
    """Report how many derivations were fully proved; numeric-only steps must stay rare."""
    proved = sum(worked(sp.latex(e)).verify().proved for e in CORPUS[:100])
    assert proved >= 90, proved


def test_lark_reader_agrees_with_latex2sympy2() -> None:
    """Where the two readers differ, the Lark reader must be the one equal to the generating function."""
    pytest.importorskip("latex2sympy2")
    compared, disagreements = 0, []
    for expr in CORPUS[:120]:
        text = hand_typed(expr)
        try:
            reference = parse(text, "latex2sympy2")
        except Exception:
            continue
        compared += 1
        ours = parse(text)
        if not numerically_equal(ours, reference, domain_of=expr):
            assert numerically_equal(ours, expr, domain_of=expr), text
            disagreements.append(text)
    assert compared >= 100  # the rest use softplus/ReLU, which the latex2sympy2 reader refuses
    assert not disagreements, disagreements
