"""Accuracy, counted exactly, with the task and number of classes read from the data; and a
TorchMetrics metric that fits the labels."""

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
from ptx.guards import first_row

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


def _refuse_non_logits(y_logits: torch.Tensor, task: str) -> None:
    """Refuse NaN outputs, and binary outputs that all lie in [0, 1] (probabilities or labels)."""
    nan = y_logits.isnan()
    if bool(nan.any()):
        n = int(nan.sum())
        raise ValueError(
            f"y_logits holds {n} NaN value{'s' if n != 1 else ''}, the first in row "
            f"{first_row(nan)}; the accuracy of NaN outputs means nothing (it would count as "
            f"a guess): the model's weights or inputs hold NaN, usually because training "
            f"diverged; fix: retrain with a smaller learning rate, or load good weights"
        )
    if task == "binary" and bool(((y_logits >= 0) & (y_logits <= 1)).all()):
        raise ValueError(
            "y_logits holds only values between 0 and 1: these look like probabilities "
            "(torch.sigmoid(y_logits)) or predicted labels, but accuracy takes logits: it reads "
            "a logit above 0 as class 1, so probabilities would all count as class 1; fix: pass "
            "the raw model output, ptx.accuracy(model(X), y), before any torch.sigmoid; if these "
            "really are logits that all lie in [0, 1], compute it directly: "
            "((y_logits > 0).float() == y).float().mean()"
        )


def _accuracy(
    y_logits: torch.Tensor,
    y: torch.Tensor,
    num_classes: int | None = None,
    threshold: float = 0.0,
    logits_only: bool = False,
) -> float:
    """Accuracy from model outputs; binary outputs above `threshold` predict class 1.

    `fit` and `evaluate` pass the model's own outputs: logits (threshold 0) or, under
    `nn.BCELoss`, probabilities (threshold 0.5). `logits_only` refuses anything else.
    """
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
    if task == "binary" and not torch.all((y == 0) | (y == 1)):
        raise ValueError("y holds values other than 0 and 1, expected binary labels")
    if logits_only:
        _refuse_non_logits(y_logits, task)
    # binary: a logit above 0 is a probability above 0.5; multiclass: the largest output wins
    y_pred = (y_logits > threshold).to(y.dtype) if task == "binary" else y_logits.argmax(dim=1)
    # counted, then divided in Python: 57 right of 60 is 0.95, where float32 says 0.9499999
    # (and `accuracy >= 0.95` would be False)
    return int((y_pred == y).sum()) / len(y)


def accuracy(y_logits: torch.Tensor, y: torch.Tensor, num_classes: int | None = None) -> float:
    """Compute the share of correct predictions from logits.

    Binary: y is float `(N, 1)` and a logit above 0 predicts 1. Probabilities
    (`torch.sigmoid(y_logits)`) or 0/1 labels are refused: every value would lie in [0, 1]
    and count as class 1. Multiclass: y is int64 `(N,)` and the argmax of the `(N, C)`
    outputs is the prediction; probabilities (`torch.softmax(y_logits, dim=1)`) have the same
    argmax as the logits, so they are accepted and give the same accuracy. NaN outputs are
    refused.

    Args:
        y_logits: Raw model outputs (for multiclass, probabilities also do).
        y: The true labels.
        num_classes: Optional check on the number of classes.

    Returns:
        Accuracy as a fraction between 0 and 1.

    Raises:
        TypeError: If an argument is not a tensor or has the wrong dtype.
        ValueError: If shapes, devices, labels or `num_classes` disagree, an output is NaN,
            or binary outputs all lie in [0, 1] (probabilities or labels, not logits).

    Taught in: Multiclass classification (classification/multiclass.md).
    """
    return _accuracy(y_logits, y, num_classes, logits_only=True)


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
