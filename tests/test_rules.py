"""Every rule of the vocabulary, on an example a textbook would use: the rule is cited and the result right."""

from __future__ import annotations

import pytest
import sympy as sp

from stepsolver import RULES, differentiate
from stepsolver.functions import to_elementary

from .helpers import numerically_equal

x, y, z = sp.symbols("x y z", real=True)

# (input, variable, a rule that must appear in the derivation)
EXAMPLES = [
    ("7", "x", "constant"),
    ("x", "x", "identity"),
    ("x^{-3}", "x", "power"),
    (r"\sqrt[3]{x}", "x", "power"),
    ("e^x", "x", "exp"),
    (r"\ln x", "x", "ln"),
    ("5 x^2", "x", "constant_multiple"),
    ("x^2 - x", "x", "sum"),
    (r"x \sin x", "x", "product"),
    (r"\frac{1}{x^2 + 1}", "x", "reciprocal"),
    (r"\frac{x}{x + 1}", "x", "quotient"),
    (r"\sin(x^2)", "x", "chain"),
    (r"\tan x", "x", "trig"),
    (r"\sec x", "x", "trig"),
    (r"\arcsin x", "x", "inverse_trig"),
    (r"\operatorname{atan}(x)", "x", "inverse_trig"),
    (r"\operatorname{asec}(x)", "x", "inverse_trig"),
    (r"\sinh x", "x", "hyperbolic"),
    (r"\operatorname{arsinh} x", "x", "inverse_hyperbolic"),
    (r"\tanh x", "x", "tanh"),
    ("2^x", "x", "exp_base"),
    (r"\log_{2} x", "x", "log_base"),
    (r"\sin(x)^x", "x", "log_differentiation"),
    ("(x+1)^{x^2}", "x", "log_differentiation"),
    ("|x|", "x", "abs"),
    (r"\sigma(x)", "x", "sigmoid"),
    (r"\operatorname{softplus}(x)", "x", "softplus"),
    (r"\operatorname{ReLU}(x)", "x", "relu"),
    (r"\operatorname{erf}(x)", "x", "generic"),
    ("x^3", "x", "power"),
    (r"x \sin x \cdot e^x", "x", "product_n"),
    (r"\frac{\sin x}{1+\cos x}", "x", "pythagorean_identity"),
    (r"\ln|x|", "x", "sign_over_abs"),
    (r"\sqrt{x}", "x", "roots"),
    ("x^{2/3}", "x", "as_fraction"),
    (r"\frac{x^2}{2\sqrt 2}", "x", "as_typed_root"),
    (r"\max(x, x^2)", "x", "max_min"),
    (r"x^2 \operatorname{sgn}(x)", "x", "sign"),
]


