"""Sequences of partials and one-sided slopes, as a ratio to SymPy doing the bare computation in
the same run.

    python benchmarks/bench_partials.py [--repeats R]

Ours: ``differentiate(f, wrt=[x, y, …])`` — every partial worked step by step, the other order
worked too as the Schwarz check, every step verified — and ``slope(f, a)`` at a kink — both
one-sided quotients simplified and taken to their limits, verified, and a table. The reference
is ``sympy.diff(f, x, y, …)`` and SymPy's two one-sided ``limit`` calls of the difference
quotient. Medians; SymPy's cache is cleared before every timed call on both sides.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import timed  # noqa: E402

from stepsolver import differentiate, parse, slope  # noqa: E402
from stepsolver.functions import to_elementary  # noqa: E402

x, y, z, h = sp.symbols("x y z h", real=True)
PARTIALS = [
    ("x^2 y^3 + \\sin(x y)", (x, y)), ("e^{x y} \\cos(x)", (y, x)), ("\\frac{x}{1 + y^2}", (x, y, x)),
    ("\\ln(1 + x^2 + y^2)", (x, y)), ("x y z + \\tanh(x + 2z)", (x, y, z)),
]  # fmt: skip
KINKS = [("|x|", 0), ("\\operatorname{ReLU}(x)", 0), ("|x^2 - 1|", 1), ("\\sqrt{|x|}", 0), ("\\max(x, x^2)", 1)]


def one_sided_limits(f: sp.Expr, a: int) -> tuple[sp.Expr, sp.Expr]:
    """SymPy's limit from each side; max must be rewritten as a piecewise first (else SymPy's
    limit raises NotImplementedError on max(1 + h, (1 + h)²))."""
    elementary = to_elementary(f).rewrite(sp.Piecewise) if f.has(sp.Max) else to_elementary(f)
    quotient = (elementary.subs(x, a + h) - elementary.subs(x, a)) / h
    return sp.limit(quotient, h, 0, "-"), sp.limit(quotient, h, 0, "+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'problem':>40} {'ours ms':>9} {'sympy ms':>9} {'ratio':>7}")
    ratios: dict[str, list[float]] = {"partials": [], "kinks": []}
    for text, order in PARTIALS:
        f = parse(text)
        ours = timed(lambda text=text, order=order: differentiate(text, wrt=list(order)), args.repeats)
        reference = timed(lambda f=f, order=order: sp.diff(f, *order), args.repeats)
        ratios["partials"].append(ours / reference)
        name = f"{text} wrt {','.join(map(str, order))}"
        print(f"{name:>40} {1000 * ours:>9.1f} {1000 * reference:>9.1f} {ours / reference:>6.0f}×")
    for text, a in KINKS:
        f = parse(text)
        ours = timed(lambda text=text, a=a: slope(text, a), args.repeats)
        reference = timed(lambda f=f, a=a: one_sided_limits(f, a), args.repeats)
        ratios["kinks"].append(ours / reference)
        name = f"slope {text} at {a}"
        print(f"{name:>40} {1000 * ours:>9.1f} {1000 * reference:>9.1f} {ours / reference:>6.0f}×")
    for name, values in ratios.items():
        print(f"{name}: median ratio {statistics.median(values):.0f}×")


if __name__ == "__main__":
    main()
