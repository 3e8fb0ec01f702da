"""The picture of a fit's cost history (stepsolver.render.cost_curve): a well-formed,
self-contained SVG, the same points in pgfplots, long histories cut down without losing their
first and last points or their early fall, the log scale chosen when J spans decades, bad
histories refused in one line, and the LaTeX compiled by pdflatex without errors or overfull boxes."""

from __future__ import annotations

import ast
import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stepsolver.render import cost_curve
from stepsolver.render.cost_curve import (
    HEAD,
    MAX_POINTS,
    cost_curve_document,
    cost_curve_pgfplots,
    cost_curve_svg,
    downsample,
)
from tests.helpers import compile_latex, has_tikz

SVG = "{http://www.w3.org/2000/svg}"


def logistic_history(final: float = 0.5346, iterations: int = 27) -> list[float]:
    """J falling from ln 2 towards ``final``, ending on it exactly (a short, well-behaved fit)."""
    start = math.log(2)
    return [final + (start - final) * math.exp(-t / 4) * (1 - t / iterations) for t in range(iterations + 1)]


def extreme_history(n: int = 100_001) -> list[float]:
    """J from 10⁵ down to 10⁻¹² in a few hundred iterations, then tiny wobbles for the rest."""
    fall = 300
    return [1e5 * 1e-17 ** (t / fall) if t < fall else 1e-12 * (1 + 1e-3 * math.sin(t)) for t in range(n)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text") if e.get("class") == cls]


def curve_points(root: ET.Element) -> list[tuple[float, float]]:
    points = []
    for e in root.iter():
        if e.get("class") != "cost":
            continue
        if e.tag == f"{SVG}polyline":
            points += [tuple(map(float, p.split(","))) for p in e.get("points", "").split()]
        elif e.tag == f"{SVG}circle":
            points.append((float(e.get("cx", "nan")), float(e.get("cy", "nan"))))
    return points  # type: ignore[return-value]


def pgfplots_coordinates(tex: str) -> list[tuple[str, str]]:
    curves = re.findall(r"\\addplot\[black[^\]]*\] coordinates \{([^}]*)\};", tex)
    return [tuple(p.split(",")) for curve in curves for p in re.findall(r"\(([^()]*)\)", curve)]  # type: ignore[misc]


# ---- the SVG --------------------------------------------------------------------------------------


def test_a_short_fit_is_drawn_whole_with_axes_title_and_its_final_cost() -> None:
    history = logistic_history()
    root = parse(cost_curve_svg(history))
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 640 400"
    assert texts(root, "title") == ["Cost J during gradient descent"]
    assert texts(root, "x-label") == ["iteration"] and texts(root, "y-label") == ["J"]
    assert texts(root, "final") == ["J = 0.5346 after 27 iterations"]
    assert len(curve_points(root)) == len(history) == 28
    assert texts(root, "note") == []
    # the final point is marked where the curve ends
    final = next(e for e in root.iter(f"{SVG}circle") if e.get("class") == "final")
    assert (float(final.get("cx", "0")), float(final.get("cy", "0"))) == curve_points(root)[-1]


def test_tick_labels_are_rounded_the_same_way() -> None:
    root = parse(cost_curve_svg(logistic_history()))
    y_ticks = texts(root, "y-tick")
    assert y_ticks == ["0.55", "0.60", "0.65", "0.70"]
    assert texts(root, "x-tick") == ["0", "5", "10", "15", "20", "25"]
    wide = parse(cost_curve_svg([1e5 * 0.99**t + 2e4 for t in range(1001)]))
    assert texts(wide, "x-tick") == ["0", "200", "400", "600", "800", "1000"]
    assert all(re.fullmatch(r"\d(\.\d+)?×10[⁰¹²³⁴⁵⁶⁷⁸⁹]+|0", label) for label in texts(wide, "y-tick"))


def test_the_svg_is_self_contained_and_sized_as_asked() -> None:
    svg = cost_curve_svg(logistic_history(), width=800, height=500)
    assert parse(svg).get("viewBox") == "0 0 800 500"
    for outside in ("<script", "href", "@import", "@font-face", "http://", "https://"):
        assert outside not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert re.findall(r"url\((.)", svg) == ["#"]  # only its own clip path
    with pytest.raises(ValueError, match="at least 240×180 pixels"):
        cost_curve_svg(logistic_history(), width=100)


def test_the_title_is_escaped() -> None:
    title = 'J < 1 & "σ" \x01 </svg>'
    root = parse(cost_curve_svg([1.0, 0.5], title=title))
    assert texts(root, "title") == ['J < 1 & "σ"   </svg>']
    tex = cost_curve_pgfplots([1.0, 0.5], title="50% of x_1 & $5 {σ}")
    assert r"title={50\% of x\_1 \& \$5 \{$\sigma$\}}" in tex


# ---- downsampling ----------------------------------------------------------------------------------


def test_a_long_history_is_cut_down_keeping_the_first_points_and_the_last() -> None:
    history = extreme_history()
    kept = downsample(history)
    assert len(kept) <= MAX_POINTS and len(kept) > MAX_POINTS // 2
    assert kept[0] == 0 and kept[-1] == len(history) - 1
    assert kept[:HEAD] == list(range(HEAD))  # the fast early fall, point by point
    assert kept == sorted(set(kept))
    assert len(curve_points(parse(cost_curve_svg(history)))) == len(kept)
    assert len(pgfplots_coordinates(cost_curve_pgfplots(history))) == len(kept)


def test_a_history_under_the_limit_is_kept_whole() -> None:
    history = [1 / (t + 1) for t in range(MAX_POINTS)]
    assert downsample(history) == list(range(MAX_POINTS))
    assert len(downsample([*history, 0.0])) <= MAX_POINTS


def test_cutting_down_keeps_a_late_spike_and_an_oscillation() -> None:
    history = [1 + math.exp(-t / 100) for t in range(50_000)]
    history[37_123] = 5.0  # one bad step late in the fit
    kept = downsample(history)
    assert 37_123 in kept
    # an oscillating tail keeps its band: both its low and its high values are drawn
    # (J high at even t, low at odd t): every stretch of the tail shows both
    wobbly = [2 + math.exp(-t / 5000) * (1 + 0.3 * (-1) ** t) for t in range(30_000)]
    kept = downsample(wobbly)
    for start in range(10_000, 30_000, 2_000):
        stretch = [t for t in kept if start <= t < start + 2_000]
        assert {t % 2 for t in stretch} == {0, 1}, start


# ---- the y scale -----------------------------------------------------------------------------------


def test_the_log_scale_is_chosen_when_j_spans_decades() -> None:
    extreme = extreme_history(2_000)
    assert texts(parse(cost_curve_svg(extreme)), "y-label") == ["J (log scale)"]
    tex = cost_curve_pgfplots(extreme)
    assert "ymode=log" in tex and "ylabel={$J$ (log scale)}" in tex
    # a factor of 100 or less, or a J of 0, stays linear
    assert texts(parse(cost_curve_svg([100.0, 10.0, 1.0])), "y-label") == ["J"]
    assert texts(parse(cost_curve_svg([1000.0, 10.0, 0.0])), "y-label") == ["J"]
    assert "ymode=log" not in cost_curve_pgfplots(logistic_history())
    # asked for, either way
    assert texts(parse(cost_curve_svg(extreme, log_y=False)), "y-label") == ["J"]
    assert texts(parse(cost_curve_svg(logistic_history(), log_y=True)), "y-label") == ["J (log scale)"]
    with pytest.raises(ValueError, match=r"log scale needs every cost > 0, but J = 0 at iteration 2"):
        cost_curve_svg([1.0, 0.5, 0.0], log_y=True)


def test_log_ticks_are_powers_of_ten() -> None:
    labels = texts(parse(cost_curve_svg(extreme_history(2_000))), "y-tick")
    assert labels == ["10⁻¹²", "10⁻⁹", "10⁻⁶", "10⁻³", "10⁰", "10³"]


def test_values_too_small_for_pgfplots_are_raised_to_the_floor() -> None:
    history = [1e5, 1e-12, 1e-320, 5e-324]
    root = parse(cost_curve_svg(history))
    assert texts(root, "note") == ["2 values below 10⁻³⁰⁰ drawn at 10⁻³⁰⁰"]
    numbers = [float(y) for _, y in pgfplots_coordinates(cost_curve_pgfplots(history))]
    assert min(numbers) == 1e-300


def test_pgfplots_coordinates_have_six_significant_digits() -> None:
    for history in (extreme_history(), logistic_history(), [1e5 * 0.5**t for t in range(60)]):
        tex = cost_curve_pgfplots(history)
        for t, j in pgfplots_coordinates(tex):
            assert t.isdigit()
            mantissa = j.split("e")[0].lstrip("-").replace(".", "").lstrip("0")
            assert len(mantissa) <= 6, j
        for bad in ("e+", "inf", "nan", "e-0"):
            assert bad not in tex.lower().replace("\\infty", "")


# ---- bad and odd histories ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "history, message",
    [
        ([], "no cost history to draw"),
        ((), "no cost history to draw"),
        ([math.nan, math.inf], r"no finite cost in the history to draw \(every J is NaN, infinite or beyond 1e300\)"),
        ([1.0, "0.5"], r"the cost history holds '0.5' at iteration 1, not a number"),
        ([1.0, None], r"the cost history holds None at iteration 1, not a number"),
    ],
)
def test_bad_histories_are_refused_in_one_line(history: list[object], message: str) -> None:
    for draw in (cost_curve_svg, cost_curve_pgfplots, cost_curve_document):
        with pytest.raises(ValueError, match=f"^{message}$"):
            draw(history)  # type: ignore[arg-type]


