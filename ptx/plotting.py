"""Plots for the chapters: data and predictions, decision boundaries, and training curves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from ptx.checks import check_features, check_same_length, check_tensor
from ptx.forward import call_model, input_mismatch
from ptx.history import History
from ptx.steps import eval_mode

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def to_numpy(t: torch.Tensor | np.ndarray) -> np.ndarray:
    """Turn a tensor on any device into a NumPy array (detached, on the CPU).

    Args:
        t: A tensor (or an array, returned as it is).

    Returns:
        The values as a NumPy array.

    Raises:
        TypeError: If `t` is neither a tensor nor an array.

    Taught in: Autograd: how PyTorch computes gradients (autograd.md).
    """
    if isinstance(t, np.ndarray):
        return t
    check_tensor(t, "t")
    return t.detach().cpu().numpy()


def _axes(ax: Axes | None) -> Axes:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def plot_predictions(
    X_train: torch.Tensor,
    y_train: torch.Tensor,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
    predictions: torch.Tensor | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Scatter training data, test data and, if given, predictions for the test data.

    Args:
        X_train: Training inputs `(N, 1)`.
        y_train: Training targets `(N, 1)`.
        X_test: Test inputs `(M, 1)`.
        y_test: Test targets `(M, 1)`.
        predictions: Predictions for `X_test`, `(M, 1)`, or None.
        ax: Axes to draw on; None makes a new figure.

    Returns:
        The Axes drawn on.

    Raises:
        TypeError: If an argument is not a tensor.
        ValueError: If inputs and targets have different lengths.

    Taught in: The workflow on linear regression (linear-regression.md).
    """
    check_same_length(X_train, y_train, names=("X_train", "y_train"))
    check_same_length(X_test, y_test, names=("X_test", "y_test"))
    ax = _axes(ax)
    ax.scatter(to_numpy(X_train), to_numpy(y_train), c="b", s=4, label="Training data")
    ax.scatter(to_numpy(X_test), to_numpy(y_test), c="g", s=4, label="Test data")
    if predictions is not None:
        check_same_length(X_test, predictions, names=("X_test", "predictions"))
        ax.scatter(to_numpy(X_test), to_numpy(predictions), c="r", s=4, label="Predictions")
    ax.set(title="Data and predictions", xlabel="X", ylabel="y")
    ax.legend()
    return ax


def _model_device_dtype(model: nn.Module) -> tuple[torch.device, torch.dtype]:
    params = [p for p in model.parameters() if p.is_floating_point()]
    return (params[0].device, params[0].dtype) if params else (torch.device("cpu"), torch.float32)


# (region tint, point colour) per class: class 0 orange, 1 blue, 2 green, 3 purple, ...
_CLASS_COLORS = [
    ("#fdd9b5", "#d95f02"),
    ("#c6dbef", "#2166ac"),
    ("#c7e9c0", "#1b7837"),
    ("#dadaeb", "#6a3d9a"),
    ("#fcd5e5", "#c2185b"),
    ("#e8dccb", "#8c510a"),
    ("#d9d9d9", "#404040"),
    ("#c9ecec", "#00796b"),
]


