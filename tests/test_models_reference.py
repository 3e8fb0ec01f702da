"""``stepsolver.model`` against references written apart from it (``tests/model_references.py``).

Two kinds of tests live here:

* ``test_reference_*`` test the REFERENCE ITSELF (hand-derived gradients against central
  differences, stable costs against the naive formula, the Newton/lstsq optima, the sklearn set-up),
  so that the API tests below rest on checked ground; they do not touch ``stepsolver.model``;
* every other test checks the API: cost and gradient equal to the reference, gradient equal to
  central differences of the API's own cost, ``init`` shapes and seeding, ``fit`` (stationary
  point, monotone history at lr = 1/L, counts, convergence flag, agreement with scikit-learn and
  np.linalg.lstsq, standardisation in original units), the derivation, and bad input.

``stepsolver.model`` is imported inside the tests (``_model``) so that this file collects before
the API exists. Relative errors: see the module docstring of ``model_references``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest

from stepsolver.errors import StepsolverError

from . import model_references as R

KNOWN_MODELS = ("logistic", "linear", "logistic_l2", "softmax", "mlp")
N, M = 20, 3  # small data for the exact cost/gradient checks
GRAD_CHECK = 1e-7  # norm-based relative error allowed between a gradient and central differences

# (reference, k): k is the number of softmax classes in the data, unused by the other models.
CASES: list[tuple[R.Reference, int]] = [
    (R.reference("logistic"), 0),
    (R.reference("linear"), 0),
    (R.reference("logistic_l2", lam=0.3), 0),
    (R.reference("softmax"), 3),
    (R.reference("softmax"), 2),
    (R.reference("mlp", activation="tanh"), 0),
    (R.reference("mlp", activation="relu"), 0),
    (R.reference("mlp", activation="sigmoid"), 0),
    (R.reference("mlp", hidden=3, activation="relu"), 0),
]
CASE_IDS = [f"{ref.label}-k{k}" if ref.name == "softmax" else ref.label for ref, k in CASES]
# The convex models, for which gradient descent provably reaches the optimum (lr = 1/L).
CONVEX = [(ref, k) for ref, k in CASES if ref.name != "mlp"]
CONVEX_IDS = [i for (ref, _), i in zip(CASES, CASE_IDS, strict=True) if ref.name != "mlp"]


def _model(name: str, **options: Any) -> Any:
    """``stepsolver.model(name, **options)``, imported late so that collection never needs it."""
    from stepsolver import model

    return model(name, **options)


def _api(ref: R.Reference) -> Any:
    return _model(ref.name, **ref.options)


def _data(ref: R.Reference, k: int, seed: int = 0, n: int = N, m: int = M) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    return X, R.labels_for(ref, X, rng, k=k or 3)


def _fit_data(ref: R.Reference, k: int, seed: int = 1, n: int = 200, m: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Well-conditioned data with a unique optimum (non-separable, standard normal features)."""
    rng = np.random.default_rng(seed)
    if ref.name == "linear":
        return R.linear_data(n, m, rng)
    if ref.name == "softmax":
        return R.softmax_data(n, m, k, rng)
    return R.logistic_data(n, m, rng)


def _api_cost(m: Any, X: np.ndarray, y: np.ndarray) -> Callable[[R.Params], float]:
    return lambda p: float(m.cost(X, y, **p))


def _assert_gradients_equal(got: Mapping[str, Any], want: Mapping[str, Any], rtol: float, what: str) -> None:
    """Same keys, same shapes, equal entries to ``rtol`` (with an absolute floor of rtol·max|want|,
    so that a component that is ~0 in both is not judged by its rounding noise)."""
    assert set(got) == set(want), f"{what}: gradient keys {sorted(got)} != {sorted(want)}"
    scale = max(float(np.max(np.abs(np.asarray(v, dtype=float)))) for v in want.values())
    for key, value in want.items():
        g = np.asarray(got[key], dtype=float)
        assert g.shape == np.shape(value), f"{what}: gradient[{key!r}] has shape {g.shape}, want {np.shape(value)}"
        np.testing.assert_allclose(g, value, rtol=rtol, atol=rtol * scale, err_msg=f"{what}: gradient[{key!r}]")


def _sklearn_logistic(C: float, **extra: Any) -> Any:
    """LogisticRegression with C (np.inf = no penalty), tight tolerance, lbfgs. sklearn ≥ 1.8
    deprecates ``penalty`` in favour of C = np.inf; older versions need penalty=None."""
    sklearn = pytest.importorskip("sklearn")
    from sklearn.linear_model import LogisticRegression

    major, minor = (int(part) for part in sklearn.__version__.split(".")[:2])
    kwargs: dict[str, Any] = {"tol": 1e-12, "max_iter": 100_000, **extra}
    if math.isinf(C) and (major, minor) < (1, 8):
        kwargs["penalty"] = None
    else:
        kwargs["C"] = C
    return LogisticRegression(**kwargs)


