"""Models of the lecture — logistic regression and friends: derived, checked and fitted."""

from .api import FitResult, Model, ModelDerivation, model

__all__ = ["FitResult", "Model", "ModelDerivation", "model"]
