"""Building handouts: the lecture's set, and 30 seeded variants of the homework (with and without
the Moodle quiz), as a ratio to a bare reference measured in the same run.

    python benchmarks/bench_handout.py [--repeats R] [--variants N]

Ours is the command a teacher runs, `stepsolver handout … --out DIR`, in a fresh process: every
problem drawn and worked step by step, every step verified, the sheet, solutions, key and exam
written from their templates, handout.json (and, with --moodle, each derivative's wrong options
from the mistake engine, each one compared with the key). The reference is what any tool must do
at the least, also in a fresh process: import SymPy and our reader, read each drawn derivative
problem, ``sympy.diff`` it and print function and answer with ``sympy.latex``. Both sides start
cold (no cache of any kind survives a process). LaTeX is not compiled (that is pdflatex's time).
Medians of several runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import timed  # noqa: E402

from stepsolver.handout.draw import draw  # noqa: E402
from stepsolver.handout.problems import load_yaml, problem_set, read_problem_set, substitute  # noqa: E402
from stepsolver.handout.run import lecture_problem_set_text  # noqa: E402
from stepsolver.parse import parse  # noqa: E402

HOMEWORK = ROOT / "examples" / "homework.yaml"


def reference(functions: list[tuple[str, str]]) -> None:
    """SymPy alone: read each function, differentiate it, print both as LaTeX."""
    for text, wrt in functions:
        f = parse(text)
        x = next((s for s in f.free_symbols if s.name == wrt), sp.Symbol(wrt, real=True))
        sp.latex(f), sp.latex(sp.diff(f, x))


def derivative_problems(problems: object, variants: int, seed: int) -> list[tuple[str, str]]:
    """The drawn functions of every single-variable derivative part, as the reference gets them."""
    out = []
    for variant in draw(problems, variants, seed):  # type: ignore[arg-type]
        for drawn in variant.problems:
            for part in drawn.problem.parts:
                wrt = part.fields.get("wrt", "x")
                if part.kind == "derivative" and isinstance(wrt, str) and "," not in wrt:
                    out.append((substitute(part.fields["f"], drawn.values), wrt))
    return out


def _run(argv: list[str]) -> None:
    subprocess.run([sys.executable, *argv], check=True, capture_output=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--variants", type=int, default=30)
    parser.add_argument("--reference", metavar="FUNCTIONS.json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:  # the reference's own process: read, differentiate, print
        reference([tuple(pair) for pair in json.loads(Path(args.reference).read_text())])
        return
    me = str(Path(__file__).resolve())
    n = str(args.variants)
    lecture = problem_set(load_yaml(lecture_problem_set_text(), "lecture.yaml"))
    homework = read_problem_set(HOMEWORK)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        handout = ["-m", "stepsolver", "handout"]
        drawn = [derivative_problems(lecture, 1, 0), derivative_problems(homework, args.variants, 7)]
        for index, functions in enumerate(drawn):
            Path(folder, f"functions{index}.json").write_text(json.dumps(functions))
        for name, ours, ref in [
            ("lecture handout (12 problems, 45 parts)", [*handout, "--out", f"{folder}/l"], 0),
            (f"homework, {n} variants", [*handout, str(HOMEWORK), "--out", f"{folder}/h", "--variants", n,
                                         "--seed", "7"], 1),
            (f"homework, {n} variants + Moodle quiz", [*handout, str(HOMEWORK), "--out", f"{folder}/m",
                                                      "--variants", n, "--seed", "7", "--moodle"], 1),
        ]:  # fmt: skip
            mine = timed(lambda a=ours: _run(a), args.repeats)
            theirs = timed(lambda r=ref: _run([me, "--reference", f"{folder}/functions{r}.json"]), args.repeats)
            rows.append((name, mine, theirs, len(drawn[ref])))
    print(f"{'build (fresh process each)':48} {'stepsolver':>11} {'sympy.diff':>11} {'ratio':>7}  derivatives")
    for name, mine, theirs, count in rows:
        print(f"{name:48} {mine:10.2f}s {theirs:10.2f}s {mine / theirs:6.1f}×  {count}")
    print(f"(medians of {args.repeats} runs, each in a process of its own, imports included on both sides)")


if __name__ == "__main__":
    main()
