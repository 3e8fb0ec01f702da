"""Reading a training table from CSV (stepsolver.models.data): each refusal is one line naming the
file, the line and the column; good files of every common shape read; standardising and mapping
coefficients back keeps the predictions; the real data sets of tests/data match their references."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import numpy as np
import pytest

from stepsolver.errors import ParseError, ShapeError
from stepsolver.models import data as data_module
from stepsolver.models.data import read_table, standardize

DATA = Path(__file__).resolve().parent / "data"


def refused(source: bytes | str | Path, **options: object) -> str:
    """The message read_table refuses ``source`` with, checked to be one line."""
    with pytest.raises(ParseError) as caught:
        read_table(source, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message, message
    return message


# -- refusals: what and where ------------------------------------------------------------------

REFUSALS = [
    # (CSV bytes, options, the message or a part of it)
    (b"", {}, "data.csv is empty"),
    (b"\n\n  \n", {}, "data.csv is empty"),
    (b"\xef\xbb\xbf", {}, "data.csv is empty"),
    (b"a,b\n", {}, "data.csv: no rows after the header (line 1)"),
    (b"a,b\n\n\n", {}, "data.csv: no rows after the header (line 1)"),
    (b"a,,c\n1,2,3\n", {}, "data.csv, line 1: column 2 of the header is empty"),
    (b"a, ,c\n1,2,3\n", {}, "data.csv, line 1: column 2 of the header is empty"),
    (b"a,b,a\n1,2,3\n", {}, "data.csv, line 1: the header names 'a' twice (columns 1 and 3)"),
    (b"a,b, a \n1,2,3\n", {}, "the header names 'a' twice"),
    (
        b"a\n1\n2\n",
        {},
        "data.csv, line 1: the header has 1 column ('a'); a table needs at least one feature and a target",
    ),
    (b"a,y\n1,2\n1,2,3\n", {}, "data.csv, line 3: too many cells: 3 where the header has 2"),
    (b"a,b,y\n1,2,3\n4,5\n", {}, "data.csv, line 3: too few cells: 2 where the header has 3"),
    (
        b"age,y\n1,2\n3,4\n5,6\n7,8\n9,10\nabc,1\n",
        {},
        "data.csv, line 7, column 'age': 'abc' is not a number",
    ),
    (b"a,y\n,1\n", {}, "data.csv, line 2, column 'a': the value is missing (an empty cell)"),
    (b"a,y\n  ,1\n", {}, "data.csv, line 2, column 'a': the value is missing (an empty cell)"),
    (b"a,y\nNA,1\n", {}, "data.csv, line 2, column 'a': the value is missing ('NA')"),
    (b"a,y\nnan,1\n", {}, "data.csv, line 2, column 'a': 'nan' is not a finite number"),
    (b"a,y\n1,NaN\n", {}, "data.csv, line 2, column 'y': 'NaN' is not a finite number"),
    (b"a,y\ninf,1\n", {}, "data.csv, line 2, column 'a': 'inf' is not a finite number"),
    (b"a,y\n-Infinity,1\n", {}, "data.csv, line 2, column 'a': '-Infinity' is not a finite number"),
    (b"a,y\n1e999,1\n", {}, "data.csv, line 2, column 'a': '1e999' is not a finite number (it overflows a float64)"),
    (b"a,y\n1,1\n1_000,1\n", {}, "data.csv, line 3, column 'a': '1_000' is not a number"),
    ("a,y\n\u0661\u0662,1\n".encode(), {}, "data.csv, line 2, column 'a': '١٢' is not a number"),
    (b"a,y\n0x10,1\n", {}, "'0x10' is not a number"),
    (b"a,y\n1e,1\n", {}, "'1e' is not a number"),
    (b"a,y\n.,1\n", {}, "'.' is not a number"),
    (b"a,y\n1 000,1\n", {}, "'1 000' is not a number"),
    (b'a,y\n"1,5",1\n', {}, "data.csv, line 2, column 'a': '1,5' is not a number (the decimal mark must be a point)"),
    (b"a,y\n1,5,1\n", {}, "data.csv, line 2: too many cells: 3 where the header has 2"),
    (b"a;y\n1,5;1\n", {}, "data.csv, line 2, column 'a': '1,5' is not a number (the decimal mark must be a point)"),
    (
        b"a,y\n1,2\n",
        {"target": "label"},
        "data.csv, line 1: no column 'label' for the target; the columns are 'a', 'y'",
    ),
    (
        b"Age,y\n1,2\n",
        {"target": "age"},
        "no column 'age' for the target; the columns are 'Age', 'y'; did you mean 'Age'?",
    ),
    (
        ",".join(f"c{i}" for i in range(20)).encode() + b"\n",
        {"target": "x"},
        "the columns are 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', … (20 in all)",
    ),
    (b"a,y\n1,0\n2,2\n", {"task": "binary"}, "data.csv, line 3, column 'y': '2' is not a binary label (0 or 1)"),
    (b"a,y\n1,yes\n", {"task": "binary"}, "data.csv, line 2, column 'y': 'yes' is not a binary label (0 or 1)"),
    (b"a,y\n1,0.5\n", {"task": "binary"}, "'0.5' is not a binary label (0 or 1)"),
    (b"a,y\n1,\n", {"task": "binary"}, "data.csv, line 2, column 'y': the label is missing"),
    (
        b"a,y\n1,0\n2,0.0\n",
        {"task": "binary"},
        "data.csv, column 'y': only class 0 occurs: a classifier needs both 0 and 1",
    ),
    (
        b"a,y\n1,1\n2,1.0\n",
        {"task": "binary"},
        "data.csv, column 'y': only class 1 occurs: a classifier needs both 0 and 1",
    ),
    (
        b"a,y\n1,x\n2, x \n",
        {"task": "classes"},
        "data.csv, column 'y': only class 'x' occurs: a classifier needs at least 2",
    ),
    (b"a,y\n1,x\n2,\n", {"task": "classes"}, "data.csv, line 3, column 'y': the label is missing (an empty cell)"),
    (b"a,y\n1,x\n", {"task": "regression"}, "data.csv, line 2, column 'y': 'x' is not a number"),
    (b"a,y\n1,2\n3,\xff4\n", {}, "data.csv, line 3: not UTF-8 (an undecodable byte at byte 3 of the line)"),
    (b"a,y\xc3\n1,2\n", {}, "data.csv, line 1: not UTF-8"),
    (b'a,y\n1,2\n"3,4\n5,6\n', {}, "data.csv, line 3: a quote opened on this line is never closed"),
    (b'a,y\n1,2\n"3"x,4\n', {}, "data.csv, line 3: a stray quote"),
    (b"a,y\n1,2\r3,4\n", {}, "data.csv, line 2: a carriage return inside an unquoted cell"),
    # the line numbers count physical lines: blank lines and cells spanning lines included
    (b"a,y\n1,0\n\n\nx,1\n", {}, "data.csv, line 5, column 'a': 'x' is not a number"),
    (
        b'"a\nb",y\n1,p\n3,"q\nr"\nx,s\n',
        {"task": "classes"},
        "data.csv, line 6, column 'a\\nb': 'x' is not a number",
    ),
    (b"\n\na,b\n", {}, "data.csv: no rows after the header (line 3)"),
]


@pytest.mark.parametrize(("text", "options", "message"), REFUSALS, ids=[repr(r[0][:24]) for r in REFUSALS])
def test_a_bad_table_is_refused_with_one_line_saying_what_and_where(
    text: bytes, options: dict[str, object], message: str
) -> None:
    assert message in refused(text, **options)


def test_the_example_of_the_issue_word_for_word() -> None:
    rows = b"".join(b"%d,%d\n" % (i, i) for i in range(5))
    assert refused(b"age,y\n" + rows + b"abc,1\n") == "data.csv, line 7, column 'age': 'abc' is not a number"


def test_the_message_names_the_file_it_read(tmp_path: Path) -> None:
    path = tmp_path / "patients.csv"
    path.write_bytes(b"age,y\n1,2\nabc,1\n")
    assert refused(path) == "patients.csv, line 3, column 'age': 'abc' is not a number"
    assert refused(str(path)) == "patients.csv, line 3, column 'age': 'abc' is not a number"
    assert refused(b"age,y\nabc,1\n", name="upload.csv").startswith("upload.csv, line 2,")
    assert refused(tmp_path / "missing.csv").startswith("cannot read missing.csv: ")


def test_a_cell_over_the_limit_is_refused_with_its_line_and_column() -> None:
    cell = b"1" * 10_001
    assert refused(b"a,y\n1,1\n" + cell + b",1\n") == (
        "data.csv, line 3, column 'a': a cell of 10,001 characters; the limit is 10,000"
    )
    assert "line 1, cell 2: a cell of 10,001 characters" in refused(b"a," + cell + b"\n")
    assert read_table(b"a,y\n0." + b"1" * 9_998 + b",1\n").X[0, 0] == float("0." + "1" * 9_998)


def test_a_cell_over_pythons_csv_field_limit_does_not_crash_it_and_the_limit_is_restored() -> None:
    before = csv.field_size_limit()
    huge = b"2" * 200_000  # csv's default limit is 131,072 characters
    assert "line 2, column 'y': a cell of 200,000 characters" in refused(b"a,y\n1," + huge + b"\n")
    assert "line 2, column 'a': a cell of 200,001 characters" in refused(b'a,y\n"' + b"x\n" * 100_000 + b'x",1\n')
    assert csv.field_size_limit() == before


def test_more_than_a_thousand_classes_is_refused_where_the_1001st_appears() -> None:
    rows = b"".join(b"1,label%d\n" % i for i in range(1_001))
    assert refused(b"a,y\n" + rows, task="classes") == (
        "data.csv, line 1002, column 'y': more than 1,000 classes; is 'y' a class label?"
    )
    assert len(read_table(b"a,y\n" + rows[: rows.rindex(b"1,label1000")], task="classes").classes) == 1_000


def test_more_than_ten_thousand_feature_columns_is_refused() -> None:
    header = ",".join(f"x{i}" for i in range(10_002)).encode()
    assert refused(header + b"\n") == "data.csv, line 1: 10,001 feature columns; the limit is 10,000"
    at_limit = ",".join(f"x{i}" for i in range(10_001)).encode()
    assert read_table(at_limit + b"\n" + b",".join([b"1"] * 10_001) + b"\n").m == 10_000


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(500_000_001)  # sparse: no disk used, and reading it would take long
    start = time.perf_counter()
    assert refused(big) == "big.csv is 500,000,001 bytes; the limit is 500,000,000"
    assert time.perf_counter() - start < 1.0


def test_bytes_over_the_size_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_module, "MAX_BYTES", 10)
    assert refused(b"a,y\n1,2\n3,4\n") == "data.csv is 12 bytes; the limit is 10"


def test_an_unknown_task_is_refused() -> None:
    assert refused(b"a,y\n1,2\n", task="multilabel") == (
        "the task must be one of binary, regression, classes, not 'multilabel'"
    )


@pytest.mark.parametrize(
    "text",
    [
        b'a,y\n"' + b"x" * 5_000_000,  # a quote never closed, 5 MB after it
        b"a,y\n" + b'"' * 5_000_000,
        b"a,y\n" + b"1" * 5_000_000 + b",1\n",
        b"a,y\n" + b"9" * 9_999 + b"x,1\n",  # a long almost-number: the pattern does not backtrack
        b"a,y\n" + b"1,2\n" * 100_000 + b"1,2,3\n",
        b"\n" * 1_000_000,
        b",".join(b"c%d" % i for i in range(10_001)) + b"\n" + b"1," * 10_000 + b"x\n",
    ],
    ids=["unclosed-quote", "quotes", "long-cell", "long-almost-number", "late-bad-row", "blank-lines", "wide"],
)
def test_hostile_input_is_refused_or_read_quickly(text: bytes) -> None:
    start = time.perf_counter()
    try:
        read_table(text)
    except ParseError as error:
        assert "\n" not in str(error)
    assert time.perf_counter() - start < 2.0


# -- good files --------------------------------------------------------------------------------


def test_a_plain_table_reads_as_float64_with_the_last_column_as_target() -> None:
    table = read_table(b"x1,x2,y\n1e5, 3.5 ,-2\n+.5,1.,0\n-0.25,7,1E-3\n")
    assert table.X.dtype == np.float64 and table.y.dtype == np.float64
    assert table.X.tolist() == [[1e5, 3.5], [0.5, 1.0], [-0.25, 7.0]]
    assert table.y.tolist() == [-2.0, 0.0, 0.001]
    assert (table.features, table.target, table.classes, table.source) == (("x1", "x2"), "y", (), "data.csv")
    assert (table.n, table.m) == (3, 2)


def test_bom_crlf_quoted_headers_and_spaces_after_commas(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b'\xef\xbb\xbf"tumour size", "age (years)", "malignant"\r\n1.5, 40, 1\r\n2.5, 50, 0\r\n')
    table = read_table(path, task="binary")
    assert table.features == ("tumour size", "age (years)")
    assert table.target == "malignant"
    assert table.X.tolist() == [[1.5, 40.0], [2.5, 50.0]]
    assert table.y.tolist() == [1.0, 0.0]
    assert table.source == "excel.csv"


def test_the_target_may_be_any_column_and_the_features_keep_their_order() -> None:
    table = read_table(b"a,label,b,c\n1,10,2,3\n4,20,5,6\n", target="label")
    assert table.features == ("a", "b", "c")
    assert table.X.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert table.y.tolist() == [10, 20]
    assert read_table(b"a,label,b\n1,0,2\n4,1,5\n", target=" label ").target == "label"
    assert read_table(b"y,a\n1,2\n", target="y").features == ("a",)


def test_binary_labels_as_written_in_either_form() -> None:
    table = read_table(b"a,y\n1,0\n2,1\n3,0.0\n4,1.0\n5, 1 \n6,-0\n", task="binary")
    assert table.y.dtype == np.float64
    assert table.y.tolist() == [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]
    assert not np.signbit(table.y).any()  # "-0" is class 0, not -0.0


def test_text_class_labels_are_numbered_in_sorted_order() -> None:
    table = read_table(b"a,species\n1,versicolor\n2,setosa\n3,virginica\n4, setosa\n", task="classes")
    assert table.classes == ("setosa", "versicolor", "virginica")
    assert table.y.dtype == np.int64
    assert table.y.tolist() == [1, 0, 2, 0]


def test_numeric_class_labels_are_sorted_as_numbers() -> None:
    table = read_table(b"a,digit\n1,10\n2,9\n3,2\n4,10\n", task="classes")
    assert table.classes == ("2", "9", "10")
    assert table.y.tolist() == [2, 1, 0, 2]
    mixed = read_table(b"a,y\n1,10\n2,9\n3,b\n", task="classes")
    assert mixed.classes == ("10", "9", "b")  # not all numbers: as text


def test_u2028_and_other_unicode_line_separators_are_text_not_line_ends() -> None:
    text = "a\u2028b,y\n1,x\u2029y\n2,\u0085z\n3,w\n".encode()
    table = read_table(text, task="classes")
    assert table.features == ("a\u2028b",)
    assert table.classes == ("w", "x\u2029y", "z")  # U+0085 is whitespace: stripped
    assert "line 4, column 'a\\u2028b': 'q' is not a number" in refused("a\u2028b,y\n1,2\n3\u2028,4\nq,5\n".encode())


def test_semicolon_and_tab_files_are_recognised_by_their_header() -> None:
    semicolon = read_table(b"a;b;y\n1.5;2;0\n3;4.25;1\n")
    tab = read_table(b"a\tb\ty\n1.5\t2\t0\n3\t4.25\t1\n")
    assert semicolon.features == tab.features == ("a", "b")
    assert semicolon.X.tolist() == tab.X.tolist() == [[1.5, 2.0], [3.0, 4.25]]
    # a header with a comma is a comma file, whatever else the header holds
    assert read_table(b"a;b,y\n1,2\n").features == ("a;b",)


def test_line_ends_of_every_kind_and_no_final_newline() -> None:
    expected = [[1.0], [3.0]]
    for text in (b"a,y\n1,2\n3,4", b"a,y\r\n1,2\r\n3,4\r\n", b"a,y\r1,2\r3,4\r", b"a,y\n1,2\n\n3,4\n\n\n"):
        assert read_table(text).X.tolist() == expected, text


def test_a_quoted_cell_may_hold_a_comma_a_quote_or_a_line_break() -> None:
    table = read_table(b'"a, in cm","the ""label"""\n1,"x\ny"\n2,"z"\n', task="classes")
    assert table.features == ("a, in cm",)
    assert table.target == 'the "label"'
    assert table.classes == ("x\ny", "z")


