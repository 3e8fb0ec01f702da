"""The lecture's names (issue 15): max and min of two or more values, floor and ceiling, bold and
arrowed vectors, typed in LaTeX and in plain text, each against the SymPy expression written here
by hand (sp.Max, sp.Min, sp.floor, sp.ceiling, a plain real symbol); what a reading assumed is said
back; the house's printing of each (and of arcsin, arccos, arctan and i) reads back to the same
expression in both syntaxes; and malformed input is one line on the command line, with exit 2."""

from __future__ import annotations

import pytest
import sympy as sp

from stepsolver.cli import main
from stepsolver.core.notation import latex, text
from stepsolver.parse import parse, read

x, y, a, b, c, d, theta = sp.symbols("x y a b c d theta", real=True)
x1, x2, theta1 = sp.symbols("x_1 x_2 theta_1", real=True)
rate = sp.Symbol("rate", real=True)

# (LaTeX, plain text or None, the reference written in SymPy)
NAMES = [
    (r"\max(a, b)", "max(a, b)", sp.Max(a, b)),
    (r"\max\{a, b\}", "max(b, a)", sp.Max(a, b)),
    (r"\max\left\{a, b\right\}", "Max(a, b)", sp.Max(a, b)),  # SymPy's own spelling in text
    (r"\max\left(a, b, c\right)", "max(a, b, c)", sp.Max(a, b, c)),
    (r"\min(x, 1)", "min(x, 1)", sp.Min(x, 1)),
    (r"\min\{a, b, c, d\}", "min(a,b,c,d)", sp.Min(a, b, c, d)),
    (r"\operatorname{max}(x, y)", None, sp.Max(x, y)),
    (r"\max(0, x)", "max(0, x)", sp.Max(0, x)),
    (r"\max(2, 3)", "max(2, 3)", sp.Integer(3)),  # numbers only: the number
    (r"\max(a, \min(b, c))", "max(a, min(b, c))", sp.Max(a, sp.Min(b, c))),
    (r"2\max(x, y)^2", "2max(x, y)^2", 2 * sp.Max(x, y) ** 2),
    (r"\max(|x|, |y|)", "max(|x|, |y|)", sp.Max(sp.Abs(x), sp.Abs(y))),
    (r"\frac{\max(x, y)}{2}", "max(x, y)/2", sp.Max(x, y) / 2),
    (r"\lfloor x \rfloor", "floor(x)", sp.floor(x)),
    (r"\left\lfloor x \right\rfloor", "floor x", sp.floor(x)),
    (r"\left\lfloor \frac{x}{2} \right\rfloor", "floor(x/2)", sp.floor(x / 2)),
    (r"\lfloor x \rfloor^2", "floor(x)^2", sp.floor(x) ** 2),
    (r"3\lfloor x \rfloor y", "3floor(x)y", 3 * sp.floor(x) * y),
    (r"|\lfloor x \rfloor|", "|floor(x)|", sp.Abs(sp.floor(x))),
    (r"\lfloor \lceil x \rceil \rfloor", "floor(ceil(x))", sp.floor(sp.ceiling(x))),
    (r"\sin \lfloor x \rfloor", "sin(floor(x))", sp.sin(sp.floor(x))),
    (r"\operatorname{floor}(x)", None, sp.floor(x)),
    (r"\lfloor 2.5 \rfloor", "floor(2.5)", sp.Integer(2)),
    (r"\lceil x \rceil", "ceil(x)", sp.ceiling(x)),
    (r"\left\lceil x \right\rceil", "ceiling(x)", sp.ceiling(x)),  # SymPy's own spelling
    (r"\lceil x + y \rceil", "ceil(x + y)", sp.ceiling(x + y)),
    (r"\mathbf{x}", None, x),
    (r"\mathbf x", None, x),
    (r"\boldsymbol{x}", None, x),
    (r"\boldsymbol x", None, x),
    (r"\bm{x}", None, x),
    (r"\vec{x}", None, x),
    (r"\vec x", None, x),
    (r"\mathbf{x}^2 + 2\mathbf{x}", "x^2 + 2x", x**2 + 2 * x),
    (r"\mathbf{x}_1 + \mathbf{x_2}", "x_1 + x_2", x1 + x2),
    (r"\boldsymbol{\theta}", "theta", theta),
    (r"\boldsymbol\theta_1", "theta_1", theta1),
    (r"\mathbf{1}", "1", sp.Integer(1)),
    (r"\vec{x} \cdot \vec{y}", "x*y", x * y),  # scalars: the dot is a product
]


