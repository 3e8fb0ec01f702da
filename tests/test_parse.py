"""Reading LaTeX and plain text: the lecture's conventions, SymPy's own LaTeX, error columns."""

from __future__ import annotations

import pytest
import sympy as sp

from stepsolver import ParseError, parse
from stepsolver.functions import ReLU, sigmoid, softplus

x, y, k, b = sp.symbols("x y k b", real=True)

CONVENTIONS = [
    (r"\ln x", sp.log(x)),
    (r"\log x", sp.log(x)),  # the lecture's log is natural
    (r"\log_{2} x", sp.log(x) / sp.log(2)),
    (r"\log_b x", sp.log(x) / sp.log(b)),
    (r"\exp(x)", sp.exp(x)),
    (r"e^{x+1}", sp.exp(x + 1)),
    (r"\mathrm{e}^x", sp.exp(x)),
    (r"\arctan x", sp.atan(x)),
    (r"\operatorname{atan}{\left(x \right)}", sp.atan(x)),
    (r"\sin^{-1} x", sp.asin(x)),
    (r"\operatorname{arsinh}(x)", sp.asinh(x)),
    (r"\cosh x", sp.cosh(x)),
    (r"\sigma(x)", sigmoid(x)),
    (r"\operatorname{softplus}(x)", softplus(x)),
    (r"\operatorname{ReLU}(x)", ReLU(x)),
    (r"x \cdot y", x * y),
    (r"x \times y", x * y),
    (r"\left(x+1\right)^2", (x + 1) ** 2),
    (r"\sin^2 x", sp.sin(x) ** 2),
    (r"\sin^{2}{\left(x \right)}", sp.sin(x) ** 2),
    (r"\sin{\left(x \right)}^{2}", sp.sin(x) ** 2),  # latex2sympy2 reads this as sin(x²)
    (r"\sin(x)^2", sp.sin(x) ** 2),
    (r"\sin x^2", sp.sin(x**2)),
    (r"\sin 2x", sp.sin(2 * x)),
    (r"\sin x \cos x", sp.sin(x) * sp.cos(x)),
    ("2x", 2 * x),
    ("xy", x * y),
    (r"x(\ln(3y) + 1)", x * (sp.log(3 * y) + 1)),
    (r"\frac12 x", x / 2),
    (r"\sqrt{x}", sp.sqrt(x)),
    (r"\sqrt[3]{x}", x ** sp.Rational(1, 3)),
    (r"|x|", sp.Abs(x)),
    (r"\left|x - 1\right| + |y|", sp.Abs(x - 1) + sp.Abs(y)),
    (r"18 x^k", 18 * x**k),
    ("0.5x", x / 2),
    (r"\pi x", sp.pi * x),
    (r"x^{-\frac{1}{2}}", x ** sp.Rational(-1, 2)),
    (r"\frac{d}{dx} x^2", sp.Derivative(x**2, x)),
]


@pytest.mark.parametrize(("text", "expected"), CONVENTIONS, ids=[c[0] for c in CONVENTIONS])
def test_latex_conventions(text: str, expected: sp.Expr) -> None:
    parsed = parse(text, "latex")
    if expected.has(sp.Derivative):
        assert parsed == expected
    else:
        assert sp.simplify(parsed - expected) == 0


PLAIN = [
    ("x^2*sin(x)", x**2 * sp.sin(x)),
    ("ln(x)/x^2", sp.log(x) / x**2),
    ("x**3 - 2x", x**3 - 2 * x),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("sqrt(x) + abs(x)", sp.sqrt(x) + sp.Abs(x)),
    ("exp(-x) + e^x", sp.exp(-x) + sp.exp(x)),
    ("log(x, 2)", sp.log(x, 2)),
    ("sigma(x)*relu(x)", sigmoid(x) * ReLU(x)),
    ("2^-1", sp.Rational(1, 2)),
    ("-x^2", -(x**2)),
    ("|x|", sp.Abs(x)),
]


@pytest.mark.parametrize(("text", "expected"), PLAIN, ids=[p[0] for p in PLAIN])
def test_plain_text(text: str, expected: sp.Expr) -> None:
    assert sp.simplify(parse(text) - expected) == 0