def test_nan_and_inf_are_left_out_and_said_so() -> None:
    history = [4.0, 2.0, 1.0, math.nan, 0.8, 0.6, math.inf, math.nan]
    root = parse(cost_curve_svg(history))
    assert texts(root, "note") == ["3 values of J not drawn (NaN, ±∞ or beyond 10³⁰⁰), the first at iteration 3"]
    assert texts(root, "final") == ["J = NaN after 7 iterationslast drawn: J = 0.6 at iteration 5"]
    # the line breaks where J was not a number: two pieces, 0–2 and 4–5
    pieces = [e for e in root.iter(f"{SVG}polyline") if e.get("class") == "cost"]
    assert [len(e.get("points", "").split()) for e in pieces] == [3, 2]
    assert downsample(history) == [0, 1, 2, 4, 5]
    tex = cost_curve_pgfplots(history)
    assert tex.count(r"\addplot[black") == 2 and r"$J = \mathrm{NaN}$ after 7 iterations" in tex


def test_one_point_and_a_constant_history_are_drawn() -> None:
    root = parse(cost_curve_svg([0.6931]))
    assert texts(root, "final") == ["J = 0.6931 after 0 iterations"]
    assert len(curve_points(root)) == 1 and texts(root, "x-tick") == ["0", "1"]
    flat = parse(cost_curve_svg([0.5346] * 10))
    assert texts(flat, "final") == ["J = 0.5346 after 9 iterations"]
    assert len(texts(flat, "y-tick")) >= 3  # an axis around J, not a range of zero
    assert texts(parse(cost_curve_svg([2.0, 1.0])), "final") == ["J = 1 after 1 iteration"]
    assert "ymin=0," in cost_curve_pgfplots([0.0, 0.0, 0.0])  # J = 0 throughout: [0, 1], no negative J