@pytest.mark.parametrize(("expr", "wrt", "rule_id"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_rule_is_cited_and_result_is_right(expr: str, wrt: str, rule_id: str) -> None:
    derivation = differentiate(expr, wrt=wrt)
    assert rule_id in {s.rule.id for s in derivation.steps} | {
        s.rule.id for step in derivation.steps for sub in step.substeps for s in sub.steps
    }
    f = derivation.start.expr
    reference = sp.diff(to_elementary(f), derivation.variables["wrt"])
    assert numerically_equal(derivation.result, reference)
    assert derivation.verify().ok


def test_every_rule_in_the_vocabulary_has_a_formula_and_an_example() -> None:
    from .test_graph import FORWARD_MODE_RULES, GRAPH_RULES
    from .test_kinks_and_display import ONE_SIDED_RULES
    from .test_linalg import LINALG_RULES
    from .test_linalg_spectral import NEW_RULES as DETERMINANT_AND_SPECTRAL_RULES
    from .test_matrix_calculus import MATRIX_RULES
    from .test_models import MODEL_RULES
    from .test_multivariable import SLOPE_RULES
    from .test_partials import PARTIAL_RULES

    used = {rule_id for *_, rule_id in EXAMPLES} | {"higher_order", "arithmetic", "simplify", "substitute"}
    used |= {"floor_ceiling"}  # SymPy has no derivative of floor to compare with: see the test below
    used |= {"piecewise"}  # a second derivative of ReLU: see test_second_derivative_of_a_piecewise_result
    used |= GRAPH_RULES | FORWARD_MODE_RULES | SLOPE_RULES | LINALG_RULES | ONE_SIDED_RULES | PARTIAL_RULES
    used |= DETERMINANT_AND_SPECTRAL_RULES | set(MATRIX_RULES) | set(MODEL_RULES)
    assert set(RULES) == used
    assert all(rule.formula and rule.title for rule in RULES.values())


@pytest.mark.parametrize("f", [r"\lfloor x^2 \rfloor", r"\lceil 3x \rceil + x", r"x \lfloor x \rfloor"])
def test_floor_and_ceiling_are_flat_between_the_whole_numbers(f: str) -> None:
    """The reference is a central difference of f itself (SymPy leaves (floor u)' unevaluated)."""
    derivation = differentiate(f)
    assert "floor_ceiling" in {s.rule.id for s in derivation.steps} | {
        s.rule.id for step in derivation.steps for sub in step.substeps for s in sub.steps
    }
    assert derivation.verify().ok
    g = sp.lambdify(x, derivation.start.expr)
    for a in (0.3, 1.37, -2.71, 0.77):
        h = 1e-7
        assert abs(float(derivation.result.subs(x, a)) - (g(a + h) - g(a - h)) / (2 * h)) < 1e-5
    with pytest.raises(ValueError, match="undefined at x = 1"):
        differentiate(f, at=1)


def test_second_derivative_of_a_piecewise_result() -> None:
    """ReLU'' and |x|'': the piecewise first derivative differentiated branch by branch, inside
    each branch (no value where the branches meet)."""
    second = differentiate(r"\operatorname{ReLU}(x^2 - 1)", order=2)
    assert "piecewise" in {s.rule.id for s in second.steps}
    assert second.verify().ok
    for a, expected in ((-3, 2), (0.5, 0), (2, 2)):
        assert float(second.result.subs(x, a)) == expected
    with pytest.raises(ValueError, match="undefined"):
        differentiate(r"\operatorname{ReLU}(x^2 - 1)", order=2, at=1)


def test_sin_to_the_x_is_right_where_sympy_gamma_was_wrong() -> None:
    result = differentiate(r"\sin(x)^x").result
    expected = sp.sin(x) ** x * (sp.log(sp.sin(x)) + x * sp.cos(x) / sp.sin(x))
    assert sp.simplify(result - expected) == 0


def test_chain_rule_has_the_outer_derivative_as_a_side_derivation() -> None:
    step = differentiate("e^{x^2}").steps[0]
    assert step.rule.id == "chain"
    assert str(step.bindings["u"]) == "x**2"
    side = step.substeps[0]
    assert side.steps[0].rule.id == "exp"
    assert side.verify().proved


def test_partial_derivative_holds_other_variables_constant() -> None:
    derivation = differentiate(r"x(\ln(3y) + z^2)", wrt="y")
    assert derivation.partial
    assert r"\frac{\partial}{\partial y}" in derivation.to_latex()
    assert sp.simplify(derivation.result - x / y) == 0
    assert "∂/∂y" in derivation.to_text()


def test_lecture_graph_partials_at_the_point() -> None:
    point = {"x": 1, "y": 2, "z": 3}
    expected = {"x": sp.log(6) + 9, "y": sp.Rational(1, 2), "z": sp.Integer(6)}
    for name, value in expected.items():
        derivation = differentiate(r"x(\ln(3y) + z^2)", wrt=name, at=point)
        assert derivation.steps[-1].rule.id == "substitute"
        assert sp.simplify(derivation.result - value) == 0


@pytest.mark.parametrize("order", [2, 3, 4])
def test_higher_order(order: int) -> None:
    derivation = differentiate(r"x^3 \sin x", order=order)
    assert derivation.steps[0].rule.id == "higher_order"
    assert sp.simplify(derivation.result - sp.diff(x**3 * sp.sin(x), x, order)) == 0
    assert derivation.verify().ok


def test_value_at_a_point() -> None:
    assert differentiate("x^2 + 1", at=2).result == 4
    assert differentiate("x^2 + 1", at="x=2").result == 4
    assert differentiate(r"\sin x", at=r"\pi").result == -1
    assert differentiate("x^2", at=0.5).result == 1


def test_derivative_undefined_at_the_point_is_an_error_not_a_crash() -> None:
    from stepsolver import DomainError

    with pytest.raises(DomainError, match="undefined"):
        differentiate(r"\ln x", at=0)


def test_relu_derivative_is_piecewise_and_says_so() -> None:
    derivation = differentiate(r"\operatorname{ReLU}(x)")
    assert derivation.result.has(sp.Piecewise)
    assert "undefined at" in derivation.steps[0].rule.formula


def test_sigmoid_derivative_is_sigma_one_minus_sigma() -> None:
    from stepsolver.functions import sigmoid

    derivation = differentiate(r"\sigma(x)")
    assert sp.simplify(derivation.result - sigmoid(x) * (1 - sigmoid(x))) == 0


def test_plain_text_and_sympy_inputs() -> None:
    assert differentiate("x^2*sin(x)").steps[0].rule.id == "product"
    assert differentiate("ln(x)/x^2").steps[0].rule.id == "quotient"
    assert differentiate(sp.sin(x) ** 2).result == sp.sin(2 * x) or numerically_equal(
        differentiate(sp.sin(x) ** 2).result, 2 * sp.sin(x) * sp.cos(x)
    )


def test_sympy_input_with_unknown_functions_uses_the_chain_rule() -> None:
    f = sp.Function("f")
    plain = sp.Symbol("x")  # no assumptions: taken as real, by the package's policy
    derivation = differentiate(f(plain**2))
    assert derivation.steps[0].rule.id == "chain"
    assert "2·x·f'(x²)" in derivation.to_text()
    assert derivation.verify().proved


def test_function_without_a_derivative_is_refused_clearly() -> None:
    from stepsolver import RuleError

    with pytest.raises(RuleError, match="no derivative rule for primepi"):
        differentiate(sp.primepi(sp.Symbol("x")))


def test_sigmoid_and_relu_are_checked_against_their_definitions() -> None:
    sigmoid_step = differentiate(r"\sigma(x)").steps[0]
    assert sigmoid_step.verify().status == "proved"  # σ(1−σ) = e^{-x}/(1+e^{-x})², proved
    relu = differentiate(r"\operatorname{ReLU}(x)")
    # Piecewise vs SymPy's Heaviside(max(0, x)'): equal wherever ReLU' exists, shown as checked, not proved
    assert relu.steps[0].verify().status == "numeric"
    assert "checked numerically" in relu.to_text()
    assert "checked numerically" in relu.to_latex()
    assert "checked numerically" in relu.to_markdown()


@pytest.mark.parametrize(
    ("expr", "first_rule"),
    [
        (r"x^{-2} \sin x", "product"),
        (r"\frac{\sin x}{x^2}", "quotient"),
        ("sin(x)/x^2", "quotient"),
        (r"\frac{1}{x^2+1}", "reciprocal"),
        ("x^{-1}", "power"),
    ],
)
def test_only_a_written_fraction_takes_the_quotient_rule(expr: str, first_rule: str) -> None:
    """SymPy Gamma sends every negative power to the quotient rule; a typed x^{-2} is a power."""
    assert differentiate(expr).steps[0].rule.id == first_rule


def test_a_second_rule_with_an_id_already_taken_is_refused_at_import() -> None:
    """A second "identity" once replaced the derivative rule's title: now declaring it fails."""
    from stepsolver.core.rules import Rule, declare

    with pytest.raises(ValueError, match="two rules have the id 'identity'"):
        declare(Rule("identity", "Identity matrix", "I"))
    assert RULES["identity"].title == "Identity rule"


def test_steps_cite_the_registered_rule_objects_not_ids() -> None:
    """Steps cite the rule definitions themselves (calculus.rules.PRODUCT), not ids looked up at
    run time, so a misspelt rule is a NameError at import; the cited rule is the registered one."""
    from stepsolver.calculus import rules

    cited = differentiate(r"x \sin x").steps[0].rule
    assert cited == rules.PRODUCT and RULES[cited.id] is rules.PRODUCT
