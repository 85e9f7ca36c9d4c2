"""Training a classifier to the course's target, and the accuracy the learner's loop reported:
what the binary (moons) and multiclass (spirals) exercises share. When the model falls short, the
cause is named in the order a learner should look: training that diverged, training that never
ran, steps that never moved the parameters, gradients that piled up, and only then too little
training."""

from __future__ import annotations

import torch
from torch import nn

from ptx.exercises import cells, training
from ptx.exercises import tensors as t
from ptx.exercises.classification import (
    Outputs,
    Task,
    labels_of,
    read_outputs,
    share_right,
)
from ptx.exercises.classifier_loss import targets_for
from ptx.exercises.feedback import Answer, Mistake
from ptx.exercises.running import call


def judge_training(a: Answer, task: Task) -> str:
    """The model reaches the target on the test set, and `test_acc` says what it does."""
    model = training.module(a.model)
    X_train = t.tensor(a.X_train, "X_train")
    t.tensor(a.y_train, "y_train")
    X_test, y_test = t.tensor(a.X_test, "X_test"), t.tensor(a.y_test, "y_test")
    training.same_device(model, X_train)
    reading = read_outputs(model, X_test)
    scored = share_right(labels_of(model, X_test, reading), y_test)
    if not scored > task.target:  # nan (a model of nan) is below too
        _why_below(model, a, task, reading, scored if scored == scored else 0.0)
    reported = t.number(a.test_acc)
    if reported is None:
        raise Mistake("acc_not_a_number", f"`test_acc` is {t.describe(a.test_acc)}, not a number.")
    percent = reported > 1
    fraction = reported / 100 if percent else reported
    if abs(fraction - scored) > task.tolerance:
        _why_accuracy_differs(model, a, task, reading, fraction, scored)
    unit = (
        " `test_acc` is a percentage (the course's accuracy_fn); TorchMetrics gives fractions."
        if percent
        else ""
    )
    return (
        f"The model classifies {scored:.1%} of the test points right, over the course's "
        f"{task.target:.0%}, and `test_acc` says so.{unit}"
    )


def training_loss(model: nn.Module, loss_fn, X: torch.Tensor, y: torch.Tensor) -> float | None:
    """The learner's loss of the model on the training data now (None when it cannot be had)."""
    if not callable(loss_fn) or isinstance(loss_fn, type):
        return None
    try:
        value, _ = call(
            lambda: loss_fn(training.outputs(model, X, "your model"), y),
            what="the loss",
            raises="r",
            hangs="h",
        )
    except Exception:  # a loss that does not take these targets: the other signs still speak
        return None
    return t.number(value)


def _why_below(model, a: Answer, task: Task, reading: Outputs, scored: float) -> None:
    """The cause of a test accuracy below the target, most certain first."""
    goal = f"the model scores {scored:.1%} on the test set (the course's target is over {task.target:.0%})"
    X_train = t.tensor(a.X_train, "X_train")
    targets = targets_for(reading, t.tensor(a.y_train, "y_train"))
    loss_fn, optimizer = a.get("loss_fn"), a.get("optimizer")
    loss = training_loss(model, loss_fn, X_train, targets)
    if how := training.non_finite(model, X_train, loss):
        _diverged(goal, how, optimizer, task)
    if training.never_trained(model, optimizer):
        raise Mistake(
            "not_trained",
            f"{goal}, and it holds no gradients: it was never trained. The loop needs "
            "`loss.backward()` and `optimizer.step()` every epoch.",
        )
    training.never_stepped(optimizer, goal)
    if loss is not None:
        ratio = training.gradients_accumulated(model, loss_fn, X_train, targets)
        if ratio > training.ACCUMULATED:
            raise Mistake(
                "no_zero_grad",
                f"{goal}, and the gradients its parameters hold are {ratio:.0f} times one "
                "epoch's: they have been adding up epoch after epoch, so each step is larger "
                "than the last and the loss stops going down. Call `optimizer.zero_grad()` in "
                "every epoch, before `loss.backward()`.",
            )
    if how := training.overshot(model, X_train, loss, task.chance_loss):
        _diverged(goal, how, optimizer, task)
    raise Mistake(
        "below_target",
        f"the model classifies {scored:.1%} of the test points right; the course's target is "
        f"over {task.target:.0%}. Train longer, or with a larger learning rate, or with Adam"
        + (
            " (the solution's SGD at 0.1 passes 96 % after about 460 epochs)."
            if task.binary
            else " (Adam at 0.001 gets there in about 1,300 epochs, at 0.02 in a few hundred)."
        ),
    )


