"""A model's derivation, fit and gradient check as an outline of headings, sentences, formulas
and parts (house derivations): every format renders the same outline its own way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sympy as sp

from ..core.notation import latex, text

if TYPE_CHECKING:
    from ..models.api import FitResult, ModelDerivation
    from ..models.gradcheck import GradientCheck


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "sentence", "formula", "part"
    text: str = ""  # the words (heading, sentence) or the formula as Unicode text
    latex: str = ""  # the formula in LaTeX
    part: Any = None


_ROLE = {"yhat": "ŷ", "z": "z", "w_j": "w_j", "b": "b"}
_ROLE_LATEX = {"yhat": r"\hat{y}", "z": "z", "w_j": "w_j", "b": "b"}
_CONVEXITY = {
    "logistic": "D = diag(ŷ ⊙ (𝟏 − ŷ)) has positive entries, so vᵀHv = (1/n) Σᵢ Dᵢᵢ (Xv)ᵢ² ≥ 0: J is convex in w.",
    "logistic_l2": "With λ > 0, H = (1/n)XᵀDX + λI is positive definite: J has exactly one minimum.",
    "linear": "H = (2/n)XᵀX: vᵀHv = (2/n)‖Xv‖² ≥ 0, so J is convex; the minimum is unique when X has full column rank.",
}


def outline(d: ModelDerivation) -> list[Block]:
    from ..matrixcalc.notation import latex_of, text_of

    s = d.spec
    first = next(iter(d.gradients.values()))
    out = [Block("heading", s.title), Block("sentence", "The cost, as the lecture writes it:")]
    out.append(Block("formula", s.cost_text, r"J = " + latex_of(first.f)))
    if s.note:
        out.append(Block("sentence", s.note + "."))
    if d.per_example is not None:
        graph = d.per_example.graph
        out += [Block("heading", "One example: the computation graph"),
                Block("sentence", "x_j and y are the example's data; w_j and b are the parameters.",
                      r"$x_j$ and $y$ are the example's data; $w_j$ and $b$ are the parameters.")]  # fmt: skip
        for node in graph.operations:
            symbol = sp.Symbol(node.name) if node.name != "yhat" else node.symbol
            out.append(
                Block("formula", f"{text(symbol)} = {text(node.local)}", f"{latex(symbol)} = {latex(node.local)}")
            )
        out.append(Block("heading", "The backward pass, from L back to the parameters"))
        for name in ("yhat", "z", "w_j", "b"):
            if name in d.per_example.backward.adjoints:
                adjoint = _without_direct_work(d.per_example.backward.adjoints[name])
                out.append(Block("part", f"∂L/∂{_ROLE[name]}", rf"$\partial L/\partial {_ROLE_LATEX[name]}$", adjoint))
        out.append(Block("sentence", "(The step engine's own ∂L/∂w_j and ∂L/∂b, each worked in full and found "
                         "equal, are in the JSON output.)"))  # fmt: skip
    if d.averaged is not None:
        why = "The same parameters enter every example's loss, so each derivative is the mean of the examples'"
        why += " derivatives; its last line is the matrix form below, entry by entry."
        out += [Block("heading", "Over the examples: J = (1/n) Σᵢ L⁽ⁱ⁾",
                      r"Over the examples: $J = \frac{1}{n} \sum_{i} L^{(i)}$"), Block("sentence", why)]  # fmt: skip
        out += [Block("part", f"∂J/∂{name}", rf"$\partial J/\partial {_name_latex(name)}$", part)
                for name, part in d.averaged.parts.items()]  # fmt: skip
    out.append(Block("heading", "In matrix form, by the matrix calculus"))
    if d.per_example is None:
        out.append(Block("sentence", "Each parameter's gradient by differentials, the whole data set at once: "
                         "backpropagation in closed form, layer by layer, then in the lecture's form."))  # fmt: skip
    for name, gradient in d.gradients.items():
        out.append(Block("part", f"∇_{name} J", rf"$\nabla_{{{_name_latex(name)}}} J$", gradient))
        if name in d.forms:
            form = d.forms[name]
            out += [Block("sentence", "The same gradient, written as the lecture writes it:"),
                    Block("part", f"∇_{name} J, textbook form", rf"$\nabla_{{{_name_latex(name)}}} J$, textbook form",
                          form)]  # fmt: skip
            used = [(n, v) for n, v in d.names.items() if v.name in _names_in(form.result)]
            if used:
                shown = ", ".join(f"{n} = {text_of(v.definition)}" for n, v in used)
                typeset = ", ".join(f"${n} = {latex_of(v.definition)}$" for n, v in used)
                out.append(Block("sentence", f"where {shown}.", f"where {typeset}."))
    if d.hessian is not None:
        out += [Block("heading", "The Hessian: is J convex?"), Block("part", "Hessian", part=d.hessian)]
        if s.name in _CONVEXITY:
            out.append(Block("sentence", _CONVEXITY[s.name]))
    out.append(Block("heading", "The gradients a fit runs on"))
    for p in s.parameters:
        term = d.final(p.symbol)
        out.append(
            Block(
                "formula",
                f"∇_{p.symbol} J = {text_of(term)}",
                rf"\nabla_{{{latex_of(d.gradients[p.symbol].var)}}} J = {latex_of(term)}",
            )
        )
    out.append(Block("sentence", "Compiled to NumPy from these results (not from a formula typed in), evaluated "
                     "on row blocks of X, with ln σ and log-sum-exp in their stable forms."))  # fmt: skip
    out.append(Block("sentence", checked(d)))
    return out


def _name_latex(name: str) -> str:
    """w_j, W1, b2 as LaTeX: w_{j}, W_{1}, b_{2}."""
    base, _, below = name.partition("_")
    if not below and len(base) > 1 and base[1:].isdigit():
        base, below = base[0], base[1:]
    return f"{base}_{{{below}}}" if below else base


def _without_direct_work(adjoint: Any) -> Any:
    """The adjoint as shown: its last step's side derivation (∂L/∂w_j worked directly by the step
    engine, thirty lines) is left out of the text; the step is checked all the same."""
    from dataclasses import replace

    from ..graph.rules import DIRECT_PARTIAL

    steps = [replace(step, substeps=[]) if step.rule is DIRECT_PARTIAL else step for step in adjoint.steps]
    return replace(adjoint, steps=steps)


def _names_in(term: Any) -> set[str]:
    from ..matrixcalc import terms as t

    return {node.name for node in sp.preorder_traversal(term) if isinstance(node, t.Named)}


def checked(d: ModelDerivation) -> str:
    """How the derivation's steps were checked, counted (each step says its own)."""
    report = d.verify()
    if not report.ok:
        return f"NOT every step holds: {report.summary()}."
    counts = {status: sum(c.status == status for _, c in report.checks) for status in ("proved", "sizes", "numeric")}
    parts = [f"{counts['proved']} proved"]
    if counts["sizes"]:
        parts.append(f"{counts['sizes']} checked exactly at small sizes (n = 1, 2, 3 examples; matrices of symbols)")
    if counts["numeric"]:
        parts.append(f"{counts['numeric']} checked numerically only, at random matrices (exp, ln, σ: no exact check)")
    return f"Every one of the {len(report.checks)} checks holds: " + "; ".join(parts) + "."


