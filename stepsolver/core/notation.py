"""The house's notation: SymPy printers for expressions (ln, σ, d/dx or ∂/∂x, terms kept as
typed; arcsin, max, floor and i as the lecture writes them, in text the spelling the plain-text
reader reads back), short decimals, and plain words for LaTeX text mode. The renderers write every format
with them; a domain uses them only to put an expression into words (an error message, a
mistake's diagnosis, a conclusion), so they sit below the domains, not in render/."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.mul import _mulsort
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from .timeout import time_limit


def _prime_of_unknown(expr: sp.Subs) -> tuple[str, sp.Expr] | None:
    """Subs(d/du f(u), u, g) is f'(g): (name of f, g) when it has that shape."""
    inner, (variable,), (point,) = expr.args[0], expr.args[1], expr.args[2]
    if (
        isinstance(inner, sp.Derivative)
        and isinstance(inner.expr, AppliedUndef)
        and inner.expr.args == (variable,)
        and inner.variable_count == ((variable, 1),)
    ):
        return inner.expr.func.__name__, point
    return None


class StepLatexPrinter(LatexPrinter):
    """\\ln, d/dx or ∂/∂x; ``typed`` keeps held-back terms in the order they were built
    (x^3 - 1 as typed), otherwise SymPy's usual polynomial order (x^2 - 2x - 1)."""

    def __init__(self, partial: bool = False, typed: bool = True, **settings: Any):
        settings = {"order": "none" if typed else None, "ln_notation": True, "inv_trig_style": "full", **settings}
        super().__init__(settings)
        self._partial = partial
        self._typed = typed

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        # y^{(i)} and x^{(i)}_{j}: the example as a bracketed superscript, the feature below
        base = self._print(sp.Symbol(expr.base.label.name))
        example, *rest = expr.indices
        below = "_{" + ",".join(self._print(i) for i in rest) + "}" if rest else ""
        return f"{base}^{{({self._print(example)})}}{below}"

    def _print_floor(self, expr: sp.floor, exp: str | None = None) -> str:
        tex = rf"\left\lfloor {self._print(expr.args[0])} \right\rfloor"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _print_ceiling(self, expr: sp.ceiling, exp: str | None = None) -> str:
        tex = rf"\left\lceil {self._print(expr.args[0])} \right\rceil"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        d = r"\partial" if self._partial else "d"
        total = sum(int(count) for _, count in expr.variable_count)
        # the variable taken last is written first: ∂²f/∂y∂x is ∂/∂y of ∂f/∂x
        below = r"\,".join(
            f"{d} {self._print(v)}" + (f"^{{{count}}}" if count != 1 else "")
            for v, count in reversed(expr.variable_count)
        )
        operator = rf"\frac{{{d}}}{{{below}}}" if total == 1 else rf"\frac{{{d}^{{{total}}}}}{{{below}}}"
        inner = expr.expr
        body = self._print(inner)
        if not inner.is_Symbol:  # d/dx ln(x) x² would read as the derivative of the product
            body = rf"\left({body}\right)"
        return rf"{operator} {body}"

    def _print_Pow(self, expr: sp.Pow) -> str:
        if self._typed and _is_fractional_negative_power(expr):
            base = self._print(expr.base)
            if not expr.base.is_Atom:
                base = rf"\left({base}\right)"
            return rf"{base}^{{{self._print(expr.exp)}}}"  # x^{-1/2}, as on the slide
        return super()._print_Pow(expr)

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        """As SymPy prints a sum, but a term that still prints with a sign after its own minus was
        taken out is bracketed: a − (−1), never a − − 1."""
        terms = self._as_ordered_terms(expr, order=order)
        tex = ""
        for index, term in enumerate(terms):
            if index > 0:
                negative = term.could_extract_minus_sign()
                tex += " - " if negative else " + "
                term = -term if negative else term
            shown = self._print(term)
            if self._needs_add_brackets(term) or (index > 0 and shown.lstrip().startswith("-")):
                shown = rf"\left({shown}\right)"
            tex += shown
        return tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        """Two-factor products keep the textbook shape: f·(1/g) as a fraction, (1/x)·x² as written."""
        if not isinstance(expr, sp.Mul):  # SymPy's printer sends x^{-1} here too
            return super()._print_Mul(expr)
        factors = list(expr.args)
        if self._typed and any(_is_fractional_negative_power(f) for f in factors):
            return self._print_factors_with_dots(factors)  # ½ x^{-½} stays a product, as on the slide
        if len(factors) == 2 and expr.is_commutative:
            first, second = factors
            if _is_reciprocal(second, numbers=True) and not _is_reciprocal(first):  # A·(1/h) is A/h
                if first == -1:
                    return "- " + self._print(second)
                return rf"\frac{{{self._print(first)}}}{{{self._print(second.base)}}}"
            if _is_reciprocal(first) and not _is_reciprocal(second) and not second.is_Number:
                text = self._print(second)
                if isinstance(second, sp.Add) or text.lstrip().startswith("-"):
                    text = rf"\left({text}\right)"
                return rf"{self._print(first)} {text}"
        if self._typed:
            return self._print_factors_with_dots(factors)  # a held product, factor by factor, as built
        # an evaluated product has no product inside it and at most one number, in front: either is held
        if _held(expr) or any(isinstance(f, sp.Mul) for f in factors):
            if any(f.is_Number for f in factors[1:]) and not factors[0].is_Number:
                # held with a number after a factor (x·2·z): the number goes in front, 2xz, never x 2 z
                numbers = [f for f in factors if f.is_Number]
                rest = [f for f in factors if not f.is_Number]
                return self._print_factors_with_dots([*numbers, *rest])
            if any(_starts_with_number(f) for f in factors[1:]):
                return self._print_factors_with_dots(factors)  # x·(2z), x·2^x: a · before what starts with a digit
        return super()._print_Mul(expr)

    def _print_factors_with_dots(self, factors: list[sp.Basic]) -> str:
        """A held product as it was built, read back as the same product: sums and negative factors
        in brackets, a derivative of a bare name in brackets unless it ends the product (d/dx x·cos
        would read as the derivative of the whole), and · before a number (e^{x} 1 reads as e^{x1};
        2 x 3 y as 2x³y)."""
        parts: list[str] = []
        for index, factor in enumerate(factors):
            if index == 0 and factor == -1 and len(factors) > 1:
                parts.append("-")
                continue
            text = self._print(factor)
            negative = text.lstrip().startswith("-")  # held terms hide their sign from SymPy's test
            bare_derivative = _ends_in_bare_derivative(factor) and index < len(factors) - 1
            if isinstance(factor, sp.Add) or (index > 0 and negative) or bare_derivative:
                text = rf"\left({text}\right)"
            if parts and parts[-1] != "-":
                parts.append(r"\cdot" if factor.is_Number or text[:1].isdigit() else "")
            parts.append(text)
        return " ".join(p for p in parts if p)

    def _print_Subs(self, expr: sp.Subs) -> str:
        prime = _prime_of_unknown(expr)
        if prime is None:
            return super()._print_Subs(expr)
        return rf"{prime[0]}'\left({self._print(prime[1])}\right)"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        rows = [
            rf"{self._print(e)} & " + (r"\text{otherwise}" if c == sp.true else rf"\text{{if }} {self._print(c)}")
            for e, c in expr.args
        ]
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"


