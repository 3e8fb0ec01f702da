"""How many digits the equivalence checker works with, chosen from the numbers written.

Values are computed with 30 digits plus twice the widest exponent written, up to a cap (a numeric
"equal" that would need more is "undecided"); where the sides agree, a second look goes deeper,
further still where a constant written lies closer to a short number than the working precision
can see (tanh 300 is 1 − 10⁻²⁶¹). Kept apart from judging a point (``equivalence_judge``), which
only receives the digits.
"""

from __future__ import annotations

from collections.abc import Iterable

import mpmath
import sympy as sp

from ..core import reals
from ..core.real_arithmetic import TooLarge, Undefined, to_mpf
from ..core.reals import Unsupported

BASE_DIGITS = 30
MAX_DIGITS = 4_000
MAX_WORKING_DIGITS = MAX_DIGITS // 4  # judged again at twice and four times this
DEEP_DIGITS = 200  # a second look at the first points where the sides agree: 1 − tanh(100) is 10⁻⁸⁷
DEEP_CONSTANT_DIGITS = 1_000  # the same for two constants (one point, so it can afford more)
PROBE_DIGITS = 400  # constants written are looked at with these, for how close they come to a short number


def widest_decades(exprs: Iterable[sp.Basic]) -> tuple[float, float]:
    """The widest decade (log10 of the size, either way) of the numbers written, and of those
    and every constant power (e^{30}) together."""
    written = constants = 0.0
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, (sp.Rational, sp.Float)):
                parts = (node.p, node.q) if isinstance(node, sp.Rational) else (node,)
                for part in parts:
                    magnitude = abs(mpmath.mpf(part)) if isinstance(part, sp.Float) else abs(int(part))
                    if magnitude and magnitude != 1:
                        written = max(written, abs(float(mpmath.log10(mpmath.mpf(magnitude)))))
            elif isinstance(node, (sp.exp, sp.Pow)) and not node.free_symbols:
                try:
                    value = to_mpf(reals.evaluate(reals.compile_real(node), {}, 15)[0])
                except (Undefined, TooLarge, Unsupported, TypeError, AttributeError):
                    continue
                if value:
                    constants = max(constants, abs(float(mpmath.log10(abs(value)))))
    return written, max(written, constants)


def deep_digits(exprs: Iterable[sp.Basic], digits: int) -> int:
    """Digits for the second look: ``DEEP_DIGITS``, or more where a constant written is within
    far less than the working precision of a short number (tanh 300 is 1 − 10⁻²⁶¹)."""
    deep = DEEP_DIGITS
    probes = [node for expr in exprs for node in sp.preorder_traversal(expr)
              if isinstance(node, (sp.Function, sp.Pow)) and not node.free_symbols]  # fmt: skip
    for node in probes[:8]:
        try:
            value = to_mpf(reals.evaluate(reals.compile_real(node), {}, PROBE_DIGITS)[0])
        except (Undefined, TooLarge, Unsupported, TypeError, AttributeError):
            continue
        if not value:
            continue
        with mpmath.workdps(PROBE_DIGITS):
            short = mpmath.mpf(mpmath.nstr(value, 15))
            offset = abs(value - short) / abs(value)
            if offset and offset < mpmath.mpf(10) ** (10 - digits):
                deep = max(deep, min(int(-mpmath.log10(offset)) + 30, PROBE_DIGITS))
    return deep
