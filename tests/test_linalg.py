"""Linear algebra: the lecture's examples, every operation against SymPy's own on random integer
matrices, the properties, the NumPy lines, bad input, and LaTeX that compiles."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp

from stepsolver import linalg, parse
from stepsolver.cli import main
from stepsolver.linalg import run_numpy
from stepsolver.linalg.numpy_code import LINES
from stepsolver.render.latex import render_document

from .helpers import compile_latex, load_cases

CASES = load_cases("lecture.json")["linear_algebra"]
LINALG_RULES = {
    "matrix_add", "scalar_multiple", "trace", "transpose", "inner_product", "outer_product", "matrix_product",
    "column_combination", "row_operation", "gauss_jordan", "rank", "determinant", "inverse_check",
    "linear_combination", "norm", "unit_vector", "frobenius", "characteristic_polynomial", "eigenvector", "svd",
    "matrix_identity",
}  # fmt: skip


def _exact(value: Any) -> Any:
    if isinstance(value, list):
        return [_exact(v) for v in value]
    if isinstance(value, str):
        return parse(value)
    return sp.sympify(value)


def _run(case: dict) -> linalg.Answer:
    if case["op"] == "norm":
        return linalg.norm(case["args"][0], p=case["p"])
    return linalg.OPERATIONS[case["op"]](*case["args"])


@pytest.mark.parametrize("case", CASES, ids=[f"{c['op']}{i}" for i, c in enumerate(CASES)])
def test_lecture_example_gives_the_stated_answer(case: dict) -> None:
    """Including the slide's slip: Tr([[0, 2], [3, 0]]) is 0, not 5."""
    derivation = _run(case)
    result, answer = derivation.result, case["answer"]
    if case["op"] == "eigen":
        assert {sp.sympify(k) for k in answer} == set(result)
        for eigenvalue, vector in answer.items():
            (found,) = result[sp.sympify(eigenvalue)]
            assert sp.Matrix.hstack(sp.Matrix(found), sp.Matrix(vector)).rank() == 1  # the same direction
    elif isinstance(answer, list):
        assert sp.simplify(sp.Matrix(result) - sp.Matrix(_exact(answer))) == sp.zeros(*sp.Matrix(_exact(answer)).shape)
    elif isinstance(answer, bool):
        assert bool(result) is answer
    else:
        assert sp.simplify(result - _exact(answer)) == 0
    assert derivation.verify().ok


def test_the_slides_trace_slip_is_corrected() -> None:
    derivation = linalg.trace([[0, 2], [3, 0]])
    assert derivation.result == 0 and "0 + 0" in derivation.to_text()


def test_eigenvectors_are_the_slides_whole_number_ones() -> None:
    assert {k: [list(v) for v in vs] for k, vs in linalg.eigen([[4, 2], [2, 1]]).result.items()} == {
        5: [[2, 1]],
        0: [[-1, 2]],
    }


def test_eigen_of_diagonal_and_triangular_matrices() -> None:
    """Eigenvectors with a single non-zero entry, and a repeated eigenvalue with two of them."""
    assert {k: [list(v) for v in vs] for k, vs in linalg.eigen([[2, 0], [0, 3]]).result.items()} == {
        3: [[0, 1]],
        2: [[1, 0]],
    }
    repeated = linalg.eigen([[2, 0, 0], [0, 2, 0], [0, 0, 1]]).result
    assert len(repeated[2]) == 2 and len(repeated[1]) == 1


def test_rank_names_the_dependency_the_slide_names() -> None:
    derivation = linalg.rank([[1, 1, 3], [2, 0, 4], [3, 0, 6]])
    assert "x3 = 2·x1 + 1·x2" in derivation.variables["conclusion"]
    dependency = derivation.steps[-1].substeps[0]
    assert dependency.verify().proved  # x3 = 2x1 + x2, checked entry by entry


