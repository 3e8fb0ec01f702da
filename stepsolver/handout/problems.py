"""A problem-set file as the handout uses it: YAML read with PyYAML's safe loader (no tags, no
objects: plain data only), checked field by field, every error one line naming the problem.

YAML because a teacher writes it by hand: LaTeX needs no quoting beyond a pair of quotes, lists
and ranges read as written, comments are allowed, and the same file is data for other tools.

    title: Homework 3
    instructions: Show every step.
    problems:
      - id: chain
        kind: derivative
        points: 4
        parameters: {a: "2..9", n: [2, 3, 4], b: "-3..3, not 0"}
        require: [answer is not 0]
        f: "{a} x^{n} e^{{b} x}"

A parameter's name in braces is replaced by its drawn value; every other brace is LaTeX's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from ..errors import StepsolverError
from .tex_guard import formula_problem, text_problem

MAX_BYTES = 1_000_000
MAX_PROBLEMS = 200
MAX_PARTS = 26
MAX_CHOICES = 10_000  # values in one range: enough for any sheet, small enough to list
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")

# kind → the fields it takes (besides id, points, statement, parameters, require), required first
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "derivative": (("f",), ("wrt", "order", "at")),
    "slope": (("f", "at"), ("h", "central", "wrt")),
    "graph": (("f",), ("at",)),
    "gradient": (("f",), ("variables", "at")),
    "hessian": (("f",), ("variables", "at")),
    "linalg": (("op", "args"), ()),
    "matrix_gradient": (("f", "wrt", "shapes"), ("order",)),
    "model": (("name",), ("lam", "hidden", "activation", "fit")),
}
COMMON = ("id", "points", "statement", "parameters", "require", "title")
SHEET_FIELDS = ("title", "instructions", "problems", "seed", "course", "date")
REQUIREMENTS = ("answer is not 0", "invertible", "integer answer")
COMPARISON = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*(==|!=|<=|>=|<|>)\s*([A-Za-z][A-Za-z0-9_]*|-?\d+)\s*\Z")


class ProblemSetError(StepsolverError, ValueError):
    """The problem-set file cannot be used: one line, exit status 2."""


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[Any, ...]  # what a draw chooses from, in order


@dataclass(frozen=True)
class Part:
    id: str  # "chain", or "graph.b" for a part of a multi-part problem
    kind: str
    fields: dict[str, Any]  # the kind's fields as written, parameters still in braces
    points: float
    statement: str = ""  # the teacher's own words, parameters in braces; "" for the house's
    title: str = ""


@dataclass(frozen=True)
class Problem:
    id: str
    parameters: tuple[Parameter, ...]
    require: tuple[str, ...]
    parts: tuple[Part, ...]
    title: str = ""
    statement: str = ""  # words above all parts of a multi-part problem

    @property
    def points(self) -> float:
        return sum(part.points for part in self.parts)


@dataclass(frozen=True)
class ProblemSet:
    title: str
    instructions: str
    problems: tuple[Problem, ...]
    seed: int = 0
    course: str = ""
    date: str = ""
    source: str = ""  # the file it was read from, for messages
    extra: dict[str, Any] = field(default_factory=dict)


def read_problem_set(path: Path) -> ProblemSet:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ProblemSetError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise ProblemSetError(f"{path.name} is {len(data):,} bytes; a problem set is at most {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProblemSetError(f"{path.name} is not UTF-8 (undecodable byte at offset {error.start})") from None
    return problem_set(load_yaml(text, path.name), path.name)


MAX_CHARACTERS = 2_000_000  # of text, aliases expanded: one long string used a thousand times is a bomb too
MAX_VALUES = 100_000  # values in a problem set once its aliases are expanded: far past any real sheet


def load_yaml(text: str, name: str) -> Any:
    """The YAML's data; an alias bomb (a few lines whose aliases expand to billions of values,
    which every later walk over the data would expand) is refused here, by a walk that stops."""
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ProblemSetError(f"{name} is not valid YAML: {error.problem or error.context}{where}") from None
    except yaml.YAMLError as error:
        raise ProblemSetError(f"{name} is not valid YAML: {str(error).splitlines()[0]}") from None
    except RecursionError:
        raise ProblemSetError(f"{name} is nested too deeply") from None
    _bounded(data, name)
    return data


def _bounded(data: object, name: str) -> None:
    stack, seen, characters = [data], 0, 0
    while stack:
        item = stack.pop()
        seen += 1
        characters += len(item) if isinstance(item, str) else 0
        if seen > MAX_VALUES or characters > MAX_CHARACTERS:
            what = f"{MAX_VALUES:,} values" if seen > MAX_VALUES else f"{MAX_CHARACTERS:,} characters"
            raise ProblemSetError(f"{name} holds more than {what} once its aliases (*name) are expanded")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def problem_set(data: object, name: str = "problem set") -> ProblemSet:
    """The problem set in ``data`` (what the YAML holds), checked."""
    if not isinstance(data, dict):
        raise ProblemSetError(f"{name} must be a mapping with title, instructions and problems")
    unknown = sorted(str(k) for k in data if k not in SHEET_FIELDS)
    if unknown:
        raise ProblemSetError(f"{name}: unknown field {unknown[0]!r} (known: {', '.join(SHEET_FIELDS)})")
    problems = data.get("problems")
    if not isinstance(problems, list) or not problems:
        raise ProblemSetError(f"{name} needs a list of problems under 'problems'")
    if len(problems) > MAX_PROBLEMS:
        raise ProblemSetError(f"{name} has {len(problems)} problems; at most {MAX_PROBLEMS}")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ProblemSetError(f"{name}: seed must be a whole number")
    read = [_problem(entry, number, name) for number, entry in enumerate(problems, 1)]
    ids = [problem.id for problem in read]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ProblemSetError(f"{name}: problem id {repeated[0]!r} is used twice")
    return ProblemSet(
        title=_text(data, "title", name, "Problems"),
        instructions=_text(data, "instructions", name, ""),
        problems=tuple(read),
        seed=seed,
        course=_text(data, "course", name, ""),
        date=_text(data, "date", name, ""),
        source=name,
    )


def _text(entry: dict[str, Any], key: str, where: str, default: str) -> str:
    value = entry.get(key, default)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ProblemSetError(f"{where}: {key} must be text")
    refused = text_problem(value)
    if refused:
        raise ProblemSetError(f"{where}: the {key} uses {refused} in a formula, which a handout may not write")
    return value.strip()


def _problem(entry: object, number: int, name: str) -> Problem:
    if not isinstance(entry, dict):
        raise ProblemSetError(f"{name}: problem {number} must be a mapping (kind, f, …)")
    pid = entry.get("id", f"p{number}")
    pid = str(pid) if isinstance(pid, int) and not isinstance(pid, bool) else pid
    if not isinstance(pid, str) or not ID.match(pid) or len(pid) > 40:
        raise ProblemSetError(f"{name}: problem {number}'s id must be letters, digits, - and _ (got {pid!r})")
    where = f"{name}, problem {pid!r}"
    parameters = _parameters(entry.get("parameters", {}), where)
    require = _require(entry.get("require", []), {p.name: p.values for p in parameters}, where)
    if "parts" in entry:
        extra = sorted(str(k) for k in entry if k not in ("id", "parameters", "require", "parts", "title", "statement"))
        if extra:
            raise ProblemSetError(f"{where}: a problem with parts takes its fields in each part, not {extra[0]!r}")
        parts = entry["parts"]
        if not isinstance(parts, list) or not parts:
            raise ProblemSetError(f"{where}: parts must be a list of parts")
        if len(parts) > MAX_PARTS:
            raise ProblemSetError(f"{where}: at most {MAX_PARTS} parts")
        made = tuple(_part(part, f"{pid}.{chr(ord('a') + i)}", f"{where}, part {chr(ord('a') + i)}")
                     for i, part in enumerate(parts))  # fmt: skip
        problem = Problem(pid, parameters, require, made, _text(entry, "title", where, ""),
                          _text(entry, "statement", where, ""))  # fmt: skip
    else:
        problem = Problem(pid, parameters, require, (_part(entry, pid, where),), _text(entry, "title", where, ""))
    _no_stray_placeholder(problem, where)
    return problem


def _no_stray_placeholder(problem: Problem, where: str) -> None:
    """A typo in a parameter's name (``{aa}`` for ``{a}``) would be read as LaTeX and change every
    sheet without a word: a ``{name}`` standing where only a parameter can stand is an error."""
    names = {p.name for p in problem.parameters}
    texts = [problem.statement, *(t for part in problem.parts for t in _strings([part.fields, part.statement]))]
    for text in texts:
        for found in re.finditer(r"\{([A-Za-z][A-Za-z0-9_]*)\}", text):
            name = found.group(1)
            before = text[: found.start()].rstrip()
            if name in names or before.endswith(("^", "_", "}", "]")) or re.search(r"\\[A-Za-z]+$", before):
                continue
            known = f"its parameters are {', '.join(sorted(names))}" if names else "it has no parameters"
            raise ProblemSetError(
                f"{where}: {{{name}}} is not a parameter ({known}); for a LaTeX group write {{ {name} }}"
            )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _part(entry: object, pid: str, where: str) -> Part:
    if not isinstance(entry, dict):
        raise ProblemSetError(f"{where} must be a mapping (kind, f, …)")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise ProblemSetError(f"{where}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
    required, optional = KINDS[kind]
    allowed = set(required) | set(optional) | set(COMMON) | {"kind"}
    if where.count(", part "):
        allowed -= {"parameters", "require"}
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise ProblemSetError(f"{where}: unknown field {unknown[0]!r} for a {kind} problem "
                              f"(it takes {', '.join((*required, *optional))})")  # fmt: skip
    missing = [k for k in required if k not in entry]
    if missing:
        raise ProblemSetError(f"{where}: a {kind} problem needs {missing[0]!r}")
    points = entry.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 <= points <= 1000:
        raise ProblemSetError(f"{where}: points must be a number from 0 to 1000")
    fields = {k: entry[k] for k in (*required, *optional) if k in entry}
    statement, title = _text(entry, "statement", where, ""), _text(entry, "title", where, "")
    return Part(pid, kind, fields, float(points), statement, title)


def _parameters(entry: object, where: str) -> tuple[Parameter, ...]:
    if not isinstance(entry, dict):
        raise ProblemSetError(f"{where}: parameters must map names to values (a: 2..9)")
    made = []
    for name, spec in entry.items():
        if not isinstance(name, str) or not NAME.match(name):
            raise ProblemSetError(f"{where}: parameter name {name!r} must be letters, digits and _")
        made.append(Parameter(name, _values(spec, f"{where}, parameter {name}")))
    return tuple(made)


_RANGE = re.compile(
    r"\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*(?:step\s+(\d+(?:\.\d+)?)\s*)?(?:,\s*not\s+(.+))?\Z"
)


def _values(spec: object, where: str) -> tuple[Any, ...]:
    """``2..9`` (whole numbers, both ends in), ``-3..3, not 0`` (or ``not 0, 1``), ``0.5..2 step
    0.5``, a list to choose from, or one fixed value."""
    if isinstance(spec, list):
        if not spec or not all(_scalar(v) for v in spec):
            raise ProblemSetError(f"{where}: a list of values must hold numbers or text")
        for value in spec:  # a text value may stand in a formula of a statement, written as typed
            refused = formula_problem(value) if isinstance(value, str) else ""
            if refused:
                said = f"{where}: the value {value[:40]!r} uses {refused}, which a handout may not write"
                raise ProblemSetError(said)
        return tuple(spec)
    if isinstance(spec, str) and ".." in spec:
        match = _RANGE.match(spec)
        if not match:
            raise ProblemSetError(f"{where}: cannot read the range {spec!r} "
                                  "(write 2..9, -3..3, not 0 or 0..1 step 0.25)")  # fmt: skip
        low, high, step = (Fraction(v) if v else None for v in match.groups()[:3])
        assert low is not None and high is not None
        step = Fraction(1) if step is None else step  # "step 0" is an empty range, not step 1
        if step <= 0 or high < low:
            raise ProblemSetError(f"{where}: the range {spec!r} is empty")
        if (high - low) / step >= MAX_CHOICES:
            raise ProblemSetError(f"{where}: the range {spec!r} has more than {MAX_CHOICES:,} values")
        excluded = set()
        for text in (match.group(4) or "").split(","):
            if text.strip():
                try:
                    excluded.add(Fraction(text.strip()))
                except ValueError:
                    raise ProblemSetError(f"{where}: cannot read {text.strip()!r} after 'not'") from None
        count = int((high - low) / step) + 1
        values = [low + i * step for i in range(count)]
        kept = tuple(_number(v) for v in values if v not in excluded)
        if not kept:
            raise ProblemSetError(f"{where}: every value of {spec!r} is excluded")
        return kept
    if _scalar(spec):
        return _values([spec], where)
    raise ProblemSetError(f"{where}: a parameter is a range (2..9), a list of values or one value")


def _scalar(value: object) -> bool:
    return isinstance(value, (int, float, str)) and not isinstance(value, bool)


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _require(entry: object, names: dict[str, tuple[Any, ...]], where: str) -> tuple[str, ...]:
    if isinstance(entry, str):
        entry = [entry]
    if not isinstance(entry, list) or not all(isinstance(r, str) for r in entry):
        raise ProblemSetError(f"{where}: require must be a list of conditions")
    for condition in entry:
        if condition.strip() in REQUIREMENTS:
            continue
        match = COMPARISON.match(condition)
        unknown = [n for n in (match.group(1), match.group(3)) if NAME.match(n) and n not in names] if match else []
        if not match or unknown:
            raise ProblemSetError(
                f"{where}: cannot read the condition {condition!r}"
                + (f" ({unknown[0]!r} is not a parameter)" if unknown else "")
                + f"; conditions are {', '.join(REQUIREMENTS)}, or a comparison such as a != b"
            )
        # a comparison compares numbers: a parameter that may be text is never handed to SymPy to read
        texts = [n for n in (match.group(1), match.group(3)) if any(isinstance(v, str) for v in names.get(n, ()))]
        if texts:
            raise ProblemSetError(f"{where}: {condition!r} compares {texts[0]!r}, whose values are not all numbers")
    return tuple(r.strip() for r in entry)


def substitute(template: object, values: dict[str, Any]) -> Any:
    """``template`` with each ``{name}`` of a drawn parameter replaced by its value (in strings,
    and in the strings inside lists and mappings); every other brace is left as written. The value
    is written as a teacher would write it there: a coefficient 1 is left out and -1 is a minus
    (``{b} x`` with b = 1 is ``x``, never ``1 x``), a negative value after + or − merges its sign
    (``x + {c}`` with c = -3 is ``x - 3``), and an exponent 1 is left out (``x^{n}`` is ``x``)."""
    if isinstance(template, str):
        if not values:
            return template
        pattern = re.compile(r"\{(" + "|".join(re.escape(n) for n in sorted(values, key=len, reverse=True)) + r")\}")
        out, end = "", 0
        for found in pattern.finditer(template):
            out += template[end : found.start()]
            out, shown = _placed(out, values[found.group(1)], template[found.end() :])
            end = found.end()
            if shown is None:  # an exponent 1: x^{1} is x; the ^{ is taken back and the } skipped
                end = template.index("}", end) + 1
            else:
                out += shown
        return out + template[end:]
    if isinstance(template, list):
        return [substitute(item, values) for item in template]
    if isinstance(template, dict):
        return {key: substitute(item, values) for key, item in template.items()}
    return template


# what may follow a coefficient for it to be a factor: a letter, a bracket, a function or a Greek letter
_FACTOR_COMMANDS_NAMES = (
    "sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh ln log exp sqrt frac dfrac tfrac left "
    "sigma alpha beta gamma delta epsilon varepsilon zeta eta theta lambda mu nu xi pi rho tau phi "
    "varphi chi psi omega operatorname mathrm mathbf max min"
)
_FACTOR_COMMANDS = frozenset(_FACTOR_COMMANDS_NAMES.split())
_OPENING = ("{", "(", "[", "=", ",")  # after these a value starts an expression of its own


def _placed(before: str, value: Any, after: str) -> tuple[str, str | None]:
    """The text before a parameter (its sign may change) and the parameter as shown there (None for
    an exponent 1 left out with its ``^{…}``). Only the notation changes, never the mathematics:

    * the braces of ``x^{n}``, ``x_{i}``, ``\\frac{a}{b}``, ``\\sqrt{a}`` are the value's group and stay
      (``\\frac{12}{5}``, ``x^{-1}``); an exponent 1 is left out with its ``^`` (x^{1} is x);
    * a negative value that a power or factorial follows is bracketed (``{a}^2`` is (-3)^2, not -3^2);
    * after + or − a negative value merges its sign (``x - {a}`` with a = -3 is x + 3), and elsewhere
      after an operator it is bracketed (``2 \\cdot (-3)``);
    * right after a number or a letter, or before a number, a value gets a product sign (``2{a}`` is
      2·3, never 23; ``x{a}`` is x·2, never the subscript x₂);
    * a coefficient 1 of a factor is left out, -1 is a minus (``{b} x`` is x, ``{b} \\sin x`` is -\\sin x)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return before, _shown(value)
    trimmed, follows = before.rstrip(), after.lstrip()
    if trimmed.endswith("^{") and follows.startswith("}"):  # x^{{n}}: the teacher's own braces
        return (trimmed[:-2], None) if value == 1 else (before, _shown(value))
    if before.endswith(("^", "_", "}", "]")) or re.search(r"\\[A-Za-z]+$", before):
        if value == 1 and before.endswith("^"):
            return before[:-1], ""
        return before, "{" + _shown(value) + "}"
    times = r" \cdot " if re.search(r"[0-9.]\s*$|[A-Za-z]$", before) else ""  # 2{a} is 2·3, never 23; x{a} not x_2
    if times:
        shown = f"({_shown(value)})" if value < 0 else _shown(value)
        return before.rstrip() + times, shown + _times_before_digit(follows)
    if value < 0 and follows.startswith(("^", "!")):
        return before, f"({_shown(value)})"
    if value < 0 and trimmed.endswith(("+", "-")):
        flipped = "-" if trimmed.endswith("+") else "+"
        before, value = trimmed[:-1] + flipped + before[len(trimmed) :], -value
        trimmed = before.rstrip()
    spacing = re.search(r"\\[,;:!]$", trimmed)  # x\,{a}: a thin space between factors, not a comma
    starts = trimmed == "" or (trimmed.endswith(("+", "-", *_OPENING)) and not spacing)
    if value < 0 and not starts:
        return before, f"({_shown(value)})"
    command = re.match(r"\\([A-Za-z]+)", follows)
    factor = bool(re.match(r"[A-Za-z(]", follows)) or (command is not None and command.group(1) in _FACTOR_COMMANDS)
    if abs(value) == 1 and starts and factor:
        return before, "" if value == 1 else "-"
    return before, _shown(value) + _times_before_digit(follows)


def _times_before_digit(follows: str) -> str:
    """{a} 2 is a·2: two numbers side by side get their product sign."""
    return r" \cdot" if follows[:1].isdigit() else ""


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


__all__ = ["KINDS", "Part", "Problem", "ProblemSet", "ProblemSetError", "problem_set", "read_problem_set", "substitute"]
