"""The mistake engine is the step engine with one rule swapped: each common mistake, worked on a
problem a teacher would set, gives the answer that mistake gives, written here by hand from the
mistake's own description (and compared numerically, not by the code under test)."""

from __future__ import annotations

import pytest
import sympy as sp

from stepsolver import parse
from stepsolver.calculus.rules import MISTAKES as DECLARED
from stepsolver.calculus.strategy import DERIVATIVE
from stepsolver.check.mistakes import MISTAKES, candidates, derivative
from stepsolver.core.rewriting import RewriteRule

from .helpers import numerically_equal

x = sp.Symbol("x", real=True)
E, ln, sin, cos = sp.E, sp.log, sp.sin, sp.cos

# (problem, mistake, the answer a student making that mistake hands in, worked by hand)
BY_HAND = [
    ("x \\sin x", "product_as_product", cos(x)),  # f'g' = 1·cos x
    ("x \\sin x", "product_as_sum", 1 + cos(x)),  # f' + g'
    ("x^2 e^x \\sin x", "product_as_product", 2 * x * E**x * cos(x)),  # three factors: f'g'h'
    ("\\frac{\\ln x}{x^2}", "quotient_sign", (ln(x) * 2 * x - x**2 / x) / x**4),  # (fg' − f'g)/g²
    ("\\frac{\\ln x}{x^2}", "quotient_no_square", (x**2 / x - ln(x) * 2 * x) / x**2),  # (f'g − fg')/g
    ("\\frac{\\ln x}{x^2}", "quotient_as_quotient", (1 / x) / (2 * x)),  # f'/g'
    ("\\sin(x^2)", "chain_missing_inner", cos(x**2)),
    ("\\ln(x^2 + 1)", "chain_missing_inner", 1 / (x**2 + 1)),  # ln(g)' = 1/g
    ("(x^2 + 1)^3", "chain_missing_inner", 3 * (x**2 + 1) ** 2),
    ("\\frac{1}{x^2 + 1}", "chain_missing_inner", -1 / (x**2 + 1) ** 2),
    ("\\ln x", "log_reciprocal_of_log", 1 / ln(x)),
    ("e^x", "power_rule_on_exponential", x * E ** (x - 1)),
    ("2^x", "power_rule_on_exponential", x * 2 ** (x - 1)),
    ("x^5", "exponent_not_reduced", 5 * x**5),
    ("x^{-3}", "negative_power", -3 * x**-2),
    ("\\cos x", "trig_sign", sin(x)),
    ("\\sin(3x)", "trig_sign", -3 * cos(3 * x)),
    ("\\pi^3 + x", "constant_as_variable", 3 * sp.pi**2 + 1),
    ("e^2 x", "constant_as_variable", E**2),  # a constant factor is not differentiated: no site
    ("\\frac{1}{\\sin x}", "reciprocal_of_derivative", 1 / cos(x)),
    ("x^3", "integrated_instead", x**4 / 4),
]


@pytest.mark.parametrize(("problem", "mistake", "by_hand"), BY_HAND, ids=[f"{p} {m}" for p, m, _ in BY_HAND])
def test_a_mistake_gives_the_answer_worked_by_hand(problem: str, mistake: str, by_hand: sp.Expr) -> None:
    answer, sites = derivative(parse(problem), x, mistake)
    assert numerically_equal(answer, by_hand), (answer, by_hand)
    if problem == "e^2 x":
        assert not sites  # the mistake could not be made here, so it explains nothing
    else:
        assert sites


def test_partial_derivative_drops_the_factor_held_constant() -> None:
    y = sp.Symbol("y", real=True)
    answer, sites = derivative(parse("x^2 y"), x, "partial_dropped_factor")
    assert numerically_equal(answer, 2 * x) and sites == [parse("x^2 y")]
    assert y not in answer.free_symbols


def test_every_mistake_corrupts_rules_of_the_house_strategy_only() -> None:
    """A mistake is the same strategy with its rules swapped: it names rules the strategy uses."""
    used: set[RewriteRule] = set(DERIVATIVE.rules)
    for mistake in DECLARED.values():
        assert mistake.wrong or mistake.answer is not None, mistake.id
        assert set(mistake.wrong) <= used, mistake.id
        assert mistake.rule.formula  # the diagnosis quotes the right rule


def test_a_second_mistake_with_a_taken_id_is_refused() -> None:
    from stepsolver.calculus.rules import POWER, mistake

    with pytest.raises(ValueError, match="two mistakes have the id 'trig_sign'"):
        mistake("trig_sign", "again", POWER)
    assert MISTAKES["trig_sign"].rule.id == "trig"


# a composite argument: the mistake is made on the whole, as a student writes it
COMPOSITE = [
    ("\\ln(x^2 + 1)", "log_reciprocal_of_log", 1 / ln(x**2 + 1)),
    ("e^{x^2}", "power_rule_on_exponential", x**2 * E ** (x**2 - 1)),
    ("2^{3x}", "power_rule_on_exponential", 3 * x * 2 ** (3 * x - 1)),
    ("\\sin(3x)", "trig_sign", -3 * cos(3 * x)),
    ("\\tan(e^{2x})", "chain_missing_inner", sp.sec(E ** (2 * x)) ** 2),
]


@pytest.mark.parametrize(("problem", "mistake", "by_hand"), COMPOSITE, ids=[f"{p} {m}" for p, m, _ in COMPOSITE])
def test_a_mistake_on_a_composite_is_made_on_the_whole(problem: str, mistake: str, by_hand: sp.Expr) -> None:
    f = parse(problem)
    answer, sites = derivative(f, x, mistake)
    assert numerically_equal(answer, by_hand), (answer, by_hand)
    assert sites and all(site in set(sp.preorder_traversal(f)) for site in sites), sites


SITES = ["\\sin(3x) e^{x^2}", "\\frac{\\ln(2x)}{\\cos(x^2)}", "(x^2 + 1)^3 \\tan(e^{x})", "\\frac{1}{\\sin(x^3)}",
         "x^2 \\ln(\\ln x)", "e^{\\sin(\\cos x)}", "2^{x^2} + \\cos(\\sqrt{x})"]  # fmt: skip


@pytest.mark.parametrize("problem", SITES)
def test_every_site_named_is_a_term_the_student_was_given(problem: str) -> None:
    """A diagnosis names where the mistake was made: never the u of a side derivation."""
    f = parse(problem)
    terms = set(sp.preorder_traversal(f))
    for candidate in candidates(f, x):
        assert all(site in terms for site in candidate.sites), (candidate.mistake, candidate.sites)
        assert not any(s.name == "u" for site in candidate.sites for s in site.free_symbols), candidate


def test_no_mistake_is_made_inside_logarithmic_differentiation() -> None:
    """(x^x)' = x^x (ln x + 1): the product x ln x is the engine's own rewrite, not the student's."""
    found = {c.mistake for c in candidates(parse("x^x"), x)}
    assert found <= {"integrated_instead"}


def test_a_mistake_that_cannot_be_made_is_not_a_candidate() -> None:
    found = {c.mistake for c in candidates(parse("x^5"), x)}
    assert "exponent_not_reduced" in found and "product_as_product" not in found and "trig_sign" not in found
