"""Tests for ptx.history: recording epochs, picking the best weights on validation loss as a real
copy, and refusing to record a loss that is not a finite number."""

import math

import pytest
import torch
from torch import nn

from ptx.history import History


def test_record_keeps_lowest_val_loss_as_a_copy():
    model = nn.Linear(1, 1)
    history = History()
    with torch.no_grad():
        model.weight.fill_(1.0)
    history.record(1, 0.9, 0.8, None, None, model)
    with torch.no_grad():
        model.weight.fill_(2.0)
    history.record(2, 0.7, 0.5, None, None, model)
    with torch.no_grad():
        model.weight.fill_(3.0)  # in place, as an optimizer does
    history.record(3, 0.6, 0.6, None, None, model)
    assert history.epochs == [1, 2, 3]
    assert history.val_loss == [0.8, 0.5, 0.6]
    assert (history.best_epoch, history.best_val_loss) == (2, 0.5)
    assert history.best_state["weight"].item() == 2.0
    assert history.best_state["weight"].data_ptr() != model.weight.data_ptr()


def test_load_best_loads_weights_and_needs_a_record():
    model = nn.Linear(1, 1)
    with pytest.raises(ValueError, match="no best weights yet; train with fit"):
        History().load_best(model)
    history = History()
    history.record(1, 1.0, 1.0, None, None, model)
    best = model.weight.item()
    with torch.no_grad():
        model.weight.add_(5.0)
    assert history.load_best(model) is model
    assert model.weight.item() == best


@pytest.mark.parametrize(
    ("train_loss", "val_loss", "message"),
    [
        (math.nan, 0.5, "train_loss is nan at epoch 2"),
        (0.5, math.inf, "val_loss is inf at epoch 2"),
    ],
)
def test_record_refuses_non_finite_losses(train_loss, val_loss, message):
    model = nn.Linear(1, 1)
    history = History()
    history.record(1, 1.0, 1.0, None, None, model)
    with pytest.raises(ValueError, match=message):
        history.record(2, train_loss, val_loss, None, None, model)
    assert history.epochs == [1] and history.best_epoch == 1
