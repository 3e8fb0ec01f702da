"""The reader of matrix expressions (stepsolver/matrixcalc/read.py).

What is checked, each against a node tree built here by hand from ``terms``:

- ``declare``: shapes as the user gives them (tuples, lists, the command line's "m,n"), names as
  LaTeX writes them (\\lambda, \\boldsymbol{w}) or bare, and its one-line refusals;
- every LaTeX form the lecture writes (transposes, inverses, traces, determinants, log-dets,
  norms, Hadamard products, element-wise functions, 𝟏 and I with their sizes inferred, bold and
  Greek names, fractions, brackets of every size), the lecture's own examples, and the same
  expressions in plain text (matrixcalculus.org's style) to the same trees;
- the house's printers (``text_of``, ``latex_of``) read back to the tree printed, and every
  LaTeX case of tests/matrix_cases.py reads to a scalar;
- hostile and malformed input: each a one-line StepsolverError in well under a second, and no
  user text ever reaches ``sympify``.
"""

from __future__ import annotations

import time

import pytest
import sympy as sp

from stepsolver.errors import ParseError, StepsolverError
from stepsolver.functions import ReLU, sigmoid, softplus
from stepsolver.matrixcalc import terms as t
from stepsolver.matrixcalc.notation import latex_of, text_of
from stepsolver.matrixcalc.read import bare_name, declare, dim, read_matrix

n, m, p = dim("n"), dim("m"), dim("p")
E, TA = t.Elementwise, t.T_ARG


def neg(term: t.MTerm) -> t.MTerm:
    return t.Prod(t.Const(-1), term)


# -- declare ---------------------------------------------------------------------------------------------


def test_declare_shapes_as_given() -> None:
    declared = declare({"X": ("m", "n"), "w": ("n",), "\\lambda": (), "b": [], "A": (3, 3), "r": (1, "n")})
    assert declared == {
        "X": t.Sym("X", m, n),
        "w": t.Sym("w", n, 1),
        "lambda": t.Sym("lambda", 1, 1),
        "b": t.Sym("b", 1, 1),
        "A": t.Sym("A", 3, 3),
        "r": t.Sym("r", 1, n),
    }
    assert declared["X"].shape[0] is dim("m") or declared["X"].shape[0] == dim("m")
    assert dim("n").is_positive and dim("n").is_integer


def test_declare_command_line_strings() -> None:
    assert declare({"X": "m,n", "w": "n", "c": "", "B": "(2, k)"}) == {
        "X": t.Sym("X", m, n),
        "w": t.Sym("w", n, 1),
        "c": t.Sym("c", 1, 1),
        "B": t.Sym("B", 2, dim("k")),
    }


@pytest.mark.parametrize(
    "written, bare",
    [("\\Sigma", "Sigma"), ("\\lambda", "lambda"), ("\\mu", "mu"), ("\\boldsymbol{w}", "w"), ("\\mathbf{x}", "x"),
     ("Sigma", "Sigma"), ("lambda", "lambda"), ("\\boldsymbol{\\mu}", "mu"), ("\\vec x", "x"), ("W_{1}", "W_1"),
     ("W_1", "W_1"), ("x1", "x_1"), ("\\mathbf{x}_1", "x_1"), ("Σ", "Sigma"), (" \\theta ", "theta")],
)  # fmt: skip
def test_bare_names(written: str, bare: str) -> None:
    assert bare_name(written) == bare
    assert list(declare({written: ("n",)})) == [bare]


@pytest.mark.parametrize(
    "shapes, named",
    [({"x": ("-1",)}, "x"), ({"x": ("n m",)}, "x"), ({"x": (0,)}, "x"), ({"x y": ("n",)}, "x y"),
     ({"x": ("a", "b", "c")}, "x"), ({"x": "a,b,c"}, "x"), ({"x": ("n",), "n": ()}, "n"), ({"x": (True,)}, "x"),
     ({"tr": ("n",)}, "tr"), ({"\\foo": ("n",)}, "foo"), ({"x": 3}, "x"), ({"x": (1.5,)}, "x"),
     ({"x": ("n",), "\\mathbf{x}": ("m",)}, "x"), ({"x": ("exp",)}, "x"), ({"": ("n",)}, "")],
)  # fmt: skip
def test_declare_refuses_in_one_line(shapes: dict, named: str) -> None:
    with pytest.raises(ParseError) as error:
        declare(shapes)
    assert "\n" not in str(error.value)
    assert named in str(error.value)


