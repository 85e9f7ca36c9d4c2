"""The training loop: fit a model for some epochs and record a History; re-exports the steps."""

from __future__ import annotations

import math

import torch
from torch import nn

from ptx.checks import check_positive_int
from ptx.divergence import diverged
from ptx.guards import check_optimizer
from ptx.history import History
from ptx.seed import make_generator
from ptx.steps import (
    Metric,
    _check_data,
    _check_model,
    _evaluate,
    _resolve_metric,
    _step,
    eval_mode,
    evaluate,
    train_step,
)

__all__ = ["History", "eval_mode", "evaluate", "fit", "train_step"]

NAMES = ("X_train", "y_train")
VAL_NAMES = ("X_val", "y_val")


def _train_epoch(model, X, y, loss_fn, optimizer, batch_size, generator, keep):
    """Train one epoch; return the mean loss (a tensor) and, if `keep`, predictions and targets."""
    model.train()
    if batch_size is None:
        loss, y_pred = _step(model, X, y, loss_fn, optimizer, NAMES)
        return loss, y_pred, y
    order = torch.randperm(len(X), generator=generator).to(X.device)
    total = torch.zeros((), device=X.device)
    preds, targets = [], []
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        X_batch, y_batch = X[rows], y[rows]
        loss, y_pred = _step(model, X_batch, y_batch, loss_fn, optimizer, NAMES)
        total += loss * len(rows)  # stays on the device: no .item() per step
        if keep:
            preds.append(y_pred)
            targets.append(y_batch)
    if not keep:
        return total / len(X), None, None
    return total / len(X), torch.cat(preds), torch.cat(targets)


