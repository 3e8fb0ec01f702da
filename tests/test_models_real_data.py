"""The fit on real data sets (tests/data, sources in tests/data/README.md) against reference
optima computed once with scikit-learn and Newton's method and stored beside them
(tests/data/make_references.py): coefficients and intercept within 1e-4, cost within 1e-6."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stepsolver import model
from stepsolver.models.data import read_table

DATA = Path(__file__).parent / "data"


def _reference(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text())


def _table(ref: dict, task: str):
    return read_table(DATA / ref["csv"], target=ref["target"], task=task)


def test_logistic_on_breast_cancer() -> None:
    """The lecture's model, the lecture's algorithm: batch gradient descent reaches the optimum."""
    ref = _reference("breast_cancer_logistic")
    table = _table(ref, "binary")
    r = model("logistic").fit(table.X, table.y, lr=4.0, tol=1e-10, max_iter=20_000, standardize=True)
    assert r.converged, r.stopped
    w = np.array([ref["w"][f] for f in table.features])
    np.testing.assert_allclose(r.params["w"], w, atol=1e-4, rtol=0)
    assert r.params["b"] == pytest.approx(ref["b"], abs=1e-4)
    assert r.cost == pytest.approx(ref["cost"], abs=1e-6)


def test_logistic_l2_on_breast_cancer() -> None:
    """With standardize=True the penalty is on the standardised w (as in a scaler-then-model
    pipeline): the reference is that problem's optimum, given back in the data's own units."""
    ref = _reference("breast_cancer_logistic_l2_standardized")
    table = _table(ref, "binary")
    r = model("logistic_l2", lam=ref["lam"]).fit(table.X, table.y, lr=2.0, tol=1e-11, max_iter=20_000, standardize=True)
    assert r.converged, r.stopped
    w = np.array([ref["w_original"][f] for f in table.features])
    np.testing.assert_allclose(r.params["w"], w, atol=1e-4, rtol=0)
    assert r.params["b"] == pytest.approx(ref["b_original"], abs=1e-4)
    assert r.cost == pytest.approx(ref["cost"], abs=1e-6)


def test_linear_on_diabetes() -> None:
    ref = _reference("diabetes_linear")
    table = _table(ref, "regression")
    r = model("linear").fit(table.X, table.y, lr=0.2, tol=1e-8, max_iter=50_000, standardize=True)
    assert r.converged, r.stopped
    w = np.array([ref["w"][f] for f in table.features])
    np.testing.assert_allclose(r.params["w"], w, atol=1e-4, rtol=0)
    assert r.params["b"] == pytest.approx(ref["b"], abs=1e-4)
    assert r.cost == pytest.approx(ref["cost"], abs=1e-6)


def test_softmax_on_wine() -> None:
    """Softmax parameters are defined up to a shift per class: compared centred, with the cost."""
    ref = _reference("wine_softmax")
    table = _table(ref, "classes")
    r = model("softmax").fit(table.X, table.y, lr=2.0, tol=1e-10, max_iter=50_000, standardize=True)
    assert r.converged, r.stopped
    W = np.array([ref["W"][f] for f in table.features])
    centred = r.params["W"] - r.params["W"].mean(axis=1, keepdims=True)
    np.testing.assert_allclose(centred, W - W.mean(axis=1, keepdims=True), atol=1e-4, rtol=0)
    b = np.asarray(ref["b"])
    np.testing.assert_allclose(r.params["b"] - r.params["b"].mean(), b - b.mean(), atol=1e-4, rtol=0)
    assert r.cost == pytest.approx(ref["cost"], abs=1e-6)