def test_lambda_declared_either_way() -> None:
    x = t.Sym("x", n, 1)
    lam = t.Sym("lambda", 1, 1)
    for key in ("\\lambda", "lambda"):
        shapes = declare({key: (), "x": ("n",)})
        assert read_matrix(r"\lambda x", shapes) == t.Prod(lam, x)
        assert read_matrix("lambda*x", shapes) == t.Prod(lam, x)
        assert read_matrix("λx", shapes) == t.Prod(lam, x)


def test_read_matrix_takes_raw_shapes_too() -> None:
    assert read_matrix(r"x^\top x", {"x": ("n",)}) == t.Prod(t.T(t.Sym("x", n, 1)), t.Sym("x", n, 1))


# -- LaTeX, each form ------------------------------------------------------------------------------------

SHAPES = declare({
    "x": ("n",), "y": ("n",), "a": ("n",), "u": ("n",), "v": ("m",), "w": ("m",), "z": ("p",),
    "A": ("n", "n"), "B": ("n", "m"), "C": ("m", "n"), "X": ("n", "m"), "S": ("n", "n"),
    "\\lambda": (), "c": (), "b": (), "\\Sigma": ("n", "n"), "\\mu": ("n",), "\\theta": ("m",),
    "W_1": ("n", "n"), "x_1": ("n",), "\\beta": ("m",),
})  # fmt: skip
x, y, a, u, v, w, z = (SHAPES[k] for k in ["x", "y", "a", "u", "v", "w", "z"])
A, B, C, X, S = (SHAPES[k] for k in ["A", "B", "C", "X", "S"])
lam, c, b, Sigma, mu, theta, W1, x1, beta = (
    SHAPES[k] for k in ["lambda", "c", "b", "Sigma", "mu", "theta", "W_1", "x_1", "beta"]
)
ONE_N = t.Ones(n)
XTX = t.Prod(t.T(X), X)