def _random_matrix(rng: random.Random, rows: int, cols: int) -> list[list[int]]:
    return [[rng.randint(-5, 5) for _ in range(cols)] for _ in range(rows)]


SHAPES = [(1, 1), (2, 2), (3, 3), (2, 3), (3, 2), (4, 4), (1, 3)]


@pytest.mark.parametrize(("rows", "cols"), SHAPES)
def test_operations_equal_sympys_own_on_random_matrices(rows: int, cols: int) -> None:
    rng = random.Random(rows * 10 + cols)
    for _ in range(3):
        data = _random_matrix(rng, rows, cols)
        M = sp.Matrix(data)
        assert linalg.transpose(data).result == M.T
        assert linalg.rank(data).result == M.rank()
        assert sp.simplify(linalg.frobenius(data).result - M.norm()) == 0
        other = _random_matrix(rng, rows, cols)
        assert linalg.add(data, other).result == M + sp.Matrix(other)
        right = _random_matrix(rng, cols, rng.randint(1, 3))
        assert linalg.matmul(data, right).result == M * sp.Matrix(right)
        if rows == cols:
            assert linalg.trace(data).result == M.trace()
            assert bool(linalg.is_symmetric(data).result) is M.is_symmetric()
            if M.det() != 0:
                assert linalg.inverse(data).result == M.inv()
            else:
                with pytest.raises(ValueError, match="singular"):
                    linalg.inverse(data)


@pytest.mark.parametrize("seed", range(4))
def test_eigen_and_singular_values_equal_sympys(seed: int) -> None:
    """Random symmetric 2×2 and 3×3 integer matrices (real eigenvalues, often surds)."""
    rng = random.Random(seed)
    n = 2 + seed % 2
    B = sp.Matrix(_random_matrix(rng, n, n))
    if n == 2:  # symmetric: real eigenvalues, often surds
        A = B + B.T
    else:  # P D P⁻¹ with a whole-number P of determinant 1: rational eigenvalues, a repeated one at times
        P = sp.Matrix(n, n, lambda i, j: 1 if i == j else (rng.randint(-2, 2) if i > j else 0))
        P = P * P.T
        A = P * sp.diag(*[rng.randint(-3, 3) for _ in range(n)]) * P.inv()
    derivation = linalg.eigen(A.tolist())
    reference = {value: multiplicity for value, multiplicity, _ in A.eigenvects()}
    assert {sp.nsimplify(k) for k in derivation.result} == {sp.nsimplify(k) for k in reference}
    for eigenvalue, vectors in derivation.result.items():
        assert len(vectors) == len(next(vs for k, _, vs in A.eigenvects() if sp.simplify(k - eigenvalue) == 0))
        for v in vectors:
            assert sp.simplify(A * v - eigenvalue * v) == sp.zeros(n, 1)
    assert derivation.verify().ok
    C = sp.Matrix(_random_matrix(rng, 2, 2))
    if C.rank() == 2 and len(set((C.T * C).eigenvals())) == 2:
        svd = linalg.svd(C.tolist())
        U, S, V = svd.result
        assert sp.simplify(U * S * V.T - C) == sp.zeros(2, 2)
        assert sp.simplify(U.T * U - sp.eye(2)) == sp.zeros(2, 2)
        assert sorted(float(s) for s in svd.variables["singular_values"]) == pytest.approx(
            sorted(float(s) for s in C.singular_values())
        )


def test_checks_give_the_reason() -> None:
    assert linalg.is_identity([[1, 0], [0, 1]]).result == sp.true
    assert "A_12 = 2, not 0" in linalg.is_identity([[1, 2], [0, 1]]).variables["conclusion"]
    assert "square" in linalg.is_identity([[1, 0, 0]]).variables["conclusion"]
    assert "not orthogonal" in linalg.is_orthogonal([[1, 1], [0, 1]]).variables["conclusion"]
    assert "only a square matrix" in linalg.is_symmetric([[1, 2, 3]]).variables["conclusion"]


