"""Models (issue 11): the lecture's logistic-regression derivation, every step verified; the
gradients against central differences and an independent NumPy formula; the fit; the CLI."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from stepsolver.cli import main
from stepsolver.core.notation import text
from stepsolver.errors import StepsolverError
from stepsolver.models import model

# every rule the models add, with the model whose derivation cites it
MODEL_RULES = {
    "node_name": "logistic",
    "sum_over_examples": "logistic",
    "per_example": "logistic",
    "matrix_entry": "logistic",
    "textbook_form": "logistic_l2",
    "row_softmax": "softmax",
    "penalty": "logistic_l2",
}
MODELS = [("logistic", {}), ("linear", {}), ("logistic_l2", {"lam": 0.3}), ("softmax", {}), ("mlp", {"hidden": 3}),
          ("mlp", {"hidden": 2, "activation": "relu"}), ("mlp", {"hidden": 2, "activation": "sigmoid"})]  # fmt: skip


@pytest.fixture(scope="module")
def logistic():
    return model("logistic")


def _rules(d) -> set[str]:
    found = set()

    def walk(derivation) -> None:
        for step in derivation.steps:
            found.add(step.rule.id)
            for sub in step.substeps:
                walk(sub.derivation)

    for _, part in d.parts():
        walk(part)
    return found


@pytest.mark.parametrize("rule_id", sorted(MODEL_RULES))
def test_each_model_rule_is_cited(rule_id: str) -> None:
    name = MODEL_RULES[rule_id]
    assert rule_id in _rules(model(name, **({"lam": 0.1} if name == "logistic_l2" else {})).derivation)


def test_the_lecture_backward_pass(logistic) -> None:
    """∂ŷ/∂z = ŷ(1 − ŷ), ∂L/∂z = ŷ − y, ∂L/∂w_j = (ŷ − y)x_j, ∂L/∂b = ŷ − y, each proved."""
    pe = logistic.derivation.per_example
    import sympy as sp

    from stepsolver.models import symbols as s

    assert sp.simplify(pe.in_node_names("z") - (s.yhat - s.y)) == 0
    assert sp.simplify(pe.in_node_names("w_j") - (s.yhat - s.y) * s.x_j) == 0
    assert sp.simplify(pe.in_node_names("b") - (s.yhat - s.y)) == 0
    local = pe.backward.local[("yhat", "z")]
    assert text(local.result) == "ŷ·(1 - ŷ)"
    for d in pe.adjoints:
        assert d.verify().proved, d.input


def test_averaged_and_matrix_forms_verify(logistic) -> None:
    d = logistic.derivation
    report = d.verify()
    assert report.ok
    from stepsolver.matrixcalc.notation import text_of

    assert text_of(d.final("w")) == "(1/n)·Xᵀ(σ(Xw + b·𝟏) − y)"
    assert text_of(d.final("b")) == "(1/n)·𝟏ᵀ(σ(Xw + b·𝟏) − y)"
    assert "diag" in text_of(d.hessian.gradient)
    for part in d.averaged.parts.values():
        # the sum rule and the matrix form checked at n = 1, 2, 3; the per-example step proved term by term
        assert [c.status for _, c in part.verify().checks] == ["sizes", "proved", "sizes"]


def test_a_wrong_matrix_form_fails_the_entry_check(logistic) -> None:
    """The entry-j check is not a formality: (1/n)Xᵀ(σ − y) without 1/n does not pass it."""
    from stepsolver.matrixcalc import terms as t
    from stepsolver.models.averaging import MatrixEntry, MatrixEntryStep

    part = logistic.derivation.averaged.parts["w_j"]
    good = part.steps[-1]
    wrong = good.after.args[0].args[1:]  # drop the scalar 1/n
    entry = MatrixEntry(t.Prod(*wrong) if len(wrong) > 1 else wrong[0], good.after.args[1])
    step = MatrixEntryStep(good.rule, good.before, entry, values=good.values, sizes=good.sizes)
    assert not step.verify().ok


def _data(name: str, rng: np.random.Generator, n: int = 40, m: int = 3):
    X = rng.normal(size=(n, m))
    if name == "linear":
        return X, X @ rng.normal(size=m) + rng.normal(size=n)
    if name == "softmax":
        return X, rng.integers(0, 3, size=n)
    return X, (rng.random(n) < 0.5).astype(float)


@pytest.mark.parametrize(("name", "options"), MODELS)
def test_gradient_against_central_differences(name: str, options: dict) -> None:
    m = model(name, **options)
    assert m.derivation.verify().ok
    check = m.check(seed=3)
    assert check.ok and max(check.float64.values()) <= 1e-7, check.float64


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_logistic_against_an_independent_numpy_formula(logistic) -> None:
    rng = np.random.default_rng(7)
    X, y = _data("logistic", rng, n=50, m=4)
    w, b = rng.normal(size=4), 0.3
    yhat = _sigmoid(X @ w + b)
    J = -np.mean(y * np.log(yhat) + (1 - y) * np.log(1 - yhat))
    g = logistic.gradient(X, y, w=w, b=b)
    assert logistic.cost(X, y, w=w, b=b) == pytest.approx(J, rel=1e-12)
    np.testing.assert_allclose(g["w"], X.T @ (yhat - y) / 50, rtol=1e-10)
    assert g["b"] == pytest.approx(np.mean(yhat - y), rel=1e-10)


@pytest.mark.parametrize(("name", "options"), MODELS)
def test_blocked_evaluation_equals_one_block(name: str, options: dict, monkeypatch) -> None:
    """The row blocks give the same cost and gradient as the whole X at once: each cost is a mean
    over the examples plus a penalty of the parameters alone, which the blocks rely on."""
    from stepsolver.models import compile as compiled

    m = model(name, **options)
    X, y = _data(name, np.random.default_rng(1), n=6000, m=5)
    p = m.init(X, y)
    monkeypatch.setattr(compiled, "BLOCK_BYTES", 8 * 5 * 700)  # 9 blocks, the last one short
    many = m.gradient(X, y, **p), m.cost(X, y, **p)
    monkeypatch.setattr(compiled, "BLOCK_BYTES", 1 << 40)
    one = m.gradient(X, y, **p), m.cost(X, y, **p)
    for key in p:
        np.testing.assert_allclose(many[0][key], one[0][key], rtol=1e-11, atol=1e-15)
    assert many[1] == pytest.approx(one[1], rel=1e-12)


def test_confident_model_has_a_finite_cost(logistic) -> None:
    X = np.array([[50.0], [-50.0]])
    assert np.isfinite(logistic.cost(X, np.array([0.0, 1.0]), w=np.array([1.0]), b=0.0))


def test_fit_reaches_the_optimum(logistic) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = (rng.random(400) < _sigmoid(X @ np.array([1.0, -2.0, 0.5]) + 0.3)).astype(float)
    r = logistic.fit(X, y, lr=1.0, tol=1e-8, max_iter=20000)
    assert r.converged and r.history[-1] == r.cost and r.iterations == len(r.history) - 1
    g = logistic.gradient(X, y, **r.params)
    assert np.linalg.norm(g["w"]) < 1e-7
    s = logistic.fit(X, y, lr=1.0, tol=1e-8, max_iter=20000, standardize=True)
    assert s.standardized
    np.testing.assert_allclose(s.params["w"], r.params["w"], atol=1e-5)
    assert not logistic.fit(X, y, lr=1.0, max_iter=3).converged


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: model("logit"), "unknown model"),
        (lambda: model("logistic_l2", lam=-1), "lam"),
        (lambda: model("mlp", hidden=0), "hidden"),
        (lambda: model("mlp", activation="foo"), "activation"),
        (lambda: model("logistic").gradient(np.ones((3, 2)), np.array([0, 1, 2]), w=np.ones(2), b=0.0), "0 or 1"),
        (lambda: model("logistic").gradient(np.ones((3, 2)), np.array([0, 1]), w=np.ones(2), b=0.0), "labels"),
        (lambda: model("logistic").gradient(np.ones((2, 2)), np.array([0, 1]), w=np.ones(3), b=0.0), "shape"),
        (lambda: model("logistic").cost(np.array([[np.nan], [1]]), np.array([0, 1]), w=np.ones(1), b=0.0), "finite"),
    ],
)
def test_bad_input_is_one_line(call, message: str) -> None:
    with pytest.raises((StepsolverError, ValueError)) as error:
        call()
    assert message in str(error.value) and "\n" not in str(error.value)


def _csv(tmp_path, text_: str):
    path = tmp_path / "data.csv"
    path.write_text(text_)
    return str(path)


def test_cli_fit_json(tmp_path, capsys) -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(120, 2))
    y = (rng.random(120) < _sigmoid(X @ np.array([1.5, -1.0]))).astype(int)
    rows = "\n".join(f"{a:.6f},{b:.6f},{t}" for (a, b), t in zip(X, y, strict=True))
    path = _csv(tmp_path, "age,dose,sick\n" + rows + "\n")
    assert (
        main(["model", "logistic", "--fit", path, "--lr", "1", "--format", "json", "--plot", str(tmp_path / "c.tex")])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out["parameters"]["w"]) == {"age", "dose"} and out["converged"]
    assert {"model", "parameters", "cost", "iterations", "converged", "history"} <= set(out)
    assert (tmp_path / "c.tex").read_text().startswith("\\documentclass")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("a,y\n1,0\n1,x\n", "line 3"),
        ("a,y\n1,0\n1,2\n", "line 3"),
        ("a,y\n1,1\n2,1\n", "only class"),
        ("a,y\n1,0\nnan,1\n", "line 3"),
    ],
)
def test_cli_bad_csv_is_one_line_exit_2(tmp_path, capsys, content: str, message: str) -> None:
    assert main(["model", "logistic", "--fit", _csv(tmp_path, content)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_derivation_formats(capsys) -> None:
    for fmt in ("text", "markdown", "json", "latex"):
        assert main(["model", "logistic", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "ŷ·(1 - ŷ)" in out and "\\hat{y}" in out


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize(("name", "options"), MODELS[:5])
def test_the_derivation_latex_compiles(tmp_path, name: str, options: dict) -> None:
    from .helpers import compile_latex

    log = compile_latex(model(name, **options).derivation.to_latex(standalone=True), tmp_path)
    assert "Missing character" not in log


def _breast_cancer() -> str:
    from pathlib import Path

    return str(Path(__file__).parent / "data" / "breast_cancer.csv")


def test_cli_fit_beside_scikit_learn(capsys) -> None:
    pytest.importorskip("sklearn")
    args = ["model", "logistic", "--fit", _breast_cancer(), "--standardize", "--lr", "4", "--tol", "1e-10"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "converged" in out and "Beside scikit-learn's LogisticRegression(C=np.inf" in out
    rows = {
        line.split()[0]: line.split() for line in out.splitlines() if line.startswith("  w[") or line.startswith("  J ")
    }
    assert set(rows) >= {"w[mean_radius]", "w[mean_texture]", "w[mean_smoothness]", "J"}
    for cells in rows.values():  # lbfgs stops ~1e-7 relative from the optimum (tests/data/README.md)
        assert abs(float(cells[-1])) < 1e-3


def test_cli_fit_without_scikit_learn(capsys, monkeypatch) -> None:
    import builtins

    real = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("no sklearn here")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    assert main(["model", "logistic", "--fit", _breast_cancer(), "--standardize", "--lr", "4"]) == 0
    assert "scikit-learn is not installed" in capsys.readouterr().out


def test_cli_check_and_svg_plot(tmp_path, capsys) -> None:
    import xml.etree.ElementTree as ET

    assert main(["model", "linear", "--check", "--format", "json"]) == 0
    derivation, check = json.loads(capsys.readouterr().out)
    assert derivation["kind"] == "model" and derivation["verified"]["ok"]
    assert check["ok"] and max(check["relative_error"]["float64"].values()) <= 1e-7
    picture = tmp_path / "cost.svg"
    assert (
        main(["model", "logistic", "--fit", _breast_cancer(), "--standardize", "--lr", "4", "--plot", str(picture)])
        == 0
    )
    assert ET.parse(picture).getroot().tag.endswith("svg")
    assert main(["model", "logistic", "--plot", "x.png", "--fit", _breast_cancer()]) == 2
    assert main(["model", "logistic", "--plot", "x.svg"]) == 2


def test_a_too_large_learning_rate_is_reported(capsys) -> None:
    from stepsolver.models.data import read_table

    table = read_table(_breast_cancer(), target="malignant", task="binary")
    r = model("linear").fit(table.X, table.y, lr=10.0, max_iter=1000)
    assert not r.converged and "diverged" in r.stopped and "too large" in r.stopped


def test_the_softmax_and_network_forms() -> None:
    from stepsolver.matrixcalc.notation import text_of

    d = model("softmax").derivation
    assert text_of(d.final("W")) == "(1/n)·Xᵀ(softmax(XW + 𝟏bᵀ) − Y)"
    net = model("mlp", hidden=2).derivation
    assert text_of(net.final("W_1")) == "(1/n)·Xᵀ(((σ(tanh(A)w_2 + b_2·𝟏) − y)w_2ᵀ) ⊙ (𝟏𝟏ᵀ − tanh(A) ⊙ tanh(A)))"
    assert text_of(net.final("w_2")) == "(1/n)·tanh(XW_1 + 𝟏b_1ᵀ)ᵀ(σ(tanh(XW_1 + 𝟏b_1ᵀ)w_2 + b_2·𝟏) − y)"


# what a trial as a new user and an adversary found (issue 11), each now a test


def test_softmax_with_two_classes_beside_scikit_learn(capsys) -> None:
    """scikit-learn keeps one row of coefficients for two classes: compared as the centred pair."""
    pytest.importorskip("sklearn")
    assert main(["model", "softmax", "--fit", _breast_cancer(), "--standardize", "--lr", "1"]) == 0
    out = capsys.readouterr().out
    j = next(line.split() for line in out.splitlines() if line.startswith("  J "))
    assert abs(float(j[-1])) < 1e-8


def test_l2_with_standardisation_is_compared_with_the_same_problem(capsys) -> None:
    pytest.importorskip("sklearn")
    args = ["model", "logistic_l2", "--lam", "0.01", "--fit", _breast_cancer(), "--standardize", "--lr", "1"]
    assert main([*args, "--tol", "1e-9"]) == 0
    out = capsys.readouterr().out
    assert "λ penalises the standardised weights" in out
    w = next(line.split() for line in out.splitlines() if line.startswith("  w[mean_smoothness]"))
    assert abs(float(w[-1])) < 1e-4 * abs(float(w[1]))


def test_an_oscillating_descent_says_so() -> None:
    from stepsolver.models.data import read_table

    table = read_table(_breast_cancer(), target="malignant", task="binary")
    r = model("logistic").fit(table.X, table.y, lr=0.1, max_iter=2000)
    assert not r.converged and "J is not descending" in r.stopped and "--standardize" in r.stopped


def test_a_column_too_large_to_standardise(tmp_path, capsys) -> None:
    path = _csv(tmp_path, "a,b,y\n1,2,0\n3,1e308,1\n2,1,0\n0,5,1\n")
    assert main(["model", "logistic", "--fit", path, "--standardize"]) == 2
    assert "too large to standardise" in capsys.readouterr().err
    assert main(["model", "logistic", "--fit", path]) == 0  # diverges, and says so, without warnings
    captured = capsys.readouterr()
    assert "diverged" in captured.out and "Warning" not in captured.err


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: model("softmax").gradient(np.ones((2, 2)), ["a", "b"], W=np.ones((2, 2)), b=np.ones(2)), "numbers"),
        (lambda: model("logistic").cost(np.array([[1, "x"]], dtype=object), [0], w=np.ones(2), b=0.0), "numbers"),
        (lambda: model("logistic").init(np.ones((2, 2)), [0, 1], seed="a"), "seed"),
        (lambda: model("logistic").cost(np.ones((2, 2)) * 1j, [0, 1], w=np.ones(2), b=0.0), "complex"),
        (lambda: model("logistic").fit(np.ones((4, 2)), np.ones(4)), "only class 1"),
        (lambda: model("softmax").fit(np.ones((4, 2)), np.zeros(4)), "only class 0"),
    ],
)
def test_the_api_refuses_what_the_cli_refuses(call, message: str) -> None:
    with pytest.raises(StepsolverError) as error:
        call()
    assert message in str(error.value)


def test_a_long_fit_shows_its_progress_on_a_terminal(monkeypatch, capsys) -> None:
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["model", "logistic", "--fit", _breast_cancer(), "--max-iter", "3000", "--lr", "0.01"]) == 0
    assert "gradient descent [" in terminal.getvalue() and "/3000" in terminal.getvalue()


# what a review of the change found (issue 11): checks that a wrong step must not pass


def test_a_wrong_local_derivative_is_refused() -> None:
    from stepsolver.calculus.api import differentiate
    from stepsolver.graph.passes import backward_pass
    from stepsolver.models import per_example as pe
    from stepsolver.models import symbols as s

    graph = pe.per_example_graph(pe.logistic_operations()).graph
    wrong = differentiate(sp_tanh(s.z), wrt=s.z)  # not ∂σ(z)/∂z
    with pytest.raises(ValueError, match="local derivative"):
        backward_pass(graph, None, {}, {("yhat", "z"): wrong})


def sp_tanh(x):
    import sympy as sp

    return sp.tanh(x)


def test_a_wrong_node_name_step_fails() -> None:
    import sympy as sp

    from stepsolver.functions import sigmoid
    from stepsolver.models import symbols as s
    from stepsolver.models.per_example import NamedStep
    from stepsolver.models.rules import NODE_NAME

    z, yhat = s.z, s.yhat
    wrong = NamedStep(NODE_NAME, sigmoid(z) * (1 - sigmoid(z)), yhat * (1 + yhat), names={yhat: sigmoid(z)})
    assert not wrong.verify().ok
    right = NamedStep(NODE_NAME, sigmoid(z) * (1 - sigmoid(z)), yhat * (1 - yhat), names={yhat: sigmoid(z)})
    assert right.verify().status == "proved"
    assert sp.Symbol  # the module is used


def test_a_sum_from_zero_is_not_decided_by_the_examples_check() -> None:
    import sympy as sp

    from stepsolver.models import symbols as s
    from stepsolver.models.averaging import ExampleSumStep
    from stepsolver.models.rules import SUM_OVER_EXAMPLES

    step = ExampleSumStep(SUM_OVER_EXAMPLES, sp.Sum(sp.sign(s.i), (s.i, 0, s.n)), sp.Sum(1, (s.i, 0, s.n)))
    assert not step.verify().ok


def test_stable_forms_compile_only_their_own_functions() -> None:
    """ln(2t) of σ(u) is not ln σ(u): the stable forms match exactly ln, σ and exp of the entry."""
    import sympy as sp

    from stepsolver.functions import sigmoid
    from stepsolver.matrixcalc import terms as t
    from stepsolver.models.compile import compile_term

    u = t.Sym("u", 3, 1)
    values = {"u": np.array([[0.5], [-1.0], [2.0]])}
    for f in (sp.log(2 * t.T_ARG), sp.log(t.T_ARG + 1), sp.log(t.T_ARG)):
        term = t.Elementwise(f, t.Elementwise(sigmoid(t.T_ARG), u))
        expected = sp.lambdify(t.T_ARG, f.subs(t.T_ARG, 1 / (1 + sp.exp(-t.T_ARG))))(values["u"])
        np.testing.assert_allclose(compile_term(term)(dict(values), {}), expected, rtol=1e-13)


def test_only_softmax_itself_is_named_softmax() -> None:
    import sympy as sp

    from stepsolver.matrixcalc import terms as t
    from stepsolver.models.softmax_rows import row_softmax_argument

    Z = t.Sym("Z", 3, 4)
    ones = t.Ones(4, 1)

    def written(f: sp.Expr) -> t.MTerm:
        e = t.Elementwise(f, Z)
        return t.Had(t.Prod(t.Elementwise(t.T_ARG**-1, t.Prod(e, ones)), t.T(ones)), e)

    assert row_softmax_argument(written(sp.exp(t.T_ARG))) == Z
    assert row_softmax_argument(written(sp.exp(2 * t.T_ARG))) is None


def test_a_descent_started_at_the_optimum_takes_no_step() -> None:
    m = model("linear")
    X = np.random.default_rng(0).normal(size=(50, 2))
    y = X @ np.array([1.0, 2.0]) + 3
    at = m.fit(X, y, lr=0.2, tol=1e-9, max_iter=5000)
    again = m.fit(X, y, lr=0.2, tol=1e-6, init=at.params)
    assert again.converged and again.iterations == 0 and len(again.history) == 1


@pytest.mark.parametrize("fmt", ["markdown", "latex"])
def test_a_fit_in_every_format(fmt: str, tmp_path, capsys) -> None:
    args = ["model", "logistic", "--fit", _breast_cancer(), "--standardize", "--lr", "4", "--format", fmt]
    assert main([*args, "--standalone"] if fmt == "latex" else args) == 0
    out = capsys.readouterr().out
    assert "converged" in out
    if fmt == "latex" and shutil.which("pdflatex"):
        from .helpers import compile_latex

        assert out.count("\\documentclass") == 1
        compile_latex(out, tmp_path)


def test_a_weight_matrix_is_shown_a_row_per_feature(capsys) -> None:
    from pathlib import Path

    wine = str(Path(__file__).parent / "data" / "wine.csv")
    assert main(["model", "softmax", "--fit", wine, "--standardize", "--lr", "2", "--format", "json"]) == 0
    W = json.loads(capsys.readouterr().out)["parameters"]["W"]
    assert set(W) == {"alcohol", "malic_acid", "hue"} and all(len(row) == 3 for row in W.values())
    assert main(["model", "softmax", "--fit", wine, "--standardize", "--lr", "2"]) == 0
    assert "  W[alcohol] = " in capsys.readouterr().out
