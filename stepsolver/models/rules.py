"""The rules a model's derivation cites beyond the step engine's, the graph's and the matrix
calculus's own: naming a node, the cost as a mean over the examples, the sum rule over them,
and the forms a teacher writes the result in."""

from __future__ import annotations

from ..core.rules import Rule, declare

NODE_NAME = declare(Rule(
    "node_name", "Written in the node's name", r"\sigma(z) = \hat{y} \text{ (the node that computes it)}"
))  # fmt: skip
SUM_OVER_EXAMPLES = declare(Rule(
    "sum_over_examples", "Sum rule over the examples",
    r"\frac{\partial}{\partial w_j} \frac{1}{n} \sum_{i=1}^{n} L^{(i)} = \frac{1}{n} \sum_{i=1}^{n} "
    r"\frac{\partial L^{(i)}}{\partial w_j}",
))  # fmt: skip
PER_EXAMPLE = declare(Rule(
    "per_example", "The per-example derivative, example by example",
    r"\frac{\partial L^{(i)}}{\partial w_j} \text{ from the backward pass, with the } i\text{-th example's values}",
))  # fmt: skip
MATRIX_ENTRY = declare(Rule(
    "matrix_entry", "The matrix form, entry by entry",
    r"\left[\tfrac{1}{n} X^\top v\right]_j = \frac{1}{n} \sum_{i=1}^{n} x^{(i)}_j v_i",
))  # fmt: skip
TEXTBOOK_FORM = declare(Rule(
    "textbook_form", "Collected into the textbook form",
    r"\text{the same matrix, grouped as the lecture writes it (checked at random sizes)}",
))  # fmt: skip
ROW_SOFTMAX = declare(Rule(
    "row_softmax", "Softmax, row by row",
    r"\operatorname{softmax}(Z)_{ic} = \frac{e^{z_{ic}}}{\sum_{d} e^{z_{id}}}:\ "
    r"\left((\mathbf{1} \oslash (e^{Z}\mathbf{1}))\mathbf{1}^\top\right) \odot e^{Z} = \operatorname{softmax}(Z)",
))  # fmt: skip
PENALTY = declare(Rule(
    "penalty", "Derivative of the penalty",
    r"\frac{\partial}{\partial w_j} \frac{\lambda}{2} \lVert w \rVert^2 = \lambda w_j "
    r"\text{ (by the step engine), } \frac{\partial}{\partial b} \frac{\lambda}{2} \lVert w \rVert^2 = 0",
))  # fmt: skip