# Printed as a name applied to brackets, f(x) or max(x, y): an operand or a base needs no more brackets.
_CALLS = (sp.Function, sp.Max, sp.Min)


def _ends_in_bare_derivative(factor: sp.Basic) -> bool:
    """d/dx x, or a held product ending in it: what follows would read as part of its operand."""
    if isinstance(factor, sp.Derivative):
        return factor.expr.is_Symbol
    return isinstance(factor, sp.Mul) and bool(factor.args) and _ends_in_bare_derivative(factor.args[-1])


def _held(product: sp.Mul) -> bool:
    """A product kept as it was built, not in SymPy's own order (which puts one number first).
    Decided by sorting, never by multiplying again: 9·9^387420489 would be worked out."""
    if not product.is_commutative:
        return False
    factors = list(product.args)
    if sum(f.is_Number for f in factors) > 1:
        return True
    ordered = list(factors)
    _mulsort(ordered)
    return ordered != factors


def _starts_with_number(factor: sp.Basic) -> bool:
    """2, 2z or 2^x: printed after another factor with nothing between, it would read as x2z."""
    if factor.is_Number:
        return True
    if isinstance(factor, sp.Mul):
        return bool(factor.args) and (factor.args[0].is_Number or _starts_with_number(factor.args[0]))
    if not (isinstance(factor, sp.Pow) and factor.base.is_Number):
        return False
    return not (factor.exp.is_Rational and factor.exp.q == 2)  # √2 prints as a root, not as 2^½


