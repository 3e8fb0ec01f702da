"""Sequences of partials (``--wrt x,y,x``): each worked partial equals ``sympy.diff`` taken in the
same order, on generated functions of two and three variables; every step verifies; a mixed
sequence carries its check that the other order agrees (Schwarz)."""

from __future__ import annotations

import itertools
import random

import pytest
import sympy as sp

from stepsolver import differentiate
from stepsolver.calculus.rules import MIXED_PARTIAL, SCHWARZ
from stepsolver.cli import main
from stepsolver.errors import ParseError

x, y, z = sp.symbols("x y z", real=True)
PARTIAL_RULES = {"mixed_partial", "schwarz"}  # each cited below
PIECES = [
    lambda a, b: a * b, lambda a, b: a**2 * b, lambda a, b: sp.sin(a) * sp.cos(b), lambda a, b: sp.exp(a * b),
    lambda a, b: sp.log(1 + a**2) * b, lambda a, b: a / (1 + b**2), lambda a, b: sp.sqrt(1 + a**2 + b**2),
    lambda a, b: sp.atan(a * b), lambda a, b: a**3 - 3 * a * b**2, lambda a, b: sp.tanh(a + 2 * b),
]  # fmt: skip


def generated(count: int, variables: tuple[sp.Symbol, ...], seed: int) -> list[sp.Expr]:
    """Sums and products of smooth pieces in pairs of the variables, drawn with a fixed seed."""
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        a, b = rng.sample(variables, 2)
        f = rng.choice(PIECES)(a, b)
        if rng.random() < 0.6:
            c, d = rng.sample(variables, 2)
            g = rng.choice(PIECES)(c, d)
            f = f + rng.randint(1, 4) * g if rng.random() < 0.7 else f * g
        if len(f.free_symbols) == len(variables) or len(variables) == 2:
            out.append(f)
    return out


TWO = generated(20, (x, y), seed=15)
THREE = generated(10, (x, y, z), seed=16)


def same(a: sp.Expr, b: sp.Expr) -> bool:
    """Equal as functions: SymPy's simplify, or else at random points (no rearrangement fools it)."""
    if sp.simplify(a - b) == 0:
        return True
    rng = random.Random(0)
    for _ in range(6):
        point = {s: sp.Rational(rng.randint(-20, 20), 7) for s in (a - b).free_symbols}
        if abs(complex(sp.N((a - b).subs(point), 30))) > 1e-20:
            return False
    return True


@pytest.mark.parametrize("f", TWO, ids=[str(i) for i in range(len(TWO))])
def test_second_partials_in_both_orders_equal_sympy(f: sp.Expr) -> None:
    for order in [(x, y), (y, x)]:
        worked = differentiate(f, wrt=list(order))
        assert worked.verify().ok, worked.verify().summary()
        assert same(worked.result, sp.diff(f, *order)), (f, order)
        assert worked.steps[0].rule is MIXED_PARTIAL
        assert worked.context.sequence == order and worked.variables["order"] == 2
        schwarz = [step for step in worked.steps if step.rule is SCHWARZ]
        assert len(schwarz) == 1 and schwarz[0].substeps[0].context.sequence == order[::-1]


@pytest.mark.parametrize("f", THREE, ids=[str(i) for i in range(len(THREE))])
def test_third_partials_in_every_order_equal_sympy(f: sp.Expr) -> None:
    for order in [*itertools.permutations((x, y, z)), (x, y, x), (y, y, z)]:
        worked = differentiate(f, wrt=list(order))
        assert worked.verify().ok, worked.verify().summary()
        assert same(worked.result, sp.diff(f, *order)), (f, order)


def test_the_order_is_written_as_a_teacher_writes_it(capsys: pytest.CaptureFixture[str]) -> None:
    """∂²/∂y∂x is ∂/∂y of ∂f/∂x: the variable taken last is written first."""
    assert main(["diff", "x^2 y^3", "--wrt", "x,y"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("∂²/∂y∂x[x²·y³]\n  = ∂/∂y[2·x·y³]\n")
    assert "Mixed partials agree" in out and "∂²/∂x∂y[x²·y³]" in out
    assert main(["diff", "x^2 y^3", "--wrt", "x,y", "--format", "latex"]) == 0
    assert r"\frac{\partial^{2}}{\partial y\,\partial x}" in capsys.readouterr().out


def test_a_repeated_variable_is_an_ordinary_higher_derivative() -> None:
    assert differentiate("x^4 y", wrt="x,x").result == 12 * x**2 * y
    assert differentiate("x^4 y", wrt="x,x").variables["order"] == 2


def test_a_mixed_partial_at_a_point_and_as_a_checked_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert differentiate("x^2 y + e^{xy}", wrt="x,y", at="x=0,y=1").result == 1
    assert main(["check", "--answer", "6y^2", "--derivative-of", "x^2 y^3", "--wrt", "x,y,x"]) == 0
    assert capsys.readouterr().out.startswith("correct")
    assert main(["check", "--answer", "6xy^2", "--derivative-of", "x^2 y^3", "--wrt", "x,y,x"]) == 0
    assert capsys.readouterr().out.startswith("incorrect")


@pytest.mark.parametrize(
    "wrt, order, message",
    [("x,,y", 1, "expected variables separated by commas"), ("x,y", 2, "either an order or a sequence"),
     (",".join("x" * 11), 1, "at most 10 partials")],
)  # fmt: skip
def test_bad_sequences_are_refused(wrt: str, order: int, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        differentiate("x^2 y", wrt=wrt, order=order)
