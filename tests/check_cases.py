"""The answer-checking test set: (answer, problem, expected verdict), at least 150 cases.

Generated forms of each derivative (expanded, factored, over one denominator, as SymPy writes
it) must be "correct"; near misses (off by a constant, a sign, a factor 2) "incorrect"; and a
hand-written list covers identities, domain traps and decimals.
"""

from __future__ import annotations

import sympy as sp

x = sp.Symbol("x", real=True)

# Problems as the student sees them (LaTeX), with SymPy's derivative for generating answers.
PROBLEMS = [
    r"x^2 \sin x",
    r"\frac{\ln x}{x^2}",
    r"e^{3x}",
    r"(x^2 + 1)^3",
    r"\frac{x}{x + 1}",
    r"x e^{-x}",
    r"\sqrt{x^2 + 1}",
    r"\ln(x^2 + 1)",
    r"\sin(x) \cos(x)",
    r"\frac{1}{1 + e^{-x}}",
    r"x^3 - 3x + 2",
    r"\tan x",
    r"x \ln x",
    r"e^{x} \sin x",
    r"(2x + 1)^{5}",
    r"\frac{x^2 - 1}{x + 2}",
]


def _forms(derivative: sp.Expr) -> list[sp.Expr]:
    forms = [derivative, sp.expand(derivative), sp.factor(derivative), sp.together(derivative)]
    unique: list[sp.Expr] = []
    for form in forms:
        if all(form != seen for seen in unique):
            unique.append(form)
    return unique


def generated_cases() -> list[tuple[str, dict[str, str], str]]:
    from stepsolver import parse
    from stepsolver.functions import to_elementary

    cases = []
    for problem in PROBLEMS:
        f = to_elementary(parse(problem).doit())
        derivative = sp.diff(f, x)
        for form in _forms(derivative):
            cases.append((sp.latex(form), {"derivative_of": problem}, "correct"))
        cases.append((sp.sstr(derivative), {"derivative_of": problem}, "correct"))  # plain text, 3*x**2
        for wrong in (derivative + 1, -derivative, 2 * derivative):
            cases.append((sp.latex(wrong), {"derivative_of": problem}, "incorrect"))
        expanded = sp.expand(derivative)
        if isinstance(expanded, sp.Add):  # one term forgotten
            cases.append((sp.latex(expanded - expanded.args[0]), {"derivative_of": problem}, "incorrect"))
    return cases


