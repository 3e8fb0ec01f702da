"""Finite differences (the lecture's slopes, convergence tables, bad input), and gradients and
Hessians of scalar functions of several variables."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET

import pytest
import sympy as sp

from stepsolver import ParseError, gradient, hessian, parse, slope
from stepsolver.cli import main

from .helpers import load_cases

LECTURE = load_cases("lecture.json")
SLOPE_CASES = LECTURE["finite_differences"]
SLOPE_RULES = {"difference_quotient", "central_difference"}
x, y, z = sp.symbols("x y z", real=True)


@pytest.mark.parametrize("case", SLOPE_CASES, ids=[c["f"] for c in SLOPE_CASES])
def test_lecture_slopes_and_answers(case: dict) -> None:
    result = slope(case["f"], at=case["at"], h=case["h"])
    assert result.slope == sp.Rational(str(case["slope"]))  # exactly 4.01, not a float near it
    assert result.exact == case["answer"]
    assert result.derivation.verify().proved
    assert "difference_quotient" in {s.rule.id for s in result.derivation.steps}


def test_central_difference_is_exact_for_a_quadratic() -> None:
    result = slope("x^2 + 1", at=2, h="0.01", central=True)
    assert result.slope == 4 and "central_difference" in {s.rule.id for s in result.derivation.steps}
    assert result.derivation.verify().proved and "central secant" in result.to_text()


def test_differences_converge_forward_like_h_and_central_like_h_squared() -> None:
    result = slope(r"\sin x", at=1, h="1e-3")
    rows = [r for r in result.table if r.h <= sp.Rational(1, 10)]
    for coarse, fine in itertools.pairwise(rows):  # h shrinks tenfold each row
        assert 8 < coarse.forward_error / fine.forward_error < 12
        assert 80 < coarse.central_error / fine.central_error < 120
    assert rows[-1].forward_error < sp.Float("1e-6")
    assert sp.Rational(1, 1000) in [r.h for r in result.table]


def test_slope_outside_the_domain_and_bad_h() -> None:
    with pytest.raises(ValueError, match="not defined"):
        slope(r"\ln x", at=0)
    with pytest.raises(ParseError, match="non-zero"):
        slope("x^2", at=1, h=0)
    with pytest.raises(ParseError, match="say which one"):
        slope("x y", at=1)
    table = slope(r"\ln x", at=1, h="0.5").table
    assert all(r.h < 1 for r in table)  # no row for h = 1, where ln(1 − 1) is undefined


def test_slope_plot_svg_is_well_formed() -> None:
    root = ET.fromstring(slope("x^2 + 1", at=2, h="0.5").to_svg())
    assert root.tag.endswith("svg") and len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 1


def test_gradient_of_the_lecture_function_and_steepest_ascent() -> None:
    g = gradient(r"x(\ln(3y) + z^2)", at="x=1,y=2,z=3")
    assert [v.name for v in g.variables] == ["x", "y", "z"]
    assert sp.simplify(g.symbolic[1] - x / y) == 0
    assert g.at_point is not None and list(g.at_point) == [sp.log(6) + 9, sp.Rational(1, 2), 6]
    direction = g.direction
    assert direction is not None and sp.simplify(sum(v**2 for v in direction)) == 1
    assert all(d.verify().ok for d in g.partials)
    assert json.loads(g.to_json())["gradient_at_point"][2]["latex"] == "6"


def test_stationary_point_has_no_direction() -> None:
    g = gradient("x^2 + y^2", at="x=0,y=0")
    assert g.norm == 0 and g.direction is None and "stationary" in g.to_text()


def test_hessian_is_symmetric_and_classified() -> None:
    h = hessian("x^2 y + y^3 + \\sin(x y)", at="x=1,y=1")
    f = x**2 * y + y**3 + sp.sin(x * y)
    assert sp.simplify(h.symbolic - sp.hessian(f, (x, y))) == sp.zeros(2, 2)
    assert all(check.ok for *_, check in h.symmetry)
    assert hessian("x^2 + y^2", at="x=0,y=0").definiteness == "positive definite"
    assert hessian("x^2 - y^2", at="x=0,y=0").definiteness == "indefinite"


def test_commands_slope_and_grad(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slope", "x^2 + 1", "--at", "2", "--h", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "slope = 401/100 = 4.01" in out and "exact derivative f'(2) = 4" in out
    assert main(["slope", "x^2", "--at", "1", "--picture", "svg"]) == 0
    assert capsys.readouterr().out.startswith("<svg")
    assert main(["grad", "x^2 y", "--at", "x=1,y=2"]) == 0
    assert "∇f at x = 1, y = 2 = (4, 1)" in capsys.readouterr().out
    assert main(["grad", "x^2 y", "--hessian", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["symmetric"] is True
    for bad in (["slope", "x^2", "--at", "abc"], ["slope", "x^2", "--at", "1", "--h", "0"], ["grad", "x^^2"]):
        assert main(bad) == 2
        assert "Traceback" not in capsys.readouterr().err


def test_number_reader_takes_decimals_exactly() -> None:
    from stepsolver.parse.inputs import read_number

    assert read_number("1e-3", "h") == sp.Rational(1, 1000)
    assert read_number(0.1, "h") == sp.Rational(1, 10)
    assert read_number("1/100", "h") == sp.Rational(1, 100)
    assert parse("0.01") == sp.Rational(1, 100)


def test_no_derivative_is_claimed_at_a_kink() -> None:
    """sgn(0) = 0 in SymPy, but |x| has no derivative at 0: the step engine must not say 0."""
    from stepsolver import differentiate

    with pytest.raises(ValueError, match="undefined at x = 0"):
        differentiate("|x|", at=0)
    assert differentiate("|x|", at=-2).result == -1
    with pytest.raises(ValueError, match="undefined"):
        gradient("|x - y|", at="x=1,y=1")
