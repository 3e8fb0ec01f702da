"""What a part of a model's derivation is about: the averaging of one parameter's derivative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.contexts import Context


@dataclass(frozen=True)
class ModelContext(Context):
    role: str  # "averaged"
    parameter: str

    @property
    def kind(self) -> str:
        return f"model_{self.role}"

    def variables(self) -> dict[str, Any]:
        return {"parameter": self.parameter}
