"""Write the LALR tables of the LaTeX grammar to latex_tables.json: run it after any change to
latex.lark, the Greek names or the function names (a test says when it is due):

    python -m stepsolver.parse.make_tables
"""

from __future__ import annotations

from importlib import resources

from .latex import BarSides, grammar_text
from .tables import TABLES, build, dump


def main() -> None:
    grammar = grammar_text()
    path = resources.files(__package__).joinpath(TABLES)
    with resources.as_file(path) as target:
        target.write_text(dump(build(grammar, BarSides()), grammar), encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