def test_solve_gives_each_verdict() -> None:
    unique = linalg.solve([[1, 2], [3, 4]], [5, 6])
    assert list(unique.result) == [-4, sp.Rational(9, 2)] and "exactly one" in unique.variables["conclusion"]
    many = linalg.solve([[1, 2], [2, 4]], [1, 2])
    t1 = sp.Symbol("t1")
    assert list(many.result) == [1 - 2 * t1, t1] and "infinitely many" in many.variables["conclusion"]
    none = linalg.solve([[1, 2], [2, 4]], [1, 3])
    assert none.result == sp.EmptySet and "no solution" in none.variables["conclusion"]
    assert all(d.verify().ok for d in (unique, many, none))


def test_independence_names_the_dependency() -> None:
    dependent = linalg.independence([1, 2, 3], [1, 0, 0], [3, 4, 6])
    assert dependent.result == sp.false and "x3 = 2·x1 + 1·x2" in dependent.variables["conclusion"]
    assert linalg.independence([1, 0], [0, 1]).result == sp.true


def test_norms_unit_vector_and_both_frobenius_forms() -> None:
    assert linalg.norm([3, -4], p=1).result == 7
    assert linalg.norm([3, -4], p=2).result == 5
    assert linalg.norm([3, -4], p="inf").result == 4
    assert linalg.norm([1, 1], p=3).result == sp.cbrt(2)
    unit = linalg.unit_vector([1, 2])
    assert sp.simplify(sum(v**2 for v in unit.result)) == 1
    frobenius = linalg.frobenius([[1, 2], [3, 4]])
    assert frobenius.result == sp.sqrt(30)
    side = frobenius.steps[0].substeps[0]  # √Tr(AᵀA), worked beside the double sum
    assert side.result == sp.sqrt(30) and side.verify().proved


@pytest.mark.parametrize("name", list(linalg.PROPERTIES))
def test_properties_hold_on_random_matrices(name: str) -> None:
    rng = random.Random(name)
    while True:
        A, B, C = (_random_matrix(rng, 2, 2) for _ in range(3))
        if all(sp.Matrix(m).det() != 0 for m in (A, B)):
            break
    derivation = linalg.property(name, A, B, C)
    assert derivation.verify().ok
    if name == "not_commutative":
        assert bool(derivation.result) is (sp.Matrix(A) * sp.Matrix(B) == sp.Matrix(B) * sp.Matrix(A))
    else:
        assert derivation.result == sp.true


def test_ba_may_not_even_exist() -> None:
    derivation = linalg.property("not_commutative", [[1, 2, 3], [4, 5, 6]], _random_matrix(random.Random(1), 3, 4))
    assert derivation.result == sp.false and "BA does not exist" in derivation.variables["conclusion"]


NUMPY_CASES = [
    ("add", ([[1, 2], [3, 4]], [[3, 0], [1, 5]])),
    ("scale", (2, [1, 2])),
    ("trace", ([[1, 2, 5], [4, 3, 0], [2, 1, 0]],)),
    ("transpose", ([[1, 2], [3, 4]],)),
    ("is_symmetric", ([[1, 3], [3, 2]],)),
    ("is_orthogonal", ([[0, 1], [1, 0]],)),
    ("is_identity", ([[1, 0], [0, 1]],)),
    ("dot", ([1, 2, 3], [2, 0, 1])),
    ("outer", ([1, 2], [3, 4, 5])),
    ("matmul", ([[1, 2], [3, 4], [5, 6]], [[1, 3, 5, 4], [2, 4, 6, 8]])),
    ("inverse", ([[1, 2], [3, 4]],)),
    ("rank", ([[1, 1, 3], [2, 0, 4], [3, 0, 6]],)),
    ("independence", ([1, 2, 3], [1, 0, 0], [3, 4, 6])),
    ("solve", ([[1, 2], [3, 4]], [5, 6])),
    ("norm", ([1, 2],)),
    ("unit_vector", ([1, 2],)),
    ("frobenius", ([[1, 2], [3, 4]],)),
    ("eigen", ([[4, 2], [2, 1]],)),
    ("svd", ([[3, 0], [4, 5]],)),
]


