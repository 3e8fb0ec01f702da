"""Warm worker processes for batch grading: started once per run, SymPy imported and a check run
in each before the first answer, so that no answer pays for a cold start inside its time limit.

Each answer goes through up to three phases, each with a budget of its own, and the worker says
when it enters one: *prepare* (working the key's problem, once per problem and worker), *verdict*
(``check_answer(..., diagnose=False)``, exactly the call a single check makes otherwise: the
answer's time limit is spent on the verdict alone), and *diagnosis* (the wrong answer compared,
in a budget of its own, with the answers the common mistakes give, worked once per problem).
Inside a phase the limit is a signal (``time_limit``); should the worker not answer within the
budget and a grace period (stuck in C code), it is killed and replaced, and the row is graded by
what was known: ``undecided (time limit)`` in the verdict, the verdict without a mistake named in
the diagnosis. A worker that dies (memory limit, crash) is replaced the same way.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from .grade_key import Problem

MEMORY_BYTES = 1_000_000_000  # address space of one worker
GRACE = 1.0  # seconds past a phase's budget before the worker is killed
START_SECONDS = 120.0  # for a worker to import and warm up
ANTIDERIVATIVE = "integrated_instead"
STEP = 1e-5  # of the central difference that screens antiderivatives
WARM_UP = [("2x", "x^2"), (r"2 e^x", "2 e^x x")]  # (answer, derivative_of): one right, one wrong and diagnosed


@dataclass(frozen=True)
class Outcome:
    verdict: str
    method: str
    mistakes: tuple[str, ...] = ()  # ids of stepsolver.check.mistakes.MISTAKES
    message: str = ""
    read_as: str = ""  # how an ambiguous answer was read (xz as x·z), for the teacher to see


def time_limit_outcome(seconds: float) -> Outcome:
    return Outcome("undecided", f"time limit ({seconds:g} s)")


# -- in the worker -----------------------------------------------------------------------------


class _Worker:
    def __init__(self, conn: Connection, key: dict[str, Problem], seconds: float, diagnosis_seconds: float):
        from ..calculus import api
        from ..core.timeout import time_limit
        from .answer import check_answer

        # check_answer works the key's problem again for every answer; in this private process
        # the step engine's result for a problem is remembered (a pure function of its input)
        api.differentiate = _remembered(api.differentiate)  # type: ignore[method-assign]
        differentiate = api.differentiate

        self.conn, self.key, self.seconds, self.diagnosis_seconds = conn, key, seconds, diagnosis_seconds
        self.check_answer, self.differentiate, self.time_limit = check_answer, differentiate, time_limit
        from .equivalence import compare
        from .mistakes import FAILURES, MISTAKES, derivative

        self.compare, self.derivative, self.known_mistakes = compare, derivative, list(MISTAKES)
        self.failures = FAILURES
        self.prepared: dict[str, Outcome | None] = {}  # problem → None when worked, or why it cannot be
        self.mistakes: dict[str, list[tuple[str, Any, list[complex | None]]]] = {}  # (mistake, its answer, values)
        from ..functions import to_elementary

        self.elementary = to_elementary
        self.functions: dict[str, tuple[Any, Any, list[complex | None]]] = {}  # problem → (f, x, values of f)
        # check_answer(diagnose=False) leaves the mistake to the diagnosis phase; without that
        # option (an older check_answer) the verdict and the diagnosis share the answer's budget
        separate = "diagnose" in inspect.signature(check_answer).parameters
        self.no_diagnosis: dict[str, Any] = {"diagnose": False} if separate else {}

    def phase(self, task: int, name: str, budget: float, known: Outcome | None = None) -> None:
        self.conn.send(("phase", task, name, budget, known))

    def prepare(self, task: int, name: str) -> Outcome | None:
        """Work the key's problem once per worker, in a budget of its own: the derivative, and the
        answers that each common mistake would give for it (they depend on the problem alone, so
        a wrong answer's diagnosis is then only its comparison with them)."""
        if name not in self.prepared:
            spec = self.key[name].spec
            self.prepared[name] = None
            if "derivative_of" in spec:
                budget = self.seconds + (len(self.known_mistakes) / 4 + 1) * self.diagnosis_seconds  # each mistake: 1/4
                self.phase(task, "prepare", budget)
                try:
                    with self.time_limit(budget) as limit:
                        worked = self.differentiate(spec["derivative_of"], wrt=spec.get("wrt", "x"))
                        self.mistakes[name] = self.explaining(worked, spec.get("assume"))
                    function = self.elementary(worked.function)
                    self.functions[name] = (function, worked.context.wrt, self.values(function))
                    if limit.expired:
                        self.prepared[name] = Outcome("undecided", f"time limit ({budget:g} s) working the "
                                                                   "key's problem")  # fmt: skip
                except Exception as error:  # the key's problem, not the answer: every answer to it says so
                    self.prepared[name] = Outcome("invalid", "the key's problem could not be worked", (),
                                                  str(error).splitlines()[0][:200] if str(error) else "")  # fmt: skip
        return self.prepared[name]

    def explaining(self, worked: Any, assume: dict[str, str] | None) -> list[tuple[str, Any, list[complex | None]]]:
        """(mistake, the answer it gives) for the mistakes that change this problem's answer: a
        mistake that happens to give the right answer explains nothing (as in check_answer)."""
        f, x, reference = worked.function, worked.context.wrt, worked.result
        found: list[tuple[str, Any, list[complex | None]]] = []
        if worked.context.order > 1:
            return found  # the common mistakes are mistakes of a first derivative: none names a wrong f_xy
        for mistake in self.known_mistakes:
            if mistake == ANTIDERIVATIVE:
                continue  # tested the other way round, on the answer: see grade()
            # each mistake in a budget of its own: an antiderivative SymPy cannot find quickly
            # must not cost the problem its other mistakes
            with self.time_limit(self.diagnosis_seconds / 4) as limit:
                try:
                    wrong, sites = self.derivative(f, x, mistake)
                except self.failures:
                    continue
                if sites and self.compare(wrong, reference, assume).status != "equal":
                    found.append((mistake, wrong, self.values(wrong)))
            if limit.expired:
                continue
        return sorted(found, key=lambda entry: entry[0] == "integrated_instead")  # whole-answer ones last

    def antiderivative(self, name: str, answer: Any, assume: dict[str, str] | None) -> bool:
        """Is the answer an antiderivative of the function? Its slope is compared with the
        function (a central difference first, ``compare`` on its derivative to confirm), which is
        quick where SymPy's integral of the function can take seconds; F + C is recognised too."""
        import sympy as sp

        function, x, at = self.functions[name]
        written = self.elementary(answer.doit())
        below, above = (self.values(written, x, step) for step in (-STEP, STEP))
        if below[0] is not None and above[0] is not None and at[0] is not None:
            slope = (above[0] - below[0]) / (2 * STEP)
            if abs(slope - at[0]) > 1e-4 * (1 + abs(slope) + abs(at[0])):
                return False
        return self.compare(sp.diff(written, x), function, assume).status == "equal"

    def values(self, expr: Any, shifted: Any = None, step: float = 0.0) -> list[complex | None]:
        """The expression at a fixed point (15 digits; ``shifted`` moved by ``step``), to rule
        out at once the mistakes that plainly do not explain an answer; ``compare`` has the last
        word on the others."""
        import cmath

        import sympy as sp

        point = {s: sp.Float(0.7315 + (sum(map(ord, s.name)) % 89) / 97 + (step if s == shifted else 0), 15)
                 for s in expr.free_symbols}  # fmt: skip
        try:
            with self.time_limit(0.2):
                value = complex(self.elementary(expr.doit()).evalf(15, subs=point))
        except Exception:  # undefined there, too slow, not a number: left to compare
            return [None]
        return [value if cmath.isfinite(value) else None]

    @staticmethod
    def apart(first: list[complex | None], second: list[complex | None]) -> bool:
        return any(a is not None and b is not None and abs(a - b) > 1e-6 * (1 + abs(a) + abs(b))
                   for a, b in zip(first, second, strict=True))  # fmt: skip

    def grade(self, task: int, name: str, answer: str) -> Outcome:
        failed = self.prepare(task, name)
        if failed is not None:
            return failed
        spec = self.key[name].spec
        problem: dict[str, Any] = dict(spec)  # expected | derivative_of, wrt, assume, form
        self.phase(task, "verdict", self.seconds)
        started = time.monotonic()
        with self.time_limit(self.seconds) as limit:
            result = self.check_answer(answer, **problem, **self.no_diagnosis)
        # past the limit, a verdict is not trusted even if it came: a handler inside (a parser
        # turning any exception into "unreadable") may have swallowed the expiry
        if limit.expired or time.monotonic() - started >= self.seconds:
            return time_limit_outcome(self.seconds)
        verdict = Outcome(result.verdict, result.method, tuple(d.mistake for d in result.diagnosis), result.message,
                          "; ".join(result.read_as))  # fmt: skip
        if result.verdict != "incorrect" or not self.no_diagnosis or result.answer is None or name not in self.mistakes:
            return verdict
        self.phase(task, "diagnosis", self.diagnosis_seconds, verdict)
        started = time.monotonic()
        with self.time_limit(self.diagnosis_seconds) as limit:
            given = self.values(result.answer)
            found = tuple(mistake for mistake, wrong, at in self.mistakes[name] if not self.apart(given, at)
                          and self.compare(result.answer, wrong, spec.get("assume")).status == "equal")  # fmt: skip
            if not found and self.antiderivative(name, result.answer, spec.get("assume")):
                found = (ANTIDERIVATIVE,)
        if limit.expired or time.monotonic() - started >= self.diagnosis_seconds:
            return verdict  # the verdict stands; no mistake is named
        return Outcome(verdict.verdict, verdict.method, found, verdict.message, verdict.read_as)


def _remembered(work: Any) -> Any:
    cached = functools.lru_cache(maxsize=4096)(work)

    @functools.wraps(work)
    def remembered(*args: Any, **kwargs: Any) -> Any:
        try:
            hash((args, tuple(sorted(kwargs.items()))))
        except TypeError:  # a list or a matrix: worked afresh
            return work(*args, **kwargs)
        return cached(*args, **kwargs)

    return remembered


def _serve(conn: Connection, key: dict[str, Problem], seconds: float, diagnosis_seconds: float,
           parent: int, inherited: list[int]) -> None:  # fmt: skip
    for fd in inherited:  # the lock and the journal: a worker outliving a killed grader must not hold them
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    worker = _Worker(conn, key, seconds, diagnosis_seconds)
    for answer, function in WARM_UP:  # imports, parser tables, SymPy's caches: paid before the first answer
        worker.check_answer(answer, derivative_of=function)
    conn.send(("ready",))
    while True:
        while not conn.poll(0.5):
            if os.getppid() != parent:
                return  # the grader is gone
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, name, answer = message
        try:
            outcome = worker.grade(task, name, answer)
        except MemoryError:
            # a fresh worker is safer than one that ran out of memory: this one retires
            conn.send(("done", task, Outcome("undecided", f"memory limit ({MEMORY_BYTES // 10**9} GB)"), True))
            return
        except RecursionError:
            outcome = Outcome("invalid", "nested too deeply")
        except Exception as error:  # one bad answer must not stop the class: it is reported, not raised
            outcome = Outcome("undecided", f"could not be checked: {type(error).__name__}", (),
                              str(error).splitlines()[0][:200] if str(error) else "")  # fmt: skip
        conn.send(("done", task, outcome, False))


# -- in the grader -----------------------------------------------------------------------------


@dataclass
class _Process:
    process: Any
    conn: Connection
    ready: bool = False
    task: int | None = None
    phase: str = ""
    deadline: float = 0.0
    known: Outcome | None = None


class Pool:
    """``with Pool(key, 2, 2.0, 2.0) as pool: for task, outcome in pool.grade(items): …`` where
    items are (problem, answer) pairs; outcomes come as they are known, each item exactly once."""

    def __init__(self, key: dict[str, Problem], workers: int, seconds: float, diagnosis_seconds: float,
                 inherited: Iterable[int] = ()):  # fmt: skip
        self.key, self.size, self.seconds, self.diagnosis_seconds = key, workers, seconds, diagnosis_seconds
        self.inherited = list(inherited)
        self.context = multiprocessing.get_context("fork")  # children start with SymPy already imported
        self.processes: list[_Process] = []

    def __enter__(self) -> Pool:
        for _ in range(self.size):
            self.processes.append(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.processes:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in self.processes:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.processes.clear()

    def _start(self) -> _Process:
        mine, theirs = self.context.Pipe()
        args = (theirs, self.key, self.seconds, self.diagnosis_seconds, os.getpid(), self.inherited)
        process = self.context.Process(target=_serve, args=args, daemon=True)
        process.start()
        theirs.close()
        return _Process(process, mine, deadline=time.monotonic() + START_SECONDS)

    def _replace(self, worker: _Process) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.processes[self.processes.index(worker)] = self._start()

    def _lost(self, worker: _Process, stopped: str) -> Outcome:
        """The outcome of a task whose worker was killed or died in the middle of it."""
        if worker.known is not None:  # the verdict was in; only the diagnosis is missing
            return worker.known
        if stopped == "time":
            return time_limit_outcome(self.seconds)
        return Outcome("undecided", f"memory limit ({MEMORY_BYTES // 10**9} GB) or crash: the check stopped")

    def grade(self, items: Iterable[tuple[str, str]]) -> Iterator[tuple[tuple[str, str], Outcome]]:
        # Each problem has a home worker, which takes its answers first: a problem is then worked
        # (derivative, mistakes) by one worker, not by all; an idle worker helps from the far end.
        homes: dict[str, int] = {}
        queues: list[deque[tuple[int, tuple[str, str]]]] = [deque() for _ in self.processes]
        for number, item in enumerate(items):
            queues[homes.setdefault(item[0], len(homes) % len(queues))].append((number, item))
        tasks: dict[int, tuple[str, str]] = {}
        self.failures = 0
        while any(queues) or tasks:
            for index, worker in enumerate(self.processes):
                if worker.ready and worker.task is None and any(queues):
                    own = queues[index]
                    number, item = own.popleft() if own else max(queues, key=len).pop()
                    tasks[number] = item
                    worker.task, worker.phase, worker.known = number, "verdict", None
                    worker.deadline = time.monotonic() + self.seconds + GRACE
                    worker.conn.send((number, *item))
            timeout = max(0.0, min(w.deadline for w in self.processes) - time.monotonic())
            ready = wait([w.conn for w in self.processes], timeout=min(timeout, 1.0))
            settled: list[tuple[int, Outcome]] = []
            for worker in list(self.processes):
                if worker.conn in ready:
                    self._receive(worker, settled)
                elif time.monotonic() > worker.deadline:
                    if not worker.ready:
                        raise RuntimeError("a grading worker did not start in time")
                    settled.append((worker.task, self._lost(worker, "time")))  # type: ignore[arg-type]
                    self._replace(worker)
            for number, outcome in settled:
                yield tasks.pop(number), outcome

    def _receive(self, worker: _Process, settled: list[tuple[int, Outcome]]) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):  # the worker died: memory limit, a crash
            if not worker.ready:
                self.failures += 1
                if self.failures > 3:
                    raise RuntimeError("the grading workers cannot start") from None
            if worker.task is not None:
                settled.append((worker.task, self._lost(worker, "died")))
            self._replace(worker)
            return
        if message[0] == "ready":
            worker.ready = True
            worker.deadline = float("inf")
        elif message[0] == "phase":
            _, _, worker.phase, budget, worker.known = message
            worker.deadline = time.monotonic() + budget + GRACE
        elif message[0] == "done":
            settled.append((message[1], message[2]))
            worker.task, worker.deadline = None, float("inf")
            if message[3]:  # the worker retires (it ran out of memory): no task must go to it
                self._replace(worker)
