"""det A, eigenvectors solved (not only checked) and a readable SVD, each against references this
package did not write: SymPy's own det, eigenvects, nullspace and singular values, and NumPy."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp

import stepsolver
from stepsolver import linalg
from stepsolver.cli import main
from stepsolver.render.latex import render_document

from .helpers import compile_latex

LAMBDA = sp.Symbol("lambda")


def _rules(worked: Any) -> set[str]:
    """Every rule cited in a worked result, its side derivations included."""
    return {s.rule.id for s in worked.steps} | {r for s in worked.steps for sub in s.substeps for r in _rules(sub)}


def _side_derivations(worked: Any) -> list[Any]:
    return [sub for s in worked.steps for sub in s.substeps]


def _proved(worked: Any) -> bool:
    """Every step and side derivation proved exactly (not only checked at points)."""
    report = worked.verify()
    return report.ok and report.proved


# (a) The slide's example, solved as taught


def test_slide_eigen_example_is_solved_as_taught() -> None:
    """A = [[4, 2], [2, 1]]: det(A − λI) = λ² − 5λ = λ(λ − 5); λ = 5 gives v = (2, 1) and λ = 0 gives
    v = (−1, 2), each read off a row reduction of (A − λI | 0), then Av = λv checked."""
    A = sp.Matrix([[4, 2], [2, 1]])
    answer = linalg.eigen(A.tolist())
    assert {k: [list(v) for v in vs] for k, vs in answer.result.items()} == {5: [[2, 1]], 0: [[-1, 2]]}
    # the characteristic polynomial stays the main chain, as the slide writes it
    chain = [step.after for step in answer.steps]
    assert sp.expand(chain[1] - (LAMBDA**2 - 5 * LAMBDA)) == 0 and chain[2] == LAMBDA * (LAMBDA - 5)
    assert answer.variables["conclusion"] == "λ = 5: v = [2, 1]; λ = 0: v = [-1, 2]"
    spaces = [d for d in _side_derivations(answer) if d.kind == "eigenspace"]
    assert len(spaces) == 2
    for space, eigenvalue in zip(spaces, (5, 0), strict=True):
        rules = [step.rule.id for step in space.steps]
        assert rules.count("row_operation") >= 2, rules  # (A − λI | 0) row-reduced, one named operation a step
        assert "eigenspace" in rules
        assert space.verify().proved
        # the span it ends with is SymPy's null space of A − λI (the same line)
        (found,) = space.result.args
        (reference,) = (A - eigenvalue * sp.eye(2)).nullspace()
        assert sp.Matrix.hstack(sp.Matrix(found), reference).rank() == 1
    checks = [d for d in _side_derivations(answer) if d.kind == "eigenvector"]
    assert len(checks) == 2 and all(d.verify().proved for d in checks)
    assert _proved(answer)
    text = answer.to_text()
    assert "[[4 - 5, 2 | 0], [2, 1 - 5 | 0]]" in text and "span{(2, 1)ᵀ}" in text and "span{(-1, 2)ᵀ}" in text


def test_repeated_defective_and_complex_eigenvalues() -> None:
    """A double eigenvalue with a 2-dimensional eigenspace (I, diag(2, 2, 3)), one with only one
    eigenvector (the shear [[1, 1], [0, 1]]: defective, said so), and complex ones (a rotation)."""
    identity = linalg.eigen([[1, 0], [0, 1]])
    assert {k: [list(v) for v in vs] for k, vs in identity.result.items()} == {1: [[1, 0], [0, 1]]}
    assert "2-dimensional eigenspace" in identity.variables["conclusion"]
    diagonal = linalg.eigen([[2, 0, 0], [0, 2, 0], [0, 0, 3]])
    assert {k: len(vs) for k, vs in diagonal.result.items()} == {3: 1, 2: 2}
    shear = linalg.eigen([[1, 1], [0, 1]])
    assert {k: [list(v) for v in vs] for k, vs in shear.result.items()} == {1: [[1, 0]]}
    assert (
        "defective" in shear.variables["conclusion"]
        and "only 1 independent eigenvector" in (shear.variables["conclusion"])
    )
    rotation = linalg.eigen([[0, -1], [1, 0]])
    assert set(rotation.result) == {sp.I, -sp.I}
    for eigenvalue, (v,) in rotation.result.items():
        assert sp.simplify(sp.Matrix([[0, -1], [1, 0]]) * v - eigenvalue * v) == sp.zeros(2, 1)
    assert "complex" in rotation.variables["conclusion"]
    assert all(d.verify().ok for d in (identity, diagonal, shear, rotation))


def _symmetric_with_rational_eigenvalues(rng: random.Random, n: int) -> sp.Matrix:
    """Q D Qᵀ with Q rational and orthogonal (the Cayley transform of a skew-symmetric S), scaled
    to whole numbers: symmetric, with rational eigenvalues, repeated ones at times."""
    S = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            S[i, j] = rng.randint(-2, 2)
            S[j, i] = -S[i, j]
    Q = (sp.eye(n) - S) * (sp.eye(n) + S).inv()
    D = sp.diag(*[rng.choice([-2, -1, 0, 1, 2, 3]) for _ in range(n)])
    A = Q * D * Q.T
    return A * sp.ilcm(*[sp.fraction(e)[1] for e in A], 1)


def test_eigenvectors_of_random_symmetric_matrices() -> None:
    """15 random symmetric 2×2 and 3×3 integer matrices with rational eigenvalues: every vector
    found satisfies Av = λv, and each eigenspace has the dimension SymPy's eigenvects() gives."""
    rng = random.Random(20240515)
    for k in range(15):
        A = _symmetric_with_rational_eigenvalues(rng, 2 + k % 2)
        answer = linalg.eigen(A.tolist())
        reference = {value: len(vectors) for value, _, vectors in A.eigenvects()}
        assert {value: len(vectors) for value, vectors in answer.result.items()} == reference, A
        for eigenvalue, vectors in answer.result.items():
            for v in vectors:
                assert A * sp.Matrix(v) == eigenvalue * sp.Matrix(v)
            assert sp.Matrix.hstack(*vectors).rank() == len(vectors)  # independent
        assert answer.verify().ok, A