LATEX: list[tuple[str, t.MTerm]] = [
    # transposes, inverses
    (r"x^\top A x", t.Prod(t.T(x), A, x)),
    (r"x^T A x", t.Prod(t.T(x), A, x)),
    (r"x^{\top} A x", t.Prod(t.T(x), A, x)),
    (r"x^{T}Ax", t.Prod(t.T(x), A, x)),
    (r"x^\intercal A x", t.Prod(t.T(x), A, x)),
    (r"x^{\mathsf{T}} A x", t.Prod(t.T(x), A, x)),
    (r"A^{-1}", t.Inv(A)),
    (r"A^{-\top}", t.T(t.Inv(A))),
    (r"A^{-T}", t.T(t.Inv(A))),
    (r"(x + y)^{\top} A", t.Prod(t.T(t.Sum(x, y)), A)),
    (r"\left(x - y\right)^\top", t.T(t.Sum(x, neg(y)))),
    (r"c^\top", t.T(c)),  # the transpose of a scalar is fine
    (r"x^\top", t.T(x)),
    # traces
    (r"\operatorname{Tr}(A)", t.Tr(A)),
    (r"\operatorname{tr}(A)", t.Tr(A)),
    (r"\mathrm{tr}(A)", t.Tr(A)),
    (r"\mathrm{Tr}\left(A\right)", t.Tr(A)),
    (r"\text{tr}[A]", t.Tr(A)),
    (r"\text{Tr}\left[AS\right]", t.Tr(t.Prod(A, S))),
    (r"\operatorname{Tr}(X^\top A X)", t.Tr(t.Prod(t.T(X), A, X))),
    (r"\operatorname{tr} A S", t.Tr(t.Prod(A, S))),  # tr AB is tr(AB)
    (r"\operatorname{tr}(A)S", t.Prod(t.Tr(A), S)),
    # determinants, log-determinants
    (r"\det A", t.Det(A)),
    (r"\det(A)", t.Det(A)),
    (r"\det(A)^{-1}", E(TA**-1, t.Det(A))),
    (r"\det X^\top X", t.Det(XTX)),
    (r"\log\det A", t.LogAbsDet(A)),
    (r"\ln\det A", t.LogAbsDet(A)),
    (r"\log\det(A)", t.LogAbsDet(A)),
    (r"\ln\det(X^\top X)", t.LogAbsDet(XTX)),
    (r"\ln\lvert\det A\rvert", t.LogAbsDet(A)),
    (r"\ln|\det A|", t.LogAbsDet(A)),
    (r"\log\left|\det A\right|", t.LogAbsDet(A)),
    (r"\ln\left\lvert\det \Sigma\right\rvert", t.LogAbsDet(Sigma)),
    (r"|\det A|", E(sp.Abs(TA), t.Det(A))),
    # norms
    (r"\lVert x\rVert_2", t.Norm2(x)),
    (r"\|x\|_2", t.Norm2(x)),
    (r"\|x\|", t.Norm2(x)),
    (r"\lVert x\rVert", t.Norm2(x)),
    (r"\left\| x \right\|_{2}", t.Norm2(x)),
    (r"\lVert x\rVert_2^2", E(TA**2, t.Norm2(x))),
    (r"\|x\|^2_2", E(TA**2, t.Norm2(x))),
    (r"\lVert X\rVert_F", t.Norm2(X)),
    (r"\lVert X\rVert_{F}^2", E(TA**2, t.Norm2(X))),
    (r"\|Xw - y\|_2^2", E(TA**2, t.Norm2(t.Sum(t.Prod(X, w), neg(y))))),
    # Hadamard products and element-wise functions
    (r"x \odot y", t.Had(x, y)),
    (r"x \odot y \odot a", t.Had(x, y, a)),
    (r"A x \odot y", t.Had(t.Prod(A, x), y)),  # the product binds tighter
    (r"x^{\odot 2}", E(TA**2, x)),
    (r"\mathbf{1} \oslash x", E(TA**-1, x)),
    (r"\exp(x)", E(sp.exp(TA), x)),
    (r"\exp x", E(sp.exp(TA), x)),
    (r"\log(x)", E(sp.log(TA), x)),
    (r"\ln(x)", E(sp.log(TA), x)),
    (r"\sigma(x)", E(sigmoid(TA), x)),
    (r"\sigma\left(A x\right)", E(sigmoid(TA), t.Prod(A, x))),
    (r"\tanh(x)", E(sp.tanh(TA), x)),
    (r"\operatorname{softplus}(x)", E(softplus(TA), x)),
    (r"\operatorname{ReLU}(x)", E(ReLU(TA), x)),
    (r"\operatorname{relu}(x)", E(ReLU(TA), x)),
    (r"\operatorname{softmax}(x)", t.Softmax(x)),
    (r"\operatorname{diag}(x)", t.Diag(x)),
    (r"\ln\sigma(x)", E(sp.log(TA), E(sigmoid(TA), x))),  # ln of the application
    (r"\ln\operatorname{softmax}(A x)", E(sp.log(TA), t.Softmax(t.Prod(A, x)))),
    (r"\exp(\operatorname{Tr}(A))", E(sp.exp(TA), t.Tr(A))),
    (r"e^{x^\top a}", E(sp.exp(TA), t.Prod(t.T(x), a))),
    (r"\sqrt{x^\top x}", E(sp.sqrt(TA), t.Prod(t.T(x), x))),
    (r"\sigma(x)^\top y", t.Prod(t.T(E(sigmoid(TA), x)), y)),
    # ones and the identity, sizes inferred
    (r"\mathbf{1}^\top z", t.Prod(t.T(t.Ones(p)), z)),
    (r"\mathbf 1^\top x", t.Prod(t.T(ONE_N), x)),
    (r"\boldsymbol{1}^\top x", t.Prod(t.T(ONE_N), x)),
    (r"\mathbb{1}^\top x", t.Prod(t.T(ONE_N), x)),
    (r"\mathbb 1 + x", t.Sum(ONE_N, x)),
    (r"x + \mathbf{1}", t.Sum(x, ONE_N)),
    (r"(\mathbf{1} - y)^\top x", t.Prod(t.T(t.Sum(ONE_N, neg(y))), x)),
    (r"Xw + b\mathbf{1}", t.Sum(t.Prod(X, w), t.Prod(b, ONE_N))),
    (r"\mathbf{1}^\top \exp(C x)", t.Prod(t.T(t.Ones(m)), E(sp.exp(TA), t.Prod(C, x)))),
    (r"\mathbf{1}_n", ONE_N),
    (r"\mathbf{1} \mathbf{1}^\top + A", t.Sum(t.Prod(ONE_N, t.T(ONE_N)), A)),
    (r"X^\top X + \lambda I", t.Sum(XTX, t.Prod(lam, t.Identity(m)))),
    (r"(A + I)^{-1}", t.Inv(t.Sum(A, t.Identity(n)))),
    (r"I x", t.Prod(t.Identity(n), x)),
    (r"I_n", t.Identity(n)),
    (r"\mathbf{1}^\top (A \odot S) \mathbf{1}", t.Prod(t.T(ONE_N), t.Had(A, S), ONE_N)),
    # names: bold, arrowed, Greek, subscripted; a run of letters
    (r"\mathbf{x}^\top \mathbf{y}", t.Prod(t.T(x), y)),
    (r"\boldsymbol{w}^\top \boldsymbol{\theta}", t.Prod(t.T(w), theta)),
    (r"\bm{w}", w),
    (r"\vec{x} + \vec y", t.Sum(x, y)),
    (r"\mu^\top \Sigma^{-1} \mu", t.Prod(t.T(mu), t.Inv(Sigma), mu)),
    (r"\beta^\top\theta", t.Prod(t.T(beta), theta)),
    (r"x_1^\top W_{1} x_1", t.Prod(t.T(x1), W1, x1)),
    (r"\mathbf{x}_1", x1),
    (r"x^\top Ax", t.Prod(t.T(x), A, x)),
    (r"Ax x^\top", t.Prod(A, x, t.T(x))),  # a run of letters: single letters
    # scalar factors, fractions, signs
    (r"2 b^\top x", t.Prod(t.Const(2), t.T(b), x)),
    (r"1.5 x", t.Prod(t.Const(sp.Rational(3, 2)), x)),
    (r"0.25x", t.Prod(t.Const(sp.Rational(1, 4)), x)),
    (r"\lambda x", t.Prod(lam, x)),
    (r"\frac{1}{n}", t.Const(1 / n)),
    (r"\frac{1}{2n}", t.Const(1 / (2 * n))),
    (r"\tfrac1m x^\top x", t.Prod(t.Const(1 / m), t.T(x), x)),
    (r"\dfrac{1}{2} x^\top x", t.Prod(t.Const(sp.Rational(1, 2)), t.T(x), x)),
    (r"\frac12 x", t.Prod(t.Const(sp.Rational(1, 2)), x)),
    (r"\frac{1}2 x", t.Prod(t.Const(sp.Rational(1, 2)), x)),
    (r"\frac1{2} x", t.Prod(t.Const(sp.Rational(1, 2)), x)),
    (r"\frac{12}{34}", t.Const(sp.Rational(6, 17))),
    (r"\frac\lambda2", t.Prod(t.Const(sp.Rational(1, 2)), lam)),
    (r"\lambda^23", t.Prod(t.Const(3), E(TA**2, lam))),  # LaTeX: one character is the exponent
    (r"\frac{\lambda}{2}", t.Prod(t.Const(sp.Rational(1, 2)), lam)),
    (r"\frac{A}{c}", t.Prod(E(TA**-1, c), A)),
    (r"\frac{x^\top A x}{2}", t.Prod(t.Const(sp.Rational(1, 2)), t.T(x), A, x)),
    (r"-x", neg(x)),
    (r"-2x", t.Prod(t.Const(-2), x)),
    (r"x - y", t.Sum(x, neg(y))),
    (r"x - 2y", t.Sum(x, t.Prod(t.Const(-2), y))),
    (r"-\frac{1}{n} x^\top y", t.Prod(t.Const(-1 / n), t.T(x), y)),
    (r"x^\top 2 y", t.Prod(t.Const(2), t.T(x), y)),  # numbers merge in front
    (r"x \cdot c", t.Prod(x, c)),
    (r"c \times x", t.Prod(c, x)),
    (r"A \cdot S \cdot x", t.Prod(A, S, x)),
    # brackets of every size
    (r"\left[ A + S \right] x", t.Prod(t.Sum(A, S), x)),
    (r"\bigl( A + S \bigr) x", t.Prod(t.Sum(A, S), x)),
    (r"\Big[ A + S \Big] x", t.Prod(t.Sum(A, S), x)),
    (r"\biggl(x\biggr)", x),
    (r"{A + S} x", t.Prod(t.Sum(A, S), x)),
    (r"A(Sx)", t.Prod(A, S, x)),  # products are flattened, in the order written
    # powers
    (r"A^2", t.Prod(A, A)),
    (r"A^3 x", t.Prod(A, A, A, x)),
    (r"A^{-2}", t.Prod(t.Inv(A), t.Inv(A))),
    (r"\lambda^2", E(TA**2, lam)),
    (r"(x^\top a)^2", E(TA**2, t.Prod(t.T(x), a))),
    (r"c^{-1}", E(TA**-1, c)),
    (r"2^3 x", t.Prod(t.Const(8), x)),
    # spaces are insignificant; $…$ around the maths is taken off
    (r"  x ^ \top  A   x ", t.Prod(t.T(x), A, x)),
    (r"$x^\top A x$", t.Prod(t.T(x), A, x)),
    (r"\(x^\top A x\)", t.Prod(t.T(x), A, x)),
    (r"x^\top\,A\;x", t.Prod(t.T(x), A, x)),
]


