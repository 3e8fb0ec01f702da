"""The compiled closed-form logistic gradient at n = 10⁶, m = 100 (float64) against the two-pass
memory-bandwidth bound measured in the same run (NumPy reading X twice: X @ w, then v @ X), and
against NumPy's naive closed form; medians of several runs.

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

    reference = median_time(bound, args.repeat)
    ours = median_time(lambda: m.gradient(X, y, w=w, b=b), args.repeat)
    plain = median_time(naive, args.repeat)
    print(f"n = {args.n}, m = {args.m}, float64, median of {args.repeat}")
    print(f"two-pass bound (X @ w, v @ X): {reference * 1e3:8.1f} ms")
    print(f"compiled closed form (ours):    {ours * 1e3:8.1f} ms   {ours / reference:.2f}x the bound")
    print(f"NumPy naive closed form:        {plain * 1e3:8.1f} ms   {plain / reference:.2f}x the bound")
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


if __name__ == "__main__":
    main()