def _as_floats(derivation: linalg.Answer, kind: str) -> Any:
    result = derivation.result
    if kind == "eigen":
        return sorted(float(k) for k in result)
    if kind == "svd":
        return sorted((float(s) for s in derivation.variables["singular_values"]), reverse=True)
    if isinstance(result, sp.MatrixBase):
        array = np.array(result.evalf(), dtype=float)
        return array.ravel() if result.cols == 1 else array
    if result in (sp.true, sp.false):
        return bool(result)
    return float(result)


def _array(value: Any) -> Any:
    if not isinstance(value, sp.MatrixBase):
        return np.inf if value == sp.oo else float(value)
    array = np.array(value.evalf(), dtype=float)
    return array.ravel() if value.cols == 1 else array


@pytest.mark.parametrize(("kind", "args"), NUMPY_CASES, ids=[c[0] for c in NUMPY_CASES])
def test_the_numpy_line_run_gives_the_same_value(kind: str, args: tuple) -> None:
    derivation = linalg.OPERATIONS[kind](*args)
    assert derivation.numpy == LINES[kind][0]
    ours = _as_floats(derivation, kind)
    theirs = run_numpy(derivation)
    if kind == "eigen":  # (eigenvalues, unit eigenvector columns): each column is one of ours, scaled
        values, vectors = theirs
        for index, value in enumerate(values):
            same = [vs for k, vs in derivation.result.items() if abs(float(k) - value.real) < 1e-9]
            ours_for = [np.array(sp.Matrix(v).evalf(), dtype=float).ravel() for vs in same for v in vs]
            column = np.real(vectors[:, index])
            assert any(abs(abs(column @ v) - np.linalg.norm(v)) < 1e-9 for v in ours_for)
        theirs = sorted(float(v.real) for v in values)
    text_sorted = kind in ("eigen", "svd")
    if isinstance(ours, bool):
        assert bool(theirs) is ours
    else:
        assert np.allclose(theirs, ours)
    # the text itself, run in a namespace with the same arrays, computes what the function does
    inputs = {name: _array(value) for name, value in derivation.variables["numpy_inputs"].items()}
    text_result = eval(derivation.numpy, {"np": np}, inputs)  # our own fixed line, never user text
    if kind == "eigen":
        text_result = text_result[0]
    if text_sorted:
        text_result = sorted(np.real(text_result), reverse=kind == "svd")
    assert np.allclose(np.asarray(text_result, dtype=float), np.asarray(theirs, dtype=float))


BAD = [
    ("add", ("[[1,2],[3,4]]", "[[1,2,3],[4,5,6],[7,8,9]]"), "2×2 and a 3×3"),
    ("matmul", ("[[1,2,3]]", "[[1,2]]"), "columns of A"),
    ("inverse", ("[[1,2],[2,4]]",), "singular"),
    ("inverse", ("[[1,2,3],[4,5,6]]",), "square"),
    ("trace", ("[[1,2],[3]]",), "different lengths"),
    ("trace", ("not a matrix",), "not a vector or matrix"),
    ("trace", ("[[1, __import__('os')]]",), r"A\[1,2\]: unexpected character"),
    ("trace", ('[["x +* 1"]]',), r"A\[1,1\]"),
    ("dot", ("[1,2]", "[1,2,3]"), "same length"),
    ("solve", ("[[1,2],[3,4]]", "[1,2,3]"), "one entry per row"),
    ("norm", ("[[1,2],[3,4]]",), "frobenius"),
    ("trace", (json.dumps([[1] * 13] * 13),), "limit is 12"),
    ("eigen", (json.dumps([[1] * 7] * 7),), "up to 6"),
    ("trace", (json.dumps([[10**2000]]),), "digits"),
    ("unit_vector", ("[0,0]",), "zero vector"),
]


