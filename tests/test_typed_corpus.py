"""Generated expressions typed the way people type them — implicit products, e^x(…), function powers,
bare function arguments, unicode, plain text — read back and compared with the generator's own tree.

The typist below knows nothing of the reader: it writes what a student would write for a SymPy
tree, choosing at random among the spellings the README says are read alike.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

from stepsolver import parse

from .helpers import numerically_equal

x, y, z = sp.symbols("x y z", real=True)
FUNCS = {"sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "ln": sp.log, "sqrt": sp.sqrt, "tanh": sp.tanh,
         "arctan": sp.atan, "cosh": sp.cosh, "abs": sp.Abs}  # fmt: skip


def tree(rng: random.Random, depth: int) -> sp.Expr:
    if depth == 0 or rng.random() < 0.25:
        return rng.choice([x, y, z, x, sp.Integer(rng.randint(2, 9))])
    kind = rng.choice(["add", "mul", "mul", "pow", "fun", "exp", "div", "neg"])
    a = tree(rng, depth - 1)
    if kind == "fun":
        return FUNCS[rng.choice(list(FUNCS))](a if a.free_symbols else a * x)
    if kind == "exp":
        return sp.exp(a if a.free_symbols else a * x)
    if kind == "pow":
        return a ** rng.choice([2, 3, 4]) if a.free_symbols else x**a
    if kind == "neg":
        return -a
    b = tree(rng, depth - 1)
    if kind == "div":
        return a / b if b != 0 else a
    return a + b if kind == "add" else a * b


class Typist:
    """Writes a tree as a person would, with a random choice of spelling at each place."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def write(self, e: sp.Expr) -> str:
        if isinstance(e, sp.Add):
            out = self.write(e.args[0])
            for term in e.args[1:]:
                out += " + " + self.factor_text(term)
            return out
        return self.product(e)

    def factor_text(self, e: sp.Expr) -> str:
        text = self.write(e)
        return f"({text})" if text.startswith("-") or isinstance(e, sp.Add) else text

    def product(self, e: sp.Expr) -> str:
        if isinstance(e, sp.Mul):
            numerator = [f for f in e.args if not (isinstance(f, sp.Pow) and f.exp.is_negative)]
            denominator = [1 / f for f in e.args if isinstance(f, sp.Pow) and f.exp.is_negative]
            if denominator:
                top = self.juxtapose(numerator) if numerator else "1"
                if numerator and len(numerator) > 1:
                    top = f"({top})"
                bottom = self.juxtapose(denominator)
                return f"{top}/({bottom})"
            if e.args[0] == -1:
                return "-" + self.factor_text(sp.Mul(*e.args[1:]))
            return self.juxtapose(list(e.args))
        if isinstance(e, sp.Pow) and e.exp.is_negative:
            return f"1/({self.write(1 / e)})"
        return self.atom(e)

    def juxtapose(self, factors: list[sp.Expr]) -> str:
        pieces = [self.piece(f) for f in factors]
        out = pieces[0]
        for piece in pieces[1:]:
            glue = self.rng.choice(["", " ", "*", "·"])
            if piece[0].isdigit() or piece.startswith("-"):
                glue = "*"  # x2 would be x₂, and x-3 a difference: a person writes x*2 or 2x
            out += glue + piece
        return out

    def piece(self, e: sp.Expr) -> str:
        text = self.product(e) if isinstance(e, sp.Pow) or not isinstance(e, (sp.Add, sp.Mul)) else self.write(e)
        return f"({text})" if isinstance(e, (sp.Add, sp.Mul)) or text.startswith("-") else text

    def atom(self, e: sp.Expr) -> str:
        rng = self.rng
        if e.is_Symbol or e.is_Integer:
            return str(e)
        if e.is_Rational:
            return f"({e.p}/{e.q})"
        if e == sp.E:
            return "e"
        if isinstance(e, sp.exp):
            argument = e.args[0]
            if argument.is_Symbol:
                return rng.choice([f"e^{argument}", f"exp({argument})", f"e^({argument})"])
            return rng.choice([f"e^({self.write(argument)})", f"exp({self.write(argument)})"])
        if isinstance(e, sp.Pow):
            base, exponent = e.base, e.exp
            if exponent == sp.Rational(1, 2):
                return rng.choice([f"sqrt({self.write(base)})", f"√({self.write(base)})"])
            power = str(exponent) if exponent.is_Integer and exponent > 0 else f"({self.write(exponent)})"
            if exponent in (2, 3) and rng.random() < 0.3:
                power = {2: "²", 3: "³"}[int(exponent)]
            else:
                power = rng.choice(["^", "**"]) + power
            if isinstance(base, sp.Function) and base.func in FUNCS.values() and exponent.is_Integer:
                name = next(n for n, f in FUNCS.items() if f == base.func)
                inner = base.args[0]
                if name != "abs" and inner.is_Symbol and rng.random() < 0.5:
                    return f"{name}^{exponent} {inner}"  # sin^2 x
                if name != "abs" and rng.random() < 0.5:
                    return f"{name}^{exponent}({self.write(inner)})"  # sin^2(x+1)
            if base.is_Symbol or (base.is_Integer and base > 0):
                return f"{base}{power}"
            return f"({self.write(base)}){power}"
        if isinstance(e, sp.Function):
            name = next(n for n, f in FUNCS.items() if f == e.func)
            argument = e.args[0]
            if name == "abs" and rng.random() < 0.5:
                return f"|{self.write(argument)}|"
            if argument.is_Symbol and name != "abs" and rng.random() < 0.5:
                return rng.choice([f"{name} {argument}", f"{name}{argument}"])  # sin x, sinx
            return f"{name}({self.write(argument)})"
        raise AssertionError(f"the typist cannot write {sp.srepr(e)}")


CASES = 300


def corpus() -> list[tuple[str, sp.Expr]]:
    rng = random.Random(20261201)
    out = []
    while len(out) < CASES:
        expr = tree(rng, rng.randint(1, 4))
        out.append((Typist(rng).write(expr), expr))
    return out


@pytest.mark.parametrize(("typed", "expr"), corpus(), ids=[t for t, _ in corpus()])
def test_typed_as_people_type_reads_as_the_tree(typed: str, expr: sp.Expr) -> None:
    read = parse(typed, syntax="text")
    assert numerically_equal(read.doit(), expr, points=3, seed=7), f"{typed!r} read as {read}, generated {expr}"


@pytest.mark.parametrize(("typed", "expr"), corpus()[:150], ids=[t for t, _ in corpus()[:150]])
def test_what_the_text_output_prints_reads_back_as_the_same_function(typed: str, expr: sp.Expr) -> None:
    """Text output is what a student copies into an answer: it must mean what it shows (x^(3/2), not x^3/2)."""
    from stepsolver.core.notation import text

    shown = text(expr, typed=False)
    assert numerically_equal(parse(shown, syntax="text").doit(), expr, points=3, seed=7), f"{expr} printed as {shown!r}"
