"""Slopes at kinks (one-sided difference quotients, their limits, and the conclusion), the
Hessian in every format, and rich display (``_repr_latex_``, ``_repr_html_``) for every result
type, through the house's renderers."""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy as sp

import stepsolver as ss
from stepsolver import linalg
from stepsolver.calculus.one_sided import OneSidedSlopes
from stepsolver.cli import main
from stepsolver.functions import to_elementary
from stepsolver.lecture import handout
from tests.helpers import compile_latex, has_tikz

x = sp.Symbol("x", real=True)
ONE_SIDED_RULES = {"slope_from_the_left", "slope_from_the_right", "simplify_negative_h", "simplify_positive_h"}


@pytest.mark.parametrize(
    "f, a, left, right, differentiable",
    [
        ("|x|", 0, -1, 1, False),
        ("\\operatorname{ReLU}(x)", 0, 0, 1, False),
        ("|x^2 - 1|", 1, -2, 2, False),
        ("|\\sin x|", 0, -1, 1, False),
        ("\\sqrt{|x|}", 0, -sp.oo, sp.oo, False),
        ("\\sqrt{x}", 0, None, sp.oo, False),
        ("|x|^{3/2}", 0, 0, 0, True),
    ],
)  # fmt: skip
def test_one_sided_slopes_equal_the_limits_of_the_quotient(f: str, a: int, left: object, right: object,
                                                           differentiable: bool) -> None:  # fmt: skip
    s = ss.slope(f, a)
    assert isinstance(s, OneSidedSlopes)
    assert s.left_slope == left and s.right_slope == right
    assert s.differentiable is differentiable and s.verify().ok
    cited = {step.rule.id for d in (s.left, s.right) if d is not None for step in d.steps}
    assert cited <= ONE_SIDED_RULES and ({"slope_from_the_right"} <= cited)
    # the reference: the difference quotient itself, at a tiny h on each side, in floating point
    g = sp.lambdify(x, to_elementary(ss.parse(f)), "math")
    h = 1e-7
    if right is not None and sp.sympify(right).is_finite:
        assert math.isclose((g(a + h) - g(a)) / h, float(right), abs_tol=1e-3)
    if left is not None and sp.sympify(left).is_finite:
        assert math.isclose((g(a) - g(a - h)) / h, float(left), abs_tol=1e-3)
    if right == sp.oo:
        assert (g(a + h) - g(a)) / h > 1e3
    assert ("not differentiable" in s.conclusion) is not differentiable


def test_the_kink_of_abs_at_zero_as_a_teacher_shows_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slope", "|x|", "--at", "0"]) == 0
    out = capsys.readouterr().out
    assert "From the left:" in out and "From the right:" in out
    assert "[Simplify for h < 0]" in out and "[Slope from the right; x = 0]" in out
    assert out.rstrip().endswith("not differentiable at x = 0: the slope from the left is -1 and from the right 1, "
                                 "and they differ (a corner)")  # fmt: skip
    assert main(["slope", "|x|", "--at", "0", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "one_sided_slopes" and data["differentiable"] is False
    assert data["from_the_left"]["decimal"] == "-1" and data["table"][0] == {"h": "1", "left": "-1.0", "right": "1.0"}
    assert main(["slope", "|x|", "--at", "0", "--picture", "svg"]) == 0
    assert "slope from the left -1" in capsys.readouterr().out


def test_a_smooth_point_still_gets_the_ordinary_slope() -> None:
    assert type(ss.slope("|x|", 2)).__name__ == "Slope"


@pytest.mark.parametrize("format", ["text", "latex", "markdown", "json"])
def test_the_hessian_in_every_format(format: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grad", "x^2 y + y^3", "--hessian", "--at", "x=1,y=2", "--format", format]) == 0
    out = capsys.readouterr().out
    assert "not available" not in out
    matrix = r"\left[\begin{matrix}4 & 2\\2 & 12\end{matrix}\right]"
    expected = {"text": "H at x = 1, y = 2 = [[4, 2], [2, 12]]", "latex": matrix, "markdown": matrix,
                "json": '"definiteness": "positive definite"'}  # fmt: skip
    assert expected[format] in out


@pytest.mark.skipif(not has_tikz(), reason="pdflatex with TikZ and pgfplots is not installed")
def test_the_hessian_and_the_kink_compile_as_documents(tmp_path: Path) -> None:
    compile_latex(ss.hessian("x^2 y + y^3", at="x=1,y=2").to_latex(standalone=True), tmp_path)
    compile_latex(ss.slope("|x|", 0).to_latex(standalone=True), tmp_path)


class _Tags(HTMLParser):
    """Checks that every opened tag is closed, in order (an HTML fragment a notebook can show)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in ("circle", "line", "rect", "polyline", "path", "polygon", "br", "meta"):
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in ("circle", "line", "rect", "polyline", "path", "polygon"):
            return
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
        self.open.pop()


def every_result_type() -> dict[str, object]:
    return {
        "Derivation": ss.differentiate("x^2 \\sin x"),
        "mixed partial": ss.differentiate("x^2 y", wrt="x,y"),
        "Slope": ss.slope("x^2", 2),
        "OneSidedSlopes": ss.slope("|x|", 0),
        "Gradient": ss.gradient("x^2 y", at="x=1,y=2"),
        "Hessian": ss.hessian("x^2 y"),
        "ComputationGraph": ss.computation_graph("x(\\ln(3y)+z^2)", at="x=2,y=2,z=3"),
        "CheckResult": ss.check_answer("2x", derivative_of="x^2"),
        "CheckResult, incorrect": ss.check_answer("2x^2", derivative_of="x^2"),
        "Answer": linalg.OPERATIONS["eigen"]("[[4,2],[2,1]]"),
        "Handout": handout("slopes"),
    }


@pytest.mark.parametrize("name, result", every_result_type().items(), ids=list(every_result_type()))
def test_every_result_type_has_rich_display(name: str, result: object) -> None:
    html, tex = result._repr_html_(), result._repr_latex_()  # type: ignore[attr-defined]
    assert (html and html.startswith('<div class="stepsolver">')) or name == "Handout"
    parser = _Tags()
    parser.feed(html)
    assert not parser.open, parser.open
    assert "<script" not in html.lower()
    assert (tex and "$$" in tex) or tex.startswith(("correct", "incorrect"))
    assert tex.count("$$") % 2 == 0  # MathJax blocks are balanced
    assert html == result.to("html")  # type: ignore[attr-defined]


def test_html_escapes_what_it_shows() -> None:
    shown = ss.check_answer("x < 2", expected="x")._repr_html_()
    assert "<2" not in shown.replace("&lt;", "")
