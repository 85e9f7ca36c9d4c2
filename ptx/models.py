"""The small models the chapters build: linear regression two ways and an MLP classifier."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ptx.checks import check_positive_int

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
}


class LinearRegression(nn.Module):
    """Linear regression `y = weight * x + bias` with hand-made parameters.

    Taught in: The workflow on linear regression (linear-regression.md).
    """

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1, dtype=torch.float32))
        self.bias = nn.Parameter(torch.randn(1, dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Compute `weight * x + bias`.

        Args:
            x: Inputs shaped `(N, 1)`.

        Returns:
            Predictions shaped like `x`.
        """
        return self.weight * x + self.bias


class LinearRegressionLinear(nn.Module):
    """Linear regression with `nn.Linear(1, 1)` holding the weight and bias.

    Taught in: The workflow on linear regression (linear-regression.md).
    """

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features=1, out_features=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Compute `x @ weight.T + bias`.

        Args:
            x: Inputs shaped `(N, 1)`.

        Returns:
            Predictions shaped `(N, 1)`.
        """
        return self.linear(x)


def _activation_class(activation: str | type[nn.Module] | None) -> type[nn.Module] | None:
    if activation is None:
        return None
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, None or an "
                f"nn.Module class, got {activation!r}"
            )
        return ACTIVATIONS[activation]
    if isinstance(activation, type) and issubclass(activation, nn.Module):
        return activation
    raise TypeError(
        f"activation must be a name such as 'relu', None or an nn.Module class such as nn.ReLU, "
        f"got {activation!r}"
    )


class Classifier(nn.Module):
    """A multilayer perceptron that outputs logits, one per class (or one for binary).

    Args:
        in_features: Number of input features.
        out_features: Number of outputs: 1 for binary, C for C classes.
        hidden: Width of each hidden layer; `()` gives a linear model.
        activation: `"relu"`, `"leaky_relu"`, `"tanh"`, `"sigmoid"`, None (no
            non-linearity) or an `nn.Module` class such as `nn.GELU`.

    Raises:
        TypeError: If a size is not an int or `activation` is of the wrong kind.
        ValueError: If a size is not positive or `activation` is an unknown name.

    Taught in: Binary classification (classification/binary.md).
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        hidden: Sequence[int] = (10, 10),
        activation: str | type[nn.Module] | None = "relu",
    ) -> None:
        super().__init__()
        check_positive_int(in_features, "in_features")
        check_positive_int(out_features, "out_features")
        if not isinstance(hidden, Sequence):
            raise TypeError(
                f"hidden must be a sequence of layer widths such as (10, 10), got {hidden!r}; "
                f"for one layer write hidden=({hidden!r},)"
            )
        for i, width in enumerate(hidden):
            check_positive_int(width, f"hidden[{i}]")
        act = _activation_class(activation)
        layers: list[nn.Module] = []
        sizes = [in_features, *hidden]
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            layers.append(nn.Linear(n_in, n_out))
            if act is not None:
                layers.append(act())
        layers.append(nn.Linear(sizes[-1], out_features))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Compute the logits.

        Args:
            x: Inputs shaped `(N, in_features)`.

        Returns:
            Logits shaped `(N, out_features)`.
        """
        return self.layers(x)
