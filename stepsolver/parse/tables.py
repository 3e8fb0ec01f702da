"""The LaTeX grammar's LALR tables, shipped as JSON beside the grammar and checked against it.

Building the tables from latex.lark costs about 0.1 s at every start of the command. Lark's own
cache (``cache=True``) would save that by unpickling a file in the shared temp directory, which
lets anyone on the machine run code as the user; JSON cannot carry code, lives inside the
package, and is used only when the hash of the grammar it was made from matches the grammar now.
Regenerate after changing the grammar: ``python -m stepsolver.parse.make_tables``.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

TABLES = "latex_tables.json"
OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "propagate_positions": True,
                           "maybe_placeholders": False}  # fmt: skip


def grammar_hash(grammar: str) -> str:
    """Of the grammar and the Lark that made the tables: another Lark rebuilds them."""
    return hashlib.sha256(f"{lark.__version__}\n{grammar}".encode()).hexdigest()


def _encode(value: Any) -> Any:
    """JSON keeps neither tuples nor integer keys, and Lark's tables have both: tag them."""
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {"~d": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"~t": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the parser tables")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "~d" in value:
            return {_decode(key): _decode(item) for key, item in value["~d"]}
        if "~t" in value:
            return tuple(_decode(item) for item in value["~t"])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def build(grammar: str, postlex: Any) -> Lark:
    return Lark(grammar, postlex=postlex, **OPTIONS)


def dump(parser: Lark, grammar: str) -> str:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {key: item for key, item in data["options"].items() if key != "postlex"}  # an object
    return json.dumps({"grammar": grammar_hash(grammar), "data": _encode(data), "memo": _encode(memo)},
                      separators=(",", ":"), sort_keys=True)  # fmt: skip


def load(grammar: str, postlex: Any) -> Lark:
    """The parser from the shipped tables when they were made from this grammar, else built anew."""
    try:
        stored = json.loads(resources.files(__package__).joinpath(TABLES).read_text(encoding="utf-8"))
        if stored.get("grammar") == grammar_hash(grammar):
            return Lark._load_from_dict(_decode(stored["data"]), _decode(stored["memo"]), postlex=postlex)
    except Exception:  # missing, damaged, or a Lark whose private loader changed: the grammar still works
        pass
    return build(grammar, postlex)
