"""LaTeX: the derivation as an align* chain with each step's rule beside it (plain amsmath)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import jinja2

from ..core.derivation import Derivation, Step
from ..errors import StepsolverError
from .printers import latex


def _binding_text(step: Step, partial: bool) -> str:
    if not step.bindings:
        return ""
    parts = [f"{name} = {latex(value, partial, step.typed_order)}" for name, value in step.bindings.items()]
    return r",\ ".join(parts)


def _annotation(step: Step, partial: bool) -> str:
    caveat = step.verify().caveat
    label = rf"\text{{{step.rule.title}{'; ' + caveat if caveat else ''}}}"
    bindings = _binding_text(step, partial)
    return rf"&& {label}" + (rf"\ \left({bindings}\right)" if bindings else "")


def chain_lines(derivation: Derivation) -> list[str]:
    """The body of the align*: one line per step, the rule and bindings on the right."""
    partial = derivation.partial
    lines = []
    for index, step in enumerate(derivation.steps):
        left = latex(derivation.start, partial) if index == 0 else ""
        lines.append(rf"{left} &= {latex(step.after, partial, step.typed_order)} {_annotation(step, partial)}")
    if not lines:
        lines.append(rf"{latex(derivation.start, partial)} &")
    return lines


def render_latex(derivation: Derivation, standalone: bool = False, environment: str = "align*") -> str:
    body = " \\\\\n".join(chain_lines(derivation))
    chain = f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"
    if derivation.variables.get("conclusion") and environment == "align*":
        chain += "\n" + rf"\noindent$\Rightarrow$ {tex_text(derivation.variables['conclusion'])}" + "\n"
    if not standalone:
        return chain
    return _template().render(
        derivation=derivation, function=latex(derivation.function), chain=chain, side=_side_derivations(derivation)
    )


def _side_derivations(derivation: Derivation) -> list[tuple[str, str]]:
    """Each distinct substep chain, with the step title it belongs to, for the handout."""
    seen: set[str] = set()
    out = []
    for step in derivation.steps:
        for sub in step.substeps:
            text = render_latex(sub)
            if text not in seen:
                seen.add(text)
                out.append((step.rule.title, text))
    return out


def _loader() -> jinja2.BaseLoader:
    """The templates shipped inside the package (so a plain `pip install .` has them), or a
    teacher's own copies first, from the folder $STEPSOLVER_TEMPLATES names."""
    packaged = jinja2.PackageLoader("stepsolver", "templates")
    configured = os.environ.get("STEPSOLVER_TEMPLATES")
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(configured), packaged]) if configured else packaged


@lru_cache(maxsize=4)
def _template(name: str = "derivation.tex.j2") -> jinja2.Template:
    environment = jinja2.Environment(
        loader=_loader(),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        line_statement_prefix="%-",
        trim_blocks=True,
        autoescape=False,
    )
    try:
        return environment.get_template(name)
    except jinja2.TemplateNotFound:
        raise StepsolverError(f"template {name} not found (in the package, or in $STEPSOLVER_TEMPLATES)") from None


def handout_section(title: str, items: list[Any]) -> str:
    """A section of the demo handout: derivatives with a heading each, anything else as it renders."""
    parts = [rf"\section*{{{title}}}"]
    for item in items:
        if isinstance(item, Derivation) and item.kind == "derivative":
            parts.append(rf"\subsection*{{Differentiate $\displaystyle {latex(item.function)}$}}")
        parts.append(item.to_latex())
    return "\n".join(parts)


def render_handout(derivations: list[Derivation]) -> str:
    """Several worked derivatives in one document (the demo's handout)."""
    parts = []
    for derivation in derivations:
        heading = rf"Differentiate $\displaystyle {latex(derivation.function)}$"
        parts.append(rf"\subsection*{{{heading}}}" + "\n" + render_latex(derivation))
    return _template().render(derivation=None, function="", chain="\n\n".join(parts), side=[])


def tex_text(words: str) -> str:
    """Plain words (with Unicode maths in them) for LaTeX text mode."""
    replacements = {
        "∂": r"$\partial$",
        "_": r"\_",
        "&": r"\&",
        "%": r"\%",
        "#": r"\#",
        "^": r"\^{}",
        "≠": r"$\neq$",
        "λ": r"$\lambda$",
        "ᵀ": r"$^T$",
        "·": r"$\cdot$",
        "√": r"$\surd$",
        "×": r"$\times$",
        "\x00": r"$^{-1}$",
        "→": r"$\to$",
        "σ": r"$\sigma$",
        "≈": r"$\approx$",
        "←": r"$\leftarrow$",
        "↔": r"$\leftrightarrow$",
        "−": "-",
        "₁": r"$_1$",
        "₂": r"$_2$",
        "₃": r"$_3$",
        "∞": r"$\infty$",
        "‖": r"$\|$",
        "⇒": r"$\Rightarrow$",
    }
    return "".join(replacements.get(c) or _greek(c) for c in words.replace("⁻¹", "\x00"))


def _greek(character: str) -> str:
    from sympy.printing.pretty.pretty_symbology import greek_unicode

    names = {letter: name for name, letter in greek_unicode.items() if isinstance(letter, str)}
    if character in names:
        return rf"$\{names[character]}$"
    return character if character.isascii() else "?"


def render_document(title: str, body: str) -> str:
    """A whole document around ``body`` (graphs, gradients, slopes), with TikZ and pgfplots loaded."""
    return _template("document.tex.j2").render(title=title, body=body)


__all__ = ["chain_lines", "render_document", "render_handout", "render_latex"]
