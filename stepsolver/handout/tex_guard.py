"""What a teacher's own LaTeX may hold: the formulas (``$…$``) of titles, instructions, statements
and text parameters are written into the .tex as typed, so they are checked when the problem set
is read, against an allow-list of maths commands and environments.

An allow-list, not a block-list: TeX and its packages have many ways to open, write or define
(``\\input``, ``\\openout``, ``\\ExplSyntaxOn \\iow_open:Nn``, ``filecontents``, ``\\csname``,
``^^5c`` spelling a backslash), and only a list of what maths needs closes all of them. Words
outside the formulas are made safe where they are written (``documents._latex_words``)."""

from __future__ import annotations

import re

_COMMANDS = """
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi omicron pi varpi
rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi
Psi Omega
sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth ln log lg exp det dim ker max min sup inf lim
liminf limsup arg deg gcd Pr tr sgn
frac dfrac tfrac sqrt binom left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr
mathbf mathrm mathit mathcal mathbb mathsf mathtt mathfrak boldsymbol bm operatorname text textbf textit textrm
emph mbox
cdot times div pm mp circ bullet ast star oplus otimes odot oslash setminus cup cap wedge vee
leq geq le ge neq ne approx equiv sim simeq cong propto in notin ni subset subseteq supset supseteq to mapsto
rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow implies iff gets perp parallel mid nmid
ll gg prec succ
partial nabla infty forall exists nexists emptyset varnothing top bot prime dagger ell hbar Re Im aleph
sum prod int iint iiint oint coprod bigcup bigcap bigoplus bigotimes
ldots cdots vdots ddots dots
hat widehat bar overline underline vec tilde widetilde dot ddot check breve acute grave overrightarrow
underbrace overbrace
quad qquad enspace thinspace
langle rangle lfloor rfloor lceil rceil lvert rvert lVert rVert vert Vert backslash lbrace rbrace
limits nolimits displaystyle textstyle scriptstyle not stackrel overset underset substack colon
begin end
"""
MATHS_COMMANDS = frozenset(_COMMANDS.split())
ENVIRONMENTS = frozenset(
    ["matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "cases", "aligned", "array"]
)
_FORMULA = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)  # as documents._MATH reads them
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^}]*)\}")


def formula_problem(tex: str) -> str:
    """What in the formula ``tex`` a handout may not write, in words; "" when nothing."""
    if "^^" in tex:
        return "^^ (TeX would read it as another character)"
    for found in _COMMAND.finditer(tex):
        if found.group(1) not in MATHS_COMMANDS:
            return f"\\{found.group(1)}"
    for found in _ENVIRONMENT.finditer(tex):
        if found.group(1).strip() not in ENVIRONMENTS:
            return f"the environment {found.group(1).strip()!r}"
    return ""


def text_problem(text: str) -> str:
    """What in the formulas of ``text`` (words with $…$) a handout may not write; "" when nothing."""
    if "^^" in text:
        return "^^ (TeX would read it as another character)"
    for found in _FORMULA.finditer(text):
        said = formula_problem(found.group(1))
        if said:
            return said
    return ""


__all__ = ["ENVIRONMENTS", "MATHS_COMMANDS", "formula_problem", "text_problem"]
