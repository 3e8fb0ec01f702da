"""From one example to the cost: ∂J/∂w_j = (1/n) Σᵢ ∂L⁽ⁱ⁾/∂w_j, then entry j of the matrix form.

L⁽ⁱ⁾ and ŷ⁽ⁱ⁾ are printed as the lecture writes them and stand for the per-example graph's
expressions with the i-th example's values (x_j⁽ⁱ⁾, y⁽ⁱ⁾, and Σ_{k≠j} x_k⁽ⁱ⁾w_k): a check
writes them out. A step that changes only the summand of Σᵢ₌₁ⁿ is proved for every n by the
summands' equality for a general example i; any other statement about the sum is checked exactly
with n = 1, 2, 3 examples written out, and the matrix form's entry j at (n, m) = (1, 2), (2, 3),
(3, 1) with every entry a symbol: the report says "checked at …" for those, not "proved".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import sympy as sp

from ..calculus.api import differentiate
from ..core.derivation import Derivation, Step, check_link
from ..core.verify import Check
from ..functions import to_elementary
from ..matrixcalc import terms as t
from ..matrixcalc.evaluate import Evaluator, SymPyBackend
from ..matrixcalc.notation import latex_of, text_of
from . import symbols as s
from .contexts import ModelContext
from .per_example import PerExample
from .rules import MATRIX_ENTRY, PENALTY, PER_EXAMPLE, SUM_OVER_EXAMPLES

EXAMPLE_COUNTS = (1, 2, 3)
FEATURE_COUNTS = (2, 3, 1)


def _for_example(i: sp.Expr) -> dict[sp.Symbol, sp.Expr]:
    return {s.x_j: s.X_[i, s.j], s.others: s.S_[i], s.y: s.Y_[i]}


class ExampleTerm(sp.Function):
    """A per-example quantity (L⁽ⁱ⁾, ŷ⁽ⁱ⁾) that prints as the lecture writes it and is, when
    checked, the per-example graph's expression with the i-th example's values."""

    text_name: ClassVar[str] = "L"
    latex_name: ClassVar[str] = "L"
    template: ClassVar[sp.Expr] = sp.S.Zero

    def doit(self, **hints: Any) -> sp.Expr:
        (i,) = self.args
        return self.template.xreplace(_for_example(i)).doit(**hints)

    def _eval_derivative(self, v: sp.Symbol) -> sp.Expr:
        return sp.diff(self.doit(), v)

    def _sympystr(self, printer: Any) -> str:
        return self.text_name + f"({printer._print(self.args[0])})".translate(_SUPER)

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        tex = f"{self.latex_name}^{{({printer._print(self.args[0])})}}"
        return tex if exp is None else f"\\left({tex}\\right)^{{{exp}}}"


_SUPER = str.maketrans("()0123456789in", "⁽⁾⁰¹²³⁴⁵⁶⁷⁸⁹ⁱⁿ")


def example_term(name: str, text_name: str, latex_name: str, template: sp.Expr) -> type[ExampleTerm]:
    return type(name, (ExampleTerm,), {"text_name": text_name, "latex_name": latex_name, "template": template})


@dataclass
class ExampleSumStep(Step):
    """A step about a sum over the examples, checked exactly with n = 1, 2, 3 examples written out."""

    def _verify(self) -> Check:
        termwise = _termwise(self.before, self.after)
        if termwise is not None:
            return termwise
        limits = {term.limits for side in (self.before, self.after) for term in sp.preorder_traversal(side)
                  if isinstance(term, sp.Sum)}  # fmt: skip
        if limits - {((s.i, 1, s.n),)}:  # n = 1, 2, 3 written out stands for Σ from 1 to n only
            return Check("undecided", f"a sum over other limits than i = 1, …, n: {limits}")
        for count in EXAMPLE_COUNTS:
            left, right = (side.xreplace({s.n: count}).doit() for side in (self.before, self.after))
            check = check_link(left, right)
            if check.status != "proved":
                return Check(check.status, f"with n = {count} examples written out: {check.method}")
        return Check("sizes", "exactly with n = 1, 2, 3 examples written out one by one")


def _termwise(before: sp.Expr, after: sp.Expr) -> Check | None:
    """Σᵢ f(i) = Σᵢ g(i) in the same surroundings, proved for every n by f(i) = g(i) for a general
    example i; None when the two sides are not one sum each in the same place."""
    sums = [[term for term in sp.preorder_traversal(side) if isinstance(term, sp.Sum)] for side in (before, after)]
    if any(len(found) != 1 for found in sums):
        return None
    (left,), (right,) = sums
    if left.limits != right.limits or left.limits != ((s.i, 1, s.n),):  # i is a positive index here
        return None
    hole = sp.Dummy("sum")
    context = before.xreplace({left: hole})
    if context != after.xreplace({right: hole}) or s.i in context.free_symbols:
        return None
    check = check_link(left.function, right.function)
    if check.status != "proved":
        return None
    return Check("proved", "term by term: the summands are equal for a general example i, so for every n")


class MatrixEntry(sp.Expr):
    """Entry j of a column-vector matrix term (the matrix form of the gradient)."""

    def __new__(cls, term: t.MTerm, index: sp.Symbol) -> MatrixEntry:
        return super().__new__(cls, term, index)  # type: ignore[no-any-return]

    def _sympystr(self, printer: Any) -> str:
        if self.args[0].shape == (1, 1):  # ∂J/∂b: the matrix form is a number already
            return text_of(self.args[0])
        return f"[{text_of(self.args[0])}]_{printer._print(self.args[1])}"

    def _latex(self, printer: Any) -> str:
        if self.args[0].shape == (1, 1):
            return latex_of(self.args[0])
        return rf"\left[{latex_of(self.args[0])}\right]_{{{printer._print(self.args[1])}}}"

    def doit(self, **hints: Any) -> MatrixEntry:
        return self


@dataclass
class MatrixEntryStep(Step):
    """Σ-form = [matrix form]_j, checked exactly: every entry a symbol, each j, several sizes."""

    values: Callable[[int, int, int], tuple[dict[sp.Basic, Any], dict[sp.Symbol, sp.Expr]]] | None = field(
        default=None, compare=False, repr=False
    )
    sizes: Callable[[int, int], dict[sp.Symbol, int]] | None = field(default=None, compare=False, repr=False)

    def _verify(self) -> Check:
        assert self.values is not None and self.sizes is not None
        entry = self.after
        assert isinstance(entry, MatrixEntry)
        for count, features in zip(EXAMPLE_COUNTS, FEATURE_COUNTS, strict=True):
            for feature in range(1, features + 1):
                matrices, scalars = self.values(count, features, feature)
                value = Evaluator(SymPyBackend(), matrices, self.sizes(count, features))(entry.args[0])
                left = self.before.xreplace({s.n: count}).doit().xreplace(scalars)
                row = feature - 1 if entry.args[1] == s.j else 0
                if sp.expand(to_elementary(left - value[row, 0])) == 0:  # the same σ terms: they cancel at once
                    continue
                check = check_link(left, value[row, 0])
                if check.status != "proved":
                    return Check(check.status, f"at n = {count}, m = {features}, j = {feature}: {check.method}")
        return Check("sizes", "exactly, entry by entry, at n = 1, 2, 3 examples and m = 2, 3, 1 features, every j")


@dataclass
class Averaged:
    """∂J/∂θ for θ = w_j and b, from the per-example results."""

    parts: dict[str, Derivation[ModelContext]]


def averaged(
    graph: PerExample,
    matrix_forms: Mapping[str, t.MTerm],
    declared: Mapping[str, t.Sym],
    penalised: bool = False,
) -> Averaged:
    """∂J/∂w_j and ∂J/∂b as sums over the examples (plus the penalty's derivative when J has
    (λ/2)‖w‖²), each then equal to entry j of its matrix form."""
    loss = example_term("ExampleLoss", "L", "L", graph.graph.nodes[graph.graph.output].expr)
    prediction = example_term("ExamplePrediction", "ŷ", r"\hat{y}", graph.graph.nodes["yhat"].expr)
    i = s.i
    per = {s.yhat: prediction(i), **_for_example(i)}
    penalty = s.lam / 2 * (s.w_j**2 + s.other_weights) if penalised else sp.S.Zero
    out: dict[str, Derivation[ModelContext]] = {}
    for name, symbol in (("w_j", s.w_j), ("b", s.b)):
        mean = sp.Mul(sp.Rational(1, 1) / s.n, sp.Sum(loss(i), (i, 1, s.n)), evaluate=False)
        held = sp.Derivative(penalty, symbol)
        start = sp.Derivative(sp.Add(mean, penalty, evaluate=False) if penalised else mean, symbol)
        inner = sp.Mul(1 / s.n, sp.Sum(sp.Derivative(loss(i), symbol), (i, 1, s.n)), evaluate=False)
        result = _held_replace(graph.in_node_names(name), per)
        summed = sp.Mul(1 / s.n, sp.Sum(result, (i, 1, s.n)), evaluate=False)
        steps: list[Step] = [
            ExampleSumStep(SUM_OVER_EXAMPLES, start, _plus(inner, held, penalised)),
            ExampleSumStep(
                PER_EXAMPLE, _plus(inner, held, penalised), _plus(summed, held, penalised),
                {"∂L/∂" + name: graph.in_node_names(name)},
            ),
        ]  # fmt: skip
        if penalised:
            worked = differentiate(penalty, wrt=symbol)
            last = _plus(summed, worked.result, True) if worked.result != 0 else summed
            steps.append(ExampleSumStep(PENALTY, steps[-1].after, last, substeps=[worked]))
        form = matrix_forms.get("w" if name == "w_j" else "b")
        if form is not None:
            entry = MatrixEntry(form, s.j if name == "w_j" else sp.Integer(1))
            steps.append(
                MatrixEntryStep(
                    MATRIX_ENTRY, steps[-1].after, entry, values=_values_for(declared), sizes=_sizes_for(declared)
                )
            )
        out[name] = Derivation(f"∂J/∂{name}", start, steps, ModelContext("averaged", name), partial=True)
    return Averaged(out)


def _held_replace(expr: sp.Expr, mapping: Mapping[sp.Basic, sp.Expr]) -> sp.Expr:
    """``expr`` with ``mapping`` applied, sums and products kept in their written order (ŷ − y)."""
    if expr in mapping:
        return mapping[expr]
    if isinstance(expr, (sp.Add, sp.Mul)):
        return expr.func(*(_held_replace(a, mapping) for a in expr.args), evaluate=False)
    return expr.xreplace(dict(mapping))


def _plus(a: sp.Expr, b: sp.Expr, really: bool) -> sp.Expr:
    return sp.Add(a, b, evaluate=False) if really else a


def _sizes_for(declared: Mapping[str, t.Sym]) -> Callable[[int, int], dict[sp.Symbol, int]]:
    examples, features = declared["X"].shape  # the dimension names X was declared with: n × m

    def sizes(count: int, width: int) -> dict[sp.Symbol, int]:
        return {examples: count, features: width}

    return sizes


def _values_for(
    declared: Mapping[str, t.Sym],
) -> Callable[[int, int, int], tuple[dict[sp.Basic, Any], dict[sp.Symbol, sp.Expr]]]:
    """The matrices with symbol entries for n examples and m features, w_j the weight of feature j,
    and what the Σ-form's per-example symbols are then (Σ_{k≠j} x_k⁽ⁱ⁾w_k written out)."""

    def values(count: int, features: int, feature: int) -> tuple[dict[sp.Basic, Any], dict[sp.Symbol, sp.Expr]]:
        weights = [s.w_j if k == feature else sp.Symbol(f"w_{k}", real=True) for k in range(1, features + 1)]
        X = sp.Matrix(count, features, lambda r, c: s.X_[r + 1, c + 1])
        matrices: dict[sp.Basic, Any] = {
            declared["X"]: X,
            declared["w"]: sp.Matrix(weights),
            declared["y"]: sp.Matrix(count, 1, lambda r, _: s.Y_[r + 1]),
            declared["b"]: sp.Matrix([[s.b]]),
        }
        if "lambda" in declared:
            matrices[declared["lambda"]] = sp.Matrix([[s.lam]])
        scalars: dict[sp.Symbol, sp.Expr] = {s.other_weights: sum((w**2 for w in weights if w != s.w_j), sp.S.Zero)}
        for r in range(1, count + 1):
            scalars[s.X_[r, s.j]] = s.X_[r, feature]
            scalars[s.S_[r]] = sum(
                (s.X_[r, k] * weights[k - 1] for k in range(1, features + 1) if k != feature), sp.S.Zero
            )
        return matrices, scalars

    return values