def _is_nonincreasing(history: list[float], slack: float = 1e-12) -> bool:
    h = [float(v) for v in history]
    return all(b <= a + slack * max(1.0, abs(a)) for a, b in itertools.pairwise(h))


def _lr(ref: R.Reference, X: np.ndarray) -> float:
    """1/L for the convex models: by the descent lemma, gradient descent at this rate never
    increases J, and it converges linearly on strongly convex data."""
    return 1.0 / R.smoothness(ref.name, X, float(ref.options.get("lam", 0.0)))


# ============================================================================================
# The reference itself
# ============================================================================================


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_reference_gradient_matches_central_differences(ref: R.Reference, k: int) -> None:
    """Tests the reference itself: the hand-derived gradient equals central differences of the
    reference cost, norm-based relative error ≤ 1e-7 (elementwise ≤ 1e-5 where |g| ≥ 1e-4), at 4 draws."""
    X, y = _data(ref, k)
    rng = np.random.default_rng(7)
    for draw in range(4):
        p = R.random_params(ref.shapes(X, y), rng)
        analytic = ref.gradient(X, y, p)
        numeric = R.central_difference(lambda q: ref.cost(X, y, q), p)
        assert R.relative_error(analytic, numeric) <= GRAD_CHECK, (draw, R.relative_error(analytic, numeric))
        assert R.elementwise_relative_error(analytic, numeric, floor=1e-4) <= 1e-5, draw


def test_reference_central_difference_is_exact_on_a_quadratic() -> None:
    """Tests the reference itself: central differences of ½θᵀAθ + cθ recover Aθ + c (scalar and array keys)."""
    rng = np.random.default_rng(3)
    A = rng.normal(size=(4, 4))
    A = A @ A.T
    c = rng.normal(size=4)

    def f(p: R.Params) -> float:
        theta = np.r_[p["v"], p["s"]]
        return float(0.5 * theta @ A @ theta + c @ theta)

    p = {"v": rng.normal(size=3), "s": 0.4}
    want = A @ np.r_[p["v"], p["s"]] + c
    got = R.central_difference(f, p)
    assert isinstance(got["s"], float)
    np.testing.assert_allclose(np.r_[got["v"], got["s"]], want, rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_reference_stable_logistic_cost_equals_the_textbook_formula(lam: float) -> None:
    """Tests the reference itself: the logaddexp cost equals −mean(y ln ŷ + (1−y) ln(1−ŷ)) + λ/2‖w‖² at moderate z."""
    X, y = _data(R.reference("logistic"), 0)
    p = R.random_params({"w": (M,), "b": ()}, np.random.default_rng(1))
    assert math.isclose(R.logistic_cost(X, y, p, lam), R.logistic_cost_naive(X, y, p, lam), rel_tol=1e-13)


@pytest.mark.parametrize("k", [2, 3])
def test_reference_stable_softmax_cost_equals_the_naive_loop(k: int) -> None:
    """Tests the reference itself: the log-sum-exp softmax cost equals a per-example loop of −ln(e^{s_y}/Σe^s)."""
    ref = R.reference("softmax")
    X, y = _data(ref, k)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(2))
    assert math.isclose(R.softmax_cost(X, y, p), R.softmax_cost_naive(X, y, p), rel_tol=1e-13)


def test_reference_costs_are_finite_at_huge_logits() -> None:
    """Tests the reference itself: z = ±800 gives the exact cross-entropy (800), not inf or nan."""
    X = np.array([[1.0], [1.0]])
    assert R.logistic_cost(X, np.array([0.0, 0.0]), {"w": np.array([800.0]), "b": 0.0}) == 800.0
    assert R.logistic_cost(X, np.array([1.0, 1.0]), {"w": np.array([-800.0]), "b": 0.0}) == 800.0
    assert R.logistic_cost(X, np.array([1.0, 1.0]), {"w": np.array([800.0]), "b": 0.0}) == 0.0
    P = {"W": np.array([[1000.0, 0.0]]), "b": np.zeros(2)}
    assert R.softmax_cost(X, np.array([1, 1]), P) == 1000.0
    g = R.logistic_gradient(X, np.array([0.0, 0.0]), {"w": np.array([800.0]), "b": 0.0})
    assert np.all(np.isfinite(R.flatten(g)))


def test_reference_mlp_with_zero_output_weights_is_a_constant_logit() -> None:
    """Tests the reference itself: with w2 = 0 the MLP cost is the cross-entropy of the constant logit b2."""
    ref = R.reference("mlp")
    X, y = _data(ref, 0)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(4))
    p["w2"] = np.zeros(4)
    assert math.isclose(R.mlp_cost(X, y, p), R.binary_cross_entropy(np.full(N, p["b2"]), y), rel_tol=1e-14)