def check_lines(c: GradientCheck) -> list[str]:
    out = [f"The derived gradient against central differences of J, at random data (n = {c.n}, m = {c.m}) and "
           f"random parameters (seed {c.seed}); relative error |a − n| / (|a| + |n|), CS231n's measure:"]  # fmt: skip
    for name in c.float64:
        verdict = "ok" if c.float64[name] <= c.tolerance else "TOO LARGE"
        in64 = f"{c.float64[name]:.1e} in float64 (h = {c.h64:g}; ≤ {c.tolerance:g} required: {verdict})"
        out.append(f"  ∇_{name}: {in64}; in float32 (h = {c.h32:g}) the same gradient would show {c.float32[name]:.1e}")
    worst = max(c.float32.values())
    if worst > 1e-4:
        out.append(
            f"float32 would have made a correct gradient look suspicious or wrong ({worst:.1e}): check in float64."
        )
    return out


def fit_lines(r: FitResult) -> list[str]:
    out = [
        f"Gradient descent on the {r.model} model: α = {r.lr:g}, tol = {r.tol:g}, at most {r.max_iter} iterations"
        + ("; features standardised, parameters given back in the data's own units" if r.standardized else "")
    ]
    out.append(("converged: " if r.converged else "not converged: ") + r.stopped)
    if r.note:
        out.append(r.note)
    out.append(f"J = {r.cost:.10g} after {r.iterations} iterations (J = {r.history[0]:.6g} at the start)")
    for name, value in r.params.items():
        labels = r.labels(name)
        flat = list(value.reshape(-1)) if hasattr(value, "reshape") else [value]
        if getattr(value, "ndim", 0) == 2:  # W, W1: a row per feature, a column per class or unit
            rows = list(r.features) if len(r.features) == value.shape[0] else [str(i) for i in range(value.shape[0])]
            out += [
                f"  {name}[{row}] = " + ", ".join(f"{v:.6g}" for v in line)
                for row, line in zip(rows, value, strict=True)
            ]
        elif labels and len(labels) == len(flat):
            out.append(f"  {name}: " + ", ".join(f"{label} = {v:.6g}" for label, v in zip(labels, flat, strict=True)))
        else:
            out.append(f"  {name} = " + (", ".join(f"{v:.6g}" for v in flat)))
    return out


def comparison_lines(c: Any) -> list[str]:
    if not c.rows:
        return [c.note]
    out = [
        f"Beside scikit-learn's {c.reference}:",
        f"  {'':<24}{'gradient descent':>20}{'scikit-learn':>20}{'difference':>14}",
    ]
    out += [f"  {what:<24}{ours:>20.10g}{ref:>20.10g}{ours - ref:>14.2e}" for what, ours, ref in c.rows]
    out.append(f"  {'iterations':<24}{c.iterations[0]:>20}{c.iterations[1]:>20}")
    out.append(f"  {'seconds':<24}{c.seconds[0]:>20.3f}{c.seconds[1]:>20.3f}")
    if c.note:
        out.append(c.note)
    return out
