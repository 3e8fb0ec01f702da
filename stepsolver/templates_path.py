"""Where the Jinja2 templates live: the repository's top-level ``templates/`` folder."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import StepsolverError


def templates_dir() -> Path:
    configured = os.environ.get("STEPSOLVER_TEMPLATES")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "templates"


def template_text(name: str) -> str:
    path = templates_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise StepsolverError(f"template {name} not found in {path.parent} ({error.strerror})") from None
