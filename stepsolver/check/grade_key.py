"""The key and the options of a grading run, validated before anything is graded.

A key file that cannot be read as a whole, and options out of range, are one-line errors (exit
2). One unusable entry (its expected answer unreadable, a field missing or misspelt) spoils only
its own problem: the entry carries the reason, and each answer to it is graded ``invalid``.
The fingerprint of the key and the options is written with every grade, so that a resumed run
can refuse to mix grades made against two keys.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from .grade_input import InputError, _read_bytes, load_json

FIELDS = ("expected", "derivative_of", "wrt", "assume", "form")
FORMS = ("simplified", "expanded", "factored")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
MAX_SECONDS = 3600.0
MAX_WORKERS = 64


@dataclass(frozen=True)
class Problem:
    name: str
    spec: dict[str, Any] = field(default_factory=dict)  # expected | derivative_of, wrt, assume, form
    error: str = ""  # why no answer to it can be graded, or ""


def validate_options(seconds: float, diagnosis_seconds: float, workers: int) -> None:
    for option, value in (("--timeout", seconds), ("--diagnosis-timeout", diagnosis_seconds)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and 0 < value <= MAX_SECONDS):
            raise InputError(f"{option} must be a number of seconds above 0 and at most {MAX_SECONDS:g}, got {value}")
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"--workers must be a whole number from 1 to {MAX_WORKERS}, got {workers}")


def read_key(path: Path) -> dict[str, Problem]:
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path.name} is not UTF-8 (undecodable byte at offset {error.start})") from None
    entries = _key_json(text, path.name) if path.suffix.lower() == ".json" else _key_csv(text, path.name)
    if not entries:
        raise InputError(f"{path.name} has no problems")
    return {str(name): check_entry(str(name), entry) for name, entry in entries.items()}


def _key_json(text: str, name: str) -> dict[str, Any]:
    key = load_json(text, name)
    if isinstance(key, dict) and "stepsolver_handout" in key:
        return _key_handout(key, name)
    if not isinstance(key, dict):
        raise InputError(f'{name} must map each problem to its answer: {{"p1": {{"derivative_of": "x^2"}}, …}}')
    return key


def _key_handout(handout: dict[str, Any], name: str) -> dict[str, Any]:
    """The key of a ``stepsolver handout``'s handout.json: problem "v3/chain" is problem chain of
    variant 3 (the submissions say which variant each student got); with one variant, "chain"
    names it too. A problem the grader cannot check (a matrix gradient) gets None: its entry
    then says so, instead of "not in the key"."""
    variants = handout.get("variants")
    if not isinstance(variants, list) or not variants:
        raise InputError(f"{name} is a handout key without variants")
    key: dict[str, Any] = {}
    for variant in variants:
        if not isinstance(variant, dict) or not isinstance(variant.get("problems"), list):
            raise InputError(f"{name}: each variant must list its problems")
        for problem in variant["problems"]:
            if not isinstance(problem, dict) or not isinstance(problem.get("id"), str):
                raise InputError(f"{name}: variant {variant.get('variant')} has a problem without an id")
            entry = problem.get("key")
            names = [f"v{variant.get('variant')}/{problem['id']}"] + ([problem["id"]] if len(variants) == 1 else [])
            for named in names:
                key[named] = entry if entry is not None else {UNGRADED: problem.get("kind", "?")}
    return key


UNGRADED = "ungraded"  # a handout problem with no key entry: its kind, to say why


def _key_csv(text: str, name: str) -> dict[str, Any]:
    """Columns problem, expected or derivative_of, and optionally wrt, assume ("a=positive; t=(0,1)"), form."""
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise InputError(f"{name} is malformed CSV: {error}") from None
    if not rows or "problem" not in rows[0]:
        raise InputError(f"{name} needs a header with a 'problem' column and rows under it")
    key: dict[str, Any] = {}
    for line, row in enumerate(rows, 2):
        if None in row or None in row.values():
            raise InputError(f"{name}: row {line} has a different number of cells from the header")
        entry: dict[str, Any] = {k: v for k, v in row.items() if k != "problem" and v}
        if "assume" in entry:
            pairs = [part.partition("=") for part in entry["assume"].split(";") if part.strip()]
            entry["assume"] = {n.strip(): what.strip() for n, sep, what in pairs} if all(p[1] for p in pairs) else "?"
        key[row["problem"]] = entry
    return key


def check_entry(name: str, entry: object) -> Problem:
    """The entry as the workers will use it, or the reason it cannot be used."""
    if not isinstance(entry, dict):
        return Problem(name, error=f"the key's entry for {name!r} is not an object")
    if set(entry) == {UNGRADED}:
        return Problem(name, error=f"{name!r} is a {entry[UNGRADED]} problem: the grader cannot check its answer, "
                                   "mark it by hand")  # fmt: skip
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        return Problem(name, error=f"the key's entry for {name!r} has unknown field {unknown[0]!r} "
                                   f"(known: {', '.join(FIELDS)})")  # fmt: skip
    if ("expected" in entry) == ("derivative_of" in entry):
        return Problem(name, error=f"the key's entry for {name!r} needs exactly one of expected and derivative_of")
    spec: dict[str, Any] = {}
    if "derivative_of" in entry:
        if not isinstance(entry["derivative_of"], str):
            return Problem(name, error=f"the key's derivative_of for {name!r} must be a string")
        spec["derivative_of"] = entry["derivative_of"]
        spec["wrt"] = entry.get("wrt", "x")
        if not isinstance(spec["wrt"], str) or not NAME.match(spec["wrt"]):
            return Problem(name, error=f"the key's wrt for {name!r} must be a variable name")
    else:
        expected = entry["expected"]
        if isinstance(expected, (int, float)) and not isinstance(expected, bool):
            expected = str(expected)
        if not isinstance(expected, (str, list)):
            return Problem(name, error=f"the key's expected answer for {name!r} must be a string or a list")
        spec["expected"] = expected
    assume = entry.get("assume", {})
    if not isinstance(assume, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in assume.items()):
        return Problem(name, error=f"the key's assume for {name!r} must map names to what holds (a: positive)")
    if assume:
        spec["assume"] = dict(sorted(assume.items()))
    if "form" in entry:
        if entry["form"] not in FORMS:
            return Problem(name, error=f"the key's form for {name!r} must be one of {', '.join(FORMS)}")
        spec["form"] = entry["form"]
    reason = _unreadable(spec)
    return Problem(name, spec, f"the key's answer for {name!r} cannot be read: {reason}" if reason else "")


def _unreadable(spec: dict[str, Any]) -> str:
    """Read the key's expression now, in the parent, so that a typo in the key is reported once
    and up front instead of as one mysterious verdict per student."""
    from ..errors import StepsolverError
    from ..parse import parse
    from .objects import kind_of

    source = spec.get("derivative_of", spec.get("expected"))
    if not isinstance(source, str) or kind_of(source) != "scalar":
        return ""  # vectors, matrices and sets are read entry by entry by the checker
    try:
        parse(source)
    except (StepsolverError, ValueError) as error:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    except RecursionError:
        return "nested too deeply"
    return ""


def fingerprint(key: dict[str, Problem], seconds: float, diagnosis_seconds: float) -> str:
    """What the grades depend on: every entry, the time budgets and the checker's version."""
    content = {
        "key": {name: [problem.spec, problem.error] for name, problem in sorted(key.items())},
        "timeout": seconds,
        "diagnosis_timeout": diagnosis_seconds,
        "stepsolver": __version__,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=True).encode()).hexdigest()[:12]
