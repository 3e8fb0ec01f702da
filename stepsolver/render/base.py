"""A renderer per format, dispatching on the result's type as SymPy's printers do: the first
class in the result's MRO with a ``_render_<ClassName>`` method decides how it looks.

Dispatch is by class *name*, so render/ draws the domain's results without importing the
domain modules at run time (they import render/ for their conveniences, not the other way)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import FormatNotAvailable

if TYPE_CHECKING:
    from ..lecture import Handout


class Renderer:
    format: str = ""

    def render(self, result: object, reading: list[str] | None = None, **options: Any) -> str:
        """``result`` in this format; FormatNotAvailable if no class of it has a method here.
        ``reading``: how an ambiguous input was read (xz as x·z), said before the result."""
        shown = str(self._dispatch("_render_", result)(result, **options))
        # one line each, whatever was typed: a newline would end a LaTeX comment and go live
        reading = [" ".join(note.split()) for note in reading or []]
        return self.said_back(shown, reading) if reading else shown

    def said_back(self, shown: str, reading: list[str]) -> str:
        """The reading in a line of this format's own (a picture has none: the CLI puts it on stderr)."""
        return shown

    def display(self, result: object) -> str | None:
        """What a notebook (or print) shows in this format, or None: Jupyter's "no such view"."""
        method = self._method("_display_", result)
        return None if method is None else str(method(result))

    def _method(self, prefix: str, result: object) -> Callable[..., Any] | None:
        for cls in type(result).__mro__:
            method = getattr(self, f"{prefix}{cls.__name__}", None)
            if method is not None:
                return method
        return None

    def _dispatch(self, prefix: str, result: object) -> Callable[..., Any]:
        method = self._method(prefix, result)
        if method is None:
            raise FormatNotAvailable(f"a {type(result).__name__} has no {self.format} rendering")
        return method

    def _sections(self, handout: Handout, separator: str, heading: str) -> str:
        """The demo's topics one after another; ``heading`` (with {title}) only when there are several."""
        several = len(handout.sections) > 1
        shown = []
        for section in handout.sections:
            body = separator.join(self.render(item) for item in section.items)
            shown.append(heading.format(title=section.title) + "\n\n" + body if several else body)
        return separator.join(shown)