# (b) det A


def _random_matrix(rng: random.Random, n: int) -> list[list[int]]:
    return [[rng.randint(-6, 6) for _ in range(n)] for _ in range(n)]


def test_det_of_random_matrices_equals_sympy_and_numpy() -> None:
    """20 random integer matrices, 2×2 to 5×5 (a zero row, two equal rows and zero pivots among
    them): det A equals SymPy's Matrix.det() exactly and numpy.linalg.det to 1e-9 relative, its
    NumPy line gives that value, and every step is proved."""
    rng = random.Random(15)
    matrices = [_random_matrix(rng, 2 + k % 4) for k in range(17)]
    matrices += [[[0, 2, 1], [1, 0, 3], [2, 1, 0]], [[1, 2, 3, 4], [0, 0, 0, 0], [5, 6, 7, 8], [9, 1, 2, 3]],
                 [[0, 1, 2, 3], [1, 1, 1, 1], [0, 1, 2, 3], [4, 0, 2, 1]]]  # fmt: skip
    for data in matrices:
        answer = linalg.det(data)
        exact = sp.Matrix(data).det()
        assert answer.result == exact, data
        numeric = float(np.linalg.det(np.array(data, dtype=float)))
        assert float(answer.result) == pytest.approx(numeric, rel=1e-9, abs=1e-9)
        assert answer.numpy == "np.linalg.det(A)"
        assert linalg.run_numpy(answer) == pytest.approx(numeric)
        assert _proved(answer), (data, answer.verify().summary())
        rules = _rules(answer)
        expected = {2: "determinant", 3: "cofactor_expansion"}.get(len(data), "determinant_row_operation")
        assert expected in rules, (data, rules)