@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_reference_newton_optimum_is_stationary(lam: float) -> None:
    """Tests the reference itself: Newton's logistic optimum has reference gradient ≈ 0 (‖∇J‖ ≤ 1e-12)."""
    X, y = R.logistic_data(500, 4, np.random.default_rng(5))
    p = R.logistic_newton(X, y, lam)
    assert R.gradient_norm(R.logistic_gradient(X, y, p, lam)) <= 1e-12


def test_reference_lstsq_optimum_is_stationary() -> None:
    """Tests the reference itself: the lstsq optimum has reference MSE gradient ≈ 0."""
    X, y = R.linear_data(200, 3, np.random.default_rng(6))
    assert R.gradient_norm(R.linear_gradient(X, y, R.linear_lstsq(X, y))) <= 1e-12


@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_reference_newton_agrees_with_sklearn(lam: float) -> None:
    """Tests the reference itself (and the sklearn set-up the fit tests use): sklearn with
    C = 1/(λn) (C = inf for λ = 0) finds the Newton optimum to 1e-6, so C = 1/(λn) is the contract's λ."""
    X, y = R.logistic_data(500, 4, np.random.default_rng(5))
    clf = _sklearn_logistic(np.inf if lam == 0 else 1.0 / (lam * len(y))).fit(X, y)
    p = R.logistic_newton(X, y, lam)
    np.testing.assert_allclose(clf.coef_.ravel(), p["w"], atol=1e-6)
    assert abs(float(clf.intercept_[0]) - p["b"]) <= 1e-6


def test_reference_sklearn_multinomial_is_the_softmax_optimum() -> None:
    """Tests the reference itself: sklearn's multinomial fit (W = coef_ᵀ, b = intercept_) has
    softmax reference gradient ≈ 0 and predict_proba equal to the reference softmax probabilities."""
    X, y = R.softmax_data(300, 3, 3, np.random.default_rng(8))
    clf = _sklearn_logistic(np.inf).fit(X, y)
    p = {"W": clf.coef_.T, "b": clf.intercept_}
    assert R.gradient_norm(R.softmax_gradient(X, y, p)) <= 1e-6
    np.testing.assert_allclose(clf.predict_proba(X), R.predict("softmax", X, p), atol=1e-12)


@pytest.mark.parametrize(("ref", "k"), CONVEX, ids=CONVEX_IDS)
def test_reference_lr_one_over_L_descends_monotonically(ref: R.Reference, k: int) -> None:
    """Tests the reference itself: plain gradient descent with the reference gradient at lr = 1/L
    (``smoothness``) never increases J over 300 steps, from a random start (so 1/L is a safe rate)."""
    X, y = _fit_data(ref, k)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(9))
    lr, history = _lr(ref, X), [ref.cost(X, y, p)]
    for _ in range(300):
        g = ref.gradient(X, y, p)
        p = {key: p[key] - lr * g[key] for key in p}
        history.append(ref.cost(X, y, p))
    assert _is_nonincreasing(history)
    assert history[-1] < history[0]


@pytest.mark.parametrize("name", ["logistic", "softmax"])
def test_reference_original_units_give_the_same_predictions(name: str) -> None:
    """Tests the reference itself: parameters for Z = (X−μ)/s rewritten by ``to_original_units``
    predict the same on X."""
    rng = np.random.default_rng(10)
    X = rng.normal(size=(30, 3)) * [1000.0, 0.01, 1.0] + [500.0, -2.0, 3.0]
    Z, mu, s = R.standardize(X)
    shapes: R.Shapes = {"w": (3,), "b": ()} if name == "logistic" else {"W": (3, 3), "b": (3,)}
    p = R.random_params(shapes, rng)
    np.testing.assert_allclose(R.predict(name, X, R.to_original_units(p, mu, s)), R.predict(name, Z, p), rtol=1e-10)