@pytest.mark.parametrize("size", [1, 3, 7, 64])
def test_reading_in_pieces_gives_the_same_table_and_line_numbers(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """The text is read in pieces of about a megabyte, each ending at a line end; a cell spanning
    lines, a CRLF and a blank line read the same wherever a piece ends."""
    good = b'a,"the\nlabel"\r\n1,"x\n\ny"\r\n\r\n2,z\n3,"w\nv"\n'
    bad = good + b"q,z\n"
    whole = read_table(good, task="classes")
    message = refused(bad, task="classes")
    chunks = data_module._chunks
    monkeypatch.setattr(data_module, "_chunks", lambda text: chunks(text, size))
    pieces = read_table(good, task="classes")
    assert (pieces.X.tolist(), pieces.y.tolist(), pieces.classes) == (whole.X.tolist(), whole.y.tolist(), whole.classes)
    assert refused(bad, task="classes") == message == "data.csv, line 10, column 'a': 'q' is not a number"


def test_through_a_file_and_through_bytes_alike(tmp_path: Path) -> None:
    text = b"a,b,y\n1,2,0\n3,4,1\n"
    path = tmp_path / "t.csv"
    path.write_bytes(text)
    for source in (text, path, str(path)):
        table = read_table(source, task="binary")
        assert table.X.tolist() == [[1, 2], [3, 4]] and table.y.tolist() == [0, 1]


# -- standardize -------------------------------------------------------------------------------


def test_standardize_uses_the_population_std_and_marks_constant_columns() -> None:
    X = np.array([[1.0, 5.0, 0.1], [2.0, 5.0, 0.1], [4.0, 5.0, 0.1]])
    s = standardize(X)
    assert np.allclose(s.mean, X.mean(axis=0))
    assert s.scale[0] == pytest.approx(np.std(X[:, 0], ddof=0))
    assert s.scale[1:].tolist() == [1.0, 1.0]  # 0.1 three times: its std is not exactly 0 in floats
    assert s.constant == (1, 2)
    Z = s.apply(X)
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z[:, 0].std(), 1)
    assert np.all(np.isfinite(Z))


