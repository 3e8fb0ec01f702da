"""The lecture's own worked derivatives (shared/cases/lecture.json): first rule and answer."""

from __future__ import annotations

import pytest
import sympy as sp

from stepsolver import differentiate, parse
from stepsolver.cli import main
from stepsolver.lecture import LECTURE_EXAMPLES

from .helpers import load_cases

CASES = load_cases("lecture.json")["derivatives"]


@pytest.mark.parametrize("case", CASES, ids=[c["f"] for c in CASES])
def test_lecture_derivative(case: dict) -> None:
    derivation = differentiate(case["f"], wrt=case["wrt"])
    assert derivation.steps[0].rule.id == case["rule"]
    answer = parse(case["answer"]).doit()
    assert sp.simplify(derivation.result - answer) == 0, (derivation.result, answer)
    assert derivation.verify().proved


def test_quotient_shows_the_slides_unsimplified_form_first() -> None:
    derivation = differentiate(r"\frac{\ln(x)}{x^2}")
    textbook = derivation.steps[[s.rule.id for s in derivation.steps].index("arithmetic") - 1].after
    assert "\\frac{\\frac{1}{x} x^{2} - \\ln{\\left(x \\right)} \\cdot 2 x}{x^{4}}" in derivation.to_latex()
    x = sp.Symbol("x", real=True)
    assert sp.simplify(textbook.doit() - ((1 / x) * x**2 - sp.log(x) * 2 * x) / x**4) == 0
    assert sp.simplify(derivation.result - (1 - 2 * sp.log(x)) / x**3) == 0


def test_demo_covers_every_lecture_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert {c["f"] for c in CASES} <= set(LECTURE_EXAMPLES)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.count("d/dx[") >= len(LECTURE_EXAMPLES)
    assert "[Quotient rule; f = ln(x), g = x²]" in out
