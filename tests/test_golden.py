"""Nothing a user sees changes unless it is meant to: every recorded output (tests/golden/*.json,
made by ``python -m tests.golden.record``) is printed again, byte for byte."""

from __future__ import annotations

import json

import pytest

from .golden.record import HERE, commands, outputs

GROUPS = commands()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_outputs_are_as_recorded(group: str) -> None:
    path = HERE / f"{group}.json"
    if not path.exists():
        pytest.skip(f"{path.name} not recorded yet: python -m tests.golden.record {group}")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    now = outputs(group, GROUPS[group])
    assert sorted(recorded) == sorted(now), "the recorded commands differ: record the group again"
    changed = [name for name, value in now.items() if value != recorded[name]]
    assert not changed, f"{len(changed)} of {len(recorded)} outputs changed, e.g. {changed[:3]}"
