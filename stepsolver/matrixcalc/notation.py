"""Matrix expressions printed as the lecture writes them: xᵀAx, tr(X⁻¹ dX), σ(Xw) ⊙ (𝟏 − σ(Xw)).

One printer, two alphabets (LaTeX and Unicode text): the structure — what needs brackets, where
a minus goes — is decided once, and only the symbols differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..core import notation as scalar_notation
from . import terms as t

# Lower binds looser: a sum inside a product is bracketed, a product inside a Hadamard product too
_SUM, _HAD, _PROD, _POSTFIX, _ATOM = range(5)

_GREEK_TEXT = {
    "Sigma": "Σ",
    "sigma": "σ",
    "lambda": "λ",
    "Lambda": "Λ",
    "mu": "μ",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "theta": "θ",
    "Theta": "Θ",
    "eta": "η",
    "tau": "τ",
    "Omega": "Ω",
    "omega": "ω",
    "phi": "φ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "psi": "ψ",
    "delta": "δ",
    "epsilon": "ε",
    "rho": "ρ",
    "nu": "ν",
    "kappa": "κ",
    "xi": "ξ",
    "pi": "π",
    "Pi": "Π",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Xi": "Ξ",
    "zeta": "ζ",
    "chi": "χ",
    "Upsilon": "Υ",
}


@dataclass(frozen=True)
class Alphabet:
    latex: bool
    transpose: str
    inverse: str
    inverse_transpose: str
    hadamard: str
    divide: str
    ones: str
    d: str
    tr: str
    det: str
    minus: str

    def name(self, name: str) -> str:
        base, _, sub = name.partition("_")
        if self.latex:
            shown = "\\" + base if base in _GREEK_TEXT else base
            return f"{shown}_{{{sub}}}" if sub else shown
        return _GREEK_TEXT.get(base, base) + (f"_{sub}" if sub else "")

    def group(self, inner: str) -> str:
        return rf"\left({inner}\right)" if self.latex else f"({inner})"

    def call(self, function: str, inner: str) -> str:
        return f"{function}{self.group(inner)}"

    def power(self, base: str, exponent: str) -> str:
        return f"{base}^{{{exponent}}}" if self.latex else f"{base}^{exponent}"

    def scalar(self, value: sp.Expr) -> str:
        return scalar_notation.latex(value) if self.latex else scalar_notation.text(value)


LATEX = Alphabet(
    True,
    r"^\top",
    "^{-1}",
    r"^{-\top}",
    r" \odot ",
    r" \oslash ",
    r"\mathbf{1}",
    r"\mathrm{d}",
    r"\operatorname{tr}",
    r"\det",
    "-",
)
TEXT = Alphabet(False, "ᵀ", "⁻¹", "⁻ᵀ", " ⊙ ", " ⊘ ", "𝟏", "d", "tr", "det", "−")

_FUNCTIONS_LATEX = {
    "exp": r"\exp",
    "log": r"\ln",
    "tanh": r"\tanh",
    "sigmoid": r"\sigma",
    "softplus": r"\operatorname{softplus}",
    "ReLU": r"\operatorname{ReLU}",
    "sin": r"\sin",
    "cos": r"\cos",
    "Abs": r"\operatorname{abs}",
    "sign": r"\operatorname{sgn}",
}
_FUNCTIONS_TEXT = {
    "exp": "exp",
    "log": "ln",
    "tanh": "tanh",
    "sigmoid": "σ",
    "softplus": "softplus",
    "ReLU": "ReLU",
    "sin": "sin",
    "cos": "cos",
    "Abs": "abs",
    "sign": "sgn",
}


def latex_of(term: sp.Basic) -> str:
    return _Printer(LATEX).show(term)


def text_of(term: sp.Basic) -> str:
    return _Printer(TEXT).show(term)


class _Printer:
    def __init__(self, alphabet: Alphabet):
        self.a = alphabet

    def show(self, term: sp.Basic) -> str:
        return self._print(term)[0]

    def _bracketed(self, term: sp.Basic, below: int) -> str:
        shown, level = self._print(term)
        return self.a.group(shown) if level < below else shown

    def _print(self, term: sp.Basic) -> tuple[str, int]:
        a = self.a
        if not isinstance(term, t.MTerm):
            return a.scalar(term), _ATOM if term.is_Atom else _PROD
        if isinstance(term, t.Sym):
            return a.name(term.name), _ATOM
        if isinstance(term, t.Grad):
            x = self.show(term.args[1])
            return (rf"\nabla_{{{x}}} f" if a.latex else f"∇_{x} f"), _ATOM
        if isinstance(term, t.Jac):
            x = self.show(term.args[1])
            if isinstance(term.args[0], t.Grad):
                return (rf"\nabla^2_{{{x}}} f" if a.latex else f"∇²_{x} f"), _ATOM
            return (rf"\frac{{\partial f}}{{\partial {x}}}" if a.latex else f"∂f/∂{x}"), _ATOM
        if isinstance(term, t.NamedFunction):
            inner = self.show(term.argument)
            return (rf"\operatorname{{{term.name}}}({inner})" if a.latex else f"{term.name}({inner})"), _ATOM
        if isinstance(term, t.Named):
            return a.name(term.name), _ATOM
        if isinstance(term, t.Dvar):
            name = self._print(term.var)[0]
            if not a.latex and len(name) > 1:
                return f"{a.d}({name})", _ATOM  # d(weights), not dweights
            return f"{a.d}{' ' if a.latex else ''}{name}", _ATOM
        if isinstance(term, t.Const):
            value = term.value
            plain = value.is_Integer or value.is_Symbol  # 1/2 and 1/n are bracketed in a product
            level = _ATOM if plain and not (value.is_number and value < 0) else _PROD
            return a.scalar(value), level
        if isinstance(term, t.Ones):
            if term.shape[1] != 1:  # the all-ones block is 𝟏𝟏ᵀ: 𝟏 alone is the vector
                return a.ones + a.ones + a.transpose, _ATOM
            return a.ones, _ATOM
        if isinstance(term, t.Identity):
            return "I", _ATOM
        if isinstance(term, t.Zero):
            return "0", _ATOM
        if isinstance(term, t.T):
            if isinstance(term.arg, t.Inv):
                return self._bracketed(term.arg.arg, _ATOM) + a.inverse_transpose, _POSTFIX
            return self._postfix(term.arg, a.transpose), _POSTFIX
        if isinstance(term, t.Inv):
            return self._postfix(term.arg, a.inverse), _POSTFIX
        if isinstance(term, t.Tr):
            return a.call(a.tr, self.show(term.arg)), _ATOM
        if isinstance(term, t.Det):
            return a.call(a.det, self.show(term.arg)), _ATOM
        if isinstance(term, t.LogAbsDet):
            inner = self._bracketed(term.arg, _POSTFIX)  # ln|det(A + X)|, not ln|det A + X|
            space = "" if inner.startswith(("(", "\\left(")) else " "
            shown = rf"\ln\left\lvert\det{space}{inner}\right\rvert" if a.latex else f"ln|det{space}{inner}|"
            return shown, _ATOM
        if isinstance(term, t.Norm2):
            inner = self.show(term.arg)
            sub = "2" if term.arg.shape[1] == 1 else "F"
            return (
                rf"\left\lVert {inner}\right\rVert_{{{sub}}}" if a.latex else f"‖{inner}‖{'₂' if sub == '2' else '_F'}"
            ), _ATOM
        if isinstance(term, t.Diag):
            return a.call(r"\operatorname{diag}" if a.latex else "diag", self.show(term.arg)), _ATOM
        if isinstance(term, t.Softmax):
            return a.call(r"\operatorname{softmax}" if a.latex else "softmax", self.show(term.arg)), _ATOM
        if isinstance(term, t.D):
            if isinstance(term.arg, (t.Sym, t.Named)):
                return f"{a.d}{' ' if a.latex else ''}{self.show(term.arg)}", _ATOM  # dz, as dX
            return f"{a.d}{a.group(self.show(term.arg))}", _ATOM
        if isinstance(term, t.Elementwise):
            return self._elementwise(term)
        if isinstance(term, t.Sum):
            return self._sum(term.args), _SUM
        if isinstance(term, t.Prod):
            return self._product(term.args)
        if isinstance(term, t.Had):
            return a.hadamard.join(self._bracketed(f, _POSTFIX) for f in term.args), _HAD
        raise TypeError(f"no printing for {type(term).__name__}")

    def _postfix(self, base: t.MTerm, mark: str) -> str:
        shown, level = self._print(base)
        if level < _ATOM or (self.a.latex and isinstance(base, t.Dvar)):
            shown = self.a.group(shown)
        return shown + mark

    def _sum(self, terms: tuple[sp.Basic, ...]) -> str:
        out = ""
        for index, term in enumerate(terms):
            negative, magnitude = _split_sign(term)
            shown, level = self._print(magnitude)
            if level == _SUM:
                shown = self.a.group(shown)
            if index == 0:
                out = f"{self.a.minus}{shown}" if negative else shown
            else:
                out += f" {self.a.minus} {shown}" if negative else f" + {shown}"
        return out

    def _product(self, factors: tuple[sp.Basic, ...]) -> tuple[str, int]:
        negative, magnitude = _split_sign(t.Prod(*factors))
        factors = magnitude.args if isinstance(magnitude, t.Prod) else (magnitude,)
        pieces = t.grouped(list(factors))  # 2·(aᵀx)a, not 2·aᵀxa: a 1×1 run is bracketed as a scalar
        runs = {i for i, piece in enumerate(pieces) if isinstance(piece, t.Prod) and piece not in factors}
        parts: list[str] = []
        for index, piece in enumerate(pieces):
            factor: sp.Basic = piece
            if index in runs:
                shown, level = self.a.group(self._product(piece.args)[0]), _ATOM
            else:
                shown, level = self._print(factor)
            bracket_number = isinstance(factor, t.Const) and (index > 0 or (level < _ATOM and not self.a.latex))
            scalar_first = not self.a.latex and index == 0 and len(pieces) > 1 and level < _ATOM and factor.is_scalar
            if level < _PROD or (level == _PROD and index > 0) or bracket_number or scalar_first:
                shown = self.a.group(shown)
            previous = pieces[index - 1] if index and index - 1 not in runs else None
            after_scalar = (
                not self.a.latex and isinstance(previous, t.MTerm) and previous.is_scalar and not _is_d(previous)
            )
            # a·sgn(aᵀx), not asgn(aᵀx): a scalar function after a matrix is set apart too
            after_scalar = after_scalar or (
                not self.a.latex
                and index > 0
                and factor.is_scalar
                and not isinstance(factor, (t.Const, t.Dvar))
                and index not in runs
                and not _is_d(factor)
            )
            if parts and (shown[0].isdigit() or after_scalar):
                parts.append(r" \cdot " if self.a.latex else "·")
            elif parts and self.a.latex:
                parts.append(r"\," if isinstance(factor, t.Dvar) else " ")
            elif parts and (_is_d(factor) or (isinstance(previous, t.MTerm) and _is_d(previous))):
                parts.append(" ")  # xᵀA dx, not xᵀAdx
            parts.append(shown)
        body = "".join(parts)
        return (f"{self.a.minus}{body}" if negative else body), _PROD

    def _elementwise(self, term: t.Elementwise) -> tuple[str, int]:
        if term.arg.is_scalar:  # a scalar function of a scalar: exp(tr X), (aᵀx)²
            # sgn(aᵀx) as a call; exp prints as a power, e^(−xᵀx/2), so its argument keeps brackets
            direct = (
                isinstance(term.function, sp.Function)
                and term.function.args == (t.T_ARG,)
                and not isinstance(term.function, sp.exp)
            )
            inner = self.show(term.arg) if direct else self._bracketed(term.arg, _ATOM)  # sgn(aᵀx), (aᵀx)²
            shown = _Shown(inner, inner)
            value = term.function.xreplace({t.T_ARG: shown})
            return self.a.scalar(value), _PROD if not value.is_Function else _ATOM
        return self._entrywise(term.function, term.arg)

    def _entrywise(self, expr: sp.Expr, arg: t.MTerm) -> tuple[str, int]:
        """A scalar function of t, applied entry by entry to ``arg``: products as ⊙, 1/u as 𝟏 ⊘ u."""
        a = self.a
        if expr == t.T_ARG:
            return self._print(arg)
        if expr.is_Number:
            ones = a.ones
            return (ones, _ATOM) if expr == 1 else (f"{a.scalar(expr)}{' ' if a.latex else ''}{ones}", _PROD)
        if isinstance(expr, sp.Add):
            parts: list[str] = []
            for index, term in enumerate(_ordered_terms(expr)):
                coefficient, rest = term.as_coeff_Mul()
                negative = coefficient < 0
                shown, level = self._entrywise(-term if negative else term, arg)
                if level == _SUM:
                    shown = a.group(shown)
                sign = a.minus if negative else "+"
                parts.append((f"{a.minus}{shown}" if negative else shown) if index == 0 else f" {sign} {shown}")
            return "".join(parts), _SUM
        if isinstance(expr, sp.Mul):
            coefficient, rest = expr.as_coeff_Mul()
            numerator = [f for f in sp.Mul.make_args(rest) if not (f.is_Pow and f.exp.is_negative)]
            denominator = [1 / f for f in sp.Mul.make_args(rest) if f.is_Pow and f.exp.is_negative]
            shown = a.hadamard.join(self._bracket_entry(f, arg, _POSTFIX) for f in numerator) or a.ones
            if denominator:
                below = a.hadamard.join(self._bracket_entry(f, arg, _POSTFIX) for f in denominator)
                below = a.group(below) if len(denominator) > 1 else below
                shown = f"{shown}{a.divide}{below}"
            if coefficient != 1:
                number = a.scalar(coefficient)
                grouped = a.group(shown) if numerator and len(numerator) + len(denominator) > 1 else shown
                shown = f"{number}{' ' if a.latex else '·'}{grouped}"
                return shown, _PROD
            return shown, _HAD
        if isinstance(expr, sp.Pow):
            if expr.exp == -1:
                return f"{a.ones}{a.divide}{self._bracket_entry(expr.base, arg, _ATOM)}", _HAD
            base = self._bracket_entry(expr.base, arg, _ATOM)
            exponent = a.scalar(expr.exp)
            return (f"{base}^{{\\odot {exponent}}}" if a.latex else f"{base}^(⊙{exponent})"), _POSTFIX
        if isinstance(expr, sp.Function) and len(expr.args) == 1:
            name = type(expr).__name__
            table = _FUNCTIONS_LATEX if a.latex else _FUNCTIONS_TEXT
            function = table.get(name, name)
            if name == "log" and a.latex:
                function = r"\ln"
            return a.call(function, self._entrywise(expr.args[0], arg)[0]), _ATOM
        # anything else (ReLU's step function): the scalar formula with the argument in place of t
        shown = _Shown(self._bracketed(arg, _ATOM), self._bracketed(arg, _ATOM))
        return a.scalar(expr.xreplace({t.T_ARG: shown})), _ATOM

    def _bracket_entry(self, expr: sp.Expr, arg: t.MTerm, below: int) -> str:
        shown, level = self._entrywise(expr, arg)
        return self.a.group(shown) if level < below else shown


def _is_d(factor: sp.Basic) -> bool:
    """dx, or d of a name: set apart by a space in text (xᵀA dx, dλ xᵀx)."""
    return isinstance(factor, t.Dvar) or (isinstance(factor, t.D) and isinstance(factor.arg, (t.Sym, t.Named)))


def _ordered_terms(expr: sp.Add) -> list[sp.Expr]:
    """Constants first (𝟏 − σ(z)), then the rest as SymPy orders them."""
    terms = list(expr.args)
    return sorted(terms, key=lambda term: 0 if term.is_Number else 1)


def _split_sign(term: sp.Basic) -> tuple[bool, sp.Basic]:
    """(is it −x?, x) for a product with a negative number in front."""
    if isinstance(term, t.Prod) and isinstance(term.args[0], t.Const):
        value = term.args[0].value
        if value.could_extract_minus_sign():
            rest = term.args[1:]
            if value == -1:
                return True, (t.Prod(*rest) if len(rest) > 1 else rest[0])
            return True, t.Prod(t.Const(-value), *rest)
    if isinstance(term, t.Const) and term.value.could_extract_minus_sign():
        return True, t.Const(-term.value)
    return False, term


t.PRINTERS.update(latex=latex_of, text=text_of)


class _Shown(sp.Symbol):
    """A stand-in that prints as a given string (a matrix expression inside a scalar function)."""

    def __new__(cls, latex: str, text: str) -> _Shown:
        shown = super().__new__(cls, f"_shown_{latex}")
        shown._shown = (latex, text)
        return shown

    def _latex(self, printer: object) -> str:
        return self._shown[0]

    def _sympystr(self, printer: object) -> str:
        return self._shown[1]
