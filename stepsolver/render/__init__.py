"""Every output format, one renderer each: ``render(result, "latex")`` is how any result looks
in any format, ``data(result)`` is its JSON as a dict.

Each format's module loads when that format is first asked for: ``stepsolver diff`` must not
pay for Jinja2 (which only LaTeX needs) at start-up."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

from ..errors import FormatNotAvailable
from .base import Renderer

# format → the class in render/<format>.py that holds every result type's method for it
DOCUMENTS = {"text": "TextRenderer", "latex": "LatexRenderer", "markdown": "MarkdownRenderer", "json": "JsonRenderer"}
PICTURES = {"svg": "SvgRenderer", "tikz": "TikzRenderer", "pgfplots": "PgfplotsRenderer"}
# a notebook's HTML fragment (its page typesets the maths): not a document the command writes
NOTEBOOK = {"html": "HtmlRenderer"}
_RENDERERS = DOCUMENTS | PICTURES | NOTEBOOK
FORMATS = tuple(_RENDERERS)


@cache
def renderer(format: str) -> Renderer:
    if format not in _RENDERERS:
        raise FormatNotAvailable(f"unknown format {format!r}; the formats are {', '.join(FORMATS)}")
    module = import_module(f".{format}", __name__)
    made: Renderer = getattr(module, _RENDERERS[format])()
    return made


def render(result: object, format: str, **options: Any) -> str:
    """``result`` as text, latex, markdown, json, svg, tikz, pgfplots or html (FormatNotAvailable if
    it has no such rendering); ``options`` such as ``standalone=True`` go to the renderer."""
    return renderer(format).render(result, **options)


def data(result: object) -> Any:
    """The JSON of ``result`` as Python data (what ``render(result, "json")`` writes out)."""
    from .json import JsonRenderer

    return JsonRenderer().data(result)


def display(result: object, format: str) -> str | None:
    """The rich display of ``result`` in a notebook (or print), or None where it has none."""
    return renderer(format).display(result)


__all__ = ["FORMATS", "FormatNotAvailable", "Renderer", "data", "display", "render", "renderer"]
