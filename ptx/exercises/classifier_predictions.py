"""A trained classifier's predicted labels for the test points, as the binary (moons) and
multiclass (spirals) exercises ask for them. Shapes are compared before anything is reshaped;
labels equal to the model's pass however they were made (from logits, probabilities, a sigmoid
inside the model, two logits per point), and a mismatch is explained by what the numbers are."""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises import training
from ptx.exercises.classification import Outputs, Task, labels_of, read_outputs
from ptx.exercises.feedback import Answer, Mistake


def judge_predictions(a: Answer, task: Task) -> str:
    """`y_preds` are the trained model's labels for X_test; the model is where the data is."""
    model = training.module(a.model)
    X_train, X_test = t.tensor(a.X_train, "X_train"), t.tensor(a.X_test, "X_test")
    where = training.device_of(model)
    if where is not None and where != X_train.device:
        raise Mistake(
            "model_moved",
            f"the model is on {where} and the data on {X_train.device}: plotting moved it? The "
            "course's `plot_decision_boundary` sends the model to the CPU and leaves it there, "
            "so the next training step on the GPU raises `Expected all tensors to be on the same "
            "device`. Move it back, `model.to(device)`, or plot with `ptx.plot_decision_boundary`, "
            "which leaves the model where it was.",
        )
    preds, kind = t.values(a.y_preds, "y_preds")
    if not all(bool(torch.isfinite(p).all()) for p in model.parameters()):
        raise Mistake(
            "diverged",
            "the model's parameters hold nan or inf: its training diverged (a learning rate far "
            "too large), so its labels mean nothing, whatever `y_preds` holds. Train a new model "
            "with a smaller learning rate (exercise 4), then predict.",
        )
    reading = read_outputs(model, X_test)
    flat = _one_per_point(preds.detach().cpu(), len(X_test), len(X_train), reading, task)
    labels = labels_of(model, X_test, reading).cpu()
    if torch.equal(flat.float(), labels.float()):
        return _notice(model, preds, kind)
    _why_not_the_labels(model, flat, X_test, reading, task)


def _one_per_point(preds, n: int, n_train: int, reading: Outputs, task: Task) -> torch.Tensor:
    """The predictions as one number per test point, or the mistake in their shape."""
    shape = t.shape(preds)
    if not task.binary and shape == (task.classes,) and n != task.classes:
        raise Mistake(
            "argmax_dim0",
            f"`y_preds` has shape ({task.classes},): `argmax(dim=0)` picked, for each class, "
            "the point that scores it highest. The label of each point is `argmax(dim=1)`.",
        )
    if not shape or shape[0] != n:
        rows = shape[0] if shape else 0
        raise Mistake(
            "other_data",
            f"`y_preds` has shape {shape}, {rows} rows, and `X_test` has {n} points"
            + (": the training points? " if rows == n_train else ". ")
            + "Predict the test points: `model(X_test)`, then labels.",
        )
    if reading.columns > 1 and shape == (n, reading.columns):
        raise Mistake(
            "per_class",
            f"`y_preds` has shape {shape}: a number per class (logits or probabilities). The "
            "label is the class with the largest: `argmax(dim=1)`.",
        )
    if shape not in ((n,), (n, 1)):
        raise Mistake(
            "pred_shape",
            f"`y_preds` has shape {shape}, {preds.numel()} numbers for {n} test points; the "
            f"labels are one number per point, shape ({n},) or ({n}, 1).",
        )
    return preds.reshape(n)


def _notice(model, preds: torch.Tensor, kind: str) -> str:
    notes = []
    if kind:
        notes.append(
            f"`y_preds` is {kind}: fine for matplotlib, which draws NumPy arrays (a tensor on a "
            "GPU would need `.cpu()` first)."
        )
    if preds.requires_grad:
        notes.append(
            "`y_preds` still tracks gradients (made outside `torch.inference_mode()`): the labels "
            "are right, but matplotlib's `.numpy()` would raise `Can't call numpy() on Tensor "
            "that requires grad`. Predict under `torch.inference_mode()`, or `.detach()`."
        )
    mode = (
        ""
        if model.training
        else " (the model is in evaluation mode; the loop's `model.train()` switches it back)"
    )
    return (
        f"{len(preds)} labels from the trained model{mode}. "
        + " ".join(notes)
        + (" " if notes else "")
        + "The plot is yours to look at: the boundary should bend around the classes."
    )


def _why_not_the_labels(model, flat: torch.Tensor, X_test, reading: Outputs, task: Task) -> None:
    out = training.outputs(model, X_test, "your model").cpu().reshape(len(X_test), -1)
    values = flat.float()
    if reading.columns == 1:
        _one_output_mistakes(values, out.flatten(), reading)
    elif t.close(values, torch.round(out.softmax(dim=1).max(dim=1).values)):
        raise Mistake(
            "rounded_probability",
            "`y_preds` are the rounded largest probabilities (1 where the model is sure, 0 "
            "where it is not): `max(dim=1).values` is how sure the model is, not which class it "
            "picks. The class is where the largest is: `argmax(dim=1)`.",
        )
    if layers := training.mode_dependent(model):
        raise Mistake(
            "no_eval",
            f"`y_preds` are not the labels the model gives in evaluation mode. The model has "
            f"{', '.join(layers)}, which acts differently in training mode (dropout switches off "
            "random units on every call): call `model.eval()`, then predict under "
            "`torch.inference_mode()`.",
        )
    raise Mistake(
        "not_this_model",
        "`y_preds` are not the labels `model` predicts for `X_test` now: predict again with "
        "the trained model.",
    )


def _one_output_mistakes(values: torch.Tensor, out: torch.Tensor, reading: Outputs) -> None:
    probabilities = out if reading.kind == "probabilities" else torch.sigmoid(out)
    whole = bool((values == values.round()).all())
    if not whole and t.close(values, probabilities):
        raise Mistake(
            "probabilities",
            "`y_preds` are probabilities, not labels: round them, `torch.round(probabilities)` "
            "(for logits, `torch.round(torch.sigmoid(logits))`).",
        )
    if reading.kind == "probabilities" and t.close(values, torch.round(torch.sigmoid(out))):
        raise Mistake(
            "double_sigmoid",
            "`y_preds` are `torch.round(torch.sigmoid(...))` of outputs that are probabilities "
            "already: the model ends in a sigmoid, so a second one squashes every probability "
            "into (0.5, 0.73), and all of them round to 1. Round the model's output itself: "
            "`torch.round(model(X_test))`.",
        )
    if reading.kind == "logits" and t.close(values, torch.round(out)):
        raise Mistake(
            "rounded_logits",
            "`y_preds` are rounded logits (numbers such as -3 and 2): the sigmoid comes "
            "first, `torch.round(torch.sigmoid(logits))`.",
        )
    if reading.kind == "logits" and not whole and t.close(values, out):
        raise Mistake("logits", "`y_preds` are the logits, not labels.")