@pytest.mark.parametrize("source, expected", LATEX, ids=[s for s, _ in LATEX])
def test_latex_forms(source: str, expected: t.MTerm) -> None:
    assert read_matrix(source, SHAPES) == expected


def test_sigma_declared_is_a_variable_unless_applied() -> None:
    shapes = declare({"\\sigma": (), "x": ("n",)})
    sigma, xs = shapes["sigma"], shapes["x"]
    assert read_matrix(r"\sigma^2 x", shapes) == t.Prod(E(TA**2, sigma), xs)
    assert read_matrix(r"\sigma x", shapes) == t.Prod(sigma, xs)
    assert read_matrix(r"\sigma(x)", shapes) == E(sigmoid(TA), xs)  # brackets: the sigmoid
    assert read_matrix("σ*x", shapes) == t.Prod(sigma, xs)
    assert read_matrix("sigma^2*x", shapes) == t.Prod(E(TA**2, sigma), xs)
    assert read_matrix("σ(x)", shapes) == E(sigmoid(TA), xs)


def test_syntax_can_be_forced() -> None:
    shapes = declare({"x": ("n",)})
    xs = shapes["x"]
    assert read_matrix("x'*x", shapes, syntax="text") == t.Prod(t.T(xs), xs)
    assert read_matrix(r"x^T x", shapes, syntax="latex") == t.Prod(t.T(xs), xs)
    with pytest.raises(ParseError, match="unknown syntax"):
        read_matrix("x", shapes, syntax="python")
    with pytest.raises(ParseError, match="string"):
        read_matrix(42, shapes)  # type: ignore[arg-type]


