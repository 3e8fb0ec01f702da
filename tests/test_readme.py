"""The README's console examples are real: each command, run, prints every line the README shows
(lines with "..." stand for output left out)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _examples() -> list[tuple[str, list[str]]]:
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.DOTALL):
        lines = block.splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for k, i in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            shown = [line for line in lines[i + 1 : end] if line.strip() and "..." not in line]
            examples.append((lines[i][2:], shown))
    return examples


@pytest.mark.parametrize(("command", "shown"), _examples(), ids=[c[:50] for c, _ in _examples()])
def test_readme_example_prints_what_the_readme_shows(command: str, shown: list[str]) -> None:
    words = shlex.split(command)
    assert words[0] == "stepsolver"
    run = subprocess.run([sys.executable, "-m", "stepsolver", *words[1:]], capture_output=True, text=True, timeout=120)
    printed = (run.stdout + run.stderr).splitlines()
    missing = [line for line in shown if line not in printed]
    assert not missing, f"{command}: not printed: {missing[:3]}"