def _diverged(goal: str, how: str, optimizer, task: Task) -> None:
    lr = training.learning_rate(optimizer)
    raise Mistake(
        "diverged",
        f"{goal}, and {how}: training diverged. The learning rate"
        f"{f' ({lr:g})' if lr is not None else ''} is far too large: each step jumps past the "
        "minimum by more than it corrects, the loss grows instead of shrinking, and the numbers "
        "can overflow to inf and nan. Training longer makes it worse: make the model again and "
        "train it with a smaller learning rate"
        + (
            " (the solution's SGD uses 0.1; Adam works at 0.01 to 0.03)."
            if task.binary
            else " (Adam works at 0.001 to 0.02)."
        ),
    )


def _wrong_accuracies(out: torch.Tensor, reading: Outputs, y: torch.Tensor) -> dict[str, float]:
    """The accuracy a loop reports when it compares the labels with something else than labels:
    probabilities, raw logits, rounded logits."""
    if reading.columns == 1:
        flat = out.flatten()
        ways = {"logits": share_right(flat, y)}
        if reading.kind == "logits":
            ways["probabilities"] = share_right(torch.sigmoid(flat), y)
            ways["rounded logits"] = share_right(torch.round(flat), y)
        else:
            ways["probabilities"] = ways.pop("logits")
        return ways
    rows = out.reshape(len(out), -1)
    probabilities = rows.exp() if reading.kind == "log-probabilities" else rows.softmax(dim=1)
    return {
        "probabilities": share_right(probabilities.max(dim=1).values, y),
        "logits": share_right(rows.max(dim=1).values, y),
    }


def _told_apart(matched: list[str], code: str | None) -> list[str]:
    """Ways that give the same accuracy (all near 0 for a sure model) told apart by the code of
    the cell that computed `test_acc`, when the notebook kept it; else all of them."""
    if code is None:
        return matched
    rounds, squashes = "round(" in code, any(f in code for f in ("sigmoid(", "softmax("))
    told = {
        "rounded logits": rounds and not squashes,
        "probabilities": squashes and not rounds,
        "logits": not rounds and not squashes,
    }
    return [way for way in matched if told[way]] or matched


WHY_WRONG = {
    "probabilities": "probabilities are never exactly 0 or 1",
    "logits": "logits are any numbers, rarely exactly 0 or 1",
    "rounded logits": "rounding a logit gives numbers such as -3 or 2, not 0 and 1",
}


def _why_accuracy_differs(model, a: Answer, task: Task, reading, fraction, scored) -> None:
    X_train, y_train = t.tensor(a.X_train, "X_train"), t.tensor(a.y_train, "y_train")
    X_test, y_test = t.tensor(a.X_test, "X_test"), t.tensor(a.y_test, "y_test")
    out = training.outputs(model, X_test, "your model").cpu()
    fix = (
        "`test_logits.argmax(dim=1)`"
        if reading.columns > 1
        else "`torch.round(torch.sigmoid(test_logits))`"
        if reading.kind == "logits"
        else "`torch.round(test_probs)`"
    )
    ways = _wrong_accuracies(out, reading, y_test.cpu())
    matched = [way for way, value in ways.items() if abs(fraction - value) < task.tolerance]
    if len(matched) > 1:
        matched = _told_apart(matched, cells.latest_assignment(a.namespace, "test_acc"))
    if matched:
        code = {"probabilities": "acc_from_probabilities", "rounded logits": "acc_rounded_logits"}
        raise Mistake(
            code.get(matched[0], "acc_from_probabilities")
            if len(matched) == 1
            else "acc_not_labels",
            f"`test_acc` is {fraction:.3f}, but the model gets {scored:.1%} of the test points "
            f"right: your accuracy compared {' or '.join(matched)} with the labels "
            f"({'; '.join(WHY_WRONG[w] for w in matched)}), so almost nothing counts as right. "
            f"Turn the model's output into labels first: {fix}.",
        )
    on_train = share_right(labels_of(model, X_train, reading), y_train)
    if abs(fraction - on_train) < task.tolerance:
        raise Mistake(
            "acc_on_train",
            f"`test_acc` is {fraction:.3f}, the model's accuracy on the training data; on the test "
            f"data it is {scored:.3f}. Measure it on `X_test` and `y_test`.",
        )
    if layers := training.mode_dependent(model):
        raise Mistake(
            "no_eval",
            f"`test_acc` is {fraction:.3f}, but in evaluation mode the model gets {scored:.1%} of "
            f"the test points right. The model has {', '.join(layers)}, which acts differently "
            "in training mode (dropout switches off random units on every call): call "
            "`model.eval()` before measuring the test accuracy, and `model.train()` before the "
            "next training step.",
        )
    raise Mistake(
        "acc_differs",
        f"`test_acc` is {fraction:.3f}, but the model gets {scored:.1%} of the test points right: "
        "is `test_acc` from an earlier epoch, or from another model?",
    )