def test_declared_multi_letter_names_win_longest_first() -> None:
    shapes = declare({"mu": ("n",), "Sigma": ("n", "n"), "m": (), "u": ()})
    mu_, Sigma_ = shapes["mu"], shapes["Sigma"]
    assert read_matrix(r"mu^\top Sigma mu", shapes) == t.Prod(t.T(mu_), Sigma_, mu_)
    assert read_matrix(r"mu^\top Sigma^{-1} mu", shapes) == t.Prod(t.T(mu_), t.Inv(Sigma_), mu_)


def test_a_dimension_name_is_a_scalar() -> None:
    shapes = declare({"X": ("n", "m"), "w": ("m",)})
    Xs, ws = shapes["X"], shapes["w"]
    assert read_matrix(r"\frac{1}{n} X w", shapes) == t.Prod(t.Const(1 / n), Xs, ws)
    assert read_matrix(r"\frac{m}{2}", shapes) == t.Const(m / 2)
    assert read_matrix("1/n*X*w", shapes) == t.Prod(t.Const(1 / n), Xs, ws)


# -- the lecture's cases, in LaTeX and in plain text --------------------------------------------------------

LECTURE_SHAPES = declare({"b": ("n",), "x": ("n",), "A": ("n", "n")})
UAV_SHAPES = declare({"u": ("n",), "A": ("n", "m"), "v": ("m",)})
LOGISTIC_SHAPES = declare({"X": ("n", "m"), "w": ("m",), "y": ("n",), "b": ()})


def _logistic() -> t.MTerm:
    X_, w_, y_, b_ = (LOGISTIC_SHAPES[k] for k in ["X", "w", "y", "b"])
    z_ = t.Sum(t.Prod(X_, w_), t.Prod(b_, ONE_N))
    s = E(sigmoid(TA), z_)
    return t.Prod(
        t.Const(-1 / n),
        t.Sum(
            t.Prod(t.T(y_), E(sp.log(TA), s)),
            t.Prod(t.T(t.Sum(ONE_N, neg(y_))), E(sp.log(TA), t.Sum(ONE_N, neg(s)))),
        ),
    )


LB, LX, LA = LECTURE_SHAPES["b"], LECTURE_SHAPES["x"], LECTURE_SHAPES["A"]
LECTURE = [
    (r"b^\top x", "b'*x", LECTURE_SHAPES, t.Prod(t.T(LB), LX)),
    (r"2 b^\top x + x^\top x", "2*b'*x + x'*x", LECTURE_SHAPES,
     t.Sum(t.Prod(t.Const(2), t.T(LB), LX), t.Prod(t.T(LX), LX))),
    (r"\operatorname{Tr}(A)", "tr(A)", LECTURE_SHAPES, t.Tr(LA)),
    (r"x^\top A x", "x'Ax", LECTURE_SHAPES, t.Prod(t.T(LX), LA, LX)),
    (r"u^\top A v", "u'*A*v", UAV_SHAPES, t.Prod(t.T(UAV_SHAPES["u"]), UAV_SHAPES["A"], UAV_SHAPES["v"])),
    (
        r"-\frac{1}{n}\left[y^\top \ln\sigma(Xw + b\mathbf{1})"
        r" + (\mathbf{1} - y)^\top \ln(\mathbf{1} - \sigma(Xw + b\mathbf{1}))\right]",
        "-1/n*(y'*log(sigma(X*w + b*vector(1))) + (vector(1) - y)'*log(vector(1) - sigma(X*w + b*vector(1))))",
        LOGISTIC_SHAPES,
        _logistic(),
    ),
]  # fmt: skip


