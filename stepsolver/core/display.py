"""The one-line conveniences users and notebooks expect on a result (``d.to_latex()``, rich
display in Jupyter). Each hands the result to render/, which alone knows the formats; a format
the result has no rendering in raises FormatNotAvailable, a notebook view it lacks is None."""

from __future__ import annotations

from typing import Any


class Displayable:
    def to(self, format: str, **options: Any) -> str:
        """The result in any format render/ has (``to("latex", standalone=True)``)."""
        from ..render import render

        return render(self, format, **options)

    def to_text(self) -> str:
        from ..render import render

        return render(self, "text")

    def to_latex(self, standalone: bool = False, **options: Any) -> str:
        from ..render import render

        return render(self, "latex", standalone=standalone, **options)

    def to_markdown(self) -> str:
        from ..render import render

        return render(self, "markdown")

    def to_json(self, indent: int | None = 2) -> str:
        from ..render import render

        return render(self, "json", indent=indent)

    def to_dict(self) -> dict[str, Any]:
        from ..render import data

        return data(self)

    def to_svg(self) -> str:
        from ..render import render

        return render(self, "svg")

    def to_tikz(self) -> str:
        from ..render import render

        return render(self, "tikz")

    def _repr_latex_(self) -> str | None:
        from ..render import display

        return display(self, "latex")

    def to_html(self) -> str:
        from ..render import render

        return render(self, "html")

    def _repr_html_(self) -> str | None:
        from ..render import display

        return display(self, "html")

    def _repr_markdown_(self) -> str | None:
        from ..render import display

        return display(self, "markdown")

    def __str__(self) -> str:
        from ..render import display

        return display(self, "text") or repr(self)  # print() of a type with no text view: the dataclass repr