SYMPY_OUTPUT = [
    x**2 * sp.sin(x),
    sp.log(x) / x**2,
    sp.exp(x**2),
    sp.sin(x) ** 2,
    sp.log(x) ** 2,
    sp.atan(x),
    sp.asin(x) + sp.acos(x),
    sp.sinh(x) * sp.acosh(x),
    sp.Abs(x),
    1 / (1 + sp.exp(-x)),
    sp.sqrt(x + 1),
    x ** sp.Rational(3, 2),
    2**x * sp.log(2),
    sp.tanh(x) ** 3,
    sp.atanh(x),
    sp.sec(x) + sp.csc(x),
    sigmoid(x) * (1 - sigmoid(x)),
    sp.cos(x) ** x,
    x ** (1 / x),
    sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi),
    sp.Max(x, y) + sp.Min(x, y, 1),
    sp.floor(x) * sp.ceiling(y),
    sp.floor(x / 2) ** 2,
    sp.acot(x) + sp.asec(x) + sp.acsc(x),
]


@pytest.mark.parametrize("expr", SYMPY_OUTPUT, ids=[str(e) for e in SYMPY_OUTPUT])
def test_sympys_own_latex_reads_back(expr: sp.Expr) -> None:
    assert sp.simplify(parse(sp.latex(expr)) - expr) == 0


def test_structure_is_kept_as_typed() -> None:
    quotient = parse(r"\frac{\ln x}{x^2}")
    assert isinstance(quotient, sp.Mul) and any(isinstance(f, sp.Pow) and f.exp == -1 for f in quotient.args)
    assert parse("x^3 - 1").args == (x**3, -1)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        (r"x + \foo", 5, "unknown command"),
        ("(x + 1", 1, "'(' is never closed"),
        ("x + 1)", 6, "unmatched"),
        (r"\frac{1}{x", 9, "'{' is never closed"),
        (r"(2) + ((x)^{2)", 14, "')' closes the '{' opened at column 12"),
        ("() + x", 1, "empty brackets"),
        (r"\sin\left(x\right", 10, "'(' is never closed"),
        (r"\arcsinn x", 1, "did you mean \\arcsin"),
        ("x^", 3, "end of input"),
        ("2 * * x", 5, "unexpected"),
        (r"\operatorname{foo}(x)", 1, "unknown function"),
        ("foo(x)", 1, "unknown function"),
    ],
)
def test_errors_say_what_and_where(text: str, column: int, words: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert words in str(info.value)
    assert info.value.position is not None and info.value.position + 1 == column
    assert "\n" not in str(info.value)


def test_parse_error_is_a_value_error() -> None:
    assert issubclass(ParseError, ValueError)


def test_grammar_text_is_the_same_in_every_process() -> None:
    """Lark caches its LALR tables by grammar text; a hash-seed-dependent text rebuilds them each run."""
    import os
    import subprocess
    import sys

    script = (
        "import hashlib; from stepsolver.parse.latex import grammar_text;"
        " print(hashlib.sha1(grammar_text().encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (r"\operatorname{ReLU}\left(\frac{x}{2}\right)", "cannot read"),  # it would read the product R·e·L·U·x/2
        (r"\mathrm{softplus}(x)", "cannot read"),
        (r"\Gamma(x)", "unknown function"),
        (r"\sigma", "needs an argument"),
    ],
)
def test_latex2sympy2_reader_refuses_what_it_would_misread(text: str, words: str) -> None:
    pytest.importorskip("latex2sympy2")
    with pytest.raises(ParseError, match=words):
        parse(text, "latex2sympy2")


def test_latex2sympy2_reader_follows_the_lecture_conventions() -> None:
    pytest.importorskip("latex2sympy2")
    assert parse(r"\log x", "latex2sympy2") == sp.log(x)
    assert parse(r"\sin{\left(x \right)}^{2}", "latex2sympy2") == sp.sin(x) ** 2
    assert parse(r"\sigma(x) + \mathrm{e}^x", "latex2sympy2") == sigmoid(x) + sp.exp(x)
    assert parse(r"\operatorname{atan}{\left(x \right)}", "latex2sympy2") == sp.atan(x)