def _is_fractional_negative_power(factor: sp.Basic) -> bool:
    return (
        isinstance(factor, sp.Pow) and factor.exp.is_Rational and factor.exp.is_negative and not factor.exp.is_Integer
    )


def _is_reciprocal(factor: sp.Basic, numbers: bool = False) -> bool:
    """1/g; with ``numbers``, also a number's held as built (the slope's ·1/h with h = 1/100)."""
    return isinstance(factor, sp.Pow) and factor.exp == -1 and (numbers or not factor.base.is_Number)


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_INDEX_SUPERSCRIPTS = str.maketrans("0123456789()ijkn+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾ⁱʲᵏⁿ⁺⁻")
# SymPy's names of functions, in text as the lecture writes them (and the plain-text reader reads them):
# arcsin, not asin; the inverse hyperbolic functions as arsinh, as in LaTeX's inv_trig_style "full".
_TEXT_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "acot": "arccot", "asec": "arcsec",
               "acsc": "arccsc", "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh", "acoth": "arcoth",
               "asech": "arsech", "acsch": "arcsch", "ceiling": "ceil"}  # fmt: skip


class StepTextPrinter(StrPrinter):
    """One-line Unicode for terminals: x², 2·x, ln(x), e^(x²), √x, d/dx(…)."""

    def __init__(self, partial: bool = False, typed: bool = True):
        super().__init__({"order": "none" if typed else None})
        self._partial = partial
        self._typed = typed

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "e"

    def _print_MatrixBase(self, expr: sp.MatrixBase) -> str:
        """[[1, 2], [3, 4]]; a column vector as (1, 2)ᵀ, the way the lecture writes x."""
        if expr.cols == 1 and expr.rows > 1:
            return "(" + ", ".join(self._print(v) for v in expr) + ")ᵀ"
        rows = [", ".join(self._print(v) for v in expr.row(i)) for i in range(expr.rows)]
        return "[" + ", ".join(f"[{row}]" for row in rows) + "]"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Transpose(self, expr: sp.Basic) -> str:
        inner = expr.args[0]
        if isinstance(inner, sp.MatrixBase) and inner.cols == 1 and inner.rows > 1:  # a column, laid down
            return "[" + ", ".join(self._print(v) for v in inner) + "]"
        return f"{self._print(inner)}ᵀ"

    def _print_Infinity(self, expr: sp.Basic) -> str:
        return "∞"

    def _print_NegativeInfinity(self, expr: sp.Basic) -> str:
        return "-∞"

    def _print_Limit(self, expr: sp.Limit) -> str:
        inner, variable, point, direction = expr.args
        side = {"+": "⁺", "-": "⁻"}.get(str(direction), "")
        return f"lim({self._print(variable)}→{self._print(point)}{side}) {self._operand(inner)}"

    def _print_Max(self, expr: sp.Basic) -> str:
        return "max(" + ", ".join(self._print(arg) for arg in expr.args) + ")"

    def _print_Min(self, expr: sp.Basic) -> str:
        return "min(" + ", ".join(self._print(arg) for arg in expr.args) + ")"

    def _print_Function(self, expr: sp.Basic) -> str:
        name = _TEXT_NAMES.get(type(expr).__name__)
        if name is None:
            return super()._print_Function(expr)
        return f"{name}({', '.join(self._print(arg) for arg in expr.args)})"

    def _print_ImaginaryUnit(self, expr: sp.Basic) -> str:
        return "i"

    def _print_MatMul(self, expr: sp.Basic) -> str:
        return "·".join(f"({self._print(arg)})" if isinstance(arg, sp.Add) else self._print(arg) for arg in expr.args)

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        from sympy.printing.pretty.pretty_symbology import greek_unicode

        name = expr.name
        if name.endswith("hat") and len(name) > 3:  # yhat: ŷ, as SymPy's LaTeX writes \hat{y}
            return unicodedata.normalize("NFC", greek_unicode.get(name[:-3], name[:-3]) + "\u0302")
        return greek_unicode.get(name, name)

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if isinstance(expr, sp.Indexed):  # its own _sympystr would win over _print_Indexed
            return self._print_Indexed(expr)
        return str(super()._print(expr, **kwargs))

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        # one example's value: y⁽ⁱ⁾; its j-th feature: x_j⁽ⁱ⁾ (the lecture's notation)
        base = self._print(sp.Symbol(expr.base.label.name))
        example, *rest = expr.indices
        upper = f"({self._print(example)})".translate(_INDEX_SUPERSCRIPTS)
        return base + ("_" + ",".join(self._print(i) for i in rest) if rest else "") + upper

    def _print_Sum(self, expr: sp.Sum) -> str:
        (index, low, high), *more = expr.limits
        if more:
            return super()._print_Sum(expr)
        body = self._print(expr.function)
        if isinstance(expr.function, sp.Add):
            body = f"({body})"
        return f"Σ_{{{self._print(index)}={self._print(low)}}}^{{{self._print(high)}}} {body}"

    def _print_MatAdd(self, expr: sp.Basic) -> str:
        return " + ".join(self._print(arg) for arg in expr.args)

    def _print_Trace(self, expr: sp.Basic) -> str:
        return f"Tr({self._print(expr.args[0])})"

    def _print_Determinant(self, expr: sp.Basic) -> str:
        return f"det({self._print(expr.args[0])})"

    def _print_Inverse(self, expr: sp.Basic) -> str:
        return f"{self._print(expr.args[0])}⁻¹"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        d = "∂" if self._partial else "d"
        total = sum(int(count) for _, count in expr.variable_count)
        below = "".join(
            f"{d}{self._print(v)}" + (str(count).translate(_SUPERSCRIPTS) if count != 1 else "")
            for v, count in reversed(expr.variable_count)
        )
        operator = f"{d}/{below}" if total == 1 else f"{d}{str(total).translate(_SUPERSCRIPTS)}/{below}"
        return f"{operator}[{self._print(expr.expr)}]"

    def _print_log(self, expr: sp.log) -> str:
        return f"ln({self._print(expr.args[0])})"

    def _print_exp(self, expr: sp.exp) -> str:
        argument = expr.args[0]
        text = self._print(argument)
        bare = argument.is_Symbol or (argument.is_Integer and argument >= 0)  # e^(1/1000), never e^1/1000
        return f"e^{text}" if bare else f"e^({text})"

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exponent = expr.base, expr.exp
        if exponent == sp.S.Half:
            return f"√{self._print(base)}" if base.is_Atom else f"√({self._print(base)})"
        if self._typed and _is_fractional_negative_power(expr):
            return f"{self._operand(base)}^({self._print(exponent)})"
        if exponent.is_Rational and exponent.is_negative and not exponent.is_Integer:
            return f"1/{self._operand(sp.Pow(base, -exponent, evaluate=False))}"  # 1/√(1 - x²), 1/x^(3/2)
        if exponent.is_Integer and exponent < 0:
            positive = sp.Pow(base, -exponent, evaluate=False) if exponent != -1 else base
            return f"1/{self._operand(positive)}"
        base_text = self._print(base)
        if not (base.is_Atom and not (base.is_Number and base < 0)) and not isinstance(base, _CALLS):
            base_text = f"({base_text})"
        if exponent.is_Integer:
            return base_text + str(exponent).translate(_SUPERSCRIPTS)
        exponent_text = self._print(exponent)
        bare = exponent.is_Atom and not exponent.is_negative and not (exponent.is_Rational and not exponent.is_Integer)
        return f"{base_text}^{exponent_text}" if bare else f"{base_text}^({exponent_text})"  # x^(3/2), never x^3/2

    def _print_Mul(self, expr: sp.Mul) -> str:
        factors = list(expr.args)
        if self._typed and any(_is_fractional_negative_power(f) for f in factors):
            return "·".join(self._operand(f) for f in factors)
        if len(factors) == 2 and expr.is_commutative:
            first, second = factors
            if _is_reciprocal(first) and not _is_reciprocal(second) and not second.is_Number:
                if not self._typed:  # SymPy's order puts 1/sin(x) first: a result reads cos(x)/sin(x)
                    return f"{self._operand(second)}/{self._operand(first.base)}"
                return f"({self._print(first)})·{self._operand(second)}"  # (1/x)·x², as the slide writes it
            if _is_reciprocal(second) and not _is_reciprocal(first) and first != -1:
                if first.is_Rational and not first.is_Integer:  # (1/2)/x is 1/(2·x)
                    below = sp.Mul(first.q, second.base, evaluate=False)
                    return f"{first.p}/({self._print(below)})"
                return f"{self._operand(first)}/{self._operand(second.base)}"
        if expr.has(sp.nan):  # SymPy's ordering compares the factors, and nan compares with nothing
            return "·".join(self._operand(factor) for factor in factors)
        if factors[0].is_Rational and not factors[0].is_Integer and any(f.is_Number for f in factors[1:]):
            # a held product of numbers: (1/2)·3, never 1/2·3 (which reads as 1/6); its sign in front
            if factors[0].is_Number and factors[0] < 0:
                rest = factors[1:] if factors[0] == -1 else [-factors[0], *factors[1:]]
                return "-" + "·".join(self._operand(factor) for factor in rest)
            return "·".join(self._operand(factor) for factor in factors)
        return super()._print_Mul(expr).replace("*", "·")

    def _operand(self, expr: sp.Basic) -> str:
        """An operand of · or /, bracketed unless it is a single symbol, number, function or power."""
        text = self._print(expr)
        # x², x^(x/2), √(…), (x + 1)² and x^(-1/2) close themselves; 1/x does not
        power_shown_as_power = isinstance(expr, sp.Pow) and not text.startswith("1/")
        simple = expr.is_Atom or isinstance(expr, (*_CALLS, sp.Derivative)) or power_shown_as_power
        if expr.is_Number and expr is not sp.nan and (expr < 0 or not expr.is_Integer):
            simple = False  # (-2)·x, (1/2)·x
        return text if simple else f"({text})"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        rows = [f"{self._print(e)} " + ("otherwise" if c == sp.true else f"if {self._print(c)}") for e, c in expr.args]
        return "{" + "; ".join(rows) + "}"

    def _print_And(self, expr: sp.Basic) -> str:
        return " and ".join(self._print(arg) for arg in expr.args)

    def _print_Or(self, expr: sp.Basic) -> str:
        return " or ".join(self._print(arg) for arg in expr.args)

    def _print_Pi(self, expr: sp.Basic) -> str:
        return "π"

    def _print_Relational(self, expr: sp.Basic) -> str:
        operator = {"!=": "≠", "<=": "≤", ">=": "≥", "==": "="}.get(expr.rel_op, expr.rel_op)  # type: ignore[attr-defined]
        return f"{self._print(expr.lhs)} {operator} {self._print(expr.rhs)}"  # type: ignore[attr-defined]

    def _print_Subs(self, expr: sp.Subs) -> str:
        prime = _prime_of_unknown(expr)
        return super()._print_Subs(expr) if prime is None else f"{prime[0]}'({self._print(prime[1])})"

    def _print_sign(self, expr: sp.sign) -> str:
        return f"sgn({self._print(expr.args[0])})"


