"""Unicode text for terminals: one line per step, the rule on the line below."""

from __future__ import annotations

from ..core.derivation import Derivation
from .printers import text


def render_text(derivation: Derivation, indent: str = "") -> str:
    partial = derivation.partial
    lines = [f"{indent}{text(derivation.start, partial)}"]
    for step in derivation.steps:
        lines.append(f"{indent}  = {text(step.after, partial, step.typed_order)}")
        bindings = ", ".join(
            f"{name} = {text(value, partial, step.typed_order)}" for name, value in step.bindings.items()
        )
        lines.append(f"{indent}      [{step.rule.title}{'; ' + bindings if bindings else ''}]")
        if step.verify().caveat:
            lines.append(f"{indent}      (!) {step.verify().caveat}")
        for sub in step.substeps:
            lines.append(render_text(sub, indent + "        "))
    if derivation.variables.get("conclusion"):
        lines.append(f"{indent}⇒ {derivation.variables['conclusion']}")
    return "\n".join(lines)
