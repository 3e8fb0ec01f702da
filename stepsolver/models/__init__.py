"""Models of the lecture — logistic regression and friends: derived, checked and fitted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import Model, ModelDerivation, model
    from .fit import FitResult

# loaded on first use: the command line reads the models' names (catalogue) at start-up
_LAZY = {"model": ".api", "Model": ".api", "ModelDerivation": ".api", "FitResult": ".fit"}


def __getattr__(name: str) -> Any:
    from importlib import import_module

    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'stepsolver.models' has no attribute {name!r}")


__all__ = ["FitResult", "Model", "ModelDerivation", "model"]
