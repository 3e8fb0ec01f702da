"""What a new user and an adversary found in the lecture's new parts, each now a test: false
"correct" verdicts where pieces tie on an interval, false proofs by the piecewise and sign
strategies, crashes of piecewise derivatives, and inputs that escaped their limits."""

from __future__ import annotations

import math

import pytest
import sympy as sp

import stepsolver as ss
from stepsolver.cli import main
from stepsolver.core.verify import prove_equal
from stepsolver.functions import to_elementary

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize(
    "answer, problem",
    [("-1", r"\max(x,|x|)"), ("2x", r"\operatorname{ReLU}(\operatorname{ReLU}(x))^2"),
     ("1", r"\operatorname{ReLU}(\operatorname{ReLU}(x))")],
)  # fmt: skip
def test_no_false_correct_where_pieces_tie_on_an_interval(answer: str, problem: str) -> None:
    """max(x, |x|) = x for x > 0 and ReLU(ReLU(x)) = 0 for x < 0: the derivative has a value there."""
    assert ss.check_answer(answer, derivative_of=problem).verdict == "incorrect"


@pytest.mark.parametrize(
    "f", [r"\max(x,|x|)", r"\operatorname{ReLU}(\operatorname{ReLU}(x))", r"\max(\operatorname{ReLU}(x),0)",
          r"\min(|x|, x^2)", r"\max(x^2, x^2+0)", r"\lfloor x \rfloor", r"\operatorname{ReLU}(x^2 - 1)"],
)  # fmt: skip
def test_piecewise_derivatives_equal_central_differences_everywhere(f: str) -> None:
    """At 40 points in [−5, 5], against a central difference of f itself (not SymPy's derivative)."""
    worked = ss.differentiate(f)
    assert worked.verify().ok
    g = sp.lambdify(x, to_elementary(ss.parse(f)), "math")
    derivative = sp.lambdify(x, to_elementary(worked.result), "mpmath")
    for k in range(40):
        a = -5 + 10 * (k + 0.37) / 40
        h = 1e-6
        assert math.isclose(float(derivative(a)), (g(a + h) - g(a - h)) / (2 * h), abs_tol=1e-4), (f, a)


@pytest.mark.parametrize(
    "a, b",
    [(sp.sign(x) ** 2 * sp.Piecewise((1 / x, x > 1), (1, True)), sp.Piecewise((1 / x, x > 1), (1, True))),
     (sp.Piecewise((x, x > 0)), x), (sp.Piecewise((1, sp.Ne(x, sp.floor(x)))), sp.S.One),
     (sp.Piecewise((1, x > 0)), sp.Piecewise((1, x > 0), (-1, True))), (sp.Abs(x - 3), 3 - x),
     (sp.Max(0, x - 3), sp.S.Zero), (sp.Max(x, 5), sp.S(5))],
)  # fmt: skip
def test_false_equalities_are_never_proved(a: sp.Expr, b: sp.Expr) -> None:
    assert prove_equal(a, b).status != "proved"


def test_true_equalities_of_the_new_strategies_are_proved() -> None:
    assert prove_equal(sp.sign(x) / sp.Abs(x), 1 / x).status == "proved"
    assert prove_equal(x * sp.sign(x), sp.Abs(x)).status == "proved"
    assert (
        prove_equal(2 * sp.Piecewise((0, x < 0), (1, x > 0)), sp.Piecewise((0, x < 0), (2, x > 0))).status == "proved"
    )


@pytest.mark.parametrize(
    "argv",
    [["diff", r"\lfloor x\rfloor", "--order", "2"], ["diff", r"\max(x,y)", "--wrt", "x,y,x"],
     ["diff", r"\operatorname{ReLU}(x-y)", "--wrt", "x,y,x"], ["diff", r"\lfloor xy\rfloor", "--wrt", "x,y"],
     ["slope", r"\max(x,x^2)", "--at", "1"], ["slope", r"\max(x,x^2)", "--at", "0"], ["diff", "|x|", "--order", "3"]],
)  # fmt: skip
def test_piecewise_derivatives_never_crash(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    assert "internal error" not in capsys.readouterr().err


def test_max_at_its_corners_from_each_side() -> None:
    at_one, at_zero = ss.slope(r"\max(x,x^2)", 1), ss.slope(r"\max(x,x^2)", 0)
    assert (at_one.left_slope, at_one.right_slope) == (1, 2)
    assert (at_zero.left_slope, at_zero.right_slope) == (0, 1)


def test_a_jump_is_called_a_jump() -> None:
    assert "not continuous there" in ss.slope(r"\lfloor x \rfloor", 1).conclusion


def test_a_derivative_at_a_kink_says_what_each_side_gives(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "|x|^{3/2}", "--at", "x=0"]) == 2
    assert "both one-sided slopes are 0, so f'(0) = 0" in capsys.readouterr().err
    assert main(["diff", "x|x|", "--at", "x=0"]) == 0  # its final form, 2|x|, has a value there
    assert capsys.readouterr().out.rstrip().endswith("  = 0\n      [Evaluate at the point; x = 0]")
    assert main(["diff", "|x|", "--at", "x=0"]) == 2
    assert "a corner" in capsys.readouterr().err


