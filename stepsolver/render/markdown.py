"""Markdown with $$…$$ maths: a numbered list of steps, each with its rule and formula."""

from __future__ import annotations

from ..core.derivation import Derivation
from .printers import latex


def render_markdown(derivation: Derivation, level: int = 0) -> str:
    partial = derivation.partial
    pad = "   " * level
    out = [f"{pad}$${latex(derivation.start, partial)}$$", ""]
    for number, step in enumerate(derivation.steps, start=1):
        bindings = ", ".join(
            f"${name} = {latex(value, partial, step.typed_order)}$" for name, value in step.bindings.items()
        )
        out.append(
            f"{pad}{number}. **{step.rule.title}** ${step.rule.formula}$" + (f" with {bindings}" if bindings else "")
        )
        if step.verify().caveat:
            out.append(f"{pad}   *{step.verify().caveat}*")
        out.append("")
        out.append(f"{pad}   $$= {latex(step.after, partial, step.typed_order)}$$")
        out.append("")
        for sub in step.substeps:
            out.append(f"{pad}   Side derivation:")
            out.append("")
            out.append(render_markdown(sub, level + 1))
    if derivation.variables.get("conclusion"):
        out += [f"{pad}**⇒ {derivation.variables['conclusion']}**", ""]
    return "\n".join(out).rstrip() + "\n"
