"""latex2sympy2 as an alternative reader, normalised to the lecture's conventions.

It is slower than the Lark reader and is imported only when asked for; the test suite uses it
as an independent reference for the Lark reader. Known misreadings are repaired first:
``\\log`` is natural, ``\\operatorname{atan}`` is unknown to it, ``\\sin{\\left(x\\right)}^{2}``
would come back as sin(x²), and ``\\sigma``/``\\mathrm{e}``/``\\mathbf{x}`` come back as unknown names.
"""

from __future__ import annotations

import re

import sympy as sp

from ..errors import ParseError
from ..functions import sigmoid
from . import limits
from .names import FUNCTIONS, symbol

# What latex2sympy2's grammar knows as functions; anything else it splits into letters.
_KNOWN_TO_LATEX2SYMPY2 = set(
    [
        "sin",
        "cos",
        "tan",
        "csc",
        "sec",
        "cot",
        "arcsin",
        "arccos",
        "arctan",
        "arccsc",
        "arcsec",
        "arccot",
        "sinh",
        "cosh",
        "tanh",
        "arsinh",
        "arcosh",
        "artanh",
        "arcsinh",
        "arccosh",
        "arctanh",
        "exp",
        "ln",
        "log",
        "sqrt",
    ]
)
_SPELLED_FOR_LATEX2SYMPY2 = {
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "acot": "arccot",
    "asec": "arcsec",
    "acsc": "arccsc",
    "asinh": "arsinh",
    "acosh": "arcosh",
    "atanh": "artanh",
}
_FUNCTION_BRACE = re.compile(r"\\(sin|cos|tan|cot|sec|csc|sinh|cosh|tanh|log|ln|exp|arcsin|arccos|arctan)\s*\{")


def _wrap_powered_functions(text: str) -> str:
    """``\\sin{A}^{2}`` → ``\\left(\\sin{A}\\right)^{2}``, which latex2sympy2 reads as meant."""
    out, pos = [], 0
    for match in _FUNCTION_BRACE.finditer(text):
        if match.start() < pos:
            continue
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        rest = text[end + 1 :].lstrip()
        if rest.startswith("^"):
            out.append(text[pos : match.start()] + r"\left(" + text[match.start() : end + 1] + r"\right)")
            pos = end + 1
    out.append(text[pos:])
    return "".join(out)


def _normalise_text(text: str) -> str:
    text = re.sub(r"\\log(?!\s*_)(?![a-zA-Z])", r"\\ln", text)
    # it reads \sigma\left(x\right) as the product σ·x, but \sigma(x) as a function
    text = re.sub(r"\\(left|right)(?![a-zA-Z])\.?", "", text)
    text = re.sub(r"\\(mathrm|operatorname)\s*\{\s*e\s*\}", "e", text)
    # \mathbf{x}, \vec x: the plain symbol x, as the default reader reads it (it would make a name "mathbf{x}")
    text = re.sub(r"\\(?:mathbf|boldsymbol|bm|vec)(?![a-zA-Z])\s*(?:\{\s*([a-zA-Z])\s*\}|([a-zA-Z]))", r" \1\2 ", text)

    def operatorname(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in FUNCTIONS:
            raise ParseError(f"unknown function \\operatorname{{{name}}}")
        spelled = _SPELLED_FOR_LATEX2SYMPY2.get(name, name)
        if spelled not in _KNOWN_TO_LATEX2SYMPY2:
            # it would read \ReLU(x) as the product R·e·L·U·x, silently: refuse instead
            raise ParseError(f"latex2sympy2 cannot read \\operatorname{{{name}}}; use the default reader")
        return "\\" + spelled

    text = re.sub(r"\\(?:operatorname|mathrm)\s*\{\s*([a-zA-Z]+)\s*\}", operatorname, text)
    return _wrap_powered_functions(text)


def _normalise_expr(expr: sp.Expr) -> sp.Expr:
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow):
            limits.check_power(node.base, node.exp, None)
        elif isinstance(node, sp.factorial):
            limits.check_factorial(node.args[0], None)
    replacements: dict[sp.Basic, sp.Basic] = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Symbol):
            replacements[node] = sp.E if node.name in (r"\mathrm{e}", "e") else symbol(node.name.lstrip("\\"))
    expr = expr.xreplace(replacements)
    expr = expr.replace(
        lambda e: isinstance(e, sp.log) and len(e.args) == 2 and e.args[1] == sp.E, lambda e: sp.log(e.args[0])
    )
    expr = expr.replace(
        lambda e: isinstance(e, sp.core.function.AppliedUndef) and e.func.__name__ in (r"\sigma", "sigma"),
        lambda e: sigmoid(*e.args),
    )
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.core.function.AppliedUndef):
            raise ParseError(f"unknown function {node.func.__name__}")
        if isinstance(node, sp.Symbol) and node.name == "sigma":
            raise ParseError("\\sigma is the sigmoid function and needs an argument: \\sigma(x)")
    return expr


def parse_latex2sympy2(text: str) -> sp.Expr:
    limits.check_text(text)
    try:
        from latex2sympy2 import latex2sympy
    except ImportError as error:  # pragma: no cover - it is a declared dependency
        raise ParseError(f"the latex2sympy2 reader is not installed ({error})") from None
    try:
        expr = latex2sympy(_normalise_text(text))
    except ParseError:
        raise
    except Exception as error:  # its errors are of many kinds; one line is what users get
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ParseError(f"latex2sympy2 cannot read this: {first_line}", None, text) from None
    if not isinstance(expr, sp.Expr):
        raise ParseError("latex2sympy2 did not return an expression", None, text)
    expr = _normalise_expr(expr)
    limits.check_depth(expr)
    return expr
