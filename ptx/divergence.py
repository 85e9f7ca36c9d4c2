"""Stop training whose loss or gradients stopped being finite, instead of recording NaN.

A too-large learning rate is the usual cause, so each message names it. Internal: `train_step`
refuses to step on a non-finite loss or gradient, `evaluate` refuses a non-finite loss, and `fit`
stops with the epoch and the History so far.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from ptx.guards import learning_rates, plural

if TYPE_CHECKING:
    from ptx.history import History


def _non_finite_weights(model: nn.Module) -> str:
    bad = [(n, int((~torch.isfinite(p)).sum())) for n, p in model.named_parameters()]
    bad = [f"{n} holds {plural(k, 'non-finite value')}" for n, k in bad if k]
    return "; ".join(bad) if bad else "the weights are finite but the outputs overflow"


def check_loss(loss: torch.Tensor, optimizer: torch.optim.Optimizer) -> None:
    """Refuse a non-finite training loss before backward, so no step is taken on it.

    Raises:
        FloatingPointError: Naming the loss and the learning rate.
    """
    if bool(torch.isfinite(loss)):
        return
    raise FloatingPointError(
        f"loss is {loss.item()}, so the optimizer step was not taken; the weights have diverged "
        f"and the learning rate may be too large ({learning_rates(optimizer)}): rebuild the "
        f"model and train with a smaller one"
    )


def check_gradients(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
    """Refuse to step on gradients holding NaN or inf.

    Raises:
        FloatingPointError: Naming the first parameter whose gradient is not finite.
    """
    grads = [(n, p.grad) for n, p in model.named_parameters() if p.grad is not None]
    if not grads or bool(torch.stack([torch.isfinite(g).all() for _, g in grads]).all()):
        return
    name, grad = next((n, g) for n, g in grads if not bool(torch.isfinite(g).all()))
    count = plural(int((~torch.isfinite(grad)).sum()), "non-finite value")
    raise FloatingPointError(
        f"the gradient of {name} holds {count}, so the optimizer step was not taken; the "
        f"learning rate may be too large ({learning_rates(optimizer)}), or the model uses an "
        f"operation whose gradient is infinite where it is used (torch.sqrt or torch.log at 0)"
    )


def non_finite_loss(model: nn.Module, loss: float) -> FloatingPointError:
    """Make the error for a non-finite evaluation loss, naming the non-finite weights."""
    return FloatingPointError(
        f"loss is {loss}: {_non_finite_weights(model)}; the training diverged, so load good "
        f"weights first (history.load_best(model) or ptx.load_checkpoint)"
    )


def diverged(
    what: str,
    value: float,
    epoch: int,
    before: str,
    history: History,
    optimizer: torch.optim.Optimizer,
) -> FloatingPointError:
    """Make `fit`'s error for a loss that stopped being finite, with the History so far attached.

    Args:
        what: `"training loss"` or `"validation loss"`.
        value: The non-finite value.
        epoch: The epoch it happened in.
        before: What was still finite, e.g. `"the last finite training loss was 0.1 at epoch 4"`.
        history: The History so far, attached as `error.history`.
        optimizer: The optimizer, whose learning rates the message names.
    """
    if history.best_epoch is None:
        keep = "no epoch was recorded, so there are no best weights to restore"
    else:
        keep = (
            f"error.history holds {plural(len(history.epochs), 'evaluated epoch')} before it; "
            f"error.history.load_best(model) restores the best weights (epoch "
            f"{history.best_epoch}, validation loss {history.best_val_loss:.4g})"
        )
    error = FloatingPointError(
        f"{what} became {value} at epoch {epoch} ({before}); the weights diverged, and the "
        f"learning rate may be too large ({learning_rates(optimizer)}): try a smaller one; {keep}"
    )
    error.history = history
    return error