@pytest.mark.parametrize(("typed", "plain", "reference"), NAMES, ids=[n[0] for n in NAMES])
def test_latex_and_text_give_the_reference(typed: str, plain: str | None, reference: sp.Expr) -> None:
    got = parse(typed, "latex")
    assert got.doit() == reference, f"{typed!r} read as {got}, expected {reference}"
    if plain is not None:
        got = parse(plain, "text")
        assert got.doit() == reference, f"{plain!r} read as {got}, expected {reference}"


def test_a_maximum_is_kept_as_written() -> None:
    """As e^{ln x} is not cancelled to x: max(x, x + 1) stays a maximum (SymPy would make it x + 1)."""
    for typed, syntax in [(r"\max(x, x + 1)", "latex"), ("max(x, x + 1)", "text")]:
        got = parse(typed, syntax)  # type: ignore[arg-type]
        assert isinstance(got, sp.Max) and {arg.doit() for arg in got.args} == {x, x + 1}


@pytest.mark.parametrize(
    ("typed", "note"),
    [
        (r"\mathbf{x}", r"\mathbf{x} read as the variable x: a bold or arrowed name is the plain symbol"),
        (r"\vec x", r"\vec x read as the variable x: a bold or arrowed name is the plain symbol"),
        (
            r"\boldsymbol{\theta}",
            r"\boldsymbol{\theta} read as the variable θ: a bold or arrowed name is the plain symbol",
        ),
        (r"\mathbf{1}", r"\mathbf{1} read as the number 1 (scalar calculus: not a vector)"),
    ],
)
def test_what_a_bold_name_assumes_is_said_back(typed: str, note: str) -> None:
    assert note in read(typed).notes


def test_a_declared_name_may_be_bold() -> None:
    reading = read(r"\mathbf{rate} x", names=["rate"])
    assert reading.expr == rate * x
    assert r"\mathbf{rate} read as the variable rate: a bold or arrowed name is the plain symbol" in reading.notes


@pytest.mark.parametrize(
    "typed",
    [r"\max(a, b)", r"\min\{a, b\}", r"\lfloor x \rfloor", r"\lceil x \rceil", "max(a, b)", "floor(x)", "ceil(x)"],
)
def test_nothing_is_said_when_nothing_was_assumed(typed: str) -> None:
    assert read(typed).notes == ()


# The house's printing: text and LaTeX of each, read back by the reader of that syntax.
PRINTED = [
    sp.Max(x, y),
    sp.Min(x, y, 1),
    sp.Max(x, x**2),
    sp.Max(x, y) ** 2,
    3 * sp.Max(0, x) / y,
    sp.Min(x, sp.floor(y)),
    sp.floor(x),
    sp.floor(x / 2 + y),
    sp.floor(x) ** 2,
    sp.ceiling(x),
    2 * sp.ceiling(x) * y,
    sp.floor(x) / sp.ceiling(y),
    *(f(x) for f in (sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc)),
    *(f(x) for f in (sp.asinh, sp.acosh, sp.atanh, sp.acoth, sp.asech, sp.acsch)),
    sp.asin(x) ** 2,
    x * sp.atan(2 * x + 1),
    sp.acos(x) / sp.sqrt(1 - x**2),
]


@pytest.mark.parametrize("expr", PRINTED, ids=[sp.sstr(e) for e in PRINTED])
def test_printing_reads_back(expr: sp.Expr) -> None:
    shown, tex = text(expr), latex(expr)
    assert parse(shown, "text").doit() == expr, f"text {shown!r}"
    assert parse(tex, "latex").doit() == expr, f"LaTeX {tex!r}"


