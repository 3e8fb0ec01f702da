"""One part of a problem with its parameters drawn, worked by the engine: the statement a student
reads, the worked result the solutions show, and the answer the key, the grader and the quiz use.

Every answer is read off the engine's own verified result; nothing here computes mathematics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..core.notation import decimal, latex
from ..errors import StepsolverError
from ..parse import parse
from .problems import Part, ProblemSetError, substitute

SEPARATOR = r",\quad "  # between the pieces of an answer of several parts


@dataclass
class Worked:
    part: Part
    statement: str  # LaTeX text, maths in $…$
    statement_sympy: str  # what the statement is about, as SymPy reads it
    result: Any  # what the worked solution renders
    answer_latex: str  # maths, without $
    answer_sympy: str | None  # None where SymPy has no form of it (a matrix expression)
    fields: dict[str, Any]  # the kind's fields with the parameters in
    function: sp.Expr | None = None
    wrt: tuple[sp.Symbol, ...] = ()
    at: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    answer: Any = None  # the answer as SymPy (an expression, a Matrix, a list), or None
    key: dict[str, Any] | None = None  # the grader's key entry, None where it cannot grade it
    fit: Any = None  # a model's gradient-descent fit (models.fit.FitResult), its cost curve drawn
    fit_data: str = ""  # the data it was fitted on, in words

    @property
    def id(self) -> str:
        return self.part.id

    @property
    def kind(self) -> str:
        return self.part.kind

    @property
    def answer_lines(self) -> list[str]:
        """The answer as lines to display one under the other (a graph's partials, a model's gradients)."""
        return self.answer_latex.split(SEPARATOR)

    @property
    def is_zero(self) -> bool:
        values = self.answer if isinstance(self.answer, (list, tuple, sp.MatrixBase)) else [self.answer]
        return self.answer is not None and all(sp.sympify(v).is_zero is True for v in values)

    @property
    def value(self) -> sp.Expr | None:
        """The answer when it is one real number (a value at a point, a trace, a slope)."""
        if isinstance(self.answer, sp.Expr) and not self.answer.free_symbols and self.answer.is_number:
            value = sp.N(self.answer, 30)
            return self.answer if value.is_real else None
        return None


def work(part: Part, values: dict[str, Any]) -> Worked:
    """``part`` with ``values`` substituted, worked; a problem the engine refuses is one line."""
    fields = substitute(part.fields, values)
    try:
        worked = KINDS[part.kind](part, fields)
    except ProblemSetError:
        raise
    except (StepsolverError, ValueError, TypeError, ArithmeticError, RecursionError) as error:
        drawn = ", ".join(f"{k} = {v}" for k, v in values.items())
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ProblemSetError(f"problem {part.id!r}{' with ' + drawn if drawn else ''}: {reason}") from None
    if part.statement:
        worked.statement = substitute(part.statement, values)
    return worked


def _text(value: object, what: str, part: Part) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ProblemSetError(f"problem {part.id!r}: {what} must be text")
    return value


def _point(value: object) -> str | None:
    """``at`` as written: "x=1,y=2", {x: 1, y: 2} or a number."""
    if value is None:
        return None
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _variables(f: sp.Expr) -> list[sp.Symbol]:
    return sorted((s for s in f.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)


def _signature(f: sp.Expr) -> str:
    names = ", ".join(latex(s) for s in _variables(f)) or "x"
    return f"f({names}) = {latex(f)}"


def _at(point: dict[sp.Symbol, sp.Expr]) -> str:
    return ", ".join(f"{latex(s)} = {latex(v)}" for s, v in point.items())


def _operator(sequence: tuple[sp.Symbol, ...], several: bool, point: dict[sp.Symbol, sp.Expr]) -> str:
    """f'(x), f''(2), ∂²f/∂y∂x: the derivative asked for, as the lecture writes it."""
    n = len(sequence)
    if not several and len(set(sequence)) == 1:
        where = latex(point[sequence[0]]) if sequence[0] in point else latex(sequence[0])
        primes = "'" * n if n <= 3 else f"^{{({n})}}"
        return f"f{primes}({where})"
    below = " ".join(rf"\partial {latex(s)}" for s in reversed(sequence))
    return rf"\frac{{\partial f}}{{{below}}}" if n == 1 else rf"\frac{{\partial^{{{n}}} f}}{{{below}}}"


