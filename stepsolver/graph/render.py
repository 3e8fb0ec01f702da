"""A worked computation graph as text, Markdown, LaTeX and JSON: nodes, forward pass, backward
pass, gradient, and how it was checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp

from ..render.json import derivation_dict, expression
from ..render.latex import chain_lines, render_latex, tex_text
from ..render.markdown import render_markdown
from ..render.printers import decimal, latex, text
from ..render.text import render_text
from .symbols import Partial

if TYPE_CHECKING:
    from ..core.derivation import Derivation
    from .api import ComputationGraph


DIGITS = 6  # of the decimals beside exact values


def _approx(value: sp.Expr) -> str:
    return "" if value.free_symbols or value.is_Rational else f" ≈ {decimal(value, DIGITS)}"


def _at(graph: ComputationGraph, show: Any = text) -> str:
    return ", ".join(f"{show(s)} = {show(v)}" for s, v in graph.point.items())


def _checks(graph: ComputationGraph) -> str:
    compared = set(graph.backward_pass.compared.values())
    agreement = (
        "; ".join(f"∂f/∂{name}: {how}" for name, how in graph.backward_pass.compared.items())
        if len(compared) > 1
        else (f"every input's adjoint is {compared.pop()}" if compared else "")
    )
    return graph.report.summary() + (f"; {agreement}" if agreement else "")


def _adjoint_name(graph: ComputationGraph, derivation: Derivation) -> sp.Expr:
    out = graph.graph.nodes[graph.graph.output].symbol
    return Partial(out, graph.graph.nodes[derivation.variables["node"]].symbol)


def _tangent_name(graph: ComputationGraph, derivation: Derivation) -> sp.Expr:
    x = graph.graph.nodes[graph.forward_mode_input or ""].symbol
    return Partial(graph.graph.nodes[derivation.variables["node"]].symbol, x)


def graph_text(graph: ComputationGraph) -> str:
    g = graph.graph
    out = [f"Computation graph of {text(graph.function)}", "", "Nodes, in the order they are computed:"]
    out += [f"  {n.name} = {text(n.local)}" for n in g.operations]
    if graph.forward is not None:
        out += ["", f"Forward pass at {_at(graph)}:", render_text(graph.forward, "  "), "", "Values:"]
        for n in g.operations:
            value = graph.values[n.name]
            out.append(f"  {n.name} = {text(graph.held[n.name])} = {text(value, typed=False)}{_approx(value)}")
    out += ["", f"Backward pass (reverse mode), from {g.output} back to the inputs:"]
    for derivation in graph.backward:
        lines = render_text(derivation, "  ").splitlines()
        name = _adjoint_name(graph, derivation)
        if derivation.start != name:
            lines[0] = f"  {text(name)} = {lines[0].strip()}"
        out += [*lines, ""]
    if graph.tangents:
        out.append(f"Forward mode for {graph.forward_mode_input}, from the inputs to {g.output}:")
        for derivation in graph.tangents.values():
            lines = render_text(derivation, "  ").splitlines()
            name = _tangent_name(graph, derivation)
            if derivation.start != name:
                lines[0] = f"  {text(name)} = {lines[0].strip()}"
            out += [*lines, ""]
    where = f" at {_at(graph)}" if graph.point else ""
    out.append(f"Gradient{where}:")
    for name, value in graph.gradient.items():
        out.append(f"  ∂{g.output}/∂{name} = {text(value, typed=False)}{_approx(value)}")
    out += ["", f"Checked: {_checks(graph)}"]
    return "\n".join(out) + "\n"


def graph_markdown(graph: ComputationGraph) -> str:
    g = graph.graph
    out = [f"### Computation graph of ${latex(graph.function)}$", ""]
    out += [f"- ${latex(n.symbol)} = {latex(n.local)}$" for n in g.operations]
    if graph.forward is not None:
        out += ["", f"#### Forward pass at ${_at(graph, latex)}$", "", render_markdown(graph.forward)]
    out += ["#### Backward pass (reverse mode)", ""]
    for derivation in graph.backward:
        out += [f"**${latex(_adjoint_name(graph, derivation))}$**", "", render_markdown(derivation)]
    if graph.tangents:
        out += [f"#### Forward mode for ${graph.forward_mode_input}$", ""]
        for derivation in graph.tangents.values():
            out += [f"**${latex(_tangent_name(graph, derivation))}$**", "", render_markdown(derivation)]
    out += ["#### Gradient", ""]
    out += [
        f"- $\\frac{{\\partial {g.output}}}{{\\partial {name}}} = {latex(v, typed=False)}${_approx(v)}"
        for name, v in graph.gradient.items()
    ]
    out += ["", f"*Checked: {_checks(graph)}*", ""]
    return "\n".join(out)


def _labelled_align(graph: ComputationGraph, derivation: Derivation, tangent: bool = False) -> str:
    lines = chain_lines(derivation)
    name = _tangent_name(graph, derivation) if tangent else _adjoint_name(graph, derivation)
    if derivation.start != name:
        lines[0] = f"{latex(name)} = {lines[0]}"
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"


def graph_latex(graph: ComputationGraph, standalone: bool = False, picture: bool = True) -> str:
    g = graph.graph
    nodes = " \\\\\n".join(f"{latex(n.symbol)} &= {latex(n.local)}" for n in g.operations)
    parts = [r"\subsection*{The graph}", "\\begin{align*}\n" + nodes + "\n\\end{align*}"]
    if picture:
        parts += [r"\begin{center}", r"\resizebox{\linewidth}{!}{%", graph.to_tikz() + "}", r"\end{center}"]
    if graph.forward is not None:
        parts += [rf"\subsection*{{Forward pass at ${_at(graph, latex)}$}}", render_latex(graph.forward)]
        rows = [
            rf"${latex(n.symbol)}$ & ${latex(graph.held[n.name])}$ & "
            rf"${latex(graph.values[n.name], typed=False)}$ & {decimal(graph.values[n.name], DIGITS)} \\"
            for n in g.operations
        ]
        parts += [
            r"\begin{tabular}{llll}",
            r"node & inputs' values & exact & decimal \\ \hline",
            *rows,
            r"\end{tabular}",
        ]
    parts.append(r"\subsection*{Backward pass (reverse mode)}")
    parts += [_labelled_align(graph, d) for d in graph.backward]
    if graph.tangents:
        parts.append(rf"\subsection*{{Forward mode for ${graph.forward_mode_input}$}}")
        parts += [_labelled_align(graph, d, tangent=True) for d in graph.tangents.values()]
    parts.append(r"\subsection*{Gradient}")
    entries = " \\\\\n".join(
        rf"\frac{{\partial {g.output}}}{{\partial {latex(g.nodes[name].symbol)}}} &= {latex(v, typed=False)}"
        for name, v in graph.gradient.items()
    )
    parts += ["\\begin{align*}\n" + entries + "\n\\end{align*}", rf"\emph{{Checked: {tex_text(_checks(graph))}}}"]
    body = "\n".join(parts)
    if not standalone:
        return body
    from ..render.latex import render_document

    return render_document(rf"Computation graph of ${latex(graph.function)}$", body)


def graph_dict(graph: ComputationGraph) -> dict[str, Any]:
    g = graph.graph
    nodes = []
    for n in g.nodes.values():
        entry: dict[str, Any] = {
            "name": n.name,
            "kind": n.kind,
            "operation": n.operation,
            "local": expression(n.local),
            "expression": expression(n.expr),
            "children": list(n.children),
            "parents": g.parents[n.name],
        }
        if n.name in graph.values:
            entry["value"] = {
                **expression(graph.values[n.name], typed=False),
                "decimal": decimal(graph.values[n.name], DIGITS),
            }
        if n.kind != "constant":
            adjoint = graph.adjoints[n.name]
            entry["adjoint"] = expression(adjoint, typed=False)
            entry["adjoint_symbolic"] = expression(graph.backward_pass.symbolic[n.name], typed=False)
            if not adjoint.free_symbols:
                entry["adjoint"]["decimal"] = decimal(adjoint, DIGITS)
        nodes.append(entry)
    return {
        "kind": "computation_graph",
        "input": graph.input,
        "output": g.output,
        "at": {s.name: expression(v) for s, v in graph.point.items()},
        "nodes": nodes,
        "value": None if graph.value is None else expression(graph.value, typed=False),
        "gradient": {name: expression(v, typed=False) for name, v in graph.gradient.items()},
        "forward": None if graph.forward is None else derivation_dict(graph.forward),
        "backward": [derivation_dict(d) for d in graph.backward],
        "compared_with_step_engine": graph.backward_pass.compared,
        "forward_mode": None
        if not graph.tangents
        else {"input": graph.forward_mode_input, "tangents": [derivation_dict(d) for d in graph.tangents.values()]},
        "verified": {"ok": graph.report.ok, "proved": graph.report.proved, "summary": graph.report.summary()},
    }
