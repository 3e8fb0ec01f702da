"""The rules a linear-algebra step cites: the lecture's operations, elimination, decompositions."""

from __future__ import annotations

from ..core.rules import Rule, declare

MATRIX_ADD = declare(Rule("matrix_add", "Matrix addition", r"(A + B)_{ij} = A_{ij} + B_{ij}"))
SCALAR_MULTIPLE = declare(Rule("scalar_multiple", "Scalar multiplication", r"(cA)_{ij} = c\,A_{ij}"))
TRACE = declare(Rule("trace", "Trace", r"\operatorname{Tr}(A) = \sum_{i} A_{ii}"))
TRANSPOSE = declare(Rule("transpose", "Transpose", r"(A^{T})_{ij} = A_{ji}"))
INNER_PRODUCT = declare(Rule("inner_product", "Inner product", r"x^{T} y = \sum_{i} x_{i} y_{i}"))
OUTER_PRODUCT = declare(Rule("outer_product", "Outer product", r"(x y^{T})_{ij} = x_{i} y_{j}"))
MATRIX_PRODUCT = declare(Rule("matrix_product", "Matrix product, entry by entry", r"C_{ij} = \sum_{k} A_{ik} B_{kj}"))
COLUMN_COMBINATION = declare(Rule(
    "column_combination", "Columns view of A y",
    r"A y = y_{1} A_{:,1} + \dots + y_{m} A_{:,m}",
))  # fmt: skip
ROW_OPERATION = declare(Rule(
    "row_operation", "Row operation",
    r"\text{swap rows, scale a row by } c \neq 0, \text{ add a multiple of a row}",
))  # fmt: skip
GAUSS_JORDAN = declare(Rule(
    "gauss_jordan", "Gauss–Jordan: write [A | I]",
    r"[M \,|\, N] \text{ stands for } M^{-1} N: \ A^{-1} = [A \,|\, I] \to \dots \to [I \,|\, A^{-1}]",
))  # fmt: skip
RANK = declare(Rule("rank", "Rank from the echelon form", r"\operatorname{rank} A = \text{number of pivots}"))
DETERMINANT = declare(Rule("determinant", "Determinant", r"\det\begin{pmatrix} a & b \\ c & d \end{pmatrix} = ad - bc"))
COFACTOR_EXPANSION = declare(Rule(
    "cofactor_expansion", "Cofactor expansion along row 1",
    r"\det A = \sum_{j} a_{1j} (-1)^{1+j} \det M_{1j},\ M_{1j} = A \text{ without row } 1 \text{ and column } j",
))  # fmt: skip
DETERMINANT_ROW_OPERATION = declare(Rule(
    "determinant_row_operation", "Row operation on the determinant",
    r"R_i \leftrightarrow R_j:\ \det A = -\det A';\quad R_i \leftarrow c R_i:\ \det A = \frac{1}{c} \det A';"
    r"\quad R_i \leftarrow R_i + c R_j:\ \det A = \det A'",
))  # fmt: skip
TRIANGULAR_DETERMINANT = declare(Rule(
    "triangular_determinant", "Determinant of a triangular matrix",
    r"\det U = u_{11} u_{22} \cdots u_{nn}",
))  # fmt: skip
INVERSE_CHECK = declare(Rule("inverse_check", "Check: the inverse times A", r"A^{-1} A = I"))
LINEAR_COMBINATION = declare(Rule("linear_combination", "Linear dependence", r"x_{m} = \sum_{j < m} \alpha_{j} x_{j}"))
NORM = declare(Rule(
    "norm", "Norm",
    r"\|x\|_{p} = \Big(\sum_{i} |x_{i}|^{p}\Big)^{1/p},\ \|x\|_{\infty} = \max_{i} |x_{i}|",
))  # fmt: skip
UNIT_VECTOR = declare(Rule("unit_vector", "Unit vector", r"y = \frac{x}{\|x\|}, \quad \|y\| = 1"))
FROBENIUS = declare(Rule(
    "frobenius", "Frobenius norm",
    r"\|A\|_{F} = \sqrt{\sum_{i,j} A_{ij}^{2}} = \sqrt{\operatorname{Tr}(A^{T} A)}",
))  # fmt: skip
CHARACTERISTIC_POLYNOMIAL = declare(Rule(
    "characteristic_polynomial", "Characteristic polynomial",
    r"\det(A - \lambda I) = 0",
))  # fmt: skip
EIGENVECTOR = declare(Rule("eigenvector", "Eigenvector check", r"A v = \lambda v"))
EIGENSPACE = declare(Rule(
    "eigenspace", "Eigenvectors from the null space",
    r"(A - \lambda I) v = 0:\ \text{each free variable} = 1 \text{ in turn, the pivot variables read off}",
))  # fmt: skip
SVD = declare(Rule(
    "svd", "Singular value decomposition",
    r"A = U \Sigma V^{T},\ \sigma_{i} = \sqrt{\lambda_{i}(A^{T} A)},\ v_{i} \text{ their unit eigenvectors},\ "
    r"u_{i} = A v_{i} / \sigma_{i}",
))  # fmt: skip
GRAM_SCHMIDT = declare(Rule(
    "gram_schmidt", "Gram–Schmidt",
    r"w_{k} = v_{k} - \sum_{j < k} (q_{j}^{T} v_{k})\, q_{j},\quad q_{k} = w_{k} / \|w_{k}\|",
))  # fmt: skip
MATRIX_IDENTITY = declare(Rule(
    "matrix_identity", "Matrix identity",
    r"\text{both sides computed on the given matrices}",
))  # fmt: skip