def test_original_keeps_the_predictions_for_a_vector_and_for_a_matrix() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(loc=[10.0, -3.0, 0.1], scale=[2.0, 0.5, 0.01], size=(50, 3))
    s = standardize(X)
    w, b = rng.normal(size=3), 0.7
    w0, b0 = s.original(w, b)
    assert isinstance(b0, float)
    assert np.allclose(X @ w0 + b0, s.apply(X) @ w + b)
    assert np.allclose(w0, w / s.scale) and b0 == pytest.approx(b - np.sum(w * s.mean / s.scale))
    W, bs = rng.normal(size=(3, 4)), rng.normal(size=4)
    W0, b0s = s.original(W, bs)
    assert W0.shape == (3, 4) and np.shape(b0s) == (4,)
    assert np.allclose(X @ W0 + b0s, s.apply(X) @ W + bs)


def test_a_fit_on_standardised_features_mapped_back_is_the_fit_on_the_raw_ones() -> None:
    table = read_table(DATA / "diabetes.csv")
    s = standardize(table.X)
    Z = s.apply(table.X)
    ones = np.ones((table.n, 1))
    standardised, *_ = np.linalg.lstsq(np.hstack([Z, ones]), table.y, rcond=None)
    raw, *_ = np.linalg.lstsq(np.hstack([table.X, ones]), table.y, rcond=None)
    w, b = s.original(standardised[:-1], standardised[-1])
    assert np.allclose(w, raw[:-1], rtol=1e-9) and b == pytest.approx(raw[-1], rel=1e-9)
    assert np.allclose(table.X @ w + b, Z @ standardised[:-1] + standardised[-1])


