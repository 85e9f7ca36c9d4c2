"""Accuracy via TorchMetrics, with the task and number of classes read from the data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from ptx.checks import (
    check_logits_labels,
    check_positive_int,
    check_same_device,
    check_same_shape,
    check_tensor,
)

if TYPE_CHECKING:
    import torchmetrics


def _task(y: torch.Tensor, num_classes: int | None, width: int | None) -> tuple[str, int]:
    """Infer `("binary", 2)` or `("multiclass", C)` from labels and, if given, the logits' width."""
    check_tensor(y, "y")
    if y.ndim == 0 or len(y) == 0:
        raise ValueError(f"y is empty (shape {tuple(y.shape)}), expected at least one label")
    if y.is_floating_point() and y.ndim == 2 and y.shape[1] == 1:
        if num_classes not in (None, 2):
            raise ValueError(f"num_classes={num_classes}, but y holds binary labels (N, 1)")
        return "binary", 2
    if y.dtype == torch.int64 and y.ndim == 1:
        classes = width if width is not None else num_classes or int(y.max()) + 1
        if num_classes is not None and num_classes != classes:
            raise ValueError(
                f"num_classes={num_classes}, but y_logits has {width} columns, one per class; "
                f"pass num_classes={width} or leave it out"
            )
        if int(y.min()) < 0 or int(y.max()) >= classes:
            raise ValueError(
                f"y holds labels from {int(y.min())} to {int(y.max())}, "
                f"expected labels 0..{classes - 1} for {classes} classes"
            )
        return "multiclass", classes
    fix = "y = y.float() (binary, shaped (N, 1)) or y = y.long() (multiclass, shaped (N,))"
    if y.ndim == 2 and y.shape[1] == 1 and not y.is_floating_point():
        fix = "y = y.float() for binary labels, or y = y.squeeze(1) for multiclass labels"
    elif y.ndim == 1 and y.is_floating_point():
        fix = "y = y.unsqueeze(1) for binary labels, or y = y.long() for multiclass labels"
    raise TypeError(
        f"y has dtype {y.dtype} and shape {tuple(y.shape)}; expected float (N, 1) binary labels "
        f"or int64 (N,) class labels; fix: {fix}"
    )


def accuracy(y_logits: torch.Tensor, y: torch.Tensor, num_classes: int | None = None) -> float:
    """Compute the share of correct predictions from logits.

    Binary: y is float `(N, 1)` and a logit above 0 predicts 1. Multiclass: y is int64
    `(N,)` and the argmax of the `(N, C)` logits is the prediction.

    Args:
        y_logits: Raw model outputs, not probabilities or predicted labels.
        y: The true labels.
        num_classes: Optional check on the number of classes.

    Returns:
        Accuracy as a fraction between 0 and 1.

    Raises:
        TypeError: If an argument is not a tensor or has the wrong dtype.
        ValueError: If shapes, devices, labels or `num_classes` disagree.
    """
    from torchmetrics.functional import accuracy as tm_accuracy

    check_tensor(y_logits, "y_logits")
    if not y_logits.is_floating_point():
        raise TypeError(
            f"y_logits has dtype {y_logits.dtype}, expected float logits (the model's raw "
            f"output); pass model(X), not predicted labels"
        )
    check_tensor(y, "y")
    check_same_device(y_logits, y, names=("y_logits", "y"))
    width = None
    if y.is_floating_point():
        check_same_shape(y_logits, y, names=("y_logits", "y"))
    elif y.dtype == torch.int64 and y.ndim == 1:
        check_logits_labels(y_logits, y)
        width = y_logits.shape[1]
    task, classes = _task(y, num_classes, width)
    if task == "binary":
        if not torch.all((y == 0) | (y == 1)):
            raise ValueError("y holds values other than 0 and 1, expected binary labels")
        preds = (y_logits > 0).long()  # a logit above 0 is a probability above 0.5
        return float(tm_accuracy(preds, y.long(), task="binary"))
    return float(tm_accuracy(y_logits, y, task="multiclass", num_classes=classes, average="micro"))


def make_accuracy(y: torch.Tensor, num_classes: int | None = None) -> torchmetrics.Metric:
    """Make a TorchMetrics accuracy metric whose task and classes fit the labels.

    Binary metrics read floats in [0, 1] as probabilities, so feed them
    `torch.sigmoid(y_logits)`; multiclass metrics take the logits.

    Args:
        y: Labels: float `(N, 1)` for binary, int64 `(N,)` for multiclass.
        num_classes: Number of classes; None reads it from the largest label, so pass it
            when a class may be missing from `y`.

    Returns:
        A `torchmetrics` accuracy metric on `y`'s device.

    Raises:
        TypeError: If `y` is not a tensor of a label dtype and shape.
        ValueError: If `num_classes` disagrees with the labels.
    """
    import torchmetrics

    if num_classes is not None:
        check_positive_int(num_classes, "num_classes")
    task, classes = _task(y, num_classes, None)
    if task == "binary":
        return torchmetrics.Accuracy(task="binary").to(y.device)
    metric = torchmetrics.Accuracy(task="multiclass", num_classes=classes, average="micro")
    return metric.to(y.device)
