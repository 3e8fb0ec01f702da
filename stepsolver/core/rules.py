"""The vocabulary a step may cite: each rule is one definition (id, title, the general formula in
LaTeX), declared in the module of its domain and registered here, so that two rules can never
share an id and a step cites the rule object itself, never a string looked up at run time.

The rules every domain uses (arithmetic, simplification) are declared here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    formula: str


R = TypeVar("R", bound=Rule)

# id → rule, for every rule declared so far; the domains declare theirs when they are imported
# (``stepsolver.RULES`` imports them all).
RULES: dict[str, Rule] = {}


def declare(rule: R) -> R:
    """Register a rule; a second rule with the same id is a programming error, caught at import."""
    if rule.id in RULES and RULES[rule.id] != rule:
        raise ValueError(f"two rules have the id {rule.id!r}: {RULES[rule.id].title!r} and {rule.title!r}")
    RULES[rule.id] = rule
    return rule


ARITHMETIC = declare(
    Rule("arithmetic", "Arithmetic", r"\text{multiply out numbers, drop zero terms and factors of } 1")
)
SIMPLIFY = declare(Rule("simplify", "Simplify", r"\text{cancel common factors, collect terms}"))
SUBSTITUTE = declare(Rule("substitute", "Evaluate at the point", r"f'(a) = \left. f'(x) \right|_{x = a}"))