# ============================================================================================
# The API: cost and gradient
# ============================================================================================


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_cost_and_gradient_equal_the_reference(ref: R.Reference, k: int) -> None:
    """m.cost equals the reference J (rel 1e-12) and m.gradient the reference gradient (rel 1e-10),
    at m.init(X, y, seed=0) and at 3 other random parameter draws."""
    m = _api(ref)
    X, y = _data(ref, k)
    rng = np.random.default_rng(11)
    draws = [m.init(X, y, seed=0)] + [R.random_params(ref.shapes(X, y), rng) for _ in range(3)]
    for i, p in enumerate(draws):
        cost = m.cost(X, y, **p)
        assert math.isclose(float(cost), ref.cost(X, y, p), rel_tol=1e-12, abs_tol=1e-15), (i, cost)
        _assert_gradients_equal(m.gradient(X, y, **p), ref.gradient(X, y, p), 1e-10, f"draw {i}")


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_gradient_matches_central_differences_of_its_cost(ref: R.Reference, k: int) -> None:
    """m.gradient against central differences (h = 1e-6) of m.cost itself: norm-based CS231n
    relative error ≤ 1e-7, at the init point and at 3 random draws."""
    m = _api(ref)
    X, y = _data(ref, k, seed=12)
    rng = np.random.default_rng(13)
    draws = [m.init(X, y, seed=1)] + [R.random_params(ref.shapes(X, y), rng) for _ in range(3)]
    for i, p in enumerate(draws):
        numeric = R.central_difference(_api_cost(m, X, y), p)
        analytic = {key: np.asarray(v, dtype=float) for key, v in m.gradient(X, y, **p).items()}
        assert R.relative_error(analytic, numeric) <= GRAD_CHECK, (i, R.relative_error(analytic, numeric))


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_cost_is_a_float_and_gradient_has_the_params_keys_and_shapes(ref: R.Reference, k: int) -> None:
    """m.cost returns a scalar float; m.gradient returns float64 values with exactly the keys and
    shapes of the params (a float param -> a float or a 0-d array)."""
    m = _api(ref)
    X, y = _data(ref, k)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(14))
    cost = m.cost(X, y, **p)
    assert isinstance(cost, float | np.floating) and np.ndim(cost) == 0, type(cost)
    g = m.gradient(X, y, **p)
    assert set(g) == set(p)
    for key, value in g.items():
        assert np.shape(value) == np.shape(p[key]), key
        assert np.asarray(value).dtype == np.float64, key


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_cost_and_gradient_stay_finite_at_large_logits(ref: R.Reference, k: int) -> None:
    """Numerical stability (beyond the contract's letter: J is defined for every z): with parameters
    scaled ×30 the logits reach 50 to thousands, where 1 − σ(z) rounds to 0 (naive ln gives −inf) and
    clipping ŷ to [ε, 1−ε] gives a wrong J; m.cost and m.gradient must be finite and equal the
    stable reference (rel 1e-9, gradient rel 1e-8)."""
    m = _api(ref)
    X, y = _data(ref, k)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(15), scale=30.0)
    want = ref.cost(X, y, p)
    got = float(m.cost(X, y, **p))
    assert math.isfinite(got), got
    assert math.isclose(got, want, rel_tol=1e-9), (got, want)
    g = m.gradient(X, y, **p)
    assert np.all(np.isfinite(R.flatten(g)))
    _assert_gradients_equal(g, ref.gradient(X, y, p), 1e-8, "large logits")


# ============================================================================================
# The API: init
# ============================================================================================


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_init_returns_the_contract_keys_shapes_and_dtypes(ref: R.Reference, k: int) -> None:
    """m.init(X, y, seed) gives exactly the contract's keys; arrays float64 of the contract's shapes
    (softmax k = number of classes, mlp h = hidden, default 4); b / b2 a float (or 0-d float64); finite."""
    m = _api(ref)
    X, y = _data(ref, k)
    p = m.init(X, y, seed=0)
    shapes = ref.shapes(X, y)
    assert set(p) == set(shapes), f"init keys {sorted(p)}, contract {sorted(shapes)}"
    for key, shape in shapes.items():
        value = p[key]
        assert np.shape(value) == shape, f"{key}: shape {np.shape(value)}, want {shape}"
        if shape == ():
            assert isinstance(value, float) or (isinstance(value, np.ndarray) and value.dtype == np.float64), key
        else:
            assert isinstance(value, np.ndarray) and value.dtype == np.float64, f"{key}: {type(value)}"
        assert np.all(np.isfinite(value)), key


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_init_same_seed_same_params_other_seed_other_params(ref: R.Reference, k: int) -> None:
    """m.init is reproducible (seed 0 twice -> identical) and random (seeds 0 and 1 differ somewhere)."""
    m = _api(ref)
    X, y = _data(ref, k)
    a, b, c = m.init(X, y, seed=0), m.init(X, y, seed=0), m.init(X, y, seed=1)
    assert all(np.array_equal(np.asarray(a[key]), np.asarray(b[key])) for key in a)
    assert not np.array_equal(R.flatten(a), R.flatten(c)), "seeds 0 and 1 gave the same parameters"


# ============================================================================================
# The API: fit
# ============================================================================================


