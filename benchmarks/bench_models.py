"""The compiled closed-form logistic gradient at n = 10⁶, m = 100 (float64) against the two-pass
memory-bandwidth bound measured in the same run (NumPy reading X twice: X @ w, then v @ X), and
against NumPy's naive closed form and torch.autograd (where torch is installed); then the fit on
the breast-cancer data (tests/data) against scikit-learn's lbfgs. Medians of several runs.

    python benchmarks/bench_models.py [--n 1000000] [--m 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from stepsolver import model


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def interleaved(fns: list, repeat: int) -> list[float]:
    """Medians of each fn, run in turn within every repetition: the machine's drift (another
    process, the memory's state) falls on all of them alike, not on whichever ran last."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for index, fn in enumerate(fns):
            started = time.perf_counter()
            fn()
            times[index].append(time.perf_counter() - started)
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--m", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.n, args.m))
    y = (rng.random(args.n) < 0.5).astype(float)
    w, b = rng.normal(scale=0.1, size=args.m), 0.1
    m = model("logistic")
    m.gradient(X[:100], y[:100], w=w, b=b)  # derive and compile once, outside the timing
    v = rng.normal(size=args.n)

    def bound() -> None:
        X @ w
        v @ X

    def naive() -> None:
        r = 1 / (1 + np.exp(-(X @ w + b))) - y
        X.T @ r / args.n, r.mean()

    reference, ours, plain = interleaved([bound, lambda: m.gradient(X, y, w=w, b=b), naive], args.repeat)
    print(f"n = {args.n}, m = {args.m}, float64, median of {args.repeat}")
    print(f"two-pass bound (X @ w, v @ X): {reference * 1e3:8.1f} ms")
    print(f"compiled closed form (ours):    {ours * 1e3:8.1f} ms   {ours / reference:.2f}x the bound")
    print(f"NumPy naive closed form:        {plain * 1e3:8.1f} ms   {plain / reference:.2f}x the bound")
    fit_times(args.repeat)
    try:
        import torch
    except ImportError:
        print("torch is not installed: no autograd comparison")
        return
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)

    def autograd() -> None:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(Xt @ wt + bt, yt)
        wt.grad = bt.grad = None
        loss.backward()

    auto = median_time(autograd, args.repeat)
    print(f"torch.autograd:                 {auto * 1e3:8.1f} ms   {auto / reference:.2f}x the bound")


def fit_times(repeat: int) -> None:
    """Gradient descent with the derived gradient on the breast-cancer data, against lbfgs."""
    from pathlib import Path

    from stepsolver.models.data import read_table

    table = read_table(Path(__file__).resolve().parent.parent / "tests" / "data" / "breast_cancer.csv",
                       target="malignant", task="binary")  # fmt: skip
    m = model("logistic")
    ours = median_time(lambda: m.fit(table.X, table.y, lr=4.0, tol=1e-10, standardize=True), repeat)
    r = m.fit(table.X, table.y, lr=4.0, tol=1e-10, standardize=True)
    print(f"fit on breast_cancer.csv (569×3), standardised, α = 4: {ours * 1e3:.1f} ms, {r.iterations} iterations")
    try:
        import warnings

        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("scikit-learn is not installed: no lbfgs comparison")
        return

    def lbfgs() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-10, max_iter=100_000).fit(table.X, table.y)

    theirs = median_time(lbfgs, repeat)
    print(f"scikit-learn LogisticRegression(C=np.inf, lbfgs), raw features: {theirs * 1e3:.1f} ms  "
          f"(ours / theirs = {ours / theirs:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
