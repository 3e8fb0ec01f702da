"""Matrix gradients: ``matrix_gradient`` against SymPy's ``MatrixSymbol`` derivative, case by case.

    python benchmarks/bench_matrix.py [--repeat N] [--quick] [--sympy-only] [--only NAME,NAME]

For every case of ``tests/matrix_cases.py`` (sizes n = 3, m = 4, p = 2):

* ours: ``matrix_gradient(...)`` + ``.verify()`` + ``.to_latex()``, and whether ``.evaluate``
  agrees with the case's hand-written NumPy reference;
* SymPy: ``expr.diff(wrt)`` + ``sympy.latex`` on the same function written with SymPy's matrix
  expressions (``SYMPY_FORMS`` below, MatrixSymbols of concrete sizes), and what its answer is
  worth: correct, wrong, 0, raises, times out, or unevaluated, judged by substituting the draws'
  explicit matrices into SymPy's result and comparing with the reference.

Times are medians of ``--repeat`` runs with SymPy's cache cleared before each run on both sides
(``benchmarks/timing.py``), so neither side is timed on remembered results; the ratio is ours /
SymPy's per case, measured in the same run. Every SymPy call runs under a SIGALRM time limit so
that one hang cannot stall the benchmark. ``--sympy-only`` skips our side (for use before the
engine exists).
"""

from __future__ import annotations

import argparse
import math
import signal
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import timed  # noqa: E402

from tests.matrix_cases import CASES, SIZES, Case, Values, dims_of, draw, relative_error  # noqa: E402

# --- SymPy's side ------------------------------------------------------------------------------------
#
# How the lecture's notation is written for SymPy. Vectors are n×1 MatrixSymbols, scalars real
# Symbols, 𝟏 a OneMatrix. Element-wise functions are ``applyfunc`` (SymPy's
# ElementwiseApplyFunction), σ, softplus and ReLU as Lambdas, and softmax by its definition
# exp(z) / 𝟏ᵀexp(z) since SymPy has no softmax.
#
# A 1×1 product used as a scalar (inside √ or a power, as a denominator, added to a scalar) can
# be written two ways, and SymPy answers differently: as the 1×1 matrix itself ("matrix": √(xᵀx)
# is a MatPow, a scalar c added to it is c·I₁) or wrapped in Trace ("trace"). Each form is built
# in both styles and SymPy is credited with the first that it gets right, so that it has its best
# chance; the [0, 0] entry, a third idiom, gives 0 or raises in SymPy 1.14 (tried on (aᵀx)² and
# ‖x‖₂) and is not tried. A form without such a product is the same in both styles.

STYLES = ("matrix", "trace")


@dataclass
class Sym:
    """A case's names as SymPy symbols (MatrixSymbol or Symbol), and the style of 1×1 scalars."""

    symbols: dict[str, Any]
    style: str

    def __getitem__(self, name: str) -> Any:
        return self.symbols[name]

    def scalar(self, e: Any) -> Any:
        return e if self.style == "matrix" else sp.Trace(e)

    def plus_scalar(self, e: Any, c: Any) -> Any:
        """The 1×1 product ``e`` plus the scalar ``c``."""
        return e + c * sp.Identity(1) if self.style == "matrix" else sp.Trace(e) + c


S = Sym
_t = sp.Dummy("t")
SIGMOID = sp.Lambda(_t, 1 / (1 + sp.exp(-_t)))
SOFTPLUS = sp.Lambda(_t, sp.log(1 + sp.exp(_t)))
RELU = sp.Lambda(_t, sp.Max(0, _t))
N = sp.Integer(SIZES["n"])  # the dimension name n used as a number (1/n)


def ones(k: str) -> sp.OneMatrix:
    return sp.OneMatrix(SIZES[k], 1)


def tr(e: Any) -> Any:
    return sp.Trace(e)


def norm2(s: S, v: Any) -> Any:
    return sp.sqrt(s.scalar(v.T * v))


