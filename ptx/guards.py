"""Refusals before a training step: data, targets and an optimizer that would train wrongly.

NaN or inf in the data, binary-loss targets other than 0 and 1, an optimizer over other tensors
than the model's, and a learning rate that is not a positive number. Internal: `fit`,
`train_step` and `evaluate` call these; each error names the cause and the usual fix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

BINARY_LOSSES = (nn.BCEWithLogitsLoss, nn.BCELoss)


def plural(n: int, word: str) -> str:
    """Count a word for a message: `1 value`, `2 values`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def first_row(mask: torch.Tensor) -> int:
    """Return the index of the first row of `mask` (shaped like the data) holding a True."""
    rows = mask.reshape(len(mask), -1).any(dim=1)
    return int(rows.nonzero()[0, 0])


def check_finite(t: torch.Tensor, name: str, names: Sequence[str] = ("X", "y")) -> None:
    """Refuse NaN or inf in features or targets: one of them makes every loss NaN.

    Raises:
        ValueError: Naming how many values are NaN or inf, the first row, and how to drop them.
    """
    if not t.is_floating_point():
        return
    bad = ~torch.isfinite(t)
    if not bool(bad.any()):
        return
    n_bad, n_nan = int(bad.sum()), int(t.isnan().sum())
    kinds = ", ".join(f"{n} {kind}" for n, kind in [(n_nan, "NaN"), (n_bad - n_nan, "inf")] if n)
    keep = f"torch.isfinite({name}).all(dim=1)" if t.ndim > 1 else f"torch.isfinite({name})"
    X, y = names
    raise ValueError(
        f"{name} holds {plural(n_bad, 'non-finite value')} ({kinds}), the first in row "
        f"{first_row(bad)}; expected finite numbers (one NaN makes every loss NaN); fix: drop or "
        f"fill those rows before training, e.g. keep = {keep}; {X}, {y} = {X}[keep], {y}[keep]"
    )


def check_binary_targets(y: torch.Tensor, loss_fn: object, name: str = "y") -> None:
    """Refuse targets other than 0 and 1 for `nn.BCEWithLogitsLoss` and `nn.BCELoss`.

    Raises:
        ValueError: Naming how many targets are neither 0 nor 1, the first one and its row.
    """
    if not isinstance(loss_fn, BINARY_LOSSES) or not y.is_floating_point():
        return
    bad = (y != 0) & (y != 1)
    if not bool(bad.any()):
        return
    values = torch.unique(y)
    if len(values) == 2:
        low, high = float(values[0]), float(values[1])
        fix = f"for two classes coded {low:g} and {high:g}, {name} = ({name} == {high!r}).float()"
    else:
        fix = (
            f"for class labels 0..C-1 use nn.CrossEntropyLoss, a model with C outputs and "
            f"{name} = {name}.long().squeeze(1); for real-valued targets use nn.MSELoss"
        )
    raise ValueError(
        f"{name} holds {plural(int(bad.sum()), 'value')} other than 0 and 1 (the first, "
        f"{float(y[bad][0])!r}, in row {first_row(bad)}), but {type(loss_fn).__name__} expects "
        f"targets 0. or 1. (the probability of class 1); fix: {fix}"
    )


def learning_rates(optimizer: torch.optim.Optimizer) -> str:
    """Describe the optimizer's learning rates for a message: `lr=0.1` or `lr=0.1, 0.01`."""
    rates = dict.fromkeys(float(g["lr"]) for g in optimizer.param_groups if "lr" in g)
    return "lr=" + ", ".join(map(repr, rates))


def check_optimizer(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: object) -> None:
    """Refuse an optimizer over other tensors than the model's, or with a useless learning rate.

    Raises:
        ValueError: If it holds none of the model's trainable parameters, holds tensors that
            are not the model's (or a learnable loss's), or a learning rate is not positive.
    """
    kind = type(optimizer).__name__
    kind = f"torch.optim.{kind}" if type(optimizer).__module__.startswith("torch.optim") else kind
    fix = (
        f"build the optimizer after the final model: optimizer = {kind}(model.parameters(), lr=...)"
    )
    held = [p for group in optimizer.param_groups for p in group["params"]]
    trainable = {id(p) for p in model.parameters() if p.requires_grad}
    if not trainable.intersection(map(id, held)):
        raise ValueError(
            f"optimizer holds none of the model's trainable parameters (it holds "
            f"{plural(len(held), 'other tensor')}), so training would leave the model unchanged "
            f"and the loss flat; it was probably built for another or an earlier model; {fix}"
        )
    allowed = {id(p) for p in model.parameters()}
    if isinstance(loss_fn, nn.Module):
        allowed |= {id(p) for p in loss_fn.parameters()}  # a loss with learnable weights
    stray = [tuple(p.shape) for p in held if id(p) not in allowed]
    if len(stray) == 1:
        raise ValueError(
            f"optimizer holds 1 tensor that is not a parameter of the model (shape {stray[0]}); "
            f"it was probably built for another or an earlier model; {fix}"
        )
    if stray:
        shapes = ", ".join(map(str, stray[:3])) + (", ..." if len(stray) > 3 else "")
        raise ValueError(
            f"optimizer holds {len(stray)} tensors that are not parameters of the model (shapes "
            f"{shapes}); it was probably built for another or an earlier model; {fix}"
        )
    for i, group in enumerate(optimizer.param_groups):
        lr = float(group.get("lr", 1.0))
        if math.isfinite(lr) and lr > 0:
            continue
        why = ""
        if lr == 0:
            why = ", which never changes the weights"
        elif lr < 0:
            why = ", which climbs the loss"
        raise ValueError(
            f"optimizer's param group {i} has lr={lr}{why}; expected a positive, "
            f"finite learning rate; fix: optimizer = {kind}(model.parameters(), lr=0.01)"
        )
