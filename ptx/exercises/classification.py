"""What the binary (moons) and multiclass (spirals) exercises share, judged once for both: the
data as tensors and a model whose outputs fit the task (the loss that fits those outputs is
judged in `classifier_loss`).

A model's outputs are read, not assumed: one logit per point, one probability (a sigmoid at the
end), one logit per class, or log-probabilities (a log_softmax at the end). Each has its loss,
and any pair that trains is a right answer. The loss is judged in `classifier_loss`, training
and accuracy in `classifier_training`, predictions in `classifier_predictions`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from ptx.exercises import tensors as t
from ptx.exercises import training
from ptx.exercises.feedback import Answer, Mistake


@dataclass(frozen=True)
class Task:
    """One classification exercise set: how many classes, samples and the course's target."""

    classes: int  # 2: one logit per sample, BCEWithLogitsLoss; more: one logit per class, CE
    n_train: int
    n_test: int
    target: float  # test accuracy, as a fraction

    @property
    def binary(self) -> bool:
        return self.classes == 2

    @property
    def tolerance(self) -> float:
        """How far a reported accuracy may be from the model's: half a test point."""
        return 0.5 / self.n_test

    @property
    def chance_loss(self) -> float:
        """The cross-entropy of a model that guesses: ln 2 for two classes, ln 3 for three."""
        return math.log(self.classes)


@dataclass(frozen=True)
class Outputs:
    """What a model gives per point: `columns` numbers, of a `kind`: "logits", "probabilities"
    (a sigmoid or softmax at the end) or "log-probabilities" (a log_softmax at the end)."""

    columns: int
    kind: str


def read_outputs(model: nn.Module, X: torch.Tensor) -> Outputs:
    """The model's outputs on X and far from it (where logits grow past any squashing's range)."""
    out = training.outputs(model, torch.cat([X, 10 * X, -10 * X]), "your model").float()
    flat = out.reshape(len(out), -1)
    columns = flat.shape[1]
    ones = torch.ones(len(flat), device=flat.device)
    if columns == 1:
        inside = bool(((flat >= 0) & (flat <= 1)).all())
        return Outputs(1, "probabilities" if inside else "logits")
    if torch.allclose(flat.sum(dim=1), ones, atol=1e-4):
        return Outputs(columns, "probabilities")
    if bool((flat <= 1e-6).all()) and torch.allclose(flat.exp().sum(dim=1), ones, atol=1e-4):
        return Outputs(columns, "log-probabilities")
    return Outputs(columns, "logits")


def labels_of(model: nn.Module, X: torch.Tensor, reading: Outputs | None = None) -> torch.Tensor:
    """The model's predicted labels, shaped (N,): a logit above 0 (a probability above 0.5) for
    one output per point, the column of the largest output for one per class."""
    reading = reading or read_outputs(model, X)
    out = training.outputs(model, X, "your model").reshape(len(X), -1)
    if reading.columns == 1:
        cut = 0.5 if reading.kind == "probabilities" else 0.0
        return (out.flatten() > cut).float()
    return out.argmax(dim=1)


def share_right(pred: torch.Tensor, y: torch.Tensor) -> float:
    """The share of predicted labels equal to the true ones (a fraction; nan when the two do not
    hold one number per point each)."""
    pred, y = pred.flatten().cpu(), y.flatten().cpu()
    if pred.numel() != y.numel():
        return float("nan")
    return (pred.float() == y.float()).float().mean().item()


# -- the data --------------------------------------------------------------------------------------
def judge_data(a: Answer, task: Task) -> torch.Tensor:
    """The four tensors of the split, or the mistake; returns y_train."""
    data = {n: t.tensor(a.get(n), n) for n in ("X_train", "X_test", "y_train", "y_test")}
    X_train, X_test, y_train, y_test = data.values()
    if X_train.dtype != torch.float32:
        raise Mistake(
            "float64",
            f"`X_train` is {X_train.dtype}: NumPy's float64, where the model's weights are "
            "float32, and the first layer would raise `mat1 and mat2 must have the same dtype`. "
            "Convert: `torch.from_numpy(X).type(torch.float32)`.",
        )
    if X_train.ndim != 2 or X_train.shape[1] != 2:
        raise Mistake("features", f"`X_train` has shape {t.shape(X_train)}; the points are (N, 2).")
    if (len(X_train), len(X_test)) == (task.n_test, task.n_train):
        raise Mistake(
            "split_swapped",
            f"{len(X_train)} points to train and {len(X_test)} to test: the other way round, "
            "`train_test_split(X, y, test_size=0.2, ...)` returns X_train, X_test, y_train, y_test "
            "in that order.",
        )
    if (len(X_train), len(X_test)) != (task.n_train, task.n_test) or len(y_train) != len(X_train):
        raise Mistake(
            "sizes",
            f"`X_train`, `X_test`, `y_train`, `y_test` have {len(X_train)}, {len(X_test)}, "
            f"{len(y_train)} and {len(y_test)} rows; the task's 80/20 split of "
            f"{task.n_train + task.n_test} points gives {task.n_train} and {task.n_test}.",
        )
    for name, y in (("y_train", y_train), ("y_test", y_test)):
        (_judge_binary_labels if task.binary else _judge_class_labels)(y, name, task)
    return y_train


