"""The fixed vocabulary of rules a step may cite: id, title, and the general formula in LaTeX."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    formula: str


_RULES = [
    # The lecture's rules ("Some rules about handling derivatives", "A few important derivatives").
    Rule("constant", "Constant rule", r"\frac{d}{dx} c = 0"),
    Rule("identity", "Identity rule", r"\frac{d}{dx} x = 1"),
    Rule("power", "Power rule", r"\frac{d}{dx} x^{n} = n x^{n-1}"),
    Rule("exp", "Exponential rule", r"\frac{d}{dx} e^{x} = e^{x}"),
    Rule("ln", "Logarithm rule", r"\frac{d}{dx} \ln x = \frac{1}{x}"),
    Rule("constant_multiple", "Constant multiple rule", r"\left(c f\right)' = c f'"),
    Rule("sum", "Sum rule", r"\left(f \pm g\right)' = f' \pm g'"),
    Rule("product", "Product rule", r"\left(f g\right)' = f' g + f g'"),
    Rule(
        "product_n",
        "Product rule for n factors",
        r"\left(f_{1} f_{2} \cdots f_{n}\right)' = \sum_{i=1}^{n} f_{1} \cdots f_{i}' \cdots f_{n}",
    ),
    Rule("reciprocal", "Reciprocal rule", r"\left(\frac{1}{f}\right)' = -\frac{f'}{f^{2}}"),
    Rule("quotient", "Quotient rule", r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}"),
    Rule("chain", "Chain rule", r"\frac{d}{dx} f\left(u(x)\right) = f'(u)\, \frac{du}{dx}"),
    # Beyond the slides.
    Rule("trig", "Trigonometric derivative", r"(\sin x)' = \cos x,\ (\cos x)' = -\sin x,\ (\tan x)' = \sec^{2} x"),
    Rule(
        "inverse_trig",
        "Inverse trigonometric derivative",
        r"(\arcsin x)' = \frac{1}{\sqrt{1-x^{2}}},\ (\arctan x)' = \frac{1}{1+x^{2}}",
    ),
    Rule("hyperbolic", "Hyperbolic derivative", r"(\sinh x)' = \cosh x,\ (\cosh x)' = \sinh x"),
    Rule(
        "inverse_hyperbolic", "Inverse hyperbolic derivative", r"(\operatorname{arsinh} x)' = \frac{1}{\sqrt{x^{2}+1}}"
    ),
    Rule("tanh", "Derivative of tanh", r"\frac{d}{dx} \tanh x = 1 - \tanh^{2} x"),
    Rule("exp_base", "Exponential with base a", r"\frac{d}{dx} a^{x} = a^{x} \ln a"),
    Rule("log_base", "Logarithm with base b", r"\frac{d}{dx} \log_{b} x = \frac{1}{x \ln b}"),
    Rule(
        "log_differentiation",
        "Logarithmic differentiation",
        r"\left(f^{g}\right)' = \left(e^{g \ln f}\right)' = f^{g} \left(g \ln f\right)'",
    ),
    Rule("abs", "Absolute value", r"\frac{d}{dx} |x| = \operatorname{sgn}(x) = \frac{x}{|x|} \quad (x \neq 0)"),
    Rule("sigmoid", "Sigmoid", r"\sigma'(x) = \sigma(x)\left(1 - \sigma(x)\right)"),
    Rule("softplus", "Softplus", r"\frac{d}{dx} \ln\left(1 + e^{x}\right) = \sigma(x)"),
    Rule(
        "relu",
        "ReLU (piecewise)",
        r"\frac{d}{dx} \operatorname{ReLU}(x) = \begin{cases} 0 & x < 0 \\ 1 & x > 0 \end{cases}"
        r"\ \text{(undefined at } x = 0\text{)}",
    ),
    Rule("generic", "Known derivative", r"\frac{d}{dx} F(x) = F'(x) \text{ (SymPy's table)}"),
    Rule(
        "higher_order",
        "Higher-order derivative",
        r"\frac{d^{n}f}{dx^{n}} = \frac{d}{dx}\left(\frac{d^{n-1}f}{dx^{n-1}}\right)",
    ),
    # Simplification and evaluation steps.
    Rule("arithmetic", "Arithmetic", r"\text{multiply out numbers, drop zero terms and factors of } 1"),
    Rule("simplify", "Simplify", r"\text{cancel common factors, collect terms}"),
    Rule("substitute", "Evaluate at the point", r"f'(a) = \left. f'(x) \right|_{x = a}"),
    # Computation graphs, gradients and finite differences.
    Rule("forward_node", "Forward pass: evaluate a node", r"u = g(a, b) \text{ from the values of its inputs } a, b"),
    Rule("seed", "Seed of the backward pass", r"\frac{\partial f}{\partial f} = 1"),
    Rule(
        "reverse_mode",
        "Chain rule, reverse mode",
        r"\frac{\partial f}{\partial u} = \sum_{p \text{ uses } u} "
        r"\frac{\partial f}{\partial p} \frac{\partial p}{\partial u}",
    ),
    Rule(
        "tangent_seed",
        "Seed of the forward mode",
        r"\frac{\partial x}{\partial x} = 1,\ \frac{\partial y}{\partial x} = 0",
    ),
    Rule(
        "forward_mode",
        "Chain rule, forward mode",
        r"\frac{\partial u}{\partial x} = \sum_{c \text{ input of } u} "
        r"\frac{\partial u}{\partial c} \frac{\partial c}{\partial x}",
    ),
    Rule("node_definitions", "Write the nodes in terms of the inputs", r"u = g(x, y, \dots)"),
    Rule(
        "direct_partial",
        "Agrees with direct differentiation",
        r"\text{the adjoint } \frac{\partial f}{\partial x} "
        r"\text{ equals the step engine's } \frac{\partial}{\partial x} f",
    ),
    # Linear algebra.
    Rule("matrix_add", "Matrix addition", r"(A + B)_{ij} = A_{ij} + B_{ij}"),
    Rule("scalar_multiple", "Scalar multiplication", r"(cA)_{ij} = c\,A_{ij}"),
    Rule("trace", "Trace", r"\operatorname{Tr}(A) = \sum_{i} A_{ii}"),
    Rule("transpose", "Transpose", r"(A^{T})_{ij} = A_{ji}"),
    Rule("inner_product", "Inner product", r"x^{T} y = \sum_{i} x_{i} y_{i}"),
    Rule("outer_product", "Outer product", r"(x y^{T})_{ij} = x_{i} y_{j}"),
    Rule("matrix_product", "Matrix product, entry by entry", r"C_{ij} = \sum_{k} A_{ik} B_{kj}"),
    Rule("column_combination", "Columns view of A y", r"A y = y_{1} A_{:,1} + \dots + y_{m} A_{:,m}"),
    Rule(
        "row_operation", "Row operation", r"\text{swap rows, scale a row by } c \neq 0, \text{ add a multiple of a row}"
    ),
    Rule(
        "gauss_jordan",
        "Gauss–Jordan: write [A | I]",
        r"[M \,|\, N] \text{ stands for } M^{-1} N: \ A^{-1} = [A \,|\, I] \to \dots \to [I \,|\, A^{-1}]",
    ),
    Rule("rank", "Rank from the echelon form", r"\operatorname{rank} A = \text{number of pivots}"),
    Rule("determinant", "Determinant", r"\det\begin{pmatrix} a & b \\ c & d \end{pmatrix} = ad - bc"),
    Rule("inverse_check", "Check: the inverse times A", r"A^{-1} A = I"),
    Rule("linear_combination", "Linear dependence", r"x_{m} = \sum_{j < m} \alpha_{j} x_{j}"),
    Rule("norm", "Norm", r"\|x\|_{p} = \Big(\sum_{i} |x_{i}|^{p}\Big)^{1/p},\ \|x\|_{\infty} = \max_{i} |x_{i}|"),
    Rule("unit_vector", "Unit vector", r"y = \frac{x}{\|x\|}, \quad \|y\| = 1"),
    Rule(
        "frobenius", "Frobenius norm", r"\|A\|_{F} = \sqrt{\sum_{i,j} A_{ij}^{2}} = \sqrt{\operatorname{Tr}(A^{T} A)}"
    ),
    Rule("characteristic_polynomial", "Characteristic polynomial", r"\det(A - \lambda I) = 0"),
    Rule("eigenvector", "Eigenvector check", r"A v = \lambda v"),
    Rule("svd", "Singular value decomposition", r"A = U \Sigma V^{T},\ \sigma_{i} = \sqrt{\lambda_{i}(A^{T} A)}"),
    Rule("matrix_identity", "Matrix identity", r"\text{both sides computed on the given matrices}"),
    Rule(
        "difference_quotient",
        "Difference quotient",
        r"f'(a) \approx \frac{f(a + h) - f(a)}{h}",
    ),
    Rule(
        "central_difference",
        "Central difference",
        r"f'(a) \approx \frac{f(a + h) - f(a - h)}{2h}",
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