def _log_every(epochs: int, eval_every: int, log_every: int | None) -> int:
    if log_every is None:
        return eval_every * max(1, epochs // eval_every // 10)  # about ten lines
    check_positive_int(log_every, "log_every")
    if log_every % eval_every:
        raise ValueError(
            f"log_every={log_every} must be a multiple of eval_every={eval_every}, "
            f"since only evaluated epochs have a validation loss to print"
        )
    return log_every


def fit(
    model: nn.Module,
    X_train: torch.Tensor,
    y_train: torch.Tensor,
    X_val: torch.Tensor,
    y_val: torch.Tensor,
    loss_fn: nn.Module,
    optimizer: torch.optim.Optimizer,
    epochs: int,
    metric: str | Metric | None = None,
    eval_every: int = 1,
    batch_size: int | None = None,
    log_every: int | None = None,
    progress: bool = True,
    seed: int | None = None,
) -> History:
    """Train a model for some epochs, evaluating on a validation set and keeping the best weights.

    The best weights are those with the lowest validation loss. Hold out the validation set
    from the training data (`split_train_test` on `X_train, y_train`); the test set is used
    once, at the end, with `evaluate`. Choosing the best epoch on the test set would make the
    reported test number optimistic: it would be the best of many tries, not a fresh measure.

    Training stops with `FloatingPointError` when a loss stops being finite, instead of
    recording NaN; the History so far is attached to the error as `error.history`.

    Args:
        model: The model to train, already on its device.
        X_train: Training features `(N, D)`, on the model's device.
        y_train: Training targets: float `(N, 1)`, or int64 `(N,)` for `nn.CrossEntropyLoss`.
        X_val: Validation features, held out from the training data.
        y_val: Validation targets.
        loss_fn: The loss function.
        optimizer: An optimizer over `model.parameters()`, built after the final model.
        epochs: Number of passes over the training data.
        metric: None, `"accuracy"` or a function `(y_logits, y) -> float`.
        eval_every: Evaluate (and record) every this many epochs, and after the last one.
        batch_size: Mini-batch size, shuffled every epoch; None trains on the full batch.
        log_every: Print a progress line every this many epochs (a multiple of
            `eval_every`); None prints about ten lines.
        progress: Print progress lines at all.
        seed: Seed for the mini-batch shuffle's own generator; None draws one from torch's
            global generator, so a run after `set_seed` repeats.

    Returns:
        The History, with the best (lowest validation loss) weights in `best_state`.

    Raises:
        TypeError: If an argument has the wrong type or dtype (e.g. int labels for
            `nn.BCEWithLogitsLoss`), or the model returns something other than a tensor.
        ValueError: If a count is not positive, shapes or devices do not fit together, the
            data holds NaN or inf, binary targets are not 0 or 1, or the optimizer holds
            other tensors than the model's or a learning rate that is not positive.
        FloatingPointError: If the training or validation loss stops being finite; the
            message names the epoch, and `error.history` holds the epochs before it.

    Taught in: Binary classification (classification/binary.md).
    """
    log_every = _check_arguments(
        model, (X_train, y_train), (X_val, y_val), loss_fn, optimizer, epochs, eval_every,
        batch_size, log_every,
    )  # fmt: skip
    metric_fn, metric_name = _resolve_metric(metric, loss_fn)
    generator = None if batch_size is None else make_generator(seed)
    loop = _Loop(model, X_train, y_train, loss_fn, optimizer, batch_size, generator, metric_fn)
    history = History(metric_name=metric_name)
    for epoch in range(1, epochs + 1):
        evaluated = epoch % eval_every == 0 or epoch == epochs
        train_loss, train_score = loop.train(epoch, evaluated, history)
        if not evaluated:
            continue
        val_loss, val_score = loop.validate(epoch, X_val, y_val, train_loss, history)
        history.record(epoch, train_loss.item(), val_loss, train_score, val_score, model)
        if progress and (epoch % log_every == 0 or epoch == epochs):
            print(_progress_line(history, epoch, len(str(epochs))))
    return history


def _check_arguments(
    model, train, val, loss_fn, optimizer, epochs, eval_every, batch_size, log_every
) -> int:
    """Refuse what `fit` cannot train on (see its Raises); the number of epochs between lines."""
    _check_model(model, loss_fn, optimizer)
    check_positive_int(epochs, "epochs")
    check_positive_int(eval_every, "eval_every")
    if batch_size is not None:
        check_positive_int(batch_size, "batch_size")
    log_every = _log_every(epochs, eval_every, log_every)
    _check_data(model, *train, loss_fn, names=NAMES)
    _check_data(model, *val, loss_fn, VAL_NAMES, n_features=train[0].shape[1])
    check_optimizer(model, optimizer, loss_fn)
    return log_every


class _Loop:
    """One training run's epochs: train, check the loss is finite, validate."""

    def __init__(self, model, X, y, loss_fn, optimizer, batch_size, generator, metric_fn):
        self.model, self.X, self.y, self.loss_fn = model, X, y, loss_fn
        self.optimizer, self.batch_size, self.generator = optimizer, batch_size, generator
        self.metric_fn = metric_fn
        self.last: tuple[int, torch.Tensor] | None = None  # the last finite training loss

    def train(self, epoch: int, evaluated: bool, history: History):
        """One epoch of training: its mean loss (on the device) and, when evaluated, its score."""
        keep = evaluated and self.metric_fn is not None
        loss, y_pred, y = _train_epoch(
            self.model, self.X, self.y, self.loss_fn, self.optimizer, self.batch_size,
            self.generator, keep,
        )  # fmt: skip
        if not bool(torch.isfinite(loss)):  # one sync per epoch, not one per step
            before = "no finite training loss before it"
            if self.last is not None:
                before = (
                    f"the last finite training loss was {self.last[1].item():.4g} at epoch "
                    f"{self.last[0]}"
                )
            raise diverged("training loss", loss.item(), epoch, before, history, self.optimizer)
        self.last = (epoch, loss)
        if not keep:
            return loss, None
        with torch.inference_mode():
            return loss, float(self.metric_fn(y_pred, y))

    def validate(self, epoch: int, X_val, y_val, train_loss, history: History):
        """The validation loss and score; a non-finite loss stops the run."""
        val_loss, val_score = _evaluate(
            self.model, X_val, y_val, self.loss_fn, self.metric_fn, VAL_NAMES
        )
        if not math.isfinite(val_loss):
            before = f"while the training loss was {train_loss.item():.4g}"
            raise diverged("validation loss", val_loss, epoch, before, history, self.optimizer)
        return val_loss, val_score


def _progress_line(history: History, epoch: int, width: int) -> str:
    line = f"epoch {epoch:>{width}} | train loss {history.train_loss[-1]:.4f}"
    line += f" | val loss {history.val_loss[-1]:.4f}"
    if history.val_metric and history.val_metric[-1] is not None:
        name = history.metric_name
        line += f" | train {name} {history.train_metric[-1]:.4f} | val {name} {history.val_metric[-1]:.4f}"
    return line
