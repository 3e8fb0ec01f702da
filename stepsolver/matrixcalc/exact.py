"""Exact values of matrix terms at concrete sizes, fast: every entry a polynomial (SymPy's sparse
polynomials over ℚ in the entry symbols), every matrix one polynomial matrix over one common
denominator, N/d. An inverse is adj(N)·d/det(N), so rational terms stay exact without a gcd at
each step; two values are equal when N₁d₂ = N₂d₁, which is an identity of polynomials.

SymPy's own expressions do the same a hundred times more slowly (expand and cancel at every
comparison); this is what lets every polynomial or rational step be checked entry by entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.polys.rings import PolyElement, PolyRing, ring

from . import terms as t
from .evaluate import Backend, Evaluator


class NotPolynomial(Exception):
    """A term whose entries are not rational functions of the entries (exp, √, softmax)."""


@dataclass(frozen=True)
class Rational:
    """A matrix N/d: N a list of rows of polynomials, d one polynomial."""

    rows: tuple[tuple[PolyElement, ...], ...]
    d: PolyElement

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.rows), len(self.rows[0]) if self.rows else 0)

    def entries(self) -> list[PolyElement]:
        return [e for row in self.rows for e in row]


def _matrix(rows: Sequence[Sequence[PolyElement]], d: PolyElement) -> Rational:
    return Rational(tuple(tuple(r) for r in rows), d)


def _det(rows: list[list[PolyElement]], zero: PolyElement) -> PolyElement:
    n = len(rows)
    if n == 1:
        return rows[0][0]
    if n == 2:
        return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
    total = zero
    for j in range(n):  # cofactor expansion along row 1: n ≤ 5 here
        if rows[0][j]:
            minor = [row[:j] + row[j + 1 :] for row in rows[1:]]
            term = rows[0][j] * _det(minor, zero)
            total = total + term if j % 2 == 0 else total - term
    return total


def _adjugate(rows: list[list[PolyElement]], zero: PolyElement, one: PolyElement) -> list[list[PolyElement]]:
    n = len(rows)
    if n == 1:
        return [[one]]
    out = [[zero] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            minor = [row[:j] + row[j + 1 :] for k, row in enumerate(rows) if k != i]
            cofactor = _det(minor, zero)
            out[j][i] = cofactor if (i + j) % 2 == 0 else -cofactor
    return out


class PolynomialBackend(Backend):
    def __init__(self, R: PolyRing):
        self.R = R

    def _scale(self, m: Rational, c: PolyElement) -> Rational:
        return _matrix([[e * c for e in row] for row in m.rows], m.d)

    def matmul(self, a: Rational, b: Rational) -> Rational:
        if a.shape == (1, 1):
            return _matrix([[a.rows[0][0] * e for e in row] for row in b.rows], a.d * b.d)
        if b.shape == (1, 1):
            return _matrix([[e * b.rows[0][0] for e in row] for row in a.rows], a.d * b.d)
        cols = list(zip(*b.rows, strict=True))
        zero = self.R.zero
        rows = [[sum((x * y for x, y in zip(row, col, strict=True)), zero) for col in cols] for row in a.rows]
        return _matrix(rows, a.d * b.d)

    def scale(self, c: Any, a: Rational) -> Rational:
        return self._scale(a, self.R(c))

    def add(self, a: Rational, b: Rational) -> Rational:
        if a.d == b.d:
            return _matrix(
                [[x + y for x, y in zip(r, s, strict=True)] for r, s in zip(a.rows, b.rows, strict=True)], a.d
            )
        return _matrix(
            [[x * b.d + y * a.d for x, y in zip(r, s, strict=True)] for r, s in zip(a.rows, b.rows, strict=True)],
            a.d * b.d,
        )

    def hadamard(self, a: Rational, b: Rational) -> Rational:
        return _matrix(
            [[x * y for x, y in zip(r, s, strict=True)] for r, s in zip(a.rows, b.rows, strict=True)], a.d * b.d
        )

    def transpose(self, a: Rational) -> Rational:
        return _matrix([list(col) for col in zip(*a.rows, strict=True)], a.d)

    def inverse(self, a: Rational) -> Rational:
        rows = [list(r) for r in a.rows]
        det = _det(rows, self.R.zero)
        if not det:
            raise ZeroDivisionError("a singular matrix")
        adj = _adjugate(rows, self.R.zero, self.R.one)
        return _matrix([[e * a.d for e in row] for row in adj], det)  # (N/d)⁻¹ = d·adj N / det N

    def trace(self, a: Rational) -> Rational:
        return _matrix([[sum((a.rows[i][i] for i in range(len(a.rows))), self.R.zero)]], a.d)

    def det(self, a: Rational) -> Rational:
        n = len(a.rows)
        return _matrix([[_det([list(r) for r in a.rows], self.R.zero)]], a.d**n)

    def diag(self, a: Rational) -> Rational:
        n = len(a.rows)
        zero = self.R.zero
        return _matrix([[a.rows[i][0] if i == j else zero for j in range(n)] for i in range(n)], a.d)

    def entrywise(self, f: sp.Expr, a: Rational) -> Rational:
        numerator, denominator = sp.fraction(sp.cancel(sp.together(f)))
        try:
            p = sp.Poly(numerator, t.T_ARG, domain=sp.QQ)
            q = sp.Poly(denominator, t.T_ARG, domain=sp.QQ)
        except sp.PolynomialError:
            raise NotPolynomial(f) from None
        if q.degree() > 0 and a.shape != (1, 1):
            raise NotPolynomial(f)  # 1/u entry by entry: a denominator per entry, no common one
        top = self._homogenised(p, a)
        if q.degree() <= 0:
            scale = self.R(q.LC())
            return _matrix([[top(e) for e in row] for row in a.rows], a.d ** p.degree() * scale)
        e = a.rows[0][0]
        below = self._homogenised(q, a)(e)
        if not below:
            raise ZeroDivisionError("a rational function at a pole")
        shift = q.degree() - p.degree()  # f(e/d) = P̃(e, d)/Q̃(e, d) · d^(deg Q − deg P)
        up, down = (a.d**shift, self.R.one) if shift >= 0 else (self.R.one, a.d ** (-shift))
        return _matrix([[top(e) * up]], below * down)

    def _homogenised(self, poly: sp.Poly, a: Rational) -> Any:
        degree = poly.degree()
        coefficients = [self.R(c) for c in reversed(poly.all_coeffs())]

        def value(entry: PolyElement) -> PolyElement:  # Σ c_k e^k d^(D−k)
            return sum((c * entry**k * a.d ** (degree - k) for k, c in enumerate(coefficients)), self.R.zero)

        return value

    def log_abs_det(self, a: Rational) -> Rational:
        raise NotPolynomial("ln|det X|")

    def norm(self, a: Rational) -> Rational:
        raise NotPolynomial("a norm")

    def softmax(self, a: Rational) -> Rational:
        raise NotPolynomial("softmax")

    def constant(self, value: Any, rows: int, cols: int) -> Rational:
        c = self.R(sp.Rational(value)) if not isinstance(value, PolyElement) else value
        return _matrix([[c] * cols for _ in range(rows)], self.R.one)

    def identity(self, n: int) -> Rational:
        return _matrix([[self.R.one if i == j else self.R.zero for j in range(n)] for i in range(n)], self.R.one)

    def is_scalar(self, a: Rational) -> bool:
        return a.shape == (1, 1)


def equal(a: Rational, b: Rational) -> bool:
    if a.shape != b.shape:
        return False
    return all(x * b.d == y * a.d for x, y in zip(a.entries(), b.entries(), strict=True))


class PolynomialPoint:
    """The leaves as matrices of entry symbols, dX too; d(u) as d/dε u(X + ε dX) at ε = 0, by
    differentiating the polynomials (never by the rules being checked)."""

    def __init__(self, values: Mapping[sp.Basic, sp.Matrix], sizes: Mapping[sp.Symbol, int], var: t.Sym):
        symbols = sorted({s for m in values.values() for s in m.free_symbols}, key=str)
        self.epsilon = sp.Symbol("epsilon")
        self.R, *gens = ring([*symbols, self.epsilon], sp.QQ)
        self.gen = dict(zip([*symbols, self.epsilon], gens, strict=True))
        self.eps = self.gen[self.epsilon]
        as_poly = {leaf: self._lift(matrix) for leaf, matrix in values.items()}
        self.var = var
        self.values = as_poly
        backend = PolynomialBackend(self.R)
        moved = dict(as_poly)
        x, dx = as_poly[var], as_poly[t.Dvar(var)]
        pairs = zip(x.rows, dx.rows, strict=True)
        moved[var] = _matrix([[p + self.eps * q for p, q in zip(r, s, strict=True)] for r, s in pairs], self.R.one)
        self.moved = Evaluator(backend, moved, sizes, exact_numbers=True)
        self.plain = Evaluator(
            backend, as_poly, sizes, self._along, exact_numbers=True, by_definition=self._by_definition
        )

    def _lift(self, matrix: sp.Matrix) -> Rational:
        rows = [[self.gen[e] if e.is_Symbol else self.R(e) for e in matrix.row(i)] for i in range(matrix.rows)]
        return _matrix(rows, self.R.one)

    def _along(self, u: t.MTerm) -> Rational:
        value = self.moved(u)
        eps = self.eps
        d = value.d
        d_prime = d.diff(eps)
        rows = [[(e.diff(eps) * d - e * d_prime) for e in row] for row in value.rows]
        at_zero = [[e.subs(eps, 0) for e in row] for row in rows]
        return _matrix(at_zero, (d * d).subs(eps, 0))

    def _by_definition(self, term: t.Grad | t.Jac, evaluate: Evaluator) -> Rational:
        f, var = term.args
        value = evaluate(f)
        point = self.values[var]
        d = value.d
        if isinstance(term, t.Grad):
            n = value.rows[0][0]
            rows = [[n.diff(x) * d - n * d.diff(x) for x in row] for row in point.rows]
        else:
            rows = [
                [e.diff(x) * d - e * d.diff(x) for x in (r[0] for r in point.rows)] for e in (r[0] for r in value.rows)
            ]
        return _matrix(rows, d * d)

    def __call__(self, term: sp.Basic) -> Rational:
        return self.plain(term)


__all__ = ["NotPolynomial", "PolynomialPoint", "equal"]
