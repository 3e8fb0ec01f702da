"""Large but valid input finishes or is refused in bounded time; time limits nest correctly."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from stepsolver import RuleError, differentiate
from stepsolver.core import envelope
from stepsolver.core.timeout import time_limit


@pytest.mark.parametrize(
    ("text", "seconds", "words"),
    [
        ("+".join(["x"] * 2500), 1.0, "parts"),  # flat but long: refused by size, at once
        ("*".join(["x"] * 300), 3.0, "too long"),  # each step would print 90,000 factors
        ("(x+1)^{10^{9}}", 1.0, "exponent"),
    ],
)
def test_large_valid_input_is_refused_quickly(text: str, seconds: float, words: str) -> None:
    start = time.perf_counter()
    with pytest.raises(Exception, match=words):
        differentiate(text)
    assert time.perf_counter() - start < seconds


def test_a_long_sum_within_the_limits_is_worked() -> None:
    derivation = differentiate("+".join(f"x^{{{k}}}" for k in range(1, 60)))
    assert derivation.steps[0].rule.id == "sum"
    x = sp.Symbol("x", real=True)
    assert sp.expand(derivation.result - sum(k * x ** (k - 1) for k in range(1, 60))) == 0


def test_whole_derivation_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "MAX_SECONDS", 0.3)
    start = time.perf_counter()
    with pytest.raises(RuleError, match="longer than"):
        differentiate("x^{" * 12 + "x" + "}" * 12)
    assert time.perf_counter() - start < 3


def test_an_inner_limit_does_not_swallow_the_outer_one() -> None:
    start = time.perf_counter()
    with time_limit(0.2) as outer:
        while True:  # inner limits keep expiring and being handled; the outer still stops us
            with time_limit(0.05) as inner:
                time.sleep(1)
            assert inner.expired
    assert outer.expired
    assert time.perf_counter() - start < 1


def test_expiry_inside_an_inner_block_belongs_to_the_outer() -> None:
    inner = None
    with time_limit(0.1) as outer:
        with time_limit(5) as inner:
            time.sleep(1)
        pytest.fail("the outer limit's expiry must leave the inner block")  # pragma: no cover
    assert outer.expired and inner is not None and not inner.expired


def test_numbers_too_large_to_hold_are_refused_in_one_line() -> None:
    """2^2^…^2 overflowed inside SymPy as an internal error; the envelope says what it is."""
    from stepsolver import computation_graph

    with pytest.raises(RuleError, match="grow too large"):
        computation_graph("x^x^x^x^x^x^x^x", at="x=2")


def test_a_slope_is_worked_inside_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """f(a) of a tower is a number of millions of digits: it is held, and the slope is bounded."""
    from stepsolver import slope

    monkeypatch.setattr(envelope, "MAX_SECONDS", 1.0)
    start = time.perf_counter()
    with pytest.raises(RuleError, match="longer than"):
        slope("x^{x^{x}}", at=9)
    assert time.perf_counter() - start < 10


def test_linear_algebra_is_worked_inside_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from stepsolver import linalg

    monkeypatch.setattr(envelope, "MAX_SECONDS", 1.0)
    start = time.perf_counter()
    with pytest.raises(RuleError, match="longer than"):
        linalg.rank([[f"a{i}{j}" for j in range(5)] for i in range(5)])
    assert time.perf_counter() - start < 10