def test_standardize_refuses_what_is_not_a_table() -> None:
    with pytest.raises(ShapeError):
        standardize(np.zeros(3))
    with pytest.raises(ShapeError):
        standardize(np.zeros((0, 3)))
    s = standardize(np.arange(6.0).reshape(3, 2))
    with pytest.raises(ShapeError):
        s.apply(np.zeros((2, 3)))
    with pytest.raises(ShapeError):
        s.original(np.zeros(3), 0.0)
    with pytest.raises(ShapeError):
        s.original(np.zeros((2, 4)), np.zeros(3))


# -- the real data sets and their references (tests/data; see README.md there) -----------------


def reference(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def logistic_cost(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lam: float = 0.0) -> float:
    z = X @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z) + lam / 2 * w @ w)


def logistic_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lam: float = 0.0) -> np.ndarray:
    r = 0.5 * (1.0 + np.tanh(0.5 * (X @ w + b))) - y  # σ without overflow
    return np.r_[X.T @ r / len(y) + lam * w, r.mean()]


@pytest.mark.parametrize(
    "name",
    ["breast_cancer_logistic.json", "breast_cancer_logistic_l2.json", "breast_cancer_logistic_l2_standardized.json"],
)
def test_the_breast_cancer_references_are_optima_of_the_table_as_read(name: str) -> None:
    ref = reference(name)
    table = read_table(DATA / ref["csv"], target=ref["target"], task="binary")
    assert (table.n, table.m, list(table.features)) == (569, 3, ref["features"])
    assert int(table.y.sum()) == 212  # malignant
    X = standardize(table.X).apply(table.X) if ref["standardized"] else table.X
    w = np.array([ref["w"][f] for f in ref["features"]])
    lam = ref.get("lam", 0.0)
    assert logistic_cost(X, table.y, w, ref["b"], lam) == pytest.approx(ref["cost"], rel=1e-12)
    assert np.linalg.norm(logistic_gradient(X, table.y, w, ref["b"], lam)) < 1e-8
    assert ref["gradient_norm"] < 1e-8
    if ref["standardized"]:
        w0, b0 = standardize(table.X).original(w, ref["b"])
        assert np.allclose(w0, [ref["w_original"][f] for f in ref["features"]], rtol=1e-12)
        assert b0 == pytest.approx(ref["b_original"], rel=1e-12)


