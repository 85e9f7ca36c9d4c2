"""The loss and the optimizer of the binary and multiclass exercises: a loss that fits what the
model outputs (read by `classification.read_outputs`), and the targets that loss wants."""

from __future__ import annotations

import torch
from torch import nn

from ptx.exercises import tensors as t
from ptx.exercises import training
from ptx.exercises.classification import Outputs, Task, read_outputs
from ptx.exercises.feedback import Answer, Mistake


def judge_loss(a: Answer, task: Task) -> str:
    """The loss fits the model's outputs; the optimizer holds its parameters. Returns a notice."""
    model = training.module(a.model)
    X = t.tensor(a.X_test, "X_test")
    loss_fn = training.loss_function(a.loss_fn)
    training.optimizer_of(a.optimizer, model)
    reading = read_outputs(model, X)
    if reading.columns == 1:
        return _judge_one_output_loss(loss_fn, reading)
    return _judge_per_class_loss(loss_fn, reading, task)


PROBE_LOGITS = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, -0.3], [-1.0, 0.3, 2.5]])
PROBE_CLASSES = torch.tensor([0, 2, 2])


def _judge_per_class_loss(loss_fn, reading: Outputs, task: Task) -> str:
    name = type(loss_fn).__name__
    logits = PROBE_LOGITS[:, : reading.columns]
    labels = PROBE_CLASSES.clamp(max=reading.columns - 1)
    log_probs = torch.log_softmax(logits, dim=1)
    if reading.kind == "log-probabilities":
        if isinstance(loss_fn, nn.NLLLoss | nn.CrossEntropyLoss) or training.behaves_like(
            loss_fn, nn.NLLLoss(), log_probs, labels
        ):
            return (
                f"{name} on the model's log-probabilities: the log_softmax at the end and "
                "NLLLoss together are CrossEntropyLoss, split in two."
            )
    elif isinstance(loss_fn, nn.NLLLoss):
        raise Mistake(
            "nll_on_logits",
            "`NLLLoss` expects log-probabilities (a `log_softmax` at the end of the model); the "
            "model gives logits. `nn.CrossEntropyLoss()` takes logits: it is log_softmax and "
            "NLLLoss in one.",
        )
    if isinstance(loss_fn, nn.CrossEntropyLoss) or training.behaves_like(
        loss_fn, nn.CrossEntropyLoss(), logits, labels
    ):
        smoothing = getattr(loss_fn, "label_smoothing", 0.0)
        return "CrossEntropyLoss on logits, and an optimizer over the model's parameters." + (
            f" With label_smoothing={smoothing:g} the loss never reaches 0 (it aims a little "
            "below 1 for the right class): judge training by the accuracy."
            if smoothing
            else ""
        )
    if task.binary and (
        isinstance(loss_fn, nn.BCEWithLogitsLoss | nn.BCELoss)
        or training.behaves_like(
            loss_fn, nn.BCEWithLogitsLoss(), logits[:, :1], labels[:, None].float().clamp(max=1)
        )
    ):
        raise Mistake(
            "two_outputs",
            f"the model gives two logits per point, and `loss_fn` ({name}) wants one: "
            "BCEWithLogitsLoss compares each logit with a target of the same shape, and raises "
            "`Target size (torch.Size([N, 1])) must be the same as input size (torch.Size([N, "
            "2]))`. Either `out_features=1` (the course's way), or keep two logits and use "
            "`nn.CrossEntropyLoss()` with the labels as class numbers, `y_train.squeeze(1).long()`.",
        )
    raise Mistake(
        "not_cross_entropy",
        f"`loss_fn` ({name}) is not a loss for one logit per class: `nn.CrossEntropyLoss()` takes "
        "those logits and the class numbers.",
    )


def _judge_one_output_loss(loss_fn, reading: Outputs) -> str:
    name = type(loss_fn).__name__
    logits = torch.tensor([[2.0], [-1.0], [0.5]])
    labels = torch.tensor([[1.0], [0.0], [1.0]])
    takes_logits = isinstance(loss_fn, nn.BCEWithLogitsLoss) or training.behaves_like(
        loss_fn, nn.BCEWithLogitsLoss(), logits, labels
    )
    takes_probabilities = isinstance(loss_fn, nn.BCELoss) or training.behaves_like(
        loss_fn, nn.BCELoss(), torch.sigmoid(logits), labels
    )
    if isinstance(loss_fn, nn.CrossEntropyLoss):
        raise Mistake(
            "cross_entropy",
            "CrossEntropyLoss with one output per point softmaxes a single number, which is "
            "always 1: the loss is 0 whatever the model says, and nothing trains. A binary "
            "classifier's loss is `nn.BCEWithLogitsLoss()` (or give the model two outputs, one "
            "per class, for CrossEntropyLoss).",
        )
    if reading.kind == "probabilities":
        if takes_probabilities:
            return (
                "The model ends in a sigmoid, and BCELoss takes its probabilities: right. "
                "BCEWithLogitsLoss on logits does the same, more stably."
            )
        if takes_logits:
            raise Mistake(
                "double_sigmoid",
                "the model ends in a sigmoid and `BCEWithLogitsLoss` applies another: the "
                "loss sees squashed probabilities as logits and trains slowly. Drop the sigmoid "
                "from the model (keep BCEWithLogitsLoss), or use `nn.BCELoss()`.",
            )
    elif takes_logits:
        return (
            "BCEWithLogitsLoss on the model's logits: sigmoid and binary cross-entropy in one, "
            "numerically stable."
        )
    elif takes_probabilities:
        raise Mistake(
            "bce_on_logits",
            "`BCELoss` wants probabilities in [0, 1], and the model gives logits (any number): "
            "given them, it raises `all elements of input should be between 0 and 1`. Use "
            "`nn.BCEWithLogitsLoss()`, which takes logits.",
        )
    raise Mistake(
        "not_binary_loss",
        f"`loss_fn` ({name}) is not a binary classification loss: `nn.BCEWithLogitsLoss()`.",
    )


def targets_for(reading: Outputs, y: torch.Tensor) -> torch.Tensor:
    """The labels as the loss of such outputs takes them: class numbers (N,) for one output per
    class (one-hot rows kept), floats (N, 1) for one output per point."""
    if reading.columns > 1:
        return y if y.ndim == 2 and y.shape[1] == reading.columns else y.reshape(-1).long()
    return y.reshape(-1, 1).float()