@pytest.mark.parametrize("latex, text, shapes, expected", LECTURE, ids=[c[1] for c in LECTURE])
def test_lecture_cases_in_both_syntaxes(latex: str, text: str, shapes: dict, expected: t.MTerm) -> None:
    assert read_matrix(latex, shapes) == expected
    assert read_matrix(text, shapes) == expected
    assert read_matrix(latex, shapes, syntax="latex") == expected
    assert read_matrix(text, shapes, syntax="text") == expected


def test_logistic_loss_in_unicode_text() -> None:
    text = "−(1/n)·(yᵀln(σ(Xw + b·𝟏)) + (𝟏 − y)ᵀln(𝟏 − σ(Xw + b·𝟏)))"
    assert read_matrix(text, LOGISTIC_SHAPES) == _logistic()


# -- plain text ------------------------------------------------------------------------------------------

TEXT: list[tuple[str, t.MTerm]] = [
    ("x'*A*x", t.Prod(t.T(x), A, x)),
    ("x'Ax", t.Prod(t.T(x), A, x)),
    ("x' * A * x", t.Prod(t.T(x), A, x)),
    ("A*S", t.Prod(A, S)),
    ("X'", t.T(X)),
    ("X^T", t.T(X)),
    ("inv(A)", t.Inv(A)),
    ("A^-1", t.Inv(A)),
    ("A^(-1)", t.Inv(A)),
    ("A^-T", t.T(t.Inv(A))),
    ("tr(A*S)", t.Tr(t.Prod(A, S))),
    ("trace(A*S)", t.Tr(t.Prod(A, S))),
    ("Tr(A)", t.Tr(A)),
    ("det(A)", t.Det(A)),
    ("det A", t.Det(A)),
    ("logdet(A)", t.LogAbsDet(A)),
    ("log(det(A))", t.LogAbsDet(A)),
    ("ln(abs(det(A)))", t.LogAbsDet(A)),
    ("ln|det A|", t.LogAbsDet(A)),
    ("norm2(x)", t.Norm2(x)),
    ("norm2(x)^2", E(TA**2, t.Norm2(x))),
    ("norm(x)", t.Norm2(x)),
    ("normF(X)", t.Norm2(X)),
    ("norm_fro(X)", t.Norm2(X)),
    ("||x||", t.Norm2(x)),
    ("‖x‖₂²", E(TA**2, t.Norm2(x))),
    ("‖X‖_F", t.Norm2(X)),
    ("exp(x)", E(sp.exp(TA), x)),
    ("log(x)", E(sp.log(TA), x)),
    ("ln(x)", E(sp.log(TA), x)),
    ("sigma(x)", E(sigmoid(TA), x)),
    ("sigmoid(x)", E(sigmoid(TA), x)),
    ("σ(x)", E(sigmoid(TA), x)),
    ("tanh(x)", E(sp.tanh(TA), x)),
    ("softplus(x)", E(softplus(TA), x)),
    ("relu(x)", E(ReLU(TA), x)),
    ("ReLU(x)", E(ReLU(TA), x)),
    ("softmax(x)", t.Softmax(x)),
    ("diag(x)", t.Diag(x)),
    ("x.*y", t.Had(x, y)),
    ("x ⊙ y", t.Had(x, y)),
    ("x./y", t.Had(x, E(TA**-1, y))),
    ("x.^2", E(TA**2, x)),
    ("sum(u)", t.Prod(t.T(ONE_N), u)),
    ("sum(A)", t.Prod(t.T(ONE_N), A, ONE_N)),
    ("vector(1) - y", t.Sum(ONE_N, neg(y))),
    ("ones'*x", t.Prod(t.T(ONE_N), x)),
    ("𝟏ᵀx", t.Prod(t.T(ONE_N), x)),
    ("vector(2) + x", t.Sum(t.Prod(t.Const(2), ONE_N), x)),
    ("xᵀAx", t.Prod(t.T(x), A, x)),
    ("A⁻¹x", t.Prod(t.Inv(A), x)),
    ("A⁻ᵀ", t.T(t.Inv(A))),
    ("A²", t.Prod(A, A)),
    ("x − y", t.Sum(x, neg(y))),
    ("λ*x", t.Prod(lam, x)),
    ("lambda*x", t.Prod(lam, x)),
    ("μ'*Σ^-1*μ", t.Prod(t.T(mu), t.Inv(Sigma), mu)),
    ("x_1'*W_1*x_1", t.Prod(t.T(x1), W1, x1)),
    ("x1'*W1*x1", t.Prod(t.T(x1), W1, x1)),
    ("1/2*x'*x", t.Prod(t.Const(sp.Rational(1, 2)), t.T(x), x)),
    ("x'*x/2", t.Prod(t.Const(sp.Rational(1, 2)), t.T(x), x)),
    ("A/c", t.Prod(E(TA**-1, c), A)),
    ("c**2", E(TA**2, c)),
    ("c^23", E(TA**23, c)),  # plain text: the number is the exponent
    ("2*-x", t.Prod(t.Const(-2), x)),
    ("X'*X + lambda*I", t.Sum(XTX, t.Prod(lam, t.Identity(m)))),
    ("exp(tr(A))", E(sp.exp(TA), t.Tr(A))),
    ("e^tr(A)", E(sp.exp(TA), t.Tr(A))),
]


