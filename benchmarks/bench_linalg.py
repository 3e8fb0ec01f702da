"""The heavier linear-algebra operations (inverse, det, eigen, SVD) on exact 2×2 … 6×6 matrices, as
a ratio to the bare SymPy call in the same run.

    python benchmarks/bench_linalg.py [--sizes 2,3,4,5,6] [--repeats R]

Ours is the whole worked solution: every row operation, the characteristic polynomial, each
Av = λv and UΣVᵀ = A check, and the verification of every step. The reference is SymPy's
``inv()``, ``det()``, ``eigenvects()`` and ``singular_value_decomposition()`` on the same matrix. The
matrices have exact, presentable answers: P·D·P⁻¹ with a whole-number P of determinant 1 for
eigen (rational eigenvalues), and Q₁·D·Q₂ᵀ with rational orthogonal Q (Cayley transforms) for
the SVD. Medians; SymPy's cache is cleared before every timed call on both sides.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import timed  # noqa: E402

from stepsolver import linalg  # noqa: E402


def unimodular(n: int, rng: random.Random) -> sp.Matrix:
    lower = sp.Matrix(n, n, lambda i, j: 1 if i == j else (rng.randint(-1, 1) if i > j else 0))
    return lower * lower.T


def rational_orthogonal(n: int, rng: random.Random) -> sp.Matrix:
    upper = sp.Matrix(n, n, lambda i, j: rng.randint(-1, 1) if i < j else 0)
    skew = upper - upper.T
    return (sp.eye(n) - skew) * (sp.eye(n) + skew).inv()


def matrices(n: int, rng: random.Random) -> dict[str, sp.Matrix]:
    while True:
        invertible = sp.Matrix(n, n, lambda i, j: rng.randint(-4, 4))
        if invertible.det() != 0:
            break
    P = unimodular(n, rng)
    diagonal = sp.diag(*rng.sample(range(-6, 7), n))
    singular = sp.diag(*rng.sample(range(1, 9), n))
    return {
        "inverse": invertible,
        "det": invertible,
        "eigen": P * diagonal * P.inv(),
        "svd": rational_orthogonal(n, rng) * singular * rational_orthogonal(n, rng).T,
    }


REFERENCE = {
    "inverse": lambda M: M.inv(),
    "det": lambda M: M.det(),
    "eigen": lambda M: M.eigenvects(),
    "svd": lambda M: M.singular_value_decomposition(),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,3,4,5,6")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20261126)
    print(f"{'n':>2} {'operation':>9} {'ours ms':>10} {'sympy ms':>10} {'ratio':>8}")
    ratios: dict[str, list[float]] = {"inverse": [], "det": [], "eigen": [], "svd": []}
    for n in (int(size) for size in args.sizes.split(",")):
        for name, M in matrices(n, rng).items():
            data = M.tolist()
            ours = timed(lambda name=name, data=data: linalg.OPERATIONS[name](data), args.repeats)
            reference = timed(lambda name=name, M=M: REFERENCE[name](sp.Matrix(M)), args.repeats)
            ratios[name].append(ours / reference)
            print(f"{n:>2} {name:>9} {1000 * ours:>10.1f} {1000 * reference:>10.1f} {ours / reference:>7.1f}×")
    for name, values in ratios.items():
        print(f"{name}: median ratio {statistics.median(values):.1f}× over sizes {args.sizes}")


if __name__ == "__main__":
    main()
