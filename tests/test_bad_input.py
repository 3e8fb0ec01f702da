"""Malformed and hostile input: a one-line ParseError (exit 2 on the command line), within 1 s, no eval."""

from __future__ import annotations

import time

import pytest

from stepsolver import ParseError, differentiate
from stepsolver.cli import main

HOSTILE = [
    "",
    "   ",
    "__import__('os').system('echo pwned')",
    "exec('1')",
    "eval(x)",
    "lambda: 0",
    "x; import os",
    "os.system('ls')",
    "$(rm -rf /)",
    "`id`",
    r"\input{/etc/passwd}",
    r"\def\x{1}",
    r"\begin{document}",
    "9^{9^{9^9}}",
    "9^9^9^9",
    "2^{10^{10}}",
    "10000!",
    "(10^6)!",
    "1" * 5000,
    "(" * 5000 + "x" + ")" * 5000,
    "{" * 300 + "x" + "}" * 300,
    r"\sin " * 1500 + "x",
    "x" * 1_000_000,
    r"\foo x",
    r"\frac{1}{x",
    "(x + 1",
    "x + 1)",
    "}{",
    "x^",
    "^2",
    "x +* y",
    r"\sqrt",
    r"\frac{1}{0}",
    "||",
    "x = 1",
    "\x00x",
    "x\u202e+1",
    r"\frac{d}{dx} x^3",  # already a derivative: not a function to differentiate
    "1.5!",
    r"\log_{1} x",
    "sin",
    "foo(x)",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(h[:30]) for h in HOSTILE])
def test_hostile_input_is_refused_quickly_with_one_line(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError) as info:
        differentiate(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert "\n" not in str(info.value)
    assert str(info.value)


def test_at_least_thirty_hostile_inputs() -> None:
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("text", ["__import__('os')", "9^{9^{9^9}}", r"\foo", "(x", ""])
def test_command_exits_2_with_one_line_on_stderr(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", text]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("stepsolver: ") and captured.err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "x^2", "--order", "0"],
        ["diff", "x^2", "--order", "99"],
        ["diff", "x^2", "--wrt", "2x"],
        ["diff", "x^2", "--at", "x="],
        ["diff", "x^2", "--at", "y"],
        ["diff", "x^2", "--format", "pdf"],
        ["nope"],
    ],
)
def test_bad_options_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err.startswith("stepsolver: ")


def test_bad_api_arguments_raise_parse_error() -> None:
    with pytest.raises(ParseError):
        differentiate(12345)  # type: ignore[arg-type]
    with pytest.raises(ParseError):
        differentiate("x^2", order=True)
    with pytest.raises(ParseError):
        differentiate("x^2", at={"x": [1, 2]})


def test_a_bug_is_one_line_with_status_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import stepsolver

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(stepsolver, "differentiate", broken)
    assert main(["diff", "x^2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("stepsolver: internal error") and err.count("\n") == 1


def test_an_expression_starting_with_minus_is_not_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "-x^2", "--format", "json"]) == 0
    assert '"rule": "constant_multiple"' in capsys.readouterr().out
    assert main(["diff", "x^3", "--at", "-1"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("[Evaluate at the point; x = -1]")