@pytest.mark.parametrize("source, expected", TEXT, ids=[s for s, _ in TEXT])
def test_plain_text_forms(source: str, expected: t.MTerm) -> None:
    assert read_matrix(source, SHAPES) == expected


# -- the printers read back; the engine's cases read ---------------------------------------------------------

PRINTED: list[t.MTerm] = [
    _logistic(),
    E(TA**2, t.Norm2(x)),
    t.Norm2(X),
    t.LogAbsDet(Sigma),
    t.T(t.Inv(Sigma)),
    E(TA**2, x),
    E(TA**-1, x),
    t.Prod(E(TA**-1, lam), Sigma),
    E(sp.sqrt(TA), lam),
    E(sp.exp(TA), t.Tr(Sigma)),
    E(ReLU(TA), x),
    E(softplus(TA), x),
    t.Prod(t.Const(2), t.T(x), x),
    E(TA**3, t.Prod(t.T(x), x)),
    E(sp.Abs(TA), lam),
    t.Diag(x),
    t.Softmax(x),
    t.Const(1 / (2 * n)),
    E(TA**-1, t.Sum(lam, t.Const(1))),
    t.Prod(t.T(ONE_N), x),
    t.Had(x, y),
    t.Had(x, E(TA**-1, y)),
    t.Prod(t.T(x1), W1, x1),
    t.Sum(A, neg(t.T(A))),
    t.Tr(t.Prod(A, Sigma)),
    t.Prod(t.T(X), X, t.Inv(t.Sum(XTX, t.Prod(lam, t.Identity(m))))),
    t.Prod(t.Const(-1), t.T(y), E(sp.log(TA), t.Softmax(t.Prod(A, x)))),
    t.Prod(t.Const(sp.Rational(3, 2)), x),
    t.Prod(lam, E(TA**2, t.Norm2(w))),
]


@pytest.mark.parametrize("tree", PRINTED, ids=[text_of(tree) for tree in PRINTED])
def test_printed_forms_read_back(tree: t.MTerm) -> None:
    assert read_matrix(text_of(tree), SHAPES) == tree
    assert read_matrix(latex_of(tree), SHAPES) == tree


def test_every_engine_case_reads_to_a_scalar() -> None:
    from .matrix_cases import CASES

    for case in CASES:
        assert read_matrix(case.latex, declare(case.shapes)).is_scalar, case.name


# -- hostile and malformed input --------------------------------------------------------------------------