def test_the_diabetes_reference_is_the_least_squares_optimum() -> None:
    ref = reference("diabetes_linear.json")
    table = read_table(DATA / ref["csv"], target=ref["target"])
    assert (table.n, table.m, list(table.features)) == (442, 10, ref["features"])
    w = np.array([ref["w"][f] for f in ref["features"]])
    residual = table.X @ w + ref["b"] - table.y
    assert float(np.mean(residual**2)) == pytest.approx(ref["cost"], rel=1e-12)
    gradient = 2.0 * np.r_[table.X.T @ residual, residual.sum()] / table.n
    assert np.linalg.norm(gradient) < 1e-8


def test_the_wine_reference_probabilities_and_cost() -> None:
    ref = reference("wine_softmax.json")
    table = read_table(DATA / ref["csv"], target=ref["target"], task="classes")
    assert (table.n, table.m, list(table.features)) == (178, 3, ref["features"])
    assert list(table.classes) == ref["classes"] == ["0", "1", "2"]
    assert np.bincount(table.y).tolist() == [59, 71, 48]
    W = np.array([ref["W"][f] for f in ref["features"]])
    b = np.array(ref["b"])
    assert np.allclose(W.sum(axis=1), 0, atol=1e-12) and abs(b.sum()) < 1e-12  # centred
    Z = table.X @ W + b
    log_p = Z - Z.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    assert float(-np.mean(log_p[np.arange(table.n), table.y])) == pytest.approx(ref["cost"], rel=1e-12)
    P = np.exp(log_p)
    assert np.allclose(P, ref["probabilities"], rtol=0, atol=1e-13)
    R = P - np.eye(3)[table.y]
    assert np.linalg.norm(np.vstack([table.X.T @ R, R.sum(axis=0)]) / table.n) < 1e-8