def _predict_grid(model: nn.Module, grid: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    """Run the model on the grid; if its first layer does not take 2 features, say so."""
    try:
        return call_model(model, grid, "grid")
    except ValueError as exc:
        cause = exc.__cause__
        found = input_mismatch(model, grid, cause) if isinstance(cause, RuntimeError) else None
        if found is None:
            raise
        layer, n_in = found
        raise ValueError(
            f"X has shape {tuple(X.shape)}, but the model's first layer ({layer}) takes "
            f"in_features={n_in}; plot_decision_boundary shades the plane of X's 2 features, so "
            f"it needs a model that takes 2 features (in_features=2), such as the one trained on X"
        ) from cause


def plot_decision_boundary(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    ax: Axes | None = None,
    resolution: int = 200,
) -> Axes:
    """Shade the class a model predicts over the plane and scatter the data on top.

    One output is a binary model (logit > 0 is class 1); more outputs are classes (argmax).
    The grid is built on the model's device; the model, its mode and the data stay as they were.

    Args:
        model: A classifier taking 2 features.
        X: Features `(N, 2)`, on any device.
        y: Labels `(N, 1)` or `(N,)`, on any device.
        ax: Axes to draw on; None makes a new figure.
        resolution: Grid points along each axis.

    Returns:
        The Axes drawn on.

    Raises:
        TypeError: If `model` is not an `nn.Module`, `X` is not float features, or the model
            returns something other than a tensor.
        ValueError: If `X` is not `(N, 2)`, `y` has another length, `resolution` < 2, or
            the model's first layer does not take 2 features.

    Taught in: Binary classification (classification/binary.md).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    device, dtype = _model_device_dtype(model)
    check_features(X, "X", n_features=2, dtype=None)
    check_tensor(y, "y")
    check_same_length(X, y)
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int of at least 2, got {resolution!r}")
    X_np = to_numpy(X).astype(np.float64)
    xx, yy = _grid_around(X_np, resolution)
    grid = torch.tensor(np.c_[xx.ravel(), yy.ravel()], dtype=dtype, device=device)
    with eval_mode(model):
        y_logits = _predict_grid(model, grid, X)
    if y_logits.ndim == 1 or y_logits.shape[1] == 1:
        n_classes = 2
        y_pred = (y_logits.reshape(-1) > 0).long()  # binary: logit > 0 means class 1
    else:
        n_classes = y_logits.shape[1]
        y_pred = y_logits.argmax(dim=1)  # multiclass: the largest logit wins
    ax = _axes(ax)
    zz = to_numpy(y_pred).reshape(resolution, resolution)
    _draw_regions_and_points(ax, (xx, yy, zz), X_np, to_numpy(y).ravel(), n_classes)
    ax.set(title="Decision boundary", xlabel="X[:, 0]", ylabel="X[:, 1]")
    return ax


def _grid_around(X_np: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """A resolution x resolution grid over the data, with a margin of a tenth on each side."""
    low, high = X_np.min(axis=0), X_np.max(axis=0)
    margin = np.maximum((high - low) * 0.1, 0.1)
    return np.meshgrid(
        np.linspace(low[0] - margin[0], high[0] + margin[0], resolution),
        np.linspace(low[1] - margin[1], high[1] + margin[1], resolution),
    )


def _draw_regions_and_points(ax, surface, X_np, labels, n_classes: int) -> None:
    """Each class's region as a light tint, its points in the same hue, darker, on top."""
    from matplotlib.colors import ListedColormap

    xx, yy, zz = surface
    levels = np.arange(n_classes + 1) - 0.5  # one band per class, the same hue as its points
    tints = [_CLASS_COLORS[i % len(_CLASS_COLORS)][0] for i in range(n_classes)]
    darks = [_CLASS_COLORS[i % len(_CLASS_COLORS)][1] for i in range(n_classes)]
    # rasterized: a bitmap inside an SVG, far smaller than thousands of vector paths
    ax.contourf(xx, yy, zz, levels=levels, cmap=ListedColormap(tints)).set_rasterized(True)
    ax.scatter(
        *X_np.T,
        c=labels,
        s=14,
        cmap=ListedColormap(darks),
        vmin=levels[0],
        vmax=levels[-1],
        edgecolors="#222222",
        linewidths=0.5,
        rasterized=True,
    )


def _check_history(history: object) -> None:
    if not isinstance(history, History):
        raise TypeError(
            f"history must be the History that fit returns, got {type(history).__name__}"
        )
    if not history.epochs:
        raise ValueError("history is empty; train with fit() first")


def plot_loss_curves(history: History, ax: Axes | None = None) -> Axes:
    """Plot the training and validation loss against the epoch, as `fit` recorded them.

    Args:
        history: The History from `fit`.
        ax: Axes to draw on; None makes a new figure.

    Returns:
        The Axes drawn on.

    Raises:
        TypeError: If `history` is not a History.
        ValueError: If `history` is empty.
    """
    _check_history(history)
    ax = _axes(ax)
    ax.plot(history.epochs, history.train_loss, label="Train")
    ax.plot(history.epochs, history.val_loss, label="Validation")
    ax.set(title="Loss curves", xlabel="Epoch", ylabel="Loss")
    ax.legend()
    return ax


def plot_metric_curves(history: History, ax: Axes | None = None) -> Axes:
    """Plot the training and validation metric (e.g. accuracy) against the epoch.

    Args:
        history: The History from `fit` run with a metric.
        ax: Axes to draw on; None makes a new figure.

    Returns:
        The Axes drawn on.

    Raises:
        TypeError: If `history` is not a History.
        ValueError: If `history` is empty or recorded no metric.
    """
    _check_history(history)
    if history.metric_name is None or None in history.val_metric:
        raise ValueError("history recorded no metric; pass metric='accuracy' to fit()")
    name = "Accuracy" if history.metric_name == "acc" else history.metric_name
    ax = _axes(ax)
    ax.plot(history.epochs, history.train_metric, label="Train")
    ax.plot(history.epochs, history.val_metric, label="Validation")
    ax.set(title=f"{name} curves", xlabel="Epoch", ylabel=name)
    ax.legend()
    return ax
