"""The identities a matrix-calculus step cites: the lecture's, or the Matrix Cookbook's
(Petersen & Pedersen, version of November 15, 2012) with its equation number."""

from __future__ import annotations

from ..core.rules import Rule, declare


def _cookbook(id: str, title: str, formula: str, number: str) -> Rule:
    return declare(Rule(id, f"{title} (Cookbook {number})", formula))


# -- taking the differential ------------------------------------------------------------------
D_CONSTANT = _cookbook("d_constant", "Differential of a constant", r"\mathrm{d}A = 0", "33")
D_VARIABLE = declare(Rule("d_variable", "Differential of the variable", r"\mathrm{d}(X) = \mathrm{d}X"))
D_SCALAR = _cookbook("d_scalar_multiple", "Constant factor", r"\mathrm{d}(\alpha X) = \alpha\,\mathrm{d}X", "34")
D_SUM = _cookbook("d_sum", "Differential of a sum", r"\mathrm{d}(X + Y) = \mathrm{d}X + \mathrm{d}Y", "35")
D_TRACE = _cookbook(
    "d_trace", "Differential of a trace", r"\mathrm{d}\operatorname{tr}(X) = \operatorname{tr}(\mathrm{d}X)", "36"
)
D_PRODUCT = _cookbook("d_product", "Product rule", r"\mathrm{d}(XY) = (\mathrm{d}X)Y + X\,\mathrm{d}Y", "37")
D_LINEAR = _cookbook(
    "d_linear",
    "Constant factors stay",
    r"\mathrm{d}(AXB) = A\,(\mathrm{d}X)\,B \quad (A, B \text{ constant})",
    "34, 37",
)
D_HADAMARD = _cookbook(
    "d_hadamard", "Product rule for ⊙", r"\mathrm{d}(X \odot Y) = \mathrm{d}X \odot Y + X \odot \mathrm{d}Y", "38"
)
D_INVERSE = _cookbook(
    "d_inverse", "Differential of the inverse", r"\mathrm{d}(X^{-1}) = -X^{-1}(\mathrm{d}X)X^{-1}", "40"
)
D_DET = _cookbook(
    "d_det", "Differential of the determinant", r"\mathrm{d}\det X = \det X \operatorname{tr}(X^{-1}\mathrm{d}X)", "42"
)
D_LOGDET = _cookbook(
    "d_logdet",
    "Differential of ln|det X|",
    r"\mathrm{d}\ln\lvert\det X\rvert = \operatorname{tr}(X^{-1}\mathrm{d}X)",
    "43",
)
D_TRANSPOSE = _cookbook("d_transpose", "Differential of a transpose", r"\mathrm{d}(X^\top) = (\mathrm{d}X)^\top", "44")
D_ELEMENTWISE = declare(
    Rule(
        "d_elementwise",
        "Chain rule, entry by entry",
        r"\mathrm{d}f(U) = f'(U) \odot \mathrm{d}U"
        r" \quad (f \text{ applied to each entry; of a scalar } u\text{: } f'(u)\,\mathrm{d}u)",
    )
)
D_NORM = declare(
    Rule(
        "d_norm",
        "Differential of a norm",
        r"\mathrm{d}\lVert U\rVert = \frac{\operatorname{tr}(U^\top \mathrm{d}U)}{\lVert U\rVert}"
        r" \quad (\lVert U\rVert = \sqrt{\operatorname{tr}(U^\top U)}\text{, chain rule})",
    )
)
D_SOFTMAX = declare(
    Rule(
        "d_softmax",
        "Differential of softmax",
        r"\mathrm{d}\operatorname{softmax}(u) = s \odot \mathrm{d}u - s\,(s^\top \mathrm{d}u),"
        r"\ s = \operatorname{softmax}(u)"
        r" \quad \left(\frac{\partial s_i}{\partial u_j} = s_i(\delta_{ij} - s_j)\right)",
    )
)
D_NAMED = declare(Rule("d_named", "Differential of a named part", r"z = g(X) \implies \mathrm{d}z = \mathrm{d}g(X)"))
SUBSTITUTE_NAMED = declare(Rule("substitute_named", "Substitute the named part", r"z = g(X)"))
D_DIAG = declare(
    Rule("d_diag", "Differential of diag", r"\mathrm{d}\operatorname{diag}(u) = \operatorname{diag}(\mathrm{d}u)")
)