@pytest.mark.parametrize(("ref", "k"), CONVEX, ids=CONVEX_IDS)
def test_fit_reaches_a_stationary_point_below_the_start(ref: R.Reference, k: int) -> None:
    """m.fit at lr = 1/L, tol = 1e-13 on well-conditioned data: reference ‖∇J(r.params)‖ ≤ 1e-5;
    r.cost equals the reference J at r.params and r.history[-1]; it is ≤ r.history[0] and ≤ the
    cost at m.init (the problem is convex, so the optimum is below every point)."""
    m = _api(ref)
    X, y = _fit_data(ref, k)
    r = m.fit(X, y, lr=_lr(ref, X), tol=1e-13, max_iter=100_000)
    assert set(r.params) == set(ref.shapes(X, y))
    assert R.gradient_norm(ref.gradient(X, y, r.params)) <= 1e-5
    assert math.isclose(float(r.cost), ref.cost(X, y, r.params), rel_tol=1e-10)
    assert math.isclose(float(r.history[-1]), float(r.cost), rel_tol=1e-12), "r.history[-1] != r.cost"
    assert float(r.cost) <= float(r.history[0])
    assert float(r.cost) <= ref.cost(X, y, m.init(X, y, seed=0))


@pytest.mark.parametrize(("ref", "k"), CONVEX, ids=CONVEX_IDS)
def test_fit_history_is_nonincreasing_at_lr_one_over_L(ref: R.Reference, k: int) -> None:
    """At lr = 1/L (L the Lipschitz constant of ∇J, ``model_references.smoothness``) gradient descent
    provably never increases J: r.history is non-increasing (slack 1e-12 relative for rounding)."""
    m = _api(ref)
    X, y = _fit_data(ref, k)
    r = m.fit(X, y, lr=_lr(ref, X), tol=1e-10, max_iter=2000)
    assert len(r.history) >= 2
    assert _is_nonincreasing(list(r.history))


@pytest.mark.parametrize("activation", R.ACTIVATIONS)
def test_mlp_fit_decreases_the_cost_monotonically_at_a_small_rate(activation: str) -> None:
    """mlp fit at lr = 0.05 (small enough on this data; no proven bound for a network): history
    non-increasing, final cost < starting cost, r.cost equals the reference J at r.params and
    r.history[-1], r.params has the contract's keys and shapes."""
    ref = R.reference("mlp", hidden=3, activation=activation)
    m = _api(ref)
    X, y = _fit_data(ref, 0, n=100, m=2)
    r = m.fit(X, y, lr=0.05, tol=1e-12, max_iter=400)
    assert {key: np.shape(v) for key, v in r.params.items()} == ref.shapes(X, y)
    assert _is_nonincreasing(list(r.history))
    assert float(r.cost) < float(r.history[0])
    assert math.isclose(float(r.cost), ref.cost(X, y, r.params), rel_tol=1e-10)
    assert math.isclose(float(r.history[-1]), float(r.cost), rel_tol=1e-12)


def test_fit_iterations_count_the_history_consistently() -> None:
    """r.iterations is len(r.history) − 1 (history includes the starting cost) or len(r.history),
    and the same one of the two for every model and for both a converged and a capped run."""
    relations = set()
    for ref, k in CASES:
        m = _api(ref)
        X, y = _fit_data(ref, k, n=100, m=2)
        lr = _lr(ref, X) if ref.name != "mlp" else 0.05
        for max_iter in (3, 5000):
            r = m.fit(X, y, lr=lr, tol=1e-8, max_iter=max_iter)
            assert r.iterations <= max_iter
            assert r.iterations in (len(r.history) - 1, len(r.history)), (ref.label, r.iterations, len(r.history))
            relations.add(len(r.history) - r.iterations)
            assert math.isclose(float(r.history[-1]), float(r.cost), rel_tol=1e-12), ref.label
    assert len(relations) == 1, f"len(history) − iterations varies: {relations}"


@pytest.mark.parametrize("name", ["logistic", "linear"])
def test_fit_converges_on_an_easy_problem_and_not_in_3_iterations(name: str) -> None:
    """converged is True at lr = 1/L with the default tol and max_iter on well-conditioned data, and
    False with max_iter = 3 (then iterations == 3)."""
    ref = R.reference(name)
    m = _api(ref)
    X, y = _fit_data(ref, 0)
    assert bool(m.fit(X, y, lr=_lr(ref, X)).converged) is True  # bool(): a numpy bool is fine too
    capped = m.fit(X, y, lr=_lr(ref, X), max_iter=3)
    assert bool(capped.converged) is False
    assert capped.iterations == 3


def test_fit_does_not_modify_the_callers_data() -> None:
    """fit (with standardize=True) leaves the caller's X and y untouched."""
    ref = R.reference("logistic")
    X, y = _fit_data(ref, 0, n=100)
    X0, y0 = X.copy(), y.copy()
    _api(ref).fit(X, y, lr=1.0, max_iter=50, standardize=True)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