def assignments(
    point: Mapping[sp.Symbol, sp.Expr],
    show: Callable[[sp.Basic], str] | None = None,
    separator: str = ", ",
    name: Callable[[sp.Basic], str] | None = None,
) -> str:
    """x = 1, y = 2: a point as the output writes it (``show`` the values, ``name`` the variables)."""
    show = show or text
    name = name or show
    return separator.join(f"{name(s)} = {show(v)}" for s, v in point.items())


def second_partial_latex(first: sp.Symbol, then: sp.Symbol) -> str:
    """∂²f/∂y∂x for the partial by ``first``, then by ``then``; ∂²f/∂x² for the same one twice."""
    below = rf"\partial {latex(then)}\,\partial {latex(first)}" if first != then else rf"\partial {latex(first)}^2"
    return rf"\frac{{\partial^2 f}}{{{below}}}"


def latex(expr: sp.Basic, partial: bool = False, typed: bool = True) -> str:
    return StepLatexPrinter(partial, typed).doprint(expr)


def text(expr: sp.Basic, partial: bool = False, typed: bool = True) -> str:
    return StepTextPrinter(partial, typed).doprint(expr)


DECIMAL_SECONDS = 1.0


def decimal(value: sp.Expr, digits: int = 10) -> str:
    """A number as a short decimal: 10.7918, 4.01, 1.0e-5; whole numbers as they are."""
    if value.is_Integer:
        return str(value)
    # e^(e^(e^10)) has a decimal exponent of thousands of digits: the number itself stays exact
    with time_limit(DECIMAL_SECONDS) as limit:
        shown = sp.sstr(sp.N(value, digits), full_prec=False)
    return "(too large for a decimal)" if limit.expired else shown