def test_det_steps_read_as_a_teacher_writes_them() -> None:
    """2×2: ad − bc; 3×3: each a_1j·(−1)^(1+j)·det(M_1j), then the minors as ad − bc; beyond, the
    sign and scale of each row operation kept in front of det, then the diagonal multiplied."""
    two = linalg.det([[1, 2], [3, 4]]).to_text()
    assert "= 1·4 - 2·3" in two and "= -2" in two
    three = linalg.det([[1, 2, 3], [4, 5, 6], [7, 8, 10]])
    shown = three.to_text()
    assert "1·(-1)^(1 + 1)·det([[5, 6], [8, 10]])" in shown and "2·(-1)^(1 + 2)·det([[4, 6], [7, 10]])" in shown
    assert "(5·10 - 6·8)" in shown and three.result == -3
    data = [[0, 2, 4, 6], [1, 1, 1, 1], [2, 3, 5, 7], [1, -1, 2, -2]]
    four = linalg.det(data)
    shown = four.to_text()
    assert "a swap flips the sign" in shown and "= -det(" in shown
    assert "scaling a row by 1/2 divides det by 1/2" in shown
    assert "unchanged by adding a multiple of a row" in shown
    assert "Determinant of a triangular matrix" in shown and four.result == sp.Matrix(data).det() == 14
    singular = linalg.det([[1, 2], [2, 4]])
    assert singular.result == 0 and "singular" in singular.variables["conclusion"]


def test_det_with_symbols() -> None:
    """Symbolic 2×2 and 3×3 entries: the same expansions, equal to SymPy's det."""
    a, b, c, d, f, g, h, k, m = sp.symbols("a b c d f g h k m", real=True)  # e and i are numbers
    two = linalg.det([["a", "b"], ["c", "d"]])
    assert sp.expand(two.result - (a * d - b * c)) == 0
    three = linalg.det([["a", "b", "c"], ["d", "f", "g"], ["h", "k", "m"]])
    assert sp.expand(three.result - sp.Matrix([[a, b, c], [d, f, g], [h, k, m]]).det()) == 0
    assert "invertible exactly where" in three.variables["conclusion"]
    assert two.verify().ok and three.verify().ok


def test_determinant_stays_the_side_derivation_of_inverse_and_of_the_eigenvalues() -> None:
    inverse = linalg.inverse([[1, 2], [3, 4]])
    (det,) = inverse.steps[0].substeps
    assert det.kind == "determinant" and det.result == -2 and "1·4 - 2·3" in inverse.to_text()
    inverse3 = linalg.inverse([[2, 0, 1], [1, 1, 0], [0, 1, 1]])
    assert "cofactor_expansion" in _rules(inverse3.steps[0].substeps[0])
    eigen3 = linalg.eigen([[2, 0, 0], [0, 3, 4], [0, 4, 9]])
    assert "cofactor_expansion" in _rules(eigen3)  # det(A − λI) of a 3×3, expanded along row 1
    assert {k: len(v) for k, v in eigen3.result.items()} == {11: 1, 2: 1, 1: 1}


# (c) The SVD

SVD_CASES = [
    [[3, 0], [4, 5]],  # the lecture's
    [[1, 0, 1], [0, 1, 0]],  # 2×3
    [[3, 2, 2], [2, 3, -2]],  # 2×3
    [[1, 0], [0, 1], [1, 0]],  # 3×2
    [[1], [2], [2]],  # 3×1
    [[1, 2], [2, 4]],  # rank 1
    [[1, 1, 1], [1, 1, 1], [1, 1, 1]],  # rank 1, U completed by two columns
    [[1, 1], [0, 1]],  # σ = (√5 ± 1)/2: nested roots
]


@pytest.mark.parametrize("data", SVD_CASES, ids=[str(c) for c in SVD_CASES])
def test_svd_reconstructs_a_exactly(data: list[list[int]]) -> None:
    """U Σ Vᵀ == A by SymPy's simplify, U and V orthogonal, the singular values SymPy's and
    NumPy's, and the worked UΣVᵀ = A proved exactly (not only at points), said in words."""
    A = sp.Matrix(data)
    answer = linalg.svd(data)
    U, S, V = answer.result
    assert U.shape == (A.rows, A.rows) and S.shape == A.shape and V.shape == (A.cols, A.cols)
    assert sp.simplify(U * S * V.T - A) == sp.zeros(*A.shape)
    assert sp.simplify(U.T * U - sp.eye(A.rows)) == sp.zeros(A.rows, A.rows)
    assert sp.simplify(V.T * V - sp.eye(A.cols)) == sp.zeros(A.cols, A.cols)
    ours = sorted((float(s) for s in answer.variables["singular_values"]), reverse=True)
    theirs = sorted((float(s) for s in A.singular_values()), reverse=True)[: min(A.shape)]
    assert ours == pytest.approx(theirs, abs=1e-12)
    assert ours == pytest.approx(list(linalg.run_numpy(answer)), abs=1e-9)
    assert _proved(answer), answer.verify().summary()
    said = answer.variables["conclusion"]
    assert "UΣVᵀ = A checked exactly" in said
    assert not any(python in said for python in ("sqrt(", "**", "*")), said  # no Python syntax