def fro(X: Any) -> Any:
    return sp.sqrt(tr(X.T * X))  # in either style: √ of XᵀX itself would be a matrix square root


def softmax(s: S, z: Any, k: str) -> Any:
    e = z.applyfunc(sp.exp)
    return e * s.scalar(ones(k).T * e) ** -1


def logistic(s: S) -> Any:
    z = s["X"] * s["w"] + s["b"] * ones("n")
    sigma = z.applyfunc(SIGMOID)
    one = ones("n")
    return -(1 / N) * (s["y"].T * sigma.applyfunc(sp.log) + (one - s["y"]).T * (one - sigma).applyfunc(sp.log))


def logistic_pm1(s: S) -> Any:
    margins = -sp.HadamardProduct(s["y"], s["X"] * s["w"])
    return (1 / N) * ones("n").T * (ones("n") + margins.applyfunc(sp.exp)).applyfunc(sp.log)


def gaussian(s: S) -> Any:
    d = s["x"] - s["mu"]
    return s.plus_scalar(d.T * s["Sigma"].I * d / 2, sp.log(sp.Abs(sp.Determinant(s["Sigma"]))) / 2)


def ridge(s: S) -> Any:
    return norm2(s, s["X"] * s["w"] - s["y"]) ** 2 + s["lambda"] * norm2(s, s["w"]) ** 2