# -- bringing the differential to the form tr(Gᵀ dX) ------------------------------------------
EXPAND = declare(
    Rule(
        "distribute",
        "Distribute (Cookbook 4, 5 for transposes)",
        r"A(B + C) = AB + AC,\ (A + B)^\top = A^\top + B^\top,\ (AB)^\top = B^\top A^\top,"
        r"\ a \odot (B + C) = a \odot B + a \odot C",
    )
)
SCALAR_TRACE = declare(
    Rule("scalar_trace", "A scalar is its own trace", r"a = \operatorname{tr}(a) \quad (a \in \mathbb{R})")
)
CYCLIC = _cookbook(
    "trace_cyclic",
    "Cyclic property of the trace",
    r"\operatorname{tr}(ABC) = \operatorname{tr}(CAB) = \operatorname{tr}(BCA)",
    "16",
)
TRACE_TRANSPOSE = _cookbook(
    "trace_transpose", "Trace of a transpose", r"\operatorname{tr}(A B^\top) = \operatorname{tr}(B A^\top)", "13, 16"
)
TRACE_DIAG = declare(
    Rule(
        "trace_diag",
        "Trace against a diagonal matrix",
        r"\operatorname{tr}(P \operatorname{diag}(v)) = \sum_i P_{ii} v_i = ((P \odot I)\mathbf{1})^\top v",
    )
)
SCALAR_TRANSPOSE = declare(
    Rule(
        "scalar_transpose",
        "A scalar is its own transpose",
        r"a^\top b = b^\top a \quad (\text{the lecture's } a^\top b = b^\top a)",
    )
)
HADAMARD_TRACE = declare(
    Rule(
        "hadamard_trace",
        "Move a Hadamard factor across",
        r"\operatorname{tr}\left(A^\top (B \odot C)\right) = \operatorname{tr}\left((A \odot B)^\top C\right),"
        r"\ a^\top(b \odot c) = (a \odot b)^\top c",
    )
)
HADAMARD_DIAG = declare(
    Rule("hadamard_diag", "Hadamard product as a diagonal matrix", r"a \odot b = \operatorname{diag}(a)\, b")
)
SCALAR_COMMUTES = declare(Rule("scalar_commutes", "A scalar factor commutes", r"(a^\top b)\, C = C\,(a^\top b)"))
COLLECT_TRACE = _cookbook(
    "collect_trace",
    "Collect (linearity of the trace)",
    r"\alpha \operatorname{tr}(A\,\mathrm{d}X) + \beta \operatorname{tr}(B\,\mathrm{d}X)"
    r" = \operatorname{tr}((\alpha A + \beta B)\,\mathrm{d}X)",
    "15",
)
COLLECT_LINEAR = declare(
    Rule(
        "collect_linear",
        "Collect",
        r"\alpha\, a^\top \mathrm{d}x + \beta\, b^\top \mathrm{d}x = (\alpha a + \beta b)^\top \mathrm{d}x",
    )
)
GRADIENT_FORM = _cookbook(
    "gradient_form",
    "Write as the transpose of G",
    r"\operatorname{tr}(A\,\mathrm{d}X) = \operatorname{tr}((A^\top)^\top \mathrm{d}X),\ (AB)^\top = B^\top A^\top",
    "5",
)

# -- reading off and tidying -------------------------------------------------------------------
READ_OFF = declare(
    Rule(
        "read_off_gradient",
        "Read off the gradient",
        r"\mathrm{d}f = \operatorname{tr}(G^\top \mathrm{d}X) \text{ for all } \mathrm{d}X \iff \nabla_X f = G"
        r"\quad (\text{for a vector: } \mathrm{d}f = g^\top \mathrm{d}x \iff \nabla_x f = g)",
    )
)
READ_OFF_JACOBIAN = declare(
    Rule(
        "read_off_jacobian",
        "Read off the Jacobian",
        r"\mathrm{d}f = J\,\mathrm{d}x \text{ for all } \mathrm{d}x \iff \frac{\partial f}{\partial x} = J"
        r" \quad (\text{numerator layout})",
    )
)
READ_OFF_HESSIAN = declare(
    Rule(
        "read_off_hessian",
        "The Hessian is the Jacobian of the gradient",
        r"\nabla^2_x f = \frac{\partial \nabla_x f}{\partial x},\quad \mathrm{d}(\nabla_x f) = H\,\mathrm{d}x",
    )
)
SIMPLIFY_ENTRYWISE = declare(
    Rule(
        "simplify_entrywise",
        "Simplify entry by entry",
        r"\text{⊙, ⊘ and element-wise functions act on each entry: simplify the scalar expression}",
    )
)
INVERSE_CANCELS = _cookbook(
    "inverse_cancels", "A matrix times its inverse", r"A^{-1}A = AA^{-1} = I,\ (A^{-1})^{-1} = A", "1"
)
SCALARS_FIRST = declare(
    Rule(
        "scalars_first",
        "Scalar factors in front, multiplied out",
        r"A\,\alpha\,B\,\beta = (\alpha\beta)\,AB \quad (\alpha, \beta \in \mathbb{R})",
    )
)
INNER_AS_SUM = declare(
    Rule("inner_as_sum", "Inner products as sums of entries", r"a^\top b = \mathbf{1}^\top (a \odot b)")
)
COLLECT_FACTOR = declare(Rule("collect_factor", "Collect a common factor", r"AB + AC = A(B + C),\ AC + BC = (A + B)C"))
SYMMETRIC = declare(Rule("symmetric", "Symmetric matrix", r"A^\top = A \quad (A \text{ declared symmetric})"))
TRANSPOSE_OUT = _cookbook(
    "transpose_out", "Transpose out", r"A^\top + B^\top = (A + B)^\top,\ B^\top A^\top = (AB)^\top", "4, 5"
)
TIDY_SIGN = declare(Rule("tidy_sign", "Bring the sign inside", r"-\alpha (a - b) = \alpha (b - a)"))