def test_the_module_needs_only_the_standard_library() -> None:
    tree = ast.parse(Path(cost_curve.__file__).read_text())
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported


# ---- LaTeX -------------------------------------------------------------------------------------


def compile_and_read_log(tex: str, tmp_path: Path) -> str:
    log = compile_latex(tex, tmp_path)
    assert not [line for line in log.splitlines() if line.startswith("!")]
    assert "Overfull \\hbox" not in log and "Overfull \\vbox" not in log
    return log


def test_the_document_is_a_whole_latex_document() -> None:
    tex = cost_curve_document(logistic_history(), title="A fit")
    assert tex.startswith("\\documentclass{article}\n") and tex.rstrip().endswith("\\end{document}")
    assert "\\usepackage{pgfplots}" in tex and "\\pgfplotsset{compat=1.16}" in tex
    assert "title={A fit}" in tex and "\\begin{tikzpicture}" in tex
    assert "$J = 0.5346$ after 27 iterations" in tex


@pytest.mark.skipif(not has_tikz(), reason="pdflatex with TikZ and pgfplots is not installed")
def test_a_normal_curve_compiles(tmp_path: Path) -> None:
    compile_and_read_log(cost_curve_document(logistic_history()), tmp_path)


@pytest.mark.skipif(not has_tikz(), reason="pdflatex with TikZ and pgfplots is not installed")
def test_a_curve_from_1e5_down_to_1e_12_compiles(tmp_path: Path) -> None:
    # 10⁵ iterations, a fall over seventeen decades, two values NaN and ∞ at the end
    history = [*extreme_history(), math.nan, math.inf]
    compile_and_read_log(cost_curve_document(history, title="Extreme: σ & 100 % of λ"), tmp_path)