def _derivative(part: Part, fields: dict[str, Any]) -> Worked:
    from ..calculus.api import differentiate

    text = _text(fields["f"], "f", part)
    wrt = fields.get("wrt", "x")
    order = fields.get("order", 1)
    at = _point(fields.get("at"))
    derivation = differentiate(text, wrt=wrt if isinstance(wrt, (str, list)) else str(wrt), order=order, at=at)
    f = parse(text)
    context = derivation.context
    sequence = tuple(context.sequence) or (context.wrt,) * context.order
    point = dict(derivation.context.at or {})
    several = len(_variables(f)) > 1
    asked = _operator(sequence, several, point)
    statement = f"Find ${asked}$ for ${_signature(f)}$"
    statement += f", at ${_at(point)}$." if point and several else "."
    if not several and len(sequence) == 1 and not point:
        statement = f"Differentiate ${_signature(f)}$."
    answer = derivation.result
    # the answer as the solution's last line shows it: 18k x^{k-1} in SymPy's order, ½ x^{-½} as built
    typed = derivation.steps[-1].typed_order if derivation.steps else True
    shown = latex(answer, typed=typed)
    if point:
        key: dict[str, Any] = {"expected": shown}
    elif len(sequence) == 1:
        key = {"derivative_of": text, "wrt": sequence[0].name}
    else:
        key = {"expected": shown}
    return Worked(part, statement, sp.sstr(f), derivation, shown, sp.sstr(answer), fields, f, sequence,
                  point, answer, key)  # fmt: skip


def _slope(part: Part, fields: dict[str, Any]) -> Worked:
    from ..calculus.finite_difference import Slope, slope

    text = _text(fields["f"], "f", part)
    worked = slope(text, at=fields["at"], h=fields.get("h", "0.01"), wrt=fields.get("wrt"),
                   central=bool(fields.get("central", False)))  # fmt: skip
    if not isinstance(worked, Slope):
        raise ProblemSetError(f"problem {part.id!r}: f has no derivative at {fields['at']}; pick another point")
    x, a = latex(worked.variable), latex(worked.a)
    h = str(fields["h"]) if isinstance(fields.get("h"), (int, float, str)) else "0.01"
    quotient = (rf"\frac{{f({a} + h) - f({a} - h)}}{{2h}}" if worked.central
                else rf"\frac{{f({a} + h) - f({a})}}{{h}}")  # fmt: skip
    statement = (f"For $f({x}) = {latex(worked.function)}$, work out the slope ${quotient}$ with $h = {h}$, "
                 f"and compare it with $f'({a})$.")  # fmt: skip
    answer = worked.slope
    decimal_form = decimal(answer, 12)
    shown = f"{quotient} = {latex(answer)}" + ("" if decimal_form == latex(answer) else f" = {decimal_form}")
    shown += SEPARATOR + rf"f'({a}) = {latex(worked.derivative.result)}"
    return Worked(part, statement, sp.sstr(worked.function), worked, shown, sp.sstr(answer), fields,
                  worked.function, (worked.variable,), {worked.variable: worked.a}, answer,
                  {"expected": latex(answer)})  # fmt: skip


def _graph(part: Part, fields: dict[str, Any]) -> Worked:
    from ..graph.api import computation_graph

    text = _text(fields["f"], "f", part)
    graph = computation_graph(text, at=_point(fields.get("at")))
    f = graph.function
    point = dict(graph.point)
    statement = f"Draw the computation graph of ${_signature(f)}$"
    statement += (f", work its forward pass at ${_at(point)}$ and, by the backward pass, every partial derivative."
                  if point else " and find every partial derivative by its backward pass.")  # fmt: skip
    names = list(graph.gradient)
    partials = [graph.gradient[name] for name in names]
    shown = SEPARATOR.join(rf"\frac{{\partial f}}{{\partial {latex(sp.Symbol(n))}}} = {latex(v)}"
                            for n, v in zip(names, partials, strict=True))  # fmt: skip
    if graph.value is not None:
        shown = rf"f = {latex(graph.value)}" + SEPARATOR + shown
    return Worked(part, statement, sp.sstr(f), graph, shown, sp.sstr(partials), fields, f,
                  tuple(sp.Symbol(n, real=True) for n in names), point, partials,
                  {"expected": [latex(v) for v in partials]})  # fmt: skip