T = TypeVar("T")


def runs(items: Sequence[T], shown: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Consecutive items that display alike, as one (their display, the items): a chain's step
    that shows the previous line's expression again is written on that line, its rule added."""
    out: list[tuple[str, list[T]]] = []
    for item in items:
        display = shown(item)
        if out and out[-1][0] == display:
            out[-1][1].append(item)
        else:
            out.append((display, [item]))
    return out


# rule titles that begin with a name: they keep their capital after a semicolon
_PROPER = ("Frobenius", "Gauss", "Gram", "Hadamard", "Pythagorean", "Schwarz", "Jacobian", "Hessian", "Cookbook")


def continued(title: str) -> str:
    """A rule's title as it reads after another one's ("Simplify; agrees with …")."""
    first = title.split(" ", 1)[0]
    if (len(first) > 1 and first[1].isupper()) or first.startswith(_PROPER):
        return title  # ReLU, L2, Gauss–Jordan
    return title[:1].lower() + title[1:]


def binding(name: str, value: sp.Basic, show: Callable[[sp.Basic], str], named: Callable[[str], str] = str) -> str:
    """A step's binding as its justification shows it: name = value, or the value alone when it is
    a statement of its own (a row operation R₂ ← R₂ − 3R₁, an identity)."""
    shown = show(value)
    return shown if getattr(value, "statement", False) else f"{named(name)} = {shown}"


def binding_name(name: str) -> str:
    """A binding's name in maths mode: f(u) and c as they are, a word as a word, λ as \\lambda."""
    from sympy.printing.pretty.pretty_symbology import greek_unicode

    greek = {letter: word for word, letter in greek_unicode.items() if isinstance(letter, str)}
    if name in greek:
        return "\\" + greek[name]
    if name in ("Sigma", "Lambda", "lambda", "sigma"):
        return "\\" + name
    return rf"\text{{{tex_text(name)}}}" if len(name) > 1 and name.isalpha() else name


class Said(str):
    """Words with maths in them, written twice: as the text output shows them (Unicode: "det A = -2
    ≠ 0, so A⁻¹ exists") and in LaTeX, the maths typeset ("$\\det A = -2 \\neq 0$, so $A^{-1}$
    exists"); ``tex_text`` writes the LaTeX. Joined to words with +, it stays both."""

    latex: str

    def __new__(cls, shown: str, latex: str | None = None) -> Said:
        said = super().__new__(cls, shown)
        said.latex = tex_text(shown) if latex is None else latex
        return said

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.latex)

    def __add__(self, other: str) -> Said:
        return Said(str(self) + str(other), self.latex + tex_text(other))

    def __radd__(self, other: str) -> Said:
        return Said(str(other) + str(self), tex_text(other) + self.latex)