@pytest.mark.parametrize(("op", "args", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_is_one_clear_line_fast(
    op: str, args: tuple, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    start = time.perf_counter()
    status = main(["linalg", op, *args])
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("stepsolver: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    import re

    assert re.search(message, err), err
    assert elapsed < 1.0, f"{elapsed:.2f} s"


def test_inputs_latex_fractions_surds_and_symbols() -> None:
    latex = r"\begin{pmatrix} \frac{1}{2} & \sqrt{2} \\ a & 0.5 \end{pmatrix}"
    derivation = linalg.trace(latex)
    a = sp.Symbol("a", real=True)
    assert derivation.result == 1
    assert linalg.transpose(latex).result == sp.Matrix([[sp.Rational(1, 2), a], [sp.sqrt(2), sp.Rational(1, 2)]])
    assert linalg.matmul(sp.Matrix([[1, 2]]), "[[3], [4]]").result == sp.Matrix([[11]])


def test_command_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linalg", "trace", "[[1,2,5],[4,3,0],[2,1,0]]"]) == 0
    out = capsys.readouterr().out
    assert "= 1 + 3 + 0" in out and "In Python: np.trace(A)  # gives 4.0" in out
    assert main(["linalg", "norm", "[1,2]", "--p", "inf", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["result"]["latex"] == "2" and data["numpy"] == "np.linalg.norm(x, p)"
    assert main(["linalg", "eigen", "[[4,2],[2,1]]", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["result"][0]["value"]["latex"] == "5"
    assert main(["linalg", "property", "transpose_product", "[[1,2],[3,4]]", "[[0,1],[1,0]]"]) == 0
    assert "(AB)ᵀ = BᵀAᵀ holds" in capsys.readouterr().out
    assert main(["linalg", "frob", "[1]"]) == 2 and "unknown operation" in capsys.readouterr().err
    assert main(["linalg", "add", "[1]"]) == 2 and "takes 2 argument" in capsys.readouterr().err


def test_every_linalg_rule_is_cited() -> None:
    derivations = [_run(case) for case in CASES]
    derivations += [linalg.OPERATIONS[k](*a) for k, a in NUMPY_CASES]
    derivations += [linalg.property("associative", [[1, 2], [3, 4]], [[0, 1], [1, 0]], [[2, 0], [0, 2]])]
    derivations += [linalg.solve([[1, 2], [2, 4]], [1, 2])]

    def cited(d: Any) -> set[str]:
        return {s.rule.id for s in d.steps} | {r for s in d.steps for sub in s.substeps for r in cited(sub)}

    assert set().union(*(cited(d) for d in derivations)) >= LINALG_RULES


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed (.ci/run installs it)")
def test_lecture_linear_algebra_latex_compiles(tmp_path: Path) -> None:
    body = "\n".join(_run(case).to_latex() for case in CASES)
    body += "\n" + linalg.svd([[3, 0], [4, 5]]).to_latex() + linalg.solve([[1, 2], [2, 4]], [1, 2]).to_latex()
    compile_latex(render_document("Linear algebra", body), tmp_path)


def test_symbolic_entries_say_what_they_assume() -> None:
    """Row reduction divides by pivots; with symbols the answer holds only where they are non-zero."""
    inverse = linalg.inverse([["a", 1], [1, "b"]])
    assert "A⁻¹ exists where a·b - 1 ≠ 0" in inverse.variables["conclusion"]
    assert "(for symbolic entries: where a ≠ 0" in linalg.rank([["a", 1], [1, 1]]).variables["conclusion"]
    assert "≠ 0" in linalg.solve([["a", 1], [1, 1]], [1, 2]).variables["conclusion"]
    assert "a - c ≠ 0" in linalg.eigen([["a", "b"], [0, "c"]]).variables["conclusion"]
    with pytest.raises(ValueError, match="numeric matrices"):
        linalg.svd([["a", 0], [0, 1]])
