"""A student's working, checked link by link with the verifier the engine uses for its own steps."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..core.derivation import check_link
from ..core.notation import text
from ..errors import ParseError, StepsolverError
from ..parse import parse
from ..parse.lists import split_top_level

_ARGUMENTS = r"(\s*\(\s*[a-zA-Z](\s*,\s*[a-zA-Z])*\s*\))?"
_PRIME = r"(\s*['’′]+|\^\s*\{?\s*((\\prime\s*)+|'+)\}?|\^\s*\{?\s*\(\s*\d+\s*\)\s*\}?)"
_D = r"(d|\\mathrm\s*\{\s*d\s*\}|\\partial)"
# The name of what is worked out, not part of the working: f'(x) =, y'' =, dy/dx =, \frac{dy}{dx} =.
_NAME_OF_THE_THING = re.compile(
    rf"^\s*([a-zA-Z]{_PRIME}{_ARGUMENTS}"
    r"|d\^?\d*\s*[a-zA-Z]\s*/\s*d\s*[a-zA-Z]\^?\d*"
    rf"|\\[dt]?frac\s*\{{\s*{_D}\^?\{{?\d*\}}?\s*[a-zA-Z]?\s*\}}\s*\{{\s*{_D}\s*[a-zA-Z]\^?\{{?\d*\}}?\s*\}}"
    rf"(\s*[fghy]{_ARGUMENTS})?"
    r"|\\partial\s*[a-zA-Z]\s*/\s*\\partial\s*[a-zA-Z])\s*$"
)


def is_name_of_the_thing(part: str) -> bool:
    """``f'(x)``, ``y'``, ``dy/dx``, ``\\frac{dy}{dx}``: the left side names the derivative asked for."""
    return bool(_NAME_OF_THE_THING.match(part))


def split_working(source: str) -> list[str]:
    """An align* body (rows split at \\\\, & dropped) or lines, each split at top-level '='."""
    body = re.sub(r"\\(begin|end)\{(align\*?|aligned|eqnarray\*?)\}", "", source)
    rows = [row for row in re.split(r"\\\\|\n", body) if row.strip()]
    parts = [part for row in rows for part in split_top_level(row.replace("&", " "), "=")]
    return parts[1:] if len(parts) > 1 and is_name_of_the_thing(parts[0]) else parts


def is_working(source: object) -> bool:
    return isinstance(source, str) and len(split_working(source)) > 1


def check_lines(source: str) -> tuple[list[dict[str, Any]], sp.Expr | None, int | None]:
    """Each line: its text, whether it follows from the line before, and how that was decided.
    Returns the lines, the last line's expression, and the index of the first wrong line."""
    lines: list[dict[str, Any]] = []
    previous: sp.Expr | None = None
    first_wrong: int | None = None
    expr: sp.Expr | None = None
    for index, part in enumerate(split_working(source)):
        entry: dict[str, Any] = {"line": index + 1, "text": part}
        try:
            expr = parse(part)
        except (ParseError, StepsolverError, RecursionError) as error:
            entry.update(valid=False, method=f"unreadable: {error}")
            lines.append(entry)
            first_wrong = index if first_wrong is None else first_wrong
            previous, expr = None, None
            continue
        if previous is None:
            entry.update(valid=True, method="first line")
        else:
            check = check_link(previous, expr)
            entry.update(valid=check.ok, method=check.describe())
            if not check.ok:
                entry["counterexample"] = check.counterexample
                first_wrong = index if first_wrong is None else first_wrong
        entry["expression"] = text(expr)
        lines.append(entry)
        previous = expr
    return lines, expr, first_wrong
