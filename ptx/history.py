"""The record of a training run: per-epoch losses and metrics, and a copy of the best weights."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class History:
    """What `fit` recorded, one entry per evaluated epoch.

    Attributes:
        epochs: The evaluated epochs (1-based).
        train_loss: Mean training loss over each of those epochs' steps.
        test_loss: Test loss after each of those epochs.
        train_metric: Metric on the training predictions of the epoch, or None entries.
        test_metric: Metric on the test set, or None entries.
        best_epoch: Epoch with the lowest test loss so far.
        best_score: That lowest test loss.
        best_state: A deep copy of the model's `state_dict` at `best_epoch`.
        metric_name: Short name of the metric (`"acc"`), or None without a metric.
    """

    epochs: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_metric: list[float | None] = field(default_factory=list)
    test_metric: list[float | None] = field(default_factory=list)
    best_epoch: int | None = None
    best_score: float | None = None
    best_state: dict[str, torch.Tensor] | None = None
    metric_name: str | None = None

    def record(
        self,
        epoch: int,
        train_loss: float,
        test_loss: float,
        train_metric: float | None,
        test_metric: float | None,
        model: nn.Module,
    ) -> None:
        """Append one evaluated epoch and copy the weights if the test loss is the lowest yet.

        Args:
            epoch: The epoch number.
            train_loss: Mean training loss of the epoch.
            test_loss: Test loss after the epoch.
            train_metric: Training metric, or None.
            test_metric: Test metric, or None.
            model: The model, whose weights are copied when they are the best so far.
        """
        self.epochs.append(epoch)
        self.train_loss.append(train_loss)
        self.test_loss.append(test_loss)
        self.train_metric.append(train_metric)
        self.test_metric.append(test_metric)
        if self.best_score is None or test_loss < self.best_score:
            self.best_epoch, self.best_score = epoch, test_loss
            self.best_state = copy.deepcopy(model.state_dict())  # a copy, not live references

    def load_best(self, model: nn.Module) -> nn.Module:
        """Load the best weights into a model.

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
