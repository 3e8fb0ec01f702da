"""Mutated corpus inputs (characters deleted, tokens inserted, pieces duplicated): each one either
works, with every output format rendering, or gets a StepsolverError. Nothing else, and quickly."""

from __future__ import annotations

import random
import time

import sympy as sp

from stepsolver import StepsolverError, differentiate

from .test_corpus import CORPUS, hand_typed

TOKENS = [
    r"\frac",
    r"\sqrt",
    "{",
    "}",
    "(",
    ")",
    "^",
    "_",
    "x",
    "2",
    "0",
    "+",
    "-",
    "|",
    "!",
    r"\sin",
    r"\ln",
    r"\sigma",
    r"\cdot",
    r"\left(",
    r"\right)",
    "e",
    r"\pi",
    r"\frac{d}{dx}",
    r"\log_{2}",
    r"\sin^2",
    "^{-1}",
    "0.5",
    "y",
    r"\operatorname{ReLU}",
    "'",
    "=",
    "\\",
]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        pos = rng.randint(0, len(text))
        choice = rng.random()
        if choice < 0.35:
            text = text[:pos] + text[pos + 1 :]
        elif choice < 0.7:
            text = text[:pos] + rng.choice(TOKENS) + text[pos:]
        else:
            start = rng.randint(0, len(text))
            text = text[:pos] + text[start : start + rng.randint(1, 8)] + text[pos:]
    return text


def test_mutated_inputs_work_or_fail_cleanly() -> None:
    rng = random.Random(2026)
    seeds = [sp.latex(e) for e in CORPUS[:100]] + [hand_typed(e) for e in CORPUS[:100]]
    outcomes = {"worked": 0, "refused": 0}
    for _ in range(300):
        text = mutate(rng.choice(seeds), rng)
        start = time.perf_counter()
        try:
            derivation = differentiate(text)
            for render in (derivation.to_latex, derivation.to_text, derivation.to_json, derivation.to_markdown):
                render()
            outcomes["worked"] += 1
        except StepsolverError as error:
            assert "\n" not in str(error), text
            outcomes["refused"] += 1
        assert time.perf_counter() - start < 10, text
    assert outcomes["worked"] > 20 and outcomes["refused"] > 100, outcomes
