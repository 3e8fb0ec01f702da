"""Answer checking: single-answer latency in a warm process (p50, p95) and batch throughput on
1,000 generated submissions with repeats, both against the naive checker ``simplify(a - b) == 0``
measured in the same run.

    python benchmarks/bench_check.py [--submissions 1000] [--repeats 3]

The answers are the test set of tests/check_cases.py (derivative problems: equivalent forms,
near misses, domain traps, decimals). The naive checker reads the same LaTeX with the same
parser, so only the checking is compared. Batch grading runs each answer in a child process
with hard time and memory limits on both cores; a repeated answer is checked once.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stepsolver import differentiate, parse  # noqa: E402
from stepsolver.check import check_answer  # noqa: E402
from stepsolver.check.grade import Submission, grade  # noqa: E402
from stepsolver.functions import to_elementary  # noqa: E402
from tests.check_cases import all_cases  # noqa: E402


def naive(answer: str, problem: dict[str, str]) -> str:
    try:
        a = to_elementary(parse(answer).doit())
    except Exception:
        return "unparseable"
    reference = parse(problem["expected"]) if "expected" in problem else differentiate(problem["derivative_of"]).result
    return "correct" if sp.simplify(a - to_elementary(reference.doit())) == 0 else "incorrect"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cases = [c for c in all_cases() if "assume" not in c[1]]
    for answer, problem, _ in cases[:5]:  # warm up: imports, parser tables, SymPy caches
        check_answer(answer, expected=problem.get("expected"), derivative_of=problem.get("derivative_of"))
    ours, theirs = [], []
    wrong_ours = wrong_naive = 0
    for answer, problem, expected in cases:
        for _ in range(args.repeats):
            start = time.perf_counter()
            got = check_answer(answer, expected=problem.get("expected"), derivative_of=problem.get("derivative_of"))
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            naive_verdict = naive(answer, problem)
            theirs.append(time.perf_counter() - start)
        wrong_ours += got.verdict != expected
        wrong_naive += naive_verdict != expected
    print(f"single answer, warm ({len(cases)} answers × {args.repeats}):")
    print(f"  ours  p50 {1000 * statistics.median(ours):.1f} ms, p95 {1000 * percentile(ours, 0.95):.1f} ms, "
          f"wrong verdicts {wrong_ours}/{len(cases)}")  # fmt: skip
    print(f"  naive p50 {1000 * statistics.median(theirs):.1f} ms, p95 {1000 * percentile(theirs, 0.95):.1f} ms, "
          f"wrong verdicts {wrong_naive}/{len(cases)}")  # fmt: skip
    rng = random.Random(20261126)
    problems = {f"p{i}": problem for i, (_, problem, _) in enumerate(cases)}
    chosen = [rng.randrange(len(cases)) for _ in range(args.submissions)]
    submissions = [Submission(f"s{n}", f"p{i}", cases[i][0]) for n, i in enumerate(chosen)]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        for _ in grade(submissions, problems, Path(folder) / "grades.csv", workers=2, progress=False):
            pass
        batch = time.perf_counter() - start
    start = time.perf_counter()
    for submission in submissions:
        naive(submission.answer, problems[submission.problem])
    naive_batch = time.perf_counter() - start
    distinct = len({(s.problem, s.answer) for s in submissions})
    print(f"batch of {len(submissions)} ({distinct} distinct answers), 2 workers: {batch:.1f} s, "
          f"{len(submissions) / batch:.0f} answers/s; naive, one core: {naive_batch:.1f} s, "
          f"{len(submissions) / naive_batch:.0f} answers/s")  # fmt: skip


if __name__ == "__main__":
    main()
