"""A handout built: the variants drawn and worked, their documents written, ``handout.json``
(each variant's problems with statement and answer, for other tools and as the grader's key),
and, if asked, the PDFs and the Moodle quiz."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.notation import latex
from .documents import Document, documents
from .draw import Variant, draw
from .problems import ProblemSet, ProblemSetError
from .work import Worked

FORMAT_VERSION = 1


@dataclass
class Built:
    problems: ProblemSet
    variants: list[Variant]
    seed: int
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line each: what was not made, and why


def entry(worked: Worked, drawn_values: dict[str, Any], part_of: str | None) -> dict[str, Any]:
    """One problem (or part) of a variant as handout.json lists it."""
    made: dict[str, Any] = {
        "id": worked.id,
        "kind": worked.kind,
        "points": worked.part.points,
        "statement": {"latex": worked.statement, "sympy": worked.statement_sympy},
        "answer": {"latex": worked.answer_latex, "sympy": worked.answer_sympy},
    }
    if part_of:
        made["part_of"] = part_of
    if worked.function is not None:
        made["function"] = {"latex": latex(worked.function), "sympy": str(worked.function)}
        made["wrt"] = [s.name for s in worked.wrt] if len(worked.wrt) > 1 else worked.wrt[0].name
        if worked.at:
            made["at"] = {s.name: latex(v) for s, v in worked.at.items()}
    if drawn_values:
        made["parameters"] = {k: v for k, v in drawn_values.items()}
    made["key"] = worked.key
    return made


def handout_json(built: Built) -> dict[str, Any]:
    variants = []
    for variant in built.variants:
        listed = []
        for drawn in variant.problems:
            several = len(drawn.parts) > 1
            listed += [entry(w, drawn.values, drawn.problem.id if several else None) for w in drawn.parts]
        variants.append({"variant": variant.number, "problems": listed})
    return {
        "stepsolver_handout": FORMAT_VERSION,
        "stepsolver": __version__,
        "title": built.problems.title,
        "source": built.problems.source,
        "seed": built.seed,
        "variants": variants,
    }


def build(
    problems: ProblemSet,
    out: Path,
    variants: int = 1,
    seed: int | None = None,
    kind: str = "latex",
    templates: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Built:
    """Draw and work the variants, then write each one's documents (in ``out``, or in
    ``out/variant-NN`` when there are several) and ``out/handout.json``."""
    chosen_seed = problems.seed if seed is None else seed
    drawn = draw(problems, variants, chosen_seed, progress)
    built = Built(problems, drawn, chosen_seed)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ProblemSetError(f"cannot make the folder {out}: {error.strerror or error}") from None
    for variant in drawn:
        folder = out if len(drawn) == 1 else out / f"variant-{variant.number:02d}"
        folder.mkdir(exist_ok=True)
        made: list[Document] = documents(problems, variant, kind, len(drawn) > 1, templates)
        for doc in made:
            path = folder / doc.filename
            path.write_text(doc.text, encoding="utf-8")
            built.written.append(path)
            if doc.fallbacks:
                built.notes.append(f"{path}: {doc.fallbacks} formula(s) shown as TeX (no MathML for them)")
    key = out / "handout.json"
    key.write_text(json.dumps(handout_json(built), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    built.written.append(key)
    return built