def test_sgn_has_derivative_zero_away_from_zero_not_a_dirac_delta() -> None:
    second = ss.differentiate("|x|", order=2)
    assert not second.result.has(sp.DiracDelta) and second.result.subs(x, 3) == 0


@pytest.mark.parametrize(
    "argv, message",
    [(["diff", r"\pi x", "--wrt", "pi"], "pi is a constant"), (["diff", "x", "--wrt", "sin"], "sin is a function"),
     (["slope", "x^2", "--at", "1" * 1200], "1,200 digits"), (["slope", "x^2", "--at", "1e309", "--picture", "svg"],
     "too large to draw"), (["graph", "x y", "--name", "a_b_c=x y", "--at", "x=1,y=1"], "not a node name")],
)  # fmt: skip
def test_inputs_that_escaped_their_limits_are_one_line_errors(argv: list[str], message: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_newline_in_the_input_cannot_end_the_latex_comment(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "1/2x\n^2", "--format", "latex", "--standalone"]) == 0
    first, second = capsys.readouterr().out.splitlines()[:2]
    assert first.startswith("% reading:") and second.startswith(r"\documentclass")


def test_semidefinite_says_which_and_that_the_test_cannot_decide() -> None:
    assert ss.hessian("x^4 + y^2", at="x=0,y=0").definiteness.startswith("positive semidefinite")
    assert ss.hessian("-x^4 - y^2", at="x=0,y=0").definiteness.startswith("negative semidefinite")


def test_latex_of_a_held_product_keeps_its_brackets_and_dots() -> None:
    """x·(−sin 2x·…), not x − sin 2x …; 2x·3y², not 2 x 3 y² (which reads 2x³y²)."""
    shown = ss.differentiate(r"x\cos(2x)").to_latex()
    assert r"x \left(- \sin{\left(2 x \right)}" in shown and r"+ x - \sin" not in shown
    assert r"2 x \cdot 3 y^{2}" in ss.differentiate("x^2 y^3", wrt="x,y").to_latex()


@pytest.mark.parametrize("f", [r"\operatorname{ReLU}(|x|)", r"\max(0, |x|)", r"\max(x, |x|)"])
def test_a_tie_at_a_corner_is_no_derivative(f: str) -> None:
    """At x = 0 these have a corner: SymPy's sgn(0) = 0 must not make a tie's slopes 'agree'."""
    with pytest.raises(ValueError, match="undefined at x = 0"):
        ss.differentiate(f, at=0)


@pytest.mark.parametrize(
    "answer, problem, wrt",
    [("(1+sgn(x-y))/2", "relu(x-y)*y", "x,y"), ("0", "min(x,y)+max(x,y)", "x,y"), ("0", "floor(x)", "x")],
)  # fmt: skip
def test_right_answers_on_breakpoint_lines_and_at_whole_numbers_stay_correct(answer: str, problem: str,
                                                                              wrt: str) -> None:  # fmt: skip
    """A breakpoint x = y is still a breakpoint (each coordinate is moved by its own amount to tell
    a line of zeros from a zero), and floor's jumps at whole numbers are not points to compare at."""
    assert ss.check_answer(answer, derivative_of=problem, wrt=wrt).verdict == "correct"


@pytest.mark.parametrize("f", ["max(x*y, abs(x*y))", "max(floor(x),ceil(x))", "floor(sign(x))", "relu(abs(sign(x))-1)"])
def test_what_sympy_cannot_do_is_a_one_line_refusal(f: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", f, "--wrt", "x"])
    err = capsys.readouterr().err
    assert code in (0, 2) and "internal error" not in err and (code == 0 or err.strip().count("\n") == 0)
    assert code == 0 or len(err.strip()) > len("stepsolver: ")


def test_a_jump_of_sgn_has_no_derivative_at_the_jump() -> None:
    """max(sgn x, 0) is 0 then 1: its derivative is 0 on both sides and has no value at 0."""
    result = ss.differentiate("max(sign(x),0)").result
    assert result.subs(x, 2) == 0 and result.subs(x, -2) == 0
    with pytest.raises(ValueError):
        ss.differentiate("max(sign(x),0)", at=0)