def _gradient(part: Part, fields: dict[str, Any]) -> Worked:
    from ..calculus.gradient import gradient

    text = _text(fields["f"], "f", part)
    worked = gradient(text, fields.get("variables"), _point(fields.get("at")))
    vector: sp.Matrix = worked.symbolic if worked.at_point is None else worked.at_point
    statement = f"Find the gradient $\\nabla f$ of ${_signature(worked.function)}$"
    statement += f" at ${_at(worked.point)}$." if worked.point else "."
    entries = [latex(v) for v in vector]
    return Worked(part, statement, sp.sstr(worked.function), worked, rf"\nabla f = {latex(vector)}",
                  sp.sstr(list(vector)), fields, worked.function, tuple(worked.variables), dict(worked.point),
                  list(vector), {"expected": entries})  # fmt: skip


def _hessian(part: Part, fields: dict[str, Any]) -> Worked:
    from ..calculus.gradient import hessian

    text = _text(fields["f"], "f", part)
    worked = hessian(text, fields.get("variables"), _point(fields.get("at")))
    matrix: sp.Matrix = worked.symbolic if worked.at_point is None else worked.at_point
    statement = f"Find the Hessian matrix $H$ of ${_signature(worked.function)}$"
    statement += f" at ${_at(worked.point)}$." if worked.point else "."
    rows = [[latex(v) for v in matrix.row(i)] for i in range(matrix.rows)]
    return Worked(part, statement, sp.sstr(worked.function), worked, rf"H = {latex(matrix)}",
                  sp.sstr(matrix.tolist()), fields, worked.function, tuple(worked.variables), dict(worked.point),
                  matrix, {"expected": rows})  # fmt: skip


# op → the question, with its arguments' LaTeX in {0}, {1}, … (house strings, never the user's)
LINALG_WORDS = {
    "add": "Find ${0} + {1}$.",
    "scale": r"Find ${0} \cdot {1}$.",
    "trace": r"Find $\operatorname{{tr}} {0}$.",
    "transpose": "Find ${0}^T$.",
    "is_symmetric": "Is $A = {0}$ symmetric?",
    "is_identity": "Is $A = {0}$ the identity?",
    "is_orthogonal": "Is $A = {0}$ orthogonal?",
    "dot": r"Find the inner product $x^T y$ of $x = {0}$ and $y = {1}$.",
    "outer": "Find the outer product $x y^T$ of $x = {0}$ and $y = {1}$.",
    "matmul": "Find ${0} {1}$.",
    "det": r"Find $\det {0}$.",
    "inverse": "Find the inverse of $A = {0}$.",
    "rank": r"Find $\operatorname{{rank}} {0}$.",
    "independence": "Are the vectors {all} linearly independent?",
    "solve": "Solve $A x = b$ for $A = {0}$, $b = {1}$.",
    "norm": r"Find $\|x\|_{{{p}}}$ for $x = {0}$.",
    "unit_vector": "Find the unit vector in the direction of $x = {0}$.",
    "frobenius": r"Find the Frobenius norm $\|A\|_F$ of $A = {0}$.",
    "eigen": "Find the eigenvalues and eigenvectors of $A = {0}$.",
    "svd": "Find the singular value decomposition of $A = {0}$.",
}  # fmt: skip


def _linalg(part: Part, fields: dict[str, Any]) -> Worked:
    from .. import linalg
    from ..linalg.inputs import to_matrix, to_scalar
    from ..linalg.properties import PROPERTIES

    op = fields["op"]
    if op not in linalg.OPERATIONS:
        raise ProblemSetError(f"problem {part.id!r}: op must be one of {', '.join(linalg.OPERATIONS)} (got {op!r})")
    args = fields["args"]
    if not isinstance(args, list):
        raise ProblemSetError(f"problem {part.id!r}: args must be a list of the operation's arguments")
    _takes(part, op, linalg.OPERATIONS[op], args)
    answer = linalg.OPERATIONS[op](*args)
    if op == "property":
        matrices = [latex(to_matrix(a)) for a in args[1:]]
        names = "ABC"
        given = ", ".join(f"${names[i]} = {m}$" for i, m in enumerate(matrices))
        statement = f"Check ${tex_identity(PROPERTIES[args[0]])}$ on {given}."
    else:
        shown = []
        for index, arg in enumerate(args):
            if (op == "scale" and index == 0) or (op == "norm" and index == 1):
                shown.append(latex(to_scalar(arg)))
            else:
                shown.append(latex(to_matrix(arg)))
        p = shown[1] if op == "norm" and len(shown) > 1 else "2"
        p = r"\infty" if p in ("inf", r"\infty") or (str(args[-1]) == "inf" and op == "norm") else p
        together = ", ".join(f"${a}$" for a in shown)
        statement = LINALG_WORDS[op].format(*shown, p=p, all=together)
    shown_answer, value_sympy, value, key = _linalg_answer(answer.value)
    return Worked(part, statement, sp.sstr([str(a) for a in args]), answer, shown_answer, value_sympy, fields,
                  answer=value, key=key)  # fmt: skip


