"""Golden outputs: what a user sees, recorded once and compared byte for byte by tests/test_golden.py.

They guard a redesign that must change nothing a user sees (the demo in every format, the README's
examples, 200 corpus derivations, 50 answer checks, 10 graphs, 20 linear-algebra operations).
Record again only for an intended change, and say why in the commit:

    python -m tests.golden.record            # every group
    python -m tests.golden.record checks     # one group
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

GRAPHS = [
    ("x(\\ln(3y) + z^2)", "x=2,y=2,z=3"), ("x^2 y + y^3", "x=1,y=2"), ("\\sigma(w x + b)", "w=1,x=2,b=-1"),
    ("\\sin(x) \\cos(y)", "x=0,y=0"), ("(x + y)^2", "x=1,y=-1"), ("e^{x y}", "x=1,y=0"),
    ("\\ln(1 + e^{x})", "x=0"), ("x y z", "x=1,y=2,z=3"), ("\\frac{x}{y}", "x=1,y=2"), ("|x| + y", "x=2,y=1"),
]  # fmt: skip
LINALG = [
    ("add", "[1,2]", "[3,4]"), ("scale", "3", "[1,-2]"), ("trace", "[[1,2],[3,4]]"), ("transpose", "[[1,2,3],[4,5,6]]"),
    ("dot", "[1,2,3]", "[4,5,6]"), ("outer", "[1,2]", "[3,4]"), ("matmul", "[[1,2],[3,4]]", "[[0,1],[1,0]]"),
    ("inverse", "[[2,1],[1,1]]"), ("rank", "[[1,2],[2,4]]"), ("independence", "[1,0]", "[0,1]"),
    ("solve", "[[2,1],[1,3]]", "[3,5]"), ("norm", "[3,-4]"), ("unit_vector", "[3,4]"), ("frobenius", "[[1,2],[3,4]]"),
    ("eigen", "[[4,2],[2,1]]"), ("svd", "[[3,0],[0,4]]"), ("is_symmetric", "[[1,2],[2,1]]"),
    ("is_orthogonal", "[[0,1],[1,0]]"), ("is_identity", "[[1,0],[0,1]]"), ("inverse", "[[1/2,1],[0,3]]"),
]  # fmt: skip


def run(argv: list[str]) -> str:
    """What `stepsolver ARGV` prints (stdout, then stderr) and its exit status, in this process."""
    from stepsolver.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return f"{out.getvalue()}{err.getvalue()}[exit {status}]"


def commands() -> dict[str, dict[str, list[str]]]:
    sys.path.insert(0, str(HERE.parent.parent))
    import sympy as sp

    from tests.check_cases import all_cases
    from tests.test_corpus import CORPUS
    from tests.test_readme import _examples

    groups: dict[str, dict[str, list[str]]] = {
        "demo": {f"demo {f}": ["demo", "--format", f] for f in ("text", "latex", "markdown", "json")},
        "readme": {c: shlex.split(c)[1:] for c, _ in _examples()},
        "corpus": {},
        "checks": {},
        "graphs": {},
        "linalg": {},
    }
    for expr in CORPUS[:200]:
        latex = sp.latex(expr)
        groups["corpus"][f"diff {latex}"] = ["diff", latex]
        groups["corpus"][f"diff {latex} --format json"] = ["diff", latex, "--format", "json"]
    for answer, problem, _ in all_cases()[:50]:
        argv = ["check", f"--answer={answer}"] + [f"--{k.replace('_', '-')}={v}" for k, v in problem.items()]
        groups["checks"][" ".join(argv)] = [*argv, "--format", "json"]
    for expr, at in GRAPHS:
        groups["graphs"][f"graph {expr} --at {at}"] = ["graph", expr, "--at", at]
        groups["graphs"][f"graph {expr} --at {at} --format json"] = ["graph", expr, "--at", at, "--format", "json"]
    for op, *args in LINALG:
        groups["linalg"][f"linalg {op} {' '.join(args)}"] = ["linalg", op, *args]
        groups["linalg"][f"linalg {op} {' '.join(args)} --format json"] = ["linalg", op, *args, "--format", "json"]
    return groups


def main(groups: list[str] | None = None) -> None:
    for group, table in commands().items():
        if groups and group not in groups:
            continue
        recorded = {name: run(argv) for name, argv in table.items()}
        (HERE / f"{group}.json").write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{group}: {len(recorded)} outputs")


if __name__ == "__main__":
    main(sys.argv[1:] or None)
