"""What the learner's notebook ran last, as a check needs it: the most recent error, the cell that
raised it, and the names that cell was going to set but may not have.

A cell that raises stops at the failing line: the names it assigns from there on keep what an
earlier run gave them. A check that judged them would name a mistake the learner no longer makes
(their previous attempt's), so it explains the error instead. IPython (Jupyter, Colab) keeps the
cells' code in `In` and the last uncaught error in `sys.last_value`; a plain script stops at its
first error and never reaches a check, so outside IPython there is nothing to read here.
"""

from __future__ import annotations

import ast
import re
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass

CELL_NAME = re.compile(r"<ipython-input-(\d+)-")  # IPython 7 and Colab name a cell's code so


@dataclass(frozen=True)
class Stopped:
    """The last error of the session, where it happened, and what it left unset.

    Attributes:
        error: The exception.
        cell: The execution count of the cell that raised it (`In [cell]`).
        unset: The names that cell assigns at or after the statement that raised, which no
            later cell has assigned again: they hold older values, or none.
        rest: The cell's code from the line that raised on (for a task that sets no names,
            such as seeding: what the cell did not get to do).
        later: The code of the cells run after it (a task that sets no names was attempted
            again there when one of them holds its marks).
    """

    error: BaseException
    cell: int
    unset: frozenset[str]
    rest: str = ""  # the cell's code from the statement that raised on
    later: tuple[str, ...] = ()


def last_error() -> BaseException | None:
    return getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)


def history(namespace: Mapping[str, object]) -> list[str] | None:
    """The code of the cells run so far, by execution count (IPython's `In`), or None."""
    cells = namespace.get("In", namespace.get("_ih"))
    if isinstance(cells, list) and cells and all(isinstance(c, str) for c in cells):
        return cells
    return None


def stopped(namespace: Mapping[str, object]) -> Stopped | None:
    """The session's last error, when IPython says which cell raised it; else None."""
    cells, error = history(namespace), last_error()
    if cells is None or error is None:
        return None
    where = error_cell(error, namespace)
    if where is None or not 0 < where[0] < len(cells):
        return None
    number, line = where
    unset = assigned(cells[number], from_line=line)
    for later in cells[number + 1 :]:
        unset -= assigned(later)
    rest = "\n".join(cells[number].splitlines()[max(line - 1, 0) :])
    return Stopped(error, number, frozenset(unset), rest, tuple(cells[number + 1 :]))


def cell_number(filename: str, namespace: Mapping[str, object]) -> int | None:
    """The execution count of the cell whose code has this file name, if IPython knows it."""
    if match := CELL_NAME.match(filename):
        return int(match[1])
    shell = namespace.get("get_ipython")
    try:
        names = shell().compile._filename_map  # IPython 8 and later: name -> execution count
    except Exception:  # not IPython, or another version of its internals
        return None
    number = names.get(filename) if isinstance(names, dict) else None
    return number if isinstance(number, int) else None


def error_cell(error: BaseException, namespace: Mapping[str, object]) -> tuple[int, int] | None:
    """(execution count, line) of the cell an error came from: the outermost frame that is a cell
    (a function of another cell, called from this one, is deeper). A syntax error stopped the
    whole cell before its first line: line 0."""
    if isinstance(error, SyntaxError) and error.filename:
        number = cell_number(error.filename, namespace)
        return (number, 0) if number is not None else None
    for frame, line in traceback.walk_tb(error.__traceback__):
        number = cell_number(frame.f_code.co_filename, namespace)
        if number is not None:
            return number, line
    return None


def assigned(code: str, from_line: int = 0) -> set[str]:
    """The names a cell's code assigns (`x = `, `for x in`, `def x`, `import x`...), in the
    top-level statement that holds `from_line` and those after it (all of them for 0)."""
    try:
        statements = ast.parse(code).body
    except SyntaxError:  # a cell IPython did not turn into Python: read its assignments plainly
        lines = code.splitlines()[max(from_line - 1, 0) :]
        return {m[1] for line in lines if (m := re.match(r"\s*(\w+)\s*(?:,[^=]*)?=[^=]", line))}
    names: set[str] = set()
    for statement in statements:
        if statement.end_lineno is None or statement.end_lineno >= from_line:
            names |= _bound(statement)
    return names


def _bound(node: ast.AST) -> set[str]:
    """The names a statement binds in the cell's own scope (not inside a function it defines)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return set()
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Store) else set()
    if isinstance(node, ast.alias):
        return {(node.asname or node.name).split(".")[0]}
    names: set[str] = set()
    for child in ast.iter_child_nodes(node):
        names |= _bound(child)
    return names


def latest_assignment(namespace: Mapping[str, object], name: str) -> str | None:
    """The code of the last statement that assigned `name` (`test_acc = ...`), in the last cell
    that did, when IPython kept it."""
    cells = history(namespace)
    if cells is None:
        return None
    code = next((code for code in reversed(cells[1:]) if name in assigned(code)), None)
    if code is None:
        return None
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    found = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and name in _bound(node)
    ]
    last = max(found, key=lambda node: (node.lineno, node.col_offset), default=None)
    return (ast.get_source_segment(code, last) or code) if last else code
