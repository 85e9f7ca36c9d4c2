"""What the binary (moons) and multiclass (spirals) exercises share, judged once for both: the
data as tensors, a model of logits, a loss that fits it, training to the course's target, an
accuracy computed the right way, and predicted labels."""

from __future__ import annotations

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
    def outputs(self) -> int:
        return 1 if self.binary else self.classes

    @property
    def tolerance(self) -> float:
        """How far a reported accuracy may be from the model's: half a test point."""
        return 0.5 / self.n_test


# -- the data --------------------------------------------------------------------------------------
def judge_data(a: Answer, task: Task) -> torch.Tensor:
    """The four tensors of the split, or the mistake; returns y_train."""
    data = {n: a.get(n) for n in ("X_train", "X_test", "y_train", "y_test")}
    for name, value in data.items():
        t.tensor(value, name)
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
        _judge_labels(y, name, task)
    return y_train


def _judge_labels(y: torch.Tensor, name: str, task: Task) -> None:
    if task.binary:
        if not y.is_floating_point():
            raise Mistake(
                "integer_labels",
                f"`{name}` holds {y.dtype} integers; `BCEWithLogitsLoss` needs floats (0. and 1.) "
                "and raises `result type Float can't be cast to the desired output type Long`: "
                f"`{name}.float()`.",
            )
        if set(y.unique().tolist()) - {0.0, 1.0}:
            raise Mistake("not_labels", f"`{name}` holds other values than 0 and 1.")
        return
    if y.ndim == 2 and y.shape[1] == task.classes and y.is_floating_point():
        raise Mistake(
            "one_hot",
            f"`{name}` is one-hot, {t.shape(y)}: CrossEntropyLoss accepts such rows (as class "
            "probabilities) and gives the same loss, but accuracy, `argmax` comparisons and the "
            f"decision boundary want one class number per point, shape (N,): `{name}.argmax(1)`, "
            "or keep the labels as they came.",
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
def judge_model(a: Answer, task: Task) -> nn.Module:
    """A model of logits with the right number of inputs and outputs that can bend; returns it."""
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
    wanted = (8, task.outputs)
    if t.shape(out) != wanted:
        if task.binary and t.shape(out) == (8, 2):
            raise Mistake(
                "two_outputs",
                "the model gives two numbers per point. A binary classifier with "
                "BCEWithLogitsLoss gives one logit per point, (N, 1): `out_features=1`. (Two "
                "outputs, one per class, is the multiclass way, with CrossEntropyLoss.)",
            )
        raise Mistake(
            "out_features",
            f"the model gives {t.shape(out)} for 8 points; "
            + (
                "one logit per point is (8, 1): `out_features=1`."
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
    if not task.binary and _ends_in_softmax(model, X):
        raise Mistake(
            "softmax_inside",
            "each row of the model's output adds up to 1: it ends in a softmax. "
            "CrossEntropyLoss applies (log-)softmax itself, so training would squash twice and "
            "crawl: return the logits, and use softmax only to read probabilities.",
        )
    return model


def ends_in_sigmoid(model: nn.Module, X: torch.Tensor) -> bool:
    """Whether the model's outputs stay in (0, 1) even far from the data: a sigmoid at the end."""
    out = training.outputs(model, torch.cat([X, 10 * X, -10 * X]), "your model")
    return bool(((out >= 0) & (out <= 1)).all())


def _ends_in_softmax(model: nn.Module, X: torch.Tensor) -> bool:
    out = training.outputs(model, torch.cat([X, 10 * X]), "your model")
    return bool(torch.allclose(out.sum(dim=1), torch.ones(len(out), device=out.device), atol=1e-4))


# -- the loss and the optimizer --------------------------------------------------------------------
def judge_loss(a: Answer, task: Task) -> str:
    """The loss fits the model's outputs; the optimizer holds its parameters. Returns a notice."""
    model = training.module(a.model)
    X = t.tensor(a.X_test, "X_test")
    loss_fn = training.loss_function(a.loss_fn)
    training.optimizer_of(a.optimizer, model)
    name = type(loss_fn).__name__
    if task.binary:
        return _judge_binary_loss(loss_fn, name, ends_in_sigmoid(model, X))
    if isinstance(loss_fn, nn.NLLLoss):
        raise Mistake(
            "nll_on_logits",
            "`NLLLoss` expects log-probabilities (a `log_softmax` at the end of the model); the "
            "model gives logits. `nn.CrossEntropyLoss()` takes logits: it is log_softmax and "
            "NLLLoss in one.",
        )
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, -0.3]])
    labels = torch.tensor([0, 2])
    if not training.behaves_like(loss_fn, nn.CrossEntropyLoss(), logits, labels):
        raise Mistake(
            "not_cross_entropy",
            f"`loss_fn` ({name}) is not a multiclass loss: `nn.CrossEntropyLoss()` takes one "
            "logit per class and the class numbers.",
        )
    return "CrossEntropyLoss on logits, and an optimizer over the model's parameters."