SYMPY_FORMS: dict[str, Callable[[Sym], Any]] = {
    "aT_x": lambda s: s["a"].T * s["x"],
    "xT_a": lambda s: s["x"].T * s["a"],
    "xT_x": lambda s: s["x"].T * s["x"],
    "xT_x_size5": lambda s: s["x"].T * s["x"],
    "xT_A_x": lambda s: s["x"].T * s["A"] * s["x"],
    "xT_AT_x": lambda s: s["x"].T * s["A"].T * s["x"],
    "xT_A_x_wrt_A": lambda s: s["x"].T * s["A"] * s["x"],
    "Bx_b_C_Dx_d": lambda s: (s["B"] * s["x"] + s["b"]).T * s["C"] * (s["D"] * s["x"] + s["d"]),
    "aTx_squared": lambda s: s.scalar(s["a"].T * s["x"]) ** 2,
    "xT_hadamard_a_x": lambda s: s["x"].T * sp.HadamardProduct(s["a"], s["x"]),
    "x_As_W_wrt_s": lambda s: (s["x"] - s["A"] * s["s"]).T * s["W"] * (s["x"] - s["A"] * s["s"]),
    "x_As_W_wrt_A": lambda s: (s["x"] - s["A"] * s["s"]).T * s["W"] * (s["x"] - s["A"] * s["s"]),
    "aT_X_b": lambda s: s["a"].T * s["X"] * s["b"],
    "aT_XT_b": lambda s: s["a"].T * s["X"].T * s["b"],
    "aT_X_a": lambda s: s["a"].T * s["X"] * s["a"],
    "bT_XT_X_c": lambda s: s["b"].T * s["X"].T * s["X"] * s["c"],
    "bT_XT_D_X_c": lambda s: s["b"].T * s["X"].T * s["D"] * s["X"] * s["c"],
    "Xb_c_D_Xb_c": lambda s: (s["X"] * s["b"] + s["c"]).T * s["D"] * (s["X"] * s["b"] + s["c"]),
    "tr_X": lambda s: tr(s["X"]),
    "tr_AX": lambda s: tr(s["A"] * s["X"]),
    "tr_XA": lambda s: tr(s["X"] * s["A"]),
    "tr_AXB": lambda s: tr(s["A"] * s["X"] * s["B"]),
    "tr_AXTB": lambda s: tr(s["A"] * s["X"].T * s["B"]),
    "tr_XTA": lambda s: tr(s["X"].T * s["A"]),
    "tr_AXT": lambda s: tr(s["A"] * s["X"].T),
    "tr_X_squared": lambda s: tr(s["X"] ** 2),
    "tr_X2_B": lambda s: tr(s["X"] ** 2 * s["B"]),
    "tr_XT_B_X": lambda s: tr(s["X"].T * s["B"] * s["X"]),
    "tr_X_B_XT": lambda s: tr(s["X"] * s["B"] * s["X"].T),
    "tr_AXBX": lambda s: tr(s["A"] * s["X"] * s["B"] * s["X"]),
    "tr_XT_X": lambda s: tr(s["X"].T * s["X"]),
    "tr_XT_B_X_C": lambda s: tr(s["X"].T * s["B"] * s["X"] * s["C"]),
    "tr_A_X_B_XT": lambda s: tr(s["A"] * s["X"] * s["B"] * s["X"].T),
    "tr_A_X_B_XT_C": lambda s: tr(s["A"] * s["X"] * s["B"] * s["X"].T * s["C"]),
    "tr_AXB_C_squared": lambda s: tr((s["A"] * s["X"] * s["B"] + s["C"]) * (s["A"] * s["X"] * s["B"] + s["C"]).T),
    "tr_X_plus_tr_X2": lambda s: tr(s["X"]) + tr(s["X"] ** 2),
    "tr_X_squared_scalar": lambda s: tr(s["X"]) ** 2,
    "exp_tr_X": lambda s: sp.exp(tr(s["X"])),
    "tr_X_inv": lambda s: tr(s["X"].I),
    "aT_Xinv_b": lambda s: s["a"].T * s["X"].I * s["b"],
    "aT_X_invT_b": lambda s: s["a"].T * s["X"].I.T * s["b"],
    "tr_A_Xinv_B": lambda s: tr(s["A"] * s["X"].I * s["B"]),
    "det_X": lambda s: sp.Determinant(s["X"]),
    "det_X_inv": lambda s: sp.Determinant(s["X"].I),
    "det_AXB": lambda s: sp.Determinant(s["A"] * s["X"] * s["B"]),
    "ln_abs_det_X": lambda s: sp.log(sp.Abs(sp.Determinant(s["X"]))),
    "log_det_X_spd": lambda s: sp.log(sp.Determinant(s["X"])),
    "log_det_X_unsymmetric": lambda s: sp.log(sp.Determinant(s["X"])),
    "ln_det_XT_X": lambda s: sp.log(sp.Determinant(s["X"].T * s["X"])),
    "norm2_x": lambda s: norm2(s, s["x"]),
    "norm2_x_minus_a": lambda s: norm2(s, s["x"] - s["a"]),
    "norm2_sq_x": lambda s: norm2(s, s["x"]) ** 2,
    "norm2_sq_Ax_b": lambda s: norm2(s, s["A"] * s["x"] - s["b"]) ** 2,
    "fro_X": lambda s: fro(s["X"]),
    "fro_sq_X": lambda s: fro(s["X"]) ** 2,
    "fro_sq_AX_B": lambda s: fro(s["A"] * s["X"] - s["B"]) ** 2,
    "bT_sigma_Ax": lambda s: s["b"].T * (s["A"] * s["x"]).applyfunc(SIGMOID),
    "bT_sigma_Ax_wrt_A": lambda s: s["b"].T * (s["A"] * s["x"]).applyfunc(SIGMOID),
    "sum_exp_Ax": lambda s: ones("m").T * (s["A"] * s["x"]).applyfunc(sp.exp),
    "sum_tanh_Ax": lambda s: ones("m").T * (s["A"] * s["x"]).applyfunc(sp.tanh),
    "sum_softplus_Ax": lambda s: ones("m").T * (s["A"] * s["x"]).applyfunc(SOFTPLUS),
    "bT_relu_Ax": lambda s: s["b"].T * (s["A"] * s["x"]).applyfunc(RELU),
    "sum_ln_x": lambda s: ones("n").T * s["x"].applyfunc(sp.log),
    "aT_softmax_x": lambda s: s["a"].T * softmax(s, s["x"], "n"),
    "least_squares_w": lambda s: norm2(s, s["X"] * s["w"] - s["y"]) ** 2 / (2 * N),
    "ridge_w": ridge,
    "ridge_lambda": ridge,
    "logistic_w": logistic,
    "logistic_b": logistic,
    "logistic_pm1_w": logistic_pm1,
    "softmax_ce_W": lambda s: -s["y"].T * softmax(s, s["W"] * s["x"], "p").applyfunc(sp.log),
    "softmax_ce_x": lambda s: -s["y"].T * softmax(s, s["W"] * s["x"], "p").applyfunc(sp.log),
    "gaussian_nll_mu": gaussian,
    "gaussian_nll_Sigma": gaussian,
    "gaussian_nll_Sigma_unsymmetric": gaussian,
}
# Cases whose SymPy form is not the notation itself but a definition written out.
BY_DEFINITION = {"aT_softmax_x", "softmax_ce_W", "softmax_ce_x"}


