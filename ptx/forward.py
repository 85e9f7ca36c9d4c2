"""Call a model and check what comes back, so a mistake is named where it was made.

A shape mismatch names the model's first layer and its `in_features` (or says the layers do not
fit each other); an output that is not a tensor (a tuple, a dict, None) is refused with the fix.
Internal: the training steps and `plot_decision_boundary` call `call_model`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import torch
from torch import nn


def _describe(value: object) -> str:
    return (
        f"Tensor {tuple(value.shape)}" if isinstance(value, torch.Tensor) else type(value).__name__
    )


def check_output(output: object) -> None:
    """Refuse a model output that is not a tensor (a tuple, a dict, None).

    Raises:
        TypeError: Naming what the model returned and how to return a tensor.
    """
    if isinstance(output, torch.Tensor):
        return
    fix = "return a tensor from forward"
    if isinstance(output, tuple | list):
        items = ", ".join(map(_describe, output[:3])) + (", ..." if len(output) > 3 else "")
        got = f"a {type(output).__name__} of {len(output)} ({items})"
        fix += " (if the prediction comes first, return just that: output[0])"
    elif isinstance(output, Mapping):
        got = f"a {type(output).__name__} with keys {', '.join(map(repr, output))}"
        fix += f", e.g. return output[{next(iter(output), 'key')!r}]"
    elif output is None:
        got = "None"
        fix += " (does forward end with return?)"
    else:
        got = f"a {type(output).__name__}"
    raise TypeError(f"model returned {got}, expected one tensor of predictions; fix: {fix}")


def first_layer(model: nn.Module) -> tuple[str, int] | None:
    """Describe the first submodule with `in_features`: `("layers.0: Linear", 2)`, or None."""
    for name, module in model.named_modules():
        n_in = getattr(module, "in_features", None)
        if isinstance(n_in, int) and n_in > 0:
            kind = type(module).__name__
            return (f"{name}: {kind}" if name else kind), n_in
    return None


def input_mismatch(model: nn.Module, X: torch.Tensor, exc: RuntimeError) -> tuple[str, int] | None:
    """Read a matmul error: the model's first layer if it is the one `X` does not fit, else None."""
    found = first_layer(model)
    sizes = re.search(r"\((\d+)x(\d+) and (\d+)x(\d+)\)", str(exc))
    if found is None or sizes is None:
        return None
    columns, rows = int(sizes[2]), int(sizes[3])
    if columns == X.shape[-1] and rows == found[1] != columns:
        return found
    return None


def call_model(model: nn.Module, X: torch.Tensor, name: str = "X") -> torch.Tensor:
    """Run the forward pass and check its output, naming `X`'s shape if the first layer refuses it.

    Raises:
        ValueError: If `X` does not fit the first layer, or the layers do not fit each other.
        TypeError: If the model returns something other than a tensor.
    """
    try:
        output = model(X)
    except RuntimeError as exc:
        if "cannot be multiplied" not in str(exc):
            raise
        found = input_mismatch(model, X, exc)
        if found is not None:
            layer, n_in = found
            raise ValueError(
                f"{name} has shape {tuple(X.shape)}, which does not fit the model's first layer "
                f"({layer}, in_features={n_in}); expected {n_in} feature columns, shaped "
                f"(N, {n_in})"
            ) from exc
        if first_layer(model) is not None:
            raise ValueError(
                f"the model's layers do not fit together ({exc}); each layer's in_features must "
                f"equal the out_features of the layer before it"
            ) from exc
        raise ValueError(
            f"{name} has shape {tuple(X.shape)}, which does not fit the model ({exc}); expected "
            f"as many feature columns as its first layer takes"
        ) from exc
    check_output(output)
    return output
