"""One training step and one evaluation, with the input checks and mode handling they share."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial

import torch
from torch import nn

from ptx.checks import (
    check_features,
    check_loss_inputs,
    check_same_device,
    check_same_length,
    check_target,
)
from ptx.divergence import check_gradients, check_loss, non_finite_loss
from ptx.forward import call_model
from ptx.guards import check_binary_targets, check_finite, check_optimizer
from ptx.metrics import _accuracy, accuracy

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
    check_finite(X, names[0], names)
    check_finite(y, names[1], names)
    check_binary_targets(y, loss_fn, names[1])


def _resolve_metric(
    metric: str | Metric | None, loss_fn: object = None
) -> tuple[Metric | None, str | None]:
    if metric is None:
        return None, None
    if (isinstance(metric, str) and metric == "accuracy") or metric is accuracy:
        # the model's own outputs: logits, or probabilities when the loss is nn.BCELoss
        threshold = 0.5 if isinstance(loss_fn, nn.BCELoss) else 0.0
        return partial(_accuracy, threshold=threshold), "acc"
    if isinstance(metric, str) or not callable(metric):
        raise ValueError(
            f"metric must be None, 'accuracy' or a function (y_logits, y) -> float, got {metric!r}"
        )
    return metric, getattr(metric, "__name__", "metric")


def _step(
    model, X, y, loss_fn, optimizer, names: Sequence[str] = ("X", "y"), guard: bool = False
) -> tuple[torch.Tensor, torch.Tensor]:
    """One step; `guard` refuses a non-finite loss or gradient before stepping (one sync each)."""
    y_pred = call_model(model, X, names[0])  # forward pass
    check_loss_inputs(y_pred, y, loss_fn, names=("y_pred", names[1]))
    loss = loss_fn(y_pred, y)
    if guard:
        check_loss(loss, optimizer)
    optimizer.zero_grad()
    loss.backward()  # backpropagation
    if guard:
        check_gradients(model, optimizer)
    optimizer.step()
    return loss.detach(), y_pred.detach()


def _evaluate(
    model, X, y, loss_fn, metric_fn, names: Sequence[str] = ("X", "y")
) -> tuple[float, float | None]:
    """Loss and metric in eval mode; a non-finite loss comes back as it is, with no metric."""
    with eval_mode(model):
        y_pred = call_model(model, X, names[0])
        check_loss_inputs(y_pred, y, loss_fn, names=("y_pred", names[1]))
        loss = loss_fn(y_pred, y).item()
        if not math.isfinite(loss) or metric_fn is None:
            return loss, None
        return loss, float(metric_fn(y_pred, y))


def train_step(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    loss_fn: nn.Module,
    optimizer: torch.optim.Optimizer,
) -> float:
    """Take one optimization step on a batch, in train mode.

    The step is not taken when the loss or a gradient is NaN or inf: stepping on it would
    overwrite every weight with NaN.

    Args:
        model: The model to train.
        X: Features `(N, D)`, on the model's device.
        y: Targets: float `(N, 1)`, or int64 `(N,)` for `nn.CrossEntropyLoss`.
        loss_fn: The loss function.
        optimizer: An optimizer over `model.parameters()`, built after the final model.

    Returns:
        The loss before the step.

    Raises:
        TypeError: If an argument has the wrong type or dtype (e.g. float labels for
            `nn.CrossEntropyLoss`), or the model returns something other than a tensor.
        ValueError: If shapes or devices do not fit together, the data holds NaN or inf,
            binary targets are not 0 or 1, or the optimizer holds other tensors than the
            model's or a learning rate that is not positive.
        FloatingPointError: If the loss or a gradient is not finite (no step is taken).

    Taught in: The workflow on linear regression (linear-regression.md).
    """
    _check_model(model, loss_fn, optimizer)
    _check_data(model, X, y, loss_fn)
    check_optimizer(model, optimizer, loss_fn)
    model.train()
    loss, _ = _step(model, X, y, loss_fn, optimizer, guard=True)
    return loss.item()


def evaluate(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    loss_fn: nn.Module,
    metric: str | Metric | None = None,
) -> tuple[float, float | None]:
    """Compute the loss (and a metric) in eval mode, then restore the model's mode.

    This is how to measure the test set: once, at the end, after `fit` chose the weights on
    the validation set. Choosing anything on the test set makes its number optimistic.

    Args:
        model: The model to evaluate.
        X: Features `(N, D)`, on the model's device.
        y: Targets matching the loss function.
        loss_fn: The loss function.
        metric: None, `"accuracy"` or a function `(y_logits, y) -> float`.

    Returns:
        `(loss, metric)`, metric None without one.

    Raises:
        TypeError: If an argument has the wrong type or dtype, or the model returns
            something other than a tensor.
        ValueError: If shapes or devices do not fit together, the data holds NaN or inf,
            binary targets are not 0 or 1, or `metric` is unknown.
        FloatingPointError: If the loss is not finite (the weights hold NaN or inf).

    Taught in: Binary classification (classification/binary.md).
    """
    _check_model(model, loss_fn)
    _check_data(model, X, y, loss_fn)
    metric_fn, _ = _resolve_metric(metric, loss_fn)
    loss, score = _evaluate(model, X, y, loss_fn, metric_fn)
    if not math.isfinite(loss):
        raise non_finite_loss(model, loss)
    return loss, score