HANDWRITTEN: list[tuple[str, dict[str, str], str]] = [
    # identities and equivalent forms
    (r"\sigma(x)(1 - \sigma(x))", {"expected": r"\frac{e^{-x}}{(1 + e^{-x})^2}"}, "correct"),
    (r"\frac{e^{-x}}{(1+e^{-x})^2}", {"derivative_of": r"\sigma(x)"}, "correct"),
    (r"\sin(2x)", {"expected": r"2 \sin x \cos x"}, "correct"),
    (r"1 - 2\sin^2 x", {"expected": r"\cos(2x)"}, "correct"),
    (r"\sec^2 x", {"derivative_of": r"\tan x"}, "correct"),
    (r"1 + \tan^2 x", {"derivative_of": r"\tan x"}, "correct"),
    (r"\frac{1}{\cos^2 x}", {"derivative_of": r"\tan x"}, "correct"),
    (r"\ln x + 1", {"derivative_of": r"x \ln x"}, "correct"),
    (
        r"2 \ln x",
        {
            "expected": r"\ln(x^2)",
        },
        "incorrect",
    ),  # domain trap: ln(x²) is defined at x < 0
    (r"\ln(x^2)", {"expected": r"2 \ln|x|"}, "correct"),
    (r"x", {"expected": r"\sqrt{x^2}"}, "incorrect"),  # √(x²) = |x|
    (r"|x|", {"expected": r"\sqrt{x^2}"}, "correct"),
    (r"x", {"expected": r"\sqrt{x^2}", "assume": "x=positive"}, "correct"),
    (r"0.5", {"expected": r"\frac{1}{2}"}, "correct"),
    (r"0.5 x", {"derivative_of": r"\frac{x^2}{4}"}, "correct"),
    (r"0.333", {"expected": r"\frac{1}{3}"}, "incorrect"),  # a rounded decimal is not 1/3
    (r"1.5 x^{0.5}", {"derivative_of": r"x^{1.5}"}, "correct"),
    (r"\frac{1}{2\sqrt{x}}", {"derivative_of": r"\sqrt{x}"}, "correct"),
    (r"\frac{1}{2} x^{-1/2}", {"derivative_of": r"\sqrt{x}"}, "correct"),
    (r"\frac{\sqrt{x}}{2x}", {"derivative_of": r"\sqrt{x}"}, "correct"),
    (r"18 k x^{k-1}", {"derivative_of": r"18 x^k"}, "correct"),
    (r"18 x^{k-1}", {"derivative_of": r"18 x^k"}, "incorrect"),
    (r"-\frac{1}{x \ln^2(x)}", {"derivative_of": r"\frac{1}{\ln x}"}, "correct"),
    (r"\frac{1}{x}", {"derivative_of": r"\ln(5x)"}, "correct"),
    (r"\frac{5}{x}", {"derivative_of": r"\ln(5x)"}, "incorrect"),
    (r"\frac{1}{x}", {"derivative_of": r"\ln(x^2)"}, "incorrect"),
    (r"\frac{2}{x}", {"derivative_of": r"\ln(x^2)"}, "correct"),
    (r"2^x \ln 2", {"derivative_of": r"2^x"}, "correct"),
    (r"x 2^{x-1}", {"derivative_of": r"2^x"}, "incorrect"),
    (r"\cos x", {"derivative_of": r"\sin x"}, "correct"),
    (r"-\cos x", {"derivative_of": r"\sin x"}, "incorrect"),
    (r"\sin x", {"derivative_of": r"\cos x"}, "incorrect"),
    (r"3x^2 + C", {"derivative_of": r"x^3"}, "incorrect"),
    (r"a e^{ax}", {"derivative_of": r"e^{ax}"}, "correct"),
    (r"e^{ax}", {"derivative_of": r"e^{ax}"}, "incorrect"),
    (r"\frac{1}{\sqrt{1 - x^2}}", {"derivative_of": r"\arcsin x"}, "correct"),
    (r"\frac{1}{1 + x^2}", {"derivative_of": r"\arctan x"}, "correct"),
    (r"\cosh x", {"derivative_of": r"\sinh x"}, "correct"),
    (r"1 - \tanh^2 x", {"derivative_of": r"\tanh x"}, "correct"),
    (r"\frac{1}{\cosh^2 x}", {"derivative_of": r"\tanh x"}, "correct"),
    (r"\frac{x}{|x|}", {"derivative_of": r"|x|"}, "correct"),
    (r"1", {"derivative_of": r"|x|"}, "incorrect"),
    (r"n x^{n-1}", {"expected": r"n x^{n-1}", "assume": "n=integer"}, "correct"),
    (r"x^{n-1} n", {"expected": r"n x^{n-1}", "assume": "n=integer"}, "correct"),
    (r"\frac{d}{dx} x^3", {"derivative_of": r"x^3"}, "invalid"),
    (r"3x^{2", {"derivative_of": r"x^3"}, "unparseable"),
    (r"3*x^2", {"derivative_of": r"x^3"}, "correct"),
    (r"sin(x)^2", {"expected": r"1 - \cos^2 x"}, "correct"),
    (r"2*x*exp(x^2)", {"derivative_of": r"e^{x^2}"}, "correct"),
    (r"\ln(e^x)", {"expected": "x"}, "correct"),
    # e^{ln x} for x is left out: SymPy turns exp(log(x)) into x as it is read, so the answer's
    # restriction to x > 0 is gone before any check can see it (a known limitation).
    (r"\sqrt{x}^2", {"expected": "x"}, "incorrect"),  # domain trap: √x is not real for x < 0
    (r"\sqrt{x}^2", {"expected": "x", "assume": "x=positive"}, "correct"),
]


def all_cases() -> list[tuple[str, dict[str, str], str]]:
    return generated_cases() + HANDWRITTEN