def test_logistic_fit_matches_sklearn() -> None:
    """logistic fit vs sklearn LogisticRegression without penalty (tol 1e-12, max_iter 1e5), n = 500,
    m = 4, non-separable: coefficients and intercept within 1e-4, cost within 1e-6."""
    ref = R.reference("logistic")
    X, y = R.logistic_data(500, 4, np.random.default_rng(20))
    clf = _sklearn_logistic(np.inf).fit(X, y)
    r = _api(ref).fit(X, y, lr=_lr(ref, X), tol=1e-13, max_iter=100_000)
    np.testing.assert_allclose(np.asarray(r.params["w"]), clf.coef_.ravel(), atol=1e-4)
    assert abs(float(r.params["b"]) - float(clf.intercept_[0])) <= 1e-4
    sk = {"w": clf.coef_.ravel(), "b": float(clf.intercept_[0])}
    assert abs(float(r.cost) - ref.cost(X, y, sk)) <= 1e-6


def test_logistic_l2_fit_matches_sklearn_with_C_one_over_lambda_n() -> None:
    """logistic_l2 (λ = 0.3) fit vs sklearn with C = 1/(λn): coefficients within 1e-4, cost within 1e-6."""
    lam = 0.3
    ref = R.reference("logistic_l2", lam=lam)
    X, y = R.logistic_data(500, 4, np.random.default_rng(21))
    clf = _sklearn_logistic(1.0 / (lam * len(y))).fit(X, y)
    r = _api(ref).fit(X, y, lr=_lr(ref, X), tol=1e-13, max_iter=100_000)
    np.testing.assert_allclose(np.asarray(r.params["w"]), clf.coef_.ravel(), atol=1e-4)
    assert abs(float(r.params["b"]) - float(clf.intercept_[0])) <= 1e-4
    sk = {"w": clf.coef_.ravel(), "b": float(clf.intercept_[0])}
    assert abs(float(r.cost) - ref.cost(X, y, sk)) <= 1e-6


def test_linear_fit_matches_lstsq() -> None:
    """linear fit (MSE) vs np.linalg.lstsq on [X 1]: w and b within 1e-6, cost within 1e-10."""
    ref = R.reference("linear")
    X, y = R.linear_data(300, 4, np.random.default_rng(22))
    want = R.linear_lstsq(X, y)
    r = _api(ref).fit(X, y, lr=_lr(ref, X), tol=1e-13, max_iter=100_000)
    np.testing.assert_allclose(np.asarray(r.params["w"]), want["w"], atol=1e-6)
    assert abs(float(r.params["b"]) - want["b"]) <= 1e-6
    assert abs(float(r.cost) - ref.cost(X, y, want)) <= 1e-10


def test_softmax_fit_matches_sklearn_multinomial() -> None:
    """softmax fit (k = 3) vs sklearn's multinomial LogisticRegression without penalty: predicted
    probabilities within 1e-4 and cost within 1e-6 (W, b are defined only up to a shift, so they
    are not compared)."""
    ref = R.reference("softmax")
    X, y = R.softmax_data(400, 3, 3, np.random.default_rng(23))
    clf = _sklearn_logistic(np.inf).fit(X, y)
    r = _api(ref).fit(X, y, lr=_lr(ref, X), tol=1e-13, max_iter=100_000)
    np.testing.assert_allclose(R.predict("softmax", X, r.params), clf.predict_proba(X), atol=1e-4)
    sk = {"W": clf.coef_.T, "b": clf.intercept_}
    assert abs(float(r.cost) - ref.cost(X, y, sk)) <= 1e-6


# --- standardize=True --------------------------------------------------------------------------

STANDARDIZATION_ATTRIBUTES = (
    "standardized", "standardised", "standardization", "standardisation", "standardize", "scaling", "scaler",
)  # fmt: skip


def _badly_scaled(name: str, seed: int = 30) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features on scales 1000, 0.01 and 1 with offsets (plain GD at any single rate would crawl);
    labels drawn from a moderate model of the standardised features. Returns X, y and Z = (X−μ)/s."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(300, 3)) * [1000.0, 0.01, 1.0] + [500.0, -2.0, 3.0]
    Z = R.standardize(X)[0]
    if name == "linear":
        y = Z @ [1.5, -2.0, 0.5] + 4.0 + 0.2 * rng.normal(size=300)
    elif name == "softmax":
        P = R.softmax(Z @ (0.8 * rng.normal(size=(3, 3))))
        y = np.minimum((rng.random(300)[:, None] > np.cumsum(P, axis=1)).sum(axis=1), 2).astype(np.int64)
    else:
        y = (rng.random(300) < R.sigmoid(Z @ [1.0, -0.7, 0.4] + 0.2)).astype(float)
    return X, y, Z


