"""Answers that are not one scalar: vectors and matrices (entry by entry, the wrong entries
named) and sets such as the eigenvalues of a matrix (as a multiset, the missing and extra
values named)."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..errors import ParseError
from ..linalg.inputs import to_matrix
from ..parse import parse
from ..parse.lists import split_top_level
from .assumptions import Assumption
from .equivalence import Comparison, compare


def kind_of(value: object, asked: str | None = None) -> str:
    """scalar, matrix (vectors too) or set. Where a set or a vector is asked for, an answer is read
    as students write one: ``0, 5`` or ``\\lambda = 0, 5`` is a set, ``(2, 1)`` a vector."""
    if isinstance(value, (set, frozenset)):
        return "set"
    if isinstance(value, (list, tuple, sp.MatrixBase)):
        return "matrix"
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("\\{", "{")) and text.endswith(("\\}", "}")) and "," in text:
            return "set"
        if text.startswith(("[", "\\begin")):
            return "matrix"
        if asked == "set" and len(split_top_level(_without_name(text), ",")) > 1:
            return "set"
        bracketed = text.startswith("(") and text.endswith(")")
        if asked == "matrix" and bracketed and len(split_top_level(text[1:-1], ",")) > 1:
            return "matrix"
    return "scalar"


_NAME = re.compile(r"^\s*(\\?[a-zA-Z]+)(_\{?\s*[a-zA-Z0-9]+\s*\}?)?\s*=(?!=)")


def _without_name(text: str) -> str:
    """``\\lambda_1 = 0`` is the value 0: the name before '=' is what the value is of."""
    return _NAME.sub("", text, count=1).strip()


def read_set(value: object) -> list[sp.Expr]:
    if isinstance(value, (set, frozenset)):
        return [parse(v) if isinstance(v, str) else sp.sympify(v) for v in value]  # numbers, or our own parser
    text = _without_name(str(value).strip())
    text = re.sub(r"^\\?\{|\\?\}$", "", text.strip())
    return [parse(_without_name(part)) for part in split_top_level(text, ",")]


def compare_matrices(answer: object, expected: object, assume: dict[str, Assumption]) -> Comparison:
    a, e = to_matrix(answer, "answer"), to_matrix(expected, "expected")
    if a.shape != e.shape:
        raise ParseError(f"the answer is {a.rows}×{a.cols} but a {e.rows}×{e.cols} result was asked for")
    wrong = []
    methods = set()
    for i in range(e.rows):
        for j in range(e.cols):
            result = compare(a[i, j], e[i, j], assume)
            methods.add(result.status)
            if result.status == "different":
                wrong.append(f"({i + 1}, {j + 1}): {sp.sstr(a[i, j])} should be {sp.sstr(e[i, j])}")
    if wrong:
        return Comparison("different", "entry by entry", {"wrong entries": "; ".join(wrong)})
    if "undecided" in methods:
        return Comparison("undecided", "entry by entry; some entries undecided")
    return Comparison("equal", "entry by entry")


def compare_sets(answer: object, expected: object, assume: dict[str, Assumption]) -> Comparison:
    given, wanted = read_set(answer), read_set(expected)
    unmatched = list(given)
    missing = []
    for value in wanted:
        match = next((g for g in unmatched if compare(g, value, assume).status == "equal"), None)
        if match is None:
            missing.append(value)
        else:
            unmatched.remove(match)
    if missing or unmatched:
        detail: dict[str, Any] = {}
        if missing:
            detail["missing"] = ", ".join(sp.sstr(v) for v in missing)
        if unmatched:
            detail["not expected"] = ", ".join(sp.sstr(v) for v in unmatched)
        return Comparison("different", "as a set (with multiplicities)", detail)
    return Comparison("equal", "as a set (with multiplicities)")
