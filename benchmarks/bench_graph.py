"""Backward pass on computation graphs of n nodes: does it scale linearly, and what does it cost
against plain ``sympy.diff`` for all partial derivatives (evaluated at the same point)?

    python benchmarks/bench_graph.py [--sizes 10,30,100,300,1000] [--repeats R]

The graphs are sums of small terms over three inputs x, y, z that share sub-terms (x·y is one
node used by many), summed as a balanced tree so that no node has hundreds of children. For
each size: the whole ``computation_graph`` (build, forward pass, reverse-mode backward pass with
every local derivative worked by the step engine, verification of every step), the time per
node, and the ratio to ``[sympy.diff(f, v).subs(point) for v in (x, y, z)]`` in the same run.
Medians over the repeats; SymPy's cache is cleared before every timed call on both sides.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import timed  # noqa: E402

from stepsolver import computation_graph, parse  # noqa: E402
from stepsolver.graph.model import build_graph  # noqa: E402

X, Y, Z = sp.symbols("x y z", real=True)
POINT = {"x": sp.Rational(1, 2), "y": 1, "z": 2}


def _term(k: int) -> sp.Expr:
    shapes = [
        lambda: sp.sin(X * Y + k),
        lambda: sp.exp(-Z / (k + 1)) * X,
        lambda: sp.log(Y**2 + k),
        lambda: (Z + k) ** 2 * Y,
        lambda: sp.cos(X * Z - k),
    ]
    return shapes[k % len(shapes)]()


def _balanced_sum(terms: list[sp.Expr]) -> sp.Expr:
    while len(terms) > 1:
        terms = [sp.Add(*terms[i : i + 2], evaluate=False) for i in range(0, len(terms), 2)]
    return terms[0]


def graph_of_size(n: int) -> sp.Expr:
    """The smallest expression of this family whose graph has at least n nodes."""
    count = 1
    while True:
        f = _balanced_sum([_term(k) for k in range(count)])
        if len(build_graph(parse(f)).nodes) >= n:
            return f
        count = max(count + 1, int(count * 1.3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,30,100,300,1000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    point = {s: sp.sympify(POINT[s.name]) for s in (X, Y, Z)}
    print(f"{'nodes':>6} {'graph s':>9} {'ms/node':>8} {'sympy.diff ms':>14} {'ratio':>8}")
    per_node = []
    for n in (int(size) for size in args.sizes.split(",")):
        f = graph_of_size(n)
        nodes = len(build_graph(parse(f)).nodes)
        repeats = args.repeats if nodes <= 300 else max(1, args.repeats // 2)
        ours = timed(lambda f=f: computation_graph(f, at=POINT), repeats)
        reference = timed(lambda f=f: [sp.diff(f, v).subs(point) for v in (X, Y, Z)], max(repeats, 5))
        per_node.append(ours / nodes)
        print(
            f"{nodes:>6} {ours:>9.2f} {1000 * ours / nodes:>8.1f} {1000 * reference:>14.2f} {ours / reference:>8.0f}×"
        )
    spread = max(per_node) / min(per_node)
    print(f"time per node varies by {spread:.2f}× from the smallest to the largest graph (1.0× = exactly linear)")


if __name__ == "__main__":
    main()
