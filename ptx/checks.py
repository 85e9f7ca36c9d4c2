"""Shape, dtype and device checks at the package's boundaries, with messages that teach the fix."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def check_tensor(x: object, name: str = "X") -> None:
    """Check that an argument is a tensor.

    Args:
        x: The value to check.
        name: The argument's name, used in the message.

    Raises:
        TypeError: If `x` is not a `torch.Tensor`.
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor, got {type(x).__name__}; "
            f"fix: {name} = torch.tensor({name}, dtype=torch.float32) (or torch.from_numpy({name}))"
        )


def check_positive_int(value: object, name: str) -> None:
    """Check that an argument is a positive int (epochs, batch sizes, sample counts).

    Args:
        value: The value to check.
        name: The argument's name, used in the message.

    Raises:
        TypeError: If `value` is not an int.
        ValueError: If `value` is zero or negative.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")


def check_features(
    X: object,
    name: str = "X",
    n_features: int | None = None,
    dtype: torch.dtype | None = torch.float32,
) -> None:
    """Check that features are a non-empty `(N, D)` tensor of the expected dtype.

    Args:
        X: The features to check.
        name: The argument's name, used in the message.
        n_features: The expected number of columns `D`, or None for any.
        dtype: The expected dtype (the model's parameter dtype); None accepts any float dtype.

    Raises:
        TypeError: If `X` is not a tensor or has the wrong dtype.
        ValueError: If `X` has the wrong shape or no rows.
    """
    check_tensor(X, name)
    if dtype is None and not X.is_floating_point():
        raise TypeError(
            f"{name} has dtype {X.dtype}, expected float features; fix: {name} = {name}.float()"
        )
    if dtype is not None and X.dtype != dtype:
        fix = f"{name}.float()" if dtype == torch.float32 else f"{name}.to({dtype})"
        raise TypeError(f"{name} has dtype {X.dtype}, expected {dtype}; fix: {name} = {fix}")
    if X.ndim < 2:
        raise ValueError(
            f"{name} has shape {_shape(X)}, expected (N, D) with one row per sample; "
            f"fix: {name} = {name}.unsqueeze(1)"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {_shape(X)}), expected at least one sample")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(
            f"{name} has shape {_shape(X)}, expected {n_features} feature columns (N, {n_features})"
        )


def check_target(y: object, loss_fn: object = None, name: str = "y") -> None:
    """Check that targets have the dtype and shape the loss function expects.

    Args:
        y: The targets to check.
        loss_fn: The loss function; `nn.CrossEntropyLoss` wants int64 `(N,)` class labels,
            other built-in losses want float targets.
        name: The argument's name, used in the message.

    Raises:
        TypeError: If `y` is not a tensor or its dtype does not suit the loss.
        ValueError: If `y` is empty or shaped wrongly for the loss.
    """
    check_tensor(y, name)
    if y.ndim == 0 or y.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {_shape(y)}), expected one target per sample")
    loss_name = type(loss_fn).__name__
    if isinstance(loss_fn, nn.CrossEntropyLoss | nn.NLLLoss):
        if y.dtype != torch.int64:
            raise TypeError(
                f"{name} has dtype {y.dtype}, but {loss_name} expects class labels of dtype "
                f"torch.int64 shaped (N,); fix: {name} = {name}.long()"
            )
        if y.ndim != 1:
            fix = f"; fix: {name} = {name}.squeeze(1)" if y.ndim == 2 and y.shape[1] == 1 else ""
            raise ValueError(
                f"{name} has shape {_shape(y)}, but {loss_name} expects class labels shaped (N,){fix}"
            )
    elif isinstance(loss_fn, nn.modules.loss._Loss) and not y.is_floating_point():
        raise TypeError(
            f"{name} has dtype {y.dtype}, but {loss_name} expects float targets shaped like the "
            f"model output, e.g. (N, 1); fix: {name} = {name}.float()"
        )


def check_same_length(X: torch.Tensor, y: torch.Tensor, names: Sequence[str] = ("X", "y")) -> None:
    """Check that features and targets have the same number of samples.

    Args:
        X: The features.
        y: The targets.
        names: The two arguments' names, used in the message.

    Raises:
        ValueError: If the first dimensions differ.
    """
    if len(X) != len(y):
        raise ValueError(
            f"{names[0]} has {len(X)} samples (shape {_shape(X)}) but {names[1]} has {len(y)} "
            f"(shape {_shape(y)}); expected one target per sample"
        )


def check_same_shape(
    y_pred: torch.Tensor, y: torch.Tensor, names: Sequence[str] = ("y_pred", "y")
) -> None:
    """Check that predictions and targets have the same shape, so the loss does not broadcast.

    Args:
        y_pred: The model output.
        y: The targets.
        names: The two arguments' names, used in the message.

    Raises:
        ValueError: If the shapes differ; the message names both shapes and the fix.
    """
    p, t = names
    if y_pred.shape == y.shape:
        return
    fix = ""
    if _shape(y_pred) == (*_shape(y), 1):
        fix = f"; fix: {t} = {t}.unsqueeze(1) or {p} = {p}.squeeze(1)"
    elif _shape(y) == (*_shape(y_pred), 1):
        fix = f"; fix: {t} = {t}.squeeze(1) or {p} = {p}.unsqueeze(1)"
    raise ValueError(
        f"{p} has shape {_shape(y_pred)} but {t} has shape {_shape(y)}; expected the same shape "
        f"(a loss would silently broadcast them){fix}"
    )


def check_logits_labels(
    y_logits: torch.Tensor, y: torch.Tensor, names: Sequence[str] = ("y_logits", "y")
) -> None:
    """Check multiclass logits `(N, C)` against int64 labels `(N,)`.

    Args:
        y_logits: The model output, one column per class.
        y: The class labels.
        names: The two arguments' names, used in the message.

    Raises:
        ValueError: If the shapes do not fit together.
    """
    if y_logits.ndim != 2 or y_logits.shape[1] < 2:
        raise ValueError(
            f"{names[0]} has shape {_shape(y_logits)}, expected (N, C) with one column per class "
            f"(C >= 2); give the model's last layer out_features=C"
        )
    check_same_length(y_logits, y, names)


def check_loss_inputs(
    y_pred: torch.Tensor, y: torch.Tensor, loss_fn: object, names: Sequence[str] = ("y_pred", "y")
) -> None:
    """Check a model output against its targets in the way the loss function needs.

    Args:
        y_pred: The model output.
        y: The targets.
        loss_fn: The loss function.
        names: The two arguments' names, used in the message.

    Raises:
        ValueError: If the shapes do not fit the loss.
    """
    if isinstance(loss_fn, nn.CrossEntropyLoss | nn.NLLLoss):
        check_logits_labels(y_pred, y, names)
    else:
        check_same_shape(y_pred, y, names)


def _device_of(x: nn.Module | torch.Tensor) -> torch.device | None:
    if isinstance(x, torch.Tensor):
        return x.device
    tensors = [*x.parameters(), *x.buffers()]
    return tensors[0].device if tensors else None


def check_same_device(
    model_or_tensor: nn.Module | torch.Tensor,
    *tensors: torch.Tensor,
    names: Sequence[str] | None = None,
) -> None:
    """Check that a model (or tensor) and tensors all live on one device.

    Args:
        model_or_tensor: A model (its parameters' device counts) or a tensor.
        *tensors: Tensors that must be on the same device.
        names: Names for `model_or_tensor` and each tensor, used in the message.

    Raises:
        ValueError: If they are on different devices; the message names each device.
    """
    items = [model_or_tensor, *tensors]
    if names is None:
        first = "model" if isinstance(model_or_tensor, nn.Module) else "tensor 0"
        names = [first, *(f"tensor {i}" for i in range(1, len(items)))]
    placed = [(n, _device_of(x)) for n, x in zip(names, items, strict=True)]
    placed = [(n, d) for n, d in placed if d is not None]
    if len({d for _, d in placed}) > 1:
        where = ", ".join(f"{n} is on {d}" for n, d in placed)
        raise ValueError(
            f"{where}; expected one device; fix: move them together with "
            f".to(device), e.g. model.to(device) and X = X.to(device)"
        )
