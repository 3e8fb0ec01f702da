"""Time per derivation as a ratio to plain ``sympy.diff`` + ``sympy.latex``, measured in the same run.

    python benchmarks/bench_derivative.py [--corpus N] [--repeats R]

Parse, derive+verify and render are timed separately; the reference is SymPy's derivative and
its LaTeX for the same expression. SymPy's cache is cleared before every timed call on both
sides, so neither side is timed on remembered results. Also times the command line against a
bare ``python -c "import sympy"``. Medians throughout: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import timed  # noqa: E402

from stepsolver import differentiate, parse  # noqa: E402
from stepsolver.functions import to_elementary  # noqa: E402
from stepsolver.lecture import LECTURE_EXAMPLES  # noqa: E402
from tests.test_corpus import CORPUS  # noqa: E402


def measure(texts: list[str], repeats: int) -> dict[str, list[float]]:
    rows: dict[str, list[float]] = {"parse": [], "derive_verify": [], "render": [], "reference": [], "ratio": []}
    x = sp.Symbol("x", real=True)
    for text in texts:
        expr = parse(text)
        plain = to_elementary(expr.doit())
        reference = timed(lambda plain=plain: sp.latex(sp.diff(plain, x)), repeats)
        parse_time = timed(lambda text=text: parse(text), repeats)
        derive_time = timed(lambda expr=expr: differentiate(expr), repeats)
        derivation = differentiate(expr)
        render_time = timed(lambda d=derivation: d.to_latex(), repeats)
        rows["parse"].append(parse_time)
        rows["derive_verify"].append(derive_time)
        rows["render"].append(render_time)
        rows["reference"].append(reference)
        rows["ratio"].append((derive_time + render_time) / reference)
    return rows


def report(name: str, rows: dict[str, list[float]]) -> None:
    ms = {key: statistics.median(values) * 1000 for key, values in rows.items() if key != "ratio"}
    ratios = sorted(rows["ratio"])
    print(f"{name} ({len(ratios)} expressions), medians:")
    print(
        f"  parse {ms['parse']:.2f} ms | derive+verify {ms['derive_verify']:.2f} ms | render {ms['render']:.2f} ms"
        f" | sympy.diff+latex {ms['reference']:.2f} ms"
    )
    print(
        f"  (derive+verify+render) / (sympy.diff+latex): median {statistics.median(ratios):.1f}x,"
        f" p90 {ratios[int(0.9 * (len(ratios) - 1))]:.1f}x, max {ratios[-1]:.1f}x"
    )


def compare_readers(texts: list[str], repeats: int) -> None:
    """The Lark reader against latex2sympy2 on the same inputs (latex2sympy2 cannot read some)."""
    lark_times, l2s_times = [], []
    for text in texts:
        try:
            parse(text, "latex2sympy2")
        except Exception:  # its failures are its limits, not this benchmark's
            continue
        l2s_times.append(timed(lambda text=text: parse(text, "latex2sympy2"), repeats))
        lark_times.append(timed(lambda text=text: parse(text, "latex"), repeats))
    ratio = statistics.median(l2s_times) / statistics.median(lark_times)
    print(
        f"readers ({len(lark_times)} of {len(texts)} inputs latex2sympy2 reads): Lark"
        f" {statistics.median(lark_times) * 1000:.2f} ms, latex2sympy2 {statistics.median(l2s_times) * 1000:.2f} ms"
        f" per expression ({ratio:.0f}x)"
    )


def run_times(command: list[str], repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of a command; CPU time is the
    steadier of the two on a shared machine. Bytecode is allowed and warmed by a first untimed
    run, as in an installed package (pip compiles it): with PYTHONDONTWRITEBYTECODE set, every
    start would time compiling the source instead."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, capture_output=True, env=env)
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=int, default=80, help="how many generated expressions")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    differentiate("x^2 \\sin x")  # warm imports and the grammar, as a running process would be
    report("lecture", measure(LECTURE_EXAMPLES, args.repeats))
    report("corpus", measure([sp.latex(e) for e in CORPUS[: args.corpus]], args.repeats))

    compare_readers([sp.latex(e) for e in CORPUS[: args.corpus]], args.repeats)
    l2s_import, _ = run_times([sys.executable, "-c", "import latex2sympy2"], args.repeats)

    cli, cli_cpu = run_times([sys.executable, "-m", "stepsolver", "diff", "x^2 \\sin x"], args.repeats)
    bare, bare_cpu = run_times([sys.executable, "-c", "import sympy"], args.repeats)
    print(
        f"CLI: stepsolver diff 'x^2 \\sin x' {cli * 1000:.0f} ms, python -c 'import sympy' {bare * 1000:.0f} ms,"
        f" ratio {cli / bare:.2f}x; CPU time ratio {cli_cpu / bare_cpu:.2f}x"
        f" (import latex2sympy2 alone: {l2s_import * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
