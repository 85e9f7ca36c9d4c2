"""The record of a training run: per-epoch losses and metrics, and a copy of the best weights."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class History:
    """What `fit` recorded, one entry per evaluated epoch.

    The best epoch is the one with the lowest validation loss. The test set plays no part: it
    is used once, at the end, with `evaluate`, since choosing the epoch on it would make the
    reported test number optimistic.

    Attributes:
        epochs: The evaluated epochs (1-based).
        train_loss: Mean training loss over each of those epochs' steps.
        val_loss: Validation loss after each of those epochs.
        train_metric: Metric on the training predictions of the epoch, or None entries.
        val_metric: Metric on the validation set, or None entries.
        best_epoch: Epoch with the lowest validation loss so far.
        best_val_loss: That lowest validation loss.
        best_state: A deep copy of the model's `state_dict` at `best_epoch`.
        metric_name: Short name of the metric (`"acc"`), or None without a metric.

    Taught in: Binary classification (classification/binary.md).
    """

    epochs: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_metric: list[float | None] = field(default_factory=list)
    val_metric: list[float | None] = field(default_factory=list)
    best_epoch: int | None = None
    best_val_loss: float | None = None
    best_state: dict[str, torch.Tensor] | None = None
    metric_name: str | None = None

    def record(
        self,
        epoch: int,
        train_loss: float,
        val_loss: float,
        train_metric: float | None,
        val_metric: float | None,
        model: nn.Module,
    ) -> None:
        """Append one evaluated epoch and copy the weights if the validation loss is the lowest yet.

        Args:
            epoch: The epoch number.
            train_loss: Mean training loss of the epoch.
            val_loss: Validation loss after the epoch.
            train_metric: Training metric, or None.
            val_metric: Validation metric, or None.
            model: The model, whose weights are copied when they are the best so far.

        Raises:
            ValueError: If a loss is NaN or inf (a NaN never compares lower, so it would
                silently never be best; `fit` stops with FloatingPointError before this).
        """
        for name, loss in [("train_loss", train_loss), ("val_loss", val_loss)]:
            if not math.isfinite(loss):
                raise ValueError(
                    f"{name} is {loss} at epoch {epoch}; History records finite losses only"
                )
        self.epochs.append(epoch)
        self.train_loss.append(train_loss)
        self.val_loss.append(val_loss)
        self.train_metric.append(train_metric)
        self.val_metric.append(val_metric)
        if self.best_val_loss is None or val_loss < self.best_val_loss:
            self.best_epoch, self.best_val_loss = epoch, val_loss
            self.best_state = copy.deepcopy(model.state_dict())  # a copy, not live references

    def load_best(self, model: nn.Module) -> nn.Module:
        """Load the best weights (lowest validation loss) into a model.

        Args:
            model: A model of the architecture that was trained.

        Returns:
            The same model, holding the best weights.

        Raises:
            ValueError: If no weights were recorded yet.
        """
        if self.best_state is None:
            raise ValueError("history holds no best weights yet; train with fit() first")
        model.load_state_dict(self.best_state)
        return model