HOSTILE: list[tuple[str, str]] = [
    (r"(x^\top A x", "never closed"),
    (r"x^\top A x)", "unmatched ')'"),
    (r"\left( x \right]", "expected ')'"),
    (r"\foo(x)", "\\foo"),
    ("foo(x)", "foo"),
    (r"\operatorname{foo}(x)", "foo"),
    (r"q^\top x", "q is not declared: give its shape (shapes={'q': ('n',)} or --shape q=n)"),
    (r"X^\top w", "cannot multiply Xᵀ (m×n) by w (m×1)"),
    (r"x + w", "cannot add x (n×1) and w (m×1)"),
    (r"\det X", "the determinant needs a square matrix, and X is n×m"),
    (r"X^{-1}", "the inverse needs a square matrix"),
    (r"\operatorname{Tr}(X)", "the trace needs a square matrix"),
    (r"\mathbf{1}", "cannot be inferred"),
    (r"\mathbf{1}^\top \mathbf{1}", "cannot be inferred"),
    ("I", "cannot be inferred"),
    ("x" * 10_001, "10,001 characters"),
    ("(" * 200 + "x" + ")" * 200, "nested more than 100"),
    ("__import__('os')", "subscript"),
    ("eval(x)", "unknown function eval"),
    (r"x^{999999999}", "999999999"),
    ("x\x00", "U+0000"),
    (r"\input{/etc/passwd}", "\\input"),
    (r"x^", "exponent"),
    (r"x^{\top", "never closed"),
    ("^", "'^'"),
    ("x +", "ends"),
    ("", "empty"),
    ("   \n ", "empty"),
    ("x + 1", "cannot add x (n×1) and 1 (1×1)"),
    ("1" * 101 + "x", "101 digits"),
    (r"\|X\|_2", "spectral"),
    (r"\|X\|", "spectral"),
    (r"x^2", "a power needs a square matrix"),
    (r"\frac{x}{y}", "cannot divide by y"),
    (r"\frac{x}{0}", "division by zero"),
    (r"\frac{1}", "second argument"),
    (r"\sum_i x_i", "\\sum"),
    (r"\begin{bmatrix} 1 \end{bmatrix}", "\\begin"),
    ("x = y", "'='"),
    (r"\left. x \right|", "\\left."),
    (r"x^{n}", "exponent"),
    (r"x^{1.5}", "whole number"),
    (r"x^{\top\top}", "exponent"),
    ("\\", "backslash"),
    (r"\ln 0", "undefined"),
    ("||x", "never closed"),
    (r"\mathbf{0}", "zero"),
    (r"\sqrt[3]{c}", "root"),
    (r"\exp^2 x", "power"),
    (r"\sigma x", "sigma is not declared"),
    (r"\top", "superscript"),
    ("x ** ** 2", "exponent"),
    ("log2(x)", "log2"),
    (r"\|x\|_1", "_1"),
    (r"x_{\alpha}", "subscript"),
    ("{}", "empty"),
    ("()", "empty"),
    ("x'*y*", "ends"),
    (r"\exp", "argument"),
    ("vector(x)", "takes a number"),
    ("\\ln" * 300 + " c", "nested"),
    ("x" + "'" * 300, "nested"),
    ("|" * 300 + "c" + "|" * 300, "|"),
    (r"\frac{\frac{\frac{1}{2}}{3}", "never closed"),
    (r"I_3 x", "cannot multiply I (3×3) by x (n×1)"),  # an I of the wrong size is not tidied away
    (r"\mathbf{1}_3 + x", "cannot add 𝟏 (3×1) and x (n×1)"),
]


@pytest.mark.parametrize("source, said", HOSTILE, ids=[repr(s[:30]) for s, _ in HOSTILE])
def test_hostile_input_is_one_line(source: str, said: str) -> None:
    start = time.perf_counter()
    with pytest.raises(StepsolverError) as error:
        read_matrix(source, SHAPES)
    assert time.perf_counter() - start < 1.0
    message = str(error.value)
    assert "\n" not in message
    assert said in message


def test_errors_carry_a_column() -> None:
    with pytest.raises(ParseError) as error:
        read_matrix(r"x^\top A q", SHAPES)
    assert error.value.position == 9
    assert "(at column 10)" in str(error.value)
    with pytest.raises(ParseError) as error:
        read_matrix(r"$x + q$", SHAPES)  # columns of what was typed, $ and all
    assert error.value.position == 5


def test_long_and_deep_inputs_are_quick() -> None:
    long_sum = " + ".join([r"x^\top A x"] * 450)
    long_product = "x^\\top " + " ".join(["A"] * 2400) + " x"
    nested = "(" * 100 + "x" + ")" * 100
    nested_functions = r"\mathbf{1}^\top" + r"\exp(" * 100 + "x" + ")" * 100
    nested_sized = r"\left(" * 100 + "x" + r"\right)" * 100
    for source in (long_sum, long_product, nested, nested_functions, nested_sized):
        assert len(source) <= 10_000
        start = time.perf_counter()
        read_matrix(source, SHAPES)
        assert time.perf_counter() - start < 1.0
    assert len(long_sum) > 5_000
    assert read_matrix(nested, SHAPES) == x


def test_no_user_text_reaches_sympify(monkeypatch: pytest.MonkeyPatch) -> None:
    original = sp.sympify

    def guarded(value: object, *args: object, **kwargs: object) -> object:
        assert not isinstance(value, str), f"sympify was given text: {value!r}"
        return original(value, *args, **kwargs)

    monkeypatch.setattr(sp, "sympify", guarded)
    for source in (r"x^\top A x + \frac{1}{n}\lambda", "x'*A*x + 2.5", r"\operatorname{tr}(A) \cdot 3"):
        read_matrix(source, SHAPES)
    with pytest.raises(StepsolverError):
        read_matrix("__import__('os').system('true')", SHAPES)