def _takes(part: Part, op: str, operation: Callable[..., Any], args: list[Any]) -> None:
    """The operation's count of arguments, said before Python would say it in its own words."""
    import inspect

    try:
        inspect.signature(operation).bind(*args)
    except TypeError:
        parameters = inspect.signature(operation).parameters.values()
        needed = [p.name for p in parameters if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
        several = any(p.kind is p.VAR_POSITIONAL for p in parameters)
        wanted = f"at least {len(needed)}" if several else f"{len(needed)}" + (
            f" to {len([p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD])}"
            if any(p.default is not p.empty for p in parameters) else "")  # fmt: skip
        said = f"problem {part.id!r}: op {op} takes {wanted} argument(s) in args, got {len(args)}"
        raise ProblemSetError(said) from None


def tex_identity(words: str) -> str:
    """A linear-algebra identity as the properties table words it, in maths."""
    for plain, tex in (("Tr(", r"\operatorname{tr}("), ("ᵀ", "^T"), ("⁻¹", "^{-1}"), ("≠", r"\neq "),
                       (" in general", r"\text{ in general}")):  # fmt: skip
        words = words.replace(plain, tex)
    return words


def _linalg_answer(value: Any) -> tuple[str, str | None, Any, dict[str, Any] | None]:
    """The value shown, as SymPy reads it, as SymPy, and as the grader's key (None: not graded)."""
    if isinstance(value, (bool, sp.logic.boolalg.BooleanAtom)):
        return (r"\text{yes}" if bool(value) else r"\text{no}"), str(bool(value)), None, None
    if isinstance(value, dict):  # eigenvalue → its eigenvectors
        shown = SEPARATOR.join(rf"\lambda = {latex(k)}: " + ", ".join(latex(v) for v in vs) for k, vs in value.items())
        eigenvalues = "{" + ", ".join(latex(k) for k in value) + "}"
        as_sympy = sp.sstr({k: [v.tolist() for v in vs] for k, vs in value.items()})
        return shown, as_sympy, None, {"expected": eigenvalues}
    if isinstance(value, sp.MatrixBase):
        rows = [[latex(e) for e in value.row(i)] for i in range(value.rows)]
        expected: Any = [row[0] for row in rows] if value.cols == 1 else rows
        return latex(value), sp.sstr(value.tolist()), value, {"expected": expected}
    if isinstance(value, (sp.Tuple, tuple)):  # (U, Σ, V)
        return SEPARATOR.join(latex(v) for v in value), sp.sstr([sp.Matrix(v).tolist() for v in value]), None, None
    v = sp.sympify(value)
    return latex(v), sp.sstr(v), v, {"expected": latex(v)}


def _matrix_gradient(part: Part, fields: dict[str, Any]) -> Worked:
    from ..matrixcalc.api import matrix_gradient
    from ..matrixcalc.notation import latex_of

    text = _text(fields["f"], "f", part)
    shapes = fields["shapes"]
    if not isinstance(shapes, dict):
        raise ProblemSetError(f"problem {part.id!r}: shapes must map each name to its dimensions (X: [n, m])")
    order = fields.get("order", 1)
    worked = matrix_gradient(text, str(fields["wrt"]), shapes, order=order)
    var = latex_of(worked.var)
    what = rf"\nabla_{{{var}}}^2 f" if order == 2 else rf"\nabla_{{{var}}} f"
    declared = ", ".join(rf"{latex_of(_declared(worked, name))} \in \mathbb{{R}}^{{{_dims(dims)}}}"
                         for name, dims in shapes.items())  # fmt: skip
    statement = f"Find ${what}$ for $f = {latex_of(worked.f)}$, where ${declared}$."
    try:
        answer_sympy: str | None = sp.sstr(worked.result)
    except (StepsolverError, ValueError, TypeError, NotImplementedError):
        answer_sympy = None
    return Worked(part, statement, text, worked, rf"{what} = {latex_of(worked.gradient)}", answer_sympy, fields)


def _declared(worked: Any, name: str) -> Any:
    from ..matrixcalc import terms as t

    found = [s for s in worked.f.atoms(t.Sym) if getattr(s, "name", None) == name]
    return found[0] if found else sp.Symbol(name)


def _dims(dims: object) -> str:
    if isinstance(dims, (list, tuple)):
        return r" \times ".join(latex(sp.Symbol(str(d))) for d in dims) or "1"
    return latex(sp.Symbol(str(dims))) if str(dims) else "1"


def _model(part: Part, fields: dict[str, Any]) -> Worked:
    from ..matrixcalc.notation import latex_of
    from ..models.api import model
    from ..models.catalogue import MODELS

    name = fields["name"]
    if name not in MODELS:
        raise ProblemSetError(f"problem {part.id!r}: name must be one of {', '.join(MODELS)} (got {name!r})")
    options = {k: fields[k] for k in ("lam", "hidden", "activation") if k in fields}
    m = model(name, **options)
    derivation = m.derivation
    names = ", ".join(latex_of(derivation.gradients[s].var) for s in derivation.gradients)
    statement = (f"Derive the gradient of the cost ${m.spec.cost}$ with respect to ${names}$, step by step.")
    shown = SEPARATOR.join(rf"\nabla_{{{latex_of(g.var)}}} J = {latex_of(derivation.final(s))}"
                            for s, g in derivation.gradients.items())  # fmt: skip
    worked = Worked(part, statement, name, derivation, shown, None, fields)
    if "fit" in fields:
        worked.fit, worked.fit_data = _fitted(part, m, fields["fit"])
        worked.statement += (f" Then train it by gradient descent on {worked.fit_data} and draw its cost"
                             " $J$ against the iterations.")  # fmt: skip
    return worked


FIT_FIELDS = {"examples": (int, 2, 10_000), "seed": (int, 0, 2**32 - 1), "lr": (float, 1e-6, 100.0),
              "iterations": (int, 1, 100_000)}  # fmt: skip


def _fitted(part: Part, m: Any, spec: object) -> tuple[Any, str]:
    """The model fitted by gradient descent on two seeded Gaussian classes in the plane, centred at
    (-1, -1) and (1, 1) with unit spread: data every reader can draw again from the seed, which
    needs no file beside the problem set. ``spec``: ``{examples, seed, lr, iterations}``."""
    import numpy as np

    if not isinstance(spec, dict):
        raise ProblemSetError(f"problem {part.id!r}: fit must map examples, seed, lr and iterations to numbers")
    unknown = sorted(str(k) for k in spec if k not in FIT_FIELDS)
    if unknown:
        raise ProblemSetError(f"problem {part.id!r}: fit has no field {unknown[0]!r} (known: {', '.join(FIT_FIELDS)})")
    if m.spec.labels != "binary":
        raise ProblemSetError(f"problem {part.id!r}: fit draws two classes; it trains a model of 0/1 labels")
    chosen: dict[str, Any] = {"examples": 80, "seed": 0, "lr": 0.5, "iterations": 300}
    for key, value in spec.items():
        kind, low, high = FIT_FIELDS[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ProblemSetError(f"problem {part.id!r}: fit {key} must be a number from {low:g} to {high:g}")
        if kind is int and value != int(value):
            raise ProblemSetError(f"problem {part.id!r}: fit {key} must be a whole number")
        chosen[key] = kind(value)
    rng = np.random.default_rng(chosen["seed"])
    half = chosen["examples"] // 2
    X = np.vstack([rng.normal(-1.0, 1.0, (half, 2)), rng.normal(1.0, 1.0, (chosen["examples"] - half, 2))])
    y = np.concatenate([np.zeros(half), np.ones(chosen["examples"] - half)])
    fit = m.fit(X, y, lr=chosen["lr"], max_iter=chosen["iterations"], seed=chosen["seed"])
    said = (f"{chosen['examples']} examples of two features, two Gaussian classes centred at $(-1, -1)$"
            f" and $(1, 1)$ (seed {chosen['seed']}), with $\\alpha = {chosen['lr']:g}$")  # fmt: skip
    return fit, said


KINDS: dict[str, Callable[[Part, dict[str, Any]], Worked]] = {
    "derivative": _derivative,
    "slope": _slope,
    "graph": _graph,
    "gradient": _gradient,
    "hessian": _hessian,
    "linalg": _linalg,
    "matrix_gradient": _matrix_gradient,
    "model": _model,
}