def _judge_binary_labels(y: torch.Tensor, name: str, task: Task) -> None:
    if not y.is_floating_point():
        raise Mistake(
            "integer_labels",
            f"`{name}` holds {y.dtype} integers; `BCEWithLogitsLoss` needs floats (0. and 1.) "
            "and raises `result type Float can't be cast to the desired output type Long`: "
            f"`{name}.float()`.",
        )
    if set(y.unique().tolist()) - {0.0, 1.0}:
        raise Mistake("not_labels", f"`{name}` holds other values than 0 and 1.")


def _judge_class_labels(y: torch.Tensor, name: str, task: Task) -> None:
    if y.ndim == 2 and y.shape[1] == task.classes:
        how = (
            "CrossEntropyLoss accepts such float rows (as class probabilities) and gives the "
            "same loss, but accuracy, `argmax` comparisons and the decision boundary want"
            if y.is_floating_point()
            else f"as {y.dtype} integers CrossEntropyLoss refuses them (`multi-target not "
            "supported`), and accuracy and the decision boundary want"
        )
        raise Mistake(
            "one_hot",
            f"`{name}` is one-hot, {t.shape(y)}: {how} one class number per point, shape (N,). "
            f"The class is the column of the 1: `{name}.argmax(1)`, or keep the labels as they "
            "came.",
        )
    if y.ndim == 2:
        raise Mistake(
            "column_labels",
            f"`{name}` has shape {t.shape(y)}; CrossEntropyLoss wants one class number per point, "
            f"(N,), and raises `multi-target not supported` otherwise: `{name}.squeeze(1)`.",
        )
    if y.is_floating_point():
        raise Mistake(
            "float_labels",
            f"`{name}` holds floats; CrossEntropyLoss wants class numbers as integers and raises "
            f"`expected target dtype to be Long or Byte, but got Float`: `{name}.long()`.",
        )


# -- the model -------------------------------------------------------------------------------------
def judge_model(a: Answer, task: Task) -> Outputs:
    """A model with the right number of inputs and outputs that can bend; returns what its
    outputs are."""
    model = training.module(a.model)
    X = t.tensor(a.X_test, "X_test")
    training.same_device(model, X, "X_test")
    first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
    if first is not None and first.in_features != X.shape[1]:
        raise Mistake(
            "in_features",
            f"the first layer takes {first.in_features} features, and the points have "
            f"{X.shape[1]}: `nn.Linear(in_features={X.shape[1]}, ...)`. A forward pass would "
            f"raise `mat1 and mat2 shapes cannot be multiplied`.",
        )
    out = training.outputs(model, X[:8], "your model's forward pass on X_test[:8]")
    allowed = [(8,), (8, 1), (8, 2)] if task.binary else [(8, task.classes)]
    if t.shape(out) not in allowed:
        raise Mistake(
            "out_features",
            f"the model gives {t.shape(out)} for 8 points; "
            + (
                "one logit per point is (8, 1): `out_features=1` (or two, one per class, for "
                "CrossEntropyLoss)."
                if task.binary
                else f"one logit per class is (8, {task.classes}): `out_features={task.classes}`"
                f" (the spirals have {task.classes} classes)."
            ),
        )
    if training.is_affine(model, X, "your model's forward pass"):
        raise Mistake(
            "straight_line",
            "the model is a straight line in its inputs: its Linear layers have no activation "
            "between them, and stacked linear layers add up to one. It cannot bend around the "
            "classes: put `nn.ReLU()` between the layers.",
        )
    reading = read_outputs(model, X)
    if reading.columns > 1 and reading.kind == "probabilities":
        raise Mistake(
            "softmax_inside",
            "each row of the model's output adds up to 1: it ends in a softmax. "
            "CrossEntropyLoss applies (log-)softmax itself, so training would squash twice and "
            "crawl: return the logits, and use softmax only to read probabilities.",
        )
    return reading


def model_notice(reading: Outputs, task: Task) -> str:
    """What to notice about a model's outputs that fit the task."""
    if reading.columns == 1 and reading.kind == "probabilities":
        return (
            "One output per point, and it ends in a sigmoid: probabilities, so its loss is "
            "`nn.BCELoss()`. (The course's way returns the logit and uses BCEWithLogitsLoss, "
            "which is more stable.)"
        )
    if task.binary and reading.columns == 2:
        return (
            "Two logits per point, one per class: the multiclass way, which works for two "
            "classes with `nn.CrossEntropyLoss()` and the labels as class numbers, "
            "`y_train.squeeze(1).long()` (shape (N,)). The course's way is one logit per point "
            "with BCEWithLogitsLoss."
        )
    if reading.kind == "log-probabilities":
        return (
            f"{task.classes} outputs per point, ending in a log_softmax: log-probabilities, which "
            "`nn.NLLLoss()` takes (CrossEntropyLoss works too: log_softmax of log-probabilities "
            "changes nothing). `argmax(dim=1)` picks the class."
        )
    if task.binary:
        return (
            "One logit per point, and an activation between the layers, so the model can bend "
            "around the moons. Untrained, its logits are near 0: probabilities near 0.5."
        )
    return (
        "Three logits per point, one per class, with activations between the layers. Softmax "
        "turns a row into probabilities; `argmax(dim=1)` picks the class."
    )