def _judge_binary_loss(loss_fn, name: str, probabilities: bool) -> str:
    logits = torch.tensor([[2.0], [-1.0], [0.5]])
    labels = torch.tensor([[1.0], [0.0], [1.0]])
    bce_logits = nn.BCEWithLogitsLoss()
    if isinstance(loss_fn, nn.CrossEntropyLoss):
        raise Mistake(
            "cross_entropy",
            "CrossEntropyLoss with one output per point softmaxes a single number, which is "
            "always 1: the loss is 0 whatever the model says, and nothing trains. A binary "
            "classifier's loss is `nn.BCEWithLogitsLoss()`.",
        )
    if probabilities:
        if training.behaves_like(loss_fn, nn.BCELoss(), torch.sigmoid(logits), labels):
            return (
                "The model ends in a sigmoid, and BCELoss takes its probabilities: right. "
                "BCEWithLogitsLoss on logits does the same, more stably."
            )
        if training.behaves_like(loss_fn, bce_logits, logits, labels):
            raise Mistake(
                "double_sigmoid",
                "the model ends in a sigmoid and `BCEWithLogitsLoss` applies another: the "
                "loss sees squashed probabilities as logits and trains slowly. Drop the sigmoid "
                "from the model (keep BCEWithLogitsLoss), or use `nn.BCELoss()`.",
            )
    elif training.behaves_like(loss_fn, bce_logits, logits, labels):
        return (
            "BCEWithLogitsLoss on the model's logits: sigmoid and binary cross-entropy in one, "
            "numerically stable."
        )
    elif training.behaves_like(loss_fn, nn.BCELoss(), torch.sigmoid(logits), labels):
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


# -- training and accuracy -------------------------------------------------------------------------
def labels_of(model: nn.Module, X: torch.Tensor, task: Task) -> torch.Tensor:
    """The model's predicted labels, shaped (N,): logits above 0 (or probabilities above 0.5)
    for a binary model, the column of the largest logit for a multiclass one."""
    out = training.outputs(model, X, "your model")
    if task.binary:
        cut = 0.5 if ends_in_sigmoid(model, X) else 0.0
        return (out.flatten() > cut).float()
    return out.argmax(dim=1)


def share_right(pred: torch.Tensor, y: torch.Tensor) -> float:
    """The share of predicted labels equal to the true ones (a fraction)."""
    return (pred.flatten().cpu() == y.flatten().cpu().to(pred.dtype)).float().mean().item()


def judge_training(a: Answer, task: Task) -> str:
    """The model reaches the target on the test set, and `test_acc` says what it does."""
    model = training.module(a.model)
    X_train, y_train = t.tensor(a.X_train, "X_train"), t.tensor(a.y_train, "y_train")
    X_test, y_test = t.tensor(a.X_test, "X_test"), t.tensor(a.y_test, "y_test")
    training.same_device(model, X_train)
    scored = share_right(labels_of(model, X_test, task), y_test)
    if scored <= task.target:
        _why_below(model, a, task, scored, X_train, y_train)
    reported = t.number(a.test_acc)
    if reported is None:
        raise Mistake("acc_not_a_number", f"`test_acc` is {t.describe(a.test_acc)}, not a number.")
    percent = reported > 1
    fraction = reported / 100 if percent else reported
    if abs(fraction - scored) > task.tolerance:
        _why_accuracy_differs(model, task, fraction, scored, X_train, y_train, X_test, y_test)
    unit = (
        " `test_acc` is a percentage (the course's accuracy_fn); TorchMetrics gives fractions."
        if percent
        else ""
    )
    return (
        f"The model classifies {scored:.1%} of the test points right, over the course's "
        f"{task.target:.0%}, and `test_acc` says so.{unit}"
    )


def _why_below(model, a: Answer, task: Task, scored, X_train, y_train) -> None:
    goal = f"the course's target is over {task.target:.0%}"
    loss_fn = a.get("loss_fn")
    if all(p.grad is None for p in model.parameters()):
        raise Mistake(
            "not_trained",
            f"the model scores {scored:.1%} on the test set and holds no gradients: it was never "
            f"trained ({goal}). The loop needs `loss.backward()` and `optimizer.step()` every "
            "epoch.",
        )
    if callable(loss_fn) and not isinstance(loss_fn, type):
        targets = y_train if not task.binary else y_train.reshape(-1, 1)
        ratio = training.gradients_accumulated(model, loss_fn, X_train, targets)
        if ratio > training.ACCUMULATED:
            raise Mistake(
                "no_zero_grad",
                f"the model scores {scored:.1%} on the test set ({goal}), and the gradients its "
                f"parameters hold are {ratio:.0f} times one epoch's: they have been adding up "
                "epoch after epoch, so the loss stops going down. Call `optimizer.zero_grad()` "
                "in every epoch, before `loss.backward()`.",
            )
    raise Mistake(
        "below_target",
        f"the model classifies {scored:.1%} of the test points right; {goal}. Train longer, or "
        "with a larger learning rate, or with Adam"
        + (
            " (the solution's SGD at 0.1 passes 96 % after about 460 epochs)."
            if task.binary
            else " (Adam at 0.001 gets there in about 1,300 epochs, at 0.02 in a few hundred)."
        ),
    )


