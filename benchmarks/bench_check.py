"""Answer checking: single-answer latency in a warm process (p50, p95) and batch throughput on
1,000 generated submissions with repeats, both against the naive checker ``simplify(a - b) == 0``
measured in the same run.

    python benchmarks/bench_check.py [--submissions 1000] [--repeats 3]

The answers are the test set of tests/check_cases.py (derivative problems: equivalent forms,
near misses, domain traps, decimals). The naive checker reads the same LaTeX with the same
parser, so only the checking is compared. The batch part (``batch``) grades 1,000 rows on 100
derivative problems (right answers in several forms, near misses, the product rule's mistake,
wrong answers of growing size) with the warm worker pool on 2 cores, twice: the two grade files
must be byte-identical, and no row may be undecided that a single warm check decides.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stepsolver import differentiate, parse  # noqa: E402
from stepsolver.check import check_answer  # noqa: E402
from stepsolver.functions import to_elementary  # noqa: E402
from tests.check_cases import all_cases  # noqa: E402


def naive(answer: str, problem: dict[str, str]) -> str:
    try:
        a = to_elementary(parse(answer).doit())
    except Exception:
        return "unparseable"
    reference = parse(problem["expected"]) if "expected" in problem else differentiate(problem["derivative_of"]).result
    return "correct" if sp.simplify(a - to_elementary(reference.doit())) == 0 else "incorrect"


def _problem_key(problem: dict[str, str]) -> tuple[str, str]:
    return ("expected", problem["expected"]) if "expected" in problem else ("derivative_of", problem["derivative_of"])


def single_latency(repeats: int = 5) -> None:
    """One check in a warm process, p50 and p95 over the test set's answers, each the median of
    ``repeats`` runs with SymPy's cache cleared before every run, ours and naive alike. The
    reference of a problem is worked once, outside the timing, for both (as a grader does)."""
    from benchmarks.timing import timed

    cases = [c for c in all_cases() if "assume" not in c[1]]
    references: dict[tuple[str, str], sp.Expr] = {}  # by kind too: ln(x^2) expected is not ln(x^2) differentiated
    for _, problem, _ in cases:
        key = _problem_key(problem)
        if key not in references:
            references[key] = parse(key[1]) if key[0] == "expected" else differentiate(key[1]).result
    ours, theirs = [], []
    wrong_ours = wrong_naive = 0
    for answer, problem, expected in cases:
        reference = references[_problem_key(problem)]
        check_answer(answer, expected=reference)  # warm: parser tables, imports
        ours.append(timed(lambda a=answer, r=reference: check_answer(a, expected=r), repeats))  # type: ignore[misc]
        theirs.append(timed(lambda a=answer, r=reference: naive_against(a, r), repeats))  # type: ignore[misc]
        wrong_ours += check_answer(answer, expected=reference).verdict != expected
        wrong_naive += naive_against(answer, reference) != expected
    print(f"single check, warm, SymPy cache cleared before each run ({len(cases)} answers, median of {repeats}):")
    for name, times, wrong in (("ours ", ours, wrong_ours), ("naive", theirs, wrong_naive)):
        print(f"  {name} p50 {1000 * statistics.median(times):.1f} ms, p95 {1000 * percentile(times, 0.95):.1f} ms, "
              f"wrong verdicts {wrong}/{len(cases)}")  # fmt: skip


def naive_against(answer: str, reference: sp.Expr) -> str:
    try:
        a = to_elementary(parse(answer).doit())
    except Exception:
        return "unparseable"
    return "correct" if sp.simplify(a - to_elementary(reference.doit())) == 0 else "incorrect"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    single_latency(args.repeats)
    batch(args.submissions)

# -- batch grading (1,000 rows, 100 problems, 2 cores) --------------------------------------------

BATCH_FUNCTIONS = [r"\sin x", r"\cos x", r"e^{x}", r"\ln(x^2 + 1)", r"\sqrt{x^2 + 1}"]


def batch_problems() -> dict[str, str]:
    """100 derivative problems: a·xⁿ·g(x) for 5 functions g, a = 1…5, n = 1…4."""
    problems = {}
    for g in BATCH_FUNCTIONS:
        for a in range(1, 6):
            for n in range(1, 5):
                problems[f"p{len(problems)}"] = f"{a} x^{{{n}}} {g}"
    return problems


def batch_rows(count: int, problems: dict[str, str]) -> list[tuple[str, str, str]]:
    """(student, problem, answer): right answers in several forms, near misses, the product rule's
    mistake, and wrong answers of growing size (up to 60 extra terms)."""
    x = sp.Symbol("x", real=True)
    worked = {name: to_elementary(parse(f).doit()) for name, f in problems.items()}
    rows = []
    names = list(problems)
    for i in range(count):
        name = names[i % len(names)]
        f = worked[name]
        d = sp.diff(f, x)
        kind = (i // len(names)) % 10
        if kind < 3:
            answer = [sp.latex(d), sp.latex(sp.expand(d)), sp.sstr(d)][kind]
        elif kind == 3:
            answer = sp.latex(d + 1)
        elif kind == 4:
            answer = sp.latex(-d)
        elif kind == 5:  # (fg)' as f'g', on a·xⁿ·g(x)
            a, rest = f.as_coeff_Mul()
            power, g = rest.as_two_terms() if isinstance(rest, sp.Mul) else (rest, sp.Integer(1))
            answer = sp.latex(a * sp.diff(power, x) * sp.diff(g, x))
        else:  # growing size: the derivative plus a long wrong tail
            size = 1 + i * 60 // count
            answer = sp.latex(d) + "".join(f" + \\frac{{x^{{{j}}}}}{{{j + 1}}}" for j in range(1, size + 1))
        rows.append((f"s{i // 10}", name, answer))
    return rows


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the workers, once the pool ends)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def naive_batch(rows: list[tuple[str, str, str]], problems: dict[str, str], seconds: float) -> tuple[float, int]:
    """The naive checker on every row, one core, each check with the same time limit as ours."""
    from stepsolver.core.timeout import time_limit

    start = time.perf_counter()
    timeouts = 0
    for _, name, answer in rows:
        with time_limit(seconds) as limit:
            naive(answer, {"derivative_of": problems[name]})
        timeouts += limit.expired
    return time.perf_counter() - start, timeouts


def batch(count: int = 1000, workers: int = 2, seconds: float = 2.0) -> None:
    """Grades ``count`` rows twice (the files must be byte-identical), then checks each undecided
    row once more in this warm process: a row that a single check decides must not be undecided."""
    from stepsolver.check.grade import grade, key_of, submissions

    problems = batch_problems()
    rows = batch_rows(count, problems)
    key = key_of({name: {"derivative_of": f} for name, f in problems.items()})
    items = submissions(rows)
    times, cpus, files = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(2):
            out = Path(folder) / f"grades{attempt}.csv"
            start, cpu = time.perf_counter(), _cpu()
            run = grade(items, key, out, workers=workers, seconds=seconds, progress=False)
            times.append(time.perf_counter() - start)
            cpus.append(_cpu() - cpu)
            files.append(out.read_bytes())
    differing = [(a, b) for a, b in zip(files[0].splitlines(), files[1].splitlines(), strict=True) if a != b]
    for a, b in differing[:5]:
        print(f"  differs: {a.decode()[:150]}\n       vs: {b.decode()[:150]}")
    verdicts = Counter(run.cell(row, "verdict") for row in run.rows)
    named = sum(bool(run.cell(row, "mistakes")) for row in run.rows)
    undecided = [(run.cell(r, "problem"), items[i].answer) for i, r in enumerate(run.rows)
                 if run.cell(r, "verdict") == "undecided"]  # fmt: skip
    check_answer("2x", derivative_of="x^2")  # warm
    decided = sum(check_answer(a, derivative_of=problems[p]).verdict != "undecided" for p, a in undecided)
    distinct = len({(p, a) for _, p, a in rows})
    print(f"batch of {len(rows)} rows ({distinct} distinct answers, {len(problems)} problems), {workers} workers, "
          f"{seconds:g} s per answer:")  # fmt: skip
    print(f"  ours  {times[0]:.1f} s and {times[1]:.1f} s ({len(rows) / times[0]:.0f} rows/s), "
          f"{cpus[0]:.1f} and {cpus[1]:.1f} CPU s (grader and workers; shared cores show as wall > CPU/2); "
          + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))
          + f"; {named} with the mistake named; undecided that a single warm check decides: {decided}; "
          f"graded twice byte-identical: {'yes' if files[0] == files[1] else 'NO'}")  # fmt: skip
    naive_seconds, timeouts = naive_batch(rows, problems, seconds)
    print(f"  naive {naive_seconds:.1f} s on one core ({len(rows) / naive_seconds:.0f} rows/s), "
          f"{timeouts} over the {seconds:g} s limit")  # fmt: skip


if __name__ == "__main__":
    main()
