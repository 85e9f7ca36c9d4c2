"""What a learner's value is, in words a message can use, and the checks every exercise on
tensors starts with (a tensor at all, of the shape asked for)."""

from __future__ import annotations

import torch

from ptx.exercises.feedback import Mistake


def shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def describe(value: object) -> str:
    """'a tensor of shape (7, 7) (float32, on cpu)', 'a NumPy array of shape (7, 7)', 'the int 3'."""
    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).removeprefix("torch.")
        return f"a tensor of shape {shape(value)} ({dtype}, on {value.device})"
    kind = type(value)
    if kind.__module__ == "numpy" and hasattr(value, "shape"):
        return f"a NumPy array of shape {tuple(value.shape)}"
    if isinstance(value, bool | int | float | str):
        return f"the {kind.__name__} {value!r}"
    return f"a {kind.__name__}"


def tensor(value: object, name: str, code: str = "not_a_tensor") -> torch.Tensor:
    """`value` if it is a tensor, else a Mistake naming what it is and how to make a tensor."""
    if isinstance(value, torch.Tensor):
        return value
    fix = (
        "`torch.from_numpy(...)` turns a NumPy array into one"
        if type(value).__module__ == "numpy"
        else "the `torch` functions (`torch.rand`, `torch.tensor`, ...) make one"
    )
    raise Mistake(code, f"`{name}` is {describe(value)}, not a tensor: {fix}.")


def shaped(value: object, name: str, wanted: tuple[int, ...], code: str = "wrong_shape"):
    """`value` as a tensor of shape `wanted`, else a Mistake with both shapes."""
    t = tensor(value, name)
    if shape(t) != wanted:
        raise Mistake(code, f"`{name}` has shape {shape(t)}; the task asks for {wanted}.")
    return t


def number(value: object) -> float | None:
    """A plain number from a number or a one-element tensor; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.is_complex():
        return value.item()
    if type(value).__module__ == "numpy" and getattr(value, "size", 0) == 1:
        return float(value)
    return None


def close(a: torch.Tensor, b: torch.Tensor, atol: float = 1e-4) -> bool:
    """Same shape and values within `atol`, wherever each lives."""
    return shape(a) == shape(b) and torch.allclose(
        a.detach().cpu().float(), b.detach().cpu().float(), atol=atol, rtol=0
    )


def seeded(seed: int, *shapes: tuple[int, ...], draw=torch.rand) -> list[torch.Tensor]:
    """What `torch.manual_seed(seed)` followed by one draw per shape gives, on the CPU, without
    touching the learner's random numbers (a generator of its own)."""
    generator = torch.Generator().manual_seed(seed)
    return [draw(*s, generator=generator) for s in shapes]


def short(t: torch.Tensor, digits: int = 4) -> str:
    """The values of a small tensor on one line: [1.8542, 1.9611, ...], rows of a matrix as
    [[0.3647, 0.4709], [0.5184, 0.5617]]; a column counts as a list."""
    values = t.detach().cpu().squeeze(-1) if t.ndim == 2 and t.shape[1] == 1 else t.detach().cpu()

    def listed(v):
        if isinstance(v, list):
            return "[" + ", ".join(listed(x) for x in v) + "]"
        return f"{v:.{digits}f}"

    return listed(values.tolist())
