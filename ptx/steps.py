"""One training step and one evaluation, with the input checks and mode handling they share."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn

from ptx.checks import (
    check_features,
    check_loss_inputs,
    check_same_device,
    check_same_length,
    check_target,
)
from ptx.metrics import accuracy

Metric = Callable[[torch.Tensor, torch.Tensor], float]

__all__ = ["eval_mode", "evaluate", "train_step"]


@contextmanager
def eval_mode(model: nn.Module) -> Iterator[nn.Module]:
    """Run a block in eval mode under `torch.inference_mode()`, then restore every module's mode.

    Args:
        model: The model to switch.

    Yields:
        The model, in eval mode.
    """
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.inference_mode():
            yield model
    finally:
        for module, training in modes:
            module.training = training


def _check_model(model: object, loss_fn: object, optimizer: object = None) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a loss such as nn.MSELoss(), got {loss_fn!r}")
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be a torch.optim.Optimizer such as "
            f"torch.optim.SGD(model.parameters(), lr=0.01), got {type(optimizer).__name__}"
        )


def _check_data(
    model: nn.Module,
    X: object,
    y: object,
    loss_fn: object,
    names: Sequence[str] = ("X", "y"),
    n_features: int | None = None,
) -> None:
    dtypes = [p.dtype for p in model.parameters() if p.is_floating_point()]
    check_features(X, names[0], n_features, dtype=dtypes[0] if dtypes else torch.float32)
    check_target(y, loss_fn, names[1])
    check_same_length(X, y, names)
    check_same_device(model, X, y, names=("model", *names))


def _resolve_metric(metric: str | Metric | None) -> tuple[Metric | None, str | None]:
    if metric is None:
        return None, None
    if metric == "accuracy":
        return accuracy, "acc"
    if isinstance(metric, str) or not callable(metric):
        raise ValueError(
            f"metric must be None, 'accuracy' or a function (y_logits, y) -> float, got {metric!r}"
        )
    return metric, getattr(metric, "__name__", "metric")


def _forward(model: nn.Module, X: torch.Tensor, name: str) -> torch.Tensor:
    try:
        return model(X)
    except RuntimeError as exc:
        if "cannot be multiplied" not in str(exc):
            raise
        raise ValueError(
            f"{name} has shape {tuple(X.shape)}, which does not fit the model's first layer "
            f"({exc}); expected as many feature columns as its in_features"
        ) from exc


def _step(
    model, X, y, loss_fn, optimizer, names: Sequence[str] = ("X", "y")
) -> tuple[torch.Tensor, torch.Tensor]:
    y_pred = _forward(model, X, names[0])  # forward pass
    check_loss_inputs(y_pred, y, loss_fn, names=("y_pred", names[1]))
    loss = loss_fn(y_pred, y)
    optimizer.zero_grad()
    loss.backward()  # backpropagation
    optimizer.step()
    return loss.detach(), y_pred.detach()


def _evaluate(
    model, X, y, loss_fn, metric_fn, names: Sequence[str] = ("X", "y")
) -> tuple[float, float | None]:
    with eval_mode(model):
        y_pred = _forward(model, X, names[0])
        check_loss_inputs(y_pred, y, loss_fn, names=("y_pred", names[1]))
        loss = loss_fn(y_pred, y).item()
        score = None if metric_fn is None else float(metric_fn(y_pred, y))
    return loss, score


def train_step(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    loss_fn: nn.Module,
    optimizer: torch.optim.Optimizer,
) -> float:
    """Take one optimization step on a batch, in train mode.

    Args:
        model: The model to train.
        X: Features `(N, D)`, on the model's device.
        y: Targets: float `(N, 1)`, or int64 `(N,)` for `nn.CrossEntropyLoss`.
        loss_fn: The loss function.
        optimizer: An optimizer over the model's parameters.

    Returns:
        The loss before the step.

    Raises:
        TypeError: If an argument has the wrong type or dtype (e.g. float labels for
            `nn.CrossEntropyLoss`).
        ValueError: If shapes or devices do not fit together.
    """
    _check_model(model, loss_fn, optimizer)
    _check_data(model, X, y, loss_fn)
    model.train()
    loss, _ = _step(model, X, y, loss_fn, optimizer)
    return loss.item()


def evaluate(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    loss_fn: nn.Module,
    metric: str | Metric | None = None,
) -> tuple[float, float | None]:
    """Compute the loss (and a metric) in eval mode, then restore the model's mode.

    Args:
        model: The model to evaluate.
        X: Features `(N, D)`, on the model's device.
        y: Targets matching the loss function.
        loss_fn: The loss function.
        metric: None, `"accuracy"` or a function `(y_logits, y) -> float`.

    Returns:
        `(loss, metric)`, metric None without one.

    Raises:
        TypeError: If an argument has the wrong type or dtype.
        ValueError: If shapes or devices do not fit together or `metric` is unknown.
    """
    _check_model(model, loss_fn)
    _check_data(model, X, y, loss_fn)
    metric_fn, _ = _resolve_metric(metric)
    return _evaluate(model, X, y, loss_fn, metric_fn)
