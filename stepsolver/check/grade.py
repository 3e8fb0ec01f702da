"""Batch grading that never loses or doubles a submission.

Every row of the input is one submission with an identity (its line and a hash of its bytes,
see ``grade_input``); the grades file holds one grade per identity (``grade_output``); a rerun
grades exactly the identities it lacks, whatever changed in between. Identical (problem, answer)
pairs are checked once: that is a cache of verdicts, and every row still gets its own grade.
The checks run in warm worker processes with a budget per phase (``grade_pool``).

    run = grade_file(Path("subs.csv"), Path("key.json"), Path("grades.csv"))
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .grade_input import Submission, read_submissions, submissions
from .grade_key import Problem, check_entry, fingerprint, read_key, validate_options
from .grade_output import Journal, Lock, finish, grade_line, load
from .grade_pool import Outcome, Pool
from .mistakes import MISTAKES

__all__ = ["GradeRun", "Submission", "grade", "grade_file", "key_of", "read_key", "read_submissions", "submissions"]


@dataclass
class GradeRun:
    rows: list[list[str]]  # the grades file's rows (cells as written), in input order
    submissions: list[Submission]
    key: dict[str, Problem]
    earlier: int = 0  # grades found from an earlier run
    graded: int = 0  # grades made by this run
    dropped: int = 0  # grades of rows no longer in the input, left out of the finished file
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def cell(self, row: list[str], column: str) -> str:
        from .grade_output import COLUMNS, plain_cell

        return plain_cell(row[COLUMNS.index(column)])


def key_of(entries: dict[str, dict[str, object]]) -> dict[str, Problem]:
    """A key made in Python ({problem: {"derivative_of": …}}), validated as a key file is."""
    return {name: check_entry(name, entry) for name, entry in entries.items()}


def mistakes_in_words(ids: tuple[str, ...]) -> str:
    return "; ".join(MISTAKES[i].meaning if i in MISTAKES else i for i in ids)


def _immediate(submission: Submission, key: dict[str, Problem]) -> Outcome | None:
    """The rows graded without a check: unreadable, unknown problem, unusable key entry."""
    if submission.invalid:
        return Outcome("invalid", "the row could not be read", (), submission.invalid)
    problem = key.get(submission.problem)
    if problem is None:
        return Outcome("invalid", "no such problem in the key", (), f"problem {submission.problem!r} is not in the key")
    if problem.error:
        return Outcome("invalid", "the key's entry for this problem is unusable", (), problem.error)
    return None


def grade(
    items: list[Submission],
    key: dict[str, Problem],
    out: Path,
    *,
    workers: int = 2,
    seconds: float = 2.0,
    diagnosis_seconds: float = 2.0,
    regrade: bool = False,
    progress: bool | None = None,
    on_row: Callable[[list[str]], None] | None = None,
) -> GradeRun:
    """Grade into ``out`` what it does not hold yet, then rewrite it complete and in input order."""
    validate_options(seconds, diagnosis_seconds, workers)
    started = time.monotonic()
    fingerprinted = fingerprint(key, seconds, diagnosis_seconds)
    run = GradeRun([], items, key)
    run.warnings = sorted({key[s.problem].error for s in items if s.problem in key and key[s.problem].error})
    with Lock(out) as lock:
        done = load(out, fingerprinted, regrade)
        current = {s.identity for s in items}
        run.earlier = len(current & done.keys())
        run.dropped = len(done.keys() - current)
        todo = [s for s in items if s.identity not in done]
        bar = Progress(len(items), run.earlier, sys.stderr if progress is None else (sys.stderr if progress else None))
        journal = Journal(out)
        try:

            def record(submission: Submission, outcome: Outcome) -> None:
                values = [outcome.verdict, outcome.method, mistakes_in_words(outcome.mistakes), outcome.message,
                          outcome.read_as]  # fmt: skip
                cells = grade_line(submission.row, submission.digest, submission.student, submission.problem,
                                   values, fingerprinted)  # fmt: skip
                journal.add(cells)  # through to the kernel before it counts as graded
                done[submission.identity] = cells
                run.graded += 1
                bar.update(outcome.verdict)
                if on_row:
                    on_row(cells)

            waiting: dict[tuple[str, str], list[Submission]] = {}
            for submission in todo:
                outcome = _immediate(submission, key)
                if outcome is not None:
                    record(submission, outcome)
                else:
                    waiting.setdefault((submission.problem, submission.answer), []).append(submission)
            if waiting:
                with Pool(key, min(workers, len(waiting)), seconds, diagnosis_seconds, [lock.fd, journal.fd]) as pool:
                    for item, outcome in pool.grade(list(waiting)):
                        for submission in waiting.pop(item):  # the verdict is cached, every row written
                            record(submission, outcome)
        except KeyboardInterrupt:
            raise GradingInterrupted(
                f"interrupted: {run.earlier + run.graded} of {len(items)} graded and kept; "
                "run the same command again to grade the rest"
            ) from None
        finally:
            journal.close()
            bar.close()
        missing = [s for s in items if s.identity not in done]
        if missing:  # cannot happen; if it did, exiting 0 would hide a lost grade
            raise RuntimeError(f"{len(missing)} submissions were not graded (first: line {missing[0].row})")
        run.rows = [done[s.identity] for s in sorted(items, key=lambda s: s.identity)]
        finish(out, run.rows)
    run.seconds = time.monotonic() - started
    return run


class GradingInterrupted(ValueError):
    """Ctrl-C: what was graded is kept, and the message says how to go on (exit status 2)."""


def grade_file(
    submissions_path: Path, key_path: Path, out: Path, *, workers: int = 2, seconds: float = 2.0,
    diagnosis_seconds: float = 2.0, regrade: bool = False, progress: bool | None = None,
) -> GradeRun:  # fmt: skip
    """Options first, then the key, then the submissions: every one-line refusal before grading."""
    validate_options(seconds, diagnosis_seconds, workers)
    for given in (submissions_path, key_path):
        if given.exists() and out.exists() and given.samefile(out):
            raise ValueError(f"--out {out} is the input {given.name}: the grades would overwrite it")
    key = read_key(key_path)
    items = read_submissions(submissions_path)
    return grade(items, key, out, workers=workers, seconds=seconds, diagnosis_seconds=diagnosis_seconds,
                 regrade=regrade, progress=progress)  # fmt: skip


class Progress:
    """One line redrawn in place on a terminal; nothing at all when stderr is not one."""

    def __init__(self, total: int, done: int, stream: TextIO | None, label: str = "grading"):
        self.total, self.done, self.undecided, self.label = total, done, 0, label
        self.stream = stream if stream is not None and stream.isatty() else None
        self.started = time.monotonic()
        self.shown = 0.0
        self.first = done
        self.draw()

    def update(self, verdict: str) -> None:
        self.undecided += verdict == "undecided"
        self.at(self.done + 1)

    def at(self, done: int) -> None:
        """``done`` of the total are done: redrawn at most ten times a second, and at the end."""
        self.done = done
        if time.monotonic() - self.shown > 0.1 or self.done == self.total:
            self.draw()

    def draw(self) -> None:
        if self.stream is None:
            return
        self.shown = time.monotonic()
        width = 30
        filled = width * self.done // max(self.total, 1)
        rate = (self.done - self.first) / max(self.shown - self.started, 1e-9)
        left = (self.total - self.done) / rate if rate > 0 else 0
        line = f"\r\x1b[K{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        line += f"  {rate:.0f}/s  {left:.0f} s left" + (f"  {self.undecided} undecided" if self.undecided else "")
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            self.draw()
            self.stream.write("\n")
            self.stream.flush()
            self.stream = None
