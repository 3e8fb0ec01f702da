"""Output formats: JSON contract, LaTeX that compiles with pdflatex, Markdown, text, Jupyter, verify()."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from stepsolver import differentiate
from stepsolver.cli import main
from stepsolver.core.derivation import Step
from stepsolver.lecture import LECTURE_EXAMPLES

from .helpers import compile_latex, has_tikz

STEPSOLVER = [sys.executable, "-m", "stepsolver"]


def test_json_follows_the_contract() -> None:
    data = json.loads(differentiate(r"\frac{\ln(x)}{x^2}").to_json())
    assert {"kind", "input", "result", "steps"} <= set(data)
    assert data["kind"] == "derivative" and data["input"] == r"\frac{\ln(x)}{x^2}"
    for step in data["steps"]:
        assert {"rule", "title", "formula", "before", "after", "bindings", "substeps"} <= set(step)
        for expr in (step["before"], step["after"], *step["bindings"].values()):
            assert set(expr) == {"latex", "sympy"}
    x = sp.Symbol("x", real=True)
    # srepr is re-checkable by any tool: here, by SymPy itself (trusted text we produced, not user input)
    result = sp.parse_expr(data["result"]["sympy"], local_dict={"Symbol": sp.Symbol}, evaluate=True)
    assert sp.simplify(result - (1 - 2 * sp.log(x)) / x**3) == 0
    assert data["steps"][0]["rule"] == "quotient" and data["steps"][0]["verified"]["status"] == "proved"


def test_chain_json_has_substeps() -> None:
    data = differentiate("e^{x^2}").to_dict()
    assert data["steps"][0]["substeps"][0]["steps"][0]["rule"] == "exp"


def test_text_markdown_and_jupyter() -> None:
    derivation = differentiate("2 e^x x")
    assert "[Constant multiple rule; c = 2, f = e^x·x]" in derivation.to_text()
    markdown = derivation.to_markdown()
    assert "**Product rule**" in markdown and "$$" in markdown
    assert derivation._repr_latex_().startswith("$$\\begin{aligned}")
    assert derivation._repr_markdown_() == markdown


def test_verify_names_the_step_that_fails() -> None:
    derivation = differentiate("x^2 + 1")
    x = sp.Symbol("x", real=True)
    good = derivation.steps[-1]
    derivation.steps[-1] = Step(good.rule, good.before, 3 * x)  # a false step, planted
    report = derivation.verify()
    assert not report.ok
    where, check = report.first_failure
    assert where.startswith(f"step {len(derivation.steps)}") and check.status == "failed"
    assert "left" in check.counterexample and "right" in check.counterexample


def test_command_reads_stdin_and_writes_formats(tmp_path: Path) -> None:
    run = subprocess.run(
        [*STEPSOLVER, "diff", "--format", "json"], input="x^2*sin(x)", capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["steps"][0]["rule"] == "product"
    bad = subprocess.run([*STEPSOLVER, "diff", "x^{"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


@pytest.mark.skipif(not has_tikz(), reason="pdflatex with TikZ/pgfplots is not installed (.ci/run installs it)")
def test_lecture_handout_compiles_with_pdflatex(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole demo handout: derivatives, the graph with its TikZ picture, slopes with pgfplots, linear algebra."""
    assert main(["demo", "--format", "latex", "--standalone"]) == 0
    handout = capsys.readouterr().out
    assert handout.count(r"\subsection*{Differentiate") == len(LECTURE_EXAMPLES)
    assert r"\begin{tikzpicture}" in handout and r"\begin{axis}" in handout
    compile_latex(handout, tmp_path)


def test_demo_topics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: len(v) for k, v in data.items()} == {"derivatives": 14, "graphs": 1, "slopes": 2, "linalg": 14}
    assert main(["demo", "--topic", "linalg"]) == 0
    out = capsys.readouterr().out
    assert "In Python: np.trace(A)  # gives 4.0" in out and "d/dx" not in out


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed (.ci/run installs it)")
def test_single_derivation_with_side_derivations_compiles(tmp_path: Path) -> None:
    tex = differentiate(r"\sigma(x^2) + \sin(x)^x + \operatorname{ReLU}(x)").to_latex(standalone=True)
    assert "Side derivations" in tex
    compile_latex(tex, tmp_path)


def test_verify_rechecks_a_step_edited_after_it_was_checked() -> None:
    derivation = differentiate("x^2 + 1")
    assert derivation.verify().ok
    derivation.steps[-1].after = derivation.steps[-1].after + 1  # tampered in place
    assert not derivation.verify().ok
