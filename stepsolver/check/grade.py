"""Batch grading: every submission checked in a child process of its own (a hard time and memory
limit each), both cores busy, each grade appended to the CSV as soon as it is known, so that an
interrupted run picks up where it stopped and grades nothing twice."""

from __future__ import annotations

import csv
import html
import json
import multiprocessing
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ParseError

FIELDS = ["student", "problem", "verdict", "method", "mistakes", "message"]
MEMORY_BYTES = 1_000_000_000
MAX_ANSWER = 1_000_000  # characters kept from one answer (longer ones are refused by the reader anyway)


@dataclass(frozen=True)
class Submission:
    student: str
    problem: str
    answer: str


def read_submissions(path: Path) -> list[Submission]:
    text = path.read_text(encoding="utf-8")
    rows = json.loads(text) if path.suffix.lower() == ".json" else list(csv.DictReader(text.splitlines()))
    try:
        return [Submission(str(r["student"]), str(r["problem"]), str(r["answer"])[:MAX_ANSWER]) for r in rows]
    except (KeyError, TypeError) as error:
        raise ParseError(f"{path.name}: every submission needs student, problem and answer ({error})") from None


def read_key(path: Path) -> dict[str, dict[str, Any]]:
    """{problem: {"expected": …} or {"derivative_of": …, "wrt": "x"}, optional "assume": {…}}."""
    if path.suffix.lower() == ".json":
        key = json.loads(path.read_text(encoding="utf-8"))
    else:
        key = {r["problem"]: {k: v for k, v in r.items() if k != "problem" and v} for r in csv.DictReader(path.open())}
    for problem, entry in key.items():
        if not isinstance(entry, dict) or ("expected" in entry) == ("derivative_of" in entry):
            raise ParseError(f"key entry {problem!r} needs exactly one of expected and derivative_of")
    return key