def _reported_standardization(r: Any) -> tuple[str | None, Any]:
    for name in STANDARDIZATION_ATTRIBUTES:
        if hasattr(r, name):
            return name, getattr(r, name)
    return None, None


@pytest.mark.parametrize("name", ["logistic", "linear"])
def test_fit_standardize_returns_params_in_original_units(name: str) -> None:
    """standardize=True on badly scaled features: r.params are in the ORIGINAL units — they predict,
    on the raw X, what the unstandardised optimum predicts (Newton / lstsq, 1e-6), and in standardised
    units (w·s) they equal it to 1e-5; r.cost is the reference J on the raw X at r.params."""
    ref = R.reference(name)
    X, y, Z = _badly_scaled(name)
    want = R.linear_lstsq(X, y) if name == "linear" else R.logistic_newton(X, y)
    r = _api(ref).fit(X, y, lr=_lr(ref, Z), tol=1e-13, max_iter=100_000, standardize=True)
    s = X.std(axis=0)
    np.testing.assert_allclose(R.predict(name, X, r.params), R.predict(name, X, want), atol=1e-6)
    np.testing.assert_allclose(np.asarray(r.params["w"]) * s, want["w"] * s, atol=1e-5)
    assert math.isclose(float(r.cost), ref.cost(X, y, r.params), rel_tol=1e-8)


def test_softmax_fit_standardize_returns_params_in_original_units() -> None:
    """softmax standardize=True: r.params applied to the raw X give the probabilities of sklearn's
    unpenalised multinomial optimum (fitted on standardised copies; probabilities do not depend on
    the units) within 1e-4; r.cost is the reference J on the raw X at r.params."""
    ref = R.reference("softmax")
    X, y, Z = _badly_scaled("softmax")
    clf = _sklearn_logistic(np.inf).fit(Z, y)
    r = _api(ref).fit(X, y, lr=_lr(ref, Z), tol=1e-13, max_iter=100_000, standardize=True)
    np.testing.assert_allclose(R.predict("softmax", X, r.params), clf.predict_proba(Z), atol=1e-4)
    assert math.isclose(float(r.cost), ref.cost(X, y, r.params), rel_tol=1e-8)


def test_mlp_fit_standardize_reports_the_cost_of_the_returned_params() -> None:
    """mlp standardize=True: r.params are in original units, i.e. the reference J of r.params on the
    raw X is r.cost (= r.history[-1]) — params left in standardised units would cost something else."""
    ref = R.reference("mlp", hidden=3)
    X, y, _ = _badly_scaled("logistic")
    r = _api(ref).fit(X, y, lr=0.05, tol=1e-12, max_iter=300, standardize=True)
    assert math.isclose(float(r.cost), ref.cost(X, y, r.params), rel_tol=1e-8)
    assert math.isclose(float(r.history[-1]), float(r.cost), rel_tol=1e-12)


def test_fit_reports_whether_it_standardised() -> None:
    """The fit result says it was standardised: an attribute named one of STANDARDIZATION_ATTRIBUTES
    that is truthy after standardize=True and falsy (False/None) after standardize=False."""
    ref = R.reference("logistic")
    X, y, _ = _badly_scaled("logistic")
    m = _api(ref)
    on = m.fit(X, y, lr=0.5, max_iter=20, standardize=True)
    attribute, value = _reported_standardization(on)
    assert attribute is not None, (
        f"the fit result has none of {STANDARDIZATION_ATTRIBUTES}; its attributes: "
        f"{sorted(a for a in dir(on) if not a.startswith('_'))}"
    )
    assert value, f"r.{attribute} = {value!r} after standardize=True"
    off = m.fit(R.standardize(X)[0], y, lr=0.5, max_iter=20, standardize=False)
    assert not getattr(off, attribute), f"r.{attribute} = {getattr(off, attribute)!r} after standardize=False"


# ============================================================================================
# The API: the derivation
# ============================================================================================


@pytest.mark.parametrize(("ref", "k"), CASES, ids=CASE_IDS)
def test_derivation_verifies(ref: R.Reference, k: int) -> None:
    """m.derivation.verify().ok is True for every model and option."""
    assert _api(ref).derivation.verify().ok is True


def test_logistic_derivation_latex_mentions_sigma() -> None:
    """model("logistic").derivation.to_latex() is a str containing \\sigma."""
    latex = _model("logistic").derivation.to_latex()
    assert isinstance(latex, str) and "\\sigma" in latex


# ============================================================================================
# The API: bad input
# ============================================================================================


