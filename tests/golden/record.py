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
        # a fit and a handout print their own time, and the handout's grading needs the handout: their
        # README lines are checked by test_readme, not byte for byte here
        "readme": {c: shlex.split(c)[1:] for c, _ in _examples()
                   if "--fit" not in c and not c.startswith(("stepsolver handout", "stepsolver grade"))},
        "corpus": {},
        "checks": {},
        "graphs": {},
        "linalg": {},
        "formats": {},
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
    # every result type in every format it has, so that moving output into render/ changes nothing
    for fmt in ("text", "latex", "markdown", "json"):
        for argv in (
            ["slope", "x^2 + 1", "--at", "2"], ["slope", "\\sin x", "--at", "1", "--central", "--h", "0.1"],
            ["grad", "x^2 y + y^3", "--at", "x=1,y=2"], ["grad", "x y + \\ln(x)"],
            ["grad", "x^2 y + y^3", "--hessian", "--at", "x=1,y=2"],
            ["graph", "x(\\ln(3y) + z^2)", "--at", "x=1,y=2,z=3", "--forward-mode", "x"],
            ["graph", "x y + y"], ["linalg", "svd", "[[3,0],[0,4]]"], ["linalg", "eigen", "[[2,0],[0,3]]"],
            ["demo", "--topic", "slopes"], ["demo", "--topic", "graphs"], ["demo", "--topic", "linalg"],
            ["slope", "|x|", "--at", "0"], ["diff", "x^2 y^3", "--wrt", "x,y"],
            ["linalg", "det", "[[2,1,0],[1,3,1],[0,1,4]]"],
        ):  # fmt: skip
            groups["formats"][" ".join([*argv, "--format", fmt])] = [*argv, "--format", fmt]
        for argv in (["slope", "x^2 + 1", "--at", "2"], ["graph", "x y + y", "--at", "x=1,y=2"]):
            if fmt == "latex":
                standalone = [*argv, "--format", fmt, "--standalone"]
                groups["formats"][" ".join(standalone)] = standalone
    for argv in (
        ["graph", "x(\\ln(3y) + z^2)", "--at", "x=1,y=2,z=3", "--picture", "tikz"],
        ["graph", "x(\\ln(3y) + z^2)", "--at", "x=1,y=2,z=3", "--picture", "svg"],
        ["slope", "x^2 + 1", "--at", "2", "--picture", "svg"],
        ["slope", "x^2 + 1", "--at", "2", "--picture", "pgfplots"],
        ["slope", "|x|", "--at", "0", "--picture", "svg"], ["slope", "|x|", "--at", "0", "--picture", "pgfplots"],
        ["check", "--answer", "2x", "--derivative-of", "x^2"], ["check", "--answer", "x", "--derivative-of", "x^2"],
        ["check", "--answer", "e^x x", "--derivative-of", "e^x x"],
        ["check", "--answer", "2e^x", "--derivative-of", "2 e^x x", "--format", "json"],
        ["diff", "x^2 \\sin x", "--format", "latex", "--standalone"],
        ["linalg", "property", "trace_sum", "[[0,2],[3,0]]", "[[0,0],[2,0]]", "--format", "markdown"],
    ):  # fmt: skip
        groups["formats"][" ".join(argv)] = argv
    return groups


def python_reprs() -> dict[str, str]:
    """What a notebook shows: the rich-display and to_* conveniences of each result type."""
    import stepsolver as s
    from stepsolver import linalg
    from stepsolver.errors import FormatNotAvailable

    results = {
        "derivative": s.differentiate("x^2 e^x"), "graph": s.computation_graph("x y + y", at="x=1,y=2"),
        "slope": s.slope("x^2", at=1), "gradient": s.gradient("x^2 y", at="x=1,y=1"), "hessian": s.hessian("x^2 y"),
        "check": s.check_answer("2x", derivative_of="x^2"), "linalg": linalg.inverse([[2, 1], [1, 1]]),
        "kink": s.slope("|x|", at=0), "mixed": s.differentiate("x^2 y", wrt="x,y"),
    }  # fmt: skip
    out = {}
    for name, result in results.items():
        for method in ("to_text", "to_latex", "to_markdown", "to_json", "to_dict", "_repr_latex_", "_repr_markdown_",
                       "_repr_html_", "to_html", "__str__", "to_svg", "to_tikz"):  # fmt: skip
            if hasattr(result, method):
                try:
                    value = getattr(result, method)()
                except FormatNotAvailable:
                    continue  # every result has every convenience; this type has no such rendering
                if value is None:
                    continue  # a notebook hook's "no such view": Jupyter shows another
                out[f"{name}.{method}"] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return out


def outputs(group: str, table: dict[str, list[str]]) -> dict[str, str]:
    """The outputs of a group's commands (and, for the formats group, of the Python conveniences)."""
    recorded = {name: run(argv) for name, argv in table.items()}
    if group == "formats":
        recorded |= {f"python {name}": value for name, value in python_reprs().items()}
    return recorded


def main(groups: list[str] | None = None) -> None:
    for group, table in commands().items():
        if groups and group not in groups:
            continue
        recorded = outputs(group, table)
        (HERE / f"{group}.json").write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{group}: {len(recorded)} outputs")


if __name__ == "__main__":
    main(sys.argv[1:] or None)
