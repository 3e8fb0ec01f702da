"""Imports run one way: no module imports another that (directly or not) imports it back, and
the results reach the renderers only through the one-line conveniences of core/display.py.
(`lint-imports` in .ci/run checks the pipeline's layers, from pyproject.toml.)"""

from __future__ import annotations

import pytest

grimp = pytest.importorskip("grimp")  # comes with import-linter, in the test extra


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("stepsolver", exclude_type_checking_imports=True, cache_dir=None)
    cycles = sorted(
        {tuple(sorted((a, b))) for a in graph.modules for b in graph.find_modules_directly_imported_by(a)
         if a != b and graph.find_shortest_chain(importer=b, imported=a)}
    )  # fmt: skip
    assert not cycles, cycles


def test_only_the_display_conveniences_import_the_renderers_from_below() -> None:
    graph = grimp.build_graph("stepsolver", exclude_type_checking_imports=True, cache_dir=None)
    below = ("stepsolver.core", "stepsolver.parse", "stepsolver.calculus", "stepsolver.graph", "stepsolver.linalg",
             "stepsolver.check")  # fmt: skip
    importers = {
        importer
        for module in graph.find_descendants("stepsolver.render") | {"stepsolver.render"}
        for importer in graph.find_modules_that_directly_import(module)
        if importer.startswith(below)
    }
    assert importers == {"stepsolver.core.display"}


def test_each_rendered_type_name_is_one_class() -> None:
    """Renderers dispatch on class names, as SymPy's printers do: two result classes of one name
    would be drawn by the same methods, so each name a renderer knows must be one class."""
    import importlib
    import inspect
    import pkgutil
    import re

    import stepsolver
    from stepsolver.render import FORMATS, renderer

    classes: dict[str, set[str]] = {}
    for info in pkgutil.walk_packages(stepsolver.__path__, "stepsolver."):
        if info.name.endswith(("__main__", "make_tables")):
            continue  # scripts: importing them runs them
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__.startswith("stepsolver"):
                classes.setdefault(name, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    rendered = {
        match.group(1)
        for fmt in FORMATS
        for attribute in dir(renderer(fmt))
        if (match := re.match(r"_(?:render|data|display)_([A-Z]\w*)$", attribute))
    }
    assert rendered, "no renderer methods found"
    ambiguous = {name: classes.get(name) for name in rendered if len(classes.get(name, ())) != 1}
    assert not ambiguous, ambiguous
