"""``matrix_gradient`` against hand-written NumPy gradients (``tests/matrix_cases.py``).

Four checks per case: the reference itself against central finite differences (needs nothing of
the engine, so a wrong reference fails here before it can bless a wrong engine); the engine's
``evaluate`` against the reference at three seeded draws; the engine's own ``verify``; and, for a
few cases, that the standalone LaTeX compiles with pdflatex.

    python -m pytest -q tests/test_matrix_identities.py -k reference   # the engine-free check only
"""

from __future__ import annotations

import functools
import shutil
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from .helpers import compile_latex
from .matrix_cases import CASES, Case, Values, dims_of, draw, reference_error

IDS = [case.name for case in CASES]
BY_NAME = {case.name: case for case in CASES}
SEEDS = (0, 1, 2)
# Central differences with h = 1e-6 agree with the references to about 1e-10 (see the module's
# docstring); 1e-6 leaves room for rounding yet catches any wrong factor, sign or transpose.
FD_TOLERANCE = 1e-6
# One of each kind of output: a quadratic form, a trace, a log-determinant, a Frobenius norm, and
# the three losses with the longest derivations.
LATEX_CASES = ["xT_A_x", "tr_AXB", "ln_abs_det_X", "fro_sq_AX_B", "logistic_w", "softmax_ce_W", "gaussian_nll_Sigma"]


def draws(case: Case) -> list[Values]:
    """Three seeded draws, different for each case (the name is part of the seed) so that the
    cases do not all meet the same few numbers."""
    return [draw(case, np.random.default_rng([seed, zlib.crc32(case.name.encode())])) for seed in SEEDS]


@functools.cache
def worked(name: str) -> Any:
    """The engine's result for a case, computed once for the tests that read it."""
    from stepsolver import matrix_gradient  # inside: this file's engine-free test must run without it

    case = BY_NAME[name]
    return matrix_gradient(case.latex, case.wrt, dict(case.shapes))


def test_case_list() -> None:
    assert len(CASES) >= 45
    assert set(LATEX_CASES) <= set(BY_NAME)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_reference_matches_finite_differences(case: Case) -> None:
    for values in draws(case):
        error = reference_error(case, values)
        assert error < FD_TOLERANCE, f"{case.name}: reference is {error:.2e} from finite differences"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_engine_gradient_values(case: Case) -> None:
    result = worked(case.name)
    expected_shape = dims_of(case.shapes[case.wrt])
    for values in draws(case):
        expected = case.reference(values)
        # Copies, so that an engine that writes into its inputs cannot change the next draw.
        copies = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in values.items()}
        got = np.asarray(result.evaluate(copies), dtype=float)
        assert got.shape == expected_shape, f"{case.name}: shape {got.shape}, but {case.wrt} is {expected_shape}"
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9, err_msg=case.latex)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_engine_verifies(case: Case) -> None:
    report = worked(case.name).verify()
    assert report, f"{case.name}: {report}"


@pytest.mark.parametrize("name", LATEX_CASES)
def test_standalone_latex_compiles(name: str, tmp_path: Path) -> None:
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    compile_latex(worked(name).to_latex(standalone=True), tmp_path)
