"""What the README's "Extending" section promises: a rule is one definition (plus its place in the
strategy), a format is one renderer class; neither touches the results or the other formats."""

from __future__ import annotations

import pytest
import sympy as sp

from stepsolver import RULES, differentiate, parse
from stepsolver.calculus.derivative import Engine
from stepsolver.calculus.function_rules import TableRule
from stepsolver.calculus.strategy import DERIVATIVE
from stepsolver.core.derivation import Derivation
from stepsolver.core.rewriting import Strategy
from stepsolver.render.base import Renderer

x = sp.Symbol("x", real=True)


def test_a_new_rule_is_one_definition_and_a_place_in_the_strategy() -> None:
    erf = TableRule("erf", "Error function", r"(\operatorname{erf} x)' = \tfrac{2}{\sqrt\pi} e^{-x^2}",
                    table={sp.erf: lambda u: 2 / sp.sqrt(sp.pi) * sp.exp(-(u**2))})  # fmt: skip
    functions = DERIVATIVE.by_type[sp.Function]
    strategy = Strategy(DERIVATIVE.first, {**DERIVATIVE.by_type, sp.Function: (erf, *functions)}, DERIVATIVE.last)
    steps = Engine(strategy).steps(parse(r"\operatorname{erf}(x^2)"), x)
    cited = [s.rule.id for s in steps] + [s.rule.id for step in steps for sub in step.substeps for s in sub.steps]
    assert "erf" in cited and "generic" not in cited
    assert all(step.verify().ok for step in steps)  # checked against SymPy's own erf'
    assert "erf" not in RULES  # the house's vocabulary is untouched until the rule is declared there


def test_the_house_strategy_cites_sympys_table_for_erf_today() -> None:
    assert "generic" in {s.rule.id for s in differentiate(r"\operatorname{erf}(x)").steps}


class PlainRenderer(Renderer):
    """A format of one's own: one class, one method per result type it can show."""

    format = "plain"

    def _render_Derivation(self, derivation: Derivation, **options: object) -> str:
        return " = ".join([sp.sstr(derivation.start), *(sp.sstr(step.after) for step in derivation.steps)])


def test_a_new_format_is_one_renderer_class() -> None:
    shown = PlainRenderer().render(differentiate("x^2"))
    assert shown.startswith("Derivative(x**2, x) = ") and shown.endswith("2*x")
    with pytest.raises(ValueError, match="has no plain rendering"):
        PlainRenderer().render(object())


def test_any_format_is_reached_through_to() -> None:
    d = differentiate("x^2")
    assert d.to("text") == d.to_text() and d.to("latex", standalone=True) == d.to_latex(standalone=True)
    with pytest.raises(ValueError, match="no svg rendering"):
        d.to("svg")


def test_the_command_offers_the_formats_render_has() -> None:
    from stepsolver.cli import FORMATS
    from stepsolver.render import DOCUMENTS

    assert tuple(DOCUMENTS) == FORMATS