@pytest.mark.parametrize(
    ("expr", "shown", "tex"),
    [
        (sp.Max(x, y), "max(x, y)", r"\max\left(x, y\right)"),
        (sp.Min(x, y), "min(x, y)", r"\min\left(x, y\right)"),
        (sp.floor(x), "floor(x)", r"\left\lfloor x \right\rfloor"),
        (sp.ceiling(x), "ceil(x)", r"\left\lceil x \right\rceil"),
        (2 * sp.Max(x, y), "2·max(x, y)", r"2 \max\left(x, y\right)"),
        (sp.asin(x), "arcsin(x)", r"\arcsin{\left(x \right)}"),
        (sp.acos(x), "arccos(x)", r"\arccos{\left(x \right)}"),
        (sp.atan(x), "arctan(x)", r"\arctan{\left(x \right)}"),
        (sp.asec(x), "arcsec(x)", r"\operatorname{arcsec}{\left(x \right)}"),
        (sp.asinh(x), "arsinh(x)", r"\operatorname{arsinh}{\left(x \right)}"),
        (sp.I, "i", "i"),
        (3 + 4 * sp.I, "3 + 4·i", "3 + 4 i"),
    ],
)
def test_printed_as_the_lecture_writes_them(expr: sp.Expr, shown: str, tex: str) -> None:
    assert (text(expr), latex(expr)) == (shown, tex)


@pytest.mark.parametrize("expr", [3 + 4 * sp.I, sp.I * x, x + sp.I * sp.Max(x, y), sp.exp(sp.I * x)])
def test_the_imaginary_unit_reads_back_in_a_complex_problem(expr: sp.Expr) -> None:
    """i is the imaginary unit only when the problem is complex (elsewhere it is a variable, an index),
    and only a complex problem has one to print."""
    assert parse(text(expr), "text", complex=True).doit() == expr
    assert parse(latex(expr), "latex", complex=True).doit() == expr


def test_the_shipped_tables_read_the_new_names_as_fresh_ones_do() -> None:
    from stepsolver.parse import latex as reader
    from stepsolver.parse import tables

    grammar = reader.grammar_text()
    shipped, fresh = tables.load(grammar, reader.BarSides()), tables.build(grammar, reader.BarSides())
    for typed in [r"\max(a, b, c)", r"\min\{a, b\}", r"\lfloor x \rfloor", r"\left\lceil x \right\rceil"]:
        assert shipped.parse(reader.normalised(typed)) == fresh.parse(reader.normalised(typed)), typed


# Malformed input: (typed, words the one line must hold, its column)
BAD = [
    (r"\lfloor x", r"'\lfloor' is never closed: write \rfloor", 1),
    (r"\lfloor \rfloor", "empty brackets", 1),
    (r"\lceil x \rfloor", r"'\rfloor' closes the '\lceil' opened at column 1; expected '\rceil'", 10),
    (r"\lfloor (x \rfloor)", r"'\rfloor' closes the '('", 12),
    (r"x + \rfloor", r"unmatched '\rfloor'", 5),
    (r"\max", r"\max needs its arguments in brackets", 1),
    (r"\max x", r"\max needs its arguments in brackets", 1),
    (r"1 + \max(x)", r"\max needs two or more arguments", 5),
    (r"\min(x,)", "unexpected ')'", 8),
    ("max x", "max needs its arguments in brackets", 1),
    ("2 + min(x)", "min needs two or more arguments", 5),
    ("max^2(x, y)", "write the power after the brackets", 4),
    (r"\frac{floor(x)}{2}", r"in LaTeX write \lfloor … \rfloor", 7),
    (r"\vec{}", r"\vec{} is empty", 1),
    (r"\vec", r"\vec needs a name after it", 1),
    (r"x + \mathbf", r"\mathbf needs a name after it", 5),
    (r"\mathbf{xy}", "a bold or arrowed name is one letter or Greek letter", 1),
    (r"\mathbf{\sin}", "a bold or arrowed name is one letter or Greek letter", 1),
    (r"\mathbf{e}", "e alone is Euler's number", 1),
]


@pytest.mark.parametrize(("typed", "words", "column"), BAD, ids=[b[0] for b in BAD])
def test_malformed_names_are_one_line_with_exit_2(
    typed: str, words: str, column: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", typed]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("stepsolver: ") and captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err
    assert words in captured.err and f"(at column {column})" in captured.err, captured.err
