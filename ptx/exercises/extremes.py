"""Exercises 00, 8 and 9 of the fundamentals set: the largest and smallest numbers of a tensor,
and where they are."""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.sets import code


# -- 8 and 9. Max, min, and where they are ---------------------------------------------------------
def _one_number(value: object, name: str, what: str, per_dim_hint: str) -> float:
    if isinstance(value, tuple) and hasattr(value, "values") and hasattr(value, "indices"):
        raise Mistake(
            "per_dim",
            f"`{name}` is a (values, indices) pair: `{per_dim_hint}(dim=...)` gives the {what} of "
            f"each row or column and where it is. Without `dim`, `result.{per_dim_hint}()` "
            f"gives the {what} of the whole tensor.",
        )
    if isinstance(value, torch.Tensor) and value.numel() > 1:
        raise Mistake(
            "per_dim",
            f"`{name}` is {t.describe(value)}: one {what} per row or column (a `dim=` argument). "
            f"Without `dim`, `result.{per_dim_hint}()` gives one number for the whole tensor.",
        )
    n = t.number(value)
    if n is None:
        raise Mistake("not_a_number", f"`{name}` is {t.describe(value)}, not a number.")
    return n


def _judge_8(a: Answer) -> str:
    result = t.tensor(a.result, "result").detach().cpu()
    biggest = _one_number(a.max_value, "max_value", "maximum", "max")
    smallest = _one_number(a.min_value, "min_value", "minimum", "min")
    top, bottom = result.max().item(), result.min().item()
    if abs(biggest - bottom) < 1e-6 and abs(smallest - top) < 1e-6 and top != bottom:
        raise Mistake("swapped", "`max_value` and `min_value` are swapped.")
    positions = (result.argmax().item(), result.argmin().item())
    if (biggest, smallest) == positions:
        raise Mistake(
            "positions",
            f"`max_value` and `min_value` are {int(biggest)} and {int(smallest)}: positions "
            "(`argmax`, `argmin`, exercise 9), not values. `result.max()` gives the largest value.",
        )
    if abs(biggest - top) > 1e-6 or abs(smallest - bottom) > 1e-6:
        raise Mistake(
            "other_tensor",
            f"`max_value` and `min_value` are {biggest:.4f} and {smallest:.4f}, but the largest and "
            f"smallest numbers of `result` are {top:.4f} and {bottom:.4f}: take them from `result`.",
        )
    return f"{top:.4f} and {bottom:.4f}, as the course's output has them."


q8 = Exercise(
    label="8",
    title="the maximum and the minimum",
    names={"max_value": "the largest number in `result`", "min_value": "the smallest"},
    uses={"result": "exercise 7"},
    judge=_judge_8,
    mistakes={
        "per_dim": "max(dim=...) or amax(dim=...): one per row or column",
        "not_a_number": "something that is not a number",
        "swapped": "max and min swapped",
        "positions": "argmax and argmin instead of the values",
        "other_tensor": "the max and min of another tensor",
    },
    hints=["Tensors have `.max()` and `.min()`.", "`max_value = result.max()`."],
    solution_code=code("""
max_value = result.max()
min_value = result.min()
print(f"max: {max_value:.4f}, min: {min_value:.4f}")
"""),
)


def _position(value: object, name: str, result: torch.Tensor, flat: int, what: str):
    """A flat position, or (row, column) of a 2-d result (the latter accepted, and said)."""
    row_column = [float(i) for i in divmod(flat, result.shape[1])]
    if isinstance(value, tuple | list) and [t.number(v) for v in value] == row_column:
        return "pair"  # torch.unravel_index's (row, column)
    n = _one_number(value, name, f"position of the {what}", f"arg{what[:3]}")
    if abs(n - round(n)) > 1e-9:
        raise Mistake(
            "values",
            f"`{name}` is {n:.4f}: a value (exercise 8), not a position. "
            f"`result.arg{what[:3]}()` gives where the {what} is.",
        )
    return int(round(n))


def _judge_9(a: Answer) -> str:
    result = t.tensor(a.result, "result").detach().cpu()
    top, bottom = result.argmax().item(), result.argmin().item()
    found = (
        _position(a.max_index, "max_index", result, top, "maximum"),
        _position(a.min_index, "min_index", result, bottom, "minimum"),
    )
    if found == (bottom, top) and top != bottom:
        raise Mistake("swapped", "`max_index` and `min_index` are swapped.")
    if found[0] not in (top, "pair") or found[1] not in (bottom, "pair"):
        raise Mistake(
            "other_positions",
            f"`max_index` and `min_index` are {found[0]} and {found[1]}, but `result` has its "
            f"maximum at {top} and its minimum at {bottom} (counting along the flattened tensor).",
        )
    row, column = divmod(top, result.shape[1])
    if "pair" in found:
        return (
            f"As (row, column) pairs: fine. `argmax()` alone counts along the flattened tensor: "
            f"{top} and {bottom}, the course's numbers."
        )
    return (
        f"{top} and {bottom}, the course's numbers. `argmax` counts along the flattened tensor: "
        f"position {top} of the (2, 2) result is row {row}, column {column} "
        "(`torch.unravel_index` turns one into the other)."
    )


q9 = Exercise(
    label="9",
    title="where the maximum and the minimum are",
    names={
        "max_index": "the position of the largest number in `result`",
        "min_index": "the position of the smallest",
    },
    uses={"result": "exercise 7"},
    judge=_judge_9,
    mistakes={
        "per_dim": "argmax(dim=...): one position per row or column",
        "not_a_number": "something that is not a number",
        "values": "the values instead of the positions",
        "swapped": "the two positions swapped",
        "other_positions": "positions of another tensor",
    },
    hints=["`.argmax()` and `.argmin()`.", "`max_index = result.argmax()`."],
    solution_code=code("""
max_index = result.argmax()
min_index = result.argmin()
print(f"argmax: {max_index}, argmin: {min_index}")
"""),
)
