"""Nothing a user sees changes unless it is meant to: every recorded output (tests/golden/*.json,
made by ``python -m tests.golden.record``) is printed again, byte for byte."""

from __future__ import annotations

import json

import pytest

from .golden.record import HERE, commands, run

GROUPS = commands()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_outputs_are_as_recorded(group: str) -> None:
    path = HERE / f"{group}.json"
    if not path.exists():
        pytest.skip(f"{path.name} not recorded yet: python -m tests.golden.record {group}")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(recorded) == sorted(GROUPS[group]), "the recorded commands differ: record the group again"
    changed = [name for name, argv in GROUPS[group].items() if run(argv) != recorded[name]]
    assert not changed, f"{len(changed)} of {len(recorded)} outputs changed, e.g. {changed[:3]}"