def sympy_symbols(case: Case) -> dict[str, Any]:
    symbols: dict[str, Any] = {}
    for name, shape in case.shapes.items():
        dims = dims_of(shape)
        if dims == ():
            symbols[name] = sp.Symbol(name, real=True)
        else:
            symbols[name] = sp.MatrixSymbol(name, dims[0], dims[1] if len(dims) == 2 else 1)
    return symbols


class TimeLimit(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimit in the block after ``seconds`` (SIGALRM; SymPy is pure Python, so the
    signal is handled between bytecodes even deep inside a derivative)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeLimit(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def explicit(result: Any, symbols: dict[str, Any], values: Values, shape: tuple[int, ...]) -> np.ndarray:
    """SymPy's symbolic answer as numbers: each MatrixSymbol replaced by the draw's explicit
    matrix, then ``doit`` and ``as_explicit``; singleton axes dropped (SymPy gives n×1 for a
    vector, and (m, 1, n) arrays for some element-wise results), but no other reshaping, so an
    answer of the transposed shape counts as wrong. Raises ValueError for the unevaluated."""
    substitution: dict[Any, Any] = {}
    for name, symbol in symbols.items():
        value = values[name]
        if isinstance(symbol, sp.MatrixSymbol):
            substitution[symbol] = sp.ImmutableMatrix(np.reshape(value, symbol.shape).tolist())
        else:
            substitution[symbol] = sp.Float(value)
    numeric = result.xreplace(substitution)
    # 𝟏, I and 0 of SymPy's answer stay symbolic through doit (Trace(𝟏ᵀM) is left as it is).
    constants = (sp.OneMatrix, sp.Identity, sp.ZeroMatrix)
    numeric = numeric.replace(lambda e: isinstance(e, constants), lambda e: e.as_explicit())
    numeric = numeric.doit()
    if hasattr(numeric, "as_explicit"):
        numeric = numeric.as_explicit()
    if hasattr(numeric, "doit"):
        numeric = numeric.doit()
    entries = numeric.tolist() if hasattr(numeric, "tolist") else numeric
    try:
        array = np.array(entries, dtype=complex)
    except TypeError as error:
        raise ValueError(f"not a number after substitution: {str(numeric)[:80]}") from error
    if np.abs(array.imag).max(initial=0.0) > 1e-9 * (1 + np.abs(array.real).max(initial=0.0)):
        raise ValueError("complex after substitution")
    array = array.real
    squeezed = array.reshape([d for d in array.shape if d != 1])
    want = tuple(d for d in shape if d != 1)
    if squeezed.shape != want:
        raise ShapeMismatch(f"shape {array.shape}, expected {shape}")
    return squeezed.reshape(shape)


class ShapeMismatch(Exception):
    pass


@dataclass
class SympyOutcome:
    verdict: str  # correct | wrong | returns 0 | raises | timeout | unevaluated | no SymPy form | bad translation
    detail: str = ""
    seconds: float | None = None
    style: str = ""  # the style of 1×1 scalars this verdict is for, where the styles differ


def sympy_side(case: Case, draws: list[Values], repeats: int, limit: float) -> SympyOutcome:
    """SymPy's verdict on the case: the first style it gets right, else the first style's; the
    detail names the style where the two differ, and what the other gave."""
    form = SYMPY_FORMS.get(case.name)
    if form is None:
        return SympyOutcome("no SymPy form")
    symbols = sympy_symbols(case)
    outcomes: list[SympyOutcome] = []
    seen: list[str] = []
    for style in STYLES:
        sym = Sym(symbols, style)
        try:
            expr = form(sym)
        except Exception as error:  # SymPy refused the form itself: a bug of this benchmark
            outcomes.append(SympyOutcome("bad translation", f"{type(error).__name__}: {error}", style=style))
            continue
        # By the printed form: composed element-wise functions get fresh Dummies each time.
        if str(expr) in seen:
            continue  # no 1×1 scalar in this form: the other style is the same expression
        seen.append(str(expr))
        outcome = one_style(case, sym, expr, draws, repeats, limit)
        outcome.style = style
        outcomes.append(outcome)
        if outcome.verdict == "correct":
            break
    chosen = next((o for o in outcomes if o.verdict == "correct"), outcomes[0])
    if len(outcomes) > 1:
        others = "; ".join(f"{o.style}: {o.verdict} {o.detail}".strip() for o in outcomes if o is not chosen)
        chosen.detail = f"{chosen.style}: {chosen.detail}".rstrip(": ") + f" (other style {others})"
    else:
        chosen.style = ""
    return chosen


def one_style(case: Case, sym: Sym, expr: Any, draws: list[Values], repeats: int, limit: float) -> SympyOutcome:
    mismatch = translation_error(case, expr, sym.symbols, draws[0], limit)
    if mismatch:  # a bug of this benchmark, not SymPy's: say so rather than blame SymPy
        return SympyOutcome("bad translation", mismatch)
    wrt = sym[case.wrt]
    try:
        with time_limit(limit):
            result = expr.diff(wrt)
    except TimeLimit as error:
        return SympyOutcome("timeout", str(error))
    except Exception as error:  # what SymPy raises is the finding, whatever it is
        return SympyOutcome("raises", f"{type(error).__name__}: {str(error)[:50]}")
    outcome = judge(case, result, sym.symbols, draws, limit)
    try:
        with time_limit(limit):
            sp.latex(result)
        call: Callable[[], object] = lambda: sp.latex(expr.diff(wrt))  # noqa: E731
    except Exception:  # its LaTeX failing does not unmake the derivative; time the derivative alone
        outcome.detail = (outcome.detail + "; latex raises").lstrip("; ")
        call = lambda: expr.diff(wrt)  # noqa: E731
    try:
        with time_limit(limit * max(repeats, 1)):
            outcome.seconds = timed(call, repeats)
    except TimeLimit:
        outcome.detail = (outcome.detail + "; timing over the limit").lstrip("; ")
    return outcome


def translation_error(case: Case, expr: Any, symbols: dict[str, Any], values: Values, limit: float) -> str:
    """The SymPy form must be the case's function: its value at a draw must be ``case.function``'s."""
    try:
        with time_limit(limit):
            value = explicit(expr, symbols, values, ())
    except Exception as error:
        return f"the form does not evaluate: {type(error).__name__}: {str(error)[:50]}"
    off = relative_error(value, case.function(values))
    return "" if off < 1e-10 else f"the form's value is {off:.1g} off the function's"


def is_zero(result: Any) -> bool:
    return bool(result == 0 or isinstance(result, sp.ZeroMatrix) or getattr(result, "is_ZeroMatrix", False))


def judge(case: Case, result: Any, symbols: dict[str, Any], draws: list[Values], limit: float) -> SympyOutcome:
    if is_zero(result):
        return SympyOutcome("returns 0")
    if result.has(sp.Derivative):
        return SympyOutcome("unevaluated", str(result)[:60])
    shape = dims_of(case.shapes[case.wrt])
    worst = 0.0
    for values in draws:
        try:
            with time_limit(limit):
                got = explicit(result, symbols, values, shape)
        except ShapeMismatch as error:
            return SympyOutcome("wrong", str(error))
        except TimeLimit:
            return SympyOutcome("unevaluated", "substitution over the time limit")
        except Exception as error:
            return SympyOutcome("unevaluated", f"{type(error).__name__}: {str(error)[:60]}")
        expected = case.reference(values)
        if not np.any(got) and np.any(expected):
            return SympyOutcome("returns 0", "zero after substitution")
        worst = max(worst, relative_error(got, expected))
    if worst < 1e-8:
        return SympyOutcome("correct")
    return SympyOutcome("wrong", f"relative error {worst:.2g}")


# --- our side --------------------------------------------------------------------------------------


@dataclass
class OursOutcome:
    verdict: str  # ok | WRONG | fails
    detail: str = ""
    seconds: float | None = None


def ours_side(case: Case, draws: list[Values], repeats: int) -> OursOutcome:
    """Our time, and whether ``evaluate`` agrees with the reference and ``verify`` holds; a wrong
    answer is timed too (it is still the time a user waits)."""
    try:
        from stepsolver import matrix_gradient

        def work() -> Any:
            result = matrix_gradient(case.latex, case.wrt, dict(case.shapes))
            result.verify()
            result.to_latex()
            return result

        result = work()
        outcome = OursOutcome("ok")
        shape = dims_of(case.shapes[case.wrt])
        for values in draws:
            got = np.asarray(result.evaluate(values), dtype=float)
            if got.shape != shape:
                outcome = OursOutcome("WRONG", f"shape {got.shape}, expected {shape}")
                break
            if not np.allclose(got, case.reference(values), rtol=1e-7, atol=1e-9):
                outcome = OursOutcome("WRONG", f"relative error {relative_error(got, case.reference(values)):.2g}")
                break
        if outcome.verdict == "ok" and not result.verify():
            outcome = OursOutcome("WRONG", "verify() is falsy")
        outcome.seconds = timed(work, repeats)
        return outcome
    except Exception as error:  # reported per case; the benchmark goes on with the next
        return OursOutcome("fails", f"{type(error).__name__}: {str(error)[:60]}")


# --- the report ------------------------------------------------------------------------------------


def p90(values: list[float]) -> float:
    """Nearest rank, so that with few values it is not the median or below."""
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per call (median)")
    parser.add_argument("--quick", action="store_true", help="one run per call and a 5 s limit")
    parser.add_argument("--sympy-only", action="store_true", help="skip matrix_gradient (SymPy's side only)")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--limit", type=float, default=10.0, help="seconds allowed per SymPy call")
    args = parser.parse_args()
    repeats, limit = (1, min(args.limit, 5.0)) if args.quick else (args.repeat, args.limit)
    unknown = set(SYMPY_FORMS) - {c.name for c in CASES}
    if unknown:
        parser.error(f"SymPy forms for no case: {sorted(unknown)}")
    cases = [c for c in CASES if not args.only or c.name in args.only.split(",")]
    # SymPy warns (deprecated non-Expr arguments to Mul) from inside its own matrix derivative
    # code; the warnings say nothing about the answer and would bury the table.
    warnings.simplefilter("ignore")

    # Warm both sides' imports and first-call costs, as in a running process.
    x = sp.MatrixSymbol("x", 3, 1)
    (x.T * x).diff(x)
    if not args.sympy_only:
        try:
            from stepsolver import matrix_gradient

            matrix_gradient(r"x^\top x", "x", {"x": ("n",)}).to_latex()
        except Exception as error:
            print(f"(ours cannot run: {type(error).__name__}: {error})")

    header = f"{'case':32} {'ours ms':>8} {'sympy ms':>9} {'ratio':>7}  {'ours':6} {'sympy':14} detail"
    print(header)
    print("-" * len(header))
    rows: list[tuple[Case, OursOutcome | None, SympyOutcome]] = []
    for case in cases:
        draws = [draw(case, np.random.default_rng([seed, 7])) for seed in range(3)]
        ours = None if args.sympy_only else ours_side(case, draws, repeats)
        theirs = sympy_side(case, draws, repeats, limit)
        rows.append((case, ours, theirs))
        ratio = (
            f"{ours.seconds / theirs.seconds:.2g}x"
            if ours is not None and ours.seconds is not None and theirs.seconds
            else "-"
        )
        label = theirs.verdict + (" (def.)" if case.name in BY_DEFINITION else "")
        details = "; ".join(d for d in ((f"ours: {ours.detail}" if ours and ours.detail else ""), theirs.detail) if d)
        print(
            f"{case.name:32} {ms(ours.seconds if ours else None):>8} {ms(theirs.seconds):>9} {ratio:>7}  "
            f"{ours.verdict if ours else '-':6} {label:14} {details}"
        )
        sys.stdout.flush()
    summarise(rows)


def summarise(rows: list[tuple[Case, OursOutcome | None, SympyOutcome]]) -> None:
    print()
    print(f"{len(rows)} cases, sizes n = {SIZES['n']}, m = {SIZES['m']}, p = {SIZES['p']}")
    ours_times = [o.seconds for _, o, _ in rows if o is not None and o.seconds is not None]
    sympy_times = [s.seconds for _, _, s in rows if s.seconds is not None]
    ratios = [o.seconds / s.seconds for _, o, s in rows if o is not None and o.seconds is not None and s.seconds]
    if ours_times:
        print(
            f"  ours (gradient + verify + LaTeX, wherever it answers):"
            f" median {statistics.median(ours_times) * 1000:.1f} ms,"
            f" p90 {p90(ours_times) * 1000:.1f} ms"
        )
    ours_verdicts = Counter(o.verdict for _, o, _ in rows if o is not None)
    if ours_verdicts:
        print(f"  ours: {dict(ours_verdicts)}")
    if sympy_times:
        print(
            f"  SymPy (diff + latex, where it answers): median {statistics.median(sympy_times) * 1000:.1f} ms,"
            f" p90 {p90(sympy_times) * 1000:.1f} ms"
        )
    if ratios:
        print(f"  ratio ours / SymPy (both answer): median {statistics.median(ratios):.1f}x, p90 {p90(ratios):.1f}x")
    # SymPy's time for an answer of 0 is the time to give up, so the fair comparison is also
    # shown over the cases it gets right.
    right = [o.seconds / s.seconds for _, o, s in rows if o and o.seconds and s.seconds and s.verdict == "correct"]
    if right:
        print(
            f"  ratio ours / SymPy, where SymPy is correct ({len(right)} cases): median"
            f" {statistics.median(right):.1f}x, p90 {p90(right):.1f}x"
        )
    verdicts = Counter(s.verdict for _, _, s in rows)
    order = ["correct", "wrong", "returns 0", "raises", "timeout", "unevaluated", "no SymPy form", "bad translation"]
    print("  SymPy's answers: " + ", ".join(f"{verdicts[v]} {v}" for v in order if verdicts[v]))
    correct_by_definition = sum(1 for c, _, s in rows if c.name in BY_DEFINITION and s.verdict == "correct")
    if any(c.name in BY_DEFINITION for c, _, _ in rows):
        print(f"  (softmax written out by its definition for SymPy: {correct_by_definition} of those correct)")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"  ({time.perf_counter() - start:.0f} s in all)")