def _why_accuracy_differs(model, task, fraction, scored, X_train, y_train, X_test, y_test) -> None:
    out = training.outputs(model, X_test, "your model").cpu()
    y = y_test.cpu()
    if task.binary:
        wrong_ways = {
            "probabilities": share_right(torch.sigmoid(out).flatten(), y),
            "logits": share_right(out.flatten(), y),
            "rounded logits": share_right(torch.round(out).flatten(), y),
        }
        fix = "`torch.round(torch.sigmoid(test_logits))`"
    else:
        wrong_ways = {
            "probabilities": share_right(torch.softmax(out, dim=1).max(dim=1).values, y),
            "logits": share_right(out.max(dim=1).values, y),
        }
        fix = "`test_logits.argmax(dim=1)`"
    for way, value in wrong_ways.items():
        if abs(fraction - value) < task.tolerance:
            code = "acc_rounded_logits" if way == "rounded logits" else "acc_from_probabilities"
            raise Mistake(
                code,
                f"`test_acc` is {fraction:.3f}, but the model gets {scored:.1%} of the test points "
                f"right: your accuracy compared {way} with the labels"
                + (
                    ", and rounding a logit gives numbers such as -3 or 2, not 0 and 1"
                    if way == "rounded logits"
                    else ", which are never exactly 0 or 1, so almost nothing counts as right"
                )
                + f". Turn the model's output into labels first: {fix}.",
            )
    if abs(fraction - share_right(labels_of(model, X_train, task), y_train)) < task.tolerance:
        raise Mistake(
            "acc_on_train",
            f"`test_acc` is {fraction:.3f}, the model's accuracy on the training data; on the test "
            f"data it is {scored:.3f}. Measure it on `X_test` and `y_test`.",
        )
    raise Mistake(
        "acc_differs",
        f"`test_acc` is {fraction:.3f}, but the model gets {scored:.1%} of the test points right: "
        "is `test_acc` from an earlier epoch, or from another model?",
    )


# -- predictions -----------------------------------------------------------------------------------
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
    preds = t.tensor(a.y_preds, "y_preds")
    out = training.outputs(model, X_test, "your model").cpu()
    flat = preds.detach().cpu()
    if not task.binary and t.shape(flat) == (task.classes,):
        raise Mistake(
            "argmax_dim0",
            f"`y_preds` has shape ({task.classes},): `argmax(dim=0)` picked, for each class, "
            "the point that scores it highest. The label of each point is `argmax(dim=1)`.",
        )
    if len(preds) != len(X_test):
        raise Mistake(
            "other_data",
            f"`y_preds` has {len(preds)} rows and `X_test` {len(X_test)}: predict the test points.",
        )
    if task.binary:
        if flat.is_floating_point() and t.close(flat.reshape(out.shape), torch.sigmoid(out)):
            raise Mistake(
                "probabilities",
                "`y_preds` are probabilities, not labels: round them, "
                "`torch.round(torch.sigmoid(logits))`.",
            )
        if t.close(flat.reshape(out.shape).float(), torch.round(out)) and not t.close(
            torch.round(out), (out > 0).float()
        ):
            raise Mistake(
                "rounded_logits",
                "`y_preds` are rounded logits (numbers such as -3 and 2): the sigmoid comes "
                "first, `torch.round(torch.sigmoid(logits))`.",
            )
        if flat.is_floating_point() and t.close(flat.reshape(out.shape), out):
            raise Mistake("logits", "`y_preds` are the logits, not labels.")
    else:
        if t.shape(flat) == t.shape(out):
            raise Mistake(
                "per_class",
                f"`y_preds` has shape {t.shape(flat)}: a number per class (logits or "
                "probabilities). The label is the class with the largest: `argmax(dim=1)`.",
            )
    if share_right(flat.flatten().float(), labels_of(model, X_test, task).float()) < 1.0:
        raise Mistake(
            "not_this_model",
            "`y_preds` are not the labels `model` predicts for `X_test` now: predict again with "
            "the trained model.",
        )
    mode = (
        ""
        if model.training
        else " (the model is in evaluation mode; the loop's `model.train()` switches it back)"
    )
    return (
        f"{len(flat)} labels from the trained model, on the data's device{mode}. The plot is "
        "yours to look at: the boundary should bend around the classes."
    )
