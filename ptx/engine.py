"""The training loop: fit a model for some epochs and record a History; re-exports the steps."""

from __future__ import annotations

import torch
from torch import nn

from ptx.checks import check_positive_int
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
            f"since only evaluated epochs have a test loss to print"
        )
    return log_every


def fit(
    model: nn.Module,
    X_train: torch.Tensor,
    y_train: torch.Tensor,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
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
    """Train a model for some epochs, evaluating on the test set and keeping the best weights.

    Args:
        model: The model to train, already on its device.
        X_train: Training features `(N, D)`, on the model's device.
        y_train: Training targets: float `(N, 1)`, or int64 `(N,)` for `nn.CrossEntropyLoss`.
        X_test: Test features.
        y_test: Test targets.
        loss_fn: The loss function.
        optimizer: An optimizer over the model's parameters.
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
        The History, with the best (lowest test loss) weights in `best_state`.

    Raises:
        TypeError: If an argument has the wrong type or dtype (e.g. int labels for
            `nn.BCEWithLogitsLoss`).
        ValueError: If a count is not positive, or shapes or devices do not fit together.
    """
    _check_model(model, loss_fn, optimizer)
    check_positive_int(epochs, "epochs")
    check_positive_int(eval_every, "eval_every")
    if batch_size is not None:
        check_positive_int(batch_size, "batch_size")
    log_every = _log_every(epochs, eval_every, log_every)
    _check_data(model, X_train, y_train, loss_fn, names=("X_train", "y_train"))
    _check_data(model, X_test, y_test, loss_fn, ("X_test", "y_test"), n_features=X_train.shape[1])
    metric_fn, metric_name = _resolve_metric(metric)
    generator = None if batch_size is None else make_generator(seed)
    history = History(metric_name=metric_name)
    width = len(str(epochs))
    for epoch in range(1, epochs + 1):
        evaluated = epoch % eval_every == 0 or epoch == epochs
        keep = evaluated and metric_fn is not None
        args = (model, X_train, y_train, loss_fn, optimizer, batch_size, generator, keep)
        train_loss, train_pred, train_y = _train_epoch(*args)
        if not evaluated:
            continue
        test = (model, X_test, y_test, loss_fn, metric_fn, ("X_test", "y_test"))
        test_loss, test_score = _evaluate(*test)
        train_score = None
        if metric_fn is not None:
            with torch.inference_mode():
                train_score = float(metric_fn(train_pred, train_y))
        history.record(epoch, train_loss.item(), test_loss, train_score, test_score, model)
        if progress and (epoch % log_every == 0 or epoch == epochs):
            line = f"epoch {epoch:>{width}} | train loss {history.train_loss[-1]:.4f}"
            line += f" | test loss {test_loss:.4f}"
            if test_score is not None:
                line += f" | test {metric_name} {test_score:.4f}"
            print(line)
    return history