def tex_text(words: str) -> str:
    """Plain words (with Unicode maths in them) for LaTeX text mode; words that carry their own
    LaTeX (``Said``) as that."""
    if isinstance(words, Said):
        return words.latex
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
        "–": "--",
        "—": "---",
        "↦": r"$\mapsto$",
        "∈": r"$\in$",
        "⁰": r"$^0$",
        "¹": r"$^1$",
        "₁": r"$_1$",
        "₂": r"$_2$",
        "₃": r"$_3$",
        "∞": r"$\infty$",
        "<": r"$<$",
        ">": r"$>$",
        "≤": r"$\leq$",
        "≥": r"$\geq$",
        "|": r"$|$",
        "²": r"$^2$",
        "³": r"$^3$",
        "⁺": r"$^+$",
        "⁻": r"$^-$",
        "₊": r"$_+$",
        "₋": r"$_-$",
        "‖": r"$\|$",
        "⇒": r"$\Rightarrow$",
        "ŷ": r"$\hat{y}$",
        "\x01": r"$^{(i)}$",
        "ᵢ": r"$_i$",
        "ⁿ": r"$^n$",
        "∇": r"$\nabla$",
        "⊙": r"$\odot$",
        "⊘": r"$\oslash$",
        "𝟏": r"$\mathbf{1}$",
        "₀": r"$_0$",
        "½": r"$\tfrac12$",
    }
    words = words.replace("⁻¹", "\x00").replace("⁽ⁱ⁾", "\x01")
    return "".join(replacements.get(c) or _greek(c) for c in words)


def _greek(character: str) -> str:
    from sympy.printing.pretty.pretty_symbology import greek_unicode

    names = {letter: name for name, letter in greek_unicode.items() if isinstance(letter, str)}
    if character in names:
        return rf"$\{names[character]}$"
    return character if character.isascii() else "?"
