"""What a problem states about a variable, and the points drawn there.

Stated as a word ("positive", "nonnegative", "negative", "nonpositive", "nonzero", "integer",
"real"), an interval ("(0, 1)", "[1, 2]", "(10, inf)", "(-\\infty, 3]"), or an inequality
("> 10", "x >= 10", "0 < x < 1", "≤ 3"). Points cover the whole set at several scales: for an
unbounded side, distances 10⁻³ … 10⁶ from its end, both signs when the line is unbounded
(the comparison adds far values and values off the decimal lattice of its own).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction

SCALES = (0, 1, -1, 2, -2, 3, -3, 4, 5, 6)  # decades of |x| (or of the distance to a stated end), usual first
SPECIALS = [Fraction(n, d) for n, d in ((1, 1), (2, 1), (3, 1), (1, 2), (1, 3), (2, 3), (3, 2))]


@dataclass(frozen=True)
class Domain:
    low: Fraction | None = None  # None: unbounded
    high: Fraction | None = None
    low_open: bool = True
    high_open: bool = True
    integer: bool = False

    def contains(self, value: Fraction) -> bool:
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        if self.high is not None and (value > self.high or (self.high_open and value == self.high)):
            return False
        return not self.integer or value.denominator == 1

    def flags(self) -> dict[str, bool]:
        """SymPy assumptions implied, for the symbolic proof."""
        flags: dict[str, bool] = {"integer": True} if self.integer else {}
        if self.low is not None and self.low >= 0:
            flags["positive" if self.low > 0 or self.low_open else "nonnegative"] = True
        elif self.high is not None and self.high <= 0:
            flags["negative" if self.high < 0 or self.high_open else "nonpositive"] = True
        return flags


REAL = Domain()
_WORDS = {
    "real": REAL,
    "nonzero": REAL,  # a single point is never drawn anyway
    "positive": Domain(low=Fraction(0)),
    "nonnegative": Domain(low=Fraction(0), low_open=False),
    "negative": Domain(high=Fraction(0)),
    "nonpositive": Domain(high=Fraction(0), high_open=False),
    "integer": Domain(integer=True),
}
_NUMBER = r"[-+−]?(?:\d+(?:\.\d*)?|\.\d+)(?:/\d+)?"
_INFINITY = {"inf", "+inf", "infinity", "+infinity", "∞", "+∞", "\\infty", "+\\infty", "oo", "+oo"}


def _number(text: str) -> Fraction | None:
    """A finite end; None for ±∞. Never evaluated as code."""
    text = text.strip().replace("−", "-").replace(" ", "")
    bare = text.lstrip("+-")
    if bare.lower() in {t.lstrip("+") for t in _INFINITY}:
        return None
    if not re.fullmatch(_NUMBER, text):
        raise ValueError(f"not a number: {text!r}")
    return Fraction(text)


def _interval(text: str) -> Domain | None:
    match = re.fullmatch(r"([(\[])(.*),(.*)([)\]])", text)
    if not match:
        return None
    low, high = _number(match[2]), _number(match[3])
    if low is not None and high is not None and low >= high:
        raise ValueError(f"empty interval {text!r}")
    return Domain(low, high, match[1] == "(" or low is None, match[4] == ")" or high is None)


_OPS = {"<": (True, "<"), "<=": (False, "<"), "≤": (False, "<"),
        ">": (True, ">"), ">=": (False, ">"), "≥": (False, ">")}  # fmt: skip


def _inequality(text: str) -> Domain | None:
    """"> 10", "x >= 10", "0 < x < 1", "10 > x": one or two comparisons with the variable."""
    parts = re.split(r"(<=|>=|≤|≥|<|>)", text)
    parts = [p.strip() for p in parts]
    if len(parts) < 3 or len(parts) % 2 == 0:
        return None
    low: Fraction | None = None
    high: Fraction | None = None
    low_open = high_open = True
    names = [i for i in range(0, len(parts), 2) if not parts[i] or re.fullmatch(r"[A-Za-z_\\][\w\\{}]*", parts[i])]
    if len(names) != 1 or (len(parts) == 5 and names[0] != 2):
        return None
    where = names[0]
    for i in range(1, len(parts), 2):
        strict, direction = _OPS[parts[i]]
        number_at = i + 1 if i > where else i - 1
        bound = _number(parts[number_at])
        variable_on_left = i > where
        is_lower = (direction == ">") == variable_on_left
        if bound is None:
            raise ValueError(f"an infinite bound in {text!r}")
        if is_lower:
            low, low_open = bound, strict
        else:
            high, high_open = bound, strict
    if low is not None and high is not None and low >= high:
        raise ValueError(f"no number satisfies {text!r}")
    return Domain(low, high, low_open, high_open)


def read_assumption(text: str) -> Domain:
    """A ``Domain`` from what a problem states; ValueError for anything else."""
    words = text.strip().lower().replace("_", " ")
    if words in _WORDS:
        return _WORDS[words]
    if words.endswith("integer") and words[: -len("integer")].strip() in _WORDS:
        base = _WORDS[words[: -len("integer")].strip()]
        return Domain(base.low, base.high, base.low_open, base.high_open, integer=True)
    compact = text.strip()
    domain = _interval(compact.replace(" ", "")) or _inequality(compact)
    if domain is None:
        raise ValueError(
            f"unknown assumption {text!r}: use positive, nonnegative, negative, nonzero, integer, "
            "an interval such as (0, 1) or (10, inf), or an inequality such as > 10"
        )
    return domain


def _mantissa(rng: random.Random) -> Fraction:
    """1 ≤ m < 10 with six random digits: never a round number that sits on a breakpoint."""
    return Fraction(rng.randrange(1_000_001, 9_999_999), 1_000_000)


def _offsets(rng: random.Random) -> list[Fraction]:
    return [_mantissa(rng) * Fraction(10) ** k for k in SCALES]


def candidates(domain: Domain, rng: random.Random) -> tuple[list[Fraction], list[Fraction]]:
    """(values at several scales, simple special values) inside ``domain``."""
    if domain.integer:
        values = [Fraction(round(_mantissa(rng) * 10**k)) * s for k in range(0, 7) for s in (1, -1)]
        values += [Fraction(n) for n in (-3, -2, -1, 0, 1, 2, 3)]
        return [v for v in values if domain.contains(v)], []
    low, high = domain.low, domain.high
    if low is None and high is None:
        values = [Fraction(rng.randrange(-3_000_000, 3_000_000), 1_000_000) for _ in range(6)]
        values += [s * m for m in _offsets(rng) for s in (1, -1)]
    elif high is None:
        assert low is not None
        values = [low + m for m in _offsets(rng)]
    elif low is None:
        values = [high - m for m in _offsets(rng)]
    else:
        width = high - low
        values = [low + width * Fraction(rng.randrange(1, 999_999), 1_000_000) for _ in range(10)]
        near_ends = [width * m / 10**7 for m in _offsets(rng)[:4]]  # 10⁻¹⁰ … 10⁻⁶ of the width
        values += [low + d for d in near_ends] + [high - d for d in near_ends]
    specials = [s * v for v in SPECIALS for s in (1, -1)]
    return [v for v in values if domain.contains(v)], [v for v in specials if domain.contains(v)]