def test_svd_is_readable() -> None:
    """The lecture's example: U, Σ and V named in the step, the singular values in the house's
    notation, and decimals beside a long exact form."""
    answer = linalg.svd([[3, 0], [4, 5]])
    said = answer.variables["conclusion"]
    assert said.startswith("singular values 3·√5, √5 (the square roots of 45, 5, the eigenvalues of AᵀA)")
    assert "U ≈ [[0.3162, -0.9487], [0.9487, 0.3162]]" in said
    assert "V ≈ [[0.7071, -0.7071], [0.7071, 0.7071]]" in said
    assert set(answer.steps[0].bindings) == {"U", "Sigma", "V"}
    shown = answer.to_text()
    assert "U = [[√10/10, -3·√10/10], [3·√10/10, √10/10]]" in shown and "V = [[√2/2, -√2/2], [√2/2, √2/2]]" in shown
    assert "In Python: np.linalg.svd(A, compute_uv=False)" in shown


# (e) Bad input


def test_det_of_a_non_square_matrix_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linalg", "det", "[[1,2,3],[4,5,6]]"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stepsolver: ") and err.count("\n") == 1 and "Traceback" not in err
    assert "square" in err and "2×3" in err
    assert main(["linalg", "det", "[[1,2],[3,4]]", "[[1]]"]) == 2
    assert "takes 1 argument" in capsys.readouterr().err


def test_det_on_the_command_line() -> None:
    """The installed command, as a user runs it: its text output and NumPy line, then the refusal."""
    run = subprocess.run(
        [sys.executable, "-m", "stepsolver", "linalg", "det", "[[1,2],[3,4]]"], capture_output=True, text=True
    )
    assert run.returncode == 0 and "= 1·4 - 2·3" in run.stdout and "In Python: np.linalg.det(A)  # gives" in run.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "stepsolver", "linalg", "det", "[[1,2,3]]"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.count("\n") == 1 and "square" in bad.stderr


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed (.ci/run installs it)")
def test_latex_of_det_eigen_and_svd_compiles(tmp_path: Path) -> None:
    """Including eigen --standalone, whose side derivations bind λ (no bare Unicode λ in maths)."""
    (tmp_path / "eigen").mkdir()
    compile_latex(linalg.eigen([[4, 2], [2, 1]]).to_latex(standalone=True), tmp_path / "eigen")
    body = "\n".join(
        result.to_latex()
        for result in (
            linalg.det([[1, 2, 3], [4, 5, 6], [7, 8, 10]]),
            linalg.det([[0, 2, 4, 6], [1, 1, 1, 1], [2, 3, 5, 7], [1, -1, 2, -2]]),
            linalg.svd([[1, 1], [0, 1]]),
            linalg.eigen([[1, 1], [0, 1]]),
        )
    )
    compile_latex(render_document("Spectral", body), tmp_path)


NEW_RULES = {"cofactor_expansion", "determinant_row_operation", "triangular_determinant", "eigenspace", "gram_schmidt"}


def test_every_new_rule_is_cited() -> None:
    """Each rule this work declares is cited by one of its examples (Gram–Schmidt by a repeated
    eigenvalue of AᵀA whose null-space basis is not orthogonal)."""
    results = [
        linalg.det([[1, 2, 3], [4, 5, 6], [7, 8, 10]]),
        linalg.det([[0, 2, 4, 6], [1, 1, 1, 1], [2, 3, 5, 7], [1, -1, 2, -2]]),
        linalg.eigen([[4, 2], [2, 1]]),
        linalg.svd([[1, 1, 1], [1, 1, 1], [1, 1, 1]]),
    ]
    cited = set().union(*(_rules(r) for r in results))
    assert cited >= NEW_RULES
    assert all(r.formula and r.title for r in (stepsolver.RULES[i] for i in NEW_RULES))