def _grade_one(submission: Submission, problem: dict[str, Any], seconds: float, pipe: Any) -> None:
    """In the child: limits first, then the check; the verdict goes back through the pipe."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    from ..core.timeout import time_limit
    from .answer import check_answer

    try:
        with time_limit(seconds) as limit:
            result = check_answer(
                submission.answer,
                expected=problem.get("expected"),
                derivative_of=problem.get("derivative_of"),
                wrt=problem.get("wrt", "x"),
                assume=problem.get("assume"),
            )
        if limit.expired:  # the check was stopped: there is no result to report
            row = ["undecided", f"time limit of {seconds:g} s", "", ""]
        else:
            row = [result.verdict, result.method, " ".join(d.mistake for d in result.diagnosis), result.message]
    except MemoryError:
        row = ["undecided", "memory limit", "", ""]
    except RecursionError:
        row = ["invalid", "nested too deeply", "", ""]
    except Exception as error:  # one bad answer must not stop the class: it is reported, not raised
        row = ["undecided", f"could not be checked: {type(error).__name__}", "", str(error)[:200]]
    pipe.send(row)
    pipe.close()


def _graded(path: Path) -> set[tuple[str, str]]:
    """What an earlier run finished. A row cut short by a kill mid-write is dropped from the file,
    so that it is graded again rather than left half-written."""
    if not path.exists():
        return set()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    complete = [row for row in rows if all(row.get(name) is not None for name in FIELDS) and row["verdict"]]
    if len(complete) != len(rows) or not path.read_bytes().endswith(b"\n"):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, FIELDS)
            writer.writeheader()
            writer.writerows(complete)
    return {(row["student"], row["problem"]) for row in complete}


def grade(
    submissions: list[Submission],
    key: dict[str, dict[str, Any]],
    out: Path,
    workers: int = 2,
    seconds: float = 2.0,
    progress: bool = True,
) -> Iterator[dict[str, str]]:
    """Grade what ``out`` does not have yet; yields each row as it is written."""
    done = _graded(out)
    todo = [s for s in dict.fromkeys(submissions) if (s.student, s.problem) not in done]
    new_file = not out.exists() or out.stat().st_size == 0
    context = multiprocessing.get_context("fork")
    with out.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        if new_file:
            writer.writeheader()
        running: list[tuple[Submission, Any, Any, float]] = []
        queue = list(reversed(todo))
        finished = 0

        def record(submission: Submission, values: list[str]) -> dict[str, str]:
            """Write one grade through to the disk at once: a kill loses nothing already graded."""
            nonlocal finished
            row = dict(zip(FIELDS, [submission.student, submission.problem, *values], strict=True))
            writer.writerow(row)
            handle.flush()
            os.fsync(handle.fileno())
            finished += 1
            if progress:
                print(f"\rgraded {finished + len(done)}/{len(todo) + len(done)}", end="", file=sys.stderr)
            return row

        known: dict[tuple[str, str], list[str]] = {}  # (problem, answer) → verdict: a repeated answer is checked once
        waiting: list[Submission] = []
        while queue or running:
            while queue and len(running) < workers:
                submission = queue.pop()
                same = (submission.problem, submission.answer)
                if same in known or any((s.problem, s.answer) == same for s, *_ in running):
                    if same in known:
                        yield record(submission, known[same])
                    else:
                        waiting.append(submission)
                    continue
                problem = key.get(submission.problem)
                if problem is None:
                    yield record(submission, ["invalid", "no such problem in the key", "", ""])
                    continue
                receive, send = context.Pipe(duplex=False)
                child = context.Process(target=_grade_one, args=(submission, problem, seconds, send))
                child.start()
                send.close()
                running.append((submission, child, receive, time.monotonic()))
            time.sleep(0.002)
            still = []
            for submission, child, receive, started in running:
                values: list[str] | None = None
                if receive.poll():
                    try:
                        values = receive.recv()
                    except EOFError:
                        values = ["undecided", "the check stopped (memory limit)", "", ""]
                elif not child.is_alive():
                    values = ["undecided", "the check stopped (memory limit)", "", ""]
                elif time.monotonic() - started > seconds + 1.0:  # a hard limit, even inside C code
                    child.kill()
                    values = ["undecided", f"time limit of {seconds:g} s", "", ""]
                if values is None:
                    still.append((submission, child, receive, started))
                    continue
                child.join(timeout=1)
                receive.close()
                known[(submission.problem, submission.answer)] = values
                queue.extend(waiting)  # answers that waited for this identical one
                waiting.clear()
                yield record(submission, values)
            running = still
    if progress:
        print(file=sys.stderr)


def report(rows: list[dict[str, str]]) -> tuple[str, str]:
    """Per-problem statistics and the most frequent mistakes, as Markdown and as HTML."""
    by_problem: dict[str, Counter[str]] = defaultdict(Counter)
    mistakes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_problem[row["problem"]][row["verdict"]] += 1
        for mistake in row["mistakes"].split():
            mistakes[row["problem"]][mistake] += 1
    verdicts = ["correct", "incorrect", "unparseable", "invalid", "undecided"]
    lines = ["# Grades", "", "| problem | answers | " + " | ".join(verdicts) + " | most frequent mistakes |",
             "|---|---|" + "---|" * len(verdicts) + "---|"]  # fmt: skip
    cells = []
    for problem in sorted(by_problem):
        counts = by_problem[problem]
        top = ", ".join(f"{m} ({n})" for m, n in mistakes[problem].most_common(3)) or "–"
        cells.append([problem, str(sum(counts.values())), *[str(counts[v]) for v in verdicts], top])
        lines.append("| " + " | ".join(cells[-1]) + " |")
    overall = Counter[str]()
    for counter in mistakes.values():
        overall.update(counter)
    lines += ["", "## Most frequent mistakes", ""]
    lines += [f"- {m}: {n}" for m, n in overall.most_common(10)] or ["- none found"]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ["problem", "answers", *verdicts, "most frequent mistakes"])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in cells)
    page = (
        "<!doctype html><meta charset=utf-8><title>Grades</title><h1>Grades</h1>"
        f"<table border=1 cellpadding=4><tr>{head}</tr>{body}</table><h2>Most frequent mistakes</h2><ul>"
        + "".join(f"<li>{html.escape(m)}: {n}</li>" for m, n in overall.most_common(10))
        + "</ul>"
    )
    return "\n".join(lines) + "\n", page