def _user_error(action: Callable[[], Any]) -> str:
    """``action`` must raise a StepsolverError (or ValueError) with a non-empty one-line message;
    anything else — another exception, or no error — fails. Returns the message."""
    try:
        action()
    except (StepsolverError, ValueError) as error:
        message = str(error).strip()
        assert message, f"{type(error).__name__} with an empty message"
        assert "\n" not in message, f"{type(error).__name__} message is not one line: {message!r}"
        return message
    except Exception as error:  # the point of the test: no other exception may escape
        pytest.fail(f"raised {type(error).__name__} ({error}), not a StepsolverError/ValueError")
    pytest.fail("no error raised")


def _whole_use(name: str, X: np.ndarray, y: np.ndarray, **options: Any) -> Callable[[], Any]:
    """Construct, init, cost and fit: the error may come at any of them (lam < 0 at construction or
    at first use are both fine)."""

    def run() -> None:
        m = _model(name, **options)
        p = m.init(X, y, seed=0)
        m.cost(X, y, **p)
        m.fit(X, y, max_iter=3)

    return run


def test_unknown_model_name_lists_the_known_ones() -> None:
    """model("nope") raises a user error whose one-line message names every known model."""
    message = _user_error(lambda: _model("nope"))
    missing = [name for name in KNOWN_MODELS if name not in message]
    assert not missing, f"message {message!r} does not list {missing}"


@pytest.mark.parametrize("name", ["logistic", "logistic_l2", "mlp"])
@pytest.mark.parametrize("call", ["cost", "gradient", "fit"])
def test_label_2_for_a_binary_model(name: str, call: str) -> None:
    """y containing the label 2 for a 0/1 model: cost, gradient and fit each raise a user error."""
    ref = R.reference(name)
    X, y = _data(ref, 0)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(40))
    y = y.copy()
    y[3] = 2.0
    m = _api(ref)
    actions = {
        "cost": lambda: m.cost(X, y, **p),
        "gradient": lambda: m.gradient(X, y, **p),
        "fit": lambda: m.fit(X, y, max_iter=3),
    }
    _user_error(actions[call])


@pytest.mark.parametrize(("ref", "k"), CASES[:5], ids=CASE_IDS[:5])
@pytest.mark.parametrize("call", ["cost", "gradient", "fit", "init"])
def test_X_and_y_of_different_lengths(ref: R.Reference, k: int, call: str) -> None:
    """X with n rows and y with n − 1 labels: init, cost, gradient and fit each raise a user error."""
    X, y = _data(ref, k)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(41))
    m = _api(ref)
    short = y[:-1]
    actions = {
        "cost": lambda: m.cost(X, short, **p),
        "gradient": lambda: m.gradient(X, short, **p),
        "fit": lambda: m.fit(X, short, max_iter=3),
        "init": lambda: m.init(X, short, seed=0),
    }
    _user_error(actions[call])


@pytest.mark.parametrize(
    ("name", "key", "shape"),
    [
        ("logistic", "w", (M + 1,)),
        ("logistic", "w", (M, 1)),
        ("linear", "w", (M - 1,)),
        ("softmax", "W", (M + 1, 3)),
        ("softmax", "b", (2,)),
        ("mlp", "W1", (M, 5)),
        ("mlp", "w2", (3,)),
    ],
)
def test_params_of_the_wrong_shape_to_gradient(name: str, key: str, shape: tuple[int, ...]) -> None:
    """m.gradient (and m.cost) with one parameter of the wrong shape raises a user error."""
    ref = R.reference(name)
    X, y = _data(ref, 3)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(42))
    p[key] = np.ones(shape)
    m = _api(ref)
    _user_error(lambda: m.gradient(X, y, **p))
    _user_error(lambda: m.cost(X, y, **p))


@pytest.mark.parametrize("name", ["logistic", "linear", "softmax"])
@pytest.mark.parametrize("call", ["cost", "fit"])
def test_nan_in_X(name: str, call: str) -> None:
    """A NaN in X: cost and fit raise a user error (rather than returning nan)."""
    ref = R.reference(name)
    X, y = _data(ref, 3)
    p = R.random_params(ref.shapes(X, y), np.random.default_rng(43))
    X = X.copy()
    X[2, 1] = np.nan
    m = _api(ref)
    _user_error((lambda: m.cost(X, y, **p)) if call == "cost" else (lambda: m.fit(X, y, max_iter=3)))


@pytest.mark.parametrize(
    ("name", "options"),
    [("logistic_l2", {"lam": -0.1}), ("mlp", {"hidden": 0}), ("mlp", {"activation": "foo"})],
    ids=["lam<0", "hidden=0", "activation=foo"],
)
def test_bad_model_options(name: str, options: dict[str, Any]) -> None:
    """lam < 0, hidden = 0 and activation = "foo" raise a user error (at construction or first use)."""
    X, y = _data(R.reference("logistic"), 0)
    _user_error(_whole_use(name, X, y, **options))
