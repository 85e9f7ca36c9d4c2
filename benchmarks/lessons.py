"""Time each exercise to its course target: the original notebook's settings against this site's.

Both configurations train the same model family on the same data in the same process. The original
loops evaluated the test set every epoch and turned every loss and accuracy into a Python number
(`.item()`) on the way; the site's evaluate every N epochs and keep numbers as tensors.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx


@dataclass(frozen=True)
class Config:
    """How one run trains: the model, the loss, the optimizer and how often it looks at the test set."""

    hidden: tuple[int, ...]
    loss: str  # "l1", "mse", "bce", "ce"
    optimizer: str  # "sgd" or "adam"
    lr: float
    epochs: int
    eval_every: int
    item_every_epoch: bool  # the original loops' per-epoch `.item()` bookkeeping


@dataclass(frozen=True)
class Lesson:
    name: str
    target: str
    data: Callable[[], tuple]
    reached: Callable[[nn.Module, torch.Tensor, torch.Tensor], bool]
    original: Config
    ours: Config
    why: str


def _line_data():
    X, y = ptx.make_line(weight=0.3, bias=0.9)
    return ptx.split_train_test(X, y)


def _sklearn_split(X, y, test_size=0.2):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, random_state=42)
    return X_train, X_test, y_train, y_test


def _line_reached(model, X_test, y_test) -> bool:
    return abs(model.weight.item() - 0.3) < 0.01 and abs(model.bias.item() - 0.9) < 0.01


def _accuracy(y_logits, y) -> torch.Tensor:
    y_pred = (y_logits > 0).float() if y_logits.shape[1] == 1 else y_logits.argmax(dim=1)
    return (y_pred == y).float().mean()


def _accuracy_at_least(target: float):
    def reached(model, X_test, y_test) -> bool:
        return bool(_accuracy(model(X_test), y_test) >= target)

    return reached


LESSONS = [
    Lesson(
        "linear regression",
        "weight, bias within 0.01",
        _line_data,
        _line_reached,
        original=Config((), "l1", "sgd", 0.01, 300, 1, True),
        ours=Config((), "mse", "sgd", 0.7, 60, 5, False),
        why="mean squared error and a learning rate of 0.7: the gradient shrinks as the line "
        "closes in, so a large step is safe, where L1's fixed-size steps at 0.01 crawl.",
    ),
    Lesson(
        "moons (binary)",
        "test accuracy 96 %",
        lambda: _sklearn_split(*ptx.make_moons(n_samples=1000, noise=0.03, seed=42)),
        _accuracy_at_least(0.96),
        original=Config((10, 10), "bce", "sgd", 0.1, 600, 1, True),
        ours=Config((10, 10), "bce", "adam", 0.03, 150, 10, False),
        why="Adam at 0.03 instead of SGD at 0.1, and the test set checked every 10 epochs.",
    ),
    Lesson(
        "spirals (3 classes)",
        "test accuracy 95 %",
        lambda: _sklearn_split(*ptx.make_spirals(points_per_class=100, classes=3, seed=42)),
        _accuracy_at_least(0.95),
        original=Config((10, 10, 10), "ce", "adam", 0.001, 2000, 1, True),
        ours=Config((16, 16), "ce", "adam", 0.03, 200, 10, False),
        why="Adam's learning rate raised from 0.001 to 0.03 (the notes said it was raised; the "
        "original notebook had kept the default), 16 units per layer, evaluation every 10 epochs.",
    ),
    Lesson(
        "blobs (4 classes)",
        "test accuracy 99 %",
        lambda: _sklearn_split(
            *ptx.make_blobs(n_samples=1000, centers=4, cluster_std=1.5, seed=42)
        ),
        _accuracy_at_least(0.99),
        original=Config((8, 8), "ce", "sgd", 0.1, 100, 1, True),
        ours=Config((8, 8), "ce", "adam", 0.03, 100, 10, False),
        why="Adam at 0.03, evaluated every 10 epochs. The original settings already reach 99 % at "
        "epoch 15 in about 20 ms, and with a model this small each epoch is about 1 ms of fixed "
        "overhead, so the first check at epoch 10 leaves this lesson above the one-fifth budget.",
    ),
]

LOSSES = {
    "l1": nn.L1Loss,
    "mse": nn.MSELoss,
    "bce": nn.BCEWithLogitsLoss,
    "ce": nn.CrossEntropyLoss,
}


def _model(config: Config, X, y) -> nn.Module:
    ptx.seed.set_seed(42)
    if config.loss in ("l1", "mse"):
        return ptx.LinearRegression()
    classes = 1 if y.dtype == torch.float32 else int(y.max()) + 1
    return ptx.Classifier(X.shape[1], classes, hidden=config.hidden, activation="relu")


def time_to_target(lesson: Lesson, config: Config) -> dict:
    """Train from scratch; epochs and seconds until the target is first met, checked at each evaluation."""
    X_train, X_test, y_train, y_test = lesson.data()
    model = _model(config, X_train, y_train)
    loss_fn = LOSSES[config.loss]()
    optimizer_class = torch.optim.SGD if config.optimizer == "sgd" else torch.optim.Adam
    optimizer = optimizer_class(model.parameters(), lr=config.lr)
    started = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if config.item_every_epoch:
            loss.item()
        if epoch % config.eval_every == 0 or epoch == config.epochs:
            model.eval()
            with torch.inference_mode():
                if config.item_every_epoch:  # what the original loops printed every epoch
                    y_logits = model(X_test)
                    loss_fn(y_logits, y_test).item()
                    if config.loss in ("bce", "ce"):
                        _accuracy(y_logits, y_test).item()
                if lesson.reached(model, X_test, y_test):
                    return {
                        "epochs": epoch,
                        "seconds": time.perf_counter() - started,
                        "reached": True,
                    }
    return {"epochs": config.epochs, "seconds": time.perf_counter() - started, "reached": False}


def measure(lesson: Lesson, config: Config, repeats: int = 3) -> dict:
    runs = [time_to_target(lesson, config) for _ in range(repeats)]
    return {**runs[0], "seconds": statistics.median(run["seconds"] for run in runs)}


def run_all(repeats: int = 3) -> list[dict]:
    """One row per lesson: original and ours, and how the times compare.

    One torch thread, as in the build: these models are tiny, and it keeps the timings steady.
    """
    torch.set_num_threads(1)
    time_to_target(
        LESSONS[0], LESSONS[0].ours
    )  # warm up: the first optimizer step pays one-off costs
    rows = []
    for lesson in LESSONS:
        original = measure(lesson, lesson.original, repeats)
        ours = measure(lesson, lesson.ours, repeats)
        rows.append(
            {
                "lesson": lesson.name,
                "target": lesson.target,
                "original": original,
                "ours": ours,
                "ratio": ours["seconds"] / original["seconds"],
                "why": lesson.why,
            }
        )
    return rows
